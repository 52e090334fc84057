//! `appToken`: add (a random token, ACTIVE, SHA256 unless asked otherwise), get, list,
//! delete, and `startSession`: the hash of the caller's KS followed by the token must
//! match (`INVALID_APP_TOKEN_HASH`), the token must be active and unexpired; the new
//! session takes the token's type, user and privileges.

use super::{str_arg, Answer, Ctx};
use crate::check::check_writable;
use crate::errors::{codes, ApiError};
use crate::sessions;
use md5::Md5;
use serde_json::{json, Map, Value};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

fn digest(kind: &str, data: &[u8]) -> String {
    match kind {
        "MD5" => hex::encode(Md5::digest(data)),
        "SHA1" => hex::encode(Sha1::digest(data)),
        "SHA512" => hex::encode(Sha512::digest(data)),
        _ => hex::encode(Sha256::digest(data)),
    }
}

fn start(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Answer, ApiError> {
    let id = str_arg(args, "id").to_string();
    let token = ctx
        .data()
        .app_tokens
        .get(&id)
        .cloned()
        .ok_or_else(|| ApiError::new(codes::APP_TOKEN_ID_NOT_FOUND, &[&id]))?;
    let ks = ctx.session.ks.clone().unwrap_or_default();
    let secret = token["token"].as_str().unwrap_or_default();
    let kind = token["hashType"].as_str().unwrap_or("SHA256");
    let expected = digest(kind, format!("{ks}{secret}").as_bytes());
    if !expected.eq_ignore_ascii_case(str_arg(args, "tokenHash")) {
        return Err(ApiError::new(codes::INVALID_APP_TOKEN_HASH, &[]));
    }
    if token["status"].as_i64() != Some(2) {
        return Err(ApiError::new(codes::APP_TOKEN_NOT_ACTIVE, &[&id]));
    }
    if token["expiry"]
        .as_i64()
        .is_some_and(|e| e > 0 && e <= ctx.now)
    {
        return Err(ApiError::new(codes::APP_TOKEN_EXPIRED, &[&id]));
    }
    let admin = token["sessionType"].as_i64().unwrap_or(0) >= 1
        || args.get("type").and_then(Value::as_i64).unwrap_or(0) >= 1
            && token["sessionType"].is_null();
    let user = token["sessionUserId"]
        .as_str()
        .or_else(|| args.get("userId").and_then(Value::as_str))
        .unwrap_or("")
        .to_string();
    let mut privileges = token["sessionPrivileges"]
        .as_str()
        .unwrap_or("")
        .to_string();
    if let Some(extra) = args.get("sessionPrivileges").and_then(Value::as_str) {
        if !extra.is_empty() {
            privileges = if privileges.is_empty() {
                extra.to_string()
            } else {
                format!("{privileges},{extra}")
            };
        }
    }
    let privileges = if privileges.is_empty() {
        format!("apptoken:{id}")
    } else {
        format!("{privileges},apptoken:{id}")
    };
    let duration = token["sessionDuration"].as_i64().unwrap_or(86_400);
    let expiry = args
        .get("expiry")
        .and_then(Value::as_i64)
        .map_or(duration, |e| e.min(duration));
    let pid = ctx.session.partner_id;
    let new_ks = sessions::make_ks(ctx.config, pid, admin, &user, expiry, &privileges)?;
    Ok(Answer::Value(json!({
        "objectType": "KalturaSessionInfo",
        "ks": new_ks,
        "sessionType": if admin { 2 } else { 0 },
        "partnerId": pid,
        "userId": user,
        "expiry": ctx.now + expiry,
        "privileges": privileges,
    })))
}

pub fn run(
    ctx: &mut Ctx<'_>,
    action: &str,
    args: &Map<String, Value>,
) -> Option<Result<Answer, ApiError>> {
    let id = str_arg(args, "id").to_string();
    Some(match action {
        "add" => (|| {
            let mut token = args.get("appToken").cloned().unwrap_or(Value::Null);
            check_writable(&token, false, None)?;
            let id = ctx.store.next_id();
            let secret = ctx.store.next_hex_id();
            let pid = ctx.session.partner_id;
            let now = ctx.now;
            if let Value::Object(m) = &mut token {
                m.insert("id".into(), json!(id));
                m.insert("token".into(), json!(secret));
                m.insert("partnerId".into(), json!(pid));
                m.insert("status".into(), json!(2));
                m.insert("createdAt".into(), json!(now));
                m.insert("updatedAt".into(), json!(now));
                m.entry("hashType").or_insert(json!("SHA256"));
                m.entry("sessionDuration").or_insert(json!(86_400));
            }
            ctx.data().app_tokens.insert(&id, token.clone());
            Ok(Answer::Value(token))
        })(),
        "startSession" => start(ctx, args),
        "get" => ctx
            .data()
            .app_tokens
            .get(&id)
            .cloned()
            .map(Answer::Value)
            .ok_or_else(|| ApiError::new(codes::APP_TOKEN_ID_NOT_FOUND, &[&id])),
        "delete" => ctx
            .data()
            .app_tokens
            .remove(&id)
            .map(|_| Answer::Value(Value::Null))
            .ok_or_else(|| ApiError::new(codes::APP_TOKEN_ID_NOT_FOUND, &[&id])),
        "list" => ctx.list_table(|d| &mut d.app_tokens, |_| true, args, "-createdAt"),
        _ => return None,
    })
}
