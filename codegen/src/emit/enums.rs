//! Open enums (docs/decisions.md, F5).
//!
//! One variant per distinct value. A constant that repeats an earlier constant's value
//! (`KalturaLanguage::IW`, the old code of `HE`) becomes an associated constant equal
//! to that variant, so that `KalturaLanguage::Iw == KalturaLanguage::He`, as on the
//! wire, and a decoded value compares equal to either name.

use crate::docs::{deprecated, doc};
use crate::names;
use crate::plan::Plan;
use kaltura_schema::{EnumId, EnumKind};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

pub fn emit(plan: &Plan<'_>, id: EnumId) -> TokenStream {
    let e = plan.model.enum_(id);
    let name = plan.enum_ident(id);
    let idents: Vec<_> = plan.variants[id.0 as usize]
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
         `Unknown` and are sent back unchanged; match with a `_` arm. `Display` prints the \
         wire value; `{{:#}}` and `.name()` give the API's constant name.",
        e.name,
        if e.kind == EnumKind::Int {
            "int"
        } else {
            "string"
        },
    );
    let features = plan.item_features(e.plugin.as_ref(), &Default::default());
    let enum_doc = doc("", &crate::docs::with_features(&meta, &features));
    let dep = deprecated(e.deprecated);

    // Int values are compared as numbers (` 02 ` is 2), string values exactly.
    let wire_value = |value: &str| match e.kind {
        EnumKind::Int => value
            .trim()
            .parse::<i64>()
            .map_or_else(|_| value.trim().to_string(), |v| v.to_string()),
        EnumKind::String => value.to_string(),
    };
    // For each constant, the first constant with its value (itself, mostly).
    let mut first_of_value: BTreeMap<String, usize> = BTreeMap::new();
    let firsts: Vec<usize> = e
        .consts
        .iter()
        .enumerate()
        .map(|(i, c)| *first_of_value.entry(wire_value(&c.value)).or_insert(i))
        .collect();
    let variant_ids: Vec<usize> = (0..e.consts.len()).filter(|&i| firsts[i] == i).collect();
    let alias_ids: Vec<usize> = (0..e.consts.len()).filter(|&i| firsts[i] != i).collect();

    let variants: Vec<_> = variant_ids.iter().map(|&i| &idents[i]).collect();
    let variant_docs = variant_ids.iter().map(|&i| {
        let c = &e.consts[i];
        let also: Vec<String> = alias_ids
            .iter()
            .filter(|&&a| firsts[a] == i)
            .map(|&a| format!("`{}`", e.consts[a].name))
            .collect();
        let also = if also.is_empty() {
            String::new()
        } else {
            format!(" (also named {})", also.join(", "))
        };
        doc("", &format!("`{}` = `{}`{also}", c.name, c.value))
    });
    let aliases = alias_ids.iter().map(|&a| {
        let alias = &idents[a];
        let target = &idents[firsts[a]];
        let c = &e.consts[a];
        let alias_doc = doc(
            "",
            &format!(
                "`{}` = `{}`, the value of `{}`: the same as [`Self::{}`].",
                c.name, c.value, e.consts[firsts[a]].name, target
            ),
        );
        quote! {
            #alias_doc
            pub const #alias: Self = Self::#target;
        }
    });
    let alias_impl = if alias_ids.is_empty() {
        quote!()
    } else {
        quote! {
            #[allow(non_upper_case_globals)]
            impl #name {
                #(#aliases)*
            }
        }
    };

    let const_names: Vec<&str> = variant_ids
        .iter()
        .map(|&i| e.consts[i].name.as_str())
        .collect();
    // The KS crate's session type and the API's are the same numbers: each converts
    // into the other, so either works with `session.start` and `KsBuilder`.
    let session = if e.name == "KalturaSessionType" && e.kind == EnumKind::Int {
        quote! {
            impl From<rt::ks::SessionType> for #name {
                fn from(value: rt::ks::SessionType) -> Self {
                    <Self as rt::IntEnum>::from_i64(value.code())
                }
            }
            impl TryFrom<#name> for rt::ks::SessionType {
                type Error = rt::ks::KsError;
                fn try_from(value: #name) -> Result<Self, Self::Error> {
                    let code = <#name as rt::IntEnum>::to_i64(&value);
                    rt::ks::SessionType::from_code(code).ok_or_else(|| {
                        rt::ks::KsError::InvalidInput {
                            field: "session type".into(),
                            reason: format!("{code} cannot be made locally (USER or ADMIN only)"),
                        }
                    })
                }
            }
        }
    } else {
        quote!()
    };
    match e.kind {
        EnumKind::Int => {
            let values: Vec<i64> = variant_ids
                .iter()
                .map(|&i| e.consts[i].value.trim().parse().unwrap_or_default())
                .collect();
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
                #alias_impl
                impl rt::IntEnum for #name {
                    fn from_i64(value: i64) -> Self {
                        match value {
                            #(#values => Self::#variants,)*
                            other => Self::Unknown(other),
                        }
                    }
                    fn to_i64(&self) -> i64 {
                        match self {
                            #(Self::#variants => #values,)*
                            Self::Unknown(other) => *other,
                        }
                    }
                    fn const_name(&self) -> Option<&'static str> {
                        match self {
                            #(Self::#variants => Some(#const_names),)*
                            Self::Unknown(_) => None,
                        }
                    }
                }
                rt::__int_enum!(#name);
                #session
            }
        }
        EnumKind::String => {
            let values: Vec<&str> = variant_ids
                .iter()
                .map(|&i| e.consts[i].value.as_str())
                .collect();
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
                #alias_impl
                impl rt::StringEnum for #name {
                    fn from_wire(value: &str) -> Self {
                        match value {
                            #(#values => Self::#variants,)*
                            other => Self::Unknown(other.to_string()),
                        }
                    }
                    fn as_wire(&self) -> &str {
                        match self {
                            #(Self::#variants => #values,)*
                            Self::Unknown(other) => other,
                        }
                    }
                    fn const_name(&self) -> Option<&'static str> {
                        match self {
                            #(Self::#variants => Some(#const_names),)*
                            Self::Unknown(_) => None,
                        }
                    }
                }
                rt::__string_enum!(#name);
            }
        }
    }
}
