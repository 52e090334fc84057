//! `kaltura mock serve`: a local Kaltura server (the `kaltura-mock` crate) for trying
//! the command line and for testing programs in any language against. It checks each
//! request against the API description, keeps what is added in memory, and answers
//! JSON or XML as the client asks.

use crate::context::Context;
use crate::error::{CliError, Result};
use crate::secrets;
use clap::{Args, Subcommand};
use kaltura_mock::{FaultRule, MockServer, UserSpec};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

const SERVE_HELP: &str = "\
Listens on 127.0.0.1 only and prints its service URL on stdout, then serves until
stopped. Each request is checked against the API description and answered with the
server's errors; what is added is kept in memory until it stops (with --state, in a
file between runs). Secrets are read from
files that only you may read (or KALTURA_ADMIN_SECRET and KALTURA_USER_SECRET), never
from the command line.

A users file has one user a line: `USER_ID LOGIN_ID PASSWORD [admin]`; those users can
log in with user.loginByLoginId. Keep it private like a secret.

Faults (--fault, repeatable): [SERVICE.ACTION=]FAULT[xN|@P], FAULT one of latency:MS,
status:CODE, html:CODE, reset, close, truncated; xN for the first N matching requests,
@P at random with probability P (drawn from --seed).

Examples:
  kaltura mock serve --port 8080 --partner-id 1234 --admin-secret-file secret.txt
  kaltura mock serve --port 0 --partner-id 1234 --admin-secret-file s.txt --fault media.list=status:503x1";

#[derive(Subcommand, Debug)]
pub enum MockCommand {
    /// Serve a local Kaltura API checked against the API description
    #[command(after_help = SERVE_HELP)]
    Serve(ServeArgs),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The port on 127.0.0.1 (0: any free one)
    #[arg(long, value_name = "N", default_value_t = 0)]
    port: u16,
    /// The partner served
    #[arg(long, value_name = "ID", allow_negative_numbers = true)]
    partner_id: i64,
    /// Read the partner's admin secret from this file (else KALTURA_ADMIN_SECRET)
    #[arg(long, value_name = "FILE")]
    admin_secret_file: Option<PathBuf>,
    /// Read the partner's user secret from this file (else KALTURA_USER_SECRET; without
    /// one, only the admin secret starts sessions)
    #[arg(long, value_name = "FILE")]
    user_secret_file: Option<PathBuf>,
    /// Users who can log in (see below)
    #[arg(long, value_name = "FILE")]
    users_file: Option<PathBuf>,
    /// A fault to apply (see below); repeatable
    #[arg(long, value_name = "RULE")]
    fault: Vec<String>,
    /// Seed of the random faults
    #[arg(long, value_name = "N", default_value_t = 1)]
    seed: u64,
    /// Milliseconds an entry stays PRECONVERT after its content is added
    #[arg(long, value_name = "MS", default_value_t = 0)]
    ready_after: u64,
    /// READY entries to make at start (`entry 1`, `entry 2`, ...)
    #[arg(long, value_name = "N", default_value_t = 0)]
    entries: usize,
    /// Keep the state in FILE between runs: read at start when it exists, written within
    /// 100 ms of each call (readable by you only: it holds users' passwords)
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Enforce entitlement for the partner, as accounts with the entitlement feature do
    /// (a KS with `disableentitlement` lifts it)
    #[arg(long)]
    entitlement: bool,
}

pub fn run(ctx: &Context, command: MockCommand) -> Result<()> {
    match command {
        MockCommand::Serve(a) => serve(ctx, a),
    }
}

fn users(path: &std::path::Path, partner_id: i64) -> Result<Vec<UserSpec>> {
    let text = secrets::read(&secrets::Source {
        file: Some(path),
        env: "KALTURA_MOCK_USERS",
        prompt: None,
        what: "users file",
        profile: None,
    })?;
    let mut out = Vec::new();
    for (n, line) in text.expose().lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [] => {}
            [id, login, password] | [id, login, password, _] => {
                let admin = words
                    .get(3)
                    .is_some_and(|w| w.eq_ignore_ascii_case("admin"));
                out.push(
                    UserSpec::new(partner_id, *id)
                        .login(*login, *password)
                        .admin(admin),
                );
            }
            _ => {
                return Err(CliError::usage(format!(
                    "users file, line {}: expected `USER_ID LOGIN_ID PASSWORD [admin]`",
                    n + 1
                )))
            }
        }
    }
    Ok(out)
}

fn serve(ctx: &Context, a: ServeArgs) -> Result<()> {
    let admin = ctx.admin_secret(a.admin_secret_file.as_deref(), false)?;
    let user = secrets::read_optional(&secrets::Source {
        file: a.user_secret_file.as_deref(),
        env: "KALTURA_USER_SECRET",
        prompt: None,
        what: "user secret",
        profile: None,
    })?;
    let mut builder = MockServer::builder()
        .partner(
            a.partner_id,
            admin.expose(),
            user.as_ref().map_or("", |s| s.expose()),
        )
        .port(a.port)
        .seed(a.seed)
        .ready_after(Duration::from_millis(a.ready_after))
        .seed_entries(a.entries)
        .entitlement(a.partner_id, a.entitlement);
    if let Some(path) = &a.state {
        // Read once here, so that a bad file is reported as such, not as a failed start.
        kaltura_mock::store::persist::load(path)
            .map_err(|e| CliError::usage(format!("--state {e}")))?;
        builder = builder.state_file(path);
    }
    if let Some(path) = &a.users_file {
        for u in users(path, a.partner_id)? {
            builder = builder.user(u);
        }
    }
    for rule in &a.fault {
        let rule = FaultRule::parse(rule).map_err(|e| CliError::usage(format!("--fault {e}")))?;
        builder = builder.fault(rule);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Local(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async move {
        let mock = builder
            .start()
            .await
            .map_err(|e| CliError::Local(format!("cannot listen on 127.0.0.1:{}: {e}", a.port)))?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", mock.url())
            .and_then(|_| out.flush())
            .map_err(|e| CliError::Local(format!("cannot write the URL: {e}")))?;
        drop(out);
        eprintln!(
            "kaltura mock: serving partner {} on {} (stop with Ctrl-C)",
            a.partner_id,
            mock.url()
        );
        mock.wait().await;
        Ok(())
    })
}
