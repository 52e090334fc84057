//! Building a client: settings, session and transport gathered by [`ClientBuilder`].
//! Apart from the client itself, so that the client does not depend on how it is
//! built.

use crate::client::{Client, Inner, SessionSettings};
use crate::codec::Encode;
use crate::config::{ClientConfig, Proxy};
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::transport::Transport;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, RwLock};
use std::time::Duration;

impl Client {
    /// Starts a [`ClientBuilder`] for the service at `service_url`.
    pub fn builder(service_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(service_url)
    }
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

    /// Lets calls that carry a KS or secret go to a plain `http://` service URL on
    /// another machine. Off by default: such a call fails with
    /// [`Error::InvalidInput`] before anything is sent, since anyone on the network
    /// path could read the token and act with its rights. Loopback addresses
    /// (`127.0.0.1`, `[::1]`, `localhost`) never need it. Turn it on only for a
    /// server reached over a network you trust.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.config.allow_insecure_http = allow;
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
                source: std::sync::Mutex::new(None),
            }),
        }))
    }
}
