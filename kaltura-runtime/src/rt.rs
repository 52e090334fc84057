//! The contract between the generator and the runtime: everything generated code uses
//! from the runtime, and nothing else, under one short path (`rt::`) so that generated
//! names can never shadow runtime names. Generated item files start with
//! `use kaltura_runtime::rt;`; the client crate also re-exports [`facade`] for its
//! users. The generator lists the same names in `codegen/src/runtime_names.rs`, and
//! `codegen/tests/runtime_names.rs` checks that the two agree; `docs/contract.md` says
//! which files a change of this contract touches.

// Types of fields and parameters.
pub use crate::field::{Arg, Field};
pub use crate::files::FileParam;
pub use crate::object::{AnyObject, UnknownObject};
pub use crate::response::ServedFile;
pub use crate::secret::Secret;
pub use std::collections::BTreeMap;

// Traits the generated items implement or call, and the values requests carry.
pub use crate::enums::{IntEnum, StringEnum};
pub use crate::object::KalturaObject;
pub use crate::pagination::Paginated;
pub use crate::request::{CallOptions, Params, Request};

// The macros that implement generated items; the helpers they call are reached through
// `$crate`, not through this module.
pub use crate::{
    __int_enum, __kaltura_any, __kaltura_class, __kaltura_paginated, __kaltura_request,
    __string_enum,
};

// The generated `Client` and its constructors (client crate), and the metadata crate's
// `api()`.
pub use crate::client::Client;
pub use crate::{env, meta, transport, ClientBuilder, ClientConfig, Error};
pub use kaltura_ks as ks;

/// What the client crate re-exports to its users, beside the generated API.
pub mod facade {
    #[cfg(feature = "blocking")]
    pub use crate::blocking::Blocking;
    pub use crate::object::{AnyObject, UnknownObject};
    pub use crate::pagination::prelude;
    pub use crate::{
        app_token, codec, config, delivery, env, error, field, ks, login, meta, multirequest,
        object, pagination, redact, regions, request, retry, secret, session, transport, upload,
        waiter, webhook,
    };
    pub use crate::{
        ApiError, AppToken, AppTokenFailure, AppTokenHash, AppTokenSession, Arg, ClientBuilder,
        ClientConfig, Error, Field, FileParam, Handle, ItemOutcome, MultiRequest, MultiResponse,
        PathStep, Progress, Proxy, RefPath, Region, Request, ResultRef, Retry, RetryPolicy, Secret,
        ServeUrl, ServedFile, UploadError, UploadOptions, UploadSource, UploadToken,
    };
}
