//! The command line's half of the security review (issue 25), end to end: the binary
//! run with config and cache folders of its own against stand-in servers on
//! 127.0.0.1. Each test shows a hole that is now closed: where a secret, a password
//! or a KS could have been read, planted, printed or sent to the wrong place.

use kaltura_tests::standin::{Recorded, Reply, StandIn};
use serde_json::{json, Value};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const SECRET: &str = "0d4f2a9c7b1e3f5a8c6e0b2d4f6a8c1e";
const PARTNER: i64 = 1234567;
/// A value that must never be printed, wherever it was given.
const HIDDEN: &str = "hunter2-do-not-print";
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

    #[track_caller]
    fn says(&self, needle: &str) -> &Self {
        assert!(self.stderr.contains(needle), "{needle}\n{}", self.stderr);
        self
    }

    #[track_caller]
    fn never_shows(&self, secret: &str) -> &Self {
        assert!(!self.all().contains(secret), "{secret}\n{}", self.all());
        self
    }
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("exists")
        .permissions()
        .mode()
        & 0o777
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

    /// A file holding `text` with the permission bits `mode`.
    fn file(&self, name: &str, text: &str, mode: u32) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        chmod(&path, mode);
        path
    }

    /// Adds profile `name` for `url`, taking the admin secret from a private file.
    fn profile(&self, name: &str, url: &str) {
        let secret = self.file(&format!("{name}-secret"), SECRET, 0o600);
        self.run(&[
            "profile",
            "add",
            name,
            "--service-url",
            url,
            "--partner-id",
            &PARTNER.to_string(),
            "--type",
            "admin",
            "--secret-file",
            secret.to_str().unwrap(),
        ])
        .expect(0);
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

/// Runs `cmd` with `input` on stdin.
fn run_with_stdin(mut cmd: Command, input: &str) -> Out {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("runs");
    // A command refused before it reads its input exits without reading it: the pipe
    // is then closed, which is no failure of the test.
    match child.stdin.take().unwrap().write_all(input.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.expect("stdin written"),
    }
    let out = child.wait_with_output().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A stand-in with its own runtime.
struct Server {
    standin: StandIn,
    _rt: tokio::runtime::Runtime,
}

impl Server {
    /// Answers session.start (with the right secret) with KS-1, KS-2, ..., session.end
    /// with null and lists with an empty list.
    fn start() -> Server {
        let started = Arc::new(AtomicUsize::new(0));
        Self::with(move |r| {
            let p = r.json().unwrap_or(Value::Null);
            match r.service_action().as_str() {
                "session.start" if p["secret"] == SECRET => {
                    let n = started.fetch_add(1, Ordering::SeqCst) + 1;
                    Reply::json(format!("\"KS-{n}\""))
                }
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

    fn with(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Server {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let standin = rt.block_on(StandIn::start(handler));
        Server { standin, _rt: rt }
    }

    fn url(&self) -> String {
        self.standin.url()
    }

    /// The same server by an address that is not loopback by name: 0.0.0.0, which
    /// Linux and macOS connect to this machine. Plain http:// to it counts as leaving
    /// the machine, so the --allow-http path can be run without a network.
    fn unspecified_url(&self) -> String {
        format!("http://0.0.0.0:{}", self.standin.port())
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

// ------------------------------------------------------- 3. the session cache

/// The session cache is written only into a folder of the user's that others cannot
/// open; the check comes before the secret is sent for a new session.
#[test]
fn a_session_cache_folder_open_to_others_is_refused() {
    let server = Server::start();
    let home = Home::new();
    home.profile("dev", &server.url());
    let sessions = home.cache().join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    chmod(&home.cache(), 0o700);
    chmod(&sessions, 0o777);

    let out = home.run(&["session", "start"]);
    out.expect(2)
        .says(&format!(
            "{} is open to other users (mode 777)",
            sessions.display()
        ))
        .says(&format!("chmod 700 {}", sessions.display()))
        .never_shows(SECRET);
    assert!(server.calls().is_empty(), "{:?}", server.calls());
    assert_eq!(std::fs::read_dir(&sessions).unwrap().count(), 0);

    // Readable by the group is open too.
    chmod(&sessions, 0o750);
    home.run(&["session", "start"]).expect(2);

    // Closed: the session is kept, readable by its owner only.
    chmod(&sessions, 0o700);
    let out = home.run(&["session", "start"]);
    out.expect(0);
    let cache = sessions.join("dev.json");
    assert_eq!(mode(&cache), 0o600);
    // Nothing but the cache itself was left in the folder.
    assert_eq!(std::fs::read_dir(&sessions).unwrap().count(), 1);
}

// ------------------------------------------------------- 5. secret files

/// Every file a secret is read from is refused when others may read it: the admin
/// secret (--secret-file, a profile's secret_file) and the KS (--ks-file); the app
/// token file is in tests/app_token.rs. The message names the fix, never the content.
#[test]
fn secret_files_others_can_read_are_refused() {
    let server = Server::start();
    let home = Home::new();
    let open_secret = home.file("secret", &format!("{SECRET}\n"), 0o644);
    let open_ks = home.file("ks", &format!("{HIDDEN}\n"), 0o640);
    let secret_path = open_secret.to_str().unwrap();
    let ks_path = open_ks.to_str().unwrap();
    let fix_secret = format!("chmod 600 {secret_path}");
    let fix_ks = format!("chmod 600 {ks_path}");

    let runs: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "ks",
                "generate",
                "--partner-id",
                "1",
                "--secret-file",
                secret_path,
            ],
            &fix_secret,
        ),
        (
            vec!["ks", "inspect", "--secret-file", secret_path],
            &fix_secret,
        ),
        (
            vec![
                "session",
                "start",
                "--partner-id",
                "1",
                "--secret-file",
                secret_path,
            ],
            &fix_secret,
        ),
        (vec!["call", "media", "list", "--ks-file", ks_path], &fix_ks),
        (vec!["ks", "inspect", "--ks-file", ks_path], &fix_ks),
        (vec!["upload", secret_path, "--ks-file", ks_path], &fix_ks),
    ];
    for (args, fix) in runs {
        let mut c = home.cmd(&args);
        c.env("KALTURA_SERVICE_URL", server.url())
            .env("KALTURA_KS", "KS-FROM-ENV");
        let out = run(c);
        out.expect(2)
            .says(fix)
            .never_shows(SECRET)
            .never_shows(HIDDEN);
    }
    assert!(server.calls().is_empty(), "{:?}", server.calls());

    // Closed to others, the same files are used.
    chmod(&open_ks, 0o600);
    let mut c = home.cmd(&["call", "media", "list", "--ks-file", ks_path, "-o", "json"]);
    c.env("KALTURA_SERVICE_URL", server.url());
    run(c).expect(0).never_shows(HIDDEN);
    assert_eq!(server.calls(), [("media.list".into(), HIDDEN.into())]);
}

// ------------------------------------------------------- 6. session end

/// `session end` sends the cached KS only to the server that made it: another
/// --service-url receives nothing, and the session stays cached.
#[test]
fn session_end_sends_the_cached_ks_only_to_its_server() {
    let own = Server::start();
    let other = Server::start();
    let home = Home::new();
    home.profile("dev", &own.url());
    home.run(&["session", "start"]).expect(0);

    let out = home.run(&["session", "end", "--service-url", &other.url()]);
    out.expect(2)
        .says("refusing to send it to")
        .says(&own.url())
        .never_shows("KS-1");
    assert!(other.calls().is_empty(), "{:?}", other.calls());
    let mut c = home.cmd(&["session", "end"]);
    c.env("KALTURA_SERVICE_URL", other.url());
    run(c).expect(2);
    assert!(other.calls().is_empty(), "{:?}", other.calls());
    assert!(home.cache().join("sessions").join("dev.json").exists());

    // --curl prints a command meant to be run: it never carries the cached KS to
    // another server either.
    let out = home.run(&[
        "call",
        "media",
        "list",
        "--curl",
        "--show-secrets",
        "--service-url",
        &other.url(),
    ]);
    out.expect(0).never_shows("KS-1");

    home.run(&["session", "end"]).expect(0);
    assert_eq!(
        own.calls(),
        [
            ("session.start".to_string(), String::new()),
            ("session.end".to_string(), "KS-1".to_string())
        ]
    );
    assert!(other.calls().is_empty());
}

// ------------------------------------------------------- 8. the command line

/// A KS or a secret written on the command line (where `ps` shows it to every user
/// of the machine) is refused, without being repeated, and nothing is sent.
#[test]
fn secrets_on_the_command_line_are_refused() {
    let server = Server::start();
    let home = Home::new();
    let with_server = |args: &[&str]| {
        let mut c = home.cmd(args);
        c.env("KALTURA_SERVICE_URL", server.url());
        c
    };
    for args in [
        &["call", "media", "list", "--ks", HIDDEN][..],
        &["upload", "/etc/hostname", "--ks", HIDDEN],
        &["app-token", "list", "--ks", HIDDEN],
        &["ks", "inspect", HIDDEN],
    ] {
        let out = run(with_server(args));
        out.expect(2)
            .says("KALTURA_KS")
            .says("--ks-file")
            .never_shows(HIDDEN);
    }
    for (args, name) in [
        (
            &[
                "call",
                "session",
                "start",
                "partnerId=1",
                &format!("secret={HIDDEN}"),
            ][..],
            "`secret`",
        ),
        (
            &[
                "call",
                "user",
                "loginByLoginId",
                "loginId=bob",
                &format!("password={HIDDEN}"),
            ],
            "`password`",
        ),
        (
            &[
                "call",
                "user",
                "update",
                "userId=bob",
                &format!("user:password={HIDDEN}"),
            ],
            "`user:password`",
        ),
        (&["call", "session", "get", &format!("ks={HIDDEN}")], "`ks`"),
        (
            &[
                "call",
                "some",
                "thing",
                &format!("x:signingKey={HIDDEN}"),
                "--unchecked",
            ],
            "`x:signingKey`",
        ),
    ] {
        let out = run(with_server(args));
        out.expect(2)
            .says(name)
            .says("pass `-`")
            .never_shows(HIDDEN);
    }
    assert!(server.calls().is_empty(), "{:?}", server.calls());

    // From stdin they go, and an error about one never repeats it.
    let out = run_with_stdin(
        with_server(&["call", "session", "start", "-", "-o", "json"]),
        &format!("secret={SECRET}\npartnerId={PARTNER}\n"),
    );
    out.expect(0).never_shows(SECRET);
    assert_eq!(server.calls()[0].0, "session.start");
    let out = run_with_stdin(
        with_server(&["call", "session", "start", "-"]),
        &format!("partnerId={HIDDEN}\ntype={HIDDEN}\n{HIDDEN}\n"),
    );
    out.expect(2).never_shows(HIDDEN);
    let out = run_with_stdin(
        with_server(&["call", "media", "list", "-"]),
        &format!("{{\"filter\": {{\"mediaTypeEqual\": \"{HIDDEN}\"}}}}"),
    );
    out.expect(2)
        .says("`filter:mediaTypeEqual`")
        .never_shows(HIDDEN);
    let out = run_with_stdin(
        with_server(&["call", "media", "list", "-"]),
        &format!("{{\"pager\": \"{HIDDEN}\" \"x\"}}"),
    );
    out.expect(2).says("line 1").never_shows(HIDDEN);
    assert_eq!(server.calls().len(), 1);

    // The ways a KS may come: KALTURA_KS, --ks -, --ks-file FILE, --ks-file -.
    let mut c = with_server(&["call", "media", "list", "-o", "json"]);
    c.env("KALTURA_KS", "KS-ENV");
    run(c).expect(0);
    run_with_stdin(
        with_server(&["call", "media", "list", "--ks", "-", "-o", "json"]),
        "KS-STDIN\n",
    )
    .expect(0);
    let file = home.file("ks", "KS-FILE\n", 0o600);
    run(with_server(&[
        "call",
        "media",
        "list",
        "--ks-file",
        file.to_str().unwrap(),
        "-o",
        "json",
    ]))
    .expect(0);
    run_with_stdin(
        with_server(&["call", "media", "list", "--ks-file", "-", "-o", "json"]),
        "KS-STDIN-2",
    )
    .expect(0);
    let sent: Vec<String> = server.calls().into_iter().skip(1).map(|c| c.1).collect();
    assert_eq!(sent, ["KS-ENV", "KS-STDIN", "KS-FILE", "KS-STDIN-2"]);
    // stdin holds one thing.
    run_with_stdin(
        with_server(&["call", "media", "list", "--ks", "-", "-"]),
        "KS",
    )
    .expect(2);

    // ks inspect reads stdin with `-`.
    let mut c = home.cmd(&["ks", "generate", "--partner-id", "42", "--format", "v1"]);
    c.env("KALTURA_ADMIN_SECRET", SECRET);
    let ks = run(c).stdout.trim().to_string();
    let out = run_with_stdin(home.cmd(&["ks", "inspect", "-"]), &ks);
    out.expect(0);
    assert!(out.stdout.contains("partner:    42"), "{}", out.stdout);
}

// ------------------------------------------------------- 9. config.toml

/// config.toml may name a program to run (secret_command) and where secrets go
/// (service_url): a file or folder others can change is refused before anything in
/// it is used, and a parse error shows the place and the key, never the value.
#[test]
fn a_config_others_can_change_is_refused() {
    let server = Server::start();
    let home = Home::new();
    let marker = home.dir.path().join("ran");
    std::fs::create_dir_all(home.config()).unwrap();
    chmod(&home.config(), 0o700);
    let config = home.config().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "default = \"p\"\n[profiles.p]\nservice_url = \"{}\"\npartner_id = {PARTNER}\n\
             auth = \"admin-secret\"\nsecret_command = [\"touch\", \"{}\"]\n",
            server.url(),
            marker.display()
        ),
    )
    .unwrap();
    chmod(&config, 0o664);
    let out = home.run(&["session", "start"]);
    out.expect(2)
        .says("may be changed by other users (mode 664)")
        .says(&format!("chmod 600 {}", config.display()));
    assert!(!marker.exists(), "the command in the file was run");
    home.run(&["profile", "list"]).expect(2);

    chmod(&config, 0o600);
    chmod(&home.config(), 0o777);
    let out = home.run(&["session", "start"]);
    out.expect(2)
        .says(&format!("chmod go-w {}", home.config().display()));
    assert!(!marker.exists(), "the command in the file was run");
    assert!(server.calls().is_empty());

    // Closed again, it is read (the command prints no secret, so it fails there).
    chmod(&home.config(), 0o700);
    home.run(&["session", "start"]).expect(2);
    assert!(marker.exists());

    // A value in the wrong place: the line, column and key, not the value.
    std::fs::write(
        &config,
        format!("[profiles.p]\npartner_id = \"{HIDDEN}\"\n"),
    )
    .unwrap();
    let out = home.run(&["profile", "list"]);
    out.expect(2)
        .says(":2:14:")
        .says("profiles.p.partner_id")
        .never_shows(HIDDEN);
}

// ------------------------------------------------------- 10. plain http, URLs

/// A KS or secret is not sent to plain http:// off this machine without
/// --allow-http (or a profile's allow_http for its own URL); when allowed, one
/// warning line says so. Loopback stays exempt, as every other test shows.
#[test]
fn plain_http_needs_allow_http() {
    let server = Server::start();
    let home = Home::new();
    let url = server.unspecified_url();
    let list = |extra: &[&str]| {
        let mut c = home.cmd(&[&["call", "media", "list", "-o", "json"][..], extra].concat());
        c.env("KALTURA_SERVICE_URL", &url).env("KALTURA_KS", HIDDEN);
        run(c)
    };
    list(&[])
        .expect(2)
        .says("plain http://")
        .says("--allow-http")
        .never_shows(HIDDEN);
    let mut c = home.cmd(&["session", "start", "--partner-id", "1", "--type", "admin"]);
    c.env("KALTURA_SERVICE_URL", &url)
        .env("KALTURA_ADMIN_SECRET", SECRET);
    run(c).expect(2).says("admin secret").never_shows(SECRET);
    let out = run_with_stdin(
        {
            let mut c = home.cmd(&["call", "session", "start", "-"]);
            c.env("KALTURA_SERVICE_URL", &url);
            c
        },
        &format!("secret={SECRET}\npartnerId=1\n"),
    );
    out.expect(2).never_shows(SECRET);
    assert!(server.calls().is_empty(), "{:?}", server.calls());

    let out = list(&["--allow-http"]);
    out.expect(0).never_shows(HIDDEN);
    let warnings: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", out.stderr);
    assert!(warnings[0].contains(&url), "{}", out.stderr);
    assert_eq!(server.calls(), [("media.list".into(), HIDDEN.into())]);

    // A profile added with --allow-http keeps it, for its own URL only.
    let secret = home.file("secret", SECRET, 0o600);
    home.run(&[
        "--allow-http",
        "profile",
        "add",
        "lan",
        "--service-url",
        &url,
        "--partner-id",
        "1",
        "--secret-file",
        secret.to_str().unwrap(),
    ])
    .expect(0);
    let text = std::fs::read_to_string(home.config().join("config.toml")).unwrap();
    assert!(text.contains("allow_http = true"), "{text}");
    let out = home.run(&["session", "start"]);
    out.expect(0).says("warning: sending the admin secret");
    let mut c = home.cmd(&["call", "media", "list"]);
    c.env("KALTURA_SERVICE_URL", format!("http://0.0.0.0:{}/", 1))
        .env("KALTURA_KS", HIDDEN);
    run(c).expect(2).says("--allow-http");
}

/// Credentials in a service URL (`http://user:pass@host`) are never printed: not by
/// --debug, --curl, `profile list|show`, `session show` or an error; they reach the
/// server as the Basic authorization they stand for.
#[test]
fn credentials_in_the_service_url_are_never_printed() {
    let server = Server::start();
    let home = Home::new();
    let url = server
        .url()
        .replacen("http://", &format!("http://bob:{HIDDEN}@"), 1);
    let hidden_url = server.url().replacen("http://", "http://<redacted>@", 1);
    let mut c = home.cmd(&["call", "media", "list", "--debug", "-o", "json"]);
    c.env("KALTURA_SERVICE_URL", &url).env("KALTURA_KS", "KS");
    let out = run(c);
    out.expect(0).says("> POST ").never_shows(HIDDEN);
    let sent = server.standin.requests();
    let auth = sent[0]
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.clone());
    // base64("bob:hunter2-do-not-print")
    assert_eq!(
        auth.as_deref(),
        Some("Basic Ym9iOmh1bnRlcjItZG8tbm90LXByaW50")
    );

    let mut c = home.cmd(&["call", "media", "list", "--curl"]);
    c.env("KALTURA_SERVICE_URL", &url).env("KALTURA_KS", "KS");
    let out = run(c);
    out.expect(0).never_shows(HIDDEN);
    assert!(out.stdout.contains(&hidden_url), "{}", out.stdout);

    home.profile("dev", &url);
    home.run(&["profile", "list"]).expect(0).never_shows(HIDDEN);
    home.run(&["profile", "list", "-o", "json"])
        .expect(0)
        .never_shows(HIDDEN);
    let out = home.run(&["profile", "show", "dev"]);
    out.expect(0).never_shows(HIDDEN);
    assert!(out.stdout.contains(&hidden_url), "{}", out.stdout);
    home.run(&["session", "start"])
        .expect(0)
        .never_shows(HIDDEN);
    let out = home.run(&["session", "show"]);
    out.expect(0).never_shows(HIDDEN);
    assert!(out.stdout.contains(&hidden_url), "{}", out.stdout);
    let mut c = home.cmd(&["session", "end"]);
    c.env(
        "KALTURA_SERVICE_URL",
        format!("http://bob:{HIDDEN}@127.0.0.1:1"),
    );
    run(c).expect(2).never_shows(HIDDEN);
    let mut c = home.cmd(&["call", "media", "list"]);
    c.env("KALTURA_SERVICE_URL", format!("ftp://bob:{HIDDEN}@host"))
        .env("KALTURA_KS", "KS");
    run(c).expect(2).never_shows(HIDDEN);
    let mut c = home.cmd(&["call", "media", "list"]);
    c.env(
        "KALTURA_SERVICE_URL",
        format!("http://bob:{HIDDEN}@kaltura.example.com"),
    )
    .env("KALTURA_KS", "KS");
    run(c)
        .expect(2)
        .says("<redacted>@kaltura.example.com")
        .never_shows(HIDDEN);
}

// ------------------------------------------- 2. --debug and what the server echoes

/// `--debug` against a server whose `INVALID_KS` answer quotes the KS in `message` and
/// `args` (once as sent, once with the other base64 alphabet) and then a KS it made
/// itself: none of them reaches the terminal, whatever the command prints.
#[test]
fn debug_never_prints_a_ks_the_server_echoes() {
    let secret = kaltura_ks::AdminSecret::new(SECRET).expect("a secret");
    let ks = kaltura_ks::KsBuilder::new(PARTNER, kaltura_ks::SessionType::Admin)
        .expires_in(3600)
        .generate_v2(&secret)
        .expect("a KS");
    let sent = ks.expose().to_string();
    let swapped = sent.replace('-', "+").replace('_', "/");
    let made = kaltura_ks::KsBuilder::new(PARTNER, kaltura_ks::SessionType::User)
        .user_id("made-by-the-server")
        .expires_in(3600)
        .generate_v1(&secret)
        .expect("a KS")
        .expose()
        .to_string();
    let (echo, other) = (swapped.clone(), made.clone());
    let server = Server::with(move |r| match r.service_action().as_str() {
        "media.list" => Reply::json(
            json!({
                "objectType": "KalturaAPIException",
                "code": "INVALID_KS",
                "message": format!("Invalid KS \"{echo}\". Error \"-1,INVALID_STR\""),
                "args": {"KSID": echo, "OTHER": other},
            })
            .to_string(),
        ),
        _ => Reply::json("null"),
    });
    let home = Home::new();
    for args in [
        vec!["--debug", "call", "media", "list"],
        vec!["--debug", "--output", "json", "call", "media", "list"],
        vec!["--debug", "--output", "yaml", "call", "media", "list"],
    ] {
        let mut cmd = home.cmd(&args);
        cmd.env("KALTURA_SERVICE_URL", server.url())
            .env("KALTURA_KS", &sent);
        let out = run(cmd);
        assert!(
            out.stderr.contains("> POST"),
            "--debug printed the exchange: {}",
            out.stderr
        );
        for ks in [&sent, &swapped, &made] {
            out.never_shows(&ks[..16]);
        }
    }
}
