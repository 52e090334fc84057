//! Printing results: JSON for programs, tables for people.

use crate::error::{CliError, Result};
use crate::units::rfc3339;
use clap::ValueEnum;
use kaltura_runtime::meta::{Api, TypeMeta};
use serde_json::Value;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `--output`, the same for every command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Pretty-printed JSON, as the server answered
    Json,
    /// A table: lists as rows, an object as name/value pairs
    Table,
    /// YAML
    Yaml,
    /// Only the ids, one a line (of a list's objects, or of the object)
    Ids,
    /// The answer as it came: a string without quotes, anything else as compact JSON
    Raw,
}

/// A result in the chosen mode. `api` names enum values in tables.
pub fn render(value: &Value, mode: Mode, fields: &[String], api: Option<&Api>) -> String {
    match mode {
        Mode::Json => json(value),
        Mode::Yaml => yaml(value),
        Mode::Raw => match value {
            Value::String(s) => format!("{s}\n"),
            other => format!("{other}\n"),
        },
        Mode::Ids => {
            let one = |v: &Value| match v.get("id") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            };
            let ids: Vec<String> = match value {
                v if is_list(v) => v["objects"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(one)
                    .collect(),
                Value::Array(items) => items.iter().filter_map(one).collect(),
                Value::String(s) => vec![s.clone()],
                other => one(other).into_iter().collect(),
            };
            ids.iter().map(|i| format!("{i}\n")).collect()
        }
        Mode::Table => match value {
            v if is_list(v) => list_table_with(v, Some(fields), api),
            Value::Object(map) => {
                let class = map.get("objectType").and_then(Value::as_str);
                let rows: Vec<Vec<String>> = map
                    .iter()
                    .filter(|(k, _)| fields.is_empty() || fields.contains(k))
                    .map(|(k, v)| {
                        let text = match (api, class) {
                            (Some(api), Some(c)) => enum_name(api, c, k, v),
                            _ => None,
                        };
                        vec![k.clone(), text.unwrap_or_else(|| cell(k, Some(v)))]
                    })
                    .collect();
                table(&["property", "value"], &rows)
            }
            Value::String(s) => format!("{s}\n"),
            other => json(other),
        },
    }
}

/// An enum property's value by its constant name (`2` -> `READY`), from the class's
/// declaration of the property.
fn enum_name(api: &Api, class: &str, property: &str, value: &Value) -> Option<String> {
    let raw = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    let prop = api
        .properties(class)
        .into_iter()
        .find(|p| p.name == property)?;
    let TypeMeta::Enum(e) = &prop.ty else {
        return None;
    };
    api.enum_(e)?
        .values
        .iter()
        .find(|(_, v)| *v == raw)
        .map(|(name, _)| name.clone())
}

/// YAML for people: block style, strings quoted only when they would read as
/// something else.
pub fn yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => yaml_map(m, 0, &mut out),
        Value::Array(a) if !a.is_empty() => yaml_seq(a, 0, &mut out),
        other => {
            out.push_str(&yaml_scalar(other));
            out.push('\n');
        }
    }
    out
}

fn yaml_scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let plain = !s.is_empty()
                && !s.starts_with(|c: char| " -?:,[]{}#&*!|>'\"%@`~".contains(c))
                && !s.ends_with(' ')
                && !s.contains(": ")
                && !s.contains(" #")
                && !s.chars().any(char::is_control)
                && s.parse::<f64>().is_err()
                && !matches!(
                    s.to_ascii_lowercase().as_str(),
                    "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "~"
                );
            if plain {
                s.clone()
            } else {
                Value::String(s.clone()).to_string()
            }
        }
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

fn is_block(v: &Value) -> bool {
    match v {
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    }
}

fn yaml_map(m: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for (k, v) in m {
        let key = yaml_scalar(&Value::String(k.clone()));
        if is_block(v) {
            out.push_str(&format!("{pad}{key}:\n"));
            match v {
                Value::Object(inner) => yaml_map(inner, indent + 2, out),
                Value::Array(items) => yaml_seq(items, indent, out),
                _ => {}
            }
        } else {
            out.push_str(&format!("{pad}{key}: {}\n", yaml_scalar(v)));
        }
    }
}

fn yaml_seq(items: &[Value], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for v in items {
        match v {
            Value::Object(m) if !m.is_empty() => {
                // The first pair shares the dash's line.
                let mut inner = String::new();
                yaml_map(m, indent + 2, &mut inner);
                let body = inner.get(indent + 2..).unwrap_or("");
                out.push_str(&format!("{pad}- {body}"));
            }
            Value::Array(a) if !a.is_empty() => {
                out.push_str(&format!("{pad}-\n"));
                yaml_seq(a, indent + 2, out);
            }
            other => out.push_str(&format!("{pad}- {}\n", yaml_scalar(other))),
        }
    }
}

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
    list_table_with(value, columns, None)
}

/// [`list_table`], with enum values by name when `api` is given.
pub fn list_table_with(value: &Value, columns: Option<&[String]>, api: Option<&Api>) -> String {
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
            .map(|o| {
                let class = o.get("objectType").and_then(Value::as_str);
                columns
                    .iter()
                    .map(|c| {
                        let v = o.get(c.as_str());
                        match (api, class, v) {
                            (Some(api), Some(class), Some(v)) => enum_name(api, class, c, v),
                            _ => None,
                        }
                        .unwrap_or_else(|| cell(c, v))
                    })
                    .collect()
            })
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

/// One line, at most `max` columns wide on a terminal (CJK and emoji count two).
pub fn clip(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.width() <= max {
        return flat;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in flat.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max.saturating_sub(1) {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Rows under headers, columns padded to their widest cell, measured as a terminal
/// shows them.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.width());
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
            let pad = width.saturating_sub(c.width());
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

/// Writes to stdout; a closed pipe (`kaltura ... | head`) is not an error.
pub fn emit(bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Local(format!("cannot write the output: {e}"))),
    }
}

pub fn emit_line(text: &str) -> Result<()> {
    emit(format!("{text}\n").as_bytes())
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
        assert_eq!(clip("日本語のタイトル", 7), "日本語…");
    }

    #[test]
    fn wide_characters_line_up() {
        let t = table(
            &["name", "id"],
            &[
                vec!["日本語".into(), "1".into()],
                vec!["ab".into(), "2".into()],
                vec!["🎬x".into(), "3".into()],
            ],
        );
        assert_eq!(
            t,
            "name    id\n------  --\n日本語  1\nab      2\n🎬x     3\n"
        );
    }

    #[test]
    fn modes() {
        let api = kaltura_metadata_api();
        let list = json!({"objectType": "KalturaMediaListResponse", "totalCount": 1, "objects": [
            {"objectType": "KalturaMediaEntry", "id": "0_a", "name": "A", "status": 2, "mediaType": 1}
        ]});
        let t = render(
            &list,
            Mode::Table,
            &["id".into(), "status".into(), "mediaType".into()],
            Some(api),
        );
        assert!(t.contains("0_a  READY   VIDEO"), "{t}");
        assert_eq!(render(&list, Mode::Ids, &[], None), "0_a\n");
        assert_eq!(render(&json!("ks"), Mode::Raw, &[], None), "ks\n");
        let y = render(
            &json!({"a": 1, "b": ["x", {"c": "yes", "d": "two words"}], "e": {}}),
            Mode::Yaml,
            &[],
            None,
        );
        assert_eq!(y, "a: 1\nb:\n- x\n- c: \"yes\"\n  d: two words\ne: {}\n");
        let one = render(&list["objects"][0], Mode::Table, &[], Some(api));
        assert!(one.contains("status      READY"), "{one}");
    }

    fn kaltura_metadata_api() -> &'static Api {
        kaltura_metadata::api()
    }
}
