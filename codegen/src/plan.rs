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
    "from_runtime",
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
    pub enum_names: Vec<String>,
    pub fields: Vec<Vec<FieldPlan<'m>>>,
    pub variants: Vec<Vec<String>>,
    pub services: Vec<ServicePlan>,
    /// Plugin -> the plugins it needs (closed).
    pub plugin_deps: BTreeMap<String, Vec<String>>,
    pub class_module: Vec<String>,
    pub enum_module: Vec<String>,
}

/// File of a core item: one per initial after the `Kaltura` prefix, so files stay
/// small and an item's file is predictable from its name.
fn core_module(prefix: &str, name: &str) -> String {
    let stem = name.strip_prefix("Kaltura").unwrap_or(name);
    let initial = stem
        .chars()
        .find(|c| c.is_ascii_alphabetic())
        .map_or('_', |c| c.to_ascii_lowercase());
    format!("{prefix}_{initial}")
}

fn module_for(prefix: &str, plugin: Option<&String>, name: &str) -> String {
    match plugin {
        Some(p) => format!("plugin_{}", names::feature(p)),
        None => core_module(prefix, name),
    }
}

fn is_sensitive(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("secret") || n.contains("password") || n == "ks"
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
        let any_names = model
            .class_ids()
            .map(|id| {
                let wanted = referenced.contains(&id) && !model.class(id).children.is_empty();
                wanted.then(|| type_scope.claim(format!("{}Any", class_names[id.0 as usize])))
            })
            .collect();

        let fields = model
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
                    ActionPlan {
                        method: action_scope.claim(names::snake(&a.name)),
                        request: struct_scope
                            .claim(format!("{base}{}Request", names::camel(&a.name))),
                        params: a
                            .params
                            .iter()
                            .map(|p| ParamPlan {
                                ident: param_scope.claim(names::snake(&p.name)),
                            })
                            .collect(),
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

        Plan {
            model,
            class_module: model
                .classes
                .iter()
                .map(|c| module_for("core", c.plugin.as_ref(), &c.name))
                .collect(),
            enum_module: model
                .enums
                .iter()
                .map(|e| module_for("core", e.plugin.as_ref(), &e.name))
                .collect(),
            class_names,
            any_names,
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
        match missing.len() {
            0 => quote!(),
            1 => {
                let f = &missing[0];
                quote!(#[cfg(feature = #f)])
            }
            _ => quote!(#[cfg(all(#(feature = #missing),*))]),
        }
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
