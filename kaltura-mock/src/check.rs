//! Checks a call's parameters against the API description and builds its arguments,
//! following the server's request deserializer: scalars are cast the way PHP casts
//! them (leniently: `"abc"` as an int is 0), enum values must be values of the enum,
//! objects are built as the declared class, or as the `objectType` sent when that is a
//! subclass of it, an abstract class is refused, properties the class does not have
//! are dropped, `name__null` sets a property to null. What was read leniently or
//! dropped is noted for the request log.

use crate::errors::{codes, ApiError};
use crate::meta;
use kaltura_runtime::meta::{ActionMeta, Api, TypeMeta};
use serde_json::{Map, Number, Value};

/// The arguments of one call, by parameter name, in the declared types: objects carry
/// their `objectType`; a parameter not sent and without a default is absent.
pub type Args = Map<String, Value>;

/// Builds the arguments of `action` from the call's parameter tree.
pub fn arguments(
    api: &Api,
    action: &ActionMeta,
    tree: &Map<String, Value>,
    has_file: &dyn Fn(&str) -> bool,
    notes: &mut Vec<String>,
) -> Result<Args, ApiError> {
    let mut args = Map::new();
    for param in &action.params {
        let name = param.name.as_str();
        let given = tree.get(name);
        let null = tree.contains_key(&format!("{name}__null"));
        if let TypeMeta::File = param.ty {
            if has_file(name) {
                args.insert(name.into(), Value::String(name.into()));
                continue;
            }
            if param.optional {
                continue;
            }
            return Err(ApiError::new(codes::MISSING_MANDATORY_PARAMETER, &[name]));
        }
        let Some(value) = given.filter(|_| !null) else {
            if param.optional {
                if let Some(d) = default_of(&param.ty, param.default.as_deref()) {
                    args.insert(name.into(), d);
                }
                continue;
            }
            return Err(ApiError::new(codes::MISSING_MANDATORY_PARAMETER, &[name]));
        };
        let v = match &param.ty {
            TypeMeta::Object(class) => match value {
                Value::Object(m) => build_object(api, class, m, name, notes)?,
                other => {
                    // The server fails on this one with a PHP type error; the mock
                    // names the parameter instead.
                    notes.push(format!("{name}: expected an object, got {other}"));
                    return Err(ApiError::new(codes::INVALID_PARAMETER_VALUE, &[name]));
                }
            },
            TypeMeta::AnyObject => match value {
                Value::Object(m) => {
                    let class = m
                        .get("objectType")
                        .and_then(Value::as_str)
                        .filter(|c| meta::class(c).is_some())
                        .unwrap_or("KalturaObjectBase")
                        .to_string();
                    if meta::class(&class).is_some() {
                        build_object(api, &class, m, name, notes)?
                    } else {
                        Value::Object(m.clone())
                    }
                }
                _ => return Err(ApiError::new(codes::INVALID_PARAMETER_VALUE, &[name])),
            },
            TypeMeta::Array(item) => build_array(api, item, value, name, notes)?,
            TypeMeta::Map(item) => build_map(api, item, value, name, notes)?,
            scalar => cast(scalar, value, name, notes)?,
        };
        args.insert(name.into(), v);
    }
    for key in tree.keys() {
        let base = key.strip_suffix("__null").unwrap_or(key);
        if action.param(base).is_none() && !is_request_config(base) {
            notes.push(format!(
                "parameter `{base}` is not a parameter of the action; dropped"
            ));
        }
    }
    Ok(args)
}

/// Parameters every call may carry besides its own (the request configuration).
pub fn is_request_config(name: &str) -> bool {
    matches!(
        name,
        "service"
            | "action"
            | "format"
            | "ks"
            | "partnerId"
            | "clientTag"
            | "apiVersion"
            | "language"
            | "responseProfile"
            | "kalsig"
            | "ignoreNull"
            | "fullObjects"
            | "skipCache"
            | "abortOnError"
            | "abortAllOnError"
            | "nocache"
            | "callback"
    )
}

/// The server's default of an optional parameter, cast to its type (`null`: none).
fn default_of(ty: &TypeMeta, default: Option<&str>) -> Option<Value> {
    let d = default?;
    if d == "null" || d.is_empty() && !matches!(ty, TypeMeta::String) {
        return None;
    }
    let mut notes = Vec::new();
    cast(ty, &Value::String(d.to_string()), "", &mut notes).ok()
}

/// PHP's `(int)` of a string: the leading integer, else 0.
fn php_int(s: &str) -> i64 {
    let t = s.trim_start();
    let mut end = 0;
    for (i, c) in t.char_indices() {
        if c.is_ascii_digit() || (i == 0 && (c == '-' || c == '+')) {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    if let Ok(n) = t[..end].parse::<i64>() {
        return n;
    }
    t.parse::<f64>().map(|f| f as i64).unwrap_or(0)
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "1".into(),
        Value::Bool(false) | Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A scalar, enum or file value in its declared type.
pub fn cast(
    ty: &TypeMeta,
    value: &Value,
    name: &str,
    notes: &mut Vec<String>,
) -> Result<Value, ApiError> {
    Ok(match ty {
        TypeMeta::Int | TypeMeta::BigInt => {
            let n = match value {
                Value::Number(n) => n
                    .as_i64()
                    .unwrap_or_else(|| n.as_f64().unwrap_or(0.0) as i64),
                Value::Bool(b) => i64::from(*b),
                Value::String(s) => {
                    let n = php_int(s);
                    if s.trim() != n.to_string() {
                        notes.push(format!("{name}: \"{s}\" is not an integer; read as {n}"));
                    }
                    n
                }
                _ => {
                    notes.push(format!("{name}: not an integer; read as 0"));
                    0
                }
            };
            Value::from(n)
        }
        TypeMeta::Float => {
            let f = match value {
                Value::Number(n) => n.as_f64().unwrap_or(0.0),
                Value::Bool(b) => f64::from(u8::from(*b)),
                Value::String(s) => s.trim().parse().unwrap_or_else(|_| {
                    notes.push(format!("{name}: \"{s}\" is not a number; read as 0"));
                    0.0
                }),
                _ => 0.0,
            };
            Number::from_f64(f).map_or(Value::from(0), Value::Number)
        }
        TypeMeta::Bool => Value::Bool(match value {
            Value::Bool(b) => *b,
            Value::Number(n) => n.as_f64().unwrap_or(0.0) != 0.0,
            Value::String(s) => !(s.eq_ignore_ascii_case("false") || s.is_empty() || s == "0"),
            _ => false,
        }),
        TypeMeta::String | TypeMeta::File => Value::String(text_of(value)),
        TypeMeta::Enum(enum_name) => {
            let Some(meta) = meta::enum_(enum_name) else {
                return Ok(value.clone());
            };
            let mut text = text_of(value);
            if meta.is_int {
                if text.eq_ignore_ascii_case("true") {
                    text = "1".into();
                } else if text.eq_ignore_ascii_case("false") {
                    text = "0".into();
                }
                let n = text.trim().parse::<i64>().ok();
                let known = n.is_some_and(|n| {
                    meta.values
                        .iter()
                        .any(|(_, v)| v.parse::<i64>().ok() == Some(n))
                });
                match (known, n) {
                    (true, Some(n)) => Value::from(n),
                    _ => {
                        return Err(ApiError::new(
                            codes::INVALID_ENUM_VALUE,
                            &[&text, name, enum_name],
                        ))
                    }
                }
            } else if meta.values.iter().any(|(_, v)| *v == text) {
                Value::String(text)
            } else {
                return Err(ApiError::new(
                    codes::INVALID_ENUM_VALUE,
                    &[&text, name, enum_name],
                ));
            }
        }
        TypeMeta::Object(_) | TypeMeta::AnyObject | TypeMeta::Array(_) | TypeMeta::Map(_) => {
            value.clone()
        }
    })
}

/// The items of an array value: a JSON array, or an object keyed by index (sorted by
/// key, as the server's `ksort`); `{"-": ""}` or anything else is empty.
fn items_of(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(m) => {
            let mut keyed: Vec<(&String, &Value)> =
                m.iter().filter(|(k, _)| k.as_str() != "-").collect();
            keyed.sort_by(
                |(a, _), (b, _)| match (a.parse::<i64>(), b.parse::<i64>()) {
                    (Ok(x), Ok(y)) => x.cmp(&y),
                    _ => a.cmp(b),
                },
            );
            keyed.into_iter().map(|(_, v)| v).collect()
        }
        _ => Vec::new(),
    }
}

fn build_array(
    api: &Api,
    item: &TypeMeta,
    value: &Value,
    name: &str,
    notes: &mut Vec<String>,
) -> Result<Value, ApiError> {
    if !value.is_array() && !value.is_object() {
        notes.push(format!("{name}: not an array; read as empty"));
        return Ok(Value::Array(Vec::new()));
    }
    let mut out = Vec::new();
    for v in items_of(value) {
        let built = build_item(api, item, v, name, notes)?;
        if !built.is_null() {
            out.push(built);
        }
    }
    Ok(Value::Array(out))
}

fn build_map(
    api: &Api,
    item: &TypeMeta,
    value: &Value,
    name: &str,
    notes: &mut Vec<String>,
) -> Result<Value, ApiError> {
    let mut out = Map::new();
    if let Value::Object(m) = value {
        for (k, v) in m.iter().filter(|(k, _)| k.as_str() != "-") {
            out.insert(k.clone(), build_item(api, item, v, name, notes)?);
        }
    } else {
        notes.push(format!("{name}: not a map; read as empty"));
    }
    Ok(Value::Object(out))
}

fn build_item(
    api: &Api,
    item: &TypeMeta,
    v: &Value,
    name: &str,
    notes: &mut Vec<String>,
) -> Result<Value, ApiError> {
    match (item, v) {
        (TypeMeta::Object(class), Value::Object(m)) => build_object(api, class, m, name, notes),
        (TypeMeta::Object(_), _) => {
            notes.push(format!("{name}: an item is not an object; dropped"));
            Ok(Value::Null)
        }
        (ty, v) => cast(ty, v, name, notes),
    }
}

/// Builds an object of `declared` (or of the subclass its `objectType` names) from
/// the members sent.
pub fn build_object(
    api: &Api,
    declared: &str,
    members: &Map<String, Value>,
    name: &str,
    notes: &mut Vec<String>,
) -> Result<Value, ApiError> {
    let mut class = declared.to_string();
    if let Some(sent) = members.get("objectType").and_then(Value::as_str) {
        if !sent.eq_ignore_ascii_case(declared) {
            let found = meta::class(sent).or_else(|| {
                api.classes
                    .iter()
                    .find(|c| c.name.eq_ignore_ascii_case(sent))
            });
            match found {
                Some(c) if meta::is_a(&c.name, declared) => class = c.name.clone(),
                _ => notes.push(format!(
                    "{name}: objectType {sent} is not {declared} or a subclass of it; \
                     built as {declared}"
                )),
            }
        }
    }
    if meta::class(&class).is_some_and(|c| c.is_abstract) {
        return Err(ApiError::new(codes::OBJECT_TYPE_ABSTRACT, &[&class]));
    }
    let props = meta::properties(&class);
    let mut out = Map::new();
    out.insert("objectType".into(), Value::String(class.clone()));
    for (key, value) in members {
        if key == "objectType" {
            continue;
        }
        let (prop_name, is_null) = match key.strip_suffix("__null") {
            Some(base) => (base, true),
            None => (key.as_str(), false),
        };
        let Some(prop) = props.iter().find(|p| p.name == prop_name) else {
            notes.push(format!(
                "{name}: {class} has no property `{prop_name}`; dropped"
            ));
            continue;
        };
        let is_array = matches!(prop.ty, TypeMeta::Array(_));
        if is_null && !is_array {
            out.insert(prop_name.into(), Value::Null);
            continue;
        }
        let nested = format!("{name}:{prop_name}");
        let v = match &prop.ty {
            TypeMeta::Object(c) => match value {
                Value::Object(m) => build_object(api, c, m, &nested, notes)?,
                _ => {
                    notes.push(format!("{nested}: not an object; dropped"));
                    continue;
                }
            },
            TypeMeta::AnyObject => value.clone(),
            TypeMeta::Array(item) => {
                if !value.is_array() && !value.is_object() {
                    notes.push(format!("{nested}: not an array; dropped"));
                    continue;
                }
                build_array(api, item, value, &nested, notes)?
            }
            TypeMeta::Map(item) => build_map(api, item, value, &nested, notes)?,
            scalar => cast(scalar, value, prop_name, notes)?,
        };
        out.insert(prop_name.into(), v);
    }
    Ok(Value::Object(out))
}

/// The read-only properties (and, on update, insert-only ones) an object sets, as the
/// server's insert and update checks refuse them: the first is named `Class::property`.
/// On update, a value equal to the stored one passes, as on the server.
pub fn check_writable(
    object: &Value,
    update: bool,
    stored: Option<&Value>,
) -> Result<(), ApiError> {
    let Some(members) = object.as_object() else {
        return Ok(());
    };
    let class = members
        .get("objectType")
        .and_then(Value::as_str)
        .unwrap_or_default();
    for prop in meta::properties(class) {
        let Some(v) = members.get(&prop.name) else {
            continue;
        };
        if v.is_null() {
            continue;
        }
        let refused = prop.read_only || (update && prop.insert_only);
        if !refused {
            continue;
        }
        if update && stored.and_then(|s| s.get(&prop.name)) == Some(v) {
            continue;
        }
        return Err(ApiError::new(
            codes::NOT_UPDATABLE,
            &[&format!("{class}::{}", prop.name)],
        ));
    }
    Ok(())
}
