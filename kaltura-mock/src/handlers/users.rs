//! `user`: add (an id is required; a duplicate is `DUPLICATE_USER_BY_ID`), get (the
//! session's own user when no id is given), list, update, delete, and
//! `loginByLoginId` against the users configured or added with an email and a
//! password. Passwords are kept apart and never answered.

use super::{str_arg, Answer, Ctx};
use crate::check::check_writable;
use crate::errors::{codes, ApiError};
use crate::sessions;
use serde_json::{json, Map, Value};

fn public(mut user: Value) -> Value {
    if let Value::Object(m) = &mut user {
        m.remove("password");
    }
    user
}

pub fn insert_user(
    ctx: &mut Ctx<'_>,
    mut user: Value,
    password: Option<String>,
) -> Result<Value, ApiError> {
    let id = user["id"].as_str().unwrap_or_default().to_string();
    if id.is_empty() {
        return Err(ApiError::new(codes::CANNOT_BE_NULL, &["KalturaUser::id"]));
    }
    if ctx.data().users.get(&id).is_some() {
        return Err(ApiError::new(codes::DUPLICATE_USER_BY_ID, &[&id]));
    }
    let pid = ctx.session.partner_id;
    let now = ctx.now;
    if let Value::Object(m) = &mut user {
        m.remove("password");
        m.insert("partnerId".into(), json!(pid));
        m.insert("status".into(), json!(1));
        m.insert("createdAt".into(), json!(now));
        m.insert("updatedAt".into(), json!(now));
        m.entry("isAdmin").or_insert(json!(false));
        m.insert("loginEnabled".into(), json!(password.is_some()));
    }
    let data = ctx.data();
    if let Some(p) = password {
        data.passwords.insert(id.clone(), p);
    }
    data.users.insert(&id, user.clone());
    Ok(user)
}

fn login(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Answer, ApiError> {
    let login_id = str_arg(args, "loginId");
    let password = str_arg(args, "password");
    let wanted = args.get("partnerId").and_then(Value::as_i64);
    let mut found = None;
    for (pid, data) in &ctx.store.partners {
        if wanted.is_some_and(|w| w != *pid) {
            continue;
        }
        for u in data.users.values() {
            let email = u.get("email").and_then(Value::as_str).unwrap_or_default();
            if email.eq_ignore_ascii_case(login_id) && !email.is_empty() {
                let id = u["id"].as_str().unwrap_or_default().to_string();
                let admin = u.get("isAdmin").and_then(Value::as_bool).unwrap_or(false);
                found = Some((*pid, id.clone(), admin, data.passwords.get(&id).cloned()));
            }
        }
    }
    let Some((pid, id, admin, stored)) = found else {
        return Err(ApiError::new(codes::LOGIN_DATA_NOT_FOUND, &[]));
    };
    if stored.as_deref() != Some(password) {
        return Err(ApiError::new(codes::USER_WRONG_PASSWORD, &[]));
    }
    let expiry = args.get("expiry").and_then(Value::as_i64).unwrap_or(86_400);
    let privileges = args
        .get("privileges")
        .and_then(Value::as_str)
        .unwrap_or("*");
    let privileges = if privileges == "*" { "" } else { privileges };
    sessions::make_ks(ctx.config, pid, admin, &id, expiry, privileges)
        .map(|ks| Answer::Value(json!(ks)))
}

pub fn run(
    ctx: &mut Ctx<'_>,
    action: &str,
    args: &Map<String, Value>,
) -> Option<Result<Answer, ApiError>> {
    Some(match action {
        "loginByLoginId" => login(ctx, args),
        "add" => (|| {
            let user = args.get("user").cloned().unwrap_or(Value::Null);
            check_writable(&user, false, None)?;
            let password = user
                .get("password")
                .and_then(Value::as_str)
                .map(str::to_string);
            insert_user(ctx, user, password).map(|u| Answer::Value(public(u)))
        })(),
        "get" => {
            let id = match str_arg(args, "userId") {
                "" => ctx.session.user_id.clone(),
                id => id.to_string(),
            };
            if !ctx.session.admin && id != ctx.session.user_id {
                return Some(Err(ApiError::new(
                    "CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION",
                    &[&id],
                )));
            }
            ctx.data()
                .users
                .get(&id)
                .cloned()
                .map(|u| Answer::Value(public(u)))
                .ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND, &[]))
        }
        "list" => ctx.list_table(|d| &mut d.users, |_| true, args, "-createdAt"),
        "update" => (|| {
            let id = str_arg(args, "userId").to_string();
            let update = args.get("user").cloned().unwrap_or(Value::Null);
            let mut user = ctx
                .data()
                .users
                .get(&id)
                .cloned()
                .ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND, &[]))?;
            check_writable(&update, true, Some(&user))?;
            super::merge(&mut user, &update);
            user["updatedAt"] = json!(ctx.now);
            ctx.data().users.insert(&id, user.clone());
            Ok(Answer::Value(public(user)))
        })(),
        "delete" => {
            let id = str_arg(args, "userId").to_string();
            let data = ctx.data();
            data.passwords.remove(&id);
            data.users
                .remove(&id)
                .map(|mut u| {
                    u["status"] = json!(2);
                    Answer::Value(public(u))
                })
                .ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND, &[]))
        }
        _ => return None,
    })
}
