//! Sessions from application tokens: what a third-party application, a plugin or a
//! long-running service should use instead of the admin secret.
//!
//! An admin secret cannot be regenerated or blocked, so handing it out hands out the
//! account for good. An application token (the `appToken` service) is made by the
//! partner with its own rights (session type, user, privileges), lifetime and hash
//! type, can be deleted at any time, and is never sent over the wire: the application
//! proves it holds the token by hashing it with a KS the server just issued.
//!
//! [`Client::start_app_token_session`] does the whole exchange in one call and sets
//! the resulting KS on the client:
//!
//! ```no_run
//! # async fn demo() -> Result<(), kaltura_runtime::Error> {
//! use kaltura_runtime::app_token::{AppToken, AppTokenHash};
//! use kaltura_runtime::Client;
//!
//! # let client: Client = unimplemented!();
//! let token = AppToken::new(1234567, "0_x1y2z3", std::env::var("APP_TOKEN").unwrap_or_default())
//!     .hash_type(AppTokenHash::Sha256);
//! let session = client.start_app_token_session(token).user_id("ingest-bot").await?;
//! println!("a {:?} session until {:?}", session.session_type, session.expiry);
//! // Every call of `client` now carries the new KS.
//! # Ok(()) }
//! ```
//!
//! # The exchange
//!
//! Two requests, each through the client's call loop (timeouts, logs; the retry rule
//! treats `start…` actions as writes, so they are repeated only on request):
//!
//! 1. `session.startWidgetSession` with the widget `_<partnerId>` (or
//!    [`StartAppTokenSession::widget_id`]), sent without the client's KS: it answers
//!    an anonymous KS for the partner.
//! 2. `appToken.startSession` with that KS, the token id and
//!    `tokenHash = hex(HASH(widgetKs + token))`, `HASH` being the token's hash type
//!    (the server computes `hash($hashType, $currentKs . $token)` and compares), and
//!    the optional user, session type, expiry and privileges. Values the token itself
//!    defines win over these on the server; an expiry longer than the token's
//!    session duration is shortened.
//!
//! The token goes into the hash only: it is never sent, logged or shown by `Debug`,
//! and the hash is worthless without the widget KS it was made with.
//!
//! # Failures
//!
//! Failures are [`Error::Api`] with the server's code, so they print and compare like
//! any other; [`AppTokenFailure::of`] sorts the ones that mean "this token will not
//! work" (a wrong token or hash type, a token that does not exist or was deleted, one
//! disabled or expired, a widget that does not exist).
//!
//! # Renewal
//!
//! A session from a token lasts at most the token's session duration. A long-running
//! service can have the client renew it before it expires: with
//! [`StartAppTokenSession::renew_before`], a task on the tokio runtime repeats the
//! exchange that long before the expiry (halfway through a session shorter than
//! twice that) and sets the new KS on the client. Nothing runs in the background
//! unless asked; either way, a read-like call refused for an expired KS is sent again
//! with a new session ([`crate::session`] tells how the two share one mechanism with
//! admin sessions). The task ends when [`Renewal::stop`] is called, when every clone of
//! the client is dropped, when something else replaces the client's KS
//! ([`Client::set_ks`], another session), or when the token stops working
//! ([`AppTokenFailure`]); other failures (the network, a server error) are tried
//! again after 5 s, 10 s, 20 s ... up to 5 minutes, and reported by
//! [`Renewal::last_error`] and a `warn` log.

use crate::client::Client;
use crate::codec::{DecodeError, Json};
use crate::error::Error;
use crate::internal::Internal;
use crate::response::Output;
use crate::secret::Secret;
use crate::session::{can_renew, Renewable, Source};
use kaltura_ks::SessionType;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

pub use crate::session::Renewal;

/// The hash an application token is proven with: its `hashType` on the server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AppTokenHash {
    Md5,
    /// The server's default for a token made without a `hashType`.
    #[default]
    Sha1,
    Sha256,
    Sha512,
}

impl AppTokenHash {
    /// Every hash type the server accepts.
    pub const ALL: [AppTokenHash; 4] = [
        AppTokenHash::Md5,
        AppTokenHash::Sha1,
        AppTokenHash::Sha256,
        AppTokenHash::Sha512,
    ];

    /// The value of `KalturaAppTokenHashType` (`SHA256`).
    pub fn as_str(self) -> &'static str {
        match self {
            AppTokenHash::Md5 => "MD5",
            AppTokenHash::Sha1 => "SHA1",
            AppTokenHash::Sha256 => "SHA256",
            AppTokenHash::Sha512 => "SHA512",
        }
    }

    /// The hash type named `name`, in any case, with or without a dash (`sha-256`).
    pub fn from_name(name: &str) -> Option<Self> {
        let wanted: String = name
            .trim()
            .chars()
            .filter(|c| *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        Self::ALL.into_iter().find(|h| h.as_str() == wanted)
    }

    /// Lower-case hex of the digest, as PHP's `hash()` writes it.
    fn hex_digest(self, data: &[u8]) -> String {
        use sha2::Digest;
        match self {
            AppTokenHash::Md5 => hex::encode(md5::Md5::digest(data)),
            AppTokenHash::Sha1 => hex::encode(sha1::Sha1::digest(data)),
            AppTokenHash::Sha256 => hex::encode(sha2::Sha256::digest(data)),
            AppTokenHash::Sha512 => hex::encode(sha2::Sha512::digest(data)),
        }
    }
}

impl fmt::Display for AppTokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for AppTokenHash {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::from_name(s).ok_or_else(|| {
            Error::InvalidInput(format!(
                "`{s}` is not an app token hash type; the server knows MD5, SHA1, SHA256 and SHA512"
            ))
        })
    }
}

/// An application token as its holder knows it: the partner, the token's id, the
/// token itself and its hash type. `Debug` never shows the token.
#[derive(Clone)]
pub struct AppToken {
    partner_id: i64,
    id: String,
    token: Secret,
    hash: AppTokenHash,
}

impl fmt::Debug for AppToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppToken")
            .field("partner_id", &self.partner_id)
            .field("id", &self.id)
            .field("token", &self.token)
            .field("hash", &self.hash)
            .finish()
    }
}

impl AppToken {
    /// The token `id` of partner `partner_id`, with the token's value. The hash type
    /// is SHA1, the server's default, until [`AppToken::hash_type`] says otherwise: it
    /// must be the `hashType` the token was made with.
    pub fn new(partner_id: i64, id: impl Into<String>, token: impl Into<Secret>) -> Self {
        AppToken {
            partner_id,
            id: id.into(),
            token: token.into(),
            hash: AppTokenHash::default(),
        }
    }

    /// The token's `hashType`.
    pub fn hash_type(mut self, hash: AppTokenHash) -> Self {
        self.hash = hash;
        self
    }

    pub fn partner_id(&self) -> i64 {
        self.partner_id
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn hash(&self) -> AppTokenHash {
        self.hash
    }

    /// The `tokenHash` that proves holding the token to a server that issued `ks`:
    /// `hex(HASH(ks + token))`. Only for building the exchange by hand;
    /// [`Client::start_app_token_session`] does it all.
    pub fn token_hash(&self, ks: &str) -> Secret {
        let mut data = Vec::with_capacity(ks.len() + self.token.expose().len());
        data.extend_from_slice(ks.as_bytes());
        data.extend_from_slice(self.token.expose().as_bytes());
        Secret::new(self.hash.hex_digest(&data))
    }
}

/// Why a token will not give a session: the application-token errors of the server,
/// sorted. Anything else (the network, a server error) may pass by trying again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AppTokenFailure {
    /// `INVALID_APP_TOKEN_HASH`: the token, or its hash type, is not the one the
    /// server holds for this id.
    InvalidHash,
    /// `APP_TOKEN_ID_NOT_FOUND`: no such token for this partner, or it was deleted.
    NotFound,
    /// `APP_TOKEN_NOT_ACTIVE`: the token is disabled.
    NotActive,
    /// `APP_TOKEN_EXPIRED`: the token's own expiry has passed.
    Expired,
    /// `INVALID_WIDGET_ID` or `START_WIDGET_SESSION_ERROR`: the first step, the
    /// widget session, failed (a wrong partner id, a widget that does not exist).
    Widget,
}

impl AppTokenFailure {
    /// The kind of failure, when `error` is one of the application-token errors.
    pub fn of(error: &Error) -> Option<Self> {
        Some(match error.code()? {
            "INVALID_APP_TOKEN_HASH" => AppTokenFailure::InvalidHash,
            "APP_TOKEN_ID_NOT_FOUND" => AppTokenFailure::NotFound,
            "APP_TOKEN_NOT_ACTIVE" => AppTokenFailure::NotActive,
            "APP_TOKEN_EXPIRED" => AppTokenFailure::Expired,
            "INVALID_WIDGET_ID" | "START_WIDGET_SESSION_ERROR" => AppTokenFailure::Widget,
            _ => return None,
        })
    }

    /// The server's error code (the first of the two for [`AppTokenFailure::Widget`]).
    pub fn code(self) -> &'static str {
        match self {
            AppTokenFailure::InvalidHash => "INVALID_APP_TOKEN_HASH",
            AppTokenFailure::NotFound => "APP_TOKEN_ID_NOT_FOUND",
            AppTokenFailure::NotActive => "APP_TOKEN_NOT_ACTIVE",
            AppTokenFailure::Expired => "APP_TOKEN_EXPIRED",
            AppTokenFailure::Widget => "INVALID_WIDGET_ID",
        }
    }
}

/// The session an application token gave (`KalturaSessionInfo`). `Debug` hides the KS.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AppTokenSession {
    pub ks: Secret,
    pub partner_id: Option<i64>,
    /// The type the server chose: the token's, else the one asked for, else USER.
    pub session_type: Option<SessionType>,
    pub user_id: Option<String>,
    /// When the KS expires, in Unix seconds (the server's clock).
    pub expiry: Option<i64>,
    /// The privileges in the KS: the token's, those asked for, and `appToken:<id>`.
    pub privileges: Option<String>,
    renewal: Option<Renewal<AppTokenSession>>,
}

impl AppTokenSession {
    /// The renewal task, when [`StartAppTokenSession::renew_before`] asked for one.
    pub fn renewal(&self) -> Option<&Renewal<AppTokenSession>> {
        self.renewal.as_ref()
    }
}

impl Renewable for AppTokenSession {
    fn ks(&self) -> &Secret {
        &self.ks
    }

    fn expiry(&self) -> Option<i64> {
        self.expiry
    }

    fn with_renewal(mut self, renewal: Renewal<Self>) -> Self {
        self.renewal = Some(renewal);
        self
    }
}

impl Output for AppTokenSession {
    fn from_slice(json: &[u8]) -> Result<Self, crate::codec::ReadError> {
        crate::codec::via_value(json, Self::from_json)
    }

    fn from_json(value: Json) -> Result<Self, DecodeError> {
        let root = crate::codec::Path::Root;
        let mut fields = crate::codec::Fields::new(value, &root)?;
        let ks: Option<Secret> = fields.take("ks")?.into_option();
        let session_type: Option<i64> = fields.take("sessionType")?.into_option();
        Ok(AppTokenSession {
            ks: ks
                .filter(|k| !k.expose().is_empty())
                .ok_or_else(|| root.field("ks").error("a session without a KS"))?,
            partner_id: fields.take("partnerId")?.into_option(),
            session_type: session_type.and_then(SessionType::from_code),
            user_id: fields
                .take::<String>("userId")?
                .into_option()
                .filter(|u| !u.is_empty()),
            expiry: fields.take("expiry")?.into_option(),
            privileges: fields.take("privileges")?.into_option(),
            renewal: None,
        })
    }
}

/// The KS of `session.startWidgetSession` (`KalturaStartWidgetSessionResponse`).
struct WidgetSession {
    ks: Secret,
}

impl Output for WidgetSession {
    fn from_slice(json: &[u8]) -> Result<Self, crate::codec::ReadError> {
        crate::codec::via_value(json, Self::from_json)
    }

    fn from_json(value: Json) -> Result<Self, DecodeError> {
        let root = crate::codec::Path::Root;
        let mut fields = crate::codec::Fields::new(value, &root)?;
        let ks: Option<Secret> = fields.take("ks")?.into_option();
        Ok(WidgetSession {
            ks: ks
                .filter(|k| !k.expose().is_empty())
                .ok_or_else(|| root.field("ks").error("a widget session without a KS"))?,
        })
    }
}

/// What to ask `appToken.startSession` for, kept for renewals.
#[derive(Clone, Default)]
struct Ask {
    user_id: Option<String>,
    session_type: Option<SessionType>,
    expiry: Option<Duration>,
    privileges: Option<String>,
    widget_id: Option<String>,
}

/// The three steps, once. The client's KS, impersonated partner and the like are
/// not used: the widget session goes without a KS (an expired one would fail it)
/// and both calls name the token's partner.
async fn exchange(client: &Client, token: &AppToken, ask: &Ask) -> Result<AppTokenSession, Error> {
    let widget_id = ask
        .widget_id
        .clone()
        .unwrap_or_else(|| format!("_{}", token.partner_id));
    // The widget session goes without the client's KS (an expired one would fail it).
    let widget: WidgetSession = Internal::new("session", "startWidgetSession")
        .param("widgetId", &widget_id)
        .param("partnerId", &token.partner_id)
        .without_ks()
        .send(client)
        .await?;

    let hash = token.token_hash(widget.ks.expose());
    Internal::new("apptoken", "startSession")
        .param("id", &token.id)
        .param("tokenHash", &hash)
        .param_opt("userId", &ask.user_id)
        .param_opt("type", &ask.session_type.map(SessionType::code))
        .param_opt("expiry", &ask.expiry.map(|d| d.as_secs() as i64))
        .param_opt("sessionPrivileges", &ask.privileges)
        .param("ks", &widget.ks)
        .param("partnerId", &token.partner_id)
        .send(client)
        .await
        .map_err(|e| explain(e, token.hash))
}

/// A wrong hash type fails exactly like a wrong token; say which one was used.
fn explain(error: Error, hash: AppTokenHash) -> Error {
    match error {
        Error::Api(mut e) if e.code == "INVALID_APP_TOKEN_HASH" => {
            e.message = format!(
                "{} (the token was hashed with {hash}: check the token and that its hashType is {hash})",
                e.message
            );
            Error::Api(e)
        }
        other => other,
    }
}

impl Client {
    /// Starts a session from an application token and sets its KS on this client
    /// (and its clones): a widget session, then `appToken.startSession` with the
    /// token's hash (see [`crate::app_token`]). Await the returned builder, after
    /// setting what to ask for.
    pub fn start_app_token_session(&self, token: AppToken) -> StartAppTokenSession {
        StartAppTokenSession {
            client: self.clone(),
            token,
            ask: Ask::default(),
            renew_before: None,
        }
    }
}

/// An app-token session to start; await it. See [`Client::start_app_token_session`].
#[must_use = "nothing is sent until the builder is awaited"]
pub struct StartAppTokenSession {
    client: Client,
    token: AppToken,
    ask: Ask,
    renew_before: Option<Duration>,
}

impl fmt::Debug for StartAppTokenSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StartAppTokenSession")
            .field("token", &self.token)
            .field("user_id", &self.ask.user_id)
            .field("session_type", &self.ask.session_type)
            .field("expiry", &self.ask.expiry)
            .field("privileges", &self.ask.privileges)
            .field("widget_id", &self.ask.widget_id)
            .field("renew_before", &self.renew_before)
            .finish_non_exhaustive()
    }
}

impl StartAppTokenSession {
    /// The session's user; ignored by the server when the token names one.
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.ask.user_id = Some(user_id.into());
        self
    }

    /// The session type; ignored by the server when the token sets one (the
    /// server's default is USER).
    pub fn session_type(mut self, session_type: SessionType) -> Self {
        self.ask.session_type = Some(session_type);
        self
    }

    /// How long the session should last (whole seconds); the token's session
    /// duration and expiry cut it shorter.
    pub fn expiry(mut self, expiry: Duration) -> Self {
        self.ask.expiry = Some(expiry);
        self
    }

    /// Privileges added to the token's own (`sessionPrivileges`), e.g.
    /// `sview:0_abc,setrole:123`.
    pub fn privileges(mut self, privileges: impl Into<String>) -> Self {
        self.ask.privileges = Some(privileges.into());
        self
    }

    /// The widget whose session is hashed with the token (default `_<partnerId>`,
    /// the partner's default widget).
    pub fn widget_id(mut self, widget_id: impl Into<String>) -> Self {
        self.ask.widget_id = Some(widget_id.into());
        self
    }

    /// Renews the session `before` its expiry, in a task on the tokio runtime, for
    /// as long as the client lives (see [`crate::app_token`] for when it stops). Off
    /// unless asked.
    pub fn renew_before(mut self, before: Duration) -> Self {
        self.renew_before = Some(before);
        self
    }

    /// Runs the exchange and sets the KS on the client.
    pub async fn send(self) -> Result<AppTokenSession, Error> {
        let StartAppTokenSession {
            client,
            token,
            ask,
            renew_before,
        } = self;
        if token.id.is_empty() || token.token.expose().is_empty() {
            return Err(Error::InvalidInput(
                "an app token needs its id and its value".into(),
            ));
        }
        can_renew("an app-token session", renew_before)?;
        let session = exchange(&client, &token, &ask).await?;
        let fallback = ask.expiry;
        Ok(Source::keep(
            &client,
            "app-token session",
            session,
            fallback,
            |e| AppTokenFailure::of(e).is_some(),
            renew_before,
            move |client: Client| {
                let (token, ask) = (token.clone(), ask.clone());
                async move { exchange(&client, &token, &ask).await }
            },
        ))
    }
}

impl IntoFuture for StartAppTokenSession {
    type Output = Result<AppTokenSession, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_types_by_name() {
        assert_eq!(
            AppTokenHash::from_name("sha256"),
            Some(AppTokenHash::Sha256)
        );
        assert_eq!(
            AppTokenHash::from_name("SHA-512"),
            Some(AppTokenHash::Sha512)
        );
        assert_eq!(AppTokenHash::from_name(" md5 "), Some(AppTokenHash::Md5));
        assert_eq!(AppTokenHash::from_name("sha3"), None);
        assert!("crc32".parse::<AppTokenHash>().is_err());
        assert_eq!(AppTokenHash::default(), AppTokenHash::Sha1);
    }

    #[test]
    fn the_token_never_shows() {
        let token = AppToken::new(1, "0_id", "TOKEN-VALUE-1234");
        let shown = format!("{token:?}");
        assert!(!shown.contains("TOKEN-VALUE-1234"), "{shown}");
        assert!(shown.contains("0_id"), "{shown}");
    }

    #[test]
    fn failures_are_sorted_by_code() {
        let api = |code: &str| {
            let body = serde_json::json!({"objectType": "KalturaAPIException", "code": code});
            Error::Api(crate::response::api_error(&body).expect("an API error"))
        };
        for f in [
            AppTokenFailure::InvalidHash,
            AppTokenFailure::NotFound,
            AppTokenFailure::NotActive,
            AppTokenFailure::Expired,
            AppTokenFailure::Widget,
        ] {
            assert_eq!(AppTokenFailure::of(&api(f.code())), Some(f));
        }
        assert_eq!(
            AppTokenFailure::of(&api("START_WIDGET_SESSION_ERROR")),
            Some(AppTokenFailure::Widget)
        );
        assert_eq!(AppTokenFailure::of(&api("INVALID_KS")), None);
        assert_eq!(AppTokenFailure::of(&Error::Timeout(Duration::ZERO)), None);
    }
}
