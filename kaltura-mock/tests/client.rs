//! The typed client (`kaltura-client`) end to end against the mock: what a program
//! built on the SDK meets. Three of these moved here from the stand-in tests of
//! `tests/tests/integration.rs` (a session then a filtered, paged list; add then update
//! clearing a field; a chained multirequest with a failing item): against the mock
//! they run on the server's own rules (the error codes, the references, the state)
//! instead of a fake written for them.

use crate::common;
use common::*;
use kaltura_client::types::*;
use kaltura_client::{Client, Error, Field, Proxy};
use kaltura_mock::{Fault, FaultRule, MockServer};
use std::time::Duration;

fn client(mock: &MockServer) -> Client {
    Client::builder(mock.url())
        .client_tag("kaltura-mock-tests")
        .proxy(Proxy::Disabled)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn logged_in(mock: &MockServer) -> Client {
    let client = client(mock);
    let ks = client
        .session()
        .start(ADMIN_SECRET)
        .user_id("admin@example.com")
        .r#type(KalturaSessionType::Admin)
        .partner_id(PARTNER)
        .await
        .unwrap();
    client.set_ks(ks);
    client
}

fn new_entry(name: &str) -> KalturaMediaEntry {
    KalturaMediaEntry {
        name: name.into(),
        description: format!("about {name}").into(),
        media_type: KalturaMediaType::Video.into(),
        ..Default::default()
    }
}

fn entry(any: KalturaMediaEntryAny) -> KalturaMediaEntry {
    match any {
        KalturaMediaEntryAny::KalturaMediaEntry(e) => *e,
        other => panic!("expected a KalturaMediaEntry, got {}", other.object_type()),
    }
}

#[tokio::test]
async fn session_start_then_list_with_filter_and_pager() {
    let mock = mock().await;
    let client = client(&mock);
    let err = client.media().list().await.unwrap_err();
    assert_eq!(err.code(), Some("MISSING_KS"));
    let err = client
        .session()
        .start("wrong")
        .partner_id(PARTNER)
        .r#type(KalturaSessionType::Admin)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("START_SESSION_ERROR"));

    let ks = client
        .session()
        .start(ADMIN_SECRET)
        .r#type(KalturaSessionType::Admin)
        .partner_id(PARTNER)
        .await
        .unwrap();
    client.set_ks(ks);
    for i in 0..5 {
        client
            .media()
            .add(new_entry(&format!("clip {i}")))
            .await
            .unwrap();
    }
    let page = client
        .media()
        .list()
        .filter(KalturaMediaEntryFilter {
            media_type_equal: KalturaMediaType::Video.into(),
            order_by: "-name".into(),
            ..Default::default()
        })
        .pager(KalturaFilterPager {
            page_size: 2.into(),
            page_index: 2.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.total_count, Field::Set(5));
    let names: Vec<String> = page
        .objects
        .into_option()
        .unwrap()
        .into_iter()
        .map(|e| entry(e).name.into_option().unwrap())
        .collect();
    assert_eq!(names, ["clip 2", "clip 1"]);
    // The client's requests passed the mock's checks with nothing dropped.
    for r in mock.requests() {
        assert!(r.notes().is_empty(), "{:?}: {:?}", r.actions(), r.notes());
    }
}

#[tokio::test]
async fn add_then_update_clearing_a_field() {
    let mock = mock().await;
    let client = logged_in(&mock).await;
    let added = entry(client.media().add(new_entry("to update")).await.unwrap());
    let id = added.id.as_ref().unwrap().clone();
    assert_eq!(added.description.as_deref(), Some("about to update"));
    assert_eq!(added.status, Field::Set(KalturaEntryStatus::NoContent));

    let updated = entry(
        client
            .media()
            .update(
                &id,
                KalturaMediaEntry {
                    description: Field::Null,
                    tags: "updated".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap(),
    );
    assert_eq!(updated.description, Field::Unset, "the server cleared it");
    assert_eq!(updated.tags.as_deref(), Some("updated"));
    let got = entry(client.media().get(&id).await.unwrap());
    assert_eq!(got.tags.as_deref(), Some("updated"));
    // The typed client leaves read-only properties out of what it sends: nothing was
    // dropped or refused on the way.
    let log = mock.requests();
    assert!(log
        .iter()
        .all(|r| r.error().is_none() && r.notes().is_empty()));
}

#[tokio::test]
async fn chained_multirequest_with_one_failing_item() {
    let mock = mock().await;
    let client = logged_in(&mock).await;
    let category = client
        .category()
        .add(KalturaCategory {
            name: "Shows".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let category_id = category.id.into_option().unwrap();
    let mut mr = client.multirequest();
    let added = mr.add(client.media().add(new_entry("chained")));
    let fetched = mr.add(client.media().get(added.field("id")));
    let missing = mr.add(client.media().get("0_missing0"));
    let linked = mr.add(client.category_entry().add(KalturaCategoryEntry {
        entry_id: added.field("id").into(),
        category_id: category_id.into(),
        ..Default::default()
    }));
    let dangling = mr.add(client.media().get(missing.field("id")));
    let mut results = mr.await.unwrap();

    let added_entry = entry(results.get(&added).unwrap());
    let fetched_entry = entry(results.take(&fetched).unwrap());
    assert_eq!(added_entry.id, fetched_entry.id);
    let err = results.get(&missing).unwrap_err();
    assert_eq!(err.code(), Some("ENTRY_ID_NOT_FOUND"));
    assert_eq!(err.api().unwrap().args["ENTRY_ID"], "0_missing0");
    let link = results.get(&linked).unwrap();
    assert_eq!(link.entry_id, added_entry.id);
    assert_eq!(link.category_id, Field::Set(category_id));
    let err = results.get(&dangling).unwrap_err();
    assert_eq!(err.code(), Some("MISSING_MANDATORY_PARAMETER"));
    assert!(matches!(
        results.take(&fetched),
        Err(Error::InvalidInput(_))
    ));
    // The category now counts the entry.
    let category = client.category().get(category_id).await.unwrap();
    assert_eq!(category.entries_count, Field::Set(1));
}

#[tokio::test]
async fn chunked_upload_then_content_ready() {
    let mock = builder()
        .ready_after(Duration::from_millis(200))
        .start()
        .await
        .unwrap();
    let client = logged_in(&mock).await;
    let dir = std::env::temp_dir().join(format!("kaltura-mock-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("movie.mp4");
    let data: Vec<u8> = (0..3 * 1024 * 1024 + 12345u32)
        .map(|i| (i % 251) as u8)
        .collect();
    std::fs::write(&path, &data).unwrap();
    let done = client
        .upload(
            kaltura_client::UploadSource::path(&path),
            kaltura_client::UploadOptions::new().chunk_size(1024 * 1024),
        )
        .await
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(done.uploaded_file_size, Some(data.len() as f64));
    assert_eq!(done.status, Some(kaltura_client::UploadToken::FULL_UPLOAD));
    let uploads = mock
        .requests()
        .iter()
        .filter(|r| r.actions() == ["uploadtoken.upload"])
        .count();
    assert_eq!(uploads, 4);

    let added = entry(client.media().add(new_entry("uploaded")).await.unwrap());
    let id = added.id.into_option().unwrap();
    let with_content = entry(
        client
            .media()
            .add_content(&id)
            .resource(KalturaUploadedFileTokenResource {
                token: done.id.clone().into(),
                ..Default::default()
            })
            .await
            .unwrap(),
    );
    assert_eq!(
        with_content.status,
        Field::Set(KalturaEntryStatus::Preconvert)
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let ready = entry(client.media().get(&id).await.unwrap());
    assert_eq!(ready.status, Field::Set(KalturaEntryStatus::Ready));
    let flavors = client
        .flavor_asset()
        .list()
        .filter(KalturaAssetFilter {
            entry_id_equal: id.clone().into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(flavors.total_count, Field::Set(1));
}

#[tokio::test]
async fn faults_reach_the_client_as_its_errors() {
    let mock = builder()
        .fault(FaultRule::on("media.list", Fault::Html(502)).times(1))
        .fault(FaultRule::on("media.count", Fault::Reset).times(1))
        .start()
        .await
        .unwrap();
    let client = logged_in(&mock).await;
    let err = client.media().list().await.unwrap_err();
    assert!(err.code().is_none(), "not an API error: {err}");
    assert!(err.to_string().contains("502"), "{err}");
    let page = client.media().list().await.unwrap();
    assert_eq!(page.total_count, Field::Set(0));
    let err = client.media().count().await.unwrap_err();
    assert!(err.code().is_none(), "{err}");
}
