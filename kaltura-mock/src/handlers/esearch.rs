//! `eSearch.searchEntry` over the stored entries: unified items look in the name,
//! description, tags, reference id and id; entry items in the field they name; exact,
//! partial (case-insensitive, anywhere), starts-with, exists and range matches; AND, OR
//! and NOT operators, nested. Items the mock does not read (captions, metadata, cue
//! points, ...) match nothing and are noted. Results come newest first, paged like lists.

use super::{Answer, Ctx};
use crate::errors::ApiError;
use crate::meta;
use serde_json::{json, Map, Value};

const UNIFIED_FIELDS: &[&str] = &["name", "description", "tags", "referenceId", "id"];

/// `reference_id` -> `referenceId`: the entry property an entry field name stands for.
fn property_of(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    match out.as_str() {
        "entryType" => "type".into(),
        "creatorKuserId" => "creatorId".into(),
        "kuserId" => "userId".into(),
        _ => out,
    }
}

fn int_of(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn in_range(have: &Value, range: &Value) -> bool {
    let Some(x) = int_of(Some(have)) else {
        return false;
    };
    let bound = |name: &str| int_of(range.get(name));
    bound("greaterThanOrEqual").is_none_or(|b| x >= b)
        && bound("lessThanOrEqual").is_none_or(|b| x <= b)
        && bound("greaterThan").is_none_or(|b| x > b)
        && bound("lessThan").is_none_or(|b| x < b)
}

/// Whether one item (or operator) matches `entry`.
fn matches(item: &Value, entry: &Value, notes: &mut Vec<String>) -> bool {
    let class = item["objectType"].as_str().unwrap_or_default();
    if meta::is_a(class, "KalturaESearchEntryOperator") {
        let items: Vec<&Value> = item["searchItems"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let mut results = items.iter().map(|i| matches(i, entry, notes));
        return match int_of(item.get("operator")).unwrap_or(1) {
            2 => results.any(|m| m),
            3 => results.all(|m| !m),
            _ => results.all(|m| m),
        };
    }
    let fields: Vec<String> = if class == "KalturaESearchUnifiedItem" {
        UNIFIED_FIELDS.iter().map(|f| f.to_string()).collect()
    } else if class == "KalturaESearchEntryItem" {
        vec![property_of(item["fieldName"].as_str().unwrap_or_default())]
    } else {
        notes.push(format!(
            "eSearch item {class} is not read: it matches nothing"
        ));
        return false;
    };
    let term = item["searchTerm"]
        .as_str()
        .unwrap_or_default()
        .to_lowercase();
    let kind = int_of(item.get("itemType")).unwrap_or(2);
    fields.iter().any(|f| {
        let Some(have) = entry.get(f.as_str()).filter(|v| !v.is_null()) else {
            return false;
        };
        let text = text_of(have).to_lowercase();
        match kind {
            1 => text == term || text.split(',').any(|t| t.trim() == term),
            3 => text.starts_with(&term),
            4 => !text.is_empty(),
            5 => in_range(have, &item["range"]),
            _ => !term.is_empty() && text.contains(&term),
        }
    })
}

pub fn run(
    ctx: &mut Ctx<'_>,
    action: &str,
    args: &Map<String, Value>,
) -> Option<Result<Answer, ApiError>> {
    if action != "searchEntry" {
        return None;
    }
    super::entries::settle(ctx);
    let params = args.get("searchParams").cloned().unwrap_or(Value::Null);
    let operator = params.get("searchOperator").cloned().unwrap_or(Value::Null);
    if params.get("orderBy").is_some_and(|o| !o.is_null()) {
        ctx.notes
            .push("eSearch orderBy is not read: newest first".into());
    }
    let pid = ctx.session.partner_id;
    let ent = ctx.entitlement();
    let entries = std::mem::take(&mut ctx.store.partner(pid).entries);
    let data = ctx.store.partner(pid);
    let mut found: Vec<&Value> = entries
        .values()
        .filter(|e| text_of(&e["status"]) != "3")
        .filter(|e| ent.entry(data, e))
        .filter(|e| operator.is_null() || matches(&operator, e, ctx.notes))
        .collect();
    found.reverse();
    let result = crate::store::list::page(found, None, args.get("pager"), "", ctx.notes);
    ctx.store.partner(pid).entries = entries;
    Some(result.map(|page| {
        let objects: Vec<Value> = page
            .objects
            .into_iter()
            .map(|e| {
                json!({"objectType": "KalturaESearchEntryResult", "object": e,
                       "highlight": [], "itemsData": []})
            })
            .collect();
        Answer::Value(json!({
            "objectType": "KalturaESearchEntryResponse",
            "objects": objects,
            "totalCount": page.total_count,
            "aggregations": [],
        }))
    }))
}
