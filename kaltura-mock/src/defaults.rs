//! A valid value of any declared return type, for the actions the mock keeps no state
//! for: an object of the class (of its first concrete subclass when the class is
//! abstract) with its `objectType`, an empty list for list responses, zero, `false`, an
//! empty string, the enum's first value.

use crate::meta;
use kaltura_runtime::meta::{Api, TypeMeta};
use serde_json::{json, Map, Value};

/// The class itself when concrete, else its first concrete descendant.
pub fn concrete(api: &Api, class: &str) -> String {
    match meta::class(class) {
        Some(c) if !c.is_abstract => c.name.clone(),
        Some(_) => api
            .classes
            .iter()
            .find(|c| !c.is_abstract && c.name != class && meta::is_a(&c.name, class))
            .map_or_else(|| class.to_string(), |c| c.name.clone()),
        None => class.to_string(),
    }
}

pub fn value_of(api: &Api, ty: &TypeMeta) -> Value {
    match ty {
        TypeMeta::Int | TypeMeta::BigInt => json!(0),
        TypeMeta::Float => json!(0.0),
        TypeMeta::Bool => json!(false),
        TypeMeta::String | TypeMeta::File => json!(""),
        TypeMeta::Enum(e) => match meta::enum_(e) {
            Some(meta) => match meta.values.first() {
                Some((_, v)) if meta.is_int => v.parse::<i64>().map_or(json!(0), Value::from),
                Some((_, v)) => json!(v),
                None => Value::Null,
            },
            None => Value::Null,
        },
        TypeMeta::Object(class) => object_of(api, class),
        TypeMeta::AnyObject => json!({"objectType": "KalturaObjectBase"}),
        TypeMeta::Array(_) => json!([]),
        TypeMeta::Map(_) => Value::Object(Map::new()),
    }
}

/// A default object of `class`: its `objectType`, and for list responses an empty page.
pub fn object_of(api: &Api, class: &str) -> Value {
    let name = concrete(api, class);
    let mut m = Map::new();
    m.insert("objectType".into(), Value::String(name.clone()));
    for p in meta::properties(&name) {
        match (&p.ty, p.name.as_str()) {
            (TypeMeta::Array(_), "objects") => {
                m.insert("objects".into(), json!([]));
            }
            (TypeMeta::Int, "totalCount") => {
                m.insert("totalCount".into(), json!(0));
            }
            _ => {}
        }
    }
    Value::Object(m)
}

/// A list response of `class` holding `objects`.
pub fn list_response(api: &Api, class: &str, objects: Vec<Value>, total: usize) -> Value {
    let mut v = object_of(api, class);
    if let Value::Object(m) = &mut v {
        m.insert("objects".into(), Value::Array(objects));
        m.insert("totalCount".into(), json!(total));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_default_answer_of_its_type() {
        let api = kaltura_metadata::api();
        let mut objects = 0;
        for s in &api.services {
            for a in &s.actions {
                if let Some(TypeMeta::Object(c)) = &a.result {
                    let v = value_of(api, a.result.as_ref().unwrap());
                    let t = v["objectType"].as_str().unwrap();
                    assert!(meta::is_a(t, c), "{}.{}: {t} is not a {c}", s.id, a.name);
                    objects += 1;
                }
            }
        }
        assert!(objects > 500, "{objects}");
    }
}
