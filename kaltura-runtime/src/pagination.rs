//! List actions consumed as a stream of items across pages, past the server's
//! 10,000-match limit.
//!
//! Every generated `list`-style request whose action takes a `pager` and returns a
//! list response (`objects` + `totalCount`) implements [`Paginated`], and gets
//! `.paginate(page_size)`: `client.media().list().paginate(100)` is a stream of every
//! entry, as the [client guide's
//! *Pagination*](https://docs.rs/kaltura-client/latest/kaltura_client/#pagination)
//! shows.
//!
//! The stream asks for page 1, 2, ... with the page size given (at most 500, the
//! server's largest; its default is 30), and stops after a short page, an empty page,
//! or once the reported `totalCount` has been reached.
//!
//! # Lists longer than 10,000
//!
//! The server pages one query only up to its first 10,000 matches ([`MAX_MATCHES`]):
//! for the lists its search index serves (entries, categories, users, cue points, ...)
//! a page that starts there is refused with `QUERY_EXCEEDED_MAX_MATCHES_ALLOWED`, and a
//! page that runs past it comes back cut short. A plain page-by-page loop therefore
//! ends early without a word. This stream does not:
//!
//! * it walks the list in **windows** of a stable order: sorted by `createdAt` (or by
//!   `id`), and once a window has been paged to the limit, the next one starts where
//!   it ended, with the filter narrowed (`createdAtGreaterThanOrEqual` = the last
//!   `createdAt` seen). Objects at that boundary come again in the new window; the
//!   ones already yielded are skipped, so **each object is yielded once**;
//! * which property narrows is decided per filter, from the properties its class has:
//!   `createdAt…OrEqual` first, then `id…` ranges (`idGreaterThan`). When the filter
//!   sets no `orderBy` and the first page reports more than 10,000 objects, the
//!   stream asks again sorted by `+createdAt` (the first page is not yielded twice).
//!   An `orderBy` of `+createdAt` or `-createdAt` (or `±id`) is kept, windows going
//!   the same way;
//! * when a list reaches the limit and cannot be narrowed (its filter has no such
//!   range, it is sorted by another property, its objects come without `createdAt`,
//!   the server did not sort them, or more than 10,000 share one `createdAt`), the
//!   stream ends with [`Error::ListTruncated`] after the objects it could list,
//!   rather than ending as if the list were whole.
//!
//! Lists under the limit are asked for exactly as before: the windows begin only
//! when the first page says the list is longer. Objects added or changed while a long
//! list is walked may or may not be seen, as with any paging.
//!
//! The same walk is offered on JSON for programs without generated types (the
//! command line's `call … --all`): [`paginate_json`].

use crate::codec::Json;
use crate::request::{CallOptions, FileParam, Output, Params, Request};
use crate::{Client, Error};
use futures_util::stream::{self, Stream};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// How deep the server pages one query: its search index (`SphinxCriteria`) refuses
/// an offset of 10,000 or more and cuts a page that runs past it.
pub const MAX_MATCHES: i64 = 10_000;

/// The largest page the server serves (`KalturaFilterPager`); a larger `page_size`
/// is lowered to it, since the server would cut every page to it anyway and the
/// stream would take the first for the last.
pub const MAX_PAGE_SIZE: i64 = 500;

/// The error code of a page asked for past [`MAX_MATCHES`].
pub const QUERY_EXCEEDED_MAX_MATCHES_ALLOWED: &str = "QUERY_EXCEEDED_MAX_MATCHES_ALLOWED";

/// A list request that can be paged.
pub trait Paginated: Request + Clone {
    /// One element of the list.
    type Item: Send + 'static;

    /// Sets the pager to page `page_index` (1-based) of `page_size` items.
    fn set_page(&mut self, page_index: i64, page_size: i64);

    /// The items of one page and the reported total, if any.
    fn into_page(output: Self::Output) -> (Vec<Self::Item>, Option<i64>);
}

/// Streams every item of a list request, one page at a time, past the 10,000-match
/// limit (see [`crate::pagination`]).
pub fn paginate<R: Paginated>(
    client: Client,
    request: R,
    page_size: i64,
) -> impl Stream<Item = Result<R::Item, Error>> + Send + 'static
where
    R::Output: Send,
{
    let filter = match request.params().0.remove("filter") {
        Some(Value::Object(f)) => Some(f),
        _ => None,
    };
    let properties = R::param_properties("filter")
        .unwrap_or_default()
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>();
    walk(Typed { client, request }, filter, &properties, page_size)
}

/// Streams every object of a list action called by name (`service`, `action`, JSON
/// `params` as for [`Client::call_json`]), with the same walk past 10,000 as
/// [`paginate`]. `filter_properties` are the wire names of the properties the
/// filter's class has (its own and inherited ones: `kaltura_metadata` knows them);
/// they decide how a long list is narrowed, and with none it is not.
///
/// The `pager` parameter is the stream's (its other members are kept); the
/// answers must be list responses (`objects`, `totalCount`).
pub fn paginate_json(
    client: &Client,
    service: &str,
    action: &str,
    mut params: Map<String, Json>,
    page_size: i64,
    filter_properties: &[&str],
) -> impl Stream<Item = Result<Json, Error>> + Send + 'static {
    let filter = match params.remove("filter") {
        Some(Value::Object(f)) => Some(f),
        _ => None,
    };
    let properties: Vec<String> = filter_properties.iter().map(|p| p.to_string()).collect();
    walk(
        Dynamic {
            client: client.clone(),
            service: service.to_string(),
            action: action.to_string(),
            params,
            filter: filter.clone(),
        },
        filter,
        &properties,
        page_size,
    )
}

// ---- what one page gives ----

/// One page: its items, the keys windows are cut by, and the reported total.
struct Page<T> {
    items: Vec<T>,
    keys: Vec<Keys>,
    total: Option<i64>,
}

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>, Error>> + Send>>;

/// Fetches one page: `filter` replaces the request's own when given (a narrowed
/// window), and the pager is set to `index` and `size`.
trait Fetch: Send + 'static {
    type Item: Send + 'static;
    fn fetch(
        &mut self,
        filter: Option<Map<String, Json>>,
        index: i64,
        size: i64,
    ) -> PageFuture<Self::Item>;
}

/// What windows need of one listed object, read beside the typed decode.
#[derive(Debug, Clone, Default, PartialEq)]
struct Keys {
    id: Option<String>,
    created_at: Option<i64>,
}

impl Keys {
    fn of_json(object: &Json) -> Keys {
        let lenient = |v: &Json| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        Keys {
            id: match object.get("id") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            },
            created_at: object.get("createdAt").and_then(lenient),
        }
    }

    fn value(&self, key: Key) -> Option<i64> {
        match key {
            Key::CreatedAt => self.created_at,
            Key::Id => self.id.as_deref().and_then(|i| i.parse().ok()),
        }
    }
}

// ---- the typed walk: a request value, its filter rewritten as JSON ----

struct Typed<R> {
    client: Client,
    request: R,
}

impl<R: Paginated> Fetch for Typed<R>
where
    R::Output: Send,
{
    type Item = R::Item;

    fn fetch(
        &mut self,
        filter: Option<Map<String, Json>>,
        index: i64,
        size: i64,
    ) -> PageFuture<R::Item> {
        let mut request = self.request.clone();
        request.set_page(index, size);
        let client = self.client.clone();
        Box::pin(async move {
            let keyed = client.send(Narrowed { request, filter }).await?;
            let (items, total) = R::into_page(keyed.output);
            Ok(Page {
                items,
                keys: keyed.keys,
                total,
            })
        })
    }
}

/// A list request whose `filter` is replaced by a window's: the runtime cannot set
/// a generated filter's fields, so the window is written into the JSON it sends.
/// The filter keeps its `objectType`; one made for a caller who gave none has none,
/// and the server then reads it as the action's declared filter class.
struct Narrowed<R> {
    request: R,
    filter: Option<Map<String, Json>>,
}

impl<R: Request> Request for Narrowed<R> {
    type Output = Keyed<R::Output>;
    const SERVICE: &'static str = R::SERVICE;
    const ACTION: &'static str = R::ACTION;
    const MULTIREQUEST: bool = R::MULTIREQUEST;
    const SERVES_FILE: bool = R::SERVES_FILE;
    const PARAMS: &'static [&'static str] = R::PARAMS;

    fn param_properties(name: &str) -> Option<&'static [&'static str]> {
        R::param_properties(name)
    }

    fn params(&self) -> Params {
        let mut params = self.request.params();
        if let Some(filter) = &self.filter {
            params
                .0
                .insert("filter".into(), Value::Object(filter.clone()));
        }
        params
    }

    fn take_files(&mut self) -> Vec<(&'static str, FileParam)> {
        self.request.take_files()
    }

    fn options(&self) -> &CallOptions {
        self.request.options()
    }

    fn options_mut(&mut self) -> &mut CallOptions {
        self.request.options_mut()
    }
}

/// A typed answer and the keys of its objects, both read from the same bytes: the
/// second pass skips everything but `objects[*].id` and `createdAt`.
struct Keyed<O> {
    output: O,
    keys: Vec<Keys>,
}

impl<O: Output> Output for Keyed<O> {
    fn from_slice(json: &[u8]) -> Result<Self, crate::codec::ReadError> {
        let output = O::from_slice(json)?;
        // The typed decode has accepted the answer; keys that cannot be read only
        // mean the list cannot be narrowed, which the walk reports if it must.
        let keys = serde_json::from_slice::<PageKeys>(json)
            .map(|k| k.0)
            .unwrap_or_default();
        Ok(Keyed { output, keys })
    }
}

// ---- the JSON walk ----

struct Dynamic {
    client: Client,
    service: String,
    action: String,
    params: Map<String, Json>,
    filter: Option<Map<String, Json>>,
}

impl Fetch for Dynamic {
    type Item = Json;

    fn fetch(
        &mut self,
        filter: Option<Map<String, Json>>,
        index: i64,
        size: i64,
    ) -> PageFuture<Json> {
        let mut params = self.params.clone();
        if let Some(f) = filter.or_else(|| self.filter.clone()) {
            params.insert("filter".into(), Value::Object(f));
        }
        let pager = params
            .entry("pager")
            .or_insert_with(|| Value::Object(Map::new()));
        if !pager.is_object() {
            *pager = Value::Object(Map::new());
        }
        if let Value::Object(p) = pager {
            p.entry("objectType")
                .or_insert_with(|| Value::from("KalturaFilterPager"));
            p.insert("pageIndex".into(), Value::from(index));
            p.insert("pageSize".into(), Value::from(size));
        }
        let client = self.client.clone();
        let (service, action) = (self.service.clone(), self.action.clone());
        Box::pin(async move {
            let answer = client
                .call_json(&service, &action, params, Vec::new())
                .await?;
            let not_a_list = |what: &str| {
                Error::Decode(crate::codec::DecodeError {
                    path: "result".into(),
                    message: format!(
                        "{service}.{action} answered {what}, not a list response (objects, totalCount)"
                    ),
                })
            };
            let Value::Object(mut answer) = answer else {
                return Err(not_a_list(crate::codec::kind(&answer)));
            };
            let items = match answer.remove("objects") {
                Some(Value::Array(items)) => items,
                None | Some(Value::Null) => Vec::new(),
                Some(other) => {
                    return Err(not_a_list(&format!(
                        "objects as {}",
                        crate::codec::kind(&other)
                    )))
                }
            };
            let keys = items.iter().map(Keys::of_json).collect();
            let total = match answer.get("totalCount") {
                Some(Value::Number(n)) => n.as_i64(),
                Some(Value::String(s)) => s.trim().parse().ok(),
                _ => None,
            };
            Ok(Page { items, keys, total })
        })
    }
}

// ---- windows ----

/// A property windows are cut by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    CreatedAt,
    Id,
}

impl Key {
    const ALL: [Key; 2] = [Key::CreatedAt, Key::Id];

    fn name(self) -> &'static str {
        match self {
            Key::CreatedAt => "createdAt",
            Key::Id => "id",
        }
    }
}

/// How a list is cut into windows: the order and the filter property that starts a
/// window where the last one ended.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Window {
    key: Key,
    ascending: bool,
    /// `createdAtGreaterThanOrEqual`, `idGreaterThan`, ...
    bound: String,
    /// The bound takes its own value (`…OrEqual`): objects at the boundary come
    /// again and are skipped.
    inclusive: bool,
}

impl Window {
    /// The window for `key` in this direction, if the filter has a property to bound
    /// it with; an inclusive one first, as it needs no arithmetic on the key.
    fn find(properties: &[String], key: Key, ascending: bool) -> Option<Window> {
        let (inclusive, exclusive) = if ascending {
            ("GreaterThanOrEqual", "GreaterThan")
        } else {
            ("LessThanOrEqual", "LessThan")
        };
        [(inclusive, true), (exclusive, false)]
            .into_iter()
            .find_map(|(suffix, inclusive)| {
                let bound = format!("{}{suffix}", key.name());
                properties.contains(&bound).then_some(Window {
                    key,
                    ascending,
                    bound,
                    inclusive,
                })
            })
    }

    fn order(&self) -> String {
        format!(
            "{}{}",
            if self.ascending { '+' } else { '-' },
            self.key.name()
        )
    }

    /// Whether `next` may follow `previous` in this order.
    fn in_order(&self, previous: i64, next: i64) -> bool {
        if self.ascending {
            previous <= next
        } else {
            previous >= next
        }
    }
}

/// What the walk may do once a list proves longer than the server pages.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Plan {
    /// The caller's `orderBy` is a window order: windows follow it.
    Follow(Window),
    /// No `orderBy`: sorted this way, if the list is longer than the limit.
    Impose(Window),
    /// No window fits; the reason, for the error at the limit.
    Plain(String),
}

impl Plan {
    fn new(properties: &[String], order: Option<&str>) -> Plan {
        match order.map(str::trim).filter(|o| !o.is_empty()) {
            Some(order) => {
                let (ascending, field) = match order.split_at(1) {
                    ("+", field) => (true, field),
                    ("-", field) => (false, field),
                    _ => (true, ""),
                };
                Key::ALL
                    .into_iter()
                    .filter(|k| k.name() == field)
                    .find_map(|k| Window::find(properties, k, ascending))
                    .map(Plan::Follow)
                    .unwrap_or_else(|| {
                        Plan::Plain(format!(
                            "it is sorted by `{order}`: leave orderBy unset, or sort by \
                             +createdAt or -createdAt, to list past them"
                        ))
                    })
            }
            None => Key::ALL
                .into_iter()
                .find_map(|k| Window::find(properties, k, true))
                .map(Plan::Impose)
                .unwrap_or_else(|| {
                    Plan::Plain(
                        "its filter has no createdAt or id range to narrow the query by".into(),
                    )
                }),
        }
    }

    fn window(&self) -> Option<&Window> {
        match self {
            Plan::Follow(w) | Plan::Impose(w) => Some(w),
            Plan::Plain(_) => None,
        }
    }
}

/// The walk's state between pages.
struct Walk<F: Fetch> {
    fetch: F,
    size: i64,
    plan: Plan,
    /// The caller's filter, which windows extend.
    base: Option<Map<String, Json>>,
    /// Pages are cut into windows (the plan's order is the list's).
    windowed: bool,
    /// The bound of the current window, once one was narrowed.
    start: Option<i64>,
    /// The next page of the current window.
    index: i64,
    /// Objects received in the current window, repeats included.
    window_seen: i64,
    /// Objects yielded.
    listed: u64,
    /// The whole list's size, from its first page.
    total: Option<i64>,
    /// The key of the last object and the ids yielded at it: the ones a window
    /// starting there brings again.
    last: Option<i64>,
    at_last: HashSet<String>,
    /// An object without the key was seen, or one out of order.
    keyless: bool,
    unordered: bool,
    buffer: VecDeque<F::Item>,
    /// An error to yield once the buffer is empty.
    pending: Option<Error>,
    done: bool,
}

fn walk<F: Fetch>(
    fetch: F,
    filter: Option<Map<String, Json>>,
    properties: &[String],
    page_size: i64,
) -> impl Stream<Item = Result<F::Item, Error>> + Send + 'static {
    let order = filter
        .as_ref()
        .and_then(|f| f.get("orderBy"))
        .and_then(Value::as_str);
    let plan = Plan::new(properties, order);
    let state = Walk {
        fetch,
        size: page_size.clamp(1, MAX_PAGE_SIZE),
        windowed: matches!(plan, Plan::Follow(_)),
        plan,
        base: filter,
        start: None,
        index: 1,
        window_seen: 0,
        listed: 0,
        total: None,
        last: None,
        at_last: HashSet::new(),
        keyless: false,
        unordered: false,
        buffer: VecDeque::new(),
        pending: None,
        done: false,
    };
    stream::unfold(state, |mut s| async move {
        loop {
            if let Some(item) = s.buffer.pop_front() {
                return Some((Ok(item), s));
            }
            if let Some(e) = s.pending.take() {
                s.done = true;
                return Some((Err(e), s));
            }
            if s.done {
                return None;
            }
            // A window is paged only as deep as the server serves in full.
            if s.windowed && s.window_seen > 0 && s.index * s.size > MAX_MATCHES {
                if let Err(e) = s.next_window() {
                    s.pending = Some(e);
                }
                continue;
            }
            let filter = s.filter();
            match s.fetch.fetch(filter, s.index, s.size).await {
                Ok(page) => s.accept(page),
                Err(e) if e.code() == Some(QUERY_EXCEEDED_MAX_MATCHES_ALLOWED) => {
                    s.pending = s.past_the_limit().err();
                }
                Err(e) => s.pending = Some(e),
            }
        }
    })
}

impl<F: Fetch> Walk<F> {
    /// The filter to send: `None` keeps the request's own.
    fn filter(&self) -> Option<Map<String, Json>> {
        let window = self.plan.window().filter(|_| self.windowed)?;
        let imposed = matches!(self.plan, Plan::Impose(_));
        if self.start.is_none() && !imposed {
            return None;
        }
        let mut filter = self.base.clone().unwrap_or_default();
        if imposed {
            filter.insert("orderBy".into(), Value::from(window.order()));
        }
        if let Some(start) = self.start {
            // The boundary object passed the caller's own bound, so the boundary is
            // at least as narrow: it replaces that bound.
            filter.insert(window.bound.clone(), Value::from(start));
        }
        Some(filter)
    }

    fn accept(&mut self, page: Page<F::Item>) {
        let count = page.items.len() as i64;
        let offset = (self.index - 1) * self.size;
        if self.listed == 0 && self.start.is_none() && self.index == 1 && self.window_seen == 0 {
            self.total = page.total;
            // No order was asked for, and the list is longer than one query reaches:
            // ask again in the window order (nothing of this page was yielded).
            if !self.windowed
                && matches!(self.plan, Plan::Impose(_))
                && page.total.is_some_and(|t| t > MAX_MATCHES)
            {
                self.windowed = true;
                return;
            }
        }
        self.window_seen += count;
        let mut keys = page.keys.into_iter();
        for item in page.items {
            let keys = keys.next().unwrap_or_default();
            if self.windowed && self.repeated(&keys) {
                continue;
            }
            self.listed += 1;
            self.buffer.push_back(item);
        }
        let short = count < self.size;
        let reached = page.total.is_some_and(|t| self.window_seen >= t);
        if !short && !reached {
            self.index += 1;
            return;
        }
        // The server cuts a page that runs past its limit: short, but not the end
        // while the total says there is more.
        let cut = offset + count >= MAX_MATCHES && page.total.is_some_and(|t| t > offset + count);
        if cut {
            self.pending = self.past_the_limit().err();
        } else {
            self.done = true;
        }
    }

    /// Whether an object was yielded already (it sits at the boundary a new window
    /// started from), keeping track of the boundary as objects pass.
    fn repeated(&mut self, keys: &Keys) -> bool {
        let Some(window) = self.plan.window() else {
            return false;
        };
        let Some(value) = keys.value(window.key) else {
            self.keyless = true;
            return false;
        };
        match self.last {
            Some(last) if last == value => {}
            Some(last) => {
                if !window.in_order(last, value) {
                    self.unordered = true;
                }
                self.last = Some(value);
                self.at_last.clear();
            }
            None => self.last = Some(value),
        }
        match &keys.id {
            Some(id) => !self.at_last.insert(id.clone()),
            None => false,
        }
    }

    /// The current query reached the server's limit: go on in a new window, or say
    /// why the list cannot be read whole.
    fn past_the_limit(&mut self) -> Result<(), Error> {
        if self.windowed && self.window_seen > 0 {
            return self.next_window();
        }
        let reason = match &self.plan {
            Plan::Plain(reason) => reason.clone(),
            // Reported at most 10,000 at first: the list grew while it was read.
            _ => "the list grew past them while it was read; list it again".into(),
        };
        Err(self.truncated(reason))
    }

    fn next_window(&mut self) -> Result<(), Error> {
        let Some(window) = self.plan.window().cloned() else {
            return Err(self.truncated("no window fits its filter".into()));
        };
        let key = window.key.name();
        if self.keyless {
            return Err(self.truncated(format!(
                "the objects came without `{key}` (a response profile that leaves it out?), \
                 which windows past them are cut by"
            )));
        }
        if self.unordered {
            return Err(self.truncated(format!(
                "the server did not return them sorted by `{}`, which windows past them need",
                window.order()
            )));
        }
        let Some(last) = self.last else {
            return Err(self.truncated(format!("no `{key}` was seen to start the next window at")));
        };
        if window.inclusive && self.start == Some(last) {
            return Err(self.truncated(format!(
                "more than {MAX_MATCHES} of them share the {key} {last}, so no window can get past them"
            )));
        }
        tracing::debug!(
            target: "kaltura_runtime",
            listed = self.listed,
            bound = %window.bound,
            start = last,
            "the list reached the server's limit; narrowing the query"
        );
        self.start = Some(last);
        self.index = 1;
        self.window_seen = 0;
        Ok(())
    }

    fn truncated(&self, reason: String) -> Error {
        Error::ListTruncated {
            listed: self.listed,
            total: self.total,
            reason,
        }
    }
}

// ---- reading the keys from the bytes ----

/// `objects[*]`'s keys of a list answer; everything else is skipped unread.
struct PageKeys(Vec<Keys>);

/// The member names the keys reader looks for, matched without allocating.
enum Member {
    Objects,
    Id,
    CreatedAt,
    Other,
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Member;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Member, E> {
                Ok(match v {
                    "objects" => Member::Objects,
                    "id" => Member::Id,
                    "createdAt" => Member::CreatedAt,
                    _ => Member::Other,
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

impl<'de> Deserialize<'de> for PageKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Top;
        impl<'de> Visitor<'de> for Top {
            type Value = PageKeys;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list response")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PageKeys, A::Error> {
                let mut keys = Vec::new();
                while let Some(member) = map.next_key::<Member>()? {
                    match member {
                        Member::Objects => keys = map.next_value::<ObjectsKeys>()?.0,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(PageKeys(keys))
            }
        }
        d.deserialize_map(Top)
    }
}

struct ObjectsKeys(Vec<Keys>);

impl<'de> Deserialize<'de> for ObjectsKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Seq;
        impl<'de> Visitor<'de> for Seq {
            type Value = ObjectsKeys;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of objects")
            }
            fn visit_unit<E: de::Error>(self) -> Result<ObjectsKeys, E> {
                Ok(ObjectsKeys(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ObjectsKeys, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = seq.next_element::<ItemKeys>()? {
                    out.push(k.0);
                }
                Ok(ObjectsKeys(out))
            }
        }
        d.deserialize_any(Seq)
    }
}

struct ItemKeys(Keys);

impl<'de> Deserialize<'de> for ItemKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Item;
        impl<'de> Visitor<'de> for Item {
            type Value = ItemKeys;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ItemKeys, A::Error> {
                let mut keys = Keys::default();
                while let Some(member) = map.next_key::<Member>()? {
                    match member {
                        Member::Id => keys.id = map.next_value::<Scalar>()?.text,
                        Member::CreatedAt => keys.created_at = map.next_value::<Scalar>()?.number,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(ItemKeys(keys))
            }
            // Anything else in the array (null) has no keys.
            fn visit_unit<E: de::Error>(self) -> Result<ItemKeys, E> {
                Ok(ItemKeys(Keys::default()))
            }
        }
        d.deserialize_any(Item)
    }
}

/// A scalar read leniently, as text and as a whole number: ids and times come as
/// numbers or strings.
#[derive(Default)]
struct Scalar {
    text: Option<String>,
    number: Option<i64>,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar {
                    text: Some(v.to_string()),
                    number: Some(v),
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar {
                    text: Some(v.to_string()),
                    number: i64::try_from(v).ok(),
                })
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Scalar, E> {
                Ok(Scalar::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Scalar, E> {
                Ok(Scalar::default())
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar {
                    text: Some(v.to_string()),
                    number: v.trim().parse().ok(),
                })
            }
            fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::default())
            }
        }
        d.deserialize_any(V)
    }
}

// ---- the generated side ----

/// Adds `.paginate(page_size)` to a generated list request.
#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_paginated {
    ($t:ty) => {
        impl $t {
            /// Asks for the first page with `page_size` items (the `pager` parameter,
            /// in one call): `client.media().list().page_size(20).await`.
            #[inline]
            pub fn page_size(mut self, page_size: i64) -> Self {
                $crate::pagination::Paginated::set_page(&mut self, 1, page_size);
                self
            }

            /// Every item of the list, fetched page by page with this page size, as a
            /// stream, each object once and past the server's 10,000-match limit (see
            /// [`crate::pagination`]). Needs a request made from a client.
            #[inline]
            pub fn paginate(
                self,
                page_size: i64,
            ) -> ::std::pin::Pin<
                ::std::boxed::Box<
                    dyn $crate::pagination::__Stream<
                            Item = ::std::result::Result<
                                <$t as $crate::pagination::Paginated>::Item,
                                $crate::Error,
                            >,
                        > + Send,
                >,
            > {
                match $crate::request::Request::options(&self).client.clone() {
                    Some(client) => ::std::boxed::Box::pin($crate::pagination::paginate(
                        client, self, page_size,
                    )),
                    None => ::std::boxed::Box::pin($crate::pagination::__unbound()),
                }
            }
        }
    };
}

#[doc(hidden)]
pub use futures_util::stream::Stream as __Stream;

/// What a program that pages needs in scope, from the SDK's own dependencies:
/// `use kaltura_client::prelude::*;` and a stream of items is collected or walked
/// without adding `futures-util` to the program's dependencies.
///
/// ```text
/// use kaltura_client::prelude::*;
/// let all: Vec<_> = client.media().list().paginate(100).try_collect().await?;
/// let mut entries = client.media().list().paginate(100);
/// while let Some(entry) = entries.try_next().await? { /* .. */ }
/// ```
pub mod prelude {
    pub use futures_util::stream::{Stream, StreamExt, TryStreamExt};
}

#[doc(hidden)]
pub fn __unbound<T>() -> impl Stream<Item = Result<T, Error>> + Send {
    stream::once(async {
        Err(Error::InvalidInput(
            "this request was not made from a client; use `client.paginate(request, page_size)`"
                .into(),
        ))
    })
}

impl Client {
    /// Every item of a list request, fetched page by page, each object once and past
    /// the server's 10,000-match limit (see [`crate::pagination`]).
    pub fn paginate<R: Paginated>(
        &self,
        request: R,
        page_size: i64,
    ) -> impl Stream<Item = Result<R::Item, Error>> + Send + 'static
    where
        R::Output: Send,
    {
        paginate(self.clone(), request, page_size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn the_plan_follows_the_filter_and_its_order() {
        let entry = props(&[
            "idEqual",
            "createdAtGreaterThanOrEqual",
            "createdAtLessThanOrEqual",
        ]);
        let asc = Window {
            key: Key::CreatedAt,
            ascending: true,
            bound: "createdAtGreaterThanOrEqual".into(),
            inclusive: true,
        };
        assert_eq!(Plan::new(&entry, None), Plan::Impose(asc.clone()));
        assert_eq!(Plan::new(&entry, Some("+createdAt")), Plan::Follow(asc));
        let Plan::Follow(desc) = Plan::new(&entry, Some("-createdAt")) else {
            panic!("a descending window")
        };
        assert_eq!(desc.bound, "createdAtLessThanOrEqual");
        assert_eq!(desc.order(), "-createdAt");
        assert!(matches!(Plan::new(&entry, Some("+name")), Plan::Plain(r) if r.contains("+name")));
        assert!(matches!(
            Plan::new(&entry, Some("createdAt")),
            Plan::Plain(_)
        ));

        // An id range, exclusive, where there is no createdAt one.
        let partner = props(&["idGreaterThan", "idIn"]);
        let Plan::Impose(w) = Plan::new(&partner, None) else {
            panic!("an id window")
        };
        assert_eq!(
            (w.key, w.inclusive, w.order().as_str()),
            (Key::Id, false, "+id")
        );
        assert!(matches!(
            Plan::new(&props(&["nameLike"]), None),
            Plan::Plain(_)
        ));
    }

    #[test]
    fn keys_are_read_from_the_bytes() {
        let body = br#"{"totalCount": 3, "objects": [
            {"id": "0_a", "name": {"x": [1, 2]}, "createdAt": 1700000000, "objectType": "KalturaMediaEntry"},
            {"createdAt": "1700000001", "id": 42},
            null
        ], "objectType": "KalturaMediaListResponse"}"#;
        let keys = serde_json::from_slice::<PageKeys>(body).unwrap().0;
        assert_eq!(
            keys,
            [
                Keys {
                    id: Some("0_a".into()),
                    created_at: Some(1_700_000_000)
                },
                Keys {
                    id: Some("42".into()),
                    created_at: Some(1_700_000_001)
                },
                Keys::default(),
            ]
        );
        assert_eq!(keys[1].value(Key::Id), Some(42));
        let json: Json = serde_json::from_slice(body).unwrap();
        let from_json: Vec<Keys> = json["objects"]
            .as_array()
            .unwrap()
            .iter()
            .map(Keys::of_json)
            .collect();
        assert_eq!(from_json, keys);
    }
}
