//! Profiles and cached sessions end to end: the binary run with its config and cache
//! folders in a temporary directory, against the stand-in server on 127.0.0.1.

use kaltura_tests::standin::{Recorded, Reply, StandIn};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const SECRET: &str = "5e3b1f0c9a7d2e4f6b8a0c1d3e5f7a9b";
const PARTNER: i64 = 1234567;
const ENV: &[&str] = &[
    "KALTURA_SERVICE_URL",
    "KALTURA_KS",
    "KALTURA_PARTNER_ID",
    "KALTURA_ADMIN_SECRET",
    "KALTURA_PASSWORD",
    "KALTURA_APP_TOKEN",
    "KALTURA_PROFILE",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
];

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    #[track_caller]
    fn expect(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// A home for the binary: config and cache folders of its own.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_kaltura"));
        c.args(args).stdin(Stdio::null());
        for var in ENV {
            c.env_remove(var);
        }
        c.env("KALTURA_CONFIG_DIR", self.config())
            .env("KALTURA_CACHE_DIR", self.cache());
        c
    }

    fn run(&self, args: &[&str]) -> Out {
        run(self.cmd(args))
    }

    fn secret_file(&self, mode: u32) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.dir.path().join(format!("secret-{mode:o}"));
        std::fs::write(&path, format!("{SECRET}\n")).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        path
    }
}

fn run(mut cmd: Command) -> Out {
    let out = cmd.output().expect("the kaltura binary runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("exists")
        .permissions()
        .mode()
        & 0o777
}

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

    /// `service.action` and the KS of each request, in order.
    fn calls(&self) -> Vec<(String, String)> {
        self.standin
            .requests()
            .iter()
            .map(|r| {
                let ks = r
                    .json()
                    .and_then(|v| v.get("ks").and_then(Value::as_str).map(str::to_string))
                    .unwrap_or_default();
                (r.service_action(), ks)
            })
            .collect()
    }
}

/// Answers session.start with a new KS each time (KS-1, KS-2, ...) and lists with the
/// KS it was sent.
fn session_server() -> Server {
    let started = Arc::new(AtomicUsize::new(0));
    Server::start(move |r| {
        let p = r.json().unwrap_or(Value::Null);
        match r.service_action().as_str() {
            "session.start" if p["secret"] == SECRET && p["partnerId"] == PARTNER => {
                let n = started.fetch_add(1, Ordering::SeqCst) + 1;
                Reply::json(format!("\"KS-{n}\""))
            }
            "session.start" => Reply::json(
                json!({"objectType": "KalturaAPIException", "code": "START_SESSION_ERROR", "message": "bad secret", "args": []})
                    .to_string(),
            ),
            "session.end" => Reply::json("null"),
            "media.list" => Reply::json(
                json!({"objectType": "KalturaMediaListResponse", "totalCount": 0, "objects": []})
                    .to_string(),
            ),
            _ => Reply::json(
                json!({"objectType": "KalturaAPIException", "code": "UNEXPECTED", "message": "unexpected", "args": []})
                    .to_string(),
            ),
        }
    })
}

#[test]
fn profiles_are_added_listed_shown_and_removed_without_secrets() {
    let home = Home::new();
    home.run(&["profile", "list"]).expect(0);
    let out = home.run(&[
        "profile",
        "add",
        "prod",
        "--region",
        "eu",
        "--partner-id",
        "1234567",
        "--type",
        "admin",
        "--secret-env",
        "PROD_SECRET",
    ]);
    out.expect(0);
    home.run(&[
        "profile",
        "add",
        "test",
        "--service-url",
        "http://127.0.0.1:9",
        "--partner-id",
        "42",
        "--secret-command",
        "pass show kaltura/test",
    ])
    .expect(0);
    let file = home.config().join("config.toml");
    assert_eq!(mode(&file), 0o600);
    let text = std::fs::read_to_string(&file).expect("config");
    assert!(text.contains("default = \"prod\""), "{text}");
    assert!(text.contains("secret_env = \"PROD_SECRET\""), "{text}");
    assert!(
        text.contains("secret_command = [\n    \"pass\",\n    \"show\",")
            || text.contains("secret_command = [\"pass\", \"show\""),
        "{text}"
    );

    let out = home.run(&["profile", "list"]);
    out.expect(0);
    assert!(out.stdout.contains("*prod"), "{}", out.stdout);
    assert!(out.stdout.contains("test "), "{}", out.stdout);
    let mut c = home.cmd(&["profile", "list"]);
    c.env("KALTURA_PROFILE", "test");
    assert!(run(c).stdout.contains("*test"));

    let out = home.run(&["--profile", "test", "profile", "show"]);
    out.expect(0);
    assert!(out.stdout.contains("partner_id = 42"), "{}", out.stdout);

    // A profile that does not exist is an error, naming those that do.
    let out = home.run(&["--profile", "nope", "call", "media", "list"]);
    out.expect(2);
    assert!(out.stderr.contains("prod, test"), "{}", out.stderr);

    home.run(&["profile", "remove", "test"]).expect(0);
    home.run(&["profile", "remove", "test"]).expect(2);
    let out = home.run(&["profile", "list"]);
    assert!(!out.stdout.contains("test"), "{}", out.stdout);
}

#[test]
fn a_secret_typed_into_the_file_is_refused_and_not_echoed() {
    let home = Home::new();
    std::fs::create_dir_all(home.config()).expect("mkdir");
    std::fs::write(
        home.config().join("config.toml"),
        format!("[profiles.p]\npartner_id = 1\nadmin_secret = \"{SECRET}\"\n"),
    )
    .expect("write");
    let out = home.run(&["profile", "list"]);
    out.expect(2);
    assert!(out.stderr.contains(":3:1: unknown field"), "{}", out.stderr);
    assert!(!out.all().contains(SECRET), "{}", out.all());
}

#[test]
fn a_secret_file_others_can_read_is_refused() {
    let server = session_server();
    let home = Home::new();
    let open = home.secret_file(0o644);
    let out = home.run(&[
        "profile",
        "add",
        "p",
        "--partner-id",
        "1234567",
        "--secret-file",
        open.to_str().unwrap(),
    ]);
    out.expect(2);
    assert!(out.stderr.contains("chmod 600"), "{}", out.stderr);

    // Made readable to others after the profile was added: refused at use.
    let private = home.secret_file(0o600);
    home.run(&[
        "profile",
        "add",
        "p",
        "--service-url",
        &server.standin.url(),
        "--partner-id",
        "1234567",
        "--secret-file",
        private.to_str().unwrap(),
    ])
    .expect(0);
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o604)).unwrap();
    }
    let out = home.run(&["session", "start"]);
    out.expect(2);
    assert!(!out.all().contains(SECRET));
    assert!(server.calls().is_empty());
}

#[test]
fn a_cached_session_is_reused_then_renewed_at_expiry() {
    let server = session_server();
    let home = Home::new();
    let secret = home.secret_file(0o600);
    home.run(&[
        "profile",
        "add",
        "dev",
        "--service-url",
        &server.standin.url(),
        "--partner-id",
        "1234567",
        "--type",
        "admin",
        "--expiry",
        "4",
        "--secret-command",
        &format!("cat {}", secret.display()),
    ])
    .expect(0);

    // --debug shows the exchange on stderr, the secret and the KS answered blanked.
    let out = home.run(&["session", "start", "--debug"]);
    out.expect(0);
    assert_eq!(out.stdout, "KS-1\n");
    assert!(
        out.stderr.contains("/api_v3/service/session/action/start"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("\"secret\":\"<redacted>\""),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("< HTTP 200 in "), "{}", out.stderr);
    assert!(
        !out.stderr.contains(SECRET) && !out.stderr.contains("KS-1"),
        "{}",
        out.stderr
    );
    let cache = home.cache().join("sessions").join("dev.json");
    assert_eq!(mode(&cache), 0o600);
    assert!(!std::fs::read_to_string(&cache).unwrap().contains(SECRET));

    home.run(&["call", "media", "list", "--output", "json"])
        .expect(0);
    home.run(&["call", "media", "list", "--output", "json"])
        .expect(0);
    let calls = server.calls();
    assert_eq!(
        calls
            .iter()
            .map(|(sa, ks)| format!("{sa} {ks}"))
            .collect::<Vec<_>>(),
        ["session.start ", "media.list KS-1", "media.list KS-1"]
    );

    let out = home.run(&["session", "show"]);
    out.expect(0);
    assert!(out.stdout.contains("profile    dev"), "{}", out.stdout);
    assert!(out.stdout.contains("automatic, with the admin secret"));
    assert!(!out.stdout.contains("KS-1"), "{}", out.stdout);
    assert_eq!(
        home.run(&["session", "show", "--print-ks"]).stdout,
        "KS-1\n"
    );

    // Within the last second of its four the KS is renewed before the call.
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let out = home.run(&["call", "media", "list", "--output", "json"]);
    out.expect(0);
    assert!(!out.all().contains(SECRET));
    let calls = server.calls();
    assert_eq!(calls[3].0, "session.start");
    assert_eq!(calls[4], ("media.list".to_string(), "KS-2".to_string()));

    // A KS given explicitly wins over the cache.
    let mut c = home.cmd(&["call", "media", "list", "--output", "json"]);
    c.env("KALTURA_KS", "EXPLICIT");
    run(c).expect(0);
    assert_eq!(server.calls()[5].1, "EXPLICIT");

    // A cache file opened up to others is not used.
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = home.run(&["session", "show"]);
        out.expect(2);
        assert!(out.stderr.contains("others may read it"), "{}", out.stderr);
        std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    home.run(&["session", "end"]).expect(0);
    let calls = server.calls();
    assert_eq!(calls[6], ("session.end".to_string(), "KS-2".to_string()));
    assert!(!cache.exists());
    home.run(&["session", "show"]).expect(2);
}

#[test]
fn ks_generate_can_fill_the_cache() {
    let server = session_server();
    let home = Home::new();
    home.run(&[
        "profile",
        "add",
        "local",
        "--service-url",
        &server.standin.url(),
        "--partner-id",
        "1234567",
    ])
    .expect(0);
    let mut c = home.cmd(&[
        "ks", "generate", "--cache", "--format", "v1", "--expiry", "1h",
    ]);
    c.env("KALTURA_ADMIN_SECRET", SECRET);
    let out = run(c);
    out.expect(0);
    let ks = out.stdout.trim().to_string();
    home.run(&["call", "media", "list", "--output", "json"])
        .expect(0);
    assert_eq!(server.calls(), [("media.list".to_string(), ks)]);
    let out = home.run(&["session", "show", "-o", "json"]);
    out.expect(0);
    let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(v["profile"], "local");
    assert_eq!(v["format"], "v1");
    let out = home.run(&["profile", "list", "--output", "yaml"]);
    assert!(
        out.stdout.starts_with("local:\n  service_url: "),
        "{}",
        out.stdout
    );
    let mut c = home.cmd(&["ks", "generate", "--output", "json"]);
    c.env("KALTURA_ADMIN_SECRET", SECRET);
    let out = run(c);
    out.expect(0);
    assert!(serde_json::from_str::<Value>(&out.stdout)
        .unwrap()
        .is_string());
    // ks inspect reads the cached KS when given none.
    let mut c = home.cmd(&["ks", "inspect"]);
    c.env("KALTURA_ADMIN_SECRET", SECRET);
    let out = run(c);
    out.expect(0);
    assert!(out.stdout.contains("1234567"), "{}", out.stdout);
    assert!(!out.stdout.contains("not checked"), "{}", out.stdout);
    let out = home.run(&["session", "show"]);
    assert!(out.stdout.contains("format     v1"), "{}", out.stdout);
    assert!(
        out.stdout.contains("left       59m") || out.stdout.contains("left       1h"),
        "{}",
        out.stdout
    );
}

// ---------------------------------------------------------------- output

/// A list server of seven entries served in pages of the pageSize asked for; entry
/// names are CJK, emoji and Latin.
fn paging_server() -> Server {
    Server::start(|r| {
        let p = r.json().unwrap_or(Value::Null);
        let names = [
            "日本語のビデオ",
            "intro",
            "🎬 trailer",
            "說明",
            "b",
            "한국어",
            "end",
        ];
        let size = p["pager"]["pageSize"].as_u64().unwrap_or(30) as usize;
        let index = p["pager"]["pageIndex"].as_u64().unwrap_or(1) as usize;
        let objects: Vec<Value> = names
            .iter()
            .enumerate()
            .skip((index - 1) * size)
            .take(size)
            .map(|(i, n)| {
                json!({"objectType": "KalturaMediaEntry", "id": format!("0_{i}"), "name": n,
                       "status": if i % 2 == 0 { 2 } else { 1 }, "mediaType": 1})
            })
            .collect();
        Reply::json(
            json!({"objectType": "KalturaMediaListResponse", "totalCount": names.len(), "objects": objects})
                .to_string(),
        )
    })
}

#[test]
fn all_pages_through_a_list_and_tables_line_up() {
    let server = paging_server();
    let home = Home::new();
    let mut c = home.cmd(&[
        "call",
        "media",
        "list",
        "pager:pageSize=3",
        "--all",
        "--output",
        "table",
        "--fields",
        "id,name,status",
    ]);
    c.env("KALTURA_SERVICE_URL", server.standin.url())
        .env("KALTURA_KS", "K");
    let out = run(c);
    out.expect(0);
    let pages: Vec<u64> = server
        .standin
        .requests()
        .iter()
        .map(|r| r.json().unwrap()["pager"]["pageIndex"].as_u64().unwrap())
        .collect();
    assert_eq!(pages, [1, 2, 3]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2 + 7 + 1, "{}", out.stdout);
    assert_eq!(lines[9], "7 objects shown, 7 in all");
    // The status column starts at the same display column on every row.
    use unicode_width::UnicodeWidthStr;
    let status_at = |line: &str| {
        let i = line.rfind("  ").unwrap() + 2;
        line[..i].width()
    };
    let first = status_at(lines[0]);
    for line in &lines[2..9] {
        assert_eq!(status_at(line), first, "{}", out.stdout);
    }
    assert!(
        lines[2].starts_with("0_0  日本語のビデオ  READY"),
        "{}",
        out.stdout
    );
    assert!(lines[3].ends_with("PRECONVERT"), "{}", out.stdout);

    let mut c = home.cmd(&["call", "media", "list", "--all", "--output", "ids"]);
    c.env("KALTURA_SERVICE_URL", server.standin.url())
        .env("KALTURA_KS", "K");
    let out = run(c);
    out.expect(0);
    assert_eq!(out.stdout, "0_0\n0_1\n0_2\n0_3\n0_4\n0_5\n0_6\n");

    let mut c = home.cmd(&["call", "media", "get", "entryId=0_a", "--all"]);
    c.env("KALTURA_SERVICE_URL", server.standin.url());
    run(c).expect(2);
}

#[test]
fn yaml_and_raw_output() {
    let server = paging_server();
    let home = Home::new();
    let mut c = home.cmd(&["call", "media", "list", "pager:pageSize=1", "-o", "yaml"]);
    c.env("KALTURA_SERVICE_URL", server.standin.url());
    let out = run(c);
    out.expect(0);
    assert!(
        out.stdout
            .contains("objects:\n- objectType: KalturaMediaEntry\n  id: 0_0\n"),
        "{}",
        out.stdout
    );
    let mut c = home.cmd(&["call", "media", "list", "pager:pageSize=1", "-o", "raw"]);
    c.env("KALTURA_SERVICE_URL", server.standin.url());
    let out = run(c);
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
}

// ---------------------------------------------------------------- requests

const TEST_KS: &str = "djJ8OTk5fFRFU1RfS1NfRk9SX0NVUkw";

fn echo_server() -> Server {
    Server::start(|_| {
        Reply::json(
            json!({"objectType": "KalturaMediaListResponse", "totalCount": 0, "objects": []})
                .to_string(),
        )
    })
}

fn against(server: &Server, home: &Home, args: &[&str]) -> Command {
    let mut c = home.cmd(args);
    c.env("KALTURA_SERVICE_URL", server.standin.url())
        .env("KALTURA_KS", TEST_KS);
    c
}

#[test]
fn curl_prints_the_request_without_sending_it() {
    let server = echo_server();
    let home = Home::new();
    let out = run(against(
        &server,
        &home,
        &["call", "media", "list", "filter:nameLike=it's", "--curl"],
    ));
    out.expect(0);
    assert!(server.calls().is_empty());
    let expected = format!(
        "curl -sS {}/api_v3/service/media/action/list -H 'Content-Type: application/json' --data-binary ",
        server.standin.url()
    );
    assert!(out.stdout.starts_with(&expected), "{}", out.stdout);
    assert!(
        out.stdout.contains(r#""ks":"<redacted>""#),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(r#""nameLike":"it'\''s""#),
        "{}",
        out.stdout
    );
    assert!(!out.all().contains(TEST_KS));
    let out = run(against(
        &server,
        &home,
        &["call", "media", "list", "--curl", "--show-secrets"],
    ));
    assert!(out.stdout.contains(TEST_KS), "{}", out.stdout);
    assert!(server.calls().is_empty());
}

#[test]
fn debug_shows_the_exchange_with_the_ks_blanked() {
    let server = echo_server();
    let home = Home::new();
    let out = run(against(
        &server,
        &home,
        &["call", "media", "list", "--debug", "-o", "json"],
    ));
    out.expect(0);
    assert!(out.stderr.contains("> POST "), "{}", out.stderr);
    assert!(
        out.stderr.contains("\"ks\":\"<redacted>\""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("< {\"objectType\":\"KalturaMediaListResponse\""),
        "{}",
        out.stderr
    );
    assert!(!out.all().contains(TEST_KS));
    assert_eq!(
        server.calls(),
        [("media.list".to_string(), TEST_KS.to_string())]
    );
}

#[test]
fn parameters_from_stdin_unchecked_calls_and_partner_minus_one() {
    use std::io::Write;
    let server = echo_server();
    let home = Home::new();
    let body = |i: usize| server.standin.requests()[i].json().expect("JSON");

    for (input, i) in [
        (
            r#"{"filter": {"nameLike": "from json"}, "pager": {"pageSize": 2}}"#,
            0,
        ),
        ("# lines\nfilter:nameLike=from json\npager:pageSize=2\n", 1),
    ] {
        let mut c = against(
            &server,
            &home,
            &["call", "media", "list", "-", "-o", "json"],
        );
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().expect("runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let b = body(i);
        assert_eq!(b["filter"]["nameLike"], "from json");
        // Checked against the API: the page size is sent as a number.
        assert_eq!(b["pager"]["pageSize"], 2);
    }

    // A wrong name from stdin is caught like one on the command line.
    let mut c = against(&server, &home, &["call", "media", "list", "-"]);
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"filtr:nameLike=x\n")
        .unwrap();
    assert_eq!(child.wait_with_output().unwrap().status.code(), Some(2));

    run(against(
        &server,
        &home,
        &[
            "call",
            "futureService",
            "futureAction",
            "thing:size=3",
            "--unchecked",
            "-o",
            "json",
        ],
    ))
    .expect(0);
    let r = &server.standin.requests()[2];
    assert_eq!(r.service_action(), "futureService.futureAction");
    assert_eq!(r.json().unwrap()["thing"]["size"], "3");
    run(against(
        &server,
        &home,
        &["call", "futureService", "futureAction"],
    ))
    .expect(2);

    run(against(
        &server,
        &home,
        &["call", "media", "list", "--partner-id", "-1", "-o", "json"],
    ))
    .expect(0);
    assert_eq!(body(3)["partnerId"], -1);
}

/// A cached KS the server refuses (ended elsewhere) is renewed once and the call
/// repeated; a KS given with --ks is never replaced.
#[test]
fn a_refused_cached_session_is_renewed_once() {
    let started = Arc::new(AtomicUsize::new(0));
    let server = Server::start(move |r| {
        let p = r.json().unwrap_or(Value::Null);
        match r.service_action().as_str() {
            "session.start" => {
                let n = started.fetch_add(1, Ordering::SeqCst) + 1;
                Reply::json(format!("\"KS-{n}\""))
            }
            "media.list" if p["ks"] == "KS-2" => Reply::json(
                json!({"objectType": "KalturaMediaListResponse", "totalCount": 0, "objects": []})
                    .to_string(),
            ),
            _ => Reply::json(
                json!({"objectType": "KalturaAPIException", "code": "INVALID_KS", "message": "Invalid KS", "args": []})
                    .to_string(),
            ),
        }
    });
    let home = Home::new();
    let secret = home.secret_file(0o600);
    home.run(&[
        "profile",
        "add",
        "dev",
        "--service-url",
        &server.standin.url(),
        "--partner-id",
        "1234567",
        "--secret-file",
        secret.to_str().unwrap(),
    ])
    .expect(0);
    home.run(&["session", "start"]).expect(0);
    home.run(&["call", "media", "list", "-o", "json"]).expect(0);
    let calls: Vec<String> = server
        .calls()
        .iter()
        .map(|(sa, ks)| format!("{sa} {ks}"))
        .collect();
    assert_eq!(
        calls,
        [
            "session.start ",
            "media.list KS-1",
            "session.start ",
            "media.list KS-2"
        ]
    );
    let mut c = home.cmd(&["call", "media", "list"]);
    c.env("KALTURA_KS", "OTHER");
    run(c).expect(3);
    assert_eq!(server.calls().len(), 5);
}

/// A profile that logs in with a password from an environment variable it names.
#[test]
fn a_password_profile_logs_in_and_renews_with_the_named_variable() {
    const PASSWORD: &str = "correct horse battery staple";
    let server = Server::start(|r| {
        let p = r.json().unwrap_or(Value::Null);
        match r.service_action().as_str() {
            "user.loginByLoginId"
                if p["loginId"] == "bob@example.com"
                    && p["password"] == PASSWORD
                    && p["partnerId"] == PARTNER
                    && p["expiry"] == 600 =>
            {
                Reply::json("\"KS-BOB\"")
            }
            "media.list" => Reply::json(
                json!({"objectType": "KalturaMediaListResponse", "totalCount": 0, "objects": []})
                    .to_string(),
            ),
            _ => Reply::json(
                json!({"objectType": "KalturaAPIException", "code": "USER_WRONG_PASSWORD", "message": "no", "args": []})
                    .to_string(),
            ),
        }
    });
    let home = Home::new();
    home.run(&[
        "profile",
        "add",
        "bob",
        "--service-url",
        &server.standin.url(),
        "--partner-id",
        "1234567",
        "--login-id",
        "bob@example.com",
        "--secret-env",
        "BOB_PW",
        "--expiry",
        "10m",
    ])
    .expect(0);
    let text = std::fs::read_to_string(home.config().join("config.toml")).unwrap();
    assert!(text.contains("auth = \"password\""), "{text}");

    // The variable is not set: a usage error naming it, nothing sent.
    let out = home.run(&["login"]);
    out.expect(2);
    assert!(out.stderr.contains("BOB_PW"), "{}", out.stderr);
    assert!(server.calls().is_empty());

    // No session yet: the first call logs in by itself.
    let mut c = home.cmd(&["call", "media", "list", "-o", "json"]);
    c.env("BOB_PW", PASSWORD);
    let out = run(c);
    out.expect(0);
    assert!(!out.all().contains(PASSWORD));
    let calls: Vec<String> = server
        .calls()
        .iter()
        .map(|(sa, ks)| format!("{sa} {ks}"))
        .collect();
    assert_eq!(calls, ["user.loginByLoginId ", "media.list KS-BOB"]);
}
