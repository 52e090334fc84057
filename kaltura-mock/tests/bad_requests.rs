//! Requests the server refuses, refused with its error code, message and arguments;
//! and what it lets pass, let pass and noted in the request log.

use crate::common;
use common::*;
use serde_json::json;

#[tokio::test]
async fn unknown_service_and_action() {
    let mock = mock().await;
    let url = mock.url();
    let v = json_call(&url, "nosuchservice", "list", json!({})).await;
    assert_eq!(code(&v), "SERVICE_DOES_NOT_EXISTS");
    assert_eq!(v["message"], "Service \"nosuchservice\" does not exists");
    assert_eq!(arg(&v, "SRV_NAME"), "nosuchservice");

    let v = json_call(&url, "media", "explode", json!({})).await;
    assert_eq!(code(&v), "ACTION_DOES_NOT_EXISTS");
    assert_eq!(
        v["message"],
        "Action \"explode\" does not exists for service \"media\""
    );
    let log = mock.requests();
    assert_eq!(log[1].error(), Some("ACTION_DOES_NOT_EXISTS"));
}

#[tokio::test]
async fn missing_mandatory_parameter() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let v = json_call(&url, "media", "get", json!({"ks": ks})).await;
    assert_eq!(code(&v), "MISSING_MANDATORY_PARAMETER");
    assert_eq!(arg(&v, "PARAM_NAME"), "entryId");
    // Sent as null is not sent.
    let v = json_call(&url, "media", "get", json!({"ks": ks, "entryId__null": ""})).await;
    assert_eq!(code(&v), "MISSING_MANDATORY_PARAMETER");
}

#[tokio::test]
async fn enum_values_must_exist() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    // An int enum (a property).
    let v = json_call(
        &url,
        "media",
        "add",
        json!({"ks": ks, "entry": {"objectType": "KalturaMediaEntry", "name": "x", "mediaType": 3}}),
    )
    .await;
    assert_eq!(code(&v), "INVALID_ENUM_VALUE");
    assert_eq!(
        v["message"],
        "Invalid enumeration value \"3\" for parameter \"mediaType\", expecting enumeration type \"KalturaMediaType\""
    );
    // A string enum (a parameter).
    let v = json_call(
        &url,
        "baseEntry",
        "add",
        json!({"ks": ks, "entry": {"objectType": "KalturaBaseEntry"}, "type": "bogus"}),
    )
    .await;
    assert_eq!(code(&v), "INVALID_ENUM_VALUE");
    assert_eq!(arg(&v, "ENUM_TYPE"), "KalturaEntryType");
    // A value of the wrong type for an int enum is not one of its values either.
    let v = json_call(
        &url,
        "session",
        "start",
        json!({"secret": ADMIN_SECRET, "partnerId": PARTNER, "type": "admin"}),
    )
    .await;
    assert_eq!(code(&v), "INVALID_ENUM_VALUE");
    // "true" stands for 1, as on the server.
    let v = json_call(
        &url,
        "media",
        "add",
        json!({"ks": ks, "entry": {"objectType": "KalturaMediaEntry", "name": "t", "mediaType": "true"}}),
    )
    .await;
    assert_eq!(v["mediaType"], 1, "{v}");
}

#[tokio::test]
async fn abstract_object_types_are_refused() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let v = json_call(
        &url,
        "media",
        "addContent",
        json!({"ks": ks, "entryId": "0_x", "resource": {"objectType": "KalturaResource"}}),
    )
    .await;
    assert_eq!(code(&v), "OBJECT_TYPE_ABSTRACT");
    assert_eq!(arg(&v, "OBJ_TYPE"), "KalturaResource");
}

#[tokio::test]
async fn read_only_properties_on_add_and_update() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let v = json_call(
        &url,
        "media",
        "add",
        json!({"ks": ks, "entry": {"objectType": "KalturaMediaEntry", "name": "x", "mediaType": 1, "id": "0_mine"}}),
    )
    .await;
    assert_eq!(code(&v), "PROPERTY_VALIDATION_NOT_UPDATABLE");
    assert_eq!(arg(&v, "PROP_NAME"), "KalturaMediaEntry::id");

    let added = json_call(
        &url,
        "media",
        "add",
        json!({"ks": ks, "entry": {"objectType": "KalturaMediaEntry", "name": "x", "mediaType": 1}}),
    )
    .await;
    let id = added["id"].as_str().unwrap();
    // The same value passes, as on the server; another is refused.
    let v = json_call(
        &url,
        "media",
        "update",
        json!({"ks": ks, "entryId": id, "mediaEntry": {"objectType": "KalturaMediaEntry", "id": id, "name": "y"}}),
    )
    .await;
    assert_eq!(v["name"], "y", "{v}");
    let v = json_call(
        &url,
        "media",
        "update",
        json!({"ks": ks, "entryId": id, "mediaEntry": {"objectType": "KalturaMediaEntry", "createdAt": 5}}),
    )
    .await;
    assert_eq!(code(&v), "PROPERTY_VALIDATION_NOT_UPDATABLE");
    assert_eq!(arg(&v, "PROP_NAME"), "KalturaMediaEntry::createdAt");
    // Insert-only: settable on add, not on update.
    let v = json_call(
        &url,
        "media",
        "update",
        json!({"ks": ks, "entryId": id, "mediaEntry": {"objectType": "KalturaMediaEntry", "mediaType": 5}}),
    )
    .await;
    assert_eq!(code(&v), "PROPERTY_VALIDATION_NOT_UPDATABLE");
    assert_eq!(arg(&v, "PROP_NAME"), "KalturaMediaEntry::mediaType");
}

#[tokio::test]
async fn read_only_properties_on_actions_without_state() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let v = json_call(
        &url,
        "conversionProfile",
        "add",
        json!({"ks": ks, "conversionProfile": {"objectType": "KalturaConversionProfile", "name": "p", "createdAt": 3}}),
    )
    .await;
    assert_eq!(code(&v), "PROPERTY_VALIDATION_NOT_UPDATABLE");
    assert_eq!(arg(&v, "PROP_NAME"), "KalturaConversionProfile::createdAt");
    let v = json_call(
        &url,
        "conversionProfile",
        "add",
        json!({"ks": ks, "conversionProfile": {"objectType": "KalturaConversionProfile", "name": "p"}}),
    )
    .await;
    assert_eq!(v["objectType"], "KalturaConversionProfile", "{v}");
}

#[tokio::test]
async fn an_object_given_as_a_scalar_is_an_invalid_value() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let v = json_call(
        &url,
        "media",
        "add",
        json!({"ks": ks, "entry": "not an object"}),
    )
    .await;
    assert_eq!(code(&v), "INVALID_PARAMETER_VALUE");
    assert_eq!(arg(&v, "PARAM_NAME"), "entry");
}

#[tokio::test]
async fn lenient_where_the_server_is_and_noted() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    mock.clear_requests();
    let v = json_call(
        &url,
        "media",
        "list",
        json!({
            "ks": ks,
            "noSuchParam": 1,
            "filter": {"objectType": "KalturaUserFilter", "nameLike": "a", "bogusProp": 2},
            "pager": {"objectType": "KalturaFilterPager", "pageSize": "12abc"},
        }),
    )
    .await;
    assert_eq!(v["objectType"], "KalturaMediaListResponse", "{v}");
    let notes = mock.requests()[0].notes().join("\n");
    assert!(
        notes.contains("`noSuchParam` is not a parameter"),
        "{notes}"
    );
    assert!(
        notes.contains("objectType KalturaUserFilter is not KalturaMediaEntryFilter"),
        "{notes}"
    );
    assert!(notes.contains("has no property `bogusProp`"), "{notes}");
    assert!(
        notes.contains("\"12abc\" is not an integer; read as 12"),
        "{notes}"
    );
}

#[tokio::test]
async fn flattened_form_fields_as_php_and_old_clients_send_them() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let body = format!(
        "ks={ks}&format=1&entry:objectType=KalturaMediaEntry&entry:name=form+made&entry:mediaType=1&entry:tags=a%2Cb"
    );
    let got = send(
        &url,
        "/api_v3/service/media/action/add",
        "application/x-www-form-urlencoded",
        body.as_bytes(),
    )
    .await;
    let v = got.json();
    assert_eq!(v["name"], "form made", "{v}");
    assert_eq!(v["tags"], "a,b");
    assert_eq!(v["mediaType"], 1);
    // Service and action in the query instead of the path.
    let got = send(
        &url,
        &format!(
            "/api_v3/index.php?service=media&action=get&format=1&entryId={}&ks={ks}",
            v["id"].as_str().unwrap()
        ),
        "application/x-www-form-urlencoded",
        b"",
    )
    .await;
    assert_eq!(got.json()["name"], "form made");
}

#[tokio::test]
async fn bodies_that_do_not_read_are_answered_not_crashed_on() {
    let mock = mock().await;
    let url = mock.url();
    let got = send(
        &url,
        "/api_v3/service/media/action/list?format=1",
        "application/json",
        b"{\"ks\":",
    )
    .await;
    assert_eq!(code(&got.json()), "INTERNAL_SERVERL_ERROR");
    let got = send(
        &url,
        "/api_v3/service/media/action/list",
        "multipart/form-data; boundary=zz",
        b"garbage",
    )
    .await;
    assert!(
        got.text().contains("<code>INTERNAL_SERVERL_ERROR</code>"),
        "{}",
        got.text()
    );
    // Not HTTP at all.
    let addr = url.trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut s, b"HELLO\r\n\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    let _ = tokio::io::AsyncReadExt::read_to_end(&mut s, &mut out).await;
    assert!(
        out.starts_with(b"HTTP/1.1 400"),
        "{}",
        String::from_utf8_lossy(&out)
    );
    // The mock still serves.
    let v = json_call(&url, "system", "ping", json!({})).await;
    assert_eq!(v, json!(true));
}
