//! Replays the checked-in fuzz corpus of the parameter parser (`fuzz/corpus/cli_params`)
//! through the harness the fuzzer runs (`fuzz/harness/cli.rs`), without a fuzzer.

#[path = "../../fuzz/harness/cli.rs"]
mod harness;
#[path = "../../fuzz/harness/input.rs"]
#[allow(dead_code)]
mod input;

#[test]
fn cli_params_corpus() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/cli_params");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the cli_params corpus is empty");
    for file in files {
        harness::params(&std::fs::read(&file).expect("a corpus file"));
    }
}
