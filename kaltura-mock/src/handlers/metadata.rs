//! Custom metadata: `metadataProfile` (add, get, list, delete) and `metadata` (add,
//! get, list, update, delete). Adding metadata checks what the server checks before
//! it stores the XML: the profile exists, is for the same kind of object, the object
//! (an entry or a category) exists, and has no metadata of this profile yet. The XML
//! is not validated against the profile's XSD (noted in the request log).

use super::{int_arg, merge, str_arg, Answer, Ctx};
use crate::check::check_writable;
use crate::errors::{codes, ApiError};
use serde_json::{json, Map, Value};

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn profile_not_found(id: i64) -> ApiError {
    ApiError::new(codes::METADATA_PROFILE_NOT_FOUND, &[&id.to_string()])
}

fn metadata_not_found(id: i64) -> ApiError {
    ApiError::new(codes::METADATA_NOT_FOUND, &[&id.to_string()])
}

/// XML the mock accepts: one element at the top, as far as a quick look can tell.
fn well_formed(xml: &str) -> bool {
    let t = xml.trim();
    t.starts_with('<') && t.ends_with('>') && !t.starts_with("</")
}

pub fn run_profiles(
    ctx: &mut Ctx<'_>,
    action: &str,
    args: &Map<String, Value>,
) -> Option<Result<Answer, ApiError>> {
    let id = int_arg(args, "id").unwrap_or(0);
    Some(match action {
        "add" => (|| {
            let mut profile = args.get("metadataProfile").cloned().unwrap_or(Value::Null);
            check_writable(&profile, false, None)?;
            let xsd = str_arg(args, "xsdData").to_string();
            if !well_formed(&xsd) {
                return Err(ApiError::new(
                    codes::INVALID_METADATA_PROFILE_SCHEMA,
                    &["the XSD is not XML"],
                ));
            }
            let id = ctx.store.next_seq() as i64;
            let (pid, now) = (ctx.session.partner_id, ctx.now);
            merge(
                &mut profile,
                &json!({"id": id, "partnerId": pid, "version": 1, "createdAt": now,
                        "updatedAt": now, "status": 1, "xsd": xsd,
                        "views": args.get("viewsData").cloned().unwrap_or(Value::Null)}),
            );
            ctx.data()
                .metadata_profiles
                .insert(&id.to_string(), profile.clone());
            Ok(Answer::Value(profile))
        })(),
        "get" => ctx
            .data()
            .metadata_profiles
            .get(&id.to_string())
            .cloned()
            .map(Answer::Value)
            .ok_or_else(|| profile_not_found(id)),
        "list" => ctx.list_table(|d| &mut d.metadata_profiles, |_| true, args, "+createdAt"),
        "delete" => match ctx.data().metadata_profiles.remove(&id.to_string()) {
            Some(_) => Ok(Answer::Value(Value::Null)),
            None => Err(profile_not_found(id)),
        },
        _ => return None,
    })
}

pub fn run(
    ctx: &mut Ctx<'_>,
    action: &str,
    args: &Map<String, Value>,
) -> Option<Result<Answer, ApiError>> {
    let id = int_arg(args, "id").unwrap_or(0);
    Some(match action {
        "add" => add(ctx, args),
        "get" => ctx
            .data()
            .metadata
            .get(&id.to_string())
            .cloned()
            .map(Answer::Value)
            .ok_or_else(|| metadata_not_found(id)),
        "list" => ctx.list_table(|d| &mut d.metadata, |_| true, args, "+createdAt"),
        "update" => (|| {
            let now = ctx.now;
            let xml = args
                .get("xmlData")
                .and_then(Value::as_str)
                .map(str::to_string);
            let version = int_arg(args, "version");
            let data = ctx.data();
            let stored = data
                .metadata
                .get_mut(&id.to_string())
                .ok_or_else(|| metadata_not_found(id))?;
            let current = stored["version"].as_i64().unwrap_or(1);
            if version.is_some_and(|v| v != current) {
                return Err(ApiError::new(
                    codes::INVALID_METADATA_VERSION,
                    &[&version.unwrap_or_default().to_string()],
                ));
            }
            if let Some(xml) = xml {
                if !well_formed(&xml) {
                    return Err(ApiError::new(codes::INVALID_METADATA_DATA, &["not XML"]));
                }
                stored["xml"] = json!(xml);
                stored["version"] = json!(current + 1);
                stored["updatedAt"] = json!(now);
            }
            Ok(Answer::Value(stored.clone()))
        })(),
        "delete" => match ctx.data().metadata.remove(&id.to_string()) {
            Some(_) => Ok(Answer::Value(Value::Null)),
            None => Err(metadata_not_found(id)),
        },
        _ => return None,
    })
}

fn add(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Answer, ApiError> {
    let profile_id = int_arg(args, "metadataProfileId").unwrap_or(0);
    let kind = args.get("objectType").map(text).unwrap_or_default();
    let object_id = str_arg(args, "objectId").to_string();
    let xml = str_arg(args, "xmlData").to_string();
    let data = ctx.data();
    let profile = data
        .metadata_profiles
        .get(&profile_id.to_string())
        .ok_or_else(|| profile_not_found(profile_id))?;
    let profile_kind = profile
        .get("metadataObjectType")
        .map(text)
        .unwrap_or_default();
    if profile_kind != kind {
        return Err(ApiError::new(
            codes::INCOMPATIBLE_METADATA_PROFILE_OBJECT_TYPE,
            &[&profile_kind, &kind],
        ));
    }
    let profile_version = profile["version"].as_i64().unwrap_or(1);
    let exists = match kind.as_str() {
        "1" => data.entries.get(&object_id).is_some(),
        "2" => data.categories.get(&object_id).is_some(),
        "3" => data.users.get(&object_id).is_some(),
        _ => true,
    };
    if !exists {
        return Err(ApiError::new(codes::INVALID_OBJECT_ID, &[&object_id]));
    }
    if let Some(existing) = data.metadata.values().find(|m| {
        m["metadataProfileId"].as_i64() == Some(profile_id)
            && m["objectId"].as_str() == Some(object_id.as_str())
    }) {
        let existing = text(&existing["id"]);
        return Err(ApiError::new(codes::METADATA_ALREADY_EXISTS, &[&existing]));
    }
    if !well_formed(&xml) {
        return Err(ApiError::new(codes::INVALID_METADATA_DATA, &["not XML"]));
    }
    ctx.notes
        .push("metadata XML is not validated against the profile's XSD".into());
    let id = ctx.store.next_seq() as i64;
    let (pid, now) = (ctx.session.partner_id, ctx.now);
    let metadata = json!({
        "objectType": "KalturaMetadata", "id": id, "partnerId": pid,
        "metadataProfileId": profile_id, "metadataProfileVersion": profile_version,
        "metadataObjectType": kind, "objectId": object_id, "version": 1,
        "createdAt": now, "updatedAt": now, "status": 1, "xml": xml,
    });
    ctx.data()
        .metadata
        .insert(&id.to_string(), metadata.clone());
    Ok(Answer::Value(metadata))
}
