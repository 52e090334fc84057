//! One struct per class, inherited properties flattened in (docs/decisions.md, F6), and a
//! `…Any` enum for classes whose subclasses may arrive in their place.

use super::tables::{Entry, Piece, Table};
use crate::docs::{deprecated, doc, feature_note, with_features};
use crate::names;
use crate::plan::Plan;
use crate::runtime_names;
use kaltura_schema::{ClassId, Property};
use proc_macro2::TokenStream;
use quote::quote;

fn property_meta(p: &Property) -> String {
    let mut flags = vec![format!("Wire name `{}`", p.name)];
    for (on, what) in [
        (p.read_only, "read-only (never sent)"),
        (p.insert_only, "insert-only"),
        (p.write_only, "write-only"),
        (p.is_time, "unix time in seconds"),
        (p.multi_lingual, "multilingual"),
    ] {
        if on {
            flags.push(what.to_string());
        }
    }
    if let Some(perm) = &p.requires_permissions {
        flags.push(format!("requires permission `{perm}`"));
    }
    format!("{}.", flags.join("; "))
}

/// The class's items: the struct, its `__kaltura_class!` table and, for a class with
/// subclasses, its `…Any` enum.
pub fn emit(plan: &Plan<'_>, id: ClassId, out: &mut Vec<Piece>) {
    let model = plan.model;
    let class = model.class(id);
    let name = plan.class_ident(id);
    let wire = &class.name;
    let mut meta = format!("Kaltura class `{wire}`");
    if let Some(b) = class.base {
        meta.push_str(&format!(", derived from `{}`", model.class(b).name));
    }
    if class.is_abstract {
        meta.push_str(", abstract");
    }
    if let Some(p) = &class.plugin {
        meta.push_str(&format!(", plugin `{p}`"));
    }
    meta.push('.');
    let own_features = plan.item_features(class.plugin.as_ref(), &Default::default());
    let meta = with_features(&meta, &own_features);
    let mut meta = meta;
    if plan.any_names[id.0 as usize].is_some() {
        meta.push_str(&format!(
            " Where a value may be a subclass, the API uses [`{}`].",
            plan.any_names[id.0 as usize].as_deref().unwrap_or_default()
        ));
    }
    let files: Vec<String> = model
        .all_properties(id)
        .into_iter()
        .filter(|p| crate::plan::is_file_property(p))
        .map(|p| format!("`{}`", p.name))
        .collect();
    if !files.is_empty() {
        meta.push_str(&format!(
            " Left out: {}, of type file, which an object's JSON cannot carry.",
            files.join(", ")
        ));
    }
    let class_doc = doc(&class.description, &meta);
    let dep = deprecated(class.deprecated);

    let fields = &plan.fields[id.0 as usize];
    let mut defs = Vec::new();
    // The property table of `__kaltura_class!`, one property a line.
    let mut table = Vec::new();
    for f in fields {
        let p = f.prop;
        let ident = names::ident(&f.ident);
        let wire_name = &p.name;
        let cfg = plan.type_cfg(class.plugin.as_ref(), &p.ty);
        let ty = plan.rust_type(&p.ty, &p.name, true);
        let mut needs = std::collections::BTreeSet::new();
        plan.plugins_of(&p.ty, &mut needs);
        let field_doc = doc(
            &p.description,
            &with_features(
                &property_meta(p),
                &plan.cfg_features(class.plugin.as_ref(), &needs),
            ),
        );
        let fdep = deprecated(p.deprecated);
        defs.push(quote! {
            #field_doc
            #fdep
            #cfg
            pub #ident: rt::Field<#ty>,
        });
        let access = if p.read_only { " read_only" } else { "" };
        table.push(Entry {
            cfg,
            text: format!("{ident}: {wire_name:?}{access}"),
            cfg_above: true,
        });
    }

    out.push(Piece::Items(quote! {
        #class_doc
        #dep
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#defs)*
        }
    }));
    out.push(Piece::Table(Table {
        path: runtime_names::CLASS_MACRO,
        head: vec![format!("{name} = {wire:?}")],
        groups: vec![table],
    }));
    if let Some(any) = plan.any_ident(id) {
        emit_any(plan, id, &any, out);
    }
}

fn emit_any(plan: &Plan<'_>, id: ClassId, any: &proc_macro2::Ident, out: &mut Vec<Piece>) {
    let model = plan.model;
    let class = model.class(id);
    let base = plan.class_ident(id);
    let base_wire = &class.name;
    let members: Vec<ClassId> = std::iter::once(id).chain(model.descendants(id)).collect();
    let idents: Vec<_> = members.iter().map(|&c| plan.class_ident(c)).collect();
    let cfgs: Vec<TokenStream> = members
        .iter()
        .map(|&c| {
            let mut needs = std::collections::BTreeSet::new();
            needs.extend(model.class(c).plugin.clone());
            plan.cfg(class.plugin.as_ref(), &needs)
        })
        .collect();
    // The variant table of `__kaltura_any!`, one subclass a line.
    let table = members
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, &c)| Entry {
            cfg: cfgs[i].clone(),
            text: format!("{} = {:?}", idents[i], model.class(c).name),
            cfg_above: false,
        })
        .collect();

    // The shared properties, borrowed: a struct of references, and their list for
    // `__kaltura_any!`, which builds it from any variant.
    let view = names::ident(plan.ref_names[id.0 as usize].as_deref().unwrap_or_default());
    let mut view_fields = Vec::new();
    let mut list = Vec::new();
    for f in &plan.fields[id.0 as usize] {
        let ident = names::ident(&f.ident);
        let cfg = plan.type_cfg(class.plugin.as_ref(), &f.prop.ty);
        let ty = plan.rust_type(&f.prop.ty, &f.prop.name, true);
        view_fields.push(quote! {
            #cfg
            pub #ident: &'a rt::Field<#ty>,
        });
        list.push(Entry {
            cfg,
            text: ident.to_string(),
            cfg_above: false,
        });
    }
    // A subclass to name in the examples: the first, or the class itself.
    let example = idents.get(1).unwrap_or(&idents[0]);
    let shared = plan
        .example_field(id)
        .map(|f| format!(": `value.base().{f}`, not `value.{f}`"))
        .unwrap_or_default();
    let mut text = format!(
        "A `{base_wire}` or any of its subclasses, chosen by the `objectType` the server \
         sends. An `objectType` this client does not know (a newer server, or a plugin \
         whose feature is off) decodes as `Unknown`, holding the `{base_wire}` \
         properties and the raw JSON.\n\n\
         Reading: the properties all of them share are behind `.base()`, borrowed \
         ([`{view}`]){shared}; `.to_base()` copies them into a `{base}`. A subclass's own properties by its variant: \
         `if let {any}::{example}(v) = &value {{ .. }}`, or a `match` with a `_` arm.\n\n\
         Writing: a parameter or property of this type takes `{base}` or any subclass. \
         A parameter takes the value itself; a property `{any}::from(value).into()` (or \
         `Field::Set(value.into())`), a list property \
         `vec![{any}::from(a), b.into()].into()`."
    );
    let note = feature_note(&plan.item_features(class.plugin.as_ref(), &Default::default()));
    if !note.is_empty() {
        text.push(' ');
        text.push_str(&note);
    }
    let any_doc = doc("", &text);
    let view_doc = format!(
        " The properties `{base_wire}` and all its subclasses share, borrowed from a \
         [`{any}`] by `.base()` without a copy: `entry.base().name`."
    );
    out.push(Piece::Items(quote! {
        #any_doc
        #[derive(Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #any {
            #( #cfgs #idents(Box<#idents>), )*
            Unknown(Box<rt::UnknownObject<#base>>),
        }
        #[doc = #view_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #view<'a> {
            #(#view_fields)*
            // Holds the lifetime for a base class without properties.
            _marker: std::marker::PhantomData<&'a ()>,
        }
    }));
    out.push(Piece::Table(Table {
        path: runtime_names::ANY_MACRO,
        head: vec![format!("{any} : {base} = {base_wire:?}, {view}")],
        groups: vec![list, table],
    }));
}
