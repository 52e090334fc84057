//! Sessions the client starts and keeps by itself.
//!
//! * [`Client::start_login_session`] ([`crate::login`]): a user's session from a login
//!   id and password, kept the same way.
//! * [`Client::start_admin_session`]: an ADMIN KS from `session.start` with the admin
//!   secret, in one call, set on the client. Other session types, users, privileges
//!   and expiries go through the generated `client.session().start(..)`.
//! * The keeping, shared with application-token sessions ([`crate::app_token`]): a
//!   client that started its session this way holds what it needs to start another
//!   (the admin secret or the token, as [`Secret`], wiped when dropped) and uses it
//!   in two ways:
//!   - **on demand**: a read-like call (the rule of [`crate::retry`]) that the server
//!     refuses because the KS expired (`INVALID_KS` with `EXPIRED`, `EXPIRED_KS`) is
//!     sent once more with a new session. Any other call refused that way gets its
//!     error back, and the next call goes with the new session. Calls that overlap
//!     share one renewal;
//!   - **ahead of time**, when asked with `renew_before(d)`: a task on the tokio
//!     runtime starts a new session `d` before the current one expires (halfway
//!     through a session shorter than twice that). The task ends when
//!     [`Renewal::stop`] is called, when every clone of the client is dropped, when
//!     something else replaces the client's KS, or when the credential stops working
//!     (a wrong admin secret, a deleted token); other failures (the network, a server
//!     error) are tried again after 5 s, 10 s, 20 s ... up to 5 minutes, and reported
//!     by [`Renewal::last_error`] and a `warn` log.
//!
//!   A KS set by hand ([`Client::set_ks`], [`Client::clear_ks`]) ends both: the
//!   client then forgets the credential.
//!
//! ```no_run
//! # use kaltura_runtime as kaltura_client;
//! # async fn demo(client: kaltura_client::Client) -> Result<(), kaltura_client::Error> {
//! use std::time::Duration;
//!
//! let partner_id = 1234567;
//! let secret = std::env::var("KALTURA_ADMIN_SECRET").unwrap_or_default();
//! let session = client
//!     .start_admin_session(partner_id, secret)
//!     .renew_before(Duration::from_secs(600))
//!     .await?;
//! println!("a session until {:?}, renewed ahead of time", session.expiry);
//! # Ok(()) }
//! ```

use crate::client::{Client, Renew, Renewing};
use crate::codec::Json;
use crate::error::Error;
use crate::internal::Internal;
use crate::secret::Secret;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `session.start`'s own expiry when none is asked for.
const DEFAULT_EXPIRY: Duration = Duration::from_secs(86_400);

impl Client {
    /// Starts an ADMIN session for `partner_id` with its admin secret
    /// (`session.start`) and sets its KS on the client for the calls that follow.
    /// Await the returned builder, after setting what to ask for. The secret travels
    /// to the server only in `session.start` and is never logged; the client keeps it
    /// to start a new session when this one expires (see [`crate::session`]).
    pub fn start_admin_session(
        &self,
        partner_id: i64,
        admin_secret: impl Into<Secret>,
    ) -> StartAdminSession {
        StartAdminSession {
            client: self.clone(),
            partner_id,
            secret: admin_secret.into(),
            expiry: None,
            renew_before: None,
        }
    }
}

/// An ADMIN session to start; await it. See [`Client::start_admin_session`].
#[must_use = "nothing is sent until the builder is awaited"]
pub struct StartAdminSession {
    client: Client,
    partner_id: i64,
    secret: Secret,
    expiry: Option<Duration>,
    renew_before: Option<Duration>,
}

impl fmt::Debug for StartAdminSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StartAdminSession")
            .field("partner_id", &self.partner_id)
            .field("secret", &self.secret)
            .field("expiry", &self.expiry)
            .field("renew_before", &self.renew_before)
            .finish_non_exhaustive()
    }
}

impl StartAdminSession {
    /// How long the session should last (whole seconds; the server's default is a
    /// day, and a partner's own limit may cut it shorter).
    pub fn expiry(mut self, expiry: Duration) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// Renews the session `before` its expiry, in a task on the tokio runtime, for as
    /// long as the client lives (see [`crate::session`] for when it stops). Off
    /// unless asked; expired sessions are renewed on demand either way.
    pub fn renew_before(mut self, before: Duration) -> Self {
        self.renew_before = Some(before);
        self
    }

    /// Starts the session and sets its KS on the client.
    pub async fn send(self) -> Result<AdminSession, Error> {
        let StartAdminSession {
            client,
            partner_id,
            secret,
            expiry,
            renew_before,
        } = self;
        let label = "admin session";
        can_renew("an admin session", renew_before)?;
        let session = admin_session(&client, partner_id, &secret, expiry).await?;
        Ok(Source::keep(
            &client,
            label,
            session,
            expiry.or(Some(DEFAULT_EXPIRY)),
            // A secret the server refuses will not start a session later either.
            |e| e.code() == Some("START_SESSION_ERROR"),
            renew_before,
            move |client: Client| {
                let secret = secret.clone();
                async move { admin_session(&client, partner_id, &secret, expiry).await }
            },
        ))
    }
}

impl IntoFuture for StartAdminSession {
    type Output = Result<AdminSession, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// An ADMIN session from the admin secret. `Debug` hides the KS.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AdminSession {
    pub ks: Secret,
    pub partner_id: i64,
    /// When the KS expires, in Unix seconds: read from the KS with the secret, else
    /// the expiry asked for (a day by default) from now.
    pub expiry: Option<i64>,
    renewal: Option<Renewal<AdminSession>>,
}

impl AdminSession {
    /// The renewal task, when [`StartAdminSession::renew_before`] asked for one.
    pub fn renewal(&self) -> Option<&Renewal<AdminSession>> {
        self.renewal.as_ref()
    }
}

impl Renewable for AdminSession {
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

/// `session.start` once. The client's KS is not sent (an expired one could fail the
/// start), and the call names the partner.
async fn admin_session(
    client: &Client,
    partner_id: i64,
    secret: &Secret,
    expiry: Option<Duration>,
) -> Result<AdminSession, Error> {
    let answer: Json = Internal::new("session", "start")
        .param("secret", secret)
        .param("partnerId", &partner_id)
        .param("type", &kaltura_ks::SessionType::Admin.code())
        .param_opt("expiry", &expiry.map(|e| e.as_secs() as i64))
        // An expired KS on the client would fail the start.
        .without_ks()
        .send(client)
        .await?;
    let ks = match answer {
        Json::String(ks) if !ks.is_empty() => Secret::from(ks),
        other => {
            return Err(Error::InvalidInput(format!(
                "session.start answered without a KS ({})",
                crate::codec::kind(&other)
            )))
        }
    };
    let expiry = valid_until(&ks, secret)
        .or_else(|| Some(unix_now() + expiry.unwrap_or(DEFAULT_EXPIRY).as_secs() as i64));
    Ok(AdminSession {
        ks,
        partner_id,
        expiry,
        renewal: None,
    })
}

/// The expiry written in a KS: a v2 KS is read with the admin secret that made it, a
/// v1 KS without it.
fn valid_until(ks: &Secret, secret: &Secret) -> Option<i64> {
    let token = kaltura_ks::Ks::new(ks.expose());
    if let Ok(fields) =
        kaltura_ks::AdminSecret::new(secret.expose()).and_then(|secret| token.decode(&secret))
    {
        return Some(fields.valid_until());
    }
    match token.inspect().ok()? {
        kaltura_ks::Inspection::V1(fields) => Some(fields.valid_until()),
        _ => None,
    }
}

// ---- keeping a session ----

/// A session a client can start again: its KS and when it expires. Implemented by
/// [`AdminSession`] and [`AppTokenSession`](crate::AppTokenSession).
pub trait Renewable: Clone + Send + Sync + 'static {
    fn ks(&self) -> &Secret;
    /// Unix seconds.
    fn expiry(&self) -> Option<i64>;
    /// The session with its renewal handle, as [`Renewal::latest`] gives it.
    fn with_renewal(self, renewal: Renewal<Self>) -> Self;
}

type StartFn<S> =
    Box<dyn Fn(Client) -> Pin<Box<dyn Future<Output = Result<S, Error>> + Send>> + Send + Sync>;

/// A session the client started and how to start the next one.
pub(crate) struct Source<S> {
    /// `admin session`, `app-token session`: for logs.
    label: &'static str,
    start: StartFn<S>,
    /// Errors after which the credential will not give a session again.
    permanent: fn(&Error) -> bool,
    /// The lifetime of a session that says nothing of its expiry.
    fallback: Option<Duration>,
    /// One renewal at a time: the calls that overlap wait for it and use its KS.
    flight: tokio::sync::Mutex<()>,
    shared: Arc<Shared<S>>,
}

struct Shared<S> {
    renewals: AtomicU64,
    latest: Mutex<S>,
    /// The KS before the last renewal: calls sent with it go again with the new one,
    /// without another renewal.
    previous: Mutex<Option<Secret>>,
    last_error: Mutex<Option<Arc<Error>>>,
    task: Mutex<Option<tokio::task::AbortHandle>>,
}

impl<S: Renewable> Source<S> {
    pub(crate) fn new<F, Fut>(
        label: &'static str,
        first: S,
        fallback: Option<Duration>,
        permanent: fn(&Error) -> bool,
        start: F,
    ) -> Arc<Self>
    where
        F: Fn(Client) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<S, Error>> + Send + 'static,
    {
        Arc::new(Source {
            label,
            start: Box::new(move |client| Box::pin(start(client))),
            permanent,
            fallback,
            flight: tokio::sync::Mutex::new(()),
            shared: Arc::new(Shared {
                renewals: AtomicU64::new(0),
                latest: Mutex::new(first),
                previous: Mutex::new(None),
                last_error: Mutex::new(None),
                task: Mutex::new(None),
            }),
        })
    }

    /// Sets `first`, a session just started, on the client and keeps it: renewed on
    /// demand with `start`, and ahead of time when `renew_before` asks. Returns the
    /// session with its renewal handle.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn keep<F, Fut>(
        client: &Client,
        label: &'static str,
        first: S,
        fallback: Option<Duration>,
        permanent: fn(&Error) -> bool,
        renew_before: Option<Duration>,
        start: F,
    ) -> S
    where
        F: Fn(Client) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<S, Error>> + Send + 'static,
    {
        client.set_ks(first.ks().clone());
        let source = Source::new(label, first.clone(), fallback, permanent, start);
        source.install(client);
        match renew_before {
            Some(before) => first.with_renewal(source.spawn(client, before)),
            None => first,
        }
    }

    /// Makes this the session the client renews on demand.
    pub(crate) fn install(self: &Arc<Self>, client: &Client) {
        let source: Arc<dyn Renew> = self.clone();
        *lock(&client.inner.source) = Some(source);
    }

    fn latest_ks(&self) -> Secret {
        lock(&self.shared.latest).ks().clone()
    }

    /// The current session's remaining life, read once from the wall clock so that
    /// the waits after it run on tokio's clock alone.
    fn time_left(&self) -> Option<Duration> {
        match lock(&self.shared.latest).expiry() {
            Some(expiry) => Some(Duration::from_secs((expiry - unix_now()).max(0) as u64)),
            None => self.fallback,
        }
    }

    async fn renew_now(
        &self,
        client: &Client,
        stale: &Secret,
    ) -> Result<Option<Secret>, Arc<Error>> {
        let _turn = self.flight.lock().await;
        let latest = self.latest_ks();
        if client.ks().as_ref() != Some(&latest) {
            return Ok(None);
        }
        if *stale != latest {
            // Sent before the last renewal: the session it brought serves.
            let renewed_since = lock(&self.shared.previous).as_ref() == Some(stale);
            return Ok(renewed_since.then_some(latest));
        }
        match (self.start)(client.clone()).await {
            Ok(session) => {
                // Replaced while the new session was asked for.
                if client.ks().as_ref() != Some(&latest) {
                    return Ok(None);
                }
                let ks = session.ks().clone();
                client.set_renewed_ks(ks.clone());
                *lock(&self.shared.previous) = Some(latest);
                *lock(&self.shared.latest) = session;
                *lock(&self.shared.last_error) = None;
                self.shared.renewals.fetch_add(1, Ordering::SeqCst);
                tracing::info!(
                    target: "kaltura_runtime",
                    session = self.label,
                    expires_in_s = self.time_left().map(|d| d.as_secs()),
                    "{} renewed",
                    self.label
                );
                Ok(Some(ks))
            }
            Err(e) => {
                tracing::warn!(
                    target: "kaltura_runtime",
                    session = self.label,
                    code = e.code().unwrap_or(""),
                    error = %e,
                    "renewing the {} failed",
                    self.label
                );
                let e = Arc::new(e);
                *lock(&self.shared.last_error) = Some(e.clone());
                Err(e)
            }
        }
    }

    /// Starts the task that renews the session `before` it expires.
    pub(crate) fn spawn(self: &Arc<Self>, client: &Client, before: Duration) -> Renewal<S> {
        // Timed from now, when the session arrived, not from the task's first poll.
        let due = self
            .time_left()
            .map(|left| tokio::time::Instant::now() + wait_before_renewing(left, before));
        let task = tokio::spawn(renew_loop(
            Arc::downgrade(&client.inner),
            self.clone(),
            before,
            due,
        ));
        *lock(&self.shared.task) = Some(task.abort_handle());
        Renewal {
            shared: self.shared.clone(),
        }
    }
}

impl<S: Renewable> Renew for Source<S> {
    fn renew<'a>(&'a self, client: &'a Client, stale: &'a Secret) -> Renewing<'a> {
        Box::pin(self.renew_now(client, stale))
    }
}

/// Renewing ahead of time runs a task on tokio: refused before anything is sent when
/// there is no tokio runtime to run it on.
/// `what` names the session with its article ("an admin session").
pub(crate) fn can_renew(what: &str, renew_before: Option<Duration>) -> Result<(), Error> {
    if renew_before.is_some() && tokio::runtime::Handle::try_current().is_err() {
        return Err(Error::InvalidInput(format!(
            "renewing {what} needs a tokio runtime to run on"
        )));
    }
    Ok(())
}

/// Longest wait between two attempts after a failed renewal.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(300);
const FIRST_RETRY_WAIT: Duration = Duration::from_secs(5);

async fn renew_loop<S: Renewable>(
    client: Weak<crate::client::Inner>,
    source: Arc<Source<S>>,
    before: Duration,
    first_due: Option<tokio::time::Instant>,
) {
    let label = source.label;
    let Some(mut due) = first_due else {
        tracing::warn!(
            target: "kaltura_runtime",
            session = label,
            "the {label} has no expiry; it will not be renewed ahead of time"
        );
        return;
    };
    let next_due = |source: &Source<S>| {
        let left = source.time_left().unwrap_or(before * 2);
        tokio::time::Instant::now() + wait_before_renewing(left, before)
    };
    // The KS `due` was reckoned for.
    let mut scheduled = source.latest_ks();
    let mut failures = 0u32;
    loop {
        tokio::time::sleep_until(due).await;
        let Some(inner) = client.upgrade() else {
            return;
        };
        let client = Client { inner };
        let latest = source.latest_ks();
        if latest != scheduled && client.ks().as_ref() == Some(&latest) {
            // Renewed on demand meanwhile: the schedule follows the new session.
            scheduled = latest;
            due = next_due(&source);
            continue;
        }
        match source.renew_now(&client, &latest).await {
            Ok(Some(ks)) => {
                scheduled = ks;
                failures = 0;
                due = next_due(&source);
            }
            Ok(None) => {
                tracing::info!(
                    target: "kaltura_runtime",
                    session = label,
                    "the client's KS was replaced; the {label} is no longer renewed"
                );
                return;
            }
            Err(e) => {
                if (source.permanent)(&e) {
                    return;
                }
                failures += 1;
                due = tokio::time::Instant::now()
                    + FIRST_RETRY_WAIT
                        .saturating_mul(1 << (failures - 1).min(10))
                        .min(MAX_RETRY_WAIT);
            }
        }
    }
}

/// The renewal task of a session (see [`crate::session`]). Clones share the task;
/// dropping them does not stop it (the task ends with the client).
pub struct Renewal<S> {
    shared: Arc<Shared<S>>,
}

impl<S> Clone for Renewal<S> {
    fn clone(&self) -> Self {
        Renewal {
            shared: self.shared.clone(),
        }
    }
}

impl<S> fmt::Debug for Renewal<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Renewal")
            .field("running", &self.is_running())
            .field("renewals", &self.renewals())
            .finish()
    }
}

impl<S> Renewal<S> {
    /// Stops renewing ahead of time; the KS on the client stays until it expires.
    pub fn stop(&self) {
        if let Some(task) = lock(&self.shared.task).as_ref() {
            task.abort();
        }
    }

    /// Whether the task is still renewing.
    pub fn is_running(&self) -> bool {
        lock(&self.shared.task)
            .as_ref()
            .is_some_and(|t| !t.is_finished())
    }

    /// How many times the session was renewed (ahead of time or on demand).
    pub fn renewals(&self) -> u64 {
        self.shared.renewals.load(Ordering::SeqCst)
    }

    /// The error of the last renewal that failed, if the last attempt failed.
    pub fn last_error(&self) -> Option<Arc<Error>> {
        lock(&self.shared.last_error).clone()
    }
}

impl<S: Renewable> Renewal<S> {
    /// The session the client has now (the first one until a renewal).
    pub fn latest(&self) -> S {
        lock(&self.shared.latest).clone().with_renewal(self.clone())
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// How long to wait before renewing a session that has `left` to live: `before` its
/// end, but at least half of it, so a short session is not renewed in a loop.
fn wait_before_renewing(left: Duration, before: Duration) -> Duration {
    left.saturating_sub(before)
        .max(left / 2)
        .max(Duration::from_secs(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    #[test]
    fn renewal_waits() {
        let s = Duration::from_secs;
        assert_eq!(wait_before_renewing(s(3600), s(300)), s(3300));
        assert_eq!(wait_before_renewing(s(400), s(300)), s(200));
        assert_eq!(wait_before_renewing(s(0), s(300)), s(1));
    }

    #[test]
    fn expired_sessions_are_told_by_their_error() {
        let api = |code: &str, message: &str, args: &[(&str, &str)]| {
            let mut e = ApiError::new(code, message);
            e.args = args
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            e
        };
        let expired = api(
            "INVALID_KS",
            "Invalid KS \"<redacted>\", Error \"-5,EXPIRED\"",
            &[
                ("KSID", "<redacted>"),
                ("ERR_CODE", "-5"),
                ("ERR_DESC", "EXPIRED"),
            ],
        );
        assert!(expired.is_expired_ks());
        assert!(api("INVALID_KS", "Invalid KS \"x\", Error \"-5,EXPIRED\"", &[]).is_expired_ks());
        assert!(api("EXPIRED_KS", "", &[]).is_expired_ks());
        // Ended on purpose, or never valid: a new session is not the answer.
        let logout = api(
            "INVALID_KS",
            "Invalid KS \"x\", Error \"-6,LOGOUT\"",
            &[("ERR_CODE", "-6"), ("ERR_DESC", "LOGOUT")],
        );
        assert!(!logout.is_expired_ks());
        assert!(!api(
            "INVALID_KS",
            "Invalid KS \"x\", Error \"-1,INVALID_STR\"",
            &[]
        )
        .is_expired_ks());
        assert!(!api("MISSING_KS", "Missing KS", &[]).is_expired_ks());
    }
}
