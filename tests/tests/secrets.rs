//! Admin secrets, passwords, KS and proxy credentials never show in `Debug` output,
//! error messages or logs, even when the server echoes them back.

use kaltura_client::transport::{
    BoxFuture, HttpRequest, HttpResponse, MockReply, MockTransport, Transport,
};
use kaltura_client::types::*;
use kaltura_client::{Client, Error, Proxy, Secret};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

const KS: &str = "djJ8MTIzNDU2N3xLRUVQX1RISVNfS1NfU0VDUkVU";
const ADMIN_SECRET: &str = "ADMIN_SECRET_abc123xyz";
const PASSWORD: &str = "p@ss w0rd&<\"'>";
const PROXY_PASSWORD: &str = "proxyPassw0rd";
const SECRETS: &[&str] = &[KS, ADMIN_SECRET, PASSWORD, PROXY_PASSWORD];

/// Records every span and event field as text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

struct Visitor<'a>(&'a mut String);

impl tracing::field::Visit for Visitor<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut log = self.0.lock().unwrap();
        attrs.record(&mut Visitor(&mut log));
        log.push('\n');
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Visitor(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut log = self.0.lock().unwrap();
        event.record(&mut Visitor(&mut log));
        log.push('\n');
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// A transport that Debug-prints every request it is given, then lets the mock answer.
struct Printing {
    printed: Arc<Mutex<Vec<String>>>,
    mock: MockTransport,
}

impl Transport for Printing {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        self.printed.lock().unwrap().push(format!("{request:?}"));
        self.mock.send(request)
    }
}

/// An API error whose message and args echo what the request carried.
fn echo_error(code: &str, echoed: &[&str]) -> HttpResponse {
    let args: serde_json::Map<String, serde_json::Value> = echoed
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("ARG{i}"), serde_json::Value::from(*v)))
        .collect();
    let body = serde_json::json!({
        "code": code,
        "message": format!("Invalid input {}", echoed.join(" and ")),
        "objectType": "KalturaAPIException",
        "args": args,
    });
    HttpResponse::json(body.to_string())
}

#[tokio::test]
async fn secrets_never_appear_in_debug_errors_or_logs() {
    let logs = Capture::default();
    let _guard = tracing::subscriber::set_default(logs.clone());
    let printed = Arc::new(Mutex::new(Vec::new()));
    let mock = MockTransport::new();
    let builder = Client::builder("https://kaltura.invalid")
        .ks(KS)
        .proxy(Proxy::Url(format!(
            "http://user:{PROXY_PASSWORD}@proxy.invalid:3128"
        )))
        .transport(Printing {
            printed: printed.clone(),
            mock: mock.clone(),
        });
    let mut shown = vec![format!("{builder:?}")];
    let client = builder.build().unwrap();
    shown.push(format!("{client:?}"));
    shown.push(format!("{:?}", client.config()));
    shown.push(format!(
        "{:?} {}",
        Secret::new(KS),
        Secret::new(ADMIN_SECRET)
    ));

    // Requests carrying secrets.
    let start = client
        .session()
        .start(ADMIN_SECRET)
        .partner_id(1234567)
        .r#type(KalturaSessionType::Admin);
    shown.push(format!("{start:?}"));
    let login = client
        .user()
        .login_by_login_id("jane@example.com", PASSWORD);
    shown.push(format!("{login:?}"));
    let get = client.media().get("0_a").with_ks(KS);
    shown.push(format!("{get:?}"));

    // Errors whose texts echo them.
    mock.on(
        "session.start",
        echo_error("START_SESSION_ERROR", &[KS, ADMIN_SECRET]),
    );
    let err = start.await.unwrap_err();
    assert_eq!(err.code(), Some("START_SESSION_ERROR"));
    shown.push(format!("{err} {err:?}"));

    mock.on(
        "user.loginByLoginId",
        HttpResponse::new(
            502,
            format!("<html>proxy error for password={PASSWORD}</html>"),
        ),
    );
    let err = login.await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 502, .. }), "{err:?}");
    shown.push(format!("{err} {err:?}"));

    mock.on(
        "media.get",
        HttpResponse::new(200, format!("<html>your ks is {KS}</html>"))
            .with_header("content-type", "text/html"),
    );
    let err = get.await.unwrap_err();
    assert!(matches!(err, Error::UnexpectedBody { .. }), "{err:?}");
    shown.push(format!("{err} {err:?}"));

    mock.on(
        "media.list",
        MockReply::TransportError(format!("connection reset while sending ks={KS}")),
    );
    let err = client.media().list().await.unwrap_err();
    shown.push(format!("{err} {err:?}"));

    // A multirequest item that fails with an echo.
    let mut mr = client.multirequest();
    let a = mr.add(client.session().start(ADMIN_SECRET));
    let b = mr.add(client.media().get("0_a").with_ks(a.result()));
    shown.push(format!("{mr:?}"));
    let answer = format!(
        "[\"{KS}\", {}]",
        String::from_utf8(echo_error("INVALID_KS", &[KS, ADMIN_SECRET]).body.to_vec()).unwrap()
    );
    mock.on("multirequest", HttpResponse::json(answer));
    let results = mr.await.unwrap();
    shown.push(format!("{results:?}"));
    let err = results.get(&b).unwrap_err();
    shown.push(format!("{err} {err:?}"));
    assert_eq!(
        results.get(&a).unwrap(),
        KS,
        "results themselves are not altered"
    );

    // A serve URL carries the KS, but its Debug does not.
    let url = client.serve_url(client.thumb_asset().serve("1_t")).unwrap();
    assert!(url.as_str().contains(KS));
    shown.push(format!("{url:?}"));

    // What the transport and the mock were handed.
    shown.extend(printed.lock().unwrap().iter().cloned());
    shown.extend(mock.requests().iter().map(|r| format!("{r:?}")));

    // The secrets did go on the wire (so the checks below mean something)...
    let sent = mock.requests();
    assert_eq!(sent[0].json().unwrap()["secret"], ADMIN_SECRET);
    assert_eq!(sent[1].json().unwrap()["password"], PASSWORD);
    assert_eq!(sent[2].json().unwrap()["ks"], KS);
    // ...but nowhere else.
    let log = logs.0.lock().unwrap().clone();
    assert!(
        log.contains("session.start"),
        "the client logs its calls: {log}"
    );
    shown.push(log);
    for text in &shown {
        for secret in SECRETS {
            assert!(!text.contains(secret), "`{secret}` shows in:\n{text}");
        }
    }
    assert!(shown.iter().any(|s| s.contains("<redacted>")));
}
