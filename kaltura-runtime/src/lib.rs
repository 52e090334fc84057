//! The hand-written runtime under the generated Kaltura client: the client and its
//! settings, the call loop (retries, timeouts, logs), transports, the JSON codec,
//! errors, multirequests, chunked uploads, pagination, dynamic calls, sessions from
//! application tokens ([`app_token`]) and the regional service URLs ([`regions`]).
//!
//! Most programs use it through `kaltura-client`, which re-exports what they need next
//! to the generated API. It never depends on generated code: generated crates depend
//! on it, through the [`rt`] module and the `__kaltura_*` macros. Programs that work
//! from the API metadata rather than typed values (the `kaltura` command line, proxies)
//! use it directly with [`Client::call_json`].
//!
//! The call path reads in one direction, one step a module: a request value
//! ([`request`]) is sent by the call loop ([`orchestrator`]) through a transport
//! ([`transport`]), and the answer is decoded ([`response`], [`codec`]).
//!
//! # Features
//!
//! * `test-util`: `transport::MockTransport`, canned replies and captured requests.
//! * `blocking`: `blocking::Blocking`, calls that block, on a runtime of their own.

pub mod app_token;
#[cfg(feature = "blocking")]
pub mod blocking;
pub mod builder;
pub mod call;
pub mod client;
pub mod codec;
pub mod config;
pub mod delivery;
mod dynamic;
pub mod enums;
pub mod env;
pub mod error;
pub mod field;
pub mod files;
mod internal;
mod logging;
pub mod login;
pub mod meta;
pub mod multirequest;
pub mod object;
pub mod orchestrator;
pub mod pagination;
pub mod redact;
pub mod reference;
pub mod regions;
pub mod request;
pub mod response;
pub mod retry;
#[doc(hidden)]
pub mod rt;
pub mod secret;
pub mod session;
pub mod transport;
pub mod upload;
pub mod waiter;
pub mod webhook;

/// Kaltura Sessions: local generation, inspection and validation (the `kaltura-ks`
/// crate).
pub use kaltura_ks as ks;

pub use app_token::{AppToken, AppTokenFailure, AppTokenHash, AppTokenSession};
pub use builder::{ClientBuilder, TransportFactory};
pub use client::{Client, ServeUrl, SessionSettings};
pub use config::{ClientConfig, Proxy};
pub use error::{ApiError, Error};
pub use field::{Arg, Field};
pub use files::FileParam;
pub use multirequest::{
    Handle, ItemOutcome, MultiRequest, MultiResponse, PathStep, RefPath, ResultRef,
};
pub use object::{AnyObject, UnknownObject};
pub use regions::Region;
pub use request::Request;
pub use response::ServedFile;
pub use retry::{Retry, RetryPolicy};
pub use secret::Secret;
pub use upload::{Progress, UploadError, UploadOptions, UploadSource, UploadToken};
