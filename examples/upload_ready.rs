//! Uploads a file into a new video entry and waits until the entry is ready to play.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...  # and KALTURA_SERVICE_URL off SaaS
//! cargo run --example upload_ready -- movie.mp4
//! ```

use kaltura_client::types::*;
use kaltura_client::waiter::Waiter;
use kaltura_client::{Client, UploadOptions, UploadSource};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: upload_ready FILE")?;
    // KALTURA_SERVICE_URL, and KALTURA_KS or KALTURA_PARTNER_ID + KALTURA_ADMIN_SECRET.
    let client = Client::from_env().await?;

    // The file in chunks into an upload token, then an entry with the token as content.
    let token = client
        .upload(UploadSource::path(&path), UploadOptions::new())
        .await?;
    let entry = KalturaMediaEntry {
        name: path.as_str().into(),
        media_type: KalturaMediaType::Video.into(),
        ..Default::default()
    };
    let entry = client.media().add(entry).await?;
    // An error naming `id` if the server sent none, never an empty id sent on.
    let entry_id = entry.base().id.required("id")?;
    let content = KalturaUploadedFileTokenResource {
        token: token.id.into(),
        ..Default::default()
    };
    client
        .media()
        .add_content(&entry_id)
        .resource(content)
        .await?;

    // Fails early if the conversion fails, and after an hour at most.
    let entry = Waiter::<KalturaBaseEntryAny>::entry_ready(&client, &entry_id)
        .timeout(Duration::from_secs(3600))
        .await?;
    println!("{entry_id} is ready: {:#}", entry.base().status);
    Ok(())
}
