//! `kaltura profile add|list|show|remove`: the named profiles of `config.toml`.

use crate::choices::{Auth, HashArg, Kind};
use crate::context::Context;
use crate::error::{CliError, Result};
use crate::output::{self, emit};
use crate::profile::{config_path, load, save, Active, Config, Profile};
use crate::region::RegionArg;
use crate::safe_fs::read_secret_file;
use crate::{session_cache, units, urls};
use clap::{Args, Subcommand, ValueEnum};
use std::collections::BTreeMap;
use std::path::PathBuf;

const PROFILE_HELP: &str = "\
Profiles live in $XDG_CONFIG_HOME/kaltura/config.toml (else ~/.config/kaltura, or
$KALTURA_CONFIG_DIR). Choose one with --profile NAME or KALTURA_PROFILE; without either,
the profile marked default (or named `default`) is used. Flags and environment
variables win over a profile's values.

The file never holds a secret: a profile says where to get it, from an environment
variable (--secret-env), a file only you can read (--secret-file) or a command such
as a password manager (--secret-command, run without a shell). Since it names a
program to run and the server secrets go to, the file and its folder must be yours
and writable by you only; otherwise every command refuses to start.

A profile whose --service-url is plain http:// to another machine needs the global
--allow-http when it is added (`kaltura --allow-http profile add ...`, stored as
allow_http = true): KS tokens and secrets then go to that URL unencrypted, with a
warning each time.

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
    hash_type: Option<HashArg>,
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

pub fn run(ctx: &Context, command: ProfileCommand) -> Result<()> {
    let active = ctx.active();
    match command {
        ProfileCommand::Add(a) => add(*a, ctx.allow_http_flag()),
        ProfileCommand::List => list(ctx, active),
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
            one.insert(name, p.shown());
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
            session_cache::remove(&name)?;
            eprintln!("removed profile {name}");
            Ok(())
        }
    }
}

/// `allow_http`: the global --allow-http, which `profile add` keeps in the profile.
fn add(a: AddArgs, allow_http: bool) -> Result<()> {
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
    if let Some(url) = &a.service_url {
        urls::check(url)?;
        if urls::plain_http(url) && !allow_http {
            eprintln!(
                "note: {} is plain http://: no KS or secret is sent there unless --allow-http \
                 is given, each time or once here (`kaltura --allow-http profile add ...`)",
                urls::shown(url)
            );
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
        allow_http: allow_http.then_some(true),
    };
    let mut config = load()?;
    let replaced = config.profiles.insert(a.name.clone(), profile).is_some();
    if a.default || config.profiles.len() == 1 && config.default.is_none() {
        config.default = Some(a.name.clone());
    }
    let path = save(&config)?;
    if replaced {
        // The cached session was for the old settings.
        session_cache::remove(&a.name)?;
    }
    eprintln!(
        "{} profile {} in {}",
        if replaced { "replaced" } else { "added" },
        a.name,
        path.display()
    );
    Ok(())
}

fn list(ctx: &Context, active: Option<&Active>) -> Result<()> {
    let config = load()?;
    if ctx.output_mode(output::Mode::Table) != output::Mode::Table {
        let shown: BTreeMap<&String, Profile> = config
            .profiles
            .iter()
            .map(|(n, p)| (n, p.shown()))
            .collect();
        let value = serde_json::to_value(&shown)
            .map_err(|e| CliError::Local(format!("cannot show the profiles: {e}")))?;
        return ctx.emit_value(&value, output::Mode::Json);
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
                    .as_deref()
                    .map(urls::shown)
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
