//! The client crate users import: a `Client` that wraps the runtime's, with one
//! accessor per service, and the re-exports that put the generated API and the
//! runtime under one name. Its crate documentation is the guide in
//! `templates/client_docs.md`.

use crate::names;
use crate::plan::Plan;
use crate::runtime_names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

const GUIDE: &str = include_str!("../templates/client_docs.md");

/// The placeholder that the guide and the client's README template may hold, alone
/// on a line, for the table of cargo features ([`features_table`]).
pub const FEATURES_TABLE: &str = "{features_table}";

/// `lib.rs`: the guide (its `{features_table}` filled in), the re-exports, and
/// `mod client` (kept from rustfmt).
pub fn lib(features_table: &str) -> TokenStream {
    let guide = guide_lines(GUIDE, features_table);
    quote! {
        #(#![doc = #guide])*
        #![cfg_attr(docsrs, feature(doc_cfg))]
        // Everything lives in `client.rs`, which rustfmt leaves to prettyplease; this
        // file stays as rustfmt would write it.
        #[rustfmt::skip]
        mod client;
        pub use client::*;
    }
}

/// The re-exports that put the generated API and the runtime under one name.
fn reexports(api_version: &str) -> TokenStream {
    let version_doc =
        format!(" The `apiVersion` of the schema this client was generated from ({api_version}).");
    let ident = |name: &&str| format_ident!("{}", name);
    let types = runtime_names::FACADE_TYPES.iter().map(ident);
    let modules = runtime_names::FACADE_MODULES.iter().map(ident);
    let items = runtime_names::FACADE_ITEMS.iter().map(ident);
    quote! {
        #[doc = #version_doc]
        pub use kaltura_api::API_VERSION;
        pub use kaltura_api_services as services;
        /// Every generated class and enum, by its Kaltura name.
        pub mod types {
            // A schema may have no enums at all.
            #[allow(unused_imports)]
            pub use kaltura_api::enums::*;
            pub use kaltura_api::types::*;
            pub use kaltura_runtime::rt::facade::{#(#types),*};
        }
        /// The API as data: services, actions, parameters, classes and enums.
        pub mod meta {
            pub use kaltura_metadata::api;
            pub use kaltura_runtime::rt::facade::meta::*;
        }
        pub use kaltura_runtime::rt::facade::{#(#modules),*};
        pub use kaltura_runtime::rt::facade::{#(#items),*};
        /// Calls that block, for scripts and synchronous programs (feature `blocking`).
        #[cfg(feature = "blocking")]
        pub mod blocking {
            pub use kaltura_runtime::rt::facade::Blocking;
            /// The client with calls that block: `Client::new(url)?.into_blocking()?`.
            pub type Client = Blocking<super::Client>;
        }
        /// The reqwest the default transport is built on: bring your own
        /// `reqwest::Client` with `ReqwestTransport::new` without a version mismatch.
        #[cfg(feature = "reqwest")]
        pub use kaltura_reqwest::reqwest;
        /// The default transport (reqwest with rustls).
        #[cfg(feature = "reqwest")]
        pub use kaltura_reqwest::ReqwestTransport;
    }
}

/// The lines of the crate documentation: `guide` with its placeholder filled.
fn guide_lines(guide: &str, features_table: &str) -> Vec<String> {
    guide
        .replace(FEATURES_TABLE, features_table)
        .lines()
        .map(|l| format!(" {l}"))
        .collect()
}

/// The cargo features as a Markdown table: each feature (a Kaltura plugin), the
/// services it adds to the client (`client.e_search()`), and the features it turns on
/// with it. A feature without services adds classes and enums only.
pub fn features_table(
    plan: &Plan<'_>,
    features: &std::collections::BTreeMap<String, Vec<String>>,
) -> String {
    let mut out = String::from("| feature | services it adds | also enables |\n|---|---|---|\n");
    for (feature, deps) in features {
        let services: Vec<String> = plan
            .services
            .iter()
            .filter(|sp| sp.feature.as_deref() == Some(feature.as_str()))
            .map(|sp| format!("`{}()`", sp.method))
            .collect();
        let services = if services.is_empty() {
            "(types only)".to_string()
        } else {
            services.join(", ")
        };
        let deps: Vec<String> = deps.iter().map(|d| format!("`{d}`")).collect();
        let deps = if deps.is_empty() {
            "-".to_string()
        } else {
            deps.join(", ")
        };
        out.push_str(&format!("| `{feature}` | {services} | {deps} |\n"));
    }
    // The placeholder stands alone on its line, which keeps its own line break.
    out.pop();
    out
}

/// `client.rs`: the `Client` type and its service accessors.
pub fn client(plan: &Plan<'_>) -> TokenStream {
    let accessors = plan.services.iter().map(|sp| {
        let method = names::ident(&sp.method);
        let handle = format_ident!("{}", sp.struct_name);
        let cfg = match &sp.feature {
            Some(f) => quote!(#[cfg(feature = #f)]),
            None => quote!(),
        };
        let doc = crate::docs::with_features(
            &format!(
                " The `{}` service (`client.{}().<action>()`).",
                sp.wire_id, sp.method
            ),
            sp.feature.as_slice(),
        );
        let dep = crate::docs::deprecated(sp.deprecated);
        quote! {
            #[doc = #doc]
            #cfg
            #dep
            pub fn #method(&self) -> kaltura_api_services::#handle<'_> {
                kaltura_api_services::#handle::new(&self.0)
            }
        }
    });
    let reexports = reexports(&plan.model.api_version);
    quote! {
        // Deprecated services keep their accessors, themselves marked deprecated.
        #![allow(deprecated)]
        use kaltura_runtime::rt;

        #reexports

        /// A Kaltura API client: the runtime's [`rt::Client`] (which it dereferences
        /// to, for sessions, multirequests, uploads and raw calls) with one method per
        /// service. Cheap to clone; clones share the session and the connection pool.
        #[derive(Clone, Debug)]
        pub struct Client(rt::Client);

        impl Client {
            /// A client for the service at `service_url` (`https://www.kaltura.com`;
            /// a trailing `/` or `/api_v3` is fine) with default settings and the
            /// default transport.
            #[cfg(feature = "reqwest")]
            pub fn new(service_url: impl Into<String>) -> Result<Self, rt::Error> {
                Self::builder(service_url).build()
            }

            /// A client for the server and session the environment names
            /// (`KALTURA_SERVICE_URL`; `KALTURA_KS`, or `KALTURA_PARTNER_ID` and
            /// `KALTURA_ADMIN_SECRET` for an ADMIN session): see [`rt::env`].
            #[cfg(feature = "reqwest")]
            pub async fn from_env() -> Result<Self, rt::Error> {
                let settings = rt::env::EnvSettings::read()?;
                let client = Self::new(settings.service_url.as_str())?;
                settings.start(&client).await?;
                Ok(client)
            }

            /// A [`rt::ClientBuilder`] for the service at `service_url`, sending this
            /// schema's `apiVersion` and, with the `reqwest` feature, using the default
            /// transport unless given another.
            pub fn builder(service_url: impl Into<String>) -> rt::ClientBuilder<Client> {
                Self::builder_with(rt::ClientConfig::new(service_url))
            }

            /// A client with these settings and the default transport.
            #[cfg(feature = "reqwest")]
            pub fn with_config(config: rt::ClientConfig) -> Result<Self, rt::Error> {
                Self::builder_with(config).build()
            }

            /// A client with these settings that sends through `transport` (a mock, a
            /// middleware stack, ...).
            pub fn with_transport(
                config: rt::ClientConfig,
                transport: impl rt::transport::Transport,
            ) -> Result<Self, rt::Error> {
                Self::builder_with(config).transport(transport).build()
            }

            fn builder_with(mut config: rt::ClientConfig) -> rt::ClientBuilder<Client> {
                if config.api_version.is_empty() {
                    config.api_version = kaltura_api::API_VERSION.to_string();
                }
                let builder = rt::ClientBuilder::with_config(config);
                #[cfg(feature = "reqwest")]
                let builder = builder.default_transport(kaltura_reqwest::for_config);
                builder
            }

            /// Wraps a runtime client.
            pub fn from_runtime(client: rt::Client) -> Self {
                Client(client)
            }

            /// The runtime client inside.
            pub fn runtime(&self) -> &rt::Client {
                &self.0
            }

            pub fn into_runtime(self) -> rt::Client {
                self.0
            }

            /// This client with calls that block (`client.wait(request)`), for scripts
            /// and synchronous programs; see [`blocking`](crate::blocking).
            #[cfg(feature = "blocking")]
            pub fn into_blocking(self) -> Result<blocking::Client, rt::Error> {
                rt::facade::Blocking::new(self)
            }

            #(#accessors)*
        }

        impl std::ops::Deref for Client {
            type Target = rt::Client;
            fn deref(&self) -> &rt::Client {
                &self.0
            }
        }

        impl AsRef<rt::Client> for Client {
            fn as_ref(&self) -> &rt::Client {
                &self.0
            }
        }

        impl From<rt::Client> for Client {
            fn from(client: rt::Client) -> Self {
                Client(client)
            }
        }

        impl From<Client> for rt::Client {
            fn from(client: Client) -> Self {
                client.0
            }
        }
    }
}

/// `lib.rs` of the metadata crate.
pub fn metadata_lib(api_version: &str) -> TokenStream {
    let doc = format!(
        " The Kaltura API {api_version} as data (services, actions, parameters, classes and \
         enums), as the generator wrote it: for tools that check calls without compiling \
         the typed client, such as the `kaltura` command line."
    );
    quote! {
        #![doc = #doc]
        /// The description as JSON (`metadata.json`).
        pub const JSON: &str = include_str!("metadata.json");
        /// The `apiVersion` it describes.
        pub const API_VERSION: &str = #api_version;
        /// The description, read on first use.
        pub fn api() -> &'static kaltura_runtime::rt::meta::Api {
            static API: std::sync::OnceLock<kaltura_runtime::rt::meta::Api> =
                std::sync::OnceLock::new();
            API.get_or_init(|| {
                kaltura_runtime::rt::meta::Api::from_json(JSON)
                    .expect("metadata.json is written by the generator and checked by its tests")
            })
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_guide_gets_the_features_table_in_place_of_its_placeholder() {
        let table =
            "| feature | services it adds | also enables |\n|---|---|---|\n| `a` | `x()` | - |";
        let lines = super::guide_lines("Features:\n\n{features_table}\n\nEnd.", table);
        assert_eq!(
            lines,
            [
                " Features:",
                " ",
                " | feature | services it adds | also enables |",
                " |---|---|---|",
                " | `a` | `x()` | - |",
                " ",
                " End."
            ]
        );
    }
}
