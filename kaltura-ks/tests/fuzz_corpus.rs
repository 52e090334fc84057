//! Replays the checked-in fuzz corpora of the KS targets (`fuzz/corpus/ks_*`) through the
//! same harnesses the fuzzer runs (`fuzz/harness/ks.rs`), so CI checks them without a
//! fuzzer.

#[path = "../../fuzz/harness/ks.rs"]
mod harness;
#[path = "../../fuzz/harness/input.rs"]
#[allow(dead_code)]
mod input;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the {target} corpus is empty");
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
