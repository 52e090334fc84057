//! The HTTP layer, behind a trait so users can plug in their own client, a proxy
//! layer or a mock.
//!
//! The runtime hands a [`Transport`] fully formed [`HttpRequest`]s: URL, headers
//! (`Accept`, `User-Agent`), body and the time allowed. A multipart body (a call that
//! uploads files) renders itself as a byte stream with [`Multipart::into_stream`], so a
//! transport of any kind sends exactly the bytes the default one does, without
//! loading files into memory.

use crate::files::{FileParam, FileSource, ReadProgressFn};
use crate::Error;
use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A request body as a stream of byte chunks.
pub type BodyStream = Pin<Box<dyn Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static>>;

/// One HTTP request the runtime wants sent.
#[derive(Debug)]
pub struct HttpRequest {
    pub method: http::Method,
    pub url: String,
    /// Headers besides `Content-Type` and `Content-Length`, which come from the body
    /// ([`HttpBody::content_type`]).
    pub headers: Vec<(String, String)>,
    pub body: HttpBody,
    /// Time allowed for the whole exchange. The client enforces it too (when running
    /// on tokio), so a transport that ignores it is still bounded.
    pub timeout: Option<Duration>,
}

impl HttpRequest {
    /// A copy to send again (a retry): the same method, URL, headers, timeout and
    /// body bytes, the multipart boundary included. `None` when a file part comes
    /// from a reader, which can be read only once.
    pub fn try_clone(&self) -> Option<HttpRequest> {
        Some(HttpRequest {
            method: self.method.clone(),
            url: self.url.clone(),
            headers: self.headers.clone(),
            body: self.body.try_clone()?,
            timeout: self.timeout,
        })
    }

    /// The first header named `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The body of an [`HttpRequest`]. `Debug` shows sizes only: bodies carry the KS and
/// secrets.
pub enum HttpBody {
    Empty,
    /// One JSON document (`Content-Type: application/json`).
    Json(Bytes),
    /// `json` part first, then one part per file (`multipart/form-data`).
    Multipart(Multipart),
}

impl HttpBody {
    /// A copy sending the same bytes; `None` when a file part comes from a reader.
    pub fn try_clone(&self) -> Option<HttpBody> {
        Some(match self {
            HttpBody::Empty => HttpBody::Empty,
            HttpBody::Json(b) => HttpBody::Json(b.clone()),
            HttpBody::Multipart(m) => HttpBody::Multipart(m.try_clone()?),
        })
    }

    /// The `Content-Type` header the body needs.
    pub fn content_type(&self) -> Option<String> {
        match self {
            HttpBody::Empty => None,
            HttpBody::Json(_) => Some("application/json".into()),
            HttpBody::Multipart(m) => Some(m.content_type()),
        }
    }
}

impl fmt::Debug for HttpBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpBody::Empty => f.write_str("Empty"),
            HttpBody::Json(b) => write!(f, "Json(<{} bytes>)", b.len()),
            HttpBody::Multipart(m) => fmt::Debug::fmt(m, f),
        }
    }
}

/// A `multipart/form-data` body: the `json` part with every parameter, then one part
/// per file, named as the server expects (`fileData`, or `0:fileData` inside a
/// multirequest).
///
/// The framing is the common one: `--boundary`, part headers, CRLF, content, CRLF,
/// ..., `--boundary--` CRLF. The `json` part has no `Content-Type` (as the vendor's
/// clients send it); file parts have `filename` and `Content-Type`.
///
/// Written here rather than taken from reqwest's `multipart` (or another crate): the
/// body must be the same bytes whichever transport sends it (reqwest, a user's own
/// client, the mock that tests compare bodies with), its length known before sending
/// so that uploads are not chunked, and its files streamed without buffering.
pub struct Multipart {
    boundary: String,
    json: Bytes,
    files: Vec<(String, FileParam)>,
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Multipart")
            .field("boundary", &self.boundary)
            .field("json", &format_args!("<{} bytes>", self.json.len()))
            .field("files", &self.files)
            .finish()
    }
}

/// A rendered multipart body, ready to send.
pub struct MultipartBody {
    /// `multipart/form-data; boundary=...`
    pub content_type: String,
    /// The exact body length when every file's length is known.
    pub content_length: Option<u64>,
    pub stream: BodyStream,
}

impl fmt::Debug for MultipartBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MultipartBody")
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

const CHUNK: usize = 64 * 1024;

enum Segment {
    Bytes(Bytes),
    Reader {
        name: String,
        reader: Box<dyn AsyncRead + Send + Sync + Unpin>,
        expected: Option<u64>,
    },
}

impl Multipart {
    /// A body with a fresh random boundary.
    pub fn new(json: Bytes, files: Vec<(String, FileParam)>) -> Self {
        use rand::RngExt;
        let token: String = rand::rng()
            .sample_iter(rand::distr::Alphanumeric)
            .take(32)
            .map(char::from)
            .collect();
        Multipart {
            boundary: format!("kaltura-rs-{token}"),
            json,
            files,
        }
    }

    /// A copy with the same boundary and parts; `None` when a file part comes from a
    /// reader.
    pub fn try_clone(&self) -> Option<Multipart> {
        let files = self
            .files
            .iter()
            .map(|(name, f)| Some((name.clone(), f.try_clone()?)))
            .collect::<Option<Vec<_>>>()?;
        Some(Multipart {
            boundary: self.boundary.clone(),
            json: self.json.clone(),
            files,
        })
    }

    /// Replaces the boundary (for reproducible output). It must not occur in any part.
    pub fn with_boundary(mut self, boundary: impl Into<String>) -> Self {
        self.boundary = boundary.into();
        self
    }

    pub fn boundary(&self) -> &str {
        &self.boundary
    }

    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The JSON document of the `json` part.
    pub fn json(&self) -> &Bytes {
        &self.json
    }

    /// The file parts, by part name.
    pub fn files(&self) -> &[(String, FileParam)] {
        &self.files
    }

    /// Opens the files and renders the body as a stream. Files are read in 64 KiB
    /// pieces as the stream is polled; a file that turns out shorter than its
    /// announced length ends the stream with an error rather than a malformed body.
    pub async fn into_stream(self) -> Result<MultipartBody, Error> {
        let content_type = self.content_type();
        let b = &self.boundary;
        if b.is_empty()
            || b.len() > 70
            || !b
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"'()+_,-./:=?".contains(&c))
        {
            return Err(Error::InvalidInput(format!(
                "`{b}` is not a valid multipart boundary"
            )));
        }
        let mut segments = VecDeque::new();
        let mut length: Option<u64> = Some(0);
        fn add(segments: &mut VecDeque<Segment>, length: &mut Option<u64>, bytes: Bytes) {
            if let Some(l) = length.as_mut() {
                *l += bytes.len() as u64;
            }
            segments.push_back(Segment::Bytes(bytes));
        }
        add(
            &mut segments,
            &mut length,
            Bytes::from(format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n"
            )),
        );
        add(&mut segments, &mut length, self.json.clone());
        for (name, file) in self.files {
            let content_type = file.content_type.trim();
            if content_type.chars().any(char::is_control) {
                return Err(Error::InvalidInput(format!(
                    "the content type of file part `{name}` contains control characters"
                )));
            }
            let content_type = if content_type.is_empty() {
                "application/octet-stream"
            } else {
                content_type
            };
            add(
                &mut segments,
                &mut length,
                Bytes::from(format!(
                    "\r\n--{b}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {content_type}\r\n\r\n",
                    quote(&name),
                    quote(&file.file_name),
                )),
            );
            match open(file.source, file.on_read).await? {
                Opened::Bytes(bytes) => add(&mut segments, &mut length, bytes),
                Opened::Reader { reader, len } => {
                    length = match (length, len) {
                        (Some(l), Some(n)) => Some(l + n),
                        _ => None,
                    };
                    segments.push_back(Segment::Reader {
                        name: name.clone(),
                        reader,
                        expected: len,
                    });
                }
            }
        }
        add(
            &mut segments,
            &mut length,
            Bytes::from(format!("\r\n--{b}--\r\n")),
        );
        Ok(MultipartBody {
            content_type,
            content_length: length,
            stream: Box::pin(segment_stream(segments)),
        })
    }

    /// The whole body in memory. For mocks and tests; transports should stream with
    /// [`Multipart::into_stream`].
    pub async fn into_bytes(self) -> Result<Bytes, Error> {
        use futures_util::StreamExt;
        let mut body = self.into_stream().await?;
        let mut out = BytesMut::new();
        while let Some(chunk) = body.stream.next().await {
            let chunk = chunk.map_err(|e| Error::transport("cannot read a file part", e))?;
            out.extend_from_slice(&chunk);
        }
        Ok(out.freeze())
    }
}

/// A header parameter value inside double quotes, escaped the way browsers do.
fn quote(s: &str) -> String {
    s.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

enum Opened {
    Bytes(Bytes),
    Reader {
        reader: Box<dyn AsyncRead + Send + Sync + Unpin>,
        len: Option<u64>,
    },
}

/// Opens a file part; with `on_read`, its reader counts the bytes read (bytes too are
/// then read in pieces, so the count moves as they are sent).
async fn open(source: FileSource, on_read: Option<ReadProgressFn>) -> Result<Opened, Error> {
    let opened = open_source(source).await?;
    let Some(on_read) = on_read else {
        return Ok(opened);
    };
    let (reader, len): (Box<dyn AsyncRead + Send + Sync + Unpin>, _) = match opened {
        Opened::Bytes(b) => {
            let len = b.len() as u64;
            (Box::new(std::io::Cursor::new(b)), Some(len))
        }
        Opened::Reader { reader, len } => (reader, len),
    };
    Ok(Opened::Reader {
        reader: Box::new(CountingReader {
            inner: reader,
            read: 0,
            on_read,
        }),
        len,
    })
}

/// Tells `on_read` the bytes read so far after every read that returned some.
struct CountingReader {
    inner: Box<dyn AsyncRead + Send + Sync + Unpin>,
    read: u64,
    on_read: ReadProgressFn,
}

impl AsyncRead for CountingReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        let n = buf.filled().len().saturating_sub(before) as u64;
        if n > 0 {
            if let std::task::Poll::Ready(Ok(())) = polled {
                self.read += n;
                (self.on_read)(self.read);
            }
        }
        polled
    }
}

async fn open_source(source: FileSource) -> Result<Opened, Error> {
    use tokio::io::AsyncSeekExt;
    let cannot = |path: &std::path::Path, e: std::io::Error| {
        Error::InvalidInput(format!("cannot read the file {}: {e}", path.display()))
    };
    Ok(match source {
        FileSource::Bytes(b) => Opened::Bytes(b),
        FileSource::Path(path) => {
            let file = tokio::fs::File::open(&path)
                .await
                .map_err(|e| cannot(&path, e))?;
            let len = file.metadata().await.map_err(|e| cannot(&path, e))?.len();
            Opened::Reader {
                reader: Box::new(file.take(len)),
                len: Some(len),
            }
        }
        FileSource::PathRange { path, offset, len } => {
            let mut file = tokio::fs::File::open(&path)
                .await
                .map_err(|e| cannot(&path, e))?;
            let size = file.metadata().await.map_err(|e| cannot(&path, e))?.len();
            if offset.checked_add(len).is_none_or(|end| end > size) {
                return Err(Error::InvalidInput(format!(
                    "the range {offset}+{len} is past the end of {} ({size} bytes)",
                    path.display()
                )));
            }
            file.seek(std::io::SeekFrom::Start(offset))
                .await
                .map_err(|e| cannot(&path, e))?;
            Opened::Reader {
                reader: Box::new(file.take(len)),
                len: Some(len),
            }
        }
        FileSource::Reader { reader, len } => match len {
            Some(len) => Opened::Reader {
                reader: Box::new(reader.take(len)),
                len: Some(len),
            },
            None => Opened::Reader { reader, len: None },
        },
    })
}

/// The file part being read: its name, reader, announced length and bytes read.
struct Reading {
    name: String,
    reader: Box<dyn AsyncRead + Send + Sync + Unpin>,
    expected: Option<u64>,
    read: u64,
}

struct Streaming {
    segments: VecDeque<Segment>,
    current: Option<Reading>,
}

fn segment_stream(
    segments: VecDeque<Segment>,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    let state = Streaming {
        segments,
        current: None,
    };
    futures_util::stream::try_unfold(state, |mut st| async move {
        loop {
            if let Some(Reading {
                name,
                reader,
                expected,
                read,
            }) = st.current.as_mut()
            {
                let mut buf = BytesMut::with_capacity(CHUNK);
                let n = reader.read_buf(&mut buf).await?;
                if n == 0 {
                    if let Some(expected) = *expected {
                        if *read != expected {
                            return Err(std::io::Error::new(
                                std::io::ErrorKind::UnexpectedEof,
                                format!(
                                    "file part `{name}` ended after {read} of its {expected} bytes"
                                ),
                            ));
                        }
                    }
                    st.current = None;
                    continue;
                }
                *read += n as u64;
                return Ok(Some((buf.freeze(), st)));
            }
            match st.segments.pop_front() {
                None => return Ok(None),
                Some(Segment::Bytes(b)) if b.is_empty() => continue,
                Some(Segment::Bytes(b)) => return Ok(Some((b, st))),
                Some(Segment::Reader {
                    name,
                    reader,
                    expected,
                }) => {
                    st.current = Some(Reading {
                        name,
                        reader,
                        expected,
                        read: 0,
                    })
                }
            }
        }
    })
}

/// An HTTP response, body read whole. `Debug` shows the body's size only: an answer
/// may be a KS (`session.start`) or an object holding secrets.
#[derive(Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Bytes,
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("content_type", &self.content_type())
            .field("body", &format_args!("{} bytes", self.body.len()))
            .finish_non_exhaustive()
    }
}

impl HttpResponse {
    /// A response with no headers.
    pub fn new(status: u16, body: impl Into<Bytes>) -> Self {
        HttpResponse {
            status,
            headers: http::HeaderMap::new(),
            body: body.into(),
        }
    }

    /// Adds a header; invalid names or values are ignored.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let (Ok(n), Ok(v)) = (
            http::header::HeaderName::from_bytes(name.as_bytes()),
            http::header::HeaderValue::from_str(value),
        ) {
            self.headers.append(n, v);
        }
        self
    }

    /// A 200 answer with a JSON body.
    pub fn json(body: impl Into<Bytes>) -> Self {
        HttpResponse::new(200, body).with_header("content-type", "application/json")
    }

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

#[cfg(feature = "test-util")]
#[path = "mock.rs"]
mod mock;
#[cfg(feature = "test-util")]
pub use self::mock::{parse_multipart, CapturedPart, CapturedRequest, MockReply, MockTransport};
