//! Argument groups that several commands take, declared once and flattened into each
//! command's own arguments: the global flags, where the server is, the KS sent with a
//! call, the partner, and what a new session is asked for. A command that words one of
//! them differently in its help changes the words only (`mut_arg`), never the flag.

use crate::choices::{HashArg, Kind};
use crate::error::Result;
use crate::output::Mode;
use crate::region::RegionArg;
use crate::{profile, secrets, units};
use clap::{Arg, Args};
use kaltura_runtime::Secret;
use std::path::{Path, PathBuf};

/// The flags every command takes, before or after its name.
#[derive(Args, Debug)]
pub struct Global {
    /// How results are printed (default: a table on a terminal, else JSON)
    #[arg(long, short, global = true, value_enum, value_name = "FORMAT")]
    pub output: Option<Mode>,
    /// Table columns, comma-separated (default: a few useful ones)
    #[arg(
        long,
        global = true,
        alias = "columns",
        value_delimiter = ',',
        value_name = "NAMES"
    )]
    pub fields: Vec<String>,
    /// Print every request and answer on stderr (KS, secrets and passwords blanked)
    #[arg(long, global = true)]
    pub debug: bool,
    /// The profile (server, partner, session defaults, secret source) to use
    #[arg(long, global = true, env = profile::PROFILE_ENV, value_name = "NAME")]
    pub profile: Option<String>,
    /// Send the KS and secrets to a plain http:// server on another machine anyway
    /// (with a warning); `profile add` keeps it in the profile
    #[arg(long, global = true)]
    pub allow_http: bool,
}

// Which server: `wait` takes these without --timeout, which is its whole wait's.
#[derive(Args, Debug, Clone, Default)]
pub struct Place {
    /// The API server's root URL (default: the profile's, else https://www.kaltura.com)
    #[arg(long, env = "KALTURA_SERVICE_URL", value_name = "URL")]
    pub service_url: Option<String>,
    /// A Kaltura regional cloud; replaces --service-url and KALTURA_SERVICE_URL
    #[arg(long, value_enum, value_name = "REGION")]
    pub region: Option<RegionArg>,
}

/// Where the server is.
#[derive(Args, Debug, Clone)]
pub struct Server {
    #[command(flatten)]
    pub place: Place,
    /// Seconds allowed for one call (calls that send a file: 30 minutes)
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub timeout: u64,
}

/// The KS flags of the commands that send one.
#[derive(Args, Debug, Default)]
pub struct KsArgs {
    /// `-` reads the KS from stdin. A KS written here is refused (other users see
    /// command lines): without --ks or --ks-file the KS comes from KALTURA_KS, else
    /// the profile's session
    #[arg(long, value_name = "-", allow_hyphen_values = true)]
    pub ks: Option<String>,
    /// Read the KS from this file, which only you may read (`-`: stdin)
    #[arg(long, value_name = "FILE", conflicts_with = "ks")]
    pub ks_file: Option<PathBuf>,
}

impl KsArgs {
    /// Whether the KS is to be read from stdin.
    pub fn reads_stdin(&self) -> bool {
        self.ks.as_deref() == Some("-") || self.ks_file.as_deref() == Some(Path::new("-"))
    }

    /// The KS from --ks -, --ks-file or KALTURA_KS; `None` when none gives one.
    pub fn read(&self) -> Result<Option<Secret>> {
        secrets::read_ks(self.ks.as_deref(), self.ks_file.as_deref())
    }
}

// The partner: one flag, whose help each command words for what the partner is to it.
#[derive(Args, Debug)]
pub struct Partner {
    /// The partner (default: the profile's)
    #[arg(
        long,
        env = "KALTURA_PARTNER_ID",
        value_name = "ID",
        allow_negative_numbers = true
    )]
    pub partner_id: Option<i64>,
}

/// The help of --partner-id on the commands that send calls with a KS.
pub const ON_BEHALF: &str = "Act on behalf of this partner (sent as partnerId)";

// What a command that sends calls with a KS takes: the KS, the partner, the server.
#[derive(Args, Debug)]
#[command(mut_args(|a| reword(a, &[("partner_id", ON_BEHALF)])))]
pub struct Sending {
    #[command(flatten)]
    pub ks: KsArgs,
    #[command(flatten)]
    pub partner: Partner,
    #[command(flatten)]
    pub server: Server,
}

// Where the admin secret is read from before KALTURA_ADMIN_SECRET; `ks inspect` and
// `webhook` word it for themselves (they also fall back to the profile's secret).
#[derive(Args, Debug)]
pub struct SecretFile {
    /// Read the admin secret from this file (only you may read it) instead of
    /// KALTURA_ADMIN_SECRET
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
}

/// The help of --secret-file where the profile's admin secret comes after
/// KALTURA_ADMIN_SECRET.
pub const SECRET_FILE_OR_PROFILE: &str = "Read the admin secret from this file, which only you \
     may read (else KALTURA_ADMIN_SECRET, else the profile's admin secret)";

/// For `#[command(mut_args(..))]`: the help of the named arguments worded for one
/// command. In place, unlike `mut_arg`, which moves an argument to the end and so
/// changes the order completion scripts list the flags in.
pub fn reword(arg: Arg, words: &[(&str, &'static str)]) -> Arg {
    match words.iter().find(|(id, _)| arg.get_id() == *id) {
        Some((_, help)) => arg.help(*help),
        None => arg,
    }
}

// What a new session is asked for (`ks generate`, `session start`); what is not given
// comes from the profile. Each command words the help of these for itself.
#[derive(Args, Debug)]
pub struct SessionAsk {
    #[command(flatten)]
    pub partner: Partner,
    /// The session type (default: the profile's, else user)
    #[arg(long = "type", value_enum)]
    pub kind: Option<Kind>,
    /// The user id
    #[arg(long, value_name = "ID")]
    pub user: Option<String>,
    #[command(flatten)]
    pub limits: Limits,
}

// How long a new session lasts and what it may do (`login` asks for these alone).
#[derive(Args, Debug)]
pub struct Limits {
    /// Lifetime: seconds, or with a unit (90m, 12h, 7d)
    #[arg(long, value_name = "SECONDS", value_parser = units::parse_seconds)]
    pub expiry: Option<i64>,
    /// Privileges, e.g. 'disableentitlement'
    #[arg(long, value_name = "P")]
    pub privileges: Option<String>,
}

/// The `session start` flags for a session from an application token.
#[derive(Args, Debug)]
pub struct AppTokenArgs {
    /// Start the session from this application token id (appToken.startSession)
    /// instead of the admin secret; the token comes from KALTURA_APP_TOKEN,
    /// --app-token-file or a prompt
    #[arg(long, value_name = "ID", conflicts_with = "secret_file")]
    pub app_token: Option<String>,
    /// Read the application token from this file, which only you may read
    #[arg(long, value_name = "FILE", requires = "app_token")]
    pub app_token_file: Option<PathBuf>,
    /// The token's hash type, as it was made with
    #[arg(long, value_enum, value_name = "HASH", default_value_t = HashArg::Sha1, requires = "app_token")]
    pub hash_type: HashArg,
}
