//! The client: configuration, the session it carries, and the one generic `send`.

use crate::codec::{Encode, Json};
use crate::error::{snippet, ApiError, Error, Secrets};
use crate::logging;
use crate::multirequest::MultiRequest;
use crate::request::{CallOptions, FileParam, Output, Request, ServedFile};
use crate::retry::{is_read_like, Retry, RetryPolicy};
use crate::secret::Secret;
use crate::transport::{HttpBody, HttpRequest, HttpResponse, Multipart, Transport};
use bytes::Bytes;
use serde_json::{Map, Value};
use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tracing::Instrument;

/// How the default transport reaches the server.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Proxy {
    /// The proxy the environment names (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`).
    #[default]
    System,
    /// Connect directly, whatever the environment says.
    Disabled,
    /// Every request through this proxy (`http://host:3128`, `socks5://...` where
    /// supported). Credentials in it are never printed.
    Url(String),
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Proxy::System => f.write_str("System"),
            Proxy::Disabled => f.write_str("Disabled"),
            Proxy::Url(url) => {
                // scheme://user:password@host -> scheme://<redacted>@host
                let shown = match url.split_once("://") {
                    Some((scheme, rest)) => {
                        let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
                        match authority.rfind('@') {
                            Some(at) => format!("{scheme}://<redacted>@{}", &rest[at + 1..]),
                            None => url.clone(),
                        }
                    }
                    None => url.clone(),
                };
                f.debug_tuple("Url").field(&shown).finish()
            }
        }
    }
}

/// Client-level settings (Kaltura's "client configuration" plus HTTP settings).
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// e.g. `https://www.kaltura.com`; `/api_v3/...` is appended.
    pub service_url: String,
    /// Free text the server logs with each call.
    pub client_tag: String,
    /// The API version this client was generated from.
    pub api_version: String,
    /// Time allowed for one attempt of a call (sending, waiting, reading the answer).
    /// The transport enforces it, and so does the client when it runs on tokio (whose
    /// time driver must be enabled, as reqwest also requires). With a retry policy,
    /// each attempt has this much time.
    pub timeout: Duration,
    /// Time allowed to open a connection (default transport only; a custom transport
    /// sets its own).
    pub connect_timeout: Duration,
    /// Time allowed for one attempt of a call that uploads files (each chunk of a
    /// chunked upload is one such call). Replaces `timeout` for those calls.
    pub upload_timeout: Duration,
    pub user_agent: String,
    pub proxy: Proxy,
    /// Repeats failed calls that are safe to repeat (see [`crate::retry`]); `None`
    /// (the default) sends every call once.
    pub retry: Option<RetryPolicy>,
}

impl ClientConfig {
    pub fn new(service_url: impl Into<String>) -> Self {
        ClientConfig {
            service_url: service_url.into().trim().trim_end_matches('/').to_string(),
            client_tag: format!("rust:{}", env!("CARGO_PKG_VERSION")),
            api_version: crate::generated::API_VERSION.to_string(),
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            upload_timeout: Duration::from_secs(1800),
            user_agent: format!("kaltura-rs/{}", env!("CARGO_PKG_VERSION")),
            proxy: Proxy::System,
            retry: None,
        }
    }

    fn check(&self) -> Result<(), Error> {
        let url = self.service_url.to_ascii_lowercase();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        match rest {
            Some(host) if !host.is_empty() && !host.starts_with('/') => {}
            _ => {
                return Err(Error::InvalidInput(format!(
                    "the service URL `{}` must start with http:// or https:// and name a host \
                     (e.g. https://www.kaltura.com)",
                    self.service_url
                )))
            }
        }
        if self.service_url.contains(['?', '#']) {
            return Err(Error::InvalidInput(format!(
                "the service URL `{}` must not have a query or fragment",
                self.service_url
            )));
        }
        for (name, d) in [
            ("timeout", self.timeout),
            ("connect_timeout", self.connect_timeout),
            ("upload_timeout", self.upload_timeout),
        ] {
            if d.is_zero() {
                return Err(Error::InvalidInput(format!("`{name}` must not be zero")));
            }
        }
        if let Some(policy) = &self.retry {
            policy.check()?;
        }
        Ok(())
    }
}

/// Request-level settings sent with every call unless a call overrides them
/// (Kaltura's "request configuration").
#[derive(Debug, Clone, Default)]
pub struct SessionSettings {
    pub ks: Option<Secret>,
    pub partner_id: Option<i64>,
    pub language: Option<String>,
    pub response_profile: Option<Json>,
}

struct Inner {
    config: ClientConfig,
    transport: Arc<dyn Transport>,
    session: RwLock<SessionSettings>,
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
    inner: Arc<Inner>,
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

/// Builds a [`Client`]: `Client::builder(url).timeout(..).ks(..).build()`.
pub struct ClientBuilder {
    config: ClientConfig,
    session: SessionSettings,
    transport: Option<Arc<dyn Transport>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("config", &self.config)
            .field("session", &self.session)
            .field("custom_transport", &self.transport.is_some())
            .finish()
    }
}

impl ClientBuilder {
    pub fn client_tag(mut self, tag: impl Into<String>) -> Self {
        self.config.client_tag = tag.into();
        self
    }

    /// Overrides the `apiVersion` sent (by default the schema's, [`crate::API_VERSION`]).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.config.api_version = version.into();
        self
    }

    /// Time allowed for a whole call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole call that uploads files.
    pub fn upload_timeout(mut self, timeout: Duration) -> Self {
        self.config.upload_timeout = timeout;
        self
    }

    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.config.user_agent = user_agent.into();
        self
    }

    pub fn proxy(mut self, proxy: Proxy) -> Self {
        self.config.proxy = proxy;
        self
    }

    /// Repeats failed calls that are safe to repeat, under `policy` (off by default;
    /// see [`crate::retry`] for what is retried).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = Some(policy);
        self
    }

    /// The KS sent with every call (replace it later with [`Client::set_ks`]).
    pub fn ks(mut self, ks: impl Into<Secret>) -> Self {
        self.session.ks = Some(ks.into());
        self
    }

    /// Acts on behalf of this partner on every call (impersonation).
    pub fn partner_id(mut self, partner_id: i64) -> Self {
        self.session.partner_id = Some(partner_id);
        self
    }

    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.session.language = Some(language.into());
        self
    }

    /// A response profile applied to every call.
    pub fn response_profile(mut self, profile: &impl Encode) -> Self {
        self.session.response_profile = Some(profile.encode());
        self
    }

    /// Sends through `transport` (a mock, a middleware stack, ...) instead of the
    /// default reqwest transport. The HTTP settings (connect timeout, proxy) are then
    /// the transport's business; the call timeouts still apply.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        self.config.check()?;
        let transport: Arc<dyn Transport> =
            match self.transport {
                Some(t) => t,
                #[cfg(feature = "reqwest")]
                None => Arc::new(crate::transport::ReqwestTransport::build(
                    self.config.connect_timeout,
                    &self.config.proxy,
                )?),
                #[cfg(not(feature = "reqwest"))]
                None => return Err(Error::InvalidInput(
                    "no transport: enable the `reqwest` feature or pass one with `.transport(..)`"
                        .into(),
                )),
            };
        Ok(Client {
            inner: Arc::new(Inner {
                config: self.config,
                transport,
                session: RwLock::new(self.session),
            }),
        })
    }
}

/// A GET URL for a serve action. It carries the KS in its query, so `Debug` hides it;
/// [`ServeUrl::as_str`] gives the whole URL.
#[derive(Clone, PartialEq, Eq)]
pub struct ServeUrl {
    url: String,
    shown: String,
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
    /// Starts a [`ClientBuilder`] for the service at `service_url`.
    pub fn builder(service_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            config: ClientConfig::new(service_url),
            session: SessionSettings::default(),
            transport: None,
        }
    }

    /// A client with default settings and the default transport.
    #[cfg(feature = "reqwest")]
    pub fn new(service_url: impl Into<String>) -> Result<Self, Error> {
        Self::builder(service_url).build()
    }

    /// A client with these settings and the default transport.
    #[cfg(feature = "reqwest")]
    pub fn with_config(config: ClientConfig) -> Result<Self, Error> {
        ClientBuilder {
            config,
            session: SessionSettings::default(),
            transport: None,
        }
        .build()
    }

    /// A client that sends through `transport` (a mock, a middleware stack, ...).
    pub fn with_transport(config: ClientConfig, transport: impl Transport) -> Self {
        Client {
            inner: Arc::new(Inner {
                config,
                transport: Arc::new(transport),
                session: RwLock::new(SessionSettings::default()),
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
    /// already under way keep the KS they started with.
    pub fn set_ks(&self, ks: impl Into<Secret>) {
        let ks = ks.into();
        self.update_session(|s| s.ks = Some(ks));
    }

    pub fn clear_ks(&self) {
        self.update_session(|s| s.ks = None);
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

    /// A new, empty multirequest sent through this client.
    pub fn multirequest(&self) -> MultiRequest {
        MultiRequest::new(self.clone())
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

    /// Sends one request and decodes its result. A served file (`SERVES_FILE`
    /// actions) comes back as [`ServedFile`] bytes, never through the JSON decoder.
    pub async fn send<R: Request>(&self, request: R) -> Result<R::Output, Error> {
        let (response, secrets) = self.exchange(request).await?;
        let result = if R::SERVES_FILE {
            served_file(response)
        } else {
            decode_response(&response)
        };
        result.map_err(|e| e.redact(&secrets))
    }

    /// Sends one request and returns its result as JSON, after the same error checks
    /// as [`Client::send`]: for properties or classes newer than this client's schema.
    pub async fn send_json<R: Request>(&self, request: R) -> Result<Json, Error> {
        if R::SERVES_FILE {
            return Err(Error::InvalidInput(format!(
                "{}.{} serves a file, not JSON; use `send`",
                R::SERVICE,
                R::ACTION
            )));
        }
        let (response, secrets) = self.exchange(request).await?;
        parse_body(&response).map_err(|e| e.redact(&secrets))
    }

    async fn exchange<R: Request>(&self, mut request: R) -> Result<(HttpResponse, Secrets), Error> {
        let files: Vec<(String, FileParam)> = request
            .take_files()
            .into_iter()
            .map(|(n, f)| (n.to_string(), f))
            .collect();
        let mut body = self.client_params();
        body.extend(request.params().into_map());
        self.add_config(&mut body, request.options(), Config::All);
        let secrets = Secrets::collect(&Value::Object(body.clone()));
        let http = self.post(self.action_url(R::SERVICE, R::ACTION), body, files)?;
        let label = format!("{}.{}", R::SERVICE, R::ACTION);
        let retry = request.options().retry.clone();
        match self.execute_call(&label, &[R::ACTION], &retry, http).await {
            Ok(response) => Ok((response, secrets)),
            Err(e) => Err(e.redact(&secrets)),
        }
    }

    /// A signed GET URL for a request, as the vendor's Python client builds for serve
    /// actions: `{serviceUrl}/api_v3/service/<id>/action/<action>?<params>`, objects
    /// in bracket notation (`thumbParams[width]=320`), the KS included. Hand it to a
    /// browser or player; nothing is sent.
    pub fn serve_url<R: Request>(&self, mut request: R) -> Result<ServeUrl, Error> {
        if !request.take_files().is_empty() {
            return Err(Error::InvalidInput(format!(
                "{}.{} uploads a file and cannot be a URL",
                R::SERVICE,
                R::ACTION
            )));
        }
        let mut body = self.client_params();
        body.extend(request.params().into_map());
        self.add_config(&mut body, request.options(), Config::All);
        let secrets = Secrets::collect(&Value::Object(body.clone()));
        let mut pairs = Vec::new();
        for (k, v) in &body {
            flatten_query(k.clone(), v, &mut pairs);
        }
        let base = self.action_url(R::SERVICE, R::ACTION);
        let render = |hide: bool| {
            let query: Vec<String> = pairs
                .iter()
                .map(|(k, v)| {
                    let v = if hide && !secrets.is_empty() && secrets.scrub(v) != *v {
                        "<redacted>".to_string()
                    } else {
                        url_encode(v)
                    };
                    format!("{}={}", url_encode(k), v)
                })
                .collect();
            format!("{base}?{}", query.join("&"))
        };
        Ok(ServeUrl {
            url: render(false),
            shown: render(true),
        })
    }

    /// Sends one HTTP request for the call `label` (`service.action`) under the
    /// retry rule for its action.
    pub(crate) async fn execute(
        &self,
        label: &str,
        request: HttpRequest,
    ) -> Result<HttpResponse, Error> {
        let action = label.split_once('.').map_or("", |(_, a)| a);
        self.execute_call(label, &[action], &Retry::Auto, request)
            .await
    }

    /// The one place every HTTP exchange goes through: a `kaltura.call` span, as many
    /// attempts as the retry rule allows ([`crate::retry`]), the time limit of each
    /// attempt, and the logs. `actions` are the action names the request carries
    /// (one, or every item of a multirequest).
    ///
    /// Logs name the call, status, size and time, and for a failure only its kind:
    /// error texts may hold what the server or a transport echoed, and are redacted
    /// by the callers. Bodies are logged at TRACE only, with every KS, secret and
    /// password blanked out.
    pub(crate) async fn execute_call(
        &self,
        label: &str,
        actions: &[&str],
        retry: &Retry,
        request: HttpRequest,
    ) -> Result<HttpResponse, Error> {
        let (service, action) = label.split_once('.').unwrap_or((label, ""));
        let read_like = !actions.is_empty() && actions.iter().all(|a| is_read_like(a));
        let policy = retry.resolve(self.inner.config.retry.as_ref(), read_like);
        if let Some(p) = &policy {
            p.check()?;
        }
        let span = tracing::info_span!(
            target: "kaltura_client",
            "kaltura.call",
            call = label,
            service,
            action,
            attempt = 0u32,
            status = tracing::field::Empty,
            error = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        self.attempts(label, policy, request, span.clone())
            .instrument(span)
            .await
    }

    async fn attempts(
        &self,
        label: &str,
        policy: Option<RetryPolicy>,
        request: HttpRequest,
        span: tracing::Span,
    ) -> Result<HttpResponse, Error> {
        let started = Instant::now();
        let trace = tracing::enabled!(target: "kaltura_client", tracing::Level::TRACE);
        let secrets = if trace {
            let secrets = logging::request_secrets(&request.body);
            tracing::trace!(
                target: "kaltura_client",
                call = label,
                body = %logging::request_body(&request.body, &secrets),
                "request body"
            );
            secrets
        } else {
            Secrets::default()
        };
        // Sleeping between attempts needs tokio's timer.
        let can_sleep = tokio::runtime::Handle::try_current().is_ok();
        let max = match &policy {
            Some(p) if can_sleep => p.attempts().max(1),
            _ => 1,
        };
        let mut template = Some(request);
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let Some(current) = template.take() else {
                return Err(Error::InvalidInput(format!(
                    "internal error: no request left for attempt {attempt} of {label}"
                )));
            };
            let (to_send, replayable) = if attempt < max {
                match current.try_clone() {
                    Some(copy) => {
                        template = Some(current);
                        (copy, true)
                    }
                    None => {
                        tracing::debug!(
                            target: "kaltura_client",
                            call = label,
                            "sent once: a file part read from a reader cannot be sent again"
                        );
                        (current, false)
                    }
                }
            } else {
                (current, false)
            };
            tracing::debug!(target: "kaltura_client", call = label, attempt, "sending");
            let attempt_started = Instant::now();
            let result = self.send_once(to_send).await;
            let elapsed_ms = attempt_started.elapsed().as_millis() as u64;
            match &result {
                Ok(r) => {
                    tracing::debug!(
                        target: "kaltura_client",
                        call = label,
                        attempt,
                        status = r.status,
                        bytes = r.body.len(),
                        elapsed_ms,
                        "answered"
                    );
                    if trace {
                        tracing::trace!(
                            target: "kaltura_client",
                            call = label,
                            status = r.status,
                            body = %logging::response_body(r, &secrets),
                            "response body"
                        );
                    }
                }
                Err(e) => tracing::debug!(
                    target: "kaltura_client",
                    call = label,
                    attempt,
                    elapsed_ms,
                    error = error_kind(e),
                    "failed"
                ),
            }
            let again = match (&policy, replayable) {
                (Some(p), true) => retry_delay(p, attempt, &result),
                _ => None,
            };
            match again {
                Some((delay, reason)) => {
                    tracing::info!(
                        target: "kaltura_client",
                        call = label,
                        attempt,
                        reason,
                        delay_ms = delay.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                }
                None => {
                    match &result {
                        Ok(r) => span.record("status", r.status),
                        Err(e) => span.record("error", error_kind(e)),
                    };
                    span.record("duration_ms", started.elapsed().as_millis() as u64);
                    return result;
                }
            }
        }
    }

    /// One attempt, bounded by the request's time limit.
    async fn send_once(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let timeout = request.timeout;
        let send = self.inner.transport.send(request);
        match timeout {
            // The transport should enforce the timeout itself; this bounds any that
            // does not. It needs tokio's timer, so only on a tokio runtime.
            Some(t) if tokio::runtime::Handle::try_current().is_ok() => {
                match tokio::time::timeout(t, send).await {
                    Ok(r) => r,
                    Err(_) => Err(Error::Timeout(t)),
                }
            }
            _ => send.await,
        }
    }
}

/// Whether an attempt's outcome is worth another attempt, and after how long:
/// connection failures, timeouts, and HTTP 429/5xx answers that carry no API error.
/// `Retry-After` on a 429 or 503 sets the least wait; one beyond the policy's limit
/// ends the call.
fn retry_delay(
    policy: &RetryPolicy,
    attempt: u32,
    result: &Result<HttpResponse, Error>,
) -> Option<(Duration, &'static str)> {
    let (asked, reason) = match result {
        Err(e) if e.is_retryable() => (None, error_kind(e)),
        Err(_) => return None,
        Ok(r) if r.status == 429 || (500..600).contains(&r.status) => {
            if matches!(parse_body(r), Err(Error::Api(_))) {
                return None;
            }
            let asked = if r.status == 429 || r.status == 503 {
                crate::retry::retry_after(&r.headers)
            } else {
                None
            };
            (
                asked,
                if r.status == 429 {
                    "http 429"
                } else {
                    "http 5xx"
                },
            )
        }
        Ok(_) => return None,
    };
    let backoff = policy.backoff_for(attempt);
    match asked {
        Some(wait) if wait > policy.retry_after_limit() => None,
        Some(wait) => Some((wait.max(backoff), reason)),
        None => Some((backoff, reason)),
    }
}

fn error_kind(e: &Error) -> &'static str {
    match e {
        Error::Api(_) => "api",
        Error::Transport { .. } => "transport",
        Error::Timeout(_) => "timeout",
        Error::Http { .. } => "http status",
        Error::UnexpectedBody { .. } => "unexpected body",
        Error::Decode(_) => "decode",
        Error::InvalidInput(_) => "invalid input",
        Error::Ks(_) => "ks",
    }
}

/// Sends a request with the client it was made from (`client.media().list().await`).
pub async fn send_bound<R: Request>(request: R) -> Result<R::Output, Error> {
    let client = request.options().client.clone().ok_or_else(|| {
        Error::InvalidInput(
            "this request was not made from a client; send it with `client.send(request)`".into(),
        )
    })?;
    client.send(request).await
}

/// Flattens a parameter into query pairs, objects and arrays in bracket notation.
fn flatten_query(key: String, value: &Json, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push((key, if *b { "1" } else { "0" }.into())),
        Value::Number(n) => out.push((key, n.to_string())),
        Value::String(s) => out.push((key, s.clone())),
        Value::Array(items) if items.is_empty() => out.push((format!("{key}[-]"), String::new())),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten_query(format!("{key}[{i}]"), v, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                flatten_query(format!("{key}[{k}]"), v, out);
            }
        }
    }
}

fn url_encode(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Decodes a JSON answer as `O`.
pub(crate) fn decode_response<O: Output>(response: &HttpResponse) -> Result<O, Error> {
    let value = parse_body(response)?;
    if value.is_null() && response.body.iter().all(u8::is_ascii_whitespace) {
        // An empty body: fine for actions that return nothing.
        return O::from_json(Value::Null).map_err(|_| Error::UnexpectedBody {
            content_type: content_type_of(response),
            snippet: "(empty body)".into(),
        });
    }
    O::from_json(value).map_err(Error::Decode)
}

/// A served file's bytes, handed to `O` without the JSON decoder; an API error that
/// the server sends instead of the file is still reported as one.
pub(crate) fn served_file<O: Output>(response: HttpResponse) -> Result<O, Error> {
    let content_type = response.content_type().map(str::to_ascii_lowercase);
    let first = response
        .body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied();
    let small = response.body.len() <= 64 * 1024;
    if small && (content_type.as_deref().is_some_and(|c| c.contains("json")) || first == Some(b'{'))
    {
        // Only an explicit exception: a served JSON file may well have `code` and
        // `message` properties of its own.
        if let Ok(v) = serde_json::from_slice::<Json>(strip_bom(&response.body)) {
            if crate::codec::object_type(&v) == Some("KalturaAPIException") {
                if let Some(e) = api_error(&v) {
                    return Err(Error::Api(e));
                }
            }
        }
    }
    if content_type.as_deref().is_some_and(|c| c.contains("xml")) || first == Some(b'<') {
        if let Some(e) = xml_api_error(&response.body) {
            return Err(Error::Api(e));
        }
    }
    if !is_success(response.status) {
        return Err(Error::Http {
            status: response.status,
            body_snippet: snippet(&response.body, 200),
        });
    }
    O::from_served(ServedFile {
        content_type: response.content_type().map(str::to_string),
        bytes: response.body,
    })
    .map_err(Error::Decode)
}

fn content_type_of(response: &HttpResponse) -> String {
    response
        .content_type()
        .unwrap_or("no content type")
        .to_string()
}

fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// Reads a JSON body, turning Kaltura errors and non-JSON answers into typed errors.
/// An empty 2xx body reads as JSON `null`.
pub(crate) fn parse_body(response: &HttpResponse) -> Result<Json, Error> {
    let body = strip_bom(&response.body);
    if is_success(response.status) && body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    match serde_json::from_slice::<Json>(body) {
        Ok(value) => {
            if let Some(e) = api_error(&value) {
                return Err(Error::Api(e));
            }
            if !is_success(response.status) {
                return Err(Error::Http {
                    status: response.status,
                    body_snippet: snippet(&response.body, 200),
                });
            }
            Ok(value)
        }
        Err(_) if !is_success(response.status) => Err(Error::Http {
            status: response.status,
            body_snippet: snippet(&response.body, 200),
        }),
        Err(e) => Err(Error::UnexpectedBody {
            content_type: content_type_of(response),
            snippet: format!("{} ({e})", snippet(&response.body, 200)),
        }),
    }
}

/// The API error a JSON value carries, if it is one.
pub(crate) fn api_error(value: &Json) -> Option<ApiError> {
    let obj = value.as_object()?;
    let object_type = obj.get("objectType").and_then(Value::as_str);
    let is_error = object_type == Some("KalturaAPIException")
        || (object_type.is_none() && obj.contains_key("code") && obj.contains_key("message"));
    if !is_error {
        return None;
    }
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let args = match obj.get("args") {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), text(Some(v)))).collect(),
        // Args sometimes come as a list of {name, value} objects.
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| (text(i.get("name")), text(i.get("value"))))
            .filter(|(k, _)| !k.is_empty())
            .collect(),
        _ => Default::default(),
    };
    Some(ApiError {
        code: text(obj.get("code")),
        message: text(obj.get("message")),
        args,
        object_type: object_type.unwrap_or("KalturaAPIException").to_string(),
    })
}

/// An API error in the XML format (`<error><code>..</code><message>..</message>`),
/// which a server may send for a failed serve action.
fn xml_api_error(body: &[u8]) -> Option<ApiError> {
    let head = &body[..body.len().min(64 * 1024)];
    let text = std::str::from_utf8(head).ok()?;
    let error = &text[text.find("<error>")?..];
    let element = |name: &str| {
        let open = format!("<{name}>");
        let start = error.find(&open)? + open.len();
        let end = error[start..].find(&format!("</{name}>"))? + start;
        Some(
            error[start..end]
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&"),
        )
    };
    Some(ApiError {
        code: element("code")?,
        message: element("message").unwrap_or_default(),
        args: Default::default(),
        object_type: "KalturaAPIException".into(),
    })
}
