//! A call prepared for sending: the one place a request body is assembled.
//!
//! Every way of calling the API ends here before anything is sent: generated request
//! values ([`PreparedCall::request`]), calls built at run time (`Client::call_json`),
//! multirequests, uploads, the runtime's own calls (sessions, upload tokens, waits),
//! and the command line's `--curl`, which prints what would be sent. The body gets the
//! client's parameters (`format`, `clientTag`, `apiVersion`), then the call's own, then
//! the session settings the call does not set itself (`ks`, `partnerId`, `language`,
//! `responseProfile`); the secrets to blank in logs and errors are read from that body
//! once. The orchestrator sends the result; nothing here does I/O.
//!
//! The path reads in one direction: `client` (settings) ← `call` (this module) ←
//! `orchestrator` (sending) ← the callers.

use crate::client::{Client, ServeUrl, SessionSettings};
use crate::codec::Json;
use crate::config::ClientConfig;
use crate::error::Error;
use crate::files::FileParam;
use crate::redact::Redactor;
use crate::request::{CallOptions, Request};
use crate::retry::Retry;
use crate::transport::{HttpBody, HttpRequest, Multipart};
use bytes::Bytes;
use serde_json::{Map, Value};
use std::fmt;

/// One call (an action, or a multirequest) as it will be sent.
pub struct PreparedCall {
    /// `service.action`, or `multirequest`: for logs and errors.
    label: String,
    /// The action names the call carries, for the retry rule (one, or every item's).
    actions: Vec<String>,
    url: String,
    body: Map<String, Json>,
    files: Vec<(String, FileParam)>,
    retry: Retry,
    secrets: Redactor,
    /// Why the call must not be sent (a reference to a multirequest result in a call
    /// on its own); `into_http` and `into_get_url` fail with it.
    refused: Option<String>,
}

impl fmt::Debug for PreparedCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = Value::Object(self.body.clone());
        self.secrets.json(&mut shown);
        f.debug_struct("PreparedCall")
            .field("label", &self.label)
            .field("url", &crate::redact::hide_userinfo(&self.url))
            .field("body", &shown)
            .field(
                "files",
                &self
                    .files
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Which of the session settings a body takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// A call on its own: all of them.
    All,
    /// A multirequest's outer body: the session (`ks`, `partnerId`) only; the
    /// language and response profile go with each item.
    Session,
    /// One item of a multirequest: its own KS and partner (the outer body carries
    /// the client's), the language and response profile.
    Item,
}

/// One item of a multirequest, before it is numbered into the body.
pub(crate) struct Part {
    pub(crate) service: String,
    pub(crate) action: String,
    pub(crate) params: Map<String, Json>,
    pub(crate) options: CallOptions,
    pub(crate) files: Vec<(String, FileParam)>,
}

impl PreparedCall {
    /// One action with its parameters, under `config` and the session settings
    /// `session` (values in `params` and `options` win). This is what a client does
    /// with its own configuration and session; the command line's `--curl` calls it
    /// to print a request it does not send.
    pub fn new(
        config: &ClientConfig,
        session: &SessionSettings,
        service: &str,
        action: &str,
        params: Map<String, Json>,
        options: &CallOptions,
        files: Vec<(String, FileParam)>,
    ) -> PreparedCall {
        let mut body = client_params(config);
        body.extend(params);
        put_settings(&mut body, options, session, Scope::All);
        PreparedCall {
            label: format!("{service}.{action}"),
            actions: vec![action.to_string()],
            url: action_url(config, service, action),
            secrets: Redactor::from_params(&body),
            body,
            files,
            retry: options.retry.clone(),
            refused: None,
        }
    }

    /// A generated (or runtime-internal) request value, with `client`'s settings.
    pub fn request<R: Request>(client: &Client, mut request: R) -> PreparedCall {
        let files = request
            .take_files()
            .into_iter()
            .map(|(n, f)| (n.to_string(), f))
            .collect();
        let (params, noted) = crate::reference::noting(|| request.params().into_map());
        let refused =
            crate::reference::refs_outside_multirequest(R::SERVICE, R::ACTION, &params, &noted);
        PreparedCall {
            refused,
            ..PreparedCall::new(
                client.config(),
                &client.settings(),
                R::SERVICE,
                R::ACTION,
                params,
                request.options(),
                files,
            )
        }
    }

    /// A call built at run time, with `client`'s settings.
    pub(crate) fn dynamic(
        client: &Client,
        service: &str,
        action: &str,
        params: Map<String, Json>,
        files: Vec<(String, FileParam)>,
    ) -> PreparedCall {
        PreparedCall::new(
            client.config(),
            &client.settings(),
            service,
            action,
            params,
            &CallOptions::default(),
            files,
        )
    }

    /// Several calls in one multirequest body: items numbered from 0, their files
    /// named `N:param`.
    pub(crate) fn multirequest(
        client: &Client,
        parts: Vec<Part>,
        options: &CallOptions,
    ) -> PreparedCall {
        let config = client.config();
        let session = client.settings();
        let mut body = client_params(config);
        put_settings(&mut body, options, &session, Scope::Session);
        let mut files = Vec::new();
        let mut actions = Vec::with_capacity(parts.len());
        for (i, part) in parts.into_iter().enumerate() {
            let mut item = Map::new();
            item.insert("service".into(), Value::String(part.service));
            item.insert("action".into(), Value::String(part.action.clone()));
            item.extend(part.params);
            put_settings(&mut item, &part.options, &session, Scope::Item);
            body.insert(i.to_string(), Value::Object(item));
            files.extend(
                part.files
                    .into_iter()
                    .map(|(name, f)| (format!("{i}:{name}"), f)),
            );
            actions.push(part.action);
        }
        PreparedCall {
            label: "multirequest".into(),
            actions,
            url: format!("{}/api_v3/service/multirequest", config.service_url),
            secrets: Redactor::from_params(&body),
            body,
            files,
            retry: options.retry.clone(),
            refused: None,
        }
    }

    /// `service.action`, or `multirequest`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The URL it is posted to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The parameters as sent, the KS and any secret in clear: show them through
    /// [`PreparedCall::secrets`].
    pub fn body(&self) -> &Map<String, Json> {
        &self.body
    }

    /// The file parts, by part name.
    pub fn files(&self) -> &[(String, FileParam)] {
        &self.files
    }

    /// The call's secrets (its KS, secret-named parameters) in every spelling, to
    /// blank wherever they may be echoed.
    pub fn secrets(&self) -> &Redactor {
        &self.secrets
    }

    /// The HTTP request to send: a JSON POST, or multipart when files go along. A KS
    /// or secret is never sent over plain HTTP to a remote host unless the
    /// configuration allows it.
    pub(crate) fn into_http(
        self,
        config: &ClientConfig,
    ) -> Result<(HttpRequest, CallLabel), Error> {
        if let Some(why) = self.refused {
            return Err(Error::InvalidInput(why));
        }
        if !config.may_send_secrets() && !self.secrets.is_empty() {
            return Err(Error::InvalidInput(format!(
                "refusing to send a KS or secret over plain HTTP to {}: use https://, or \
                 allow it with `ClientBuilder::allow_insecure_http(true)` on a network you trust",
                crate::config::shown_url(&config.service_url)
            )));
        }
        let json = Bytes::from(
            serde_json::to_vec(&Value::Object(self.body))
                .map_err(|e| Error::InvalidInput(format!("cannot encode the parameters: {e}")))?,
        );
        let (body, timeout) = if self.files.is_empty() {
            (HttpBody::Json(json), config.timeout)
        } else {
            (
                HttpBody::Multipart(Multipart::new(json, self.files)),
                config.upload_timeout,
            )
        };
        let request = HttpRequest {
            method: http::Method::POST,
            url: self.url,
            headers: vec![
                ("Accept".into(), "application/json".into()),
                ("User-Agent".into(), config.user_agent.clone()),
            ],
            body,
            timeout: Some(timeout),
        };
        let label = CallLabel {
            label: self.label,
            actions: self.actions,
            retry: self.retry,
            secrets: self.secrets,
        };
        Ok((request, label))
    }

    /// The call as a signed GET URL, as the vendor's Python client builds for serve
    /// actions: objects and arrays in bracket notation (`thumbParams[width]=320`).
    pub(crate) fn into_get_url(self) -> Result<ServeUrl, Error> {
        if let Some(why) = self.refused {
            return Err(Error::InvalidInput(why));
        }
        if !self.files.is_empty() {
            return Err(Error::InvalidInput(format!(
                "{} uploads a file and cannot be a URL",
                self.label
            )));
        }
        let mut pairs = Vec::new();
        for (k, v) in &self.body {
            flatten_query(k.clone(), v, &mut pairs);
        }
        let render = |hide: bool| {
            let query: Vec<String> = pairs
                .iter()
                .map(|(k, v)| {
                    let v = if hide && self.secrets.text(v) != *v {
                        "<redacted>".to_string()
                    } else {
                        url_encode(v)
                    };
                    format!("{}={}", url_encode(k), v)
                })
                .collect();
            format!("{}?{}", self.url, query.join("&"))
        };
        Ok(ServeUrl {
            url: render(false),
            shown: render(true),
        })
    }
}

/// What the orchestrator keeps of a call once its HTTP request is built.
pub(crate) struct CallLabel {
    pub(crate) label: String,
    pub(crate) actions: Vec<String>,
    pub(crate) retry: Retry,
    pub(crate) secrets: Redactor,
}

fn client_params(config: &ClientConfig) -> Map<String, Json> {
    let mut p = Map::new();
    p.insert("format".into(), Value::from(1));
    p.insert("clientTag".into(), Value::String(config.client_tag.clone()));
    p.insert(
        "apiVersion".into(),
        Value::String(config.api_version.clone()),
    );
    p
}

fn action_url(config: &ClientConfig, service: &str, action: &str) -> String {
    format!(
        "{}/api_v3/service/{}/action/{}",
        config.service_url, service, action
    )
}

/// Adds the settings `scope` takes that the body does not set itself: the call's
/// options first, then the client's session.
fn put_settings(
    body: &mut Map<String, Json>,
    options: &CallOptions,
    session: &SessionSettings,
    scope: Scope,
) {
    let mut put = |name: &str, value: Option<Json>| {
        if let Some(v) = value {
            if !body.contains_key(name) {
                body.insert(name.to_string(), v);
            }
        }
    };
    let (ks, partner_id) = match scope {
        Scope::All | Scope::Session => (
            options.ks.as_ref().or(session.ks.as_ref()),
            options.partner_id.or(session.partner_id),
        ),
        Scope::Item => (options.ks.as_ref(), options.partner_id),
    };
    put("ks", ks.map(|k| Value::String(k.expose().to_string())));
    put("partnerId", partner_id.map(Value::from));
    if scope != Scope::Session {
        let language = options.language.as_ref().or(session.language.as_ref());
        let profile = options
            .response_profile
            .as_ref()
            .or(session.response_profile.as_ref());
        put("language", language.map(|l| Value::String(l.clone())));
        put("responseProfile", profile.cloned());
    }
}

/// Flattens a parameter into query pairs, objects and arrays in bracket notation.
fn flatten_query(key: String, value: &Json, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push((key, if *b { "1" } else { "0" }.into())),
        Value::Number(n) => out.push((key, n.to_string())),
        Value::String(s) => out.push((key, s.clone())),
        Value::Array(items) if items.is_empty() => out.push((format!("{key}[-]"), String::new())),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten_query(format!("{key}[{i}]"), v, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                flatten_query(format!("{key}[{k}]"), v, out);
            }
        }
    }
}

fn url_encode(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}
