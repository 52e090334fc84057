//! The `kaltura` command line. The binary is [`main`]; the rest is here so that its
//! unit tests and the binary compile it once (as modules of the binary too, it was
//! built twice, and a third time for the binary's tests).
//!
//! Public, for the fuzz target `cli_params` (`fuzz/`) and the corpus replay in
//! `tests/fuzz_corpus.rs`: the `name=value` / `a:b:c=value` parameter parser with its
//! errors, the checks of the files and folders secrets are kept in, and of service
//! URLs.

mod args;
mod choices;
mod cmd;
mod context;
mod dirs;
pub mod error;
mod output;
pub mod params;
mod profile;
mod raw_params;
mod region;
pub mod safe_fs;
mod secrets;
mod session_cache;
mod sessions;
pub mod suggest;
mod units;
pub mod urls;
mod wire;

use clap::{CommandFactory, Parser, Subcommand};
use cmd::{api, app_token, call, completion, ks, login, session, upload, wait, webhook};
use context::Context;
use error::{code, CliError, Result};
use std::io::Write;
use std::process::ExitCode;

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
    #[command(flatten)]
    global: args::Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Make or read a KS locally, without a server
    #[command(subcommand)]
    Ks(ks::KsCommand),
    /// Call any action of the API, checked against the API description first
    Call(call::CallArgs),
    /// Describe the API: services, actions, parameters, classes and enums
    Api(api::ApiArgs),
    /// Sessions on the server
    #[command(subcommand)]
    Session(session::SessionCommand),
    /// Log in with a login id and password (user.loginByLoginId) and print the KS
    Login(login::LoginArgs),
    /// Upload a file in chunks into a new upload token (or resume one) and print its id
    Upload(upload::UploadArgs),
    /// Wait until an entry is READY (or a flavor or caption asset, or an upload token,
    /// is done) and print it
    Wait(wait::WaitArgs),
    /// Application tokens: make, list and delete them (for an admin setting one up)
    #[command(subcommand)]
    AppToken(app_token::AppTokenCommand),
    /// Named profiles: server, partner, session defaults and where the secret comes from
    #[command(subcommand)]
    Profile(cmd::profile::ProfileCommand),
    /// HTTP notifications (webhooks): check a signature, or receive them locally
    #[command(subcommand)]
    Webhook(webhook::WebhookCommand),
    /// A local Kaltura server checked against the API description, for tests
    #[command(subcommand)]
    Mock(cmd::mock::MockCommand),
    /// Print a shell completion script (services, actions and parameters included)
    Completion(completion::CompletionArgs),
    /// Completion candidates for the last word (used by the completion scripts)
    #[command(name = "__complete", hide = true)]
    Complete(completion::CompleteArgs),
}

/// The `kaltura` command: parses the arguments, runs the command, prints an error and
/// its hints, and returns the exit code (the binary is this function).
pub fn main() -> ExitCode {
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

fn run(cli: Cli) -> Result<()> {
    let global = cli.global;
    if !global.fields.is_empty() && global.output.is_some_and(|m| m != output::Mode::Table) {
        return Err(CliError::usage("--fields applies to --output table"));
    }
    // Completion works even when the config file is broken, so it runs before the
    // profile is chosen.
    let command = match cli.command {
        Command::Completion(a) => return completion::run(a, Cli::command()),
        Command::Complete(a) => return completion::run_complete(a),
        other => other,
    };
    let active = profile::select(global.profile.as_deref())?;
    let ctx = Context::new(&global, active);
    match command {
        Command::Ks(c) => ks::run(&ctx, c),
        Command::Api(a) => api::run(&ctx, a),
        Command::Call(a) => block_on(call::run(&ctx, a)),
        Command::Session(c) => block_on(session::run(&ctx, c)),
        Command::Login(a) => block_on(login::run(&ctx, a)),
        Command::Upload(a) => block_on(upload::run(&ctx, a)),
        Command::Wait(a) => block_on(wait::run(&ctx, a)),
        Command::AppToken(c) => block_on(app_token::run(&ctx, c)),
        Command::Profile(c) => cmd::profile::run(&ctx, c),
        Command::Webhook(c) => webhook::run(&ctx, c),
        Command::Mock(c) => cmd::mock::run(&ctx, c),
        Command::Completion(_) | Command::Complete(_) => Ok(()),
    }
}

/// The async commands run on a runtime of one thread: they wait on the server, one
/// call at a time.
fn block_on<F: std::future::Future<Output = Result<()>>>(f: F) -> Result<()> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Local(format!("cannot start the async runtime: {e}")))?
        .block_on(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
