//! Typed Rust client for the Kaltura video platform API.

pub mod ks;
