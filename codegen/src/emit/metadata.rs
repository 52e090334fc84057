//! The API as data (`metadata.json`, read by `kaltura_client::meta`), for tools that
//! work by name: the command line, API comparisons.

use kaltura_schema::{EnumKind, Model, TypeRef};
use serde_json::{json, Value};

fn ty(model: &Model, t: &TypeRef) -> Value {
    match t {
        TypeRef::Int => json!({"kind": "int"}),
        TypeRef::BigInt => json!({"kind": "bigInt"}),
        TypeRef::Float => json!({"kind": "float"}),
        TypeRef::Bool => json!({"kind": "bool"}),
        TypeRef::String => json!({"kind": "string"}),
        TypeRef::File => json!({"kind": "file"}),
        TypeRef::Enum(e) => json!({"kind": "enum", "of": model.enum_(*e).name}),
        TypeRef::Object(c) => json!({"kind": "object", "of": model.class(*c).name}),
        TypeRef::AnyObject => json!({"kind": "anyObject"}),
        TypeRef::Array(i) => json!({"kind": "array", "of": ty(model, i)}),
        TypeRef::Map(i) => json!({"kind": "map", "of": ty(model, i)}),
    }
}

pub fn emit(model: &Model) -> String {
    let services: Vec<Value> = model
        .services
        .iter()
        .map(|s| {
            let actions: Vec<Value> = s
                .actions
                .iter()
                .map(|a| {
                    let params: Vec<Value> = a
                        .params
                        .iter()
                        .map(|p| {
                            json!({
                                "name": p.name,
                                "ty": ty(model, &p.ty),
                                "optional": p.optional,
                                "default": p.default,
                                "description": p.description,
                            })
                        })
                        .collect();
                    json!({
                        "name": a.name,
                        "params": params,
                        "result": a.result.as_ref().map(|r| ty(model, r)),
                        "multirequest": a.enable_in_multi_request,
                        "deprecated": a.deprecated,
                        "description": a.description,
                    })
                })
                .collect();
            json!({
                "id": s.id,
                "name": s.name,
                "plugin": s.plugin,
                "actions": actions,
                "description": s.description,
            })
        })
        .collect();
    let classes: Vec<Value> = model
        .classes
        .iter()
        .map(|c| {
            let properties: Vec<Value> = c
                .properties
                .iter()
                .map(|p| {
                    json!({
                        "name": p.name,
                        "ty": ty(model, &p.ty),
                        "read_only": p.read_only,
                        "insert_only": p.insert_only,
                        "description": p.description,
                    })
                })
                .collect();
            json!({
                "name": c.name,
                "base": c.base.map(|b| model.class(b).name.clone()),
                "is_abstract": c.is_abstract,
                "plugin": c.plugin,
                "properties": properties,
                "description": c.description,
            })
        })
        .collect();
    let enums: Vec<Value> = model
        .enums
        .iter()
        .map(|e| {
            let values: Vec<Value> = e.consts.iter().map(|c| json!([c.name, c.value])).collect();
            json!({
                "name": e.name,
                "is_int": e.kind == EnumKind::Int,
                "plugin": e.plugin,
                "values": values,
            })
        })
        .collect();
    let api = json!({
        "api_version": model.api_version,
        "services": services,
        "classes": classes,
        "enums": enums,
    });
    let mut text = serde_json::to_string_pretty(&api).unwrap_or_default();
    text.push('\n');
    text
}
