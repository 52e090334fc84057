//! `flavorAsset` and `thumbAsset`: get, list (by `entryIdEqual`, `entryIdIn`, ...),
//! delete, `getUrl` (a URL on the mock that serves the asset's bytes) and
//! `thumbAsset.serve` (the bytes themselves).

use super::{str_arg, Answer, Ctx};
use crate::errors::{codes, ApiError};
use serde_json::{json, Map, Value};

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
    let id_param = if !flavor && action == "serve" {
        "thumbAssetId"
    } else {
        "id"
    };
    let id = str_arg(args, id_param).to_string();
    let missing = || ApiError::new(missing_code, &[&id]);
    let pid = ctx.session.partner_id;
    let base = ctx.base_url.to_string();
    Some(match action {
        "get" => {
            let data = ctx.data();
            let table = if flavor { &data.flavors } else { &data.thumbs };
            table
                .get(&id)
                .cloned()
                .map(Answer::Value)
                .ok_or_else(missing)
        }
        "list" => {
            let data = ctx.store.partner(pid);
            let table = std::mem::take(if flavor {
                &mut data.flavors
            } else {
                &mut data.thumbs
            });
            let result = ctx.list(table.values().collect(), args, "+createdAt");
            let data = ctx.store.partner(pid);
            *(if flavor {
                &mut data.flavors
            } else {
                &mut data.thumbs
            }) = table;
            result
        }
        "delete" => {
            let data = ctx.data();
            let table = if flavor {
                &mut data.flavors
            } else {
                &mut data.thumbs
            };
            match table.remove(&id) {
                Some(_) => {
                    data.asset_bytes.remove(&id);
                    Ok(Answer::Value(Value::Null))
                }
                None => Err(missing()),
            }
        }
        "getUrl" => {
            let data = ctx.data();
            let table = if flavor { &data.flavors } else { &data.thumbs };
            match table.get(&id) {
                Some(a) => {
                    let ext = a["fileExt"].as_str().unwrap_or("bin");
                    Ok(Answer::Value(json!(format!(
                        "{base}/p/{pid}/sp/{pid}00/asset/{id}/a.{ext}"
                    ))))
                }
                None => Err(missing()),
            }
        }
        "serve" if !flavor => {
            let data = ctx.data();
            match data.thumbs.get(&id) {
                Some(_) => Ok(Answer::File {
                    bytes: data.asset_bytes.get(&id).cloned().unwrap_or_default(),
                    content_type: "image/jpeg".into(),
                }),
                None => Err(missing()),
            }
        }
        _ => return None,
    })
}
