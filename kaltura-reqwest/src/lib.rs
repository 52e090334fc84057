//! The default transport of the Kaltura client: reqwest with rustls, gzip and a shared
//! connection pool. A crate of its own so that the generated client, which needs only
//! the runtime, compiles while the HTTP stack does.
//!
//! TLS is rustls, handed to reqwest as a finished configuration, with the crypto
//! provider the features choose (see `docs/decisions.md`, R14):
//!
//! | feature | provider |
//! |---|---|
//! | `tls-aws-lc` (default) | aws-lc-rs: post-quantum key exchange (X25519MLKEM768) preferred, the provider of reqwest's own defaults |
//! | `tls-ring` | *ring*: classical key exchange only, no C library of its own to build |
//! | both | aws-lc-rs: enabling a feature never takes post-quantum key exchange away |
//! | neither | the process-wide provider the application installed with `rustls::crypto::CryptoProvider::install_default` (FIPS, another library); building a client fails with [`Error::InvalidInput`] when there is none |
//!
//! To use *ring*, turn the default off: `default-features = false, features =
//! ["tls-ring"]`. Servers are checked against the Mozilla roots bundled in
//! `webpki-roots`, so the same certificates are trusted on every machine, including
//! containers without a CA bundle; the `native-roots` feature uses the platform's
//! verifier and certificate store instead (corporate CAs).
//!
//! Nothing is installed process-wide. A program that builds reqwest clients of its
//! own while asking reqwest for no TLS feature itself gets rustls from this crate
//! without a provider (cargo unifies features), and reqwest would panic building
//! them: start those clients from [`ReqwestTransport::client_builder`], or enable
//! reqwest's `rustls` feature (its default).

use bytes::BytesMut;
use kaltura_runtime::config::DEFAULT_MAX_RESPONSE_SIZE;
use kaltura_runtime::transport::{BoxFuture, HttpBody, HttpRequest, HttpResponse, Transport};
use kaltura_runtime::{ClientConfig, Error, Proxy};
use std::sync::Arc;
use std::time::Duration;

/// The reqwest version this transport is built on, for programs that bring their own
/// `reqwest::Client` ([`ReqwestTransport::new`]).
pub use reqwest;

/// The transport for a client configuration: its connect timeout and proxy. This is
/// the factory `kaltura-client` hands to `ClientBuilder::default_transport`.
pub fn for_config(config: &ClientConfig) -> Result<Arc<dyn Transport>, Error> {
    Ok(Arc::new(
        ReqwestTransport::build(config.connect_timeout, &config.proxy)?
            .max_response_size(config.max_response_size),
    ))
}

/// The crypto provider the features choose: aws-lc-rs when `tls-aws-lc` is on (alone
/// or with `tls-ring`), ring with `tls-ring` alone, and otherwise the one the
/// application installed for the process.
#[cfg(feature = "tls-aws-lc")]
fn crypto_provider() -> Result<Arc<rustls::crypto::CryptoProvider>, Error> {
    Ok(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
}

#[cfg(all(feature = "tls-ring", not(feature = "tls-aws-lc")))]
fn crypto_provider() -> Result<Arc<rustls::crypto::CryptoProvider>, Error> {
    // rustls 0.23.48 deprecates this constructor because ring has no post-quantum key
    // exchange, and offers no other way to build the ring provider; the feature
    // exists for those who want ring knowing that (docs/decisions.md, R14).
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    Ok(Arc::new(provider))
}

#[cfg(not(any(feature = "tls-aws-lc", feature = "tls-ring")))]
fn crypto_provider() -> Result<Arc<rustls::crypto::CryptoProvider>, Error> {
    rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .ok_or_else(|| {
            Error::InvalidInput(
                "no TLS crypto provider: enable the `tls-aws-lc` or `tls-ring` feature of \
                 kaltura-client (or kaltura-reqwest), or install one for the process with \
                 rustls::crypto::CryptoProvider::install_default before building the client"
                    .into(),
            )
        })
}

/// rustls with the chosen provider; reqwest takes the configuration as it is, so the
/// protocols offered on ALPN are set here.
fn tls_config() -> Result<rustls::ClientConfig, Error> {
    let provider = crypto_provider()?;
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::transport("cannot set up TLS", e))?;
    #[cfg(not(feature = "native-roots"))]
    let builder = builder.with_root_certificates(rustls::RootCertStore::from_iter(
        webpki_roots::TLS_SERVER_ROOTS.iter().cloned(),
    ));
    #[cfg(feature = "native-roots")]
    let builder = builder
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(
            rustls_platform_verifier::Verifier::new(provider)
                .map_err(|e| Error::transport("cannot load the platform's certificates", e))?,
        ));
    let mut config = builder.with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The default transport: reqwest with rustls, gzip, a shared connection pool.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_response_size: u64,
}

impl ReqwestTransport {
    /// Wraps a reqwest client configured by the caller.
    pub fn new(client: reqwest::Client) -> Self {
        ReqwestTransport {
            client,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
        }
    }

    /// Stops reading an answer past this many bytes (after decompression) with
    /// [`Error::ResponseTooLarge`]; one that announces a larger `Content-Length` is
    /// refused before its body is read.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// A reqwest client builder with this transport's TLS settings (rustls with the
    /// provider the features choose; the bundled Mozilla roots or, with
    /// `native-roots`, the platform's verifier;
    /// HTTP/2 and HTTP/1.1), for programs that configure their own client and hand it
    /// to [`ReqwestTransport::new`].
    ///
    /// Redirects are not followed: every call carries its KS (and `session.start` the
    /// admin secret) in the body, which reqwest's default policy would send on to
    /// whatever host a `307`/`308` names, over plain HTTP too. The client reports the
    /// redirect as [`Error::Redirect`] instead. Keep that setting if you change the
    /// builder; a client of your own made without it is trusted to do the same.
    pub fn client_builder() -> Result<reqwest::ClientBuilder, Error> {
        Ok(reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .redirect(reqwest::redirect::Policy::none()))
    }

    /// A reqwest client with the given connect timeout and proxy setting.
    pub fn build(connect_timeout: Duration, proxy: &Proxy) -> Result<Self, Error> {
        let mut builder = Self::client_builder()?
            .connect_timeout(connect_timeout)
            .gzip(true);
        match proxy {
            Proxy::System => {}
            Proxy::Disabled => builder = builder.no_proxy(),
            Proxy::Url(url) => {
                let proxy = reqwest::Proxy::all(url.as_str())
                    .map_err(|_| Error::InvalidInput(format!("bad proxy URL {proxy:?}")))?;
                builder = builder.proxy(proxy);
            }
            // A setting added to the runtime after this transport was written.
            other => {
                return Err(Error::InvalidInput(format!(
                    "this transport does not support the proxy setting {other:?}"
                )))
            }
        }
        let client = builder
            .build()
            .map_err(|e| Error::transport("cannot build the HTTP client", e))?;
        Ok(ReqwestTransport::new(client))
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(async move {
            let timeout = request.timeout;
            let mut builder = self.client.request(request.method, &request.url);
            for (k, v) in &request.headers {
                builder = builder.header(k, v);
            }
            if let Some(t) = timeout {
                builder = builder.timeout(t);
            }
            builder = match request.body {
                HttpBody::Empty => builder,
                HttpBody::Json(b) => builder
                    .header(http::header::CONTENT_TYPE, "application/json")
                    .body(b),
                HttpBody::Multipart(m) => {
                    let body = m.into_stream().await?;
                    builder = builder.header(http::header::CONTENT_TYPE, body.content_type);
                    if let Some(len) = body.content_length {
                        // hyper keeps an explicit length for a streamed body
                        // instead of sending it chunked.
                        builder = builder.header(http::header::CONTENT_LENGTH, len);
                    }
                    builder.body(reqwest::Body::wrap_stream(body.stream))
                }
            };
            let map_err = |e: reqwest::Error, reading: bool| {
                if e.is_timeout() {
                    Error::Timeout(timeout.unwrap_or_default())
                } else if e.is_connect() {
                    Error::transport("cannot connect to the server", e)
                } else if reading {
                    Error::transport("reading the answer failed", e)
                } else {
                    Error::transport("the exchange with the server failed", e)
                }
            };
            let mut response = builder.send().await.map_err(|e| map_err(e, false))?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let limit = self.max_response_size;
            // Announced sizes are refused unread; the rest is counted as it arrives,
            // after decompression, so neither a large nor a compressed answer can
            // outgrow the limit.
            let too_large = |size| Error::ResponseTooLarge { limit, size };
            if let Some(announced) = response.content_length().filter(|n| *n > limit) {
                return Err(too_large(Some(announced)));
            }
            let mut body = BytesMut::new();
            while let Some(chunk) = response.chunk().await.map_err(|e| map_err(e, true))? {
                if (body.len() + chunk.len()) as u64 > limit {
                    return Err(too_large(None));
                }
                body.extend_from_slice(&chunk);
            }
            let body = body.freeze();
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

#[cfg(test)]
mod tls_tests {
    #[cfg(any(feature = "tls-aws-lc", feature = "tls-ring"))]
    use rustls::NamedGroup;

    #[cfg(any(feature = "tls-aws-lc", feature = "tls-ring"))]
    fn groups() -> Vec<NamedGroup> {
        let provider = super::crypto_provider().expect("a provider");
        provider.kx_groups.iter().map(|g| g.name()).collect()
    }

    /// aws-lc-rs, alone or beside ring, and post-quantum key exchange offered first
    /// (whatever rustls 0.23 release the lockfile holds).
    #[cfg(feature = "tls-aws-lc")]
    #[test]
    fn aws_lc_rs_offers_post_quantum_key_exchange_first() {
        assert_eq!(groups().first(), Some(&NamedGroup::X25519MLKEM768));
    }

    #[cfg(all(feature = "tls-ring", not(feature = "tls-aws-lc")))]
    #[test]
    fn ring_alone_is_ring() {
        let groups = groups();
        assert!(!groups.contains(&NamedGroup::X25519MLKEM768), "{groups:?}");
        assert!(groups.contains(&NamedGroup::X25519), "{groups:?}");
    }

    #[cfg(not(any(feature = "tls-aws-lc", feature = "tls-ring")))]
    #[test]
    fn without_a_provider_building_a_client_says_what_to_enable() {
        let err = super::ReqwestTransport::client_builder().unwrap_err();
        assert!(err.to_string().contains("tls-aws-lc"), "{err}");
    }
}
