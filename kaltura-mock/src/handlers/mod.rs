//! The actions the mock keeps state for; every other action answers the default
//! value of its declared type ([`crate::defaults`]).

mod app_tokens;
mod assets;
mod categories;
mod entries;
mod esearch;
mod metadata;
mod uploads;
mod users;

use crate::config::Config;
use crate::defaults;
use crate::errors::ApiError;
use crate::params::FilePart;
use crate::sessions::{self, Session};
use crate::store::{list, PartnerData, Store, Table};
use kaltura_runtime::meta::{ActionMeta, Api};
use serde_json::{json, Map, Value};

/// What an action answers.
#[derive(Debug, Clone)]
pub enum Answer {
    Value(Value),
    /// A served file (`thumbAsset.serve`), sent as is.
    File {
        bytes: Vec<u8>,
        content_type: String,
    },
    /// A delivery error (`KExternalErrors`): an empty answer with its headers.
    External(crate::entitlement::External),
}

/// Everything an action runs with.
pub struct Ctx<'a> {
    pub api: &'static Api,
    pub config: &'a Config,
    pub store: &'a mut Store,
    pub session: &'a Session,
    pub files: &'a dyn Fn(&str) -> Option<FilePart>,
    pub notes: &'a mut Vec<String>,
    pub now: i64,
    pub base_url: &'a str,
    pub service: &'a str,
    pub action: &'a ActionMeta,
}

impl Ctx<'_> {
    /// What entitlement means for this call's session.
    pub fn entitlement(&self) -> crate::entitlement::Entitlement {
        crate::entitlement::Entitlement::of(self.config, self.session)
    }

    /// Whether the session may see `entry` (entitlement).
    pub fn entry_visible(&mut self, entry: &Value) -> bool {
        let ent = self.entitlement();
        !ent.enforced || ent.entry(self.data(), entry)
    }

    pub fn data(&mut self) -> &mut PartnerData {
        let id = self.session.partner_id;
        self.store.partner(id)
    }

    /// One page of the stored objects of one table that `keep` lets through, as the
    /// action's list response. The table is lent out while the page is made, since
    /// the page borrows it and making it needs the context.
    pub fn list_table(
        &mut self,
        table: fn(&mut PartnerData) -> &mut Table,
        keep: impl Fn(&Value) -> bool,
        args: &Map<String, Value>,
        default_order: &str,
    ) -> Result<Answer, ApiError> {
        let objects = std::mem::take(table(self.data()));
        let result = self.list(
            objects.values().filter(|o| keep(o)).collect(),
            args,
            default_order,
        );
        *table(self.data()) = objects;
        result
    }

    /// One page of `objects` as the action's list response.
    pub fn list(
        &mut self,
        objects: Vec<&Value>,
        args: &Map<String, Value>,
        default_order: &str,
    ) -> Result<Answer, ApiError> {
        let page = list::page(
            objects,
            args.get("filter"),
            args.get("pager"),
            default_order,
            self.notes,
        )?;
        let class = match &self.action.result {
            Some(kaltura_runtime::meta::TypeMeta::Object(c)) => c.clone(),
            _ => "KalturaListResponse".into(),
        };
        Ok(Answer::Value(defaults::list_response(
            self.api,
            &class,
            page.objects,
            page.total_count,
        )))
    }
}

pub fn str_arg<'v>(args: &'v Map<String, Value>, name: &str) -> &'v str {
    args.get(name).and_then(Value::as_str).unwrap_or("")
}

pub fn int_arg(args: &Map<String, Value>, name: &str) -> Option<i64> {
    args.get(name).and_then(Value::as_i64)
}

/// Sets the members of `update` on `stored` (`null` removes one), keeping its class.
pub fn merge(stored: &mut Value, update: &Value) {
    if let (Value::Object(s), Value::Object(u)) = (stored, update) {
        for (k, v) in u {
            if k == "objectType" {
                continue;
            }
            if v.is_null() {
                s.remove(k);
            } else {
                s.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Runs an action: the stateful ones here, every other one its default answer.
pub fn run(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Answer, ApiError> {
    let service = ctx.service.to_ascii_lowercase();
    let action = ctx.action.name.clone();
    let handled = match service.as_str() {
        "session" => session(ctx, &action, args),
        "system" => system(ctx, &action),
        "media" | "baseentry" => entries::run(ctx, &action, args),
        "user" => users::run(ctx, &action, args),
        "category" => categories::run(ctx, &action, args),
        "categoryentry" => categories::run_entries(ctx, &action, args),
        "uploadtoken" => uploads::run(ctx, &action, args),
        "flavorasset" | "thumbasset" => assets::run(ctx, &service, &action, args),
        "apptoken" => app_tokens::run(ctx, &action, args),
        "elasticsearch_esearch" => esearch::run(ctx, &action, args),
        "metadata_metadata" => metadata::run(ctx, &action, args),
        "metadata_metadataprofile" => metadata::run_profiles(ctx, &action, args),
        _ => None,
    };
    match handled {
        Some(result) => result,
        None => {
            check_inserted_or_updated(ctx, args)?;
            if let Some(added) = echo_added(ctx, args) {
                return Ok(Answer::Value(added));
            }
            Ok(Answer::Value(match &ctx.action.result {
                Some(ty) => defaults::value_of(ctx.api, ty),
                None => Value::Null,
            }))
        }
    }
}

/// For an `add` action the mock keeps no state for: the object sent, of the declared
/// result class, as the server gives it back: with a new id and the partner, the times
/// and the parent ids (`entryId`, ...) the action received, so that a caller can read
/// the id it goes on with. `None` for other actions.
fn echo_added(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Option<Value> {
    use kaltura_runtime::meta::TypeMeta;
    if ctx.action.name != "add" {
        return None;
    }
    let Some(TypeMeta::Object(result)) = &ctx.action.result else {
        return None;
    };
    let sent = ctx.action.params.iter().find_map(|p| match &p.ty {
        TypeMeta::Object(c) if crate::meta::is_a(c, result) || crate::meta::is_a(result, c) => {
            args.get(&p.name).filter(|v| v.is_object())
        }
        _ => None,
    })?;
    let mut out = sent.clone();
    let class = out["objectType"].as_str().unwrap_or(result).to_string();
    let props = crate::meta::properties(&class);
    let has = |name: &str| props.iter().find(|p| p.name == name);
    let (pid, now) = (ctx.session.partner_id, ctx.now);
    let mut set = Map::new();
    if let Some(id) = has("id") {
        let id = match id.ty {
            TypeMeta::Int | TypeMeta::BigInt => json!(ctx.store.next_seq()),
            _ => json!(ctx.store.next_id()),
        };
        set.insert("id".into(), id);
    }
    for (name, value) in [
        ("partnerId", json!(pid)),
        ("createdAt", json!(now)),
        ("updatedAt", json!(now)),
    ] {
        if has(name).is_some() {
            set.insert(name.into(), value);
        }
    }
    for p in &ctx.action.params {
        if has(&p.name).is_some() && !matches!(p.ty, TypeMeta::Object(_)) {
            if let Some(v) = args.get(&p.name) {
                set.insert(p.name.clone(), v.clone());
            }
        }
    }
    merge(&mut out, &Value::Object(set));
    ctx.notes
        .push(format!("{class} added as sent, with an id; not kept"));
    Some(out)
}

/// For the actions the mock keeps no state for: the objects an `add…` or `update…`
/// action receives (not its filters or pagers) may not set read-only properties, nor
/// insert-only ones on update, as the server's insert and update checks refuse them.
/// (With no stored object to compare with, an unchanged value is refused too.)
fn check_inserted_or_updated(ctx: &Ctx<'_>, args: &Map<String, Value>) -> Result<(), ApiError> {
    let name = ctx.action.name.as_str();
    let update = name.starts_with("update");
    if !update && !name.starts_with("add") {
        return Ok(());
    }
    for p in &ctx.action.params {
        let kaltura_runtime::meta::TypeMeta::Object(class) = &p.ty else {
            continue;
        };
        if class.ends_with("Filter") || class.ends_with("Pager") {
            continue;
        }
        if let Some(v) = args.get(&p.name) {
            crate::check::check_writable(v, update, None)?;
        }
    }
    Ok(())
}

fn session(
    ctx: &mut Ctx<'_>,
    action: &str,
    args: &Map<String, Value>,
) -> Option<Result<Answer, ApiError>> {
    Some(match action {
        "start" => sessions::start(ctx.config, args).map(Answer::Value),
        "startWidgetSession" => {
            let widget = str_arg(args, "widgetId");
            let partner = widget
                .strip_prefix('_')
                .and_then(|p| p.parse::<i64>().ok())
                .filter(|p| ctx.config.partner(*p).is_some());
            let Some(partner) = partner else {
                return Some(Err(ApiError::new(
                    crate::errors::codes::INVALID_WIDGET_ID,
                    &[widget],
                )));
            };
            let expiry = int_arg(args, "expiry").unwrap_or(86_400);
            sessions::make_ks(ctx.config, partner, false, "0", expiry, "view:*,widget:1").map(
                |ks| {
                    Answer::Value(json!({
                        "objectType": "KalturaStartWidgetSessionResponse",
                        "partnerId": partner, "ks": ks, "userId": "0",
                    }))
                },
            )
        }
        "get" => Ok(Answer::Value(json!({
            "objectType": "KalturaSessionInfo",
            "ks": ctx.session.ks.clone().unwrap_or_default(),
            "sessionType": if ctx.session.admin { 2 } else { 0 },
            "partnerId": ctx.session.partner_id,
            "userId": ctx.session.user_id,
            "privileges": ctx.session.privileges,
        }))),
        "end" => Ok(Answer::Value(Value::Null)),
        _ => return None,
    })
}

fn system(ctx: &mut Ctx<'_>, action: &str) -> Option<Result<Answer, ApiError>> {
    Some(Ok(Answer::Value(match action {
        "ping" | "pingDatabase" => json!(true),
        "getTime" => json!(ctx.now),
        "getVersion" => json!(ctx.api.api_version),
        _ => return None,
    })))
}
