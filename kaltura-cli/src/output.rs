//! Printing results: JSON for programs, tables for people.

use crate::units::rfc3339;
use serde_json::Value;

/// Columns preferred for list tables, in this order, when the objects have them.
const PREFERRED: &[&str] = &[
    "id",
    "name",
    "fullName",
    "email",
    "systemName",
    "mediaType",
    "type",
    "status",
    "fileName",
    "fileSize",
    "uploadedFileSize",
    "duration",
    "createdAt",
    "updatedAt",
];

const MAX_COLUMNS: usize = 6;
const MAX_CELL: usize = 48;

/// JSON text, pretty-printed, ending in a newline.
pub fn json(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    text.push('\n');
    text
}

/// Whether a result is a list response (`objects` and `totalCount`).
pub fn is_list(value: &Value) -> bool {
    value.get("objects").is_some_and(Value::is_array) && value.get("totalCount").is_some()
}

/// A list response as a table: the chosen columns (or a few useful ones), then a line
/// with the count.
pub fn list_table(value: &Value, columns: Option<&[String]>) -> String {
    let objects: &[Value] = value
        .get("objects")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let total = match value.get("totalCount") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => "?".into(),
    };
    let columns: Vec<String> = match columns {
        Some(c) if !c.is_empty() => c.to_vec(),
        _ => default_columns(objects),
    };
    let mut out = String::new();
    if !objects.is_empty() && !columns.is_empty() {
        let rows: Vec<Vec<String>> = objects
            .iter()
            .map(|o| columns.iter().map(|c| cell(c, o.get(c.as_str()))).collect())
            .collect();
        let headers: Vec<&str> = columns.iter().map(String::as_str).collect();
        out.push_str(&table(&headers, &rows));
    }
    let noun = if objects.len() == 1 {
        "object"
    } else {
        "objects"
    };
    out.push_str(&format!("{} {noun} shown, {total} in all\n", objects.len()));
    out
}

fn default_columns(objects: &[Value]) -> Vec<String> {
    let has = |key: &str| {
        objects
            .iter()
            .any(|o| o.get(key).is_some_and(|v| !v.is_null() && is_scalar(v)))
    };
    let mut columns: Vec<String> = PREFERRED
        .iter()
        .filter(|k| has(k))
        .take(MAX_COLUMNS)
        .map(|k| k.to_string())
        .collect();
    if columns.len() < 3 {
        for o in objects {
            let Some(map) = o.as_object() else { continue };
            for (k, v) in map {
                if columns.len() >= MAX_COLUMNS {
                    break;
                }
                if k != "objectType" && is_scalar(v) && !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
        }
    }
    columns
}

fn is_scalar(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

/// A value as one table cell. Times (`...At` columns holding unix seconds) as dates.
fn cell(column: &str, value: Option<&Value>) -> String {
    let text = match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if column.ends_with("At") => n
            .as_i64()
            .filter(|t| *t > 0)
            .and_then(rfc3339)
            .unwrap_or_else(|| n.to_string()),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(other) => other.to_string(),
    };
    clip(&text, MAX_CELL)
}

/// One line, at most `max` characters.
pub fn clip(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= max {
        return flat;
    }
    let mut out: String = flat.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Rows under headers, columns padded to their widest cell.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (i, c) in cells.enumerate() {
            let width = widths.get(i).copied().unwrap_or(0);
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(c);
            let pad = width.saturating_sub(c.chars().count());
            text.extend(std::iter::repeat_n(' ', pad));
        }
        let mut text = text.trim_end().to_string();
        text.push('\n');
        text
    };
    let mut out = line(&mut headers.iter().copied());
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(&mut rule.iter().map(String::as_str)));
    for row in rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tables() {
        let t = table(
            &["id", "name"],
            &[vec!["1".into(), "one".into()], vec!["22".into(), "".into()]],
        );
        assert_eq!(t, "id  name\n--  ----\n1   one\n22\n");
    }

    #[test]
    fn list_responses() {
        let list = json!({
            "objectType": "KalturaMediaListResponse",
            "totalCount": 7,
            "objects": [
                {"objectType": "KalturaMediaEntry", "id": "0_a", "name": "Intro\nclip", "createdAt": 2000000000, "tags": ["x"]},
                {"objectType": "KalturaMediaEntry", "id": "0_b", "name": "Other", "createdAt": 0},
            ]
        });
        assert!(is_list(&list));
        assert!(!is_list(&json!({"id": 1})));
        let t = list_table(&list, None);
        assert!(t.starts_with("id   name        createdAt\n"), "{t}");
        assert!(t.contains("0_a  Intro clip  2033-05-18T03:33:20Z"), "{t}");
        assert!(t.ends_with("2 objects shown, 7 in all\n"), "{t}");
        let t = list_table(&list, Some(&["name".to_string(), "missing".to_string()]));
        assert!(t.starts_with("name        missing\n"), "{t}");
        let empty = json!({"objects": [], "totalCount": 0});
        assert_eq!(list_table(&empty, None), "0 objects shown, 0 in all\n");
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
