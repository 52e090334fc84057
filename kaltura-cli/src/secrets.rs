//! Secrets and passwords come from a file, the environment or a prompt without echo,
//! never from the command line (where `ps` and shell histories would show them).

use crate::error::{CliError, Result};
use std::io::IsTerminal;
use std::path::Path;

pub const ADMIN_SECRET_ENV: &str = "KALTURA_ADMIN_SECRET";
pub const PASSWORD_ENV: &str = "KALTURA_PASSWORD";

/// Where a secret may come from, in order of preference.
pub struct Source<'a> {
    /// A file holding the secret (one line; surrounding whitespace is ignored).
    pub file: Option<&'a Path>,
    /// An environment variable.
    pub env: &'a str,
    /// The prompt shown when stdin is a terminal; `None` never prompts.
    pub prompt: Option<&'a str>,
    /// What the secret is, for messages (`admin secret`, `password`).
    pub what: &'a str,
    /// The active profile: its secret source is tried after the environment and before
    /// the prompt, when the profile's secret is of this kind.
    pub profile: Option<&'a crate::profile::Profile>,
}

/// The secret, or `None` when no source has one.
pub fn read_optional(source: &Source<'_>) -> Result<Option<String>> {
    if let Some(path) = source.file {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CliError::usage(format!(
                "cannot read the {} from {}: {e}",
                source.what,
                path.display()
            ))
        })?;
        let text = text.trim();
        if text.is_empty() {
            return Err(CliError::usage(format!(
                "the file {} is empty; it should hold the {}",
                path.display(),
                source.what
            )));
        }
        return Ok(Some(text.to_string()));
    }
    if let Ok(value) = std::env::var(source.env) {
        if !value.is_empty() {
            return Ok(Some(value));
        }
    }
    if let Some(p) = source.profile {
        if p.auth.map(crate::profile::Auth::what) == Some(source.what) && p.has_secret_source() {
            if let Some(value) = p.read_secret(source.what)? {
                return Ok(Some(value));
            }
        }
    }
    if let Some(prompt) = source.prompt {
        if std::io::stdin().is_terminal() {
            let value = rpassword::prompt_password(prompt).map_err(|e| {
                CliError::usage(format!(
                    "cannot read the {} from the terminal: {e}",
                    source.what
                ))
            })?;
            if !value.is_empty() {
                return Ok(Some(value));
            }
        }
    }
    Ok(None)
}

/// The secret, or a usage error saying where to put it.
pub fn read(source: &Source<'_>) -> Result<String> {
    read_optional(source)?.ok_or_else(|| {
        let file = if source.file.is_some() || source.what == "admin secret" {
            ", or pass --secret-file FILE"
        } else {
            ""
        };
        let prompt = if source.prompt.is_some() {
            " (there is no terminal to prompt on)"
        } else {
            ""
        };
        CliError::usage(format!(
            "no {} given{prompt}: set {}{file}; it is never taken from the command line",
            source.what, source.env
        ))
    })
}
