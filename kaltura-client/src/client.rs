//! The client: configuration, the session it carries, and the one generic `send`.

use crate::codec::Json;
use crate::error::{snippet, ApiError, Error};
use crate::request::{Output, Request};
use crate::secret::Secret;
use crate::transport::{HttpBody, HttpRequest, HttpResponse, Transport};
use bytes::Bytes;
use serde_json::{Map, Value};
use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Client-level settings (Kaltura's "client configuration" plus HTTP settings).
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// e.g. `https://www.kaltura.com`; `/api_v3/...` is appended.
    pub service_url: String,
    /// Free text the server logs with each call.
    pub client_tag: String,
    /// The API version this client was generated from.
    pub api_version: String,
    /// Time allowed for a whole call.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Time allowed for a call that uploads a file.
    pub upload_timeout: Duration,
    pub user_agent: String,
    pub proxy: Option<String>,
}

impl ClientConfig {
    pub fn new(service_url: impl Into<String>) -> Self {
        ClientConfig {
            service_url: service_url.into().trim_end_matches('/').to_string(),
            client_tag: format!("rust:{}", env!("CARGO_PKG_VERSION")),
            api_version: crate::generated::API_VERSION.to_string(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            upload_timeout: Duration::from_secs(600),
            user_agent: format!("kaltura-rs/{}", env!("CARGO_PKG_VERSION")),
            proxy: None,
        }
    }
}

/// Request-level settings sent with every call unless a call overrides them.
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
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("service_url", &self.inner.config.service_url)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with default settings and the default transport.
    #[cfg(feature = "reqwest")]
    pub fn new(service_url: impl Into<String>) -> Result<Self, Error> {
        Self::with_config(ClientConfig::new(service_url))
    }

    #[cfg(feature = "reqwest")]
    pub fn with_config(config: ClientConfig) -> Result<Self, Error> {
        let transport = crate::transport::ReqwestTransport::build(
            config.connect_timeout,
            &config.user_agent,
            config.proxy.as_deref(),
        )?;
        Ok(Self::with_transport(config, transport))
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
        let mut s = self.inner.session.write().unwrap_or_else(|e| e.into_inner());
        f(&mut s);
    }

    /// Sets (or replaces, e.g. after renewal) the KS sent with every call.
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

    /// Impersonates another partner on every call.
    pub fn set_partner_id(&self, partner_id: Option<i64>) {
        self.update_session(|s| s.partner_id = partner_id);
    }

    pub fn set_language(&self, language: Option<String>) {
        self.update_session(|s| s.language = language);
    }

    pub fn set_response_profile(&self, profile: Option<&dyn crate::codec::Encode>) {
        let profile = profile.map(|p| p.encode());
        self.update_session(|s| s.response_profile = profile);
    }

    /// The parameters every call carries: format, client tag, API version, and the
    /// session settings with the call's own overrides applied.
    pub(crate) fn common_params(&self, options: &crate::request::CallOptions) -> Map<String, Json> {
        let session = self.settings();
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
        if let Some(ks) = options.ks.as_ref().or(session.ks.as_ref()) {
            p.insert("ks".into(), Value::String(ks.expose().to_string()));
        }
        if let Some(pid) = options.partner_id.or(session.partner_id) {
            p.insert("partnerId".into(), Value::from(pid));
        }
        if let Some(lang) = options.language.as_ref().or(session.language.as_ref()) {
            p.insert("language".into(), Value::String(lang.clone()));
        }
        if let Some(rp) = options
            .response_profile
            .as_ref()
            .or(session.response_profile.as_ref())
        {
            p.insert("responseProfile".into(), rp.clone());
        }
        p
    }

    pub(crate) fn action_url(&self, service: &str, action: &str) -> String {
        format!(
            "{}/api_v3/service/{}/action/{}",
            self.inner.config.service_url, service, action
        )
    }

    /// Sends one request and decodes its result.
    pub async fn send<R: Request>(&self, mut request: R) -> Result<R::Output, Error> {
        let mut body = request.params().into_map();
        body.extend(self.common_params(request.options()));
        let files: Vec<(String, _)> = request
            .take_files()
            .into_iter()
            .map(|(n, f)| (n.to_string(), f))
            .collect();
        let json = Bytes::from(serde_json::to_vec(&Value::Object(body)).map_err(|e| {
            Error::InvalidInput(format!("cannot encode the parameters: {e}"))
        })?);
        let (body, timeout) = if files.is_empty() {
            (HttpBody::Json(json), self.inner.config.timeout)
        } else {
            (
                HttpBody::Multipart { json, files },
                self.inner.config.upload_timeout,
            )
        };
        let response = self
            .execute(HttpRequest {
                method: http::Method::POST,
                url: self.action_url(R::SERVICE, R::ACTION),
                headers: vec![("Accept".into(), "application/json".into())],
                body,
                timeout: Some(timeout),
            })
            .await?;
        if R::SERVES_FILE {
            return served_file::<R::Output>(response);
        }
        let value = parse_body(&response)?;
        R::Output::from_json(value).map_err(Error::Decode)
    }

    pub(crate) async fn execute(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let span = tracing::debug_span!("kaltura.http", url = %request.url);
        let _ = span.enter();
        self.inner.transport.send(request).await
    }
}

/// Sends a request with the client it was made from (`client.media().list().await`).
pub async fn send_bound<R: Request>(request: R) -> Result<R::Output, Error> {
    let client = request.options().client.clone().ok_or_else(|| {
        Error::InvalidInput(
            "this request was not made from a client; send it with `client.send(request)`"
                .into(),
        )
    })?;
    client.send(request).await
}

/// A served file's bytes, handed to `O` without the JSON decoder; an API error that a
/// server sends instead of the file is still reported as one.
fn served_file<O: Output>(response: HttpResponse) -> Result<O, Error> {
    let is_json = response
        .content_type()
        .is_some_and(|c| c.contains("json"));
    if is_json {
        if let Ok(v) = serde_json::from_slice::<Json>(&response.body) {
            if let Some(e) = api_error(&v) {
                return Err(Error::Api(e));
            }
        }
    }
    if !(200..300).contains(&response.status) {
        return Err(Error::Http {
            status: response.status,
            body_snippet: snippet(&response.body, 200),
        });
    }
    let file = crate::request::ServedFile {
        content_type: response.content_type().map(str::to_string),
        bytes: response.body,
    };
    // `O` is ServedFile for every serve action; the round trip through `Any` keeps
    // `send` generic.
    let boxed: Box<dyn std::any::Any> = Box::new(file);
    boxed
        .downcast::<O>()
        .map(|b| *b)
        .map_err(|_| Error::InvalidInput("serve actions return ServedFile".into()))
}

/// Reads a JSON body, turning Kaltura errors and non-JSON answers into typed errors.
pub(crate) fn parse_body(response: &HttpResponse) -> Result<Json, Error> {
    let parsed: Result<Json, _> = serde_json::from_slice(&response.body);
    match parsed {
        Ok(value) => {
            if let Some(e) = api_error(&value) {
                return Err(Error::Api(e));
            }
            if !(200..300).contains(&response.status) {
                return Err(Error::Http {
                    status: response.status,
                    body_snippet: snippet(&response.body, 200),
                });
            }
            Ok(value)
        }
        Err(_) if !(200..300).contains(&response.status) => Err(Error::Http {
            status: response.status,
            body_snippet: snippet(&response.body, 200),
        }),
        Err(e) => Err(Error::UnexpectedBody {
            content_type: response
                .content_type()
                .unwrap_or("no content type")
                .to_string(),
            snippet: if response.body.is_empty() {
                "(empty body)".into()
            } else {
                format!("{} ({e})", snippet(&response.body, 200))
            },
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
            .filter_map(|i| Some((text(i.get("name")).to_string(), text(i.get("value")))))
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
