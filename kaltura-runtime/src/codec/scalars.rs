//! Decoders and encoders of the scalar and container types properties are made of.

use super::json::{mismatch, Fail, Reader, Scalar};
use super::{quoted, Decode, Encode, Json, Path};
use crate::__kaltura_try as tri;
use crate::field::{Arg, Field};
use crate::reference::ResultRef;
use crate::secret::Secret;
use serde_json::Value;
use std::collections::BTreeMap;

/// A number as serde_json prints it.
fn number_text(n: &Scalar<'_>) -> String {
    match n {
        Scalar::I64(v) => v.to_string(),
        Scalar::U64(v) => v.to_string(),
        Scalar::F64(v) => {
            serde_json::Number::from_f64(*v).map_or_else(|| v.to_string(), |n| n.to_string())
        }
        _ => String::new(),
    }
}

fn invalid(path: &Path<'_>, message: String) -> Fail {
    path.error(message).into()
}

impl Decode for String {
    fn decode(r: &mut Reader<'_>, path: &Path<'_>) -> Result<Self, Fail> {
        match r.scalar(path, "a string")? {
            Scalar::Str(s) => Ok(s.into_owned()),
            Scalar::Bool(b) => Ok(if b { "1" } else { "0" }.to_string()),
            Scalar::Null => Err(mismatch(path, "a string", "null")),
            number => Ok(number_text(&number)),
        }
    }
}

impl Encode for String {
    fn encode(&self) -> Json {
        Value::String(self.clone())
    }
}

impl Encode for str {
    fn encode(&self) -> Json {
        Value::String(self.to_string())
    }
}

impl Decode for Secret {
    fn decode(r: &mut Reader<'_>, path: &Path<'_>) -> Result<Self, Fail> {
        String::decode(r, path).map(Secret::new)
    }
}

impl Encode for Secret {
    fn encode(&self) -> Json {
        Value::String(self.expose().to_string())
    }
}

/// A whole number written as a float (`3.0`), as PHP sometimes does.
fn whole(f: f64) -> Option<i64> {
    (f.fract() == 0.0).then_some(f as i64)
}

impl Decode for i64 {
    fn decode(r: &mut Reader<'_>, path: &Path<'_>) -> Result<Self, Fail> {
        let not_integer = |text: String| invalid(path, format!("{text} is not an integer"));
        match r.scalar(path, "an integer")? {
            Scalar::I64(v) => Ok(v),
            Scalar::U64(v) => Ok(i64::try_from(v).unwrap_or(v as f64 as i64)),
            n @ Scalar::F64(f) => whole(f).ok_or_else(|| not_integer(number_text(&n))),
            Scalar::Str(s) => {
                let t = s.trim();
                t.parse::<i64>()
                    .ok()
                    .or_else(|| t.parse::<f64>().ok().and_then(whole))
                    .ok_or_else(|| not_integer(quoted(&s)))
            }
            Scalar::Bool(b) => Ok(b as i64),
            other => Err(mismatch(path, "an integer", other.kind())),
        }
    }
}

impl Encode for i64 {
    fn encode(&self) -> Json {
        Value::from(*self)
    }
}

impl Decode for f64 {
    fn decode(r: &mut Reader<'_>, path: &Path<'_>) -> Result<Self, Fail> {
        match r.scalar(path, "a number")? {
            Scalar::I64(v) => Ok(v as f64),
            Scalar::U64(v) => Ok(v as f64),
            Scalar::F64(v) => Ok(v),
            Scalar::Str(s) => s
                .trim()
                .parse()
                .map_err(|_| invalid(path, format!("{} is not a number", quoted(&s)))),
            other => Err(mismatch(path, "a number", other.kind())),
        }
    }
}

impl Encode for f64 {
    fn encode(&self) -> Json {
        serde_json::Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }
}

impl Decode for bool {
    fn decode(r: &mut Reader<'_>, path: &Path<'_>) -> Result<Self, Fail> {
        match r.scalar(path, "a bool")? {
            Scalar::Bool(b) => Ok(b),
            Scalar::I64(v) => Ok(v != 0),
            Scalar::U64(v) => Ok(v != 0),
            Scalar::F64(v) => Ok(v != 0.0),
            Scalar::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "1" | "true" => Ok(true),
                "0" | "false" | "" => Ok(false),
                _ => Err(invalid(path, format!("{} is not a bool", quoted(&s)))),
            },
            Scalar::Null => Err(mismatch(path, "a bool", "null")),
        }
    }
}

impl Encode for bool {
    fn encode(&self) -> Json {
        Value::Bool(*self)
    }
}

impl Decode for Json {
    fn decode(r: &mut Reader<'_>, _: &Path<'_>) -> Result<Self, Fail> {
        // The reader has checked the text; serde_json builds the tree from it.
        serde_json::from_str(r.raw()?).map_err(|_| Fail::Syntax)
    }
}

impl Encode for Json {
    fn encode(&self) -> Json {
        self.clone()
    }
}

impl Decode for () {
    fn decode(r: &mut Reader<'_>, _: &Path<'_>) -> Result<Self, Fail> {
        r.skip()
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(r: &mut Reader<'_>, path: &Path<'_>) -> Result<Self, Fail> {
        T::decode(r, path).map(Box::new)
    }
}

impl<T: Encode> Encode for Box<T> {
    fn encode(&self) -> Json {
        (**self).encode()
    }
}

/// An array; `null` as an empty list, and an object keyed "0", "1", ... (as PHP
/// writes some lists) as its values in order.
impl<T: Decode> Decode for Vec<T> {
    fn decode(r: &mut Reader<'_>, path: &Path<'_>) -> Result<Self, Fail> {
        let mut out = Vec::new();
        // `tri!`, not `?`, in the generic decoders here (see `__kaltura_try!`).
        if tri!(r.array()) {
            while tri!(r.item()) {
                out.push(tri!(T::decode(r, &path.index(out.len()))));
            }
        } else if tri!(r.object()) {
            while tri!(r.key()).is_some() {
                out.push(tri!(T::decode(r, &path.index(out.len()))));
            }
        } else if !tri!(r.null()) {
            return Err(mismatch(path, "an array", tri!(r.kind())));
        }
        Ok(out)
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self) -> Json {
        // A loop, not `map` and `collect`: those instantiate half a dozen iterator
        // functions per element type, and this is compiled for every list in the API.
        let mut out = Vec::with_capacity(self.len());
        for value in self {
            out.push(value.encode());
        }
        Value::Array(out)
    }
}

/// An object; `null` as an empty map, and `[]` too (an empty PHP array).
impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(r: &mut Reader<'_>, path: &Path<'_>) -> Result<Self, Fail> {
        let mut out = BTreeMap::new();
        if tri!(r.object()) {
            while let Some(key) = tri!(r.key()) {
                let value = tri!(T::decode(r, &path.field(&key)));
                out.insert(key.into_owned(), value);
            }
        } else if tri!(r.array()) {
            if tri!(r.item()) {
                return Err(mismatch(path, "an object (map)", "an array"));
            }
        } else if !tri!(r.null()) {
            return Err(mismatch(path, "an object (map)", tri!(r.kind())));
        }
        Ok(out)
    }
}

impl<T: Encode> Encode for BTreeMap<String, T> {
    fn encode(&self) -> Json {
        // A loop, as for `Vec`.
        let mut out = serde_json::Map::new();
        for (key, value) in self {
            out.insert(key.clone(), value.encode());
        }
        Value::Object(out)
    }
}

/// JSON null is [`Field::Null`]; a property absent from the object stays unset.
impl<T: Decode> Decode for Field<T> {
    fn decode(r: &mut Reader<'_>, path: &Path<'_>) -> Result<Self, Fail> {
        if tri!(r.null()) {
            return Ok(Field::Null);
        }
        Ok(Field::Set(tri!(T::decode(r, path))))
    }
}

// References (`{2:result:objects:0:id}`) stand for values of every type the codec
// sends; here, with the codec, so that `field` and `reference` import neither.

/// A reference stands for a value of any type the codec can send.
impl<T: Encode> From<ResultRef> for Arg<T> {
    fn from(r: ResultRef) -> Self {
        Arg::Ref(r)
    }
}

impl<T: Encode> Encode for Arg<T> {
    fn encode(&self) -> Json {
        match self {
            Arg::Value(v) => v.encode(),
            Arg::Ref(r) => r.to_json(),
        }
    }
}

/// A reference stands for a value of any property the codec can send:
/// `category_id: found.path(("objects", 0, "id")).into()`.
impl<T: Encode> From<ResultRef> for Field<T> {
    fn from(r: ResultRef) -> Self {
        Field::Ref(r)
    }
}
