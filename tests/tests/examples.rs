//! The programs in `examples/` (the `kaltura-examples` crate), run as they are (the
//! built binaries in `target/<profile>/examples/`) against a stand-in server on
//! 127.0.0.1 that checks the KS of every call with the partner's admin secret, as the
//! real server does, and applies the filters, pagers and orders they send.
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

/// The stand-in's videos: `intro 1` to `intro 22` (created in that order), an audio
/// entry and a video of another name, for `media.list` to filter, order and page.
fn library() -> Vec<Value> {
    let mut all: Vec<Value> = (1..=22)
        .map(|i| {
            let status = if i == 21 { 4 } else { 2 };
            json!({"id": format!("0_v{i}"), "name": format!("intro {i}"), "status": status,
                   "mediaType": 1, "duration": 60 + i, "createdAt": 1_700_000_000 + i,
                   "objectType": "KalturaMediaEntry"})
        })
        .collect();
    all.push(
        json!({"id": "0_audio", "name": "intro audio", "status": 2, "mediaType": 5,
                    "duration": 30, "createdAt": 1_800_000_000, "objectType": "KalturaMediaEntry"}),
    );
    all.push(
        json!({"id": "0_other", "name": "other", "status": 2, "mediaType": 1,
                    "duration": 10, "createdAt": 1_800_000_001, "objectType": "KalturaMediaEntry"}),
    );
    all
}

#[derive(Default)]
struct Fake {
    uploads: Map<String, Value>,
    uploaded: u64,
    next: u32,
    /// `service.action` with the partner each call acted for.
    seen: Vec<(String, i64)>,
    /// The `mediaEntry` objects `media.update` received, by entry id.
    updates: Vec<(String, Value)>,
    /// (entry id, category id) pairs `categoryEntry.add` linked.
    links: Vec<(String, i64)>,
    /// The caption assets `captionAsset.add` made: (entry id, the asset as sent).
    captions: Vec<(String, Value)>,
    /// The text `captionAsset.setContent` received, by asset id.
    caption_text: Vec<(String, String)>,
    /// The XML `metadata.add` received, with its profile and object id.
    metadata: Vec<(i64, String, String)>,
}

/// The stand-in's categories: (id, parent id, depth, name, full name, tags, entries).
const CATEGORIES: [(i64, i64, i64, &str, &str, &str, i64); 4] = [
    (42, 0, 0, "Featured", "Featured", "featured,home", 3),
    (43, 42, 1, "Sports", "Featured>Sports", "sports", 2),
    (44, 43, 2, "Tennis", "Featured>Sports>Tennis", "tennis", 1),
    (7, 0, 0, "Archive", "Archive", "archive", 0),
];

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
        // A parameter, or null when it was not sent (indexing a map panics).
        let param = |n: &str| p.get(n).cloned().unwrap_or(Value::Null);
        let str_param = |n: &str| {
            p.get(n)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        match sa.to_ascii_lowercase().as_str() {
            "media.count" => json!(if acting == CHILD { 2 } else { 3 }),
            "media.list" => {
                let f = p.get("filter").cloned().unwrap_or(Value::Null);
                let mut found: Vec<Value> = library()
                    .into_iter()
                    .filter(|e| {
                        let name = e["name"].as_str().unwrap_or_default();
                        f["nameLike"]
                            .as_str()
                            .is_none_or(|like| name.contains(like))
                            && (f["mediaTypeEqual"].is_null()
                                || f["mediaTypeEqual"] == e["mediaType"])
                    })
                    .collect();
                // The server's default order is the oldest first.
                found.sort_by_key(|e| e["createdAt"].as_i64());
                match f["orderBy"].as_str() {
                    None | Some("+createdAt") => {}
                    Some("-createdAt") => found.reverse(),
                    Some(other) => {
                        return error("INVALID_ORDER_BY", &format!("{other} is not an order"))
                    }
                }
                let total = found.len();
                let size = p["pager"]["pageSize"].as_u64().unwrap_or(30) as usize;
                found.truncate(size);
                json!({"objects": found, "totalCount": total, "objectType": "KalturaMediaListResponse"})
            }
            "media.update" => {
                let id = str_param("entryId");
                let Some(mut current) = library().into_iter().find(|e| e["id"] == id.as_str())
                else {
                    return error(
                        "ENTRY_ID_NOT_FOUND",
                        &format!("Entry id \"{id}\" not found"),
                    );
                };
                let changes = p.get("mediaEntry").cloned().unwrap_or(Value::Null);
                if changes["objectType"] != "KalturaMediaEntry" {
                    return error(
                        "INVALID_OBJECT_TYPE",
                        "mediaEntry must be a KalturaMediaEntry",
                    );
                }
                for (k, v) in changes.as_object().into_iter().flatten() {
                    match k.strip_suffix("__null") {
                        Some(cleared) => current[cleared] = Value::Null,
                        None => current[k] = v.clone(),
                    }
                }
                self.updates.push((id, changes));
                current
            }
            "category.list" => {
                let (filter, pager) = (param("filter"), param("pager"));
                let tags = filter["tagsLike"].as_str().unwrap_or_default();
                let mut found: Vec<_> = CATEGORIES
                    .into_iter()
                    .filter(|c| c.5.split(',').any(|t| t.contains(tags)))
                    .collect();
                match filter["orderBy"].as_str() {
                    None => {}
                    Some("+fullName") => found.sort_by_key(|c| c.4),
                    Some(other) => {
                        return error("INVALID_ORDER_BY", &format!("{other} is not an order"))
                    }
                }
                let total = found.len();
                let size = pager["pageSize"].as_u64().unwrap_or(30) as usize;
                let index = pager["pageIndex"].as_u64().unwrap_or(1).max(1) as usize;
                let objects: Vec<Value> = found
                    .into_iter()
                    .skip((index - 1) * size)
                    .take(size)
                    .map(|(id, parent, depth, name, full, tags, entries)| {
                        json!({"id": id, "parentId": parent, "depth": depth, "name": name,
                               "fullName": full, "tags": tags, "entriesCount": entries,
                               "objectType": "KalturaCategory"})
                    })
                    .collect();
                json!({"objects": objects, "totalCount": total, "objectType": "KalturaCategoryListResponse"})
            }
            "media.get" => {
                let id = str_param("entryId");
                match library().into_iter().find(|e| e["id"] == id.as_str()) {
                    Some(entry) => entry,
                    None => error(
                        "ENTRY_ID_NOT_FOUND",
                        &format!("Entry id \"{id}\" not found"),
                    ),
                }
            }
            // After `media.addContent`, the new entry is ready at once.
            "baseentry.get" if str_param("entryId") == "0_new" => {
                json!({"id": "0_new", "name": "new", "status": 2, "objectType": "KalturaMediaEntry"})
            }
            "user.get" => match str_param("userId").as_str() {
                "jane@example.com" => json!({"id": "jane@example.com", "fullName": "Jane Doe",
                    "email": "jane@example.com", "status": 1, "objectType": "KalturaUser"}),
                other => error("INVALID_USER_ID", &format!("Invalid user id \"{other}\"")),
            },
            "caption_captionasset.add" => {
                let entry_id = str_param("entryId");
                if !library().iter().any(|e| e["id"] == entry_id.as_str()) {
                    return error(
                        "ENTRY_ID_NOT_FOUND",
                        &format!("Entry id \"{entry_id}\" not found"),
                    );
                }
                let asset = p.get("captionAsset").cloned().unwrap_or(Value::Null);
                self.captions.push((entry_id.clone(), asset.clone()));
                json!({"id": "1_cap", "entryId": entry_id, "language": asset["language"],
                       "format": asset["format"], "status": 0, "objectType": "KalturaCaptionAsset"})
            }
            "caption_captionasset.setcontent" => {
                let resource = param("contentResource");
                if resource["objectType"] != "KalturaStringResource" {
                    return error("RESOURCE_TYPE_NOT_SUPPORTED", "bad resource");
                }
                let text = resource["content"].as_str().unwrap_or_default().to_string();
                self.caption_text.push((str_param("id"), text));
                json!({"id": str_param("id"), "status": 2, "objectType": "KalturaCaptionAsset"})
            }
            "metadata_metadata.add" => {
                let profile = param("metadataProfileId").as_i64().unwrap_or_default();
                if profile != 4321 {
                    return error(
                        "METADATA_PROFILE_NOT_FOUND",
                        &format!("Metadata profile id \"{profile}\" not found"),
                    );
                }
                let (object_id, xml) = (str_param("objectId"), str_param("xmlData"));
                self.metadata
                    .push((profile, object_id.clone(), xml.clone()));
                json!({"id": 11, "version": 1, "metadataProfileId": profile,
                       "objectType": "KalturaMetadata", "metadataObjectType": param("objectType"),
                       "objectId": object_id, "xml": xml})
            }
            "elasticsearch_esearch.searchentry" => {
                let params = param("searchParams");
                let operator = &params["searchOperator"];
                let term = operator["searchItems"][0]["searchTerm"]
                    .as_str()
                    .unwrap_or_default();
                if operator["objectType"] != "KalturaESearchEntryOperator" || term.is_empty() {
                    return error("EMPTY_SEARCH_ITEMS_NOT_ALLOWED", "no search items");
                }
                let objects: Vec<Value> = library()
                    .into_iter()
                    .filter(|e| e["name"].as_str().unwrap_or_default().contains(term))
                    .take(3)
                    .map(|e| json!({"object": e, "objectType": "KalturaESearchEntryResult"}))
                    .collect();
                json!({"objects": objects, "totalCount": 23, "objectType": "KalturaESearchEntryResponse"})
            }
            "categoryentry.add" => {
                let link = &p["categoryEntry"];
                let entry_id = link["entryId"].as_str().unwrap_or_default().to_string();
                // A reference to a result is resolved before the call; a number is due.
                let Some(category_id) = link["categoryId"].as_i64() else {
                    return error(
                        "CATEGORY_NOT_FOUND",
                        &format!("Category id \"{}\" not found", link["categoryId"]),
                    );
                };
                if !library().iter().any(|e| e["id"] == entry_id.as_str()) {
                    return error(
                        "ENTRY_ID_NOT_FOUND",
                        &format!("Entry id \"{entry_id}\" not found"),
                    );
                }
                self.links.push((entry_id.clone(), category_id));
                json!({"entryId": entry_id, "categoryId": category_id, "status": 2, "objectType": "KalturaCategoryEntry"})
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
            "media.addcontent" => {
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

/// The built example, if present and newer than its source (`examples/<name>.rs`).
fn built(name: &str) -> Result<PathBuf, String> {
    let dir = examples_dir().ok_or("cannot tell where the target folder is")?;
    let bin = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let source = kaltura_tests::repo_root()
        .join("examples")
        .join(format!("{name}.rs"));
    let modified = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified());
    let source_time =
        modified(&source).map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    match modified(&bin) {
        Err(_) => Err(format!("{} is not built", bin.display())),
        Ok(b) if source_time > b => Err(format!("{} is older than its source", bin.display())),
        Ok(_) => Ok(bin),
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
             cargo build -p kaltura-examples --examples (cargo test --workspace does it on its own)"
        )
    })
}

/// Runs an example with the stand-in's settings, `unset` removed from them.
async fn run_without(name: &str, url: &str, args: &[&str], unset: &[&str]) -> Run {
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
    ]
    .iter()
    .chain(unset)
    {
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

async fn run(name: &str, url: &str, args: &[&str]) -> Run {
    run_without(name, url, args, &[]).await
}

async fn stand_in() -> (StandIn, Arc<Mutex<Fake>>) {
    let fake = Arc::new(Mutex::new(Fake::default()));
    let f = fake.clone();
    let server = StandIn::start(move |req| f.lock().unwrap().handle(req)).await;
    (server, fake)
}

/// Neither the secret nor a KS shows in what a program prints: every v2 KS starts
/// with `djJ8` (`v2|` in base64), and a v1 KS is base64 of hex, `|` and fields.
fn assert_nothing_secret(name: &str, run: &Run) {
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(
            !text.contains(SECRET),
            "`{name}` printed the secret on {stream}"
        );
        assert!(
            !text.contains("djJ8"),
            "`{name}` printed a KS on {stream}:\n{text}"
        );
    }
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
    assert_nothing_secret(name, run);
}

/// Every example with its arguments, for the runs without settings.
const ALL: [(&str, &[&str]); 13] = [
    ("list_videos", &["intro"]),
    ("user_ks", &["0_v1"]),
    ("multirequest", &["0_v1", "0_v2", "featured"]),
    ("session", &[]),
    ("upload", &[]),
    ("impersonation", &[]),
    ("user_get", &["jane@example.com"]),
    ("get_update", &["0_v1"]),
    ("esearch", &["intro"]),
    ("custom_metadata", &["0_v1", "4321", "Topic", "Sea"]),
    ("caption", &["0_v1", "captions.srt"]),
    ("upload_ready", &["movie.mp4"]),
    ("category_tree", &[]),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_examples_run_against_the_stand_in() {
    let (server, fake) = stand_in().await;
    let url = server.url();

    {
        let r = run("list_videos", &url, &["intro"]).await;
        check(
            "list_videos",
            &r,
            &[
                "0_v22\tintro 22\t82s\tREADY\n",
                "0_v21\tintro 21\t81s\tPENDING\n",
                "22 in all",
            ],
        );
        // The newest first, 20 of them, videos only.
        let lines: Vec<&str> = r.stdout.lines().collect();
        assert_eq!(lines.len(), 21, "{}", r.stdout);
        assert!(lines[0].starts_with("0_v22\t"), "{}", r.stdout);
        assert!(lines[19].starts_with("0_v3\t"), "{}", r.stdout);
        assert!(!r.stdout.contains("audio") && !r.stdout.contains("other"));
    }
    {
        let r = run("user_ks", &url, &["0_v1"]).await;
        check(
            "user_ks",
            &r,
            &[
                "version    v2",
                "partner    1234567",
                "type       USER",
                "user       viewer@example.com",
                "privileges sview:0_v1",
                "expires    ",
            ],
        );
        let expires: i64 = r
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix("expires    "))
            .and_then(|t| t.trim().parse().ok())
            .expect("an expiry");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        assert!((now + 3500..=now + 3700).contains(&expires), "{expires}");
    }
    {
        // One entry that exists and one that does not: each call has its own outcome.
        let r = run("multirequest", &url, &["0_v1", "0_gone", "featured"]).await;
        check(
            "multirequest",
            &r,
            &[
                "#1 media.update: ok",
                "#2 category.list: ok",
                "#3 categoryentry.add: ok",
                "#4 categoryentry.add: ENTRY_ID_NOT_FOUND (Entry id \"0_gone\" not found)",
            ],
        );
        let fake = fake.lock().unwrap();
        let (id, changes) = fake.updates.last().expect("media.update was called");
        assert_eq!(id, "0_v1");
        assert!(changes["description"].is_string(), "{changes}");
        assert!(changes.get("referenceId__null").is_some(), "{changes}");
        assert_eq!(fake.links, [("0_v1".to_string(), 42)]);
    }
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
        let r = run("impersonation", &url, &[]).await;
        check(
            "impersonation",
            &r,
            &[
                "partner 7654321 has 2 media entries",
                "partner 7654321 is named Child Co",
                "our own account has 3 media entries",
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
            &[
                "uploaded into token 0_tok1",
                "entry 0_new created, status PENDING",
            ],
        );
        assert_eq!(fake.lock().unwrap().uploaded, 3_000_000);
    }
}

/// The harder tasks and the polymorphic reads (issue 23), against the same stand-in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_everyday_task_examples_run_against_the_stand_in() {
    let (server, fake) = stand_in().await;
    let url = server.url();

    {
        let r = run("user_get", &url, &["jane@example.com"]).await;
        check(
            "user_get",
            &r,
            &["jane@example.com\tJane Doe\tjane@example.com\n"],
        );
    }
    {
        // The update's id and description come from the get, filled in by the server.
        let r = run("get_update", &url, &["0_v1"]).await;
        check("get_update", &r, &["0_v1\tintro 1\treviewed\n"]);
        let fake = fake.lock().unwrap();
        let (id, changes) = fake.updates.last().expect("media.update was called");
        assert_eq!(id, "0_v1");
        assert_eq!(changes["description"], "intro 1", "{changes}");
    }
    {
        let r = run("esearch", &url, &["intro"]).await;
        check(
            "esearch",
            &r,
            &["0_v1\tintro 1\n", "0_v3\tintro 3\n", "23 in all"],
        );
    }
    {
        let r = run(
            "custom_metadata",
            &url,
            &["0_v1", "4321", "Topic", "Sea & <sky>"],
        )
        .await;
        check(
            "custom_metadata",
            &r,
            &[
                "metadata 11, version 1:",
                "<metadata><Topic>Sea &amp; &lt;sky></Topic></metadata>",
            ],
        );
        let fake = fake.lock().unwrap();
        assert_eq!(fake.metadata.len(), 1);
        assert_eq!(fake.metadata[0].1, "0_v1");
    }
    {
        let dir = tempfile::tempdir().unwrap();
        let srt = dir.path().join("captions.srt");
        let text = "1\n00:00:01,000 --> 00:00:03,000\nHello\n";
        std::fs::write(&srt, text).unwrap();
        let r = run("caption", &url, &["0_v1", srt.to_str().unwrap()]).await;
        check("caption", &r, &["caption 1_cap added to 0_v1"]);
        let fake = fake.lock().unwrap();
        let (entry_id, asset) = &fake.captions[0];
        assert_eq!(entry_id, "0_v1");
        assert_eq!(asset["language"], "English", "{asset}");
        assert_eq!(asset["format"], "1", "{asset}");
        assert_eq!(fake.caption_text, [("1_cap".to_string(), text.to_string())]);
    }
    {
        let dir = tempfile::tempdir().unwrap();
        let movie = dir.path().join("movie.mp4");
        std::fs::write(&movie, vec![7u8; 100_000]).unwrap();
        let r = run("upload_ready", &url, &[movie.to_str().unwrap()]).await;
        check("upload_ready", &r, &["0_new is ready: READY"]);
        assert_eq!(fake.lock().unwrap().uploaded, 100_000);
    }
    {
        let r = run("category_tree", &url, &[]).await;
        check("category_tree", &r, &[]);
        assert_eq!(
            r.stdout,
            "Archive (7, 0 entries)\n\
             Featured (42, 3 entries)\n  \
             Sports (43, 2 entries)\n    \
             Tennis (44, 1 entries)\n"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_setting_is_named_without_a_panic() {
    // The stand-in answers if a program calls anyway; none should get that far.
    let (server, _fake) = stand_in().await;
    let url = server.url();
    for (name, args) in ALL {
        for var in ["KALTURA_PARTNER_ID", "KALTURA_ADMIN_SECRET"] {
            let r = run_without(name, &url, args, &[var]).await;
            assert!(!r.ok, "`{name}` ran without {var}:\n{}", r.stdout);
            assert!(
                r.stderr.contains(&format!("set {var}")),
                "`{name}` without {var}:\n{}",
                r.stderr
            );
            assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
            assert_nothing_secret(name, &r);
        }
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}
