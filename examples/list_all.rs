//! Every video of the account, however many: id, creation time and name, one a line.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...  # and KALTURA_SERVICE_URL off SaaS
//! cargo run --example list_all > videos.tsv
//! ```
//!
//! The server pages one query only up to its first 10,000 matches; `.paginate(..)`
//! goes on past them by narrowing the filter to windows of `createdAt`, and yields
//! each entry once. A list it cannot narrow ends with `Error::ListTruncated`, never
//! short without a word.

use kaltura_client::prelude::*;
use kaltura_client::types::*;
use kaltura_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // KALTURA_SERVICE_URL, and KALTURA_KS or KALTURA_PARTNER_ID + KALTURA_ADMIN_SECRET.
    let client = Client::from_env().await?;

    let videos = KalturaMediaEntryFilter {
        media_type_equal: KalturaMediaType::Video.into(),
        ..Default::default()
    };
    // 500 a page, the most the server gives.
    let mut entries = client.media().list().filter(videos).paginate(500);
    let mut count = 0u64;
    while let Some(entry) = entries.try_next().await? {
        let e = entry.base();
        println!("{}\t{}\t{}", e.id, e.created_at, e.name);
        count += 1;
    }
    eprintln!("{count} videos");
    Ok(())
}
