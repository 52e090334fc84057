//! The default transport of the Kaltura client: reqwest with rustls, gzip and a shared
//! connection pool. A crate of its own so that the generated client, which needs only
//! the runtime, compiles while the HTTP stack does.

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

    /// A reqwest client with the given connect timeout and proxy setting.
    pub fn build(connect_timeout: Duration, proxy: &Proxy) -> Result<Self, Error> {
        let mut builder = reqwest::Client::builder()
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
