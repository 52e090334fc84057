//! State the examples rely on beyond entries: eSearch over the stored entries, custom
//! metadata with its profile checks, and `add` actions the mock keeps no state for,
//! answered with the object sent and a new id.

use crate::common;
use common::*;
use serde_json::{json, Value};

async fn add_entry(url: &str, ks: &str, name: &str, tags: &str) -> String {
    let v = json_call(
        url,
        "media",
        "add",
        json!({"ks": ks, "entry": {"objectType": "KalturaMediaEntry", "name": name,
               "mediaType": 1, "tags": tags}}),
    )
    .await;
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id: {v}"))
        .to_string()
}

fn unified(term: &str, item_type: i64) -> Value {
    json!({"objectType": "KalturaESearchUnifiedItem", "searchTerm": term, "itemType": item_type})
}

async fn search(url: &str, ks: &str, operator: i64, items: Vec<Value>) -> Value {
    json_call(
        url,
        "elasticsearch_esearch",
        "searchEntry",
        json!({"ks": ks, "searchParams": {"objectType": "KalturaESearchEntryParams",
               "searchOperator": {"objectType": "KalturaESearchEntryOperator",
                                  "operator": operator, "searchItems": items}}}),
    )
    .await
}

fn found(v: &Value) -> Vec<String> {
    v["objects"]
        .as_array()
        .unwrap_or_else(|| panic!("no objects: {v}"))
        .iter()
        .map(|r| {
            assert_eq!(r["objectType"], "KalturaESearchEntryResult");
            r["object"]["name"].as_str().unwrap().to_string()
        })
        .collect()
}

#[tokio::test]
async fn esearch_finds_stored_entries_by_term_field_and_operator() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    add_entry(&url, &ks, "Intro to sailing", "sea").await;
    add_entry(&url, &ks, "Outro", "sea,sky").await;
    add_entry(&url, &ks, "Mountains", "rock").await;

    // Partial, case-insensitive, in any of the unified fields; newest first.
    let v = search(&url, &ks, 1, vec![unified("SEA", 2)]).await;
    assert_eq!(v["objectType"], "KalturaESearchEntryResponse");
    assert_eq!(v["totalCount"], 2);
    assert_eq!(found(&v), ["Outro", "Intro to sailing"]);
    // Exact matches a whole tag, not a part of one.
    let v = search(&url, &ks, 1, vec![unified("sky", 1)]).await;
    assert_eq!(found(&v), ["Outro"]);
    let v = search(&url, &ks, 1, vec![unified("sk", 1)]).await;
    assert_eq!(v["totalCount"], 0);
    // OR, NOT, and an entry item on one field.
    let v = search(&url, &ks, 2, vec![unified("rock", 2), unified("intro", 3)]).await;
    assert_eq!(found(&v), ["Mountains", "Intro to sailing"]);
    let v = search(&url, &ks, 3, vec![unified("sea", 2)]).await;
    assert_eq!(found(&v), ["Mountains"]);
    let item = json!({"objectType": "KalturaESearchEntryItem", "fieldName": "name",
                      "searchTerm": "sea", "itemType": 2});
    let v = search(&url, &ks, 1, vec![item]).await;
    assert_eq!(v["totalCount"], 0, "no name holds 'sea': {v}");
    // An item the mock does not read matches nothing, and the log says so.
    let caption = json!({"objectType": "KalturaESearchCaptionItem", "searchTerm": "sea",
                         "itemType": 2, "fieldName": "content"});
    let v = search(&url, &ks, 1, vec![caption]).await;
    assert_eq!(v["totalCount"], 0, "{v}");
    let log = mock.requests();
    let notes = log.last().unwrap().notes();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("KalturaESearchCaptionItem")),
        "{notes:?}"
    );
    // The pager.
    let v = json_call(
        &url,
        "elasticsearch_esearch",
        "searchEntry",
        json!({"ks": ks, "searchParams": {"objectType": "KalturaESearchEntryParams",
               "searchOperator": {"objectType": "KalturaESearchEntryOperator", "operator": 1,
                                  "searchItems": [unified("sea", 2)]}},
               "pager": {"objectType": "KalturaPager", "pageSize": 1, "pageIndex": 2}}),
    )
    .await;
    assert_eq!(v["totalCount"], 2);
    assert_eq!(found(&v), ["Intro to sailing"]);
}

const XSD: &str = r#"<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"><xsd:element name="metadata"/></xsd:schema>"#;

#[tokio::test]
async fn metadata_is_stored_against_its_profile_and_object() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let entry = add_entry(&url, &ks, "clip", "").await;
    let profile = json_call(
        &url,
        "metadata_metadataProfile",
        "add",
        json!({"ks": ks, "metadataProfile": {"objectType": "KalturaMetadataProfile",
               "metadataObjectType": "1", "name": "Topics"}, "xsdData": XSD}),
    )
    .await;
    let profile_id = profile["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id: {profile}"));
    assert_eq!(profile["name"], "Topics");
    assert_eq!(profile["version"], 1);

    let add = |profile_id: i64, kind: &str, object: &str, xml: &str| {
        json!({"ks": ks, "metadataProfileId": profile_id, "objectType": kind,
               "objectId": object, "xmlData": xml})
    };
    let xml = "<metadata><Topic>Sea</Topic></metadata>";
    let m = json_call(
        &url,
        "metadata_metadata",
        "add",
        add(profile_id, "1", &entry, xml),
    )
    .await;
    assert_eq!(m["objectType"], "KalturaMetadata", "{m}");
    assert_eq!(
        (m["xml"].as_str(), m["version"].as_i64()),
        (Some(xml), Some(1))
    );
    assert_eq!(m["objectId"], entry.as_str());
    let id = m["id"].as_i64().unwrap();

    // The server's refusals, each with its error.
    let v = json_call(
        &url,
        "metadata_metadata",
        "add",
        add(profile_id, "1", &entry, xml),
    )
    .await;
    assert_eq!(code(&v), "METADATA_ALREADY_EXISTS");
    assert_eq!(arg(&v, "ID"), id.to_string());
    let v = json_call(&url, "metadata_metadata", "add", add(999, "1", &entry, xml)).await;
    assert_eq!(code(&v), "METADATA_PROFILE_NOT_FOUND");
    assert_eq!(v["message"], "metadata profile not found, id [999]");
    let v = json_call(
        &url,
        "metadata_metadata",
        "add",
        add(profile_id, "2", "7", xml),
    )
    .await;
    assert_eq!(code(&v), "INCOMPATIBLE_METADATA_PROFILE_OBJECT_TYPE");
    let v = json_call(
        &url,
        "metadata_metadata",
        "add",
        add(profile_id, "1", "0_nothere", xml),
    )
    .await;
    assert_eq!(code(&v), "INVALID_OBJECT_ID");
    let other = add_entry(&url, &ks, "other", "").await;
    let v = json_call(
        &url,
        "metadata_metadata",
        "add",
        add(profile_id, "1", &other, "plain"),
    )
    .await;
    assert_eq!(code(&v), "INVALID_METADATA_DATA");

    // Read, list by object, update (with the version check), delete.
    let v = json_call(
        &url,
        "metadata_metadata",
        "get",
        json!({"ks": ks, "id": id}),
    )
    .await;
    assert_eq!(v, m);
    let v = json_call(
        &url,
        "metadata_metadata",
        "list",
        json!({"ks": ks, "filter": {"objectType": "KalturaMetadataFilter", "objectIdEqual": entry}}),
    )
    .await;
    assert_eq!(v["totalCount"], 1, "{v}");
    let newer = "<metadata><Topic>Sky</Topic></metadata>";
    let v = json_call(
        &url,
        "metadata_metadata",
        "update",
        json!({"ks": ks, "id": id, "xmlData": newer, "version": 5}),
    )
    .await;
    assert_eq!(code(&v), "INVALID_METADATA_VERSION");
    let v = json_call(
        &url,
        "metadata_metadata",
        "update",
        json!({"ks": ks, "id": id, "xmlData": newer, "version": 1}),
    )
    .await;
    assert_eq!(
        (v["xml"].as_str(), v["version"].as_i64()),
        (Some(newer), Some(2))
    );
    json_call(
        &url,
        "metadata_metadata",
        "delete",
        json!({"ks": ks, "id": id}),
    )
    .await;
    let v = json_call(
        &url,
        "metadata_metadata",
        "get",
        json!({"ks": ks, "id": id}),
    )
    .await;
    assert_eq!(code(&v), "METADATA_NOT_FOUND");
}

#[tokio::test]
async fn add_actions_without_state_answer_the_object_sent_with_a_new_id() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let entry = add_entry(&url, &ks, "clip", "").await;
    let asset = json!({"objectType": "KalturaCaptionAsset", "language": "English",
                       "label": "English", "format": "1"});
    let a = json_call(
        &url,
        "caption_captionAsset",
        "add",
        json!({"ks": ks, "entryId": entry, "captionAsset": asset}),
    )
    .await;
    assert_eq!(a["objectType"], "KalturaCaptionAsset", "{a}");
    assert_eq!(
        (a["label"].as_str(), a["entryId"].as_str()),
        (Some("English"), Some(entry.as_str()))
    );
    assert_eq!(a["partnerId"], PARTNER);
    let id = a["id"].as_str().unwrap_or_else(|| panic!("no id: {a}"));
    assert!(id.starts_with("0_"), "{id}");
    let b = json_call(
        &url,
        "caption_captionAsset",
        "add",
        json!({"ks": ks, "entryId": entry, "captionAsset": asset}),
    )
    .await;
    assert_ne!(a["id"], b["id"], "each add makes a new id");
    // An object of a class with an int id gets a number.
    let v = json_call(
        &url,
        "accessControlProfile",
        "add",
        json!({"ks": ks, "accessControlProfile": {"objectType": "KalturaAccessControlProfile", "name": "open"}}),
    )
    .await;
    assert!(v["id"].as_i64().is_some_and(|n| n > 0), "{v}");
    assert_eq!(v["name"], "open");
}
