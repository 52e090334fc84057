//! Bad schemas: each gives a `SchemaError` that names the file, the line and column
//! and the element path, and never a panic.

use kaltura_schema::{parse, ErrorKind, SchemaError};

fn fails(text: &str) -> SchemaError {
    match parse(text, "bad.xml") {
        Ok(_) => panic!("parsed, but should have failed:\n{text}"),
        Err(e) => e,
    }
}

/// (line, column, path) of an error.
fn at(e: &SchemaError) -> (usize, usize, &str) {
    (e.line, e.column, e.path.as_str())
}

/// A schema with one class, one enum and one service, and `$` replaced by `extra`
/// inside `<classes>`: errors in `extra` are on line 8 or later.
fn with_class(extra: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<xml apiVersion="1.0">
  <enums>
    <enum name="KalturaStatus" enumType="int"><const name="ON" value="1"/></enum>
  </enums>
  <classes>
    <class name="KalturaBase"><property name="id" type="string"/></class>
{extra}
  </classes>
</xml>
"#
    )
}

fn with_service(extra: &str) -> String {
    format!(
        r#"<xml apiVersion="1.0">
  <classes>
    <class name="KalturaBase"/>
  </classes>
  <services>
{extra}
  </services>
</xml>
"#
    )
}

// ---- malformed XML ----

#[test]
fn unclosed_tag_is_reported_where_the_mismatch_is_found() {
    let e = fails(
        "<?xml version=\"1.0\"?>\n<xml apiVersion=\"1\">\n  <enums>\n    <enum name=\"KalturaA\" enumType=\"int\">\n      <const name=\"X\" value=\"1\"/>\n  </enums>\n</xml>\n",
    );
    assert_eq!(at(&e), (6, 3, "xml/enums/enum[KalturaA]"));
    assert_eq!(
        e.to_string(),
        "bad.xml:6:3: in xml/enums/enum[KalturaA]: malformed XML: ill-formed document: \
         expected `</enum>`, but `</enums>` was found"
    );
}

#[test]
fn unquoted_attribute_value_is_pointed_at() {
    let e = fails(&with_class(
        r#"    <class name="KalturaA"><property name="id" type=string/></class>"#,
    ));
    // Column 53 is the `s` of `string`.
    assert_eq!(at(&e), (8, 53, "xml/classes/class[KalturaA]/property"));
    assert!(matches!(e.kind, ErrorKind::Xml(_)));
    assert_eq!(
        e.to_string(),
        "bad.xml:8:53: in xml/classes/class[KalturaA]/property: malformed XML: \
         attribute value without quotes"
    );
}

#[test]
fn stray_quote_inside_a_value_is_reported_on_its_element() {
    let e = fails(&with_class(
        r#"    <class name="KalturaA" description="say "hi""></class>"#,
    ));
    // The value ends at the second quote; `hi""` is then read as an attribute name.
    assert_eq!(at(&e), (8, 50, "xml/classes/class"));
    assert!(
        e.to_string()
            .contains("expected `=` after the attribute name"),
        "{e}"
    );
}

#[test]
fn attribute_given_twice() {
    let e = fails(r#"<xml apiVersion="1" a="1" a="2"/>"#);
    assert_eq!(at(&e), (1, 27, "xml"));
    assert!(
        e.to_string()
            .ends_with("malformed XML: attribute given twice"),
        "{e}"
    );
}

#[test]
fn truncated_between_elements_names_the_open_element() {
    let e = fails(
        "<xml apiVersion=\"1\">\n  <classes>\n    <class name=\"KalturaA\">\n      <property name=\"id\" type=\"string\"/>\n",
    );
    assert_eq!(at(&e), (3, 5, "xml/classes/class[KalturaA]"));
    assert_eq!(
        e.to_string(),
        "bad.xml:3:5: in xml/classes/class[KalturaA]: malformed XML: the file ends before \
         <class> is closed (truncated download?)"
    );
}

#[test]
fn truncated_inside_a_tag() {
    let e = fails(
        "<xml apiVersion=\"1\">\n  <classes>\n    <class name=\"KalturaA\">\n      <property name=\"id\" ty",
    );
    assert_eq!(at(&e), (4, 7, "xml/classes/class[KalturaA]"));
    assert!(e.to_string().contains("tag not closed"), "{e}");
}

#[test]
fn a_real_schema_cut_short_is_a_truncation_error() {
    let path = kaltura_tests::real_schema("ovp-2011");
    let text = std::fs::read_to_string(path).unwrap();
    // Cut after the first </class>: classes, xml are open.
    let cut = text.find("</class>").unwrap() + "</class>".len();
    let e = parse(&text[..cut], "ovp-2011.xml").unwrap_err();
    assert_eq!(e.path, "xml/classes");
    assert!(
        e.to_string()
            .contains("the file ends before <classes> is closed"),
        "{e}"
    );
    let line = text[..text.find("<classes>").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert_eq!((e.line, e.column), (line, 3));
}

#[test]
fn closing_tag_without_opening_one() {
    let e = fails("<xml apiVersion=\"1\"></xml></xml>\n");
    assert_eq!(at(&e), (1, 27, ""));
    // No element: the message has no `in <path>` part.
    assert!(
        e.to_string().starts_with("bad.xml:1:27: malformed XML: "),
        "{e}"
    );
}

#[test]
fn a_second_root_element() {
    let e = fails("<xml apiVersion=\"1\"></xml>\n<xml/>\n");
    assert_eq!(at(&e), (2, 1, ""));
    assert!(e
        .to_string()
        .contains("content after the root element: <xml>"));
}

#[test]
fn html_page_instead_of_the_schema() {
    // A proxy's error page: unquoted attributes and unclosed tags, which must not be
    // reported as XML errors.
    let html = "<!DOCTYPE html>\n<html lang=en>\n<head><meta charset=\"utf-8\"><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1></body>\n</html>\n";
    let e = fails(html);
    assert_eq!(at(&e), (2, 1, "html"));
    assert_eq!(e.kind, ErrorKind::NotASchema("html".into()));
    assert_eq!(
        e.to_string(),
        "bad.xml:2:1: in html: not a Kaltura schema: the root element is <html>, expected \
         <xml> (is this an HTML page instead of /api_v3/api_schema.php?)"
    );
}

#[test]
fn an_api_response_instead_of_the_schema() {
    // What /api_v3/service/... answers in XML: an <xml> root, but no schema.
    let e = fails(
        "<?xml version=\"1.0\"?><xml><result><error><code>SERVICE_FORBIDDEN</code></error></result></xml>",
    );
    assert_eq!(at(&e), (1, 22, "xml"));
    assert_eq!(
        e.to_string(),
        "bad.xml:1:22: in xml: missing required attribute `apiVersion`"
    );
}

#[test]
fn empty_and_blank_files() {
    for text in ["", "  \n\n", "<?xml version=\"1.0\"?>\n<!-- nothing -->\n"] {
        let e = fails(text);
        assert_eq!(at(&e), (1, 1, ""), "{text:?}");
        assert_eq!(
            e.to_string(),
            "bad.xml:1:1: malformed XML: the file is empty"
        );
    }
}

#[test]
fn columns_count_characters_not_bytes() {
    let e = fails(&with_class(
        r#"    <class name="KalturaÄÖ" description="ééé"><property name="x" type="KalturaNope"/></class>"#,
    ));
    // 46 characters (51 bytes) precede the `<` of <property>.
    assert_eq!(at(&e), (8, 47, "xml/classes/class[KalturaÄÖ]/property[x]"));
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let model = parse("\u{feff}<xml apiVersion=\"1\"/>", "bom.xml").unwrap();
    assert_eq!(model.api_version, "1");
}

// ---- references to nothing ----

#[test]
fn dangling_property_type() {
    let e = fails(&with_class(
        r#"    <class name="KalturaA"><property name="x" type="KalturaMissing"/></class>"#,
    ));
    assert_eq!(at(&e), (8, 28, "xml/classes/class[KalturaA]/property[x]"));
    assert_eq!(
        e.kind,
        ErrorKind::UnknownType {
            attribute: "type",
            name: "KalturaMissing".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "bad.xml:8:28: in xml/classes/class[KalturaA]/property[x]: `type` refers to \
         `KalturaMissing`, which is not declared in the schema"
    );
}

#[test]
fn dangling_array_type() {
    let e = fails(&with_class(
        r#"    <class name="KalturaA">
      <property name="items" type="array" arrayType="KalturaMissing"/>
    </class>"#,
    ));
    assert_eq!(
        at(&e),
        (9, 7, "xml/classes/class[KalturaA]/property[items]")
    );
    assert_eq!(
        e.kind,
        ErrorKind::UnknownType {
            attribute: "arrayType",
            name: "KalturaMissing".into()
        }
    );
}

#[test]
fn dangling_enum_type() {
    let e = fails(&with_class(
        r#"    <class name="KalturaA">
      <property name="status" type="int" enumType="KalturaStatuz"/>
    </class>"#,
    ));
    assert_eq!(
        at(&e),
        (9, 7, "xml/classes/class[KalturaA]/property[status]")
    );
    assert_eq!(
        e.kind,
        ErrorKind::UnknownType {
            attribute: "enumType",
            name: "KalturaStatuz".into()
        }
    );
}

#[test]
fn dangling_base_class() {
    let e = fails(&with_class(
        r#"    <class name="KalturaA" base="KalturaBse"/>"#,
    ));
    assert_eq!(at(&e), (8, 5, "xml/classes/class[KalturaA]"));
    assert_eq!(
        e.kind,
        ErrorKind::UnknownType {
            attribute: "base",
            name: "KalturaBse".into()
        }
    );
}

#[test]
fn dangling_param_type() {
    let e = fails(&with_service(
        r#"    <service id="media" name="media">
      <action name="add">
        <param name="entry" type="KalturaMediaEntry" optional="0"/>
        <result type="KalturaBase"/>
      </action>
    </service>"#,
    ));
    assert_eq!(
        at(&e),
        (8, 9, "xml/services/service[media]/action[add]/param[entry]")
    );
    assert_eq!(
        e.kind,
        ErrorKind::UnknownType {
            attribute: "type",
            name: "KalturaMediaEntry".into()
        }
    );
}

#[test]
fn dangling_result_type() {
    let e = fails(&with_service(
        r#"    <service id="media" name="media">
      <action name="get"><result type="KalturaNothing"/></action>
    </service>"#,
    ));
    assert_eq!(
        at(&e),
        (7, 26, "xml/services/service[media]/action[get]/result")
    );
}

// ---- names declared twice ----

#[test]
fn duplicate_class() {
    let e = fails(&with_class(r#"    <class name="KalturaBase"/>"#));
    assert_eq!(at(&e), (8, 5, "xml/classes/class[KalturaBase]"));
    assert_eq!(
        e.to_string(),
        "bad.xml:8:5: in xml/classes/class[KalturaBase]: duplicate class `KalturaBase` \
         (first declared on line 7)"
    );
}

#[test]
fn class_named_like_an_enum() {
    let e = fails(&with_class(r#"    <class name="KalturaStatus"/>"#));
    assert_eq!(at(&e), (8, 5, "xml/classes/class[KalturaStatus]"));
    assert!(
        matches!(e.kind, ErrorKind::Duplicate { first_line: 4, .. }),
        "{e}"
    );
}

#[test]
fn duplicate_enum() {
    let e = fails(
        r#"<xml apiVersion="1">
  <enums>
    <enum name="KalturaA" enumType="int"/>
    <enum name="KalturaA" enumType="string"/>
  </enums>
</xml>"#,
    );
    assert_eq!(at(&e), (4, 5, "xml/enums/enum[KalturaA]"));
    assert_eq!(
        e.to_string(),
        "bad.xml:4:5: in xml/enums/enum[KalturaA]: duplicate enum `KalturaA` (first declared \
         on line 3)"
    );
}

#[test]
fn duplicate_enum_constant() {
    let e = fails(
        r#"<xml apiVersion="1">
  <enums>
    <enum name="KalturaA" enumType="int">
      <const name="ON" value="1"/>
      <const name="ON" value="2"/>
    </enum>
  </enums>
</xml>"#,
    );
    assert_eq!(at(&e), (5, 7, "xml/enums/enum[KalturaA]/const[ON]"));
}

#[test]
fn duplicate_service_id_ignoring_case() {
    let e = fails(&with_service(
        r#"    <service id="media" name="media"/>
    <service id="MEDIA" name="media2"/>"#,
    ));
    assert_eq!(at(&e), (7, 5, "xml/services/service[media2]"));
    // Named as written, not as compared.
    assert_eq!(
        e.to_string(),
        "bad.xml:7:5: in xml/services/service[media2]: duplicate service id `MEDIA` (first \
         declared on line 6)"
    );
}

#[test]
fn duplicate_property() {
    let e = fails(&with_class(
        r#"    <class name="KalturaA">
      <property name="id" type="string"/>
      <property name="ID" type="string"/>
      <property name="id" type="int"/>
    </class>"#,
    ));
    // `ID` is another property: property names are case-sensitive on the wire.
    assert_eq!(at(&e), (11, 7, "xml/classes/class[KalturaA]/property[id]"));
    assert!(
        matches!(e.kind, ErrorKind::Duplicate { first_line: 9, .. }),
        "{e}"
    );
}

#[test]
fn duplicate_action_ignoring_case() {
    let e = fails(&with_service(
        r#"    <service id="media" name="media">
      <action name="list"/>
      <action name="List"/>
    </service>"#,
    ));
    assert_eq!(at(&e), (8, 7, "xml/services/service[media]/action[List]"));
    assert_eq!(
        e.to_string(),
        "bad.xml:8:7: in xml/services/service[media]/action[List]: duplicate action `List` \
         (first declared on line 7)"
    );
}

#[test]
fn duplicate_parameter() {
    let e = fails(&with_service(
        r#"    <service id="media" name="media">
      <action name="list">
        <param name="filter" type="string"/>
        <param name="filter" type="int"/>
      </action>
    </service>"#,
    ));
    assert_eq!(
        at(&e),
        (
            9,
            9,
            "xml/services/service[media]/action[list]/param[filter]"
        )
    );
}

// ---- inheritance ----

#[test]
fn inheritance_cycle() {
    let e = fails(&with_class(
        r#"    <class name="KalturaA" base="KalturaB"/>
    <class name="KalturaB" base="KalturaC"/>
    <class name="KalturaC" base="KalturaA"/>"#,
    ));
    assert_eq!(at(&e), (8, 5, "xml/classes/class[KalturaA]"));
    assert_eq!(
        e.to_string(),
        "bad.xml:8:5: in xml/classes/class[KalturaA]: inheritance cycle: KalturaA -> \
         KalturaB -> KalturaC -> KalturaA"
    );
}

#[test]
fn class_that_is_its_own_base() {
    let e = fails(&with_class(
        r#"    <class name="KalturaA" base="KalturaA"/>"#,
    ));
    assert_eq!(at(&e), (8, 5, "xml/classes/class[KalturaA]"));
    assert_eq!(
        e.kind,
        ErrorKind::InheritanceCycle(vec!["KalturaA".into(), "KalturaA".into()])
    );
}

// ---- attributes ----

#[test]
fn missing_required_attributes() {
    let cases: &[(String, (usize, usize, &str), &str)] = &[
        (
            with_class(r#"    <class><property name="x" type="int"/></class>"#),
            (8, 5, "xml/classes/class"),
            "name",
        ),
        (
            with_class(r#"    <class name="KalturaA"><property name="x"/></class>"#),
            (8, 28, "xml/classes/class[KalturaA]/property[x]"),
            "type",
        ),
        (
            with_service(r#"    <service name="media"/>"#),
            (6, 5, "xml/services/service[media]"),
            "id",
        ),
        (
            with_service(
                r#"    <service id="media" name="media"><action name="get"><param name="id"/></action></service>"#,
            ),
            (6, 57, "xml/services/service[media]/action[get]/param[id]"),
            "type",
        ),
        (
            r#"<xml apiVersion="1"><enums><enum name="KalturaA"/></enums></xml>"#.into(),
            (1, 28, "xml/enums/enum[KalturaA]"),
            "enumType",
        ),
        (
            r#"<xml apiVersion="1"><enums><enum name="KalturaA" enumType="int"><const name="A"/></enum></enums></xml>"#.into(),
            (1, 65, "xml/enums/enum[KalturaA]/const[A]"),
            "value",
        ),
        (
            // An empty name is no name.
            r#"<xml apiVersion="1"><enums><enum name=" " enumType="int"/></enums></xml>"#.into(),
            (1, 28, "xml/enums/enum[ ]"),
            "name",
        ),
    ];
    for (text, place, attribute) in cases {
        let e = fails(text);
        assert_eq!(at(&e), *place, "{text}");
        assert_eq!(e.kind, ErrorKind::MissingAttribute(attribute), "{text}");
        assert!(
            e.to_string()
                .ends_with(&format!("missing required attribute `{attribute}`")),
            "{e}"
        );
    }
}

#[test]
fn attribute_values_of_the_wrong_kind() {
    let e = fails(
        r#"<xml apiVersion="1"><enums><enum name="KalturaE" enumType="int"><const name="A" value="x"/></enum></enums></xml>"#,
    );
    assert_eq!(at(&e), (1, 65, "xml/enums/enum[KalturaE]/const[A]"));
    assert_eq!(
        e.to_string(),
        "bad.xml:1:65: in xml/enums/enum[KalturaE]/const[A]: attribute `value` is \"x\", \
         expected an integer (the enum is enumType=\"int\")"
    );
    let e = fails(
        r#"<xml apiVersion="1"><enums><enum name="KalturaE" enumType="float"/></enums></xml>"#,
    );
    assert!(e
        .to_string()
        .ends_with("attribute `enumType` is \"float\", expected int or string"));
    let e = fails(&with_class(
        r#"    <class name="KalturaA"><property name="x" type="int" readOnly="yes"/></class>"#,
    ));
    assert_eq!(at(&e), (8, 28, "xml/classes/class[KalturaA]/property[x]"));
    assert!(e
        .to_string()
        .ends_with("attribute `readOnly` is \"yes\", expected 0 or 1"));
    let e = fails(&with_class(
        r#"    <class name="KalturaA"><property name="x" type="string" maxLength="ten"/></class>"#,
    ));
    assert!(e
        .to_string()
        .ends_with("attribute `maxLength` is \"ten\", expected an integer"));
}

// ---- never a panic ----

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Parses `text`; the result may be Ok or Err, but must come back. When it is Ok, the
/// generator must not fail or panic on it either.
fn survives(text: &str, what: &str) {
    let result = std::panic::catch_unwind(|| match parse(text, "mutant.xml") {
        Ok(model) => {
            // An accepted schema has resolved references: generation must work.
            kaltura_codegen::generate(&model)
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
        Err(e) => {
            // Errors point inside the text.
            let lines = text.split('\n').count();
            assert!(
                e.line >= 1 && e.line <= lines,
                "{what}: line {} of {lines}: {e}",
                e.line
            );
            assert!(e.column >= 1, "{what}: {e}");
            assert!(e.to_string().starts_with("mutant.xml:"), "{what}: {e}");
            Ok(())
        }
    });
    match result {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("{what}: a schema that parses does not generate: {e}"),
        Err(_) => panic!("{what}: panicked on:\n{text}"),
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut runs = 0;
    for name in kaltura_tests::FIXTURES {
        let text = kaltura_tests::fixture_text(name);
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        // Every prefix, in steps: truncated downloads.
        for &cut in boundaries.iter().step_by(7) {
            survives(&text[..cut], &format!("{name} cut at byte {cut}"));
            runs += 1;
        }
        // Characters deleted, duplicated or replaced by XML-significant ones.
        for round in 0..150 {
            let mut chars: Vec<char> = text.chars().collect();
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(chars.len());
                match rng.below(3) {
                    0 => {
                        chars.remove(i);
                    }
                    1 => chars.insert(i, chars[i]),
                    _ => {
                        chars[i] = ['<', '>', '"', '/', '=', '&', ' ', 'x', '\u{e9}'][rng.below(9)]
                    }
                }
            }
            let mutant: String = chars.into_iter().collect();
            survives(&mutant, &format!("{name} mutation round {round}"));
            runs += 1;
        }
    }
    assert!(runs > 1000, "{runs} runs");
}
