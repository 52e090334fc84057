//! Element tree -> model. Names are indexed first, so that every reference can be
//! resolved (and reported with its own line) while the items are built.

use crate::dom::Element;
use crate::error::{ErrorKind, SchemaError};
use crate::model::*;
use std::collections::BTreeMap;

/// Attributes each element kind interprets; the others land in `extra`.
const ENUM_ATTRS: &[&str] = &["name", "enumType", "plugin", "deprecated"];
const CLASS_ATTRS: &[&str] = &[
    "name",
    "base",
    "abstract",
    "plugin",
    "deprecated",
    "description",
];
const PROPERTY_ATTRS: &[&str] = &[
    "name",
    "type",
    "enumType",
    "arrayType",
    "readOnly",
    "insertOnly",
    "writeOnly",
    "nullable",
    "isTime",
    "multiLingual",
    "deprecated",
    "description",
    "minLength",
    "maxLength",
    "minValue",
    "maxValue",
    "requiresPermissions",
];
const SERVICE_ATTRS: &[&str] = &["id", "name", "plugin", "deprecated", "description"];
const ACTION_ATTRS: &[&str] = &[
    "name",
    "description",
    "deprecated",
    "beta",
    "enableInMultiRequest",
    "sessionRequired",
    "actionAlias",
];
const PARAM_ATTRS: &[&str] = &[
    "name",
    "type",
    "enumType",
    "arrayType",
    "optional",
    "default",
    "description",
];

pub(crate) struct Ctx<'a> {
    pub source: &'a str,
    pub enums: BTreeMap<String, EnumId>,
    pub classes: BTreeMap<String, ClassId>,
}

impl Ctx<'_> {
    fn err(&self, el: &Element, kind: ErrorKind) -> SchemaError {
        el.error(self.source, kind)
    }

    fn req<'e>(&self, el: &'e Element, attr: &'static str) -> Result<&'e str, SchemaError> {
        match el.attr(attr) {
            Some(v) if !v.trim().is_empty() => Ok(v),
            _ => Err(self.err(el, ErrorKind::MissingAttribute(attr))),
        }
    }

    fn flag(&self, el: &Element, attr: &'static str) -> Result<bool, SchemaError> {
        match el.attr(attr).map(str::trim) {
            None | Some("") | Some("0") | Some("false") => Ok(false),
            Some("1") | Some("true") => Ok(true),
            Some(other) => Err(self.err(
                el,
                ErrorKind::BadAttribute {
                    attribute: attr,
                    value: other.to_string(),
                    expected: "0 or 1",
                },
            )),
        }
    }

    fn int(&self, el: &Element, attr: &'static str) -> Result<Option<i64>, SchemaError> {
        match el.attr(attr).map(str::trim) {
            None | Some("") => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                self.err(
                    el,
                    ErrorKind::BadAttribute {
                        attribute: attr,
                        value: v.to_string(),
                        expected: "an integer",
                    },
                )
            }),
        }
    }

    fn class_ref(
        &self,
        el: &Element,
        attr: &'static str,
        name: &str,
    ) -> Result<TypeRef, SchemaError> {
        if let Some(id) = self.classes.get(name) {
            Ok(TypeRef::Object(*id))
        } else if name == "KalturaObjectBase" {
            Ok(TypeRef::AnyObject)
        } else if let Some(id) = self.enums.get(name) {
            Ok(TypeRef::Enum(*id))
        } else {
            Err(self.err(
                el,
                ErrorKind::UnknownType {
                    attribute: attr,
                    name: name.to_string(),
                },
            ))
        }
    }

    /// Reads `type` / `enumType` / `arrayType` of a property, param or result.
    fn type_ref(&self, el: &Element) -> Result<TypeRef, SchemaError> {
        let ty = self.req(el, "type")?;
        let enum_type = el.attr("enumType").filter(|s| !s.is_empty());
        let item = |el: &Element| -> Result<TypeRef, SchemaError> {
            match el.attr("arrayType").filter(|s| !s.is_empty()) {
                Some(name) => self.class_ref(el, "arrayType", name),
                // Old servers omit arrayType on a few string lists.
                None => Ok(TypeRef::String),
            }
        };
        Ok(match ty {
            "int" | "bigint" | "string" if enum_type.is_some() => {
                let name = enum_type.unwrap_or_default();
                match self.enums.get(name) {
                    Some(id) => TypeRef::Enum(*id),
                    None => {
                        return Err(self.err(
                            el,
                            ErrorKind::UnknownType {
                                attribute: "enumType",
                                name: name.to_string(),
                            },
                        ))
                    }
                }
            }
            "int" => TypeRef::Int,
            "bigint" => TypeRef::BigInt,
            "float" => TypeRef::Float,
            "bool" => TypeRef::Bool,
            "string" => TypeRef::String,
            "file" => TypeRef::File,
            "array" => TypeRef::Array(Box::new(item(el)?)),
            "map" => TypeRef::Map(Box::new(item(el)?)),
            other => self.class_ref(el, "type", other)?,
        })
    }
}

fn extra(el: &Element, known: &[&str]) -> Extra {
    el.attrs
        .iter()
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn loc(el: &Element) -> Loc {
    Loc {
        line: el.line,
        column: el.column,
    }
}

fn text(el: &Element, attr: &str) -> String {
    el.attr(attr).unwrap_or_default().to_string()
}

fn opt(el: &Element, attr: &str) -> Option<String> {
    el.attr(attr).filter(|s| !s.is_empty()).map(str::to_string)
}

/// Registers a name, failing on a second declaration.
fn register<Id: Copy>(
    ctx: &Ctx<'_>,
    seen: &mut BTreeMap<String, (Id, usize)>,
    el: &Element,
    what: &'static str,
    name: &str,
    id: Id,
) -> Result<(), SchemaError> {
    register_as(ctx, seen, el, what, name, name, id)
}

/// Registers `name` under `key` (a case-folded form, for names the server matches
/// case-insensitively); the error names it as written.
fn register_as<Id: Copy>(
    ctx: &Ctx<'_>,
    seen: &mut BTreeMap<String, (Id, usize)>,
    el: &Element,
    what: &'static str,
    key: &str,
    name: &str,
    id: Id,
) -> Result<(), SchemaError> {
    if let Some((_, first_line)) = seen.get(key) {
        return Err(ctx.err(
            el,
            ErrorKind::Duplicate {
                what,
                name: name.to_string(),
                first_line: *first_line,
            },
        ));
    }
    seen.insert(key.to_string(), (id, el.line));
    Ok(())
}

fn section<'a>(
    root: &'a Element,
    name: &'a str,
    item: &'a str,
) -> impl Iterator<Item = &'a Element> {
    root.children_named(name)
        .flat_map(move |s| s.children_named(item))
}

pub(crate) fn model(root: &Element, source: &str) -> Result<Model, SchemaError> {
    let mut ctx = Ctx {
        source,
        enums: BTreeMap::new(),
        classes: BTreeMap::new(),
    };
    // Every schema the server generates has it, and the client sends it with every
    // call; an `<xml>` without it is some other document (an API error response).
    let api_version = ctx.req(root, "apiVersion")?.to_string();
    let enum_els: Vec<&Element> = section(root, "enums", "enum").collect();
    let class_els: Vec<&Element> = section(root, "classes", "class").collect();

    let mut seen = BTreeMap::new();
    for (i, el) in enum_els.iter().enumerate() {
        let name = ctx.req(el, "name")?;
        register(&ctx, &mut seen, el, "enum", name, EnumId(i as u32))?;
    }
    ctx.enums = seen.into_iter().map(|(k, (id, _))| (k, id)).collect();
    let mut seen = BTreeMap::new();
    for (i, el) in class_els.iter().enumerate() {
        let name = ctx.req(el, "name")?;
        if let Some(e) = ctx.enums.get(name) {
            let first_line = enum_els[e.0 as usize].line;
            return Err(ctx.err(
                el,
                ErrorKind::Duplicate {
                    what: "type name (an enum has it)",
                    name: name.to_string(),
                    first_line,
                },
            ));
        }
        register(&ctx, &mut seen, el, "class", name, ClassId(i as u32))?;
    }
    ctx.classes = seen.into_iter().map(|(k, (id, _))| (k, id)).collect();

    let enums = enum_els
        .iter()
        .map(|el| read_enum(&ctx, el))
        .collect::<Result<Vec<_>, _>>()?;
    let classes = class_els
        .iter()
        .map(|el| read_class(&ctx, el))
        .collect::<Result<Vec<_>, _>>()?;
    let mut seen = BTreeMap::new();
    let mut services = Vec::new();
    for el in section(root, "services", "service") {
        let service = read_service(&ctx, el)?;
        register_as(
            &ctx,
            &mut seen,
            el,
            "service id",
            &service.id.to_lowercase(),
            &service.id,
            (),
        )?;
        services.push(service);
    }
    let mut seen = BTreeMap::new();
    let mut plugins = Vec::new();
    for el in section(root, "plugins", "plugin") {
        let name = ctx.req(el, "name")?;
        register(&ctx, &mut seen, el, "plugin", name, ())?;
        plugins.push(Plugin {
            name: name.to_string(),
            services: el
                .children_named("pluginService")
                .map(|s| ctx.req(s, "name").map(str::to_string))
                .collect::<Result<_, _>>()?,
            dependencies: el
                .children_named("dependency")
                .map(|s| ctx.req(s, "pluginName").map(str::to_string))
                .collect::<Result<_, _>>()?,
            loc: loc(el),
        });
    }
    let errors = section(root, "errors", "error")
        .map(|el| {
            Ok(ApiError {
                name: ctx.req(el, "name")?.to_string(),
                code: el
                    .attr("code")
                    .or(el.attr("name"))
                    .unwrap_or_default()
                    .to_string(),
                message: text(el, "message"),
                parameters: el
                    .children_named("parameter")
                    .map(|p| ctx.req(p, "name").map(str::to_string))
                    .collect::<Result<_, _>>()?,
                description: text(el, "description"),
                loc: loc(el),
            })
        })
        .collect::<Result<Vec<_>, SchemaError>>()?;
    let configurations = match root.child("configurations") {
        Some(c) => Configurations {
            client: config_params(&ctx, c.child("client"))?,
            request: config_params(&ctx, c.child("request"))?,
        },
        None => Configurations::default(),
    };
    Ok(Model {
        api_version,
        generated_date: opt(root, "generatedDate"),
        enums,
        classes,
        services,
        plugins,
        errors,
        configurations,
        enum_index: ctx.enums,
        class_index: ctx.classes,
    })
}

fn read_enum(ctx: &Ctx<'_>, el: &Element) -> Result<Enum, SchemaError> {
    let kind = match el.attr("enumType") {
        Some("int") => EnumKind::Int,
        Some("string") => EnumKind::String,
        Some(other) => {
            return Err(ctx.err(
                el,
                ErrorKind::BadAttribute {
                    attribute: "enumType",
                    value: other.to_string(),
                    expected: "int or string",
                },
            ))
        }
        None => return Err(ctx.err(el, ErrorKind::MissingAttribute("enumType"))),
    };
    let mut seen = BTreeMap::new();
    let mut consts = Vec::new();
    for c in el.children_named("const") {
        let name = ctx.req(c, "name")?;
        register(ctx, &mut seen, c, "enum constant", name, ())?;
        let value = c
            .attr("value")
            .ok_or_else(|| ctx.err(c, ErrorKind::MissingAttribute("value")))?;
        if kind == EnumKind::Int && value.trim().parse::<i64>().is_err() {
            return Err(ctx.err(
                c,
                ErrorKind::BadAttribute {
                    attribute: "value",
                    value: value.to_string(),
                    expected: "an integer (the enum is enumType=\"int\")",
                },
            ));
        }
        consts.push(EnumConst {
            name: name.to_string(),
            value: value.to_string(),
        });
    }
    Ok(Enum {
        name: ctx.req(el, "name")?.to_string(),
        kind,
        plugin: opt(el, "plugin"),
        deprecated: ctx.flag(el, "deprecated")?,
        consts,
        extra: extra(el, ENUM_ATTRS),
        loc: loc(el),
    })
}

fn read_class(ctx: &Ctx<'_>, el: &Element) -> Result<Class, SchemaError> {
    let base = match opt(el, "base") {
        None => None,
        Some(b) if b == "KalturaObjectBase" => None,
        Some(b) => Some(*ctx.classes.get(&b).ok_or_else(|| {
            ctx.err(
                el,
                ErrorKind::UnknownType {
                    attribute: "base",
                    name: b.clone(),
                },
            )
        })?),
    };
    let mut seen = BTreeMap::new();
    let mut properties = Vec::new();
    for p in el.children_named("property") {
        let name = ctx.req(p, "name")?;
        register(ctx, &mut seen, p, "property", name, ())?;
        properties.push(Property {
            name: name.to_string(),
            ty: ctx.type_ref(p)?,
            read_only: ctx.flag(p, "readOnly")?,
            insert_only: ctx.flag(p, "insertOnly")?,
            write_only: ctx.flag(p, "writeOnly")?,
            nullable: ctx.flag(p, "nullable")?,
            is_time: ctx.flag(p, "isTime")?,
            multi_lingual: ctx.flag(p, "multiLingual")?,
            deprecated: ctx.flag(p, "deprecated")?,
            description: text(p, "description"),
            min_length: ctx.int(p, "minLength")?,
            max_length: ctx.int(p, "maxLength")?,
            min_value: opt(p, "minValue"),
            max_value: opt(p, "maxValue"),
            requires_permissions: opt(p, "requiresPermissions"),
            extra: extra(p, PROPERTY_ATTRS),
            loc: loc(p),
        });
    }
    Ok(Class {
        name: ctx.req(el, "name")?.to_string(),
        base,
        is_abstract: ctx.flag(el, "abstract")?,
        plugin: opt(el, "plugin"),
        deprecated: ctx.flag(el, "deprecated")?,
        description: text(el, "description"),
        properties,
        children: Vec::new(),
        extra: extra(el, CLASS_ATTRS),
        loc: loc(el),
    })
}

fn read_service(ctx: &Ctx<'_>, el: &Element) -> Result<Service, SchemaError> {
    let mut seen = BTreeMap::new();
    let mut actions = Vec::new();
    for a in el.children_named("action") {
        let name = ctx.req(a, "name")?;
        register_as(ctx, &mut seen, a, "action", &name.to_lowercase(), name, ())?;
        actions.push(read_action(ctx, a)?);
    }
    Ok(Service {
        id: ctx.req(el, "id")?.to_string(),
        name: ctx.req(el, "name")?.to_string(),
        plugin: opt(el, "plugin"),
        deprecated: ctx.flag(el, "deprecated")?,
        description: text(el, "description"),
        actions,
        extra: extra(el, SERVICE_ATTRS),
        loc: loc(el),
    })
}

fn read_action(ctx: &Ctx<'_>, el: &Element) -> Result<Action, SchemaError> {
    let mut seen = BTreeMap::new();
    let mut params = Vec::new();
    for p in el.children_named("param") {
        let name = ctx.req(p, "name")?;
        register(ctx, &mut seen, p, "parameter", name, ())?;
        params.push(Param {
            name: name.to_string(),
            ty: ctx.type_ref(p)?,
            optional: ctx.flag(p, "optional")?,
            default: opt(p, "default"),
            description: text(p, "description"),
            extra: extra(p, PARAM_ATTRS),
            loc: loc(p),
        });
    }
    let result = match el.child("result") {
        Some(r) if r.attr("type").is_some_and(|t| !t.is_empty()) => Some(ctx.type_ref(r)?),
        _ => None,
    };
    Ok(Action {
        name: ctx.req(el, "name")?.to_string(),
        description: text(el, "description"),
        deprecated: ctx.flag(el, "deprecated")?,
        beta: ctx.flag(el, "beta")?,
        enable_in_multi_request: el.attr("enableInMultiRequest") != Some("0"),
        session_required: opt(el, "sessionRequired"),
        action_alias: opt(el, "actionAlias"),
        params,
        result,
        throws: el
            .children_named("throws")
            .map(|t| ctx.req(t, "name").map(str::to_string))
            .collect::<Result<_, _>>()?,
        extra: extra(el, ACTION_ATTRS),
        loc: loc(el),
    })
}

fn config_params(ctx: &Ctx<'_>, el: Option<&Element>) -> Result<Vec<ConfigParam>, SchemaError> {
    let Some(el) = el else { return Ok(Vec::new()) };
    el.children
        .iter()
        .map(|c| {
            Ok(ConfigParam {
                name: c.name.clone(),
                ty: ctx.type_ref(c)?,
                alias: opt(c, "alias"),
                description: text(c, "description"),
                volatile: ctx.flag(c, "volatile")?,
            })
        })
        .collect()
}
