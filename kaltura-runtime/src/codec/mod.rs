//! JSON codec shared by all generated types.
//!
//! Answers are decoded straight from the response bytes into typed values, without a
//! `serde_json::Value` tree in between ([`decode_slice`]); requests are built as JSON values
//! ([`ObjectWriter`]). Decoding is lenient the way Kaltura servers need: numbers that arrive
//! as strings, bools as `0`/`1`, empty maps written by PHP as `[]`. Every failure names
//! the path of the value inside the response (`result.objects[3].createdAt`).

mod json;
mod object_type;
mod read;
mod scalars;
mod write;

pub use json::{mismatch, Fail, Reader, Scalar, MAX_DEPTH};
pub use object_type::{class_members, object_type_of, Members};
pub use read::{
    decode_json, decode_raw, decode_slice, decode_value, find_property, read_properties,
    skipping_slot, ReadError,
};
pub(crate) use read::{decode_json_at, via_value};
pub(crate) use write::encoding_full;
pub use write::{encode_full, ObjectWriter};

use serde_json::value::RawValue;
use serde_json::Value;
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

    /// How many fields and indexes lead to this value.
    pub fn depth(&self) -> usize {
        let mut depth = 0;
        let mut at = self;
        while let Path::Field(parent, _) | Path::Index(parent, _) = at {
            depth += 1;
            at = parent;
        }
        depth
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

/// `expr?` for decoders, without the two generic functions `?` instantiates per type
/// (`Try::branch`, and `FromResidual` per function's result): the codec runs for every
/// class and property type of the API, and those functions were about 3% of the
/// memory of kaltura-api's build. The error is returned as it is, never converted.
#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_try {
    ($e:expr) => {
        match $e {
            ::std::result::Result::Ok(value) => value,
            ::std::result::Result::Err(error) => return ::std::result::Result::Err(error),
        }
    };
}

/// Types that can be read from a JSON response.
///
/// A decoder reads its value from a [`Reader`] positioned at it and leaves the reader
/// after it. Decoders are ordinary functions, not generic over a deserializer: a
/// generated class's decoder is compiled once, in the crate that defines the class.
pub trait Decode: Sized {
    fn decode(r: &mut Reader<'_>, path: &Path<'_>) -> Result<Self, Fail>;
}

/// A place a decoded value goes: a property of a class being decoded, reached
/// through one call whatever its type (see `__kaltura_class!`).
pub trait Slot {
    fn read(&mut self, r: &mut Reader<'_>, path: &Path<'_>) -> Result<(), Fail>;
}

impl<T: Decode> Slot for T {
    fn read(&mut self, r: &mut Reader<'_>, path: &Path<'_>) -> Result<(), Fail> {
        *self = crate::__kaltura_try!(T::decode(r, path));
        Ok(())
    }
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

/// The kind of a JSON value from its raw text, for error messages.
pub(crate) fn raw_kind(raw: &RawValue) -> &'static str {
    // serde_json has checked the text: it starts a value.
    raw.get()
        .as_bytes()
        .first()
        .and_then(|&b| json::kind_of(b))
        .unwrap_or("a number")
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

/// The `objectType` of a JSON object, if it has one.
pub fn object_type(value: &Json) -> Option<&str> {
    value.get("objectType").and_then(Value::as_str)
}

/// Object fields of a JSON value, taken out one by one by wire name: for the few
/// answers the runtime reads by hand (upload tokens, app-token sessions).
pub struct Fields<'p> {
    map: serde_json::Map<String, Value>,
    path: &'p Path<'p>,
}

impl<'p> Fields<'p> {
    pub fn new(value: Json, path: &'p Path<'p>) -> Result<Self, DecodeError> {
        match value {
            Value::Object(map) => Ok(Fields { map, path }),
            other => Err(path.error(format!("expected an object, found {}", kind(&other)))),
        }
    }

    /// Takes the property `name`: absent is [`Field::Unset`](crate::field::Field),
    /// JSON null is `Field::Null`.
    pub fn take<T: Decode>(&mut self, name: &str) -> Result<crate::field::Field<T>, DecodeError> {
        match self.map.remove(name) {
            None => Ok(crate::field::Field::Unset),
            Some(v) => {
                let path = self.path.field(name);
                read::decode_json_at(&v, &path)
            }
        }
    }
}
