//! A session from a user's login (`user.loginByLoginId`), kept like an admin session
//! ([`crate::session`]): the client holds the login id and password (the password as
//! [`Secret`], wiped when dropped) and starts a new session when the KS expires, on
//! demand or ahead of time.
//!
//! ```no_run
//! # use kaltura_runtime as kaltura_client;
//! # async fn demo(client: kaltura_client::Client) -> Result<(), kaltura_client::Error> {
//! use std::time::Duration;
//!
//! let password = std::env::var("KALTURA_PASSWORD").unwrap_or_default();
//! let session = client
//!     .start_login_session("jane@example.com", password)
//!     .partner_id(1234567)
//!     .renew_before(Duration::from_secs(600))
//!     .await?;
//! println!("logged in until {:?}", session.expiry);
//! # Ok(()) }
//! ```
//!
//! A one-time password (`otp`) cannot be used again, so a login that needs one is
//! started with the generated `client.user().login_by_login_id(..)` instead, and is
//! not renewed.

use crate::client::Client;
use crate::codec::Json;
use crate::error::Error;
use crate::internal::Internal;
use crate::secret::Secret;
use crate::session::{can_renew, unix_now, Renewable, Renewal, Source};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

/// `user.loginByLoginId`'s own expiry when none is asked for.
const DEFAULT_EXPIRY: Duration = Duration::from_secs(86_400);

impl Client {
    /// Logs in as a user (`user.loginByLoginId`) and sets the session's KS on the
    /// client. Await the returned builder, after setting what to ask for. The client
    /// keeps the login to start a new session when this one expires.
    pub fn start_login_session(
        &self,
        login_id: impl Into<String>,
        password: impl Into<Secret>,
    ) -> StartLoginSession {
        StartLoginSession {
            client: self.clone(),
            login: Login {
                login_id: login_id.into(),
                password: password.into(),
                partner_id: None,
                expiry: None,
                privileges: None,
            },
            renew_before: None,
        }
    }
}

/// What a login sends, kept to log in again.
#[derive(Clone)]
struct Login {
    login_id: String,
    password: Secret,
    partner_id: Option<i64>,
    expiry: Option<Duration>,
    privileges: Option<String>,
}

/// A login session to start; await it. See [`Client::start_login_session`].
#[must_use = "nothing is sent until the builder is awaited"]
pub struct StartLoginSession {
    client: Client,
    login: Login,
    renew_before: Option<Duration>,
}

impl fmt::Debug for StartLoginSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StartLoginSession")
            .field("login_id", &self.login.login_id)
            .field("password", &self.login.password)
            .field("partner_id", &self.login.partner_id)
            .field("expiry", &self.login.expiry)
            .field("renew_before", &self.renew_before)
            .finish_non_exhaustive()
    }
}

impl StartLoginSession {
    /// The partner account to log in to, for a login that has several.
    pub fn partner_id(mut self, partner_id: i64) -> Self {
        self.login.partner_id = Some(partner_id);
        self
    }

    /// How long the session should last (whole seconds; a day by default).
    pub fn expiry(mut self, expiry: Duration) -> Self {
        self.login.expiry = Some(expiry);
        self
    }

    /// The session's privileges (`*` by default).
    pub fn privileges(mut self, privileges: impl Into<String>) -> Self {
        self.login.privileges = Some(privileges.into());
        self
    }

    /// Renews the session `before` its expiry, in a task on the tokio runtime (see
    /// [`crate::session`]). Off unless asked; an expired session is renewed on demand
    /// either way.
    pub fn renew_before(mut self, before: Duration) -> Self {
        self.renew_before = Some(before);
        self
    }

    /// Logs in and sets the session's KS on the client.
    pub async fn send(self) -> Result<LoginSession, Error> {
        let StartLoginSession {
            client,
            login,
            renew_before,
        } = self;
        let label = "login session";
        can_renew("a login session", renew_before)?;
        let session = log_in(&client, &login).await?;
        let fallback = login.expiry.unwrap_or(DEFAULT_EXPIRY);
        Ok(Source::keep(
            &client,
            label,
            session,
            Some(fallback),
            // The same login will not give a session again after these.
            |e| {
                matches!(
                    e.code(),
                    Some(
                        "USER_NOT_FOUND"
                            | "USER_WRONG_PASSWORD"
                            | "LOGIN_DATA_NOT_FOUND"
                            | "LOGIN_RETRIES_EXCEEDED"
                            | "LOGIN_BLOCKED"
                            | "PASSWORD_EXPIRED"
                            | "USER_IS_BLOCKED"
                            | "DIRECT_LOGIN_BLOCKED"
                            | "INVALID_PARTNER_ID"
                    )
                )
            },
            renew_before,
            move |client: Client| {
                let login = login.clone();
                async move { log_in(&client, &login).await }
            },
        ))
    }
}

impl IntoFuture for StartLoginSession {
    type Output = Result<LoginSession, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A session from a user's login. `Debug` hides the KS.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LoginSession {
    pub ks: Secret,
    /// When the KS expires, in Unix seconds: read from a v1 KS, else the expiry asked
    /// for (a day by default) from now.
    pub expiry: Option<i64>,
    renewal: Option<Renewal<LoginSession>>,
}

impl LoginSession {
    /// The renewal task, when [`StartLoginSession::renew_before`] asked for one.
    pub fn renewal(&self) -> Option<&Renewal<LoginSession>> {
        self.renewal.as_ref()
    }
}

impl Renewable for LoginSession {
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

/// `user.loginByLoginId` once, without the client's KS (an expired one could fail
/// the login).
async fn log_in(client: &Client, login: &Login) -> Result<LoginSession, Error> {
    let answer: Json = Internal::new("user", "loginByLoginId")
        .param("loginId", &login.login_id)
        .param("password", &login.password)
        .param_opt("partnerId", &login.partner_id)
        .param_opt("expiry", &login.expiry.map(|e| e.as_secs() as i64))
        .param_opt("privileges", &login.privileges)
        .without_ks()
        .send(client)
        .await?;
    let ks = match answer {
        Json::String(ks) if !ks.is_empty() => Secret::from(ks),
        other => {
            return Err(Error::InvalidInput(format!(
                "user.loginByLoginId answered without a KS ({})",
                crate::codec::kind(&other)
            )))
        }
    };
    // A v1 KS says its expiry to anyone; a v2 KS only to its partner's secret.
    let expiry = match kaltura_ks::Ks::new(ks.expose()).inspect() {
        Ok(kaltura_ks::Inspection::V1(fields)) => Some(fields.valid_until()),
        _ => Some(unix_now() + login.expiry.unwrap_or(DEFAULT_EXPIRY).as_secs() as i64),
    };
    Ok(LoginSession {
        ks,
        expiry,
        renewal: None,
    })
}
