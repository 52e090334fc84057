//! `kaltura`: the command line of kaltura-rs.
//!
//! Local KS work (`ks generate`, `ks inspect`), any API action checked against the
//! generated API description before it is sent (`call`), the description itself
//! (`api`), sessions (`session start`, `login`) and resumable chunked uploads
//! (`upload`). Usage is in `kaltura --help` and each command's `--help`.

mod api_cmd;
mod app_token_cmd;
mod choices;
mod complete;
mod dirs;
mod error;
mod ks_cmd;
mod output;
mod params;
mod profile;
mod raw_params;
mod region;
mod safe_fs;
mod secrets;
mod session_cache;
mod suggest;
mod units;
mod upload_cmd;
mod urls;
mod wait_cmd;
mod webhook_cmd;
mod wire;

use choices::Kind;
use clap::{Args, Parser, Subcommand, ValueEnum};
use error::{code, CliError, Result};
use kaltura_ks::{AdminSecret, KsVersion, SessionType};
use kaltura_runtime::{Client, Secret};
use serde_json::{Map, Value};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Duration;

const TOP_HELP: &str = "\
Examples:
  export KALTURA_ADMIN_SECRET=...            # never on the command line
  export KALTURA_KS=$(kaltura ks generate --partner-id 1234567 --type admin)
  kaltura call media list filter:nameLike=intro pager:pageSize=5
  kaltura api media list
  kaltura upload video.mp4 --chunk-size 5MB

With a profile (`kaltura profile --help`) the server, partner and secret source are
remembered and the session is cached and renewed:
  kaltura profile add prod --partner-id 1234567 --secret-command 'pass show kaltura' --default
  kaltura session start && kaltura call media list --all --output table

Environment:
  KALTURA_SERVICE_URL   the API server (default https://www.kaltura.com)
  KALTURA_KS            the KS sent with calls (or --ks-file FILE, or --ks - for stdin)
  KALTURA_PARTNER_ID    the partner id (--partner-id)
  KALTURA_ADMIN_SECRET  the admin secret (ks generate, ks inspect, session start)
  KALTURA_PASSWORD      the password (login)
  KALTURA_APP_TOKEN     an application token's value (session start --app-token)
  KALTURA_PROFILE       the profile to use (--profile); see `kaltura profile --help`
Secrets, passwords and KS tokens are read from the environment, a file only you can
read, stdin or a prompt without echo, never from the command line (other users see
it), and are never printed. They are not sent to a plain http:// server other than
this machine unless --allow-http is given.

Exit codes:
  0  success
  1  a local failure after the checks (writing the output, reading a file)
  2  usage error, caught before anything is sent: a bad flag, an unknown service,
     action, parameter, property or class, a value of the wrong type, a missing
     required parameter, no secret given
  3  the server answered with a Kaltura API error; its code and message are printed
  4  transport error: no connection, a timeout, an HTTP error status, or an answer
     that is not API JSON (an HTML page)
  5  KS error: a KS or admin secret that cannot be made, read or checked
";

#[derive(Parser, Debug)]
#[command(
    name = "kaltura",
    version,
    about = "Command line for the Kaltura video platform API",
    after_help = TOP_HELP
)]
struct Cli {
    /// How results are printed (default: a table on a terminal, else JSON)
    #[arg(long, short, global = true, value_enum, value_name = "FORMAT")]
    output: Option<output::Mode>,
    /// Table columns, comma-separated (default: a few useful ones)
    #[arg(
        long,
        global = true,
        alias = "columns",
        value_delimiter = ',',
        value_name = "NAMES"
    )]
    fields: Vec<String>,
    /// Print every request and answer on stderr (KS, secrets and passwords blanked)
    #[arg(long, global = true)]
    debug: bool,
    /// The profile (server, partner, session defaults, secret source) to use
    #[arg(long, global = true, env = profile::PROFILE_ENV, value_name = "NAME")]
    profile: Option<String>,
    /// Send the KS and secrets to a plain http:// server on another machine anyway
    /// (with a warning); `profile add` keeps it in the profile
    #[arg(long, global = true)]
    allow_http: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Make or read a KS locally, without a server
    #[command(subcommand)]
    Ks(KsCommand),
    /// Call any action of the API, checked against the API description first
    Call(CallArgs),
    /// Describe the API: services, actions, parameters, classes and enums
    Api(ApiArgs),
    /// Sessions on the server
    #[command(subcommand)]
    Session(SessionCommand),
    /// Log in with a login id and password (user.loginByLoginId) and print the KS
    Login(LoginArgs),
    /// Upload a file in chunks into a new upload token (or resume one) and print its id
    Upload(UploadArgs),
    /// Wait until an entry is READY (or a flavor or caption asset, or an upload token,
    /// is done) and print it
    Wait(wait_cmd::WaitArgs),
    /// Application tokens: make, list and delete them (for an admin setting one up)
    #[command(subcommand)]
    AppToken(app_token_cmd::AppTokenCommand),
    /// Named profiles: server, partner, session defaults and where the secret comes from
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
    /// HTTP notifications (webhooks): check a signature, or receive them locally
    #[command(subcommand)]
    Webhook(webhook_cmd::WebhookCommand),
    /// Print a shell completion script (services, actions and parameters included)
    #[command(after_help = COMPLETION_HELP)]
    Completion {
        /// The shell
        #[arg(value_enum)]
        shell: complete::ShellArg,
    },
    /// Completion candidates for the last word (used by the completion scripts)
    #[command(name = "__complete", hide = true)]
    Complete {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        words: Vec<String>,
    },
}

const COMPLETION_HELP: &str = "\
Install:
  bash:        kaltura completion bash > ~/.local/share/bash-completion/completions/kaltura
  zsh:         kaltura completion zsh > \"${fpath[1]}/_kaltura\"
  fish:        kaltura completion fish > ~/.config/fish/completions/kaltura.fish
  PowerShell:  kaltura completion powershell >> $PROFILE

bash and fish also complete services, actions, parameter names (with the properties
of `filter:` and other objects) and enum values from the API description.";

#[derive(Subcommand, Debug)]
enum KsCommand {
    /// Print a KS signed (v1) or encrypted (v2) with the admin secret
    Generate(GenerateArgs),
    /// Show what a KS holds; with the admin secret, check its signature
    Inspect(InspectArgs),
}

#[derive(Subcommand, Debug)]
enum SessionCommand {
    /// Start a session with the admin secret (session.start) or an application token
    /// (--app-token) and print the KS
    Start(SessionStartArgs),
    /// Show the profile's cached session: partner, type, user, expiry
    Show(SessionShowArgs),
    /// End the profile's cached session on the server (session.end) and forget it
    End(SessionEndArgs),
}

#[derive(Args, Debug)]
struct SessionShowArgs {
    /// Print the KS itself
    #[arg(long)]
    print_ks: bool,
}

#[derive(Args, Debug)]
struct SessionEndArgs {
    #[command(flatten)]
    server: Server,
}

/// Where the server is.
#[derive(Args, Debug)]
struct Server {
    /// The API server's root URL (default: the profile's, else https://www.kaltura.com)
    #[arg(long, env = "KALTURA_SERVICE_URL", value_name = "URL")]
    service_url: Option<String>,
    /// A Kaltura regional cloud; replaces --service-url and KALTURA_SERVICE_URL
    #[arg(long, value_enum, value_name = "REGION")]
    region: Option<region::RegionArg>,
    /// Seconds allowed for one call (calls that send a file: 30 minutes)
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    timeout: u64,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// Signed; its fields are readable by anyone
    V1,
    /// Encrypted; only the partner id is readable without the secret
    V2,
}

const GENERATE_HELP: &str = "\
The admin secret comes from --secret-file, KALTURA_ADMIN_SECRET or a prompt; never from
the command line. The KS is the only output, so it can be captured:

Examples:
  export KALTURA_KS=$(kaltura ks generate --partner-id 1234567 --type admin)
  kaltura ks generate --partner-id 1234567 --user bob --expiry 2h --privileges 'edit:0_abc'
  kaltura ks generate --partner-id 1234567 --format v1 --secret-file ~/.kaltura-secret";

#[derive(Args, Debug)]
#[command(after_help = GENERATE_HELP)]
struct GenerateArgs {
    /// The partner the KS is for (default: the profile's)
    #[arg(
        long,
        env = "KALTURA_PARTNER_ID",
        value_name = "ID",
        allow_negative_numbers = true
    )]
    partner_id: Option<i64>,
    /// The session type (default: the profile's, else user)
    #[arg(long = "type", value_enum)]
    kind: Option<Kind>,
    /// The user id (none: anonymous)
    #[arg(long, value_name = "ID")]
    user: Option<String>,
    /// Lifetime: seconds, or with a unit (90m, 12h, 7d) (default: the profile's, else a day)
    #[arg(
        long,
        value_name = "SECONDS",
        value_parser = units::parse_seconds,
        allow_hyphen_values = true
    )]
    expiry: Option<i64>,
    /// Privileges, e.g. 'disableentitlement,edit:0_abc'
    #[arg(long, value_name = "P")]
    privileges: Option<String>,
    /// The KS format
    #[arg(long, value_enum, default_value_t = Format::V2)]
    format: Format,
    /// Read the admin secret from this file (only you may read it) instead of
    /// KALTURA_ADMIN_SECRET
    #[arg(long, value_name = "FILE")]
    secret_file: Option<PathBuf>,
    /// Also keep the KS as the profile's session, used by later calls
    #[arg(long)]
    cache: bool,
}

const INSPECT_HELP: &str = "\
Without the secret, a v1 KS shows its (unverified) fields and a v2 KS only its partner.
With the secret (--secret-file or KALTURA_ADMIN_SECRET) every field is read and the
signature checked; a KS that does not match the secret exits with code 5.

The KS comes from stdin (`-`), a file (--ks-file), KALTURA_KS or the profile's cached
session, never from the command line itself, where other users would see it.

Examples:
  kaltura ks inspect                          # KALTURA_KS, else the profile's session
  pbpaste | kaltura ks inspect -
  kaltura ks inspect --ks-file ks.txt --secret-file ~/.kaltura-secret --json";

#[derive(Args, Debug)]
#[command(after_help = INSPECT_HELP)]
struct InspectArgs {
    /// `-` reads the KS from stdin (default: KALTURA_KS, else the profile's cached
    /// session); a KS written here is refused
    #[arg(value_name = "-", allow_hyphen_values = true)]
    ks: Option<String>,
    /// Read the KS from this file, which only you may read (`-`: stdin)
    #[arg(long, value_name = "FILE", conflicts_with = "ks")]
    ks_file: Option<PathBuf>,
    /// Read the admin secret from this file, which only you may read (else
    /// KALTURA_ADMIN_SECRET, else the profile's admin secret, if any)
    #[arg(long, value_name = "FILE")]
    secret_file: Option<PathBuf>,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
}

const CALL_HELP: &str = "\
Parameters are NAME=VALUE. Properties of objects use colons, to any depth:
  filter:nameLike=intro            a property of the `filter` parameter
  filter:objectType=KalturaX       the object's class (a subclass of the declared one)
  entries:0:objectType=...         items of an array, numbered from 0
  entry:description=__null         clears a property
  fileData=@video.mp4              sends a file
Names, types, classes and enum values (constant name or value) are checked against the
API description before anything is sent; `kaltura api SERVICE ACTION` lists them.

Output: JSON by default when stdout is not a terminal, a table on a terminal; choose
with --output json|table|yaml|ids|raw and the table's columns with --fields. Tables
name enum values (READY, VIDEO). --all pages through a list action and prints every
object. Actions that serve a file write it to --out FILE or to a redirected stdout.

Examples:
  kaltura call media list filter:objectType=KalturaMediaEntryFilter filter:nameLike=intro pager:pageSize=5
  kaltura call media list filter:mediaTypeEqual=VIDEO --output table --fields id,name,duration
  kaltura call media list --all --output ids | xargs -n1 echo
  kaltura call media update entryId=0_abc mediaEntry:tags=a,b mediaEntry:description=__null
  kaltura call media get entryId=0_abc | jq .name
  kaltura call thumbAsset serve thumbAssetId=0_xyz --out thumb.jpg
  echo '{\"entryId\": \"0_abc\"}' | kaltura call media get -      # parameters from stdin
  kaltura call session start partnerId=1234567 - < secret.txt      # secret=... from a file
  kaltura call media list filter:nameLike=intro --curl             # the request as curl
  kaltura call newService newAction a=1 --unchecked

Secrets are not taken from the command line, where other users see them: a parameter
named like one (secret, password, ks, token, privateKey, ...) goes on stdin (`-`), and
the KS sent with the call comes from KALTURA_KS, --ks-file FILE or the profile's
session. Error messages name parameters, never repeat their values.";

#[derive(Args, Debug)]
#[command(after_help = CALL_HELP)]
struct CallArgs {
    /// The service (name or wire id), e.g. media, uploadToken
    service: String,
    /// The action, e.g. list, get, add
    action: String,
    /// The parameters, NAME=VALUE; `-` reads more from stdin, where secrets go
    #[arg(value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// Page through a list action (pager:pageIndex 1, 2, ...) and print every object
    #[arg(long)]
    all: bool,
    /// Print an equivalent curl command instead of sending (secrets blanked)
    #[arg(long)]
    curl: bool,
    /// With --curl: print the KS and secrets as they are
    #[arg(long, requires = "curl")]
    show_secrets: bool,
    /// Send the service, action and parameters as written, without checking them
    /// against the API description (for actions newer than this build); values go
    /// as strings
    #[arg(long)]
    unchecked: bool,
    /// Where to write a served file (thumbAsset.serve, ...)
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    ks: secrets::KsArgs,
    /// Act on behalf of this partner (sent as partnerId)
    #[arg(
        long,
        env = "KALTURA_PARTNER_ID",
        value_name = "ID",
        allow_negative_numbers = true
    )]
    partner_id: Option<i64>,
    #[command(flatten)]
    server: Server,
}

const API_HELP: &str = "\
Examples:
  kaltura api                          # the services: wire id, name, plugin, actions
  kaltura api media                    # the actions of a service
  kaltura api media list               # parameters (type, optional, default) and result
  kaltura api --types KalturaMediaEntry   # a class, inherited properties included
  kaltura api --types KalturaMediaType    # an enum's values
  kaltura api --json > api.json        # the same as data, e.g. to compare API versions";

#[derive(Args, Debug)]
#[command(after_help = API_HELP)]
struct ApiArgs {
    /// A service to describe
    service: Option<String>,
    /// An action of the service to describe
    action: Option<String>,
    /// Describe a class or an enum instead
    #[arg(long, value_name = "NAME", conflicts_with_all = ["service", "action"])]
    types: Option<String>,
    /// Print the description as JSON
    #[arg(long)]
    json: bool,
}

const SESSION_HELP: &str = "\
The admin secret comes from --secret-file (a file only you can read),
KALTURA_ADMIN_SECRET, the profile's secret source or a prompt without echo; never
from the command line. The KS is the only output. With a profile (--profile,
KALTURA_PROFILE or the default one) the session is also cached for it: later commands
use it without KALTURA_KS and renew it shortly before it expires, and only ever send
it to the server it came from. `kaltura session show` describes it, `kaltura session
end` ends it.

With --app-token ID the session comes from an application token instead
(session.startWidgetSession, then appToken.startSession with the token's hash): the
token comes from --app-token-file (a file only you can read), KALTURA_APP_TOKEN or a
prompt, never from the command line, and is never sent; --hash-type must be the one it was made with. The
token's own type, user and privileges win over --type, --user and --privileges.

Examples:
  export KALTURA_KS=$(kaltura session start --partner-id 1234567 --type admin)
  kaltura session start --partner-id 1234567 --user bob --expiry 1h --privileges disableentitlement
  KALTURA_APP_TOKEN=... kaltura session start --partner-id 1234567 --app-token 0_abc --hash-type sha256
  kaltura session start --partner-id 1234567 --app-token 0_abc --app-token-file ~/.app-token --region eu";

#[derive(Args, Debug)]
#[command(after_help = SESSION_HELP)]
struct SessionStartArgs {
    /// The partner (default: the profile's)
    #[arg(
        long,
        env = "KALTURA_PARTNER_ID",
        value_name = "ID",
        allow_negative_numbers = true
    )]
    partner_id: Option<i64>,
    /// The session type (default: the profile's, else user)
    #[arg(long = "type", value_enum)]
    kind: Option<Kind>,
    /// The user id
    #[arg(long, value_name = "ID")]
    user: Option<String>,
    /// Lifetime: seconds, or with a unit (90m, 12h, 7d); the server's default is a day
    #[arg(long, value_name = "SECONDS", value_parser = units::parse_seconds)]
    expiry: Option<i64>,
    /// Privileges, e.g. 'disableentitlement'
    #[arg(long, value_name = "P")]
    privileges: Option<String>,
    /// Read the admin secret from this file (only you may read it) instead of
    /// KALTURA_ADMIN_SECRET
    #[arg(long, value_name = "FILE")]
    secret_file: Option<PathBuf>,
    #[command(flatten)]
    app_token: app_token_cmd::AppTokenArgs,
    #[command(flatten)]
    server: Server,
}

const LOGIN_HELP: &str = "\
The password comes from KALTURA_PASSWORD or a prompt without echo; never from the
command line. The KS is the only output.

Examples:
  export KALTURA_KS=$(kaltura login --login-id bob@example.com --partner-id 1234567)";

#[derive(Args, Debug)]
#[command(after_help = LOGIN_HELP)]
struct LoginArgs {
    /// The login id, usually an e-mail address (default: the profile's)
    #[arg(long, value_name = "ID")]
    login_id: Option<String>,
    /// The partner, when the login has several
    #[arg(
        long,
        env = "KALTURA_PARTNER_ID",
        value_name = "ID",
        allow_negative_numbers = true
    )]
    partner_id: Option<i64>,
    /// Lifetime: seconds, or with a unit (90m, 12h, 7d)
    #[arg(long, value_name = "SECONDS", value_parser = units::parse_seconds)]
    expiry: Option<i64>,
    /// Privileges (the server's default is '*')
    #[arg(long, value_name = "P")]
    privileges: Option<String>,
    #[command(flatten)]
    server: Server,
}

const UPLOAD_HELP: &str = "\
Creates an upload token (uploadToken.add) and sends the file in chunks
(uploadToken.upload), streamed from disk. The token id is the only output; attach it
to an entry with e.g.
  kaltura call media addContent entryId=0_abc \\
    resource:objectType=KalturaUploadedFileTokenResource resource:token=TOKEN_ID
If an upload stops, --resume asks the server how much it holds and sends the rest.
A progress bar is shown on a terminal.

SIZE: bytes (1048576), decimal units (5MB) or binary units (512KiB, 8MiB).

Examples:
  kaltura upload video.mp4
  kaltura upload video.mp4 --chunk-size 5MB
  kaltura upload video.mp4 --resume 0_abc123def";

#[derive(Args, Debug)]
#[command(after_help = UPLOAD_HELP)]
struct UploadArgs {
    /// The file to upload
    file: PathBuf,
    /// Bytes per uploadToken.upload call
    #[arg(long, value_name = "SIZE", default_value = "10MiB", value_parser = units::parse_size)]
    chunk_size: u64,
    /// Continue the upload into this token from where the server stopped
    #[arg(long, value_name = "TOKEN_ID")]
    resume: Option<String>,
    #[command(flatten)]
    ks: secrets::KsArgs,
    /// Act on behalf of this partner (sent as partnerId)
    #[arg(
        long,
        env = "KALTURA_PARTNER_ID",
        value_name = "ID",
        allow_negative_numbers = true
    )]
    partner_id: Option<i64>,
    #[command(flatten)]
    server: Server,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let status = if e.use_stderr() {
                code::USAGE
            } else {
                code::OK
            };
            let _ = e.print();
            return ExitCode::from(status);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error: {e}");
            for hint in e.hints() {
                let _ = writeln!(err, "hint: {hint}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

static ACTIVE: OnceLock<Option<profile::Active>> = OnceLock::new();
static DEBUG: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static ALLOW_HTTP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static OUTPUT: OnceLock<(Option<output::Mode>, Vec<String>)> = OnceLock::new();

/// The --output chosen, else `default`.
fn output_mode(default: output::Mode) -> output::Mode {
    OUTPUT.get().and_then(|o| o.0).unwrap_or(default)
}

fn output_fields() -> &'static [String] {
    OUTPUT.get().map_or(&[], |o| o.1.as_slice())
}

/// The --output chosen, else a table on a terminal and JSON otherwise.
fn output_mode_for_terminal() -> output::Mode {
    output_mode(if std::io::stdout().is_terminal() {
        output::Mode::Table
    } else {
        output::Mode::Json
    })
}

/// Prints a result in the chosen output mode.
fn emit_value(value: &Value, default: output::Mode) -> Result<()> {
    let text = output::render(
        value,
        output_mode(default),
        output_fields(),
        Some(kaltura_metadata::api()),
    );
    emit(text.as_bytes())
}

/// The profile chosen for this run, if any.
pub(crate) fn active_profile() -> Option<&'static profile::Active> {
    ACTIVE.get().and_then(Option::as_ref)
}

fn active_settings() -> Option<&'static profile::Profile> {
    active_profile().map(|a| &a.profile)
}

fn run(cli: Cli) -> Result<()> {
    if !cli.fields.is_empty() && cli.output.is_some_and(|m| m != output::Mode::Table) {
        return Err(CliError::usage("--fields applies to --output table"));
    }
    let _ = OUTPUT.set((cli.output, cli.fields.clone()));
    DEBUG.store(cli.debug, std::sync::atomic::Ordering::Relaxed);
    ALLOW_HTTP.store(cli.allow_http, std::sync::atomic::Ordering::Relaxed);
    // Completion works even when the config file is broken.
    match cli.command {
        Command::Completion { shell } => {
            use clap::CommandFactory;
            return emit(&complete::script(shell, Cli::command()));
        }
        Command::Complete { words } => return complete::run(&words),
        _ => {}
    }
    let active = profile::select(cli.profile.as_deref())?;
    let _ = ACTIVE.set(active);
    match cli.command {
        Command::Ks(KsCommand::Generate(a)) => ks_generate(a),
        Command::Ks(KsCommand::Inspect(a)) => ks_inspect(a),
        Command::Api(a) => api(a),
        Command::Call(a) => block_on(call(a)),
        Command::Session(SessionCommand::Start(a)) => block_on(session_start(a)),
        Command::Session(SessionCommand::Show(a)) => session_show(a),
        Command::Session(SessionCommand::End(a)) => block_on(session_end(a)),
        Command::Login(a) => block_on(login(a)),
        Command::Upload(a) => block_on(upload(a)),
        Command::Wait(a) => block_on(wait_cmd::run(a)),
        Command::AppToken(c) => block_on(app_token_cmd::run(c)),
        Command::Profile(c) => profile::run(c, active_profile(), cli.allow_http),
        Command::Webhook(c) => webhook_cmd::run(c),
        Command::Completion { .. } | Command::Complete { .. } => Ok(()),
    }
}

fn block_on<F: std::future::Future<Output = Result<()>>>(f: F) -> Result<()> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Local(format!("cannot start the async runtime: {e}")))?
        .block_on(f)
}

/// Writes to stdout; a closed pipe (`kaltura ... | head`) is not an error.
fn emit(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Local(format!("cannot write the output: {e}"))),
    }
}

fn emit_line(text: &str) -> Result<()> {
    emit(format!("{text}\n").as_bytes())
}

fn admin_secret(file: Option<&std::path::Path>, prompt: bool) -> Result<AdminSecret> {
    let text = secrets::read(&secrets::Source {
        file,
        env: secrets::ADMIN_SECRET_ENV,
        prompt: prompt.then_some("Admin secret: "),
        what: "admin secret",
        profile: active_settings(),
    })?;
    Ok(AdminSecret::new(text.into_inner())?)
}

fn partner_id(given: Option<i64>) -> Option<i64> {
    given.or_else(|| active_settings().and_then(|p| p.partner_id))
}

fn require_partner_id(given: Option<i64>) -> Result<i64> {
    partner_id(given).ok_or_else(|| {
        CliError::usage(
            "no partner id: pass --partner-id, set KALTURA_PARTNER_ID, or use a profile \
             that has one (`kaltura profile add NAME --partner-id ID`)",
        )
    })
}

fn session_kind(given: Option<Kind>) -> Kind {
    given
        .or_else(|| active_settings().and_then(profile::Profile::kind))
        .unwrap_or(Kind::User)
}

fn or_profile<T: Clone>(
    given: Option<T>,
    pick: impl Fn(&profile::Profile) -> &Option<T>,
) -> Option<T> {
    given.or_else(|| active_settings().and_then(|p| pick(p).clone()))
}

fn ks_generate(a: GenerateArgs) -> Result<()> {
    let partner_id = require_partner_id(a.partner_id)?;
    if a.cache && active_profile().is_none() {
        return Err(CliError::usage(
            "--cache keeps the KS for a profile; choose one with --profile NAME",
        ));
    }
    let secret = admin_secret(a.secret_file.as_deref(), true)?;
    let expiry = or_profile(a.expiry, |p| &p.expiry).unwrap_or(86400);
    let ks = ks_cmd::generate(
        &ks_cmd::Generate {
            partner_id,
            session_type: session_kind(a.kind).session_type(),
            user: or_profile(a.user, |p| &p.user),
            expiry_seconds: expiry,
            privileges: or_profile(a.privileges, |p| &p.privileges),
            version: match a.format {
                Format::V1 => KsVersion::V1,
                Format::V2 => KsVersion::V2,
            },
        },
        &secret,
    )?;
    if a.cache {
        let now = ks_cmd::now();
        remember(
            &service_url_of(None),
            Some(partner_id),
            &Secret::from(&ks),
            session_cache::expiry_of(ks.expose(), Some(&secret), now + expiry),
        )?;
    }
    emit_value(&Value::String(ks.expose().to_string()), output::Mode::Raw)
}

fn ks_inspect(a: InspectArgs) -> Result<()> {
    let secret = secrets::read_optional(&secrets::Source {
        file: a.secret_file.as_deref(),
        env: secrets::ADMIN_SECRET_ENV,
        prompt: None,
        what: "admin secret",
        profile: active_settings(),
    })?
    .map(|s| AdminSecret::new(s.into_inner()))
    .transpose()?;
    let ks = match secrets::read_ks(a.ks.as_deref(), a.ks_file.as_deref())? {
        Some(ks) => ks,
        None => match active_profile().and_then(|p| session_cache::load(&p.name)) {
            Some(cached) => cached.ks,
            None => {
                return Err(CliError::usage(
                    "no KS given: pipe it in with `kaltura ks inspect -`, pass --ks-file \
                     FILE, set KALTURA_KS, or start a profile's session \
                     (`kaltura session start`)",
                ))
            }
        },
    };
    let json = a.json || output_mode(output::Mode::Table) == output::Mode::Json;
    let report = ks_cmd::inspect(ks.expose(), secret.as_ref(), json, ks_cmd::now())?;
    emit(report.text.as_bytes())?;
    if report.signature_failed {
        return Err(CliError::Ks(
            "the KS does not match the admin secret".into(),
        ));
    }
    Ok(())
}

fn api(a: ApiArgs) -> Result<()> {
    let query = match (&a.types, &a.service, &a.action) {
        (Some(t), _, _) => api_cmd::Query::Type(t),
        (None, None, _) => api_cmd::Query::Services,
        (None, Some(s), None) => api_cmd::Query::Service(s),
        (None, Some(s), Some(act)) => api_cmd::Query::Action(s, act),
    };
    let json = a.json || output_mode(output::Mode::Table) == output::Mode::Json;
    let text = api_cmd::run(kaltura_metadata::api(), query, json)?;
    emit(text.as_bytes())
}

const DEFAULT_SERVICE_URL: &str = "https://www.kaltura.com";

/// --region, else --service-url or KALTURA_SERVICE_URL, else the profile's region or
/// URL, else Kaltura's SaaS.
fn service_url_of(server: Option<&Server>) -> String {
    if let Some(r) = server.and_then(|s| s.region) {
        return r.region().service_url.to_string();
    }
    if let Some(url) = server.and_then(|s| s.service_url.clone()) {
        return url;
    }
    if let Some(p) = active_settings() {
        if let Some(r) = p.region() {
            return r.region().service_url.to_string();
        }
        if let Some(url) = &p.service_url {
            return url.clone();
        }
    }
    DEFAULT_SERVICE_URL.to_string()
}

/// Refuses to send `what` (the KS, the admin secret, ...) to a plain `http://` server
/// on another machine, where anyone on the way can read it, unless --allow-http or the
/// profile (for its own URL) allows it; then a warning says so, once a run.
fn guard_http(url: &str, what: &str) -> Result<()> {
    use std::sync::atomic::{AtomicBool, Ordering};
    static WARNED: AtomicBool = AtomicBool::new(false);
    if !urls::plain_http(url) {
        return Ok(());
    }
    if !http_allowed(url) {
        return Err(CliError::usage(format!(
            "refusing to send the {what} to {} over plain http://, where anyone on the way \
             can read it: use https://, or pass --allow-http (for a profile's own URL, \
             allow_http = true) to send it anyway",
            urls::shown(url)
        )));
    }
    if !WARNED.swap(true, Ordering::Relaxed) {
        eprintln!(
            "warning: sending the {what} to {} over plain http://, readable on the way \
             (--allow-http)",
            urls::shown(url)
        );
    }
    Ok(())
}

/// Whether --allow-http, or the profile for its own URL, lets secrets go to `url`
/// over plain http://.
fn http_allowed(url: &str) -> bool {
    ALLOW_HTTP.load(std::sync::atomic::Ordering::Relaxed)
        || active_settings().is_some_and(|p| p.allows_http_to(url))
}

fn client(server: &Server, ks: Option<&Secret>, partner_id: Option<i64>) -> Result<Client> {
    // The runtime client with the default transport, sending the apiVersion of the
    // metadata the calls are checked against.
    let url = service_url_of(Some(server));
    urls::check(&url)?;
    let ks = ks.filter(|k| !k.expose().is_empty());
    if ks.is_some() {
        guard_http(&url, "KS")?;
    }
    let split = urls::split_credentials(&url);
    let factory: kaltura_runtime::TransportFactory =
        if DEBUG.load(std::sync::atomic::Ordering::Relaxed) {
            wire::debug_transport
        } else {
            kaltura_reqwest::for_config
        };
    let mut builder = Client::builder(split.url)
        // The runtime refuses the same sends by itself; the user's word is passed on.
        .allow_insecure_http(http_allowed(&url))
        .api_version(kaltura_metadata::API_VERSION)
        .timeout(Duration::from_secs(server.timeout))
        .client_tag(format!("kaltura-cli:{}", env!("CARGO_PKG_VERSION")));
    builder = match split.authorization {
        // The URL's credentials travel as the header they stand for, so that no
        // request URL (which --debug prints) carries them.
        Some(value) => {
            let inner = factory(builder.config())?;
            builder.shared_transport(std::sync::Arc::new(urls::WithAuthorization {
                inner,
                value,
            }))
        }
        None => builder.default_transport(factory),
    };
    if let Some(ks) = ks {
        builder = builder.ks(ks.clone());
    }
    if let Some(p) = partner_id {
        builder = builder.partner_id(p);
    }
    Ok(builder.build()?)
}

/// A client with the KS given, else the profile's cached session, renewed first
/// when it is about to expire and the profile says how.
async fn client_with_session(
    server: &Server,
    ks: Option<&Secret>,
    partner_id: Option<i64>,
) -> Result<Client> {
    if let Some(ks) = ks.filter(|k| !k.expose().is_empty()) {
        return client(server, Some(ks), partner_id);
    }
    let ks = profile_session(server).await?;
    client(server, ks.as_ref(), partner_id)
}

/// The active profile's cached session when it was made for `url` (a KS is only
/// ever sent to the server it came from).
fn cached_for(url: &str) -> Option<Secret> {
    let active = active_profile()?;
    session_cache::load(&active.name)
        .filter(|c| c.fits(url, active.profile.partner_id))
        .map(|c| c.ks)
}

async fn profile_session(server: &Server) -> Result<Option<Secret>> {
    let Some(active) = active_profile() else {
        return Ok(None);
    };
    let url = service_url_of(Some(server));
    let partner = active.profile.partner_id;
    if let Some(cached) = session_cache::load(&active.name) {
        if cached.fits(&url, partner) && cached.usable_at(ks_cmd::now()) {
            return Ok(Some(cached.ks));
        }
    }
    if active.profile.auth.is_none() {
        return Ok(None);
    }
    let request = SessionRequest {
        partner_id: partner,
        kind: None,
        user: None,
        expiry: None,
        privileges: None,
        secret_file: None,
        app_token: None,
        login_id: None,
    };
    open_session(server, request).await.map(Some)
}

/// Keeps a session as the active profile's, when there is one.
fn remember(service_url: &str, partner_id: Option<i64>, ks: &Secret, expiry: i64) -> Result<()> {
    let Some(active) = active_profile() else {
        return Ok(());
    };
    session_cache::store(
        &active.name,
        &session_cache::Cached {
            ks: ks.clone(),
            expiry,
            created: ks_cmd::now(),
            service_url: service_url.to_string(),
            partner_id,
        },
    )
}

async fn call(a: CallArgs) -> Result<()> {
    // Before anything is read: a secret already on the command line is refused
    // without being repeated.
    secrets::refuse_on_command_line(&a.params, &a.service, &a.action)?;
    if a.ks.reads_stdin() && a.params.iter().any(|p| p == "-") {
        return Err(CliError::usage(
            "stdin holds either the parameters (`-`) or the KS (--ks -), not both; give \
             the KS in KALTURA_KS or --ks-file FILE",
        ));
    }
    let given_ks = a.ks.read()?;
    let args = raw_params::with_stdin(&a.params)?;
    let (service, action, params, files, file_params, serves_file, has_pager) = if a.unchecked {
        let (params, files) = raw_params::build(&args)?;
        let file_params = files
            .iter()
            .map(|(name, path)| (name.clone(), kaltura_runtime::FileParam::path(path)))
            .collect();
        let (service, action) = (a.service.clone(), a.action.clone());
        (service, action, params, files, file_params, false, true)
    } else {
        let call = params::build(kaltura_metadata::api(), &a.service, &a.action, &args)?;
        let serves = call.serves_file();
        let pager = call.action.params.iter().any(|p| p.name == "pager");
        let file_params = call.file_params();
        let (service, action) = (call.service.id.clone(), call.action.name.clone());
        (
            service,
            action,
            call.params,
            call.files,
            file_params,
            serves,
            pager,
        )
    };
    let stdout_is_terminal = std::io::stdout().is_terminal();
    if serves_file && a.out.is_none() && stdout_is_terminal && !a.curl {
        return Err(CliError::usage(format!(
            "{service}.{action} serves a file; write it with --out FILE or redirect stdout"
        )));
    }
    if a.all && !has_pager {
        return Err(CliError::usage(format!(
            "--all pages with pager:pageIndex, and {service}.{action} has no pager parameter"
        )));
    }
    let url = service_url_of(Some(&a.server));
    if a.curl {
        // Nothing is sent, so a cached KS is shown as it is, never renewed; and only
        // one made for this server, since the command is meant to be run.
        let ks = given_ks.or_else(|| cached_for(&url));
        let shown_url = if a.show_secrets {
            url
        } else {
            urls::shown(&url)
        };
        let request = wire::request(
            &shown_url,
            &service,
            &action,
            &params,
            ks.as_ref().map(Secret::expose),
            a.partner_id,
            files,
        );
        return emit_line(&wire::curl(&request, a.show_secrets));
    }
    if secrets::holds_secret(&Value::Object(params.clone())) {
        guard_http(&url, "secrets among the parameters")?;
    }
    let explicit_ks = given_ks.is_some();
    let ks = match given_ks {
        Some(k) => Some(k),
        None => profile_session(&a.server).await?,
    };
    let client = client(&a.server, ks.as_ref(), a.partner_id)?;
    // A profile's session the server no longer takes (ended elsewhere, or the clock
    // is off) is renewed once and the call repeated, when nothing but parameters is
    // sent and the profile knows how.
    let retry = (!explicit_ks && ks.is_some() && file_params.is_empty() && !a.all)
        .then(|| params.clone())
        .filter(|_| active_settings().is_some_and(|p| p.auth.is_some()));
    if serves_file {
        let file = client.call_served(&service, &action, params).await?;
        return match &a.out {
            Some(path) => std::fs::write(path, &file.bytes)
                .map_err(|e| CliError::Local(format!("cannot write {}: {e}", path.display()))),
            None => emit(&file.bytes),
        };
    }
    let result = if a.all {
        every_page(&client, &service, &action, params).await?
    } else {
        let mut result = client
            .call_json(&service, &action, params, file_params)
            .await;
        if let (Some(params), Err(kaltura_runtime::Error::Api(e))) = (retry, &result) {
            if matches!(e.code.as_str(), "EXPIRED_KS" | "INVALID_KS" | "KS_EXPIRED") {
                if let Some(active) = active_profile() {
                    session_cache::remove(&active.name)?;
                }
                let ks = profile_session(&a.server).await?;
                let client = self::client(&a.server, ks.as_ref(), a.partner_id)?;
                result = client
                    .call_json(&service, &action, params, Vec::new())
                    .await;
            }
        }
        result?
    };
    emit_value(&result, output_mode_for_terminal())
}

/// Pages through a list action and answers as one list response with every object,
/// each once: past the server's 10,000-match limit, the runtime narrows the filter by
/// the properties its class has (`createdAt…`, `id…` ranges), and a list it cannot
/// narrow fails rather than printing short.
async fn every_page(
    client: &Client,
    service: &str,
    action: &str,
    params: Map<String, Value>,
) -> Result<Value> {
    use futures_util::TryStreamExt;
    let api = kaltura_metadata::api();
    let declared = api.service(service).and_then(|s| s.action(action));
    let class = params
        .get("filter")
        .and_then(|f| f.get("objectType"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            declared
                .and_then(|a| a.param("filter"))
                .map(|p| p.ty.name())
        });
    let properties: Vec<&str> = class
        .map(|c| api.properties(&c).iter().map(|p| p.name.as_str()).collect())
        .unwrap_or_default();
    let size = params
        .get("pager")
        .and_then(|p| p.get("pageSize"))
        .and_then(Value::as_i64)
        .filter(|s| *s > 0)
        .unwrap_or(kaltura_runtime::pagination::MAX_PAGE_SIZE);
    let objects: Vec<Value> = kaltura_runtime::pagination::paginate_json(
        client,
        service,
        action,
        params,
        size,
        &properties,
    )
    .try_collect()
    .await?;
    let mut all = Map::new();
    if let Some(result) = declared.and_then(|a| a.result.as_ref()) {
        all.insert("objectType".into(), Value::from(result.name()));
    }
    all.insert("totalCount".into(), Value::from(objects.len()));
    all.insert("objects".into(), Value::Array(objects));
    Ok(Value::Object(all))
}

/// A call whose result is a KS string.
async fn ks_call(
    client: &Client,
    service: &str,
    action: &str,
    params: Map<String, Value>,
) -> Result<Secret> {
    match client
        .call_json(service, action, params, Vec::new())
        .await?
    {
        Value::String(ks) if !ks.is_empty() => Ok(Secret::new(ks)),
        _ => Err(CliError::Transport(format!(
            "{service}.{action} did not answer with a KS"
        ))),
    }
}

/// What a new session is asked for; what is not given comes from the profile.
struct SessionRequest {
    partner_id: Option<i64>,
    kind: Option<Kind>,
    user: Option<String>,
    expiry: Option<i64>,
    privileges: Option<String>,
    secret_file: Option<PathBuf>,
    app_token: Option<app_token_cmd::AppTokenArgs>,
    /// Log in with this login id and a password instead.
    login_id: Option<String>,
}

/// Starts a session by the means given, else the profile's (admin secret, password or
/// app token), keeps it as the profile's session and returns the KS.
async fn open_session(server: &Server, r: SessionRequest) -> Result<Secret> {
    let profile = active_settings();
    let auth = if r.app_token.is_some() {
        choices::Auth::AppToken
    } else if r.login_id.is_some() {
        choices::Auth::Password
    } else if r.secret_file.is_some() {
        choices::Auth::AdminSecret
    } else {
        profile
            .and_then(|p| p.auth)
            .unwrap_or(choices::Auth::AdminSecret)
    };
    let expiry = or_profile(r.expiry, |p| &p.expiry);
    let user = or_profile(r.user, |p| &p.user);
    let privileges = or_profile(r.privileges, |p| &p.privileges);
    let kind = session_kind(r.kind);
    let url = service_url_of(Some(server));
    urls::check(&url)?;
    // Checked before any secret is read, so that a refusal asks for nothing.
    guard_http(&url, auth.what())?;
    if active_profile().is_some() {
        session_cache::check_folder()?;
    }
    let client = client(server, None, None)?;
    let now = ks_cmd::now();
    let mut secret = None;
    // The server's word on the expiry, when it gives one (app-token sessions).
    let mut told_expiry = None;
    let (ks, partner) = match auth {
        choices::Auth::AppToken => {
            let partner_id = require_partner_id(r.partner_id)?;
            let args = match r.app_token {
                Some(a) => a,
                None => app_token_cmd::AppTokenArgs {
                    app_token: profile.and_then(|p| p.app_token_id.clone()),
                    app_token_file: None,
                    hash_type: profile
                        .and_then(|p| p.hash_type.as_deref())
                        .and_then(|h| choices::HashArg::from_str(h, true).ok())
                        .unwrap_or(choices::HashArg::Sha1),
                },
            };
            let ask = app_token_cmd::Ask {
                partner_id,
                session_type: kind.session_type(),
                user,
                expiry,
                privileges,
            };
            let (ks, expiry) = app_token_cmd::start_session(&client, &args, ask).await?;
            told_expiry = expiry;
            (ks, Some(partner_id))
        }
        choices::Auth::Password => {
            let login_id = or_profile(r.login_id, |p| &p.login_id).ok_or_else(|| {
                CliError::usage("no login id: pass --login-id or use a profile that has one")
            })?;
            let password = secrets::read(&secrets::Source {
                file: None,
                env: secrets::PASSWORD_ENV,
                prompt: Some("Password: "),
                what: "password",
                profile,
            })?;
            let partner_id = partner_id(r.partner_id);
            let mut params = Map::new();
            params.insert("loginId".into(), Value::String(login_id));
            params.insert("password".into(), Value::String(password.into_inner()));
            if let Some(p) = partner_id {
                params.insert("partnerId".into(), Value::from(p));
            }
            if let Some(expiry) = expiry {
                params.insert("expiry".into(), Value::from(expiry));
            }
            if let Some(p) = privileges {
                params.insert("privileges".into(), Value::String(p));
            }
            let ks = ks_call(&client, "user", "loginByLoginId", params).await?;
            (ks, partner_id)
        }
        choices::Auth::AdminSecret => {
            let partner_id = require_partner_id(r.partner_id)?;
            let s = admin_secret(r.secret_file.as_deref(), true)?;
            let mut params = Map::new();
            params.insert("secret".into(), Value::String(s.expose().to_string()));
            params.insert("partnerId".into(), Value::from(partner_id));
            params.insert("type".into(), Value::from(kind.session_type().code()));
            if let Some(user) = user {
                params.insert("userId".into(), Value::String(user));
            }
            if let Some(expiry) = expiry {
                params.insert("expiry".into(), Value::from(expiry));
            }
            if let Some(p) = privileges {
                params.insert("privileges".into(), Value::String(p));
            }
            secret = Some(s);
            let ks = ks_call(&client, "session", "start", params).await?;
            (ks, Some(partner_id))
        }
    };
    let until = told_expiry.unwrap_or_else(|| {
        session_cache::expiry_of(ks.expose(), secret.as_ref(), now + expiry.unwrap_or(86400))
    });
    remember(&url, partner, &ks, until)?;
    Ok(ks)
}

async fn session_start(a: SessionStartArgs) -> Result<()> {
    let app_token = a.app_token.app_token.is_some().then_some(a.app_token);
    let ks = open_session(
        &a.server,
        SessionRequest {
            partner_id: a.partner_id,
            kind: a.kind,
            user: a.user,
            expiry: a.expiry,
            privileges: a.privileges,
            secret_file: a.secret_file,
            app_token,
            login_id: None,
        },
    )
    .await?;
    emit_value(&Value::String(ks.expose().to_string()), output::Mode::Raw)
}

async fn login(a: LoginArgs) -> Result<()> {
    let login_id = or_profile(a.login_id, |p| &p.login_id).ok_or_else(|| {
        CliError::usage("no login id: pass --login-id or use a profile that has one")
    })?;
    let ks = open_session(
        &a.server,
        SessionRequest {
            partner_id: a.partner_id,
            kind: None,
            user: None,
            expiry: a.expiry,
            privileges: a.privileges,
            secret_file: None,
            app_token: None,
            login_id: Some(login_id),
        },
    )
    .await?;
    emit_value(&Value::String(ks.expose().to_string()), output::Mode::Raw)
}

fn cached_session() -> Result<(&'static profile::Active, session_cache::Cached)> {
    let active = active_profile().ok_or_else(|| {
        CliError::usage("no profile in use: choose one with --profile NAME or KALTURA_PROFILE")
    })?;
    let cached = session_cache::load(&active.name).ok_or_else(|| {
        CliError::usage(format!(
            "profile {} has no cached session; start one with `kaltura session start`",
            active.name
        ))
    })?;
    Ok((active, cached))
}

fn session_show(a: SessionShowArgs) -> Result<()> {
    let (active, cached) = cached_session()?;
    if a.print_ks {
        return emit_line(cached.ks.expose());
    }
    let now = ks_cmd::now();
    let mut rows = vec![
        ("profile", active.name.clone()),
        ("server", urls::shown(&cached.service_url)),
        (
            "partner",
            cached.partner_id.map(|p| p.to_string()).unwrap_or_default(),
        ),
    ];
    let ks = kaltura_ks::Ks::from(cached.ks.expose().to_string());
    match ks.inspect() {
        Ok(kaltura_ks::Inspection::V1(f)) => {
            rows.push(("format", "v1".into()));
            rows.push((
                "type",
                f.session_type()
                    .map(|t| {
                        if t == SessionType::Admin {
                            "admin"
                        } else {
                            "user"
                        }
                    })
                    .unwrap_or("?")
                    .into(),
            ));
            rows.push(("user", f.user_id().unwrap_or("").into()));
            rows.push(("privileges", f.privileges_str().unwrap_or("").into()));
        }
        Ok(_) => rows.push(("format", "v2 (fields encrypted)".into())),
        Err(_) => rows.push(("format", "not a KS this tool can read".into())),
    }
    rows.push((
        "expires",
        units::rfc3339(cached.expiry).unwrap_or_else(|| cached.expiry.to_string()),
    ));
    let left = cached.expiry - now;
    rows.push((
        "left",
        if left > 0 {
            units::format_span(left as u64)
        } else {
            "expired".into()
        },
    ));
    rows.push((
        "renewal",
        match active.profile.auth {
            Some(a) => format!("automatic, with the {}", a.what()),
            None => "none: the profile names no secret".into(),
        },
    ));
    if output_mode(output::Mode::Table) != output::Mode::Table {
        let map: Map<String, Value> = rows
            .into_iter()
            .map(|(k, v)| (k.to_string(), Value::String(v)))
            .collect();
        return emit_value(&Value::Object(map), output::Mode::Table);
    }
    let mut text = String::new();
    for (k, v) in rows {
        text.push_str(format!("{k:<11}{v}").trim_end());
        text.push('\n');
    }
    emit(text.as_bytes())
}

async fn session_end(a: SessionEndArgs) -> Result<()> {
    let (active, cached) = cached_session()?;
    // The KS goes back only to the server that made it, as for every other call: a
    // --service-url (or KALTURA_SERVICE_URL) naming another one would receive a
    // working session.
    let url = service_url_of(Some(&a.server));
    if !cached.fits(&url, None) {
        return Err(CliError::usage(format!(
            "the session of profile {} was started on {}; refusing to send it to {} \
             (leave out --service-url, --region and KALTURA_SERVICE_URL, or name that server)",
            active.name,
            urls::shown(&cached.service_url),
            urls::shown(&url)
        )));
    }
    let client = client(&a.server, Some(&cached.ks), None)?;
    let ended = client
        .call_json("session", "end", Map::new(), Vec::new())
        .await;
    // An expired or already ended session is as good as ended.
    session_cache::remove(&active.name)?;
    match ended {
        Ok(_) => Ok(()),
        Err(kaltura_runtime::Error::Api(e))
            if matches!(e.code.as_str(), "EXPIRED_KS" | "INVALID_KS" | "KS_EXPIRED") =>
        {
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

async fn upload(a: UploadArgs) -> Result<()> {
    let ks = a.ks.read()?;
    let client = client_with_session(&a.server, ks.as_ref(), a.partner_id).await?;
    let token = upload_cmd::run(
        &client,
        &upload_cmd::Upload {
            file: a.file,
            chunk_size: a.chunk_size,
            resume: a.resume,
            progress: std::io::stderr().is_terminal(),
        },
    )
    .await?;
    emit_line(&token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
