//! Every runtime name generated code uses, in one list: the generator's side of the
//! contract with `kaltura_runtime::rt` (see docs/contract.md).
//!
//! Generated item files reach the runtime only through `use kaltura_runtime::rt;`
//! ([`RT`]), and the client crate only through `rt` and `rt::facade`. The test
//! `codegen/tests/runtime_names.rs` checks both directions: every name here is exported
//! by `rt`, and every `rt::` path the emitters write is listed here, so that a renamed
//! runtime item fails a test naming it rather than the compilation of the generated
//! crates.

/// The module of the runtime generated code imports, as a path.
pub const RT: &str = "kaltura_runtime::rt";

/// The macro that implements a class from its property table.
pub const CLASS_MACRO: &str = "rt::__kaltura_class";
/// The macro that implements a `…Any` enum from its field list and variant table.
pub const ANY_MACRO: &str = "rt::__kaltura_any";

/// The names under `rt` that generated code uses, as written after `rt::` (the first
/// segment is what `rt` must export; `facade::x` are the client crate's re-exports).
pub const RT_NAMES: &[&str] = &[
    // Types of fields and parameters.
    "AnyObject",
    "Arg",
    "BTreeMap",
    "Field",
    "FileParam",
    "Secret",
    "ServedFile",
    "UnknownObject",
    // Traits the generated items implement or call.
    "IntEnum",
    "KalturaObject",
    "Paginated",
    "Request",
    "StringEnum",
    // Request values.
    "CallOptions",
    "Params",
    // The macros that implement generated items (docs/contract.md lists what each
    // expects).
    "__int_enum",
    "__string_enum",
    "__kaltura_class",
    "__kaltura_any",
    "__kaltura_request",
    "__kaltura_paginated",
    // The client crate's `Client` and its constructors.
    "Client",
    "ClientBuilder",
    "ClientConfig",
    "Error",
    "env",
    "transport",
    // Kaltura Sessions: the `SessionType` enum converts to and from the KS crate's.
    "ks",
    // The metadata crate's `api()`.
    "meta",
    // The client crate's re-exports for its users.
    "facade",
];

/// The client crate's re-exported modules, from `rt::facade` (which also has `meta`,
/// for the client's `meta` module, and `Blocking`, for its `blocking` module).
pub const FACADE_MODULES: &[&str] = &[
    "app_token",
    "codec",
    "config",
    "delivery",
    "env",
    "error",
    "field",
    "ks",
    "login",
    "multirequest",
    "object",
    "pagination",
    "prelude",
    "redact",
    "regions",
    "request",
    "retry",
    "secret",
    "session",
    "transport",
    "upload",
    "waiter",
    "webhook",
];

/// The client crate's re-exported items, from `rt::facade`.
pub const FACADE_ITEMS: &[&str] = &[
    "ApiError",
    "AppToken",
    "AppTokenFailure",
    "AppTokenHash",
    "AppTokenSession",
    "Arg",
    "ClientBuilder",
    "ClientConfig",
    "Error",
    "Field",
    "FileParam",
    "Handle",
    "ItemOutcome",
    "MultiRequest",
    "Region",
    "MultiResponse",
    "PathStep",
    "Progress",
    "Proxy",
    "RefPath",
    "Request",
    "ResultRef",
    "Retry",
    "RetryPolicy",
    "Secret",
    "ServeUrl",
    "ServedFile",
    "UploadError",
    "UploadOptions",
    "UploadSource",
    "UploadToken",
];

/// The items the client crate's `types` module adds to the generated ones.
pub const FACADE_TYPES: &[&str] = &["AnyObject", "UnknownObject"];

/// `rt::<path>` as tokens, for the emitters.
pub fn path(path: &str) -> proc_macro2::TokenStream {
    path.parse().expect("runtime names are paths")
}
