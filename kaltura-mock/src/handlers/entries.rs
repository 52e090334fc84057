//! `media` and `baseEntry`: add (with `mediaType` required on media entries, as the
//! server's insert check has it), get, list, update, delete, count, upload,
//! addContent and addFromUploadedFile. Content added from an upload token makes the
//! entry PRECONVERT, with a source flavor and a thumbnail; it becomes READY once the
//! configured delay has passed.

use super::{merge, str_arg, Answer, Ctx};
use crate::check::check_writable;
use crate::errors::{codes, ApiError};
use crate::meta;
use serde_json::{json, Map, Value};
use std::time::Instant;

const READY: &str = "2";
const PRECONVERT: &str = "1";
const NO_CONTENT: &str = "7";

/// Moves entries whose conversion time has passed to READY, with their flavors.
pub fn settle(ctx: &mut Ctx<'_>) {
    let now = Instant::now();
    let data = ctx.data();
    let due: Vec<String> = data
        .ready_at
        .iter()
        .filter(|(_, at)| **at <= now)
        .map(|(id, _)| id.clone())
        .collect();
    for id in due {
        data.ready_at.remove(&id);
        if let Some(Value::Object(e)) = data.entries.get_mut(&id) {
            e.insert("status".into(), json!(READY));
        }
        for f in data.flavors.values_mut() {
            if f.get("entryId").and_then(Value::as_str) == Some(id.as_str()) {
                f["status"] = json!(2);
            }
        }
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(codes::ENTRY_ID_NOT_FOUND, &[id])
}

/// The entry for `id` that this session may see.
fn find(ctx: &mut Ctx<'_>, id: &str) -> Result<Value, ApiError> {
    settle(ctx);
    let media_only = ctx.service.eq_ignore_ascii_case("media");
    let entry = ctx
        .data()
        .entries
        .get(id)
        .cloned()
        .ok_or_else(|| not_found(id))?;
    let class = entry["objectType"].as_str().unwrap_or_default();
    if media_only && !meta::is_a(class, "KalturaMediaEntry") {
        return Err(not_found(id));
    }
    if !ctx.entry_visible(&entry) {
        return Err(not_found(id));
    }
    Ok(entry)
}

/// A USER session may change only its own entries, or those an `edit` privilege names.
fn may_edit(ctx: &Ctx<'_>, entry: &Value) -> Result<(), ApiError> {
    if ctx.session.admin {
        return Ok(());
    }
    let id = entry["id"].as_str().unwrap_or_default();
    let owner = entry["userId"].as_str().unwrap_or_default();
    if (!owner.is_empty() && owner == ctx.session.user_id) || ctx.session.has_privilege("edit", id)
    {
        return Ok(());
    }
    Err(crate::sessions::forbidden(ctx.service, &ctx.action.name))
}

pub fn add(
    ctx: &mut Ctx<'_>,
    mut entry: Value,
    type_arg: Option<&Value>,
) -> Result<Value, ApiError> {
    check_writable(&entry, false, None)?;
    let class = entry["objectType"]
        .as_str()
        .unwrap_or("KalturaBaseEntry")
        .to_string();
    if meta::is_a(&class, "KalturaMediaEntry") && entry.get("mediaType").is_none_or(Value::is_null)
    {
        return Err(ApiError::new(
            codes::CANNOT_BE_NULL,
            &[&format!("{class}::mediaType")],
        ));
    }
    let id = ctx.store.next_id();
    let pid = ctx.session.partner_id;
    let user = if ctx.session.user_id.is_empty() {
        entry["userId"].as_str().unwrap_or("").to_string()
    } else {
        ctx.session.user_id.clone()
    };
    let owner = entry
        .get("userId")
        .and_then(Value::as_str)
        .filter(|_| ctx.session.admin)
        .map_or(user.clone(), str::to_string);
    let entry_type = type_arg
        .and_then(Value::as_str)
        .filter(|t| *t != "-1")
        .map(str::to_string)
        .unwrap_or_else(|| {
            if class == "KalturaDataEntry" {
                "6"
            } else {
                "1"
            }
            .to_string()
        });
    let base = ctx.base_url.to_string();
    let now = ctx.now;
    if let Value::Object(m) = &mut entry {
        m.insert("id".into(), json!(id));
        m.insert("partnerId".into(), json!(pid));
        m.insert("userId".into(), json!(owner));
        m.insert("creatorId".into(), json!(user));
        m.insert("status".into(), json!(NO_CONTENT));
        m.insert("type".into(), json!(entry_type));
        m.insert("createdAt".into(), json!(now));
        m.insert("updatedAt".into(), json!(now));
        m.insert("version".into(), json!(0));
        m.entry("name").or_insert_with(|| json!(""));
        m.insert(
            "thumbnailUrl".into(),
            json!(format!(
                "{base}/p/{pid}/sp/{pid}00/thumbnail/entry_id/{id}/version/0"
            )),
        );
    }
    ctx.data().entries.insert(&id, entry.clone());
    Ok(entry)
}

/// Attaches the content of a full upload token to an entry.
pub fn add_content(
    ctx: &mut Ctx<'_>,
    entry_id: &str,
    resource: Option<&Value>,
) -> Result<Value, ApiError> {
    let mut entry = find(ctx, entry_id)?;
    may_edit(ctx, &entry)?;
    let token = resource
        .and_then(|r| r.get("token"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let (bytes, file_name) = match token {
        Some(token) => {
            let data = ctx.data();
            let status = data
                .upload_tokens
                .get(&token)
                .map(|t| t["status"].as_i64().unwrap_or(0))
                .ok_or_else(|| ApiError::new(codes::UPLOAD_TOKEN_NOT_FOUND, &[]))?;
            if status != 2 {
                return Err(ApiError::new(
                    codes::UPLOAD_TOKEN_INVALID_STATUS_FOR_ADD_ENTRY,
                    &[],
                ));
            }
            if let Some(t) = data.upload_tokens.get_mut(&token) {
                t["status"] = json!(3);
                t["attachedObjectType"] = json!("KalturaMediaEntry");
                t["attachedObjectId"] = json!(entry_id);
            }
            let upload = data.uploads.remove(&token).unwrap_or_default();
            (upload.bytes, upload.file_name)
        }
        None => {
            let kind = resource
                .and_then(|r| r["objectType"].as_str())
                .unwrap_or("none");
            ctx.notes
                .push(format!("resource {kind}: content taken as empty"));
            (Vec::new(), None)
        }
    };
    let delay = ctx.config.ready_after;
    let pid = ctx.session.partner_id;
    let flavor_id = ctx.store.next_id();
    let thumb_id = ctx.store.next_id();
    let now = ctx.now;
    let size_kb = bytes.len().div_ceil(1024);
    let ext = file_name
        .as_deref()
        .and_then(|n| n.rsplit_once('.'))
        .map_or("mp4".to_string(), |(_, e)| e.to_ascii_lowercase());
    let immediately = delay.is_zero();
    let status = if immediately { READY } else { PRECONVERT };
    merge(
        &mut entry,
        &json!({"status": status, "updatedAt": now, "flavorParamsIds": "0",
                "dataUrl": format!("{}/p/{pid}/sp/{pid}00/playManifest/entryId/{entry_id}/format/url/protocol/http", ctx.base_url)}),
    );
    let data = ctx.data();
    data.entries.insert(entry_id, entry.clone());
    data.flavors.insert(
        &flavor_id,
        json!({"objectType": "KalturaFlavorAsset", "id": flavor_id, "entryId": entry_id,
               "partnerId": pid, "version": "1", "size": size_kb, "fileExt": ext,
               "isOriginal": true, "flavorParamsId": 0, "status": if immediately { 2 } else { 1 },
               "createdAt": now, "updatedAt": now, "tags": "source"}),
    );
    data.asset_bytes.insert(flavor_id, bytes);
    data.thumbs.insert(
        &thumb_id,
        json!({"objectType": "KalturaThumbAsset", "id": thumb_id, "entryId": entry_id,
               "partnerId": pid, "version": "1", "fileExt": "jpg", "status": 2,
               "width": 120, "height": 90, "createdAt": now, "updatedAt": now, "tags": "default_thumb"}),
    );
    data.asset_bytes.insert(thumb_id, tiny_jpeg());
    if !immediately {
        data.ready_at
            .insert(entry_id.to_string(), Instant::now() + delay);
    }
    Ok(entry)
}

/// A minimal JPEG file (SOI, EOI), the bytes a thumbnail serves.
fn tiny_jpeg() -> Vec<u8> {
    vec![0xFF, 0xD8, 0xFF, 0xD9]
}

pub fn run(
    ctx: &mut Ctx<'_>,
    action: &str,
    args: &Map<String, Value>,
) -> Option<Result<Answer, ApiError>> {
    let media = ctx.service.eq_ignore_ascii_case("media");
    Some(match action {
        "add" => {
            let Some(entry) = args.get("entry").cloned() else {
                return Some(Err(ApiError::new(
                    codes::MISSING_MANDATORY_PARAMETER,
                    &["entry"],
                )));
            };
            add(ctx, entry, args.get("type")).map(Answer::Value)
        }
        "get" => find(ctx, str_arg(args, "entryId")).map(Answer::Value),
        "getByIds" => {
            settle(ctx);
            let ids: Vec<String> = str_arg(args, "entryIds")
                .split(',')
                .map(|s| s.trim().to_string())
                .collect();
            let ent = ctx.entitlement();
            let data = ctx.data();
            let found: Vec<Value> = ids
                .iter()
                .filter_map(|id| data.entries.get(id))
                .filter(|e| ent.entry(data, e))
                .cloned()
                .collect();
            Ok(Answer::Value(Value::Array(found)))
        }
        "list" | "count" => {
            settle(ctx);
            let pid = ctx.session.partner_id;
            let ent = ctx.entitlement();
            let entries = std::mem::take(&mut ctx.store.partner(pid).entries);
            let data = ctx.store.partner(pid);
            let objects: Vec<&Value> = entries
                .values()
                .filter(|e| {
                    !media
                        || meta::is_a(e["objectType"].as_str().unwrap_or(""), "KalturaMediaEntry")
                })
                .filter(|e| ent.entry(data, e))
                .collect();
            let result = if action == "count" {
                crate::store::list::page(objects, args.get("filter"), None, "", ctx.notes)
                    .map(|p| Answer::Value(json!(p.total_count)))
            } else {
                ctx.list(objects, args, "-createdAt")
            };
            ctx.store.partner(pid).entries = entries;
            result
        }
        "update" => {
            let id = str_arg(args, "entryId").to_string();
            let update = args
                .get(if media { "mediaEntry" } else { "baseEntry" })
                .cloned()
                .unwrap_or(Value::Null);
            (|| {
                let mut entry = find(ctx, &id)?;
                may_edit(ctx, &entry)?;
                check_writable(&update, true, Some(&entry))?;
                merge(&mut entry, &update);
                entry["updatedAt"] = json!(ctx.now);
                ctx.data().entries.insert(&id, entry.clone());
                Ok(Answer::Value(entry))
            })()
        }
        "delete" => {
            let id = str_arg(args, "entryId").to_string();
            (|| {
                let entry = find(ctx, &id)?;
                may_edit(ctx, &entry)?;
                let data = ctx.data();
                data.entries.remove(&id);
                data.ready_at.remove(&id);
                Ok(Answer::Value(Value::Null))
            })()
        }
        "upload" => {
            let Some(file) = (ctx.files)("fileData") else {
                return Some(Err(ApiError::new(
                    codes::MISSING_MANDATORY_PARAMETER,
                    &["fileData"],
                )));
            };
            let token = crate::handlers::uploads::full_token(ctx, file);
            Ok(Answer::Value(json!(token)))
        }
        "addContent" => {
            add_content(ctx, str_arg(args, "entryId"), args.get("resource")).map(Answer::Value)
        }
        "addFromUploadedFile" => {
            let entry = args
                .get(if media { "mediaEntry" } else { "entry" })
                .cloned()
                .unwrap_or(Value::Null);
            let token = str_arg(args, "uploadTokenId").to_string();
            (|| {
                let status = ctx
                    .data()
                    .upload_tokens
                    .get(&token)
                    .map(|t| t["status"].as_i64().unwrap_or(0));
                match status {
                    None => {
                        return Err(ApiError::new(codes::UPLOADED_FILE_NOT_FOUND_BY_TOKEN, &[]))
                    }
                    Some(2) => {}
                    Some(_) => {
                        return Err(ApiError::new(
                            codes::UPLOAD_TOKEN_INVALID_STATUS_FOR_ADD_ENTRY,
                            &[],
                        ))
                    }
                }
                let added = add(ctx, entry, args.get("type"))?;
                let id = added["id"].as_str().unwrap_or_default().to_string();
                let resource =
                    json!({"objectType": "KalturaUploadedFileTokenResource", "token": token});
                add_content(ctx, &id, Some(&resource)).map(Answer::Value)
            })()
        }
        _ => return None,
    })
}
