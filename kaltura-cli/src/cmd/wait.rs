//! `kaltura wait`: until an entry is READY, a flavor or caption asset converted, or an
//! upload token's file whole, with the runtime's [`Waiter`]; each change of state on
//! stderr, the object on stdout at the end.

use crate::args::{self, KsArgs, Partner, Place, Server, ON_BEHALF};
use crate::context::Context;
use crate::error::{CliError, Result};
use crate::{sessions, units};
use clap::{Args, ValueEnum};
use kaltura_runtime::waiter::{Status, WaitError, Waiter};
use kaltura_runtime::Client;
use serde_json::Value;
use std::io::Write;
use std::time::Duration;

const WAIT_HELP: &str = "\
Asks for the object again and again (baseEntry.get, flavorAsset.get, captionAsset.get,
uploadToken.get), waiting --interval after the first ask and twice as long after each
next one, up to 30s, until its status says it is done (READY; an upload token's
FULL_UPLOAD or CLOSED), that it never will be (ERROR_CONVERTING, ERROR_IMPORTING,
DELETED, BLOCKED, NOT_APPLICABLE, TIMED_OUT, ...), or --timeout has passed. Each new
state is printed on stderr; the object, once done, on stdout.

Exit codes: 0 done; 1 the object failed or the time ran out (the message names the
state); 3 an API error (ENTRY_ID_NOT_FOUND, ...); 4 a transport error.

Examples:
  kaltura wait entry 0_abc123 --timeout 30m
  kaltura wait flavor 0_fl4v0r --interval 10s
  kaltura wait upload-token 0_t0k3n && kaltura call media addContent ...";

/// What is waited for.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An entry, until READY
    Entry,
    /// A flavor asset, until READY
    Flavor,
    /// A caption asset (caption plugin), until READY
    Caption,
    /// An upload token, until its file is whole (FULL_UPLOAD or CLOSED)
    UploadToken,
}

#[derive(Args, Debug)]
#[command(
    after_help = WAIT_HELP,
    mut_args(|a| args::reword(a, &[("partner_id", ON_BEHALF)])),
)]
pub struct WaitArgs {
    /// What to wait for
    #[arg(value_enum)]
    kind: Kind,
    /// Its id
    id: String,
    /// How long to wait in all: seconds, or with a unit (90s, 10m, 2h)
    #[arg(long, value_name = "SECONDS", default_value = "10m", value_parser = units::parse_seconds)]
    timeout: i64,
    /// The wait after the first ask; it doubles after each ask up to 30s
    #[arg(long, value_name = "SECONDS", default_value = "2s", value_parser = units::parse_seconds)]
    interval: i64,
    #[command(flatten)]
    ks: KsArgs,
    #[command(flatten)]
    partner: Partner,
    #[command(flatten)]
    place: Place,
    /// Seconds allowed for one ask (--timeout is the whole wait's)
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    call_timeout: u64,
}

pub async fn run(ctx: &Context, a: WaitArgs) -> Result<()> {
    let seconds = |what: &str, value: i64| {
        u64::try_from(value)
            .ok()
            .filter(|s| *s > 0)
            .map(Duration::from_secs)
            .ok_or_else(|| {
                CliError::usage(format!("--{what} must be a positive number of seconds"))
            })
    };
    let timeout = seconds("timeout", a.timeout)?;
    let interval = seconds("interval", a.interval)?;
    let ks = a.ks.read()?;
    // The common server flags but --timeout, which is the wait's here.
    let server = Server {
        place: a.place,
        timeout: a.call_timeout,
    };
    let client =
        sessions::client_with_session(ctx, &server, ks.as_ref(), a.partner.partner_id).await?;
    let object = wait(&client, a.kind, &a.id, timeout, interval).await?;
    ctx.emit_value(&object, ctx.output_mode_for_terminal())
}

/// Waits, printing each new state on stderr, and returns the object done.
async fn wait(
    client: &Client,
    kind: Kind,
    id: &str,
    timeout: Duration,
    interval: Duration,
) -> Result<Value> {
    let waiter: Waiter<Value> = match kind {
        Kind::Entry => Waiter::entry_ready(client, id),
        Kind::Flavor => Waiter::flavor_asset_ready(client, id),
        Kind::Caption => Waiter::caption_asset_ready(client, id),
        Kind::UploadToken => Waiter::upload_token_done(client, id),
    };
    let mut last: Option<String> = None;
    let shown = id.to_string();
    let waiter = waiter
        .timeout(timeout)
        .interval(interval, interval.max(Duration::from_secs(30)))
        .on_progress(move |status: &Status, waited: Duration| {
            if last.as_deref() != Some(status.state()) {
                last = Some(status.state().to_string());
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "{shown}: {} after {}",
                    status.state(),
                    units::format_span(waited.as_secs())
                );
            }
        });
    waiter.await.map_err(|e| match e {
        WaitError::Call(e) => CliError::from(e),
        other => CliError::Local(other.to_string()),
    })
}
