//! The plugin features table (feature, the plugins it turns on too, its services) that
//! the README shows is the one the generated crates define: features and their
//! dependencies from `kaltura-client/Cargo.toml` and `kaltura-api-enums/Cargo.toml`, services
//! from the `#[cfg(feature = ..)]` methods of `kaltura-client/src/client.rs`.
//!
//! After `cargo xtask codegen` changes the plugins, rewrite the table with
//! `KALTURA_UPDATE_FEATURES=1 cargo test -p kaltura-tests --test readme_features`.

use std::collections::BTreeMap;
use std::path::Path;

const BEGIN: &str = "<!-- plugin features: written by tests/tests/readme_features.rs -->";
const END: &str = "<!-- end of plugin features -->";

/// The `[features]` table of a manifest: name and the quoted items of its list.
fn features(manifest: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == "[features]";
            continue;
        }
        let Some((name, list)) = line.split_once(" = ") else {
            continue;
        };
        if !inside || line.starts_with('#') {
            continue;
        }
        let items = list
            .trim_matches(|c| c == '[' || c == ']')
            .split(',')
            .map(|s| s.trim().trim_matches('"').to_string())
            .filter(|s| !s.is_empty())
            .collect();
        out.insert(name.trim().to_string(), items);
    }
    out
}

/// `client.NAME()` methods by the feature that gates them, from the generated client.
fn services(client_rs: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut feature: Option<String> = None;
    for line in client_rs.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("#[cfg(feature = \"") {
            feature = rest.strip_suffix("\")]").map(str::to_string);
        } else if let Some(rest) = line.strip_prefix("pub fn ") {
            if let (Some(f), Some((name, _))) = (feature.take(), rest.split_once('(')) {
                out.entry(f).or_default().push(name.to_string());
            }
        } else if !line.starts_with("#[") && !line.starts_with("///") {
            feature = None;
        }
    }
    out
}

/// The table, one row a plugin feature, in the form the generator writes into the
/// crate documentation (`{features_table}` in `codegen/src/templates/`).
fn table(root: &Path) -> String {
    let read = |p: &str| {
        std::fs::read_to_string(root.join(p)).unwrap_or_else(|e| panic!("reading {p}: {e}"))
    };
    let client = features(&read("kaltura-client/Cargo.toml"));
    // The enums crate is the lowest of the API's crates: its features list only the
    // plugins each one needs.
    let api = features(&read("kaltura-api-enums/Cargo.toml"));
    let services = services(&read("kaltura-client/src/client.rs"));
    // Blank lines around it: a Markdown table right after an HTML comment may not show.
    let mut out = String::from("\n| feature | services it adds | also enables |\n|---|---|---|\n");
    // A plugin's feature is the services crate's feature of the same name, and only that.
    let plugins = client
        .iter()
        .filter(|(name, items)| items[..] == [format!("kaltura-api-services/{name}")])
        .map(|(name, _)| name);
    for name in plugins {
        let calls = match services.get(name) {
            Some(s) => s
                .iter()
                .map(|m| format!("`{m}()`"))
                .collect::<Vec<_>>()
                .join(", "),
            None => "(types only)".to_string(),
        };
        let deps = match api.get(name) {
            Some(d) if !d.is_empty() => d
                .iter()
                .map(|d| format!("`{d}`"))
                .collect::<Vec<_>>()
                .join(", "),
            _ => "-".to_string(),
        };
        out.push_str(&format!("| `{name}` | {calls} | {deps} |\n"));
    }
    out.push('\n');
    out
}

/// The text between the markers of `doc`, and where it is.
fn section(doc: &str) -> Option<(usize, usize)> {
    let start = doc.find(BEGIN)? + BEGIN.len() + 1;
    let end = doc[start..].find(END)? + start;
    Some((start, end))
}

#[test]
fn the_readme_lists_every_plugin_feature_with_its_services() {
    let root = kaltura_tests::repo_root();
    let expected = table(&root);
    let path = root.join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = section(&readme).unwrap_or_else(|| {
        panic!("README.md has no plugin features table between `{BEGIN}` and `{END}`")
    });
    if readme[start..end] == expected {
        return;
    }
    if std::env::var_os("KALTURA_UPDATE_FEATURES").is_some() {
        let updated = format!("{}{expected}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    panic!(
        "README.md's plugin features table differs from the generated crates; rewrite it with \
         KALTURA_UPDATE_FEATURES=1 cargo test -p kaltura-tests --test readme_features\n\
         expected:\n{expected}"
    );
}

#[test]
fn the_table_has_the_plugins_and_services_it_should() {
    let expected = table(&kaltura_tests::repo_root());
    assert!(
        expected.contains("| `elastic_search` | `e_search()` | `caption`, `group` |"),
        "{expected}"
    );
    assert!(expected.contains("| `caption` | `caption_asset()`, `caption_params()` | - |"));
    assert!(expected.contains("| `metadata` | `metadata()`, `metadata_profile()` | - |"));
    // A plugin that adds types but no service.
    assert!(expected.contains("| `ad_cue_point` | (types only) | `cue_point` |"));
    assert!(!expected.contains("`full`") && !expected.contains("`reqwest`"));
}
