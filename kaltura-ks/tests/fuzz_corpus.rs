//! Replays the checked-in fuzz corpora of the KS targets (`fuzz/corpus/ks_*`) through the
//! same harnesses the fuzzer runs (`fuzz/harness/ks.rs`), so CI checks them without a
//! fuzzer.

#[path = "../../fuzz/harness/ks.rs"]
mod harness;
#[path = "../../fuzz/harness/input.rs"]
#[allow(dead_code)]
mod input;

/// Every input of `fuzz/corpus/<target>`, then those that once failed
/// (`fuzz/regressions/<target>`, kept apart so a minimisation cannot drop them).
fn replay(target: &str, run: fn(&[u8])) {
    let fuzz = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut files = Vec::new();
    for folder in ["corpus", "regressions"] {
        let dir = fuzz.join(folder).join(target);
        if folder == "regressions" && !dir.exists() {
            continue;
        }
        let mut found: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("a directory entry").path())
            .collect();
        found.sort();
        assert!(!found.is_empty(), "{} is empty", dir.display());
        files.extend(found);
    }
    for file in files {
        let data = std::fs::read(&file).expect("a corpus file");
        run(&data);
    }
}

#[test]
fn ks_inspect_corpus() {
    replay("ks_inspect", harness::inspect);
}

#[test]
fn ks_roundtrip_corpus() {
    replay("ks_roundtrip", harness::roundtrip);
}

/// Found by `ks_roundtrip`: the v2 privileges `sview:…,:` were accepted, but the bare
/// `:` became the form field `=`, which the server drops, so the KS did not read back as
/// generated. Generation now refuses it (`Privileges::check`).
#[test]
fn a_bare_colon_privilege_is_refused_in_v2() {
    // flags (v2), partner, now, expiry, 16 random bytes, then the text fields.
    let mut input = vec![1u8];
    input.extend_from_slice(&1234567i64.to_le_bytes());
    input.extend_from_slice(&2_000_000_000i64.to_le_bytes());
    input.extend_from_slice(&86_400i64.to_le_bytes());
    input.extend_from_slice(&[0x11; 16]);
    input.extend_from_slice(b"user\xffsview:0_x,:");
    harness::roundtrip(&input);

    use kaltura_ks::{AdminSecret, KsBuilder, KsError, SessionType};
    let secret = AdminSecret::new(harness::VECTOR_SECRET).unwrap();
    let err = KsBuilder::new(1, SessionType::User)
        .privileges("sview:0_x,:")
        .generate_v2(&secret)
        .unwrap_err();
    assert!(matches!(err, KsError::InvalidInput { .. }), "{err:?}");
    assert!(err.to_string().contains("bare ':'"), "{err}");
}
