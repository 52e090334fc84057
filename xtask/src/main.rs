//! Project automation. `cargo xtask codegen --help` for the generator.

use std::process::ExitCode;

// Generation builds and drops millions of small token trees; mimalloc makes that
// about a third cheaper than the system allocator (see scripts/measure.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen   regenerate kaltura-client/src/generated from a KalturaClient.xml
            (cargo xtask codegen --help for its options)
  schema-diff OLD NEW [--markdown]
            what changed between two KalturaClient.xml versions
            (cargo xtask schema-diff --help)
  update-schema --schema PATH_OR_URL
            replace the vendored api/ovp/KalturaClient.xml, show what changed,
            regenerate (cargo xtask update-schema --help)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => xtask::codegen::run(&args[1..]),
        Some("schema-diff") => xtask::schema_diff::run(&args[1..]),
        Some("update-schema") => xtask::update_schema::run(&args[1..]),
        Some("-h") | Some("--help") | None => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("error: unknown command `{other}`\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
