//! The generator's list of runtime names (`codegen/src/runtime_names.rs`) against what
//! `kaltura_runtime::rt` exports, read from its source: a test of this crate alone, so
//! that it runs, and names the missing item, even when the generated crates no longer
//! compile against the runtime (docs/contract.md).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// What a `pub use` tree or `pub mod` makes visible under a module.
fn exported(items: &[syn::Item]) -> BTreeSet<String> {
    fn tree(t: &syn::UseTree, out: &mut BTreeSet<String>) {
        match t {
            syn::UseTree::Path(p) => tree(&p.tree, out),
            syn::UseTree::Name(n) => {
                out.insert(n.ident.to_string());
            }
            syn::UseTree::Rename(r) => {
                out.insert(r.rename.to_string());
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| tree(t, out)),
            syn::UseTree::Glob(_) => {}
        }
    }
    let mut out = BTreeSet::new();
    for item in items {
        match item {
            syn::Item::Use(u) if matches!(u.vis, syn::Visibility::Public(_)) => {
                tree(&u.tree, &mut out)
            }
            syn::Item::Mod(m) if matches!(m.vis, syn::Visibility::Public(_)) => {
                out.insert(m.ident.to_string());
            }
            _ => {}
        }
    }
    out
}

fn rt_module() -> syn::File {
    let path = repo_root().join("kaltura-runtime/src/rt.rs");
    syn::parse_file(&std::fs::read_to_string(path).unwrap()).expect("rt.rs parses")
}

/// The contract (docs/contract.md): the generator's list of runtime names and what
/// `kaltura_runtime::rt` exports are the same set.
#[test]
fn runtime_names_of_the_generator_are_what_rt_exports() {
    use kaltura_codegen::runtime_names as names;
    let rt = rt_module();
    let exports = exported(&rt.items);
    let listed: BTreeSet<String> = names::RT_NAMES.iter().map(|s| s.to_string()).collect();
    let missing: Vec<&String> = listed.difference(&exports).collect();
    assert!(
        missing.is_empty(),
        "generated code uses these names, listed in codegen/src/runtime_names.rs (RT_NAMES), \
         which kaltura_runtime::rt does not export: {missing:?}; export them from \
         kaltura-runtime/src/rt.rs, or stop emitting them and take them off the list"
    );
    let unused: Vec<&String> = exports.difference(&listed).collect();
    assert!(
        unused.is_empty(),
        "kaltura_runtime::rt exports names the generator does not list: {unused:?}; list \
         them in codegen/src/runtime_names.rs (RT_NAMES) if generated code uses them, \
         otherwise take them out of kaltura-runtime/src/rt.rs"
    );

    let facade = rt
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "facade" => m.content.as_ref().map(|c| &c.1),
            _ => None,
        })
        .expect("rt.rs has `pub mod facade { ... }`");
    let facade_exports = exported(facade);
    let facade_listed = names::FACADE_MODULES
        .iter()
        .chain(names::FACADE_ITEMS)
        .chain(names::FACADE_TYPES)
        .chain(&["meta", "Blocking"]);
    let missing: Vec<&&str> = facade_listed
        .filter(|n| !facade_exports.contains(**n))
        .collect();
    assert!(
        missing.is_empty(),
        "the client crate re-exports these names, listed in codegen/src/runtime_names.rs \
         (FACADE_*), which kaltura_runtime::rt::facade does not export: {missing:?}; \
         export them from `mod facade` in kaltura-runtime/src/rt.rs"
    );
}

/// Every `rt::name` the emitters write is on the generator's list.
#[test]
fn emitters_use_only_listed_runtime_names() {
    let root = repo_root().join("codegen/src");
    let mut files = vec![root.join("plan.rs")];
    for entry in std::fs::read_dir(root.join("emit")).unwrap().flatten() {
        files.push(entry.path());
    }
    let listed: BTreeSet<&str> = kaltura_codegen::runtime_names::RT_NAMES
        .iter()
        .copied()
        .collect();
    let mut unlisted = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices("rt::") {
            // `rt::` itself, not the end of a longer name (`kaltura_runtime::rt::` is
            // fine: what follows it is checked all the same).
            if text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let name: String = text[at + 4..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !listed.contains(name.as_str()) {
                unlisted.insert(format!("rt::{name} ({})", file.display()));
            }
        }
    }
    assert!(
        unlisted.is_empty(),
        "the emitters write runtime names missing from codegen/src/runtime_names.rs \
         (RT_NAMES): {unlisted:?}"
    );
}

/// Generated crates reach the runtime through `kaltura_runtime::rt` only.
#[test]
fn generated_crates_use_the_runtime_only_through_rt() {
    let root = repo_root();
    let mut outside = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for krate in [
        "kaltura-api-enums",
        "kaltura-api",
        "kaltura-api-services",
        "kaltura-client",
        "kaltura-metadata",
    ] {
        walk(&root.join(krate).join("src"), &mut files);
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices("kaltura_runtime") {
            let rest = &text[at + "kaltura_runtime".len()..];
            // Prose may name the crate (the guide names its log target); code may not.
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let in_comment = text[line_start..at].trim_start().starts_with("//");
            if !rest.starts_with("::rt") && !in_comment {
                let line = text[..at].lines().count();
                outside.push(format!("{}:{line}", file.display()));
            }
        }
    }
    assert!(
        outside.is_empty(),
        "generated code names the runtime outside `kaltura_runtime::rt`: {outside:?}"
    );
}
