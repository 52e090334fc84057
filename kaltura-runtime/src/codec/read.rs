//! Decoding from the response bytes: the entry points, the error channel and the
//! pieces generated decoders are made of (seeds, keys, the property lookup).
//!
//! serde errors carry only text, while ours carry the path of the value. A decoder
//! that rejects a value leaves its [`DecodeError`] on this thread ([`fail`]) and
//! returns a serde error; the outermost call ([`decode_slice`]) collects it.

use super::{Decode, DecodeError, Json, Path};
use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

thread_local! {
    static PENDING: RefCell<Option<DecodeError>> = const { RefCell::new(None) };
}

/// Rejects a value: the typed error waits on this thread for the outermost decoder,
/// and serde carries its text meanwhile.
pub fn fail<E: de::Error>(error: DecodeError) -> E {
    let text = error.to_string();
    PENDING.with(|p| *p.borrow_mut() = Some(error));
    E::custom(text)
}

/// Refuses a value of the wrong JSON kind.
pub(crate) fn mismatch<E: de::Error>(path: &Path<'_>, expected: &str, found: &str) -> E {
    fail(path.error(format!("expected {expected}, found {found}")))
}

fn clear() {
    PENDING.with(|p| p.borrow_mut().take());
}

/// Why bytes did not decode: not JSON at all, or JSON of the wrong shape.
#[doc(hidden)]
#[derive(Debug)]
pub enum ReadError {
    /// The bytes are not JSON, or end too soon.
    Syntax(serde_json::Error),
    /// JSON that does not fit the declared type.
    Decode(DecodeError),
}

impl ReadError {
    /// The failure as a [`DecodeError`], for callers that do not tell the two apart.
    pub fn into_decode(self) -> DecodeError {
        match self {
            ReadError::Syntax(e) => Path::Root.error(format!("not valid JSON: {e}")),
            ReadError::Decode(e) => e,
        }
    }
}

fn collect(error: serde_json::Error) -> ReadError {
    let pending = PENDING.with(|p| p.borrow_mut().take());
    if !error.is_data() {
        return ReadError::Syntax(error);
    }
    ReadError::Decode(pending.unwrap_or_else(|| Path::Root.error(error.to_string())))
}

/// Reads `T` from the JSON text of a whole answer (or of one multirequest item).
pub fn decode_slice<T: Decode>(json: &[u8]) -> Result<T, ReadError> {
    decode_slice_at(json, &Path::Root)
}

fn decode_slice_at<T: Decode>(json: &[u8], path: &Path<'_>) -> Result<T, ReadError> {
    clear();
    let mut de = serde_json::Deserializer::from_slice(json);
    let value = T::decode(&mut de, path).map_err(collect)?;
    de.end().map_err(collect)?;
    Ok(value)
}

/// Parses the JSON text into a value and hands it to `read`: for the few answers the
/// runtime reads by hand, where a tree costs nothing worth saving.
pub(crate) fn via_value<T>(
    json: &[u8],
    read: impl FnOnce(Json) -> Result<T, DecodeError>,
) -> Result<T, ReadError> {
    let value = serde_json::from_slice(json).map_err(ReadError::Syntax)?;
    read(value).map_err(ReadError::Decode)
}

/// Reads `T` from a JSON value already parsed (a value kept from an earlier answer).
pub fn decode_json<T: Decode>(value: &Json) -> Result<T, DecodeError> {
    decode_json_at(value, &Path::Root)
}

pub(crate) fn decode_json_at<T: Decode>(value: &Json, path: &Path<'_>) -> Result<T, DecodeError> {
    // Writing a value out cannot fail: its keys are strings.
    let text = serde_json::to_vec(value).unwrap_or_default();
    decode_slice_at(&text, path).map_err(ReadError::into_decode)
}

/// Reads a whole response body (or a multirequest item) given as a JSON value.
pub fn decode_value<T: Decode>(value: Json) -> Result<T, DecodeError> {
    decode_json(&value)
}

/// The deepest value an answer may hold, as serde_json allows within one parser.
pub const MAX_DEPTH: usize = 128;

/// Decodes `T` from raw JSON text captured earlier in the same answer: how an object
/// is read once its `objectType` (which Kaltura writes last) has chosen its class.
pub fn decode_raw<T: Decode, E: de::Error>(raw: &RawValue, path: &Path<'_>) -> Result<T, E> {
    // A fresh parser starts its own depth count, so the nesting is bounded here, as
    // serde_json bounds it within one parser: an answer cannot exhaust the stack.
    if path.depth() > MAX_DEPTH {
        return Err(fail(path.error(format!(
            "nested too deeply (more than {MAX_DEPTH} levels)"
        ))));
    }
    let mut de = serde_json::Deserializer::from_slice(raw.get().as_bytes());
    // A rejection stays pending with its path; only the text crosses over here.
    T::decode(&mut de, path).map_err(E::custom)
}

/// An object key, borrowed from the answer unless it holds escapes.
pub struct Key<'de>(pub Cow<'de, str>);

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// A value of type `T` expected at `path`: the seed that decodes one (an array item, a
/// map value), and the visitor of the containers and objects that need the path.
pub struct At<'p, T> {
    pub(crate) path: &'p Path<'p>,
    t: PhantomData<fn() -> T>,
}

impl<'p, T> At<'p, T> {
    pub fn new(path: &'p Path<'p>) -> Self {
        At {
            path,
            t: PhantomData,
        }
    }
}

impl<'de, T: Decode> DeserializeSeed<'de> for At<'_, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::decode(d, self.path)
    }
}

/// Decodes the property `name` of an object at `path`.
pub struct FieldSeed<'p, T> {
    path: &'p Path<'p>,
    name: &'static str,
    t: PhantomData<fn() -> T>,
}

impl<'p, T> FieldSeed<'p, T> {
    pub fn new(path: &'p Path<'p>, name: &'static str) -> Self {
        FieldSeed {
            path,
            name,
            t: PhantomData,
        }
    }
}

impl<'de, T: Decode> DeserializeSeed<'de> for FieldSeed<'_, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::decode(d, &self.path.field(self.name))
    }
}

/// The position of `key` among a class's property names. Servers write properties in
/// declaration order, so the one after the last match is tried first; a miss (an
/// unknown or reordered property) falls back to a search.
pub fn find_property(names: &[&str], cursor: &mut usize, key: &str) -> Option<usize> {
    if names.get(*cursor) == Some(&key) {
        *cursor += 1;
        return Some(*cursor - 1);
    }
    let i = names.iter().position(|n| *n == key)?;
    *cursor = i + 1;
    Some(i)
}
