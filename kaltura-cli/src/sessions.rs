//! Sessions on the server for the commands that need one: starting one by the means
//! given or the profile's (admin secret, password, application token), keeping it as
//! the profile's, and reusing or renewing the profile's cached session.

use crate::args::{AppTokenArgs, Sending, Server};
use crate::choices::{Auth, HashArg, Kind};
use crate::context::Context;
use crate::error::{CliError, Result};
use crate::profile::Profile;
use crate::{secrets, session_cache, units, urls};
use clap::ValueEnum;
use kaltura_ks::SessionType;
use kaltura_runtime::app_token::AppToken;
use kaltura_runtime::{Client, Secret};
use serde_json::{Map, Value};
use std::path::PathBuf;
use std::time::Duration;

pub const APP_TOKEN_ENV: &str = "KALTURA_APP_TOKEN";

/// The client of a command that sends calls: the KS given (--ks -, --ks-file,
/// KALTURA_KS), else the profile's session.
pub async fn sending_client(ctx: &Context, sending: &Sending) -> Result<Client> {
    let ks = sending.ks.read()?;
    client_with_session(
        ctx,
        &sending.server,
        ks.as_ref(),
        sending.partner.partner_id,
    )
    .await
}

/// A client with the KS given, else the profile's cached session, renewed first
/// when it is about to expire and the profile says how.
pub async fn client_with_session(
    ctx: &Context,
    server: &Server,
    ks: Option<&Secret>,
    partner_id: Option<i64>,
) -> Result<Client> {
    if let Some(ks) = ks.filter(|k| !k.expose().is_empty()) {
        return ctx.client(server, Some(ks), partner_id);
    }
    let ks = profile_session(ctx, server).await?;
    ctx.client(server, ks.as_ref(), partner_id)
}

/// The active profile's cached session when it was made for `url` (a KS is only
/// ever sent to the server it came from).
pub fn cached_for(ctx: &Context, url: &str) -> Option<Secret> {
    let active = ctx.active()?;
    session_cache::load(&active.name)
        .filter(|c| c.fits(url, active.profile.partner_id))
        .map(|c| c.ks)
}

/// The active profile's session for this server: the cached one while it is usable,
/// else a new one when the profile says how to start it.
pub async fn profile_session(ctx: &Context, server: &Server) -> Result<Option<Secret>> {
    let Some(active) = ctx.active() else {
        return Ok(None);
    };
    let url = ctx.service_url(Some(&server.place));
    let partner = active.profile.partner_id;
    if let Some(cached) = session_cache::load(&active.name) {
        if cached.fits(&url, partner) && cached.usable_at(units::now()) {
            return Ok(Some(cached.ks));
        }
    }
    if active.profile.auth.is_none() {
        return Ok(None);
    }
    // Renewed by the profile's own means and defaults.
    let request = SessionRequest {
        partner_id: partner,
        ..SessionRequest::default()
    };
    open_session(ctx, server, request).await.map(Some)
}

/// Keeps a session as the active profile's, when there is one.
pub fn remember(
    ctx: &Context,
    service_url: &str,
    partner_id: Option<i64>,
    ks: &Secret,
    expiry: i64,
) -> Result<()> {
    let Some(active) = ctx.active() else {
        return Ok(());
    };
    session_cache::store(
        &active.name,
        &session_cache::Cached {
            ks: ks.clone(),
            expiry,
            created: units::now(),
            service_url: service_url.to_string(),
            partner_id,
        },
    )
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
#[derive(Default)]
pub struct SessionRequest {
    pub partner_id: Option<i64>,
    pub kind: Option<Kind>,
    pub user: Option<String>,
    pub expiry: Option<i64>,
    pub privileges: Option<String>,
    pub secret_file: Option<PathBuf>,
    pub app_token: Option<AppTokenArgs>,
    /// Log in with this login id and a password instead.
    pub login_id: Option<String>,
}

/// Starts a session by the means given, else the profile's (admin secret, password or
/// app token), keeps it as the profile's session and returns the KS.
pub async fn open_session(ctx: &Context, server: &Server, r: SessionRequest) -> Result<Secret> {
    let profile = ctx.settings();
    let auth = if r.app_token.is_some() {
        Auth::AppToken
    } else if r.login_id.is_some() {
        Auth::Password
    } else if r.secret_file.is_some() {
        Auth::AdminSecret
    } else {
        profile.and_then(|p| p.auth).unwrap_or(Auth::AdminSecret)
    };
    let expiry = ctx.or_profile(r.expiry, |p| &p.expiry);
    let user = ctx.or_profile(r.user, |p| &p.user);
    let privileges = ctx.or_profile(r.privileges, |p| &p.privileges);
    let kind = ctx.session_kind(r.kind);
    let url = ctx.service_url(Some(&server.place));
    urls::check(&url)?;
    // Checked before any secret is read, so that a refusal asks for nothing.
    ctx.guard_http(&url, auth.what())?;
    if ctx.active().is_some() {
        session_cache::check_folder()?;
    }
    let client = ctx.client(server, None, None)?;
    let now = units::now();
    let mut secret = None;
    // The server's word on the expiry, when it gives one (app-token sessions).
    let mut told_expiry = None;
    let (ks, partner) = match auth {
        Auth::AppToken => {
            let partner_id = ctx.require_partner_id(r.partner_id)?;
            let args = match r.app_token {
                Some(a) => a,
                None => AppTokenArgs {
                    app_token: profile.and_then(|p| p.app_token_id.clone()),
                    app_token_file: None,
                    hash_type: profile
                        .and_then(|p| p.hash_type.as_deref())
                        .and_then(|h| HashArg::from_str(h, true).ok())
                        .unwrap_or(HashArg::Sha1),
                },
            };
            let ask = AppTokenAsk {
                partner_id,
                session_type: kind.session_type(),
                user,
                expiry,
                privileges,
            };
            let (ks, expiry) = app_token_session(&client, profile, &args, ask).await?;
            told_expiry = expiry;
            (ks, Some(partner_id))
        }
        Auth::Password => {
            let login_id = ctx.or_profile(r.login_id, |p| &p.login_id).ok_or_else(|| {
                CliError::usage("no login id: pass --login-id or use a profile that has one")
            })?;
            let password = secrets::read(&secrets::Source {
                file: None,
                env: secrets::PASSWORD_ENV,
                prompt: Some("Password: "),
                what: "password",
                profile,
            })?;
            let partner_id = ctx.partner_id(r.partner_id);
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
        Auth::AdminSecret => {
            let partner_id = ctx.require_partner_id(r.partner_id)?;
            let s = ctx.admin_secret(r.secret_file.as_deref(), true)?;
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
    remember(ctx, &url, partner, &ks, until)?;
    Ok(ks)
}

/// What an app-token session is asked for, from the `session start` flags.
pub struct AppTokenAsk {
    pub partner_id: i64,
    pub session_type: SessionType,
    pub user: Option<String>,
    pub expiry: Option<i64>,
    pub privileges: Option<String>,
}

/// Starts a session from the token `args` names and returns its KS, with its expiry
/// (unix seconds) when the server told it.
pub async fn app_token_session(
    client: &Client,
    profile: Option<&Profile>,
    args: &AppTokenArgs,
    ask: AppTokenAsk,
) -> Result<(Secret, Option<i64>)> {
    let Some(id) = &args.app_token else {
        return Err(CliError::usage("no --app-token ID given"));
    };
    let value = secrets::read_optional(&secrets::Source {
        file: args.app_token_file.as_deref(),
        env: APP_TOKEN_ENV,
        prompt: Some("App token: "),
        what: "app token",
        profile,
    })?
    .ok_or_else(|| {
        CliError::usage(format!(
            "no app token given: set {APP_TOKEN_ENV}, pass --app-token-file FILE, or run on a \
             terminal to be asked; it is never taken from the command line"
        ))
    })?;
    if let Some(expiry) = ask.expiry.filter(|e| *e <= 0) {
        return Err(CliError::usage(format!(
            "--expiry must be positive, not {expiry}"
        )));
    }
    let token = AppToken::new(ask.partner_id, id.clone(), value).hash_type(args.hash_type.hash());
    let mut start = client
        .start_app_token_session(token)
        .session_type(ask.session_type);
    if let Some(user) = ask.user {
        start = start.user_id(user);
    }
    if let Some(expiry) = ask.expiry {
        start = start.expiry(Duration::from_secs(expiry as u64));
    }
    if let Some(p) = ask.privileges {
        start = start.privileges(p);
    }
    let session = start.await?;
    let expiry = session.expiry;
    Ok((session.ks, expiry))
}
