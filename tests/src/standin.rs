//! A stand-in Kaltura server for tests: a small HTTP/1.1 server on 127.0.0.1 that
//! records every request (method, path, headers, exact body bytes) and answers with
//! what a test's handler decides: a body (optionally gzip-compressed, or with extra
//! headers), a body cut short, a dropped connection, a reset, or no answer at all.
//!
//! It reads `Content-Length` and chunked bodies, keeps connections alive, and stops
//! when the [`StandIn`] is dropped.

use serde_json::Value;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One request as the stand-in received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    /// In arrival order, original case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The body came with `Transfer-Encoding: chunked`.
    pub chunked: bool,
    /// On a stand-in started with [`StandIn::start_discarding`]: what the file part
    /// of a multipart body held (its bytes are counted, then dropped; `body` keeps
    /// the framing with an empty file part).
    pub discarded: Option<Discarded>,
}

/// The file part of an upload the stand-in counted without keeping it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Discarded {
    /// Bytes of content.
    pub len: u64,
    /// Its first (up to) 16 bytes.
    pub head: Vec<u8>,
    /// Its last (up to) 16 bytes.
    pub tail: Vec<u8>,
}

impl Discarded {
    fn observe(&mut self, data: &[u8]) {
        if self.head.len() < 16 {
            let n = (16 - self.head.len()).min(data.len());
            self.head.extend_from_slice(&data[..n]);
        }
        self.tail
            .extend_from_slice(&data[data.len().saturating_sub(16)..]);
        let excess = self.tail.len().saturating_sub(16);
        self.tail.drain(..excess);
        self.len += data.len() as u64;
    }
}

/// One part of a multipart body.
#[derive(Clone, Debug)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }

    pub fn is_multipart(&self) -> bool {
        self.content_type().starts_with("multipart/form-data")
    }

    /// `service.action` from the path (`media.get`), or `multirequest`.
    pub fn service_action(&self) -> String {
        let s: Vec<&str> = self.path.split('/').collect();
        let after = |name: &str| {
            s.iter()
                .position(|x| *x == name)
                .and_then(|i| s.get(i + 1))
                .copied()
        };
        match (after("service"), after("action")) {
            (Some(svc), Some(act)) => format!("{svc}.{act}"),
            (Some(svc), None) => svc.to_string(),
            _ => String::new(),
        }
    }

    /// The parameters: the JSON body, or the multipart `json` part.
    pub fn json(&self) -> Option<Value> {
        if self.is_multipart() {
            let parts = self.parts()?;
            let part = parts.iter().find(|p| p.name == "json")?;
            serde_json::from_slice(&part.body).ok()
        } else {
            serde_json::from_slice(&self.body).ok()
        }
    }

    /// The parts of a multipart body, split on the boundary of its content type.
    pub fn parts(&self) -> Option<Vec<Part>> {
        let boundary = self
            .content_type()
            .split(';')
            .map(str::trim)
            .find_map(|p| p.strip_prefix("boundary="))?
            .trim_matches('"')
            .to_string();
        split_multipart(&self.body, &boundary)
    }
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > hay.len() || needle.is_empty() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// RFC 7578 splitting: parts sit between `\r\n--boundary` delimiters; the first
/// delimiter may open the body without a CRLF; the close is `--boundary--`.
pub fn split_multipart(body: &[u8], boundary: &str) -> Option<Vec<Part>> {
    let dash = format!("--{boundary}");
    let delim = format!("\r\n--{boundary}");
    let mut pos = if body.starts_with(dash.as_bytes()) {
        dash.len()
    } else {
        find(body, delim.as_bytes(), 0)? + delim.len()
    };
    let mut parts = Vec::new();
    loop {
        if body.get(pos..pos + 2)? == b"--" {
            return Some(parts);
        }
        if body.get(pos..pos + 2)? != b"\r\n" {
            return None;
        }
        let start = pos + 2;
        let end = find(body, delim.as_bytes(), start)?;
        let raw = &body[start..end];
        let split = find(raw, b"\r\n\r\n", 0)?;
        let head = std::str::from_utf8(&raw[..split]).ok()?;
        let headers: Vec<(String, String)> = head
            .split("\r\n")
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let disposition = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-disposition"))
            .map(|(_, v)| v.clone())?;
        let param = |name: &str| {
            disposition
                .split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix(&format!("{name}=")))
                .map(|v| v.trim_matches('"').to_string())
        };
        parts.push(Part {
            name: param("name")?,
            filename: param("filename"),
            content_type: headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.clone()),
            headers,
            body: raw[split + 4..].to_vec(),
        });
        pos = end + delim.len();
    }
}

/// What the stand-in does with a request.
#[derive(Clone, Debug)]
pub enum Reply {
    Respond {
        status: u16,
        content_type: String,
        body: Vec<u8>,
        gzip: bool,
    },
    /// Closes the connection without answering.
    Drop,
    /// Resets the connection (TCP RST) without answering.
    Reset,
    /// Never answers; waits until the client goes away.
    Hang,
    /// An answer with extra headers (`Retry-After`, ...).
    WithHeaders {
        status: u16,
        content_type: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Announces the whole body's length but sends only its first `sent` bytes, then
    /// closes the connection: an answer cut short.
    Truncated {
        status: u16,
        content_type: String,
        body: Vec<u8>,
        sent: usize,
    },
}

impl Reply {
    /// A 200 answer with a JSON body.
    pub fn json(body: impl Into<String>) -> Reply {
        Reply::Respond {
            status: 200,
            content_type: "application/json".into(),
            body: body.into().into_bytes(),
            gzip: false,
        }
    }

    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Respond {
            status,
            content_type: content_type.into(),
            body: body.into(),
            gzip: false,
        }
    }

    pub fn with_status(self, new: u16) -> Reply {
        match self {
            Reply::Respond {
                content_type,
                body,
                gzip,
                ..
            } => Reply::Respond {
                status: new,
                content_type,
                body,
                gzip,
            },
            other => other,
        }
    }

    pub fn gzipped(self) -> Reply {
        match self {
            Reply::Respond {
                status,
                content_type,
                body,
                ..
            } => Reply::Respond {
                status,
                content_type,
                body,
                gzip: true,
            },
            other => other,
        }
    }
}

type Handler = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

/// A running stand-in server; stops when dropped.
pub struct StandIn {
    addr: SocketAddr,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

impl StandIn {
    /// Starts a server on 127.0.0.1 (a free port) answering with `handler`.
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> StandIn {
        Self::start_with(handler, false).await
    }

    /// Like [`StandIn::start`], but the content of a multipart body's file part
    /// (sent with a `Content-Length`) is streamed through, counted and dropped, never
    /// held in memory: for uploads of any size. See [`Recorded::discarded`].
    pub async fn start_discarding(
        handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> StandIn {
        Self::start_with(handler, true).await
    }

    async fn start_with(
        handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
        discard: bool,
    ) -> StandIn {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let tasks: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::new(Mutex::new(Vec::new()));
        let handler: Handler = Arc::new(handler);
        let accept = {
            let recorded = recorded.clone();
            let tasks = tasks.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let task = tokio::spawn(connection(
                        stream,
                        handler.clone(),
                        recorded.clone(),
                        discard,
                    ));
                    tasks.lock().unwrap().push(task);
                }
            })
        };
        StandIn {
            addr,
            recorded,
            tasks,
            accept,
        }
    }

    /// `http://127.0.0.1:<port>`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.recorded.lock().unwrap().clone()
    }

    /// Forgets the requests received so far (a long run that counts in its handler
    /// need not keep them all).
    pub fn clear_requests(&self) {
        self.recorded.lock().unwrap().clear();
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.accept.abort();
        for t in self.tasks.lock().unwrap().drain(..) {
            t.abort();
        }
    }
}

const MAX_HEAD: usize = 64 * 1024;

async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 16 * 1024];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

/// Reads one body of `len` bytes after `start` in `buf`.
async fn read_exact_body(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    start: usize,
    len: usize,
) -> Option<Vec<u8>> {
    while buf.len() < start + len {
        if !fill(stream, buf).await {
            return None;
        }
    }
    let body = buf[start..start + len].to_vec();
    buf.drain(..start + len);
    Some(body)
}

async fn read_chunked_body(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    start: usize,
) -> Option<Vec<u8>> {
    buf.drain(..start);
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(i) = find(buf, b"\r\n", 0) {
                break i;
            }
            if !fill(stream, buf).await {
                return None;
            }
        };
        let line = std::str::from_utf8(&buf[..line_end]).ok()?;
        let size = usize::from_str_radix(line.split(';').next()?.trim(), 16).ok()?;
        buf.drain(..line_end + 2);
        if size == 0 {
            // trailers, then an empty line
            loop {
                if let Some(i) = find(buf, b"\r\n", 0) {
                    let empty = i == 0;
                    buf.drain(..i + 2);
                    if empty {
                        return Some(body);
                    }
                } else if !fill(stream, buf).await {
                    return None;
                }
            }
        }
        while buf.len() < size + 2 {
            if !fill(stream, buf).await {
                return None;
            }
        }
        body.extend_from_slice(&buf[..size]);
        buf.drain(..size + 2);
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        500 => "Internal Server Error",
        429 => "Too Many Requests",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Reads a multipart body of `len` bytes whose second part is a file, keeping the
/// framing and the first part and only counting the file's content.
async fn read_discarding(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    start: usize,
    len: u64,
    boundary: &str,
) -> Option<(Vec<u8>, Discarded)> {
    buf.drain(..start);
    let opener = format!("\r\n--{boundary}\r\n");
    let closing = format!("\r\n--{boundary}--\r\n");
    let content_start = loop {
        if let Some(i) = find(buf, opener.as_bytes(), 0) {
            if let Some(j) = find(buf, b"\r\n\r\n", i + opener.len()) {
                break j + 4;
            }
        }
        if buf.len() > 16 * MAX_HEAD || buf.len() as u64 >= len || !fill(stream, buf).await {
            return None;
        }
    };
    let file_len = len.checked_sub((content_start + closing.len()) as u64)?;
    let mut kept = buf[..content_start].to_vec();
    buf.drain(..content_start);
    let mut seen = Discarded::default();
    let buffered = (buf.len() as u64).min(file_len) as usize;
    seen.observe(&buf[..buffered]);
    buf.drain(..buffered);
    let mut remaining = file_len - buffered as u64;
    let mut chunk = vec![0u8; 1 << 20];
    while remaining > 0 {
        let want = remaining.min(chunk.len() as u64) as usize;
        let n = stream.read(&mut chunk[..want]).await.ok()?;
        if n == 0 {
            return None;
        }
        seen.observe(&chunk[..n]);
        remaining -= n as u64;
    }
    while buf.len() < closing.len() {
        if !fill(stream, buf).await {
            return None;
        }
    }
    if buf[..closing.len()] != *closing.as_bytes() {
        return None;
    }
    kept.extend_from_slice(closing.as_bytes());
    buf.drain(..closing.len());
    Some((kept, seen))
}

async fn connection(
    mut stream: TcpStream,
    handler: Handler,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    discard: bool,
) {
    let mut buf = Vec::new();
    loop {
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n", 0) {
                break i;
            }
            if buf.len() > MAX_HEAD || !fill(&mut stream, &mut buf).await {
                return;
            }
        };
        let Ok(head) = std::str::from_utf8(&buf[..head_end]) else {
            return;
        };
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default().to_string();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let mut words = request_line.split(' ');
        let method = words.next().unwrap_or_default().to_string();
        let target = words.next().unwrap_or_default().to_string();
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (target.clone(), String::new()),
        };
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        if header("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
            && stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .await
                .is_err()
        {
            return;
        }
        let chunked =
            header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        let content_length = header("content-length").and_then(|v| v.parse::<u64>().ok());
        let boundary = header("content-type")
            .filter(|c| c.starts_with("multipart/form-data"))
            .and_then(|c| {
                c.split(';')
                    .map(str::trim)
                    .find_map(|p| p.strip_prefix("boundary="))
                    .map(|b| b.trim_matches('"').to_string())
            });
        let mut discarded = None;
        let body = if let (true, false, Some(len), Some(b)) =
            (discard, chunked, content_length, boundary.as_deref())
        {
            read_discarding(&mut stream, &mut buf, head_end + 4, len, b)
                .await
                .map(|(kept, seen)| {
                    discarded = Some(seen);
                    kept
                })
        } else if chunked {
            read_chunked_body(&mut stream, &mut buf, head_end + 4).await
        } else {
            let len = header("content-length")
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            read_exact_body(&mut stream, &mut buf, head_end + 4, len).await
        };
        let Some(body) = body else { return };
        let request = Recorded {
            method,
            path,
            query,
            headers,
            body,
            chunked,
            discarded,
        };
        recorded.lock().unwrap().push(request.clone());
        match handler(&request) {
            Reply::Respond {
                status,
                content_type,
                body,
                gzip,
            } => {
                let body = if gzip {
                    let mut enc =
                        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                    let _ = enc.write_all(&body);
                    enc.finish().unwrap_or_default()
                } else {
                    body
                };
                let mut head = format!(
                    "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nX-Me: standin\r\n",
                    reason(status),
                    body.len()
                );
                if gzip {
                    head.push_str("Content-Encoding: gzip\r\n");
                }
                head.push_str("\r\n");
                if stream.write_all(head.as_bytes()).await.is_err()
                    || stream.write_all(&body).await.is_err()
                    || stream.flush().await.is_err()
                {
                    return;
                }
            }
            Reply::Drop => {
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Reset => {
                let _ = stream.set_zero_linger();
                return;
            }
            Reply::Hang => {
                // Wait until the client closes (its timeout); read and discard.
                while fill(&mut stream, &mut buf).await {
                    buf.clear();
                }
                return;
            }
            Reply::WithHeaders {
                status,
                content_type,
                headers,
                body,
            } => {
                let mut head = format!(
                    "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
                    reason(status),
                    body.len()
                );
                for (k, v) in headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                if stream.write_all(head.as_bytes()).await.is_err()
                    || stream.write_all(&body).await.is_err()
                    || stream.flush().await.is_err()
                {
                    return;
                }
            }
            Reply::Truncated {
                status,
                content_type,
                body,
                sent,
            } => {
                let head = format!(
                    "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
                    reason(status),
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body[..sent.min(body.len())]).await;
                let _ = stream.flush().await;
                let _ = stream.shutdown().await;
                return;
            }
        }
    }
}
