//! `kaltura api`: the generated API description, for people and for scripts.

use crate::context::Context;
use crate::error::{CliError, Result};
use crate::output::{self, clip, table};
use crate::params::{find_action, find_service};
use crate::suggest::did_you_mean;
use clap::Args;
use kaltura_runtime::meta::{ActionMeta, Api, ClassMeta, EnumMeta, ServiceMeta, TypeMeta};
use serde_json::{json, Value};

const API_HELP: &str = "\
Examples:
  kaltura api                          # the services: wire id, name, plugin, actions
  kaltura api media                    # the actions of a service
  kaltura api media list               # parameters (type, optional, default) and result
  kaltura api --types KalturaMediaEntry   # a class, inherited properties included
  kaltura api --types KalturaMediaType    # an enum's values
  kaltura api --json > api.json        # the same as data, e.g. to compare API versions";

#[derive(Args, Debug)]
#[command(after_help = API_HELP)]
pub struct ApiArgs {
    /// A service to describe
    service: Option<String>,
    /// An action of the service to describe
    action: Option<String>,
    /// Describe a class or an enum instead
    #[arg(long, value_name = "NAME", conflicts_with_all = ["service", "action"])]
    types: Option<String>,
    /// Print the description as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, a: ApiArgs) -> Result<()> {
    let query = match (&a.types, &a.service, &a.action) {
        (Some(t), _, _) => Query::Type(t),
        (None, None, _) => Query::Services,
        (None, Some(s), None) => Query::Service(s),
        (None, Some(s), Some(act)) => Query::Action(s, act),
    };
    let json = a.json || ctx.output_mode(output::Mode::Table) == output::Mode::Json;
    let text = describe(kaltura_metadata::api(), query, json)?;
    output::emit(text.as_bytes())
}

/// What `kaltura api` was asked for.
pub enum Query<'a> {
    Services,
    Service(&'a str),
    Action(&'a str, &'a str),
    Type(&'a str),
}

/// The answer, as text or as JSON text.
pub fn describe(api: &'static Api, query: Query<'_>, as_json: bool) -> Result<String> {
    match query {
        Query::Services => Ok(if as_json {
            output::json(&services_json(api))
        } else {
            services_text(api)
        }),
        Query::Service(name) => {
            let service = find_service(api, name)?;
            Ok(if as_json {
                output::json(&service_json(service))
            } else {
                service_text(service)
            })
        }
        Query::Action(service, action) => {
            let service = find_service(api, service)?;
            let action = find_action(service, action)?;
            Ok(if as_json {
                output::json(&action_json(service, action))
            } else {
                action_text(service, action)
            })
        }
        Query::Type(name) => match find_type(api, name)? {
            Found::Class(c) => Ok(if as_json {
                output::json(&class_json(api, c))
            } else {
                class_text(api, c)
            }),
            Found::Enum(e) => Ok(if as_json {
                output::json(&enum_json(e))
            } else {
                enum_text(e)
            }),
        },
    }
}

fn first_line(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

fn services_json(api: &Api) -> Value {
    json!({
        "apiVersion": api.api_version,
        "services": api.services.iter().map(|s| json!({
            "id": s.id,
            "name": s.name,
            "plugin": s.plugin,
            "actions": s.actions.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn services_text(api: &Api) -> String {
    let rows: Vec<Vec<String>> = api
        .services
        .iter()
        .map(|s| {
            vec![
                s.id.clone(),
                s.name.clone(),
                s.plugin.clone().unwrap_or_default(),
                s.actions.len().to_string(),
            ]
        })
        .collect();
    format!(
        "API version {}: {} services\n\n{}\n`kaltura api SERVICE` lists the actions of one.\n",
        api.api_version,
        api.services.len(),
        table(&["id", "name", "plugin", "actions"], &rows)
    )
}

fn param_json(p: &kaltura_runtime::meta::ParamMeta) -> Value {
    json!({
        "name": p.name,
        "type": p.ty.name(),
        "optional": p.optional,
        "default": p.default,
        "description": p.description,
    })
}

fn action_json(service: &ServiceMeta, a: &ActionMeta) -> Value {
    json!({
        "service": service.name,
        "serviceId": service.id,
        "name": a.name,
        "params": a.params.iter().map(param_json).collect::<Vec<_>>(),
        "result": a.result.as_ref().map(TypeMeta::name),
        "multirequest": a.multirequest,
        "deprecated": a.deprecated,
        "description": a.description,
    })
}

fn service_json(s: &ServiceMeta) -> Value {
    json!({
        "id": s.id,
        "name": s.name,
        "plugin": s.plugin,
        "description": s.description,
        "actions": s.actions.iter().map(|a| action_json(s, a)).collect::<Vec<_>>(),
    })
}

fn service_text(s: &ServiceMeta) -> String {
    let rows: Vec<Vec<String>> = s
        .actions
        .iter()
        .map(|a| {
            let params: Vec<String> = a
                .params
                .iter()
                .map(|p| {
                    if p.optional {
                        format!("[{}]", p.name)
                    } else {
                        p.name.clone()
                    }
                })
                .collect();
            let mut name = a.name.clone();
            if a.deprecated {
                name.push_str(" (deprecated)");
            }
            vec![
                name,
                clip(&params.join(" "), 60),
                a.result.as_ref().map_or("-".into(), TypeMeta::name),
            ]
        })
        .collect();
    let mut out = format!("service {} (wire id `{}`", s.name, s.id);
    if let Some(p) = &s.plugin {
        out.push_str(&format!(", plugin {p}"));
    }
    out.push_str(")\n");
    let about = first_line(&s.description);
    if !about.is_empty() {
        out.push_str(about);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&table(
        &["action", "parameters ([optional])", "result"],
        &rows,
    ));
    out.push_str(&format!(
        "\n`kaltura api {} ACTION` describes the parameters of one.\n",
        s.name
    ));
    out
}

fn action_text(s: &ServiceMeta, a: &ActionMeta) -> String {
    let mut out = format!("{}.{}", s.name, a.name);
    if a.deprecated {
        out.push_str(" (deprecated)");
    }
    out.push('\n');
    let about = first_line(&a.description);
    if !about.is_empty() {
        out.push_str(about);
        out.push('\n');
    }
    out.push_str(&format!(
        "sent to /api_v3/service/{}/action/{}\n\n",
        s.id, a.name
    ));
    if a.params.is_empty() {
        out.push_str("no parameters\n");
    } else {
        let rows: Vec<Vec<String>> = a
            .params
            .iter()
            .map(|p| {
                vec![
                    p.name.clone(),
                    p.ty.name(),
                    if p.optional { "yes" } else { "no" }.into(),
                    p.default.clone().unwrap_or_default(),
                    clip(first_line(&p.description), 50),
                ]
            })
            .collect();
        out.push_str(&table(
            &["parameter", "type", "optional", "default", "description"],
            &rows,
        ));
    }
    out.push_str(&format!(
        "\nresult: {}\n",
        a.result.as_ref().map_or("nothing".into(), TypeMeta::name)
    ));
    if !a.multirequest {
        out.push_str("not allowed in a multirequest\n");
    }
    out
}

enum Found<'a> {
    Class(&'a ClassMeta),
    Enum(&'a EnumMeta),
}

fn find_type<'a>(api: &'a Api, name: &str) -> Result<Found<'a>> {
    let prefixed = format!("Kaltura{name}");
    for candidate in [name, prefixed.as_str()] {
        if let Some(c) = api.class(candidate) {
            return Ok(Found::Class(c));
        }
        if let Some(e) = api.enum_(candidate) {
            return Ok(Found::Enum(e));
        }
        if let Some(c) = api
            .classes
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(candidate))
        {
            return Ok(Found::Class(c));
        }
        if let Some(e) = api
            .enums
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(candidate))
        {
            return Ok(Found::Enum(e));
        }
    }
    let names = api
        .classes
        .iter()
        .map(|c| c.name.as_str())
        .chain(api.enums.iter().map(|e| e.name.as_str()));
    Err(CliError::usage(format!(
        "no class or enum is named `{name}`{}",
        did_you_mean(&prefixed_if_short(name), names)
    )))
}

fn prefixed_if_short(name: &str) -> String {
    if name.starts_with("Kaltura") {
        name.to_string()
    } else {
        format!("Kaltura{name}")
    }
}

/// The class and its ancestors, the class first.
fn chain<'a>(api: &'a Api, class: &'a ClassMeta) -> Vec<&'a ClassMeta> {
    let mut out = vec![class];
    let mut cur = class.base.as_deref().and_then(|b| api.class(b));
    while let Some(c) = cur {
        if out.len() > api.classes.len() || out.iter().any(|seen| seen.name == c.name) {
            break;
        }
        out.push(c);
        cur = c.base.as_deref().and_then(|b| api.class(b));
    }
    out
}

fn subclasses<'a>(api: &'a Api, class: &ClassMeta) -> Vec<&'a str> {
    api.classes
        .iter()
        .filter(|c| c.base.as_deref() == Some(class.name.as_str()))
        .map(|c| c.name.as_str())
        .collect()
}

fn class_json(api: &Api, class: &ClassMeta) -> Value {
    let chain = chain(api, class);
    let properties: Vec<Value> = chain
        .iter()
        .rev()
        .flat_map(|c| {
            c.properties.iter().map(move |p| {
                json!({
                    "name": p.name,
                    "type": p.ty.name(),
                    "readOnly": p.read_only,
                    "insertOnly": p.insert_only,
                    "declaredIn": c.name,
                    "description": p.description,
                })
            })
        })
        .collect();
    json!({
        "kind": "class",
        "name": class.name,
        "base": class.base,
        "ancestors": chain.iter().skip(1).map(|c| c.name.as_str()).collect::<Vec<_>>(),
        "abstract": class.is_abstract,
        "plugin": class.plugin,
        "description": class.description,
        "properties": properties,
        "subclasses": subclasses(api, class),
    })
}

fn class_text(api: &Api, class: &ClassMeta) -> String {
    let chain = chain(api, class);
    let mut out = format!("class {}", class.name);
    if class.is_abstract {
        out.push_str(" (abstract: pick a subclass as objectType)");
    }
    out.push('\n');
    if chain.len() > 1 {
        let names: Vec<&str> = chain.iter().skip(1).map(|c| c.name.as_str()).collect();
        out.push_str(&format!("extends {}\n", names.join(" < ")));
    }
    if let Some(p) = &class.plugin {
        out.push_str(&format!("plugin {p}\n"));
    }
    let about = first_line(&class.description);
    if !about.is_empty() {
        out.push_str(about);
        out.push('\n');
    }
    out.push('\n');
    let rows: Vec<Vec<String>> = chain
        .iter()
        .rev()
        .flat_map(|c| {
            c.properties.iter().map(move |p| {
                let access = if p.read_only {
                    "read-only"
                } else if p.insert_only {
                    "insert-only"
                } else {
                    ""
                };
                let declared = if c.name == class.name {
                    String::new()
                } else {
                    c.name.clone()
                };
                vec![p.name.clone(), p.ty.name(), access.into(), declared]
            })
        })
        .collect();
    if rows.is_empty() {
        out.push_str("no properties\n");
    } else {
        out.push_str(&table(
            &["property", "type", "access", "inherited from"],
            &rows,
        ));
    }
    let subs = subclasses(api, class);
    if !subs.is_empty() {
        out.push_str(&format!("\nsubclasses: {}\n", subs.join(", ")));
    }
    out
}

fn enum_json(e: &EnumMeta) -> Value {
    let values: Vec<Value> = e
        .values
        .iter()
        .map(|(name, value)| {
            let value = match (e.is_int, value.parse::<i64>()) {
                (true, Ok(n)) => Value::from(n),
                _ => Value::String(value.clone()),
            };
            json!({"name": name, "value": value})
        })
        .collect();
    json!({
        "kind": "enum",
        "name": e.name,
        "valueType": if e.is_int { "int" } else { "string" },
        "plugin": e.plugin,
        "values": values,
    })
}

fn enum_text(e: &EnumMeta) -> String {
    let mut out = format!(
        "enum {} ({} values)\n",
        e.name,
        if e.is_int { "int" } else { "string" }
    );
    if let Some(p) = &e.plugin {
        out.push_str(&format!("plugin {p}\n"));
    }
    if let Some((name, value)) = e.values.first() {
        out.push_str(&format!(
            "`kaltura call` takes the name or the value: {name} or {value}\n"
        ));
    }
    out.push('\n');
    let rows: Vec<Vec<String>> = e
        .values
        .iter()
        .map(|(n, v)| vec![n.clone(), v.clone()])
        .collect();
    out.push_str(&table(&["name", "value"], &rows));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(q: Query<'_>) -> String {
        describe(kaltura_metadata::api(), q, false).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn describes_everything() {
        let t = text(Query::Services);
        assert!(
            t.contains("uploadtoken") && t.contains("uploadToken"),
            "{t}"
        );
        let t = text(Query::Service("media"));
        assert!(t.contains("[filter] [pager]"), "{t}");
        let t = text(Query::Action("media", "list"));
        assert!(t.contains("KalturaMediaEntryFilter") && t.contains("KalturaMediaListResponse"));
        let t = text(Query::Type("KalturaMediaEntry"));
        assert!(
            t.contains("read-only") && t.contains("KalturaBaseEntry"),
            "{t}"
        );
        let t = text(Query::Type("MediaType"));
        assert!(t.contains("VIDEO") && t.contains("int values"), "{t}");
        let e = describe(
            kaltura_metadata::api(),
            Query::Type("KalturaMediaEntri"),
            false,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("did you mean `KalturaMediaEntry`"), "{e}");
    }

    #[test]
    fn json_forms() {
        let v: Value = serde_json::from_str(
            &describe(kaltura_metadata::api(), Query::Services, true).unwrap(),
        )
        .unwrap();
        assert!(v["services"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == "uploadtoken" && s["name"] == "uploadToken"));
        let v: Value = serde_json::from_str(
            &describe(
                kaltura_metadata::api(),
                Query::Type("KalturaMediaType"),
                true,
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(v["values"][0]["value"], 1);
    }
}
