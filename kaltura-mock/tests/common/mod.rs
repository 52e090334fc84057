//! Helpers for the mock's tests: a mock with one partner and two users, and a raw
//! HTTP/1.1 client (one request per connection) that reports exactly what came back,
//! including resets and answers cut short.
#![allow(dead_code)]

use kaltura_mock::{MockServer, UserSpec};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const PARTNER: i64 = 4242;
pub const ADMIN_SECRET: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
pub const USER_SECRET: &str = "0f9e8d7c6b5a49382716051a2b3c4d5e";

pub async fn mock() -> MockServer {
    builder().start().await.expect("the mock starts")
}

pub fn builder() -> kaltura_mock::Builder {
    MockServer::builder()
        .partner(PARTNER, ADMIN_SECRET, USER_SECRET)
        .user(
            UserSpec::new(PARTNER, "admin@example.com")
                .login("admin@example.com", "Secret-Pass-1")
                .admin(true),
        )
        .user(UserSpec::new(PARTNER, "alice").login("alice@example.com", "Alice-Pass-2"))
}

/// What came back for one request.
#[derive(Debug)]
pub enum Got {
    Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        /// The body is shorter than its Content-Length said.
        short: bool,
    },
    /// The connection closed (or was reset) before any answer.
    Nothing(String),
}

impl Got {
    pub fn body(&self) -> &[u8] {
        match self {
            Got::Answer { body, .. } => body,
            Got::Nothing(why) => panic!("no answer: {why}"),
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(self.body())
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(self.body())))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(self.body()).into_owned()
    }

    pub fn status(&self) -> u16 {
        match self {
            Got::Answer { status, .. } => *status,
            Got::Nothing(why) => panic!("no answer: {why}"),
        }
    }

    /// A header's value (the name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        match self {
            Got::Answer { headers, .. } => headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str()),
            Got::Nothing(why) => panic!("no answer: {why}"),
        }
    }
}

/// A USER KS for `user` with privileges, from `session.start`.
pub async fn user_ks_with(url: &str, user: &str, privileges: &str) -> String {
    let v = json_call(
        url,
        "session",
        "start",
        json!({"secret": USER_SECRET, "partnerId": PARTNER, "type": 0, "userId": user,
               "privileges": privileges}),
    )
    .await;
    v.as_str()
        .unwrap_or_else(|| panic!("no KS: {v}"))
        .to_string()
}

/// A GET of a path (a delivery URL), as a player or a browser sends it.
pub async fn get(url: &str, path: &str) -> Got {
    let addr = url.trim_start_matches("http://");
    let mut stream = match TcpStream::connect(addr).await {
        Ok(s) => s,
        Err(e) => return Got::Nothing(e.to_string()),
    };
    let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if let Err(e) = stream.write_all(head.as_bytes()).await {
        return Got::Nothing(e.to_string());
    }
    read_answer(stream).await
}

/// Sends one request and reads until the server closes.
pub async fn send(url: &str, path: &str, content_type: &str, body: &[u8]) -> Got {
    let addr = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    if let Err(e) = stream.write_all(&bytes).await {
        return Got::Nothing(e.to_string());
    }
    read_answer(stream).await
}

/// Reads one answer until the server closes.
async fn read_answer(mut stream: TcpStream) -> Got {
    let mut raw = Vec::new();
    if let Err(e) = stream.read_to_end(&mut raw).await {
        if raw.is_empty() {
            return Got::Nothing(e.to_string());
        }
    }
    let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Got::Nothing(format!("{} bytes, no head", raw.len()));
    };
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let body = raw[split + 4..].to_vec();
    let declared = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok());
    Got::Answer {
        status,
        short: declared.is_some_and(|d| body.len() < d),
        headers,
        body,
    }
}

/// A call with a JSON body (`format=1`), as our client and Node's send it.
pub async fn call(url: &str, service: &str, action: &str, mut params: Value) -> Got {
    params["format"] = json!(1);
    let path = format!("/api_v3/service/{service}/action/{action}");
    send(
        url,
        &path,
        "application/json",
        params.to_string().as_bytes(),
    )
    .await
}

/// A call's JSON answer.
pub async fn json_call(url: &str, service: &str, action: &str, params: Value) -> Value {
    call(url, service, action, params).await.json()
}

/// An ADMIN KS from `session.start`.
pub async fn admin_ks(url: &str) -> String {
    let v = json_call(
        url,
        "session",
        "start",
        json!({"secret": ADMIN_SECRET, "partnerId": PARTNER, "type": 2, "userId": "admin@example.com"}),
    )
    .await;
    v.as_str()
        .unwrap_or_else(|| panic!("no KS: {v}"))
        .to_string()
}

/// A USER KS for `user` from `session.start` with the user secret.
pub async fn user_ks(url: &str, user: &str) -> String {
    let v = json_call(
        url,
        "session",
        "start",
        json!({"secret": USER_SECRET, "partnerId": PARTNER, "type": 0, "userId": user}),
    )
    .await;
    v.as_str()
        .unwrap_or_else(|| panic!("no KS: {v}"))
        .to_string()
}

/// The error code of a JSON answer (panics when it is not an error).
pub fn code(v: &Value) -> String {
    assert_eq!(v["objectType"], "KalturaAPIException", "not an error: {v}");
    v["code"].as_str().unwrap_or_default().to_string()
}

/// The value of a named argument of a JSON error.
pub fn arg(v: &Value, name: &str) -> String {
    v["args"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["name"] == name))
        .and_then(|x| x["value"].as_str())
        .unwrap_or_default()
        .to_string()
}
