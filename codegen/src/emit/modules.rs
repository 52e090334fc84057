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
    let items = modules(entries, false);
    let doc = format!(" {doc}");
    quote! {
        #![doc = #doc]
        #items
    }
}

/// `mod x; pub use x::*;` for each file, gated by its feature. At a crate's root each
/// module is `rustfmt::skip` (prettyplease formats the files, and `cargo fmt --check`
/// must not disagree with it); below, the folder's own module is.
fn modules(entries: &[ModuleEntry], at_root: bool) -> TokenStream {
    let skip = if at_root {
        quote!(#[rustfmt::skip])
    } else {
        quote!()
    };
    let items = entries.iter().map(|e| {
        let m = format_ident!("{}", e.name);
        let cfg = match &e.feature {
            Some(f) => quote!(#[cfg(feature = #f)]),
            None => quote!(),
        };
        quote! {
            #cfg
            #skip
            mod #m;
            #cfg
            pub use #m::*;
        }
    });
    quote!(#(#items)*)
}

/// The inner attributes every generated API crate's root carries.
fn crate_attributes() -> TokenStream {
    quote! {
        #![allow(clippy::all, deprecated, non_camel_case_types, unused_imports, unused_variables)]
        #![cfg_attr(docsrs, feature(doc_cfg))]
    }
}

/// `lib.rs` of a crate whose files are its modules (the enums, the services): `mod x;
/// pub use x::*;` for each, under the crate's docs.
pub fn crate_root(doc: &str, entries: &[ModuleEntry]) -> TokenStream {
    let attributes = crate_attributes();
    let items = modules(entries, true);
    let doc = format!(" {doc}");
    quote! {
        #![doc = #doc]
        #![doc = ""]
        #![doc = " Use it through `kaltura-client`, which re-exports it with the client."]
        #attributes
        #items
    }
}

/// `lib.rs` of the API crate. The modules are `rustfmt::skip`: prettyplease formats
/// them, and `cargo fmt --check` must not disagree with it.
pub fn root(api_version: &str) -> TokenStream {
    let doc = format!(
        " The classes of the Kaltura API {api_version} as Rust types, with its enums, generated \
         from its `KalturaClient.xml`. The services and their request values are in \
         `kaltura-api-services`."
    );
    let attributes = crate_attributes();
    quote! {
        #![doc = #doc]
        #![doc = ""]
        #![doc = " Use it through `kaltura-client`, which re-exports it with the client."]
        #attributes
        /// The `apiVersion` of the schema this code was generated from; sent with every call.
        pub const API_VERSION: &str = #api_version;
        /// The enums, from their own crate.
        pub use kaltura_api_enums as enums;
        #[rustfmt::skip]
        pub mod types;
    }
}

/// Which of the API's crates a file belongs to (see [`crate::Crates`]).
#[derive(Clone, Copy)]
pub enum Layer {
    Enums,
    Types,
    Services,
}

/// The `use` lines at the top of every item file. Each crate names the one below it
/// by the name its manifest gives the dependency, whatever the package is called.
pub fn prelude(layer: Layer) -> TokenStream {
    let rt = crate::runtime_names::path(crate::runtime_names::RT);
    match layer {
        Layer::Enums => quote! {
            use #rt;
        },
        Layer::Types => quote! {
            use #rt;
            use kaltura_api_enums::*;
            use crate::types::*;
        },
        Layer::Services => quote! {
            use #rt;
            use kaltura_api::enums::*;
            use kaltura_api::types::*;
        },
    }
}

pub fn feature_of(plugin: Option<&String>) -> Option<String> {
    plugin.map(|p| names::feature(p))
}
