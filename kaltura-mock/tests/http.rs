//! The HTTP side: chunked request bodies, `Expect: 100-continue`, and several requests
//! on one kept-alive connection.

use crate::common;
use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn read_answer(s: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = s.read(&mut chunk).await.unwrap();
        assert!(n > 0, "closed early: {}", String::from_utf8_lossy(&buf));
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).into_owned();
        if let Some(head_end) = text.find("\r\n\r\n") {
            let len: usize = text[..head_end]
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= head_end + 4 + len {
                return text;
            }
        }
    }
}

#[tokio::test]
async fn chunked_bodies_continue_and_keep_alive() {
    let mock = mock().await;
    let addr = mock.url().trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let body =
        br#"{"format":1,"secret":"a1b2c3d4e5f60718293a4b5c6d7e8f90","partnerId":4242,"type":2}"#;
    let (a, b) = body.split_at(20);
    let mut req = b"POST /api_v3/service/session/action/start HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for part in [a, b] {
        req.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        req.extend_from_slice(part);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"0\r\n\r\n");
    s.write_all(&req).await.unwrap();
    let answer = read_answer(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.contains("\r\n\r\n\"djJ8"), "a v2 KS: {answer}");

    // The same connection again, with Expect: 100-continue.
    let ping = br#"{"format":1}"#;
    let head = format!(
        "POST /api_v3/service/system/action/ping HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
        ping.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut first = [0u8; 25];
    s.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 100 Continue\r\n\r\n");
    s.write_all(ping).await.unwrap();
    let answer = read_answer(&mut s).await;
    assert!(answer.ends_with("\r\n\r\ntrue"), "{answer}");
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413() {
    let mock = builder().max_body(1000).start().await.unwrap();
    let got = send(
        &mock.url(),
        "/api_v3/service/system/action/ping",
        "application/json",
        &[b' '; 5000],
    )
    .await;
    assert_eq!(got.status(), 413);
    let got = call(&mock.url(), "system", "ping", serde_json::json!({})).await;
    assert_eq!(got.json(), serde_json::json!(true));
}
