//! The command's integration tests, one module per file, in one test binary: each file
//! its own binary linked the whole HTTP stack and the client again. One file's tests:
//! `cargo test -p kaltura-cli --test suite profiles::`. The fuzz corpus replay stays a
//! binary of its own: the harness it includes names modules from the crate root.

#[path = "app_token.rs"]
mod app_token;
#[path = "cli.rs"]
mod cli;
#[path = "completion.rs"]
mod completion;
#[path = "profiles.rs"]
mod profiles;
#[path = "redirects.rs"]
mod redirects;
#[path = "security.rs"]
mod security;
#[path = "wait_and_list_all.rs"]
mod wait_and_list_all;
#[path = "webhook.rs"]
mod webhook;
