//! Named profiles in `config.toml`: server, partner, session defaults, where the
//! secret comes from (`kaltura profile add|list|show|remove` is `cmd::profile`).
//!
//! The file never holds a secret: only the name of an environment variable, a file
//! path or a command that prints it. Unknown keys are refused, so a `secret = "..."`
//! typed in by hand is an error rather than a silently stored secret.

use crate::choices::{Auth, Kind};
use crate::dirs::config_dir;
use crate::error::{CliError, Purpose, Result};
use crate::region::RegionArg;
use crate::safe_fs::{read_secret_file, read_trusted, write_private};
use crate::urls;
use clap::ValueEnum;
use kaltura_runtime::Secret;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const PROFILE_ENV: &str = "KALTURA_PROFILE";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<i64>,
    /// `admin` or `user`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privileges: Option<String>,
    /// Seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiry: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<Auth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_token_id: Option<String>,
    /// md5, sha1, sha256 or sha512.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash_type: Option<String>,
    /// The name of an environment variable holding the secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_env: Option<String>,
    /// A file holding the secret; refused when others may read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_file: Option<PathBuf>,
    /// A program and its arguments printing the secret (a password manager); run
    /// without a shell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_command: Option<Vec<String>>,
    /// Send the KS and secrets to `service_url` even when it is plain `http://` to
    /// another machine (a warning is printed each time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_http: Option<bool>,
}

impl Profile {
    pub fn kind(&self) -> Option<Kind> {
        match self.session_type.as_deref() {
            Some("admin") => Some(Kind::Admin),
            Some("user") => Some(Kind::User),
            _ => None,
        }
    }

    pub fn region(&self) -> Option<RegionArg> {
        self.region
            .as_deref()
            .and_then(|r| RegionArg::from_str(r, true).ok())
    }

    /// The profile as it may be printed: credentials in its URL hidden.
    pub fn shown(&self) -> Profile {
        Profile {
            service_url: self.service_url.as_deref().map(urls::shown),
            ..self.clone()
        }
    }

    pub fn has_secret_source(&self) -> bool {
        self.secret_env.is_some() || self.secret_file.is_some() || self.secret_command.is_some()
    }

    /// Whether the profile lets secrets go to `url` over plain `http://`: only to its
    /// own service URL, and only when it says so.
    pub fn allows_http_to(&self, url: &str) -> bool {
        self.allow_http == Some(true)
            && self
                .service_url
                .as_deref()
                .is_some_and(|own| own.trim_end_matches('/') == url.trim_end_matches('/'))
    }

    /// The secret from the profile's source, if it names one. Failures say where it
    /// was looked for, never what was found.
    pub fn read_secret(&self, what: &'static str) -> Result<Option<Secret>> {
        if let Some(var) = &self.secret_env {
            if let Ok(v) = std::env::var(var).map(Secret::new) {
                let v = v.expose().trim();
                if !v.is_empty() {
                    return Ok(Some(Secret::new(v)));
                }
            }
            if self.secret_file.is_none() && self.secret_command.is_none() {
                return Err(CliError::usage(format!(
                    "the profile takes the {what} from {var}, which is not set"
                )));
            }
        }
        if let Some(path) = &self.secret_file {
            return read_secret_file(path, what).map(Some);
        }
        if let Some(argv) = &self.secret_command {
            return run_secret_command(argv, what).map(Some);
        }
        Ok(None)
    }
}

fn run_secret_command(argv: &[String], what: &str) -> Result<Secret> {
    let Some((program, args)) = argv.split_first() else {
        return Err(CliError::usage("the profile's secret_command is empty"));
    };
    // stdin and stderr stay the terminal's so a password manager can ask and explain;
    // stdout is the secret and is never shown.
    let out = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::inherit())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| CliError::usage(format!("cannot run {program} for the {what}: {e}")))?;
    if !out.status.success() {
        return Err(CliError::usage(format!(
            "{program} failed ({}) when asked for the {what}",
            out.status
        )));
    }
    // The output moves into the Secret without a copy, and is wiped with it.
    let text = String::from_utf8(out.stdout)
        .map(Secret::new)
        .map_err(|_| CliError::usage(format!("{program} printed a {what} that is not UTF-8")))?;
    // Password managers print the secret on the first line, notes after it.
    let first = text.expose().lines().next().unwrap_or("").trim();
    if first.is_empty() {
        return Err(CliError::usage(format!("{program} printed no {what}")));
    }
    Ok(Secret::new(first))
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The profile used when neither --profile nor KALTURA_PROFILE names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

pub fn config_path() -> Result<PathBuf> {
    Ok(config_dir()?.join("config.toml"))
}

/// The profiles, from a file (and folder) that only the user can change: it names
/// programs to run and servers secrets go to.
pub fn load() -> Result<Config> {
    let path = config_path()?;
    match read_trusted(&path)? {
        Some(text) => parse(&text).map_err(|e| CliError::usage(format!("{}{e}", path.display()))),
        None => Ok(Config::default()),
    }
}

/// The config, with errors that give the line, column and key but never the text
/// there: a secret typed into the file by mistake must not end up on the screen.
fn parse(text: &str) -> std::result::Result<Config, String> {
    toml::from_str(text).map_err(|e: toml::de::Error| {
        let at = e.span().map(|s| {
            let before = &text[..s.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            format!(":{line}:{column}")
        });
        // Without the input, the error's text ends with the keys it was reading.
        let mut bare = e.clone();
        bare.set_input(None);
        let bare = bare.to_string();
        let key = bare
            .lines()
            .last()
            .and_then(|l| l.strip_prefix("in `"))
            .and_then(|l| l.strip_suffix('`'))
            .map(|k| format!(" (in `{k}`)"))
            .unwrap_or_default();
        format!(
            "{}: {}{key}",
            at.unwrap_or_default(),
            without_values(e.message())
        )
    })
}

/// A parse error's message without the values it may quote. serde's messages are
/// `WHAT, expected WHAT`: the expectation names types and keys, the first half may
/// hold the value found (`invalid type: string "..."`). Unknown and missing fields
/// name keys, which are kept.
fn without_values(message: &str) -> String {
    let message = message.lines().next().unwrap_or("");
    if message.starts_with("unknown field") || message.starts_with("missing field") {
        return message.to_string();
    }
    let (found, expected) = match message.split_once(", expected ") {
        Some((f, e)) => (f, Some(e)),
        None => (message, None),
    };
    let found = if found.starts_with("invalid type") {
        "a value of the wrong type".to_string()
    } else if found.starts_with("invalid value") || found.starts_with("unknown variant") {
        "a value that is not allowed".to_string()
    } else if found.starts_with("invalid length") {
        "a list of the wrong length".to_string()
    } else {
        // Anything else keeps its words, not what it quotes.
        let mut out = String::new();
        let mut quote = None;
        for c in found.chars() {
            match quote {
                Some(q) if c == q => {
                    quote = None;
                    out.push('…');
                    out.push(c);
                }
                Some(_) => {}
                None => {
                    out.push(c);
                    if c == '`' || c == '"' || c == '\'' {
                        quote = Some(c);
                    }
                }
            }
        }
        out
    };
    match expected {
        Some(e) => format!("{found}, expected {e}"),
        None => found,
    }
}

pub fn save(config: &Config) -> Result<PathBuf> {
    let path = config_path()?;
    let text = toml::to_string_pretty(config)
        .map_err(|e| CliError::Local(format!("cannot write the profiles: {e}")))?;
    write_private(&path, text.as_bytes(), Purpose::ConfigFolder)?;
    Ok(path)
}

/// The profile in use: `--profile`/`KALTURA_PROFILE` (which must exist), else the
/// config's `default`, else one named `default`.
#[derive(Clone, Debug)]
pub struct Active {
    pub name: String,
    pub profile: Profile,
}

pub fn select(requested: Option<&str>) -> Result<Option<Active>> {
    let config = load()?;
    if let Some(name) = requested.filter(|n| !n.is_empty()) {
        return match config.profiles.get(name) {
            Some(p) => Ok(Some(Active {
                name: name.to_string(),
                profile: p.clone(),
            })),
            None => {
                let known: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
                let mut e = format!("no profile named {name:?}");
                if !known.is_empty() {
                    e.push_str(&format!(" (there are: {})", known.join(", ")));
                }
                e.push_str("; add it with `kaltura profile add NAME`");
                Err(CliError::usage(e))
            }
        };
    }
    let name = config.default.clone().unwrap_or_else(|| "default".into());
    Ok(config.profiles.get(&name).map(|p| Active {
        name,
        profile: p.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_in_the_file_is_refused() {
        let text = "[profiles.p]\npartner_id = 1\nsecret = \"abc\"\n";
        let e = parse(text).unwrap_err();
        assert!(e.starts_with(":3:1: unknown field `secret`"), "{e}");
        assert!(!e.contains("abc"), "{e}");
    }

    /// serde's messages quote the value they could not take (`invalid type: string
    /// "..."`): a secret pasted into the wrong key would be printed.
    #[test]
    fn parse_errors_give_the_place_and_key_not_the_value() {
        for (text, at, key) in [
            (
                "[profiles.p]\npartner_id = \"hunter2hunter2\"\n",
                ":2:14:",
                "profiles.p.partner_id",
            ),
            (
                "[profiles.p]\nauth = \"hunter2hunter2\"\n",
                ":2:8:",
                "profiles.p.auth",
            ),
            (
                "[profiles.p]\nsecret_command = \"hunter2hunter2\"\n",
                ":2:18:",
                "profiles.p.secret_command",
            ),
            ("default = 'hunter2hunter2\n", ":1:", ""),
            ("[profiles.p]\npartner_id = 12hunter2\n", ":2:", ""),
        ] {
            let e = parse(text).unwrap_err();
            assert!(!e.contains("hunter2"), "{e}");
            assert!(e.starts_with(at), "{at}: {e}");
            assert!(e.contains(key), "{key}: {e}");
        }
    }

    #[test]
    fn profiles_round_trip() {
        let mut config = Config::default();
        config.profiles.insert(
            "p".into(),
            Profile {
                partner_id: Some(5),
                secret_command: Some(vec!["pass".into(), "show".into()]),
                auth: Some(Auth::AdminSecret),
                ..Default::default()
            },
        );
        let text = toml::to_string_pretty(&config).unwrap();
        assert!(text.contains("auth = \"admin-secret\""), "{text}");
        let back: Config = toml::from_str(&text).unwrap();
        assert_eq!(back.profiles["p"], config.profiles["p"]);
    }
}
