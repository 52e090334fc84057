//! Served and URL actions of flavor and thumbnail assets through the typed client: a
//! served action's bytes arrive as its `ServedFile`, a URL action's URL delivers the
//! asset's bytes, and each refuses what the server refuses (an unknown asset, an asset
//! not READY yet).

use crate::common;
use common::*;
use kaltura_client::types::*;
use kaltura_client::{Client, Error, Proxy, UploadOptions, UploadSource};
use std::time::Duration;

async fn logged_in(url: &str) -> Client {
    let client = Client::builder(url)
        .proxy(Proxy::Disabled)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    client.set_ks(admin_ks(url).await);
    client
}

fn api_code(e: Error) -> String {
    match e {
        Error::Api(e) => e.code,
        other => panic!("not an API error: {other}"),
    }
}

#[tokio::test]
async fn assets_are_served_and_their_urls_deliver_their_bytes() {
    let mock = builder()
        .ready_after(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let url = mock.url();
    let client = logged_in(&url).await;
    let data: Vec<u8> = (0..70_000u32).map(|i| (i % 241) as u8).collect();
    let token = client
        .upload(
            UploadSource::reader(std::io::Cursor::new(data.clone()), data.len() as u64)
                .file_name("clip.mp4"),
            UploadOptions::new(),
        )
        .await
        .unwrap();
    let entry = client
        .media()
        .add(KalturaMediaEntry {
            name: "served".into(),
            media_type: KalturaMediaType::Video.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let entry_id = entry.base().id.required("id").unwrap();
    client
        .media()
        .add_content(&entry_id)
        .resource(KalturaUploadedFileTokenResource {
            token: token.id.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let by_entry = KalturaAssetFilter {
        entry_id_equal: entry_id.clone().into(),
        ..Default::default()
    };
    let flavors = client
        .flavor_asset()
        .list()
        .filter(by_entry.clone())
        .await
        .unwrap();
    let flavor_id = flavors.objects.required("objects").unwrap()[0]
        .base()
        .id
        .required("id")
        .unwrap();
    // Converting: the flavor is not READY, its URL is refused as the server does.
    let e = client.flavor_asset().get_url(&flavor_id).await.unwrap_err();
    assert_eq!(api_code(e), "FLAVOR_ASSET_IS_NOT_READY");
    tokio::time::sleep(Duration::from_millis(400)).await;

    let link = client.flavor_asset().get_url(&flavor_id).await.unwrap();
    assert!(link.starts_with(&url) && link.ends_with("/a.mp4"), "{link}");
    let got = get(&url, link.trim_start_matches(&url)).await;
    assert_eq!(got.header("Content-Type"), Some("video/mp4"));
    assert_eq!(got.body(), &data[..]);

    let thumbs = client.thumb_asset().list().filter(by_entry).await.unwrap();
    let thumb_id = thumbs.objects.required("objects").unwrap()[0]
        .base()
        .id
        .required("id")
        .unwrap();
    // thumbAsset names its id thumbAssetId in get, serve and delete.
    let got = client.thumb_asset().get(&thumb_id).await.unwrap();
    assert_eq!(got.base().id.required("id").unwrap(), thumb_id);
    let served = client.thumb_asset().serve(&thumb_id).await.unwrap();
    assert_eq!(served.content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(&served.bytes[..], [0xFF, 0xD8, 0xFF, 0xD9]);
    let by_entry = client
        .thumb_asset()
        .serve_by_entry_id(&entry_id)
        .await
        .unwrap();
    assert_eq!(by_entry.bytes, served.bytes);
    let link = client.thumb_asset().get_url(&thumb_id).await.unwrap();
    let got = get(&url, link.trim_start_matches(&url)).await;
    assert_eq!(got.body(), &served.bytes[..]);

    // Unknown assets and entries, each with the server's error.
    let e = client.thumb_asset().serve("0_nothere").await.unwrap_err();
    assert_eq!(api_code(e), "THUMB_ASSET_ID_NOT_FOUND");
    let e = client.thumb_asset().get_url("0_nothere").await.unwrap_err();
    assert_eq!(api_code(e), "THUMB_ASSET_ID_NOT_FOUND");
    let e = client
        .flavor_asset()
        .get_url("0_nothere")
        .await
        .unwrap_err();
    assert_eq!(api_code(e), "FLAVOR_ASSET_ID_NOT_FOUND");
    let e = client
        .thumb_asset()
        .serve_by_entry_id("0_nothere")
        .await
        .unwrap_err();
    assert_eq!(api_code(e), "ENTRY_ID_NOT_FOUND");
    // A deleted asset is gone from its URL too.
    client.thumb_asset().delete(&thumb_id).await.unwrap();
    assert_eq!(get(&url, link.trim_start_matches(&url)).await.status(), 404);
}
