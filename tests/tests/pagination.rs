//! `.paginate(page_size)` through the mock transport: which pages are asked for, with
//! what pager and filter, and when the stream stops.

use futures_util::{StreamExt, TryStreamExt};
use kaltura_client::services::MediaListRequest;
use kaltura_client::transport::{HttpResponse, MockTransport};
use kaltura_client::types::*;
use kaltura_client::{Client, Error};
use serde_json::{json, Value};

fn mock_client() -> (Client, MockTransport) {
    let mock = MockTransport::new();
    let client = Client::builder("https://kaltura.invalid")
        .ks("KS")
        .transport(mock.clone())
        .build()
        .unwrap();
    (client, mock)
}

/// A `media.list` answer with these entry ids, and `totalCount` when given.
fn page(ids: &[&str], total: Option<u64>) -> HttpResponse {
    let objects: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "objectType": "KalturaMediaEntry"}))
        .collect();
    let mut body = json!({"objects": objects, "objectType": "KalturaMediaListResponse"});
    if let Some(t) = total {
        body["totalCount"] = json!(t);
    }
    HttpResponse::json(body.to_string())
}

fn id(entry: &KalturaMediaEntryAny) -> String {
    match entry {
        KalturaMediaEntryAny::KalturaMediaEntry(e) => e.id.as_ref().cloned().unwrap_or_default(),
        other => panic!("unexpected {}", other.object_type()),
    }
}

/// The `(pageIndex, pageSize)` of every request sent.
fn pagers(mock: &MockTransport) -> Vec<(Value, Value)> {
    mock.requests()
        .iter()
        .map(|r| {
            let p = &r.json().unwrap()["pager"];
            (p["pageIndex"].clone(), p["pageSize"].clone())
        })
        .collect()
}

#[tokio::test]
async fn three_pages_end_on_the_short_one() {
    let (client, mock) = mock_client();
    mock.on("media.list", page(&["a", "b"], Some(100)));
    mock.on("media.list", page(&["c", "d"], Some(100)));
    mock.on("media.list", page(&["e"], Some(100)));
    mock.on("media.list", page(&["never"], Some(100)));
    let entries: Vec<_> = client
        .media()
        .list()
        .paginate(2)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = entries.iter().map(id).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    // A short page ends the stream even when totalCount promises more.
    assert_eq!(mock.requests().len(), 3);
}

#[tokio::test]
async fn a_full_last_page_ends_at_total_count() {
    let (client, mock) = mock_client();
    mock.on("media.list", page(&["a", "b"], Some(4)));
    mock.on("media.list", page(&["c", "d"], Some(4)));
    mock.on("media.list", page(&[], Some(4)));
    let entries: Vec<_> = client
        .media()
        .list()
        .paginate(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(entries.len(), 4);
    assert_eq!(
        mock.requests().len(),
        2,
        "no page past totalCount is asked for"
    );

    // Without totalCount, a full page asks for the next, and an empty one ends it.
    let (client, mock) = mock_client();
    mock.on("media.list", page(&["a", "b"], None));
    mock.on("media.list", page(&[], None));
    let entries: Vec<_> = client
        .media()
        .list()
        .paginate(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(mock.requests().len(), 2);

    // An empty list is one request.
    let (client, mock) = mock_client();
    mock.on("media.list", page(&[], Some(0)));
    let entries: Vec<_> = client
        .media()
        .list()
        .paginate(50)
        .try_collect()
        .await
        .unwrap();
    assert!(entries.is_empty());
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn the_page_size_and_a_one_based_index_are_sent() {
    let (client, mock) = mock_client();
    mock.on("media.list", page(&["a", "b", "c"], None));
    mock.on("media.list", page(&["d", "e", "f"], None));
    mock.on("media.list", page(&["g"], None));
    // A pager the caller set keeps its other settings; index and size are the stream's.
    let request = client.media().list().pager(KalturaFilterPager {
        page_index: 7.into(),
        page_size: 500.into(),
        ..Default::default()
    });
    let n = request.paginate(3).count().await;
    assert_eq!(n, 7);
    assert_eq!(
        pagers(&mock),
        [
            (json!(1), json!(3)),
            (json!(2), json!(3)),
            (json!(3), json!(3)),
        ]
    );
    let pager = &mock.requests()[0].json().unwrap()["pager"];
    assert_eq!(pager["objectType"], "KalturaFilterPager");
}

#[tokio::test]
async fn an_error_mid_stream_is_yielded_and_ends_it() {
    let (client, mock) = mock_client();
    mock.on("media.list", page(&["a", "b"], Some(10)));
    mock.on(
        "media.list",
        HttpResponse::json(
            r#"{"code": "INVALID_KS", "message": "Invalid KS", "objectType": "KalturaAPIException"}"#,
        ),
    );
    mock.on("media.list", page(&["c", "d"], Some(10)));
    let items: Vec<Result<KalturaMediaEntryAny, Error>> =
        client.media().list().paginate(2).collect().await;
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[1].is_ok());
    assert_eq!(items[2].as_ref().unwrap_err().code(), Some("INVALID_KS"));
    assert_eq!(mock.requests().len(), 2, "nothing is asked after the error");
}

#[tokio::test]
async fn the_filter_goes_with_every_page() {
    let (client, mock) = mock_client();
    mock.on("media.list", page(&["a", "b"], Some(5)));
    mock.on("media.list", page(&["c", "d"], Some(5)));
    mock.on("media.list", page(&["e"], Some(5)));
    let filter = KalturaMediaEntryFilter {
        name_like: "intro".into(),
        media_type_equal: KalturaMediaType::Video.into(),
        order_by: "+createdAt".into(),
        ..Default::default()
    };
    let request = MediaListRequest::new().filter(filter);
    let n = client
        .paginate(request, 2)
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len();
    assert_eq!(n, 5);
    let filters: Vec<Value> = mock
        .requests()
        .iter()
        .map(|r| r.json().unwrap()["filter"].clone())
        .collect();
    assert_eq!(filters.len(), 3);
    let expected = json!({
        "objectType": "KalturaMediaEntryFilter",
        "orderBy": "+createdAt",
        "nameLike": "intro",
        "mediaTypeEqual": 1,
    });
    for f in &filters {
        let mut keys: Vec<_> = f.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            ["mediaTypeEqual", "nameLike", "objectType", "orderBy"]
        );
        for (k, v) in expected.as_object().unwrap() {
            assert_eq!(&f[k], v, "{k} on every page");
        }
    }
}

#[tokio::test]
async fn a_request_without_a_client_says_how_to_page_it() {
    let mut stream = MediaListRequest::new().paginate(10);
    let err = stream.next().await.unwrap().unwrap_err();
    assert!(err.to_string().contains("client.paginate"), "{err}");
    assert!(stream.next().await.is_none());
}
