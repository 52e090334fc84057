//! Decoders and encoders of the scalar and container types properties are made of.

use super::read::{fail, mismatch, At, Key};
use super::{quoted, Decode, Encode, Json, Path};
use crate::field::{Arg, Field};
use crate::reference::ResultRef;
use crate::secret::Secret;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// A JSON scalar as read, before the lenient conversion to the declared type.
enum Scalar<'de> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(Cow<'de, str>),
}

impl Scalar<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Scalar::Null => "null",
            Scalar::Bool(_) => "a bool",
            Scalar::I64(_) | Scalar::U64(_) | Scalar::F64(_) => "a number",
            Scalar::Str(_) => "a string",
        }
    }

    /// A number as serde_json prints it.
    fn number_text(&self) -> String {
        match self {
            Scalar::I64(v) => v.to_string(),
            Scalar::U64(v) => v.to_string(),
            Scalar::F64(v) => {
                serde_json::Number::from_f64(*v).map_or_else(|| v.to_string(), |n| n.to_string())
            }
            _ => String::new(),
        }
    }
}

/// Reads any scalar; an array or an object is refused as not being `expected`.
struct ScalarVisitor<'p> {
    path: &'p Path<'p>,
    expected: &'static str,
}

impl<'de> Visitor<'de> for ScalarVisitor<'_> {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expected)
    }
    fn visit_unit<E>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::I64(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::U64(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::F64(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Scalar<'de>, A::Error> {
        Err(mismatch(self.path, self.expected, "an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Scalar<'de>, A::Error> {
        Err(mismatch(self.path, self.expected, "an object"))
    }
}

fn scalar<'de, D: Deserializer<'de>>(
    d: D,
    path: &Path<'_>,
    expected: &'static str,
) -> Result<Scalar<'de>, D::Error> {
    d.deserialize_any(ScalarVisitor { path, expected })
}

impl Decode for String {
    fn decode<'de, D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        match scalar(d, path, "a string")? {
            Scalar::Str(s) => Ok(s.into_owned()),
            Scalar::Bool(b) => Ok(if b { "1" } else { "0" }.to_string()),
            Scalar::Null => Err(mismatch(path, "a string", "null")),
            number => Ok(number.number_text()),
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
    fn decode<'de, D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        String::decode(d, path).map(Secret::new)
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
    fn decode<'de, D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        let not_integer = |text: String| fail(path.error(format!("{text} is not an integer")));
        match scalar(d, path, "an integer")? {
            Scalar::I64(v) => Ok(v),
            Scalar::U64(v) => Ok(i64::try_from(v).unwrap_or(v as f64 as i64)),
            n @ Scalar::F64(f) => whole(f).ok_or_else(|| not_integer(n.number_text())),
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
    fn decode<'de, D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        match scalar(d, path, "a number")? {
            Scalar::I64(v) => Ok(v as f64),
            Scalar::U64(v) => Ok(v as f64),
            Scalar::F64(v) => Ok(v),
            Scalar::Str(s) => s
                .trim()
                .parse()
                .map_err(|_| fail(path.error(format!("{} is not a number", quoted(&s))))),
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
    fn decode<'de, D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        match scalar(d, path, "a bool")? {
            Scalar::Bool(b) => Ok(b),
            Scalar::I64(v) => Ok(v != 0),
            Scalar::U64(v) => Ok(v != 0),
            Scalar::F64(v) => Ok(v != 0.0),
            Scalar::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "1" | "true" => Ok(true),
                "0" | "false" | "" => Ok(false),
                _ => Err(fail(path.error(format!("{} is not a bool", quoted(&s))))),
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
    fn decode<'de, D: Deserializer<'de>>(d: D, _: &Path<'_>) -> Result<Self, D::Error> {
        Value::deserialize(d)
    }
}

impl Encode for Json {
    fn encode(&self) -> Json {
        self.clone()
    }
}

impl Decode for () {
    fn decode<'de, D: Deserializer<'de>>(d: D, _: &Path<'_>) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(d).map(|_| ())
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode<'de, D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        T::decode(d, path).map(Box::new)
    }
}

impl<T: Encode> Encode for Box<T> {
    fn encode(&self) -> Json {
        (**self).encode()
    }
}

impl<'de, T: Decode> Visitor<'de> for At<'_, Vec<T>> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }
    refuse_scalars!("an array");
    fn visit_unit<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let path = self.path.index(out.len());
            match seq.next_element_seed(At::<T>::new(&path))? {
                Some(v) => out.push(v),
                None => return Ok(out),
            }
        }
    }
    /// PHP writes some lists as objects keyed "0", "1", ...
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::new();
        while map.next_key::<IgnoredAny>()?.is_some() {
            let path = self.path.index(out.len());
            out.push(map.next_value_seed(At::<T>::new(&path))?);
        }
        Ok(out)
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode<'de, D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        d.deserialize_any(At::<Vec<T>>::new(path))
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self) -> Json {
        Value::Array(self.iter().map(Encode::encode).collect())
    }
}

impl<'de, T: Decode> Visitor<'de> for At<'_, BTreeMap<String, T>> {
    type Value = BTreeMap<String, T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object (map)")
    }
    refuse_scalars!("an object (map)");
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }
    /// An empty PHP array serializes as `[]`.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        match seq.next_element::<IgnoredAny>()? {
            None => Ok(BTreeMap::new()),
            Some(_) => Err(mismatch(self.path, "an object (map)", "an array")),
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let path = self.path.field(&key);
            let value = map.next_value_seed(At::<T>::new(&path))?;
            out.insert(key.into_owned(), value);
        }
        Ok(out)
    }
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode<'de, D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        d.deserialize_any(At::<BTreeMap<String, T>>::new(path))
    }
}

impl<T: Encode> Encode for BTreeMap<String, T> {
    fn encode(&self) -> Json {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), v.encode())).collect())
    }
}

impl<'de, T: Decode> Visitor<'de> for At<'_, Field<T>> {
    type Value = Field<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E>(self) -> Result<Field<T>, E> {
        Ok(Field::Null)
    }
    fn visit_unit<E>(self) -> Result<Field<T>, E> {
        Ok(Field::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Field<T>, D::Error> {
        T::decode(d, self.path).map(Field::Set)
    }
}

/// JSON null is [`Field::Null`]; a property absent from the object stays unset.
impl<T: Decode> Decode for Field<T> {
    fn decode<'de, D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        d.deserialize_option(At::<Field<T>>::new(path))
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
