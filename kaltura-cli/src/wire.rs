//! What a call looks like on the wire, for `--debug` (printed beside the call) and
//! `--curl` (printed instead of it), with every KS, secret and password blanked unless
//! `--show-secrets` asks for them.

use kaltura_runtime::redact::{hide_userinfo, Redactor, REDACTED};
use serde_json::{Map, Value};
use std::path::PathBuf;

/// Blanks secrets inside `value`, at any depth: the runtime's one rule (secret-named
/// keys, the request's secrets wherever they are echoed, anything shaped like a KS).
pub fn blank(value: &mut Value, redactor: &Redactor) {
    redactor.json(value);
}

/// Actions whose plain-string answer is a KS.
pub fn answers_with_ks(service: &str, action: &str) -> bool {
    matches!(
        (service, action),
        ("session", "start" | "impersonate" | "startWidgetSession")
            | ("user", "loginByLoginId" | "login" | "loginByKs")
            | ("adminuser" | "adminUser", "login")
            | ("apptoken" | "appToken", "startSession")
    )
}

/// The `clientTag` the command line's calls carry.
pub fn client_tag() -> String {
    format!("kaltura-cli:{}", env!("CARGO_PKG_VERSION"))
}

/// A request as the runtime sends it: a JSON POST to the action's URL.
pub struct Request {
    pub url: String,
    pub body: Value,
    pub files: Vec<(String, PathBuf)>,
}

/// The request the command line's client would send, assembled by the runtime's
/// own preparation (the same body, settings and order as a sent call), for `--curl`.
pub fn request(
    service_url: &str,
    service: &str,
    action: &str,
    params: &Map<String, Value>,
    ks: Option<&str>,
    partner_id: Option<i64>,
    files: Vec<(String, PathBuf)>,
) -> Request {
    let builder = kaltura_runtime::ClientBuilder::<kaltura_runtime::Client>::new(service_url)
        .api_version(kaltura_metadata::API_VERSION)
        .client_tag(client_tag());
    let mut session = kaltura_runtime::SessionSettings::default();
    session.ks = ks
        .filter(|k| !k.is_empty())
        .map(kaltura_runtime::Secret::from);
    session.partner_id = partner_id;
    let file_params = files
        .iter()
        .map(|(name, path)| (name.clone(), kaltura_runtime::FileParam::path(path)))
        .collect();
    let call = kaltura_runtime::call::PreparedCall::new(
        builder.config(),
        &session,
        service,
        action,
        params.clone(),
        &kaltura_runtime::request::CallOptions::default(),
        file_params,
    );
    Request {
        url: call.url().to_string(),
        body: Value::Object(call.body().clone()),
        files,
    }
}

/// Quotes a word for a POSIX shell.
fn quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Flattens a JSON object into form fields (`filter:nameLike`), as the server reads
/// multipart requests.
fn form_fields(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}:{k}")
                };
                form_fields(&key, v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                form_fields(&format!("{prefix}:{i}"), v, out);
            }
        }
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        Value::Null => out.push((format!("{prefix}__null"), String::new())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

/// An equivalent curl command line.
pub fn curl(request: &Request, show_secrets: bool) -> String {
    let mut body = request.body.clone();
    let url = if show_secrets {
        request.url.clone()
    } else {
        let redactor = match &request.body {
            Value::Object(map) => Redactor::from_params(map),
            _ => Redactor::new(),
        };
        blank(&mut body, &redactor);
        hide_userinfo(&request.url)
    };
    let mut words = vec!["curl".to_string(), "-sS".into(), quote(&url)];
    if request.files.is_empty() {
        words.push("-H".into());
        words.push(quote("Content-Type: application/json"));
        words.push("--data-binary".into());
        words.push(quote(&body.to_string()));
    } else {
        let mut fields = Vec::new();
        form_fields("", &body, &mut fields);
        for (k, v) in fields {
            words.push("-F".into());
            // `-F` reads @ and < as file references; --form-string sends them as text.
            if v.starts_with('@') || v.starts_with('<') {
                words.pop();
                words.push("--form-string".into());
            }
            words.push(quote(&format!("{k}={v}")));
        }
        for (name, path) in &request.files {
            words.push("-F".into());
            words.push(quote(&format!("{name}=@{}", path.display())));
        }
    }
    words.join(" ")
}

/// The answer for `--debug`, on stderr.
pub fn debug_response(service: &str, action: &str, result: &Value, redactor: &Redactor) -> String {
    let mut shown = result.clone();
    if shown.is_string() && answers_with_ks(service, action) {
        shown = Value::String(REDACTED.into());
    }
    blank(&mut shown, redactor);
    let mut text = shown.to_string();
    if text.len() > 16 * 1024 {
        let mut cut = 16 * 1024;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("...");
    }
    format!("< {text}\n")
}

/// A transport that prints each exchange on stderr (`--debug`), secrets blanked.
pub struct DebugTransport {
    inner: std::sync::Arc<dyn kaltura_runtime::transport::Transport>,
}

/// A [`kaltura_runtime::TransportFactory`]: the default transport, printing.
pub fn debug_transport(
    config: &kaltura_runtime::ClientConfig,
) -> Result<std::sync::Arc<dyn kaltura_runtime::transport::Transport>, kaltura_runtime::Error> {
    Ok(std::sync::Arc::new(DebugTransport {
        inner: kaltura_reqwest::for_config(config)?,
    }))
}

/// `service` and `action` from `.../api_v3/service/S/action/A`.
fn service_action(url: &str) -> (String, String) {
    let path = url.split('?').next().unwrap_or(url);
    let mut parts = path.rsplit('/');
    let action = parts.next().unwrap_or("").to_string();
    parts.next();
    let service = parts.next().unwrap_or("").to_string();
    (service, action)
}

impl kaltura_runtime::transport::Transport for DebugTransport {
    fn send(
        &self,
        request: kaltura_runtime::transport::HttpRequest,
    ) -> kaltura_runtime::transport::BoxFuture<
        '_,
        Result<kaltura_runtime::transport::HttpResponse, kaltura_runtime::Error>,
    > {
        use kaltura_runtime::transport::HttpBody;
        let (json, files) = match &request.body {
            HttpBody::Empty => (None, Vec::new()),
            HttpBody::Json(b) => (Some(b.clone()), Vec::new()),
            HttpBody::Multipart(m) => (
                Some(m.json().clone()),
                m.files().iter().map(|(n, _)| n.clone()).collect(),
            ),
        };
        let mut text = format!("> {} {}\n", request.method, hide_userinfo(&request.url));
        // The request's own secrets, to find them again in what the server echoes.
        let mut redactor = Redactor::new();
        if let Some(bytes) = json {
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(mut v) => {
                    if let Value::Object(map) = &v {
                        redactor = Redactor::from_params(map);
                    }
                    blank(&mut v, &redactor);
                    text.push_str(&format!("> {v}\n"));
                }
                Err(_) => text.push_str(&format!("> ({} bytes, not JSON)\n", bytes.len())),
            }
        }
        for name in files {
            text.push_str(&format!("> file part {name}\n"));
        }
        eprint!("{text}");
        let (service, action) = service_action(&request.url);
        Box::pin(async move {
            let started = std::time::Instant::now();
            let result = self.inner.send(request).await;
            let millis = started.elapsed().as_millis();
            match &result {
                Ok(r) => {
                    let body = match serde_json::from_slice::<Value>(&r.body) {
                        Ok(v) => debug_response(&service, &action, &v, &redactor),
                        Err(_) => format!("< ({} bytes, not JSON)\n", r.body.len()),
                    };
                    eprint!("< HTTP {} in {millis} ms\n{body}", r.status);
                }
                Err(e) => eprintln!(
                    "< failed after {millis} ms: {}",
                    redactor.text(&e.to_string())
                ),
            }
            result
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn curl_blanks_secrets_unless_asked() {
        let params = json!({"secret": "s3cr3t", "partnerId": 5, "filter": {"nameLike": "it's"}});
        let r = request(
            "http://h/",
            "session",
            "start",
            params.as_object().unwrap(),
            Some("KSKS"),
            None,
            vec![],
        );
        let c = curl(&r, false);
        assert!(
            c.starts_with("curl -sS http://h/api_v3/service/session/action/start -H"),
            "{c}"
        );
        assert!(!c.contains("s3cr3t") && !c.contains("KSKS"), "{c}");
        assert!(c.contains(r#""nameLike":"it'\''s""#), "{c}");
        let c = curl(&r, true);
        assert!(c.contains("s3cr3t") && c.contains("KSKS"), "{c}");

        let r = request(
            "http://h",
            "uploadToken",
            "upload",
            json!({"uploadTokenId": "0_t", "resume": false})
                .as_object()
                .unwrap(),
            Some("KSKS"),
            None,
            vec![("fileData".into(), PathBuf::from("my file.mp4"))],
        );
        let c = curl(&r, false);
        assert!(c.contains("-F uploadTokenId=0_t"), "{c}");
        assert!(c.contains("--form-string 'ks=<redacted>'"), "{c}");
        assert!(c.ends_with("-F 'fileData=@my file.mp4'"), "{c}");
    }

    #[test]
    fn debug_blanks_a_ks_answer() {
        let none = Redactor::new();
        let t = debug_response("session", "start", &json!("djJ8MTIz"), &none);
        assert!(!t.contains("djJ8"), "{t}");
        let t = debug_response("media", "get", &json!({"id": "0_a", "ks": "x"}), &none);
        assert!(t.contains("0_a") && !t.contains("\"x\""), "{t}");
    }

    /// The review's finding: an `INVALID_KS` answer quoting the KS in `message` and
    /// `args` printed it on stderr.
    #[test]
    fn debug_blanks_a_ks_the_server_echoes() {
        use kaltura_ks::{AdminSecret, KsBuilder, SessionType};
        let secret = AdminSecret::new("0123456789abcdef0123456789abcdef").unwrap();
        let ks = KsBuilder::new(1234567, SessionType::Admin)
            .now(1_700_000_000)
            .generate_v2(&secret)
            .unwrap();
        let ks = ks.expose();
        let sent = json!({"ks": ks, "format": 1});
        let redactor = Redactor::from_params(sent.as_object().unwrap());
        // The server may echo it with `+/` for `-_`; either way it is hidden.
        let echoed = ks.replace('-', "+").replace('_', "/");
        let answer = json!({
            "code": "INVALID_KS",
            "message": format!("Invalid KS \"{echoed}\". Error \"-1,INVALID_STR\""),
            "args": {"KSID": ks, "KS": echoed},
            "objectType": "KalturaAPIException",
        });
        let t = debug_response("media", "list", &answer, &redactor);
        assert!(!t.contains(&ks[..12]) && !t.contains(&echoed[..12]), "{t}");
        assert!(t.contains("INVALID_KS") && t.contains(REDACTED), "{t}");
        // A KS this request never carried, made by the server, is hidden by its shape.
        let t = debug_response("media", "list", &answer, &Redactor::new());
        assert!(!t.contains(&ks[..12]), "{t}");
    }

    #[test]
    fn curl_hides_credentials_in_the_url_and_wider_secret_names() {
        let params = json!({"storageProfile": {"privateKey": "PRIVKEY-abc", "passPhrase": "horse battery",
            "apiKey": "k3y-value", "name": "s3"}});
        let r = request(
            "https://admin:pa55word@h/",
            "storageProfile",
            "add",
            params.as_object().unwrap(),
            None,
            None,
            vec![],
        );
        let c = curl(&r, false);
        for secret in ["PRIVKEY", "horse", "k3y-value", "pa55word"] {
            assert!(!c.contains(secret), "{secret}: {c}");
        }
        assert!(c.contains("\"name\":\"s3\""), "{c}");
    }
}
