//! A small HTTP/1.1 server side: reads requests (`Content-Length` or chunked bodies,
//! `Expect: 100-continue`, keep-alive) and writes answers, or misbehaves on purpose
//! (a reset, a closed connection, an answer cut short) when a fault asks for it.
//! Hand-written so that each fault is exactly what a client would meet on the wire.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Longest request head (request line and headers).
const MAX_HEAD: usize = 64 * 1024;

/// One request as received.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub method: String,
    /// The path without the query (`/api_v3/service/media/action/list`).
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An answer.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> HttpResponse {
        HttpResponse {
            status,
            content_type: content_type.to_string(),
            headers: Vec::new(),
            body,
        }
    }
}

/// What the connection does with a request.
#[derive(Debug, Clone)]
pub enum Outcome {
    Respond(HttpResponse),
    /// Announces the whole body but sends only `sent` bytes of it, then closes.
    Truncated {
        response: HttpResponse,
        sent: usize,
    },
    /// Closes the connection without an answer.
    Close,
    /// Resets the connection (TCP RST) without an answer.
    Reset,
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Why a request could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The peer closed the connection (between requests: the normal end).
    Closed,
    /// The request was not HTTP/1.1 this server can read; answered with 400.
    Bad(&'static str),
    /// The body is larger than allowed; answered with 413.
    TooLarge,
}

/// Reads requests from one connection.
pub struct Connection {
    stream: TcpStream,
    buf: Vec<u8>,
    max_body: usize,
}

impl Connection {
    pub fn new(stream: TcpStream, max_body: usize) -> Connection {
        let _ = stream.set_nodelay(true);
        Connection {
            stream,
            buf: Vec::with_capacity(8 * 1024),
            max_body,
        }
    }

    async fn fill(&mut self) -> Result<(), ReadError> {
        let mut chunk = [0u8; 32 * 1024];
        match self.stream.read(&mut chunk).await {
            Ok(0) | Err(_) => Err(ReadError::Closed),
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                Ok(())
            }
        }
    }

    /// The next request, or why there is none.
    pub async fn read_request(&mut self) -> Result<HttpRequest, ReadError> {
        let head_end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i;
            }
            if self.buf.len() > MAX_HEAD {
                return Err(ReadError::Bad("request head too long"));
            }
            self.fill().await?;
        };
        let head = std::str::from_utf8(&self.buf[..head_end])
            .map_err(|_| ReadError::Bad("request head is not UTF-8"))?
            .to_string();
        self.buf.drain(..head_end + 4);
        let mut lines = head.split("\r\n");
        let line = lines.next().unwrap_or("");
        let mut words = line.split(' ');
        let method = words.next().unwrap_or("").to_string();
        let target = words.next().ok_or(ReadError::Bad("no request target"))?;
        let version = words.next().unwrap_or("");
        if method.is_empty() || !version.starts_with("HTTP/1.") {
            return Err(ReadError::Bad("not an HTTP/1.x request line"));
        }
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (target.to_string(), String::new()),
        };
        let mut req = HttpRequest {
            method,
            path,
            query,
            headers,
            body: Vec::new(),
        };
        if req
            .header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
        {
            let _ = self
                .stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .await;
        }
        let chunked = req
            .header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        if chunked {
            req.body = self.read_chunked().await?;
        } else if let Some(len) = req.header("content-length") {
            let len: usize = len
                .parse()
                .map_err(|_| ReadError::Bad("bad Content-Length"))?;
            if len > self.max_body {
                return Err(ReadError::TooLarge);
            }
            while self.buf.len() < len {
                self.fill().await?;
            }
            req.body = self.buf.drain(..len).collect();
        }
        Ok(req)
    }

    async fn read_chunked(&mut self) -> Result<Vec<u8>, ReadError> {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(i) = find(&self.buf, b"\r\n") {
                    break i;
                }
                if self.buf.len() > MAX_HEAD {
                    return Err(ReadError::Bad("chunk size line too long"));
                }
                self.fill().await?;
            };
            let line = std::str::from_utf8(&self.buf[..line_end])
                .map_err(|_| ReadError::Bad("bad chunk size"))?;
            let size = usize::from_str_radix(line.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| ReadError::Bad("bad chunk size"))?;
            self.buf.drain(..line_end + 2);
            if size == 0 {
                loop {
                    let i = loop {
                        if let Some(i) = find(&self.buf, b"\r\n") {
                            break i;
                        }
                        self.fill().await?;
                    };
                    self.buf.drain(..i + 2);
                    if i == 0 {
                        return Ok(body);
                    }
                }
            }
            if body.len() + size > self.max_body {
                return Err(ReadError::TooLarge);
            }
            while self.buf.len() < size + 2 {
                self.fill().await?;
            }
            body.extend_from_slice(&self.buf[..size]);
            self.buf.drain(..size + 2);
        }
    }

    fn head(response: &HttpResponse, keep_alive: bool) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
            response.status,
            reason(response.status),
            response.content_type,
            response.body.len()
        );
        for (k, v) in &response.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(if keep_alive {
            "Connection: keep-alive\r\n\r\n"
        } else {
            "Connection: close\r\n\r\n"
        });
        head.into_bytes()
    }

    /// Writes an answer; `false` when the connection is to be closed afterwards.
    pub async fn write(&mut self, outcome: Outcome, keep_alive: bool) -> bool {
        match outcome {
            Outcome::Respond(response) => {
                let mut bytes = Self::head(&response, keep_alive);
                bytes.extend_from_slice(&response.body);
                self.stream.write_all(&bytes).await.is_ok() && keep_alive
            }
            Outcome::Truncated { response, sent } => {
                let mut bytes = Self::head(&response, false);
                bytes.extend_from_slice(&response.body[..sent.min(response.body.len())]);
                let _ = self.stream.write_all(&bytes).await;
                let _ = self.stream.flush().await;
                let _ = self.stream.shutdown().await;
                false
            }
            Outcome::Close => {
                let _ = self.stream.shutdown().await;
                false
            }
            Outcome::Reset => {
                let _ = self.stream.set_zero_linger();
                false
            }
        }
    }

    /// Answers a request that could not be read, then the connection closes.
    pub async fn refuse(&mut self, error: &ReadError) {
        let (status, text) = match error {
            ReadError::Closed => return,
            ReadError::Bad(why) => (400, *why),
            ReadError::TooLarge => (413, "request body too large"),
        };
        let response = HttpResponse::new(status, "text/plain", text.as_bytes().to_vec());
        let _ = tokio::time::timeout(
            Duration::from_secs(5),
            self.write(Outcome::Respond(response), false),
        )
        .await;
        // Closing with unread bytes would reset the connection, and the client could
        // lose the answer: the rest of what it sends is read (up to 16 MiB, for one
        // second) and dropped first.
        let _ = self.stream.shutdown().await;
        let mut sink = [0u8; 32 * 1024];
        let mut left: usize = 16 * 1024 * 1024;
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            while left > 0 {
                match self.stream.read(&mut sink).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => left = left.saturating_sub(n),
                }
            }
        })
        .await;
    }
}

/// Whether the client asked to keep the connection open (HTTP/1.1's default).
pub fn wants_keep_alive(req: &HttpRequest) -> bool {
    !req.header("connection")
        .is_some_and(|v| v.eq_ignore_ascii_case("close"))
}
