//! State round trips: entries, users, categories, uploads in chunks, assets.

use crate::common;
use common::*;
use serde_json::{json, Value};
use std::time::Duration;

async fn add_entry(url: &str, ks: &str, name: &str) -> Value {
    json_call(
        url,
        "media",
        "add",
        json!({"ks": ks, "entry": {"objectType": "KalturaMediaEntry", "name": name, "mediaType": 1, "tags": "t"}}),
    )
    .await
}

fn ids(list: &Value) -> Vec<String> {
    list["objects"]
        .as_array()
        .unwrap_or_else(|| panic!("no objects: {list}"))
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn entries_add_get_list_update_delete() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let mut added = Vec::new();
    for name in ["intro one", "b-roll", "intro two", "outro"] {
        added.push(add_entry(&url, &ks, name).await);
    }
    let first = &added[0];
    assert_eq!(first["objectType"], "KalturaMediaEntry");
    assert_eq!(first["status"], "7", "NO_CONTENT, a string enum");
    assert_eq!(first["partnerId"], PARTNER);
    let id = first["id"].as_str().unwrap();
    assert!(id.starts_with("0_") && id.len() == 10, "{id}");
    let got = json_call(&url, "media", "get", json!({"ks": ks, "entryId": id})).await;
    assert_eq!(&got, first);
    let v = json_call(&url, "baseEntry", "get", json!({"ks": ks, "entryId": id})).await;
    assert_eq!(v["id"], first["id"]);

    // Newest first by default; nameLike; orderBy; idIn; the pager.
    let all = json_call(&url, "media", "list", json!({"ks": ks})).await;
    assert_eq!(all["objectType"], "KalturaMediaListResponse");
    assert_eq!(all["totalCount"], 4);
    let v = json_call(
        &url,
        "media",
        "list",
        json!({"ks": ks, "filter": {"objectType": "KalturaMediaEntryFilter", "nameLike": "INTRO", "orderBy": "+name"}}),
    )
    .await;
    assert_eq!(ids(&v), ["intro one", "intro two"]);
    let in_list = format!(
        "{},{}",
        added[1]["id"].as_str().unwrap(),
        added[3]["id"].as_str().unwrap()
    );
    let v = json_call(
        &url,
        "media",
        "list",
        json!({"ks": ks, "filter": {"objectType": "KalturaMediaEntryFilter", "idIn": in_list, "orderBy": "-name"}}),
    )
    .await;
    assert_eq!(ids(&v), ["outro", "b-roll"]);
    let v = json_call(
        &url,
        "media",
        "list",
        json!({"ks": ks, "filter": {"objectType": "KalturaMediaEntryFilter", "orderBy": "+name"},
               "pager": {"objectType": "KalturaFilterPager", "pageSize": 3, "pageIndex": 2}}),
    )
    .await;
    assert_eq!(ids(&v), ["outro"]);
    assert_eq!(v["totalCount"], 4);
    let v = json_call(
        &url,
        "media",
        "list",
        json!({"ks": ks, "filter": {"objectType": "KalturaMediaEntryFilter", "statusEqual": "2"}}),
    )
    .await;
    assert_eq!(v["totalCount"], 0, "none is READY");
    let v = json_call(
        &url,
        "baseEntry",
        "count",
        json!({"ks": ks, "filter": {"objectType": "KalturaBaseEntryFilter", "nameLike": "intro"}}),
    )
    .await;
    assert_eq!(v, 2);

    // Update sets and clears; delete removes.
    let v = json_call(
        &url,
        "media",
        "update",
        json!({"ks": ks, "entryId": id, "mediaEntry": {"objectType": "KalturaMediaEntry", "description": "new", "tags__null": ""}}),
    )
    .await;
    assert_eq!(v["description"], "new");
    assert!(v.get("tags").is_none(), "{v}");
    let v = json_call(&url, "media", "delete", json!({"ks": ks, "entryId": id})).await;
    assert!(v.is_null());
    let v = json_call(&url, "media", "get", json!({"ks": ks, "entryId": id})).await;
    assert_eq!(code(&v), "ENTRY_ID_NOT_FOUND");
    assert_eq!(v["message"], format!("Entry id \"{id}\" not found"));
    let v = json_call(&url, "media", "delete", json!({"ks": ks, "entryId": id})).await;
    assert_eq!(code(&v), "ENTRY_ID_NOT_FOUND");
}

#[tokio::test]
async fn lists_stop_at_the_servers_match_limit() {
    let mock = builder().seed_entries(10_050).start().await.unwrap();
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let page = |index: i64| {
        json!({"ks": ks, "filter": {"objectType": "KalturaMediaEntryFilter", "orderBy": "+createdAt"},
               "pager": {"objectType": "KalturaFilterPager", "pageSize": 500, "pageIndex": index}})
    };
    let v = json_call(&url, "media", "list", page(20)).await;
    assert_eq!(v["totalCount"], 10_050);
    assert_eq!(v["objects"].as_array().unwrap().len(), 500);
    assert_eq!(v["objects"][499]["name"], "entry 10000");
    let v = json_call(&url, "media", "list", page(21)).await;
    assert_eq!(code(&v), "QUERY_EXCEEDED_MAX_MATCHES_ALLOWED");
    // A page size over 500 is served as 500.
    let v = json_call(
        &url,
        "media",
        "list",
        json!({"ks": ks, "pager": {"objectType": "KalturaFilterPager", "pageSize": 2000}}),
    )
    .await;
    assert_eq!(v["objects"].as_array().unwrap().len(), 500);
}

async fn upload(url: &str, ks: &str, token: &str, chunk: &[u8], extra: &[(&str, &str)]) -> Value {
    let boundary = "mockboundary42";
    let mut params = json!({"ks": ks, "uploadTokenId": token, "format": 1});
    for (k, v) in extra {
        params[*k] = json!(v);
    }
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n{params}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"fileData\"; filename=\"movie.mp4\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(chunk);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    send(
        url,
        "/api_v3/service/uploadtoken/action/upload",
        &format!("multipart/form-data; boundary={boundary}"),
        &body,
    )
    .await
    .json()
}

#[tokio::test]
async fn chunked_upload_then_content_then_ready() {
    let mock = builder()
        .ready_after(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let token = json_call(&url, "uploadToken", "add", json!({"ks": ks, "uploadToken": {"objectType": "KalturaUploadToken", "fileName": "movie.mp4"}})).await;
    assert_eq!(token["status"], 0, "PENDING");
    let id = token["id"].as_str().unwrap().to_string();
    let data: Vec<u8> = (0..30_000u32).map(|i| (i % 251) as u8).collect();
    // Chunks out of order, as parallel uploaders send them.
    let v = upload(
        &url,
        &ks,
        &id,
        &data[..10_000],
        &[("resume", "0"), ("finalChunk", "0"), ("resumeAt", "0")],
    )
    .await;
    assert_eq!(v["status"], 1, "PARTIAL_UPLOAD: {v}");
    let v = upload(
        &url,
        &ks,
        &id,
        &data[20_000..],
        &[("resume", "1"), ("finalChunk", "1"), ("resumeAt", "20000")],
    )
    .await;
    assert_eq!(
        code(&v),
        "UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE",
        "a gap is left"
    );
    let v = upload(
        &url,
        &ks,
        &id,
        &data[10_000..20_000],
        &[("resume", "1"), ("finalChunk", "0"), ("resumeAt", "10000")],
    )
    .await;
    assert_eq!(v["uploadedFileSize"], 30_000);
    assert_eq!(v["status"], 1, "PARTIAL_UPLOAD until a final chunk: {v}");
    // The final request again (of zero size, as the vendor's clients send it).
    let v = upload(
        &url,
        &ks,
        &id,
        b"",
        &[("resume", "1"), ("finalChunk", "1"), ("resumeAt", "30000")],
    )
    .await;
    assert_eq!(v["status"], 2, "FULL_UPLOAD: {v}");
    let v = upload(&url, &ks, &id, b"more", &[("resume", "1")]).await;
    assert_eq!(code(&v), "UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD");

    let entry = add_entry(&url, &ks, "uploaded").await;
    let entry_id = entry["id"].as_str().unwrap();
    let v = json_call(
        &url,
        "media",
        "addContent",
        json!({"ks": ks, "entryId": entry_id, "resource": {"objectType": "KalturaUploadedFileTokenResource", "token": id}}),
    )
    .await;
    assert_eq!(v["status"], "1", "PRECONVERT: {v}");
    let v = json_call(
        &url,
        "media",
        "addContent",
        json!({"ks": ks, "entryId": entry_id, "resource": {"objectType": "KalturaUploadedFileTokenResource", "token": id}}),
    )
    .await;
    assert_eq!(code(&v), "UPLOAD_TOKEN_INVALID_STATUS_FOR_ADD_ENTRY");
    tokio::time::sleep(Duration::from_millis(400)).await;
    let v = json_call(&url, "media", "get", json!({"ks": ks, "entryId": entry_id})).await;
    assert_eq!(v["status"], "2", "READY after the delay: {v}");

    // The source flavor holds the bytes uploaded, served from its URL.
    let flavors = json_call(
        &url,
        "flavorAsset",
        "list",
        json!({"ks": ks, "filter": {"objectType": "KalturaAssetFilter", "entryIdEqual": entry_id}}),
    )
    .await;
    assert_eq!(flavors["totalCount"], 1, "{flavors}");
    let flavor = &flavors["objects"][0];
    assert_eq!(flavor["status"], 2);
    assert_eq!(flavor["size"], 30, "KB");
    let link = json_call(
        &url,
        "flavorAsset",
        "getUrl",
        json!({"ks": ks, "id": flavor["id"]}),
    )
    .await;
    let link = link.as_str().unwrap();
    assert!(link.starts_with(&url), "{link}");
    let path = link.trim_start_matches(&url);
    let got = send(&url, path, "text/plain", b"").await;
    assert_eq!(got.status(), 200);
    assert!(got.body() == &data[..], "{} bytes served", got.body().len());
    let thumbs = json_call(
        &url,
        "thumbAsset",
        "list",
        json!({"ks": ks, "filter": {"objectType": "KalturaAssetFilter", "entryIdEqual": entry_id}}),
    )
    .await;
    let thumb_id = thumbs["objects"][0]["id"].as_str().unwrap();
    let got = call(
        &url,
        "thumbAsset",
        "serve",
        json!({"ks": ks, "thumbAssetId": thumb_id}),
    )
    .await;
    assert_eq!(got.body(), [0xFF, 0xD8, 0xFF, 0xD9]);
    let v = json_call(
        &url,
        "flavorAsset",
        "get",
        json!({"ks": ks, "id": "0_none"}),
    )
    .await;
    assert_eq!(code(&v), "FLAVOR_ASSET_ID_NOT_FOUND");
}

#[tokio::test]
async fn users_and_categories_round_trip() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let v = json_call(&url, "user", "add", json!({"ks": ks, "user": {"objectType": "KalturaUser", "id": "carol", "email": "carol@example.com", "password": "Carol-Pass-3"}})).await;
    assert_eq!(v["id"], "carol");
    assert!(v.get("password").is_none());
    let v = json_call(
        &url,
        "user",
        "add",
        json!({"ks": ks, "user": {"objectType": "KalturaUser", "id": "carol"}}),
    )
    .await;
    assert_eq!(code(&v), "DUPLICATE_USER_BY_ID");
    let v = json_call(
        &url,
        "user",
        "loginByLoginId",
        json!({"loginId": "carol@example.com", "password": "Carol-Pass-3"}),
    )
    .await;
    assert!(v.is_string(), "{v}");
    let v = json_call(
        &url,
        "user",
        "list",
        json!({"ks": ks, "filter": {"objectType": "KalturaUserFilter", "idIn": "carol,alice"}}),
    )
    .await;
    assert_eq!(v["totalCount"], 2, "{v}");
    let v = json_call(&url, "user", "update", json!({"ks": ks, "userId": "carol", "user": {"objectType": "KalturaUser", "firstName": "Carol"}})).await;
    assert_eq!(v["firstName"], "Carol");
    let v = json_call(&url, "user", "delete", json!({"ks": ks, "userId": "carol"})).await;
    assert_eq!(v["id"], "carol");
    let v = json_call(&url, "user", "get", json!({"ks": ks, "userId": "carol"})).await;
    assert_eq!(code(&v), "USER_NOT_FOUND");

    let parent = json_call(
        &url,
        "category",
        "add",
        json!({"ks": ks, "category": {"objectType": "KalturaCategory", "name": "Shows"}}),
    )
    .await;
    let pid = parent["id"].as_i64().unwrap();
    let child = json_call(&url, "category", "add", json!({"ks": ks, "category": {"objectType": "KalturaCategory", "name": "Weekly", "parentId": pid}})).await;
    assert_eq!(child["fullName"], "Shows>Weekly");
    let cid = child["id"].as_i64().unwrap();
    let v = json_call(&url, "category", "add", json!({"ks": ks, "category": {"objectType": "KalturaCategory", "name": "Weekly", "parentId": pid}})).await;
    assert_eq!(code(&v), "DUPLICATE_CATEGORY");
    let v = json_call(&url, "category", "add", json!({"ks": ks, "category": {"objectType": "KalturaCategory", "name": "X", "parentId": 999999}})).await;
    assert_eq!(code(&v), "PARENT_CATEGORY_NOT_FOUND");

    let entry = add_entry(&url, &ks, "categorised").await;
    let eid = entry["id"].as_str().unwrap();
    let link = json_call(&url, "categoryEntry", "add", json!({"ks": ks, "categoryEntry": {"objectType": "KalturaCategoryEntry", "entryId": eid, "categoryId": cid}})).await;
    assert_eq!(link["categoryId"], cid, "{link}");
    let v = json_call(&url, "categoryEntry", "add", json!({"ks": ks, "categoryEntry": {"objectType": "KalturaCategoryEntry", "entryId": eid, "categoryId": cid}})).await;
    assert_eq!(code(&v), "CATEGORY_ENTRY_ALREADY_EXISTS");
    let e = json_call(&url, "media", "get", json!({"ks": ks, "entryId": eid})).await;
    assert_eq!(e["categoriesIds"], cid.to_string());
    assert_eq!(e["categories"], "Shows>Weekly");
    let v = json_call(&url, "media", "list", json!({"ks": ks, "filter": {"objectType": "KalturaMediaEntryFilter", "categoriesIdsMatchOr": format!("{cid},12345")}})).await;
    assert_eq!(ids(&v), ["categorised"]);
    let c = json_call(&url, "category", "get", json!({"ks": ks, "id": cid})).await;
    assert_eq!(c["entriesCount"], 1);
    let v = json_call(&url, "categoryEntry", "list", json!({"ks": ks, "filter": {"objectType": "KalturaCategoryEntryFilter", "entryIdEqual": eid}})).await;
    assert_eq!(v["totalCount"], 1);
    let v = json_call(
        &url,
        "categoryEntry",
        "delete",
        json!({"ks": ks, "entryId": eid, "categoryId": cid}),
    )
    .await;
    assert!(v.is_null());
    let v = json_call(
        &url,
        "categoryEntry",
        "delete",
        json!({"ks": ks, "entryId": eid, "categoryId": cid}),
    )
    .await;
    assert_eq!(code(&v), "ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY");
    let e = json_call(&url, "media", "get", json!({"ks": ks, "entryId": eid})).await;
    assert_eq!(e["categoriesIds"], "");
}

#[tokio::test]
async fn actions_without_state_answer_a_valid_object_of_their_type() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let v = json_call(&url, "partner", "getInfo", json!({"ks": ks})).await;
    assert_eq!(v["objectType"], "KalturaPartner", "{v}");
    let v = json_call(&url, "conversionProfile", "list", json!({"ks": ks})).await;
    assert_eq!(v["objectType"], "KalturaConversionProfileListResponse");
    assert_eq!(v["objects"], json!([]));
    assert_eq!(v["totalCount"], 0);
    let v = json_call(&url, "system", "ping", json!({})).await;
    assert_eq!(v, true);
}
