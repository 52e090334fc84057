//! A request's parameters as the server groups them: from the path
//! (`/service/media/action/list/ks/...`), the query string, a form body, a JSON body or
//! the `json` part of a multipart body, merged into one tree. Flattened names
//! (`filter:nameLike`, `0:service`) are split on `:` as the server does, and a name
//! ending in `:-` stands for an empty array. Files are kept apart, by flattened name.

use crate::http::HttpRequest;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One uploaded file.
#[derive(Debug, Clone)]
pub struct FilePart {
    pub filename: Option<String>,
    pub data: Vec<u8>,
}

/// Everything a request carried.
#[derive(Debug, Default, Clone)]
pub struct RequestParams {
    pub tree: Map<String, Value>,
    /// By flattened name (`fileData`, `1:fileData`).
    pub files: HashMap<String, FilePart>,
    /// What was dropped or read leniently, for the request log.
    pub notes: Vec<String>,
}

fn decode_component(s: &str) -> String {
    let plus = s.replace('+', " ");
    percent_encoding::percent_decode_str(&plus)
        .decode_utf8_lossy()
        .into_owned()
}

/// `a=b&c=d` pairs, decoded.
pub fn form_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode_component(k), decode_component(v)),
            None => (decode_component(p), String::new()),
        })
        .collect()
}

/// Sets `value` at the `:`-separated `key` in `tree`, as the server's grouping does.
pub fn set_flat(tree: &mut Map<String, Value>, key: &str, value: Value) {
    let path: Vec<&str> = key.split(':').collect();
    set_path(tree, &path, value);
}

fn set_path(tree: &mut Map<String, Value>, path: &[&str], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        tree.insert((*first).to_string(), value);
        return;
    }
    if rest == ["-"] {
        // `name:-`: an empty array.
        tree.insert((*first).to_string(), Value::Object(Map::new()));
        return;
    }
    let slot = tree
        .entry((*first).to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    if let Value::Object(inner) = slot {
        set_path(inner, rest, value);
    }
}

/// Merges a JSON document's members into the tree, splitting flattened names.
fn merge_json(tree: &mut Map<String, Value>, doc: Map<String, Value>) {
    for (k, v) in doc {
        if k.contains(':') {
            set_flat(tree, &k, v);
        } else {
            tree.insert(k, v);
        }
    }
}

/// The service and action named by the path, and the other `/name/value` pairs of it.
fn path_pairs(path: &str) -> Vec<(String, String)> {
    let after = match path.find("/api_v3") {
        Some(i) => &path[i + "/api_v3".len()..],
        None => path,
    };
    let segments: Vec<String> = after
        .split('/')
        .filter(|s| !s.is_empty() && *s != "index.php")
        .map(decode_component)
        .collect();
    segments
        .chunks(2)
        .map(|c| (c[0].clone(), c.get(1).cloned().unwrap_or_default()))
        .collect()
}

/// Splits a multipart body on its boundary: (name, filename, bytes) of each part.
/// One part of a multipart body: its name, its file name, its bytes.
type Part = (String, Option<String>, Vec<u8>);

fn multipart(body: &[u8], boundary: &str) -> Option<Vec<Part>> {
    let find = |hay: &[u8], needle: &[u8], from: usize| -> Option<usize> {
        if from > hay.len() {
            return None;
        }
        hay[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    };
    let dash = format!("--{boundary}");
    let delim = format!("\r\n--{boundary}");
    let mut pos = if body.starts_with(dash.as_bytes()) {
        dash.len()
    } else {
        find(body, delim.as_bytes(), 0)? + delim.len()
    };
    let mut parts = Vec::new();
    loop {
        if body.get(pos..pos + 2)? == b"--" {
            return Some(parts);
        }
        if body.get(pos..pos + 2)? != b"\r\n" {
            return None;
        }
        let start = pos + 2;
        let end = find(body, delim.as_bytes(), start)?;
        let raw = &body[start..end];
        let split = find(raw, b"\r\n\r\n", 0)?;
        let head = String::from_utf8_lossy(&raw[..split]);
        let disposition = head
            .split("\r\n")
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-disposition"))
            .map(|(_, v)| v.trim().to_string())?;
        let param = |name: &str| {
            disposition
                .split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix(&format!("{name}=")))
                .map(|v| v.trim_matches('"').to_string())
        };
        parts.push((param("name")?, param("filename"), raw[split + 4..].to_vec()));
        pos = end + delim.len();
    }
}

/// Reads every parameter of a request. Fails (with a reason for the log and the
/// answer) only when the body cannot be read at all.
pub fn read(req: &HttpRequest) -> Result<RequestParams, String> {
    let mut out = RequestParams::default();
    for (k, v) in path_pairs(&req.path) {
        set_flat(&mut out.tree, &k, Value::String(v));
    }
    for (k, v) in form_pairs(&req.query) {
        set_flat(&mut out.tree, &k, Value::String(v));
    }
    let content_type = req
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if req.body.is_empty() {
        return Ok(out);
    }
    if content_type.starts_with("multipart/form-data") {
        let boundary = req
            .header("content-type")
            .unwrap_or("")
            .split(';')
            .map(str::trim)
            .find_map(|p| p.strip_prefix("boundary="))
            .map(|b| b.trim_matches('"').to_string())
            .ok_or("multipart body without a boundary")?;
        let parts = multipart(&req.body, &boundary).ok_or("multipart body cannot be split")?;
        for (name, filename, data) in parts {
            if filename.is_some() {
                out.files.insert(name, FilePart { filename, data });
            } else if name == "json" {
                match serde_json::from_slice::<Value>(&data) {
                    Ok(Value::Object(doc)) => merge_json(&mut out.tree, doc),
                    _ => return Err("the `json` part is not a JSON object".into()),
                }
            } else {
                let text = String::from_utf8_lossy(&data).into_owned();
                set_flat(&mut out.tree, &name, Value::String(text));
            }
        }
    } else if content_type.contains("json") || req.body.first() == Some(&b'{') {
        match serde_json::from_slice::<Value>(&req.body) {
            Ok(Value::Object(doc)) => merge_json(&mut out.tree, doc),
            Ok(_) => return Err("the JSON body is not an object".into()),
            Err(e) => return Err(format!("the JSON body does not parse: {e}")),
        }
    } else {
        let text = String::from_utf8_lossy(&req.body).into_owned();
        for (k, v) in form_pairs(&text) {
            set_flat(&mut out.tree, &k, Value::String(v));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str, content_type: &str, body: &[u8]) -> HttpRequest {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        HttpRequest {
            method: "POST".into(),
            path: path.into(),
            query: query.into(),
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.to_vec(),
        }
    }

    #[test]
    fn flattened_form_fields_are_grouped() {
        let req = request(
            "/api_v3/service/media/action/list?format=2",
            "application/x-www-form-urlencoded",
            b"filter%3AnameLike=a+b&filter:objectType=KalturaMediaEntryFilter&pager:-=",
        );
        let p = read(&req).unwrap();
        assert_eq!(p.tree["service"], "media");
        assert_eq!(p.tree["action"], "list");
        assert_eq!(p.tree["format"], "2");
        assert_eq!(p.tree["filter"]["nameLike"], "a b");
        assert_eq!(p.tree["pager"], Value::Object(Map::new()));
    }

    #[test]
    fn json_bodies_and_multipart_json_parts_are_read() {
        let req = request(
            "/api_v3/service/multirequest",
            "application/json",
            br#"{"0":{"service":"media","action":"get"},"1:entryId":"x"}"#,
        );
        let p = read(&req).unwrap();
        assert_eq!(p.tree["0"]["service"], "media");
        assert_eq!(p.tree["1"]["entryId"], "x");

        let body = b"--XX\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n{\"uploadTokenId\":\"t\"}\r\n--XX\r\nContent-Disposition: form-data; name=\"fileData\"; filename=\"a.bin\"\r\n\r\nABC\r\n--XX--\r\n";
        let req = request(
            "/api_v3/service/uploadtoken/action/upload",
            "multipart/form-data; boundary=XX",
            body,
        );
        let p = read(&req).unwrap();
        assert_eq!(p.tree["uploadTokenId"], "t");
        assert_eq!(p.files["fileData"].data, b"ABC");
    }

    #[test]
    fn unreadable_bodies_are_refused_not_panicked_on() {
        assert!(read(&request(
            "/api_v3/service/a/action/b",
            "application/json",
            b"{"
        ))
        .is_err());
        assert!(read(&request("/x", "multipart/form-data", b"--")).is_err());
        assert!(read(&request("/x", "multipart/form-data; boundary=Q", b"junk")).is_err());
    }
}
