//! The store kept in a file between runs (`Builder::state_file`, `kaltura mock serve
//! --state`): what one mock added, the next one started on the same file serves, with
//! new ids that do not collide; the file is written soon after each call, readable by
//! its owner only; a bad file fails the start with an error that names it.

use crate::common;
use common::*;
use serde_json::json;
use std::time::Duration;

fn state_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kaltura-mock-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("state.json")
}

#[tokio::test]
async fn a_second_mock_on_the_same_file_serves_what_the_first_one_kept() {
    let path = state_path("persist");
    let _ = std::fs::remove_file(&path);
    let mock = builder().state_file(&path).start().await.unwrap();
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let entry = json_call(
        &url,
        "media",
        "add",
        json!({"ks": ks, "entry": {"objectType": "KalturaMediaEntry", "name": "kept", "mediaType": 1}}),
    )
    .await;
    let entry_id = entry["id"].as_str().unwrap().to_string();
    let category = json_call(
        &url,
        "category",
        "add",
        json!({"ks": ks, "category": {"objectType": "KalturaCategory", "name": "Shelf"}}),
    )
    .await;
    json_call(
        &url,
        "categoryEntry",
        "add",
        json!({"ks": ks, "categoryEntry": {"objectType": "KalturaCategoryEntry",
               "entryId": entry_id, "categoryId": category["id"]}}),
    )
    .await;
    // Written soon after the calls, while the mock still runs.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let written = std::fs::read_to_string(&path).expect("the state file is written");
    assert!(
        written.contains(&entry_id),
        "{} bytes without the entry",
        written.len()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    // A change right before the end is written when the mock stops.
    json_call(
        &url,
        "media",
        "update",
        json!({"ks": ks, "entryId": entry_id, "mediaEntry": {"objectType": "KalturaMediaEntry", "description": "last words"}}),
    )
    .await;
    drop(mock);

    let mock = builder().state_file(&path).start().await.unwrap();
    let url = mock.url();
    // The old KS is still good (same partner, same secret), and so are the logins.
    let got = json_call(&url, "media", "get", json!({"ks": ks, "entryId": entry_id})).await;
    assert_eq!(
        (got["name"].as_str(), got["description"].as_str()),
        (Some("kept"), Some("last words")),
        "{got}"
    );
    assert_eq!(got["categoriesIds"], category["id"].to_string());
    let v = json_call(
        &url,
        "user",
        "loginByLoginId",
        json!({"loginId": "alice@example.com", "password": "Alice-Pass-2", "partnerId": PARTNER}),
    )
    .await;
    assert!(v.is_string(), "{v}");
    let other = json_call(
        &url,
        "media",
        "add",
        json!({"ks": ks, "entry": {"objectType": "KalturaMediaEntry", "name": "new", "mediaType": 1}}),
    )
    .await;
    assert_ne!(other["id"], got["id"], "ids go on from where they were");
    let v = json_call(&url, "media", "list", json!({"ks": ks})).await;
    assert_eq!(v["totalCount"], 2, "{v}");
    drop(mock);
    std::fs::remove_dir_all(path.parent().unwrap()).ok();
}

#[tokio::test]
async fn a_bad_state_file_fails_the_start_and_names_the_file() {
    let path = state_path("bad");
    std::fs::write(&path, b"{\"format\": \"something else\"}").unwrap();
    let e = builder().state_file(&path).start().await.unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
    let text = e.to_string();
    assert!(
        text.contains("state.json") && text.contains("not a kaltura-mock-state file"),
        "{text}"
    );
    std::fs::write(&path, b"not json").unwrap();
    let e = builder().state_file(&path).start().await.unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidData, "{e}");
    std::fs::remove_dir_all(path.parent().unwrap()).ok();
}
