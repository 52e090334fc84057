//! Wire conformance with the vendor's clients, case by case from
//! `tests/data/conformance/cases/` (see its README and PROTOCOL.md).
//!
//! For every case file, the call it describes is made with our typed API (the one
//! per-case part: [`drive`]) against a local stand-in server that answers the way the
//! case's recording server did (same bodies, gzip, HTTP status, dropped connection,
//! raw file). Then, generically:
//!
//! * every request we sent is compared with the Node client's (`format=1`, native
//!   JSON scalars): same path, same parameters and values after dropping `kalsig`,
//!   the values of `clientTag`/`apiVersion`, Node's per-item `format`; with Python's
//!   `<prop>__null` markers added (Node cannot send them); parameters we leave out are
//!   accepted only when the schema's default is the value Node sent. Multipart
//!   bodies: same parts, names, filenames, content types and sizes.
//! * what we decoded is compared with the case's canonical answer (nulls absent,
//!   lenient scalars), or with its error; a property we drop must be one our schema
//!   does not have.
//! * a serve URL is compared with the one the Python client built.
//!
//! A new case file with no entry in [`drive`] fails the test, naming it.

use kaltura_client::codec::{encode_full, Encode};
use kaltura_client::types::*;
use kaltura_client::{Client, Error, Field, FileParam, Proxy, ServeUrl, ServedFile};
use kaltura_tests::standin::{Recorded, Reply, StandIn};
use kaltura_tests::wire::{
    diff, diff_decoded, merge_nulls, normalize_common, query_pairs, scalar_eq, Scalars,
};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What one call of a case gave.
enum Outcome {
    Value(Value),
    Failed(Error),
    Multi(Vec<Result<Value, Error>>),
    File(ServedFile),
    Url(ServeUrl),
}

fn value<T: Encode>(r: Result<T, Error>) -> Outcome {
    match r {
        Ok(v) => Outcome::Value(encode_full(&v)),
        Err(e) => Outcome::Failed(e),
    }
}

/// The case table: how to make each case's calls with the typed API. `files` holds
/// the upload fixtures, named as in the case.
async fn drive(name: &str, client: &Client, files: &Path) -> Option<Vec<Outcome>> {
    let media_get = |id: &str| client.media().get(id);
    Some(match name {
        "action_bool_float_enum_object_params" => vec![value(
            client
                .live_stream()
                .append_recording(
                    "1_live0001",
                    "1_asset001",
                    KalturaEntryServerNodeType::LivePrimary,
                    KalturaServerFileResource {
                        local_file_path: "/web/content/rec/1_live0001.mp4".into(),
                        keep_original_file: true.into(),
                        ..Default::default()
                    },
                    12.75,
                )
                .is_last_chunk(true)
                .await,
        )],
        "base_entry_get_polymorphic" => {
            let r = client.base_entry().get("1_live0001").await;
            if let Ok(entry) = &r {
                // The declared KalturaBaseEntry arrives as the subclass the server sent.
                assert!(
                    matches!(entry, KalturaBaseEntryAny::KalturaLiveStreamEntry(_)),
                    "decoded as {}",
                    entry.object_type()
                );
            }
            vec![value(r)]
        }
        "empty_array_param" => vec![value(
            client
                .media()
                .convert("0_abc123xy")
                .conversion_profile_id(8)
                .dynamic_conversion_attributes(Vec::<KalturaConversionAttribute>::new())
                .await,
        )],
        "error_single_call" => vec![value(media_get("0_missing0").await)],
        "http_error_status" | "media_get" | "transport_failure_retry" => {
            vec![value(media_get("0_abc123xy").await)]
        }
        "media_add_nested_object" => {
            let clip = |offset: i64, duration: i64| -> KalturaOperationAttributesAny {
                KalturaClipAttributes {
                    offset: offset.into(),
                    duration: duration.into(),
                    ..Default::default()
                }
                .into()
            };
            vec![value(
                client
                    .media()
                    .add(KalturaMediaEntry {
                        name: "Conformance upload éè ✓".into(),
                        description: "multi\nline & <markup>".into(),
                        media_type: KalturaMediaType::Video.into(),
                        reference_id: "ext-42".into(),
                        tags: "a,b".into(),
                        conversion_profile_id: 8.into(),
                        start_date: 1700000000.into(),
                        block_auto_transcript: true.into(),
                        operation_attributes: vec![clip(1000, 5000), clip(9000, 2500)].into(),
                        ..Default::default()
                    })
                    .await,
            )]
        }
        "media_list_filter_pager" => vec![value(
            client
                .media()
                .list()
                .filter(KalturaMediaEntryFilter {
                    media_type_equal: KalturaMediaType::Video.into(),
                    status_in: "2,4".into(),
                    created_at_greater_than_or_equal: 1690000000.into(),
                    name_like: "demo".into(),
                    order_by: "-createdAt".into(),
                    ..Default::default()
                })
                .pager(KalturaFilterPager {
                    page_size: 30.into(),
                    page_index: 2.into(),
                    ..Default::default()
                })
                .await,
        )],
        "media_update_set_null" => vec![value(
            client
                .media()
                .update(
                    "0_abc123xy",
                    KalturaMediaEntry {
                        description: Field::Null,
                        reference_id: Field::Null,
                        tags: "updated".into(),
                        block_auto_transcript: false.into(),
                        ..Default::default()
                    },
                )
                .await,
        )],
        "multirequest_chained" => {
            let mut mr = client.multirequest();
            let added = mr.add(client.media().add(KalturaMediaEntry {
                name: "MR entry".into(),
                media_type: KalturaMediaType::Video.into(),
                ..Default::default()
            }));
            let fetched = mr.add(client.media().get(added.field("id")));
            let linked = mr.add(client.category_entry().add(KalturaCategoryEntry {
                entry_id: added.field("id").into(),
                category_id: 77.into(),
                ..Default::default()
            }));
            match mr.await {
                Ok(r) => vec![Outcome::Multi(vec![
                    r.get(&added).map(|v| encode_full(&v)),
                    r.get(&fetched).map(|v| encode_full(&v)),
                    r.get(&linked).map(|v| encode_full(&v)),
                ])],
                Err(e) => vec![Outcome::Failed(e)],
            }
        }
        "response_profile" => {
            let profile = KalturaDetachedResponseProfile {
                name: "entryWithMetadata".into(),
                r#type: KalturaResponseProfileType::IncludeFields.into(),
                fields: "id,name,status".into(),
                related_profiles: vec![KalturaDetachedResponseProfile {
                    name: "metadata".into(),
                    filter: KalturaRelatedFilterAny::from(KalturaMetadataFilter {
                        metadata_object_type_equal: KalturaMetadataObjectType::Entry.into(),
                        ..Default::default()
                    })
                    .into(),
                    mappings: vec![KalturaResponseProfileMapping {
                        parent_property: "id".into(),
                        filter_property: "objectIdEqual".into(),
                        ..Default::default()
                    }
                    .into()]
                    .into(),
                    ..Default::default()
                }
                .into()]
                .into(),
                ..Default::default()
            };
            let first = media_get("0_abc123xy")
                .with_response_profile(&profile)
                .await;
            vec![value(first), value(media_get("0_abc123xy").await)]
        }
        "serve_action_thumbasset" => {
            let serve = || {
                client
                    .thumb_asset()
                    .serve("0_thumb001")
                    .thumb_params(KalturaThumbParams {
                        width: 320.into(),
                        height: 180.into(),
                        ..Default::default()
                    })
            };
            let url = match client.serve_url(serve()) {
                Ok(u) => Outcome::Url(u),
                Err(e) => Outcome::Failed(e),
            };
            let file = match serve().await {
                Ok(f) => Outcome::File(f),
                Err(e) => Outcome::Failed(e),
            };
            vec![url, file]
        }
        "session_start_admin" => vec![value(
            client
                .session()
                .start("ADMIN_SECRET_abc123")
                .user_id("admin@example.com")
                .r#type(KalturaSessionType::Admin)
                .partner_id(1234567)
                .expiry(86400)
                .privileges("disableentitlement,privacycontext:MediaSpace")
                .await,
        )],
        "upload_token_add_and_upload" => {
            let add = client
                .upload_token()
                .add()
                .upload_token(KalturaUploadToken {
                    file_name: "clip.mp4".into(),
                    file_size: 1536.0.into(),
                    ..Default::default()
                })
                .await;
            let first = client
                .upload_token()
                .upload("1_tok00001", FileParam::path(files.join("clip.mp4")))
                .resume(false)
                .final_chunk(false)
                .resume_at(0.0)
                .await;
            let second = client
                .upload_token()
                .upload("1_tok00001", FileParam::path(files.join("clip-tail.bin")))
                .resume(true)
                .final_chunk(true)
                .resume_at(1024.0)
                .await;
            vec![value(add), value(first), value(second)]
        }
        "user_login_by_login_id" => vec![value(
            client
                .user()
                .login_by_login_id("jane@example.com", "p@ss w0rd&<\"'>")
                .partner_id(1234567)
                .expiry(3600)
                .privileges("*")
                .await,
        )],
        _ => return None,
    })
}

/// What the case says a call should give.
enum Expected {
    Value(Value),
    Api {
        code: String,
        message: String,
        args: BTreeMap<String, String>,
    },
    Transport,
    File {
        content_type: String,
        bytes: Vec<u8>,
    },
    Multi(Vec<Expected>),
}

fn expected_from_canonical(canonical: &Value) -> Expected {
    if let Some(items) = canonical.get("__multirequest__").and_then(Value::as_array) {
        return Expected::Multi(items.iter().map(expected_from_canonical).collect());
    }
    if canonical.get("objectType").and_then(Value::as_str) == Some("KalturaAPIException") {
        let text = |k: &str| canonical[k].as_str().unwrap_or_default().to_string();
        let args = canonical
            .get("args")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        return Expected::Api {
            code: text("code"),
            message: text("message"),
            args,
        };
    }
    Expected::Value(canonical.clone())
}

/// `uploadtoken/add` from `/api_v3/service/uploadtoken/action/add`.
fn action_key(path: &str) -> String {
    let s: Vec<&str> = path.split('/').collect();
    match s.iter().position(|x| *x == "service") {
        Some(i) => s[i + 1..]
            .iter()
            .filter(|x| **x != "action")
            .copied()
            .collect::<Vec<_>>()
            .join("/"),
        None => path.to_string(),
    }
}

fn expected_for(case: &Value, index: usize, path: &str) -> Expected {
    let response = &case["response"];
    let behaviour = &response["server_behaviour"];
    if (index as u64) < behaviour["drop_first"].as_u64().unwrap_or(0) {
        return Expected::Transport;
    }
    if let Some(b64) = response["raw_body_base64"].as_str() {
        use base64::Engine;
        return Expected::File {
            content_type: response["raw_content_type"].as_str().unwrap_or("").into(),
            bytes: base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap_or_default(),
        };
    }
    let canonical = match response.get("per_action") {
        Some(per) => &per[action_key(path)]["canonical"],
        None => &response["canonical"],
    };
    expected_from_canonical(canonical)
}

/// The stand-in's answers, as the case's recording server gave them.
fn reply_for(case: &Value, index: usize, request: &Recorded) -> Reply {
    let response = &case["response"];
    let behaviour = &response["server_behaviour"];
    if (index as u64) < behaviour["drop_first"].as_u64().unwrap_or(0) {
        return Reply::Drop;
    }
    if let Some(b64) = response["raw_body_base64"].as_str() {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap_or_default();
        return Reply::raw(
            200,
            response["raw_content_type"]
                .as_str()
                .unwrap_or("application/octet-stream"),
            bytes,
        );
    }
    let body = match response.get("per_action") {
        Some(per) => per[action_key(&request.path)]["format1_json_body"].as_str(),
        None => response["format1_json_body"].as_str(),
    };
    let mut reply = Reply::json(body.unwrap_or("").to_string());
    if let Some(status) = behaviour["http_status"].as_u64() {
        reply = reply.with_status(status as u16);
    }
    if behaviour["gzip"].as_bool() == Some(true) {
        reply = reply.gzipped();
    }
    reply
}

/// What the schema knows: parameter defaults and class properties.
struct Schema(kaltura_schema::Model);

impl Schema {
    fn default_of(&self, service: &str, action: &str, param: &str) -> Option<Value> {
        let svc = self.0.services.iter().find(|s| s.id == service)?;
        let act = svc.actions.iter().find(|a| a.name == action)?;
        let p = act.params.iter().find(|p| p.name == param)?;
        let d = p.default.as_deref()?;
        Some(match d {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            other => other
                .parse::<i64>()
                .map(Value::from)
                .or_else(|_| other.parse::<f64>().map(Value::from))
                .unwrap_or_else(|_| Value::String(other.to_string())),
        })
    }

    fn has_property(&self, class: &str, property: &str) -> bool {
        // Every object is a `KalturaObject` on the server (`relatedObjects`), though
        // the schema does not list it as a base class.
        let object = self.0.class_id("KalturaObject");
        if object.is_some_and(|id| {
            self.0
                .class(id)
                .properties
                .iter()
                .any(|p| p.name == property)
        }) {
            return true;
        }
        match self.0.class_id(class) {
            Some(id) => self.0.all_properties(id).iter().any(|p| p.name == property),
            // A class we don't know at all: nothing to check against.
            None => false,
        }
    }
}

/// Compares the parameters of one call (top level, or one multirequest item).
fn compare_params(
    schema: &Schema,
    (service, action): (&str, &str),
    ours: &Map<String, Value>,
    theirs: &Map<String, Value>,
    at: &str,
    problems: &mut Vec<String>,
    notes: &mut Vec<String>,
) {
    let mut theirs = theirs.clone();
    for (k, v) in theirs.clone() {
        if ours.contains_key(&k) || k.parse::<usize>().is_ok() {
            continue;
        }
        match schema.default_of(service, action, &k) {
            Some(d) if scalar_eq(&d, &v, Scalars::Lenient) => {
                notes.push(format!(
                    "{at}.{k}: left to the server's default ({v}), Node sends it"
                ));
                theirs.remove(&k);
            }
            _ => {}
        }
    }
    let mut ours_top = ours.clone();
    let mut theirs_top = theirs;
    ours_top.retain(|k, _| k.parse::<usize>().is_err());
    theirs_top.retain(|k, _| k.parse::<usize>().is_err());
    let mut d = Vec::new();
    diff(
        &Value::Object(ours_top),
        &Value::Object(theirs_top),
        at,
        Scalars::Request,
        &mut d,
    );
    problems.extend(d);
}

#[allow(clippy::too_many_arguments)]
fn compare_request(
    schema: &Schema,
    index: usize,
    ours: &Recorded,
    node: &Value,
    python: Option<&Value>,
    files: &Path,
    problems: &mut Vec<String>,
    notes: &mut Vec<String>,
) {
    let at = format!("request {index}");
    if ours.method != "POST" || node["method"] != "POST" {
        problems.push(format!("{at}: method {}", ours.method));
    }
    if ours.path != node["path"].as_str().unwrap_or("") {
        problems.push(format!("{at}: path {}, Node {}", ours.path, node["path"]));
    }
    if !ours.query.is_empty() {
        problems.push(format!("{at}: query string {:?}", ours.query));
    }
    if ours.header("accept") != Some("application/json") {
        problems.push(format!("{at}: Accept {:?}", ours.header("accept")));
    }
    let kind = node["body_kind"].as_str().unwrap_or("");
    let (mut ours_json, mut theirs_json) = match kind {
        "json" => {
            if ours.content_type() != "application/json" {
                problems.push(format!("{at}: content type {}", ours.content_type()));
            }
            (ours.json(), node["body_json"].clone())
        }
        "multipart" => {
            let theirs_parts = node["multipart"]["parts"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let Some(parts) = ours.parts() else {
                problems.push(format!(
                    "{at}: not a multipart body ({})",
                    ours.content_type()
                ));
                return;
            };
            if parts.len() != theirs_parts.len() {
                problems.push(format!(
                    "{at}: {} parts, Node {}",
                    parts.len(),
                    theirs_parts.len()
                ));
            }
            if parts.first().map(|p| p.name.as_str()) != Some("json") {
                problems.push(format!("{at}: the json part must come first"));
            }
            let mut json = Value::Null;
            for (p, t) in parts.iter().zip(&theirs_parts) {
                if p.name != t["name"].as_str().unwrap_or("") {
                    problems.push(format!("{at}: part `{}`, Node `{}`", p.name, t["name"]));
                }
                if p.filename.as_deref() != t["filename"].as_str() {
                    problems.push(format!(
                        "{at}: part `{}` filename {:?}, Node {}",
                        p.name, p.filename, t["filename"]
                    ));
                }
                let their_type = t["headers"]
                    .as_array()
                    .and_then(|h| {
                        h.iter().find(|kv| {
                            kv[0]
                                .as_str()
                                .is_some_and(|k| k.eq_ignore_ascii_case("content-type"))
                        })
                    })
                    .and_then(|kv| kv[1].as_str());
                // Node sends every file as application/octet-stream; the vendor's
                // Python client, like ours, guesses the type from the file name's
                // extension (PROTOCOL.md, "Multipart"). A file part is held to that rule.
                let guessed = p
                    .filename
                    .as_deref()
                    .filter(|_| p.name != "json")
                    .map(kaltura_client::request::content_type_for);
                let expected_type = guessed.or(their_type);
                if p.content_type.as_deref() != expected_type {
                    problems.push(format!(
                        "{at}: part `{}` content type {:?}, expected {expected_type:?} (Node {their_type:?})",
                        p.name, p.content_type
                    ));
                }
                if p.name == "json" {
                    json = serde_json::from_slice(&p.body).unwrap_or(Value::Null);
                } else {
                    if Some(p.body.len() as u64) != t["size"].as_u64() {
                        problems.push(format!(
                            "{at}: part `{}` has {} bytes, Node {}",
                            p.name,
                            p.body.len(),
                            t["size"]
                        ));
                    }
                    let sent = p
                        .filename
                        .as_deref()
                        .and_then(|f| std::fs::read(files.join(f)).ok());
                    if sent.as_deref() != Some(&p.body[..]) {
                        problems.push(format!("{at}: part `{}` is not the file's bytes", p.name));
                    }
                }
            }
            let theirs = theirs_parts
                .iter()
                .find(|t| t["name"] == "json")
                .map(|t| t["json"].clone())
                .unwrap_or(Value::Null);
            (Some(json), theirs)
        }
        other => {
            problems.push(format!("{at}: Node body kind {other}"));
            return;
        }
    };
    let Some(Value::Object(ours_map)) = ours_json.as_mut() else {
        problems.push(format!("{at}: our body is not a JSON object"));
        return;
    };
    let Value::Object(theirs_map) = &mut theirs_json else {
        problems.push(format!("{at}: Node body is not a JSON object"));
        return;
    };
    normalize_common(ours_map, true, problems);
    normalize_common(theirs_map, false, &mut Vec::new());
    if let Some(py) = python {
        let py_json = match kind {
            "json" => py["body_json"].clone(),
            _ => Value::Null,
        };
        merge_nulls(&mut theirs_json, &py_json);
    }
    let Value::Object(theirs_map) = &theirs_json else {
        return;
    };
    let (service, action) = {
        let key = action_key(&ours.path);
        let mut s = key.splitn(2, '/');
        (
            s.next().unwrap_or("").to_string(),
            s.next().unwrap_or("").to_string(),
        )
    };
    compare_params(
        schema,
        (&service, &action),
        ours_map,
        theirs_map,
        &at,
        problems,
        notes,
    );
    // Multirequest items.
    for (k, t) in theirs_map {
        if k.parse::<usize>().is_err() {
            continue;
        }
        let (Some(Value::Object(o)), Value::Object(t)) = (ours_map.get(k), t) else {
            problems.push(format!("{at}: item {k} missing or not an object"));
            continue;
        };
        let svc = t["service"].as_str().unwrap_or("");
        let act = t["action"].as_str().unwrap_or("");
        compare_params(
            schema,
            (svc, act),
            o,
            t,
            &format!("{at} item {k}"),
            problems,
            notes,
        );
    }
    for k in ours_map.keys() {
        if k.parse::<usize>().is_ok() && !theirs_map.contains_key(k) {
            problems.push(format!("{at}: extra item {k}"));
        }
    }
}

fn compare_outcome(
    schema: &Schema,
    at: &str,
    ours: Result<&Value, &Error>,
    expected: &Expected,
    problems: &mut Vec<String>,
    notes: &mut Vec<String>,
) {
    let known = |class: &str, prop: &str| schema.has_property(class, prop);
    match (ours, expected) {
        (Ok(v), Expected::Value(c)) => {
            diff_decoded(v, c, &format!("{at}: result"), &known, problems, notes)
        }
        (
            Err(Error::Api(e)),
            Expected::Api {
                code,
                message,
                args,
            },
        ) => {
            if &e.code != code || &e.message != message || &e.args != args {
                problems.push(format!(
                    "{at}: API error {e:?}, expected {code}: {message} {args:?}"
                ));
            }
        }
        (Err(Error::Transport { .. }), Expected::Transport) => {}
        (Ok(v), _) => problems.push(format!("{at}: succeeded with {v}, expected a failure")),
        (Err(e), _) => problems.push(format!("{at}: failed: {e}")),
    }
}

fn compare_url(url: &ServeUrl, python: &str, port: u16, problems: &mut Vec<String>) {
    let theirs = python.replace("<PORT>", &port.to_string());
    let base = |u: &str| u.split('?').next().unwrap_or("").to_string();
    if base(url.as_str()) != base(&theirs) {
        problems.push(format!(
            "serve URL base {}, Python {}",
            base(url.as_str()),
            base(&theirs)
        ));
    }
    let clean = |u: &str, ours: bool, problems: &mut Vec<String>| {
        let mut pairs = query_pairs(u);
        for key in ["clientTag", "apiVersion"] {
            if !pairs.iter().any(|(k, _)| k == key) {
                problems.push(format!("serve URL: no {key}"));
            }
        }
        if ours && !pairs.iter().any(|(k, v)| k == "format" && v == "1") {
            problems.push("serve URL: format is not 1".into());
        }
        pairs.retain(|(k, _)| {
            !["kalsig", "clientTag", "apiVersion", "format"].contains(&k.as_str())
        });
        pairs.sort();
        pairs
    };
    let ours_pairs = clean(url.as_str(), true, problems);
    let theirs_pairs = clean(&theirs, false, &mut Vec::new());
    if ours_pairs != theirs_pairs {
        problems.push(format!(
            "serve URL query {ours_pairs:?}, Python {theirs_pairs:?}"
        ));
    }
    if format!("{url:?}").contains("ks=djJ8") {
        problems.push("serve URL Debug shows the KS".into());
    }
}

/// Makes the upload fixtures a case names (Node's file parts: filename and size).
fn make_fixtures(case: &Value, dir: &Path) {
    for req in case["node"]["requests"].as_array().into_iter().flatten() {
        for part in req["multipart"]["parts"].as_array().into_iter().flatten() {
            if let (Some(name), Some(size)) = (part["filename"].as_str(), part["size"].as_u64()) {
                let bytes: Vec<u8> = (0..size).map(|i| (i * 31 + 7) as u8).collect();
                std::fs::write(dir.join(name), bytes).expect("write fixture");
            }
        }
    }
}

/// Differences that wait for a change outside the runtime: (case, start of the
/// problem, why). They are printed, not failed.
const KNOWN_GAPS: &[(&str, &str, &str)] = &[];

struct CaseReport {
    name: String,
    problems: Vec<String>,
    notes: Vec<String>,
}

async fn run_case(schema: &Schema, path: &PathBuf) -> CaseReport {
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let node_requests = case["node"]["requests"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let python_requests = case["python"]["requests"]
        .as_array()
        .cloned()
        .unwrap_or_default();

    let server = {
        let case = case.clone();
        let count = std::sync::atomic::AtomicUsize::new(0);
        StandIn::start(move |req| {
            let i = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            reply_for(&case, i, req)
        })
        .await
    };
    let mut builder = Client::builder(server.url())
        .proxy(Proxy::Disabled)
        .timeout(Duration::from_secs(10));
    // The KS the vendor clients had set, if any (none before session.start).
    if let Some(ks) = node_requests.first().and_then(|r| {
        r["body_json"]["ks"]
            .as_str()
            .or(r["multipart"]["parts"][0]["json"]["ks"].as_str())
    }) {
        builder = builder.ks(ks);
    }
    let client = builder.build().unwrap();
    let files = tempfile::tempdir().unwrap();
    make_fixtures(&case, files.path());

    let Some(outcomes) = drive(&name, &client, files.path()).await else {
        problems.push("no entry in the case table (`drive` in tests/tests/conformance.rs)".into());
        return CaseReport {
            name,
            problems,
            notes,
        };
    };
    let recorded = server.requests();

    // Requests.
    if recorded.len() != node_requests.len() {
        problems.push(format!(
            "{} requests sent, Node sent {}",
            recorded.len(),
            node_requests.len()
        ));
    }
    for (i, (ours, node)) in recorded.iter().zip(&node_requests).enumerate() {
        compare_request(
            schema,
            i,
            ours,
            node,
            python_requests.get(i),
            files.path(),
            &mut problems,
            &mut notes,
        );
    }

    // Results.
    let mut calls = 0;
    for outcome in &outcomes {
        if let Outcome::Url(url) = outcome {
            match case["python"]["parsed_result"].as_str() {
                Some(py) => compare_url(url, py, server.port(), &mut problems),
                None => problems.push("a serve URL, but Python built none".into()),
            }
            continue;
        }
        let path = recorded
            .get(calls)
            .map(|r| r.path.clone())
            .unwrap_or_default();
        let expected = expected_for(&case, calls, &path);
        let at = format!("call {calls}");
        calls += 1;
        match (outcome, &expected) {
            (
                Outcome::File(f),
                Expected::File {
                    content_type,
                    bytes,
                },
            ) => {
                if f.bytes.as_ref() != bytes.as_slice()
                    || f.content_type.as_deref() != Some(content_type)
                {
                    problems.push(format!(
                        "{at}: served file {f:?}, expected {} bytes of {content_type}",
                        bytes.len()
                    ));
                }
            }
            (Outcome::Multi(items), Expected::Multi(exp)) => {
                if items.len() != exp.len() {
                    problems.push(format!(
                        "{at}: {} results, expected {}",
                        items.len(),
                        exp.len()
                    ));
                }
                for (j, (item, e)) in items.iter().zip(exp).enumerate() {
                    compare_outcome(
                        schema,
                        &format!("{at} item {j}"),
                        item.as_ref(),
                        e,
                        &mut problems,
                        &mut notes,
                    );
                }
            }
            (Outcome::Value(v), e) => {
                compare_outcome(schema, &at, Ok(v), e, &mut problems, &mut notes)
            }
            (Outcome::Failed(err), e) => {
                compare_outcome(schema, &at, Err(err), e, &mut problems, &mut notes)
            }
            (_, _) => problems.push(format!("{at}: the outcome's kind differs from the case's")),
        }
    }
    if calls != recorded.len() && !problems.iter().any(|p| p.contains("requests sent")) {
        problems.push(format!("{calls} results for {} requests", recorded.len()));
    }
    problems.retain(|p| {
        match KNOWN_GAPS
            .iter()
            .find(|(case, start, _)| *case == name && p.contains(start))
        {
            Some((_, _, why)) => {
                notes.push(format!("KNOWN GAP: {p} ({why})"));
                false
            }
            None => true,
        }
    });
    CaseReport {
        name,
        problems,
        notes,
    }
}

#[tokio::test]
async fn every_case_matches_the_vendor_clients() {
    let dir = kaltura_tests::data_file("conformance/cases");
    let schema_path = kaltura_tests::real_schema("ovp");
    let text = std::fs::read_to_string(&schema_path).unwrap();
    let schema = Schema(kaltura_schema::parse(&text, "KalturaClient.xml").unwrap());

    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no case files in {}", dir.display());

    let mut failed = Vec::new();
    println!("\nconformance cases ({}):", cases.len());
    for path in &cases {
        let report = run_case(&schema, path).await;
        let verdict = if report.problems.is_empty() {
            "pass"
        } else {
            "FAIL"
        };
        println!("  {verdict}  {}", report.name);
        for n in &report.notes {
            println!("          note: {n}");
        }
        for p in &report.problems {
            println!("          problem: {p}");
        }
        if !report.problems.is_empty() {
            failed.push(report.name);
        }
    }
    assert!(
        failed.is_empty(),
        "cases that differ from the vendor clients: {failed:?}"
    );
}
