//! Decoding from the response bytes: the entry points and the property lookup
//! generated decoders use. Decoders run on [`Reader`]; a value that does not fit fails
//! with its path ([`Fail::Shape`]), and text that is not JSON is reported with
//! serde_json's own error, worked out once at the outermost call.

use super::json::{Fail, Reader, MAX_DEPTH};
use super::{Decode, DecodeError, Json, Path, Slot};

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

/// serde_json's account of why a text is not JSON (its position and wording), asked
/// for only once the reader has found that it is not.
fn syntax_error(json: &[u8]) -> serde_json::Error {
    match serde_json::from_slice::<serde::de::IgnoredAny>(json) {
        Err(e) => e,
        // serde_json ignores a value at any depth; decoders refuse to nest deeper than
        // MAX_DEPTH, which is the only text the two tell apart.
        Ok(_) => serde::de::Error::custom(format!(
            "recursion limit exceeded: nested more than {MAX_DEPTH} levels"
        )),
    }
}

fn read_failure(fail: Fail, json: &[u8]) -> ReadError {
    match fail {
        Fail::Shape(e) => ReadError::Decode(*e),
        Fail::Syntax => ReadError::Syntax(syntax_error(json)),
    }
}

/// Reads `T` from the JSON text of a whole answer (or of one multirequest item).
pub fn decode_slice<T: Decode>(json: &[u8]) -> Result<T, ReadError> {
    decode_slice_at(json, &Path::Root)
}

fn decode_slice_at<T: Decode>(json: &[u8], path: &Path<'_>) -> Result<T, ReadError> {
    let mut reader = Reader::new(json);
    T::decode(&mut reader, path)
        .and_then(|value| reader.end().map(|()| value))
        .map_err(|fail| read_failure(fail, json))
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

/// Decodes `T` from raw JSON text captured earlier in the same answer: how an object
/// is read once its `objectType` (which Kaltura writes last) has chosen its class.
pub fn decode_raw<T: Decode>(raw: &str, path: &Path<'_>) -> Result<T, Fail> {
    // A fresh reader starts its own depth count, so the nesting is bounded here, as
    // within one reader: an answer cannot exhaust the stack.
    if path.depth() > MAX_DEPTH {
        return Err(path
            .error(format!("nested too deeply (more than {MAX_DEPTH} levels)"))
            .into());
    }
    T::decode(&mut Reader::new(raw.as_bytes()), path)
}

/// The position of `key` among a class's property names. Servers write properties in
/// declaration order, so the one after the last match is tried first; a miss (an
/// unknown or reordered property) falls back to a search.
/// Reads the rest of an object into the slots of its properties: `slots[i]` takes the
/// value of the key `names[i]`; keys without a slot are skipped. A generated class's
/// decoder is one call to this (see `__kaltura_class!`), so the code per class is a
/// list of its fields, not a match with a decoding call per property.
pub fn read_properties(
    r: &mut Reader<'_>,
    path: &Path<'_>,
    names: &[&'static str],
    slots: &mut [&mut dyn Slot],
) -> Result<(), Fail> {
    let mut cursor = 0;
    while let Some(key) = r.key()? {
        match find_property(names, &mut cursor, &key) {
            Some(i) => slots[i].read(r, &path.field(names[i]))?,
            None => r.skip()?,
        }
    }
    Ok(())
}

/// Skips a value: the slot of a property whose field a feature left out.
struct Skipping;

impl Slot for Skipping {
    fn read(&mut self, r: &mut Reader<'_>, _path: &Path<'_>) -> Result<(), Fail> {
        r.skip()
    }
}

/// A slot that skips its value (see [`read_properties`]).
pub fn skipping_slot() -> &'static mut dyn Slot {
    // A box of a zero-sized value allocates nothing; leaking it costs nothing.
    Box::leak(Box::new(Skipping))
}

pub fn find_property(names: &[&str], cursor: &mut usize, key: &str) -> Option<usize> {
    if names.get(*cursor) == Some(&key) {
        *cursor += 1;
        return Some(*cursor - 1);
    }
    let i = names.iter().position(|n| *n == key)?;
    *cursor = i + 1;
    Some(i)
}
