//! The one redaction routine: what the client, its logs and the command line do to any
//! text or JSON before a person may see it. It hides
//!
//! - the values a request carried under secret-named parameters
//!   ([`is_secret_name`]: `ks`, `secret`, `password`, `privateKey`, `apiKey`, ...),
//!   also when echoed with the other base64 alphabet, percent-encoded, JSON-escaped or
//!   cut short at the end of a quoted snippet;
//! - anything shaped like a KS ([`looks_like_ks`]), such as a token the server made
//!   and quotes back, which the request never carried;
//! - the `user:password@` part of URLs;
//! - in JSON, the value of every secret-named key (and an application token's
//!   `token`).
//!
//! Errors ([`crate::Error`], their sources included), TRACE logs, and the command
//! line's `--debug` and `--curl` all go through it.

use serde_json::{Map, Value};
use std::fmt;

pub use kaltura_ks::redact::{is_secret_name, looks_like_ks, REDACTED};

/// Shortest secret value hidden by its text (shorter ones would blank ordinary words);
/// secret-named JSON keys are blanked whatever their length.
const MIN_SECRET_LEN: usize = 4;

/// The secrets of one request and the rules above. Cheap to build from a request's
/// parameters; the values it keeps are wiped when it is dropped.
#[derive(Default, Clone)]
pub struct Redactor {
    /// Each secret and its spellings on the wire, longest first.
    values: Vec<String>,
}

impl Drop for Redactor {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.values);
    }
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} values)", self.values.len())
    }
}

impl Redactor {
    /// A redactor for text that no request's secret can reach: KS shapes, URL
    /// passwords and secret-named JSON keys only.
    pub fn new() -> Self {
        Redactor::default()
    }

    /// A redactor knowing the secrets among a request's parameters: the values of
    /// secret-named keys at any depth.
    pub fn from_params(params: &Map<String, Value>) -> Self {
        let mut out = Redactor::default();
        for (k, v) in params {
            out.walk(v, k);
        }
        out.finish();
        out
    }

    /// Adds a value known to be secret (an admin secret read from a file, a KS).
    pub fn with_secret(mut self, value: &str) -> Self {
        self.add(value);
        self.finish();
        self
    }

    fn walk(&mut self, value: &Value, key: &str) {
        match value {
            Value::String(s) if is_secret_name(key) => self.add(s),
            Value::Object(map) => {
                for (k, v) in map {
                    self.walk(v, k);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.walk(v, key)),
            _ => {}
        }
    }

    fn add(&mut self, s: &str) {
        if s.len() < MIN_SECRET_LEN {
            return;
        }
        self.values.push(s.to_string());
        // How the server or a proxy may write it back: the other base64 alphabet,
        // percent-encoded, JSON-escaped.
        let swapped: String = s
            .chars()
            .map(|c| match c {
                '+' => '-',
                '/' => '_',
                '-' => '+',
                '_' => '/',
                c => c,
            })
            .collect();
        let encoded = percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
        let escaped = s.replace('/', "\\/");
        for v in [swapped, encoded, escaped] {
            if v != s {
                self.values.push(v);
            }
        }
    }

    fn finish(&mut self) {
        self.values.sort_by_key(|s| std::cmp::Reverse(s.len()));
        self.values.dedup();
    }

    /// Whether the request carried no secret (KS shapes are still hidden).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `text` with the request's secrets, KS-shaped tokens and URL passwords hidden.
    /// A secret cut short at the very end of the text (a truncated snippet) is hidden
    /// too.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.values {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), REDACTED);
            }
        }
        out = self.cut_tail(out);
        let out = kaltura_ks::redact::redact_ks_tokens(&out).into_owned();
        hide_userinfo(&out)
    }

    /// Hides the start of a secret left at the end of a cut text (`…` or nothing
    /// after it): eight characters or more of it.
    fn cut_tail(&self, mut text: String) -> String {
        let body = text.trim_end_matches('…').trim_end_matches("...");
        let end = body.len();
        for s in &self.values {
            for take in (8..s.len()).rev() {
                if !s.is_char_boundary(take) {
                    continue;
                }
                let prefix = &s[..take];
                if body.ends_with(prefix) {
                    let start = end - take;
                    text.replace_range(start..end, REDACTED);
                    return text;
                }
            }
        }
        text
    }

    /// Hides, at any depth of `value`: the value of every secret-named key that holds
    /// a string (an application token's `token` among them), and inside every
    /// string what [`Redactor::text`] hides.
    pub fn json(&self, value: &mut Value) {
        match value {
            Value::String(s) => {
                let clean = self.text(s);
                if clean != *s {
                    *s = clean;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.json(v)),
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    // Strings only: `twoPass` (a flag) and `numPrevPassToKeep` (a count)
                    // match the name rule and hide nothing.
                    let hide = is_secret_name(k) && v.is_string();
                    if hide {
                        *v = Value::String(REDACTED.into());
                    } else {
                        self.json(v);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `scheme://user:password@host/...` written as `scheme://<redacted>@host/...`,
/// wherever such a URL stands in `text`.
pub fn hide_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let authority_end = tail
            .find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace() || c == '"')
            .unwrap_or(tail.len());
        let authority = &tail[..authority_end];
        match authority.rfind('@') {
            Some(i) => {
                out.push_str(REDACTED);
                out.push_str(&authority[i..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[authority_end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaltura_ks::{AdminSecret, KsBuilder, SessionType};
    use serde_json::json;

    fn ks() -> String {
        let secret = AdminSecret::new("0123456789abcdef0123456789abcdef").expect("a secret");
        KsBuilder::new(1234567, SessionType::Admin)
            .now(1_700_000_000)
            .v2_random([7; 16])
            .generate_v2(&secret)
            .expect("a v2 KS")
            .expose()
            .to_string()
    }

    #[test]
    fn request_secrets_in_every_spelling() {
        let params = json!({"secret": "ab+cd/ef==gh", "partnerId": 1, "ks": "x"});
        let r = Redactor::from_params(params.as_object().unwrap());
        for text in [
            "secret ab+cd/ef==gh",
            "secret ab-cd_ef==gh",
            "secret ab%2Bcd%2Fef%3D%3Dgh",
            "secret ab+cd\\/ef==gh",
        ] {
            let clean = r.text(text);
            assert_eq!(clean, format!("secret {REDACTED}"), "{text}");
        }
        // Cut short by a snippet: the start of the secret goes, the mark stays.
        assert_eq!(r.text("secret ab+cd/ef…"), format!("secret {REDACTED}…"));
        // Too short to hide by its text: hidden by its key instead.
        assert_eq!(r.text("x marks"), "x marks");
    }

    #[test]
    fn ks_shapes_urls_and_keys() {
        let ks = ks();
        let r = Redactor::new();
        assert_eq!(
            r.text(&format!("Invalid KS \"{ks}\"")),
            format!("Invalid KS \"{REDACTED}\"")
        );
        assert_eq!(
            r.text("see https://user:pa55@host.example/x?y=1 and http://h/"),
            format!("see https://{REDACTED}@host.example/x?y=1 and http://h/")
        );
        let mut v = json!({
            "privateKey": "-----BEGIN", "nested": {"passPhrase": "p", "count": 3},
            "message": format!("KS {ks} expired"), "args": [{"value": ks}],
            "sftpPublicKey": "ssh-rsa AAAA", "twoPass": true, "token": "tok",
        });
        r.json(&mut v);
        assert_eq!(
            v,
            json!({
                "privateKey": REDACTED, "nested": {"passPhrase": REDACTED, "count": 3},
                "message": format!("KS {REDACTED} expired"), "args": [{"value": REDACTED}],
                "sftpPublicKey": "ssh-rsa AAAA", "twoPass": true, "token": REDACTED,
            })
        );
    }
}
