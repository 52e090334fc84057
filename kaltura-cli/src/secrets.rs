//! Secrets, passwords and KS tokens come from a file, the environment, stdin or a
//! prompt without echo, never from the command line, where `ps` shows them to every
//! user of the machine and shell histories keep them.

use crate::error::{CliError, Result};
use crate::safe_fs::read_secret_file;
// The rule the runtime blanks secrets by, in logs, errors, --debug and --curl.
use kaltura_runtime::redact::is_secret_name;
use kaltura_runtime::Secret;
use std::io::{IsTerminal, Read};
use std::path::Path;

pub const ADMIN_SECRET_ENV: &str = "KALTURA_ADMIN_SECRET";
pub const PASSWORD_ENV: &str = "KALTURA_PASSWORD";
pub const KS_ENV: &str = "KALTURA_KS";

/// Where a secret may come from, in order of preference.
pub struct Source<'a> {
    /// A file holding the secret (one line; surrounding whitespace is ignored); only
    /// its owner may read it.
    pub file: Option<&'a Path>,
    /// An environment variable.
    pub env: &'a str,
    /// The prompt shown when stdin is a terminal; `None` never prompts.
    pub prompt: Option<&'a str>,
    /// What the secret is, for messages (`admin secret`, `password`).
    pub what: &'static str,
    /// The active profile: its secret source is tried after the environment and before
    /// the prompt, when the profile's secret is of this kind.
    pub profile: Option<&'a crate::profile::Profile>,
}

/// The secret, or `None` when no source has one.
pub fn read_optional(source: &Source<'_>) -> Result<Option<Secret>> {
    if let Some(path) = source.file {
        return read_secret_file(path, source.what).map(Some);
    }
    if let Some(value) = std::env::var_os(source.env) {
        if !value.is_empty() {
            return value
                .into_string()
                .map(|v| Some(Secret::new(v)))
                .map_err(|_| CliError::usage(format!("{} does not hold UTF-8 text", source.env)));
        }
    }
    if let Some(p) = source.profile {
        if p.auth.map(crate::choices::Auth::what) == Some(source.what) && p.has_secret_source() {
            if let Some(value) = p.read_secret(source.what)? {
                return Ok(Some(value));
            }
        }
    }
    if let Some(prompt) = source.prompt {
        if std::io::stdin().is_terminal() {
            let value = rpassword::prompt_password(prompt)
                .map(Secret::new)
                .map_err(|e| {
                    CliError::usage(format!(
                        "cannot read the {} from the terminal: {e}",
                        source.what
                    ))
                })?;
            if !value.expose().is_empty() {
                return Ok(Some(value));
            }
        }
    }
    Ok(None)
}

/// The secret, or a usage error saying where to put it.
pub fn read(source: &Source<'_>) -> Result<Secret> {
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

/// A secret on stdin: all of it, surrounding whitespace ignored.
pub fn read_stdin(what: &str) -> Result<Secret> {
    let mut raw = String::new();
    let read = std::io::stdin().read_to_string(&mut raw);
    let raw = Secret::new(raw);
    read.map_err(|e| CliError::usage(format!("cannot read the {what} from stdin: {e}")))?;
    let text = raw.expose().trim();
    if text.is_empty() {
        return Err(CliError::usage(format!("stdin holds no {what}")));
    }
    Ok(Secret::new(text))
}

/// Where a KS written on the command line should go instead.
const KS_ELSEWHERE: &str = "set KALTURA_KS, pass --ks-file FILE (a file only you can read), \
     or pipe it in with --ks - (or --ks-file -)";

/// The error for a KS written on the command line; it never repeats the KS.
pub fn ks_on_command_line() -> CliError {
    CliError::usage(format!(
        "a KS is not taken from the command line, where other users (ps) and shell \
         histories see it: {KS_ELSEWHERE}"
    ))
}

/// The KS from `given` (only `-`, stdin, is accepted), a file (`-`: stdin), else
/// KALTURA_KS.
pub fn read_ks(given: Option<&str>, file: Option<&Path>) -> Result<Option<Secret>> {
    match (given, file) {
        (Some("-"), _) => return read_stdin("KS").map(Some),
        (Some(_), _) => return Err(ks_on_command_line()),
        (None, Some(p)) if p == Path::new("-") => return read_stdin("KS").map(Some),
        (None, Some(p)) => return read_secret_file(p, "KS").map(Some),
        (None, None) => {}
    }
    Ok(std::env::var(KS_ENV)
        .ok()
        .map(|k| Secret::new(k.trim()))
        .filter(|k| !k.expose().is_empty()))
}

/// Refuses `call` arguments that set a credential (`secret=...`, `user:password=...`)
/// on the command line; they belong on stdin (`-`). Clearing one (`=__null`) is
/// allowed: it shows nothing.
pub fn refuse_on_command_line(args: &[String], service: &str, action: &str) -> Result<()> {
    for arg in args.iter().filter(|a| *a != "-") {
        let (name, value) = arg.split_once('=').unwrap_or((arg, ""));
        let last = name.rsplit(':').next().unwrap_or(name);
        if is_secret_name(last) && value != crate::params::NULL {
            return Err(CliError::usage(format!(
                "`{name}` holds a secret and is not taken from the command line, where other \
                 users (ps) and shell histories see it: give it on stdin, as a NAME=VALUE \
                 line or a JSON object, and pass `-`, e.g. \
                 `kaltura call {service} {action} - < params.txt`{}",
                if last.eq_ignore_ascii_case("ks") && name == last {
                    "; the KS sent with the call comes from KALTURA_KS or --ks-file"
                } else {
                    ""
                }
            )));
        }
    }
    Ok(())
}

/// Whether parameters hold a credential at any depth.
pub fn holds_secret(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| {
            (is_secret_name(k) && v.as_str().is_some_and(|s| !s.is_empty())) || holds_secret(v)
        }),
        serde_json::Value::Array(items) => items.iter().any(holds_secret),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names `call` refuses on the command line.
    #[test]
    fn secret_names() {
        for name in [
            "secret",
            "adminSecret",
            "SECRET",
            "password",
            "newPassword",
            "passPhrase",
            "sshPassphrase",
            "passwd",
            "privateKey",
            "sftpPrivateKey",
            "apiKey",
            "encryptionKey",
            "signingKey",
            "pageAccessToken",
            "ks",
            "KS",
            "token",
            "tokenHash",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "partnerId",
            "userId",
            "uploadTokenId",
            "tokenId",
            "keyword",
            "publicKey",
            "ksExpiry",
            "hashType",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn secrets_on_the_command_line_are_refused_without_their_value() {
        let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        for given in [
            "secret=hunter2hunter2",
            "user:password=hunter2hunter2",
            "ks=hunter2hunter2",
            "Secret",
        ] {
            let e = refuse_on_command_line(&args(&["partnerId=1", given]), "session", "start")
                .unwrap_err();
            let text = e.to_string();
            assert!(!text.contains("hunter2"), "{text}");
            assert!(text.contains("pass `-`"), "{text}");
            assert_eq!(e.exit_code(), crate::error::code::USAGE);
        }
        refuse_on_command_line(
            &args(&["partnerId=1", "-", "user:password=__null"]),
            "user",
            "update",
        )
        .unwrap();
    }

    #[test]
    fn secrets_are_found_at_any_depth() {
        let v = serde_json::json!({"a": {"b": [{"password": "x"}]}});
        assert!(holds_secret(&v));
        let v = serde_json::json!({"a": {"password__null": ""}, "partnerId": 1});
        assert!(!holds_secret(&v));
    }
}
