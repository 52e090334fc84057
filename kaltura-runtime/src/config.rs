//! How a client is set up: the service URL, client parameters, HTTP settings and the
//! transport, gathered by [`ClientBuilder`].

use crate::client::{Client, Inner, SessionSettings};
use crate::codec::Encode;
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::transport::Transport;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// How the default transport reaches the server.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
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
#[non_exhaustive]
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
    /// The largest answer read, in bytes (default [`DEFAULT_MAX_RESPONSE_SIZE`]).
    /// Answers are held in memory whole, served files included; a larger one fails
    /// with [`Error::ResponseTooLarge`] as soon as it is announced or reaches the
    /// limit, instead of exhausting memory.
    pub max_response_size: u64,
}

/// 256 MiB: far above any API answer, low enough that a runaway or hostile answer
/// cannot take the process's memory.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 256 * 1024 * 1024;

impl ClientConfig {
    pub fn new(service_url: impl Into<String>) -> Self {
        ClientConfig {
            service_url: normalize_service_url(&service_url.into()),
            client_tag: format!("rust:{}", env!("CARGO_PKG_VERSION")),
            api_version: String::new(),
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            upload_timeout: Duration::from_secs(1800),
            user_agent: format!("kaltura-rs/{}", env!("CARGO_PKG_VERSION")),
            proxy: Proxy::System,
            retry: None,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
        }
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
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
        if self.max_response_size == 0 {
            return Err(Error::InvalidInput(
                "`max_response_size` must not be zero".into(),
            ));
        }
        Ok(())
    }
}

/// The service URL as the client uses it: `https://host` or `https://host/prefix`,
/// without a trailing `/` or `/api_v3` (the client appends `/api_v3/service/...`
/// itself, so a URL copied from the API's documentation must not repeat it).
fn normalize_service_url(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    let url = match url.len().checked_sub("/api_v3".len()) {
        Some(at) if url.is_char_boundary(at) && url[at..].eq_ignore_ascii_case("/api_v3") => {
            &url[..at]
        }
        _ => url,
    };
    url.trim_end_matches('/').to_string()
}

/// Makes the transport a client uses when none is given: a crate that ships one (the
/// `kaltura-client` crate, with reqwest) hands it to [`ClientBuilder::default_transport`]
/// with the HTTP settings of the configuration (connect timeout, proxy).
pub type TransportFactory = fn(&ClientConfig) -> Result<Arc<dyn Transport>, Error>;

/// Builds a client: `Client::builder(url).timeout(..).ks(..).build()`. `C` is the
/// client type built; a generated client wraps the runtime's [`Client`] and builds
/// itself through the same builder.
pub struct ClientBuilder<C = Client> {
    pub(crate) config: ClientConfig,
    pub(crate) session: SessionSettings,
    pub(crate) transport: Option<Arc<dyn Transport>>,
    pub(crate) default_transport: Option<TransportFactory>,
    pub(crate) _client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("config", &self.config)
            .field("session", &self.session)
            .field("custom_transport", &self.transport.is_some())
            .finish()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder for the service at `service_url`, building a `C`.
    pub fn new(service_url: impl Into<String>) -> Self {
        Self::with_config(ClientConfig::new(service_url))
    }

    /// A builder starting from these settings.
    pub fn with_config(config: ClientConfig) -> Self {
        ClientBuilder {
            config,
            session: SessionSettings::default(),
            transport: None,
            default_transport: None,
            _client: PhantomData,
        }
    }

    /// The settings as they stand.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub fn client_tag(mut self, tag: impl Into<String>) -> Self {
        self.config.client_tag = tag.into();
        self
    }

    /// Overrides the `apiVersion` sent (a generated client sets its schema's; empty, the default, sends none).
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

    /// The largest answer the client reads, in bytes; a larger one fails with
    /// [`Error::ResponseTooLarge`]. Raise it to download large served files in one
    /// call.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.config.max_response_size = bytes;
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

    /// Sends through an already shared transport.
    pub fn shared_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// How to make a transport when [`ClientBuilder::transport`] gives none.
    pub fn default_transport(mut self, factory: TransportFactory) -> Self {
        self.default_transport = Some(factory);
        self
    }

    pub fn build(self) -> Result<C, Error> {
        self.config.check()?;
        let transport: Arc<dyn Transport> = match (self.transport, self.default_transport) {
            (Some(t), _) => t,
            (None, Some(make)) => make(&self.config)?,
            (None, None) => {
                return Err(Error::InvalidInput(
                    "no transport: pass one with `.transport(..)`, or build the client \
                     through `kaltura_client::Client`, whose `reqwest` feature brings one"
                        .into(),
                ))
            }
        };
        Ok(C::from(Client {
            inner: Arc::new(Inner {
                config: self.config,
                transport,
                session: RwLock::new(self.session),
            }),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_service_url;

    #[test]
    fn service_urls_are_taken_with_or_without_api_v3() {
        for url in [
            "https://www.kaltura.com",
            "https://www.kaltura.com/",
            " https://www.kaltura.com/api_v3 ",
            "https://www.kaltura.com/api_v3/",
            "https://www.kaltura.com/API_V3",
        ] {
            assert_eq!(
                normalize_service_url(url),
                "https://www.kaltura.com",
                "{url:?}"
            );
        }
        assert_eq!(
            normalize_service_url("http://10.0.0.1:8080/kaltura/api_v3"),
            "http://10.0.0.1:8080/kaltura"
        );
        assert_eq!(
            normalize_service_url("https://h/my_api_v3"),
            "https://h/my_api_v3"
        );
    }
}
