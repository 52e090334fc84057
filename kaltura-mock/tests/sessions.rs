//! Sessions as the server sees them: starting them (secrets, types, logins, widgets,
//! application tokens) and every failure of a call's KS.

use crate::common;
use common::*;
use kaltura_ks::{AdminSecret, Ks, KsBuilder, SessionType};
use serde_json::json;

#[tokio::test]
async fn session_start_with_each_secret() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let fields = Ks::new(ks.clone())
        .validate_now(&AdminSecret::new(ADMIN_SECRET).unwrap())
        .unwrap();
    assert!(fields.is_admin());
    assert_eq!(fields.partner_id(), PARTNER);
    assert_eq!(fields.user_id(), "admin@example.com");

    // The user secret opens USER sessions only.
    let ks = user_ks(&url, "alice").await;
    let fields = Ks::new(ks)
        .validate_now(&AdminSecret::new(ADMIN_SECRET).unwrap())
        .unwrap();
    assert!(!fields.is_admin());
    let v = json_call(
        &url,
        "session",
        "start",
        json!({"secret": USER_SECRET, "partnerId": PARTNER, "type": 2}),
    )
    .await;
    assert_eq!(code(&v), "START_SESSION_ERROR");
    assert_eq!(
        v["message"],
        format!("Error while starting session for partner [{PARTNER}]")
    );
    // A wrong secret, an unknown partner.
    for (secret, partner) in [("wrong", PARTNER), (ADMIN_SECRET, 99)] {
        let v = json_call(
            &url,
            "session",
            "start",
            json!({"secret": secret, "partnerId": partner, "type": 2}),
        )
        .await;
        assert_eq!(code(&v), "START_SESSION_ERROR");
    }
    // Privileges and expiry are written into the KS.
    let v = json_call(
        &url,
        "session",
        "start",
        json!({"secret": ADMIN_SECRET, "partnerId": PARTNER, "type": 0, "expiry": 60, "privileges": "sview:0_abc,edit:*"}),
    )
    .await;
    let fields = Ks::new(v.as_str().unwrap())
        .validate_now(&AdminSecret::new(ADMIN_SECRET).unwrap())
        .unwrap();
    assert_eq!(fields.privileges_str(), Some("sview:0_abc,edit:*"));
    assert!(fields.seconds_left_at(kaltura_ks::unix_now()) <= 60);
    // No secret in the log.
    let log = format!("{:?}", mock.requests());
    assert!(
        !log.contains(ADMIN_SECRET) && !log.contains(USER_SECRET),
        "{log}"
    );
}

#[tokio::test]
async fn every_ks_failure_has_the_servers_reason() {
    let mock = mock().await;
    let url = mock.url();
    let v = json_call(&url, "media", "list", json!({})).await;
    assert_eq!(code(&v), "MISSING_KS");
    assert_eq!(v["message"], "Missing KS, session not established");

    let reason = |v: &serde_json::Value| format!("{},{}", arg(v, "ERR_CODE"), arg(v, "ERR_DESC"));
    // Not a KS at all.
    let v = json_call(&url, "media", "list", json!({"ks": "garbage!!"})).await;
    assert_eq!(code(&v), "INVALID_KS");
    assert_eq!(reason(&v), "-1,INVALID_STR");
    // Signed with another secret.
    let other = AdminSecret::new("ffffffffffffffffffffffffffffffff").unwrap();
    let forged = KsBuilder::new(PARTNER, SessionType::Admin)
        .generate_v2(&other)
        .unwrap();
    let v = json_call(&url, "media", "list", json!({"ks": forged.expose()})).await;
    assert_eq!(reason(&v), "-1,INVALID_STR");
    let forged = KsBuilder::new(PARTNER, SessionType::Admin)
        .generate_v1(&other)
        .unwrap();
    let v = json_call(&url, "media", "list", json!({"ks": forged.expose()})).await;
    assert_eq!(reason(&v), "-1,INVALID_STR");
    // Expired.
    let secret = AdminSecret::new(ADMIN_SECRET).unwrap();
    let old = KsBuilder::new(PARTNER, SessionType::Admin)
        .now(kaltura_ks::unix_now() - 7200)
        .expires_in(60)
        .generate_v2(&secret)
        .unwrap();
    let v = json_call(&url, "media", "list", json!({"ks": old.expose()})).await;
    assert_eq!(code(&v), "INVALID_KS");
    assert_eq!(reason(&v), "-5,EXPIRED");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .ends_with("Error \"-5,EXPIRED\""),
        "{v}"
    );
    // Another partner's KS.
    let theirs = KsBuilder::new(77, SessionType::Admin)
        .generate_v2(&secret)
        .unwrap();
    let v = json_call(&url, "media", "list", json!({"ks": theirs.expose()})).await;
    assert_eq!(reason(&v), "-2,INVALID_PARTNER");
    // A valid one passes; the log keeps no KS.
    let good = KsBuilder::new(PARTNER, SessionType::Admin)
        .generate_v1(&secret)
        .unwrap();
    let v = json_call(&url, "media", "list", json!({"ks": good.expose()})).await;
    assert_eq!(v["objectType"], "KalturaMediaListResponse");
    let log = format!("{:?}", mock.requests());
    assert!(
        !log.contains(good.expose()) && !log.contains(old.expose()),
        "{log}"
    );
}

#[tokio::test]
async fn a_user_session_is_refused_admin_actions() {
    let mock = mock().await;
    let url = mock.url();
    let admin = admin_ks(&url).await;
    let alice = user_ks(&url, "alice").await;
    let bob = user_ks(&url, "bob").await;
    let v = json_call(
        &url,
        "user",
        "add",
        json!({"ks": alice, "user": {"objectType": "KalturaUser", "id": "eve"}}),
    )
    .await;
    assert_eq!(code(&v), "SERVICE_FORBIDDEN");
    assert_eq!(
        v["message"],
        "The access to service [user->add] is forbidden"
    );
    // Reading is allowed; so is adding an entry, which the user then owns.
    let v = json_call(&url, "media", "list", json!({"ks": alice})).await;
    assert_eq!(v["totalCount"], 0);
    let entry = json_call(
        &url,
        "media",
        "add",
        json!({"ks": alice, "entry": {"objectType": "KalturaMediaEntry", "name": "mine", "mediaType": 1}}),
    )
    .await;
    assert_eq!(entry["userId"], "alice");
    let id = entry["id"].as_str().unwrap();
    let update = json!({"objectType": "KalturaMediaEntry", "name": "renamed"});
    // Another user may not change it, unless an edit privilege names it.
    let v = json_call(
        &url,
        "media",
        "update",
        json!({"ks": bob, "entryId": id, "mediaEntry": update}),
    )
    .await;
    assert_eq!(code(&v), "SERVICE_FORBIDDEN");
    let bob_edit = json_call(
        &url,
        "session",
        "start",
        json!({"secret": USER_SECRET, "partnerId": PARTNER, "userId": "bob", "privileges": format!("edit:{id}")}),
    )
    .await;
    let v = json_call(
        &url,
        "media",
        "update",
        json!({"ks": bob_edit, "entryId": id, "mediaEntry": update}),
    )
    .await;
    assert_eq!(v["name"], "renamed", "{v}");
    let v = json_call(&url, "media", "delete", json!({"ks": alice, "entryId": id})).await;
    assert!(v.is_null(), "{v}");
    // The admin may do anything.
    let v = json_call(
        &url,
        "user",
        "add",
        json!({"ks": admin, "user": {"objectType": "KalturaUser", "id": "eve"}}),
    )
    .await;
    assert_eq!(v["id"], "eve");
}

#[tokio::test]
async fn login_by_login_id() {
    let mock = mock().await;
    let url = mock.url();
    let v = json_call(
        &url,
        "user",
        "loginByLoginId",
        json!({"loginId": "admin@example.com", "password": "Secret-Pass-1"}),
    )
    .await;
    let fields = Ks::new(v.as_str().unwrap())
        .validate_now(&AdminSecret::new(ADMIN_SECRET).unwrap())
        .unwrap();
    assert!(fields.is_admin());
    assert_eq!(fields.user_id(), "admin@example.com");
    let v = json_call(
        &url,
        "user",
        "loginByLoginId",
        json!({"loginId": "alice@example.com", "password": "Alice-Pass-2", "partnerId": PARTNER}),
    )
    .await;
    let fields = Ks::new(v.as_str().unwrap()).inspect().unwrap();
    assert_eq!(fields.partner_id(), PARTNER);
    let v = json_call(
        &url,
        "user",
        "loginByLoginId",
        json!({"loginId": "alice@example.com", "password": "nope"}),
    )
    .await;
    assert_eq!(code(&v), "USER_WRONG_PASSWORD");
    let v = json_call(
        &url,
        "user",
        "loginByLoginId",
        json!({"loginId": "who@example.com", "password": "x"}),
    )
    .await;
    assert_eq!(code(&v), "LOGIN_DATA_NOT_FOUND");
    let log = format!("{:?}", mock.requests());
    assert!(
        !log.contains("Alice-Pass-2") && !log.contains("Secret-Pass-1"),
        "{log}"
    );
}

#[tokio::test]
async fn widget_session_then_app_token_session() {
    let mock = mock().await;
    let url = mock.url();
    let admin = admin_ks(&url).await;
    let widget = json_call(
        &url,
        "session",
        "startWidgetSession",
        json!({"widgetId": format!("_{PARTNER}")}),
    )
    .await;
    assert_eq!(widget["objectType"], "KalturaStartWidgetSessionResponse");
    assert_eq!(widget["partnerId"], PARTNER);
    let widget_ks = widget["ks"].as_str().unwrap().to_string();
    let fields = Ks::new(widget_ks.clone())
        .validate_now(&AdminSecret::new(ADMIN_SECRET).unwrap())
        .unwrap();
    assert!(fields.privileges().contains("widget"));
    let v = json_call(
        &url,
        "session",
        "startWidgetSession",
        json!({"widgetId": "_1"}),
    )
    .await;
    assert_eq!(code(&v), "INVALID_WIDGET_ID");

    let token = json_call(
        &url,
        "appToken",
        "add",
        json!({"ks": admin, "appToken": {"objectType": "KalturaAppToken", "sessionType": 2, "sessionUserId": "robot", "hashType": "SHA1"}}),
    )
    .await;
    let id = token["id"].as_str().unwrap().to_string();
    let secret = token["token"].as_str().unwrap().to_string();
    // The runtime's own hashing, as a program would use it.
    let app = kaltura_runtime::AppToken::new(PARTNER, id.clone(), secret)
        .hash_type(kaltura_runtime::AppTokenHash::Sha1);
    let hash = app.token_hash(&widget_ks);
    let v = json_call(
        &url,
        "appToken",
        "startSession",
        json!({"ks": widget_ks, "id": id, "tokenHash": hash.expose()}),
    )
    .await;
    assert_eq!(v["objectType"], "KalturaSessionInfo", "{v}");
    assert_eq!(v["userId"], "robot");
    let fields = Ks::new(v["ks"].as_str().unwrap())
        .validate_now(&AdminSecret::new(ADMIN_SECRET).unwrap())
        .unwrap();
    assert!(fields.is_admin());
    assert_eq!(
        fields.privilege_values("apptoken"),
        std::slice::from_ref(&id)
    );
    let v = json_call(
        &url,
        "appToken",
        "startSession",
        json!({"ks": widget_ks, "id": id, "tokenHash": "00"}),
    )
    .await;
    assert_eq!(code(&v), "INVALID_APP_TOKEN_HASH");
    let v = json_call(
        &url,
        "appToken",
        "startSession",
        json!({"ks": widget_ks, "id": "0_nope", "tokenHash": "00"}),
    )
    .await;
    assert_eq!(code(&v), "APP_TOKEN_ID_NOT_FOUND");
    // A widget session may not add tokens.
    let v = json_call(
        &url,
        "appToken",
        "add",
        json!({"ks": widget_ks, "appToken": {"objectType": "KalturaAppToken"}}),
    )
    .await;
    assert_eq!(code(&v), "SERVICE_FORBIDDEN");
}

#[tokio::test]
async fn acting_for_another_partner_only_within_the_partners_group() {
    const CHILD: i64 = 5555;
    let mock = builder()
        .partner(CHILD, "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf", "")
        .child_partner(PARTNER, CHILD)
        .start()
        .await
        .unwrap();
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let entry = json!({"objectType": "KalturaMediaEntry", "name": "for the child", "mediaType": 1});
    let v = json_call(
        &url,
        "media",
        "add",
        json!({"ks": ks, "partnerId": CHILD, "entry": entry}),
    )
    .await;
    assert_eq!(v["partnerId"], CHILD, "{v}");
    let count = |partner: Option<i64>| {
        let url = url.clone();
        let ks = ks.clone();
        async move {
            let mut p = json!({"ks": ks});
            if let Some(id) = partner {
                p["partnerId"] = json!(id);
            }
            json_call(&url, "media", "count", p).await
        }
    };
    assert_eq!(count(Some(CHILD)).await, 1);
    assert_eq!(count(None).await, 0, "the parent's own account");
    let v = count(Some(9999)).await;
    assert_eq!(code(&v), "PARTNER_ACCESS_FORBIDDEN");
    assert_eq!(
        v["message"],
        format!("Partner [{PARTNER}] cannot access partner [9999]")
    );
    // Not the other way round.
    let child_ks = json_call(
        &url,
        "session",
        "start",
        json!({"secret": "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf", "partnerId": CHILD, "type": 2}),
    )
    .await;
    let v = json_call(
        &url,
        "media",
        "count",
        json!({"ks": child_ks, "partnerId": PARTNER}),
    )
    .await;
    assert_eq!(code(&v), "PARTNER_ACCESS_FORBIDDEN");
}
