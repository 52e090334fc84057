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
    let url: String = env("KALTURA_SERVICE_URL").unwrap_or("https://www.kaltura.com".into());
    let client = Client::new(url)?;
    let ks = client
        .session()
        .start(env::<String>("KALTURA_ADMIN_SECRET")?)
        .partner_id(env::<i64>("KALTURA_PARTNER_ID")?)
        .r#type(KalturaSessionType::Admin)
        .await?;
    client.set_ks(ks);

    let filter = KalturaMediaEntryFilter {
        name_like: word.into(),
        media_type_equal: KalturaMediaType::Video.into(),
        order_by: KalturaMediaEntryOrderBy::CreatedAtDesc.into(),
        ..Default::default()
    };
    let pager = KalturaFilterPager {
        page_size: 20.into(),
        ..Default::default()
    };
    let page = client.media().list().filter(filter).pager(pager).await?;
    for entry in &page.objects {
        let e = entry.base();
        // `{:#}` writes an enum by its API name (READY), `{}` by its value (2).
        println!("{}\t{}\t{}s\t{:#}", e.id, e.name, e.duration, e.status);
    }
    println!("{} in all", page.total_count);
    Ok(())
}

/// A setting from the environment; errors name the variable.
fn env<T: std::str::FromStr>(name: &str) -> Result<T, String> {
    let value = std::env::var(name).map_err(|_| format!("set {name} (see {})", file!()))?;
    value.parse().map_err(|_| format!("{name} is not valid"))
}
