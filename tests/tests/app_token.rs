//! Sessions from application tokens, against the stand-in playing the server's side
//! (`kaltura_tests::app_tokens`): it checks each `tokenHash` against digests written
//! down from coreutils, in the server's order of checks. The whole exchange with each
//! hash type, each way a token fails, renewal on tokio's paused clock, and the token
//! kept out of logs, errors and `Debug`.

use kaltura_client::Client;
use kaltura_runtime::app_token::{AppToken, AppTokenFailure, AppTokenHash};
use kaltura_runtime::ks::SessionType;
use kaltura_runtime::regions;
use kaltura_tests::app_tokens::{self, DIGESTS, PARTNER, TOKEN, WIDGET_KS};
use kaltura_tests::standin::{Recorded, StandIn};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Fake = Arc<Mutex<app_tokens::Server>>;

async fn stand_in() -> (StandIn, Fake) {
    let fake: Fake = Arc::new(Mutex::new(app_tokens::Server::new()));
    let f = fake.clone();
    let server = StandIn::start(move |req| f.lock().unwrap().handle(req)).await;
    (server, fake)
}

fn client(server: &StandIn) -> Client {
    Client::builder(server.url())
        .proxy(kaltura_client::Proxy::Disabled)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn no_violations(fake: &Fake) {
    let v = &fake.lock().unwrap().violations;
    assert!(v.is_empty(), "the stand-in saw: {v:#?}");
}

fn params(r: &Recorded) -> serde_json::Map<String, Value> {
    match r.json() {
        Some(Value::Object(m)) => m,
        other => panic!("not a JSON object: {other:?}"),
    }
}

fn token(id: &str, hash: AppTokenHash) -> AppToken {
    AppToken::new(PARTNER, id, TOKEN).hash_type(hash)
}

fn digest(ks: &str, hash: &str) -> &'static str {
    DIGESTS
        .iter()
        .find(|(k, h, _)| *k == ks && *h == hash)
        .map(|(_, _, d)| *d)
        .expect("a digest")
}

#[tokio::test]
async fn each_hash_type_gives_a_session_in_two_requests() {
    let (server, fake) = stand_in().await;
    let client = client(&server);
    let mut n = 0;
    // Twice each, so that every hash type meets both widget KSes the stand-in hands out.
    for round in 0..2 {
        for (id, hash) in [
            ("0_md5", AppTokenHash::Md5),
            ("0_sha1", AppTokenHash::Sha1),
            ("0_sha256", AppTokenHash::Sha256),
            ("0_sha512", AppTokenHash::Sha512),
        ] {
            let before = server.requests().len();
            let session = client
                .start_app_token_session(token(id, hash))
                .user_id("ingest-bot")
                .session_type(SessionType::User)
                .expiry(Duration::from_secs(3600))
                .privileges("sview:0_abc")
                .await
                .unwrap_or_else(|e| panic!("{id} (round {round}): {e}"));
            n += 1;
            assert_eq!(session.ks.expose(), app_tokens::session_ks(n));
            assert_eq!(client.ks().as_ref(), Some(&session.ks), "set on the client");
            assert_eq!(session.session_type, Some(SessionType::User));
            assert_eq!(session.user_id.as_deref(), Some("ingest-bot"));
            assert_eq!(session.partner_id, Some(PARTNER));
            let left = session.expiry.unwrap() - app_tokens::now();
            assert!((3590..=3600).contains(&left), "{left}");
            assert_eq!(
                session.privileges.as_deref(),
                Some(format!("sessionid:{id},apptoken:{id},sview:0_abc").as_str())
            );

            let sent = &server.requests()[before..];
            assert_eq!(sent.len(), 2, "two requests: {sent:#?}");
            assert_eq!(sent[0].service_action(), "session.startWidgetSession");
            let widget = params(&sent[0]);
            assert_eq!(widget["widgetId"], format!("_{PARTNER}"));
            assert_eq!(widget["ks"], "", "the client's KS is not sent");
            assert_eq!(sent[1].service_action(), "apptoken.startSession");
            let start = params(&sent[1]);
            let widget_ks = WIDGET_KS[(n - 1) % 2];
            assert_eq!(start["ks"], widget_ks);
            assert_eq!(start["tokenHash"], digest(widget_ks, hash.as_str()));
            assert_eq!(start["id"], id);
            assert_eq!(start["userId"], "ingest-bot");
            assert_eq!(start["type"], 0);
            assert_eq!(start["expiry"], 3600);
            assert_eq!(start["sessionPrivileges"], "sview:0_abc");
            assert_eq!(start["partnerId"], PARTNER);
        }
    }
    no_violations(&fake);
}

#[tokio::test]
async fn the_token_decides_over_what_is_asked() {
    let (server, fake) = stand_in().await;
    {
        let mut f = fake.lock().unwrap();
        let t = f.token_mut("0_sha256").unwrap();
        t.session_type = Some(2);
        t.session_user_id = Some("svc".into());
        t.session_duration = 600;
    }
    let client = client(&server);
    let session = client
        .start_app_token_session(token("0_sha256", AppTokenHash::Sha256))
        .user_id("someone-else")
        .expiry(Duration::from_secs(86_400))
        .await
        .unwrap();
    assert_eq!(session.session_type, Some(SessionType::Admin));
    assert_eq!(session.user_id.as_deref(), Some("svc"));
    let left = session.expiry.unwrap() - app_tokens::now();
    assert!((590..=600).contains(&left), "{left}");
    no_violations(&fake);
}

/// Starts a session that fails, and checks the client's KS is left as it was.
async fn failing(
    id: &str,
    hash: AppTokenHash,
    value: &str,
) -> (kaltura_client::Error, Vec<Recorded>) {
    let (server, fake) = stand_in().await;
    let client = client(&server);
    client.set_ks("djJ8MTIzNDU2N3xQUkVWSU9VU19LUw");
    let err = client
        .start_app_token_session(AppToken::new(PARTNER, id, value).hash_type(hash))
        .await
        .expect_err("no session");
    assert_eq!(
        client.ks().unwrap().expose(),
        "djJ8MTIzNDU2N3xQUkVWSU9VU19LUw",
        "a failed start leaves the client's KS alone"
    );
    no_violations(&fake);
    (err, server.requests())
}

#[tokio::test]
async fn a_wrong_token_or_hash_type_is_an_invalid_hash() {
    let wrong = "0123456789abcdef0123456789abcdef";
    let (err, sent) = failing("0_sha256", AppTokenHash::Sha256, wrong).await;
    assert_eq!(err.code(), Some("INVALID_APP_TOKEN_HASH"));
    assert_eq!(
        AppTokenFailure::of(&err),
        Some(AppTokenFailure::InvalidHash)
    );
    assert_eq!(sent.len(), 2);
    let text = format!("{err} {err:?}");
    assert!(text.contains("SHA256"), "names the hash type used: {text}");
    assert!(!text.contains(wrong) && !text.contains(TOKEN), "{text}");

    let (err, _) = failing("0_sha256", AppTokenHash::Sha1, TOKEN).await;
    assert_eq!(
        AppTokenFailure::of(&err),
        Some(AppTokenFailure::InvalidHash)
    );
    assert!(err.to_string().contains("SHA1"), "{err}");
}

#[tokio::test]
async fn expired_disabled_deleted_and_unknown_tokens() {
    for (id, failure, code) in [
        ("0_expired", AppTokenFailure::Expired, "APP_TOKEN_EXPIRED"),
        (
            "0_disabled",
            AppTokenFailure::NotActive,
            "APP_TOKEN_NOT_ACTIVE",
        ),
        (
            "0_deleted",
            AppTokenFailure::NotFound,
            "APP_TOKEN_ID_NOT_FOUND",
        ),
        (
            "0_nosuch",
            AppTokenFailure::NotFound,
            "APP_TOKEN_ID_NOT_FOUND",
        ),
    ] {
        let (err, sent) = failing(id, AppTokenHash::Sha256, TOKEN).await;
        assert_eq!(err.code(), Some(code), "{id}: {err}");
        assert_eq!(AppTokenFailure::of(&err), Some(failure), "{id}");
        assert_eq!(sent.len(), 2, "{id}");
        if code != "APP_TOKEN_EXPIRED" {
            assert_eq!(
                err.api().unwrap().args.get("ID").map(String::as_str),
                Some(id)
            );
        }
    }
}

#[tokio::test]
async fn a_token_deleted_through_the_api_stops_working() {
    let (server, fake) = stand_in().await;
    let admin = client(&server);
    admin.set_ks("djJ8MTIzNDU2N3xBRE1JTl9LUw");
    let mut p = serde_json::Map::new();
    p.insert("id".into(), "0_sha512".into());
    admin
        .call_json("apptoken", "delete", p, vec![])
        .await
        .unwrap();

    let app = client(&server);
    let err = app
        .start_app_token_session(token("0_sha512", AppTokenHash::Sha512))
        .await
        .unwrap_err();
    assert_eq!(AppTokenFailure::of(&err), Some(AppTokenFailure::NotFound));
    no_violations(&fake);
}

#[tokio::test]
async fn a_wrong_partner_fails_at_the_widget_without_a_second_request() {
    let (server, fake) = stand_in().await;
    let client = client(&server);
    let err = client
        .start_app_token_session(AppToken::new(7654321, "0_sha256", TOKEN))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("INVALID_WIDGET_ID"));
    assert_eq!(AppTokenFailure::of(&err), Some(AppTokenFailure::Widget));
    assert_eq!(server.requests().len(), 1);
    assert_eq!(client.ks(), None);

    let err = client
        .start_app_token_session(token("0_sha256", AppTokenHash::Sha256))
        .widget_id("_999")
        .await
        .unwrap_err();
    assert_eq!(AppTokenFailure::of(&err), Some(AppTokenFailure::Widget));
    no_violations(&fake);
}

#[tokio::test]
async fn the_clients_session_settings_do_not_leak_into_the_exchange() {
    let (server, fake) = stand_in().await;
    let client = client(&server);
    client.set_ks("djJ8MTIzNDU2N3xFWFBJUkVEX0tT");
    client.set_partner_id(Some(999));
    client
        .start_app_token_session(token("0_sha1", AppTokenHash::Sha1))
        .await
        .unwrap();
    let sent = server.requests();
    assert_eq!(params(&sent[0])["ks"], "");
    assert_eq!(params(&sent[0])["partnerId"], PARTNER);
    assert_eq!(params(&sent[1])["partnerId"], PARTNER);
    no_violations(&fake);
}

#[tokio::test]
async fn empty_ids_and_tokens_are_refused_before_sending() {
    let (server, _fake) = stand_in().await;
    let client = client(&server);
    for t in [
        AppToken::new(PARTNER, "", TOKEN),
        AppToken::new(PARTNER, "0_x", ""),
    ] {
        let err = client.start_app_token_session(t).await.unwrap_err();
        assert!(
            matches!(err, kaltura_client::Error::InvalidInput(_)),
            "{err:?}"
        );
    }
    assert!(server.requests().is_empty());
}

/// Waits, on the real clock, until `done` holds (at most 10 s).
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..1000 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Moves tokio's clock by `by` at once, firing the timers it passes, then lets it run
/// on the real clock again so that the requests those timers start are not timed out
/// by a clock that jumps.
async fn jump(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

#[tokio::test]
async fn renewal_before_expiry_on_tokios_clock() {
    let (server, fake) = stand_in().await;
    fake.lock()
        .unwrap()
        .token_mut("0_sha256")
        .unwrap()
        .session_duration = 3600;
    let client = client(&server);
    let session = client
        .start_app_token_session(token("0_sha256", AppTokenHash::Sha256))
        .renew_before(Duration::from_secs(300))
        .await
        .unwrap();
    let renewal = session.renewal().expect("a renewal task").clone();
    assert!(renewal.is_running());
    assert_eq!(server.requests().len(), 2);

    // The session lasts 3600 s: the renewal is due 300 s before, at 3300 s (less up
    // to a second for the expiry's whole seconds).
    jump(Duration::from_secs(3290)).await;
    tokio::task::yield_now().await;
    assert_eq!(
        server.requests().len(),
        2,
        "not renewed 310 s before expiry"
    );
    assert_eq!(renewal.renewals(), 0);

    jump(Duration::from_secs(20)).await;
    until("the renewal", || renewal.renewals() == 1).await;
    let sent = server.requests();
    assert_eq!(sent.len(), 4, "one more exchange");
    assert_eq!(sent[2].service_action(), "session.startWidgetSession");
    assert_eq!(
        params(&sent[3])["ks"],
        WIDGET_KS[1],
        "hashed with the new widget KS"
    );
    assert_eq!(
        params(&sent[3])["tokenHash"],
        digest(WIDGET_KS[1], "SHA256")
    );
    assert_eq!(client.ks().unwrap().expose(), app_tokens::session_ks(2));
    assert_eq!(renewal.latest().ks.expose(), app_tokens::session_ks(2));
    assert!(renewal.last_error().is_none());

    // The next one is due 3300 s after the renewal.
    jump(Duration::from_secs(3320)).await;
    until("the second renewal", || renewal.renewals() == 2).await;
    assert_eq!(client.ks().unwrap().expose(), app_tokens::session_ks(3));

    // A KS set by hand ends the renewals.
    client.set_ks("djJ8MTIzNDU2N3xCWV9IQU5E");
    jump(Duration::from_secs(4000)).await;
    until("the task to end", || !renewal.is_running()).await;
    assert_eq!(server.requests().len(), 6);
    assert_eq!(client.ks().unwrap().expose(), "djJ8MTIzNDU2N3xCWV9IQU5E");
    no_violations(&fake);
}

#[tokio::test]
async fn renewal_stops_when_the_token_is_deleted_or_when_asked() {
    let (server, fake) = stand_in().await;
    fake.lock()
        .unwrap()
        .token_mut("0_md5")
        .unwrap()
        .session_duration = 600;
    let client = client(&server);
    let session = client
        .start_app_token_session(token("0_md5", AppTokenHash::Md5))
        .renew_before(Duration::from_secs(60))
        .await
        .unwrap();
    let renewal = session.renewal().unwrap().clone();
    fake.lock().unwrap().token_mut("0_md5").unwrap().status = app_tokens::DELETED;
    jump(Duration::from_secs(560)).await;
    until("the task to end", || !renewal.is_running()).await;
    let err = renewal.last_error().expect("the failure is kept");
    assert_eq!(AppTokenFailure::of(&err), Some(AppTokenFailure::NotFound));
    assert_eq!(renewal.renewals(), 0);
    assert_eq!(client.ks().unwrap().expose(), app_tokens::session_ks(1));

    let session = client
        .start_app_token_session(token("0_sha1", AppTokenHash::Sha1))
        .renew_before(Duration::from_secs(60))
        .await
        .unwrap();
    let renewal = session.renewal().unwrap().clone();
    renewal.stop();
    until("the task to end", || !renewal.is_running()).await;
    let before = server.requests().len();
    jump(Duration::from_secs(100_000)).await;
    tokio::task::yield_now().await;
    assert_eq!(server.requests().len(), before);
    no_violations(&fake);
}

#[tokio::test]
async fn no_renewal_unless_asked() {
    let (server, _fake) = stand_in().await;
    let client = client(&server);
    let session = client
        .start_app_token_session(token("0_sha256", AppTokenHash::Sha256))
        .await
        .unwrap();
    assert!(session.renewal().is_none());
    jump(Duration::from_secs(200_000)).await;
    tokio::task::yield_now().await;
    assert_eq!(server.requests().len(), 2);
}

// ---- the token kept out of logs, errors and Debug ----

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().into(), format!("{value:?}"));
    }
}

impl tracing::Subscriber for Capture {
    fn register_callsite(
        &self,
        _: &'static tracing::Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::sometimes()
    }
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        let _ = writeln!(
            self.0.lock().unwrap(),
            "span {} {fields:?}",
            attrs.metadata().name()
        );
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut fields = BTreeMap::new();
        values.record(&mut Fields(&mut fields));
        let _ = writeln!(self.0.lock().unwrap(), "record {fields:?}");
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let _ = writeln!(
            self.0.lock().unwrap(),
            "event {} {fields:?}",
            event.metadata().level()
        );
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn the_token_never_shows_in_logs_errors_or_debug() {
    let logs = Capture::default();
    let _guard = tracing::subscriber::set_default(logs.clone());
    let (server, fake) = stand_in().await;
    fake.lock()
        .unwrap()
        .token_mut("0_sha512")
        .unwrap()
        .session_duration = 120;
    let client = client(&server);

    let start = client
        .start_app_token_session(token("0_sha512", AppTokenHash::Sha512))
        .user_id("bob")
        .renew_before(Duration::from_secs(30));
    let mut shown = format!("{start:?}");
    let session = start.await.unwrap();
    let renewal = session.renewal().unwrap().clone();
    jump(Duration::from_secs(95)).await;
    until("the renewal", || renewal.renewals() == 1).await;
    let _ = write!(shown, "{session:?} {renewal:?} {:?}", renewal.latest());
    let err = client
        .start_app_token_session(AppToken::new(PARTNER, "0_sha512", "wrong-token-value-0001"))
        .await
        .unwrap_err();
    let _ = write!(shown, "{err} {err:?}");
    let err = client
        .start_app_token_session(token("0_expired", AppTokenHash::Sha256))
        .await
        .unwrap_err();
    let _ = write!(shown, "{err} {err:?} {client:?}");

    // An admin's calls answer token values: they stay out of the logs too.
    client.set_ks("djJ8MTIzNDU2N3xBRE1JTl9LUw");
    let mut p = serde_json::Map::new();
    p.insert(
        "appToken".into(),
        serde_json::json!({"objectType": "KalturaAppToken", "hashType": "SHA256"}),
    );
    let added = client
        .call_json("apptoken", "add", p, vec![])
        .await
        .unwrap();
    assert_eq!(
        added["token"],
        app_tokens::ADDED_TOKEN,
        "the caller gets it"
    );
    client
        .call_json("apptoken", "list", serde_json::Map::new(), vec![])
        .await
        .unwrap();

    let logged = logs.0.lock().unwrap().clone();
    assert!(
        logged.contains("response body"),
        "TRACE bodies were logged: {logged}"
    );
    assert!(logged.contains("app-token session renewed"), "{logged}");
    let mut forbidden: Vec<String> = vec![
        TOKEN.into(),
        app_tokens::ADDED_TOKEN.into(),
        "wrong-token-value-0001".into(),
        app_tokens::session_ks(1),
        app_tokens::session_ks(2),
    ];
    forbidden.extend(WIDGET_KS.iter().map(|s| s.to_string()));
    forbidden.extend(DIGESTS.iter().map(|(_, _, d)| d.to_string()));
    for secret in &forbidden {
        assert!(
            !logged.contains(secret.as_str()),
            "{secret} in the logs:\n{logged}"
        );
        assert!(!shown.contains(secret.as_str()), "{secret} shown:\n{shown}");
    }
    no_violations(&fake);
}

#[test]
fn regions_are_service_urls() {
    let builder = Client::builder(regions::EU);
    assert_eq!(builder.config().service_url, "https://api.eu.kaltura.com");
    assert_eq!(
        Client::builder(regions::US).config().service_url,
        "https://www.kaltura.com"
    );
    let urls: Vec<&str> = regions::ALL.iter().map(|r| r.service_url).collect();
    assert_eq!(
        urls,
        [
            "https://www.kaltura.com",
            "https://api.eu.kaltura.com",
            "https://api.ap.kaltura.com",
            "https://api.sg.kaltura.com",
            "https://api.ca.kaltura.com",
            "https://api.de.kaltura.com",
        ]
    );
}
