//! Answers in XML, the shape the vendor's XML clients (Python, PHP, Java) read:
//! `<xml><result>…</result><executionTime>…</executionTime></xml>`. An object is its
//! `<objectType>` followed by one element per property set; an array is one `<item>` per
//! value; a map is one `<item>` per value, holding its key as `<itemKey>`; booleans are
//! `1`/`0`; an error is `<error>` with `<objectType>`, `<code>`, `<message>` and `<args>`.
//! A multirequest's `<result>` holds one `<item>` per call.

use super::Outcome;
use crate::errors::ApiError;
use serde_json::Value;

fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold are dropped.
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

fn element(out: &mut String, name: &str, v: &Value) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    content(out, v);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// The inside of an element holding `v`.
fn content(out: &mut String, v: &Value) {
    match v {
        Value::Null => {}
        Value::Bool(b) => out.push(if *b { '1' } else { '0' }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => escape(out, s),
        Value::Array(items) => {
            for item in items {
                element(out, "item", item);
            }
        }
        Value::Object(m) => {
            // Members in name order, whatever order the JSON object keeps (serde_json's
            // `preserve_order`, which feature unification may turn on, changes it): the
            // same answer in every build.
            let mut members: Vec<(&String, &Value)> = m.iter().collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            if let Some(t) = m.get("objectType") {
                element(out, "objectType", t);
                for (k, v) in members {
                    if k != "objectType" && !v.is_null() {
                        element(out, k, v);
                    }
                }
            } else {
                // A map: one item per value, with its key.
                for (k, v) in members {
                    out.push_str("<item>");
                    match v {
                        Value::Object(inner) if inner.contains_key("objectType") => {
                            element(out, "itemKey", &Value::String(k.clone()));
                            content(out, v);
                        }
                        other => {
                            element(out, "itemKey", &Value::String(k.clone()));
                            element(out, "value", other);
                        }
                    }
                    out.push_str("</item>");
                }
            }
        }
    }
}

fn error(out: &mut String, e: &ApiError) {
    out.push_str("<error><objectType>KalturaAPIException</objectType><code>");
    escape(out, &e.code);
    out.push_str("</code><message>");
    escape(out, &e.message);
    out.push_str("</message><args>");
    for (name, value) in &e.args {
        out.push_str("<item><objectType>KalturaApiExceptionArg</objectType><name>");
        escape(out, name);
        out.push_str("</name><value>");
        escape(out, value);
        out.push_str("</value></item>");
    }
    out.push_str("</args></error>");
}

fn outcome(out: &mut String, o: &Outcome) {
    match o {
        Ok(v) => content(out, v),
        Err(e) => error(out, e),
    }
}

fn document(inner: impl FnOnce(&mut String), seconds: f64) -> Vec<u8> {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?><xml><result>");
    inner(&mut out);
    out.push_str(&format!(
        "</result><executionTime>{seconds:.6}</executionTime></xml>"
    ));
    out.into_bytes()
}

pub fn single(o: &Outcome, seconds: f64) -> Vec<u8> {
    document(|out| outcome(out, o), seconds)
}

pub fn multi(outcomes: &[Outcome], seconds: f64) -> Vec<u8> {
    document(
        |out| {
            for o in outcomes {
                out.push_str("<item>");
                outcome(out, o);
                out.push_str("</item>");
            }
        },
        seconds,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::codes;
    use serde_json::json;

    #[test]
    fn objects_arrays_and_errors_take_the_servers_shape() {
        let v = json!({"objectType": "KalturaMediaListResponse", "totalCount": 1,
            "objects": [{"objectType": "KalturaMediaEntry", "id": "0_a", "name": "a<b", "flag": true, "gone": null}]});
        let text = String::from_utf8(single(&Ok(v), 0.5)).unwrap();
        // `objectType` leads each object, the other members follow in name order.
        assert!(text.contains("<result><objectType>KalturaMediaListResponse</objectType><objects><item><objectType>KalturaMediaEntry</objectType><flag>1</flag><id>0_a</id><name>a&lt;b</name></item></objects><totalCount>1</totalCount></result>"), "{text}");
        assert!(text.contains("<name>a&lt;b</name>"), "{text}");
        assert!(text.contains("<flag>1</flag>"), "{text}");
        assert!(!text.contains("gone"));
        assert!(text.ends_with("<executionTime>0.500000</executionTime></xml>"));

        let e = ApiError::new(codes::MISSING_KS, &[]);
        let text = String::from_utf8(multi(&[Ok(json!("ks")), Err(e)], 0.0)).unwrap();
        assert!(text.contains("<result><item>ks</item><item><error><objectType>KalturaAPIException</objectType><code>MISSING_KS</code><message>Missing KS, session not established</message>"), "{text}");
    }
}
