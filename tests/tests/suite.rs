//! Most of the workspace's integration tests, one module per file, in one test binary:
//! the API's functions are compiled into each binary that calls them (they are all
//! `#[inline]`, docs/decisions.md R19), so one binary compiles them once instead of
//! thirty times. `cargo test -p kaltura-tests --test suite decode::` runs one file's
//! tests. The files that snapshot with insta (whose snapshot names follow the
//! module path), `readme_features` (named in the README), `fuzz_corpora` (it includes
//! the fuzz harnesses, which name their modules from the crate root) and `load` (a
//! figure, not a check) stay binaries of their own (`tests/Cargo.toml`).

#[path = "app_token.rs"]
mod app_token;
#[path = "bad_input.rs"]
mod bad_input;
#[path = "codegen_compiles.rs"]
mod codegen_compiles;
#[path = "codegen_names.rs"]
mod codegen_names;
#[path = "conformance.rs"]
mod conformance;
#[path = "decode.rs"]
mod decode;
#[path = "delivery_urls.rs"]
mod delivery_urls;
#[path = "everyday.rs"]
mod everyday;
#[path = "examples.rs"]
mod examples;
#[path = "examples_wait_list.rs"]
mod examples_wait_list;
#[path = "first_app.rs"]
mod first_app;
#[path = "integration.rs"]
mod integration;
#[path = "ks.rs"]
mod ks;
#[path = "large_lists.rs"]
mod large_lists;
#[path = "logs.rs"]
mod logs;
#[path = "pagination.rs"]
mod pagination;
#[path = "prelude.rs"]
mod prelude;
#[path = "references.rs"]
mod references;
#[path = "retries.rs"]
mod retries;
#[path = "runtime.rs"]
mod runtime;
#[path = "schema_diff.rs"]
mod schema_diff;
#[path = "schema_errors.rs"]
mod schema_errors;
#[path = "schema_real.rs"]
mod schema_real;
#[path = "secrets.rs"]
mod secrets;
#[path = "session_renewal.rs"]
mod session_renewal;
#[path = "upload.rs"]
mod upload;
#[path = "waiters.rs"]
mod waiters;
#[path = "webhooks.rs"]
mod webhooks;
#[path = "xtask_codegen.rs"]
mod xtask_codegen;
