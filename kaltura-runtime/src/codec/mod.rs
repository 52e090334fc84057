//! JSON value codec shared by all generated types.
//!
//! Decoding is lenient the way Kaltura servers need: numbers that arrive as strings,
//! bools as `0`/`1`, empty maps written by PHP as `[]`. Every failure names the path of
//! the value inside the response (`objects[3].createdAt`).

use crate::field::Field;
use crate::secret::Secret;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

pub type Json = Value;

/// Where a value sits inside a response, built without allocating while decoding
/// succeeds.
#[derive(Clone, Copy)]
pub enum Path<'a> {
    Root,
    Field(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    pub fn field<'a>(&'a self, name: &'a str) -> Path<'a> {
        Path::Field(self, name)
    }

    pub fn index(&self, i: usize) -> Path<'_> {
        Path::Index(self, i)
    }

    pub fn error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError {
            path: self.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => f.write_str("result"),
            Path::Field(parent, name) if name.chars().count() > 60 => {
                let head: String = name.chars().take(60).collect();
                write!(f, "{parent}.{head}…")
            }
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// A response value that does not fit the type the schema declares.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot decode `{path}`: {message}")]
#[non_exhaustive]
pub struct DecodeError {
    /// Path of the value, e.g. `result.objects[2].mediaType`.
    pub path: String,
    pub message: String,
}

/// Types that can be read from a JSON response value.
pub trait Decode: Sized {
    fn decode(value: Json, path: &Path<'_>) -> Result<Self, DecodeError>;
}

/// Types that can be written as a JSON request value.
pub trait Encode {
    fn encode(&self) -> Json;
}

pub(crate) fn kind(v: &Json) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A received text for an error message: quoted, and cut short when long.
pub(crate) fn quoted(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head:?}… ({} bytes)", s.len())
    }
}

fn unexpected(path: &Path<'_>, expected: &str, got: &Json) -> DecodeError {
    path.error(format!("expected {expected}, found {}", kind(got)))
}

impl Decode for String {
    fn decode(value: Json, path: &Path<'_>) -> Result<Self, DecodeError> {
        match value {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(if b { "1" } else { "0" }.to_string()),
            other => Err(unexpected(path, "a string", &other)),
        }
    }
}

impl Encode for String {
    fn encode(&self) -> Json {
        Value::String(self.clone())
    }
}

impl Decode for Secret {
    fn decode(value: Json, path: &Path<'_>) -> Result<Self, DecodeError> {
        String::decode(value, path).map(Secret::new)
    }
}

impl Encode for Secret {
    fn encode(&self) -> Json {
        Value::String(self.expose().to_string())
    }
}

impl Decode for i64 {
    fn decode(value: Json, path: &Path<'_>) -> Result<Self, DecodeError> {
        match &value {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                .ok_or_else(|| path.error(format!("{n} is not an integer"))),
            Value::String(s) => {
                let t = s.trim();
                t.parse::<i64>()
                    .ok()
                    .or_else(|| {
                        t.parse::<f64>()
                            .ok()
                            .filter(|f| f.fract() == 0.0)
                            .map(|f| f as i64)
                    })
                    .ok_or_else(|| path.error(format!("{} is not an integer", quoted(s))))
            }
            Value::Bool(b) => Ok(*b as i64),
            other => Err(unexpected(path, "an integer", other)),
        }
    }
}

impl Encode for i64 {
    fn encode(&self) -> Json {
        Value::from(*self)
    }
}

impl Decode for f64 {
    fn decode(value: Json, path: &Path<'_>) -> Result<Self, DecodeError> {
        match &value {
            Value::Number(n) => n
                .as_f64()
                .ok_or_else(|| path.error(format!("{n} is not a number"))),
            Value::String(s) => s
                .trim()
                .parse()
                .map_err(|_| path.error(format!("{} is not a number", quoted(s)))),
            other => Err(unexpected(path, "a number", other)),
        }
    }
}

impl Encode for f64 {
    fn encode(&self) -> Json {
        serde_json::Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }
}

impl Decode for bool {
    fn decode(value: Json, path: &Path<'_>) -> Result<Self, DecodeError> {
        match &value {
            Value::Bool(b) => Ok(*b),
            Value::Number(n) => Ok(n.as_f64() != Some(0.0)),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "1" | "true" => Ok(true),
                "0" | "false" | "" => Ok(false),
                _ => Err(path.error(format!("{} is not a bool", quoted(s)))),
            },
            other => Err(unexpected(path, "a bool", other)),
        }
    }
}

impl Encode for bool {
    fn encode(&self) -> Json {
        Value::Bool(*self)
    }
}

impl Decode for Json {
    fn decode(value: Json, _: &Path<'_>) -> Result<Self, DecodeError> {
        Ok(value)
    }
}

impl Encode for Json {
    fn encode(&self) -> Json {
        self.clone()
    }
}

impl Decode for () {
    fn decode(_: Json, _: &Path<'_>) -> Result<Self, DecodeError> {
        Ok(())
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(value: Json, path: &Path<'_>) -> Result<Self, DecodeError> {
        T::decode(value, path).map(Box::new)
    }
}

impl<T: Encode> Encode for Box<T> {
    fn encode(&self) -> Json {
        (**self).encode()
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(value: Json, path: &Path<'_>) -> Result<Self, DecodeError> {
        match value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| T::decode(v, &path.index(i)))
                .collect(),
            // PHP writes some lists as objects keyed "0", "1", ...
            Value::Object(map) => map
                .into_iter()
                .enumerate()
                .map(|(i, (_, v))| T::decode(v, &path.index(i)))
                .collect(),
            Value::Null => Ok(Vec::new()),
            other => Err(unexpected(path, "an array", &other)),
        }
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self) -> Json {
        Value::Array(self.iter().map(Encode::encode).collect())
    }
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(value: Json, path: &Path<'_>) -> Result<Self, DecodeError> {
        match value {
            Value::Object(map) => map
                .into_iter()
                .map(|(k, v)| {
                    let item = T::decode(v, &path.field(&k))?;
                    Ok((k, item))
                })
                .collect(),
            // An empty PHP array serializes as `[]`.
            Value::Array(items) if items.is_empty() => Ok(BTreeMap::new()),
            Value::Null => Ok(BTreeMap::new()),
            other => Err(unexpected(path, "an object (map)", &other)),
        }
    }
}

impl<T: Encode> Encode for BTreeMap<String, T> {
    fn encode(&self) -> Json {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), v.encode())).collect())
    }
}

impl<T: Decode> Decode for Field<T> {
    fn decode(value: Json, path: &Path<'_>) -> Result<Self, DecodeError> {
        match value {
            Value::Null => Ok(Field::Null),
            v => T::decode(v, path).map(Field::Set),
        }
    }
}

/// Reads a whole response body (or a multirequest item) as `T`.
pub fn decode_value<T: Decode>(value: Json) -> Result<T, DecodeError> {
    T::decode(value, &Path::Root)
}

/// The `objectType` of a JSON object, if it has one.
pub fn object_type(value: &Json) -> Option<&str> {
    value.get("objectType").and_then(Value::as_str)
}

/// Object fields being decoded: each generated field takes its value out by wire name,
/// so what remains at the end are the properties this client does not know.
pub struct Fields<'p> {
    map: Map<String, Value>,
    path: &'p Path<'p>,
}

impl<'p> Fields<'p> {
    pub fn new(value: Json, path: &'p Path<'p>) -> Result<Self, DecodeError> {
        match value {
            Value::Object(map) => Ok(Fields { map, path }),
            other => Err(unexpected(path, "an object", &other)),
        }
    }

    /// Takes the property `name`: absent is [`Field::Unset`], JSON null is [`Field::Null`].
    pub fn take<T: Decode>(&mut self, name: &str) -> Result<Field<T>, DecodeError> {
        match self.map.remove(name) {
            None => Ok(Field::Unset),
            Some(v) => Field::decode(v, &self.path.field(name)),
        }
    }
}

/// Builds the JSON object of a request value: only set properties, `__null` for
/// cleared ones, `objectType` always.
pub struct ObjectWriter {
    map: Map<String, Value>,
    /// Also write read-only properties: a faithful copy, not a request.
    full: bool,
}

thread_local! {
    static FULL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Encodes `value` with every property, read-only ones included, at every depth: a
/// faithful JSON copy of a decoded value (for storage, logs or comparisons), not a
/// request.
pub fn encode_full<T: Encode + ?Sized>(value: &T) -> Json {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            FULL.with(|f| f.set(self.0));
        }
    }
    let _restore = Restore(FULL.with(|f| f.replace(true)));
    value.encode()
}

/// Whether an [`encode_full`] is under way on this thread.
pub(crate) fn encoding_full() -> bool {
    FULL.with(|f| f.get())
}

impl ObjectWriter {
    pub fn new(object_type: &str) -> Self {
        let mut map = Map::new();
        map.insert("objectType".into(), Value::String(object_type.into()));
        ObjectWriter {
            map,
            full: encoding_full(),
        }
    }

    /// A writer that keeps read-only properties too (for copies between classes).
    pub fn full(object_type: &str) -> Self {
        ObjectWriter {
            full: true,
            ..ObjectWriter::new(object_type)
        }
    }

    /// A read-only property: never sent to the server, kept in full copies.
    pub fn put_read_only<T: Encode>(&mut self, name: &str, value: &Field<T>) {
        if self.full {
            self.put(name, value);
        }
    }

    pub fn put<T: Encode>(&mut self, name: &str, value: &Field<T>) {
        match value {
            Field::Unset => {}
            Field::Null => {
                self.map
                    .insert(format!("{name}__null"), Value::String(String::new()));
            }
            Field::Set(v) => {
                self.map.insert(name.to_string(), v.encode());
            }
        }
    }

    pub fn finish(self) -> Json {
        Value::Object(self.map)
    }
}
