//! `Client::upload` against a stand-in upload-token server on 127.0.0.1 that follows
//! the server's rules (a chunk must start where the token ends unless it restarts the
//! token, a complete token takes no more chunks) and can fail on chosen chunks: a
//! 4 GiB sparse file through a stand-in that counts and drops the bytes, interrupted
//! uploads resumed from the server's size, failed final chunks, opt-in chunk retries,
//! reader sources and progress reports.

use kaltura_client::{Client, Progress, Proxy, RetryPolicy, UploadOptions, UploadSource};
use kaltura_tests::standin::{Recorded, Reply, StandIn};
use serde_json::{json, Value};
use sha1::{Digest, Sha1};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the stand-in fails one `uploadToken.upload` call.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    /// Closes the connection before taking the chunk.
    DropBefore,
    /// Takes the chunk, then closes the connection without answering.
    DropAfter,
    /// Answers 503 without taking the chunk.
    Unavailable,
}

#[derive(Default)]
struct Token {
    data: Vec<u8>,
    size: u64,
    status: i64,
    file_name: Option<String>,
    file_size: Option<f64>,
}

/// One `uploadToken.upload` call as received: resume, finalChunk, resumeAt, bytes.
type Chunk = (bool, bool, u64, u64);

/// The bytes expected at the head of the chunk at an offset (`u64::MAX`: the tail).
type Markers = Box<dyn Fn(u64) -> Option<Vec<u8>> + Send>;

#[derive(Default)]
struct Server {
    tokens: BTreeMap<String, Token>,
    next: u32,
    chunks: Vec<Chunk>,
    /// Faults by 0-based number of the `uploadToken.upload` call.
    faults: BTreeMap<usize, Fault>,
    upload_calls: usize,
    violations: Vec<String>,
    /// Keep the bytes (small files) or only count them.
    store: bool,
    /// For the sparse file: the marker expected at the head of the chunk at an offset.
    markers: Option<Markers>,
    calls: VecDeque<String>,
}

fn token_json(id: &str, t: &Token) -> String {
    json!({
        "id": id,
        "status": t.status,
        "uploadedFileSize": t.size as f64,
        "fileName": t.file_name,
        "fileSize": t.file_size,
        "objectType": "KalturaUploadToken",
    })
    .to_string()
}

fn api_error(code: &str, message: &str) -> Reply {
    Reply::json(
        json!({"code": code, "message": message, "objectType": "KalturaAPIException", "args": []})
            .to_string(),
    )
}

impl Server {
    fn handle(&mut self, req: &Recorded) -> Reply {
        let sa = req.service_action();
        self.calls.push_back(sa.clone());
        let Some(p) = req.json() else {
            self.violations.push(format!("{sa}: no JSON parameters"));
            return api_error("INVALID_REQUEST", "bad body");
        };
        let id = p["uploadTokenId"].as_str().unwrap_or_default().to_string();
        match sa.as_str() {
            "uploadtoken.add" => {
                self.next += 1;
                let id = format!("0_tok{}", self.next);
                let t = Token {
                    file_name: p["uploadToken"]["fileName"].as_str().map(str::to_string),
                    file_size: p["uploadToken"]["fileSize"].as_f64(),
                    ..Default::default()
                };
                let answer = token_json(&id, &t);
                self.tokens.insert(id, t);
                Reply::json(answer)
            }
            "uploadtoken.get" => match self.tokens.get(&id) {
                Some(t) => Reply::json(token_json(&id, t)),
                None => api_error("UPLOAD_TOKEN_NOT_FOUND", "Upload token not found"),
            },
            "uploadtoken.upload" => self.upload(req, &p, &id),
            other => {
                self.violations.push(format!("unexpected call {other}"));
                api_error("SERVICE_FORBIDDEN", "unknown action")
            }
        }
    }

    fn upload(&mut self, req: &Recorded, p: &Value, id: &str) -> Reply {
        let call = self.upload_calls;
        self.upload_calls += 1;
        let (Some(resume), Some(last), Some(at)) = (
            p["resume"].as_bool(),
            p["finalChunk"].as_bool(),
            p["resumeAt"].as_f64(),
        ) else {
            self.violations.push(format!("upload parameters {p}"));
            return api_error("MISSING_MANDATORY_PARAMETER", "resume");
        };
        let at = at as u64;
        let (len, bytes, head, tail) = match &req.discarded {
            Some(d) => (d.len, Vec::new(), d.head.clone(), d.tail.clone()),
            None => {
                let parts = req.parts().unwrap_or_default();
                let Some(file) = parts.iter().find(|p| p.name == "fileData") else {
                    self.violations.push("no fileData part".into());
                    return api_error("UPLOAD_ERROR", "no file");
                };
                let b = file.body.clone();
                let head = b[..b.len().min(16)].to_vec();
                let tail = b[b.len().saturating_sub(16)..].to_vec();
                (b.len() as u64, b, head, tail)
            }
        };
        self.chunks.push((resume, last, at, len));
        if resume != (at > 0) {
            self.violations
                .push(format!("resume={resume} with resumeAt={at}"));
        }
        if let Some(expected) = self.markers.as_ref().and_then(|m| m(at)) {
            if head != expected[..head.len().min(expected.len())] {
                self.violations
                    .push(format!("the chunk at {at} starts with {head:?}"));
            }
        }
        if last {
            if let Some(expected) = self.markers.as_ref().and_then(|m| m(u64::MAX)) {
                if tail != expected {
                    self.violations.push(format!("the file ends with {tail:?}"));
                }
            }
        }
        let fault = self.faults.get(&call).copied();
        if matches!(fault, Some(Fault::DropBefore)) {
            return Reply::Drop;
        }
        if matches!(fault, Some(Fault::Unavailable)) {
            return Reply::raw(503, "text/html", "<html>503 Service Unavailable</html>");
        }
        let store = self.store;
        let Some(t) = self.tokens.get_mut(id) else {
            return api_error("UPLOAD_TOKEN_NOT_FOUND", "Upload token not found");
        };
        if t.status >= 2 {
            self.violations
                .push(format!("a chunk at {at} for the complete token {id}"));
            return api_error(
                "UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD",
                "Upload token is in an invalid status for upload",
            );
        }
        if !resume {
            t.data.clear();
            t.size = 0;
        } else if at != t.size {
            return api_error("UPLOAD_TOKEN_RESUMING_INVALID_POSITION", "bad resumeAt");
        }
        if store {
            t.data.extend_from_slice(&bytes);
        }
        t.size += len;
        t.status = if last { 2 } else { 1 };
        if matches!(fault, Some(Fault::DropAfter)) {
            return Reply::Drop;
        }
        Reply::json(token_json(id, t))
    }
}

async fn server(store: bool, discard: bool) -> (StandIn, Arc<Mutex<Server>>) {
    let state = Arc::new(Mutex::new(Server {
        store,
        ..Default::default()
    }));
    let s = state.clone();
    let handler = move |req: &Recorded| s.lock().unwrap().handle(req);
    let standin = if discard {
        StandIn::start_discarding(handler).await
    } else {
        StandIn::start(handler).await
    };
    (standin, state)
}

fn client(server: &StandIn) -> Client {
    Client::builder(server.url())
        .proxy(Proxy::Disabled)
        .ks("KS")
        .build()
        .unwrap()
}

fn no_violations(state: &Arc<Mutex<Server>>) {
    let v = &state.lock().unwrap().violations;
    assert!(v.is_empty(), "the stand-in saw protocol violations: {v:#?}");
}

fn data(len: usize) -> Vec<u8> {
    (0..len as u64)
        .map(|i| (i.wrapping_mul(2654435761) >> 7) as u8)
        .collect()
}

fn sha1(bytes: &[u8]) -> String {
    Sha1::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn stored(state: &Arc<Mutex<Server>>, id: &str) -> Vec<u8> {
    state.lock().unwrap().tokens[id].data.clone()
}

fn finals(state: &Arc<Mutex<Server>>) -> usize {
    state.lock().unwrap().chunks.iter().filter(|c| c.1).count()
}

const GIB: u64 = 1024 * 1024 * 1024;
const BIG_CHUNK: u64 = 256 * 1024 * 1024;

fn marker(offset: u64) -> Vec<u8> {
    format!("chunk@{offset:010}").into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sparse_file_over_4_gib_goes_up_in_counted_chunks() {
    let size = 4 * GIB + 12_345;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.mov");
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::File::create(&path).unwrap();
        f.set_len(size).unwrap();
        // A marker at the start of every chunk and at the very end, so the stand-in
        // can tell each chunk came from the right place in the file.
        let mut at = 0;
        while at < size {
            f.seek(SeekFrom::Start(at)).unwrap();
            f.write_all(&marker(at)).unwrap();
            at += BIG_CHUNK;
        }
        f.seek(SeekFrom::Start(size - 16)).unwrap();
        f.write_all(b"<<end of file!>>").unwrap();
    }
    let (standin, state) = server(false, true).await;
    state.lock().unwrap().markers = Some(Box::new(|at| {
        if at == u64::MAX {
            Some(b"<<end of file!>>".to_vec())
        } else {
            Some(marker(at))
        }
    }));
    let client = client(&standin);
    let seen = Arc::new(Mutex::new(Vec::<Progress>::new()));
    let s = seen.clone();
    let started = Instant::now();
    let token = client
        .upload(
            UploadSource::path(&path),
            UploadOptions::new()
                .chunk_size(BIG_CHUNK)
                .on_progress(move |p| s.lock().unwrap().push(p.clone())),
        )
        .await
        .unwrap();
    let elapsed = started.elapsed();
    eprintln!(
        "uploaded {size} bytes in {} chunks in {elapsed:?}",
        size.div_ceil(BIG_CHUNK)
    );
    assert_eq!(token.status, Some(kaltura_client::UploadToken::FULL_UPLOAD));
    assert_eq!(token.uploaded_file_size, Some(size as f64));

    let st = state.lock().unwrap();
    let id = token.id.as_str();
    assert_eq!(st.tokens[id].size, size, "the server counted every byte");
    assert_eq!(st.tokens[id].file_name.as_deref(), Some("huge.mov"));
    assert_eq!(st.tokens[id].file_size, Some(size as f64));
    let n = size.div_ceil(BIG_CHUNK) as usize;
    assert_eq!(st.chunks.len(), n);
    for (i, (resume, last, at, len)) in st.chunks.iter().enumerate() {
        let offset = i as u64 * BIG_CHUNK;
        assert_eq!(*at, offset, "chunk {i} starts where the last ended");
        assert_eq!(*resume, i > 0);
        assert_eq!(*last, i == n - 1, "only the last chunk is final");
        assert_eq!(*len, BIG_CHUNK.min(size - offset));
    }
    assert_eq!(st.chunks.iter().map(|c| c.3).sum::<u64>(), size);
    drop(st);
    no_violations(&state);

    let seen = seen.lock().unwrap();
    check_progress(&seen, Some(size), BIG_CHUNK);
    let mut confirmed: Vec<u64> = seen.iter().map(|p| p.sent).collect();
    confirmed.dedup();
    assert_eq!(
        confirmed.len(),
        n + 1,
        "`sent` moves at the start and once per chunk"
    );
    assert!(seen
        .iter()
        .all(|p| p.total == Some(size) && p.token_id == *id));
}

/// Progress reports of a whole upload from 0: both counts never go back, each
/// report moves one of them, `streamed` is never behind `sent`, reports while a chunk
/// is streamed come every `STREAM_REPORT_STEP` bytes or at the chunk's end, and the
/// last report has the whole size confirmed.
fn check_progress(seen: &[Progress], total: Option<u64>, chunk: u64) {
    use kaltura_client::upload::STREAM_REPORT_STEP;
    let first = seen.first().expect("a report at the start");
    assert_eq!((first.sent, first.streamed), (0, 0));
    assert!(seen
        .iter()
        .all(|p| p.streamed >= p.sent && p.total == total));
    let size = seen.last().unwrap().sent;
    for w in seen.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert!(
            b.sent >= a.sent && b.streamed >= a.streamed,
            "went back: {a:?} then {b:?}"
        );
        assert!(
            b.sent > a.sent || b.streamed > a.streamed,
            "a report without news: {b:?}"
        );
        if b.sent == a.sent {
            let chunk_end = b.streamed % chunk == 0 || b.streamed == size;
            assert!(
                chunk_end || b.streamed - a.streamed >= STREAM_REPORT_STEP,
                "reports too close: {a:?} then {b:?}"
            );
            assert!(b.streamed <= a.sent + chunk, "past the chunk: {b:?}");
        }
    }
    if let Some(total) = total {
        assert_eq!(size, total);
    }
    assert_eq!(seen.last().unwrap().streamed, size);
}

#[tokio::test]
async fn progress_moves_while_a_chunk_is_streamed() {
    const MIB: u64 = 1024 * 1024;
    let size = 2 * MIB + 100_007;
    let bytes = data(size as usize);
    let (_dir, path) = write_temp(&bytes);
    for what in ["path", "reader of known length", "reader of unknown length"] {
        let (source, known) = match what {
            "path" => (UploadSource::path(&path), true),
            "reader of known length" => (
                UploadSource::reader(std::io::Cursor::new(bytes.clone()), size),
                true,
            ),
            _ => (
                UploadSource::reader(std::io::Cursor::new(bytes.clone()), None),
                false,
            ),
        };
        let (standin, state) = server(true, false).await;
        let client = client(&standin);
        let seen = Arc::new(Mutex::new(Vec::<Progress>::new()));
        let s = seen.clone();
        let token = client
            .upload(
                source,
                UploadOptions::new()
                    .chunk_size(MIB)
                    .on_progress(move |p| s.lock().unwrap().push(p.clone())),
            )
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(stored(&state, token.id.as_str()), bytes, "{what}");
        no_violations(&state);

        let seen = seen.lock().unwrap();
        check_progress(&seen, known.then_some(size), MIB);
        assert_eq!(seen.last().unwrap().sent, size, "{what}");
        // Inside the first chunk, before the server confirmed anything.
        let within: Vec<u64> = seen
            .iter()
            .filter(|p| p.sent == 0 && p.streamed > 0 && p.streamed < MIB)
            .map(|p| p.streamed)
            .collect();
        assert!(!within.is_empty(), "{what}: no report within the chunk");
        // Each chunk's end is reported as streamed before it is confirmed.
        for end in [MIB, 2 * MIB, size] {
            let streamed = seen.iter().position(|p| p.streamed == end && p.sent < end);
            let confirmed = seen.iter().position(|p| p.sent == end);
            assert!(
                matches!((streamed, confirmed), (Some(a), Some(b)) if a < b),
                "{what}: the chunk ending at {end}: {seen:#?}"
            );
        }
        // About one report per 256 KiB streamed, plus the chunks' ends and
        // confirmations: not one per read.
        assert!(
            seen.len() <= 8 + 3 * 2 + 1,
            "{what}: {} reports",
            seen.len()
        );
    }
}

#[tokio::test]
async fn an_interrupted_upload_resumes_from_the_servers_size() {
    let bytes = data(1024 * 1024 + 123);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clip.mp4");
    std::fs::write(&path, &bytes).unwrap();
    let (standin, state) = server(true, false).await;
    // The connection drops on the third chunk, after the server took it.
    state.lock().unwrap().faults.insert(2, Fault::DropAfter);
    let client = client(&standin);
    let chunk = 256 * 1024;

    let err = client
        .upload(
            UploadSource::path(&path),
            UploadOptions::new().chunk_size(chunk),
        )
        .await
        .unwrap_err();
    assert!(err.can_resume(), "{err}");
    let id = err.token_id.clone().unwrap();
    assert_eq!(err.sent, 2 * chunk, "two chunks were confirmed");
    assert!(
        matches!(err.error, kaltura_client::Error::Transport { .. }),
        "{:?}",
        err.error
    );
    let text = err.to_string();
    assert!(text.contains(&id) && text.contains("resume"), "{text}");

    let token = client
        .upload(
            UploadSource::path(&path),
            UploadOptions::new().chunk_size(chunk).resume(&id),
        )
        .await
        .unwrap();
    assert_eq!(Some(token.id.as_str()), Some(id.as_str()));
    assert_eq!(token.status, Some(kaltura_client::UploadToken::FULL_UPLOAD));
    assert_eq!(sha1(&stored(&state, &id)), sha1(&bytes), "the right bytes");

    let st = state.lock().unwrap();
    let offsets: Vec<(u64, bool)> = st.chunks.iter().map(|c| (c.2, c.1)).collect();
    // The third chunk reached the server before the drop, so the resume asks for
    // the token and goes on from 768 KiB.
    assert_eq!(
        offsets,
        [
            (0, false),
            (chunk, false),
            (2 * chunk, false),
            (3 * chunk, false),
            (4 * chunk, true),
        ]
    );
    assert_eq!(
        st.calls.iter().filter(|c| *c == "uploadtoken.get").count(),
        1
    );
    drop(st);
    no_violations(&state);
}

#[tokio::test]
async fn a_resumed_reader_skips_what_the_server_holds() {
    let bytes = data(700_001);
    let (standin, state) = server(true, false).await;
    state.lock().unwrap().faults.insert(1, Fault::DropBefore);
    let client = client(&standin);
    let err = client
        .upload(
            UploadSource::reader(std::io::Cursor::new(bytes.clone()), bytes.len() as u64)
                .file_name("stream.ts"),
            UploadOptions::new().chunk_size(200_000),
        )
        .await
        .unwrap_err();
    assert_eq!(err.sent, 200_000);
    let id = err.token_id.clone().unwrap();
    // A fresh reader from the first byte, of unknown length this time.
    let token = client
        .upload(
            UploadSource::reader(std::io::Cursor::new(bytes.clone()), None),
            UploadOptions::new().chunk_size(200_000).resume(&id),
        )
        .await
        .unwrap();
    assert_eq!(token.status, Some(kaltura_client::UploadToken::FULL_UPLOAD));
    assert_eq!(sha1(&stored(&state, &id)), sha1(&bytes));
    assert_eq!(finals(&state), 1);
    let st = state.lock().unwrap();
    assert_eq!(st.tokens[&id].file_name.as_deref(), Some("stream.ts"));
    let last = st.chunks.last().unwrap();
    assert_eq!((last.1, last.2, last.3), (true, 600_000, 100_001));
    drop(st);
    no_violations(&state);
}

#[tokio::test]
async fn readers_of_known_and_unknown_length() {
    for (len, chunk) in [(0usize, 10u64), (10, 10), (11, 10), (1000, 64), (64, 1000)] {
        for known in [true, false] {
            let bytes = data(len);
            let (standin, state) = server(true, false).await;
            let client = client(&standin);
            let source = UploadSource::reader(
                std::io::Cursor::new(bytes.clone()),
                known.then_some(len as u64),
            );
            let token = client
                .upload(source, UploadOptions::new().chunk_size(chunk))
                .await
                .unwrap_or_else(|e| panic!("{len} bytes, known={known}: {e}"));
            let id = token.id.as_str();
            assert_eq!(stored(&state, id), bytes, "{len} bytes, known={known}");
            let st = state.lock().unwrap();
            let expected_chunks = (len as u64).div_ceil(chunk).max(1) as usize;
            assert_eq!(st.chunks.len(), expected_chunks, "{len}/{chunk} {known}");
            assert_eq!(st.chunks.iter().filter(|c| c.1).count(), 1);
            assert!(
                st.chunks.last().unwrap().1,
                "the last chunk is the final one"
            );
            assert_eq!(
                st.tokens[id].file_size,
                known.then_some(len as f64),
                "the size is announced when known"
            );
            drop(st);
            no_violations(&state);
        }
    }
}

#[tokio::test]
async fn a_reader_shorter_than_announced_stops_the_upload() {
    let (standin, state) = server(true, false).await;
    let client = client(&standin);
    let err = client
        .upload(
            UploadSource::reader(std::io::Cursor::new(data(150)), 300),
            UploadOptions::new().chunk_size(100).retry_chunks(true),
        )
        .await
        .unwrap_err();
    assert!(err.can_resume());
    assert_eq!(err.sent, 100);
    assert!(err.to_string().contains("short of the 300"), "{err}");
    assert_eq!(finals(&state), 0);
}

#[tokio::test]
async fn a_final_chunk_taken_before_the_connection_dropped_counts_as_done() {
    let bytes = data(5000);
    let (standin, state) = server(true, false).await;
    state.lock().unwrap().faults.insert(2, Fault::DropAfter);
    let client = Client::builder(standin.url())
        .proxy(Proxy::Disabled)
        .retry(RetryPolicy::standard().backoff(Duration::from_millis(1), Duration::from_millis(2)))
        .build()
        .unwrap();
    let token = client
        .upload(
            UploadSource::reader(std::io::Cursor::new(bytes.clone()), 5000),
            UploadOptions::new().chunk_size(2000).retry_chunks(true),
        )
        .await
        .unwrap();
    assert_eq!(token.status, Some(kaltura_client::UploadToken::FULL_UPLOAD));
    let id = token.id.as_str();
    assert_eq!(stored(&state, id), bytes);
    assert_eq!(finals(&state), 1, "the final chunk went once");
    let st = state.lock().unwrap();
    assert_eq!(
        st.calls.back().map(String::as_str),
        Some("uploadtoken.get"),
        "the token was read again"
    );
    drop(st);
    no_violations(&state);
}

#[tokio::test]
async fn a_final_chunk_the_server_did_not_take_is_reported_not_repeated() {
    let bytes = data(5000);
    let (standin, state) = server(true, false).await;
    state.lock().unwrap().faults.insert(2, Fault::Unavailable);
    // Even with retries on for the client and for chunks.
    let client = Client::builder(standin.url())
        .proxy(Proxy::Disabled)
        .retry(RetryPolicy::standard().backoff(Duration::from_millis(1), Duration::from_millis(2)))
        .build()
        .unwrap();
    let err = client
        .upload(
            UploadSource::reader(std::io::Cursor::new(bytes.clone()), 5000),
            UploadOptions::new().chunk_size(2000).retry_chunks(true),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err.error, kaltura_client::Error::Http { status: 503, .. }),
        "{:?}",
        err.error
    );
    assert_eq!(err.sent, 4000);
    assert_eq!(finals(&state), 1, "the final chunk went once");
    let id = err.token_id.clone().unwrap();
    let token = client
        .upload(
            UploadSource::reader(std::io::Cursor::new(bytes.clone()), 5000),
            UploadOptions::new().chunk_size(2000).resume(&id),
        )
        .await
        .unwrap();
    assert_eq!(token.status, Some(kaltura_client::UploadToken::FULL_UPLOAD));
    assert_eq!(stored(&state, &id), bytes);
    no_violations(&state);
}

#[tokio::test]
async fn non_final_chunks_are_retried_only_when_asked() {
    let bytes = data(5000);
    let policy =
        RetryPolicy::standard().backoff(Duration::from_millis(1), Duration::from_millis(2));

    // Asked: the 503 on the second chunk is retried at the same offset.
    let (standin, state) = server(true, false).await;
    state.lock().unwrap().faults.insert(1, Fault::Unavailable);
    let client = Client::builder(standin.url())
        .proxy(Proxy::Disabled)
        .retry(policy.clone())
        .build()
        .unwrap();
    let seen = Arc::new(Mutex::new(Vec::<Progress>::new()));
    let s = seen.clone();
    let token = client
        .upload(
            UploadSource::reader(std::io::Cursor::new(bytes.clone()), 5000),
            UploadOptions::new()
                .chunk_size(2000)
                .retry_chunks(true)
                .on_progress(move |p| s.lock().unwrap().push(p.clone())),
        )
        .await
        .unwrap();
    assert_eq!(stored(&state, token.id.as_str()), bytes);
    let offsets: Vec<u64> = state.lock().unwrap().chunks.iter().map(|c| c.2).collect();
    assert_eq!(offsets, [0, 2000, 2000, 4000]);
    no_violations(&state);
    // The chunk sent twice does not move the progress back.
    check_progress(&seen.lock().unwrap(), Some(5000), 2000);

    // Not asked (the default): the client's policy does not cover uploads.
    let (standin, state) = server(true, false).await;
    state.lock().unwrap().faults.insert(1, Fault::Unavailable);
    let client = Client::builder(standin.url())
        .proxy(Proxy::Disabled)
        .retry(policy)
        .build()
        .unwrap();
    let (_dir, path) = write_temp(&bytes);
    let err = client
        .upload(
            UploadSource::path(&path),
            UploadOptions::new().chunk_size(2000),
        )
        .await
        .unwrap_err();
    assert_eq!(err.sent, 2000);
    let offsets: Vec<u64> = state.lock().unwrap().chunks.iter().map(|c| c.2).collect();
    assert_eq!(offsets, [0, 2000]);
}

fn write_temp(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("file.bin");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

#[tokio::test]
async fn resuming_a_complete_token_sends_nothing() {
    let bytes = data(3000);
    let (_dir, path) = write_temp(&bytes);
    let (standin, state) = server(true, false).await;
    let client = client(&standin);
    let token = client
        .upload(
            UploadSource::path(&path),
            UploadOptions::new().chunk_size(1000),
        )
        .await
        .unwrap();
    let id = token.id;
    let before = state.lock().unwrap().chunks.len();
    let again = client
        .upload(
            UploadSource::path(&path),
            UploadOptions::new().chunk_size(1000).resume(&id),
        )
        .await
        .unwrap();
    assert_eq!(again.status, Some(kaltura_client::UploadToken::FULL_UPLOAD));
    assert_eq!(state.lock().unwrap().chunks.len(), before);

    // A different file against that token is refused, not mixed in.
    let (_dir2, other) = write_temp(&data(2999));
    let err = client
        .upload(UploadSource::path(&other), UploadOptions::new().resume(&id))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("another file"), "{err}");
    no_violations(&state);
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let (standin, state) = server(true, false).await;
    let client = client(&standin);
    let err = client
        .upload(
            UploadSource::path("/nonexistent/file.mp4"),
            UploadOptions::new(),
        )
        .await
        .unwrap_err();
    assert!(!err.can_resume());
    assert!(err.to_string().contains("/nonexistent/file.mp4"), "{err}");
    let err = client
        .upload(
            UploadSource::reader(std::io::Cursor::new(vec![1u8]), 1),
            UploadOptions::new().chunk_size(0),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("chunk size"), "{err}");
    let err = client
        .upload(
            UploadSource::reader(std::io::Cursor::new(vec![1u8]), 1),
            UploadOptions::new().resume("0_missing"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.error.code(), Some("UPLOAD_TOKEN_NOT_FOUND"));
    assert!(state.lock().unwrap().chunks.is_empty());
}

/// The file part of every chunk is sent with a content type guessed from the file
/// name, or the one the caller set, as the vendor's Python client does.
#[tokio::test]
async fn chunks_carry_the_content_type_of_the_file_name_or_the_one_set() {
    let part_types = |standin: &StandIn| -> Vec<Option<String>> {
        standin
            .requests()
            .iter()
            .filter(|r| r.service_action() == "uploadtoken.upload")
            .map(|r| {
                let parts = r.parts().expect("a multipart chunk");
                let file = parts
                    .iter()
                    .find(|p| p.name == "fileData")
                    .expect("fileData");
                file.content_type.clone()
            })
            .collect()
    };
    let bytes = data(25);
    let (_dir, path) = write_temp(&bytes);
    let (standin, state) = server(true, false).await;
    let source = UploadSource::path(&path).file_name("talk.MP4");
    client(&standin)
        .upload(source, UploadOptions::new().chunk_size(10))
        .await
        .unwrap();
    no_violations(&state);
    assert_eq!(part_types(&standin), vec![Some("video/mp4".to_string()); 3]);

    let (standin, state) = server(true, false).await;
    let source = UploadSource::reader(std::io::Cursor::new(bytes.clone()), Some(25))
        .file_name("subtitles.srt")
        .content_type("text/plain; charset=utf-8");
    client(&standin)
        .upload(source, UploadOptions::new().chunk_size(10))
        .await
        .unwrap();
    no_violations(&state);
    assert_eq!(
        part_types(&standin),
        vec![Some("text/plain; charset=utf-8".to_string()); 3]
    );

    let (standin, _state) = server(true, false).await;
    let source = UploadSource::reader(std::io::Cursor::new(bytes), None);
    client(&standin)
        .upload(source, UploadOptions::new().chunk_size(100))
        .await
        .unwrap();
    assert_eq!(
        part_types(&standin),
        vec![Some("application/octet-stream".to_string())],
        "a reader without a name is upload.bin"
    );
}
