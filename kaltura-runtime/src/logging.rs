//! What the client writes to `tracing` about request and response bodies, with every
//! KS, secret and password blanked out. Only used when TRACE is enabled for
//! `kaltura_client`.

use crate::error::{is_secret_key, Secrets};
use crate::transport::{HttpBody, HttpResponse};
use serde_json::Value;

/// Longest body text written to a log event.
const MAX_LOGGED: usize = 16 * 1024;

const REDACTED: &str = "<redacted>";

/// The secrets a request carries (for blanking them out of what the server echoes).
pub(crate) fn request_secrets(body: &HttpBody) -> Secrets {
    match json_of(body) {
        Some(v) => Secrets::collect(&v),
        None => Secrets::default(),
    }
}

fn json_of(body: &HttpBody) -> Option<Value> {
    match body {
        HttpBody::Empty => None,
        HttpBody::Json(b) => serde_json::from_slice(b).ok(),
        HttpBody::Multipart(m) => serde_json::from_slice(m.json()).ok(),
    }
}

/// The request body as logged: the JSON parameters (of the `json` part for an
/// upload) with secrets blanked, and for uploads the file parts by name only.
pub(crate) fn request_body(body: &HttpBody, secrets: &Secrets) -> String {
    let mut out = match json_of(body) {
        Some(mut v) => {
            redact_json(&mut v, secrets);
            cap(v.to_string())
        }
        None => match body {
            HttpBody::Empty => String::new(),
            _ => "(parameters are not JSON)".into(),
        },
    };
    if let HttpBody::Multipart(m) = body {
        for (name, file) in m.files() {
            out.push_str(&format!(" + file part `{name}` ({:?})", file.file_name));
        }
    }
    out
}

/// The response body as logged: JSON with secrets and KS-shaped strings blanked,
/// other text scrubbed the same way, binary bodies by size only.
pub(crate) fn response_body(response: &HttpResponse, secrets: &Secrets) -> String {
    let body = response
        .body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&response.body);
    if let Ok(mut v) = serde_json::from_slice::<Value>(body) {
        redact_json(&mut v, secrets);
        return cap(v.to_string());
    }
    match std::str::from_utf8(&body[..body.len().min(MAX_LOGGED * 4)]) {
        Ok(text) if !text.contains('\0') => cap(redact_text(text, secrets)),
        _ => format!(
            "({} bytes of {})",
            response.body.len(),
            response.content_type().unwrap_or("binary data")
        ),
    }
}

fn cap(mut text: String) -> String {
    if text.len() > MAX_LOGGED {
        let mut end = MAX_LOGGED;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str("…(truncated)");
    }
    text
}

/// Blanks the values of secret-named keys, and secrets or KS tokens inside any string.
pub(crate) fn redact_json(value: &mut Value, secrets: &Secrets) {
    match value {
        Value::String(s) => {
            let clean = redact_text(s, secrets);
            if clean != *s {
                *s = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| redact_json(v, secrets)),
        Value::Object(map) => {
            // An application token's value (`appToken.add`, `get`, `list` answer it).
            let app_token =
                map.get("objectType").and_then(Value::as_str) == Some("KalturaAppToken");
            for (k, v) in map.iter_mut() {
                let secret = is_secret_key(k) || (app_token && k == "token");
                if secret && !v.is_null() && !v.is_object() && !v.is_array() {
                    *v = Value::String(REDACTED.into());
                } else {
                    redact_json(v, secrets);
                }
            }
        }
        _ => {}
    }
}

/// Blanks the request's secrets and anything shaped like a KS (a session token the
/// server hands out, as `session.start` does, is not among the request's secrets).
pub(crate) fn redact_text(text: &str, secrets: &Secrets) -> String {
    let scrubbed = secrets.scrub(text);
    // Runs of base64 characters (both alphabets), with their `=` padding.
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || "+/_-".contains(c);
    let mut out = String::with_capacity(scrubbed.len());
    let mut rest = scrubbed.as_str();
    while let Some(start) = rest.find(is_token_char) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let mut end = tail.find(|c: char| !is_token_char(c)).unwrap_or(tail.len());
        end += tail[end..]
            .bytes()
            .take(2)
            .take_while(|b| *b == b'=')
            .count();
        let token = &tail[..end];
        if looks_like_ks(token) {
            out.push_str(REDACTED);
        } else {
            out.push_str(token);
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn looks_like_ks(token: &str) -> bool {
    token.len() >= 16 && kaltura_ks::Ks::new(token).version().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ks_shaped_tokens_and_secret_keys_are_blanked() {
        use kaltura_ks::{AdminSecret, KsBuilder, SessionType};
        let secret = AdminSecret::new("0123456789abcdef0123456789abcdef").expect("a secret");
        let v2 = KsBuilder::new(1234567, SessionType::Admin)
            .now(1_700_000_000)
            .v2_random([7; 16])
            .generate_v2(&secret)
            .expect("a v2 KS");
        let v1 = KsBuilder::new(1234567, SessionType::User)
            .now(1_700_000_000)
            .v1_random("12345")
            .generate_v1(&secret)
            .expect("a v1 KS");
        let secrets = Secrets::default();
        assert_eq!(
            redact_text(&format!("ks={} and {}", v1.expose(), v2.expose()), &secrets),
            "ks=<redacted> and <redacted>"
        );
        let ks = v2.expose();
        assert_eq!(
            redact_text(&format!("\"{ks}\""), &secrets),
            "\"<redacted>\""
        );
        assert_eq!(
            redact_text("entry 0_abcdefgh1234 and words", &secrets),
            "entry 0_abcdefgh1234 and words"
        );
        let mut v = serde_json::json!({
            "adminSecret": "abc", "nested": {"password": "p"}, "ks": null,
            "list": [ks], "name": "clip",
        });
        redact_json(&mut v, &secrets);
        assert_eq!(
            v,
            serde_json::json!({
                "adminSecret": "<redacted>", "nested": {"password": "<redacted>"}, "ks": null,
                "list": ["<redacted>"], "name": "clip",
            })
        );
    }
}
