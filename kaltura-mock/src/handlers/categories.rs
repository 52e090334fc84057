//! `category` (add with its parent and full name, get, list, update, delete) and
//! `categoryEntry` (add, delete, list), keeping an entry's `categories` and
//! `categoriesIds` and a category's `entriesCount` as the server does.

use super::{int_arg, str_arg, Answer, Ctx};
use crate::check::check_writable;
use crate::errors::{codes, ApiError};
use serde_json::{json, Map, Value};

fn not_found(id: i64) -> ApiError {
    ApiError::new(codes::CATEGORY_NOT_FOUND, &[&id.to_string()])
}

fn add(ctx: &mut Ctx<'_>, mut cat: Value) -> Result<Answer, ApiError> {
    check_writable(&cat, false, None)?;
    let name = cat["name"].as_str().unwrap_or_default().to_string();
    if name.is_empty() {
        return Err(ApiError::new(
            codes::CANNOT_BE_NULL,
            &["KalturaCategory::name"],
        ));
    }
    let parent_id = cat.get("parentId").and_then(Value::as_i64).unwrap_or(0);
    let (full_name, full_ids, depth) = if parent_id > 0 {
        let parent = ctx
            .data()
            .categories
            .get(&parent_id.to_string())
            .cloned()
            .ok_or_else(|| {
                ApiError::new(codes::PARENT_CATEGORY_NOT_FOUND, &[&parent_id.to_string()])
            })?;
        (
            format!("{}>{name}", parent["fullName"].as_str().unwrap_or_default()),
            parent["fullIds"].as_str().unwrap_or_default().to_string(),
            parent["depth"].as_i64().unwrap_or(0) + 1,
        )
    } else {
        (name.clone(), String::new(), 0)
    };
    if ctx
        .data()
        .categories
        .values()
        .any(|c| c["fullName"].as_str() == Some(full_name.as_str()))
    {
        return Err(ApiError::new(codes::DUPLICATE_CATEGORY, &[&full_name]));
    }
    let id = ctx.store.next_seq() as i64;
    let full_ids = if full_ids.is_empty() {
        id.to_string()
    } else {
        format!("{full_ids}>{id}")
    };
    let pid = ctx.session.partner_id;
    let now = ctx.now;
    if let Value::Object(m) = &mut cat {
        m.insert("id".into(), json!(id));
        m.insert("parentId".into(), json!(parent_id));
        m.insert("depth".into(), json!(depth));
        m.insert("partnerId".into(), json!(pid));
        m.insert("fullName".into(), json!(full_name));
        m.insert("fullIds".into(), json!(full_ids));
        m.insert("entriesCount".into(), json!(0));
        m.insert("status".into(), json!(2));
        m.insert("createdAt".into(), json!(now));
        m.insert("updatedAt".into(), json!(now));
    }
    ctx.data().categories.insert(&id.to_string(), cat.clone());
    Ok(Answer::Value(cat))
}

pub fn run(
    ctx: &mut Ctx<'_>,
    action: &str,
    args: &Map<String, Value>,
) -> Option<Result<Answer, ApiError>> {
    let id = int_arg(args, "id").unwrap_or(0);
    // A category the session is not entitled to is one that does not exist.
    let ent = ctx.entitlement();
    if matches!(action, "get" | "update" | "delete") {
        let hidden = ctx
            .data()
            .categories
            .get(&id.to_string())
            .is_some_and(|c| !ent.category(c));
        if hidden {
            return Some(Err(not_found(id)));
        }
    }
    Some(match action {
        "add" => add(ctx, args.get("category").cloned().unwrap_or(Value::Null)),
        "get" => ctx
            .data()
            .categories
            .get(&id.to_string())
            .cloned()
            .map(Answer::Value)
            .ok_or_else(|| not_found(id)),
        "list" => ctx.list_table(
            |d| &mut d.categories,
            |c| ent.category(c),
            args,
            "+fullName",
        ),
        "update" => (|| {
            let update = args.get("category").cloned().unwrap_or(Value::Null);
            let mut cat = ctx
                .data()
                .categories
                .get(&id.to_string())
                .cloned()
                .ok_or_else(|| not_found(id))?;
            check_writable(&update, true, Some(&cat))?;
            super::merge(&mut cat, &update);
            cat["updatedAt"] = json!(ctx.now);
            ctx.data().categories.insert(&id.to_string(), cat.clone());
            Ok(Answer::Value(cat))
        })(),
        "delete" => {
            let data = ctx.data();
            match data.categories.remove(&id.to_string()) {
                Some(_) => {
                    let links: Vec<String> = data
                        .category_entries
                        .values()
                        .filter(|l| l["categoryId"].as_i64() == Some(id))
                        .map(|l| link_key(l["entryId"].as_str().unwrap_or_default(), id))
                        .collect();
                    for k in links {
                        data.category_entries.remove(&k);
                    }
                    Ok(Answer::Value(Value::Null))
                }
                None => Err(not_found(id)),
            }
        }
        _ => return None,
    })
}

fn link_key(entry_id: &str, category_id: i64) -> String {
    format!("{entry_id}|{category_id}")
}

/// Rewrites an entry's `categories`/`categoriesIds` from its links.
fn refresh_entry(ctx: &mut Ctx<'_>, entry_id: &str) {
    let data = ctx.data();
    let ids: Vec<i64> = data
        .category_entries
        .values()
        .filter(|l| l["entryId"].as_str() == Some(entry_id))
        .filter_map(|l| l["categoryId"].as_i64())
        .collect();
    let names: Vec<String> = ids
        .iter()
        .filter_map(|id| data.categories.get(&id.to_string()))
        .filter_map(|c| c["fullName"].as_str().map(str::to_string))
        .collect();
    let ids_text: Vec<String> = ids.iter().map(i64::to_string).collect();
    if let Some(e) = data.entries.get_mut(entry_id) {
        e["categories"] = json!(names.join(","));
        e["categoriesIds"] = json!(ids_text.join(","));
    }
    for id in ids {
        let count = data
            .category_entries
            .values()
            .filter(|l| l["categoryId"].as_i64() == Some(id))
            .count();
        if let Some(c) = data.categories.get_mut(&id.to_string()) {
            c["entriesCount"] = json!(count);
        }
    }
}

pub fn run_entries(
    ctx: &mut Ctx<'_>,
    action: &str,
    args: &Map<String, Value>,
) -> Option<Result<Answer, ApiError>> {
    Some(match action {
        "add" => (|| {
            let link = args.get("categoryEntry").cloned().unwrap_or(Value::Null);
            check_writable(&link, false, None)?;
            let entry_id = link["entryId"].as_str().unwrap_or_default().to_string();
            let category_id = link["categoryId"].as_i64().unwrap_or(0);
            let ent = ctx.entitlement();
            let data = ctx.data();
            if !data
                .entries
                .get(&entry_id)
                .is_some_and(|e| ent.entry(data, e))
            {
                return Err(ApiError::new(codes::ENTRY_ID_NOT_FOUND, &[&entry_id]));
            }
            let full_ids = data
                .categories
                .get(&category_id.to_string())
                .filter(|c| ent.category(c))
                .map(|c| c["fullIds"].as_str().unwrap_or_default().to_string())
                .ok_or_else(|| not_found(category_id))?;
            let key = link_key(&entry_id, category_id);
            if data.category_entries.get(&key).is_some() {
                return Err(ApiError::new(codes::CATEGORY_ENTRY_ALREADY_EXISTS, &[]));
            }
            let mut link = link;
            let user = ctx.session.user_id.clone();
            let now = ctx.now;
            if let Value::Object(m) = &mut link {
                m.insert("createdAt".into(), json!(now));
                m.insert("status".into(), json!(2));
                m.insert("categoryFullIds".into(), json!(full_ids));
                m.insert("creatorUserId".into(), json!(user));
            }
            ctx.data().category_entries.insert(&key, link.clone());
            refresh_entry(ctx, &entry_id);
            Ok(Answer::Value(link))
        })(),
        "delete" => {
            let entry_id = str_arg(args, "entryId").to_string();
            let category_id = int_arg(args, "categoryId").unwrap_or(0);
            match ctx
                .data()
                .category_entries
                .remove(&link_key(&entry_id, category_id))
            {
                Some(_) => {
                    refresh_entry(ctx, &entry_id);
                    if let Some(c) = ctx.data().categories.get_mut(&category_id.to_string()) {
                        let n = c["entriesCount"].as_i64().unwrap_or(1);
                        c["entriesCount"] = json!((n - 1).max(0));
                    }
                    Ok(Answer::Value(Value::Null))
                }
                None => Err(ApiError::new(codes::ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY, &[])),
            }
        }
        "list" => ctx.list_table(|d| &mut d.category_entries, |_| true, args, "-createdAt"),
        _ => return None,
    })
}
