//! The mock's integration tests, one module per file, in one test binary: each file its
//! own binary linked the whole HTTP stack and the client again (twelve links, about
//! 10 s of a fresh clone's test build). One file's tests:
//! `cargo test -p kaltura-mock --test suite client::`.

#[path = "bad_requests.rs"]
mod bad_requests;
#[path = "client.rs"]
mod client;
mod common;
#[path = "errors_current.rs"]
mod errors_current;
#[path = "faults.rs"]
mod faults;
#[path = "http.rs"]
mod http;
#[path = "multirequest.rs"]
mod multirequest;
#[path = "persist.rs"]
mod persist;
#[path = "plugins.rs"]
mod plugins;
#[path = "privileges.rs"]
mod privileges;
#[path = "served.rs"]
mod served;
#[path = "sessions.rs"]
mod sessions;
#[path = "state.rs"]
mod state;
