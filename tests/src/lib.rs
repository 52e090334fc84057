//! Helpers shared by the workspace's integration tests.

use std::path::PathBuf;

/// The repository root (the parent of this crate's folder).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A file of the vendored API description under `api/` (see `api/README.md`). Panics,
/// naming the path, when it is missing: no test passes without its data.
pub fn api_file(rel: &str) -> PathBuf {
    existing(repo_root().join("api").join(rel))
}

/// A real schema, `api/<folder>/KalturaClient.xml` (`ovp`, `ott-2020`, `ovp-2011`).
pub fn real_schema(folder: &str) -> PathBuf {
    api_file(&format!("{folder}/KalturaClient.xml"))
}

/// Test data under `tests/data/` (KS vectors, conformance cases; see its README).
pub fn data_file(rel: &str) -> PathBuf {
    existing(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join(rel),
    )
}

fn existing(path: PathBuf) -> PathBuf {
    assert!(
        path.exists(),
        "test data {} is missing; it is part of the repository (is this a full clone?)",
        path.display()
    );
    path
}

/// The schema fixtures under `tests/fixtures/schema/`, one per construct.
pub const FIXTURES: &[&str] = &[
    "enums",
    "inheritance",
    "collections",
    "files",
    "defaults",
    "plugins",
    "deprecated",
    "collisions",
];

/// Path of a schema fixture, `tests/fixtures/schema/<name>.xml`.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/schema")
        .join(format!("{name}.xml"))
}

/// The text of a schema fixture.
pub fn fixture_text(name: &str) -> String {
    let path = fixture_path(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A schema fixture, parsed; its errors name it as `<name>.xml`.
pub fn fixture_model(name: &str) -> kaltura_schema::Model {
    kaltura_schema::parse(&fixture_text(name), &format!("{name}.xml"))
        .unwrap_or_else(|e| panic!("fixture {name} does not parse: {e}"))
}

/// The generated code of a fixture (every profile keeps all of a fixture).
pub fn fixture_output(name: &str) -> kaltura_codegen::Output {
    kaltura_codegen::generate(&fixture_model(name))
        .unwrap_or_else(|e| panic!("fixture {name} does not generate: {e}"))
}

/// A generation as one reviewable text: the Cargo features, then every file under a
/// header with its path. `metadata.json` (the API as data, a plain mapping of the
/// model) only when `with_metadata`.
pub fn render(output: &kaltura_codegen::Output, with_metadata: bool) -> String {
    let mut out = String::from("//// [features]\n");
    for (name, deps) in &output.features {
        out.push_str(&format!("//// {name} = {deps:?}\n"));
    }
    for file in &output.files {
        if file.path.ends_with("/metadata.json") && !with_metadata {
            out.push_str(&format!("\n//// ===== {} (left out) =====\n", file.path));
            continue;
        }
        let name = file.path.rsplit('/').next().unwrap_or_default();
        if name.starts_with("LICENSE-")
            || file.path == format!("{}/README.md", output.crates.client)
        {
            // The repository's licences, and a README from a template
            // (codegen/src/templates/client_readme.md).
            out.push_str(&format!("\n//// ===== {} (left out) =====\n", file.path));
            continue;
        }
        if file.path == format!("{}/src/lib.rs", output.crates.client) {
            // The same guide for every schema (codegen/src/templates/client_docs.md).
            out.push_str(&format!(
                "\n//// ===== {} (the guide; left out) =====\n",
                file.path
            ));
            continue;
        }
        out.push_str(&format!("\n//// ===== {} =====\n", file.path));
        out.push_str(&file.contents);
    }
    out
}

/// The contents of one generated file, by path.
pub fn file<'a>(output: &'a kaltura_codegen::Output, path: &str) -> &'a str {
    // Paths inside the API's crates or the metadata crate may be given without the
    // crate's folder: `types/core_e.rs`, and `enums/core_e.rs` or `services/asset.rs`
    // (`services/mod.rs` for the crate's root) in the enums and services crates.
    let in_crate = |dir: &str, rest: &str| {
        let rest = if rest == "mod.rs" { "lib.rs" } else { rest };
        format!("{dir}/src/{rest}")
    };
    let mut candidates = vec![
        path.to_string(),
        format!("{}/src/{path}", output.crates.api),
        format!("{}/src/{path}", output.crates.metadata),
    ];
    if let Some(rest) = path.strip_prefix("enums/") {
        candidates.push(in_crate(&output.crates.enums, rest));
    }
    if let Some(rest) = path.strip_prefix("services/") {
        candidates.push(in_crate(&output.crates.services, rest));
    }
    output
        .files
        .iter()
        .find(|f| candidates.contains(&f.path))
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| {
            let paths: Vec<&str> = output.files.iter().map(|f| f.path.as_str()).collect();
            panic!("no generated file {path}; there are {paths:?}")
        })
}

pub mod app_tokens;
pub mod big_list;
pub mod standin;
pub mod wire;

/// The README's Rust examples compile, as its readers will copy them.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
