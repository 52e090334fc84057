//! The `wait_ready`, `list_all` and `keep_session` examples (`examples/`), run as
//! built against a stand-in server on 127.0.0.1: `list_all` prints a list longer than
//! the server's 10,000-match limit whole (the stand-in pages and refuses as the
//! server's search index does), `wait_ready` prints a ready entry or says why it will
//! not be, and `keep_session` goes on through a session the server expires.
//!
//! `cargo test --workspace` builds the examples first; run alone, this test fails and
//! says how to build them when they are missing or older than their sources.

use kaltura_tests::big_list::Catalog;
use kaltura_tests::standin::{Recorded, Reply, StandIn};
use serde_json::json;
use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

const PARTNER: i64 = 1234567;
const SECRET: &str = "0123456789abcdef0123456789abcdef";

/// The built example, when it is there and newer than its source.
fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps")
        .join("examples");
    let bin = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let source = kaltura_tests::repo_root()
        .join("examples")
        .join(format!("{name}.rs"));
    let modified = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(&bin), modified(&source)) {
        (Some(b), Some(s)) if b >= s => bin,
        _ => panic!(
            "example `{name}` is not built, or older than its source. Build the examples \
             first: cargo build -p kaltura-examples --examples (cargo test --workspace does it)"
        ),
    }
}

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Runs an example against `server` with an admin secret, as `Client::from_env` reads it.
async fn run(name: &str, server: &StandIn, args: &[&str]) -> Run {
    let mut cmd = Command::new(binary(name));
    cmd.args(args)
        .env_clear()
        .env("KALTURA_SERVICE_URL", server.url())
        .env("KALTURA_PARTNER_ID", PARTNER.to_string())
        .env("KALTURA_ADMIN_SECRET", SECRET);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("the runner task")
        .expect("the example starts");
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `session.start` with the partner's secret answers a KS; the rest goes to `then`.
fn with_sessions(
    then: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
) -> impl Fn(&Recorded) -> Reply + Send + Sync + 'static {
    move |r| {
        if r.service_action() != "session.start" {
            return then(r);
        }
        let p = r.json().unwrap_or_default();
        if p["secret"] == SECRET && p["partnerId"] == PARTNER {
            Reply::json(json!("djJ8MTIzNDU2N3xFWEFNUExFX0tT").to_string())
        } else {
            Reply::json(
                json!({"code": "START_SESSION_ERROR", "message": "Error while starting session",
                       "objectType": "KalturaAPIException"})
                .to_string(),
            )
        }
    }
}

#[tokio::test]
async fn list_all_prints_a_list_past_10000_whole() {
    let catalog = Arc::new(Catalog::new(10_500, |i| 1_700_000_000 + (i / 5) as i64));
    let server = StandIn::start(with_sessions(move |r| catalog.answer(r))).await;
    let out = run("list_all", &server, &[]).await;
    assert!(out.ok, "{}", out.stderr);
    let ids: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    let unique: HashSet<&&str> = ids.iter().collect();
    assert_eq!((ids.len(), unique.len()), (10_500, 10_500));
    assert_eq!(out.stderr.trim(), "10500 videos");
}

#[tokio::test]
async fn wait_ready_prints_the_ready_entry_or_why_it_will_not_be() {
    let entry = |status: &str| {
        Reply::json(
            json!({"id": "0_abc", "name": "clip", "status": status, "objectType": "KalturaMediaEntry"})
                .to_string(),
        )
    };
    let server = StandIn::start(with_sessions(move |r| match r.service_action().as_str() {
        "baseentry.get" if r.json().unwrap_or_default()["entryId"] == "0_abc" => entry("2"),
        "baseentry.get" => entry("-1"),
        _ => Reply::raw(404, "text/plain", "not here"),
    }))
    .await;
    let out = run("wait_ready", &server, &["0_abc"]).await;
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(out.stdout, "0_abc\tclip\tREADY\n");
    assert!(out.stderr.contains("READY (2)"), "{}", out.stderr);

    let out = run("wait_ready", &server, &["0_bad"]).await;
    assert!(!out.ok);
    assert!(
        out.stderr
            .contains("0_bad will not be ready: it is ERROR_CONVERTING (-1)"),
        "{}",
        out.stderr
    );
}

/// `keep_session` through a session the server expires: the refused read starts a new
/// session and goes again, and the program never sees the refusal.
#[tokio::test]
async fn keep_session_goes_on_when_the_server_expires_its_session() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let started = Arc::new(AtomicUsize::new(0));
    let lists = Arc::new(AtomicUsize::new(0));
    let (s, l) = (started.clone(), lists.clone());
    let server = StandIn::start(move |r| {
        let p = r.json().unwrap_or_default();
        match r.service_action().as_str() {
            "session.start" if p["secret"] == SECRET && p["partnerId"] == PARTNER => {
                let n = s.fetch_add(1, Ordering::SeqCst) + 1;
                Reply::json(json!(format!("KS-{n}")).to_string())
            }
            // The second list finds the first session expired.
            "media.list" if l.fetch_add(1, Ordering::SeqCst) == 1 && p["ks"] == "KS-1" => {
                Reply::json(
                    json!({"code": "INVALID_KS", "objectType": "KalturaAPIException",
                           "message": "Invalid KS \"KS-1\". Error \"-5,EXPIRED\"",
                           "args": {"KSID": "KS-1", "ERR_CODE": "-5", "ERR_DESC": "EXPIRED"}})
                    .to_string(),
                )
            }
            "media.list" => Reply::json(
                json!({"objects": [], "totalCount": 42, "objectType": "KalturaMediaListResponse"})
                    .to_string(),
            ),
            _ => Reply::raw(404, "text/plain", "not here"),
        }
    })
    .await;
    let out = run("keep_session", &server, &["0", "3"]).await;
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "round 1: 42 entries; sessions renewed so far: 0\n\
         round 2: 42 entries; sessions renewed so far: 1\n\
         round 3: 42 entries; sessions renewed so far: 1\n"
    );
    assert_eq!(started.load(Ordering::SeqCst), 2);
    let sent: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.service_action() == "media.list")
        .map(|r| {
            r.json().unwrap_or_default()["ks"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(sent, ["KS-1", "KS-1", "KS-2", "KS-2"]);
}
