//! A command given an https:// schema, run again through cargo with the `https`
//! feature. The build that `cargo xtask` makes has no TLS, so that a fresh clone's
//! `cargo xtask codegen` does not compile rustls and ring (xtask/Cargo.toml); the first
//! download from a server builds them, once, into the same target folder and profile.

use std::process::{Command, ExitCode};

/// Set for the command run again, so that it is run again once at most.
const RELAUNCHED: &str = "XTASK_HTTPS_RELAUNCHED";

/// A schema source that needs TLS.
pub fn is_https(source: &str) -> bool {
    source.starts_with("https://")
}

/// Whether the command `args` reads an https:// schema: one of its arguments, or for
/// `codegen` without `--schema`, `$KALTURA_SCHEMA` (`env_schema`).
pub fn wants_https(args: &[String], env_schema: Option<&str>) -> bool {
    let env_schema = env_schema.filter(|_| {
        args.first().is_some_and(|c| c == "codegen") && !args.iter().any(|a| a == "--schema")
    });
    args.iter()
        .map(String::as_str)
        .chain(env_schema)
        .any(is_https)
}

/// When this build has no HTTPS and `args` need it: runs them through
/// `cargo run --features https` in the same profile and returns their exit code. `None`
/// when they are to run here.
pub fn https(args: &[String]) -> Option<ExitCode> {
    if cfg!(feature = "https") || std::env::var_os(RELAUNCHED).is_some() {
        return None;
    }
    let env_schema = std::env::var("KALTURA_SCHEMA").ok();
    if !wants_https(args, env_schema.as_deref()) {
        return None;
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = crate::input::repo_root().join("Cargo.toml");
    let profile = profile();
    eprintln!("xtask: an https:// schema; running the command again with xtask's `https` feature");
    let status = Command::new(cargo)
        .args(["run", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .args(["--package", "xtask", "--profile", profile])
        .args(["--features", "https", "--"])
        .args(args)
        .env(RELAUNCHED, "1")
        .status();
    Some(match status {
        Ok(status) => status
            .code()
            .and_then(|c| u8::try_from(c).ok())
            .map_or(ExitCode::FAILURE, ExitCode::from),
        Err(e) => {
            eprintln!("error: cannot run cargo to build xtask with HTTPS: {e}");
            ExitCode::FAILURE
        }
    })
}

/// The cargo profile this binary was built in, from its folder (`target/PROFILE/`,
/// `debug` for `dev`); `xtask`, the one `cargo xtask` uses, when the folder says none.
fn profile() -> &'static str {
    let exe = std::env::current_exe().ok();
    let folder = exe
        .as_deref()
        .and_then(|e| e.parent())
        .and_then(|d| d.file_name())
        .and_then(|n| n.to_str());
    match folder {
        Some("debug") => "dev",
        Some("release") => "release",
        _ => "xtask",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_sources() {
        let args = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let url = "https://example.com/api_v3/api_schema.php";
        assert!(wants_https(&args(&["codegen", "--schema", url]), None));
        assert!(wants_https(&args(&["update-schema", url]), None));
        assert!(wants_https(&args(&["schema-diff", "old.xml", url]), None));
        assert!(!wants_https(
            &args(&["codegen", "--schema", "http://127.0.0.1/s"]),
            None
        ));
        assert!(!wants_https(&args(&["codegen", "--check"]), None));
        // $KALTURA_SCHEMA counts for codegen without --schema only.
        assert!(wants_https(&args(&["codegen", "--check"]), Some(url)));
        assert!(!wants_https(
            &args(&["codegen", "--schema", "a.xml"]),
            Some(url)
        ));
        assert!(!wants_https(
            &args(&["schema-diff", "a.xml", "b.xml"]),
            Some(url)
        ));
    }
}
