//! The HTTP layer, behind a trait so users can plug in their own client, a proxy
//! layer or a mock.

use crate::request::FileParam;
use crate::Error;
use bytes::Bytes;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One HTTP request the runtime wants sent.
#[derive(Debug)]
pub struct HttpRequest {
    pub method: http::Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: HttpBody,
    /// Time allowed for the whole exchange.
    pub timeout: Option<Duration>,
}

#[derive(Debug)]
pub enum HttpBody {
    Empty,
    Json(Bytes),
    /// `json` part first, then one part per file, named as the server expects
    /// (`fileData`, or `0:fileData` inside a multirequest).
    Multipart {
        json: Bytes,
        files: Vec<(String, FileParam)>,
    },
}

#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Bytes,
}

impl HttpResponse {
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }
}

/// Sends HTTP requests. Errors are [`Error::Transport`] or [`Error::Timeout`].
pub trait Transport: Send + Sync + 'static {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>>;
}

#[cfg(feature = "reqwest")]
pub use self::reqwest_transport::ReqwestTransport;

#[cfg(feature = "reqwest")]
mod reqwest_transport {
    use super::*;

    /// The default transport: reqwest with rustls.
    #[derive(Debug, Clone)]
    pub struct ReqwestTransport {
        client: reqwest::Client,
    }

    impl ReqwestTransport {
        pub fn new(client: reqwest::Client) -> Self {
            ReqwestTransport { client }
        }

        /// A reqwest client with the given connect timeout, user agent and proxy.
        pub fn build(
            connect_timeout: Duration,
            user_agent: &str,
            proxy: Option<&str>,
        ) -> Result<Self, Error> {
            let mut builder = reqwest::Client::builder()
                .connect_timeout(connect_timeout)
                .user_agent(user_agent)
                .gzip(true);
            if let Some(proxy) = proxy {
                let proxy = reqwest::Proxy::all(proxy)
                    .map_err(|e| Error::InvalidInput(format!("bad proxy URL: {e}")))?;
                builder = builder.proxy(proxy);
            }
            let client = builder
                .build()
                .map_err(|e| Error::transport("cannot build the HTTP client", e))?;
            Ok(ReqwestTransport { client })
        }
    }

    async fn file_part(file: FileParam) -> Result<reqwest::multipart::Part, Error> {
        use crate::request::FileSource;
        let part = match file.source {
            FileSource::Bytes(b) => reqwest::multipart::Part::bytes(b.to_vec()),
            FileSource::Path(path) => {
                let f = tokio::fs::File::open(&path).await.map_err(|e| {
                    Error::InvalidInput(format!("cannot open {}: {e}", path.display()))
                })?;
                let len = f.metadata().await.map(|m| m.len()).ok();
                let stream = tokio_util::io::ReaderStream::new(f);
                let body = reqwest::Body::wrap_stream(stream);
                match len {
                    Some(len) => reqwest::multipart::Part::stream_with_length(body, len),
                    None => reqwest::multipart::Part::stream(body),
                }
            }
            FileSource::Reader { reader, len } => {
                let stream = tokio_util::io::ReaderStream::new(reader);
                let body = reqwest::Body::wrap_stream(stream);
                match len {
                    Some(len) => reqwest::multipart::Part::stream_with_length(body, len),
                    None => reqwest::multipart::Part::stream(body),
                }
            }
        };
        part.file_name(file.file_name)
            .mime_str(&file.content_type)
            .map_err(|e| Error::InvalidInput(format!("bad content type: {e}")))
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
                    HttpBody::Multipart { json, files } => {
                        let mut form = reqwest::multipart::Form::new()
                            .part("json", reqwest::multipart::Part::bytes(json.to_vec()));
                        for (name, file) in files {
                            form = form.part(name, file_part(file).await?);
                        }
                        builder.multipart(form)
                    }
                };
                let map_err = |e: reqwest::Error| {
                    if e.is_timeout() {
                        Error::Timeout(timeout.unwrap_or_default())
                    } else {
                        let what = if e.is_connect() {
                            "cannot connect to the server"
                        } else {
                            "the connection failed"
                        };
                        Error::transport(what, e)
                    }
                };
                let response = builder.send().await.map_err(map_err)?;
                let status = response.status().as_u16();
                let headers = response.headers().clone();
                let body = response.bytes().await.map_err(map_err)?;
                Ok(HttpResponse {
                    status,
                    headers,
                    body,
                })
            })
        }
    }
}
