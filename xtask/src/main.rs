//! Project automation. `cargo xtask codegen --help` for the generator.

use std::process::ExitCode;

// Generation builds and drops millions of small token trees; mimalloc makes that
// about a third cheaper than the system allocator (see scripts/measure.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    xtask::main(&args)
}
