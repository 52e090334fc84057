//! The everyday read path: enum names, `Field` reading, shared properties of
//! polymorphic values without a copy, string enums as `orderBy`, checked multirequest
//! references and per-item outcomes, session-type conversions, service URLs.

use kaltura_client::ks::SessionType;
use kaltura_client::transport::{HttpResponse, MockTransport};
use kaltura_client::types::*;
use kaltura_client::{Client, Error, Field};
use serde_json::json;

fn mock_client(url: &str) -> (Client, MockTransport) {
    let mock = MockTransport::new();
    let client = Client::builder(url)
        .ks("KS")
        .transport(mock.clone())
        .build()
        .unwrap();
    (client, mock)
}

#[test]
fn enums_print_their_value_and_their_api_name() {
    let ready = KalturaEntryStatus::Ready;
    assert_eq!(format!("{ready}"), "2");
    assert_eq!(format!("{ready:#}"), "READY");
    assert_eq!(ready.name(), Some("READY"));
    let unknown = KalturaEntryStatus::from("99");
    assert_eq!(
        (format!("{unknown}"), format!("{unknown:#}")),
        ("99".into(), "99".into())
    );
    assert_eq!(unknown.name(), None);
    let order = KalturaMediaEntryOrderBy::CreatedAtDesc;
    assert_eq!(
        (format!("{order}"), format!("{order:#}")),
        ("-createdAt".into(), "CREATED_AT_DESC".into())
    );
    // Through a field too: `{:#}` passes through, and unset prints nothing.
    let status: Field<KalturaEntryStatus> = ready.into();
    assert_eq!(
        format!("[{status:#}] [{}]", Field::<KalturaEntryStatus>::Unset),
        "[READY] []"
    );
}

#[test]
fn a_string_enum_is_an_order_by() {
    let filter = KalturaMediaEntryFilter {
        order_by: KalturaMediaEntryOrderBy::CreatedAtDesc.into(),
        ..Default::default()
    };
    assert_eq!(filter.order_by, Field::Set("-createdAt".to_string()));
}

#[test]
fn session_types_convert_both_ways() {
    assert_eq!(
        KalturaSessionType::from(SessionType::Admin),
        KalturaSessionType::Admin
    );
    assert_eq!(
        SessionType::try_from(KalturaSessionType::User).unwrap(),
        SessionType::User
    );
    assert!(SessionType::try_from(KalturaSessionType::from(1)).is_err());
}

fn list_body() -> String {
    json!({
        "objectType": "KalturaMediaListResponse",
        "totalCount": 3,
        "objects": [
            {"objectType": "KalturaMediaEntry", "id": "0_a", "name": "Intro", "status": 2, "duration": 61},
            {"objectType": "KalturaLiveStreamEntry", "id": "0_b", "name": "Live", "status": 2},
            {"objectType": "KalturaFromANewerServer", "id": "0_c", "name": "New", "status": 99},
        ],
    })
    .to_string()
}

#[tokio::test]
async fn list_results_read_without_ceremony() {
    let (client, mock) = mock_client("https://kaltura.invalid");
    mock.push(HttpResponse::json(list_body()));
    let page = client.media().list().await.unwrap();
    let lines: Vec<String> = page
        .objects
        .iter()
        .map(|entry| {
            let e = entry.base();
            format!("{} {} {:#}", e.id, e.name.get_or("-"), e.status)
        })
        .collect();
    assert_eq!(lines, ["0_a Intro READY", "0_b Live READY", "0_c New 99"]);
    assert_eq!(page.total_count.copied(), Some(3));
    // The view borrows: the name it shows is the entry's own, not a copy.
    let first = page.objects.iter().next().unwrap();
    let KalturaMediaEntryAny::KalturaMediaEntry(media) = first else {
        panic!("{first:?}")
    };
    assert!(std::ptr::eq(first.base().name, &media.name));
    assert_eq!(page.objects.into_iter().count(), 3);
}

#[tokio::test]
async fn a_misspelt_reference_path_fails_before_sending() {
    let (client, mock) = mock_client("https://kaltura.invalid");
    let mut mr = client.multirequest();
    let found = mr.add(client.category().list());
    let link = mr.add(client.category_entry().add(KalturaCategoryEntry {
        entry_id: "0_a".into(),
        ..Default::default()
    }));
    mr.bind(
        &link,
        &["categoryEntry", "categoryID"],
        found.path(["objects", "0", "id"]),
    );
    let err = mr.await.unwrap_err();
    let Error::InvalidInput(text) = &err else {
        panic!("{err:?}")
    };
    assert!(
        text.contains("`categoryID` is not a property of parameter `categoryEntry`"),
        "{text}"
    );
    assert!(text.contains("did you mean `categoryId`?"), "{text}");
    assert!(mock.requests().is_empty(), "nothing was sent");

    let mut mr = client.multirequest();
    let found = mr.add(client.category().list());
    let link = mr.add(client.category_entry().add(KalturaCategoryEntry::default()));
    mr.bind(&link, &["categoryEntryy", "categoryId"], found.result());
    let text = mr.await.unwrap_err().to_string();
    assert!(
        text.contains("`categoryEntryy` is not a parameter of categoryentry.add"),
        "{text}"
    );
}

#[tokio::test]
async fn multirequest_items_have_their_wire_numbers_and_outcomes() {
    let (client, mock) = mock_client("https://kaltura.invalid");
    mock.push(HttpResponse::json(
        json!([
            {"objectType": "KalturaCategoryListResponse", "totalCount": 1,
             "objects": [{"objectType": "KalturaCategory", "id": 42}]},
            {"objectType": "KalturaAPIException", "code": "ENTRY_ID_NOT_FOUND",
             "message": "Entry id \"0_x\" not found", "args": []},
        ])
        .to_string(),
    ));
    let mut mr = client.multirequest();
    let found = mr.add(client.category().list());
    let link = mr.add(client.category_entry().add(KalturaCategoryEntry {
        entry_id: "0_x".into(),
        ..Default::default()
    }));
    mr.bind(
        &link,
        &["categoryEntry", "categoryId"],
        found.path(["objects", "0", "id"]),
    );
    assert_eq!((found.number(), link.number()), (1, 2));
    let results = mr.await.unwrap();
    // Items travel under keys from 0; references count them from 1.
    let sent = mock.last_request().unwrap().json().unwrap();
    assert_eq!(
        sent["1"]["categoryEntry"]["categoryId"], "{1:result:objects:0:id}",
        "{sent}"
    );
    let outcomes: Vec<String> = results.items().map(|i| i.to_string()).collect();
    assert_eq!(
        outcomes,
        [
            "#1 category.list: ok",
            "#2 categoryentry.add: ENTRY_ID_NOT_FOUND (Entry id \"0_x\" not found)"
        ]
    );
}

#[tokio::test]
async fn service_urls_are_taken_with_or_without_api_v3() {
    for url in [
        "https://h.invalid",
        "https://h.invalid/",
        "https://h.invalid/api_v3/",
    ] {
        let (client, mock) = mock_client(url);
        mock.push(HttpResponse::json(list_body()));
        client.media().list().await.unwrap();
        assert_eq!(
            mock.last_request().unwrap().url,
            "https://h.invalid/api_v3/service/media/action/list",
            "{url}"
        );
    }
}

#[test]
fn a_blocking_client_for_synchronous_programs() {
    let mock = MockTransport::new();
    mock.push(HttpResponse::json(list_body()));
    let client = Client::builder("https://kaltura.invalid")
        .ks("KS")
        .transport(mock.clone())
        .build()
        .unwrap()
        .into_blocking()
        .unwrap();
    let page = client.wait(client.media().list()).unwrap();
    assert_eq!(page.objects.len(), 3);
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn api_errors_carry_the_ids_support_asks_for() {
    let (client, mock) = mock_client("https://kaltura.invalid");
    let mut answer = HttpResponse::json(
        json!({"objectType": "KalturaAPIException", "code": "ENTRY_ID_NOT_FOUND",
               "message": "Entry id \"0_x\" not found", "args": []})
        .to_string(),
    );
    answer
        .headers
        .insert("X-Me", "pa-front-api7".parse().unwrap());
    answer
        .headers
        .insert("X-Kaltura-Session", "1234567890".parse().unwrap());
    mock.push(answer);
    let Error::Api(e) = client.media().get("0_x").await.unwrap_err() else {
        panic!("an API error")
    };
    assert_eq!(e.code, "ENTRY_ID_NOT_FOUND");
    assert_eq!(e.server(), Some("pa-front-api7"));
    assert_eq!(e.session(), Some("1234567890"));
}
