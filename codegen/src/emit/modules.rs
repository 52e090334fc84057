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

/// `lib.rs` of the API crate. The modules are `rustfmt::skip`: prettyplease formats
/// them, and `cargo fmt --check` must not disagree with it.
pub fn root(api_version: &str) -> TokenStream {
    let doc = format!(
        " The Kaltura API {api_version} as Rust types and request values, generated from its \
         `KalturaClient.xml`."
    );
    quote! {
        #![doc = #doc]
        #![doc = ""]
        #![doc = " Use it through `kaltura-client`, which re-exports it with the client."]
        #![allow(clippy::all, deprecated, non_camel_case_types, unused_imports, unused_variables)]
        #![cfg_attr(docsrs, feature(doc_cfg))]
        /// The `apiVersion` of the schema this code was generated from; sent with every call.
        pub const API_VERSION: &str = #api_version;
        #[rustfmt::skip]
        pub mod enums;
        #[rustfmt::skip]
        pub mod types;
        #[rustfmt::skip]
        pub mod services;
    }
}

/// The `use` lines at the top of every item file.
pub fn prelude(with_types: bool) -> TokenStream {
    let rt = crate::runtime_names::path(crate::runtime_names::RT);
    if with_types {
        quote! {
            use #rt;
            use crate::enums::*;
            use crate::types::*;
        }
    } else {
        quote! {
            use #rt;
        }
    }
}

pub fn feature_of(plugin: Option<&String>) -> Option<String> {
    plugin.map(|p| names::feature(p))
}
