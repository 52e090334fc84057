//! `flavorAsset` and `thumbAsset`: get, list (by `entryIdEqual`, `entryIdIn`, ...),
//! delete, `getUrl` (a URL on the mock that serves the asset's bytes) and
//! `thumbAsset.serve`/`serveByEntryId` (the bytes themselves), with the server's checks:
//! an asset of an entry the session is not entitled to does not exist, `getUrl` wants a
//! READY asset, and a flavor's download URL is refused outside the entry's schedule
//! without `sview` or `download` (see [`crate::entitlement`]).

use super::{str_arg, Answer, Ctx};
use crate::entitlement::{self, External};
use crate::errors::{codes, ApiError};
use serde_json::{json, Map, Value};

const READY: i64 = 2;

/// The asset `id` of this kind and its entry, when the session may see them.
fn visible(ctx: &mut Ctx<'_>, flavor: bool, id: &str) -> Option<(Value, Value)> {
    let ent = ctx.entitlement();
    let data = ctx.data();
    let table = if flavor { &data.flavors } else { &data.thumbs };
    let asset = table.get(id)?.clone();
    let entry = data
        .entries
        .get(asset["entryId"].as_str().unwrap_or_default())?;
    if !ent.entry(data, entry) {
        return None;
    }
    Some((asset, entry.clone()))
}

fn thumb_bytes(ctx: &mut Ctx<'_>, id: &str) -> Answer {
    Answer::File {
        bytes: ctx.data().asset_bytes.get(id).cloned().unwrap_or_default(),
        content_type: "image/jpeg".into(),
    }
}

pub fn run(
    ctx: &mut Ctx<'_>,
    service: &str,
    action: &str,
    args: &Map<String, Value>,
) -> Option<Result<Answer, ApiError>> {
    super::entries::settle(ctx);
    let flavor = service == "flavorasset";
    let missing_code = if flavor {
        codes::FLAVOR_ASSET_ID_NOT_FOUND
    } else {
        codes::THUMB_ASSET_ID_NOT_FOUND
    };
    // thumbAsset names its id `thumbAssetId`, except in getUrl.
    let id_param = if !flavor && action != "getUrl" {
        "thumbAssetId"
    } else {
        "id"
    };
    let id = str_arg(args, id_param).to_string();
    let missing = || ApiError::new(missing_code, &[&id]);
    let pid = ctx.session.partner_id;
    let base = ctx.base_url.to_string();
    Some(match action {
        "get" => visible(ctx, flavor, &id)
            .map(|(a, _)| Answer::Value(a))
            .ok_or_else(missing),
        "list" => {
            let ent = ctx.entitlement();
            let data = ctx.store.partner(pid);
            let table = std::mem::take(if flavor {
                &mut data.flavors
            } else {
                &mut data.thumbs
            });
            let data = ctx.store.partner(pid);
            let shown: Vec<&Value> = table
                .values()
                .filter(|a| {
                    data.entries
                        .get(a["entryId"].as_str().unwrap_or_default())
                        .is_some_and(|e| ent.entry(data, e))
                })
                .collect();
            let result = ctx.list(shown, args, "+createdAt");
            let data = ctx.store.partner(pid);
            *(if flavor {
                &mut data.flavors
            } else {
                &mut data.thumbs
            }) = table;
            result
        }
        "delete" => {
            if visible(ctx, flavor, &id).is_none() {
                return Some(Err(missing()));
            }
            let data = ctx.data();
            let table = if flavor {
                &mut data.flavors
            } else {
                &mut data.thumbs
            };
            table.remove(&id);
            data.asset_bytes.remove(&id);
            Ok(Answer::Value(Value::Null))
        }
        "getUrl" => (|| {
            let exists = {
                let data = ctx.data();
                let table = if flavor { &data.flavors } else { &data.thumbs };
                table.get(&id).is_some()
            };
            if !exists {
                return Err(missing());
            }
            let Some((asset, entry)) = visible(ctx, flavor, &id) else {
                // The server hides the entry the session is not entitled to.
                let code = if flavor {
                    codes::ASSET_ID_NOT_FOUND
                } else {
                    missing_code
                };
                return Err(ApiError::new(code, &[&id]));
            };
            if asset["status"].as_i64() != Some(READY) {
                return Err(ApiError::new(
                    if flavor {
                        codes::FLAVOR_ASSET_IS_NOT_READY
                    } else {
                        codes::THUMB_ASSET_IS_NOT_READY
                    },
                    &[],
                ));
            }
            if flavor && !entitlement::may_download(Some(ctx.session), &entry, ctx.now) {
                return Ok(Answer::External(External::NOT_SCHEDULED_NOW));
            }
            let ext = asset["fileExt"].as_str().unwrap_or("bin");
            Ok(Answer::Value(json!(format!(
                "{base}/p/{pid}/sp/{pid}00/asset/{id}/a.{ext}"
            ))))
        })(),
        "serve" if !flavor => match visible(ctx, false, &id) {
            Some(_) => Ok(thumb_bytes(ctx, &id)),
            None => Err(missing()),
        },
        "serveByEntryId" if !flavor => {
            let entry_id = str_arg(args, "entryId").to_string();
            let ent = ctx.entitlement();
            let data = ctx.data();
            let seen = data
                .entries
                .get(&entry_id)
                .is_some_and(|e| ent.entry(data, e));
            let thumb = data
                .thumbs
                .values()
                .find(|t| t["entryId"].as_str() == Some(entry_id.as_str()))
                .and_then(|t| t["id"].as_str())
                .map(str::to_string);
            match (seen, thumb) {
                (true, Some(thumb)) => Ok(thumb_bytes(ctx, &thumb)),
                (true, None) => Err(ApiError::new(codes::THUMB_ASSET_IS_NOT_READY, &[])),
                (false, _) => Err(ApiError::new(codes::ENTRY_ID_NOT_FOUND, &[&entry_id])),
            }
        }
        _ => return None,
    })
}
