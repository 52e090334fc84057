//! `tests/first-app` is the README's first program as a crate of its own, the one
//! `scripts/measure-build.sh app` builds cold to time a new user's first build: it must
//! stay the program the README shows.

use std::path::Path;

/// The first fenced Rust block of a Markdown text.
fn first_rust_block(markdown: &str) -> Option<String> {
    let mut lines = markdown.lines();
    lines.by_ref().find(|l| l.starts_with("```rust"))?;
    let mut block = String::new();
    for line in lines {
        if line.starts_with("```") {
            return Some(block);
        }
        block.push_str(line);
        block.push('\n');
    }
    None
}

#[test]
fn the_first_app_is_the_readmes_first_program() {
    let root = kaltura_tests::repo_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let shown = first_rust_block(&readme).expect("the README shows a Rust program");
    let app = root.join(Path::new("tests/first-app/src/main.rs"));
    let built = std::fs::read_to_string(&app).unwrap();
    assert!(
        shown == built,
        "tests/first-app/src/main.rs differs from the README's first Rust block; copy the \
         block over it (the build figures of scripts/measure-build.sh are for that program)"
    );
}

#[test]
fn the_first_rust_block_is_found() {
    let text = "intro\n```sh\nls\n```\n```rust,no_run\nfn main() {}\n```\n```rust\nx\n```\n";
    assert_eq!(first_rust_block(text).as_deref(), Some("fn main() {}\n"));
    assert_eq!(first_rust_block("```rust\nfn main() {}\n"), None);
}
