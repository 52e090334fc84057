//! Load and fault runs: one shared client, 256 calls in flight, against the stand-in
//! server (`src/bin/standin_load.rs`) in a process of its own. Not part of the normal
//! suite (`#[ignore]`): `scripts/load.sh` runs them in release mode and prints the
//! figures (calls per second, latency, memory, file descriptors, what the server
//! received).
//!
//! * `plain`: 24,000 operations mixing gets, lists, multirequests, adds, updates,
//!   deletes and small uploads; every one succeeds, and the server received every write once.
//! * `faulty`: the same with one request in ten meeting a fault (reset, stall past the
//!   timeout, 502, 503/429 with `Retry-After`, an answer cut short) and a retry
//!   policy: every operation ends in success or a typed error, no write is received
//!   twice, and none the client saw succeed is missing.
//! * `upload_resume`: chunked uploads with one chunk request in five meeting a fault,
//!   resumed from the server's size until done; each file must arrive byte for byte
//!   (SHA-1).

use kaltura_client::types::KalturaMediaEntry;
use kaltura_client::{Client, Error, Proxy, RetryPolicy, UploadOptions, UploadSource};
use serde_json::Value;
use sha1::{Digest, Sha1};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const OPERATIONS: usize = 24_000;
const IN_FLIGHT: usize = 256;

/// `KALTURA_LOAD_OPERATIONS` overrides the number of operations (for a quick try).
fn operations() -> usize {
    std::env::var("KALTURA_LOAD_OPERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(OPERATIONS)
}

/// The stand-in server process; stopped (by its handle) when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_standin_load"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the stand-in server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("its stdout"))
            .read_line(&mut line)
            .expect("the stand-in's port");
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the stand-in said {line:?}"));
        Server { child, port }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A plain HTTP/1.1 GET, outside the client being measured.
    fn get(&self, path: &str) -> Vec<u8> {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        // The stand-in keeps connections open: read the head, then `Content-Length`.
        let mut raw = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        let head_end = loop {
            if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let n = s.read(&mut buf).expect("read");
            assert!(n > 0, "the stand-in closed before answering");
            raw.extend_from_slice(&buf[..n]);
        };
        let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .expect("a Content-Length");
        while raw.len() < head_end + len {
            let n = s.read(&mut buf).expect("read");
            assert!(n > 0, "the stand-in closed mid-answer");
            raw.extend_from_slice(&buf[..n]);
        }
        raw[head_end..head_end + len].to_vec()
    }

    fn stats(&self) -> Value {
        serde_json::from_slice(&self.get("/stats")).expect("stats JSON")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Closing its stdin stops it; kill the one we started if it lingers.
        drop(self.child.stdin.take());
        for _ in 0..50 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

/// `VmHWM` (peak resident set) and `VmRSS` of this process, in KiB.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Get,
    List,
    MultiRead,
    Add,
    Update,
    Delete,
    MultiWrite,
    Upload,
}

impl Kind {
    fn of(i: usize) -> Kind {
        match i % 20 {
            0..=4 => Kind::Get,
            5 => Kind::Delete,
            6..=9 => Kind::List,
            10..=11 => Kind::MultiRead,
            12..=13 => Kind::Add,
            14 => Kind::Update,
            15 => Kind::MultiWrite,
            _ => Kind::Upload,
        }
    }

    fn writes(self) -> bool {
        matches!(
            self,
            Kind::Add | Kind::Update | Kind::Delete | Kind::MultiWrite | Kind::Upload
        )
    }
}

struct Outcome {
    kind: Kind,
    latency: Duration,
    /// `None` on success, else the error's kind.
    error: Option<&'static str>,
    /// What the server counts this operation's write under.
    tag: Option<String>,
}

fn error_kind(e: &Error) -> &'static str {
    match e {
        Error::Api(_) => "api",
        Error::Transport { .. } => "transport",
        Error::Timeout(_) => "timeout",
        Error::Http { .. } => "http status",
        Error::UnexpectedBody { .. } => "unexpected body",
        Error::Decode(_) => "decode",
        Error::InvalidInput(_) => "invalid input",
        Error::Ks(_) => "ks",
        Error::ResponseTooLarge { .. } => "too large",
        _ => "other",
    }
}

async fn operation(client: Client, i: usize) -> Outcome {
    let kind = Kind::of(i);
    let started = Instant::now();
    let entry = |name: String| KalturaMediaEntry {
        name: name.into(),
        ..Default::default()
    };
    let (tag, result): (Option<String>, Result<(), Error>) = match kind {
        Kind::Get => (
            None,
            client.media().get(format!("0_{i:06}")).await.map(drop),
        ),
        Kind::List => (
            None,
            client
                .media()
                .list()
                .pager(kaltura_client::types::KalturaFilterPager {
                    page_size: 10.into(),
                    ..Default::default()
                })
                .await
                .map(drop),
        ),
        Kind::MultiRead => {
            let mut mr = client.multirequest();
            let a = mr.add(client.media().get(format!("0_{i:06}")));
            let b = mr.add(client.media().list());
            let r = async {
                let answer = mr.await?;
                answer.get(&a)?;
                answer.get(&b)?;
                Ok::<(), Error>(())
            };
            (None, r.await)
        }
        Kind::Add => {
            let tag = format!("add-{i}");
            let r = client.media().add(entry(tag.clone())).await.map(drop);
            (Some(tag), r)
        }
        Kind::Update => {
            let tag = format!("update-{i}");
            let r = client
                .media()
                .update(format!("0_{i:06}"), entry(tag.clone()))
                .await
                .map(drop);
            (Some(tag), r)
        }
        Kind::Delete => {
            let id = format!("del_{i}");
            let r = client.media().delete(id.clone()).await;
            (Some(format!("delete:{id}")), r)
        }
        Kind::MultiWrite => {
            let tag = format!("mr-add-{i}");
            let mut mr = client.multirequest();
            let a = mr.add(client.media().add(entry(tag.clone())));
            let b = mr.add(client.media().get(format!("0_{i:06}")));
            let r = async {
                let answer = mr.await?;
                answer.get(&a)?;
                answer.get(&b)?;
                Ok::<(), Error>(())
            };
            (Some(tag), r.await)
        }
        Kind::Upload => {
            let name = format!("up-{i}");
            let len = 1024 + (i * 7919) % (15 * 1024);
            let bytes: Vec<u8> = (0..len).map(|b| (b * 31 + i) as u8).collect();
            let source = UploadSource::reader(std::io::Cursor::new(bytes), len as u64)
                .file_name(name.clone());
            let r = client
                .upload(source, UploadOptions::new().chunk_size(64 * 1024))
                .await
                .map(drop)
                .map_err(|e| e.into_error());
            (Some(format!("token:{name}")), r)
        }
    };
    Outcome {
        kind,
        latency: started.elapsed(),
        error: result.as_ref().err().map(error_kind),
        tag,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

/// Runs the mix against `server` and checks what it received.
async fn run(name: &str, server: &Server, client: Client, expect_all_ok: bool) {
    let fds_before = open_fds();
    let started = Instant::now();
    let total = operations();
    // A task is joined as soon as it ends, so the memory measured is the client's, not
    // that of finished tasks waiting to be read.
    let mut in_flight = tokio::task::JoinSet::new();
    let mut outcomes = Vec::with_capacity(total);
    let mut panics = 0;
    let mut collect = |joined: Result<Outcome, tokio::task::JoinError>| match joined {
        Ok(o) => outcomes.push(o),
        Err(_) => panics += 1,
    };
    for i in 0..total {
        if in_flight.len() == IN_FLIGHT {
            if let Some(joined) = in_flight.join_next().await {
                collect(joined);
            }
        }
        in_flight.spawn(operation(client.clone(), i));
    }
    while let Some(joined) = in_flight.join_next().await {
        collect(joined);
    }
    let elapsed = started.elapsed();
    let fds_during = open_fds();
    let stats = server.stats();
    drop(client);
    // Let the pool's connections close.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let fds_after = open_fds();
    let (peak_kib, rss_kib) = memory_kib();

    let mut latencies: Vec<Duration> = outcomes.iter().map(|o| o.latency).collect();
    latencies.sort();
    let requests = stats["requests"].as_u64().unwrap_or(0);
    let mut by_kind: BTreeMap<Kind, (usize, usize)> = BTreeMap::new();
    let mut errors: BTreeMap<&str, usize> = BTreeMap::new();
    for o in &outcomes {
        let slot = by_kind.entry(o.kind).or_default();
        slot.0 += 1;
        if let Some(e) = o.error {
            slot.1 += 1;
            *errors.entry(e).or_default() += 1;
        }
    }

    // Writes: received at most once; none the client saw succeed is missing.
    let writes: HashMap<String, (u64, u64)> = stats["writes"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let n = |i: usize| v.get(i).and_then(Value::as_u64).unwrap_or(0);
                    (k.clone(), (n(0), n(1)))
                })
                .collect()
        })
        .unwrap_or_default();
    let duplicated = writes
        .values()
        .filter(|(received, _)| *received > 1)
        .count();
    let mut lost = 0;
    let mut uncertain_applied = 0;
    let mut write_ops = 0;
    for o in outcomes.iter().filter(|o| o.kind.writes()) {
        write_ops += 1;
        let (_, applied) = o
            .tag
            .as_ref()
            .and_then(|t| writes.get(t))
            .copied()
            .unwrap_or((0, 0));
        match (o.error, applied) {
            (None, 0) => lost += 1,
            (Some(_), 1..) => uncertain_applied += 1,
            _ => {}
        }
    }
    let repeated_chunks = stats["repeated_chunks"].as_u64().unwrap_or(0);

    println!("== {name} ==");
    println!(
        "operations: {} in {:.2} s, {:.0} operations/s; HTTP requests received: {requests} ({:.0}/s)",
        outcomes.len(),
        elapsed.as_secs_f64(),
        outcomes.len() as f64 / elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64()
    );
    println!(
        "latency per operation: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
    println!(
        "memory of this process: peak RSS {} KiB (now {} KiB); open fds before {fds_before}, \
         at the end {fds_during}, after dropping the client {fds_after}",
        peak_kib, rss_kib
    );
    for (kind, (n, failed)) in &by_kind {
        println!("  {kind:?}: {n} operations, {failed} ended in a typed error");
    }
    println!("errors by kind: {errors:?}");
    println!("faults injected by the server: {}", stats["faults"]);
    println!(
        "writes: {write_ops} operations, {duplicated} received more than once, {lost} lost \
         (succeeded but never carried out), {uncertain_applied} carried out although the \
         client got an error (answer lost on the way); chunks received twice: {repeated_chunks}; \
         panicked tasks: {panics}"
    );

    assert_eq!(panics, 0, "an operation panicked");
    assert_eq!(outcomes.len(), total);
    assert_eq!(duplicated, 0, "a write was received more than once");
    assert_eq!(repeated_chunks, 0, "a chunk was received more than once");
    assert_eq!(
        lost, 0,
        "a write the client saw succeed was never carried out"
    );
    if expect_all_ok {
        assert!(errors.is_empty(), "errors without faults: {errors:?}");
        assert_eq!(uncertain_applied, 0);
    }
}

fn client_for(server: &Server, retry: bool, timeout: Duration) -> Client {
    let mut builder = Client::builder(server.url())
        .proxy(Proxy::Disabled)
        .timeout(timeout)
        .upload_timeout(timeout)
        .ks("djJ8MTIzNDU2N3xsb2FkLXRlc3Q");
    if retry {
        builder = builder.retry(
            RetryPolicy::standard()
                .max_attempts(4)
                .backoff(Duration::from_millis(20), Duration::from_millis(400))
                .max_retry_after(Duration::from_secs(2)),
        );
    }
    builder.build().expect("a client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load run; scripts/load.sh"]
async fn plain() {
    let server = Server::start(&[]);
    let client = client_for(&server, true, Duration::from_secs(30));
    run("plain", &server, client, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load run; scripts/load.sh"]
async fn faulty() {
    let server = Server::start(&["--faults", "0.1", "--seed", "7"]);
    let client = client_for(&server, true, Duration::from_secs(2));
    run("faulty", &server, client, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load run; scripts/load.sh"]
async fn upload_resume() {
    const RUNS: usize = 100;
    const CHUNK: u64 = 64 * 1024;
    let server = Arc::new(Server::start(&[
        "--faults",
        "0.05",
        "--upload-faults",
        "0.2",
        "--seed",
        "11",
    ]));
    let client = client_for(&server, true, Duration::from_secs(2));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let totals = Arc::new(Mutex::new((0usize, 0usize, 0usize, 0usize, 0usize)));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for run in 0..RUNS {
        let client = client.clone();
        let server = server.clone();
        let totals = totals.clone();
        let path = dir.path().join(format!("file-{run}.bin"));
        // 200 KiB to 1.2 MiB: 4 to 20 chunks.
        let len = 200 * 1024 + (run * 104_729) % (1024 * 1024);
        let bytes: Vec<u8> = (0..len)
            .map(|b| ((b as u64).wrapping_mul(2_654_435_761) >> (run % 7)) as u8)
            .collect();
        std::fs::write(&path, &bytes).expect("write the file");
        let expected = Sha1::digest(&bytes);
        tasks.push(tokio::spawn(async move {
            let mut token: Option<String> = None;
            let mut interruptions = 0;
            let mut outcome = None;
            // Bounded: a run that needs more than 200 attempts counts as a failure.
            for _ in 0..200 {
                let mut options = UploadOptions::new().chunk_size(CHUNK);
                if let Some(t) = &token {
                    options = options.resume(t.clone());
                }
                let source = UploadSource::path(&path).file_name(format!("resume-{run}"));
                match client.upload(source, options).await {
                    Ok(t) => {
                        outcome = Some(t.id);
                        break;
                    }
                    Err(e) => {
                        interruptions += 1;
                        // No token yet (its `add` failed) or a token that can take no
                        // more: start again with a new one.
                        token = e.token_id.clone();
                    }
                }
            }
            let (matched, mismatched) = match &outcome {
                Some(id) => {
                    let server = server.clone();
                    let id = id.clone();
                    let held =
                        tokio::task::spawn_blocking(move || server.get(&format!("/token/{id}")))
                            .await
                            .expect("read the token");
                    if Sha1::digest(&held) == expected {
                        (1, 0)
                    } else {
                        (0, 1)
                    }
                }
                None => (0, 0),
            };
            let mut t = totals.lock().unwrap();
            t.0 += 1;
            t.1 += usize::from(outcome.is_some());
            t.2 += matched;
            t.3 += mismatched;
            t.4 += interruptions;
        }));
    }
    for t in tasks {
        t.await.expect("an upload run panicked");
    }
    let stats = server.stats();
    let (runs, done, matched, mismatched, interruptions) = *totals.lock().unwrap();
    println!("== upload resume under faults ==");
    println!(
        "runs: {runs}, completed: {done}, SHA-1 identical: {matched}, SHA-1 mismatches: \
         {mismatched}, interruptions resumed: {interruptions}, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!(
        "server: {} requests, chunks received twice at the same offset: {}, chunks \
         overlapping bytes already held: {}, faults: {}",
        stats["requests"], stats["repeated_chunks"], stats["overlapping_chunks"], stats["faults"]
    );
    assert_eq!(runs, RUNS);
    assert_eq!(mismatched, 0, "an upload arrived different from its file");
    assert_eq!(done, RUNS, "an upload did not complete within 200 attempts");
    assert_eq!(stats["overlapping_chunks"], 0, "bytes were sent twice");
}
