//! The client: the settings it carries and the session sent with every call. Sending
//! lives in [`crate::orchestrator`], multirequests in [`crate::multirequest`].

use crate::codec::{Encode, Json};
use crate::config::ClientConfig;
use crate::error::Error;
use crate::request::{CallOptions, FileParam};
use crate::secret::Secret;
use crate::transport::{HttpBody, HttpRequest, Multipart, Transport};
use bytes::Bytes;
use serde_json::{Map, Value};
use std::fmt;
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
    pub(crate) source: Mutex<Option<Arc<dyn crate::session::Renew>>>,
}

/// A Kaltura API client. Cheap to clone (clones share the session and the connection
/// pool) and safe to share across tasks.
///
/// ```no_run
/// # async fn demo() -> Result<(), kaltura_client::Error> {
/// use kaltura_client::Client;
/// use kaltura_client::types::*;
///
/// let client = Client::builder("https://www.kaltura.com").build()?;
/// let ks = client
///     .session()
///     .start("admin secret")
///     .partner_id(1234567)
///     .r#type(KalturaSessionType::Admin)
///     .await?;
/// client.set_ks(ks);
/// let page = client
///     .media()
///     .list()
///     .pager(KalturaFilterPager { page_size: 50.into(), ..Default::default() })
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
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Config {
    /// All four (a single call).
    All,
    /// `ks` and `partnerId` (top level of a multirequest).
    Session,
    /// `language` and `responseProfile`, plus `ks`/`partnerId` only when the call
    /// overrides them (a multirequest item).
    Item,
}

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

    fn settings(&self) -> SessionSettings {
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

    /// `format`, `clientTag`, `apiVersion`.
    pub(crate) fn client_params(&self) -> Map<String, Json> {
        let mut p = Map::new();
        p.insert("format".into(), Value::from(1));
        p.insert(
            "clientTag".into(),
            Value::String(self.inner.config.client_tag.clone()),
        );
        p.insert(
            "apiVersion".into(),
            Value::String(self.inner.config.api_version.clone()),
        );
        p
    }

    /// Adds the request configuration: the call's overrides, else the client's.
    /// Parameters the action itself has (`partnerId` of `session.start`) win.
    pub(crate) fn add_config(
        &self,
        body: &mut Map<String, Json>,
        options: &CallOptions,
        which: Config,
    ) {
        let session = self.settings();
        let mut put = |name: &str, value: Option<Json>| {
            if let Some(v) = value {
                if !body.contains_key(name) {
                    body.insert(name.to_string(), v);
                }
            }
        };
        let (ks, partner_id) = match which {
            Config::All | Config::Session => (
                options.ks.as_ref().or(session.ks.as_ref()),
                options.partner_id.or(session.partner_id),
            ),
            Config::Item => (options.ks.as_ref(), options.partner_id),
        };
        put("ks", ks.map(|k| Value::String(k.expose().to_string())));
        put("partnerId", partner_id.map(Value::from));
        if which != Config::Session {
            put(
                "language",
                options
                    .language
                    .as_ref()
                    .or(session.language.as_ref())
                    .map(|l| Value::String(l.clone())),
            );
            put(
                "responseProfile",
                options
                    .response_profile
                    .as_ref()
                    .or(session.response_profile.as_ref())
                    .cloned(),
            );
        }
    }

    pub(crate) fn service_url(&self) -> &str {
        &self.inner.config.service_url
    }

    pub(crate) fn action_url(&self, service: &str, action: &str) -> String {
        format!(
            "{}/api_v3/service/{}/action/{}",
            self.inner.config.service_url, service, action
        )
    }

    /// The HTTP request for a JSON document and its files.
    pub(crate) fn post(
        &self,
        url: String,
        body: Map<String, Json>,
        files: Vec<(String, FileParam)>,
    ) -> Result<HttpRequest, Error> {
        if !self.inner.config.may_send_secrets()
            && !crate::redact::Redactor::from_params(&body).is_empty()
        {
            return Err(Error::InvalidInput(format!(
                "refusing to send a KS or secret over plain HTTP to {}: use https://, or \
                 allow it with `ClientBuilder::allow_insecure_http(true)` on a network you trust",
                crate::config::shown_url(&self.inner.config.service_url)
            )));
        }
        let json = Bytes::from(
            serde_json::to_vec(&Value::Object(body))
                .map_err(|e| Error::InvalidInput(format!("cannot encode the parameters: {e}")))?,
        );
        let (body, timeout) = if files.is_empty() {
            (HttpBody::Json(json), self.inner.config.timeout)
        } else {
            (
                HttpBody::Multipart(Multipart::new(json, files)),
                self.inner.config.upload_timeout,
            )
        };
        Ok(HttpRequest {
            method: http::Method::POST,
            url,
            headers: vec![
                ("Accept".into(), "application/json".into()),
                ("User-Agent".into(), self.inner.config.user_agent.clone()),
            ],
            body,
            timeout: Some(timeout),
        })
    }
}
