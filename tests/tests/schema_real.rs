//! The three real schemas in ../shared parse, with their published counts.

use kaltura_schema::{parse, Model, Profile};

fn load(folder: &str) -> Option<Model> {
    let path = kaltura_tests::shared_file(&format!("schema/{folder}/KalturaClient.xml"))?;
    let text = std::fs::read_to_string(&path).expect("shared schema is readable");
    Some(parse(&text, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}")))
}

/// (enums, classes, services, actions, plugins, errors), as ../shared/schema/README.md gives them.
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
    let Some(m) = load("ovp") else { return };
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
    let Some(m) = load("ott-2020") else { return };
    assert_eq!(m.api_version, "5.3.7.28130");
    assert_eq!(counts(&m), (201, 584, 126, 453, 0, 437));
}

#[test]
fn ovp_2011_schema_parses_completely() {
    let Some(m) = load("ovp-2011") else { return };
    assert_eq!(m.api_version, "3.1.1");
    assert_eq!(counts(&m), (154, 295, 55, 334, 14, 0));
}

#[test]
fn public_profile_drops_internal_services_and_keeps_reachable_types() {
    let Some(m) = load("ovp") else { return };
    let path = kaltura_tests::shared_file("schema/public-profile.txt").unwrap();
    let profile = Profile::parse(&std::fs::read_to_string(&path).unwrap(), "public").unwrap();
    let public = profile.apply(&m);
    let ids: Vec<&str> = public.services.iter().map(|s| s.id.as_str()).collect();
    for gone in ["batch", "jobs", "xinternal", "systempartner_systempartner"] {
        assert!(!ids.contains(&gone), "{gone} should be excluded");
    }
    for kept in ["media", "session", "uploadtoken", "metadata_metadata"] {
        assert!(ids.contains(&kept), "{kept} should be kept");
    }
    let media = public.services.iter().find(|s| s.id == "media").unwrap();
    assert!(media.actions.iter().all(|a| a.name != "addFromBulk"));
    assert!(
        public.class_id("KalturaHttpNotification").is_some(),
        "additional type kept"
    );
    assert!(
        public.class_id("KalturaUploadedFileResource").is_none(),
        "ignored type dropped"
    );
    assert!(public.class_id("KalturaMediaEntry").is_some());
    assert!(public.classes.len() < m.classes.len());
    eprintln!(
        "public profile: {} enums, {} classes, {} services, {} actions",
        public.enums.len(),
        public.classes.len(),
        public.services.len(),
        public.action_count()
    );
}
