//! Where the command line keeps its files: the profiles' folder and the session cache.
//! Both the profiles and the cache use them, so they live beneath either.

use crate::error::{CliError, Result};
use std::path::PathBuf;

const CONFIG_DIR_ENV: &str = "KALTURA_CONFIG_DIR";
const CACHE_DIR_ENV: &str = "KALTURA_CACHE_DIR";

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// `$KALTURA_CONFIG_DIR`, else `$XDG_CONFIG_HOME/kaltura`, else `~/.config/kaltura`
/// (`%APPDATA%\kaltura` on Windows).
pub fn config_dir() -> Result<PathBuf> {
    base_dir(CONFIG_DIR_ENV, "XDG_CONFIG_HOME", ".config", "APPDATA")
}

/// `$KALTURA_CACHE_DIR`, else `$XDG_CACHE_HOME/kaltura`, else `~/.cache/kaltura`
/// (`%LOCALAPPDATA%\kaltura` on Windows).
pub fn cache_dir() -> Result<PathBuf> {
    base_dir(CACHE_DIR_ENV, "XDG_CACHE_HOME", ".cache", "LOCALAPPDATA")
}

fn base_dir(own: &str, xdg: &str, dot: &str, windows: &str) -> Result<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var(own) {
        return Ok(dir);
    }
    // XDG asks that relative paths be ignored.
    if let Some(dir) = var(xdg).filter(|d| d.is_absolute()) {
        return Ok(dir.join("kaltura"));
    }
    if cfg!(windows) {
        if let Some(dir) = var(windows) {
            return Ok(dir.join("kaltura"));
        }
    }
    home()
        .map(|h| h.join(dot).join("kaltura"))
        .ok_or_else(|| CliError::Local(format!("no home folder: set {own}")))
}
