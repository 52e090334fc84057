//! The three real schemas vendored under `api/` parse, with their published counts.

use kaltura_schema::{parse, Action, EnumKind, Model, Profile, TypeRef};

fn load(folder: &str) -> Model {
    let path = kaltura_tests::real_schema(folder);
    let text = std::fs::read_to_string(&path).expect("vendored schema is readable");
    parse(&text, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"))
}

/// (enums, classes, services, actions, plugins, errors), as api/README.md gives them.
fn counts(m: &Model) -> (usize, usize, usize, usize, usize, usize) {
    (
        m.enums.len(),
        m.classes.len(),
        m.services.len(),
        m.action_count(),
        m.plugins.len(),
        m.errors.len(),
    )
}

#[test]
fn current_ovp_schema_parses_completely() {
    let m = load("ovp");
    assert_eq!(m.api_version, "22.19.0");
    assert_eq!(counts(&m), (682, 1634, 145, 1003, 123, 725));
    let media = m.class_id("KalturaMediaEntry").unwrap();
    let chain: Vec<&str> = m
        .ancestors(media)
        .into_iter()
        .map(|c| m.class(c).name.as_str())
        .collect();
    assert_eq!(chain, ["KalturaPlayableEntry", "KalturaBaseEntry"]);
    let base = m.class_id("KalturaBaseEntry").unwrap();
    assert!(m.descendants(base).contains(&media));
    let request: Vec<&str> = m
        .configurations
        .request
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(request, ["partnerId", "ks", "language", "responseProfile"]);
}

#[test]
fn ott_2020_schema_parses_completely() {
    let m = load("ott-2020");
    assert_eq!(m.api_version, "5.3.7.28130");
    assert_eq!(counts(&m), (201, 584, 126, 453, 0, 437));
}

#[test]
fn ovp_2011_schema_parses_completely() {
    let m = load("ovp-2011");
    assert_eq!(m.api_version, "3.1.1");
    assert_eq!(counts(&m), (154, 295, 55, 334, 14, 0));
}

#[test]
fn public_profile_drops_internal_services_and_keeps_reachable_types() {
    let m = load("ovp");
    let path = kaltura_tests::api_file("public-profile.txt");
    let profile = Profile::parse(&std::fs::read_to_string(&path).unwrap(), "public").unwrap();
    let public = profile.apply(&m);
    let ids: Vec<&str> = public.services.iter().map(|s| s.id.as_str()).collect();
    for gone in ["batch", "jobs", "xinternal", "systempartner_systempartner"] {
        assert!(!ids.contains(&gone), "{gone} should be excluded");
    }
    for kept in ["media", "session", "uploadtoken", "metadata_metadata"] {
        assert!(ids.contains(&kept), "{kept} should be kept");
    }
    // What the vendor's published packages ship although its exclude list names them
    // (api/README.md): two actions and the classes they use.
    find_action(&public, "media", "addFromBulk");
    find_action(&public, "categoryentry", "addFromBulkUpload");
    for class in [
        "KalturaBulkServiceData",
        "KalturaBulkServiceFilterDataBase",
        "KalturaBulkServiceFilterData",
    ] {
        assert!(public.class_id(class).is_some(), "{class} is shipped");
    }
    assert!(
        public.class_id("KalturaHttpNotification").is_some(),
        "additional type kept"
    );
    assert!(
        public.class_id("KalturaUploadedFileResource").is_none(),
        "ignored type dropped"
    );
    assert!(public.class_id("KalturaMediaEntry").is_some());
    // What the checked-in client is made of: (enums, classes, services, actions,
    // plugins, errors). Enums are kept even where nothing refers to them: the
    // `…OrderBy` ones name what a filter's string `orderBy` accepts.
    assert_eq!(counts(&public), (681, 1593, 123, 813, 120, 725));
    assert!(public.enum_id("KalturaMediaEntryOrderBy").is_some());
    assert!(public.enum_id("KalturaAssetStatus").is_some());
    // Ids are renumbered, and references still resolve to the same names.
    let list = find_action(&public, "media", "list");
    assert_eq!(
        type_names(&public, list),
        ["KalturaMediaEntryFilter", "KalturaFilterPager"]
    );
    assert_eq!(
        public.type_name(list.result.as_ref().unwrap()),
        "KalturaMediaListResponse"
    );
    let dropped_ignored = find_action(&m, "media", "add")
        .params
        .iter()
        .any(|p| m.type_name(&p.ty) == "KalturaUploadedFileResource");
    assert!(!dropped_ignored);
}

fn find_action<'m>(m: &'m Model, service: &str, action: &str) -> &'m Action {
    m.services
        .iter()
        .find(|s| s.id == service)
        .unwrap_or_else(|| panic!("service {service}"))
        .actions
        .iter()
        .find(|a| a.name == action)
        .unwrap_or_else(|| panic!("action {service}.{action}"))
}

fn type_names(m: &Model, action: &Action) -> Vec<String> {
    action.params.iter().map(|p| m.type_name(&p.ty)).collect()
}

fn property<'m>(m: &'m Model, class: &str, name: &str) -> &'m kaltura_schema::Property {
    m.all_properties(m.class_id(class).unwrap_or_else(|| panic!("class {class}")))
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("property {class}.{name}"))
}

#[test]
fn profile_all_keeps_the_whole_schema() {
    for folder in ["ovp", "ott-2020", "ovp-2011"] {
        let m = load(folder);
        let all = Profile::all().apply(&m);
        assert_eq!(counts(&all), counts(&m), "{folder}");
        // Types nothing refers to are kept too.
        assert!(all
            .enums
            .iter()
            .zip(&m.enums)
            .all(|(a, b)| a.name == b.name));
    }
}

#[test]
fn references_resolve_to_the_declared_types() {
    let m = load("ovp");
    let list = find_action(&m, "media", "list");
    assert_eq!(
        type_names(&m, list),
        ["KalturaMediaEntryFilter", "KalturaFilterPager"]
    );
    assert!(list.params.iter().all(|p| p.optional));
    assert_eq!(
        property(&m, "KalturaMediaListResponse", "objects").ty,
        TypeRef::Array(Box::new(TypeRef::Object(
            m.class_id("KalturaMediaEntry").unwrap()
        )))
    );
    // Inherited through KalturaListResponse.
    assert_eq!(
        property(&m, "KalturaMediaListResponse", "totalCount").ty,
        TypeRef::Int
    );
    let media_type = &property(&m, "KalturaMediaEntry", "mediaType").ty;
    let TypeRef::Enum(e) = media_type else {
        panic!("mediaType is {media_type:?}")
    };
    assert_eq!(m.enum_(*e).name, "KalturaMediaType");
    assert_eq!(m.enum_(*e).kind, EnumKind::Int);
    let upload = find_action(&m, "uploadtoken", "upload");
    let file = upload.params.iter().find(|p| p.name == "fileData").unwrap();
    assert_eq!(file.ty, TypeRef::File);
    assert_eq!(
        find_action(&m, "thumbasset", "serve").result,
        Some(TypeRef::File)
    );
    assert!(!find_action(&m, "thumbasset", "serve").enable_in_multi_request);
    // A plugin class deriving from a core one is a subclass of it.
    let asset = m.class_id("KalturaAsset").unwrap();
    let caption = m.class_id("KalturaCaptionAsset").unwrap();
    assert!(m.descendants(asset).contains(&caption));
    assert_eq!(m.class(caption).plugin.as_deref(), Some("caption"));

    let ott = load("ott-2020");
    let login = find_action(&ott, "ottuser", "login");
    assert_eq!(
        type_names(&ott, login),
        [
            "int",
            "string",
            "string",
            "map<KalturaStringValue>",
            "string"
        ]
    );
    let old = load("ovp-2011");
    // The 2011 schema's resumeAt is an int, today's a float.
    let resume_at = |m: &Model| {
        let a = find_action(m, "uploadtoken", "upload");
        a.params
            .iter()
            .find(|p| p.name == "resumeAt")
            .unwrap()
            .ty
            .clone()
    };
    assert_eq!(resume_at(&old), TypeRef::Int);
    assert_eq!(resume_at(&m), TypeRef::Float);
}

#[test]
fn plugin_dependencies_are_closed_transitively() {
    let m = load("ovp");
    let deps = m.plugin_dependencies();
    assert_eq!(deps.len(), m.plugins.len());
    assert_eq!(
        deps["activitiBusinessProcessNotification"],
        [
            "businessProcessNotification",
            "eventNotification",
            "pushNotification"
        ]
    );
    assert_eq!(deps["contentDistribution"], ["metadata"]);
    // schedule declares no dependency, but its types use those of three plugins.
    let schedule = m.plugins.iter().find(|p| p.name == "schedule").unwrap();
    assert!(schedule.dependencies.is_empty());
    assert_eq!(
        deps["schedule"],
        ["bulkUpload", "bulkUploadCsv", "scheduleBulkUpload"]
    );
    for (plugin, needs) in &deps {
        assert!(!needs.contains(plugin), "{plugin} needs itself");
        for d in needs {
            for dd in deps.get(d).into_iter().flatten() {
                assert!(
                    dd == plugin || needs.contains(dd),
                    "{plugin} needs {d}, which needs {dd}, missing from {needs:?}"
                );
            }
        }
    }
}
