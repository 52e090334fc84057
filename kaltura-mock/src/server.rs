//! The server: a listener on 127.0.0.1, one task per connection, and the handling of
//! each request (faults, the single call or the multirequest, the answer in the format
//! asked for, the log).

use crate::check;
use crate::config::{Config, PartnerSpec, UserSpec};
use crate::errors::{codes, ApiError};
use crate::faults::{Fault, FaultRule, Faults};
use crate::handlers::{self, Answer, Ctx};
use crate::http::{self, Connection, HttpRequest, HttpResponse, Outcome as HttpOutcome};
use crate::log::{CallRecord, RequestRecord};
use crate::multirequest;
use crate::params::{self, FilePart, RequestParams};
use crate::sessions::{self, Session};
use crate::store::Store;
use crate::wire::{self, Format, Outcome};
use kaltura_runtime::redact::Redactor;
use serde_json::{json, Map, Value};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::task::{AbortHandle, JoinHandle};

/// What every connection shares.
pub(crate) struct Shared {
    pub config: Config,
    pub store: Mutex<Store>,
    faults: Mutex<Faults>,
    log: Mutex<Vec<RequestRecord>>,
    base_url: String,
    /// The store changed since it was last written to the state file.
    dirty: AtomicBool,
    /// Held while the state file is written: one writer at a time.
    saving: Mutex<()>,
}

/// How often a changed store is written to its state file.
const STATE_WRITE_EVERY: Duration = Duration::from_millis(100);

impl Shared {
    /// Writes the store to the state file, if there is one and it changed.
    fn save_state(&self) -> std::io::Result<()> {
        let Some(path) = &self.config.state_file else {
            return Ok(());
        };
        let _one = lock(&self.saving);
        if !self.dirty.swap(false, Ordering::SeqCst) {
            return Ok(());
        }
        let json = crate::store::persist::to_json(&lock(&self.store));
        crate::store::persist::save(&json, path).inspect_err(|_| {
            self.dirty.store(true, Ordering::SeqCst);
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere while holding the lock leaves the data usable for a mock.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Builds a [`MockServer`].
#[derive(Debug, Default)]
pub struct Builder {
    config: Config,
}

impl Builder {
    /// A partner with its admin and user secrets.
    pub fn partner(
        mut self,
        id: i64,
        admin_secret: impl Into<String>,
        user_secret: impl Into<String>,
    ) -> Self {
        self.config.partners.push(PartnerSpec {
            id,
            admin_secret: admin_secret.into(),
            user_secret: user_secret.into(),
            entitlement: false,
            children: Vec::new(),
        });
        self
    }

    /// Lets a partner (added before) act for another one (`partnerId` of a call set to
    /// `child`), as a multi-account parent may; any other partner id is refused with
    /// `PARTNER_ACCESS_FORBIDDEN`.
    pub fn child_partner(mut self, parent_id: i64, child_id: i64) -> Self {
        for p in self
            .config
            .partners
            .iter_mut()
            .filter(|p| p.id == parent_id)
        {
            p.children.push(child_id);
        }
        self
    }

    /// Whether a partner (added before) enforces entitlement by default, as accounts
    /// with the entitlement feature do (see [`crate::entitlement`]); off by default.
    pub fn entitlement(mut self, partner_id: i64, enforce: bool) -> Self {
        for p in self
            .config
            .partners
            .iter_mut()
            .filter(|p| p.id == partner_id)
        {
            p.entitlement = enforce;
        }
        self
    }

    /// A user (see [`UserSpec`]); with a login, `user.loginByLoginId` works for it.
    pub fn user(mut self, user: UserSpec) -> Self {
        self.config.users.push(user);
        self
    }

    /// A fault rule (see [`FaultRule`]).
    pub fn fault(mut self, rule: FaultRule) -> Self {
        self.config.faults.push(rule);
        self
    }

    /// The seed of the generator random faults draw from.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }

    /// How long an entry stays PRECONVERT after content is added (default: none).
    pub fn ready_after(mut self, delay: Duration) -> Self {
        self.config.ready_after = delay;
        self
    }

    /// READY entries made at start for each partner (`entry 1`, `entry 2`, ...).
    pub fn seed_entries(mut self, n: usize) -> Self {
        self.config.seed_entries = n;
        self
    }

    /// The largest request body accepted (default 512 MiB).
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.config.max_body = bytes;
        self
    }

    /// The port on 127.0.0.1 (default: any free one).
    pub fn port(mut self, port: u16) -> Self {
        self.config.port = port;
        self
    }

    /// Keeps the store in `path` between runs: read at start when the file exists
    /// (the configured users are then set again, the seed entries not made again),
    /// written within 100 ms of each call and when the server stops. An unreadable
    /// file fails [`Builder::start`] with `InvalidData`, naming what is wrong.
    pub fn state_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.config.state_file = Some(path.into());
        self
    }

    /// Binds 127.0.0.1 and starts serving.
    pub async fn start(self) -> std::io::Result<MockServer> {
        let listener = TcpListener::bind(("127.0.0.1", self.config.port)).await?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");
        let faults = Faults::new(self.config.faults.clone(), self.config.seed);
        let loaded = match &self.config.state_file {
            Some(path) => crate::store::persist::load(path)?,
            None => None,
        };
        let store = match loaded {
            Some(mut store) => {
                seed_users(&mut store, &self.config);
                store
            }
            None => seed_store(&self.config),
        };
        let shared = Arc::new(Shared {
            store: Mutex::new(store),
            faults: Mutex::new(faults),
            log: Mutex::new(Vec::new()),
            dirty: AtomicBool::new(self.config.state_file.is_some()),
            saving: Mutex::new(()),
            config: self.config,
            base_url,
        });
        let writer = shared.config.state_file.is_some().then(|| {
            let shared = shared.clone();
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(STATE_WRITE_EVERY).await;
                    let shared = shared.clone();
                    // A failed write is tried again at the next tick.
                    let _ = tokio::task::spawn_blocking(move || shared.save_state()).await;
                }
            })
        });
        let connections: Arc<Mutex<Vec<AbortHandle>>> = Arc::new(Mutex::new(Vec::new()));
        let accept = {
            let shared = shared.clone();
            let connections = connections.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let task = tokio::spawn(serve_connection(shared.clone(), stream));
                    let mut all = lock(&connections);
                    all.retain(|h| !h.is_finished());
                    all.push(task.abort_handle());
                }
            })
        };
        Ok(MockServer {
            addr,
            shared,
            accept,
            connections,
            writer,
        })
    }
}

/// The configured users and seed entries, stored before the first request.
fn seed_store(config: &Config) -> Store {
    let mut store = Store::default();
    seed_users(&mut store, config);
    let now = kaltura_ks::unix_now();
    for p in &config.partners {
        for i in 1..=config.seed_entries {
            let id = store.next_id();
            let entry = json!({
                "objectType": "KalturaMediaEntry", "id": id, "name": format!("entry {i}"),
                "partnerId": p.id, "status": "2", "type": "1", "mediaType": 1,
                "createdAt": now - (config.seed_entries - i) as i64, "updatedAt": now,
                "userId": "", "version": 0,
            });
            store.partner(p.id).entries.insert(&id, entry);
        }
    }
    store
}

/// The configured users (who can log in), set in the store.
fn seed_users(store: &mut Store, config: &Config) {
    let now = kaltura_ks::unix_now();
    for u in &config.users {
        let data = store.partner(u.partner_id);
        let user = json!({
            "objectType": "KalturaUser", "id": u.id, "partnerId": u.partner_id,
            "email": u.login_id.clone().unwrap_or_default(), "isAdmin": u.is_admin,
            "status": 1, "loginEnabled": u.password.is_some(),
            "createdAt": now, "updatedAt": now,
        });
        data.users.insert(&u.id, user);
        if let Some(p) = &u.password {
            data.passwords.insert(u.id.clone(), p.clone());
        }
    }
}

/// A running mock; stops when dropped.
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
    connections: Arc<Mutex<Vec<AbortHandle>>>,
    writer: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// `http://127.0.0.1:<port>`, the service URL to give a client.
    pub fn url(&self) -> String {
        self.shared.base_url.clone()
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every request received so far, in order (redacted).
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.log).clone()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// Stored entries of a partner (for checks and measurements).
    pub fn entry_count(&self, partner_id: i64) -> usize {
        lock(&self.shared.store)
            .partners
            .get(&partner_id)
            .map_or(0, |p| p.entries.len())
    }

    /// Writes the store to the state file now (when there is one and it changed since
    /// it was last written).
    pub fn save_state(&self) -> std::io::Result<()> {
        self.shared.save_state()
    }

    /// Serves until the listener fails (for the command line).
    pub async fn wait(mut self) {
        let _ = (&mut self.accept).await;
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.accept.abort();
        for c in lock(&self.connections).drain(..) {
            c.abort();
        }
        if let Some(w) = &self.writer {
            w.abort();
        }
        // The last changes; nowhere to report a failure from a drop.
        let _ = self.shared.save_state();
    }
}

async fn serve_connection(shared: Arc<Shared>, stream: tokio::net::TcpStream) {
    let mut conn = Connection::new(stream, shared.config.max_body);
    loop {
        let req = match conn.read_request().await {
            Ok(r) => r,
            Err(e) => {
                conn.refuse(&e).await;
                return;
            }
        };
        let keep = http::wants_keep_alive(&req);
        let outcome = handle(&shared, req).await;
        if !conn.write(outcome, keep).await {
            return;
        }
    }
}

const HTML_PAGE: &str = "<!DOCTYPE html><html><head><title>Service Unavailable</title></head>\
<body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request.</p></body></html>";

/// Handles one request to its answer (or its fault).
pub(crate) async fn handle(shared: &Arc<Shared>, req: HttpRequest) -> HttpOutcome {
    let started = Instant::now();
    let mut record = RequestRecord {
        method: req.method.clone(),
        path: req.path.clone(),
        format: Format::Xml,
        params: Value::Null,
        files: Vec::new(),
        calls: Vec::new(),
        multirequest: false,
        fault: None,
        status: 0,
    };
    if let Some(out) = serve_asset(shared, &req) {
        record.status = match &out {
            HttpOutcome::Respond(r) => r.status,
            _ => 0,
        };
        lock(&shared.log).push(record);
        return out;
    }
    let parsed = params::read(&req);
    let (tree, files) = match parsed {
        Ok(RequestParams { tree, files, .. }) => (tree, files),
        Err(why) => {
            let format = Format::from_param(
                params::form_pairs(&req.query)
                    .iter()
                    .find(|(k, _)| k == "format")
                    .map(|(_, v)| Value::String(v.clone()))
                    .as_ref(),
            );
            record.format = format;
            record.calls.push(CallRecord {
                service: String::new(),
                action: String::new(),
                error: Some(codes::INTERNAL.into()),
                notes: vec![why],
            });
            let body = wire::single(format, &Err(ApiError::new(codes::INTERNAL, &[])), 0.0);
            record.status = 200;
            lock(&shared.log).push(record);
            return HttpOutcome::Respond(HttpResponse::new(200, format.content_type(), body));
        }
    };
    let format = Format::from_param(tree.get("format"));
    record.format = format;
    record.files = files
        .iter()
        .map(|(k, f)| (k.clone(), f.data.len()))
        .collect();
    let service = tree
        .get("service")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let multi = service.eq_ignore_ascii_case("multirequest");
    record.multirequest = multi;
    let target = if multi {
        "multirequest".to_string()
    } else {
        format!(
            "{}.{}",
            service,
            tree.get("action").and_then(Value::as_str).unwrap_or("")
        )
    };
    let faults = lock(&shared.faults).pick(&target);
    let redactor = Redactor::from_params(&tree);
    let mut shown = Value::Object(tree.clone());
    redactor.json(&mut shown);
    record.params = shown;
    let mut replace = None;
    for f in &faults {
        match f {
            Fault::Latency(d) => tokio::time::sleep(*d).await,
            other => replace = Some(other.clone()),
        }
    }
    if let Some(f) = &replace {
        record.fault = Some(f.name());
    } else if let Some(f) = faults.first() {
        record.fault = Some(f.name());
    }
    let early = match &replace {
        Some(Fault::Status(s)) => Some(HttpOutcome::Respond(HttpResponse::new(
            *s,
            "text/plain",
            Vec::new(),
        ))),
        Some(Fault::Html(s)) => Some(HttpOutcome::Respond(HttpResponse::new(
            *s,
            "text/html; charset=utf-8",
            HTML_PAGE.as_bytes().to_vec(),
        ))),
        Some(Fault::Reset) => Some(HttpOutcome::Reset),
        Some(Fault::Close) => Some(HttpOutcome::Close),
        _ => None,
    };
    if let Some(out) = early {
        record.status = match &out {
            HttpOutcome::Respond(r) => r.status,
            _ => 0,
        };
        lock(&shared.log).push(record);
        return out;
    }

    let response = if multi {
        let mut external = None;
        let items = multirequest::items(&tree);
        let mut done: Vec<Outcome> = Vec::with_capacity(items.len());
        for (key, mut item) in items {
            if !item.contains_key("service") || !item.contains_key("action") {
                break;
            }
            let mut v = Value::Object(std::mem::take(&mut item));
            let resolved = multirequest::resolve(&mut v, &done);
            let item = match v {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            let prefix = format!("{key}:");
            let lookup = |name: &str| files.get(&format!("{prefix}{name}")).cloned();
            let (outcome, rec) = match resolved {
                Ok(()) => run_call(shared, &item, &lookup, &redactor),
                Err(token) => {
                    let e = ApiError::new(codes::MISSING_MANDATORY_PARAMETER, &[&token]);
                    let rec = CallRecord {
                        service: item
                            .get("service")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .into(),
                        action: item
                            .get("action")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .into(),
                        error: Some(e.code.clone()),
                        notes: vec![format!("reference {token} did not resolve")],
                    };
                    (Err(e), rec)
                }
            };
            record.calls.push(rec);
            match outcome {
                // The server stops there, for the whole request.
                Ok(Answer::External(e)) => {
                    external = Some(e);
                    break;
                }
                other => done.push(other.map(|a| match a {
                    Answer::Value(v) => v,
                    _ => Value::String(String::new()),
                })),
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        match external {
            Some(e) => external_response(&e),
            None => HttpResponse::new(
                200,
                format.content_type(),
                wire::multi(format, &done, seconds),
            ),
        }
    } else {
        let lookup = |name: &str| files.get(name).cloned();
        let (outcome, rec) = run_call(shared, &tree, &lookup, &redactor);
        record.calls.push(rec);
        let seconds = started.elapsed().as_secs_f64();
        match outcome {
            Ok(Answer::File {
                bytes,
                content_type,
            }) => HttpResponse::new(200, &content_type, bytes),
            Ok(Answer::External(e)) => external_response(&e),
            Ok(Answer::Value(v)) => HttpResponse::new(
                200,
                format.content_type(),
                wire::single(format, &Ok(v), seconds),
            ),
            Err(e) => HttpResponse::new(
                200,
                format.content_type(),
                wire::single(format, &Err(e), seconds),
            ),
        }
    };
    record.status = response.status;
    lock(&shared.log).push(record);
    if shared.config.state_file.is_some() {
        shared.dirty.store(true, Ordering::SeqCst);
    }
    if let Some(Fault::Truncated) = replace {
        let sent = response.body.len() / 2;
        return HttpOutcome::Truncated { response, sent };
    }
    let mut response = response;
    response
        .headers
        .push(("X-Me".into(), "kaltura-mock".into()));
    HttpOutcome::Respond(response)
}

/// The server's answer to a delivery error: no body, the error in its headers.
fn external_response(e: &crate::entitlement::External) -> HttpResponse {
    crate::delivery::response(crate::delivery::Delivered::Error(e.clone()))
}

/// A delivery URL (`/p/<partner>/...`, see [`crate::delivery`]), answered.
fn serve_asset(shared: &Arc<Shared>, req: &HttpRequest) -> Option<HttpOutcome> {
    let store = lock(&shared.store);
    let delivered = crate::delivery::serve(&shared.config, &store, req, kaltura_ks::unix_now())?;
    Some(HttpOutcome::Respond(crate::delivery::response(delivered)))
}

/// Runs one call and describes it for the log.
fn run_call(
    shared: &Arc<Shared>,
    tree: &Map<String, Value>,
    files: &dyn Fn(&str) -> Option<FilePart>,
    redactor: &Redactor,
) -> (Result<Answer, ApiError>, CallRecord) {
    let service = tree
        .get("service")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let action = tree
        .get("action")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mut notes = Vec::new();
    let outcome = call(shared, &service, &action, tree, files, &mut notes);
    let record = CallRecord {
        service,
        action,
        error: outcome.as_ref().err().map(|e| e.code.clone()),
        notes: notes.iter().map(|n| redactor.text(n)).collect(),
    };
    (outcome, record)
}

/// One call, checked like the server checks it, then run.
fn call(
    shared: &Arc<Shared>,
    service: &str,
    action: &str,
    tree: &Map<String, Value>,
    files: &dyn Fn(&str) -> Option<FilePart>,
    notes: &mut Vec<String>,
) -> Result<Answer, ApiError> {
    let api = kaltura_metadata::api();
    if service.is_empty() {
        return Err(ApiError::new(codes::SERVICE_NOT_SPECIFIED, &[]));
    }
    let svc = api
        .service(service)
        .ok_or_else(|| ApiError::new(codes::SERVICE_DOES_NOT_EXISTS, &[service]))?;
    if action.is_empty() {
        return Err(ApiError::new(codes::ACTION_NOT_SPECIFIED, &[]));
    }
    let meta = svc
        .action(action)
        .ok_or_else(|| ApiError::new(codes::ACTION_DOES_NOT_EXISTS, &[action, service]))?;
    let now = kaltura_ks::unix_now();
    let ks = tree
        .get("ks")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty());
    let session = if sessions::needs_no_ks(&svc.id, &meta.name) {
        let partner_id = tree
            .get("partnerId")
            .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
            .unwrap_or(0);
        Session {
            partner_id,
            ..Default::default()
        }
    } else {
        let ks = ks.ok_or_else(|| ApiError::new(codes::MISSING_KS, &[]))?;
        let mut session = sessions::check_ks(&shared.config, ks, now)?;
        if !session.admin && !sessions::user_may_call(&svc.id, &meta.name) {
            return Err(sessions::forbidden(&svc.name, &meta.name));
        }
        // Acting for another partner (impersonation): only for a partner of the KS
        // partner's group, as the server allows it.
        let asked = tree
            .get("partnerId")
            .and_then(|v| v.as_i64().or_else(|| v.as_str()?.trim().parse().ok()))
            .filter(|p| *p != 0 && *p != session.partner_id);
        if let Some(asked) = asked {
            let may = shared
                .config
                .partner(session.partner_id)
                .is_some_and(|p| p.children.contains(&asked));
            if !may {
                return Err(ApiError::new(
                    codes::PARTNER_ACCESS_FORBIDDEN,
                    &[&session.partner_id.to_string(), &asked.to_string()],
                ));
            }
            notes.push(format!(
                "partner {} acting for partner {asked}",
                session.partner_id
            ));
            session.partner_id = asked;
        }
        session
    };
    let has_file = |name: &str| files(name).is_some();
    let args = check::arguments(api, meta, tree, &has_file, notes)?;
    let mut store = lock(&shared.store);
    let mut ctx = Ctx {
        api,
        config: &shared.config,
        store: &mut store,
        session: &session,
        files,
        notes,
        now,
        base_url: &shared.base_url,
        service: &svc.id,
        action: meta,
    };
    handlers::run(&mut ctx, &args)
}
