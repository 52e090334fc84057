//! The client: the settings it carries and the session sent with every call. Sending
//! lives in [`crate::orchestrator`], multirequests in [`crate::multirequest`].

use crate::codec::{Encode, Json};
use crate::config::ClientConfig;
use crate::error::Error;
use crate::secret::Secret;
use crate::transport::Transport;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, RwLock};

/// Request-level settings sent with every call unless a call overrides them
/// (Kaltura's "request configuration").
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SessionSettings {
    pub ks: Option<Secret>,
    pub partner_id: Option<i64>,
    pub language: Option<String>,
    pub response_profile: Option<Json>,
}

pub(crate) struct Inner {
    pub(crate) config: ClientConfig,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) session: RwLock<SessionSettings>,
    /// The session the client started itself and can start again (see
    /// [`crate::session`]); forgotten when a KS is set by hand.
    pub(crate) source: Mutex<Option<Arc<dyn Renew>>>,
}

/// A Kaltura API client. Cheap to clone (clones share the session and the connection
/// pool) and safe to share across tasks.
///
/// `kaltura_client::Client` wraps it, adding a method per service and the default
/// transport (the [client guide's quick
/// start](https://docs.rs/kaltura-client/latest/kaltura_client/#quick-start)). On its
/// own it calls actions by name, through the transport it is given:
///
/// ```no_run
/// # async fn demo(transport: impl kaltura_runtime::transport::Transport) -> Result<(), kaltura_runtime::Error> {
/// use kaltura_runtime::Client;
/// use serde_json::json;
///
/// // `transport`: kaltura-reqwest's `ReqwestTransport`, a `MockTransport`, your own.
/// let client = Client::builder("https://www.kaltura.com").transport(transport).build()?;
/// client.start_admin_session(1234567, "admin secret").await?;
/// let params = json!({"pager": {"objectType": "KalturaFilterPager", "pageSize": 50}});
/// let page = client
///     .call_json("media", "list", params.as_object().cloned().unwrap_or_default(), vec![])
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.settings();
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .field("ks", &s.ks)
            .field("partner_id", &s.partner_id)
            .field("language", &s.language)
            .field("response_profile", &s.response_profile.is_some())
            .finish_non_exhaustive()
    }
}

/// A GET URL for a serve action. It carries the KS in its query, so `Debug` hides it;
/// [`ServeUrl::as_str`] gives the whole URL.
#[derive(Clone, PartialEq, Eq)]
pub struct ServeUrl {
    pub(crate) url: String,
    pub(crate) shown: String,
}

impl ServeUrl {
    pub fn as_str(&self) -> &str {
        &self.url
    }

    pub fn into_string(self) -> String {
        self.url
    }
}

impl fmt::Debug for ServeUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ServeUrl").field(&self.shown).finish()
    }
}

/// Which request-configuration parameters go where.
impl Client {
    /// A client that sends through `transport` (a mock, a middleware stack, ...).
    pub fn with_transport(config: ClientConfig, transport: impl Transport) -> Self {
        Client {
            inner: Arc::new(Inner {
                config,
                transport: Arc::new(transport),
                session: RwLock::new(SessionSettings::default()),
                source: Mutex::new(None),
            }),
        }
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    pub(crate) fn settings(&self) -> SessionSettings {
        self.inner
            .session
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn update_session(&self, f: impl FnOnce(&mut SessionSettings)) {
        let mut s = self
            .inner
            .session
            .write()
            .unwrap_or_else(|e| e.into_inner());
        f(&mut s);
    }

    /// Sets (or replaces, e.g. after renewal) the KS sent with every call. Calls
    /// already under way keep the KS they started with. A session the client started
    /// itself (admin secret, app token) is no longer renewed: the client forgets its
    /// credential.
    pub fn set_ks(&self, ks: impl Into<Secret>) {
        let ks = ks.into();
        self.forget_session_source();
        self.update_session(|s| s.ks = Some(ks));
    }

    /// Stops sending a KS, and forgets the credential of a session the client started
    /// itself.
    pub fn clear_ks(&self) {
        self.forget_session_source();
        self.update_session(|s| s.ks = None);
    }

    /// The session the client can renew, if it started one.
    pub(crate) fn session_source(&self) -> Option<Arc<dyn Renew>> {
        self.inner
            .source
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn forget_session_source(&self) {
        *self.inner.source.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Replaces the KS with one the client's own session gave, keeping the means to
    /// renew it (unlike [`Client::set_ks`]).
    pub(crate) fn set_renewed_ks(&self, ks: Secret) {
        self.update_session(|s| s.ks = Some(ks));
    }

    pub fn ks(&self) -> Option<Secret> {
        self.settings().ks
    }

    /// Impersonates another partner on every call (`None` stops).
    pub fn set_partner_id(&self, partner_id: Option<i64>) {
        self.update_session(|s| s.partner_id = partner_id);
    }

    pub fn partner_id(&self) -> Option<i64> {
        self.settings().partner_id
    }

    pub fn set_language(&self, language: Option<String>) {
        self.update_session(|s| s.language = language);
    }

    /// A response profile for every call (`None` stops); a call's own
    /// `with_response_profile` wins.
    pub fn set_response_profile(&self, profile: Option<&dyn Encode>) {
        let profile = profile.map(|p| p.encode());
        self.update_session(|s| s.response_profile = profile);
    }
}

/// A renewal on demand under way: the KS to send again with, if any.
pub(crate) type Renewing<'a> =
    Pin<Box<dyn Future<Output = Result<Option<Secret>, Arc<Error>>> + Send + 'a>>;

/// What the call loop asks of a client's session when a call is refused for an
/// expired KS. Implemented by [`crate::session`], which starts and keeps sessions;
/// declared here, where the client holds it, so the client never imports the module
/// that starts sessions through it.
pub(crate) trait Renew: Send + Sync {
    /// A KS to send the call with again: a new session's, unless the KS the call was
    /// sent with (`stale`) is no longer the client's own. `None` when the client's KS
    /// was replaced by hand.
    fn renew<'a>(&'a self, client: &'a Client, stale: &'a Secret) -> Renewing<'a>;
}
