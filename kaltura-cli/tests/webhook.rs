//! `kaltura webhook verify` and `kaltura webhook listen`, run as the built binary:
//! the server's example notification bodies (`tests/data/webhooks/`) with signatures
//! computed outside this repository, refusals and their exit codes, the secret file's
//! permissions, and a listener on 127.0.0.1 answering real HTTP requests.

use kaltura_tests::data_file;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ENV: &[&str] = &[
    "KALTURA_SERVICE_URL",
    "KALTURA_KS",
    "KALTURA_PARTNER_ID",
    "KALTURA_ADMIN_SECRET",
    "KALTURA_PROFILE",
];

struct Vendor {
    secret: String,
    signatures: Value,
}

fn vendor() -> Vendor {
    let text = std::fs::read_to_string(data_file("webhooks/signatures.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    Vendor {
        secret: v["secret"].as_str().unwrap().to_string(),
        signatures: v["signatures"].clone(),
    }
}

impl Vendor {
    fn signature(&self, file: &str, algo: &str) -> String {
        self.signatures[file][algo].as_str().unwrap().to_string()
    }
}

/// A folder of the test's own, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("kaltura-webhook-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        Scratch(dir)
    }

    /// A secret file with these permissions.
    fn secret_file(&self, secret: &str, mode: u32) -> PathBuf {
        let path = self.0.join(format!("secret-{mode:o}"));
        std::fs::write(&path, format!("{secret}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn kaltura(args: &[&str], scratch: &Scratch) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kaltura"));
    c.args(args);
    for var in ENV {
        c.env_remove(var);
    }
    // Never the developer's own profiles.
    c.env("KALTURA_CONFIG_DIR", scratch.0.join("config"))
        .env("KALTURA_CACHE_DIR", scratch.0.join("cache"));
    c
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `kaltura webhook verify ARGS < body`.
fn verify(scratch: &Scratch, args: &[&str], body: &[u8]) -> Out {
    let mut all = vec!["webhook", "verify"];
    all.extend_from_slice(args);
    let mut child = kaltura(&all, scratch)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A refusal before the body is read (a usage error, an unsafe secret file) closes
    // the pipe early; the exit code tells.
    let _ = child.stdin.take().unwrap().write_all(body);
    let out = child.wait_with_output().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn body(file: &str) -> Vec<u8> {
    std::fs::read(data_file(&format!("webhooks/{file}"))).unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn verify_prints_each_vendor_body_as_json() {
    let v = vendor();
    let scratch = Scratch::new("verify");
    let secret = scratch.secret_file(&v.secret, 0o600);
    for (file, algo, job) in [
        ("json.txt", "sha256", 12085),
        ("xml.txt", "sha512", 12091),
        ("object.txt", "sha1", 12114),
    ] {
        let sig = v.signature(file, algo);
        let mut args = vec![
            "--secret-file",
            path(&secret),
            "--signature",
            &sig,
            "--hash-algo",
            algo,
        ];
        if file == "object.txt" {
            args.push("--php");
        }
        let out = verify(&scratch, &args, &body(file));
        assert_eq!(out.code, 0, "{file}: {}", out.stderr);
        let n: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(
            n["eventNotificationJobId"].to_string().trim_matches('"'),
            job.to_string()
        );
        assert!(
            n["object"]["id"].as_str().unwrap().starts_with("0_"),
            "{file}"
        );
        assert!(!out.stdout.contains(&v.secret) && !out.stderr.contains(&v.secret));
    }
}

#[test]
fn verify_takes_the_secret_from_the_environment_and_the_global_output() {
    let v = vendor();
    let scratch = Scratch::new("env");
    let sig = v.signature("json.txt", "sha1");
    let mut child = kaltura(
        &["webhook", "verify", "--signature", &sig, "-o", "raw"],
        &scratch,
    )
    .env("KALTURA_ADMIN_SECRET", &v.secret)
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&body("json.txt"))
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Compact JSON on one line.
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("\"templateId\":340"), "{text}");
}

#[test]
fn verify_refuses_and_says_why() {
    let v = vendor();
    let scratch = Scratch::new("refuse");
    let secret = scratch.secret_file(&v.secret, 0o600);
    let sig = v.signature("json.txt", "sha256");
    let json = body("json.txt");
    let mut altered = json.clone();
    altered.push(b'\n');
    for (args, body, says) in [
        (
            vec!["--signature", &sig, "--hash-algo", "sha256"],
            altered,
            "does not match",
        ),
        (vec!["--signature", &sig], json.clone(), "not a sha1 digest"),
        (
            vec!["--signature", &v.signature("object.txt", "sha1")],
            body("object.txt"),
            "PHP-serialised",
        ),
        (
            vec!["--signature", &"0".repeat(40)],
            json.clone(),
            "does not match",
        ),
    ] {
        let mut all = vec!["--secret-file", path(&secret)];
        all.extend(args);
        let out = verify(&scratch, &all, &body);
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(out.stderr.contains(says), "{says}: {}", out.stderr);
        assert!(out.stdout.is_empty());
        assert!(!out.stderr.contains(&v.secret));
    }
    // An algorithm the server does not sign with is a usage error.
    let out = verify(
        &scratch,
        &[
            "--secret-file",
            path(&secret),
            "--signature",
            &sig,
            "--hash-algo",
            "md5",
        ],
        &json,
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn a_secret_file_others_can_read_is_refused() {
    let v = vendor();
    let scratch = Scratch::new("perms");
    let sig = v.signature("json.txt", "sha1");
    for mode in [0o640, 0o604] {
        let secret = scratch.secret_file(&v.secret, mode);
        let out = verify(
            &scratch,
            &["--secret-file", path(&secret), "--signature", &sig],
            &body("json.txt"),
        );
        assert_eq!(out.code, 2, "{mode:o}: {}", out.stderr);
        assert!(
            out.stderr.contains("may be read by others"),
            "{}",
            out.stderr
        );
        assert!(out.stdout.is_empty());
    }
}

/// A running `kaltura webhook listen`, killed if a test fails before it ends.
struct Listener {
    child: Child,
    addr: String,
    stderr: BufReader<std::process::ChildStderr>,
}

impl Listener {
    fn start(scratch: &Scratch, secret: &Path, extra: &[&str]) -> Listener {
        let mut args = vec![
            "webhook",
            "listen",
            "--port",
            "0",
            "--secret-file",
            path(secret),
        ];
        args.extend_from_slice(extra);
        let mut child = kaltura(&args, scratch)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|a| a.strip_suffix('/'))
            .unwrap_or_else(|| panic!("first line: {line}"))
            .to_string();
        Listener {
            child,
            addr,
            stderr,
        }
    }

    /// Sends one request and returns the status code of the final answer.
    fn send(&self, method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> u16 {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut req = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (n, v) in headers {
            req.push_str(&format!("{n}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        // The final answer's status (after a `100 Continue`, if one came first).
        answer
            .rsplit("HTTP/1.1 ")
            .next()
            .and_then(|rest| rest.get(..3))
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("answer: {answer}"))
    }

    /// Waits for the process to end on its own, then returns its stdout and the rest
    /// of its stderr.
    fn finish(mut self) -> (String, String) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "exit {status}");
                break;
            }
            assert!(Instant::now() < deadline, "the listener did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut out = String::new();
        self.child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let mut err = String::new();
        self.stderr.read_to_string(&mut err).unwrap();
        (out, err)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn listen_answers_200_to_signed_notifications_and_401_to_the_rest() {
    let v = vendor();
    let scratch = Scratch::new("listen");
    let secret = scratch.secret_file(&v.secret, 0o600);
    let listener = Listener::start(&scratch, &secret, &["--count", "2"]);
    assert!(listener.addr.starts_with("127.0.0.1:"), "{}", listener.addr);

    let json = body("json.txt");
    let sha1 = v.signature("json.txt", "sha1");
    let xml = body("xml.txt");
    let xml_sig = v.signature("xml.txt", "sha256");
    // Unsigned, wrongly signed, signed with an unknown algorithm: 401, nothing printed.
    assert_eq!(listener.send("POST", "/hook", &[], &json), 401);
    let zeros = "0".repeat(40);
    assert_eq!(
        listener.send("POST", "/hook", &[("X-KALTURA-SIGNATURE", &zeros)], &json),
        401
    );
    assert_eq!(
        listener.send(
            "POST",
            "/hook",
            &[
                ("X-KALTURA-SIGNATURE", &sha1),
                ("X-KALTURA-HASH-ALGO", "md5")
            ],
            &json
        ),
        401
    );
    // Signed, but not a notification: 400.
    let junk = b"hello";
    let junk_sig = kaltura_runtime::webhook::sign(
        junk,
        &kaltura_runtime::Secret::new(v.secret.clone()),
        kaltura_runtime::webhook::HashAlgo::Sha1,
    );
    assert_eq!(
        listener.send("POST", "/hook", &[("x-kaltura-signature", &junk_sig)], junk),
        400
    );
    // Signed notifications, with curl's `Expect: 100-continue` on one: 200.
    assert_eq!(
        listener.send(
            "POST",
            "/hook",
            &[
                ("X-KALTURA-SIGNATURE", &sha1),
                ("X-KALTURA-HASH-ALGO", "sha1"),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            &json
        ),
        200
    );
    assert_eq!(
        listener.send(
            "POST",
            "/hook",
            &[
                ("X-KALTURA-SIGNATURE", &xml_sig),
                ("X-KALTURA-HASH-ALGO", "sha256"),
                ("Expect", "100-continue"),
            ],
            &xml
        ),
        200
    );
    // --count 2: it stops by itself after the second.
    let (stdout, stderr) = listener.finish();
    let jobs: Vec<String> = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<Value>()
        .map(|n| n.unwrap()["eventNotificationJobId"].to_string())
        .collect();
    // JSON carries the job id as a number; XML makes every value a string.
    assert_eq!(jobs, ["12085", "\"12091\""], "{stdout}");
    assert_eq!(stderr.matches("refused a request").count(), 4, "{stderr}");
    assert!(
        stderr.contains("(401)") && stderr.contains("(400)"),
        "{stderr}"
    );
    assert!(!stdout.contains(&v.secret) && !stderr.contains(&v.secret));
}

#[test]
fn listen_can_pin_the_algorithm() {
    let v = vendor();
    let scratch = Scratch::new("pin");
    let secret = scratch.secret_file(&v.secret, 0o600);
    let listener = Listener::start(
        &scratch,
        &secret,
        &["--count", "1", "--hash-algo", "sha512"],
    );
    let json = body("json.txt");
    let sha1 = v.signature("json.txt", "sha1");
    let sha512 = v.signature("json.txt", "sha512");
    assert_eq!(
        listener.send("POST", "/", &[("X-KALTURA-SIGNATURE", &sha1)], &json),
        401
    );
    assert_eq!(
        listener.send(
            "POST",
            "/",
            &[
                ("X-KALTURA-SIGNATURE", &sha512),
                ("X-KALTURA-HASH-ALGO", "sha512")
            ],
            &json
        ),
        200
    );
    let (stdout, stderr) = listener.finish();
    assert!(stdout.contains("12085"), "{stdout}");
    assert!(stderr.contains("only sha512 is accepted"), "{stderr}");
}
