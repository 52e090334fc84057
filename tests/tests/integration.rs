//! The client against a local stand-in Kaltura server (127.0.0.1) that checks what it
//! receives and answers the way the real server does: a chunked upload of a few MB
//! (the exact resume/finalChunk/resumeAt of each chunk), a served file, API errors, an
//! HTML 502 page, a reset connection and a hanging server: what depends on exact bytes
//! on the wire or on misbehaviour at chosen moments stays on the stand-in. A session
//! then a filtered, paged list, add then update clearing a field, and a chained
//! multirequest with a failing item run against `kaltura-mock` (its tests/client.rs).

use kaltura_client::types::*;
use kaltura_client::{Client, Error, Field, Proxy};
use kaltura_tests::standin::{Part, Recorded, Reply, StandIn};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SECRET: &str = "ADMIN_SECRET_abc123";
const PARTNER: i64 = 1234567;
const KS: &str = "djJ8MTIzNDU2N3xTVEFORElOX0tT";
const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00fake-jpeg-bytes\xFF\xD9";

type Fault = (String, String, Map<String, Value>);

fn fault(code: &str, message: &str) -> Fault {
    (code.into(), message.into(), Map::new())
}

/// The stand-in's memory: entries, upload tokens, and any protocol violations seen.
#[derive(Default)]
struct Fake {
    entries: BTreeMap<String, Value>,
    uploads: BTreeMap<String, (Vec<u8>, i64)>,
    next: u32,
    violations: Vec<String>,
}

fn error_json((code, message, args): Fault) -> Value {
    let args = if args.is_empty() {
        json!([])
    } else {
        Value::Object(args)
    };
    json!({"code": code, "message": message, "objectType": "KalturaAPIException", "args": args})
}

impl Fake {
    fn violation(&mut self, v: String) {
        self.violations.push(v);
    }

    /// One API call, as the server's dispatcher would run it.
    fn call(
        &mut self,
        service: &str,
        action: &str,
        p: &Map<String, Value>,
        files: &[&Part],
    ) -> Result<Value, Fault> {
        let str_param = |name: &str| p.get(name).and_then(Value::as_str).map(str::to_string);
        if (service, action) != ("session", "start") && p.get("ks") != Some(&json!(KS)) {
            return Err(fault("INVALID_KS", "Invalid KS"));
        }
        match (service, action) {
            ("session", "start") => {
                if p.get("secret") != Some(&json!(SECRET))
                    || p.get("partnerId") != Some(&json!(PARTNER))
                    || p.get("type") != Some(&json!(2))
                {
                    return Err(fault("START_SESSION_ERROR", "Error while starting session"));
                }
                Ok(json!(KS))
            }
            ("media", "list") => {
                let filter = p.get("filter").cloned().unwrap_or(Value::Null);
                let pager = p.get("pager").cloned().unwrap_or(Value::Null);
                if filter["objectType"] != "KalturaMediaEntryFilter"
                    || filter["mediaTypeEqual"] != json!(1)
                    || filter["orderBy"] != "-createdAt"
                {
                    self.violation(format!("media.list filter {filter}"));
                }
                if pager["objectType"] != "KalturaFilterPager" || !pager["pageSize"].is_u64() {
                    self.violation(format!("media.list pager {pager}"));
                }
                let size = pager["pageSize"].as_u64().unwrap_or(30) as usize;
                let index = pager["pageIndex"].as_u64().unwrap_or(1).max(1) as usize;
                let all: Vec<Value> = self.entries.values().rev().cloned().collect();
                let page: Vec<Value> = all
                    .iter()
                    .skip((index - 1) * size)
                    .take(size)
                    .cloned()
                    .collect();
                Ok(
                    json!({"totalCount": all.len(), "objects": page, "objectType": "KalturaMediaListResponse"}),
                )
            }
            ("media", "add") => {
                let entry = p
                    .get("entry")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                if entry.get("objectType") != Some(&json!("KalturaMediaEntry")) {
                    return Err(fault("INVALID_OBJECT_TYPE", "Invalid object type"));
                }
                for read_only in ["id", "partnerId", "createdAt", "status"] {
                    if entry.contains_key(read_only) {
                        self.violation(format!("media.add sent read-only {read_only}"));
                    }
                }
                self.next += 1;
                let id = format!("0_new{:05}", self.next);
                let mut stored = entry;
                stored.remove("objectType");
                stored.insert("id".into(), json!(id));
                stored.insert("partnerId".into(), json!(PARTNER));
                stored.insert("status".into(), json!("7"));
                stored.insert("createdAt".into(), json!(1700000000 + self.next));
                // PHP appends objectType after the other properties.
                stored.insert("objectType".into(), json!("KalturaMediaEntry"));
                self.entries.insert(id, Value::Object(stored.clone()));
                Ok(Value::Object(stored))
            }
            ("media", "get") => {
                let id = str_param("entryId").unwrap_or_default();
                self.entries.get(&id).cloned().ok_or_else(|| {
                    let mut args = Map::new();
                    args.insert("ENTRY_ID".into(), json!(id));
                    (
                        "ENTRY_ID_NOT_FOUND".into(),
                        format!("Entry id \"{id}\" not found"),
                        args,
                    )
                })
            }
            ("media", "update") => {
                let id = str_param("entryId").unwrap_or_default();
                let changes = p
                    .get("mediaEntry")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                let Some(Value::Object(entry)) = self.entries.get_mut(&id) else {
                    return Err(fault("ENTRY_ID_NOT_FOUND", "Entry not found"));
                };
                for (k, v) in changes {
                    if let Some(prop) = k.strip_suffix("__null") {
                        entry.remove(prop);
                    } else if k != "objectType" {
                        entry.insert(k, v);
                    }
                }
                Ok(Value::Object(entry.clone()))
            }
            ("categoryentry", "add") => {
                let ce = p.get("categoryEntry").cloned().unwrap_or(Value::Null);
                let entry_id = ce["entryId"].as_str().unwrap_or_default().to_string();
                if !self.entries.contains_key(&entry_id) {
                    return Err(fault("ENTRY_ID_NOT_FOUND", "Entry not found"));
                }
                if !ce["categoryId"].is_i64() {
                    self.violation(format!("categoryId {}", ce["categoryId"]));
                }
                Ok(
                    json!({"categoryId": ce["categoryId"], "entryId": entry_id, "status": 2, "objectType": "KalturaCategoryEntry"}),
                )
            }
            ("uploadtoken", "add") => {
                self.next += 1;
                let id = format!("1_tok{:05}", self.next);
                self.uploads.insert(id.clone(), (Vec::new(), 0));
                Ok(json!({"id": id, "status": 0, "objectType": "KalturaUploadToken"}))
            }
            ("uploadtoken", "upload") => {
                let id = str_param("uploadTokenId").unwrap_or_default();
                let (Some(resume), Some(final_chunk), Some(resume_at)) = (
                    p.get("resume").and_then(Value::as_bool),
                    p.get("finalChunk").and_then(Value::as_bool),
                    p.get("resumeAt").and_then(Value::as_f64),
                ) else {
                    self.violation(format!("upload parameters {p:?}"));
                    return Err(fault("MISSING_MANDATORY_PARAMETER", "resume"));
                };
                let [file] = files else {
                    return Err(fault("UPLOAD_ERROR", "no file part"));
                };
                let Some((data, status)) = self.uploads.get_mut(&id) else {
                    return Err(fault("UPLOAD_TOKEN_NOT_FOUND", "Upload token not found"));
                };
                if !resume {
                    data.clear();
                } else if resume_at >= 0.0 && resume_at as usize != data.len() {
                    return Err(fault(
                        "UPLOAD_TOKEN_RESUMING_INVALID_POSITION",
                        "bad resumeAt",
                    ));
                }
                data.extend_from_slice(&file.body);
                *status = if final_chunk { 2 } else { 1 };
                Ok(
                    json!({"id": id, "status": *status, "uploadedFileSize": data.len() as f64, "objectType": "KalturaUploadToken"}),
                )
            }
            _ => Err(fault("SERVICE_FORBIDDEN", "unknown action")),
        }
    }

    /// `{N:result:path}` tokens, 1-based, replaced by earlier results.
    fn resolve(value: &Value, results: &[Value]) -> Result<Value, Fault> {
        Ok(match value {
            Value::String(s) if s.starts_with('{') && s.ends_with('}') && s.contains(":result") => {
                let inner = &s[1..s.len() - 1];
                let mut parts = inner.split(':');
                let n: usize = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
                let mut at = n
                    .checked_sub(1)
                    .and_then(|i| results.get(i))
                    .cloned()
                    .ok_or_else(|| fault("MISSING_MANDATORY_PARAMETER", s))?;
                for seg in parts.skip(1) {
                    at = match &at {
                        Value::Array(a) => {
                            seg.parse::<usize>().ok().and_then(|i| a.get(i)).cloned()
                        }
                        other => other.get(seg).cloned(),
                    }
                    .ok_or_else(|| fault("MISSING_MANDATORY_PARAMETER", s))?;
                }
                at
            }
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| Ok((k.clone(), Self::resolve(v, results)?)))
                    .collect::<Result<_, Fault>>()?,
            ),
            Value::Array(a) => Value::Array(
                a.iter()
                    .map(|v| Self::resolve(v, results))
                    .collect::<Result<_, _>>()?,
            ),
            other => other.clone(),
        })
    }

    fn multirequest(&mut self, body: &Map<String, Value>, parts: &[Part]) -> Value {
        let mut results = Vec::new();
        for i in 0.. {
            let Some(Value::Object(item)) = body.get(&i.to_string()) else {
                break;
            };
            let mut item = item.clone();
            for shared in ["ks", "partnerId"] {
                if let (Some(v), false) = (body.get(shared), item.contains_key(shared)) {
                    item.insert(shared.into(), v.clone());
                }
            }
            let prefix = format!("{i}:");
            let files: Vec<&Part> = parts
                .iter()
                .filter(|p| p.name.starts_with(&prefix))
                .collect();
            let result = match Self::resolve(&Value::Object(item), &results) {
                Ok(Value::Object(item)) => {
                    let service = item
                        .get("service")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    let action = item
                        .get("action")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    self.call(&service, &action, &item, &files)
                        .unwrap_or_else(error_json)
                }
                Ok(_) => unreachable!(),
                Err(f) => error_json(f),
            };
            results.push(result);
        }
        Value::Array(results)
    }

    fn handle(&mut self, req: &Recorded) -> Reply {
        let sa = req.service_action();
        if req.method != "POST" {
            self.violation(format!("{sa}: method {}", req.method));
        }
        if !req.query.is_empty() {
            self.violation(format!("{sa}: query {}", req.query));
        }
        let Some(Value::Object(params)) = req.json() else {
            self.violation(format!("{sa}: body is not a JSON object"));
            return Reply::json(error_json(fault("INVALID_REQUEST", "bad body")).to_string());
        };
        if params.get("format") != Some(&json!(1))
            || !params.get("clientTag").is_some_and(Value::is_string)
        {
            self.violation(format!("{sa}: format/clientTag {params:?}"));
        }
        if params.get("apiVersion") != Some(&json!(kaltura_client::API_VERSION)) {
            self.violation(format!("{sa}: apiVersion {:?}", params.get("apiVersion")));
        }
        let parts = if req.is_multipart() {
            let parts = req.parts().unwrap_or_default();
            if parts.first().map(|p| p.name.as_str()) != Some("json") {
                self.violation(format!("{sa}: the json part is not first"));
            }
            if req.chunked || req.header("content-length").is_none() {
                self.violation(format!("{sa}: upload without Content-Length"));
            }
            parts.into_iter().skip(1).collect()
        } else {
            if req.content_type() != "application/json" {
                self.violation(format!("{sa}: content type {}", req.content_type()));
            }
            Vec::new()
        };
        let (service, action) = sa.split_once('.').unwrap_or((&sa, ""));
        let entry_id = params
            .get("entryId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match (service, action, entry_id) {
            ("media", "get", "html502") => {
                return Reply::raw(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")
            }
            ("media", "get", "reset") => return Reply::Reset,
            ("media", "get", "slow") => return Reply::Hang,
            ("multirequest", _, _) => return Reply::json(self.multirequest(&params, &parts).to_string()),
            ("thumbasset", "serve", _) => {
                return match params.get("thumbAssetId").and_then(Value::as_str) {
                    Some("1_thumb001") if params.get("ks") == Some(&json!(KS)) => Reply::raw(200, "image/jpeg", JPEG),
                    _ => Reply::json(error_json(fault("THUMB_ASSET_ID_NOT_FOUND", "Thumbnail asset not found")).to_string()),
                };
            }
            _ => {}
        }
        let files: Vec<&Part> = parts.iter().collect();
        let answer = self
            .call(service, action, &params, &files)
            .unwrap_or_else(error_json);
        Reply::json(answer.to_string())
    }
}

async fn stand_in() -> (StandIn, Arc<Mutex<Fake>>) {
    let fake = Arc::new(Mutex::new(Fake::default()));
    let f = fake.clone();
    let server = StandIn::start(move |req| f.lock().unwrap().handle(req)).await;
    (server, fake)
}

fn client(server: &StandIn) -> Client {
    Client::builder(server.url())
        .client_tag("kaltura-rs-tests")
        .proxy(Proxy::Disabled)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn no_violations(fake: &Arc<Mutex<Fake>>) {
    let v = &fake.lock().unwrap().violations;
    assert!(v.is_empty(), "the stand-in saw protocol violations: {v:#?}");
}

async fn logged_in(server: &StandIn) -> Client {
    let client = client(server);
    let ks = client
        .session()
        .start(SECRET)
        .user_id("admin@example.com")
        .r#type(KalturaSessionType::Admin)
        .partner_id(PARTNER)
        .await
        .unwrap();
    client.set_ks(ks);
    client
}

fn new_entry(name: &str) -> KalturaMediaEntry {
    KalturaMediaEntry {
        name: name.into(),
        description: format!("about {name}").into(),
        media_type: KalturaMediaType::Video.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn multirequest_refuses_serve_actions_before_sending() {
    let (server, _fake) = stand_in().await;
    let client = logged_in(&server).await;
    let before = server.requests().len();
    let mut mr = client.multirequest();
    mr.add(client.media().get("0_a"));
    mr.add(client.thumb_asset().serve("1_thumb001"));
    let err = mr.await.unwrap_err();
    let Error::InvalidInput(msg) = &err else {
        panic!("{err:?}")
    };
    assert!(msg.contains("item 1 (thumbasset.serve)"), "{msg}");
    assert_eq!(server.requests().len(), before, "nothing was sent");
    assert!(matches!(
        client.multirequest().await,
        Err(Error::InvalidInput(_))
    ));
}

#[tokio::test]
async fn chunked_upload_of_a_few_megabytes() {
    let (server, fake) = stand_in().await;
    let client = logged_in(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("movie.mp4");
    let data: Vec<u8> = (0..3 * 1024 * 1024 + 12345u32)
        .map(|i| (i % 251) as u8)
        .collect();
    std::fs::write(&path, &data).unwrap();

    let done = client
        .upload(
            kaltura_client::UploadSource::path(&path),
            kaltura_client::UploadOptions::new().chunk_size(1024 * 1024),
        )
        .await
        .unwrap();
    let id = done.id.clone();
    assert_eq!(done.uploaded_file_size, Some(data.len() as f64));
    assert_eq!(done.status, Some(kaltura_client::UploadToken::FULL_UPLOAD));
    assert_eq!(
        fake.lock().unwrap().uploads[&id].0,
        data,
        "the server holds the file"
    );

    let uploads: Vec<Value> = server
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/uploadtoken/action/upload"))
        .map(|r| {
            let j = r.json().unwrap();
            json!([j["resume"], j["finalChunk"], j["resumeAt"]])
        })
        .collect();
    assert_eq!(
        uploads,
        [
            json!([false, false, 0.0]),
            json!([true, false, 1048576.0]),
            json!([true, false, 2097152.0]),
            json!([true, true, 3145728.0]),
        ]
    );
    let part = server.requests().last().unwrap().parts().unwrap();
    assert_eq!(part[1].name, "fileData");
    assert_eq!(part[1].filename.as_deref(), Some("movie.mp4"));

    // A resumed chunk at the wrong position is the server's error, not ours.
    let err = client
        .upload_token()
        .upload(
            &id,
            kaltura_client::FileParam::bytes(&b"tail"[..], "tail.bin"),
        )
        .resume(true)
        .final_chunk(true)
        .resume_at(5.0)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("UPLOAD_TOKEN_RESUMING_INVALID_POSITION"));
    no_violations(&fake);
}

#[tokio::test]
async fn upload_inside_a_multirequest_names_the_part_by_item() {
    let (server, fake) = stand_in().await;
    let client = logged_in(&server).await;
    let mut mr = client.multirequest();
    let token = mr.add(client.upload_token().add());
    let upload = mr.add(
        client
            .upload_token()
            .upload(
                token.field("id"),
                kaltura_client::FileParam::bytes(vec![7u8; 1000], "a.bin"),
            )
            .final_chunk(true)
            .resume(false)
            .resume_at(0.0),
    );
    let results = mr.await.unwrap();
    let done = results.get(&upload).unwrap();
    assert_eq!(done.uploaded_file_size, Field::Set(1000.0));
    let parts = server.requests().last().unwrap().parts().unwrap();
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["json", "1:fileData"]);
    no_violations(&fake);
}

#[tokio::test]
async fn serve_download_and_url() {
    let (server, fake) = stand_in().await;
    let client = logged_in(&server).await;
    let file = client
        .thumb_asset()
        .serve("1_thumb001")
        .thumb_params(KalturaThumbParams {
            width: 320.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(file.bytes.as_ref(), JPEG);
    assert_eq!(file.content_type.as_deref(), Some("image/jpeg"));

    // An API error instead of the file.
    let err = client.thumb_asset().serve("1_nothing").await.unwrap_err();
    assert_eq!(err.code(), Some("THUMB_ASSET_ID_NOT_FOUND"));

    let url = client
        .serve_url(
            client
                .thumb_asset()
                .serve("1_thumb001")
                .thumb_params(KalturaThumbParams {
                    width: 320.into(),
                    ..Default::default()
                }),
        )
        .unwrap();
    let url = url.as_str();
    assert!(url.starts_with(&format!(
        "{}/api_v3/service/thumbasset/action/serve?",
        server.url()
    )));
    assert!(url.contains("thumbParams%5Bwidth%5D=320"), "{url}");
    assert!(
        url.contains("thumbParams%5BobjectType%5D=KalturaThumbParams"),
        "{url}"
    );
    assert!(url.contains(&format!("ks={KS}")), "{url}");
    no_violations(&fake);
}

#[tokio::test]
async fn errors_api_html_reset_and_timeout() {
    let (server, fake) = stand_in().await;
    let client = logged_in(&server).await;

    let err = client.media().get("0_missing0").await.unwrap_err();
    assert_eq!(err.code(), Some("ENTRY_ID_NOT_FOUND"));
    assert_eq!(
        err.to_string(),
        "Kaltura API error ENTRY_ID_NOT_FOUND: Entry id \"0_missing0\" not found"
    );

    let err = client.media().get("html502").await.unwrap_err();
    let Error::Http {
        status,
        body_snippet,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 502);
    assert!(body_snippet.contains("502 Bad Gateway"), "{body_snippet}");
    assert!(err.is_retryable());

    let before = server.requests().len();
    let err = client.media().get("reset").await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(server.requests().len(), before + 1, "no retry");

    let impatient = client_with_timeout(&server, Duration::from_millis(200));
    impatient.set_ks(KS);
    let err = impatient.media().get("slow").await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.to_string().contains("200ms"), "{err}");

    // The client is still usable afterwards.
    let added = client
        .media()
        .add(new_entry("after the storm"))
        .await
        .unwrap();
    assert_eq!(added.object_type(), "KalturaMediaEntry");
    no_violations(&fake);
}

fn client_with_timeout(server: &StandIn, timeout: Duration) -> Client {
    Client::builder(server.url())
        .proxy(Proxy::Disabled)
        .timeout(timeout)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::builder(format!("http://127.0.0.1:{port}"))
        .proxy(Proxy::Disabled)
        .build()
        .unwrap();
    let err = client.media().get("0_a").await.unwrap_err();
    let Error::Transport { message, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(message.starts_with("cannot connect"), "{message}");
}

#[tokio::test]
async fn per_call_settings_override_the_clients() {
    let (server, _fake) = stand_in().await;
    let client = logged_in(&server).await;
    client.set_partner_id(Some(99));
    client.set_language(Some("de".into()));
    let _ = client
        .media()
        .get("0_x")
        .with_partner_id(42)
        .with_language("fr")
        .with_ks("OTHER_KS")
        .await;
    let _ = client.media().get("0_x").await;
    let sent = server.requests();
    let a = sent[sent.len() - 2].json().unwrap();
    let b = sent[sent.len() - 1].json().unwrap();
    assert_eq!(
        (
            a["partnerId"].clone(),
            a["language"].clone(),
            a["ks"].clone()
        ),
        (json!(42), json!("fr"), json!("OTHER_KS"))
    );
    assert_eq!(
        (
            b["partnerId"].clone(),
            b["language"].clone(),
            b["ks"].clone()
        ),
        (json!(99), json!("de"), json!(KS))
    );
    // An action's own `partnerId` parameter wins over the client's impersonation.
    let _ = client
        .session()
        .start(SECRET)
        .partner_id(PARTNER)
        .r#type(KalturaSessionType::Admin)
        .await;
    let s = server.requests().last().unwrap().json().unwrap();
    assert_eq!(s["partnerId"], json!(PARTNER));
}

#[tokio::test]
async fn send_json_reads_what_the_schema_lacks() {
    let (server, _fake) = stand_in().await;
    let client = logged_in(&server).await;
    let added = client.media().add(new_entry("raw")).await.unwrap();
    let KalturaMediaEntryAny::KalturaMediaEntry(e) = added else {
        panic!()
    };
    let raw = client
        .send_json(client.media().get(e.id.as_ref().unwrap()))
        .await
        .unwrap();
    assert_eq!(raw["name"], "raw");
    assert!(matches!(
        client
            .send_json(client.thumb_asset().serve("1_thumb001"))
            .await,
        Err(Error::InvalidInput(_))
    ));
}
