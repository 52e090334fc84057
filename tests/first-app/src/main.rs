use kaltura_client::types::*;
use kaltura_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new("https://www.kaltura.com")?;
    match std::env::var("KALTURA_KS") {
        Ok(ks) => client.set_ks(ks),
        Err(_) => {
            let partner_id: i64 = std::env::var("KALTURA_PARTNER_ID")?.parse()?;
            let secret = std::env::var("KALTURA_ADMIN_SECRET")?;
            client.start_admin_session(partner_id, secret).await?;
        }
    }

    let page = client
        .media()
        .list()
        .filter(KalturaMediaEntryFilter {
            name_like: "intro".into(),
            order_by: KalturaMediaEntryOrderBy::CreatedAtDesc.into(),
            ..Default::default()
        })
        .page_size(5)
        .await?;
    for entry in &page.objects {
        let e = entry.base();
        println!("{} {} {:#}", e.id, e.name, e.status); // 0_abc Intro READY
    }
    Ok(())
}
