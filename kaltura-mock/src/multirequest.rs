//! `service=multirequest`: the calls under numbered keys (`0:service`, `1:action`, or
//! JSON objects under "0", "1", ...), run in key order. A string parameter holding
//! `{N:result}` or `{N:result:path:to:value}` takes the value of the N-th call's result
//! (counted from 1; a path walks properties and array indices); a reference that does
//! not resolve fails its call with `MISSING_MANDATORY_PARAMETER`, as on the server. A
//! failing call answers its error in its slot and the others go on; the calls end at
//! the first number without a service or an action. The request's `ks` and `partnerId` apply to calls
//! that carry none.

use crate::wire::Outcome;
use serde_json::{Map, Value};

/// The numbered calls of a multirequest, in order: (key, parameters).
pub fn items(tree: &Map<String, Value>) -> Vec<(String, Map<String, Value>)> {
    let mut keyed: Vec<(i64, String, Map<String, Value>)> = tree
        .iter()
        .filter_map(|(k, v)| {
            let n = k.parse::<i64>().ok()?;
            Some((n, k.clone(), v.as_object()?.clone()))
        })
        .collect();
    keyed.sort_by_key(|(n, _, _)| *n);
    keyed
        .into_iter()
        .map(|(_, k, mut m)| {
            for inherited in ["ks", "partnerId", "format"] {
                if !m.contains_key(inherited) {
                    if let Some(v) = tree.get(inherited) {
                        m.insert(inherited.into(), v.clone());
                    }
                }
            }
            (k, m)
        })
        .collect()
}

fn walk<'v>(v: &'v Value, path: &[&str]) -> Option<&'v Value> {
    let mut cur = v;
    for p in path {
        cur = match cur {
            Value::Object(m) => m.get(*p)?,
            Value::Array(a) => a.get(p.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// PHP's truthiness, which the server's reference check uses: `0`, `""`, `"0"`,
/// `false` and `null` do not count as a value.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !(s.is_empty() || s == "0"),
        _ => true,
    }
}

/// The value a `{N:result:...}` token stands for: a scalar, truthy value of an earlier
/// call that succeeded, as the server requires.
fn resolve_token(token: &str, done: &[Outcome]) -> Option<Value> {
    let inner = token.strip_prefix('{')?.strip_suffix('}')?;
    let mut parts = inner.splitn(3, ':');
    let n: usize = parts.next()?.parse().ok()?;
    if parts.next()? != "result" {
        return None;
    }
    let path: Vec<&str> = parts
        .next()
        .map(|p| p.split(':').filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let result = done.get(n.checked_sub(1)?)?.as_ref().ok()?;
    walk(result, &path)
        .filter(|v| !v.is_object() && !v.is_array() && truthy(v))
        .cloned()
}

/// The first `{N:result...}` token in a string, if any.
fn find_token(s: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(i) = s[from..].find('{') {
        let start = from + i;
        let rest = &s[start..];
        let end = rest.find('}')?;
        let token = &rest[..=end];
        let inner = &token[1..token.len() - 1];
        let mut parts = inner.splitn(3, ':');
        let is_ref = parts
            .next()
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            && parts.next() == Some("result");
        if is_ref {
            return Some(token);
        }
        from = start + 1;
    }
    None
}

/// Replaces the references throughout a call's parameters. A reference to a call that
/// failed, to a path that is not there, or to an empty value fails the call with
/// `MISSING_MANDATORY_PARAMETER` naming the reference, as on the server: `Err(token)`.
pub fn resolve(v: &mut Value, done: &[Outcome]) -> Result<(), String> {
    match v {
        Value::String(s) => {
            if let Some(token) = find_token(s) {
                let token = token.to_string();
                let value = resolve_token(&token, done).ok_or_else(|| token.clone())?;
                if *s == token {
                    *v = value;
                } else {
                    let text = match &value {
                        Value::String(t) => t.clone(),
                        other => other.to_string(),
                    };
                    *v = Value::String(s.replacen(&token, &text, 1));
                }
            }
            Ok(())
        }
        Value::Array(a) => a.iter_mut().try_for_each(|x| resolve(x, done)),
        Value::Object(m) => m.values_mut().try_for_each(|x| resolve(x, done)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_take_values_from_earlier_results() {
        let done: Vec<Outcome> = vec![
            Ok(json!({"objectType": "KalturaMediaEntry", "id": "0_abc", "objects": [{"id": 7}]})),
            Ok(json!("a-ks")),
        ];
        let mut v = json!({"entryId": "{1:result:id}", "x": "{1:result:objects:0:id}",
                           "ks": "{2:result}", "text": "id={1:result:id}!", "plain": "{not a ref}"});
        resolve(&mut v, &done).unwrap();
        assert_eq!(v["entryId"], "0_abc");
        assert_eq!(v["x"], 7);
        assert_eq!(v["ks"], "a-ks");
        assert_eq!(v["text"], "id=0_abc!");
        assert_eq!(v["plain"], "{not a ref}");
        let mut missing = json!({"a": "{3:result}"});
        assert_eq!(resolve(&mut missing, &done), Err("{3:result}".to_string()));
        let mut object = json!({"a": "{1:result}"});
        assert!(
            resolve(&mut object, &done).is_err(),
            "a whole object is no value"
        );
        let failed: Vec<Outcome> = vec![Err(crate::errors::ApiError::new(
            "ENTRY_ID_NOT_FOUND",
            &["x"],
        ))];
        assert!(resolve(&mut json!({"a": "{1:result:id}"}), &failed).is_err());
    }

    #[test]
    fn items_come_in_numeric_order_with_the_session_inherited() {
        let tree = json!({"ks": "K", "10": {"service": "b"}, "2": {"service": "a", "ks": "own"}, "format": 1});
        let items = items(tree.as_object().unwrap());
        assert_eq!(items[0].0, "2");
        assert_eq!(items[0].1["ks"], "own");
        assert_eq!(items[1].1["ks"], "K");
    }
}
