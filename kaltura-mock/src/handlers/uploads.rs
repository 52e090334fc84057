//! `uploadToken`: add, get, list, delete, and upload in chunks as the server takes them:
//! `resume=false` starts the file over, `resume=true` writes at `resumeAt` (the end
//! when -1), chunks that arrive ahead of their offset wait for the bytes before them,
//! and `finalChunk=true` completes the upload (FULL_UPLOAD) when no gap is left, else
//! is answered `UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE` (send it again later).

use super::{str_arg, Answer, Ctx};
use crate::check::check_writable;
use crate::errors::{codes, ApiError};
use crate::params::FilePart;
use crate::store::UploadData;
use serde_json::{json, Map, Value};

const PENDING: i64 = 0;
const PARTIAL: i64 = 1;
const FULL: i64 = 2;

fn new_token(ctx: &mut Ctx<'_>, given: Option<&Value>) -> Result<Value, ApiError> {
    let mut token = given
        .cloned()
        .unwrap_or_else(|| json!({"objectType": "KalturaUploadToken"}));
    check_writable(&token, false, None)?;
    let id = ctx.store.next_hex_id();
    let m = token.as_object_mut().expect("built as an object");
    m.insert("id".into(), json!(id));
    m.insert("partnerId".into(), json!(ctx.session.partner_id));
    m.insert("userId".into(), json!(ctx.session.user_id));
    m.insert("status".into(), json!(PENDING));
    m.insert("uploadedFileSize".into(), json!(0));
    m.insert("createdAt".into(), json!(ctx.now));
    m.insert("updatedAt".into(), json!(ctx.now));
    let file_name = m
        .get("fileName")
        .and_then(Value::as_str)
        .map(str::to_string);
    let data = ctx.data();
    data.upload_tokens.insert(&id, token.clone());
    data.uploads.insert(
        id,
        UploadData {
            file_name,
            ..Default::default()
        },
    );
    Ok(token)
}

/// A token holding `file` whole (`media.upload`, `baseEntry.upload`).
pub fn full_token(ctx: &mut Ctx<'_>, file: FilePart) -> String {
    let given = json!({"objectType": "KalturaUploadToken", "fileName": file.filename.clone().unwrap_or_default()});
    let token = new_token(ctx, Some(&given)).unwrap_or_default();
    let id = token["id"].as_str().unwrap_or_default().to_string();
    let size = file.data.len();
    let data = ctx.data();
    if let Some(u) = data.uploads.get_mut(&id) {
        u.write(Some(0), file.data);
    }
    if let Some(t) = data.upload_tokens.get_mut(&id) {
        t["status"] = json!(FULL);
        t["uploadedFileSize"] = json!(size);
    }
    id
}

fn upload(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Answer, ApiError> {
    let id = str_arg(args, "uploadTokenId").to_string();
    let file = (ctx.files)("fileData")
        .ok_or_else(|| ApiError::new(codes::MISSING_MANDATORY_PARAMETER, &["fileData"]))?;
    let resume = args.get("resume").and_then(Value::as_bool).unwrap_or(false);
    let final_chunk = args
        .get("finalChunk")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let resume_at = args.get("resumeAt").and_then(Value::as_f64).unwrap_or(-1.0);
    let now = ctx.now;
    let data = ctx.data();
    let status = data
        .upload_tokens
        .get(&id)
        .map(|t| t["status"].as_i64().unwrap_or(0))
        .ok_or_else(|| ApiError::new(codes::UPLOAD_TOKEN_NOT_FOUND, &[]))?;
    if status != PENDING && status != PARTIAL {
        return Err(ApiError::new(
            codes::UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD,
            &[],
        ));
    }
    let upload = data.uploads.entry(id.clone()).or_default();
    if resume
        && status == PENDING
        && resume_at > 0.0
        && upload.bytes.is_empty()
        && upload.pending.is_empty()
    {
        return Err(ApiError::new(codes::UPLOAD_TOKEN_CANNOT_RESUME, &[]));
    }
    if upload.file_name.is_none() {
        upload.file_name = file.filename.clone();
    }
    if resume {
        let at = (resume_at >= 0.0).then_some(resume_at as usize);
        upload.write(at, file.data);
    } else {
        *upload = UploadData {
            file_name: upload.file_name.take(),
            ..Default::default()
        };
        upload.write(Some(0), file.data);
    }
    let size = upload.bytes.len();
    let gaps = !upload.pending.is_empty();
    let complete = final_chunk && !gaps;
    let token = data
        .upload_tokens
        .get_mut(&id)
        .ok_or_else(|| ApiError::new(codes::UPLOAD_TOKEN_NOT_FOUND, &[]))?;
    let expected = token.get("fileSize").and_then(Value::as_f64);
    let auto = token.get("autoFinalize").and_then(Value::as_i64) == Some(1);
    let reached = auto && expected.is_some_and(|e| size as f64 >= e);
    token["status"] = json!(if complete || reached { FULL } else { PARTIAL });
    token["uploadedFileSize"] = json!(size);
    token["updatedAt"] = json!(now);
    if final_chunk && gaps {
        // The server's answer to a final chunk that leaves a gap; the chunk is kept,
        // and the final request may be sent again once the others are in.
        return Err(ApiError::new(
            codes::UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE,
            &[],
        ));
    }
    Ok(Answer::Value(token.clone()))
}

pub fn run(
    ctx: &mut Ctx<'_>,
    action: &str,
    args: &Map<String, Value>,
) -> Option<Result<Answer, ApiError>> {
    Some(match action {
        "add" => new_token(ctx, args.get("uploadToken")).map(Answer::Value),
        "upload" => upload(ctx, args),
        "get" => {
            let id = str_arg(args, "uploadTokenId").to_string();
            ctx.data()
                .upload_tokens
                .get(&id)
                .cloned()
                .map(Answer::Value)
                .ok_or_else(|| ApiError::new(codes::UPLOAD_TOKEN_NOT_FOUND, &[]))
        }
        "delete" => {
            let id = str_arg(args, "uploadTokenId").to_string();
            let data = ctx.data();
            data.uploads.remove(&id);
            data.upload_tokens
                .remove(&id)
                .map(|_| Answer::Value(Value::Null))
                .ok_or_else(|| ApiError::new(codes::UPLOAD_TOKEN_NOT_FOUND, &[]))
        }
        "list" => ctx.list_table(|d| &mut d.upload_tokens, |_| true, args, "-createdAt"),
        _ => return None,
    })
}
