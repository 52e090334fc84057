//! Reading the schema (file or URL) and the profile: the only I/O of generation.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// The checkout this run works on, found at run time. The path baked in at compile
/// time is the last resort only: cargo does not rebuild xtask when a checkout is moved
/// or renamed (file times are kept), so that path may name a folder that is gone, or
/// another checkout. `cargo xtask` (`cargo run`) sets `CARGO_MANIFEST_DIR` for the run
/// to xtask's folder in the checkout it runs in; a binary run by hand looks upwards
/// from the current folder.
pub fn repo_root() -> PathBuf {
    let from_cargo = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .and_then(|xtask| xtask.parent().map(Path::to_path_buf));
    let from_cwd = std::env::current_dir().ok().and_then(|dir| {
        dir.ancestors()
            .find(|d| is_checkout(d))
            .map(Path::to_path_buf)
    });
    from_cargo
        .filter(|d| is_checkout(d))
        .or(from_cwd)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("xtask/ sits in the repository")
                .to_path_buf()
        })
}

/// A kaltura-rs checkout: the workspace manifest beside xtask and the vendored API.
fn is_checkout(dir: &Path) -> bool {
    dir.join("xtask/Cargo.toml").is_file() && dir.join("Cargo.toml").is_file()
}

/// The vendored API description the shipped client is generated from.
pub fn vendored_schema() -> PathBuf {
    repo_root().join("api/ovp/KalturaClient.xml")
}

/// The vendored public profile (see `api/README.md`).
pub fn vendored_profile() -> PathBuf {
    repo_root().join("api/public-profile.txt")
}

/// Where the schema comes from: the flag, then `$KALTURA_SCHEMA`, then the vendored copy.
pub fn schema_source(flag: Option<&str>) -> Result<String> {
    if let Some(s) = flag {
        return Ok(s.to_string());
    }
    if let Ok(s) = std::env::var("KALTURA_SCHEMA") {
        if !s.trim().is_empty() {
            return Ok(s);
        }
    }
    let vendored = vendored_schema();
    if vendored.is_file() {
        return Ok(vendored.display().to_string());
    }
    bail!(
        "no schema given, and the vendored {} is missing (is this a full clone?).\n\
         Pass a file or a server's schema URL, for example:\n  \
         cargo xtask codegen --schema path/to/KalturaClient.xml\n  \
         cargo xtask codegen --schema https://www.kaltura.com/api_v3/api_schema.php\n\
         or set KALTURA_SCHEMA to either.",
        vendored.display()
    )
}

/// `public` (the vendor's public surface), `all`, or a profile file.
pub fn profile(name: &str, rules: &[String]) -> Result<kaltura_schema::Profile> {
    let mut profile = match name {
        "all" => kaltura_schema::Profile::all(),
        "public" => {
            let path = match std::env::var("KALTURA_PUBLIC_PROFILE") {
                Ok(p) if !p.is_empty() => PathBuf::from(p),
                _ => vendored_profile(),
            };
            let text = std::fs::read_to_string(&path).with_context(|| {
                format!(
                    "cannot read the public profile at {} \
                     (set KALTURA_PUBLIC_PROFILE, or pass --profile all or --profile FILE)",
                    path.display()
                )
            })?;
            kaltura_schema::Profile::parse(&text, &path.display().to_string())?
        }
        file => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read profile {file}"))?;
            kaltura_schema::Profile::parse(&text, file)?
        }
    };
    if !rules.is_empty() {
        profile.extend(kaltura_schema::Profile::parse(&rules.join("\n"), "--rule")?);
    }
    Ok(profile)
}
