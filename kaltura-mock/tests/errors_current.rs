//! `src/errors.tsv` is the errors section of the vendored API description in compact
//! form (code, message, argument names; `\t`, `\n`, `\\` escaped); this test fails when
//! the two differ (after `cargo xtask update-schema`, say) and writes the file to use.

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

#[test]
fn errors_tsv_is_the_descriptions_errors_section() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../api/ovp/KalturaClient.xml");
    let xml = std::fs::read_to_string(path).expect("the vendored API description");
    let model = kaltura_schema::parse(&xml, path).expect("the description parses");
    let mut seen = std::collections::HashSet::new();
    let mut expected = String::new();
    for e in &model.errors {
        if seen.insert(e.code.clone()) {
            expected.push_str(&format!(
                "{}\t{}\t{}\n",
                e.code,
                escape(&e.message),
                e.parameters.join(",")
            ));
        }
    }
    assert!(seen.len() > 700, "{} errors read", seen.len());
    let actual = include_str!("../src/errors.tsv");
    if actual != expected {
        let out = std::env::temp_dir().join("kaltura-mock-errors.tsv");
        std::fs::write(&out, &expected).expect("write the expected file");
        panic!(
            "src/errors.tsv is out of date with api/ovp/KalturaClient.xml; copy {} over it",
            out.display()
        );
    }
}
