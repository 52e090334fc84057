//! What an application notices after adding the SDK: its own reqwest client still
//! builds and carries the SDK's calls, one reqwest type serves both, a current-thread
//! runtime is enough, and its JSON maps keep sorting their keys.

use kaltura_downstream::{http_client, kaltura, runtime};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::thread::{self, JoinHandle};

/// A server on 127.0.0.1 for one exchange: answers with `body` (JSON) and hands back
/// the request's head, header names in lower case.
fn serve_once(body: &'static str) -> (String, JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    let server = thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("one connection");
        let mut reader = BufReader::new(stream.try_clone().expect("a second handle"));
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("a request line");
            if line.trim_end().is_empty() {
                break;
            }
            let line = line.to_ascii_lowercase();
            if let Some(n) = line.strip_prefix("content-length:") {
                length = n.trim().parse().expect("a length");
            }
            head.push_str(&line);
        }
        let mut request_body = vec![0; length];
        reader
            .read_exact(&mut request_body)
            .expect("the request body");
        write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("the answer");
        head
    });
    (url, server)
}

#[test]
fn the_applications_reqwest_client_carries_the_calls() {
    let (url, server) = serve_once("true");
    // The application's client, with a header of its own to recognise it by.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-app",
        reqwest::header::HeaderValue::from_static("downstream"),
    );
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("reqwest builds with its own TLS set-up beside the SDK's");
    let client = kaltura(&url, http);
    let pong = runtime().block_on(async { client.system().ping().await });
    assert!(pong.expect("system.ping answered"));
    let head = server.join().expect("the server thread");
    assert!(
        head.starts_with("post /api_v3/service/system/action/ping"),
        "{head}"
    );
    assert!(head.contains("x-app: downstream\r\n"), "{head}");
}

#[test]
fn the_default_transport_runs_on_a_current_thread_runtime() {
    let (url, server) = serve_once("true");
    let client = kaltura_client::Client::new(&url).expect("the default transport");
    let pong = runtime().block_on(async { client.system().ping().await });
    assert!(pong.expect("system.ping answered"));
    server.join().expect("the server thread");
}

#[test]
fn the_sdk_reexports_the_applications_reqwest() {
    // One reqwest in the build: the SDK's re-export is the very type the application
    // uses, so a client passes from one to the other without conversion.
    fn takes_the_sdks(client: kaltura_client::reqwest::Client) -> kaltura_client::ReqwestTransport {
        kaltura_client::ReqwestTransport::new(client)
    }
    let _transport = takes_the_sdks(http_client());
}

#[test]
fn serde_json_maps_keep_their_keys_sorted() {
    // serde_json's `preserve_order` feature would make `Map` an insertion-ordered
    // IndexMap for the whole program; the SDK must not turn it on.
    let mut map = serde_json::Map::new();
    map.insert("b".into(), 1.into());
    map.insert("a".into(), 2.into());
    let keys: Vec<&str> = map.keys().map(String::as_str).collect();
    assert_eq!(keys, ["a", "b"]);
    let parsed: serde_json::Value = serde_json::from_str(r#"{"z": 1, "m": 2, "a": 3}"#).unwrap();
    assert_eq!(parsed.to_string(), r#"{"a":3,"m":2,"z":1}"#);
}
