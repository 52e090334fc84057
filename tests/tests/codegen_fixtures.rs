//! Golden files of the generator: for each schema fixture (tests/fixtures/schema/), the
//! checked model, the plan (every decision the generator takes: files, features, names,
//! derives, pagination) and the generated code, reviewed like source
//! (tests/tests/snapshots/). Beside each snapshot, assertions on the decisions a user
//! of the generated client would notice, so that a snapshot accepted by mistake still
//! fails.

use kaltura_schema::{EnumKind, TypeRef};
use kaltura_tests::{file, fixture_model, fixture_output, render, FIXTURES};

/// Fixtures whose snapshot includes metadata.json: together they use every kind of type
/// and parameter.
const WITH_METADATA: &[&str] = &["collections", "defaults", "files"];

fn snapshots(name: &str) -> kaltura_codegen::Output {
    let model = fixture_model(name);
    insta::assert_yaml_snapshot!(format!("{name}__model"), model);
    insta::assert_snapshot!(format!("{name}__plan"), kaltura_codegen::plan(&model));
    let output = fixture_output(name);
    insta::assert_snapshot!(
        format!("{name}__code"),
        render(&output, WITH_METADATA.contains(&name))
    );
    output
}

#[test]
fn every_fixture_is_listed() {
    let dir = kaltura_tests::fixture_path("x");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".xml").map(str::to_string))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "FIXTURES (tests/src/lib.rs) lists every fixture"
    );
}

#[test]
fn enums() {
    let out = snapshots("enums");
    let model = fixture_model("enums");
    let status = model.enum_(model.enum_id("KalturaEntryStatus").unwrap());
    assert_eq!(status.kind, EnumKind::Int);
    let code = file(&out, "enums/core_e.rs");
    // A constant named UNKNOWN yields the name to the catch-all.
    assert!(code.contains("    Unknown_2,\n"), "{code}");
    assert!(code.contains("    Unknown(i64),\n"));
    // One variant per value: a constant repeating a value is an alias of the first
    // constant with it, so both names compare equal to what the server sends.
    assert!(code.contains("1i64 => Self::Preconvert,"));
    assert!(code.contains("2i64 => Self::Ready,"));
    assert_eq!(code.matches(" 1i64 =>").count(), 1, "{code}");
    assert_eq!(code.matches(" 2i64 =>").count(), 1, "{code}");
    assert!(code.contains("pub const Import: Self = Self::Preconvert;"));
    assert!(code.contains("pub const AlsoReady: Self = Self::Ready;"));
    assert!(!code.contains("    Import,\n"));
    let formats = file(&out, "enums/core_c.rs");
    assert!(formats.contains("    V3gp,\n") && formats.contains("    V3d,\n"));
    assert!(formats.contains("\"apple-http\" => Self::AppleHttp_2,"));
    assert!(formats.contains("pub const FlashVideo: Self = Self::Flv;"));
    assert!(formats.contains(r#""say \"hi\" \\ bye" => Self::Quoted,"#));
    let empty = file(&out, "enums/core_n.rs");
    assert!(empty.contains("pub enum KalturaNothingYet {"));
}

#[test]
fn inheritance() {
    let out = snapshots("inheritance");
    let model = fixture_model("inheritance");
    let leaf = model.class_id("KalturaLeafEntry").unwrap();
    let chain: Vec<&str> = model
        .ancestors(leaf)
        .into_iter()
        .map(|c| model.class(c).name.as_str())
        .collect();
    assert_eq!(chain, ["KalturaPlayableEntry", "KalturaBaseEntry"]);
    let types = file(&out, "types/core_b.rs");
    // Inherited properties are flattened in, root's first.
    let leaf_code = file(&out, "types/core_l.rs");
    let order: Vec<usize> = ["pub id:", "pub plays:", "pub duration:"]
        .iter()
        .map(|f| {
            leaf_code
                .find(f)
                .unwrap_or_else(|| panic!("{f} in {leaf_code}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // A base class that something refers to gets an Any enum over its subclasses;
    // its variant list covers all three levels.
    assert!(types.contains("pub enum KalturaBaseEntryAny {"));
    for v in [
        "KalturaBaseEntry(Box<KalturaBaseEntry>)",
        "KalturaPlayableEntry(Box<KalturaPlayableEntry>)",
        "KalturaLeafEntry(Box<KalturaLeafEntry>)",
        "KalturaDocumentEntry(Box<KalturaDocumentEntry>)",
    ] {
        assert!(types.contains(v), "{v}");
    }
    assert!(types.contains("pub parent: rt::Field<KalturaBaseEntryAny>,"));
    // A recursive plain class is boxed; a base nothing refers to has no Any enum.
    assert!(file(&out, "types/core_n.rs").contains("pub next: rt::Field<Box<KalturaNode>>,"));
    assert!(!render(&out, false).contains("KalturaUnreferencedBaseAny"));
    // Descriptions never become doc tests.
    assert!(types.contains("/// and an indented second line"));
    let service = file(&out, "services/baseentry.rs");
    assert!(service.contains("type Output = KalturaBaseEntryAny;"));
    assert!(service.contains("type Output = rt::AnyObject;"));
}

#[test]
fn collections() {
    let out = snapshots("collections");
    let model = fixture_model("collections");
    let bag = model.class(model.class_id("KalturaBag").unwrap());
    let tags = bag.properties.iter().find(|p| p.name == "tags").unwrap();
    assert_eq!(tags.ty, TypeRef::Array(Box::new(TypeRef::String)));
    let types = file(&out, "types/core_b.rs");
    for field in [
        "pub pairs: rt::Field<Vec<KalturaKeyValue>>,",
        "pub by_name: rt::Field<rt::BTreeMap<String, KalturaKeyValue>>,",
        "pub assets_by_name: rt::Field<rt::BTreeMap<String, KalturaAssetAny>>,",
        "pub tags: rt::Field<Vec<String>>,",
        "pub colors: rt::Field<Vec<KalturaColor>>,",
        "pub anything: rt::Field<rt::BTreeMap<String, rt::AnyObject>>,",
    ] {
        assert!(types.contains(field), "{field}");
    }
    let service = file(&out, "services/bag.rs");
    assert!(service.contains("type Output = Vec<KalturaAssetAny>;"));
    assert!(service.contains("type Output = rt::BTreeMap<String, KalturaKeyValue>;"));
}

#[test]
fn files() {
    let out = snapshots("files");
    let upload = file(&out, "services/uploadtoken.rs");
    // Files travel as multipart parts, moved out when sent; such requests are not Clone.
    assert!(upload.contains("file_data: Option<rt::FileParam>,"));
    assert!(upload.contains("files.push((\"fileData\", file));"));
    assert!(upload.contains("files.push((\"thumbnail\", file));"));
    assert!(!upload.contains("params.put(\"fileData\""));
    assert!(!upload.contains("#[derive(Debug, Clone)]\npub struct UploadTokenUploadRequest"));
    let serve = file(&out, "services/thumbasset.rs");
    assert!(serve.contains("type Output = rt::ServedFile;"));
    assert!(serve.contains("const SERVES_FILE: bool = true;"));
    assert!(serve.contains("const MULTIREQUEST: bool = false;"));
    // A file property cannot be sent in an object's JSON: it is left out, and said so.
    let resource = file(&out, "types/core_u.rs");
    assert!(!resource.contains("file_data"));
    assert!(resource.contains("Left out: `fileData`"));
    assert!(resource.contains("pub label: rt::Field<String>,"));
}

#[test]
fn defaults() {
    let out = snapshots("defaults");
    let model = fixture_model("defaults");
    let find = &model.services[0].actions[0];
    let default = |n: &str| {
        find.params
            .iter()
            .find(|p| p.name == n)
            .unwrap()
            .default
            .clone()
    };
    assert_eq!(default("limit").as_deref(), Some("-1"));
    assert_eq!(default("quote").as_deref(), Some("\"x\""));
    assert_eq!(default("term"), None, "an empty default is no default");
    let code = file(&out, "services/search.rs");
    // Only required parameters are arguments; optional ones are setters, sent only
    // when set (the server applies its default otherwise).
    assert!(code
        .contains("pub fn find(&self, partner_id: impl Into<rt::Arg<i64>>) -> SearchFindRequest"));
    assert!(code.contains("pub fn limit(mut self, value: impl Into<rt::Arg<i64>>) -> Self"));
    assert!(code.contains("params.put_opt(\"limit\", &self.limit);"));
    assert!(code.contains("params.put(\"partnerId\", &self.partner_id);"));
    assert!(code.contains("the server's default is `-1`"));
    // Descriptions are plain text in rustdoc: no broken links, no HTML tags.
    assert!(code.contains(
        "/// Keys are 1-\\[28,29\\]; ids look like &lt;entryId&gt;; see <https://example.com/docs>."
    ));
}

#[test]
fn plugins() {
    let out = snapshots("plugins");
    let features: Vec<(&str, Vec<&str>)> = out
        .features
        .iter()
        .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        features,
        [
            ("caption", vec![]),
            ("caption_search", vec!["caption"]),
            ("content_distribution", vec!["metadata", "orphan"]),
            ("metadata", vec!["orphan"]),
            ("orphan", vec![]),
        ]
    );
    let model = fixture_model("plugins");
    let deps = model.plugin_dependencies();
    assert_eq!(
        deps["contentDistribution"],
        ["metadata", "notInThisSchema", "orphan"]
    );
    // Core items that need a plugin are gated by its feature.
    let entry = file(&out, "types/core_e.rs");
    assert!(entry.contains(
        "#[cfg(feature = \"caption\")]\n    pub caption_type: rt::Field<KalturaCaptionType>,"
    ));
    let asset = file(&out, "services/asset.rs");
    assert!(
        asset.contains("#[cfg(feature = \"metadata\")]\n    #[inline]\n    pub fn get_metadata(")
    );
    let core_a = file(&out, "types/core_a.rs");
    assert!(core_a.contains(
        "#[cfg(feature = \"caption\")]\n    KalturaCaptionAsset(Box<KalturaCaptionAsset>),"
    ));
    let types_mod = file(&out, "types/mod.rs");
    assert!(types_mod
        .contains("#[cfg(feature = \"content_distribution\")]\nmod plugin_content_distribution;"));
    assert!(file(&out, "services/mod.rs")
        .contains("#[cfg(feature = \"caption_search\")]\n#[rustfmt::skip]\nmod captionsearch_captionassetitem;"));
    // Each gated item says which feature enables it, and the table lists them all.
    assert!(asset.contains("Available with the `metadata` feature.\n    #[cfg(feature = \"metadata\")]\n    #[inline]\n    pub fn get_metadata("), "{asset}");
    assert!(entry.contains("Available with the `caption` feature.\n    #[cfg(feature = \"caption\")]\n    pub caption_type"), "{entry}");
    assert_eq!(
        out.features_table,
        "| feature | services it adds | also enables |\n\
         |---|---|---|\n\
         | `caption` | (types only) | - |\n\
         | `caption_search` | `caption_asset_item()` | `caption` |\n\
         | `content_distribution` | `distribution_profile()` | `metadata`, `orphan` |\n\
         | `metadata` | (types only) | `orphan` |\n\
         | `orphan` | (types only) | - |"
    );
}

#[test]
fn deprecated() {
    let out = snapshots("deprecated");
    let all = render(&out, false);
    let attr = "#[deprecated(note = \"deprecated in the Kaltura API\")]";
    for item in [
        "pub enum KalturaOldStatus",
        "pub struct KalturaOldThing",
        "pub legacy_name:",
        "pub fn add_old(",
        "pub fn old_thing(",
        "pub struct OldThingService",
    ] {
        let at = all.find(item).unwrap_or_else(|| panic!("{item}"));
        let before = &all[all[..at].rfind(attr).unwrap_or(0)..at];
        assert!(
            before.starts_with(attr) && before.matches('\n').count() <= 3,
            "{item} is marked deprecated:\n{before}"
        );
    }
    assert!(!all.contains(&format!("{attr}\n    pub name:")));
}

#[test]
fn collisions() {
    let out = snapshots("collisions");
    let thing = file(&out, "types/core_t.rs");
    for field in [
        "pub r#type: rt::Field<String>,",
        "pub self_: rt::Field<String>,",
        "pub r#match: rt::Field<i64>,",
        "pub r#async: rt::Field<bool>,",
        "pub self_2: rt::Field<String>,",
        "pub super_: rt::Field<String>,",
        "pub __: rt::Field<String>,",
        "pub _3d: rt::Field<bool>,",
        "pub option: rt::Field<Option_>,",
        "pub admin_secret: rt::Field<rt::Secret>,",
    ] {
        assert!(thing.contains(field), "{field}");
    }
    // The subclass's `foo_bar` and `FooBar` yield to the inherited `fooBar`.
    let sub = file(&out, "types/core_s.rs");
    assert!(sub.contains("pub foo_bar: rt::Field<String>,\n"));
    assert!(sub.contains("pub foo_bar_2: rt::Field<String>,"));
    assert!(sub.contains("pub foo_bar_3: rt::Field<i64>,"));
    assert!(sub.contains("        foo_bar_2: \"foo_bar\",\n"));
    // Wire names stay as they are.
    assert!(thing.contains("\n        r#type: \"type\",\n"));
    // The class named KalturaThingAny keeps its name; the Any enum yields.
    assert!(thing.contains("pub enum KalturaThingAny_2 {"));
    assert!(file(&out, "types/core_s.rs").contains("pub struct String_ {"));
    let services = file(&out, "services/mod.rs");
    for module in [
        "mod type_;",
        "mod self_;",
        "mod upload_token;",
        "mod uploadtoken;",
    ] {
        assert!(services.contains(module), "{module}");
    }
    let methods: Vec<&str> = [
        ("services/uploadtoken.rs", "pub fn upload_token(&self)"),
        ("services/upload_token.rs", "pub fn upload_token_2(&self)"),
        ("services/metadata.rs", "pub fn metadata(&self)"),
        ("services/metadata_metadata.rs", "pub fn metadata_metadata("),
        ("services/send.rs", "pub fn send_2(&self)"),
        // Private methods of the runtime's client take no name from services any more.
        ("services/execute.rs", "pub fn execute(&self)"),
        ("services/settings.rs", "pub fn settings(&self)"),
        ("services/type_.rs", "pub fn r#type(&self)"),
        ("services/self_.rs", "pub fn self_(&self)"),
    ]
    .into_iter()
    // The accessors are methods of the client crate's `Client`.
    .filter(|(_, method)| !file(&out, "kaltura-client/src/client.rs").contains(method))
    .map(|(_, m)| m)
    .collect();
    assert!(methods.is_empty(), "client methods not found: {methods:?}");
    let thing_service = file(&out, "services/thing.rs");
    for item in [
        "pub struct ThingService_2<'a>",
        "client: impl Into<ThingService>,",
        // `new` is the handle's constructor: the action `new` yields.
        "pub fn new_2(\n        &self,",
        "pub fn get_foo(&self) -> ThingGetFooRequest",
        "pub fn get_foo_2(&self) -> ThingGetFooRequest_2",
        "pub fn r#type(&self, secret: impl Into<rt::Secret>)",
        "pub fn self_(&self)",
        "pub fn send_2(mut self, value: impl Into<rt::Arg<bool>>) -> Self",
        "pub fn options_2(mut self, value: impl Into<String>) -> Self",
        "pub fn new_2(mut self, value: impl Into<String>) -> Self",
        "pub fn with_ks_2(mut self, value: impl Into<String>) -> Self",
        "params.put_opt(\"send\", &self.send_2);",
        // A list action with a pager pages, and `paginate` is the runtime's there.
        "impl rt::Paginated for ThingListRequest {",
        "type Item = KalturaThingAny_2;",
        "pub fn paginate_2(mut self, value: impl Into<rt::Arg<bool>>) -> Self",
    ] {
        assert!(thing_service.contains(item), "{item}");
    }
}
