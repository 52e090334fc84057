//! A transport for tests (feature `test-util`): answers from canned replies, keyed by
//! `service.action` or in order, and keeps every request it was given, with its body
//! rendered to the bytes a real transport would send.
//!
//! ```
//! # use kaltura_runtime as kaltura_client;
//! # async fn demo() -> Result<(), kaltura_client::Error> {
//! use kaltura_client::transport::{HttpResponse, MockTransport};
//! use kaltura_client::Client;
//! use serde_json::json;
//!
//! let mock = MockTransport::new();
//! mock.on("session.start", HttpResponse::json(r#""djJ8MTIz""#));
//! let client = Client::builder("https://kaltura.invalid").transport(mock.clone()).build()?;
//! // A call by name; a generated request (`client.session().start("secret")`) alike.
//! let params = json!({"secret": "secret"}).as_object().cloned().unwrap_or_default();
//! let ks = client.call_json("session", "start", params, vec![]).await?;
//! assert_eq!(ks, "djJ8MTIz");
//! let sent = mock.last_request().unwrap();
//! assert_eq!(sent.service_action(), "session.start");
//! assert_eq!(sent.json().unwrap()["secret"], "secret");
//! # Ok(()) }
//! ```

use super::{BoxFuture, HttpBody, HttpRequest, HttpResponse, Transport};
use crate::codec::Json;
use crate::Error;
use bytes::Bytes;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the mock does with one request.
#[derive(Debug, Clone)]
pub enum MockReply {
    /// Answers with this response.
    Response(HttpResponse),
    /// Fails as a dropped connection would.
    TransportError(String),
    /// Fails as an expired timeout would.
    Timeout,
    /// Never answers: the call ends with the client's timeout.
    Hang,
}

impl From<HttpResponse> for MockReply {
    fn from(r: HttpResponse) -> Self {
        MockReply::Response(r)
    }
}

#[derive(Default)]
struct State {
    keyed: HashMap<String, VecDeque<MockReply>>,
    sticky: HashMap<String, MockReply>,
    queue: VecDeque<MockReply>,
    requests: Vec<CapturedRequest>,
}

/// A [`Transport`] answering from canned replies. Clones share their replies and
/// captured requests, so keep one clone to inspect what the client sent.
///
/// A reply is picked from, in order: the queue for the request's `service.action`
/// (`media.get`, or `multirequest`), the sticky reply for it, and the general queue.
/// With nothing left, the call fails with a transport error naming the action.
#[derive(Clone, Default)]
pub struct MockTransport {
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.lock();
        f.debug_struct("MockTransport")
            .field("queued", &st.queue.len())
            .field("captured", &st.requests.len())
            .finish_non_exhaustive()
    }
}

impl MockTransport {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a reply for the next request of any action.
    pub fn push(&self, reply: impl Into<MockReply>) -> &Self {
        self.lock().queue.push_back(reply.into());
        self
    }

    /// Queues a 200 JSON answer for the next request of any action.
    pub fn push_json(&self, body: impl Into<String>) -> &Self {
        self.push(HttpResponse::json(body.into()))
    }

    /// Queues a reply for the next request of `service_action` (`media.get`,
    /// `uploadtoken.upload`, `multirequest`; service ids are lowercase).
    pub fn on(&self, service_action: &str, reply: impl Into<MockReply>) -> &Self {
        self.lock()
            .keyed
            .entry(service_action.to_string())
            .or_default()
            .push_back(reply.into());
        self
    }

    /// Answers every request of `service_action` with `reply` (after its queue).
    pub fn always(&self, service_action: &str, reply: impl Into<MockReply>) -> &Self {
        self.lock()
            .sticky
            .insert(service_action.to_string(), reply.into());
        self
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<CapturedRequest> {
        self.lock().requests.clone()
    }

    pub fn last_request(&self) -> Option<CapturedRequest> {
        self.lock().requests.last().cloned()
    }

    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    fn reply_for(&self, key: &str) -> Option<MockReply> {
        let mut st = self.lock();
        if let Some(r) = st.keyed.get_mut(key).and_then(VecDeque::pop_front) {
            return Some(r);
        }
        if let Some(r) = st.sticky.get(key) {
            return Some(r.clone());
        }
        st.queue.pop_front()
    }
}

impl Transport for MockTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(async move {
            let content_type = request.body.content_type();
            let body = match request.body {
                HttpBody::Empty => Bytes::new(),
                HttpBody::Json(b) => b,
                HttpBody::Multipart(m) => m.into_bytes().await?,
            };
            let captured = CapturedRequest {
                method: request.method,
                url: request.url,
                headers: request.headers,
                content_type,
                body,
                timeout: request.timeout,
            };
            let key = captured.service_action();
            self.lock().requests.push(captured);
            match self.reply_for(&key) {
                Some(MockReply::Response(r)) => Ok(r),
                Some(MockReply::TransportError(message)) => Err(Error::Transport {
                    message,
                    source: None,
                }),
                Some(MockReply::Timeout) => {
                    Err(Error::Timeout(request.timeout.unwrap_or_default()))
                }
                Some(MockReply::Hang) => std::future::pending().await,
                None => Err(Error::Transport {
                    message: format!("the mock transport has no reply for `{key}`"),
                    source: None,
                }),
            }
        })
    }
}

/// A request as the mock received it, with its body rendered.
#[derive(Clone)]
pub struct CapturedRequest {
    pub method: http::Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub content_type: Option<String>,
    /// The exact body bytes (a multipart body fully rendered).
    pub body: Bytes,
    pub timeout: Option<Duration>,
}

impl fmt::Debug for CapturedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CapturedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("content_type", &self.content_type)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

impl CapturedRequest {
    /// The URL's path (`/api_v3/service/media/action/get`).
    pub fn path(&self) -> &str {
        let rest = self
            .url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or(&self.url);
        let path = rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
        path.split(['?', '#']).next().unwrap_or(path)
    }

    /// `service.action` from the path, or `multirequest`.
    pub fn service_action(&self) -> String {
        let segments: Vec<&str> = self.path().split('/').collect();
        let at = |name: &str| {
            segments
                .iter()
                .position(|s| *s == name)
                .and_then(|i| segments.get(i + 1))
                .copied()
        };
        match (at("service"), at("action")) {
            (Some(s), Some(a)) => format!("{s}.{a}"),
            (Some(s), None) => s.to_string(),
            _ => String::new(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The parameters: the JSON body, or the `json` part of a multipart body.
    pub fn json(&self) -> Option<Json> {
        if self.is_multipart() {
            let parts = self.parts();
            let json = parts.iter().find(|p| p.name == "json")?;
            serde_json::from_slice(&json.body).ok()
        } else {
            serde_json::from_slice(&self.body).ok()
        }
    }

    pub fn is_multipart(&self) -> bool {
        self.content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("multipart/"))
    }

    /// The parts of a multipart body (empty for other bodies).
    pub fn parts(&self) -> Vec<CapturedPart> {
        self.content_type
            .as_deref()
            .and_then(|c| parse_multipart(c, &self.body))
            .unwrap_or_default()
    }
}

/// One part of a captured multipart body.
#[derive(Clone)]
pub struct CapturedPart {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl fmt::Debug for CapturedPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CapturedPart")
            .field("name", &self.name)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// Splits a `multipart/form-data` body; `None` when it is not one.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Option<Vec<CapturedPart>> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut pos = find(body, delimiter.as_bytes(), 0)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body.get(pos..pos + 2) == Some(b"--") {
            return Some(parts);
        }
        pos = find(body, b"\r\n", pos)? + 2;
        let next = find(body, format!("\r\n{delimiter}").as_bytes(), pos)?;
        let part = &body[pos..next];
        let split = find(part, b"\r\n\r\n", 0);
        let (head, content) = match split {
            Some(i) => (&part[..i], &part[i + 4..]),
            None if part.starts_with(b"\r\n") => (&part[..0], &part[2..]),
            None => (part, &part[part.len()..]),
        };
        let headers: Vec<(String, String)> = String::from_utf8_lossy(head)
            .split("\r\n")
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let disposition = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-disposition"))
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let param = |name: &str| {
            disposition
                .split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix(&format!("{name}=")))
                .map(|v| v.trim_matches('"').to_string())
        };
        parts.push(CapturedPart {
            name: param("name").unwrap_or_default(),
            file_name: param("filename"),
            content_type: headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.clone()),
            headers,
            body: Bytes::copy_from_slice(content),
        });
        pos = next + 2 + delimiter.len();
    }
}
