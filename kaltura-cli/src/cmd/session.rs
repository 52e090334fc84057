//! `kaltura session start|show|end`: a session on the server, kept as the profile's
//! (see `sessions` for how one is started, reused and renewed).

use crate::args::{self, AppTokenArgs, SecretFile, Server, SessionAsk};
use crate::context::Context;
use crate::error::{CliError, Result};
use crate::profile::Active;
use crate::sessions::{self, SessionRequest};
use crate::{output, session_cache, units, urls};
use clap::{Args, Subcommand};
use kaltura_ks::SessionType;
use serde_json::{Map, Value};

#[derive(Subcommand, Debug)]
pub enum SessionCommand {
    /// Start a session with the admin secret (session.start) or an application token
    /// (--app-token) and print the KS
    Start(SessionStartArgs),
    /// Show the profile's cached session: partner, type, user, expiry
    Show(SessionShowArgs),
    /// End the profile's cached session on the server (session.end) and forget it
    End(SessionEndArgs),
}

#[derive(Args, Debug)]
pub struct SessionShowArgs {
    /// Print the KS itself
    #[arg(long)]
    print_ks: bool,
}

#[derive(Args, Debug)]
pub struct SessionEndArgs {
    #[command(flatten)]
    server: Server,
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
#[command(
    after_help = SESSION_HELP,
    mut_args(|a| args::reword(a, &[(
        "expiry",
        "Lifetime: seconds, or with a unit (90m, 12h, 7d); the server's default is a day",
    )])),
)]
pub struct SessionStartArgs {
    #[command(flatten)]
    ask: SessionAsk,
    #[command(flatten)]
    secret: SecretFile,
    #[command(flatten)]
    app_token: AppTokenArgs,
    #[command(flatten)]
    server: Server,
}

pub async fn run(ctx: &Context, command: SessionCommand) -> Result<()> {
    match command {
        SessionCommand::Start(a) => start(ctx, a).await,
        SessionCommand::Show(a) => show(ctx, a),
        SessionCommand::End(a) => end(ctx, a).await,
    }
}

async fn start(ctx: &Context, a: SessionStartArgs) -> Result<()> {
    let app_token = a.app_token.app_token.is_some().then_some(a.app_token);
    let ks = sessions::open_session(
        ctx,
        &a.server,
        SessionRequest {
            partner_id: a.ask.partner.partner_id,
            kind: a.ask.kind,
            user: a.ask.user,
            expiry: a.ask.limits.expiry,
            privileges: a.ask.limits.privileges,
            secret_file: a.secret.secret_file,
            app_token,
            login_id: None,
        },
    )
    .await?;
    ctx.emit_value(&Value::String(ks.expose().to_string()), output::Mode::Raw)
}

fn cached_session(ctx: &Context) -> Result<(&Active, session_cache::Cached)> {
    let active = ctx.active().ok_or_else(|| {
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

fn show(ctx: &Context, a: SessionShowArgs) -> Result<()> {
    let (active, cached) = cached_session(ctx)?;
    if a.print_ks {
        return output::emit_line(cached.ks.expose());
    }
    let now = units::now();
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
                f.type_code()
                    .and_then(SessionType::from_code)
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
            rows.push(("user", f.user_id().into()));
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
    if ctx.output_mode(output::Mode::Table) != output::Mode::Table {
        let map: Map<String, Value> = rows
            .into_iter()
            .map(|(k, v)| (k.to_string(), Value::String(v)))
            .collect();
        return ctx.emit_value(&Value::Object(map), output::Mode::Table);
    }
    let mut text = String::new();
    for (k, v) in rows {
        text.push_str(format!("{k:<11}{v}").trim_end());
        text.push('\n');
    }
    output::emit(text.as_bytes())
}

async fn end(ctx: &Context, a: SessionEndArgs) -> Result<()> {
    let (active, cached) = cached_session(ctx)?;
    // The KS goes back only to the server that made it, as for every other call: a
    // --service-url (or KALTURA_SERVICE_URL) naming another one would receive a
    // working session.
    let url = ctx.service_url(Some(&a.server.place));
    if !cached.fits(&url, None) {
        return Err(CliError::usage(format!(
            "the session of profile {} was started on {}; refusing to send it to {} \
             (leave out --service-url, --region and KALTURA_SERVICE_URL, or name that server)",
            active.name,
            urls::shown(&cached.service_url),
            urls::shown(&url)
        )));
    }
    let client = ctx.client(&a.server, Some(&cached.ks), None)?;
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
