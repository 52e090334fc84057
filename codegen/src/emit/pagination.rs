//! `Paginated` for list actions: those taking a `pager` whose class has `pageSize` and
//! `pageIndex`, and returning a class with `objects` (an array) and `totalCount`.

use crate::names;
use crate::plan::Plan;
use kaltura_schema::{Action, ClassId, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The field of `class` (flattened) with wire name `wire`, if any.
fn field<'p>(
    plan: &'p Plan<'_>,
    class: ClassId,
    wire: &str,
) -> Option<&'p crate::plan::FieldPlan<'p>> {
    plan.fields[class.0 as usize]
        .iter()
        .find(|f| f.prop.name == wire)
}

fn plain_class(plan: &Plan<'_>, ty: &TypeRef) -> Option<ClassId> {
    match ty {
        TypeRef::Object(c) if plan.any_names[c.0 as usize].is_none() => Some(*c),
        _ => None,
    }
}

pub fn emit(
    plan: &Plan<'_>,
    action: &Action,
    param_idents: &[String],
    request: &Ident,
    cfg: &TokenStream,
) -> TokenStream {
    let Some((pager_index, pager_class)) = action
        .params
        .iter()
        .enumerate()
        .find(|(_, p)| p.name == "pager" && p.optional)
        .and_then(|(i, p)| Some((i, plain_class(plan, &p.ty)?)))
    else {
        return quote!();
    };
    let Some(result) = action.result.as_ref().and_then(|r| plain_class(plan, r)) else {
        return quote!();
    };
    let (Some(size), Some(index)) = (
        field(plan, pager_class, "pageSize"),
        field(plan, pager_class, "pageIndex"),
    ) else {
        return quote!();
    };
    let (Some(objects), Some(total)) = (
        field(plan, result, "objects"),
        field(plan, result, "totalCount"),
    ) else {
        return quote!();
    };
    let TypeRef::Array(item) = &objects.prop.ty else {
        return quote!();
    };
    let item = plan.rust_type(item, "", false);
    let pager = names::ident(&param_idents[pager_index]);
    let (size, index) = (names::ident(&size.ident), names::ident(&index.ident));
    let (objects, total) = (names::ident(&objects.ident), names::ident(&total.ident));
    quote! {
        #cfg
        impl rt::Paginated for #request {
            type Item = #item;
            fn set_page(&mut self, page_index: i64, page_size: i64) {
                let mut pager = self.#pager.clone().unwrap_or_default();
                pager.#index = rt::Field::Set(page_index);
                pager.#size = rt::Field::Set(page_size);
                self.#pager = Some(pager);
            }
            fn into_page(output: Self::Output) -> (Vec<Self::Item>, Option<i64>) {
                (
                    output.#objects.into_option().unwrap_or_default(),
                    output.#total.into_option(),
                )
            }
        }
        #cfg
        rt::__kaltura_paginated!(#request);
    }
}
