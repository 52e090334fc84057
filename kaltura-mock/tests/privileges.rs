//! The KS privileges the server enforces on the entries and categories the mock keeps:
//! `disableentitlement` (and `enableentitlement`, `disableentitlementforentry`,
//! `privacycontext`) against a partner that enforces entitlement, and `sview` (and
//! `download`) against an entry outside its schedule, through the API and the delivery
//! URLs.

use crate::common;
use common::*;
use serde_json::{json, Value};

async fn ks_of(url: &str, kind: i64, user: &str, privileges: &str) -> String {
    let secret = if kind == 2 { ADMIN_SECRET } else { USER_SECRET };
    let v = json_call(
        url,
        "session",
        "start",
        json!({"secret": secret, "partnerId": PARTNER, "type": kind, "userId": user,
               "privileges": privileges}),
    )
    .await;
    v.as_str()
        .unwrap_or_else(|| panic!("no KS: {v}"))
        .to_string()
}

async fn add_entry(url: &str, ks: &str, name: &str, extra: Value) -> String {
    let mut entry = json!({"objectType": "KalturaMediaEntry", "name": name, "mediaType": 1});
    for (k, v) in extra.as_object().unwrap() {
        entry[k] = v.clone();
    }
    let v = json_call(url, "media", "add", json!({"ks": ks, "entry": entry})).await;
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id: {v}"))
        .to_string()
}

async fn add_category(url: &str, ks: &str, category: Value) -> i64 {
    let mut c = category;
    c["objectType"] = json!("KalturaCategory");
    let v = json_call(url, "category", "add", json!({"ks": ks, "category": c})).await;
    v["id"].as_i64().unwrap_or_else(|| panic!("no id: {v}"))
}

async fn link(url: &str, ks: &str, entry: &str, category: i64) {
    let v = json_call(
        url,
        "categoryEntry",
        "add",
        json!({"ks": ks, "categoryEntry": {"objectType": "KalturaCategoryEntry",
               "entryId": entry, "categoryId": category}}),
    )
    .await;
    assert_eq!(v["objectType"], "KalturaCategoryEntry", "{v}");
}

async fn names(url: &str, ks: &str) -> Vec<String> {
    let v = json_call(
        url,
        "media",
        "list",
        json!({"ks": ks, "filter": {"objectType": "KalturaMediaEntryFilter", "orderBy": "+name"}}),
    )
    .await;
    v["objects"]
        .as_array()
        .unwrap_or_else(|| panic!("no list: {v}"))
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

/// Uploads `bytes` into a new token and makes them the entry's content.
async fn content(url: &str, ks: &str, entry: &str, bytes: &[u8]) {
    let token = json_call(
        url,
        "uploadToken",
        "add",
        json!({"ks": ks, "uploadToken": {"objectType": "KalturaUploadToken", "fileName": "a.mp4"}}),
    )
    .await;
    let token = token["id"].as_str().unwrap().to_string();
    let boundary = "privboundary7";
    let params = json!({"ks": ks, "uploadTokenId": token, "format": 1});
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n{params}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"fileData\"; filename=\"a.mp4\"\r\nContent-Type: video/mp4\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let ct = format!("multipart/form-data; boundary={boundary}");
    let v = send(url, "/api_v3/service/uploadtoken/action/upload", &ct, &body)
        .await
        .json();
    assert_eq!(v["status"], 2, "{v}");
    let v = json_call(
        url,
        "media",
        "addContent",
        json!({"ks": ks, "entryId": entry,
               "resource": {"objectType": "KalturaUploadedFileTokenResource", "token": token}}),
    )
    .await;
    assert_eq!(v["status"], "2", "{v}");
}

async fn flavor_of(url: &str, ks: &str, entry: &str) -> String {
    let v = json_call(
        url,
        "flavorAsset",
        "list",
        json!({"ks": ks, "filter": {"objectType": "KalturaAssetFilter", "entryIdEqual": entry}}),
    )
    .await;
    v["objects"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no flavor: {v}"))
        .to_string()
}

/// The delivery error the server answers with: no body, the error in the headers.
fn delivery_error(got: &Got) -> Option<String> {
    got.header("X-Kaltura-App").map(str::to_string)
}

#[tokio::test]
async fn entitlement_hides_entries_and_categories_unless_the_ks_disables_it() {
    let mock = builder().entitlement(PARTNER, true).start().await.unwrap();
    let url = mock.url();
    // The management console's session: ADMIN, entitlement disabled.
    let admin = ks_of(&url, 2, "admin@example.com", "disableentitlement").await;
    let private = add_category(
        &url,
        &admin,
        json!({"name": "Private", "privacyContext": "kms", "privacy": 3}),
    )
    .await;
    let open = add_category(&url, &admin, json!({"name": "Open"})).await;
    let hidden = add_entry(&url, &admin, "hidden", json!({})).await;
    link(&url, &admin, &hidden, private).await;
    let own = add_entry(&url, &admin, "alice's", json!({"userId": "alice"})).await;
    link(&url, &admin, &own, private).await;
    let in_open = add_entry(&url, &admin, "in open", json!({})).await;
    link(&url, &admin, &in_open, open).await;
    add_entry(&url, &admin, "public", json!({})).await;
    content(&url, &admin, &hidden, b"hidden bytes").await;
    let hidden_flavor = flavor_of(&url, &admin, &hidden).await;

    // A plain USER session: what the categories and ownership allow.
    let alice = user_ks(&url, "alice").await;
    assert_eq!(names(&url, &alice).await, ["alice's", "in open", "public"]);
    let v = json_call(
        &url,
        "media",
        "get",
        json!({"ks": alice, "entryId": hidden}),
    )
    .await;
    assert_eq!(code(&v), "ENTRY_ID_NOT_FOUND");
    assert_eq!(v["message"], format!("Entry id \"{hidden}\" not found"));
    let v = json_call(
        &url,
        "baseEntry",
        "getByIds",
        json!({"ks": alice, "entryIds": format!("{hidden},{own}")}),
    )
    .await;
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{v}");
    let v = json_call(&url, "category", "get", json!({"ks": alice, "id": private})).await;
    assert_eq!(code(&v), "CATEGORY_NOT_FOUND");
    assert_eq!(arg(&v, "ID"), private.to_string());
    let v = json_call(&url, "category", "list", json!({"ks": alice})).await;
    assert_eq!(v["totalCount"], 1, "only Open: {v}");
    let v = json_call(
        &url,
        "flavorAsset",
        "getUrl",
        json!({"ks": alice, "id": hidden_flavor}),
    )
    .await;
    assert_eq!(code(&v), "ASSET_ID_NOT_FOUND");
    let v = json_call(
        &url,
        "flavorAsset",
        "get",
        json!({"ks": alice, "id": hidden_flavor}),
    )
    .await;
    assert_eq!(code(&v), "FLAVOR_ASSET_ID_NOT_FOUND");
    let got = get(&url, &format!("/p/{PARTNER}/sp/{PARTNER}00/playManifest/entryId/{hidden}/format/url/protocol/http/ks/{alice}/a.mp4")).await;
    assert_eq!(got.status(), 404);
    assert_eq!(
        delivery_error(&got).as_deref(),
        Some("exiting on error 1 - requested entry not found")
    );
    // So does an ADMIN session without the privilege: entitlement binds it too.
    let plain_admin = ks_of(&url, 2, "admin@example.com", "").await;
    let v = json_call(
        &url,
        "category",
        "get",
        json!({"ks": plain_admin, "id": private}),
    )
    .await;
    assert_eq!(code(&v), "CATEGORY_NOT_FOUND");

    // disableentitlement: everything.
    let all = user_ks_with(&url, "alice", "disableentitlement").await;
    assert_eq!(
        names(&url, &all).await,
        ["alice's", "hidden", "in open", "public"]
    );
    let v = json_call(&url, "category", "get", json!({"ks": all, "id": private})).await;
    assert_eq!(v["name"], "Private");
    let v = json_call(
        &url,
        "flavorAsset",
        "getUrl",
        json!({"ks": all, "id": hidden_flavor}),
    )
    .await;
    assert!(v.as_str().is_some_and(|u| u.starts_with(&url)), "{v}");
    // disableentitlementforentry: that entry only.
    let one = user_ks_with(
        &url,
        "alice",
        &format!("disableentitlementforentry:{hidden}"),
    )
    .await;
    let v = json_call(&url, "media", "get", json!({"ks": one, "entryId": hidden})).await;
    assert_eq!(v["name"], "hidden");
    let v = json_call(&url, "category", "get", json!({"ks": one, "id": private})).await;
    assert_eq!(code(&v), "CATEGORY_NOT_FOUND");
    // privacycontext: the categories of that context, by their privacy; entries in no
    // category are not in it.
    let kms = user_ks_with(&url, "alice", "privacycontext:kms").await;
    assert_eq!(
        names(&url, &kms).await,
        ["alice's"],
        "members only, alice is no member"
    );
    let v = json_call(
        &url,
        "category",
        "update",
        json!({"ks": admin, "id": private, "category": {"objectType": "KalturaCategory", "privacy": 2}}),
    )
    .await;
    assert_eq!(v["privacy"], 2, "{v}");
    assert_eq!(
        names(&url, &kms).await,
        ["alice's", "hidden"],
        "authenticated users"
    );
    let anonymous = user_ks_with(&url, "", "privacycontext:kms").await;
    assert_eq!(names(&url, &anonymous).await, Vec::<String>::new());
}

#[tokio::test]
async fn enableentitlement_turns_it_on_where_the_partner_does_not() {
    let mock = mock().await;
    let url = mock.url();
    let admin = admin_ks(&url).await;
    let private = add_category(
        &url,
        &admin,
        json!({"name": "Private", "privacyContext": "kms", "privacy": 3}),
    )
    .await;
    let hidden = add_entry(&url, &admin, "hidden", json!({})).await;
    link(&url, &admin, &hidden, private).await;
    let alice = user_ks(&url, "alice").await;
    assert_eq!(names(&url, &alice).await, ["hidden"]);
    let on = user_ks_with(&url, "alice", "enableentitlement").await;
    assert_eq!(names(&url, &on).await, Vec::<String>::new());
    let v = json_call(&url, "media", "get", json!({"ks": on, "entryId": hidden})).await;
    assert_eq!(code(&v), "ENTRY_ID_NOT_FOUND");
}

#[tokio::test]
async fn sview_lifts_the_schedule_for_playing_and_download_lifts_it_for_downloads() {
    let mock = mock().await;
    let url = mock.url();
    let admin = admin_ks(&url).await;
    let later = add_entry(
        &url,
        &admin,
        "later",
        json!({"startDate": 4_000_000_000i64}),
    )
    .await;
    let bytes: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
    content(&url, &admin, &later, &bytes).await;
    let flavor = flavor_of(&url, &admin, &later).await;
    let get_url = |ks: String| {
        let url = url.clone();
        let flavor = flavor.clone();
        async move {
            call(
                &url,
                "flavorAsset",
                "getUrl",
                json!({"ks": ks, "id": flavor}),
            )
            .await
        }
    };
    let refused = Some("exiting on error 2 - entry restricted due to scheduling");

    // Without sview, a USER session meets the schedule: the server's delivery error.
    let plain = user_ks(&url, "alice").await;
    let got = get_url(plain.clone()).await;
    assert_eq!(delivery_error(&got).as_deref(), refused);
    assert_eq!(got.header("X-Kaltura"), Some("error-2"));
    assert!(got.body().is_empty());
    let other = user_ks_with(&url, "alice", "sview:0_another").await;
    assert_eq!(delivery_error(&get_url(other).await).as_deref(), refused);
    // A multirequest stops there, as the server does.
    let got = call(
        &url,
        "multirequest",
        "",
        json!({"ks": plain, "1": {"service": "system", "action": "ping"},
               "2": {"service": "flavorAsset", "action": "getUrl", "id": flavor}}),
    )
    .await;
    assert_eq!(delivery_error(&got).as_deref(), refused);

    // sview for this entry or for all, download, or an ADMIN session.
    for privileges in [
        format!("sview:{later}"),
        "sview:*".into(),
        format!("download:{later}"),
    ] {
        let ks = user_ks_with(&url, "alice", &privileges).await;
        let link = get_url(ks).await.json();
        let link = link
            .as_str()
            .unwrap_or_else(|| panic!("{privileges}: {link}"));
        let got = get(&url, link.trim_start_matches(&url)).await;
        assert_eq!(got.body(), &bytes[..], "{privileges}");
    }
    assert!(get_url(admin.clone()).await.json().is_string());

    // The delivery URLs apply the same rules to the KS they carry.
    let manifest = |ks: &str, format: &str, ext: &str| {
        format!("/p/{PARTNER}/sp/{PARTNER}00/playManifest/entryId/{later}/format/{format}/protocol/http/a.{ext}?ks={ks}")
    };
    let got = get(&url, &manifest(&plain, "url", "mp4")).await;
    assert_eq!(delivery_error(&got).as_deref(), refused);
    let got = get(&url, &manifest("", "url", "mp4")).await;
    assert_eq!(delivery_error(&got).as_deref(), refused, "no KS at all");
    let viewer = user_ks_with(&url, "alice", &format!("sview:{later}")).await;
    let got = get(&url, &manifest(&viewer, "url", "mp4")).await;
    assert_eq!(
        (got.status(), got.header("Content-Type")),
        (200, Some("video/mp4"))
    );
    assert_eq!(got.body(), &bytes[..]);
    let got = get(&url, &manifest(&viewer, "applehttp", "m3u8")).await;
    let playlist = got.text();
    assert!(
        playlist.starts_with("#EXTM3U") && playlist.contains(&format!("flavorId/{flavor}/")),
        "{playlist}"
    );
    let got = get(&url, &manifest(&viewer, "mpegdash", "mpd")).await;
    assert!(got.text().contains("<MPD"), "{}", got.text());
    let raw = |ks: &str| format!("/p/{PARTNER}/sp/{PARTNER}00/raw/entry_id/{later}/ks/{ks}");
    let downloader = user_ks_with(&url, "alice", &format!("download:{later}")).await;
    assert_eq!(get(&url, &raw(&downloader)).await.body(), &bytes[..]);
    assert_eq!(
        delivery_error(&get(&url, &raw(&plain)).await).as_deref(),
        refused
    );
    // Thumbnails are not scheduled.
    let got = get(
        &url,
        &format!("/p/{PARTNER}/sp/{PARTNER}00/thumbnail/entry_id/{later}/width/640"),
    )
    .await;
    assert_eq!(
        (got.status(), got.header("Content-Type")),
        (200, Some("image/jpeg"))
    );
    // A KS that does not read, an entry that does not exist.
    let got = get(&url, &manifest("not-a-ks", "url", "mp4")).await;
    assert_eq!(
        delivery_error(&got).as_deref(),
        Some("exiting on error 7 - ks is not valid")
    );
    let got = get(&url, &format!("/p/{PARTNER}/sp/{PARTNER}00/playManifest/entryId/0_nothere/format/url/protocol/http/a.mp4")).await;
    assert_eq!(got.status(), 404);

    // An entry in its schedule plays for anyone.
    let now = add_entry(&url, &admin, "now", json!({})).await;
    content(&url, &admin, &now, b"now").await;
    let flavor = flavor_of(&url, &admin, &now).await;
    let v = call(
        &url,
        "flavorAsset",
        "getUrl",
        json!({"ks": plain, "id": flavor}),
    )
    .await
    .json();
    assert!(v.is_string(), "{v}");
}
