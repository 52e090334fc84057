//! The server's side of application tokens, for the stand-in: `session.startWidgetSession`
//! and the `appToken` service (`add`, `get`, `list`, `delete`, `startSession`) over a
//! table of tokens, answering as the Kaltura server does.
//!
//! `appToken.startSession` is checked the server's way, in its order: the token must
//! exist and not be deleted (`APP_TOKEN_ID_NOT_FOUND`), be active
//! (`APP_TOKEN_NOT_ACTIVE`), the `tokenHash` must be `hex(HASH(ks + token))` for the
//! KS the request carries and the token's hash type (`INVALID_APP_TOKEN_HASH`), and
//! the token must not have expired (`APP_TOKEN_EXPIRED`). The expected hashes are not
//! computed here but looked up in [`DIGESTS`], written down from coreutils, so the
//! check is independent of the client's hashing.

use crate::standin::{Recorded, Reply};
use serde_json::{json, Map, Value};
use std::time::{SystemTime, UNIX_EPOCH};

pub const PARTNER: i64 = 1234567;

/// The value of every token in the starting table.
pub const TOKEN: &str = "3c7b1e9a5f2d48c6b0e4a7d19f5c2b86";

/// The value `appToken.add` hands out (each new token gets it).
pub const ADDED_TOKEN: &str = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";

/// The KSes `session.startWidgetSession` hands out, in turn:
/// `printf 'v2|1234567|widget session one|view:*,widget:1' | base64 -w0` and `two`.
pub const WIDGET_KS: [&str; 2] = [
    "djJ8MTIzNDU2N3x3aWRnZXQgc2Vzc2lvbiBvbmV8dmlldzoqLHdpZGdldDox",
    "djJ8MTIzNDU2N3x3aWRnZXQgc2Vzc2lvbiB0d298dmlldzoqLHdpZGdldDox",
];

/// `hex(HASH(widget KS + TOKEN))` for each widget KS and hash type, computed with
/// `printf '%s' "$KS$TOKEN" | md5sum` (`sha1sum`, `sha256sum`, `sha512sum`).
pub const DIGESTS: [(&str, &str, &str); 8] = [
    (WIDGET_KS[0], "MD5", "d359db163d56ec279fb32cfc35ea19ad"),
    (WIDGET_KS[0], "SHA1", "477f609bc51d9a654b722318e108ca4e414b9bc7"),
    (
        WIDGET_KS[0],
        "SHA256",
        "85bb2bcc6baca0136374bc7c74d5730a9e2a2c918c7b42d3982e10ce9faae16f",
    ),
    (
        WIDGET_KS[0],
        "SHA512",
        "77b9aac35fb543ee5d37464f34dfacd17d3f0e828223e397394c4fe83afc1e32eb467e881dae102e25ac639b6fda34a4d09d81eadfbe82d432f8ff00b347b75b",
    ),
    (WIDGET_KS[1], "MD5", "85c16e63930c9a2f56b96cae818ef806"),
    (WIDGET_KS[1], "SHA1", "30db344830b9bf3f69ff96b7c169280fb298cf2c"),
    (
        WIDGET_KS[1],
        "SHA256",
        "82f451571336ba474bbd7147440a2b791aa547b4571d16afb827a20128983f8f",
    ),
    (
        WIDGET_KS[1],
        "SHA512",
        "343786eecad19031c199b9ab8b14d3898d3a0bf627c99e9ea0262e4f0a17a816723cfc606fbf313e4b0ceb328d63b1de1524fa3d4738292eb27cd6aaa44e1f78",
    ),
];

/// The KS of the `n`th session `appToken.startSession` starts (from 1).
pub fn session_ks(n: usize) -> String {
    format!("djJ8MTIzNDU2N3xhcHAgdG9rZW4gc2Vzc2lvbi{n:04}")
}

/// `KalturaAppTokenStatus`.
pub const DISABLED: i64 = 1;
pub const ACTIVE: i64 = 2;
pub const DELETED: i64 = 3;

/// One token in the table.
#[derive(Clone, Debug)]
pub struct Token {
    pub id: String,
    pub token: String,
    pub hash_type: String,
    pub status: i64,
    /// Unix seconds.
    pub expiry: Option<i64>,
    pub session_duration: i64,
    pub session_type: Option<i64>,
    pub session_user_id: Option<String>,
    pub session_privileges: Option<String>,
    pub description: Option<String>,
}

impl Token {
    pub fn active(id: &str, hash_type: &str) -> Token {
        Token {
            id: id.into(),
            token: TOKEN.into(),
            hash_type: hash_type.into(),
            status: ACTIVE,
            expiry: None,
            session_duration: 86_400,
            session_type: None,
            session_user_id: None,
            session_privileges: None,
            description: None,
        }
    }

    fn json(&self) -> Value {
        let mut o = json!({
            "objectType": "KalturaAppToken",
            "id": self.id,
            "token": self.token,
            "partnerId": PARTNER,
            "createdAt": 1_700_000_000,
            "updatedAt": 1_700_000_000,
            "status": self.status,
            "sessionDuration": self.session_duration,
            "hashType": self.hash_type,
        });
        let m = o.as_object_mut().expect("an object");
        let mut opt = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                m.insert(k.into(), v);
            }
        };
        opt("expiry", self.expiry.map(Value::from));
        opt("sessionType", self.session_type.map(Value::from));
        opt(
            "sessionUserId",
            self.session_user_id.clone().map(Value::from),
        );
        opt(
            "sessionPrivileges",
            self.session_privileges.clone().map(Value::from),
        );
        opt("description", self.description.clone().map(Value::from));
        o
    }
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The server's state: the tokens, how many sessions it started, and what a client
/// did that a server would not accept or should never see.
#[derive(Debug)]
pub struct Server {
    pub tokens: Vec<Token>,
    pub widget_sessions: usize,
    pub sessions: usize,
    pub added: usize,
    pub violations: Vec<String>,
}

impl Default for Server {
    fn default() -> Self {
        Self::new()
    }
}

impl Server {
    /// A token per hash type (`0_md5`, `0_sha1`, `0_sha256`, `0_sha512`), and SHA256
    /// tokens that are expired (`0_expired`), disabled (`0_disabled`) and deleted
    /// (`0_deleted`), all with the value [`TOKEN`].
    pub fn new() -> Server {
        let mut tokens: Vec<Token> = [
            ("0_md5", "MD5"),
            ("0_sha1", "SHA1"),
            ("0_sha256", "SHA256"),
            ("0_sha512", "SHA512"),
        ]
        .iter()
        .map(|(id, h)| Token::active(id, h))
        .collect();
        let mut expired = Token::active("0_expired", "SHA256");
        expired.expiry = Some(now() - 60);
        let mut disabled = Token::active("0_disabled", "SHA256");
        disabled.status = DISABLED;
        let mut deleted = Token::active("0_deleted", "SHA256");
        deleted.status = DELETED;
        tokens.extend([expired, disabled, deleted]);
        Server {
            tokens,
            widget_sessions: 0,
            sessions: 0,
            added: 0,
            violations: Vec::new(),
        }
    }

    pub fn token_mut(&mut self, id: &str) -> Option<&mut Token> {
        self.tokens.iter_mut().find(|t| t.id == id)
    }

    /// Answers one request.
    pub fn handle(&mut self, req: &Recorded) -> Reply {
        let body = String::from_utf8_lossy(&req.body);
        for token in [TOKEN, ADDED_TOKEN] {
            if body.contains(token) {
                self.violations.push(format!(
                    "{}: the token value went over the wire",
                    req.service_action()
                ));
            }
        }
        let params = match req.json() {
            Some(Value::Object(m)) => m,
            _ => {
                self.violations
                    .push(format!("{}: the body is not JSON", req.service_action()));
                Map::new()
            }
        };
        let answer = match req.service_action().as_str() {
            "session.startWidgetSession" => self.start_widget_session(&params),
            "apptoken.startSession" => self.start_session(&params),
            "apptoken.add" => self.admin(&params).and_then(|()| self.add(&params)),
            "apptoken.get" => self.admin(&params).and_then(|()| self.get(&params)),
            "apptoken.list" => self.admin(&params).map(|()| self.list()),
            "apptoken.delete" => self.admin(&params).and_then(|()| self.delete(&params)),
            other => Err(error(
                "SERVICE_DOES_NOT_EXISTS",
                &format!("the stand-in has no action {other}"),
                &[],
            )),
        };
        Reply::json(answer.unwrap_or_else(|e| e).to_string())
    }

    fn admin(&self, params: &Map<String, Value>) -> Result<(), Value> {
        match params.get("ks").and_then(Value::as_str) {
            Some(ks) if !ks.is_empty() => Ok(()),
            _ => Err(error(
                "MISSING_KS",
                "Missing KS, session not established",
                &[],
            )),
        }
    }

    fn start_widget_session(&mut self, params: &Map<String, Value>) -> Result<Value, Value> {
        if params
            .get("ks")
            .and_then(Value::as_str)
            .is_some_and(|k| !k.is_empty())
        {
            self.violations
                .push("startWidgetSession was sent with a KS".into());
        }
        let widget = str_param(params, "widgetId").unwrap_or_default();
        if widget != format!("_{PARTNER}") {
            return Err(error(
                "INVALID_WIDGET_ID",
                &format!("Unknown widget [{widget}]"),
                &[("WIDGET_ID", &widget)],
            ));
        }
        let ks = WIDGET_KS[self.widget_sessions % WIDGET_KS.len()];
        self.widget_sessions += 1;
        Ok(json!({
            "objectType": "KalturaStartWidgetSessionResponse",
            "partnerId": PARTNER,
            "ks": ks,
            "userId": "0",
        }))
    }

    fn start_session(&mut self, params: &Map<String, Value>) -> Result<Value, Value> {
        let ks = str_param(params, "ks").unwrap_or_default();
        if ks.is_empty() {
            return Err(error(
                "MISSING_KS",
                "Missing KS, session not established",
                &[],
            ));
        }
        let id = str_param(params, "id").unwrap_or_default();
        let Some(token) = self
            .tokens
            .iter()
            .find(|t| t.id == id && t.status != DELETED)
            .cloned()
        else {
            return Err(error(
                "APP_TOKEN_ID_NOT_FOUND",
                &format!("Application token id \"{id}\" not found"),
                &[("ID", &id)],
            ));
        };
        if token.status != ACTIVE {
            return Err(error(
                "APP_TOKEN_NOT_ACTIVE",
                &format!("Application token id \"{id}\" not active"),
                &[("ID", &id)],
            ));
        }
        let sent = str_param(params, "tokenHash").unwrap_or_default();
        let expected = DIGESTS
            .iter()
            .find(|(k, h, _)| *k == ks && *h == token.hash_type && token.token == TOKEN)
            .map(|(_, _, d)| *d);
        match expected {
            None => {
                self.violations.push(format!(
                    "startSession with a KS the stand-in did not issue, or a token it has no digest for ({id})"
                ));
                return Err(error("INVALID_KS", "Invalid KS", &[]));
            }
            Some(d) if d != sent => {
                return Err(error(
                    "INVALID_APP_TOKEN_HASH",
                    "Invalid application token hash",
                    &[],
                ))
            }
            Some(_) => {}
        }
        let now = now();
        let mut token_expiry = token.session_duration;
        if let Some(expiry) = token.expiry {
            token_expiry = token_expiry.min(expiry - now);
            if token_expiry < 0 {
                return Err(error(
                    "APP_TOKEN_EXPIRED",
                    &format!("Application token id \"{id}\" expired"),
                    &[("ID", &id)],
                ));
            }
        }
        let asked = params
            .get("expiry")
            .and_then(Value::as_i64)
            .filter(|e| *e != 0);
        let expiry = asked.unwrap_or(token_expiry).min(token_expiry);
        let session_type = token
            .session_type
            .or_else(|| params.get("type").and_then(Value::as_i64))
            .unwrap_or(0);
        let user_id = token
            .session_user_id
            .clone()
            .or_else(|| str_param(params, "userId"));
        let mut privileges = format!("sessionid:{id},apptoken:{id}");
        for extra in [
            str_param(params, "sessionPrivileges"),
            token.session_privileges.clone(),
        ]
        .into_iter()
        .flatten()
        {
            privileges.push(',');
            privileges.push_str(&extra);
        }
        self.sessions += 1;
        Ok(json!({
            "objectType": "KalturaSessionInfo",
            "ks": session_ks(self.sessions),
            "sessionType": session_type,
            "partnerId": PARTNER,
            "userId": user_id,
            "expiry": now + expiry,
            "privileges": privileges,
        }))
    }

    fn add(&mut self, params: &Map<String, Value>) -> Result<Value, Value> {
        let Some(Value::Object(t)) = params.get("appToken") else {
            return Err(error(
                "MISSING_MANDATORY_PARAMETER",
                "Missing parameter \"appToken\"",
                &[("PARAM_NAME", "appToken")],
            ));
        };
        if t.get("objectType").and_then(Value::as_str) != Some("KalturaAppToken") {
            self.violations
                .push("appToken.add without objectType KalturaAppToken".into());
        }
        for read_only in ["id", "token", "partnerId", "status", "createdAt"] {
            if t.contains_key(read_only) {
                self.violations
                    .push(format!("appToken.add sent the read-only {read_only}"));
            }
        }
        self.added += 1;
        let token = Token {
            id: format!("0_added{}", self.added),
            token: ADDED_TOKEN.into(),
            hash_type: t
                .get("hashType")
                .and_then(Value::as_str)
                .unwrap_or("SHA1")
                .into(),
            status: ACTIVE,
            expiry: t.get("expiry").and_then(Value::as_i64),
            session_duration: t
                .get("sessionDuration")
                .and_then(Value::as_i64)
                .unwrap_or(86_400),
            session_type: t.get("sessionType").and_then(Value::as_i64),
            session_user_id: t
                .get("sessionUserId")
                .and_then(Value::as_str)
                .map(String::from),
            session_privileges: t
                .get("sessionPrivileges")
                .and_then(Value::as_str)
                .map(String::from),
            description: t
                .get("description")
                .and_then(Value::as_str)
                .map(String::from),
        };
        let answer = token.json();
        self.tokens.push(token);
        Ok(answer)
    }

    fn find(&self, params: &Map<String, Value>) -> Result<usize, Value> {
        let id = str_param(params, "id").unwrap_or_default();
        self.tokens
            .iter()
            .position(|t| t.id == id && t.status != DELETED)
            .ok_or_else(|| {
                error(
                    "APP_TOKEN_ID_NOT_FOUND",
                    &format!("Application token id \"{id}\" not found"),
                    &[("ID", &id)],
                )
            })
    }

    fn get(&mut self, params: &Map<String, Value>) -> Result<Value, Value> {
        let i = self.find(params)?;
        Ok(self.tokens[i].json())
    }

    fn delete(&mut self, params: &Map<String, Value>) -> Result<Value, Value> {
        let i = self.find(params)?;
        self.tokens[i].status = DELETED;
        Ok(Value::Null)
    }

    fn list(&self) -> Value {
        let objects: Vec<Value> = self
            .tokens
            .iter()
            .filter(|t| t.status != DELETED)
            .map(Token::json)
            .collect();
        json!({
            "objectType": "KalturaAppTokenListResponse",
            "totalCount": objects.len(),
            "objects": objects,
        })
    }
}

fn str_param(params: &Map<String, Value>, name: &str) -> Option<String> {
    params.get(name).and_then(Value::as_str).map(String::from)
}

/// A `KalturaAPIException` as the server writes it.
pub fn error(code: &str, message: &str, args: &[(&str, &str)]) -> Value {
    let args: Vec<Value> = args
        .iter()
        .map(|(name, value)| {
            json!({"objectType": "KalturaApiExceptionArg", "name": name, "value": value})
        })
        .collect();
    json!({
        "objectType": "KalturaAPIException",
        "code": code,
        "message": message,
        "args": args,
    })
}
