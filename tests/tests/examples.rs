//! The programs in `kaltura-client/examples/`, run as they are (the built binaries in
//! `target/<profile>/examples/`) against a stand-in server on 127.0.0.1 that checks the
//! KS of every call with the partner's admin secret, as the real server does.
//!
//! `cargo test --workspace` builds the examples before running any test. When this
//! file runs alone and the binaries are missing or older than their sources, the test
//! fails and says how to build them: it never passes without running them.

use kaltura_client::ks::{AdminSecret, Ks, KsBuilder, Privileges, SessionType};
use kaltura_tests::standin::{Recorded, Reply, StandIn};
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};

const PARTNER: i64 = 1234567;
const CHILD: i64 = 7654321;
const SECRET: &str = "0123456789abcdef0123456789abcdef";

fn secret() -> AdminSecret {
    AdminSecret::new(SECRET).unwrap()
}

fn error(code: &str, message: &str) -> Value {
    json!({"code": code, "message": message, "objectType": "KalturaAPIException", "args": []})
}

fn entry(id: &str, name: &str) -> Value {
    json!({"id": id, "name": name, "status": 2, "mediaType": 1, "objectType": "KalturaMediaEntry"})
}

#[derive(Default)]
struct Fake {
    uploads: Map<String, Value>,
    uploaded: u64,
    next: u32,
    /// `service.action` with the partner each call acted for.
    seen: Vec<(String, i64)>,
}

impl Fake {
    fn call(&mut self, service: &str, action: &str, p: &Map<String, Value>, file: u64) -> Value {
        let sa = format!("{service}.{action}");
        if sa == "session.start" {
            if p.get("secret") != Some(&json!(SECRET))
                || p.get("partnerId") != Some(&json!(PARTNER))
            {
                return error("START_SESSION_ERROR", "Error while starting session");
            }
            let kind = if p.get("type") == Some(&json!(2)) {
                SessionType::Admin
            } else {
                SessionType::User
            };
            let mut b = KsBuilder::new(PARTNER, kind)
                .expires_in(p.get("expiry").and_then(Value::as_i64).unwrap_or(86400));
            if let Some(u) = p.get("userId").and_then(Value::as_str) {
                b = b.user_id(u);
            }
            if let Some(pr) = p.get("privileges").and_then(Value::as_str) {
                b = b.privileges(Privileges::parse(pr));
            }
            return match b.generate_v2(&secret()) {
                Ok(ks) => json!(ks.expose()),
                Err(e) => error("START_SESSION_ERROR", &e.to_string()),
            };
        }
        // Every other call needs a KS signed with the partner's secret.
        let Some(ks) = p.get("ks").and_then(Value::as_str) else {
            return error("MISSING_KS", "Missing KS");
        };
        let Ok(fields) = Ks::new(ks).validate_now(&secret()) else {
            return error("INVALID_KS", "Invalid KS");
        };
        let acting = p
            .get("partnerId")
            .and_then(Value::as_i64)
            .unwrap_or(PARTNER);
        if acting != fields.partner_id() && !(fields.is_admin() && acting == CHILD) {
            return error("PARTNER_ACCESS_FORBIDDEN", "Cannot access this partner");
        }
        self.seen.push((sa.clone(), acting));
        let str_param = |n: &str| {
            p.get(n)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        match sa.as_str() {
            "media.count" => json!(if acting == CHILD { 2 } else { 3 }),
            "media.list" => {
                let f = p.get("filter").cloned().unwrap_or(Value::Null);
                let all = [
                    ("0_c", "intro three"),
                    ("0_b", "intro two"),
                    ("0_a", "other"),
                ];
                let objects: Vec<Value> = all
                    .iter()
                    .filter(|(_, n)| f["nameLike"].as_str().is_none_or(|like| n.contains(like)))
                    .map(|(i, n)| entry(i, n))
                    .collect();
                json!({"objects": objects, "totalCount": objects.len(), "objectType": "KalturaMediaListResponse"})
            }
            "media.get" => {
                let id = str_param("entryId");
                // A USER session sees only what its privileges name.
                if !fields.is_admin() && !fields.privilege_values("sview").contains(&id) {
                    return error("ENTRY_ID_NOT_FOUND", "Entry not found");
                }
                entry(&id, "intro three")
            }
            "flavorasset.list" => {
                json!({"objects": [], "totalCount": 4, "objectType": "KalturaFlavorAssetListResponse"})
            }
            "partner.get" => {
                let name = if acting == CHILD {
                    "Child Co"
                } else {
                    "Parent Co"
                };
                json!({"id": acting, "name": name, "objectType": "KalturaPartner"})
            }
            "uploadtoken.add" => {
                self.next += 1;
                let id = format!("0_tok{}", self.next);
                let t = json!({"id": id, "status": 0, "objectType": "KalturaUploadToken"});
                self.uploads.insert(id, t.clone());
                t
            }
            "uploadtoken.upload" => {
                let id = str_param("uploadTokenId");
                self.uploaded += file;
                let status = if p.get("finalChunk") == Some(&json!(true)) {
                    2
                } else {
                    1
                };
                json!({"id": id, "status": status, "uploadedFileSize": self.uploaded, "objectType": "KalturaUploadToken"})
            }
            "media.add" => {
                let name = p["entry"]["name"].as_str().unwrap_or_default().to_string();
                json!({"id": "0_new", "name": name, "status": 7, "objectType": "KalturaMediaEntry"})
            }
            "media.addContent" => {
                if p["resource"]["objectType"] != "KalturaUploadedFileTokenResource"
                    || !self
                        .uploads
                        .contains_key(p["resource"]["token"].as_str().unwrap_or(""))
                {
                    return error("RESOURCE_TYPE_NOT_SUPPORTED", "bad resource");
                }
                json!({"id": "0_new", "status": 4, "objectType": "KalturaMediaEntry"})
            }
            _ => error("SERVICE_FORBIDDEN", &format!("{sa} is not in the stand-in")),
        }
    }

    fn handle(&mut self, req: &Recorded) -> Reply {
        let Some(Value::Object(p)) = req.json() else {
            return Reply::json(error("INVALID_REQUEST", "bad body").to_string());
        };
        let sa = req.service_action();
        if sa == "multirequest" {
            let mut results: Vec<Value> = Vec::new();
            for i in 0.. {
                let Some(Value::Object(item)) = p.get(&i.to_string()) else {
                    break;
                };
                let mut item = resolve(&Value::Object(item.clone()), &results);
                for shared in ["ks", "partnerId"] {
                    if let (Some(v), Value::Object(m)) = (p.get(shared), &mut item) {
                        m.entry(shared).or_insert(v.clone());
                    }
                }
                let Value::Object(item) = item else { break };
                let service = item["service"].as_str().unwrap_or_default().to_string();
                let action = item["action"].as_str().unwrap_or_default().to_string();
                results.push(self.call(&service, &action, &item, 0));
            }
            return Reply::json(Value::Array(results).to_string());
        }
        let file = req
            .parts()
            .and_then(|parts| {
                parts
                    .iter()
                    .find(|p| p.name == "fileData")
                    .map(|p| p.body.len())
            })
            .unwrap_or(0) as u64;
        let (service, action) = sa.split_once('.').unwrap_or((&sa, ""));
        Reply::json(self.call(service, action, &p, file).to_string())
    }
}

/// `{N:result:a:b}` tokens (1-based) replaced by earlier results.
fn resolve(v: &Value, results: &[Value]) -> Value {
    match v {
        Value::String(s) if s.starts_with('{') && s.ends_with('}') && s.contains(":result") => {
            let mut parts = s[1..s.len() - 1].split(':');
            let n: usize = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            let mut at = n
                .checked_sub(1)
                .and_then(|i| results.get(i))
                .cloned()
                .unwrap_or(Value::Null);
            for seg in parts.skip(1) {
                at = match seg.parse::<usize>() {
                    Ok(i) if at.is_array() => at[i].clone(),
                    _ => at[seg].clone(),
                };
            }
            at
        }
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), resolve(v, results)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `target/<profile>/examples/`, beside this test's own `deps/` folder.
fn examples_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.parent()?.join("examples"))
}

/// The built example, if present and newer than its source.
fn built(name: &str) -> Result<PathBuf, String> {
    let dir = examples_dir().ok_or("cannot tell where the target folder is")?;
    let bin = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let source = kaltura_tests::repo_root()
        .join("kaltura-client/examples")
        .join(format!("{name}.rs"));
    let common = kaltura_tests::repo_root().join("kaltura-client/examples/common/mod.rs");
    let modified = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified());
    let newest_source = match (modified(&source), modified(&common)) {
        (Ok(a), Ok(b)) => Ok(a.max(b)),
        (a, _) => a,
    };
    match (modified(&bin), newest_source) {
        (Err(_), _) => Err(format!("{} is not built", bin.display())),
        (Ok(b), Ok(s)) if s > b => Err(format!("{} is older than its source", bin.display())),
        _ => Ok(bin),
    }
}

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn binary(name: &str) -> PathBuf {
    built(name).unwrap_or_else(|why| {
        panic!(
            "example `{name}`: {why}. Build the examples first: \
             cargo build -p kaltura-client --examples (cargo test --workspace does it on its own)"
        )
    })
}

async fn run(name: &str, url: &str, args: &[&str]) -> Run {
    let bin = binary(name);
    // The upload example writes its demo file to the temporary folder.
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .env("TMPDIR", tmp.path())
        .env("KALTURA_SERVICE_URL", url)
        .env("KALTURA_PARTNER_ID", PARTNER.to_string())
        .env("KALTURA_ADMIN_SECRET", SECRET)
        .env("KALTURA_CHILD_PARTNER_ID", CHILD.to_string())
        .env_remove("KALTURA_USER_ID")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost");
    for proxy in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        cmd.env_remove(proxy);
    }
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

async fn stand_in() -> (StandIn, Arc<Mutex<Fake>>) {
    let fake = Arc::new(Mutex::new(Fake::default()));
    let f = fake.clone();
    let server = StandIn::start(move |req| f.lock().unwrap().handle(req)).await;
    (server, fake)
}

fn check(name: &str, run: &Run, expected: &[&str]) {
    assert!(run.ok, "`{name}` failed:\n{}\n{}", run.stdout, run.stderr);
    for line in expected {
        assert!(
            run.stdout.contains(line),
            "`{name}` did not print `{line}`:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
    assert!(!run.stdout.contains(SECRET) && !run.stderr.contains(SECRET));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_examples_run_against_the_stand_in() {
    let (server, fake) = stand_in().await;
    let url = server.url();

    {
        let r = run("session", &url, &[]).await;
        check(
            "session",
            &r,
            &[
                "admin session: a v2 KS",
                "for partner 1234567",
                "viewer session: a v2 KS",
                "the account has 3 media entries",
            ],
        );
    }
    {
        let r = run("list_media", &url, &["intro"]).await;
        check(
            "list_media",
            &r,
            &["0_c\tintro three", "0_b\tintro two", "2 entries"],
        );
        assert!(!r.stdout.contains("other"));
    }
    {
        let r = run("multirequest", &url, &[]).await;
        check(
            "multirequest",
            &r,
            &[
                "3 entries in all",
                "newest: 0_c (intro three)",
                "it has 4 flavors",
            ],
        );
    }
    {
        let r = run("local_ks", &url, &["0_c"]).await;
        check(
            "local_ks",
            &r,
            &[
                "made a v2 KS for partner 1234567",
                "\"viewer@example.com\"",
                "sview:0_c",
                "entry 0_c is a KalturaMediaEntry",
            ],
        );
    }
    {
        let r = run("impersonation", &url, &[]).await;
        check(
            "impersonation",
            &r,
            &[
                "partner 7654321 has 2 media entries",
                "partner 7654321 is named \"Child Co\"",
                "partner 1234567 has 3 media entries",
            ],
        );
        let seen = fake.lock().unwrap().seen.clone();
        assert!(seen.contains(&("partner.get".into(), CHILD)), "{seen:?}");
    }
    {
        let r = run("upload", &url, &[]).await;
        check(
            "upload",
            &r,
            &["uploaded into token 0_tok1", "entry 0_new created"],
        );
        assert_eq!(fake.lock().unwrap().uploaded, 3_000_000);
    }
    // A missing setting is named, with no panic.
    let bin = binary("session");
    let out = tokio::task::spawn_blocking(move || {
        Command::new(bin)
            .env_remove("KALTURA_PARTNER_ID")
            .env("KALTURA_ADMIN_SECRET", SECRET)
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("set KALTURA_PARTNER_ID"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
