//! Named profiles in `config.toml` (server, partner, session defaults, where the
//! secret comes from) and `kaltura profile add|list|show|remove`.
//!
//! The file never holds a secret: only the name of an environment variable, a file
//! path or a command that prints it. Unknown keys are refused, so a `secret = "..."`
//! typed in by hand is an error rather than a silently stored secret.

use crate::error::{CliError, Result};
use crate::region::RegionArg;
use crate::{emit, output, units, Kind};
use clap::{Args, Subcommand, ValueEnum};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const PROFILE_ENV: &str = "KALTURA_PROFILE";
const CONFIG_DIR_ENV: &str = "KALTURA_CONFIG_DIR";
const CACHE_DIR_ENV: &str = "KALTURA_CACHE_DIR";

/// How a profile's sessions are started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Auth {
    /// session.start with the partner's admin secret
    AdminSecret,
    /// user.loginByLoginId with a login id and password
    Password,
    /// appToken.startSession with an application token
    AppToken,
}

impl Auth {
    pub fn what(self) -> &'static str {
        match self {
            Auth::AdminSecret => "admin secret",
            Auth::Password => "password",
            Auth::AppToken => "app token",
        }
    }
}

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

    pub fn has_secret_source(&self) -> bool {
        self.secret_env.is_some() || self.secret_file.is_some() || self.secret_command.is_some()
    }

    /// The secret from the profile's source, if it names one. Failures say where it
    /// was looked for, never what was found.
    pub fn read_secret(&self, what: &str) -> Result<Option<String>> {
        if let Some(var) = &self.secret_env {
            if let Ok(v) = std::env::var(var) {
                let v = v.trim().to_string();
                if !v.is_empty() {
                    return Ok(Some(v));
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

/// Reads a secret file after checking that only its owner can read it.
pub fn read_secret_file(path: &Path, what: &str) -> Result<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).map_err(|e| {
            CliError::usage(format!(
                "cannot read the {what} from {}: {e}",
                path.display()
            ))
        })?;
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(CliError::usage(format!(
                "{} may be read by others (mode {:o}); refusing to take the {what} from it \
                 (chmod 600 {})",
                path.display(),
                mode & 0o777,
                path.display()
            )));
        }
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::usage(format!(
            "cannot read the {what} from {}: {e}",
            path.display()
        ))
    })?;
    let text = text.trim();
    if text.is_empty() {
        return Err(CliError::usage(format!(
            "the file {} is empty; it should hold the {what}",
            path.display()
        )));
    }
    Ok(text.to_string())
}

fn run_secret_command(argv: &[String], what: &str) -> Result<String> {
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
    let text = String::from_utf8(out.stdout)
        .map_err(|_| CliError::usage(format!("{program} printed a {what} that is not UTF-8")))?;
    // Password managers print the secret on the first line, notes after it.
    let first = text.lines().next().unwrap_or("").trim();
    if first.is_empty() {
        return Err(CliError::usage(format!("{program} printed no {what}")));
    }
    Ok(first.to_string())
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

pub fn config_path() -> Result<PathBuf> {
    Ok(config_dir()?.join("config.toml"))
}

pub fn load() -> Result<Config> {
    let path = config_path()?;
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => {
            return Err(CliError::Local(format!(
                "cannot read {}: {e}",
                path.display()
            )))
        }
    };
    parse(&text).map_err(|e| CliError::usage(format!("{}{e}", path.display())))
}

/// The config, with errors that give the line but never quote it: a secret typed
/// into the file by mistake must not end up on the screen.
fn parse(text: &str) -> std::result::Result<Config, String> {
    toml::from_str(text).map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        match line {
            Some(l) => format!(":{l}: {}", e.message()),
            None => format!(": {}", e.message()),
        }
    })
}

fn save(config: &Config) -> Result<PathBuf> {
    let path = config_path()?;
    let text = toml::to_string_pretty(config)
        .map_err(|e| CliError::Local(format!("cannot write the profiles: {e}")))?;
    write_private(&path, text.as_bytes())?;
    Ok(path)
}

/// Writes a file only its owner may read, through a temporary file renamed over it so
/// a crash never leaves half a file.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let local =
        |e: std::io::Error| CliError::Local(format!("cannot write {}: {e}", path.display()));
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(local)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    {
        use std::io::Write;
        let mut f = options.open(&tmp).map_err(local)?;
        f.write_all(bytes).map_err(local)?;
    }
    std::fs::rename(&tmp, path).map_err(local)
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

const PROFILE_HELP: &str = "\
Profiles live in $XDG_CONFIG_HOME/kaltura/config.toml (else ~/.config/kaltura, or
$KALTURA_CONFIG_DIR). Choose one with --profile NAME or KALTURA_PROFILE; without either,
the profile marked default (or named `default`) is used. Flags and environment
variables win over a profile's values.

The file never holds a secret: a profile says where to get it, from an environment
variable (--secret-env), a file only you can read (--secret-file) or a command such
as a password manager (--secret-command, run without a shell).

Examples:
  kaltura profile add prod --partner-id 1234567 --region eu --type admin \\
    --auth admin-secret --secret-command 'pass show kaltura/prod' --default
  kaltura profile add bot --partner-id 1234567 --auth app-token --app-token-id 0_abc \\
    --hash-type sha256 --secret-file ~/.kaltura-bot-token
  kaltura --profile prod call media list
  kaltura profile list";

#[derive(Subcommand, Debug)]
#[command(after_help = PROFILE_HELP)]
pub enum ProfileCommand {
    /// Add a profile, or replace one of the same name
    Add(Box<AddArgs>),
    /// List the profiles
    List,
    /// Show a profile's settings (there is no secret in them to show)
    Show {
        /// The profile (default: the active one)
        name: Option<String>,
    },
    /// Remove a profile and its cached session
    Remove {
        /// The profile
        name: String,
    },
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// The profile's name
    name: String,
    /// The API server's root URL
    #[arg(long, value_name = "URL", conflicts_with = "region")]
    service_url: Option<String>,
    /// A Kaltura regional cloud instead of a service URL
    #[arg(long, value_enum, value_name = "REGION")]
    region: Option<RegionArg>,
    /// The partner id
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    partner_id: Option<i64>,
    /// The default session type
    #[arg(long = "type", value_enum)]
    kind: Option<Kind>,
    /// The default user id of sessions
    #[arg(long, value_name = "ID")]
    user: Option<String>,
    /// The default privileges of sessions
    #[arg(long, value_name = "P")]
    privileges: Option<String>,
    /// The default session lifetime: seconds, or with a unit (90m, 12h, 7d)
    #[arg(long, value_name = "SECONDS", value_parser = units::parse_seconds)]
    expiry: Option<i64>,
    /// How sessions are started
    #[arg(long, value_enum)]
    auth: Option<Auth>,
    /// The login id (--auth password)
    #[arg(long, value_name = "ID")]
    login_id: Option<String>,
    /// The application token id (--auth app-token)
    #[arg(long, value_name = "ID")]
    app_token_id: Option<String>,
    /// The application token's hash type (--auth app-token)
    #[arg(long, value_enum, value_name = "HASH")]
    hash_type: Option<crate::app_token_cmd::HashArg>,
    /// Take the secret from this environment variable
    #[arg(long, value_name = "VAR")]
    secret_env: Option<String>,
    /// Take the secret from this file (only its owner may read it)
    #[arg(long, value_name = "FILE", conflicts_with = "secret_command")]
    secret_file: Option<PathBuf>,
    /// Take the secret from this command's output, e.g. 'pass show kaltura'; split on
    /// whitespace and run without a shell
    #[arg(long, value_name = "COMMAND")]
    secret_command: Option<String>,
    /// Make it the profile used when none is named
    #[arg(long)]
    default: bool,
}

pub fn run(command: ProfileCommand, active: Option<&Active>) -> Result<()> {
    match command {
        ProfileCommand::Add(a) => add(*a),
        ProfileCommand::List => list(active),
        ProfileCommand::Show { name } => {
            let config = load()?;
            let name = match name.or_else(|| active.map(|a| a.name.clone())) {
                Some(n) => n,
                None => return Err(CliError::usage("no profile named and none is active")),
            };
            let p = config
                .profiles
                .get(&name)
                .ok_or_else(|| CliError::usage(format!("no profile named {name:?}")))?;
            let mut one = BTreeMap::new();
            one.insert(name, p.clone());
            let text = toml::to_string_pretty(&Config {
                default: None,
                profiles: one,
            })
            .map_err(|e| CliError::Local(e.to_string()))?;
            emit(text.as_bytes())
        }
        ProfileCommand::Remove { name } => {
            let mut config = load()?;
            if config.profiles.remove(&name).is_none() {
                return Err(CliError::usage(format!("no profile named {name:?}")));
            }
            if config.default.as_deref() == Some(name.as_str()) {
                config.default = None;
            }
            save(&config)?;
            crate::session_cache::remove(&name)?;
            eprintln!("removed profile {name}");
            Ok(())
        }
    }
}

fn add(a: AddArgs) -> Result<()> {
    if a.name.is_empty()
        || !a
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        || a.name.starts_with('.')
    {
        return Err(CliError::usage(
            "a profile name is letters, digits, '-', '_' and '.' (not first)",
        ));
    }
    if let Some(path) = &a.secret_file {
        // Checked now so a mistake shows when the profile is made, not at first use.
        if path.exists() {
            read_secret_file(path, "secret")?;
        }
    }
    let secret_command = a
        .secret_command
        .map(|c| c.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .filter(|v| !v.is_empty());
    let auth = a.auth.or_else(|| {
        if a.app_token_id.is_some() {
            Some(Auth::AppToken)
        } else if a.login_id.is_some() {
            Some(Auth::Password)
        } else if a.secret_env.is_some() || a.secret_file.is_some() || secret_command.is_some() {
            Some(Auth::AdminSecret)
        } else {
            None
        }
    });
    match auth {
        Some(Auth::Password) if a.login_id.is_none() => {
            return Err(CliError::usage("--auth password needs --login-id"))
        }
        Some(Auth::AppToken) if a.app_token_id.is_none() => {
            return Err(CliError::usage("--auth app-token needs --app-token-id"))
        }
        _ => {}
    }
    let profile = Profile {
        service_url: a.service_url,
        region: a
            .region
            .and_then(|r| r.to_possible_value())
            .map(|v| v.get_name().to_string()),
        partner_id: a.partner_id,
        session_type: a.kind.map(|k| match k {
            Kind::Admin => "admin".into(),
            Kind::User => "user".into(),
        }),
        user: a.user,
        privileges: a.privileges,
        expiry: a.expiry,
        auth,
        login_id: a.login_id,
        app_token_id: a.app_token_id,
        hash_type: a
            .hash_type
            .and_then(|h| h.to_possible_value())
            .map(|v| v.get_name().to_string()),
        secret_env: a.secret_env,
        secret_file: a.secret_file.map(|p| std::path::absolute(&p).unwrap_or(p)),
        secret_command,
    };
    let mut config = load()?;
    let replaced = config.profiles.insert(a.name.clone(), profile).is_some();
    if a.default || config.profiles.len() == 1 && config.default.is_none() {
        config.default = Some(a.name.clone());
    }
    let path = save(&config)?;
    if replaced {
        // The cached session was for the old settings.
        crate::session_cache::remove(&a.name)?;
    }
    eprintln!(
        "{} profile {} in {}",
        if replaced { "replaced" } else { "added" },
        a.name,
        path.display()
    );
    Ok(())
}

fn list(active: Option<&Active>) -> Result<()> {
    let config = load()?;
    if crate::output_mode(output::Mode::Table) != output::Mode::Table {
        let value = serde_json::to_value(&config)
            .map_err(|e| CliError::Local(format!("cannot show the profiles: {e}")))?;
        return crate::emit_value(&value["profiles"], output::Mode::Json);
    }
    let rows: Vec<Vec<String>> = config
        .profiles
        .iter()
        .map(|(name, p)| {
            let mark = if active.is_some_and(|a| &a.name == name) {
                "*"
            } else {
                ""
            };
            vec![
                format!("{mark}{name}"),
                p.service_url
                    .clone()
                    .or_else(|| p.region.clone())
                    .unwrap_or_default(),
                p.partner_id.map(|i| i.to_string()).unwrap_or_default(),
                p.session_type.clone().unwrap_or_default(),
                p.auth.map(|a| a.what().to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    if rows.is_empty() {
        eprintln!(
            "no profiles yet in {}; add one with `kaltura profile add NAME`",
            config_path()?.display()
        );
        return Ok(());
    }
    emit(output::table(&["profile", "server", "partner", "type", "auth"], &rows).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_in_the_file_is_refused() {
        let text = "[profiles.p]\npartner_id = 1\nsecret = \"abc\"\n";
        let e = parse(text).unwrap_err();
        assert!(e.starts_with(":3: unknown field `secret`"), "{e}");
        assert!(!e.contains("abc"), "{e}");
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
