//! Paging with what the SDK already depends on: `kaltura_client::prelude` brings the
//! stream traits, so a program collects or walks every page without adding
//! `futures-util` (this file imports nothing else for it).

use kaltura_client::prelude::*;
use kaltura_client::transport::{HttpResponse, MockTransport};
use kaltura_client::types::*;
use kaltura_client::Client;
use serde_json::json;

fn page(ids: &[&str], total: usize) -> HttpResponse {
    let objects: Vec<_> = ids
        .iter()
        .map(|id| json!({"objectType": "KalturaMediaEntry", "id": id}))
        .collect();
    HttpResponse::json(
        json!({"objectType": "KalturaMediaListResponse", "totalCount": total, "objects": objects})
            .to_string(),
    )
}

#[tokio::test]
async fn the_prelude_collects_and_walks_every_page() {
    let mock = MockTransport::new();
    let client = Client::builder("https://kaltura.invalid")
        .ks("KS")
        .transport(mock.clone())
        .build()
        .unwrap();
    mock.push(page(&["0_a", "0_b"], 3));
    mock.push(page(&["0_c"], 3));
    let all: Vec<KalturaMediaEntryAny> = client
        .media()
        .list()
        .paginate(2)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = all
        .iter()
        .map(|e| e.base().id.get_or("").to_string())
        .collect();
    assert_eq!(ids, ["0_a", "0_b", "0_c"]);

    mock.push(page(&["0_a"], 1));
    let mut entries = client.media().list().paginate(2);
    let mut seen = 0;
    while let Some(entry) = entries.try_next().await.unwrap() {
        assert_eq!(entry.base().id.get_or(""), "0_a");
        seen += 1;
    }
    assert_eq!(seen, 1);
}
