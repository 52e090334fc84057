//! The generated code type-checks: every schema fixture (so the reviewed snapshots are
//! real Rust), the plugins fixture with each feature alone and with none (so the
//! `#[cfg(feature)]` gates are consistent with the feature dependencies), and the real
//! OTT 2020 and OVP 2011 schemas with every service (`Profile::all()`); with
//! `KALTURA_CHECK_OVP_ALL=1`, also the current OVP schema with every service.
//!
//! Each becomes a member crate of one temporary workspace under
//! `target/tmp-crates/`: a copy of `kaltura-client` (its runtime) whose
//! `src/generated/` is replaced by the generated files and whose features block is the
//! generated one. One `cargo check --offline` checks them all. The workspace and its
//! target folder are kept between runs and files are only rewritten when they change,
//! so a second run only re-checks what changed. Any error fails the test, and so does
//! a warning located in generated code.

use kaltura_codegen::Output;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// One member crate: its generated code and the features its `default` turns on.
struct Member {
    name: String,
    output: Output,
    features: Vec<String>,
}

fn fixture_members() -> Vec<Member> {
    let mut members = Vec::new();
    for name in kaltura_tests::FIXTURES {
        members.push(Member {
            name: format!("fx_{name}"),
            output: kaltura_tests::fixture_output(name),
            features: vec!["full".into()],
        });
    }
    // Each plugin feature on its own, and none: a gate that forgets a dependency fails
    // here, not with `full`.
    let plugins = kaltura_tests::fixture_output("plugins");
    assert!(
        plugins.features.len() >= 3,
        "the plugins fixture has plugins"
    );
    members.push(Member {
        name: "fx_plugins_none".into(),
        output: plugins.clone(),
        features: vec![],
    });
    for feature in plugins.features.keys() {
        members.push(Member {
            name: format!("fx_plugins_only_{feature}"),
            output: plugins.clone(),
            features: vec![feature.clone()],
        });
    }
    members
}

fn real_member(folder: &str) -> Member {
    let path = kaltura_tests::real_schema(folder);
    let text = std::fs::read_to_string(&path).expect("vendored schema is readable");
    let model =
        kaltura_schema::parse(&text, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
    let model = kaltura_schema::Profile::all().apply(&model);
    let output = kaltura_codegen::generate(&model).unwrap_or_else(|e| panic!("{e}"));
    Member {
        name: format!("real_{}", folder.replace('-', "_")),
        output,
        features: vec!["full".into()],
    }
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

/// The runtime: every file of `kaltura-client` but its generated code and manifest.
fn runtime_files(client: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel == "src/generated" || rel == "target" || rel == "Cargo.toml" {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(client, client, &mut out);
    // Runtime helpers built on particular generated items (the chunked upload uses
    // `uploadToken.upload`) cannot compile against other schemas: leave them out.
    let specific: Vec<String> = out
        .iter()
        .filter(|(path, text)| {
            path.starts_with("src/")
                && path.as_str() != "src/lib.rs"
                && ["types", "services", "enums"].iter().any(|m| {
                    String::from_utf8_lossy(text).contains(&format!("crate::generated::{m}::"))
                })
        })
        .filter_map(|(path, _)| {
            let rel = path.strip_prefix("src/")?;
            let module = rel.strip_suffix("/mod.rs").or(rel.strip_suffix(".rs"))?;
            (!module.contains('/')).then(|| module.to_string())
        })
        .collect();
    if !specific.is_empty() {
        eprintln!("runtime modules left out of the generated crates: {specific:?}");
        let lib = String::from_utf8_lossy(&out["src/lib.rs"]).into_owned();
        let kept: Vec<&str> = lib
            .lines()
            .filter(|line| {
                let words: Vec<&str> = line
                    .trim()
                    .split(|c: char| c.is_whitespace() || c == ';' || c == ':')
                    .filter(|w| !w.is_empty())
                    .collect();
                !specific.iter().any(|m| {
                    words
                        .windows(2)
                        .any(|w| (w[0] == "mod" || w[0] == "use") && w[1] == m)
                })
            })
            .collect();
        out.insert("src/lib.rs".into(), (kept.join("\n") + "\n").into_bytes());
    }
    out
}

/// `kaltura-client/Cargo.toml` renamed, with the member's generated features and its
/// `default` features.
fn member_manifest(template: &str, member: &Member) -> String {
    let block = xtask::output::features_block(&member.output.features);
    let manifest = xtask::output::with_features(template, &block).unwrap();
    let mut out = String::new();
    let mut in_package = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            in_package = line.trim() == "[package]";
        }
        if in_package && line.starts_with("name =") {
            out.push_str(&format!("name = \"{}\"\n", member.name.replace('_', "-")));
        } else if line.starts_with("default =") {
            let mut default = vec!["reqwest".to_string()];
            default.extend(member.features.iter().cloned());
            let quoted: Vec<String> = default.iter().map(|f| format!("{f:?}")).collect();
            out.push_str(&format!("default = [{}]\n", quoted.join(", ")));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The repository's root manifest with its members replaced, and without path
/// dependencies (the members need only the registry ones).
fn workspace_manifest(root_manifest: &str, members: &[Member]) -> String {
    let names: Vec<String> = members.iter().map(|m| format!("{:?}", m.name)).collect();
    let mut out = String::new();
    for line in root_manifest.lines() {
        if line.starts_with("members =") {
            out.push_str(&format!("members = [{}]\n", names.join(", ")));
        } else if line.starts_with("default-members =") || line.contains("path =") {
            continue;
        } else {
            out.push_str(line);
            out.push('\n');
        }
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
    let root_manifest = std::fs::read_to_string(repo.join("Cargo.toml")).unwrap();
    sync_file(
        &ws.join("Cargo.toml"),
        workspace_manifest(&root_manifest, &members).as_bytes(),
    );
    // The workspace's lock file, so versions match and nothing is fetched; cargo prunes
    // what these members do not use.
    if !ws.join("Cargo.lock").exists() {
        std::fs::copy(repo.join("Cargo.lock"), ws.join("Cargo.lock")).unwrap();
    }
    let client = repo.join("kaltura-client");
    let template = std::fs::read_to_string(client.join("Cargo.toml")).unwrap();
    let runtime = runtime_files(&client);
    for member in &members {
        let mut files = runtime.clone();
        for f in &member.output.files {
            files.insert(
                format!("src/generated/{}", f.path),
                f.contents.clone().into_bytes(),
            );
        }
        files.insert(
            "Cargo.toml".into(),
            member_manifest(&template, member).into_bytes(),
        );
        sync_dir(&ws.join(&member.name), &files);
    }
    // Members of earlier runs that are gone.
    for entry in std::fs::read_dir(&ws).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !members.iter().any(|m| m.name == name) {
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
                    .is_some_and(|f| f.contains("src/generated/"))
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
