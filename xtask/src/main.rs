//! Project automation. `cargo xtask codegen --help` for the generator.

use std::process::ExitCode;

// The system allocator. mimalloc saved about 7% of a generation built as `cargo xtask`
// builds it (profile.xtask in Cargo.toml), less than its C build cost a fresh clone.
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(code) = xtask::relaunch::https(&args) {
        return code;
    }
    xtask::main(&args)
}
