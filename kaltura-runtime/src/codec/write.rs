//! Building request values: the JSON object of a class, with only what a request
//! may send, or a full copy of a decoded value.

use super::{Encode, Json};
use crate::field::Field;
use serde_json::{Map, Value};

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
        // Only the encoding is generic; the rest is in functions compiled once, since
        // this is instantiated for every property type of the API.
        match value {
            Field::Unset => {}
            Field::Null => self.put_null(name),
            Field::Set(v) => self.insert(name, v.encode()),
            Field::Ref(r) => self.insert(name, r.to_json()),
        }
    }

    fn put_null(&mut self, name: &str) {
        self.map
            .insert(format!("{name}__null"), Value::String(String::new()));
    }

    fn insert(&mut self, name: &str, value: Json) {
        self.map.insert(name.to_string(), value);
    }

    pub fn finish(self) -> Json {
        Value::Object(self.map)
    }
}
