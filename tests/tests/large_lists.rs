//! Lists longer than the server pages one query (10,000 matches), against a stand-in
//! that pages, sorts, narrows and refuses as the server's search index does
//! (`kaltura_tests::big_list`): `.paginate(..)` and `paginate_json` come back whole,
//! each object once, or end with `Error::ListTruncated` where the list cannot be
//! narrowed, never short without a word.

use futures_util::{StreamExt, TryStreamExt};
use kaltura_client::types::*;
use kaltura_client::{Client, Error};
use kaltura_runtime::pagination::paginate_json;
use kaltura_tests::big_list::{Catalog, MAX_MATCHES};
use kaltura_tests::standin::{Recorded, StandIn};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

const T0: i64 = 1_700_000_000;

async fn serve(catalog: Catalog) -> StandIn {
    let catalog = Arc::new(catalog);
    StandIn::start(move |req| catalog.answer(req)).await
}

fn client(server: &StandIn) -> Client {
    Client::builder(server.url())
        .proxy(kaltura_client::Proxy::Disabled)
        .timeout(Duration::from_secs(30))
        .ks("KS")
        .build()
        .unwrap()
}

/// 10,500 entries, three to a second, except one run of 700 made in the same second
/// that spans the 10,000th place (and is longer than a page), so that a window ends
/// inside it.
fn catalog() -> Catalog {
    Catalog::new(10_500, |i| match i {
        0..9_700 => T0 + (i / 3) as i64,
        9_700..10_400 => T0 + 5_000,
        _ => T0 + 6_000 + i as i64,
    })
}

fn entry_id(entry: &KalturaMediaEntryAny) -> String {
    entry.base().id.as_ref().cloned().unwrap_or_default()
}

fn created_at(entry: &KalturaMediaEntryAny) -> i64 {
    entry
        .base()
        .created_at
        .as_ref()
        .copied()
        .unwrap_or_default()
}

/// Every id once, and all of them.
fn assert_whole(ids: &[String], catalog_len: usize) {
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "an object came twice");
    assert_eq!(ids.len(), catalog_len, "objects are missing");
}

fn filters(requests: &[Recorded]) -> Vec<Value> {
    requests
        .iter()
        .map(|r| r.json().unwrap()["filter"].clone())
        .collect()
}

fn offsets(requests: &[Recorded]) -> Vec<i64> {
    requests
        .iter()
        .map(|r| {
            let p = &r.json().unwrap()["pager"];
            (p["pageIndex"].as_i64().unwrap() - 1) * p["pageSize"].as_i64().unwrap()
        })
        .collect()
}

#[tokio::test]
async fn a_list_past_10000_comes_back_whole_and_each_object_once() {
    let server = serve(catalog()).await;
    let entries: Vec<KalturaMediaEntryAny> = client(&server)
        .media()
        .list()
        .paginate(500)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = entries.iter().map(entry_id).collect();
    assert_whole(&ids, 10_500);
    // In the order the stream imposed, since none was asked for.
    let times: Vec<i64> = entries.iter().map(created_at).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "sorted by +createdAt"
    );

    let requests = server.requests();
    let filters = filters(&requests);
    // The first page, as asked (no order), said 10,500: it was asked again sorted.
    assert_eq!(filters[0], Value::Null);
    assert_eq!(filters[1], json!({"orderBy": "+createdAt"}));
    // Twenty pages reach the 10,000th object; the next window starts at the last
    // createdAt seen, inside the run of 700.
    assert_eq!(
        filters[21],
        json!({"orderBy": "+createdAt", "createdAtGreaterThanOrEqual": T0 + 5_000})
    );
    assert_eq!(requests.len(), 1 + 20 + 2);
    assert!(
        offsets(&requests).iter().all(|o| *o < MAX_MATCHES as i64),
        "no page was refused"
    );
}

#[tokio::test]
async fn a_page_size_that_does_not_divide_10000_and_a_descending_order() {
    let server = serve(catalog()).await;
    let filter = KalturaMediaEntryFilter {
        order_by: "-createdAt".into(),
        ..Default::default()
    };
    let entries: Vec<KalturaMediaEntryAny> = client(&server)
        .media()
        .list()
        .filter(filter)
        .paginate(300)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = entries.iter().map(entry_id).collect();
    assert_whole(&ids, 10_500);
    let times: Vec<i64> = entries.iter().map(created_at).collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "the caller's order, -createdAt"
    );

    let requests = server.requests();
    // The caller's order is a window order: no page is asked twice.
    assert_eq!(filters(&requests)[0]["orderBy"], "-createdAt");
    // A window stops before a page would run past the limit (33 × 300 = 9,900).
    assert!(offsets(&requests)
        .iter()
        .all(|o| o + 300 <= MAX_MATCHES as i64));
    assert!(
        filters(&requests)
            .iter()
            .any(|f| f.get("createdAtLessThanOrEqual").is_some()),
        "windows narrowed with createdAtLessThanOrEqual"
    );
    assert!(filters(&requests)
        .iter()
        .all(|f| f.get("createdAtGreaterThanOrEqual").is_none()));
}

#[tokio::test]
async fn a_list_under_the_limit_is_asked_for_as_before() {
    let server = serve(Catalog::new(1_200, |i| T0 + i as i64)).await;
    let n = client(&server)
        .media()
        .list()
        .filter(KalturaMediaEntryFilter {
            name_like: "clip".into(),
            ..Default::default()
        })
        .paginate(500)
        .count()
        .await;
    assert_eq!(n, 1_200);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for f in filters(&requests) {
        assert_eq!(
            f,
            json!({"objectType": "KalturaMediaEntryFilter", "nameLike": "clip"})
        );
    }
}

#[tokio::test]
async fn a_list_that_cannot_be_narrowed_ends_with_a_typed_error() {
    // Sorted by a property windows cannot follow: the stream lists what one query
    // reaches, then says why it stops.
    let server = serve(catalog()).await;
    let filter = KalturaMediaEntryFilter {
        order_by: "+name".into(),
        ..Default::default()
    };
    let items: Vec<Result<KalturaMediaEntryAny, Error>> = client(&server)
        .media()
        .list()
        .filter(filter)
        .paginate(500)
        .collect()
        .await;
    let (last, listed) = items.split_last().unwrap();
    assert_eq!(listed.len(), MAX_MATCHES);
    assert!(listed.iter().all(Result::is_ok));
    let err = last.as_ref().unwrap_err();
    match err {
        Error::ListTruncated {
            listed,
            total,
            reason,
        } => {
            assert_eq!((*listed, *total), (10_000, Some(10_500)));
            assert!(reason.contains("+name"), "{reason}");
        }
        other => panic!("expected ListTruncated, got {other:?}"),
    }
    assert!(err.to_string().contains("10000 objects of 10500"), "{err}");

    // By name, with no range property known for the filter: the same, from JSON.
    let server = serve(catalog()).await;
    let items: Vec<Result<Value, Error>> = paginate_json(
        &client(&server),
        "media",
        "list",
        serde_json::Map::new(),
        500,
        &[],
    )
    .collect()
    .await;
    assert_eq!(items.len(), MAX_MATCHES + 1);
    let err = items.last().unwrap().as_ref().unwrap_err();
    assert!(
        matches!(err, Error::ListTruncated { reason, .. } if reason.contains("no createdAt or id range")),
        "{err:?}"
    );
    // The refusal at the 10,000th match was what stopped it.
    let requests = server.requests();
    assert_eq!(offsets(&requests).last(), Some(&(MAX_MATCHES as i64)));
}

#[tokio::test]
async fn paginate_json_narrows_with_the_filter_properties_given() {
    let server = serve(catalog()).await;
    let mut params = serde_json::Map::new();
    params.insert(
        "filter".into(),
        json!({"objectType": "KalturaMediaEntryFilter", "orderBy": "+createdAt"}),
    );
    params.insert(
        "pager".into(),
        json!({"objectType": "KalturaFilterPager", "pageSize": 7}),
    );
    let objects: Vec<Value> = paginate_json(
        &client(&server),
        "media",
        "list",
        params,
        500,
        &["createdAtGreaterThanOrEqual", "createdAtLessThanOrEqual"],
    )
    .try_collect()
    .await
    .unwrap();
    let ids: Vec<String> = objects
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    assert_whole(&ids, 10_500);
    let requests = server.requests();
    // The stream's page size, the caller's filter kept (its class included).
    assert_eq!(requests[0].json().unwrap()["pager"]["pageSize"], 500);
    assert!(filters(&requests)
        .iter()
        .all(|f| f["objectType"] == "KalturaMediaEntryFilter"));
}

#[tokio::test]
async fn more_than_10000_objects_in_one_second_cannot_be_walked() {
    let server = serve(Catalog::new(10_200, |_| T0)).await;
    let items: Vec<Result<KalturaMediaEntryAny, Error>> =
        client(&server).media().list().paginate(500).collect().await;
    let err = items.last().unwrap().as_ref().unwrap_err();
    assert!(
        matches!(err, Error::ListTruncated { reason, .. } if reason.contains("share the createdAt")),
        "{err:?}"
    );
    // What came before the error came once.
    let ids: Vec<String> = items
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(entry_id)
        .collect();
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!((ids.len(), unique.len()), (MAX_MATCHES, MAX_MATCHES));
}
