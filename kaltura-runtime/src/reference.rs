//! References to the result of an earlier call of the same multirequest
//! (`{2:result:objects:0:id}`), and the paths into them. Below the multirequest that
//! makes them, the field and argument types that carry them, and the preparation
//! that refuses one sent outside its multirequest: each of those imports this module,
//! and it imports none of them.

use crate::secret::Secret;
use serde_json::{Map, Value, Value as Json};
use std::cell::RefCell;
use std::fmt;
use std::sync::{Arc, Mutex};

/// The steps of a path into a result, for [`Handle::path`](crate::multirequest::Handle::path): a tuple mixing names and
/// indexes (`("objects", 0, "id")`), or an array or `Vec` of one kind.
pub trait RefPath {
    fn push_to(self, path: &mut Vec<String>);
}

/// One step of a [`RefPath`]: a property name (`&str`, `String`) or an array index
/// (an integer).
pub trait PathStep {
    fn step(self) -> String;
}

impl PathStep for &str {
    fn step(self) -> String {
        self.to_string()
    }
}

impl PathStep for String {
    fn step(self) -> String {
        self
    }
}

impl PathStep for &String {
    fn step(self) -> String {
        self.clone()
    }
}

macro_rules! index_steps {
    ($($t:ty),*) => {
        $(impl PathStep for $t {
            fn step(self) -> String {
                self.to_string()
            }
        })*
    };
}
index_steps!(i32, u32, i64, u64, usize);

impl<S: PathStep, const N: usize> RefPath for [S; N] {
    fn push_to(self, path: &mut Vec<String>) {
        path.extend(self.into_iter().map(PathStep::step));
    }
}

impl<S: PathStep> RefPath for Vec<S> {
    fn push_to(self, path: &mut Vec<String>) {
        path.extend(self.into_iter().map(PathStep::step));
    }
}

impl<S: PathStep + Clone> RefPath for &[S] {
    fn push_to(self, path: &mut Vec<String>) {
        path.extend(self.iter().cloned().map(PathStep::step));
    }
}

macro_rules! tuple_paths {
    ($(($($s:ident),+)),*) => {
        $(
            #[allow(non_snake_case)]
            impl<$($s: PathStep),+> RefPath for ($($s,)+) {
                fn push_to(self, path: &mut Vec<String>) {
                    let ($($s,)+) = self;
                    $(path.push($s.step());)+
                }
            }
        )*
    };
}
tuple_paths!(
    (A),
    (A, B),
    (A, B, C),
    (A, B, C, D),
    (A, B, C, D, E),
    (A, B, C, D, E, F)
);

/// A reference to an earlier result of the same multirequest; the server replaces it
/// with the value. It goes wherever a value goes: any property
/// ([`Field<T>`](crate::Field) of every type), a number or boolean parameter
/// ([`Arg<T>`](crate::Arg)), a string parameter, and a [`Secret`] (`with_ks`).
/// [`MultiRequest::bind`](crate::multirequest::MultiRequest::bind) is the dynamic form, for a path of names known only at run
/// time. Cloning one is cheap (it is shared).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResultRef(Arc<RefInner>);

/// The class a call answers, when it is one: its `objectType` and properties.
pub(crate) type Class = Option<(&'static str, &'static [&'static str])>;

#[derive(Clone, PartialEq, Eq, Hash)]
struct RefInner {
    multirequest: u64,
    /// The call's number, from 1.
    item: usize,
    path: Vec<String>,
    /// The class the call answers, for checking the first name of `path`: its place
    /// in [`CLASSES`].
    class: Option<u32>,
}

/// The classes references have been made to, each once. A reference holds a number,
/// not the `&'static` names: a `'static` reference reachable from every [`Field`]
/// (through `Field::Ref`) made rustc's checks of the generated API five times slower
/// (docs/decisions.md, R19). The table holds at most one entry per generated class.
///
/// [`Field`]: crate::field::Field
static CLASSES: Mutex<Vec<(&'static str, &'static [&'static str])>> = Mutex::new(Vec::new());

fn intern(class: Class) -> Option<u32> {
    let class = class?;
    let mut classes = CLASSES.lock().unwrap_or_else(|e| e.into_inner());
    let at = match classes.iter().position(|c| c.0 == class.0) {
        Some(at) => at,
        None => {
            classes.push(class);
            classes.len() - 1
        }
    };
    u32::try_from(at).ok()
}

fn class_at(at: u32) -> Option<(&'static str, &'static [&'static str])> {
    let classes = CLASSES.lock().unwrap_or_else(|e| e.into_inner());
    classes.get(at as usize).copied()
}

impl fmt::Debug for ResultRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ResultRef").field(&self.token()).finish()
    }
}

thread_local! {
    /// The references encoded while [`noting`] runs on this thread.
    static NOTED: RefCell<Option<Vec<ResultRef>>> = const { RefCell::new(None) };
}

/// Runs `f` (which encodes a request's parameters) and returns, beside its value, the
/// references it encoded: a request's references are checked as it is added to a
/// multirequest, or sent on its own.
pub(crate) fn noting<T>(f: impl FnOnce() -> T) -> (T, Vec<ResultRef>) {
    struct Restore(Option<Option<Vec<ResultRef>>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(outer) = self.0.take() {
                NOTED.with(|n| *n.borrow_mut() = outer);
            }
        }
    }
    let outer = NOTED.with(|n| n.borrow_mut().replace(Vec::new()));
    let mut restore = Restore(Some(outer));
    let out = f();
    let noted = NOTED.with(|n| n.borrow_mut().take()).unwrap_or_default();
    if let Some(outer) = restore.0.take() {
        NOTED.with(|n| *n.borrow_mut() = outer);
    }
    (out, noted)
}

/// The dotted path of the first string equal to `token` in `params`
/// (`categoryEntry.categoryId`), to name the property that holds a reference.
pub(crate) fn find_token(params: &Map<String, Json>, token: &str) -> Option<String> {
    fn walk(value: &Json, token: &str, at: &mut Vec<String>) -> bool {
        match value {
            Value::String(s) => s == token,
            Value::Object(map) => map.iter().any(|(k, v)| {
                at.push(k.clone());
                let found = walk(v, token, at);
                if !found {
                    at.pop();
                }
                found
            }),
            Value::Array(items) => items.iter().enumerate().any(|(i, v)| {
                at.push(i.to_string());
                let found = walk(v, token, at);
                if !found {
                    at.pop();
                }
                found
            }),
            _ => false,
        }
    }
    let mut at = Vec::new();
    params.iter().any(|(k, v)| {
        at.push(k.clone());
        let found = walk(v, token, &mut at);
        if !found {
            at.pop();
        }
        found
    });
    (!at.is_empty()).then(|| at.join("."))
}

/// The error of a request holding references that is sent on its own: the server
/// fills a reference in only inside the multirequest it comes from.
pub(crate) fn refs_outside_multirequest(
    service: &str,
    action: &str,
    params: &Map<String, Json>,
    noted: &[ResultRef],
) -> Option<String> {
    let r = noted.first()?;
    let token = r.token();
    let at = find_token(params, &token).unwrap_or_else(|| "?".into());
    Some(format!(
        "{service}.{action}: `{at}` holds a reference to a multirequest result ({token}), \
         which the server fills in only inside that multirequest: add this request to it \
         with `mr.add(..)` instead of sending it on its own"
    ))
}

impl ResultRef {
    /// The whole result of call `item` (from 1) of multirequest `multirequest`.
    pub(crate) fn new(multirequest: u64, item: usize, class: Class) -> Self {
        ResultRef(Arc::new(RefInner {
            multirequest,
            item,
            path: Vec::new(),
            class: intern(class),
        }))
    }

    pub(crate) fn multirequest(&self) -> u64 {
        self.0.multirequest
    }

    /// The call's number, from 1.
    pub(crate) fn item(&self) -> usize {
        self.0.item
    }

    /// A property of the value this refers to.
    pub fn field(mut self, name: &str) -> Self {
        Arc::make_mut(&mut self.0).path.push(name.to_string());
        self
    }

    /// An element of the array this refers to.
    pub fn index(mut self, index: usize) -> Self {
        Arc::make_mut(&mut self.0).path.push(index.to_string());
        self
    }

    /// Further steps, names as text and indexes as numbers (`("objects", 0, "id")`).
    pub fn path(mut self, path: impl RefPath) -> Self {
        path.push_to(&mut Arc::make_mut(&mut self.0).path);
        self
    }

    /// The wire token, `{1:result:id}`.
    pub fn token(&self) -> String {
        let mut t = format!("{{{}:result", self.0.item);
        for p in &self.0.path {
            t.push(':');
            t.push_str(p);
        }
        t.push('}');
        t
    }

    /// The JSON a request carries for the reference, its token; noted for the checks
    /// when a request's parameters are being encoded (see [`noting`]).
    pub(crate) fn to_json(&self) -> Json {
        NOTED.with(|n| {
            if let Some(noted) = n.borrow_mut().as_mut() {
                noted.push(self.clone());
            }
        });
        Value::String(self.token())
    }

    /// Why the first name of the path is not a property of the referred call's class,
    /// when that call answers a generated class (not a `…Any`: a subclass may add it).
    pub(crate) fn unknown_property(&self) -> Option<String> {
        let (class, properties) = class_at(self.0.class?)?;
        let first = self.0.path.first()?;
        if first.parse::<usize>().is_ok() || properties.contains(&first.as_str()) {
            return None;
        }
        let hint = properties
            .iter()
            .find(|p| p.eq_ignore_ascii_case(first))
            .map(|p| format!("; did you mean `{p}`?"))
            .unwrap_or_default();
        Some(format!("but `{first}` is not a property of {class}{hint}"))
    }
}

impl fmt::Display for ResultRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.token())
    }
}

impl From<ResultRef> for String {
    fn from(r: ResultRef) -> Self {
        r.token()
    }
}

impl From<&ResultRef> for String {
    fn from(r: &ResultRef) -> Self {
        r.token()
    }
}

impl From<ResultRef> for Secret {
    fn from(r: ResultRef) -> Self {
        Secret::new(r.token())
    }
}
