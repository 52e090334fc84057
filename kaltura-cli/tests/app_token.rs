//! `kaltura session start --app-token`, `kaltura app-token add|list|delete` and
//! `--region`, each run as a process against the stand-in playing the server's side
//! of application tokens (`kaltura_tests::app_tokens`). The token is never on the
//! command line and never printed, except once by `add`.

use kaltura_tests::app_tokens::{self, ADDED_TOKEN, PARTNER, TOKEN};
use kaltura_tests::standin::{Recorded, Reply, StandIn};
use serde_json::Value;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

const ADMIN_KS: &str = "djJ8MTIzNDU2N3xBRE1JTl9LU19GT1JfQ0xJX1RFU1RT";

/// Variables the binary reads, removed so the caller's environment cannot leak in.
const ENV: &[&str] = &[
    "KALTURA_SERVICE_URL",
    "KALTURA_KS",
    "KALTURA_PARTNER_ID",
    "KALTURA_ADMIN_SECRET",
    "KALTURA_PASSWORD",
    "KALTURA_APP_TOKEN",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
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

fn kaltura(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kaltura"));
    c.args(args).stdin(Stdio::null());
    for var in ENV {
        c.env_remove(var);
    }
    // Never the developer's own profiles or cached sessions.
    let none = std::env::temp_dir().join("kaltura-cli-tests-no-profiles");
    c.env_remove("KALTURA_PROFILE")
        .env("KALTURA_CONFIG_DIR", &none)
        .env("KALTURA_CACHE_DIR", &none);
    c
}

fn run(mut cmd: Command) -> Out {
    let out = cmd.output().expect("the kaltura binary runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The stand-in on a runtime of its own, serving while the test waits for the binary.
struct Server {
    standin: StandIn,
    fake: Arc<Mutex<app_tokens::Server>>,
    _rt: tokio::runtime::Runtime,
}

impl Server {
    fn start() -> Server {
        Self::start_with(|_| None)
    }

    /// `first` may answer a request before the app-token server does.
    fn start_with(first: impl Fn(&Recorded) -> Option<Reply> + Send + Sync + 'static) -> Server {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let fake = Arc::new(Mutex::new(app_tokens::Server::new()));
        let f = fake.clone();
        let standin = rt.block_on(StandIn::start(move |req| {
            first(req).unwrap_or_else(|| f.lock().unwrap().handle(req))
        }));
        Server {
            standin,
            fake,
            _rt: rt,
        }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = kaltura(args);
        c.env("KALTURA_SERVICE_URL", self.standin.url())
            .env("KALTURA_PARTNER_ID", PARTNER.to_string());
        c
    }

    fn requests(&self) -> Vec<Recorded> {
        self.standin.requests()
    }

    fn no_violations(&self) {
        let v = &self.fake.lock().unwrap().violations;
        assert!(v.is_empty(), "the stand-in saw: {v:#?}");
    }
}

fn params(r: &Recorded) -> serde_json::Map<String, Value> {
    match r.json() {
        Some(Value::Object(m)) => m,
        other => panic!("not JSON: {other:?}"),
    }
}

#[test]
fn session_start_with_an_app_token_from_the_environment_or_a_file() {
    let server = Server::start();
    let mut cmd = server.cmd(&[
        "session",
        "start",
        "--app-token",
        "0_sha256",
        "--hash-type",
        "sha256",
        "--user",
        "bot",
        "--expiry",
        "1h",
        "--privileges",
        "sview:0_abc",
    ]);
    cmd.env("KALTURA_APP_TOKEN", TOKEN);
    let out = run(cmd);
    out.expect(0);
    assert_eq!(out.stdout, format!("{}\n", app_tokens::session_ks(1)));
    assert!(!out.all().contains(TOKEN));
    let sent = server.requests();
    assert_eq!(sent.len(), 2, "{sent:#?}");
    assert_eq!(sent[0].service_action(), "session.startWidgetSession");
    let start = params(&sent[1]);
    assert_eq!(sent[1].service_action(), "apptoken.startSession");
    assert_eq!(start["userId"], "bot");
    assert_eq!(start["expiry"], 3600);
    assert_eq!(start["type"], 0);
    assert_eq!(start["sessionPrivileges"], "sview:0_abc");

    // A token file others may read is refused, naming the fix and not the token;
    // nothing is sent.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, format!("{TOKEN}\n")).unwrap();
    let from_file = || {
        run(server.cmd(&[
            "session",
            "start",
            "--app-token",
            "0_md5",
            "--hash-type",
            "md5",
            "--app-token-file",
            file.to_str().unwrap(),
        ]))
    };
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = from_file();
        out.expect(2);
        assert!(
            out.stderr
                .contains(&format!("chmod 600 {}", file.display())),
            "{}",
            out.stderr
        );
        assert!(!out.all().contains(TOKEN), "{}", out.all());
        assert_eq!(server.requests().len(), 2);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let out = from_file();
    out.expect(0);
    assert_eq!(out.stdout, format!("{}\n", app_tokens::session_ks(2)));
    assert_eq!(server.requests().len(), 4);
    server.no_violations();
}

#[test]
fn session_start_with_an_app_token_refuses_what_it_cannot_use() {
    let server = Server::start();
    // No token anywhere, and no terminal to ask on.
    let out = run(server.cmd(&["session", "start", "--app-token", "0_sha1"]));
    out.expect(2);
    assert!(out.stderr.contains("KALTURA_APP_TOKEN"), "{}", out.stderr);
    assert!(out.stderr.contains("--app-token-file"), "{}", out.stderr);
    // Flags that make no sense together, or alone.
    for args in [
        &[
            "session",
            "start",
            "--app-token",
            "0_sha1",
            "--secret-file",
            "x",
        ][..],
        &["session", "start", "--app-token-file", "x"],
        &[
            "session",
            "start",
            "--app-token",
            "0_sha1",
            "--hash-type",
            "crc32",
        ],
    ] {
        let mut cmd = server.cmd(args);
        cmd.env("KALTURA_APP_TOKEN", TOKEN);
        run(cmd).expect(2);
    }
    assert!(server.requests().is_empty(), "nothing is sent");

    for (id, hash, code) in [
        ("0_sha256", "sha1", "INVALID_APP_TOKEN_HASH"),
        ("0_expired", "sha256", "APP_TOKEN_EXPIRED"),
        ("0_deleted", "sha256", "APP_TOKEN_ID_NOT_FOUND"),
        ("0_disabled", "sha256", "APP_TOKEN_NOT_ACTIVE"),
    ] {
        let mut cmd = server.cmd(&["session", "start", "--app-token", id, "--hash-type", hash]);
        cmd.env("KALTURA_APP_TOKEN", TOKEN);
        let out = run(cmd);
        out.expect(3);
        assert!(out.stderr.contains(code), "{id}: {}", out.stderr);
        assert!(out.stdout.is_empty());
        assert!(!out.all().contains(TOKEN));
    }
    server.no_violations();
}

#[test]
fn app_token_add_prints_the_token_once_and_list_never() {
    let server = Server::start();
    let mut cmd = server.cmd(&[
        "app-token",
        "add",
        "--description",
        "ingest bot",
        "--session-type",
        "user",
        "--session-user",
        "bot",
        "--session-privileges",
        "setrole:123",
        "--session-duration",
        "12h",
    ]);
    cmd.env("KALTURA_KS", ADMIN_KS);
    let out = run(cmd);
    out.expect(0);
    assert!(out.stdout.contains("0_added1"), "{}", out.stdout);
    assert_eq!(out.stdout.matches(ADDED_TOKEN).count(), 1, "{}", out.stdout);
    assert!(out.stdout.contains("SHA256"), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("--app-token 0_added1 --hash-type sha256"),
        "{}",
        out.stderr
    );
    let sent = server.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].service_action(), "apptoken.add");
    let body = params(&sent[0]);
    assert_eq!(body["ks"], ADMIN_KS);
    let t = &body["appToken"];
    assert_eq!(t["objectType"], "KalturaAppToken");
    assert_eq!(t["hashType"], "SHA256");
    assert_eq!(t["sessionType"], 0);
    assert_eq!(t["sessionUserId"], "bot");
    assert_eq!(t["sessionPrivileges"], "setrole:123");
    assert_eq!(t["sessionDuration"], 43_200);
    assert_eq!(t["description"], "ingest bot");

    let mut cmd = server.cmd(&["app-token", "list"]);
    cmd.env("KALTURA_KS", ADMIN_KS);
    let out = run(cmd);
    out.expect(0);
    assert!(out.stdout.starts_with("id "), "{}", out.stdout);
    assert!(out.stdout.contains("0_added1"), "{}", out.stdout);
    assert!(out.stdout.contains("ACTIVE"), "{}", out.stdout);
    assert!(out.stdout.contains("ingest bot"), "{}", out.stdout);
    assert!(!out.stdout.contains("0_deleted"), "{}", out.stdout);
    assert!(!out.all().contains(ADDED_TOKEN) && !out.all().contains(TOKEN));

    // --fields chooses the columns; a token's value is never one of them.
    let mut cmd = server.cmd(&["app-token", "list", "--fields", "status,id,token"]);
    cmd.env("KALTURA_KS", ADMIN_KS);
    let out = run(cmd);
    out.expect(0);
    assert!(out.stdout.starts_with("status  "), "{}", out.stdout);
    assert!(!out.all().contains(ADDED_TOKEN) && !out.all().contains(TOKEN));

    let mut cmd = server.cmd(&["app-token", "list", "--json"]);
    cmd.env("KALTURA_KS", ADMIN_KS);
    let out = run(cmd);
    out.expect(0);
    let list: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(list["objects"].as_array().unwrap().len(), 7);
    assert!(list["objects"][0].get("token").is_none());
    assert!(!out.all().contains(TOKEN));
    server.no_violations();
}

#[test]
fn app_token_delete() {
    let server = Server::start();
    let mut cmd = server.cmd(&["app-token", "delete", "0_sha1"]);
    cmd.env("KALTURA_KS", ADMIN_KS);
    run(cmd).expect(0);
    assert_eq!(params(&server.requests()[0])["id"], "0_sha1");

    let mut cmd = server.cmd(&["session", "start", "--app-token", "0_sha1"]);
    cmd.env("KALTURA_APP_TOKEN", TOKEN);
    let out = run(cmd);
    out.expect(3);
    assert!(
        out.stderr.contains("APP_TOKEN_ID_NOT_FOUND"),
        "{}",
        out.stderr
    );

    let mut cmd = server.cmd(&["app-token", "delete", "0_sha1"]);
    cmd.env("KALTURA_KS", ADMIN_KS);
    run(cmd).expect(3);
    // Without an admin KS the server refuses.
    run(server.cmd(&["app-token", "delete", "0_md5"])).expect(3);
    server.no_violations();
}

#[test]
fn region_names_the_service_url() {
    // The region's host is asked of a proxy (the stand-in), so nothing leaves the
    // machine: `CONNECT api.eu.kaltura.com:443` shows where the call was going.
    let connects = Arc::new(Mutex::new(Vec::new()));
    let seen = connects.clone();
    let server = Server::start_with(move |req| {
        (req.method == "CONNECT").then(|| {
            seen.lock().unwrap().push(req.path.clone());
            Reply::raw(403, "text/plain", "no tunnels here")
        })
    });
    let mut cmd = server.cmd(&["app-token", "list", "--region", "eu"]);
    cmd.env("KALTURA_KS", ADMIN_KS)
        .env("HTTPS_PROXY", server.standin.url());
    let out = run(cmd);
    out.expect(4);
    assert_eq!(*connects.lock().unwrap(), ["api.eu.kaltura.com:443"]);

    let out = run(kaltura(&["call", "media", "list", "--region", "mars"]));
    out.expect(2);
    assert!(
        out.stderr.contains("eu"),
        "the choices are listed: {}",
        out.stderr
    );
}

/// A profile holding the token's id and hash type, the token itself in a file only its
/// owner reads: `session start` needs no flags and the session is cached.
#[test]
fn a_profile_starts_app_token_sessions() {
    use std::os::unix::fs::PermissionsExt;
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, format!("{TOKEN}\n")).unwrap();
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600)).unwrap();
    let home = |args: &[&str]| {
        let mut c = kaltura(args);
        c.env("KALTURA_CONFIG_DIR", dir.path().join("config"))
            .env("KALTURA_CACHE_DIR", dir.path().join("cache"));
        c
    };
    let url = server.standin.url();
    run(home(&[
        "profile",
        "add",
        "bot",
        "--service-url",
        &url,
        "--partner-id",
        &PARTNER.to_string(),
        "--app-token-id",
        "0_sha256",
        "--hash-type",
        "sha256",
        "--user",
        "bot",
        "--secret-file",
        token.to_str().unwrap(),
    ]))
    .expect(0);
    let out = run(home(&["session", "start"]));
    out.expect(0);
    assert_eq!(out.stdout, format!("{}\n", app_tokens::session_ks(1)));
    assert!(!out.all().contains(TOKEN));
    let sent = server.requests();
    assert_eq!(sent[1].service_action(), "apptoken.startSession");
    assert_eq!(params(&sent[1])["userId"], "bot");
    let out = run(home(&["session", "show", "--print-ks"]));
    assert_eq!(out.stdout, format!("{}\n", app_tokens::session_ks(1)));
    let out = run(home(&["session", "show", "-o", "json"]));
    out.expect(0);
    let shown: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(shown["renewal"], "automatic, with the app token");
    assert_ne!(shown["left"], "expired");
    server.no_violations();
}
