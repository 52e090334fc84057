//! A stand-in Kaltura server for the load and fault runs (`tests/tests/load.rs`, run by
//! `scripts/load.sh`), in a process of its own so that the client's memory and file
//! descriptors are measured alone.
//!
//! ```text
//! standin_load [--faults RATE] [--upload-faults RATE] [--seed N]
//! ```
//!
//! Prints `PORT <n>` and serves 127.0.0.1 until its standard input closes (or after an
//! hour at most). It answers `media.get/list/add/update/delete`,
//! `uploadToken.add/get/upload` and multirequests of those, keeping entries and upload
//! tokens in memory, and counts what it received: every write by its tag (the entry
//! name or id, or the upload token's file name), every chunk by token and offset.
//! `GET /stats` returns the counts as JSON, `GET /token/<id>` the bytes a token holds.
//!
//! With `--faults RATE`, that share of API requests meets one of seven faults, drawn
//! evenly: a reset before or after the request is carried out, a stall past any timeout
//! (after carrying it out), 503 or 429 with `Retry-After`, a 502 page, or an answer cut
//! in half (after carrying it out). `--upload-faults` sets the rate for
//! `uploadToken.upload` requests alone.

use kaltura_tests::standin::{Part, Recorded, Reply, StandIn};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

struct Token {
    content: Vec<u8>,
    file_name: String,
    file_size: Option<f64>,
    status: i64,
}

#[derive(Default)]
struct State {
    rng: u64,
    next_id: u64,
    requests: u64,
    calls: u64,
    /// Requests received per write tag, whatever happened to them next.
    received: HashMap<String, u32>,
    /// Writes carried out per tag.
    applied: HashMap<String, u32>,
    /// Chunks received per token and offset.
    chunks: HashMap<(String, u64), u32>,
    /// Chunks that started before the end of what the token already held: bytes sent
    /// twice.
    overlapping_chunks: u64,
    tokens: HashMap<String, Token>,
    names: HashMap<String, String>,
    faults: BTreeMap<&'static str, u64>,
}

impl State {
    /// xorshift64*: a fault pattern that is the same for the same seed.
    fn random(&mut self) -> f64 {
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}_{:08x}", self.next_id)
    }
}

#[derive(Clone, Copy)]
enum Fault {
    ResetBefore,
    ResetAfter,
    Stall,
    Unavailable,
    TooMany,
    BadGateway,
    Truncated,
}

const FAULTS: [(Fault, &str); 7] = [
    (Fault::ResetBefore, "reset before"),
    (Fault::ResetAfter, "reset after"),
    (Fault::Stall, "stall"),
    (Fault::Unavailable, "503 + Retry-After"),
    (Fault::TooMany, "429 + Retry-After"),
    (Fault::BadGateway, "502 page"),
    (Fault::Truncated, "truncated"),
];

fn api_error(code: &str, message: &str) -> Value {
    json!({"objectType": "KalturaAPIException", "code": code, "message": message, "args": {}})
}

fn entry(id: &str, name: &str, live: bool) -> Value {
    json!({
        "objectType": if live { "KalturaLiveStreamEntry" } else { "KalturaMediaEntry" },
        "id": id, "name": name, "partnerId": 1234567, "status": "2", "type": "1",
        "mediaType": 1, "createdAt": 1700000000, "updatedAt": 1700000060,
        "duration": 42, "msDuration": 42042, "tags": "load,standin", "plays": 0,
        "views": 0, "width": 1280, "height": 720, "flavorParamsIds": "0,487041",
    })
}

fn token_json(id: &str, t: &Token) -> Value {
    json!({
        "objectType": "KalturaUploadToken", "id": id, "status": t.status,
        "fileName": t.file_name, "fileSize": t.file_size,
        "uploadedFileSize": t.content.len() as f64, "partnerId": 1234567,
    })
}

fn str_param<'a>(params: &'a Map<String, Value>, name: &str) -> &'a str {
    params.get(name).and_then(Value::as_str).unwrap_or("")
}

fn object_str<'a>(params: &'a Map<String, Value>, object: &str, name: &str) -> &'a str {
    params
        .get(object)
        .and_then(|o| o.get(name))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The write tag of a call, if it writes.
fn tag(service: &str, action: &str, params: &Map<String, Value>) -> Option<String> {
    match (service, action) {
        ("media", "add") => Some(object_str(params, "entry", "name").to_string()),
        ("media", "update") => Some(object_str(params, "mediaEntry", "name").to_string()),
        ("media", "delete") => Some(format!("delete:{}", str_param(params, "entryId"))),
        ("uploadtoken", "add") => Some(format!(
            "token:{}",
            object_str(params, "uploadToken", "fileName")
        )),
        _ => None,
    }
}

/// Carries out one call.
fn apply(
    st: &mut State,
    service: &str,
    action: &str,
    params: &Map<String, Value>,
    files: &[Part],
) -> Value {
    st.calls += 1;
    if let Some(tag) = tag(service, action, params) {
        *st.applied.entry(tag).or_default() += 1;
    }
    match (service, action) {
        ("media", "get") => {
            let id = str_param(params, "entryId");
            let name = st.names.get(id).cloned().unwrap_or_else(|| "entry".into());
            entry(id, &name, false)
        }
        ("media", "list") => {
            let size = params
                .get("pager")
                .and_then(|p| p.get("pageSize"))
                .and_then(Value::as_u64)
                .unwrap_or(10)
                .min(50) as usize;
            let objects: Vec<Value> = (0..size)
                .map(|i| entry(&format!("0_list{i:04}"), "listed", i % 3 == 2))
                .collect();
            json!({"objectType": "KalturaMediaListResponse", "objects": objects, "totalCount": 5000})
        }
        ("media", "add") => {
            let id = st.id("0");
            let name = object_str(params, "entry", "name").to_string();
            st.names.insert(id.clone(), name.clone());
            entry(&id, &name, false)
        }
        ("media", "update") => {
            let id = str_param(params, "entryId").to_string();
            let name = object_str(params, "mediaEntry", "name").to_string();
            st.names.insert(id.clone(), name.clone());
            entry(&id, &name, false)
        }
        ("media", "delete") => {
            st.names.remove(str_param(params, "entryId"));
            Value::Null
        }
        ("uploadtoken", "add") => {
            let id = st.id("1");
            let token = Token {
                content: Vec::new(),
                file_name: object_str(params, "uploadToken", "fileName").to_string(),
                file_size: params
                    .get("uploadToken")
                    .and_then(|t| t.get("fileSize"))
                    .and_then(Value::as_f64),
                status: 0,
            };
            let answer = token_json(&id, &token);
            st.tokens.insert(id, token);
            answer
        }
        ("uploadtoken", "get") => {
            let id = str_param(params, "uploadTokenId");
            match st.tokens.get(id) {
                Some(t) => token_json(id, t),
                None => api_error("UPLOAD_TOKEN_NOT_FOUND", "Upload token id not found"),
            }
        }
        ("uploadtoken", "upload") => {
            let id = str_param(params, "uploadTokenId").to_string();
            let at = params
                .get("resumeAt")
                .and_then(Value::as_f64)
                .unwrap_or(0.0) as u64;
            let last = params
                .get("finalChunk")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            let Some(data) = files.iter().find(|p| p.name == "fileData") else {
                return api_error("MISSING_MANDATORY_PARAMETER", "fileData");
            };
            let Some(token) = st.tokens.get_mut(&id) else {
                return api_error("UPLOAD_TOKEN_NOT_FOUND", "Upload token id not found");
            };
            if token.status >= 2 {
                return api_error("UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD", "already complete");
            }
            let held = token.content.len() as u64;
            if at > held {
                return api_error(
                    "UPLOAD_TOKEN_RESUMING_INVALID_POSITION",
                    "resumeAt is past the bytes held",
                );
            }
            let overlap = at < held;
            // As a file written at an offset: what follows is replaced.
            token.content.truncate(at as usize);
            token.content.extend_from_slice(&data.body);
            token.status = if last { 2 } else { 1 };
            let answer = token_json(&id, token);
            if overlap {
                st.overlapping_chunks += 1;
            }
            answer
        }
        _ => api_error("SERVICE_FORBIDDEN", "not served by the stand-in"),
    }
}

/// `service.action` items of a request: one, or every item of a multirequest.
fn calls(r: &Recorded) -> Vec<(String, String, Map<String, Value>)> {
    let json = r
        .json()
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    let sa = r.service_action();
    if sa == "multirequest" {
        let mut items: Vec<(usize, Map<String, Value>)> = json
            .iter()
            .filter_map(|(k, v)| Some((k.parse().ok()?, v.as_object()?.clone())))
            .collect();
        items.sort_by_key(|(i, _)| *i);
        return items
            .into_iter()
            .map(|(_, item)| {
                let service = str_param(&item, "service").to_ascii_lowercase();
                let action = str_param(&item, "action").to_string();
                (service, action, item)
            })
            .collect();
    }
    let (service, action) = sa.split_once('.').unwrap_or((&sa, ""));
    vec![(service.to_ascii_lowercase(), action.to_string(), json)]
}

fn stats(st: &State) -> Value {
    let writes: BTreeMap<&String, (u32, u32)> = st
        .received
        .iter()
        .map(|(k, n)| (k, (*n, st.applied.get(k).copied().unwrap_or(0))))
        .collect();
    let repeated_chunks = st.chunks.values().filter(|n| **n > 1).count();
    json!({
        "requests": st.requests,
        "calls": st.calls,
        "writes": writes,
        "chunks": st.chunks.len(),
        "repeated_chunks": repeated_chunks,
        "overlapping_chunks": st.overlapping_chunks,
        "tokens": st.tokens.len(),
        "faults": st.faults,
    })
}

fn handle(st: &mut State, r: &Recorded, rate: f64, upload_rate: f64) -> Reply {
    if r.method == "GET" {
        if r.path == "/stats" {
            return Reply::json(stats(st).to_string());
        }
        if let Some(id) = r.path.strip_prefix("/token/") {
            return match st.tokens.get(id) {
                Some(t) => Reply::raw(200, "application/octet-stream", t.content.clone()),
                None => Reply::raw(404, "text/plain", "no such token"),
            };
        }
    }
    st.requests += 1;
    let items = calls(r);
    let mut uploads = false;
    for (service, action, params) in &items {
        if let Some(tag) = tag(service, action, params) {
            *st.received.entry(tag).or_default() += 1;
        }
        if service == "uploadtoken" && action == "upload" {
            uploads = true;
            let id = str_param(params, "uploadTokenId").to_string();
            let at = params
                .get("resumeAt")
                .and_then(Value::as_f64)
                .unwrap_or(0.0) as u64;
            *st.chunks.entry((id, at)).or_default() += 1;
        }
    }
    let p = if uploads { upload_rate } else { rate };
    let fault = if p > 0.0 && st.random() < p {
        let (fault, name) = FAULTS[(st.random() * FAULTS.len() as f64) as usize % FAULTS.len()];
        *st.faults.entry(name).or_default() += 1;
        Some(fault)
    } else {
        None
    };
    let not_applied = |fault| match fault {
        Fault::ResetBefore => Some(Reply::Reset),
        Fault::Unavailable => Some(Reply::WithHeaders {
            status: 503,
            content_type: "text/html".into(),
            headers: vec![("Retry-After".into(), "1".into())],
            body: b"<html><body>Service Unavailable</body></html>".to_vec(),
        }),
        Fault::TooMany => Some(Reply::WithHeaders {
            status: 429,
            content_type: "text/html".into(),
            headers: vec![("Retry-After".into(), "0".into())],
            body: b"<html><body>Too Many Requests</body></html>".to_vec(),
        }),
        Fault::BadGateway => Some(Reply::raw(
            502,
            "text/html",
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        )),
        _ => None,
    };
    if let Some(reply) = fault.and_then(not_applied) {
        return reply;
    }
    let files = if r.is_multipart() {
        r.parts().unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut results: Vec<Value> = items
        .iter()
        .map(|(s, a, p)| apply(st, s, a, p, &files))
        .collect();
    let body = if r.service_action() == "multirequest" {
        Value::Array(results).to_string()
    } else {
        results.pop().unwrap_or(Value::Null).to_string()
    };
    match fault {
        Some(Fault::ResetAfter) => Reply::Reset,
        Some(Fault::Stall) => Reply::Hang,
        Some(Fault::Truncated) => Reply::Truncated {
            status: 200,
            content_type: "application/json".into(),
            sent: body.len() / 2,
            body: body.into_bytes(),
        },
        _ => Reply::json(body),
    }
}

fn main() {
    let mut rate = 0.0;
    let mut upload_rate = None;
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next().unwrap_or_default();
        match a.as_str() {
            "--faults" => rate = value.parse().expect("--faults RATE"),
            "--upload-faults" => upload_rate = Some(value.parse().expect("--upload-faults RATE")),
            "--seed" => seed = value.parse::<u64>().expect("--seed N").max(1),
            other => panic!("unknown argument {other}"),
        }
    }
    let upload_rate = upload_rate.unwrap_or(rate);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let state = Arc::new(Mutex::new(State {
            rng: seed,
            ..State::default()
        }));
        let shared = state.clone();
        let standin = Arc::new(
            StandIn::start(move |r| {
                let mut st = shared.lock().unwrap_or_else(|e| e.into_inner());
                handle(&mut st, r, rate, upload_rate)
            })
            .await,
        );
        println!("PORT {}", standin.port());
        std::io::stdout().flush().expect("stdout");
        let forget = standin.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(250)).await;
                forget.clear_requests();
            }
        });
        // Serve until the test closes our standard input, and never past an hour.
        let stdin_closed = tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            while std::io::stdin().lock().read_line(&mut line).unwrap_or(0) > 0 {
                line.clear();
            }
        });
        let _ = tokio::time::timeout(Duration::from_secs(3600), stdin_closed).await;
    });
    // The blocking stdin reader may still be parked; leave without waiting for it.
    std::process::exit(0);
}
