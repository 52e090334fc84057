//! What the client tells `tracing`: one `kaltura.call` span per call with its service,
//! action, attempt, status and duration; request and response bodies at TRACE only,
//! with every KS, admin secret and password blanked out, including a KS the server
//! hands back. All of it under one target, `kaltura_runtime`, the name a filter
//! such as `RUST_LOG=kaltura_runtime=debug` gives.

use kaltura_client::ks::{AdminSecret, KsBuilder, SessionType};
use kaltura_client::transport::{HttpResponse, MockReply, MockTransport};
use kaltura_client::types::*;
use kaltura_client::{Client, RetryPolicy};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::{Level, Metadata};

const CLIENT_KS: &str = "djJ8MTIzNDU2N3xDTElFTlRfS1NfU0VDUkVUX1ZBTFVF";
const ADMIN_SECRET: &str = "0123456789abcdef0123456789abcdef";
const PASSWORD: &str = "correct horse battery staple";
const USER_SECRET: &str = "fedcba9876543210fedcba9876543210";

#[derive(Debug, Clone)]
struct Span {
    name: String,
    target: String,
    fields: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
struct Event {
    level: Level,
    target: String,
    fields: BTreeMap<String, String>,
}

/// A subscriber that keeps spans (with later `record`s) and events, up to a level.
#[derive(Clone)]
struct Capture {
    max: Level,
    spans: Arc<Mutex<Vec<Span>>>,
    events: Arc<Mutex<Vec<Event>>>,
}

impl Capture {
    fn new(max: Level) -> Self {
        Capture {
            max,
            spans: Default::default(),
            events: Default::default(),
        }
    }

    fn calls(&self) -> Vec<Span> {
        self.spans
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.name == "kaltura.call")
            .cloned()
            .collect()
    }

    fn events(&self) -> Vec<Event> {
        self.events.lock().unwrap().clone()
    }

    /// The targets of the spans and events from this workspace's crates.
    fn kaltura_targets(&self) -> std::collections::BTreeSet<String> {
        let spans = self.spans.lock().unwrap();
        let events = self.events.lock().unwrap();
        spans
            .iter()
            .map(|s| &s.target)
            .chain(events.iter().map(|e| &e.target))
            .filter(|t| t.starts_with("kaltura"))
            .cloned()
            .collect()
    }

    /// Everything captured, as text.
    fn text(&self) -> String {
        let mut out = String::new();
        for s in self.spans.lock().unwrap().iter() {
            let _ = writeln!(out, "span {} {:?}", s.name, s.fields);
        }
        for e in self.events.lock().unwrap().iter() {
            let _ = writeln!(out, "event {} {:?}", e.level, e.fields);
        }
        out
    }
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().into(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }
}

impl tracing::Subscriber for Capture {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        // Ask every time: tests on other threads use other subscribers.
        tracing::subscriber::Interest::sometimes()
    }
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        *metadata.level() <= self.max
    }
    fn new_span(&self, attrs: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push(Span {
            name: attrs.metadata().name().into(),
            target: attrs.metadata().target().into(),
            fields,
        });
        tracing::span::Id::from_u64(spans.len() as u64)
    }
    fn record(&self, id: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        if let Some(span) = spans.get_mut(id.into_u64() as usize - 1) {
            values.record(&mut Fields(&mut span.fields));
        }
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.events.lock().unwrap().push(Event {
            level: *event.metadata().level(),
            target: event.metadata().target().into(),
            fields,
        });
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

fn client() -> (Client, MockTransport) {
    let mock = MockTransport::new();
    let client = Client::builder("https://kaltura.invalid")
        .ks(CLIENT_KS)
        .retry(
            RetryPolicy::standard().backoff(Duration::from_millis(10), Duration::from_millis(20)),
        )
        .transport(mock.clone())
        .build()
        .unwrap();
    (client, mock)
}

#[tokio::test(start_paused = true)]
async fn each_call_has_a_span_with_its_outcome() {
    let logs = Capture::new(Level::DEBUG);
    let _guard = tracing::subscriber::set_default(logs.clone());
    let (client, mock) = client();
    mock.on(
        "media.get",
        HttpResponse::new(503, "busy").with_header("content-type", "text/plain"),
    );
    mock.on(
        "media.get",
        HttpResponse::json(r#"{"id": "0_a", "objectType": "KalturaMediaEntry"}"#),
    );
    client.media().get("0_a").await.unwrap();
    mock.on(
        "media.add",
        MockReply::TransportError("connection reset".into()),
    );
    let _ = client.media().add(KalturaMediaEntry::default()).await;

    let calls = logs.calls();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    let get = &calls[0].fields;
    assert_eq!(get["service"], "media");
    assert_eq!(get["action"], "get");
    assert_eq!(get["attempt"], "2", "the span ends on the last attempt");
    assert_eq!(get["status"], "200");
    assert!(get["duration_ms"].parse::<u64>().is_ok(), "{get:?}");
    let add = &calls[1].fields;
    assert_eq!(
        (add["service"].as_str(), add["action"].as_str()),
        ("media", "add")
    );
    assert_eq!(add["attempt"], "1");
    assert_eq!(add["error"], "transport");
    assert!(!add.contains_key("status"));

    let events = logs.events();
    let retried: Vec<_> = events
        .iter()
        .filter(|e| e.fields.get("message").map(String::as_str) == Some("retrying"))
        .collect();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].level, Level::INFO);
    assert_eq!(retried[0].fields["reason"], "http 5xx");
    // Below TRACE, no body is written.
    assert!(
        events.iter().all(|e| !e.fields.contains_key("body")),
        "{}",
        logs.text()
    );
    // One target for the spans and the events: a filter naming it catches them all.
    assert_eq!(
        logs.kaltura_targets(),
        ["kaltura_runtime".to_string()].into(),
        "{}",
        logs.text()
    );
}

#[tokio::test(start_paused = true)]
async fn bodies_at_trace_level_carry_no_secret() {
    let logs = Capture::new(Level::TRACE);
    let _guard = tracing::subscriber::set_default(logs.clone());
    let (client, mock) = client();
    // A real KS, which the server hands out and the request never carried.
    let issued = KsBuilder::new(1234567, SessionType::Admin)
        .expires_in(3600)
        .generate_v2(&AdminSecret::new(ADMIN_SECRET).unwrap())
        .unwrap();
    let issued = issued.expose().to_string();
    let mut secrets = vec![
        CLIENT_KS,
        ADMIN_SECRET,
        PASSWORD,
        USER_SECRET,
        issued.as_str(),
    ];

    mock.on("session.start", HttpResponse::json(format!("\"{issued}\"")));
    let ks = client
        .session()
        .start(ADMIN_SECRET)
        .partner_id(1234567)
        .r#type(KalturaSessionType::Admin)
        .await
        .unwrap();
    assert_eq!(ks, issued);

    mock.on(
        "user.loginByLoginId",
        HttpResponse::json(format!(
            r#"{{"code": "USER_WRONG_PASSWORD", "message": "Wrong password {PASSWORD}", "objectType": "KalturaAPIException"}}"#
        )),
    );
    let _ = client
        .user()
        .login_by_login_id("jane@example.com", PASSWORD)
        .await;

    mock.on(
        "partner.getSecrets",
        HttpResponse::json(format!(
            r#"{{"id": 1234567, "name": "Acme", "adminSecret": "{ADMIN_SECRET}", "secret": "{USER_SECRET}", "objectType": "KalturaPartner"}}"#
        )),
    );
    let partner = client
        .partner()
        .get_secrets(1234567, "admin@example.com", PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        partner.admin_secret.as_ref().map(|s| s.expose()),
        Some(ADMIN_SECRET)
    );

    mock.on(
        "media.list",
        HttpResponse::new(502, format!("<html>upstream said ks={issued}</html>"))
            .with_header("content-type", "text/html"),
    );
    mock.on(
        "media.list",
        HttpResponse::json(
            r#"{"objects": [], "totalCount": 0, "objectType": "KalturaMediaListResponse"}"#,
        ),
    );
    client
        .media()
        .list()
        .with_ks(issued.as_str())
        .await
        .unwrap();

    // The bodies were logged...
    let bodies: Vec<String> = logs
        .events()
        .into_iter()
        .filter(|e| e.level == Level::TRACE)
        .filter_map(|e| e.fields.get("body").cloned())
        .collect();
    assert!(
        bodies.iter().any(|b| b.contains("jane@example.com")),
        "request bodies are logged: {bodies:#?}"
    );
    assert!(
        bodies.iter().any(|b| b.contains("\"name\":\"Acme\"")),
        "response bodies are logged: {bodies:#?}"
    );
    assert!(bodies.iter().any(|b| b.contains("upstream said")));
    assert!(bodies.iter().filter(|b| b.contains("<redacted>")).count() >= 5);
    assert_eq!(
        logs.kaltura_targets(),
        ["kaltura_runtime".to_string()].into()
    );
    // ...but no secret anywhere in what was captured.
    let text = logs.text();
    secrets.retain(|s| !s.is_empty());
    for secret in &secrets {
        assert!(
            !text.contains(secret),
            "`{secret}` shows in the logs:\n{text}"
        );
    }
}
