//! The generated code type-checks: every schema fixture (so the reviewed snapshots are
//! real Rust), the plugins fixture with each feature alone and with none (so the
//! `#[cfg(feature)]` gates are consistent with the feature dependencies), and the real
//! OTT 2020 and OVP 2011 schemas with every service (`Profile::all()`); with
//! `KALTURA_CHECK_OVP_ALL=1`, also the current OVP schema with every service.
//!
//! Each is generated as its three crates (API, client, metadata) under names of its own,
//! as members of one temporary workspace under `target/tmp-crates/` whose
//! `kaltura-runtime` is the repository's, by path: the generated crates are built
//! exactly as `kaltura-client` is, with no copy or edit of the runtime. The client
//! crate's `default` features are the member's (without the reqwest transport, which
//! adds nothing to check). One `cargo check --offline` checks them all. The workspace
//! and its target folder are kept between runs and files are only rewritten when they
//! change, so a second run only re-checks what changed. Any error fails the test, and
//! so does a warning in generated code.

use kaltura_codegen::{Crates, Output};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// One member crate: its generated code and the features its `default` turns on.
struct Member {
    #[allow(dead_code)]
    name: String,
    output: Output,
    features: Vec<String>,
}

fn member(name: String, model: &kaltura_schema::Model, features: Vec<String>) -> Member {
    let output = kaltura_codegen::generate_crates(model, &crates_of(&name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    Member {
        name,
        output,
        features,
    }
}

fn fixture_members() -> Vec<Member> {
    let mut members = Vec::new();
    for name in kaltura_tests::FIXTURES {
        let model = kaltura_tests::fixture_model(name);
        members.push(member(format!("fx_{name}"), &model, vec!["full".into()]));
    }
    // Each plugin feature on its own, and none: a gate that forgets a dependency fails
    // here, not with `full`.
    let plugins = kaltura_tests::fixture_output("plugins");
    let plugins_model = kaltura_tests::fixture_model("plugins");
    assert!(
        plugins.features.len() >= 3,
        "the plugins fixture has plugins"
    );
    members.push(member("fx_plugins_none".into(), &plugins_model, vec![]));
    for feature in plugins.features.keys() {
        members.push(member(
            format!("fx_plugins_only_{feature}"),
            &plugins_model,
            vec![feature.clone()],
        ));
    }
    members
}

fn real_member(folder: &str) -> Member {
    let path = kaltura_tests::real_schema(folder);
    let text = std::fs::read_to_string(&path).expect("vendored schema is readable");
    let model =
        kaltura_schema::parse(&text, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
    let model = kaltura_schema::Profile::all().apply(&model);
    member(
        format!("real_{}", folder.replace('-', "_")),
        &model,
        vec!["full".into()],
    )
}

/// Writes `contents` unless the file already holds it (keeps mtimes, so cargo does not
/// re-check unchanged crates).
fn sync_file(path: &Path, contents: &[u8]) {
    if std::fs::read(path).ok().as_deref() == Some(contents) {
        return;
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Makes `dir` hold exactly `files` (relative paths), touching only what differs.
fn sync_dir(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy();
                out.push(rel.replace('\\', "/"));
            }
        }
    }
    let mut existing = Vec::new();
    walk(dir, dir, &mut existing);
    for stale in existing.iter().filter(|p| !files.contains_key(*p)) {
        std::fs::remove_file(dir.join(stale)).unwrap();
    }
    for (rel, contents) in files {
        sync_file(&dir.join(rel), contents);
    }
}

fn crates_of(name: &str) -> Crates {
    let stem = name.replace('_', "-");
    Crates {
        enums: format!("{stem}-api-enums"),
        api: format!("{stem}-api"),
        services: format!("{stem}-api-services"),
        client: format!("{stem}-client"),
        metadata: format!("{stem}-metadata"),
    }
}

/// The member's client manifest with its `default` features.
fn with_defaults(manifest: &str, features: &[String]) -> String {
    let quoted: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    manifest.replace(
        "default = [\"reqwest\", \"tls-aws-lc\"]",
        &format!("default = [{}]", quoted.join(", ")),
    )
}

/// The repository's root manifest with the members replaced and the runtime crates
/// taken by absolute path (the generated crates need only those and registry crates).
fn workspace_manifest(root_manifest: &str, repo: &Path, dirs: &[String]) -> String {
    let names: Vec<String> = dirs.iter().map(|d| format!("{d:?}")).collect();
    let mut out = String::new();
    let mut skipping_members = false;
    for line in root_manifest.lines() {
        if skipping_members {
            skipping_members = !line.trim_start().starts_with(']');
            continue;
        }
        if line.starts_with("members =") {
            out.push_str(&format!("members = [{}]\n", names.join(", ")));
            skipping_members = !line.contains(']');
            continue;
        }
        if line.contains("path =") {
            let crate_name = line.split('=').next().unwrap_or_default().trim();
            if ["kaltura-runtime", "kaltura-ks", "kaltura-reqwest"].contains(&crate_name) {
                let dir = repo.join(crate_name);
                out.push_str(&format!(
                    "{crate_name} = {{ path = {:?} }}\n",
                    dir.display().to_string()
                ));
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[test]
fn generated_code_compiles() {
    let started = Instant::now();
    let repo = kaltura_tests::repo_root();
    let mut members = fixture_members();
    members.extend(["ott-2020", "ovp-2011"].into_iter().map(real_member));
    // The current OVP schema with every service (internal ones included) takes a few
    // minutes more; the public profile's is checked as kaltura-client itself.
    if std::env::var_os("KALTURA_CHECK_OVP_ALL").is_some() {
        members.push(real_member("ovp"));
    }
    let generated_in = started.elapsed();

    let base = repo.join("target/tmp-crates");
    let ws = base.join("ws");
    let mut dirs = Vec::new();
    for member in &members {
        for dir in member.output.crates.dirs() {
            let mut files: BTreeMap<String, Vec<u8>> =
                xtask::output::crate_files(&member.output.files, dir)
                    .into_iter()
                    .map(|f| (f.path, f.contents.into_bytes()))
                    .collect();
            if dir == member.output.crates.client {
                let manifest = String::from_utf8_lossy(&files["Cargo.toml"]).into_owned();
                files.insert(
                    "Cargo.toml".into(),
                    with_defaults(&manifest, &member.features).into_bytes(),
                );
            }
            sync_dir(&ws.join(dir), &files);
            dirs.push(dir.to_string());
        }
    }
    let root_manifest = std::fs::read_to_string(repo.join("Cargo.toml")).unwrap();
    sync_file(
        &ws.join("Cargo.toml"),
        workspace_manifest(&root_manifest, &repo, &dirs).as_bytes(),
    );
    // The workspace's lock file, so versions match and nothing is fetched; cargo prunes
    // what these members do not use.
    if !ws.join("Cargo.lock").exists() {
        std::fs::copy(repo.join("Cargo.lock"), ws.join("Cargo.lock")).unwrap();
    }
    // Members of earlier runs that are gone.
    for entry in std::fs::read_dir(&ws).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !dirs.contains(&name) {
            std::fs::remove_dir_all(entry.path()).unwrap();
        }
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let checked = Instant::now();
    let output = Command::new(cargo)
        .current_dir(&ws)
        .env("CARGO_TARGET_DIR", base.join("target"))
        .args([
            "check",
            "--offline",
            "--workspace",
            "--lib",
            "--keep-going",
            "--message-format=json",
        ])
        .output()
        .expect("cargo runs");
    let check_time = checked.elapsed();

    let mut problems = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-message" {
            continue;
        }
        let level = msg["message"]["level"].as_str().unwrap_or_default();
        let in_generated = msg["message"]["spans"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|s| {
                s["file_name"]
                    .as_str()
                    .is_some_and(|f| !f.contains("kaltura-runtime") && !f.contains("kaltura-ks"))
            });
        if level == "error" || (level == "warning" && in_generated) {
            problems.push(format!(
                "{}: {}",
                msg["package_id"].as_str().unwrap_or_default(),
                msg["message"]["rendered"].as_str().unwrap_or_default()
            ));
        }
    }
    let lines: usize = members.iter().map(|m| m.output.stats.lines).sum();
    eprintln!(
        "generated {} crates ({lines} lines of Rust) in {generated_in:.1?}; cargo check took {check_time:.1?}; total {:.1?}",
        members.len(),
        started.elapsed()
    );
    assert!(
        output.status.success() && problems.is_empty(),
        "the generated code does not compile cleanly (workspace {}):\n{}\n{}",
        ws.display(),
        problems.join("\n"),
        if problems.is_empty() {
            String::from_utf8_lossy(&output.stderr).into_owned()
        } else {
            String::new()
        }
    );
}
