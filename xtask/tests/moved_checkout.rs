//! A built xtask run in a checkout that was moved or copied works on that checkout,
//! not on the folder it was compiled in (cargo keeps the binary when files keep their
//! times, so the compile-time path may be stale or name another clone).

use std::path::Path;
use std::process::Command;

/// Copies the files git tracks, as a moved checkout would have them.
fn copy_checkout(from: &Path, to: &Path) {
    let listed = Command::new("git")
        .arg("-C")
        .arg(from)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
        .expect("git runs");
    assert!(listed.status.success(), "git ls-files failed");
    for name in listed.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let rel = Path::new(std::str::from_utf8(name).expect("a UTF-8 path"));
        let src = from.join(rel);
        if !src.is_file() {
            continue;
        }
        let dst = to.join(rel);
        std::fs::create_dir_all(dst.parent().expect("a parent")).expect("mkdir");
        std::fs::copy(&src, &dst).expect("copy");
    }
}

#[test]
fn codegen_check_reads_the_checkout_it_runs_in() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the checkout");
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let moved = tmp.path().join("renamed");
    copy_checkout(here, &moved);
    let run = |cwd: &Path, manifest_dir: Option<&Path>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
        cmd.args(["codegen", "--check"]).current_dir(cwd);
        // As `cargo xtask` sets it, for the moved checkout; or unset, as for a binary
        // run by hand.
        match manifest_dir {
            Some(dir) => cmd.env("CARGO_MANIFEST_DIR", dir),
            None => cmd.env_remove("CARGO_MANIFEST_DIR"),
        };
        cmd.env_remove("KALTURA_SCHEMA")
            .output()
            .expect("xtask runs")
    };

    // The copy is current, so the check passes reading the copy's files.
    let out = run(&moved, Some(&moved.join("xtask")));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Make the copy stale: the check must now fail, naming the copy's file, which
    // proves it read the copy and not the folder it was built in.
    std::fs::write(moved.join("kaltura-api/src/lib.rs"), "// changed\n").expect("write");
    for manifest_dir in [Some(moved.join("xtask")), None] {
        let out = run(&moved.join("kaltura-api"), manifest_dir.as_deref());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "the stale copy passed: {stderr}");
        assert!(stderr.contains("kaltura-api/src/lib.rs"), "{stderr}");
    }
    // The original checkout was not touched.
    assert_ne!(
        std::fs::read_to_string(here.join("kaltura-api/src/lib.rs")).expect("read"),
        "// changed\n"
    );
}
