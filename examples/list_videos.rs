//! The 20 newest videos whose name contains a word: id, name, duration and status,
//! then how many match in all.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...  # and KALTURA_SERVICE_URL off SaaS
//! cargo run --example list_videos -- intro
//! ```

use kaltura_client::types::*;
use kaltura_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let word = std::env::args().nth(1).ok_or("usage: list_videos WORD")?;
    // KALTURA_SERVICE_URL, and KALTURA_KS or KALTURA_PARTNER_ID + KALTURA_ADMIN_SECRET.
    let client = Client::from_env().await?;

    let filter = KalturaMediaEntryFilter {
        name_like: word.into(),
        media_type_equal: KalturaMediaType::Video.into(),
        order_by: KalturaMediaEntryOrderBy::CreatedAtDesc.into(),
        ..Default::default()
    };
    let page = client.media().list().filter(filter).page_size(20).await?;
    for entry in &page.objects {
        let e = entry.base();
        // `{:#}` writes an enum by its API name (READY), `{}` by its value (2).
        println!("{}\t{}\t{}s\t{:#}", e.id, e.name, e.duration, e.status);
    }
    println!("{} in all", page.total_count);
    Ok(())
}
