//! Imperfect schemas that real servers publish: what does not reach the generated code
//! is tolerated with a warning located like an error (file:line:column and path), and
//! strict mode refuses it. What would make wrong code stays an error.
//!
//! Each fixture under `tests/fixtures/` shows one case; its warnings are snapshotted
//! (one per line as `Display` shows them, then the grouped summary).

use kaltura_schema::{
    diff, parse, parse_with_warnings, render_text, ErrorKind, Model, Options, Parsed, SchemaError,
    WarningKind,
};
use std::fmt::Write;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}.xml", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn tolerated(name: &str) -> Parsed {
    let text = fixture(name);
    parse_with_warnings(&text, &format!("{name}.xml"), &Options::default())
        .unwrap_or_else(|e| panic!("{name} is refused: {e}"))
}

/// Every warning, then the groups as the terminal shows them.
fn report(parsed: &Parsed) -> String {
    let mut out = String::new();
    for w in &parsed.warnings {
        writeln!(out, "{w}").unwrap();
    }
    out.push_str("--\n");
    for group in parsed.warnings.groups() {
        writeln!(out, "{group}").unwrap();
    }
    out
}

fn snapshot(name: &str) -> Parsed {
    let parsed = tolerated(name);
    insta::assert_snapshot!(name, report(&parsed));
    parsed
}

fn action<'m>(model: &'m Model, service: &str, action: &str) -> &'m kaltura_schema::Action {
    model
        .services
        .iter()
        .find(|s| s.id == service)
        .and_then(|s| s.actions.iter().find(|a| a.name == action))
        .unwrap_or_else(|| panic!("no {service}.{action}"))
}

#[test]
fn throws_without_a_name_are_dropped() {
    let p = snapshot("throws_without_name");
    assert_eq!(p.warnings.len(), 3);
    assert!(action(&p.model, "asset", "addFromBulkUpload")
        .throws
        .is_empty());
    assert_eq!(
        action(&p.model, "asset", "get").throws,
        vec!["AssetNotFound".to_string()]
    );
}

/// The report that started issue 13: an OTT server (API 5.2.3) whose schema has 168
/// nameless `throws`. The first was refused as an error; now they make one line.
#[test]
fn many_nameless_throws_make_one_summary_line() {
    let mut text = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<xml apiVersion=\"5.2.3\">\n  <services>\n    <service id=\"asset\" name=\"asset\">\n",
    );
    for i in 0..168 {
        write!(
            text,
            "      <action name=\"action{i}\">\n        <result type=\"int\"/>\n        <throws />\n      </action>\n"
        )
        .unwrap();
    }
    text.push_str("    </service>\n  </services>\n</xml>\n");
    let p = parse_with_warnings(&text, "api_schema.php", &Options::default()).unwrap();
    let groups: Vec<String> = p.warnings.groups().iter().map(|g| g.to_string()).collect();
    assert_eq!(
        groups,
        [
            "168 warnings: throws without a name (first at api_schema.php:7:9 in \
          xml/services/service[asset]/action[action0]/throws)"
        ]
    );
    assert_eq!(p.model.action_count(), 168);
    // --strict: the first one is the error, worded as the warning.
    let e =
        parse_with_warnings(&text, "api_schema.php", &Options::default().strict(true)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "api_schema.php:7:9: in xml/services/service[asset]/action[action0]/throws: \
         <throws> without `name` (refused in strict mode)"
    );
}

#[test]
fn throws_of_undeclared_errors_are_kept() {
    let p = snapshot("throws_undeclared");
    // The repeated one is kept once; the undeclared one is kept.
    assert_eq!(
        action(&p.model, "liveChannel", "registerMediaServer").throws,
        ["ENTRY_ID_NOT_FOUND", "ENTRY_SERVER_NODE_MULTI_RESULT"]
    );
}

#[test]
fn unknown_elements_are_skipped_with_their_contents() {
    let p = snapshot("unknown_elements");
    // The misplaced class is not read as a class; the known parts around are.
    assert_eq!(p.model.classes.len(), 1);
    assert_eq!(p.model.classes[0].properties.len(), 1);
    assert_eq!(p.model.enums[0].consts.len(), 1);
    assert!(action(&p.model, "entry", "get").result.is_some());
}

#[test]
fn unknown_attributes_are_kept_as_extra() {
    let p = snapshot("unknown_attributes");
    let class = &p.model.classes[0];
    // Known but unused (requiresPermissions) and unknown (color) alike are kept.
    assert_eq!(class.extra.get("color").map(String::as_str), Some("blue"));
    assert_eq!(
        class.extra.get("requiresPermissions").map(String::as_str),
        Some("a,b")
    );
    assert_eq!(
        class.properties[0].extra.get("indexed").map(String::as_str),
        Some("1")
    );
}

#[test]
fn missing_descriptions_are_reported_where_the_file_has_others() {
    let p = snapshot("missing_descriptions");
    // No service has a description: nothing is said about services. An empty
    // description is a description.
    assert!(p
        .warnings
        .iter()
        .all(|w| w.kind != WarningKind::MissingDescription("service")));
    assert_eq!(p.model.classes[2].description, "");
}

#[test]
fn errors_without_codes_or_names() {
    let p = snapshot("errors_without_codes");
    let errors: Vec<(&str, &str, usize)> = p
        .model
        .errors
        .iter()
        .map(|e| (e.name.as_str(), e.code.as_str(), e.parameters.len()))
        .collect();
    assert_eq!(
        errors,
        [
            ("INTERNAL_SERVERL_ERROR", "INTERNAL_SERVERL_ERROR", 0),
            ("INVALID_KS", "INVALID_KS", 1)
        ]
    );
}

#[test]
fn duplicate_error_names_and_codes_are_kept() {
    let p = snapshot("duplicate_errors");
    assert_eq!(p.model.errors.len(), 4);
}

#[test]
fn empty_enums_are_reported_only_where_used() {
    let p = snapshot("empty_enums");
    assert_eq!(p.model.enums.len(), 3);
    assert!(p.model.enums.iter().all(|e| e.consts.is_empty()));
}

#[test]
fn plugins_without_names() {
    let p = snapshot("plugins_without_names");
    assert_eq!(p.model.plugins.len(), 1);
    assert_eq!(p.model.plugins[0].services, ["metadata"]);
    assert_eq!(p.model.plugins[0].dependencies, ["contentDistribution"]);
}

#[test]
fn text_between_tags_and_after_the_root() {
    let p = snapshot("text_between_tags");
    assert_eq!(p.model.enums[0].consts.len(), 1);
}

/// The XML reader hands `a &amp; b` over in three pieces; it is still one run of text,
/// and one warning, at its first character.
#[test]
fn text_with_entities_is_one_warning() {
    let text = "<xml apiVersion=\"1.0\">\n  <enums>a &amp; b&#10;c</enums>\n  &lt;\n</xml>";
    let p = parse_with_warnings(text, "t.xml", &Options::default()).unwrap();
    let lines: Vec<String> = p.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        lines,
        [
            "t.xml:2:10: in xml/enums: text between tags; ignored (a schema says everything in attributes)",
            "t.xml:3:3: in xml: text between tags; ignored (a schema says everything in attributes)",
        ]
    );
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let text = fixture("byte_order_mark");
    assert!(text.starts_with('\u{feff}'));
    let p = snapshot("byte_order_mark");
    assert_eq!(p.model.api_version, "5.2.3");
    // The mark takes no column: an element right after it is at column 1.
    let e = parse("\u{feff}<xml/>", "bom.xml").unwrap_err();
    assert_eq!((e.line, e.column), (1, 1));
    assert_eq!(
        e.to_string(),
        "bom.xml:1:1: in xml: missing required attribute `apiVersion`"
    );
}

#[test]
fn crlf_line_ends_are_accepted() {
    let text = fixture("crlf_line_ends");
    assert_eq!(text.matches("\r\n").count(), text.matches('\n').count());
    let p = snapshot("crlf_line_ends");
    // Lines and columns are those an editor shows; values keep their line ends.
    let class = &p.model.classes[0];
    assert_eq!((class.loc.line, class.loc.column), (4, 5));
    assert_eq!(class.description, "An asset,\r\nover two lines");
    assert_eq!(class.properties[0].loc.line, 6);
}

/// Every fixture: strict mode refuses it at its first warning, and `schema-diff`
/// compares it like any schema.
#[test]
fn strict_mode_and_diff_on_every_tolerated_fixture() {
    let empty = parse("<xml apiVersion=\"1.0\"/>", "empty.xml").unwrap();
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            Some(name.strip_suffix(".xml")?.to_string())
        })
        .collect();
    names.sort();
    assert!(names.len() >= 12, "{names:?}");
    for name in &names {
        let p = tolerated(name);
        assert!(!p.warnings.is_empty(), "{name}: a fixture shows a warning");
        let first = p.warnings.iter().next().unwrap().clone();
        let e = parse_with_warnings(
            &fixture(name),
            &format!("{name}.xml"),
            &Options::default().strict(true),
        )
        .unwrap_err();
        assert_eq!(e, SchemaError::from(first.clone()), "{name}");
        assert_eq!(e.kind, ErrorKind::Strict(first.kind.clone()));
        assert_eq!(
            e.to_string(),
            format!(
                "{}:{}:{}: in {}: {} (refused in strict mode)",
                first.source,
                first.line,
                first.column,
                first.path,
                first.kind.problem()
            ),
            "{name}"
        );
        // `parse` keeps accepting it, and the comparison sees its items.
        let model = parse(&fixture(name), name).unwrap();
        let d = diff(&empty, &model);
        let text = render_text(&d);
        assert!(!text.is_empty(), "{name}");
        assert!(diff(&model, &model).changes.is_empty(), "{name}");
    }
}

/// The other side of the rule: what reaches the code is refused even without strict
/// mode.
#[test]
fn what_reaches_the_code_stays_an_error() {
    let cases: &[(&str, (usize, usize, &str), &str)] = &[
        (
            r#"<xml apiVersion="1"><enums><enum enumType="int"/></enums></xml>"#,
            (1, 28, "xml/enums/enum"),
            "missing required attribute `name`",
        ),
        (
            r#"<xml apiVersion="1"><enums><enum name="KalturaE" enumType="int"><const value="1"/></enum></enums></xml>"#,
            (1, 65, "xml/enums/enum[KalturaE]/const"),
            "missing required attribute `name`",
        ),
        (
            r#"<xml apiVersion="1"><classes><class name="KalturaA"><property type="int"/></class></classes></xml>"#,
            (1, 53, "xml/classes/class[KalturaA]/property"),
            "missing required attribute `name`",
        ),
        (
            r#"<xml apiVersion="1"><services><service id="s" name="s"><action name="a"><param type="int"/></action></service></services></xml>"#,
            (1, 73, "xml/services/service[s]/action[a]/param"),
            "missing required attribute `name`",
        ),
        (
            r#"<xml apiVersion="1"><services><service id="s" name="s"><action/></service></services></xml>"#,
            (1, 56, "xml/services/service[s]/action"),
            "missing required attribute `name`",
        ),
        (
            r#"<xml apiVersion="1"><plugins><plugin name="p"/><plugin name="p"/></plugins></xml>"#,
            (1, 48, "xml/plugins/plugin[p]"),
            "duplicate plugin `p` (first declared on line 1)",
        ),
    ];
    for (text, (line, column, path), message) in cases {
        let e = parse_with_warnings(text, "bad.xml", &Options::default()).unwrap_err();
        assert_eq!(
            (e.line, e.column, e.path.as_str()),
            (*line, *column, *path),
            "{text}"
        );
        assert!(e.to_string().ends_with(message), "{e}");
    }
}
