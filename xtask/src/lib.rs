//! Project automation, as a library so that the workspace's tests can run the same code
//! in-process (`cargo xtask codegen --check` and the tests compare the same way).

pub mod cli;
pub mod codegen;
pub mod input;
pub mod output;
pub mod relaunch;
pub mod schema_diff;
pub mod schema_load;
pub mod update_schema;

use std::process::ExitCode;

/// The top-level help, printed for `cargo xtask`, `--help` or an unknown command.
const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen   regenerate the API's crates (kaltura-api-enums, kaltura-api,
            kaltura-api-services), kaltura-client and kaltura-metadata from a
            KalturaClient.xml (cargo xtask codegen --help for its options)
  schema-diff OLD NEW [--markdown]
            what changed between two KalturaClient.xml versions
            (cargo xtask schema-diff --help)
  update-schema --schema PATH_OR_URL
            replace the vendored api/ovp/KalturaClient.xml, show what changed,
            regenerate (cargo xtask update-schema --help)
";

/// A command's entry point: its arguments (after its name) to its exit code.
type Run = fn(&[String]) -> ExitCode;

/// Each command's name and entry point, in the order of [`USAGE`].
const COMMANDS: [(&str, Run); 3] = [
    ("codegen", crate::codegen::run),
    ("schema-diff", crate::schema_diff::run),
    ("update-schema", crate::update_schema::run),
];

/// `cargo xtask ARGS` (without the program name): runs the named command.
pub fn main(args: &[String]) -> ExitCode {
    let Some(first) = args.first() else {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    };
    if first == "-h" || first == "--help" {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match COMMANDS.iter().find(|(name, _)| name == first) {
        Some((_, run)) => run(&args[1..]),
        None => {
            eprintln!("error: unknown command `{first}`\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands() {
        assert_eq!(main(&["frob".to_string()]), ExitCode::from(2));
        assert_eq!(main(&["--help".to_string()]), ExitCode::SUCCESS);
        assert_eq!(main(&[]), ExitCode::SUCCESS);
    }
}
