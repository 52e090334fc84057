//! `kaltura wait` and `kaltura call … --all` as processes, against the workspace's
//! stand-in server: waiting until an entry or asset is done, fails or runs out of
//! time (with the exit code and the states on stderr), and a list longer than the
//! server's 10,000-match limit printed whole, each object once, or refused where it
//! cannot be narrowed.

use kaltura_tests::big_list::Catalog;
use kaltura_tests::standin::{Recorded, Reply, StandIn};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

const KS: &str = "djJ8MTIzNDU2N3xTVEFORElOX0tTX0ZPUl9DTElfVEVTVFM";

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    #[track_caller]
    fn expect(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// A stand-in server with its own runtime, serving while the test waits for the binary.
struct Server {
    standin: StandIn,
    _rt: tokio::runtime::Runtime,
}

impl Server {
    fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Server {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let standin = rt.block_on(StandIn::start(handler));
        Server { standin, _rt: rt }
    }

    /// `kaltura ARGS` against this server with the test KS, and nothing of the
    /// caller's environment, profiles or cached sessions.
    fn run(&self, args: &[&str]) -> Out {
        let none = std::env::temp_dir().join("kaltura-cli-tests-no-profiles");
        let mut c = Command::new(env!("CARGO_BIN_EXE_kaltura"));
        c.args(args)
            .stdin(Stdio::null())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("KALTURA_CONFIG_DIR", &none)
            .env("KALTURA_CACHE_DIR", &none)
            .env("KALTURA_SERVICE_URL", self.standin.url())
            .env("KALTURA_KS", KS);
        let out = c.output().expect("the kaltura binary runs");
        Out {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn requests(&self) -> Vec<Recorded> {
        self.standin.requests()
    }
}

/// A server answering `service.action` with the given bodies in turn, the last one
/// from then on.
fn answering(service_action: &'static str, bodies: Vec<Value>) -> Server {
    let next = Arc::new(Mutex::new(0usize));
    Server::start(move |r| {
        if r.service_action() != service_action {
            return Reply::raw(404, "text/plain", "not here");
        }
        let mut n = next.lock().unwrap();
        let body = &bodies[(*n).min(bodies.len() - 1)];
        *n += 1;
        Reply::json(body.to_string())
    })
}

fn entry(status: &str) -> Value {
    json!({"id": "0_abc", "name": "clip", "status": status, "objectType": "KalturaMediaEntry"})
}

#[test]
fn wait_entry_prints_each_state_then_the_ready_entry() {
    let server = answering("baseentry.get", vec![entry("1"), entry("2")]);
    let out = server.run(&[
        "wait",
        "entry",
        "0_abc",
        "--interval",
        "1",
        "--output",
        "json",
    ]);
    out.expect(0);
    assert_eq!(out.json()["id"], "0_abc");
    assert_eq!(out.json()["status"], "2");
    let states: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(states.len(), 2, "{}", out.stderr);
    assert!(
        states[0].starts_with("0_abc: PRECONVERT (1) after"),
        "{}",
        out.stderr
    );
    assert!(
        states[1].starts_with("0_abc: READY (2) after"),
        "{}",
        out.stderr
    );
    let sent = server.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].json().unwrap()["entryId"], "0_abc");
    assert_eq!(sent[0].json().unwrap()["ks"], KS);
}

#[test]
fn wait_fails_on_a_failure_state_and_on_the_deadline() {
    let server = answering("baseentry.get", vec![entry("-1")]);
    let out = server.run(&["wait", "entry", "0_abc"]);
    out.expect(1);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("error: entry 0_abc is ERROR_CONVERTING (-1), which it will not leave"),
        "{}",
        out.stderr
    );
    assert_eq!(server.requests().len(), 1);

    // Asked at once and when the second is up: still converting.
    let server = answering(
        "flavorasset.get",
        vec![json!({"id": "0_fl", "status": 1, "objectType": "KalturaFlavorAsset"})],
    );
    let out = server.run(&[
        "wait",
        "flavor",
        "0_fl",
        "--timeout",
        "1",
        "--interval",
        "1",
    ]);
    out.expect(1);
    assert!(
        out.stderr.contains(
            "error: flavor asset 0_fl was not done after 1 s; its last state was CONVERTING (1)"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(server.requests().len(), 2);
    assert_eq!(server.requests()[0].json().unwrap()["id"], "0_fl");

    // An API error is one, with its exit code.
    let server = answering(
        "uploadtoken.get",
        vec![
            json!({"objectType": "KalturaAPIException", "code": "UPLOAD_TOKEN_NOT_FOUND", "message": "Upload token not found", "args": []}),
        ],
    );
    let out = server.run(&["wait", "upload-token", "0_tok"]);
    out.expect(3);
    assert!(
        out.stderr.contains("UPLOAD_TOKEN_NOT_FOUND"),
        "{}",
        out.stderr
    );

    let out = server.run(&["wait", "entry", "0_abc", "--timeout", "0"]);
    out.expect(2);
}

#[test]
fn call_all_prints_a_list_past_10000_whole_and_each_object_once() {
    let catalog = Arc::new(Catalog::new(10_500, |i| 1_700_000_000 + (i / 4) as i64));
    let c = catalog.clone();
    let server = Server::start(move |r| c.answer(r));
    let out = server.run(&["call", "media", "list", "--all", "--output", "json"]);
    out.expect(0);
    let list = out.json();
    let ids: Vec<&str> = list["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    let unique: HashSet<&&str> = ids.iter().collect();
    assert_eq!((ids.len(), unique.len()), (10_500, 10_500));
    assert_eq!(list["totalCount"], 10_500);
    assert_eq!(list["objectType"], "KalturaMediaListResponse");
    // The filter was narrowed by the filter class's own createdAt range.
    assert!(server
        .requests()
        .iter()
        .any(|r| { r.json().unwrap()["filter"]["createdAtGreaterThanOrEqual"].is_number() }));

    // Sorted by a property windows cannot follow: an error, not 10,000 objects.
    let c = catalog.clone();
    let server = Server::start(move |r| c.answer(r));
    let out = server.run(&[
        "call",
        "media",
        "list",
        "filter:orderBy=+name",
        "--all",
        "--output",
        "json",
    ]);
    // The server's limit, an answer of the API: exit 3, as for an API error.
    out.expect(3);
    assert!(out.stdout.is_empty(), "nothing printed short");
    assert!(
        out.stderr
            .contains("the list stops after 10000 objects of 10500")
            && out.stderr.contains("+name"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("hint: nothing was printed")
            && !out.stderr.contains("check the service URL"),
        "{}",
        out.stderr
    );
}
