//! Lists as the server answers them: a filter object's properties read by their names
//! (`<property>Equal`, `NotEqual`, `In`, `NotIn`, `Like`, `MultiLikeOr`,
//! `MultiLikeAnd`, `GreaterThanOrEqual`, `LessThanOrEqual`, `GreaterThan`,
//! `LessThan`, `MatchOr`, `MatchAnd`, `NotContains`), `orderBy` (`+name`, `-createdAt`),
//! and the pager (`pageSize` 30 by default, at most 500; `pageIndex` from 1), with the
//! server's 10,000-match limit: a page starting at or past it is refused, one running
//! past it is cut short.

use crate::errors::{codes, ApiError};
use serde_json::{Map, Value};
use std::cmp::Ordering;

pub const MAX_MATCHES: usize = 10_000;
pub const DEFAULT_PAGE_SIZE: usize = 30;
pub const MAX_PAGE_SIZE: usize = 500;

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "1" } else { "0" }.into(),
        other => other.to_string(),
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

fn compare(a: &Value, b: &Value) -> Ordering {
    match (number(a), number(b)) {
        (Some(x), Some(y)) if !a.is_string() || !b.is_string() => {
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        _ => text(a).to_lowercase().cmp(&text(b).to_lowercase()),
    }
}

fn list_of(s: &str) -> Vec<String> {
    s.split(',')
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// Operators by suffix, longest first so that `NotEqual` is not read as `Equal`.
const OPS: &[&str] = &[
    "GreaterThanOrEqualOrNull",
    "LessThanOrEqualOrNull",
    "GreaterThanOrEqual",
    "LessThanOrEqual",
    "MultiLikeOr",
    "MultiLikeAnd",
    "NotContains",
    "GreaterThan",
    "LessThan",
    "NotEqual",
    "MatchOr",
    "MatchAnd",
    "NotIn",
    "Equal",
    "Like",
    "In",
];

/// Whether `object` passes one filter condition; `None` when the condition is not one
/// the mock reads (noted by the caller).
fn passes(object: &Map<String, Value>, key: &str, want: &Value) -> Option<bool> {
    let (prop, op) = OPS
        .iter()
        .find_map(|op| key.strip_suffix(op).map(|p| (p, *op)))
        .filter(|(p, _)| !p.is_empty())?;
    let have = object.get(prop);
    let have_text = have.map(text).unwrap_or_default();
    let want_text = text(want);
    Some(match op {
        "Equal" => have.is_some_and(|h| compare(h, want) == Ordering::Equal),
        "NotEqual" => have.is_none_or(|h| compare(h, want) != Ordering::Equal),
        "In" => list_of(&want_text).contains(&have_text),
        "NotIn" => !list_of(&want_text).contains(&have_text),
        "Like" => have_text.to_lowercase().contains(&want_text.to_lowercase()),
        "MultiLikeOr" => list_of(&want_text)
            .iter()
            .any(|w| have_text.to_lowercase().contains(&w.to_lowercase())),
        "MultiLikeAnd" => list_of(&want_text)
            .iter()
            .all(|w| have_text.to_lowercase().contains(&w.to_lowercase())),
        "MatchOr" => {
            let have = list_of(&have_text);
            list_of(&want_text).iter().any(|w| have.contains(w))
        }
        "MatchAnd" => {
            let have = list_of(&have_text);
            list_of(&want_text).iter().all(|w| have.contains(w))
        }
        "NotContains" => {
            let have = list_of(&have_text);
            !list_of(&want_text).iter().any(|w| have.contains(w))
        }
        "GreaterThanOrEqual" => have.is_some_and(|h| compare(h, want) != Ordering::Less),
        "LessThanOrEqual" => have.is_some_and(|h| compare(h, want) != Ordering::Greater),
        "GreaterThanOrEqualOrNull" => {
            have.is_none_or(|h| h.is_null() || compare(h, want) != Ordering::Less)
        }
        "LessThanOrEqualOrNull" => {
            have.is_none_or(|h| h.is_null() || compare(h, want) != Ordering::Greater)
        }
        "GreaterThan" => have.is_some_and(|h| compare(h, want) == Ordering::Greater),
        "LessThan" => have.is_some_and(|h| compare(h, want) == Ordering::Less),
        _ => return None,
    })
}

/// One page of a list answer.
#[derive(Debug)]
pub struct Page {
    pub objects: Vec<Value>,
    pub total_count: usize,
}

/// Filters, sorts and pages `objects` (in insertion order). `default_order` applies
/// when the filter sets no `orderBy`.
pub fn page(
    objects: Vec<&Value>,
    filter: Option<&Value>,
    pager: Option<&Value>,
    default_order: &str,
    notes: &mut Vec<String>,
) -> Result<Page, ApiError> {
    let conditions: Vec<(&String, &Value)> = filter
        .and_then(Value::as_object)
        .map(|f| {
            f.iter()
                .filter(|(k, v)| *k != "objectType" && *k != "orderBy" && !v.is_null())
                .filter(|(k, _)| k.as_str() != "advancedSearch")
                .collect()
        })
        .unwrap_or_default();
    let mut unread = Vec::new();
    let mut matched: Vec<&Value> = objects
        .into_iter()
        .filter(|o| {
            let Some(m) = o.as_object() else { return false };
            conditions.iter().all(|(k, v)| match passes(m, k, v) {
                Some(ok) => ok,
                None => {
                    if !unread.contains(k) {
                        unread.push(*k);
                    }
                    true
                }
            })
        })
        .collect();
    for k in unread {
        notes.push(format!("filter property `{k}` is not applied by the mock"));
    }
    let order = filter
        .and_then(|f| f.get("orderBy"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or(default_order)
        .to_string();
    let mut keys: Vec<(bool, String)> = list_of(&order)
        .into_iter()
        .map(|k| match k.strip_prefix('-') {
            Some(p) => (false, p.to_string()),
            None => (true, k.trim_start_matches('+').to_string()),
        })
        .collect();
    keys.retain(|(_, p)| !p.is_empty());
    if !keys.is_empty() {
        // Stable: objects equal on every key stay in insertion order, newest last.
        matched.sort_by(|a, b| {
            for (asc, prop) in &keys {
                let x = a.get(prop).unwrap_or(&Value::Null);
                let y = b.get(prop).unwrap_or(&Value::Null);
                let o = compare(x, y);
                let o = if *asc { o } else { o.reverse() };
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
    }
    let total_count = matched.len();
    let size = pager
        .and_then(|p| p.get("pageSize"))
        .and_then(Value::as_i64)
        .filter(|n| *n > 0)
        .map_or(DEFAULT_PAGE_SIZE, |n| (n as usize).min(MAX_PAGE_SIZE));
    let index = pager
        .and_then(|p| p.get("pageIndex"))
        .and_then(Value::as_i64)
        .filter(|n| *n > 0)
        .map_or(1, |n| n as usize);
    let start = (index - 1).saturating_mul(size);
    if start >= MAX_MATCHES {
        return Err(ApiError::new(
            codes::QUERY_EXCEEDED_MAX_MATCHES_ALLOWED,
            &[],
        ));
    }
    let end = start.saturating_add(size).min(MAX_MATCHES).min(total_count);
    let objects = if start < end {
        matched[start..end].iter().map(|v| (*v).clone()).collect()
    } else {
        Vec::new()
    };
    Ok(Page {
        objects,
        total_count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entries(n: usize) -> Vec<Value> {
        (0..n)
            .map(|i| json!({"id": format!("0_{i:05}"), "name": format!("clip {i}"), "createdAt": 1000 + i as i64, "status": if i % 2 == 0 {"2"} else {"7"}}))
            .collect()
    }

    #[test]
    fn filters_sort_and_pages() {
        let all = entries(50);
        let mut notes = Vec::new();
        let filter = json!({"statusEqual": "2", "nameLike": "CLIP 1", "orderBy": "-createdAt", "bogusThing": 1});
        let page = page(
            all.iter().collect(),
            Some(&filter),
            Some(&json!({"pageSize": 3})),
            "",
            &mut notes,
        )
        .unwrap();
        // clip 10, 12, 14, 16, 18 are READY and match "clip 1"
        assert_eq!(page.total_count, 5);
        let names: Vec<&str> = page
            .objects
            .iter()
            .map(|o| o["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["clip 18", "clip 16", "clip 14"]);
        assert_eq!(notes.len(), 1, "{notes:?}");
    }

    #[test]
    fn in_lists_and_ranges() {
        let all = entries(10);
        let mut notes = Vec::new();
        let f = json!({"idIn": "0_00001,0_00003, 0_00009", "createdAtGreaterThanOrEqual": 1003});
        let p = page(
            all.iter().collect(),
            Some(&f),
            None,
            "+createdAt",
            &mut notes,
        )
        .unwrap();
        let ids: Vec<&str> = p
            .objects
            .iter()
            .map(|o| o["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["0_00003", "0_00009"]);
    }

    #[test]
    fn the_match_limit_cuts_and_refuses() {
        let all = entries(10_050);
        let mut notes = Vec::new();
        let p = page(
            all.iter().collect(),
            None,
            Some(&json!({"pageSize": 500, "pageIndex": 20})),
            "+createdAt",
            &mut notes,
        )
        .unwrap();
        assert_eq!(p.objects.len(), 500);
        assert_eq!(p.total_count, 10_050);
        let e = page(
            all.iter().collect(),
            None,
            Some(&json!({"pageSize": 500, "pageIndex": 21})),
            "+createdAt",
            &mut notes,
        )
        .unwrap_err();
        assert_eq!(e.code, "QUERY_EXCEEDED_MAX_MATCHES_ALLOWED");
        let p = page(
            all.iter().collect(),
            None,
            Some(&json!({"pageSize": 300, "pageIndex": 34})),
            "+createdAt",
            &mut notes,
        )
        .unwrap();
        assert_eq!(p.objects.len(), 100, "9,900..10,000 only");
    }
}
