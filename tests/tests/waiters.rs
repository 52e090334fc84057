//! Waiting for entries, assets and upload tokens (`kaltura_runtime::waiter`) through
//! the mock transport, on tokio's paused clock (every wait between two asks passes at
//! once, and the elapsed times are exact): done, failed, timed out, API errors passed
//! through, the four kinds' calls and statuses, custom waits, and cancelling by
//! dropping the future.

use kaltura_client::transport::{HttpResponse, MockTransport};
use kaltura_client::types::*;
use kaltura_client::{Client, Error};
use kaltura_runtime::waiter::{Status, WaitError, Waiter};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

fn mock_client() -> (Client, MockTransport) {
    let mock = MockTransport::new();
    let client = Client::builder("https://kaltura.invalid")
        .ks("KS")
        .transport(mock.clone())
        .build()
        .unwrap();
    (client, mock)
}

/// A media entry in `status` (the entry status is a string enum on the wire).
fn entry(status: &str) -> HttpResponse {
    HttpResponse::json(
        json!({"id": "0_abc", "name": "clip", "status": status, "objectType": "KalturaMediaEntry"})
            .to_string(),
    )
}

fn asset(class: &str, status: i64) -> HttpResponse {
    HttpResponse::json(json!({"id": "0_asset", "status": status, "objectType": class}).to_string())
}

fn params(mock: &MockTransport) -> Vec<Value> {
    mock.requests().iter().map(|r| r.json().unwrap()).collect()
}

#[tokio::test(start_paused = true)]
async fn an_entry_is_waited_for_until_ready_with_a_growing_interval() {
    let (client, mock) = mock_client();
    mock.on("baseentry.get", entry("0"));
    mock.on("baseentry.get", entry("1"));
    mock.on("baseentry.get", entry("1"));
    mock.on("baseentry.get", entry("2"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    let started = Instant::now();
    let ready: KalturaBaseEntryAny = Waiter::entry_ready(&client, "0_abc")
        .on_progress(move |status, waited| s.lock().unwrap().push((status.clone(), waited)))
        .await
        .unwrap();
    // The typed answer, decoded as the class the server named.
    assert_eq!(ready.object_type(), "KalturaMediaEntry");
    assert_eq!(ready.base().id.as_deref(), Some("0_abc"));
    // 2 s, then 4 s, then 8 s between the asks.
    assert_eq!(started.elapsed(), Duration::from_secs(14));
    let seen = seen.lock().unwrap().clone();
    let states: Vec<&str> = seen.iter().map(|(s, _)| s.state()).collect();
    assert_eq!(
        states,
        [
            "IMPORT (0)",
            "PRECONVERT (1)",
            "PRECONVERT (1)",
            "READY (2)"
        ]
    );
    let waited: Vec<u64> = seen.iter().map(|(_, w)| w.as_secs()).collect();
    assert_eq!(waited, [0, 2, 6, 14]);
    assert!(matches!(seen[3].0, Status::Done(_)));
    // baseEntry.get with the entry id, each time.
    for p in params(&mock) {
        assert_eq!(p["entryId"], "0_abc");
    }
    assert!(mock
        .requests()
        .iter()
        .all(|r| r.service_action() == "baseentry.get"));
}

#[tokio::test(start_paused = true)]
async fn a_failure_state_ends_the_wait_at_once_naming_it() {
    let (client, mock) = mock_client();
    mock.on("baseentry.get", entry("1"));
    mock.on("baseentry.get", entry("-1"));
    mock.always("baseentry.get", entry("2"));
    let err = Waiter::<Value>::entry_ready(&client, "0_abc")
        .await
        .unwrap_err();
    match &err {
        WaitError::Failed { what, state } => {
            assert_eq!(what, "entry 0_abc");
            assert_eq!(state, "ERROR_CONVERTING (-1)");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "entry 0_abc is ERROR_CONVERTING (-1), which it will not leave"
    );
    assert_eq!(mock.requests().len(), 2, "nothing asked after the failure");

    // The other terminal states of an entry.
    for (value, name) in [
        ("-2", "ERROR_IMPORTING"),
        ("3", "DELETED"),
        ("6", "BLOCKED"),
        ("virusScan.Infected", "INFECTED"),
    ] {
        let (client, mock) = mock_client();
        mock.on("baseentry.get", entry(value));
        let err = Waiter::<Value>::entry_ready(&client, "0_abc")
            .await
            .unwrap_err();
        assert!(
            matches!(&err, WaitError::Failed { state, .. } if state.starts_with(name)),
            "{value}: {err:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn the_deadline_ends_the_wait_naming_the_last_state() {
    let (client, mock) = mock_client();
    mock.always("baseentry.get", entry("1"));
    let started = Instant::now();
    let err = Waiter::<KalturaBaseEntryAny>::entry_ready(&client, "0_abc")
        .timeout(Duration::from_secs(60))
        .interval(Duration::from_secs(5), Duration::from_secs(20))
        .await
        .unwrap_err();
    // Asked at 0, 5, 15, 35, 55 and, last, at the deadline itself.
    assert_eq!(started.elapsed(), Duration::from_secs(60));
    assert_eq!(mock.requests().len(), 6);
    match &err {
        WaitError::Timeout { what, waited, last } => {
            assert_eq!(what, "entry 0_abc");
            assert_eq!(*waited, Duration::from_secs(60));
            assert_eq!(last.as_deref(), Some("PRECONVERT (1)"));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "entry 0_abc was not done after 60 s; its last state was PRECONVERT (1)"
    );
}

#[tokio::test(start_paused = true)]
async fn api_errors_pass_through() {
    let (client, mock) = mock_client();
    mock.on("baseentry.get", entry("1"));
    mock.on(
        "baseentry.get",
        HttpResponse::json(
            r#"{"code": "ENTRY_ID_NOT_FOUND", "message": "Entry id \"0_abc\" not found", "objectType": "KalturaAPIException"}"#,
        ),
    );
    let err = Waiter::<Value>::entry_ready(&client, "0_abc")
        .await
        .unwrap_err();
    let call = err.call().expect("the call's error");
    assert_eq!(call.code(), Some("ENTRY_ID_NOT_FOUND"));
    assert!(matches!(err, WaitError::Call(Error::Api(_))));
}

#[tokio::test(start_paused = true)]
async fn flavor_and_caption_assets_and_upload_tokens() {
    // A flavor asset: converting, then ready; the typed asset comes back.
    let (client, mock) = mock_client();
    mock.on("flavorasset.get", asset("KalturaFlavorAsset", 1));
    mock.on("flavorasset.get", asset("KalturaFlavorAsset", 2));
    let flavor: KalturaFlavorAsset = Waiter::flavor_asset_ready(&client, "0_fl").await.unwrap();
    assert_eq!(flavor.id.as_deref(), Some("0_asset"));
    assert_eq!(params(&mock)[0]["id"], "0_fl");

    // A flavor the source cannot give never will be ready.
    let (client, mock) = mock_client();
    mock.on("flavorasset.get", asset("KalturaFlavorAsset", 4));
    let err = Waiter::<Value>::flavor_asset_ready(&client, "0_fl")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, WaitError::Failed { what, state } if what == "flavor asset 0_fl" && state == "NOT_APPLICABLE (4)"),
        "{err:?}"
    );

    // A caption asset, through the caption plugin's service.
    let (client, mock) = mock_client();
    mock.on("caption_captionasset.get", asset("KalturaCaptionAsset", 0));
    mock.on("caption_captionasset.get", asset("KalturaCaptionAsset", 2));
    let caption: Value = Waiter::caption_asset_ready(&client, "0_cap").await.unwrap();
    assert_eq!(caption["status"], 2);
    assert_eq!(params(&mock)[1]["captionAssetId"], "0_cap");
    let (client, mock) = mock_client();
    mock.on("caption_captionasset.get", asset("KalturaCaptionAsset", -1));
    let err = Waiter::<Value>::caption_asset_ready(&client, "0_cap")
        .await
        .unwrap_err();
    assert!(matches!(&err, WaitError::Failed { state, .. } if state == "ERROR (-1)"));

    // An upload token: finished when its file is whole, or once attached (CLOSED).
    for (statuses, done) in [
        (vec![0, 1, 2], "FULL_UPLOAD (2)"),
        (vec![1, 3], "CLOSED (3)"),
    ] {
        let (client, mock) = mock_client();
        for s in &statuses {
            mock.on("uploadtoken.get", asset("KalturaUploadToken", *s));
        }
        let last = Arc::new(Mutex::new(String::new()));
        let l = last.clone();
        let token: KalturaUploadToken = Waiter::upload_token_done(&client, "0_tok")
            .on_progress(move |s, _| *l.lock().unwrap() = s.state().to_string())
            .await
            .unwrap();
        assert_eq!(token.id.as_deref(), Some("0_asset"));
        assert_eq!(*last.lock().unwrap(), done);
        assert_eq!(params(&mock)[0]["uploadTokenId"], "0_tok");
        assert_eq!(mock.requests().len(), statuses.len());
    }
    let (client, mock) = mock_client();
    mock.on("uploadtoken.get", asset("KalturaUploadToken", 4));
    let err = Waiter::<Value>::upload_token_done(&client, "0_tok")
        .await
        .unwrap_err();
    assert!(matches!(&err, WaitError::Failed { state, .. } if state == "TIMED_OUT (4)"));
}

#[tokio::test(start_paused = true)]
async fn a_custom_wait_reads_the_typed_answer() {
    let (client, mock) = mock_client();
    mock.on("media.get", entry("4"));
    mock.on("media.get", entry("2"));
    let c = client.clone();
    let entry = Waiter::new(
        &client,
        "entry 0_abc",
        move || c.media().get("0_abc"),
        |e: &KalturaMediaEntryAny| {
            let state = e
                .base()
                .status
                .as_ref()
                .map(|s| format!("{s:#}"))
                .unwrap_or_default();
            match state.as_str() {
                "READY" => Status::Done(state),
                "PENDING" => Status::Pending(state),
                _ => Status::Failed(state),
            }
        },
    )
    .interval(Duration::from_secs(1), Duration::from_secs(1))
    .await
    .unwrap();
    assert_eq!(entry.base().name.as_deref(), Some("clip"));
    assert_eq!(mock.requests().len(), 2);
    assert!(mock
        .requests()
        .iter()
        .all(|r| r.service_action() == "media.get"));
}

#[tokio::test(start_paused = true)]
async fn dropping_the_future_stops_the_wait() {
    let (client, mock) = mock_client();
    mock.always("baseentry.get", entry("1"));
    let wait = Waiter::<Value>::entry_ready(&client, "0_abc").wait();
    // Asked at 0 and 2 s; dropped at 3 s, during the 4 s wait.
    let outcome = tokio::time::timeout(Duration::from_secs(3), wait).await;
    assert!(outcome.is_err(), "still waiting when dropped");
    assert_eq!(mock.requests().len(), 2);
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(mock.requests().len(), 2, "nothing asked once dropped");
}
