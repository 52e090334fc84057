use kaltura_client::types::*;
use kaltura_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // KALTURA_SERVICE_URL, and KALTURA_KS or KALTURA_PARTNER_ID + KALTURA_ADMIN_SECRET.
    let client = Client::from_env().await?;

    let filter = KalturaMediaEntryFilter {
        name_like: "intro".into(),
        order_by: KalturaMediaEntryOrderBy::CreatedAtDesc.into(),
        ..Default::default()
    };
    let page = client.media().list().filter(filter).page_size(5).await?;
    for entry in &page.objects {
        let e = entry.base();
        println!("{} {} {:#}", e.id, e.name, e.status); // 0_abc Intro READY
    }
    Ok(())
}
