//! A client that started its own session keeps it (`kaltura_runtime::session`):
//! against a stand-in transport that plays the server's sessions (it hands out
//! `KS-1`, `KS-2`, ... from `session.start` with the admin secret, and refuses a KS it
//! has expired with `INVALID_KS` / `-5,EXPIRED`, as the server does), on tokio's
//! paused clock: renewal ahead of expiry, a read refused for an expired KS sent once
//! more with a new session, a write not sent again, overlapping calls sharing one
//! renewal, and a KS set by hand left alone.

use kaltura_client::transport::{BoxFuture, HttpBody, HttpRequest, HttpResponse, Transport};
use kaltura_client::types::*;
use kaltura_client::{Client, Error, Retry};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PARTNER: i64 = 1234567;
const SECRET: &str = "0123456789abcdef0123456789abcdef";
const LOGIN: &str = "jane@example.com";
const PASSWORD: &str = "correct horse battery staple";

#[derive(Default)]
struct State {
    /// Sessions handed out so far.
    issued: u32,
    /// The KSes the server takes for expired.
    expired: HashSet<String>,
    /// Every session expires as soon as it is handed out.
    expire_all: bool,
    /// `service.action` and the parameters of every call, in order.
    calls: Vec<(String, Value)>,
}

/// The server's side of sessions, as a transport: no sockets, so tokio's clock can
/// be paused.
#[derive(Clone, Default)]
struct Sessions(Arc<Mutex<State>>);

impl Sessions {
    fn expire(&self, ks: &str) {
        self.0.lock().unwrap().expired.insert(ks.to_string());
    }

    fn calls(&self) -> Vec<(String, Value)> {
        self.0.lock().unwrap().calls.clone()
    }

    /// The KS of each call of `service_action`.
    fn sent(&self, service_action: &str) -> Vec<String> {
        self.calls()
            .iter()
            .filter(|(a, _)| a == service_action)
            .map(|(_, p)| p["ks"].as_str().unwrap_or("").to_string())
            .collect()
    }

    fn starts(&self) -> usize {
        self.sent("session.start").len()
    }
}

fn service_action(url: &str) -> String {
    let parts: Vec<&str> = url.split('/').collect();
    let after = |name: &str| {
        let i = parts.iter().position(|p| *p == name)?;
        parts.get(i + 1).copied()
    };
    format!(
        "{}.{}",
        after("service").unwrap_or(""),
        after("action").unwrap_or("")
    )
}

impl Transport for Sessions {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(async move {
            // One turn to the scheduler, as a network would take: calls made together
            // overlap.
            tokio::task::yield_now().await;
            let action = service_action(&request.url);
            let params: Value = match &request.body {
                HttpBody::Json(b) => serde_json::from_slice(b).unwrap(),
                _ => Value::Null,
            };
            let mut s = self.0.lock().unwrap();
            s.calls.push((action.clone(), params.clone()));
            let answer = if action == "user.loginByLoginId" {
                if params["loginId"] == LOGIN && params["password"] == PASSWORD {
                    s.issued += 1;
                    let ks = format!("KS-{}", s.issued);
                    if s.expire_all {
                        s.expired.insert(ks.clone());
                    }
                    json!(ks)
                } else {
                    json!({"code": "USER_WRONG_PASSWORD", "message": "Wrong password supplied",
                           "objectType": "KalturaAPIException"})
                }
            } else if action == "session.start" {
                if params["secret"] == SECRET && params["partnerId"] == PARTNER {
                    s.issued += 1;
                    let ks = format!("KS-{}", s.issued);
                    if s.expire_all {
                        s.expired.insert(ks.clone());
                    }
                    json!(ks)
                } else {
                    json!({"code": "START_SESSION_ERROR", "message": "Error while starting session",
                           "objectType": "KalturaAPIException"})
                }
            } else {
                let ks = params["ks"].as_str().unwrap_or("");
                if s.expired.contains(ks) {
                    json!({"code": "INVALID_KS",
                    "message": format!("Invalid KS \"{ks}\", Error \"-5,EXPIRED\""),
                    "objectType": "KalturaAPIException",
                    "args": [
                        {"objectType": "KalturaApiExceptionArg", "name": "KSID", "value": ks},
                        {"objectType": "KalturaApiExceptionArg", "name": "ERR_CODE", "value": "-5"},
                        {"objectType": "KalturaApiExceptionArg", "name": "ERR_DESC", "value": "EXPIRED"}
                    ]})
                } else if action == "media.list" {
                    json!({"objects": [], "totalCount": 0, "objectType": "KalturaMediaListResponse"})
                } else {
                    json!({"id": "0_abc", "name": "clip", "objectType": "KalturaMediaEntry"})
                }
            };
            Ok(HttpResponse::json(answer.to_string()))
        })
    }
}

fn client() -> (Client, Sessions) {
    let sessions = Sessions::default();
    let client = Client::builder("https://kaltura.invalid")
        .transport(sessions.clone())
        .build()
        .unwrap();
    (client, sessions)
}

/// Lets the renewal task run until `done`, on the paused clock.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..1000 {
        if done() {
            return;
        }
        tokio::task::yield_now().await;
    }
    panic!("{what} did not happen");
}

#[tokio::test(start_paused = true)]
async fn an_admin_session_is_renewed_before_it_expires() {
    let (client, sessions) = client();
    let session = client
        .start_admin_session(PARTNER, SECRET)
        .expiry(Duration::from_secs(3600))
        .renew_before(Duration::from_secs(300))
        .await
        .unwrap();
    assert_eq!(session.ks.expose(), "KS-1");
    assert_eq!(client.ks().unwrap().expose(), "KS-1");
    let renewal = session.renewal().expect("a renewal task").clone();
    assert!(renewal.is_running());
    let first = &sessions.calls()[0].1;
    assert_eq!(first["secret"], SECRET);
    assert_eq!(first["type"], 2);
    assert_eq!(first["expiry"], 3600);
    assert_eq!(first["ks"], "", "no KS goes with session.start");

    // The session lasts 3600 s: renewed 300 s before, at 3300 s (less up to a second
    // for the expiry's whole seconds).
    tokio::time::sleep(Duration::from_secs(3290)).await;
    assert_eq!(sessions.starts(), 1, "not renewed 310 s before expiry");
    tokio::time::sleep(Duration::from_secs(20)).await;
    until("the renewal", || renewal.renewals() == 1).await;
    assert_eq!(client.ks().unwrap().expose(), "KS-2");
    assert_eq!(renewal.latest().ks.expose(), "KS-2");
    assert!(renewal.last_error().is_none());
    assert_eq!(sessions.sent("session.start"), ["", ""]);
    client.media().get("0_abc").await.unwrap();
    assert_eq!(sessions.sent("media.get"), ["KS-2"]);

    // The next one is due 3300 s after the renewal.
    tokio::time::sleep(Duration::from_secs(3320)).await;
    until("the second renewal", || renewal.renewals() == 2).await;
    assert_eq!(client.ks().unwrap().expose(), "KS-3");

    // A KS set by hand ends the renewals.
    client.set_ks("HAND");
    tokio::time::sleep(Duration::from_secs(4000)).await;
    until("the task to end", || !renewal.is_running()).await;
    assert_eq!(sessions.starts(), 3);
    assert_eq!(client.ks().unwrap().expose(), "HAND");
}

#[tokio::test(start_paused = true)]
async fn an_expired_ks_on_a_read_is_sent_again_once_with_a_new_session() {
    let (client, sessions) = client();
    let session = client.start_admin_session(PARTNER, SECRET).await.unwrap();
    assert!(
        session.renewal().is_none(),
        "nothing ahead of time unless asked"
    );
    sessions.expire("KS-1");
    let entry = client.media().get("0_abc").await.unwrap();
    assert_eq!(entry.base().id.as_deref(), Some("0_abc"));
    let order: Vec<(String, String)> = sessions
        .calls()
        .iter()
        .map(|(a, p)| (a.clone(), p["ks"].as_str().unwrap_or("").to_string()))
        .collect();
    let expected = [
        ("session.start", ""),
        ("media.get", "KS-1"),
        ("session.start", ""),
        ("media.get", "KS-2"),
    ];
    assert_eq!(order, expected.map(|(a, k)| (a.to_string(), k.to_string())));
    assert_eq!(client.ks().unwrap().expose(), "KS-2");

    // Calls made by name go the same way.
    sessions.expire("KS-2");
    let list = client
        .call_json("media", "list", serde_json::Map::new(), vec![])
        .await
        .unwrap();
    assert_eq!(list["totalCount"], 0);
    assert_eq!(sessions.sent("media.list"), ["KS-2", "KS-3"]);

    // Once only: a new session refused as well is the caller's error.
    sessions.0.lock().unwrap().expire_all = true;
    sessions.expire("KS-3");
    let err = client.media().get("0_abc").await.unwrap_err();
    assert_eq!(err.code(), Some("INVALID_KS"));
    assert!(!err.to_string().contains("KS-4"), "{err}");
    assert_eq!(
        &sessions.sent("media.get")[2..],
        ["KS-3", "KS-4"],
        "sent again once"
    );
    assert_eq!(sessions.starts(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_write_is_not_sent_again_but_the_next_call_has_a_new_session() {
    let (client, sessions) = client();
    client.start_admin_session(PARTNER, SECRET).await.unwrap();
    sessions.expire("KS-1");
    let err = client
        .media()
        .add(KalturaMediaEntry::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("INVALID_KS"));
    assert_eq!(sessions.sent("media.add"), ["KS-1"], "the write went once");
    assert_eq!(sessions.starts(), 2, "the session was renewed");
    client.media().get("0_abc").await.unwrap();
    assert_eq!(sessions.sent("media.get"), ["KS-2"]);

    // A read the caller said to send once is not repeated either.
    sessions.expire("KS-2");
    let err = client
        .media()
        .get("0_abc")
        .with_retry(Retry::Never)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("INVALID_KS"));
    assert_eq!(sessions.sent("media.get"), ["KS-2", "KS-2"]);
    assert_eq!(client.ks().unwrap().expose(), "KS-3");
}

#[tokio::test(start_paused = true)]
async fn overlapping_calls_share_one_renewal() {
    let (client, sessions) = client();
    client.start_admin_session(PARTNER, SECRET).await.unwrap();
    sessions.expire("KS-1");
    let (a, b, c) = tokio::join!(
        client.media().get("0_a").send(),
        client.media().get("0_b").send(),
        client.media().get("0_c").send(),
    );
    assert!(a.is_ok() && b.is_ok() && c.is_ok());
    let mut sent = sessions.sent("media.get");
    sent.sort();
    assert_eq!(sent, ["KS-1", "KS-1", "KS-1", "KS-2", "KS-2", "KS-2"]);
    assert_eq!(sessions.starts(), 2, "one renewal for the three");
}

#[tokio::test(start_paused = true)]
async fn a_ks_set_by_hand_is_not_renewed_and_the_secret_never_shows() {
    let (client, sessions) = client();
    let start = client.start_admin_session(PARTNER, SECRET);
    let shown = format!("{start:?}");
    let session = start.await.unwrap();
    let shown = format!("{shown} {session:?} {client:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(!shown.contains("KS-1"), "{shown}");

    client.set_ks("HAND");
    sessions.expire("HAND");
    let err = client.media().get("0_abc").await.unwrap_err();
    assert_eq!(err.code(), Some("INVALID_KS"));
    assert_eq!(
        sessions.starts(),
        1,
        "no session started for a KS set by hand"
    );

    // A per-call KS is the caller's too.
    client.start_admin_session(PARTNER, SECRET).await.unwrap();
    sessions.expire("OTHER");
    let err = client
        .media()
        .get("0_abc")
        .with_ks("OTHER")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("INVALID_KS"));
    assert_eq!(sessions.starts(), 2);
    assert_eq!(client.ks().unwrap().expose(), "KS-2");
}

/// A session from a user's login is kept the same way: an expired KS on a read is
/// replaced by logging in again with the kept password, ahead of time when asked, and
/// a wrong password is not tried again.
#[tokio::test(start_paused = true)]
async fn a_login_session_is_kept_like_an_admin_session() {
    let (client, sessions) = client();
    let session = client
        .start_login_session(LOGIN, PASSWORD)
        .partner_id(PARTNER)
        .expiry(Duration::from_secs(3600))
        .renew_before(Duration::from_secs(300))
        .await
        .expect("logged in");
    assert_eq!(session.ks.expose(), "KS-1");
    assert!(!format!("{session:?}").contains("KS-1"));
    let login = &sessions.calls()[0].1;
    assert_eq!(login["partnerId"], PARTNER);
    assert_eq!(login["expiry"], 3600);
    assert_eq!(login["ks"], "", "the login does not send an old KS");

    // On demand: the server expires KS-1; a read logs in again and goes once more.
    sessions.expire("KS-1");
    client
        .media()
        .list()
        .await
        .expect("sent again with a new session");
    assert_eq!(sessions.sent("media.list"), ["KS-1", "KS-2"]);
    assert_eq!(sessions.sent("user.loginByLoginId").len(), 2);

    // Ahead of time: 300 s before the hour of the session renewed on demand is up, a
    // third login (the schedule follows the newest session).
    let renewal = session.renewal().expect("a renewal task").clone();
    tokio::time::advance(Duration::from_secs(3600 - 300 + 1)).await;
    for _ in 0..100 {
        tokio::task::yield_now().await;
    }
    assert_eq!(sessions.sent("user.loginByLoginId").len(), 2, "not yet");
    tokio::time::advance(Duration::from_secs(3600 - 300 + 1)).await;
    until("a renewal ahead of time", || {
        sessions.sent("user.loginByLoginId").len() == 3
    })
    .await;
    assert_eq!(client.ks().expect("a KS").expose(), "KS-3");
    assert!(renewal.renewals() >= 2);

    // Nothing of the password in what a program may print.
    let shown = format!(
        "{:?} {:?}",
        client.start_login_session(LOGIN, PASSWORD),
        renewal.latest()
    );
    assert!(!shown.contains("horse"), "{shown}");
}

/// A wrong password ends the login with the server's error, and nothing is kept.
#[tokio::test(start_paused = true)]
async fn a_wrong_password_is_the_servers_error() {
    let (client, sessions) = client();
    let err = client
        .start_login_session(LOGIN, "wrong")
        .await
        .expect_err("refused");
    assert_eq!(err.code(), Some("USER_WRONG_PASSWORD"));
    assert!(client.ks().is_none());
    assert_eq!(sessions.calls().len(), 1);
}
