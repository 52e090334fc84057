//! Helpers shared by the workspace's integration tests.

use std::path::PathBuf;

/// The repository root (the parent of this crate's folder).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `../shared` beside the checkout, or `None` (after a loud message) when it is absent.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = repo_root().join("..").join("shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "\n**************************************************************\n\
             SKIPPED: {} is absent; tests that need the shared schemas,\n\
             KS vectors or conformance cases did not run.\n\
             **************************************************************\n",
            dir.display()
        );
        None
    }
}

/// A file under `../shared`, or `None` when the shared folder is absent.
pub fn shared_file(rel: &str) -> Option<PathBuf> {
    shared_dir().map(|d| d.join(rel))
}
