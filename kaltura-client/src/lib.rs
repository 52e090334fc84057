//! Typed Rust client for the Kaltura video platform API.
//!
//! The API surface (every service, action, class and enum) is generated from the
//! server's `KalturaClient.xml` into [`generated`](crate::types); the runtime around it
//! is written by hand.

pub mod client;
pub mod codec;
mod dynamic;
pub mod enums;
pub mod error;
pub mod field;
pub mod ks;
pub mod meta;
pub mod multirequest;
pub mod object;
pub mod pagination;
pub mod request;
#[doc(hidden)]
pub mod rt;
pub mod secret;
pub mod transport;
mod upload;

#[rustfmt::skip]
#[allow(clippy::all, deprecated, non_camel_case_types, unused_imports, unused_variables)]
mod generated;

pub use client::{Client, ClientBuilder, ClientConfig, Proxy, ServeUrl};
pub use error::{ApiError, Error};
pub use field::Field;
pub use multirequest::{Handle, MultiRequest, MultiResponse, ResultRef};
pub use request::{FileParam, Request, ServedFile};
pub use secret::Secret;

/// Every generated class and enum, by its Kaltura name.
pub mod types {
    pub use crate::generated::enums::*;
    pub use crate::generated::types::*;
    pub use crate::object::{AnyObject, UnknownObject};
}

/// The generated service handles and request values.
pub mod services {
    pub use crate::generated::services::*;
}

/// The API version the generated code was made from.
pub use generated::API_VERSION;
