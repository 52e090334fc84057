//! The `mod.rs` files that tie the generated files together, with plugin features.

use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// One file's module: its name and the feature that gates it, if any.
pub struct ModuleEntry {
    pub name: String,
    pub feature: Option<String>,
}

/// `mod x; pub use x::*;` for each file of a folder.
pub fn folder(doc: &str, entries: &[ModuleEntry]) -> TokenStream {
    let items = entries.iter().map(|e| {
        let m = format_ident!("{}", e.name);
        let cfg = match &e.feature {
            Some(f) => quote!(#[cfg(feature = #f)]),
            None => quote!(),
        };
        quote! {
            #cfg
            mod #m;
            #cfg
            pub use #m::*;
        }
    });
    let doc = format!(" {doc}");
    quote! {
        #![doc = #doc]
        #(#items)*
    }
}

pub fn root(api_version: &str) -> TokenStream {
    let doc = format!(" The Kaltura API {api_version}, generated from its `KalturaClient.xml`.");
    quote! {
        #![doc = #doc]
        /// The `apiVersion` of the schema this code was generated from; sent with every call.
        pub const API_VERSION: &str = #api_version;
        pub mod enums;
        pub mod types;
        pub mod services;
    }
}

/// The `use` lines at the top of every item file.
pub fn prelude(with_types: bool) -> TokenStream {
    if with_types {
        quote! {
            use crate::rt;
            use crate::generated::enums::*;
            use crate::generated::types::*;
        }
    } else {
        quote! {
            use crate::rt;
        }
    }
}

pub fn feature_of(plugin: Option<&String>) -> Option<String> {
    plugin.map(|p| names::feature(p))
}
