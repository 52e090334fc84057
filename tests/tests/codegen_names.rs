//! The names the generator keeps free are the ones the runtime really uses. A generated
//! `client.<service>()` accessor named like a public method of the runtime's `Client`
//! would hide it (the generated client dereferences to the runtime's), and a request
//! setter named like a method of every request value does not compile; these lists in
//! codegen must follow the runtime as it grows.

use proc_macro2::{TokenStream, TokenTree};
use std::collections::BTreeSet;
use std::path::Path;

fn runtime_sources() -> Vec<(String, syn::File)> {
    fn walk(dir: &Path, out: &mut Vec<(String, syn::File)>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.ends_with("generated") {
                continue;
            }
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let file = syn::parse_file(&text)
                    .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
                out.push((path.display().to_string(), file));
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &kaltura_tests::repo_root().join("kaltura-runtime/src"),
        &mut out,
    );
    assert!(out.len() > 5, "found the runtime's sources");
    out
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Client"))
}

/// Every `fn name` inside a token stream (a macro's body).
fn fns_in(tokens: TokenStream, out: &mut BTreeSet<String>) {
    let mut after_fn = false;
    for tt in tokens {
        match tt {
            TokenTree::Ident(i) if after_fn => {
                out.insert(i.to_string());
                after_fn = false;
            }
            TokenTree::Ident(i) => after_fn = i == "fn",
            TokenTree::Group(g) => {
                fns_in(g.stream(), out);
                after_fn = false;
            }
            _ => after_fn = false,
        }
    }
}

#[test]
fn generated_client_methods_avoid_every_method_of_client() {
    let mut methods = BTreeSet::new();
    for (_, file) in runtime_sources() {
        for item in &file.items {
            if let syn::Item::Impl(imp) = item {
                if imp.trait_.is_none() && is_client(&imp.self_ty) {
                    for it in &imp.items {
                        if let syn::ImplItem::Fn(f) = it {
                            if matches!(f.vis, syn::Visibility::Public(_)) {
                                methods.insert(f.sig.ident.to_string());
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(methods.contains("send"), "{methods:?}");
    let reserved: BTreeSet<String> = kaltura_codegen::FACADE_METHODS
        .iter()
        .map(|s| s.to_string())
        .collect();
    let missing: Vec<&String> = methods.difference(&reserved).collect();
    assert!(
        missing.is_empty(),
        "add these public methods of the runtime's Client to FACADE_METHODS (codegen/src/plan.rs): {missing:?}"
    );
}

#[test]
fn request_setters_avoid_every_method_of_a_request() {
    let mut methods = BTreeSet::new();
    for (_, file) in runtime_sources() {
        for item in &file.items {
            match item {
                // The macros that add inherent methods to generated request types.
                syn::Item::Macro(m)
                    if m.ident.as_ref().is_some_and(|i| {
                        i == "__kaltura_request" || i == "__kaltura_paginated"
                    }) =>
                {
                    fns_in(m.mac.tokens.clone(), &mut methods);
                }
                syn::Item::Trait(t) if t.ident == "Request" || t.ident == "Paginated" => {
                    for it in &t.items {
                        if let syn::TraitItem::Fn(f) = it {
                            methods.insert(f.sig.ident.to_string());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for known in ["with_ks", "params", "paginate", "set_page"] {
        assert!(methods.contains(known), "{known} in {methods:?}");
    }
    let reserved: BTreeSet<String> = kaltura_codegen::REQUEST_METHODS
        .iter()
        .map(|s| s.to_string())
        .collect();
    let missing: Vec<&String> = methods.difference(&reserved).collect();
    assert!(
        missing.is_empty(),
        "add these request methods to REQUEST_METHODS (codegen/src/plan.rs): {missing:?}"
    );
}

#[test]
fn plugin_features_avoid_the_crates_own_features() {
    // The client crate's manifest is generated: its features are the crate's own ones
    // (`default`, `reqwest`, ...) and one per plugin.
    let manifest =
        std::fs::read_to_string(kaltura_tests::repo_root().join("kaltura-client/Cargo.toml"))
            .unwrap();
    let features = &manifest[manifest.find("[features]").expect("a [features] table")..];
    // Up to the next table.
    let features = &features[..features[1..].find("\n[").map_or(features.len(), |i| i + 1)];
    let public = xtask::codegen::generate(None, "public", &[]).unwrap();
    let declared: Vec<&str> = features
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
        .filter(|k| !k.starts_with('#') && !k.is_empty())
        .filter(|k| !public.output.features.contains_key(*k))
        .collect();
    assert!(declared.contains(&"default"), "{declared:?}");
    let missing: Vec<&&str> = declared
        .iter()
        .filter(|f| !kaltura_codegen::RESERVED_FEATURES.contains(f) && **f != "full")
        .collect();
    assert!(
        missing.is_empty(),
        "add these features to RESERVED_FEATURES (codegen/src/names.rs): {missing:?}"
    );
    // And a plugin named like one gets another feature name.
    for f in kaltura_codegen::RESERVED_FEATURES {
        assert_ne!(kaltura_codegen::feature_name(f), *f);
    }
}
