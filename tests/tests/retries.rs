//! The opt-in retry policy through the mock transport, on tokio's paused clock (every
//! backoff sleep and timeout passes at once): what is retried (connection failures,
//! timeouts, 429 and 5xx on read-like actions) and what is not (writes, API errors,
//! bodies that cannot be replayed), `Retry-After`, per-call overrides, multirequests.

use kaltura_client::transport::{HttpResponse, MockReply, MockTransport};
use kaltura_client::types::*;
use kaltura_client::{Client, Error, FileParam, Retry, RetryPolicy};
use std::time::Duration;
use tokio::time::Instant;

const ENTRY: &str = r#"{"id": "0_abc", "name": "clip", "objectType": "KalturaMediaEntry"}"#;
const LIST: &str = r#"{"objects": [], "totalCount": 0, "objectType": "KalturaMediaListResponse"}"#;

fn policy() -> RetryPolicy {
    RetryPolicy::standard()
        .max_attempts(4)
        .backoff(Duration::from_millis(100), Duration::from_secs(2))
}

fn client_with(policy: Option<RetryPolicy>) -> (Client, MockTransport) {
    let mock = MockTransport::new();
    let mut builder = Client::builder("https://kaltura.invalid")
        .ks("KS")
        .timeout(Duration::from_secs(30))
        .transport(mock.clone());
    if let Some(p) = policy {
        builder = builder.retry(p);
    }
    (builder.build().unwrap(), mock)
}

fn status(code: u16) -> HttpResponse {
    HttpResponse::new(code, format!("<html>{code}</html>")).with_header("content-type", "text/html")
}

fn api_error(code: u16) -> HttpResponse {
    HttpResponse::new(
        code,
        r#"{"code": "ENTRY_ID_NOT_FOUND", "message": "Entry id not found", "objectType": "KalturaAPIException"}"#,
    )
    .with_header("content-type", "application/json")
}

fn calls(mock: &MockTransport, action: &str) -> usize {
    mock.requests()
        .iter()
        .filter(|r| r.service_action() == action)
        .count()
}

#[tokio::test(start_paused = true)]
async fn a_503_on_a_read_is_retried_then_succeeds() {
    let (client, mock) = client_with(Some(policy()));
    mock.on("media.get", status(503));
    mock.on(
        "media.get",
        MockReply::TransportError("connection reset".into()),
    );
    mock.on("media.get", HttpResponse::json(ENTRY));
    let entry = client.media().get("0_abc").await.unwrap();
    assert_eq!(entry.object_type(), "KalturaMediaEntry");
    assert_eq!(calls(&mock, "media.get"), 3);
    // Every attempt sent the same request.
    let bodies: Vec<_> = mock.requests().iter().map(|r| r.body.clone()).collect();
    assert!(bodies.windows(2).all(|w| w[0] == w[1]));
}

#[tokio::test(start_paused = true)]
async fn a_503_on_an_add_is_not_retried() {
    let (client, mock) = client_with(Some(policy()));
    mock.on("media.add", status(503));
    mock.on("media.add", HttpResponse::json(ENTRY));
    let err = client
        .media()
        .add(KalturaMediaEntry::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    assert_eq!(calls(&mock, "media.add"), 1);
    // Nor are the other writes.
    mock.on("media.update", status(502));
    mock.on(
        "media.delete",
        MockReply::TransportError("connection reset".into()),
    );
    mock.on("uploadtoken.add", MockReply::Timeout);
    assert!(client
        .media()
        .update("0_a", KalturaMediaEntry::default())
        .await
        .is_err());
    assert!(client.media().delete("0_a").await.is_err());
    assert!(client.upload_token().add().await.is_err());
    for action in ["media.update", "media.delete", "uploadtoken.add"] {
        assert_eq!(calls(&mock, action), 1, "{action}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_timeout_on_list_is_retried_up_to_the_bound_and_the_last_error_returned() {
    let (client, mock) = client_with(Some(policy()));
    // The mock never answers: each attempt ends with the client's 30 s timeout.
    mock.always("media.list", MockReply::Hang);
    let started = Instant::now();
    let err = client.media().list().await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(
        calls(&mock, "media.list"),
        4,
        "max_attempts bounds the tries"
    );
    // Four timeouts and three backoffs passed on the paused clock.
    assert!(started.elapsed() >= Duration::from_secs(4 * 30));

    // The error of the last attempt is the one returned.
    mock.clear_requests();
    mock.on("media.count", status(503));
    mock.on("media.count", MockReply::Timeout);
    mock.on("media.count", MockReply::TransportError("refused".into()));
    mock.on("media.count", status(502));
    let err = client.media().count().await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 502, .. }), "{err:?}");
    assert_eq!(calls(&mock, "media.count"), 4);
}

#[tokio::test(start_paused = true)]
async fn api_errors_are_never_retried() {
    let (client, mock) = client_with(Some(policy()));
    // Kaltura sends its errors with HTTP 200...
    mock.on("media.get", api_error(200));
    mock.on("media.get", HttpResponse::json(ENTRY));
    let err = client.media().get("0_x").await.unwrap_err();
    assert_eq!(err.code(), Some("ENTRY_ID_NOT_FOUND"));
    assert_eq!(calls(&mock, "media.get"), 1);
    // ...and an API error under a 5xx status is still an answer.
    let (client, mock) = client_with(Some(policy()));
    mock.on("media.get", api_error(500));
    mock.on("media.get", HttpResponse::json(ENTRY));
    let err = client.media().get("0_x").await.unwrap_err();
    assert_eq!(err.code(), Some("ENTRY_ID_NOT_FOUND"));
    assert_eq!(calls(&mock, "media.get"), 1);
    // So are 4xx statuses other than 429.
    let (client, mock) = client_with(Some(policy()));
    mock.on("media.get", status(404));
    mock.on("media.get", HttpResponse::json(ENTRY));
    assert!(client.media().get("0_x").await.is_err());
    assert_eq!(calls(&mock, "media.get"), 1);
}

#[tokio::test(start_paused = true)]
async fn retries_are_off_by_default() {
    let (client, mock) = client_with(None);
    mock.on("media.get", status(503));
    mock.on("media.get", HttpResponse::json(ENTRY));
    assert!(client.media().get("0_abc").await.is_err());
    assert_eq!(calls(&mock, "media.get"), 1);
}

#[tokio::test(start_paused = true)]
async fn retry_after_on_429_is_honoured_within_the_limit() {
    let (client, mock) = client_with(Some(policy()));
    mock.on("media.get", status(429).with_header("Retry-After", "7"));
    mock.on("media.get", HttpResponse::json(ENTRY));
    let started = Instant::now();
    client.media().get("0_abc").await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(7),
        "waited {:?}, the server asked for 7 s",
        started.elapsed()
    );
    assert_eq!(calls(&mock, "media.get"), 2);

    // Asked to wait longer than the policy allows: the 429 is the answer.
    mock.clear_requests();
    mock.on("media.get", status(429).with_header("Retry-After", "3600"));
    mock.on("media.get", HttpResponse::json(ENTRY));
    let err = client.media().get("0_abc").await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 429, .. }), "{err:?}");
    assert_eq!(calls(&mock, "media.get"), 1);
}

#[tokio::test(start_paused = true)]
async fn backoff_sleeps_between_attempts() {
    let p = policy();
    let (client, mock) = client_with(Some(p.clone()));
    mock.always("media.get", status(503));
    let started = Instant::now();
    assert!(client.media().get("0_abc").await.is_err());
    let least: Duration = (1..4).map(|r| p.backoff_range(r).0).sum();
    let most: Duration = (1..4).map(|r| p.backoff_range(r).1).sum();
    let waited = started.elapsed();
    assert!(
        least <= waited && waited <= most,
        "{waited:?} not in {least:?}..={most:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_call_can_force_or_refuse_retries() {
    let (client, mock) = client_with(Some(policy()));
    // A write the caller knows to be harmless to repeat.
    mock.on("media.add", status(503));
    mock.on("media.add", HttpResponse::json(ENTRY));
    client
        .media()
        .add(KalturaMediaEntry::default())
        .with_retry(Retry::Force)
        .await
        .unwrap();
    assert_eq!(calls(&mock, "media.add"), 2);

    // A read sent once.
    mock.on("media.get", status(503));
    mock.on("media.get", HttpResponse::json(ENTRY));
    assert!(client
        .media()
        .get("0_a")
        .with_retry(Retry::Never)
        .await
        .is_err());
    assert_eq!(calls(&mock, "media.get"), 1);

    // A policy of its own, on a client that has none.
    let (bare, mock) = client_with(None);
    mock.always("media.list", status(500));
    let err = bare
        .media()
        .list()
        .with_retry(Retry::ForceWith(RetryPolicy::standard().max_attempts(6)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 500, .. }));
    assert_eq!(calls(&mock, "media.list"), 6);
    // Forced without any policy: the standard one (3 attempts).
    mock.clear_requests();
    assert!(bare.media().list().with_retry(Retry::Force).await.is_err());
    assert_eq!(calls(&mock, "media.list"), 3);
}

#[tokio::test(start_paused = true)]
async fn a_multirequest_is_retried_only_when_every_call_reads() {
    let (client, mock) = client_with(Some(policy()));
    let answer = format!("[{ENTRY}, {LIST}]");

    mock.on("multirequest", status(503));
    mock.on("multirequest", HttpResponse::json(answer.clone()));
    let mut mr = client.multirequest();
    mr.add(client.media().get("0_abc"));
    mr.add(client.media().list());
    mr.send().await.unwrap();
    assert_eq!(calls(&mock, "multirequest"), 2);

    let (client, mock) = client_with(Some(policy()));
    mock.on("multirequest", status(503));
    mock.on("multirequest", HttpResponse::json(answer.clone()));
    let mut mr = client.multirequest();
    mr.add(client.media().get("0_abc"));
    mr.add(client.media().add(KalturaMediaEntry::default()));
    assert!(mr.send().await.is_err());
    assert_eq!(
        calls(&mock, "multirequest"),
        1,
        "one write keeps it from repeating"
    );

    let (client, mock) = client_with(Some(policy()));
    mock.on("multirequest", status(503));
    mock.on("multirequest", HttpResponse::json(answer));
    let mut mr = client.multirequest().with_retry(Retry::Force);
    mr.add(client.media().get("0_abc"));
    mr.add(client.media().add(KalturaMediaEntry::default()));
    mr.send().await.unwrap();
    assert_eq!(calls(&mock, "multirequest"), 2);
}

#[tokio::test(start_paused = true)]
async fn a_body_read_from_a_reader_is_sent_once() {
    let (client, mock) = client_with(Some(policy()));
    mock.always("uploadtoken.upload", status(503));
    let err = client
        .upload_token()
        .upload(
            "0_tok",
            FileParam::reader(std::io::Cursor::new(vec![1u8; 10]), Some(10), "a.bin"),
        )
        .with_retry(Retry::Force)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }));
    assert_eq!(calls(&mock, "uploadtoken.upload"), 1);

    // From bytes it can be replayed, part for part.
    mock.clear_requests();
    let _ = client
        .upload_token()
        .upload("0_tok", FileParam::bytes(vec![2u8; 10], "b.bin"))
        .with_retry(Retry::Force)
        .await;
    let sent = mock.requests();
    assert_eq!(sent.len(), 4);
    assert!(sent.windows(2).all(|w| w[0].body == w[1].body));
}

#[tokio::test]
async fn nonsense_policies_are_refused() {
    let err = Client::builder("https://kaltura.invalid")
        .retry(RetryPolicy::standard().max_attempts(0))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("max_attempts"), "{err}");
    let err = Client::builder("https://kaltura.invalid")
        .retry(RetryPolicy::standard().backoff(Duration::from_secs(5), Duration::from_secs(1)))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("backoff"), "{err}");

    let (client, mock) = client_with(None);
    let err = client
        .media()
        .get("0_a")
        .with_retry(Retry::ForceWith(RetryPolicy::standard().max_attempts(0)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert!(mock.requests().is_empty(), "nothing was sent");
}

#[test]
fn the_read_like_rule() {
    use kaltura_client::retry::is_read_like;
    for yes in [
        "get",
        "list",
        "count",
        "serve",
        "getUrl",
        "search",
        "searchEntry",
        "listByPartner",
        "serveByEntryId",
        "getPlaybackContext",
    ] {
        assert!(is_read_like(yes), "{yes}");
    }
    for no in [
        "add",
        "addFromUploadedFile",
        "update",
        "delete",
        "upload",
        "start",
        "getter",
        "listen",
        "getExclusiveDropFolder",
        "approve",
        "",
    ] {
        assert!(!is_read_like(no), "{no}");
    }
}
