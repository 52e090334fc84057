//! `cargo xtask codegen`, run in-process: failures leave the output untouched and exit
//! non-zero, generation is deterministic, and the checked-in client is current.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xtask::codegen;

fn run(args: &[&str]) -> ExitCode {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    codegen::run(&args)
}

/// An output folder holding one hand-made file, to see whether it was touched.
fn out_with_sentinel(dir: &Path) -> PathBuf {
    let out = dir.join("generated");
    std::fs::create_dir_all(out.join("kaltura-api/src/services")).unwrap();
    std::fs::write(out.join("kaltura-api/src/lib.rs"), "// before\n").unwrap();
    std::fs::write(out.join("kaltura-api/src/services/old.rs"), "// old\n").unwrap();
    out
}

/// Every file under `dir`, relative path -> contents.
fn tree(dir: &Path) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read_to_string(&path).unwrap_or_default()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn assert_untouched(tmp: &Path, out: &Path) {
    assert_eq!(
        tree(out),
        [
            (
                "kaltura-api/src/lib.rs".to_string(),
                "// before\n".to_string()
            ),
            (
                "kaltura-api/src/services/old.rs".to_string(),
                "// old\n".to_string()
            ),
        ]
    );
    // No staging folder left behind either.
    let mut names: Vec<String> = std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.iter().all(|n| !n.starts_with(".generated")),
        "{names:?}"
    );
}

#[test]
fn unreadable_schema_fails_and_leaves_the_output_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_with_sentinel(tmp.path());
    let missing = tmp.path().join("missing.xml");
    let folder = tmp.path().join("a-folder.xml");
    std::fs::create_dir(&folder).unwrap();
    let latin1 = tmp.path().join("latin1.xml");
    std::fs::write(
        &latin1,
        b"<xml apiVersion=\"1\" generatedDate=\"\xe9t\xe9\"/>",
    )
    .unwrap();
    for schema in [&missing, &folder, &latin1] {
        let code = run(&[
            "--schema",
            schema.to_str().unwrap(),
            "--profile",
            "all",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, ExitCode::FAILURE, "{}", schema.display());
        assert_untouched(tmp.path(), &out);
    }
    // The error names the file.
    let err = codegen::generate(Some(missing.to_str().unwrap()), "all", &[])
        .err()
        .unwrap();
    assert!(
        format!("{err:#}").contains(&format!("cannot read {}", missing.display())),
        "{err:#}"
    );
}

#[test]
fn bad_schema_fails_and_leaves_the_output_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_with_sentinel(tmp.path());
    let bad = tmp.path().join("KalturaClient.xml");
    std::fs::write(
        &bad,
        "<xml apiVersion=\"1\">\n  <classes>\n    <class name=\"KalturaA\" base=\"KalturaB\"/>\n  </classes>\n</xml>\n",
    )
    .unwrap();
    let code = run(&[
        "--schema",
        bad.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--profile",
        "all",
    ]);
    assert_eq!(code, ExitCode::FAILURE);
    assert_untouched(tmp.path(), &out);
    // The schema error, with its place, is what the user sees.
    let err = codegen::generate(Some(bad.to_str().unwrap()), "all", &[])
        .err()
        .unwrap();
    assert_eq!(
        format!("{err:#}"),
        format!(
            "{}:3:5: in xml/classes/class[KalturaA]: `base` refers to `KalturaB`, which is \
             not declared in the schema",
            bad.display()
        )
    );
}

#[test]
fn bad_arguments_and_profiles_fail_before_touching_anything() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_with_sentinel(tmp.path());
    let schema = kaltura_tests::fixture_path("enums");
    let schema = schema.to_str().unwrap();
    let out_s = out.to_str().unwrap();
    assert_eq!(run(&["--schema"]), ExitCode::from(2));
    assert_eq!(run(&["--frobnicate"]), ExitCode::from(2));
    let missing_profile = tmp.path().join("nope.txt");
    let code = run(&[
        "--schema",
        schema,
        "--out",
        out_s,
        "--profile",
        missing_profile.to_str().unwrap(),
    ]);
    assert_eq!(code, ExitCode::FAILURE);
    let code = run(&[
        "--schema",
        schema,
        "--out",
        out_s,
        "--profile",
        "all",
        "--rule",
        "exclude media",
    ]);
    assert_eq!(code, ExitCode::FAILURE, "a rule that is not service.action");
    assert_untouched(tmp.path(), &out);
}

#[test]
fn generation_replaces_the_output_and_check_compares_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_with_sentinel(tmp.path());
    let schema = kaltura_tests::fixture_path("plugins");
    let schema = schema.to_str().unwrap();
    let out_s = out.to_str().unwrap();
    // A stale tree fails the check, which changes nothing.
    assert_eq!(
        run(&[
            "--schema",
            schema,
            "--profile",
            "all",
            "--out",
            out_s,
            "--check"
        ]),
        ExitCode::FAILURE
    );
    assert_untouched(tmp.path(), &out);

    assert_eq!(
        run(&["--schema", schema, "--profile", "all", "--out", out_s]),
        ExitCode::SUCCESS
    );
    let expected = kaltura_tests::fixture_output("plugins");
    let written = tree(&out);
    let wanted: Vec<(String, String)> = expected
        .files
        .iter()
        .map(|f| (f.path.clone(), f.contents.clone()))
        .collect();
    assert_eq!(
        written, wanted,
        "exactly the generated files, the old ones gone"
    );
    assert_eq!(
        run(&[
            "--schema",
            schema,
            "--profile",
            "all",
            "--out",
            out_s,
            "--check"
        ]),
        ExitCode::SUCCESS
    );

    // One changed, one extra, one missing file: each is named.
    std::fs::write(out.join("kaltura-api/src/lib.rs"), "// edited\n").unwrap();
    std::fs::write(out.join("kaltura-api-services/src/extra.rs"), "").unwrap();
    std::fs::remove_file(out.join("kaltura-api-services/src/asset.rs")).unwrap();
    let generated = codegen::generate(Some(schema), "all", &[]).unwrap();
    let differ = codegen::differences(&out, &generated.output);
    assert_eq!(
        differ,
        [
            "kaltura-api/src/lib.rs (changed)",
            "kaltura-api-services/src/asset.rs (missing)",
            "kaltura-api-services/src/extra.rs (not generated any more)"
        ]
    );
}

#[test]
fn the_generated_manifests_are_compared_too() {
    let tmp = tempfile::tempdir().unwrap();
    let schema = kaltura_tests::fixture_path("plugins");
    let generated = codegen::generate(Some(schema.to_str().unwrap()), "all", &[]).unwrap();
    let out = tmp.path();
    for dir in generated.output.crates.dirs() {
        let files = xtask::output::crate_files(&generated.output.files, dir);
        xtask::output::write_tree(&out.join(dir), &files).unwrap();
    }
    assert!(codegen::differences(out, &generated.output).is_empty());
    // A plugin feature edited by hand in the client crate's manifest is found.
    let manifest = out.join("kaltura-client/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    assert!(
        text.contains("metadata = [\"kaltura-api-services/metadata\"]"),
        "{text}"
    );
    std::fs::write(
        &manifest,
        text.replace(
            "metadata = [\"kaltura-api-services/metadata\"]",
            "metadata = []",
        ),
    )
    .unwrap();
    assert_eq!(
        codegen::differences(out, &generated.output),
        ["kaltura-client/Cargo.toml (changed)"]
    );
}

fn ovp_public() -> codegen::Generation {
    let schema = kaltura_tests::real_schema("ovp");
    codegen::generate(Some(schema.to_str().unwrap()), "public", &[])
        .unwrap_or_else(|e| panic!("{e:#}"))
}

#[test]
fn generation_is_deterministic() {
    let first = ovp_public();
    let second = ovp_public();
    assert_eq!(first.output.features, second.output.features);
    assert_eq!(first.output.files.len(), second.output.files.len());
    for (a, b) in first.output.files.iter().zip(&second.output.files) {
        assert_eq!(a.path, b.path);
        assert!(
            a.contents == b.contents,
            "{} differs between two generations",
            a.path
        );
    }
    // And the fixtures, whose names collide the most.
    for name in kaltura_tests::FIXTURES {
        let a = kaltura_tests::fixture_output(name);
        let b = kaltura_tests::fixture_output(name);
        assert_eq!(a.files, b.files, "{name}");
        assert_eq!(a.features, b.features, "{name}");
    }
}

#[test]
fn generated_files_stay_small() {
    let generation = ovp_public();
    let largest = generation
        .output
        .files
        .iter()
        .filter(|f| f.path.ends_with(".rs"))
        .map(|f| (f.contents.lines().count(), f.path.as_str()))
        .max()
        .unwrap();
    assert!(largest.0 <= 3_000, "{} has {} lines", largest.1, largest.0);
}

#[test]
fn checked_in_client_is_current() {
    let generation = ovp_public();
    let differ = codegen::differences(&codegen::default_out(), &generation.output);
    assert!(
        differ.is_empty(),
        "the generated crates are not what the generator makes of \
         api/ovp with the public profile; run `cargo xtask codegen`:\n  {}",
        differ.join("\n  ")
    );
}
