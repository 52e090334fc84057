//! Comparing what our client puts on the wire, and what it decodes, with the vendor
//! clients' captures in `tests/data/conformance/cases/` (see its README): equivalent,
//! not byte-identical.

use serde_json::{Map, Value};

/// How strictly scalars are compared.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scalars {
    /// Requests: same JSON type; numbers equal as numbers (`1536` = `1536.0`).
    Request,
    /// Decoded results against the case's canonical value: also the server's lenient
    /// readings (`"8"` = `8`, `true` = `1`).
    Lenient,
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

pub fn scalar_eq(a: &Value, b: &Value, mode: Scalars) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ if a == b => true,
        _ if mode == Scalars::Lenient => match (as_f64(a), as_f64(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
        _ => false,
    }
}

/// Every difference between `ours` and `theirs`, by path.
pub fn diff(ours: &Value, theirs: &Value, path: &str, mode: Scalars, out: &mut Vec<String>) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, vb) in b {
                match a.get(k) {
                    Some(va) => diff(va, vb, &format!("{path}.{k}"), mode, out),
                    None => out.push(format!("{path}.{k}: missing (theirs: {vb})")),
                }
            }
            for (k, va) in a {
                if !b.contains_key(k) {
                    out.push(format!("{path}.{k}: extra (ours: {va})"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!("{path}: {} items, theirs has {}", a.len(), b.len()));
            }
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                diff(va, vb, &format!("{path}[{i}]"), mode, out);
            }
        }
        _ => {
            if !scalar_eq(ours, theirs, mode) {
                out.push(format!("{path}: ours {ours}, theirs {theirs}"));
            }
        }
    }
}

/// Checks and removes the parameters that legitimately differ between clients:
/// `kalsig` (any or none), `clientTag` and `apiVersion` (any string), `format` (ours
/// must be `1`). In multirequest items, the Node client's `format` is dropped too.
pub fn normalize_common(body: &mut Map<String, Value>, ours: bool, out: &mut Vec<String>) {
    body.remove("kalsig");
    for key in ["clientTag", "apiVersion"] {
        match body.remove(key) {
            Some(Value::String(_)) => {}
            other => out.push(format!("{key}: expected a string, found {other:?}")),
        }
    }
    let format = body.remove("format");
    if ours && format != Some(Value::from(1)) {
        out.push(format!("format: ours is {format:?}, must be 1"));
    }
    for (k, v) in body.iter_mut() {
        if k.parse::<usize>().is_ok() {
            if let Value::Object(item) = v {
                item.remove("format");
                item.remove("kalsig");
            }
        }
    }
}

/// Adds Python's `<prop>__null` markers (which the Node client cannot send) to
/// `theirs`, wherever the parent object exists in both.
pub fn merge_nulls(theirs: &mut Value, python: &Value) {
    if let (Value::Object(t), Value::Object(p)) = (theirs, python) {
        for (k, v) in p {
            if k.ends_with("__null") {
                t.insert(k.clone(), v.clone());
            } else if let Some(child) = t.get_mut(k) {
                merge_nulls(child, v);
            }
        }
    }
}

/// The objectType-less JSON result comparison of a decoded value with a case's
/// canonical value: nulls in the canonical value must be absent in ours, and
/// properties ours lacks are accepted only when `known(class, property)` says our
/// schema does not have them (they are then listed in `notes`).
pub fn diff_decoded(
    ours: &Value,
    canonical: &Value,
    path: &str,
    known: &dyn Fn(&str, &str) -> bool,
    out: &mut Vec<String>,
    notes: &mut Vec<String>,
) {
    match (ours, canonical) {
        (Value::Object(a), Value::Object(b)) => {
            let class = b
                .get("objectType")
                .or_else(|| a.get("objectType"))
                .and_then(Value::as_str);
            for (k, vb) in b {
                match (a.get(k), vb) {
                    (None | Some(Value::Null), Value::Null) => {}
                    (Some(va), Value::Null) => {
                        out.push(format!("{path}.{k}: null in the answer, ours {va}"))
                    }
                    (Some(va), _) => {
                        diff_decoded(va, vb, &format!("{path}.{k}"), known, out, notes)
                    }
                    (None, _) => match class {
                        Some(c) if !known(c, k) => {
                            notes.push(format!("{path}.{k}: not in our schema's {c}, dropped"))
                        }
                        _ => out.push(format!("{path}.{k}: lost (answer: {vb})")),
                    },
                }
            }
            for (k, va) in a {
                if !b.contains_key(k) {
                    out.push(format!("{path}.{k}: extra (ours: {va})"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!(
                    "{path}: {} items, the answer has {}",
                    a.len(),
                    b.len()
                ));
            }
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                diff_decoded(va, vb, &format!("{path}[{i}]"), known, out, notes);
            }
        }
        // PHP writes an empty map as `[]`.
        (Value::Object(a), Value::Array(b)) if a.is_empty() && b.is_empty() => {}
        _ => {
            if !scalar_eq(ours, canonical, Scalars::Lenient) {
                out.push(format!("{path}: ours {ours}, the answer {canonical}"));
            }
        }
    }
}

/// Query pairs of a URL, percent-decoded.
pub fn query_pairs(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
