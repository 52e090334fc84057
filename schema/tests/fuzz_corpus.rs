//! Replays the checked-in fuzz corpora of the schema reader (`fuzz/corpus/schema_*`)
//! through the harnesses the fuzzer runs (`fuzz/harness/schema.rs`), without a fuzzer.

#[path = "../../fuzz/harness/schema.rs"]
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
fn schema_bytes_corpus() {
    replay("schema_bytes", harness::bytes);
}

#[test]
fn schema_mutate_corpus() {
    replay("schema_mutate", harness::mutate);
}
