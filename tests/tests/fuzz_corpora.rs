//! Replays the checked-in fuzz corpora of the response decoders (`fuzz/corpus/response_*`)
//! through the harnesses the fuzzer runs (`fuzz/harness/response.rs`): every input goes
//! through a client, the call loop and the generated decoders, without a fuzzer. The
//! inputs that once failed (`fuzz/regressions/response_*`) are replayed with them.

#[path = "../../fuzz/harness/response.rs"]
mod harness;
#[path = "../../fuzz/harness/input.rs"]
#[allow(dead_code)]
mod input;

/// The corpus of `target`, then the inputs that once made it fail
/// (`fuzz/regressions/<target>`, where there are any).
fn replay(target: &str, run: fn(&[u8])) {
    let root = kaltura_tests::repo_root().join("fuzz");
    let dir = root.join("corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    files.sort();
    if let Ok(found) = std::fs::read_dir(root.join("regressions").join(target)) {
        let mut found: Vec<_> = found
            .map(|e| e.expect("a directory entry").path())
            .collect();
        found.sort();
        files.extend(found);
    }
    assert!(!files.is_empty(), "the {target} corpus is empty");
    for file in files {
        let data = std::fs::read(&file).expect("a corpus file");
        run(&data);
    }
}

#[test]
fn response_list_corpus() {
    replay("response_list", harness::single);
}

#[test]
fn response_multi_corpus() {
    replay("response_multi", harness::multi);
}

#[test]
fn response_served_corpus() {
    replay("response_served", harness::served);
}

/// Found by the seed corpus on the first replay: a number field holding the KS the
/// request carried gave a decode error that quoted it ("… is not an integer"). Decode
/// errors are now blanked like the other errors (`Error::redact`).
#[test]
fn a_decode_error_does_not_quote_the_ks() {
    let mut input = vec![0u8, 0, 0];
    input.extend_from_slice(
        format!(
            r#"{{"objectType":"KalturaMediaListResponse","totalCount":"{}"}}"#,
            harness::KS
        )
        .as_bytes(),
    );
    harness::single(&input);
}

/// `Retry-After` dates whose year does not fit in seconds since 1970 are read as
/// unreadable (no wait), not as an overflow: a guard kept from the hand-written date
/// parser, which multiplied without checking, since replaced by `httpdate`.
#[test]
fn a_retry_after_date_far_in_the_future_is_read_without_overflow() {
    for year in [
        "99999999999999",
        "9223372036854775807",
        "-9223372036854775808",
    ] {
        for status in [10u8, 13] {
            let mut input = vec![status];
            input.extend_from_slice(
                format!("Retry-After: Sun, 06 Nov {year} 08:49:37 GMT").as_bytes(),
            );
            input.push(0xFF);
            harness::served(&input);
        }
    }
}
