//! Several calls in one HTTP request, later calls using earlier results.
//!
//! The calls are `kaltura-client`'s generated requests: [`MultiRequest::add`] gives a
//! [`Handle`] (`let added = mr.add(client.media().add(entry))`), and `added.field("id")`
//! stands for the new entry's id, which the server fills in, in a later request
//! (`mr.add(client.media().get(added.field("id")))`). Once sent, each item has its own
//! `Result` ([`MultiResponse::get`]). The [client guide's
//! *Multirequests*](https://docs.rs/kaltura-client/latest/kaltura_client/#multirequests)
//! shows it, and its [*Everyday
//! tasks*](https://docs.rs/kaltura-client/latest/kaltura_client/#everyday-tasks) a
//! result bound into an object's property ([`MultiRequest::bind`]).
//!
//! On the wire (PROTOCOL §4) the items are the keys `"0"`, `"1"`, ... of one JSON
//! body, each with its `service` and `action`; a reference to an earlier result is
//! the token `{N:result:path}` with a **1-based** `N`. [`Handle::field`] writes those
//! tokens, so they never have to be spelled out by hand. The client's KS and partner id
//! go once at the top level (the server copies them into every item); a call's own
//! `with_ks`/`with_partner_id`, and the language and response profile, go inside the
//! item.

use crate::call::{Part, PreparedCall};
use crate::client::Client;
use crate::codec::{kind, Json, ReadError};
use crate::error::{ApiError, Error};
use crate::reference::{find_token, noting, Class};
pub use crate::reference::{PathStep, RefPath, ResultRef};
use crate::request::{CallOptions, FileParam, Output, Request};
use crate::response::{api_error_in, check_answer, read_error, with_ids};
use crate::secret::Secret;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

struct Item {
    service: &'static str,
    action: &'static str,
    /// Every parameter the action takes, and the properties of its object parameters,
    /// for checking `bind` paths.
    param_names: &'static [&'static str],
    param_properties: fn(&str) -> Option<&'static [&'static str]>,
    params: Map<String, Json>,
    options: CallOptions,
    files: Vec<(&'static str, FileParam)>,
}

/// A multirequest being built: add requests with [`MultiRequest::add`], then
/// [`MultiRequest::send`] (or `.await`) it.
pub struct MultiRequest {
    client: Client,
    id: u64,
    items: Vec<Item>,
    problems: Vec<String>,
    options: CallOptions,
}

impl Client {
    /// A new, empty multirequest sent through this client.
    pub fn multirequest(&self) -> MultiRequest {
        MultiRequest::new(self.clone())
    }
}

impl fmt::Debug for MultiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let calls: Vec<String> = self
            .items
            .iter()
            .map(|i| format!("{}.{}", i.service, i.action))
            .collect();
        f.debug_struct("MultiRequest")
            .field("calls", &calls)
            .field("problems", &self.problems)
            .finish_non_exhaustive()
    }
}

impl MultiRequest {
    pub(crate) fn new(client: Client) -> Self {
        MultiRequest {
            client,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            items: Vec::new(),
            problems: Vec::new(),
            options: CallOptions::default(),
        }
    }

    /// Adds a call; the handle reads its result from the response and makes references
    /// to it for later calls.
    ///
    /// Actions the server refuses inside a multirequest (`enableInMultiRequest=0`) and
    /// serve actions are not sent: [`MultiRequest::send`] then fails with
    /// [`Error::InvalidInput`] naming them.
    pub fn add<R: Request>(&mut self, mut request: R) -> Handle<R::Output> {
        let index = self.items.len();
        let refusal = if R::SERVES_FILE {
            Some("serves a file; use `client.send` or `client.serve_url` for it")
        } else if !R::MULTIREQUEST {
            Some("is not allowed in a multirequest by the server; send it with `client.send`")
        } else {
            None
        };
        if let Some(why) = refusal {
            self.problems
                .push(format!("item {index} ({}.{}) {why}", R::SERVICE, R::ACTION));
        }
        let files = request.take_files();
        let mut options = request.options().clone();
        options.client = None;
        let (params, noted) = noting(|| request.params().into_map());
        self.check_refs(index, R::SERVICE, R::ACTION, &params, &noted);
        self.items.push(Item {
            service: R::SERVICE,
            action: R::ACTION,
            param_names: R::PARAMS,
            param_properties: R::param_properties,
            params,
            options,
            files,
        });
        Handle {
            multirequest: self.id,
            index,
            class: <R::Output as Output>::CLASS,
            _output: PhantomData,
        }
    }

    /// Records what is wrong with the references item `index` holds: a handle of
    /// another multirequest, a call that is not earlier, a property the referred
    /// result's class does not have.
    fn check_refs(
        &mut self,
        index: usize,
        service: &str,
        action: &str,
        params: &Map<String, Json>,
        noted: &[ResultRef],
    ) {
        for r in noted {
            let token = r.token();
            let at = find_token(params, &token).unwrap_or_else(|| "?".into());
            let why = if r.multirequest() != self.id {
                Some("a result of another multirequest".to_string())
            } else if r.item() > index {
                Some("a call that is not an earlier one".to_string())
            } else {
                r.unknown_property()
            };
            if let Some(why) = why {
                self.problems.push(format!(
                    "item {index} ({service}.{action}): `{at}` refers to {token}, {why}"
                ));
            }
        }
    }

    /// Sets a parameter of an added call to an earlier result, the dynamic form for
    /// a path known only at run time: `param` is the path of the API's names (and
    /// array indexes) inside the call's parameters, e.g.
    /// `&["categoryEntry", "categoryId"]`. In code, put the reference where the value
    /// goes instead (`category_id: found.path(("objects", 0, "id")).into()`), which
    /// the compiler checks. The path is checked against the action's
    /// parameters and the declared class of an object parameter: a misspelt name
    /// (`categoryID`) makes the send fail with [`Error::InvalidInput`] naming it.
    pub fn bind<T>(&mut self, item: &Handle<T>, param: &[&str], value: ResultRef) -> &mut Self {
        let problem = if item.multirequest != self.id {
            Some(format!(
                "bind: the handle of item {} belongs to another multirequest",
                item.index
            ))
        } else if value.multirequest() != self.id {
            Some(format!(
                "bind: the reference {value} is to a result of another multirequest"
            ))
        } else if let Some(problem) = value.unknown_property() {
            Some(format!("bind: the reference {value} is wrong: {problem}"))
        } else if let Some(it) = self.items.get_mut(item.index) {
            check_path(it, param)
                .and_then(|()| set_path(&mut it.params, param, value.to_json()))
                .err()
                .map(|e| {
                    format!(
                        "bind: item {} ({}.{}): {e}",
                        item.index, it.service, it.action
                    )
                })
        } else {
            Some(format!("bind: there is no item {}", item.index))
        };
        self.problems.extend(problem);
        self
    }

    /// Uses this KS for the whole multirequest instead of the client's.
    pub fn with_ks(mut self, ks: impl Into<Secret>) -> Self {
        self.options.ks = Some(ks.into());
        self
    }

    /// Impersonates this partner for the whole multirequest.
    pub fn with_partner_id(mut self, partner_id: i64) -> Self {
        self.options.partner_id = Some(partner_id);
        self
    }

    /// Whether the multirequest may be repeated after a failure. By default
    /// ([`Retry::Auto`](crate::Retry::Auto)) it is, under the client's policy, only
    /// when every call in it is read-like ([`crate::retry::is_read_like`]); the
    /// retry setting of each added call is not looked at.
    pub fn with_retry(mut self, retry: crate::retry::Retry) -> Self {
        self.options.retry = retry;
        self
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sends every call in one request. `Err` means the multirequest as a whole
    /// failed (transport, an invalid KS, a refused item); otherwise each item has its
    /// own result in the [`MultiResponse`], and one failed item leaves the others be.
    pub async fn send(self) -> Result<MultiResponse, Error> {
        if self.items.is_empty() {
            return Err(Error::InvalidInput("the multirequest has no calls".into()));
        }
        if !self.problems.is_empty() {
            return Err(Error::InvalidInput(self.problems.join("; ")));
        }
        let client = self.client;
        let labels: Vec<String> = self
            .items
            .iter()
            .map(|i| format!("{}.{}", i.service, i.action))
            .collect();
        let parts = self
            .items
            .into_iter()
            .map(|item| Part {
                service: item.service.into(),
                action: item.action.into(),
                params: item.params,
                options: item.options,
                files: item
                    .files
                    .into_iter()
                    .map(|(n, f)| (n.to_string(), f))
                    .collect(),
            })
            .collect();
        let call = PreparedCall::multirequest(&client, parts, &self.options);
        let (response, secrets) = client.exchange(call).await?;
        let body = check_answer(&response).map_err(|e| e.redact(&secrets))?;
        let results = split_items(body, labels.len(), &response).map_err(|e| e.redact(&secrets))?;
        let mut results = results.into_iter();
        let slots = labels
            .iter()
            .map(|_| match results.next() {
                None => Slot::Missing,
                Some(raw) => match api_error_in(raw.get().as_bytes()) {
                    Some(e) => match Error::Api(with_ids(e, &response)).redact(&secrets) {
                        Error::Api(e) => Slot::Failed(e),
                        _ => Slot::Missing,
                    },
                    None => Slot::Value(Answer {
                        raw: raw.to_owned(),
                        json: OnceLock::new(),
                    }),
                },
            })
            .collect();
        Ok(MultiResponse {
            multirequest: self.id,
            slots,
            labels,
        })
    }
}

impl std::future::IntoFuture for MultiRequest {
    type Output = Result<MultiResponse, Error>;
    type IntoFuture =
        std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send + 'static>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// The first name of `path` must be one of the action's parameters (when the request
/// lists them), and the second a property of that parameter's declared class (when it is
/// an object parameter). Deeper names and array indexes are not checked.
fn check_path(item: &Item, path: &[&str]) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        return Err("the parameter path is empty".into());
    };
    if !item.param_names.is_empty() && !item.param_names.contains(first) {
        return Err(format!(
            "`{first}` is not a parameter of {}.{} (it takes {})",
            item.service,
            item.action,
            item.param_names.join(", ")
        ));
    }
    if let (Some(second), Some(properties)) = (rest.first(), (item.param_properties)(first)) {
        if second.parse::<usize>().is_err() && !properties.contains(second) {
            let near: Vec<&str> = properties
                .iter()
                .copied()
                .filter(|p| p.eq_ignore_ascii_case(second))
                .collect();
            let hint = match near.first() {
                Some(p) => format!("; did you mean `{p}`?"),
                None => String::new(),
            };
            return Err(format!(
                "`{second}` is not a property of parameter `{first}` of {}.{}{hint}",
                item.service, item.action
            ));
        }
    }
    Ok(())
}

fn set_path(params: &mut Map<String, Json>, path: &[&str], value: Json) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        return Err("the parameter path is empty".into());
    };
    if rest.is_empty() {
        params.insert((*first).to_string(), value);
        return Ok(());
    }
    let mut at = params
        .entry((*first).to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    for (n, name) in rest.iter().enumerate() {
        let last = n + 1 == rest.len();
        at = match at {
            Value::Object(map) => {
                if last {
                    map.insert((*name).to_string(), value);
                    return Ok(());
                }
                map.entry((*name).to_string())
                    .or_insert_with(|| Value::Object(Map::new()))
            }
            Value::Array(items) => {
                let i: usize = name
                    .parse()
                    .map_err(|_| format!("`{name}` is not an index of the array"))?;
                let len = items.len();
                let slot = items
                    .get_mut(i)
                    .ok_or_else(|| format!("index {i} is past the array's {len} items"))?;
                if last {
                    *slot = value;
                    return Ok(());
                }
                slot
            }
            other => {
                return Err(format!(
                    "`{}` is {}, not an object",
                    path[..=n].join("."),
                    kind(other)
                ))
            }
        };
    }
    Ok(())
}

/// The result of one call of a multirequest, typed by what the call returns.
///
/// Its references ([`Handle::field`], [`Handle::path`]) go wherever a value of their
/// type goes in a later call of the same multirequest: a property of any type
/// (`category_id: found.path(("objects", 0, "id")).into()`), a string, number or
/// boolean parameter (`client.category_entry().delete(added.field("id"), found.path(("objects", 0, "id")))`).
/// They are checked when the request holding them is added: a name the result's
/// class does not have (`objcts`), or a handle of another multirequest, makes
/// [`MultiRequest::send`] fail with [`Error::InvalidInput`] naming the property, and a
/// request holding a reference sent on its own fails the same way, before anything is
/// sent.
pub struct Handle<T> {
    multirequest: u64,
    index: usize,
    /// The class the call answers, when it is one: its `objectType` and properties.
    class: Class,
    _output: PhantomData<fn() -> T>,
}

impl<T> Clone for Handle<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Handle<T> {}

impl<T> fmt::Debug for Handle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl<T> Handle<T> {
    /// The call's 0-based position in the multirequest.
    /// The call's number on the wire, counted from 1 as the server counts them
    /// (`{1:result}` refers to the first call).
    pub fn number(&self) -> usize {
        self.index + 1
    }

    pub fn index(&self) -> usize {
        self.index
    }

    /// The whole result (`{N:result}`), e.g. the KS that a `session.start` returns.
    pub fn result(&self) -> ResultRef {
        ResultRef::new(self.multirequest, self.index + 1, self.class)
    }

    /// A property of the result (`{N:result:id}`), by the API's name for it.
    pub fn field(&self, name: &str) -> ResultRef {
        self.result().field(name)
    }

    /// A nested property, names as text and indexes as numbers:
    /// `found.path(("objects", 0, "id"))` is `{N:result:objects:0:id}`. A list of
    /// names (`["entry", "id"]`) works too.
    pub fn path(&self, path: impl RefPath) -> ResultRef {
        self.result().path(path)
    }
}

/// The items of a multirequest answer, as raw JSON borrowed from the body.
fn split_items<'a>(
    body: &'a [u8],
    expected: usize,
    response: &crate::transport::HttpResponse,
) -> Result<Vec<&'a RawValue>, Error> {
    let text: &RawValue =
        serde_json::from_slice(body).map_err(|e| read_error(ReadError::Syntax(e), response))?;
    if text.get().starts_with('[') {
        return serde_json::from_str(text.get())
            .map_err(|e| read_error(ReadError::Syntax(e), response));
    }
    let found = crate::codec::raw_kind(text);
    Err(Error::Decode(crate::codec::DecodeError {
        path: "result".into(),
        message: format!(
            "a multirequest answers with an array of {expected} results, found {found}"
        ),
    }))
}

/// A successful item: its JSON text, decoded into a typed value on request, and
/// parsed into a tree only if asked for one.
struct Answer {
    raw: Box<RawValue>,
    json: OnceLock<Json>,
}

impl Answer {
    fn json(&self) -> &Json {
        self.json
            .get_or_init(|| serde_json::from_str(self.raw.get()).unwrap_or(Json::Null))
    }
}

enum Slot {
    Value(Answer),
    Failed(ApiError),
    Missing,
    Taken,
}

/// One call's outcome in a [`MultiResponse`] (see [`MultiResponse::items`]).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct ItemOutcome<'a> {
    /// The call's number on the wire, from 1.
    pub number: usize,
    /// `service.action`, the service by its wire id, lowercase
    /// (`categoryentry.add`), as the request value names it.
    pub call: &'a str,
    /// The raw result, or the API error (`None` when there is no result: the server
    /// sent none, or it was taken).
    pub result: Result<&'a Json, Option<&'a ApiError>>,
}

impl ItemOutcome<'_> {
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }
}

impl fmt::Display for ItemOutcome<'_> {
    /// `#2 category.list: ok` or `#3 categoryentry.add: CATEGORY_NOT_FOUND (...)`
    /// (the service by its wire id, lowercase, as [`ItemOutcome::call`] holds it).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{} {}: ", self.number, self.call)?;
        match self.result {
            Ok(_) => f.write_str("ok"),
            Err(Some(e)) => write!(f, "{} ({})", e.code, e.message),
            Err(None) => f.write_str("no result"),
        }
    }
}

/// The results of a multirequest, one per call, read with the calls' handles.
pub struct MultiResponse {
    multirequest: u64,
    slots: Vec<Slot>,
    labels: Vec<String>,
}

impl fmt::Debug for MultiResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let items: Vec<String> = self
            .labels
            .iter()
            .zip(&self.slots)
            .map(|(l, s)| match s {
                Slot::Value(_) => format!("{l}: ok"),
                Slot::Failed(e) => format!("{l}: {}", e.code),
                Slot::Missing => format!("{l}: missing"),
                Slot::Taken => format!("{l}: taken"),
            })
            .collect();
        f.debug_tuple("MultiResponse").field(&items).finish()
    }
}

impl MultiResponse {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Every call's outcome, in order: its number on the wire (from 1), the call
    /// (`service.action`), and its raw result or API error.
    pub fn items(&self) -> impl Iterator<Item = ItemOutcome<'_>> {
        self.labels
            .iter()
            .zip(&self.slots)
            .enumerate()
            .map(|(index, (call, slot))| ItemOutcome {
                number: index + 1,
                call,
                result: match slot {
                    Slot::Value(v) => Ok(v.json()),
                    Slot::Failed(e) => Err(Some(e)),
                    Slot::Missing | Slot::Taken => Err(None),
                },
            })
    }

    /// The API error of the call at `index`, if it failed.
    pub fn error(&self, index: usize) -> Option<&ApiError> {
        match self.slots.get(index) {
            Some(Slot::Failed(e)) => Some(e),
            _ => None,
        }
    }

    /// The raw JSON result of the call at `index`, if it succeeded (and was not taken).
    pub fn raw(&self, index: usize) -> Option<&Json> {
        match self.slots.get(index) {
            Some(Slot::Value(v)) => Some(v.json()),
            _ => None,
        }
    }

    fn check<T>(&self, handle: &Handle<T>) -> Result<&str, Error> {
        if handle.multirequest != self.multirequest {
            return Err(Error::InvalidInput(format!(
                "the handle of item {} belongs to another multirequest",
                handle.index
            )));
        }
        self.labels
            .get(handle.index)
            .map(String::as_str)
            .ok_or_else(|| Error::InvalidInput(format!("there is no item {}", handle.index)))
    }

    fn decode<T: Output>(index: usize, item: &Answer) -> Result<T, Error> {
        T::from_slice(item.raw.get().as_bytes()).map_err(|e| {
            let mut e = e.into_decode();
            e.path = match e.path.strip_prefix("result") {
                Some(rest) => format!("result[{index}]{rest}"),
                None => format!("result[{index}].{}", e.path),
            };
            Error::Decode(e)
        })
    }

    fn unavailable(index: usize, label: &str, slot: &Slot) -> Error {
        match slot {
            Slot::Failed(e) => Error::Api(e.clone()),
            Slot::Taken => Error::InvalidInput(format!(
                "the result of item {index} ({label}) was already taken"
            )),
            _ => Error::Decode(crate::codec::DecodeError {
                path: format!("result[{index}]"),
                message: format!("the server sent no result for item {index} ({label})"),
            }),
        }
    }

    /// The result of one call, decoded (the JSON stays in place; see
    /// [`MultiResponse::take`]).
    pub fn get<T: Output>(&self, handle: &Handle<T>) -> Result<T, Error> {
        let label = self.check(handle)?;
        match &self.slots[handle.index] {
            Slot::Value(v) => Self::decode(handle.index, v),
            other => Err(Self::unavailable(handle.index, label, other)),
        }
    }

    /// The result of one call, moved out without copying; later reads of the same
    /// item fail.
    pub fn take<T: Output>(&mut self, handle: &Handle<T>) -> Result<T, Error> {
        let label = self.check(handle)?.to_string();
        let slot = &mut self.slots[handle.index];
        match std::mem::replace(slot, Slot::Taken) {
            Slot::Value(v) => Self::decode(handle.index, &v),
            other => {
                let err = Self::unavailable(handle.index, &label, &other);
                if !matches!(other, Slot::Taken) {
                    *slot = other;
                }
                Err(err)
            }
        }
    }
}
