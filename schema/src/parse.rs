//! Element tree -> model. Names are indexed first, so that every reference can be
//! resolved (and reported with its own line) while the items are built.
//!
//! What reaches the generated code is checked strictly (names, types, flags); what
//! does not (`throws`, `<errors>`, plugin lists, descriptions) is tolerated with a
//! warning when it is wrong. `docs/decisions.md` (R12) gives the rule.

use crate::dom::{Doc, Element};
use crate::error::{ErrorKind, SchemaError};
use crate::grammar::{
    ACTION_ATTRS, CLASS_ATTRS, ENUM_ATTRS, PARAM_ATTRS, PROPERTY_ATTRS, SERVICE_ATTRS,
};
use crate::model::*;
use crate::warning::{WarningKind, Warnings};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// The elements whose missing `description` is reported, when the file gives it to
/// others of the same name.
const DESCRIBED: [&str; 5] = ["class", "property", "service", "action", "param"];

#[derive(Default)]
struct Descriptions {
    /// Elements that have the attribute.
    with: usize,
    /// Elements that lack it.
    without: Vec<u32>,
}

pub(crate) struct Ctx<'a> {
    source: &'a str,
    enums: BTreeMap<String, EnumId>,
    classes: BTreeMap<String, ClassId>,
    /// By enum id: whether the enum has no constants.
    empty_enums: Vec<bool>,
    /// Names of the declared errors, for `throws`.
    error_names: BTreeSet<&'a str>,
    warnings: RefCell<Warnings>,
    descriptions: RefCell<[Descriptions; DESCRIBED.len()]>,
}

impl<'a> Ctx<'a> {
    fn err(&self, el: Element<'_>, kind: ErrorKind) -> SchemaError {
        el.error(self.source, kind)
    }

    fn warn(&self, el: Element<'_>, kind: WarningKind) {
        self.warnings
            .borrow_mut()
            .add(kind, |kind| el.warning(self.source, kind));
    }

    fn req<'e>(&self, el: Element<'e>, attr: &'static str) -> Result<&'e str, SchemaError> {
        match named(el, attr) {
            Some(v) => Ok(v),
            None => Err(self.err(el, ErrorKind::MissingAttribute(attr))),
        }
    }

    fn flag(&self, el: Element<'_>, attr: &'static str) -> Result<bool, SchemaError> {
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

    fn int(&self, el: Element<'_>, attr: &'static str) -> Result<Option<i64>, SchemaError> {
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

    /// The text of `description`, noting whether the element has one.
    fn description(&self, el: Element<'_>) -> String {
        if let Some(i) = DESCRIBED.iter().position(|d| *d == el.name()) {
            let tally = &mut self.descriptions.borrow_mut()[i];
            match el.attr("description") {
                Some(_) => tally.with += 1,
                None => tally.without.push(el.id()),
            }
        }
        text(el, "description")
    }

    fn enum_ref(&self, el: Element<'_>, attr: &'static str, id: EnumId) -> TypeRef {
        if self.empty_enums[id.0 as usize] {
            let name = el.attr(attr).unwrap_or_default().to_string();
            self.warn(el, WarningKind::EmptyEnum(name));
        }
        TypeRef::Enum(id)
    }

    fn class_ref(
        &self,
        el: Element<'_>,
        attr: &'static str,
        name: &str,
    ) -> Result<TypeRef, SchemaError> {
        if let Some(id) = self.classes.get(name) {
            Ok(TypeRef::Object(*id))
        } else if name == "KalturaObjectBase" {
            Ok(TypeRef::AnyObject)
        } else if let Some(id) = self.enums.get(name) {
            Ok(self.enum_ref(el, attr, *id))
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
    fn type_ref(&self, el: Element<'_>) -> Result<TypeRef, SchemaError> {
        let ty = self.req(el, "type")?;
        let enum_type = el.attr("enumType").filter(|s| !s.is_empty());
        let item = |el: Element<'_>| -> Result<TypeRef, SchemaError> {
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
                    Some(id) => self.enum_ref(el, "enumType", *id),
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

    /// The value of a naming attribute of an element that does not reach the code; a
    /// missing one drops the element with a warning.
    fn name_or_warn<'e>(&self, el: Element<'e>, attr: &'static str) -> Option<&'e str> {
        let name = named(el, attr);
        if name.is_none() {
            let element = match el.name() {
                "throws" => "throws",
                "error" => "error",
                "parameter" => "parameter",
                "plugin" => "plugin",
                "pluginService" => "pluginService",
                "dependency" => "dependency",
                _ => "element",
            };
            self.warn(
                el,
                WarningKind::Unnamed {
                    element,
                    attribute: attr,
                },
            );
        }
        name
    }
}

/// An attribute's value when present and not blank.
fn named<'e>(el: Element<'e>, attr: &str) -> Option<&'e str> {
    el.attr(attr).filter(|v| !v.trim().is_empty())
}

fn extra(el: Element<'_>, known: &[&str]) -> Extra {
    el.attrs()
        .filter(|(k, _)| !known.contains(k))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn loc(el: Element<'_>) -> Loc {
    Loc {
        line: el.line(),
        column: el.column(),
    }
}

fn text(el: Element<'_>, attr: &str) -> String {
    el.attr(attr).unwrap_or_default().to_string()
}

fn opt(el: Element<'_>, attr: &str) -> Option<String> {
    el.attr(attr).filter(|s| !s.is_empty()).map(str::to_string)
}

/// Registers a name, failing on a second declaration.
fn register<Id: Copy>(
    ctx: &Ctx<'_>,
    seen: &mut BTreeMap<String, (Id, usize)>,
    el: Element<'_>,
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
    el: Element<'_>,
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
    seen.insert(key.to_string(), (id, el.line()));
    Ok(())
}

fn section<'a>(
    root: Element<'a>,
    name: &'a str,
    item: &'a str,
) -> impl Iterator<Item = Element<'a>> + 'a {
    root.children_named(name)
        .flat_map(move |s| s.children_named(item))
}

/// The model of a read tree, and the warnings of reading it (added to those of the
/// tree, which `warnings` brings).
pub(crate) fn model(
    doc: &Doc<'_>,
    source: &str,
    warnings: Warnings,
) -> Result<(Model, Warnings), SchemaError> {
    let root = doc.root();
    let mut ctx = Ctx {
        source,
        enums: BTreeMap::new(),
        classes: BTreeMap::new(),
        empty_enums: Vec::new(),
        error_names: section(root, "errors", "error")
            .filter_map(|e| named(e, "name"))
            .collect(),
        warnings: RefCell::new(warnings),
        descriptions: RefCell::default(),
    };
    // Every schema the server generates has it, and the client sends it with every
    // call; an `<xml>` without it is some other document (an API error response).
    let api_version = ctx.req(root, "apiVersion")?.to_string();
    let enum_els: Vec<Element<'_>> = section(root, "enums", "enum").collect();
    let class_els: Vec<Element<'_>> = section(root, "classes", "class").collect();

    let mut seen = BTreeMap::new();
    for (i, el) in enum_els.iter().enumerate() {
        let name = ctx.req(*el, "name")?;
        register(&ctx, &mut seen, *el, "enum", name, EnumId(i as u32))?;
    }
    ctx.enums = seen.into_iter().map(|(k, (id, _))| (k, id)).collect();
    ctx.empty_enums = enum_els
        .iter()
        .map(|el| el.children_named("const").next().is_none())
        .collect();
    let mut seen = BTreeMap::new();
    for (i, el) in class_els.iter().enumerate() {
        let name = ctx.req(*el, "name")?;
        if let Some(e) = ctx.enums.get(name) {
            let first_line = enum_els[e.0 as usize].line();
            return Err(ctx.err(
                *el,
                ErrorKind::Duplicate {
                    what: "type name (an enum has it)",
                    name: name.to_string(),
                    first_line,
                },
            ));
        }
        register(&ctx, &mut seen, *el, "class", name, ClassId(i as u32))?;
    }
    ctx.classes = seen.into_iter().map(|(k, (id, _))| (k, id)).collect();

    let enums = enum_els
        .iter()
        .map(|el| read_enum(&ctx, *el))
        .collect::<Result<Vec<_>, _>>()?;
    let classes = class_els
        .iter()
        .map(|el| read_class(&ctx, *el))
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
    let plugins = read_plugins(&ctx, root)?;
    let errors = read_errors(&ctx, root);
    let configurations = match root.child("configurations") {
        Some(c) => Configurations {
            client: config_params(&ctx, c.child("client"))?,
            request: config_params(&ctx, c.child("request"))?,
        },
        None => Configurations::default(),
    };
    // A missing description is worth a word only where the file describes the others
    // of its kind: old servers wrote none on classes, recent OTT ones none on services.
    for (i, tally) in ctx.descriptions.take().into_iter().enumerate() {
        if tally.with > 0 {
            for id in tally.without {
                ctx.warn(
                    doc.element(id),
                    WarningKind::MissingDescription(DESCRIBED[i]),
                );
            }
        }
    }
    let model = Model {
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
    };
    Ok((model, ctx.warnings.into_inner()))
}

fn read_plugins(ctx: &Ctx<'_>, root: Element<'_>) -> Result<Vec<Plugin>, SchemaError> {
    let mut seen = BTreeMap::new();
    let mut plugins = Vec::new();
    for el in section(root, "plugins", "plugin") {
        // A plugin's name becomes a cargo feature: two of the same name are refused. A
        // nameless one can be no feature; its services carry their own `plugin`.
        let Some(name) = ctx.name_or_warn(el, "name") else {
            continue;
        };
        register(ctx, &mut seen, el, "plugin", name, ())?;
        plugins.push(Plugin {
            name: name.to_string(),
            services: el
                .children_named("pluginService")
                .filter_map(|s| ctx.name_or_warn(s, "name").map(str::to_string))
                .collect(),
            dependencies: el
                .children_named("dependency")
                .filter_map(|s| ctx.name_or_warn(s, "pluginName").map(str::to_string))
                .collect(),
            loc: loc(el),
        });
    }
    Ok(plugins)
}

/// Errors are codes the server may return, listed for documentation: nothing here
/// reaches the generated code, so every problem is a warning.
fn read_errors(ctx: &Ctx<'_>, root: Element<'_>) -> Vec<ApiError> {
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    for el in section(root, "errors", "error") {
        let Some(name) = ctx.name_or_warn(el, "name") else {
            continue;
        };
        let code = match named(el, "code") {
            Some(code) => code,
            None => {
                ctx.warn(el, WarningKind::ErrorWithoutCode(name.to_string()));
                name
            }
        };
        // The vendor names an error by its code: a repeated name is one mistake, and a
        // code shared by two names another.
        let line = el.line();
        if let Some(&first_line) = names.get(name) {
            ctx.warn(
                el,
                WarningKind::DuplicateError {
                    what: "name",
                    value: name.to_string(),
                    first_line,
                },
            );
        } else {
            names.insert(name, line);
            if let Some(&first_line) = codes.get(code) {
                ctx.warn(
                    el,
                    WarningKind::DuplicateError {
                        what: "code",
                        value: code.to_string(),
                        first_line,
                    },
                );
            }
        }
        codes.entry(code.to_string()).or_insert(line);
        errors.push(ApiError {
            name: name.to_string(),
            code: code.to_string(),
            message: text(el, "message"),
            parameters: el
                .children_named("parameter")
                .filter_map(|p| ctx.name_or_warn(p, "name").map(str::to_string))
                .collect(),
            description: text(el, "description"),
            loc: loc(el),
        });
    }
    errors
}

fn read_enum(ctx: &Ctx<'_>, el: Element<'_>) -> Result<Enum, SchemaError> {
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

fn read_class(ctx: &Ctx<'_>, el: Element<'_>) -> Result<Class, SchemaError> {
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
    let description = ctx.description(el);
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
            description: ctx.description(p),
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
        description,
        properties,
        children: Vec::new(),
        extra: extra(el, CLASS_ATTRS),
        loc: loc(el),
    })
}

fn read_service(ctx: &Ctx<'_>, el: Element<'_>) -> Result<Service, SchemaError> {
    let description = ctx.description(el);
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
        description,
        actions,
        extra: extra(el, SERVICE_ATTRS),
        loc: loc(el),
    })
}

fn read_action(ctx: &Ctx<'_>, el: Element<'_>) -> Result<Action, SchemaError> {
    let description = ctx.description(el);
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
            description: ctx.description(p),
            extra: extra(p, PARAM_ATTRS),
            loc: loc(p),
        });
    }
    let result = match el.child("result") {
        Some(r) if r.attr("type").is_some_and(|t| !t.is_empty()) => Some(ctx.type_ref(r)?),
        _ => None,
    };
    // What an action throws is documentation: a nameless entry is dropped, an unknown
    // error kept, a repeated one kept once.
    let mut throws: Vec<String> = Vec::new();
    for t in el.children_named("throws") {
        let Some(name) = ctx.name_or_warn(t, "name") else {
            continue;
        };
        if throws.iter().any(|n| n == name) {
            ctx.warn(t, WarningKind::RepeatedThrows(name.to_string()));
            continue;
        }
        if !ctx.error_names.contains(name) {
            ctx.warn(t, WarningKind::UndeclaredError(name.to_string()));
        }
        throws.push(name.to_string());
    }
    Ok(Action {
        name: ctx.req(el, "name")?.to_string(),
        description,
        deprecated: ctx.flag(el, "deprecated")?,
        beta: ctx.flag(el, "beta")?,
        enable_in_multi_request: el.attr("enableInMultiRequest") != Some("0"),
        session_required: opt(el, "sessionRequired"),
        action_alias: opt(el, "actionAlias"),
        params,
        result,
        throws,
        extra: extra(el, ACTION_ATTRS),
        loc: loc(el),
    })
}

fn config_params(ctx: &Ctx<'_>, el: Option<Element<'_>>) -> Result<Vec<ConfigParam>, SchemaError> {
    let Some(el) = el else { return Ok(Vec::new()) };
    el.children()
        .map(|c| {
            Ok(ConfigParam {
                name: c.name().to_string(),
                ty: ctx.type_ref(c)?,
                alias: opt(c, "alias"),
                description: text(c, "description"),
                volatile: ctx.flag(c, "volatile")?,
            })
        })
        .collect()
}
