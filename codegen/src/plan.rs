//! Decisions taken once before emitting: the Rust name of every item, which file it
//! goes to, which classes need a `…Any` enum, and which cargo features gate what.

use crate::names::{self, Scope};
use kaltura_schema::{ClassId, EnumId, Model, Property, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Names a service accessor (`client.media()`) must not take. The generated `Client`
/// wraps the runtime's and dereferences to it, so an accessor named like one of the
/// runtime client's public methods would hide that method (the `upload` service would
/// hide `Client::upload`) without any compile error. Two parts: the methods the
/// generated `Client` defines itself (see `emit::facade`), and the runtime client's
/// public methods, which `tests/tests/codegen_names.rs` reads from
/// `kaltura-runtime/src` so that this list follows the runtime as it grows.
pub const FACADE_METHODS: &[&str] = &[
    // The generated `Client`'s own.
    "as_ref",
    "builder",
    "clone",
    "deref",
    "fmt",
    "from",
    "from_env",
    "from_runtime",
    "into_blocking",
    "into_runtime",
    "new",
    "runtime",
    "with_config",
    "with_transport",
    // The runtime client's public methods.
    "call_json",
    "call_served",
    "clear_ks",
    "config",
    "ks",
    "multirequest",
    "paginate",
    "partner_id",
    "send",
    "send_json",
    "serve_url",
    "set_ks",
    "set_language",
    "set_partner_id",
    "set_response_profile",
    "start_admin_session",
    "start_app_token_session",
    "start_login_session",
    "upload",
];

/// Setter names a request value already has (`__kaltura_request!`,
/// `__kaltura_paginated!`, and the `Request` and `Paginated` traits).
pub const REQUEST_METHODS: &[&str] = &[
    "new",
    "send",
    "with_ks",
    "with_partner_id",
    "with_language",
    "with_response_profile",
    "options",
    "options_mut",
    "params",
    "into_future",
    "take_files",
    "paginate",
    "set_page",
    "into_page",
    "with_retry",
    "param_properties",
    "page_size",
];

pub struct FieldPlan<'m> {
    pub ident: String,
    pub prop: &'m Property,
}

pub struct ParamPlan {
    pub ident: String,
}

pub struct ActionPlan {
    pub method: String,
    pub request: String,
    pub params: Vec<ParamPlan>,
    /// Parameters sent as multipart files (type `file`), by index.
    pub file_params: Vec<usize>,
    /// The action streams a file (`serve`-like) instead of answering JSON.
    pub serves_file: bool,
    /// How the action pages, when it is a list action with a pager.
    pub pagination: Option<PagePlan>,
}

/// A list action that pages: the `pager` parameter (`pageSize`, `pageIndex`) and the
/// result's `objects` array and `totalCount`, as Rust names.
pub struct PagePlan {
    pub pager: String,
    pub page_size: String,
    pub page_index: String,
    pub objects: String,
    pub total_count: String,
    /// The type of one item (`objects`' element type).
    pub item: TypeRef,
}

pub struct ServicePlan {
    /// The client's accessor (`media`).
    pub method: String,
    /// The handle type (`MediaService`).
    pub struct_name: String,
    /// Its file, `services/<module>.rs`.
    pub module: String,
    /// The service id on the wire (`media`, `metadata_metadataprofile`).
    pub wire_id: String,
    /// The cargo feature the service needs (its plugin's), if any.
    pub feature: Option<String>,
    pub deprecated: bool,
    pub actions: Vec<ActionPlan>,
}

pub struct Plan<'m> {
    pub model: &'m Model,
    pub class_names: Vec<String>,
    /// `Some(name)` for classes with subclasses that something refers to.
    pub any_names: Vec<Option<String>>,
    /// The borrowed view of an `Any` enum's shared properties (`KalturaBaseEntryRef`).
    pub ref_names: Vec<Option<String>>,
    pub enum_names: Vec<String>,
    pub fields: Vec<Vec<FieldPlan<'m>>>,
    pub variants: Vec<Vec<String>>,
    pub services: Vec<ServicePlan>,
    /// Plugin -> the plugins it needs (closed).
    pub plugin_deps: BTreeMap<String, Vec<String>>,
    /// The file (module) of each class and enum, under `types/` and `enums/`.
    pub class_module: Vec<String>,
    pub enum_module: Vec<String>,
}

/// About how many lines a generated file may hold. Items are grouped by plugin (the
/// core apart) and then by the start of their name after `Kaltura`: one letter for the
/// core (`core_m.rs`), none for a plugin (`plugin_reach.rs`), one more letter whenever a
/// group would be larger than this (`core_fl.rs`, `plugin_reach_e.rs`), so an item's
/// file follows from its name. Sizes are estimated from the model (see `weight_of_*`),
/// before anything is rendered; `tests/tests/xtask_codegen.rs` checks the real files
/// stay under 3,000 lines.
pub const FILE_BUDGET: usize = 2_000;

/// The name's stem for file grouping: after `Kaltura`, lower case, `_` for anything
/// that cannot be in a module name.
fn stem(name: &str) -> Vec<char> {
    name.strip_prefix("Kaltura")
        .unwrap_or(name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// An item to place: its index, the stem of its name, its estimated lines.
type Placed = (usize, Vec<char>, usize);

/// Assigns each item (`(index, name, estimated lines)`) of one group the file
/// `<prefix>` or `<prefix>_<start of its stem>`.
fn split_files(prefix: &str, items: &[Placed], depth: usize, min_depth: usize, out: &mut [String]) {
    let total: usize = items.iter().map(|i| i.2).sum();
    let longest = items.iter().map(|i| i.1.len()).max().unwrap_or(0);
    if depth >= min_depth && (total <= FILE_BUDGET || depth >= longest || items.len() == 1) {
        let file = match items.first() {
            Some((_, stem, _)) if depth > 0 => {
                let start: String = stem.iter().take(depth).collect();
                format!("{prefix}_{start}")
            }
            _ => prefix.to_string(),
        };
        for (index, _, _) in items {
            out[*index] = file.clone();
        }
        return;
    }
    // Names that end here keep the shorter file; the others go one letter further.
    let mut groups: std::collections::BTreeMap<Option<char>, Vec<Placed>> =
        std::collections::BTreeMap::new();
    for item in items {
        groups
            .entry(item.1.get(depth).copied())
            .or_default()
            .push(item.clone());
    }
    for (next, group) in groups {
        match next {
            None => split_files(prefix, &group, depth, depth, out),
            Some(_) => split_files(prefix, &group, depth + 1, min_depth, out),
        }
    }
}

/// The file of every item: `plugins[i]` is item i's plugin, `names[i]` its name,
/// `weights[i]` its estimated size in lines.
fn files_for(plugins: &[Option<&String>], names: &[&str], weights: &[usize]) -> Vec<String> {
    let mut groups: std::collections::BTreeMap<Option<&String>, Vec<Placed>> =
        std::collections::BTreeMap::new();
    for (i, plugin) in plugins.iter().enumerate() {
        groups
            .entry(*plugin)
            .or_default()
            .push((i, stem(names[i]), weights[i]));
    }
    let mut out = vec![String::new(); names.len()];
    for (plugin, items) in groups {
        match plugin {
            Some(p) => split_files(
                &format!("plugin_{}", names::feature(p)),
                &items,
                0,
                0,
                &mut out,
            ),
            None => split_files("core", &items, 0, 1, &mut out),
        }
    }
    out
}

fn doc_lines(description: &str) -> usize {
    let n = description.lines().filter(|l| !l.trim().is_empty()).count();
    if n == 0 {
        0
    } else {
        n + 1
    }
}

/// Secret-named strings are typed `rt::Secret`, which never prints its value: the
/// same rule the runtime's redaction applies to parameters on the wire.
fn is_sensitive(name: &str) -> bool {
    kaltura_ks::redact::is_secret_name(name)
}

impl<'m> Plan<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut type_scope = Scope::with_reserved(names::RESERVED_TYPES);
        let enum_names: Vec<String> = model
            .enums
            .iter()
            .map(|e| type_scope.claim(names::type_name(&e.name)))
            .collect();
        let class_names: Vec<String> = model
            .classes
            .iter()
            .map(|c| type_scope.claim(names::type_name(&c.name)))
            .collect();

        let mut referenced = BTreeSet::new();
        let mut note = |ty: &TypeRef| {
            walk_classes(ty, &mut |c| {
                referenced.insert(c);
            })
        };
        for c in &model.classes {
            c.properties.iter().for_each(|p| note(&p.ty));
        }
        for s in &model.services {
            for a in &s.actions {
                a.params.iter().for_each(|p| note(&p.ty));
                a.result.iter().for_each(&mut note);
            }
        }
        for c in model
            .configurations
            .client
            .iter()
            .chain(&model.configurations.request)
        {
            note(&c.ty);
        }
        let any_names: Vec<Option<String>> = model
            .class_ids()
            .map(|id| {
                let wanted = referenced.contains(&id) && !model.class(id).children.is_empty();
                wanted.then(|| type_scope.claim(format!("{}Any", class_names[id.0 as usize])))
            })
            .collect();
        // The borrowed view of the shared properties, `any.base()`.
        let ref_names: Vec<Option<String>> = model
            .class_ids()
            .map(|id| {
                any_names[id.0 as usize]
                    .as_ref()
                    .map(|_| type_scope.claim(format!("{}Ref", class_names[id.0 as usize])))
            })
            .collect();

        let fields: Vec<Vec<FieldPlan<'m>>> = model
            .class_ids()
            .map(|id| {
                let mut scope = Scope::default();
                model
                    .property_chain(id)
                    .into_iter()
                    .flat_map(|owner| model.class(owner).properties.iter())
                    // JSON cannot carry a file: such a property is left out (and the
                    // class's doc says so).
                    .filter(|prop| !is_file_property(prop))
                    .map(|prop| FieldPlan {
                        ident: scope.claim(names::snake(&prop.name)),
                        prop,
                    })
                    .collect()
            })
            .collect();

        let variants = model
            .enums
            .iter()
            .map(|e| {
                let mut scope = Scope::with_reserved(&["Unknown"]);
                e.consts
                    .iter()
                    .map(|c| scope.claim(names::camel(&c.name)))
                    .collect()
            })
            .collect();

        let mut method_scope = Scope::with_reserved(FACADE_METHODS);
        let mut module_scope = Scope::default();
        // Handles and request values share the types' namespace: a service file sees
        // every type through `use crate::generated::types::*`.
        let struct_scope = &mut type_scope;
        // Plugin services after core ones, so a core service keeps the short name.
        let mut order: Vec<usize> = (0..model.services.len()).collect();
        order.sort_by_key(|&i| model.services[i].plugin.is_some());
        let mut services: Vec<Option<ServicePlan>> =
            (0..model.services.len()).map(|_| None).collect();
        for i in order {
            let s = &model.services[i];
            let short = names::snake(&s.name);
            let method = if method_scope.is_taken(&short) {
                method_scope.claim(names::snake(&s.id))
            } else {
                method_scope.claim(short)
            };
            let base = names::camel(&method);
            let struct_name = struct_scope.claim(format!("{base}Service"));
            // `new` is the handle's constructor.
            let mut action_scope = Scope::with_reserved(&["new"]);
            let actions = s
                .actions
                .iter()
                .map(|a| {
                    let mut param_scope = Scope::with_reserved(REQUEST_METHODS);
                    let params: Vec<ParamPlan> = a
                        .params
                        .iter()
                        .map(|p| ParamPlan {
                            ident: param_scope.claim(names::snake(&p.name)),
                        })
                        .collect();
                    ActionPlan {
                        method: action_scope.claim(names::snake(&a.name)),
                        request: struct_scope
                            .claim(format!("{base}{}Request", names::camel(&a.name))),
                        file_params: a
                            .params
                            .iter()
                            .enumerate()
                            .filter(|(_, p)| p.ty == TypeRef::File)
                            .map(|(i, _)| i)
                            .collect(),
                        serves_file: a.result == Some(TypeRef::File),
                        pagination: pagination(&fields, &any_names, a, &params),
                        params,
                    }
                })
                .collect();
            services[i] = Some(ServicePlan {
                method,
                struct_name,
                wire_id: s.id.to_lowercase(),
                feature: s.plugin.as_deref().map(names::feature),
                deprecated: s.deprecated,
                module: module_scope.claim(names::module(&s.id.to_lowercase())),
                actions,
            });
        }

        // Estimated lines: a struct with a doc line and a table line per property (and
        // its description), its `Any` enum with about three lines per subclass; an enum
        // with a variant, a doc line and two match arms per constant.
        let class_weights: Vec<usize> = model
            .class_ids()
            .map(|id| {
                let class = model.class(id);
                let fields: usize = fields_of(&fields, id)
                    .iter()
                    .map(|f| 3 + doc_lines(&f.prop.description))
                    .sum();
                let any = if any_names[id.0 as usize].is_some() {
                    8 + 3 * model.descendants(id).len()
                } else {
                    0
                };
                8 + doc_lines(&class.description) + fields + any
            })
            .collect();
        let enum_weights: Vec<usize> = model
            .enums
            .iter()
            .map(|e| 30 + 5 * e.consts.len())
            .collect();
        let class_module = files_for(
            &model
                .classes
                .iter()
                .map(|c| c.plugin.as_ref())
                .collect::<Vec<_>>(),
            &model
                .classes
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            &class_weights,
        );
        let enum_module = files_for(
            &model
                .enums
                .iter()
                .map(|e| e.plugin.as_ref())
                .collect::<Vec<_>>(),
            &model
                .enums
                .iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>(),
            &enum_weights,
        );

        Plan {
            model,
            class_module,
            enum_module,
            class_names,
            any_names,
            ref_names,
            enum_names,
            fields,
            variants,
            services: services.into_iter().flatten().collect(),
            plugin_deps: model.plugin_dependencies(),
        }
    }

    pub fn class_ident(&self, id: ClassId) -> proc_macro2::Ident {
        names::ident(&self.class_names[id.0 as usize])
    }

    pub fn any_ident(&self, id: ClassId) -> Option<proc_macro2::Ident> {
        self.any_names[id.0 as usize].as_deref().map(names::ident)
    }

    pub fn enum_ident(&self, id: EnumId) -> proc_macro2::Ident {
        names::ident(&self.enum_names[id.0 as usize])
    }

    /// The Rust type of a value of `ty`. `boxed` boxes a plain class (properties, so
    /// that structs stay small and may contain themselves).
    pub fn rust_type(&self, ty: &TypeRef, name: &str, boxed: bool) -> TokenStream {
        match ty {
            TypeRef::Int | TypeRef::BigInt => quote!(i64),
            TypeRef::Float => quote!(f64),
            TypeRef::Bool => quote!(bool),
            TypeRef::String if is_sensitive(name) => quote!(rt::Secret),
            TypeRef::String => quote!(String),
            TypeRef::File => quote!(rt::FileParam),
            TypeRef::Enum(e) => {
                let i = self.enum_ident(*e);
                quote!(#i)
            }
            TypeRef::Object(c) => match self.any_ident(*c) {
                Some(any) => quote!(#any),
                None => {
                    let i = self.class_ident(*c);
                    if boxed {
                        quote!(Box<#i>)
                    } else {
                        quote!(#i)
                    }
                }
            },
            TypeRef::AnyObject => quote!(rt::AnyObject),
            TypeRef::Array(t) => {
                let t = self.rust_type(t, name, false);
                quote!(Vec<#t>)
            }
            TypeRef::Map(t) => {
                let t = self.rust_type(t, name, false);
                quote!(rt::BTreeMap<String, #t>)
            }
        }
    }

    /// Plugins whose items `ty` refers to.
    pub fn plugins_of(&self, ty: &TypeRef, out: &mut BTreeSet<String>) {
        match ty {
            TypeRef::Enum(e) => out.extend(self.model.enum_(*e).plugin.clone()),
            TypeRef::Object(c) => out.extend(self.model.class(*c).plugin.clone()),
            TypeRef::Array(t) | TypeRef::Map(t) => self.plugins_of(t, out),
            _ => {}
        }
    }

    /// `#[cfg(...)]` for something owned by `owner` (None = core) that needs `needs`,
    /// or nothing when the owner's feature already brings them.
    pub fn cfg(&self, owner: Option<&String>, needs: &BTreeSet<String>) -> TokenStream {
        let missing = self.cfg_features(owner, needs);
        match missing.len() {
            0 => quote!(),
            1 => {
                let f = &missing[0];
                quote!(#[cfg(feature = #f)])
            }
            _ => quote!(#[cfg(all(#(feature = #missing),*))]),
        }
    }

    /// The features an item of `owner` that uses the plugins `needs` is gated on
    /// beyond its owner's (what [`Plan::cfg`] writes).
    pub fn cfg_features(&self, owner: Option<&String>, needs: &BTreeSet<String>) -> Vec<String> {
        let given: BTreeSet<&String> = owner
            .into_iter()
            .chain(
                owner
                    .and_then(|o| self.plugin_deps.get(o))
                    .into_iter()
                    .flatten(),
            )
            .collect();
        let missing: Vec<String> = needs
            .iter()
            .filter(|p| !given.contains(p))
            .map(|p| names::feature(p))
            .collect();
        missing
    }

    /// A shared property of class `id` to show in examples (`.base().id`): `id` when
    /// the class has one, else its first property, else none.
    pub fn example_field(&self, id: ClassId) -> Option<String> {
        let fields = &self.fields[id.0 as usize];
        fields
            .iter()
            .find(|f| f.ident == "id")
            .or(fields.first())
            .map(|f| names::ident(&f.ident).to_string())
    }

    /// Every feature an item of `owner` that uses the plugins `needs` is available
    /// with: its owner's and the others it needs.
    pub fn item_features(&self, owner: Option<&String>, needs: &BTreeSet<String>) -> Vec<String> {
        let mut all: Vec<String> = owner.map(|p| names::feature(p)).into_iter().collect();
        for f in self.cfg_features(owner, needs) {
            if !all.contains(&f) {
                all.push(f);
            }
        }
        all
    }

    pub fn type_cfg(&self, owner: Option<&String>, ty: &TypeRef) -> TokenStream {
        let mut needs = BTreeSet::new();
        self.plugins_of(ty, &mut needs);
        self.cfg(owner, &needs)
    }
}

/// A property of type `file` (`KalturaUploadedFileResource.fileData`): the server fills
/// it from a multipart part, never from the JSON of an object.
pub fn is_file_property(prop: &Property) -> bool {
    prop.ty == TypeRef::File
}

fn walk_classes(ty: &TypeRef, f: &mut impl FnMut(ClassId)) {
    match ty {
        TypeRef::Object(c) => f(*c),
        TypeRef::Array(t) | TypeRef::Map(t) => walk_classes(t, f),
        _ => {}
    }
}

fn fields_of<'a, 'm>(fields: &'a [Vec<FieldPlan<'m>>], id: ClassId) -> &'a [FieldPlan<'m>] {
    &fields[id.0 as usize]
}

/// How `action` pages: it takes an optional `pager` of a class with `pageSize` and
/// `pageIndex`, and returns a class with an `objects` array and `totalCount`.
fn pagination(
    fields: &[Vec<FieldPlan<'_>>],
    any_names: &[Option<String>],
    action: &kaltura_schema::Action,
    params: &[ParamPlan],
) -> Option<PagePlan> {
    let plain = |ty: &TypeRef| match ty {
        TypeRef::Object(c) if any_names[c.0 as usize].is_none() => Some(*c),
        _ => None,
    };
    let field = |class: ClassId, wire: &str| {
        fields[class.0 as usize]
            .iter()
            .find(|f| f.prop.name == wire)
    };
    let (pager_index, pager_class) = action
        .params
        .iter()
        .enumerate()
        .find(|(_, p)| p.name == "pager" && p.optional)
        .and_then(|(i, p)| Some((i, plain(&p.ty)?)))?;
    let result = plain(action.result.as_ref()?)?;
    let (size, index) = (
        field(pager_class, "pageSize")?,
        field(pager_class, "pageIndex")?,
    );
    let (objects, total) = (field(result, "objects")?, field(result, "totalCount")?);
    let TypeRef::Array(item) = &objects.prop.ty else {
        return None;
    };
    Some(PagePlan {
        pager: params[pager_index].ident.clone(),
        page_size: size.ident.clone(),
        page_index: index.ident.clone(),
        objects: objects.ident.clone(),
        total_count: total.ident.clone(),
        item: (**item).clone(),
    })
}

impl Plan<'_> {
    /// Every decision of the plan as text, one item a line, for review and snapshots:
    /// files, features, names, `Any` enums, derives, pagination, files sent and served.
    pub fn describe(&self) -> String {
        use std::fmt::Write;
        let m = self.model;
        let mut out = String::new();
        let feature = |p: Option<&String>| match p {
            Some(p) => format!(" [feature {}]", names::feature(p)),
            None => String::new(),
        };
        out.push_str("# enums\n");
        for (i, e) in m.enums.iter().enumerate() {
            let derives = match e.kind {
                kaltura_schema::EnumKind::Int => "Debug, Clone, Copy, PartialEq, Eq, Hash",
                _ => "Debug, Clone, PartialEq, Eq, Hash",
            };
            let _ = writeln!(
                out,
                "{} -> enums/{}.rs{} derive({derives}) variants: {}",
                self.enum_names[i],
                self.enum_module[i],
                feature(e.plugin.as_ref()),
                self.variants[i].join(", ")
            );
        }
        out.push_str("\n# classes\n");
        for id in m.class_ids() {
            let i = id.0 as usize;
            let c = m.class(id);
            let any = match (&self.any_names[i], &self.ref_names[i]) {
                (Some(a), Some(r)) => format!(" any {a} base() {r}"),
                (Some(a), None) => format!(" any {a}"),
                _ => String::new(),
            };
            let fields: Vec<String> = self.fields[i]
                .iter()
                .map(|f| {
                    let ro = if f.prop.read_only { " ro" } else { "" };
                    format!("{}={}{ro}", f.ident, f.prop.name)
                })
                .collect();
            let _ = writeln!(
                out,
                "{} -> types/{}.rs{}{any} derive(Debug, Clone, Default, PartialEq) fields: {}",
                self.class_names[i],
                self.class_module[i],
                feature(c.plugin.as_ref()),
                fields.join(", ")
            );
        }
        out.push_str("\n# services\n");
        for (s, sp) in m.services.iter().zip(&self.services) {
            let _ = writeln!(
                out,
                "client.{}() -> {} in services/{}.rs (wire {}){}{}",
                sp.method,
                sp.struct_name,
                sp.module,
                sp.wire_id,
                feature(s.plugin.as_ref()),
                if sp.deprecated { " deprecated" } else { "" }
            );
            for (a, ap) in s.actions.iter().zip(&sp.actions) {
                let mut needs = BTreeSet::new();
                for ty in a.params.iter().map(|p| &p.ty).chain(a.result.iter()) {
                    self.plugins_of(ty, &mut needs);
                }
                let gate = self.cfg(s.plugin.as_ref(), &needs).to_string();
                let params: Vec<&str> = ap.params.iter().map(|p| p.ident.as_str()).collect();
                let mut facts = Vec::new();
                if !gate.is_empty() {
                    facts.push(gate.replace(' ', ""));
                }
                if !ap.file_params.is_empty() {
                    let files: Vec<&str> = ap
                        .file_params
                        .iter()
                        .map(|&i| ap.params[i].ident.as_str())
                        .collect();
                    facts.push(format!("files({})", files.join(", ")));
                }
                if ap.serves_file {
                    facts.push("serves a file".into());
                }
                if !a.enable_in_multi_request {
                    facts.push("not in multirequests".into());
                }
                if let Some(p) = &ap.pagination {
                    facts.push(format!(
                        "pages({}.{}/{}, {}/{} of {})",
                        p.pager,
                        p.page_index,
                        p.page_size,
                        p.objects,
                        p.total_count,
                        m.type_name(&p.item)
                    ));
                }
                let _ = writeln!(
                    out,
                    "  .{}({}) -> {}{}{}",
                    ap.method,
                    params.join(", "),
                    ap.request,
                    if facts.is_empty() { "" } else { " " },
                    facts.join(" ")
                );
            }
        }
        out
    }
}
