//! `kaltura_schema::diff` on the real 2011 and current OVP schemas vendored under `api/`. Each
//! fact asserted here was checked by hand in the two XML files.

use kaltura_schema::{diff, parse, Change, ChangeKind, Field, Model, SchemaDiff, Section};

fn load(folder: &str) -> Model {
    let path = kaltura_tests::real_schema(folder);
    let text = std::fs::read_to_string(&path).expect("vendored schema is readable");
    parse(&text, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"))
}

fn ovp_2011_to_now() -> SchemaDiff {
    diff(&load("ovp-2011"), &load("ovp"))
}

fn entries<'a>(d: &'a SchemaDiff, section: Section, item: &'a str) -> Vec<&'a Change> {
    d.item(section, item).collect()
}

fn one<'a>(d: &'a SchemaDiff, section: Section, item: &'a str) -> &'a Change {
    let found = entries(d, section, item);
    assert_eq!(found.len(), 1, "entries for {item}: {found:#?}");
    found[0]
}

fn field(c: &Change) -> (Field, &str, &str) {
    let f = c.field.as_ref().expect("a Changed entry names its field");
    (f.field, f.old.as_str(), f.new.as_str())
}

#[test]
fn services_and_actions_since_2011() {
    let d = ovp_2011_to_now();
    assert_eq!(
        (d.old_version.as_str(), d.new_version.as_str()),
        ("3.1.1", "22.19.0")
    );

    // accessControlProfile replaced accessControl, which is now deprecated.
    let c = one(&d, Section::Services, "accesscontrolprofile");
    assert_eq!((c.kind, c.breaking), (ChangeKind::Added, false));
    let c = one(&d, Section::Services, "accesscontrol");
    assert_eq!((c.kind, c.breaking), (ChangeKind::Deprecated, false));
    // The adminConsole plugin's flavorParamsOutput service is gone.
    let c = one(&d, Section::Services, "adminconsole_flavorparamsoutput");
    assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, true));

    // mixing kept every action but requestFlattening; it is the only action removed
    // from a service that still exists.
    let c = one(&d, Section::Actions, "mixing.requestFlattening");
    assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, true));
    assert_eq!(d.counts(Some(Section::Actions)).removed, 1);

    // media.convert returned an int and returns a bigint now.
    let c = one(&d, Section::Actions, "media.convert");
    assert_eq!(field(c), (Field::Result, "int", "bigint"));
    assert!(c.breaking);
}

#[test]
fn parameters_since_2011() {
    let d = ovp_2011_to_now();

    // systemPartner.get took `partnerId`; it takes a required `pId` now.
    let c = one(
        &d,
        Section::Parameters,
        "systempartner_systempartner.get(partnerId)",
    );
    assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, true));
    let c = one(
        &d,
        Section::Parameters,
        "systempartner_systempartner.get(pId)",
    );
    assert_eq!((c.kind, c.breaking), (ChangeKind::Added, true));
    assert_eq!(c.note.as_deref(), Some("int, required"));

    // Ids widened from int to bigint.
    let c = one(&d, Section::Parameters, "category.delete(id)");
    assert_eq!(field(c), (Field::Type, "int", "bigint"));
    assert!(c.breaking);

    // New optional parameters do not break callers.
    let c = one(&d, Section::Parameters, "category.list(pager)");
    assert_eq!((c.kind, c.breaking), (ChangeKind::Added, false));
}

#[test]
fn types_since_2011() {
    let d = ovp_2011_to_now();

    let c = one(&d, Section::Classes, "KalturaFilter");
    assert_eq!(field(c), (Field::Abstract, "no", "yes"));
    assert!(c.breaking);

    // List responses gained the KalturaListResponse base, which now declares
    // totalCount: reported, but nothing was lost.
    let list = entries(&d, Section::Classes, "KalturaAccessControlListResponse");
    assert_eq!(list.len(), 2, "{list:#?}");
    assert_eq!(
        field(list[0]),
        (Field::Base, "(none)", "KalturaListResponse")
    );
    assert!(!list[0].breaking);
    assert_eq!(list[1].kind, ChangeKind::Deprecated);
    let c = one(
        &d,
        Section::Properties,
        "KalturaAccessControlListResponse.totalCount",
    );
    assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, false));
    assert_eq!(
        c.note.as_deref(),
        Some("now inherited from KalturaListResponse")
    );

    let c = one(&d, Section::Enums, "KalturaSourceType");
    assert_eq!(field(c), (Field::Kind, "int", "string"));
    assert!(c.breaking);

    let c = one(&d, Section::Plugins, "storageProfile");
    assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, true));

    // The 2011 schema has no <errors> section: every current error is new.
    let errors = d.counts(Some(Section::Errors));
    assert_eq!((errors.added, errors.removed), (725, 0));
}

#[test]
fn renderings_have_their_sections() {
    let d = ovp_2011_to_now();
    let total = d.counts(None);
    assert!(total.breaking > 0 && total.breaking < total.total());

    let text = kaltura_schema::render_text(&d);
    assert!(
        text.starts_with("API schema diff: 3.1.1 -> 22.19.0: "),
        "{text:.300}"
    );
    assert!(text.contains("\n! removed    mixing.requestFlattening\n"));
    for s in Section::ALL {
        assert!(
            text.contains(&format!("\n{} (", s.title())),
            "text has no {} section",
            s.title()
        );
    }

    let md = kaltura_schema::render_markdown(&d);
    assert!(md.starts_with("## API schema diff: `3.1.1` → `22.19.0`\n"));
    assert!(
        md.contains("| Services | 96 | 6 | 0 | 7 | 6 |"),
        "{md:.1500}"
    );
    let breaking = md
        .find(&format!("\n### Breaking changes ({})\n", total.breaking))
        .expect("breaking changes section");
    assert!(md.contains("- **removed** action `mixing.requestFlattening`\n"));
    let mut last = breaking;
    for s in Section::ALL {
        let at = md
            .find(&format!("\n### {} (", s.title()))
            .unwrap_or_else(|| panic!("markdown has no {} section", s.title()));
        assert!(at > last, "{} is out of order", s.title());
        last = at;
    }
}
