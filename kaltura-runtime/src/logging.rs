//! What the client writes to `tracing` about request and response bodies, with every
//! KS, secret and password blanked out. Only used when TRACE is enabled for
//! `kaltura_runtime`, the target of every span and event of the runtime.

use crate::redact::Redactor;
use crate::transport::{HttpBody, HttpResponse};
use serde_json::Value;

/// Longest body text written to a log event.
const MAX_LOGGED: usize = 16 * 1024;

/// The secrets a request carries (for blanking them out of what the server echoes).
pub(crate) fn request_secrets(body: &HttpBody) -> Redactor {
    match json_of(body) {
        Some(Value::Object(map)) => Redactor::from_params(&map),
        _ => Redactor::new(),
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
pub(crate) fn request_body(body: &HttpBody, secrets: &Redactor) -> String {
    let mut out = match json_of(body) {
        Some(mut v) => {
            secrets.json(&mut v);
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
pub(crate) fn response_body(response: &HttpResponse, secrets: &Redactor) -> String {
    let body = response
        .body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&response.body);
    if let Ok(mut v) = serde_json::from_slice::<Value>(body) {
        secrets.json(&mut v);
        return cap(v.to_string());
    }
    match std::str::from_utf8(&body[..body.len().min(MAX_LOGGED * 4)]) {
        Ok(text) if !text.contains('\0') => cap(secrets.text(text)),
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
        let secrets = Redactor::new();
        assert_eq!(
            secrets.text(&format!("ks={} and {}", v1.expose(), v2.expose())),
            "ks=<redacted> and <redacted>"
        );
        let ks = v2.expose();
        assert_eq!(secrets.text(&format!("\"{ks}\"")), "\"<redacted>\"");
        assert_eq!(
            secrets.text("entry 0_abcdefgh1234 and words"),
            "entry 0_abcdefgh1234 and words"
        );
        let mut v = serde_json::json!({
            "adminSecret": "abc", "nested": {"password": "p"}, "ks": null,
            "list": [ks], "name": "clip",
        });
        secrets.json(&mut v);
        assert_eq!(
            v,
            serde_json::json!({
                "adminSecret": "<redacted>", "nested": {"password": "<redacted>"}, "ks": null,
                "list": ["<redacted>"], "name": "clip",
            })
        );
    }
}
