//! Sessions as the server sees them. Calls that need no session (`session.start`,
//! `user.loginByLoginId`, `session.startWidgetSession`, `system.ping`, ...) pass; every
//! other call must carry a KS that the KS crate validates against the partner's admin
//! secret: none is `MISSING_KS`; one that does not read, is not signed by the
//! partner's secret, is for an unknown partner or has expired is `INVALID_KS`, with the
//! server's reason code (`-1,INVALID_STR`, `-2,INVALID_PARTNER`, `-5,EXPIRED`).
//!
//! The mock's rule for a USER session (type 0), which the server decides through
//! per-partner permissions the API description does not carry: it may read (actions
//! whose name starts with `get`, `list`, `count`, `serve`, `search`), use upload
//! tokens and sessions, add entries and their content, and update or delete the
//! entries it owns or holds an `edit:<entryId>` (or `edit:*`) privilege for; anything
//! else is `SERVICE_FORBIDDEN`. An ADMIN session (type 2) may do everything.

use crate::config::Config;
use crate::errors::{codes, ApiError};
use kaltura_ks::{AdminSecret, Ks, KsBuilder, KsError, KsVersion, Privileges, SessionType};
use serde_json::Value;

/// Who is calling.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub partner_id: i64,
    pub user_id: String,
    pub admin: bool,
    pub privileges: String,
    /// The KS text (never logged).
    pub ks: Option<String>,
}

impl Session {
    /// Whether the privileges hold `name:value` (or `name:*`).
    pub fn has_privilege(&self, name: &str, value: &str) -> bool {
        Privileges::parse(&self.privileges)
            .values(name)
            .iter()
            .any(|v| *v == "*" || *v == value)
    }
}

/// Actions the server runs without a session.
pub fn needs_no_ks(service: &str, action: &str) -> bool {
    let s = service.to_ascii_lowercase();
    let a = action.to_ascii_lowercase();
    matches!(
        (s.as_str(), a.as_str()),
        ("session", "start")
            | ("session", "startwidgetsession")
            | ("user", "loginbyloginid")
            | ("user", "resetpassword")
            | ("user", "setinitialpassword")
            | ("user", "checklogindataexists")
            | ("adminuser", "resetpassword")
            | ("system", "ping")
            | ("system", "pingdatabase")
            | ("system", "gettime")
            | ("system", "getversion")
    )
}

fn invalid(ks: &str, code: i32, desc: &str) -> ApiError {
    ApiError::new(codes::INVALID_KS, &[ks, &code.to_string(), desc])
}

/// Checks a KS as the server does and reads who it is for.
pub fn check_ks(config: &Config, ks_text: &str, now: i64) -> Result<Session, ApiError> {
    let ks = Ks::new(ks_text);
    let partner_id = match ks.inspect() {
        Ok(i) => i.partner_id(),
        Err(_) => return Err(invalid(ks_text, -1, "INVALID_STR")),
    };
    let Some(partner) = config.partner(partner_id) else {
        return Err(invalid(ks_text, -2, "INVALID_PARTNER"));
    };
    let secret = AdminSecret::new(partner.admin_secret.clone())
        .map_err(|_| invalid(ks_text, -2, "INVALID_PARTNER"))?;
    let fields = match ks.validate_for_partner(partner_id, &secret, now) {
        Ok(f) => f,
        Err(KsError::Expired { .. }) => return Err(invalid(ks_text, -5, "EXPIRED")),
        Err(KsError::PartnerMismatch { .. }) => {
            return Err(invalid(ks_text, -2, "INVALID_PARTNER"))
        }
        Err(_) => return Err(invalid(ks_text, -1, "INVALID_STR")),
    };
    Ok(Session {
        partner_id,
        user_id: fields.user_id().to_string(),
        admin: fields.type_code().is_some_and(|t| t >= 1),
        privileges: fields.privileges_str().unwrap_or("").to_string(),
        ks: Some(ks_text.to_string()),
    })
}

/// Whether a USER session may call `service.action` at all (the entry-owner check
/// comes later, with the entry at hand).
pub fn user_may_call(service: &str, action: &str) -> bool {
    let s = service.to_ascii_lowercase();
    let a = action.to_ascii_lowercase();
    if ["get", "list", "count", "serve", "search"]
        .iter()
        .any(|p| a.starts_with(p))
    {
        return true;
    }
    match s.as_str() {
        "session" | "uploadtoken" => true,
        "apptoken" => a == "startsession",
        "media" | "baseentry" => matches!(
            a.as_str(),
            "add" | "addcontent" | "addfromuploadedfile" | "upload" | "update" | "delete"
        ),
        _ => false,
    }
}

/// The answer to a refused call.
pub fn forbidden(service: &str, action: &str) -> ApiError {
    ApiError::new(codes::SERVICE_FORBIDDEN, &[&format!("{service}->{action}")])
}

/// Makes a KS (v2, signed with the partner's admin secret, as the server does).
pub fn make_ks(
    config: &Config,
    partner_id: i64,
    admin: bool,
    user_id: &str,
    expiry: i64,
    privileges: &str,
) -> Result<String, ApiError> {
    let partner = config
        .partner(partner_id)
        .ok_or_else(|| ApiError::new(codes::START_SESSION_ERROR, &[&partner_id.to_string()]))?;
    let secret = AdminSecret::new(partner.admin_secret.clone())
        .map_err(|_| ApiError::new(codes::START_SESSION_ERROR, &[&partner_id.to_string()]))?;
    let kind = if admin {
        SessionType::Admin
    } else {
        SessionType::User
    };
    let expiry = if expiry <= 0 { 86_400 } else { expiry };
    let mut builder = KsBuilder::new(partner_id, kind).expires_in(expiry);
    if !user_id.is_empty() {
        builder = builder.user_id(user_id);
    }
    if !privileges.is_empty() {
        builder = builder.privileges(Privileges::parse(privileges));
    }
    builder
        .generate(KsVersion::V2, &secret)
        .map(Ks::into_string)
        .map_err(|_| ApiError::new(codes::START_SESSION_ERROR, &[&partner_id.to_string()]))
}

/// `session.start`: the admin secret opens any type; the user secret, USER sessions only.
pub fn start(config: &Config, args: &serde_json::Map<String, Value>) -> Result<Value, ApiError> {
    let partner_id = args.get("partnerId").and_then(Value::as_i64).unwrap_or(0);
    let secret = args.get("secret").and_then(Value::as_str).unwrap_or("");
    let kind = args.get("type").and_then(Value::as_i64).unwrap_or(0);
    let fail = || ApiError::new(codes::START_SESSION_ERROR, &[&partner_id.to_string()]);
    let partner = config.partner(partner_id).ok_or_else(fail)?;
    let admin_ok = !secret.is_empty() && secret == partner.admin_secret;
    let user_ok = !secret.is_empty() && secret == partner.user_secret;
    let admin = kind >= 1;
    if !(admin_ok || (user_ok && !admin)) {
        return Err(fail());
    }
    let ks = make_ks(
        config,
        partner_id,
        admin,
        args.get("userId").and_then(Value::as_str).unwrap_or(""),
        args.get("expiry").and_then(Value::as_i64).unwrap_or(86_400),
        args.get("privileges").and_then(Value::as_str).unwrap_or(""),
    )?;
    Ok(Value::String(ks))
}
