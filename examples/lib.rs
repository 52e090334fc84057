//! Runnable programs for everyday tasks with `kaltura-client`, one file each: see the
//! `[[example]]` entries of this crate's `Cargo.toml` and the README's "Examples".
