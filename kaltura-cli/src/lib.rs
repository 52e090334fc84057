//! The parts of the `kaltura` command line that can be exercised on their own: the
//! `name=value` / `a:b:c=value` parameter parser with its errors, the checks of the
//! files and folders secrets are kept in, and of service URLs. The fuzz target
//! `cli_params` (`fuzz/`) and the corpus replay in `tests/fuzz_corpus.rs` go through
//! here; the binary compiles the same files as its own modules.

pub mod error;
pub mod params;
pub mod safe_fs;
pub mod suggest;
pub mod urls;
