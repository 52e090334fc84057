//! The URLs the server delivers media from, for the entries the mock keeps:
//! `/p/<partner>/sp/<partner>00/` followed by
//!
//! - `asset/<id>/a.<ext>`: an asset's bytes (what `flavorAsset.getUrl` and
//!   `thumbAsset.getUrl` answer);
//! - `playManifest/entryId/<id>/[flavorId/<id>/]format/<format>/protocol/<p>/a.<ext>`:
//!   with `format/url` (or `download`) the flavor's bytes, with `applehttp` an HLS
//!   playlist and with `mpegdash` a DASH manifest naming that URL;
//! - `thumbnail/entry_id/<id>/...`: the entry's thumbnail;
//! - `raw/entry_id/<id>/...`: the source file, as a download.
//!
//! A KS comes as a `ks/<ks>` pair of the path or a `ks` query parameter. The server's
//! checks apply, with its delivery errors (an empty answer whose `X-Kaltura-App` header
//! names the error): an invalid or expired KS, an unknown or deleted entry, an entry the
//! session is not entitled to, an entry outside its schedule without `sview` (or
//! `download` for downloads) or an ADMIN KS, a flavor that is not there.

use crate::config::Config;
use crate::entitlement::{self, Entitlement, External};
use crate::http::{HttpRequest, HttpResponse};
use crate::params;
use crate::sessions::{self, Session};
use crate::store::Store;
use serde_json::Value;

/// What a delivery URL answers.
pub enum Delivered {
    Bytes {
        bytes: Vec<u8>,
        content_type: String,
    },
    Error(External),
    /// Not a delivery URL (or an unknown asset): 404.
    NotFound,
}

fn content_type_of(ext: &str) -> &'static str {
    match ext {
        "mp4" | "m4v" => "video/mp4",
        "mov" => "video/quicktime",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

/// The `key/value` pairs after a path's kind (`entryId/0_a/format/url/...`).
fn pairs(segments: &[&str]) -> Vec<(String, String)> {
    segments
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0].to_ascii_lowercase(), c[1].to_string()))
        .collect()
}

fn pair<'a>(pairs: &'a [(String, String)], names: &[&str]) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| names.contains(&k.as_str()))
        .map(|(_, v)| v.as_str())
}

/// Answers a delivery URL, or `None` when the path is not one.
pub fn serve(config: &Config, store: &Store, req: &HttpRequest, now: i64) -> Option<Delivered> {
    let rest = req.path.strip_prefix("/p/")?;
    let mut parts = rest.split('/');
    let partner: i64 = parts.next()?.parse().ok()?;
    let segments: Vec<&str> = parts.filter(|s| !s.is_empty()).collect();
    let at = segments
        .iter()
        .position(|s| matches!(*s, "asset" | "playManifest" | "thumbnail" | "raw"))?;
    let kind = segments[at];
    let data = store.partners.get(&partner);
    if kind == "asset" {
        let id = segments.get(at + 1)?;
        let bytes = data.and_then(|p| p.asset_bytes.get(*id)).cloned();
        let ext = segments
            .last()
            .and_then(|s| s.rsplit_once('.'))
            .map_or("", |(_, e)| e);
        return Some(match bytes {
            Some(bytes) => Delivered::Bytes {
                bytes,
                content_type: content_type_of(ext).into(),
            },
            None => Delivered::NotFound,
        });
    }
    let pairs = pairs(&segments[at + 1..]);
    let query = params::form_pairs(&req.query);
    let ks = pair(&pairs, &["ks"])
        .map(str::to_string)
        .or_else(|| {
            query
                .iter()
                .find(|(k, _)| k == "ks")
                .map(|(_, v)| v.clone())
        })
        .filter(|k| !k.is_empty());
    let session = match ks {
        Some(ks) => match sessions::check_ks(config, &ks, now) {
            // A KS of another partner is disregarded, as the server does.
            Ok(s) if s.partner_id == partner => Some(s),
            Ok(_) => None,
            Err(e) if e.args.iter().any(|(_, v)| v == "-5") => {
                return Some(Delivered::Error(External::KS_EXPIRED))
            }
            Err(_) => return Some(Delivered::Error(External::INVALID_KS)),
        },
        None => None,
    };
    let entry_id = pair(&pairs, &["entryid", "entry_id"]).unwrap_or_default();
    let Some(data) = data else {
        return Some(Delivered::Error(External::ENTRY_NOT_FOUND));
    };
    let entry = match data.entries.get(entry_id) {
        Some(e) if e["status"].as_str() != Some("3") => e,
        _ => return Some(Delivered::Error(External::ENTRY_NOT_FOUND)),
    };
    let anonymous = Session {
        partner_id: partner,
        ..Default::default()
    };
    let ent = Entitlement::of(config, session.as_ref().unwrap_or(&anonymous));
    if !ent.entry(data, entry) {
        return Some(Delivered::Error(External::ENTRY_NOT_FOUND));
    }
    let of_entry = |table: &crate::store::Table| -> Option<Value> {
        table
            .values()
            .find(|a| a["entryId"].as_str() == Some(entry_id))
            .cloned()
    };
    if kind == "thumbnail" {
        let bytes = of_entry(&data.thumbs)
            .and_then(|t| data.asset_bytes.get(t["id"].as_str()?).cloned())
            .unwrap_or_else(|| vec![0xFF, 0xD8, 0xFF, 0xD9]);
        return Some(Delivered::Bytes {
            bytes,
            content_type: "image/jpeg".into(),
        });
    }
    let allowed = if kind == "raw" {
        entitlement::may_download(session.as_ref(), entry, now)
    } else {
        entitlement::may_play(session.as_ref(), entry, now)
    };
    if !allowed {
        return Some(Delivered::Error(External::NOT_SCHEDULED_NOW));
    }
    let wanted = pair(&pairs, &["flavorid", "flavorids"]).map(|f| f.split(',').next().unwrap_or(f));
    let flavor = match wanted {
        Some(id) => data
            .flavors
            .get(id)
            .filter(|f| f["entryId"].as_str() == Some(entry_id))
            .cloned(),
        None => of_entry(&data.flavors),
    };
    let Some(flavor) = flavor else {
        return Some(Delivered::Error(External::FLAVOR_NOT_FOUND));
    };
    let flavor_id = flavor["id"].as_str().unwrap_or_default();
    let ext = flavor["fileExt"].as_str().unwrap_or("mp4");
    let format = pair(&pairs, &["format"]).unwrap_or("url");
    if kind == "playManifest" && matches!(format, "applehttp" | "mpegdash") {
        let mut url = format!(
            "/p/{partner}/sp/{partner}00/playManifest/entryId/{entry_id}/flavorId/{flavor_id}/format/url/protocol/http"
        );
        if let Some(ks) = pair(&pairs, &["ks"]).map(str::to_string).or_else(|| {
            query
                .iter()
                .find(|(k, _)| k == "ks")
                .map(|(_, v)| v.clone())
        }) {
            url.push_str(&format!("/ks/{ks}"));
        }
        url.push_str(&format!("/a.{ext}"));
        let (text, content_type) = if format == "applehttp" {
            (
                format!("#EXTM3U\n#EXT-X-STREAM-INF:PROGRAM-ID=1,BANDWIDTH=1000000\n{url}\n"),
                "application/vnd.apple.mpegurl",
            )
        } else {
            (
                format!(
                    "<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\">\
<Period><AdaptationSet><Representation id=\"{flavor_id}\" bandwidth=\"1000000\">\
<BaseURL>{url}</BaseURL></Representation></AdaptationSet></Period></MPD>\n"
                ),
                "application/dash+xml",
            )
        };
        return Some(Delivered::Bytes {
            bytes: text.into_bytes(),
            content_type: content_type.into(),
        });
    }
    Some(Delivered::Bytes {
        bytes: data.asset_bytes.get(flavor_id).cloned().unwrap_or_default(),
        content_type: content_type_of(ext).into(),
    })
}

/// The HTTP answer for what was delivered.
pub fn response(d: Delivered) -> HttpResponse {
    match d {
        Delivered::Bytes {
            bytes,
            content_type,
        } => HttpResponse::new(200, &content_type, bytes),
        Delivered::Error(e) => {
            let mut r = HttpResponse::new(e.status, "text/plain", Vec::new());
            r.headers.extend(e.headers());
            r
        }
        Delivered::NotFound => HttpResponse::new(404, "text/plain", b"no such asset".to_vec()),
    }
}
