//! Open enums (DECISIONS D5).

use crate::docs::{deprecated, doc};
use crate::names;
use crate::plan::Plan;
use kaltura_schema::{EnumId, EnumKind};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

pub fn emit(plan: &Plan<'_>, id: EnumId) -> TokenStream {
    let e = plan.model.enum_(id);
    let name = plan.enum_ident(id);
    let variants: Vec<_> = plan.variants[id.0 as usize]
        .iter()
        .map(|v| names::ident(v))
        .collect();
    let plugin = e
        .plugin
        .as_ref()
        .map(|p| format!("; plugin `{p}`"))
        .unwrap_or_default();
    let meta = format!(
        "Kaltura enum `{}` ({} values{plugin}). Values this client does not know arrive as \
         `Unknown` and are sent back unchanged; match with a `_` arm.",
        e.name,
        if e.kind == EnumKind::Int {
            "int"
        } else {
            "string"
        },
    );
    let enum_doc = doc("", &meta);
    let dep = deprecated(e.deprecated);
    let variant_docs = e
        .consts
        .iter()
        .map(|c| doc("", &format!("`{}` = `{}`", c.name, c.value)));
    // The first constant with a value wins when two share it.
    let mut seen = BTreeSet::new();
    let firsts: Vec<usize> = e
        .consts
        .iter()
        .enumerate()
        .filter(|(_, c)| seen.insert(c.value.trim().to_string()))
        .map(|(i, _)| i)
        .collect();
    let decode_variants = firsts.iter().map(|&i| &variants[i]);
    match e.kind {
        EnumKind::Int => {
            let values: Vec<i64> = e
                .consts
                .iter()
                .map(|c| c.value.trim().parse().unwrap_or_default())
                .collect();
            let decode_values = firsts.iter().map(|&i| values[i]);
            quote! {
                #enum_doc
                #dep
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variant_docs #variants,)*
                    /// A value this client does not know.
                    Unknown(i64),
                }
                impl rt::IntEnum for #name {
                    fn from_i64(value: i64) -> Self {
                        match value {
                            #(#decode_values => Self::#decode_variants,)*
                            other => Self::Unknown(other),
                        }
                    }
                    fn to_i64(&self) -> i64 {
                        match self {
                            #(Self::#variants => #values,)*
                            Self::Unknown(other) => *other,
                        }
                    }
                }
                crate::__int_enum!(#name);
            }
        }
        EnumKind::String => {
            let values: Vec<&str> = e.consts.iter().map(|c| c.value.as_str()).collect();
            let decode_values = firsts.iter().map(|&i| values[i]);
            quote! {
                #enum_doc
                #dep
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variant_docs #variants,)*
                    /// A value this client does not know.
                    Unknown(String),
                }
                impl rt::StringEnum for #name {
                    fn from_wire(value: &str) -> Self {
                        match value {
                            #(#decode_values => Self::#decode_variants,)*
                            other => Self::Unknown(other.to_string()),
                        }
                    }
                    fn as_wire(&self) -> &str {
                        match self {
                            #(Self::#variants => #values,)*
                            Self::Unknown(other) => other,
                        }
                    }
                }
                crate::__string_enum!(#name);
            }
        }
    }
}
