//! The `kaltura` binary end to end: each command run as a process, against the
//! workspace's stand-in Kaltura server on 127.0.0.1 where a server is needed. Checks
//! the output, the exit code and the requests the server received, and that secrets,
//! passwords and the KS never show where they should not.

use kaltura_tests::standin::{Recorded, Reply, StandIn};
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

const SECRET: &str = "a7f3c9e1b5d2f8a4c6e0b9d3f7a1c5e2";
const PASSWORD: &str = "Pa55-w0rd-for-tests";
const PARTNER: i64 = 1234567;
const KS: &str = "djJ8MTIzNDU2N3xTVEFORElOX0tTX0ZPUl9DTElfVEVTVFM";

/// Variables the binary reads, removed so the caller's environment cannot leak in.
const ENV: &[&str] = &[
    "KALTURA_SERVICE_URL",
    "KALTURA_KS",
    "KALTURA_PARTNER_ID",
    "KALTURA_ADMIN_SECRET",
    "KALTURA_PASSWORD",
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
    raw_stdout: Vec<u8>,
}

impl Out {
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
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
        raw_stdout: out.stdout,
    }
}

fn kal(args: &[&str]) -> Out {
    run(kaltura(args))
}

/// A stand-in server with its own runtime; the runtime's worker serves requests while
/// the test thread waits for the binary.
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

    /// `kaltura ARGS` against this server, with the test KS.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = kaltura(args);
        c.env("KALTURA_SERVICE_URL", self.standin.url())
            .env("KALTURA_KS", KS);
        c
    }

    fn run(&self, args: &[&str]) -> Out {
        run(self.cmd(args))
    }

    fn requests(&self) -> Vec<Recorded> {
        self.standin.requests()
    }

    fn only_request(&self) -> Recorded {
        let all = self.requests();
        assert_eq!(all.len(), 1, "requests: {all:#?}");
        all.into_iter().next().expect("one request")
    }
}

fn api_error(code: &str, message: &str) -> Reply {
    Reply::json(
        json!({"objectType": "KalturaAPIException", "code": code, "message": message, "args": []})
            .to_string(),
    )
}

fn list_response() -> Value {
    json!({
        "objectType": "KalturaMediaListResponse",
        "totalCount": 2,
        "objects": [
            {"objectType": "KalturaMediaEntry", "id": "0_intro1", "name": "Intro one", "mediaType": 1, "createdAt": 2000000000},
            {"objectType": "KalturaMediaEntry", "id": "0_intro2", "name": "Intro two", "mediaType": 1, "createdAt": 2000000100},
        ]
    })
}

// ---------------------------------------------------------------- help and usage

#[test]
fn help_documents_exit_codes_environment_and_examples() {
    let out = kal(&["--help"]);
    out.expect(0);
    for needle in [
        "Exit codes",
        "KALTURA_ADMIN_SECRET",
        "KALTURA_KS",
        "  3  ",
        "  4  ",
    ] {
        assert!(out.stdout.contains(needle), "{needle}:\n{}", out.stdout);
    }
    for cmd in [
        &["ks", "generate"][..],
        &["ks", "inspect"],
        &["call"],
        &["api"],
        &["session", "start"],
        &["login"],
        &["upload"],
    ] {
        let mut args = cmd.to_vec();
        args.push("--help");
        let out = kal(&args);
        out.expect(0);
        assert!(out.stdout.contains("Examples:"), "{cmd:?}:\n{}", out.stdout);
    }
    // The KS from the environment is never shown by --help.
    let out = run({
        let mut c = kaltura(&["call", "--help"]);
        c.env("KALTURA_KS", KS);
        c
    });
    out.expect(0);
    assert!(!out.stdout.contains(KS));
}

#[test]
fn bad_flags_are_usage_errors() {
    kal(&["call"]).expect(2);
    kal(&["no-such-command"]).expect(2);
    kal(&["ks", "generate", "--partner-id", "abc"]).expect(2);
    let out = kal(&["upload", "f.bin", "--chunk-size", "5XB"]);
    out.expect(2);
    assert!(out.stderr.contains("512KiB"), "{}", out.stderr);
    kal(&["ks", "generate", "--partner-id", "1", "--type", "root"]).expect(2);
}

// ---------------------------------------------------------------- ks

fn generate(args: &[&str]) -> Out {
    let mut c = kaltura(&[&["ks", "generate"][..], args].concat());
    c.env("KALTURA_ADMIN_SECRET", SECRET);
    run(c)
}

/// Writes `text` to a file only its owner may read, as secret files must be.
fn private_file(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).expect("write");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
}

/// `ks inspect` with the KS in KALTURA_KS (never on the command line).
fn inspect(ks: &str, secret: Option<&str>, extra: &[&str]) -> Out {
    let mut c = kaltura(&[&["ks", "inspect"][..], extra].concat());
    c.env("KALTURA_KS", ks);
    if let Some(s) = secret {
        c.env("KALTURA_ADMIN_SECRET", s);
    }
    run(c)
}

#[test]
fn ks_generate_and_inspect_round_trip() {
    for format in ["v1", "v2"] {
        let out = generate(&[
            "--partner-id",
            "1234567",
            "--type",
            "admin",
            "--user",
            "bob@example.com",
            "--expiry",
            "2h",
            "--privileges",
            "disableentitlement,edit:0_abc",
            "--format",
            format,
        ]);
        out.expect(0);
        assert!(out.stderr.is_empty(), "{}", out.stderr);
        let ks = out.stdout.trim().to_string();
        assert_eq!(out.stdout, format!("{ks}\n"));
        assert!(!out.all().contains(SECRET));

        let report = inspect(&ks, Some(SECRET), &[]);
        report.expect(0);
        let text = &report.stdout;
        for needle in [
            &format!("version:    {format}")[..],
            "partner:    1234567",
            "type:       ADMIN (2)",
            "user:       bob@example.com",
            "privileges: disableentitlement,edit:0_abc",
            "signature:  valid",
        ] {
            assert!(text.contains(needle), "{needle}:\n{text}");
        }
        // Two hours, less the time since generation.
        assert!(
            text.contains("(in 2h)") || text.contains("(in 1h 59m)"),
            "{text}"
        );
        assert!(!report.all().contains(SECRET));

        let report = inspect(&ks, Some(SECRET), &["--json"]);
        report.expect(0);
        let v = report.json();
        assert_eq!(v["partnerId"], PARTNER);
        assert_eq!(v["type"], 2);
        assert_eq!(v["userId"], "bob@example.com");
        assert_eq!(v["signature"], "valid");
        assert_eq!(v["expired"], false);
        let expires = v["expiresAt"].as_str().expect("a date");
        assert!(expires.ends_with('Z') && expires.len() == 20, "{expires}");
    }
}

#[test]
fn ks_inspect_without_secret_wrong_secret_expired_and_garbage() {
    let v1 = generate(&["--partner-id", "42", "--format", "v1", "--expiry", "-3600"]);
    v1.expect(0);
    let v1 = v1.stdout.trim().to_string();
    // Readable without the secret, unverified; expired an hour ago.
    let out = inspect(&v1, None, &[]);
    out.expect(0);
    assert!(out.stdout.contains("partner:    42"), "{}", out.stdout);
    assert!(
        out.stdout.contains("type:       USER (0)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("(anonymous)"), "{}", out.stdout);
    assert!(out.stdout.contains("(expired 1h ago)"), "{}", out.stdout);
    assert!(out.stdout.contains("not checked"), "{}", out.stdout);

    // A v2 KS shows only its partner without the secret.
    let v2 = generate(&["--partner-id", "42"]);
    let v2 = v2.stdout.trim().to_string();
    let out = inspect(&v2, None, &["--json"]);
    out.expect(0);
    let v = out.json();
    assert_eq!(v["partnerId"], 42);
    assert_eq!(v["signature"], "unchecked");
    assert!(v.get("userId").is_none());

    // The wrong secret: the report says so and the exit code is the KS one.
    let dir = tempfile::tempdir().expect("temp dir");
    let wrong = dir.path().join("secret");
    private_file(&wrong, "ffffffffffffffffffffffffffffffff\n");
    let wrong = wrong.to_str().expect("utf-8 path");
    for ks in [&v1, &v2] {
        let out = inspect(ks, None, &["--secret-file", wrong]);
        out.expect(5);
        assert!(out.all().contains("does not match"), "{}", out.all());
        assert!(!out.all().contains("ffffffffffffffff"));
    }

    // The KS may come from KALTURA_KS.
    let mut c = kaltura(&["ks", "inspect"]);
    c.env("KALTURA_KS", &v1);
    run(c).expect(0);

    let out = inspect("this is not a KS!", None, &[]);
    out.expect(5);
    assert!(out.stderr.contains("KS error"), "{}", out.stderr);
    kal(&["ks", "inspect"]).expect(2);
}

#[test]
fn ks_generate_needs_a_good_secret_from_outside_the_command_line() {
    let out = kal(&["ks", "generate", "--partner-id", "1"]);
    out.expect(2);
    assert!(
        out.stderr.contains("KALTURA_ADMIN_SECRET"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());

    let mut c = kaltura(&["ks", "generate", "--partner-id", "1"]);
    c.env("KALTURA_ADMIN_SECRET", "one,two");
    let out = run(c);
    out.expect(5);
    assert!(!out.all().contains("one,two"));

    // A secret file wins over the environment.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("secret");
    private_file(&file, &format!("{SECRET}\n"));
    let file = file.to_str().expect("utf-8 path");
    let out = kal(&["ks", "generate", "--partner-id", "7", "--secret-file", file]);
    out.expect(0);
    let ks = out.stdout.trim().to_string();
    inspect(&ks, Some(SECRET), &[]).expect(0);
    kal(&[
        "ks",
        "generate",
        "--partner-id",
        "7",
        "--secret-file",
        "/no/such/file",
    ])
    .expect(2);
    // v1 refuses a `;` in the user id (the server would misread it).
    generate(&["--partner-id", "7", "--format", "v1", "--user", "a;b"]).expect(5);
}

// ---------------------------------------------------------------- call

#[test]
fn call_sends_checked_native_json_and_prints_json() {
    let server = Server::start(|r| match r.service_action().as_str() {
        "media.list" => Reply::json(list_response().to_string()),
        _ => api_error("SERVICE_DOES_NOT_EXISTS", "no such service"),
    });
    let out = server.run(&[
        "call",
        "media",
        "list",
        "filter:objectType=KalturaMediaEntryFilter",
        "filter:nameLike=intro",
        "filter:mediaTypeEqual=VIDEO",
        "filter:statusIn=2,7",
        "pager:pageSize=5",
        "--partner-id",
        "99",
    ]);
    out.expect(0);
    assert_eq!(out.json(), list_response());
    let sent = server.only_request();
    assert_eq!(sent.path, "/api_v3/service/media/action/list");
    let body = sent.json().expect("a JSON body");
    assert_eq!(
        body["filter"],
        json!({"objectType": "KalturaMediaEntryFilter", "nameLike": "intro", "mediaTypeEqual": 1, "statusIn": "2,7"})
    );
    assert_eq!(
        body["pager"],
        json!({"objectType": "KalturaFilterPager", "pageSize": 5})
    );
    assert_eq!(body["ks"], KS);
    assert_eq!(body["partnerId"], 99);
    assert_eq!(body["format"], 1);
}

#[test]
fn call_prints_list_tables() {
    let server = Server::start(|_| Reply::json(list_response().to_string()));
    let out = server.run(&["call", "media", "list", "--output", "table"]);
    out.expect(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with("id ") && lines[0].contains("mediaType"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("0_intro1  Intro one"), "{}", out.stdout);
    assert!(
        out.stdout.contains("2033-05-18T03:33:20Z"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.ends_with("2 objects shown, 2 in all\n"),
        "{}",
        out.stdout
    );

    let out = server.run(&[
        "call",
        "media",
        "list",
        "-o",
        "table",
        "--columns",
        "name,id",
    ]);
    out.expect(0);
    assert!(out.stdout.starts_with("name       id\n"), "{}", out.stdout);
    server
        .run(&["call", "media", "list", "-o", "json", "--columns", "id"])
        .expect(2);
}

#[test]
fn call_refuses_bad_input_before_sending() {
    let server = Server::start(|_| Reply::json("{}"));
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["medai", "list"],
            &["unknown service `medai`", "did you mean `media`"],
        ),
        (
            &["media", "lst"],
            &["no action `lst`", "did you mean `list`"],
        ),
        (
            &["media", "list", "fitler:nameLike=x"],
            &["no parameter `fitler`", "did you mean `filter`"],
        ),
        (
            &["media", "list", "filter:nameLik=x"],
            &["no property `nameLik`", "did you mean `nameLike`"],
        ),
        (
            &["media", "list", "pager:pageSize=abc"],
            &["pager:pageSize", "int"],
        ),
        (&["media", "get"], &["needs the parameter entryId (string)"]),
        (
            &["media", "list", "filter:objectType=KalturaUserFilter"],
            &["not a kind of KalturaMediaEntryFilter"],
        ),
        (
            &["media", "list", "filter:objectType=KalturaMediaEntryFiltr"],
            &["did you mean `KalturaMediaEntryFilter`"],
        ),
        (
            &["media", "list", "filter:mediaTypeEqual=MOVIE"],
            &["KalturaMediaType", "VIDEO (1)"],
        ),
        (&["media", "add", "entry:id=0_x"], &["read-only"]),
        (
            &["media", "addContent", "entryId=1", "resource:url=x"],
            &["abstract"],
        ),
        (
            &["media", "upload", "fileData=@/no/such/file.mp4"],
            &["/no/such/file.mp4"],
        ),
        (
            &["media", "list", "pager:pageSize=1", "pager:pageSize=2"],
            &["more than once"],
        ),
        (&["media", "list", "oops"], &["NAME=VALUE"]),
        (
            &["thumbAsset", "serve", "thumbAssetId=1", "version=x"],
            &["version", "int"],
        ),
    ];
    for (args, needles) in cases {
        let out = server.run(&[&["call"][..], args].concat());
        out.expect(2);
        for needle in *needles {
            assert!(
                out.stderr.contains(needle),
                "{args:?}: {needle}\n{}",
                out.stderr
            );
        }
    }
    assert!(server.requests().is_empty(), "{:#?}", server.requests());
}

#[test]
fn call_clears_fields_sends_arrays_bools_and_files() {
    let server = Server::start(|r| match r.service_action().as_str() {
        "media.update" => Reply::json(r#"{"objectType":"KalturaMediaEntry","id":"0_abc"}"#),
        "report.execute" => Reply::json(r#"{"objectType":"KalturaReportResponse"}"#),
        "uploadtoken.upload" => Reply::json(r#"{"objectType":"KalturaUploadToken","id":"1_tok"}"#),
        _ => api_error("UNEXPECTED", "unexpected call"),
    });
    server
        .run(&[
            "call",
            "media",
            "update",
            "entryId=0_abc",
            "mediaEntry:description=__null",
            "mediaEntry:tags=a,b",
        ])
        .expect(0);
    server
        .run(&[
            "call",
            "report",
            "execute",
            "id=7",
            "params:0:key=from",
            "params:0:value=1",
            "params:1:key=to",
        ])
        .expect(0);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("chunk.bin");
    std::fs::write(&file, b"0123456789").expect("write");
    let at = format!("fileData=@{}", file.display());
    server
        .run(&[
            "call",
            "uploadToken",
            "upload",
            "uploadTokenId=1_tok",
            &at,
            "resume=yes",
            "finalChunk=false",
            "resumeAt=10",
        ])
        .expect(0);

    let sent = server.requests();
    assert_eq!(sent.len(), 3);
    let update = sent[0].json().expect("json");
    assert_eq!(
        update["mediaEntry"],
        json!({"objectType": "KalturaMediaEntry", "description__null": "", "tags": "a,b"})
    );
    let report = sent[1].json().expect("json");
    assert_eq!(report["id"], 7);
    assert_eq!(
        report["params"],
        json!([{"objectType": "KalturaKeyValue", "key": "from", "value": "1"}, {"objectType": "KalturaKeyValue", "key": "to"}])
    );
    let upload = &sent[2];
    assert!(upload.is_multipart());
    let params = upload.json().expect("json part");
    assert_eq!(params["resume"], true);
    assert_eq!(params["finalChunk"], false);
    assert_eq!(params["resumeAt"], 10.0);
    let parts = upload.parts().expect("parts");
    let data = parts
        .iter()
        .find(|p| p.name == "fileData")
        .expect("the file part");
    assert_eq!(data.body, b"0123456789");
    assert_eq!(data.filename.as_deref(), Some("chunk.bin"));
}

#[test]
fn call_writes_served_files() {
    let server = Server::start(|r| match r.service_action().as_str() {
        "thumbasset.serve" => Reply::raw(200, "image/jpeg", b"\xFF\xD8jpeg-bytes\xFF\xD9".to_vec()),
        _ => api_error("UNEXPECTED", "unexpected call"),
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("thumb.jpg");
    let path_text = path.to_str().expect("utf-8 path");
    server
        .run(&[
            "call",
            "thumbAsset",
            "serve",
            "thumbAssetId=0_t",
            "--out",
            path_text,
        ])
        .expect(0);
    assert_eq!(
        std::fs::read(&path).expect("written"),
        b"\xFF\xD8jpeg-bytes\xFF\xD9"
    );
    let out = server.run(&["call", "thumbAsset", "serve", "thumbAssetId=0_t"]);
    out.expect(0);
    assert_eq!(out.raw_stdout, b"\xFF\xD8jpeg-bytes\xFF\xD9");
}

#[test]
fn an_expired_ks_is_an_api_error_with_its_code() {
    let server = Server::start(|r| {
        let ks = r
            .json()
            .and_then(|j| j["ks"].as_str().map(str::to_string))
            .unwrap_or_default();
        api_error("EXPIRED_KS", &format!("KS \"{ks}\" has expired"))
    });
    let out = server.run(&["call", "media", "list"]);
    out.expect(3);
    assert!(out.stderr.contains("EXPIRED_KS"), "{}", out.stderr);
    assert!(out.stderr.contains("has expired"), "{}", out.stderr);
    assert!(out.stderr.contains("hint:"), "{}", out.stderr);
    assert!(!out.all().contains(KS), "the KS leaked:\n{}", out.all());
    assert!(out.stdout.is_empty());
}

#[test]
fn answers_that_are_not_api_json_are_transport_errors() {
    let server = Server::start(|r| match r.service_action().as_str() {
        "media.list" => Reply::raw(200, "text/html", "<html><body>Maintenance</body></html>"),
        _ => Reply::raw(502, "text/html", "<html>Bad gateway</html>"),
    });
    let out = server.run(&["call", "media", "list"]);
    out.expect(4);
    assert!(out.stderr.contains("Maintenance"), "{}", out.stderr);
    let out = server.run(&["call", "media", "get", "entryId=0_x"]);
    out.expect(4);
    assert!(out.stderr.contains("502"), "{}", out.stderr);

    // Nothing listens on the port of a dropped listener.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let mut c = kaltura(&["call", "media", "list"]);
    c.env("KALTURA_SERVICE_URL", format!("http://127.0.0.1:{port}"));
    let out = run(c);
    out.expect(4);
    assert!(out.stderr.contains("connect"), "{}", out.stderr);
    // A service URL that is not one is a usage error.
    let mut c = kaltura(&["call", "media", "list", "--service-url", "ftp://x"]);
    c.env("KALTURA_KS", KS);
    run(c).expect(2);
}

// ---------------------------------------------------------------- api

#[test]
fn api_describes_services_actions_and_types() {
    let out = kal(&["api"]);
    out.expect(0);
    assert!(out.stdout.contains("uploadtoken") && out.stdout.contains("uploadToken"));
    let out = kal(&["api", "media"]);
    out.expect(0);
    assert!(out.stdout.contains("[filter] [pager]"), "{}", out.stdout);
    let out = kal(&["api", "media", "list"]);
    out.expect(0);
    assert!(
        out.stdout.contains("KalturaMediaEntryFilter"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("result: KalturaMediaListResponse"),
        "{}",
        out.stdout
    );
    let out = kal(&["api", "--types", "KalturaMediaEntry"]);
    out.expect(0);
    assert!(out.stdout.contains("read-only") && out.stdout.contains("KalturaBaseEntry"));
    let out = kal(&["api", "--types", "KalturaMediaType"]);
    out.expect(0);
    assert!(out.stdout.contains("VIDEO"), "{}", out.stdout);

    let out = kal(&["api", "--json"]);
    out.expect(0);
    let v = out.json();
    assert!(v["apiVersion"].is_string());
    let media = v["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["id"] == "media")
        .expect("media");
    assert!(media["actions"]
        .as_array()
        .expect("actions")
        .contains(&json!("list")));
    let v = kal(&["api", "media", "list", "--json"]).json();
    assert_eq!(v["params"][0]["name"], "filter");
    assert_eq!(v["params"][0]["optional"], true);
    let v = kal(&["api", "--types", "KalturaFilterPager", "--json"]).json();
    assert_eq!(v["properties"][0]["declaredIn"], "KalturaPager");

    let out = kal(&["api", "medai"]);
    out.expect(2);
    assert!(
        out.stderr.contains("did you mean `media`"),
        "{}",
        out.stderr
    );
    kal(&["api", "media", "nope"]).expect(2);
    kal(&["api", "--types", "KalturaNoSuchThing"]).expect(2);
    kal(&["api", "media", "--types", "KalturaMediaEntry"]).expect(2);
}

// ---------------------------------------------------------------- sessions

fn session_server() -> Server {
    Server::start(|r| {
        let p = r.json().unwrap_or(Value::Null);
        match r.service_action().as_str() {
            "session.start" => {
                if p["secret"] == SECRET
                    && p["partnerId"] == PARTNER
                    && p["type"] == 2
                    && p["userId"] == "bob"
                    && p["expiry"] == 3600
                {
                    Reply::json(format!("\"{KS}\""))
                } else {
                    api_error(
                        "START_SESSION_ERROR",
                        &format!(
                            "Error while starting session for partner [{}] with secret [{}]",
                            p["partnerId"],
                            p["secret"].as_str().unwrap_or("")
                        ),
                    )
                }
            }
            "user.loginByLoginId" => {
                if p["loginId"] == "bob@example.com"
                    && p["password"] == PASSWORD
                    && p["partnerId"] == PARTNER
                {
                    Reply::json(format!("\"{KS}\""))
                } else {
                    api_error("USER_WRONG_PASSWORD", "Wrong password supplied")
                }
            }
            _ => api_error("UNEXPECTED", "unexpected call"),
        }
    })
}

#[test]
fn session_start_prints_the_ks_and_never_the_secret() {
    let server = session_server();
    let args = [
        "session",
        "start",
        "--partner-id",
        "1234567",
        "--type",
        "admin",
        "--user",
        "bob",
        "--expiry",
        "1h",
    ];
    let mut c = server.cmd(&args);
    c.env_remove("KALTURA_KS")
        .env("KALTURA_ADMIN_SECRET", SECRET);
    let out = run(c);
    out.expect(0);
    assert_eq!(out.stdout, format!("{KS}\n"));
    assert!(!out.all().contains(SECRET));
    let sent = server.only_request();
    assert!(sent.json().expect("json").get("ks").is_none());

    // The server echoes a wrong secret in its message: it is blanked out.
    let mut c = server.cmd(&args);
    c.env("KALTURA_ADMIN_SECRET", "0000-wrong-secret-0000");
    let out = run(c);
    out.expect(3);
    assert!(out.stderr.contains("START_SESSION_ERROR"), "{}", out.stderr);
    assert!(
        !out.all().contains("0000-wrong-secret-0000"),
        "{}",
        out.all()
    );

    // No secret and no terminal to ask on: refused before sending.
    let before = server.requests().len();
    let out = server.run(&args);
    out.expect(2);
    assert!(
        out.stderr.contains("KALTURA_ADMIN_SECRET"),
        "{}",
        out.stderr
    );
    assert_eq!(server.requests().len(), before);
}

#[test]
fn login_prints_the_ks_and_never_the_password() {
    let server = session_server();
    let args = [
        "login",
        "--login-id",
        "bob@example.com",
        "--partner-id",
        "1234567",
    ];
    let mut c = server.cmd(&args);
    c.env("KALTURA_PASSWORD", PASSWORD);
    let out = run(c);
    out.expect(0);
    assert_eq!(out.stdout, format!("{KS}\n"));
    assert!(!out.all().contains(PASSWORD));

    let mut c = server.cmd(&args);
    c.env("KALTURA_PASSWORD", "not-the-password");
    let out = run(c);
    out.expect(3);
    assert!(out.stderr.contains("USER_WRONG_PASSWORD"), "{}", out.stderr);
    assert!(!out.all().contains("not-the-password"));

    let out = server.run(&args);
    out.expect(2);
    assert!(out.stderr.contains("KALTURA_PASSWORD"), "{}", out.stderr);
}

// ---------------------------------------------------------------- upload

/// A stand-in for upload tokens: one token, its bytes and the chunk calls seen.
#[derive(Default)]
struct Tokens {
    bytes: Vec<u8>,
    /// (resume, resumeAt, finalChunk, length) of each chunk.
    chunks: Vec<(Value, Value, Value, usize)>,
    status: i64,
    /// Fail the chunk that starts at this offset.
    fail_at: Option<u64>,
    file_size: u64,
}

fn upload_server(state: Arc<Mutex<Tokens>>) -> Server {
    Server::start(move |r| {
        let p = r.json().unwrap_or(Value::Null);
        let mut s = state.lock().expect("state");
        match r.service_action().as_str() {
            "uploadtoken.add" => {
                s.file_size = p["uploadToken"]["fileSize"].as_f64().unwrap_or(0.0) as u64;
                Reply::json(json!({"objectType": "KalturaUploadToken", "id": "1_tok", "status": 0}).to_string())
            }
            "uploadtoken.get" => Reply::json(
                json!({"objectType": "KalturaUploadToken", "id": p["uploadTokenId"], "status": s.status,
                       "uploadedFileSize": s.bytes.len(), "fileSize": s.file_size})
                .to_string(),
            ),
            "uploadtoken.upload" => {
                // A float in the schema, sent as a JSON float (1024.0).
                let at = p["resumeAt"].as_f64().unwrap_or(0.0) as u64;
                if s.fail_at == Some(at) {
                    s.fail_at = None;
                    return api_error("UPLOAD_ERROR", "storage failed");
                }
                let part = r
                    .parts()
                    .and_then(|parts| parts.into_iter().find(|x| x.name == "fileData"))
                    .map(|x| x.body)
                    .unwrap_or_default();
                if at as usize != s.bytes.len() {
                    return api_error("UPLOAD_TOKEN_RESUMING_ERROR", "bad resumeAt");
                }
                s.chunks.push((p["resume"].clone(), p["resumeAt"].clone(), p["finalChunk"].clone(), part.len()));
                s.bytes.extend_from_slice(&part);
                s.status = if p["finalChunk"] == true { 2 } else { 1 };
                Reply::json(json!({"objectType": "KalturaUploadToken", "id": "1_tok", "status": s.status}).to_string())
            }
            _ => api_error("UNEXPECTED", "unexpected call"),
        }
    })
}

fn test_file(dir: &Path, len: usize) -> (String, Vec<u8>) {
    let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
    let path = dir.join("video.mp4");
    std::fs::write(&path, &data).expect("write");
    (path.to_str().expect("utf-8 path").to_string(), data)
}

#[test]
fn upload_sends_chunks_and_prints_the_token() {
    let state = Arc::new(Mutex::new(Tokens::default()));
    let server = upload_server(state.clone());
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, data) = test_file(dir.path(), 2500);
    let out = server.run(&["upload", &path, "--chunk-size", "1KiB"]);
    out.expect(0);
    assert_eq!(out.stdout, "1_tok\n");
    let s = state.lock().expect("state");
    assert_eq!(s.bytes, data);
    assert_eq!(s.file_size, 2500);
    assert_eq!(
        s.chunks,
        vec![
            (json!(false), json!(0.0), json!(false), 1024),
            (json!(true), json!(1024.0), json!(false), 1024),
            (json!(true), json!(2048.0), json!(true), 452),
        ]
    );
    let add = &server.requests()[0];
    assert_eq!(add.service_action(), "uploadtoken.add");
    assert_eq!(
        add.json().expect("json")["uploadToken"]["fileName"],
        "video.mp4"
    );
}

#[test]
fn upload_resumes_where_the_server_stopped() {
    let state = Arc::new(Mutex::new(Tokens {
        fail_at: Some(2000),
        ..Tokens::default()
    }));
    let server = upload_server(state.clone());
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, data) = test_file(dir.path(), 4500);
    let out = server.run(&["upload", &path, "--chunk-size", "1000"]);
    out.expect(3);
    assert!(out.stderr.contains("UPLOAD_ERROR"), "{}", out.stderr);
    assert!(out.stderr.contains("--resume 1_tok"), "{}", out.stderr);
    assert_eq!(state.lock().expect("state").bytes.len(), 2000);

    let out = server.run(&["upload", &path, "--chunk-size", "1000", "--resume", "1_tok"]);
    out.expect(0);
    assert_eq!(out.stdout, "1_tok\n");
    let s = state.lock().expect("state");
    assert_eq!(s.bytes, data);
    let resumed: Vec<_> = s.chunks[2..]
        .iter()
        .map(|c| (c.1.clone(), c.2.clone()))
        .collect();
    assert_eq!(
        resumed,
        vec![
            (json!(2000.0), json!(false)),
            (json!(3000.0), json!(false)),
            (json!(4000.0), json!(true))
        ]
    );
    assert!(s.chunks[2..].iter().all(|c| c.0 == true));
    drop(s);

    // A complete token is not sent to again.
    let before = server.requests().len();
    server
        .run(&["upload", &path, "--resume", "1_tok"])
        .expect(0);
    assert_eq!(server.requests().len(), before + 1);
    // Another file than the token's is refused.
    let other_dir = tempfile::tempdir().expect("temp dir");
    let (other, _) = test_file(other_dir.path(), 10);
    let out = server.run(&["upload", &other, "--resume", "1_tok"]);
    out.expect(2);
    assert!(out.stderr.contains("same file"), "{}", out.stderr);
    assert!(!out.stderr.contains("--resume"), "{}", out.stderr);
}

#[test]
fn upload_refuses_missing_files_and_bad_sizes_before_sending() {
    let server = Server::start(|_| Reply::json("{}"));
    server.run(&["upload", "/no/such/video.mp4"]).expect(2);
    server
        .run(&["upload", "Cargo.toml", "--chunk-size", "0"])
        .expect(2);
    server
        .run(&["upload", "Cargo.toml", "--chunk-size", "lots"])
        .expect(2);
    assert!(server.requests().is_empty());
}
