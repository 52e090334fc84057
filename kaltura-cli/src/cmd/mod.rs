//! One module per command: its arguments (a clap `Args` or `Subcommand`) and its
//! `run`, which takes the run's [`Context`](crate::context::Context). Commands import
//! the shared layers beneath them (arguments, context, sessions, profiles) and never
//! each other or `main`.

pub mod api;
pub mod app_token;
pub mod call;
pub mod completion;
pub mod ks;
pub mod login;
pub mod mock;
pub mod profile;
pub mod session;
pub mod upload;
pub mod wait;
pub mod webhook;
