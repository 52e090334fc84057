//! `Paginated` for the list actions the plan found to page (see `plan::PagePlan`).

use crate::names;
use crate::plan::{PagePlan, Plan};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

pub fn emit(
    plan: &Plan<'_>,
    page: Option<&PagePlan>,
    request: &Ident,
    cfg: &TokenStream,
) -> TokenStream {
    let Some(p) = page else {
        return quote!();
    };
    let item = plan.rust_type(&p.item, "", false);
    let pager = names::ident(&p.pager);
    let (size, index) = (names::ident(&p.page_size), names::ident(&p.page_index));
    let (objects, total) = (names::ident(&p.objects), names::ident(&p.total_count));
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
