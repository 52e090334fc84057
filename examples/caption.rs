//! Adds an SRT file to an entry as its English captions.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...  # and KALTURA_SERVICE_URL off SaaS
//! cargo run --example caption -- 0_abc123 captions.srt
//! ```
//!
//! Needs the `caption` feature of `kaltura-client`.

use kaltura_client::types::*;
use kaltura_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, entry_id, path] = &args[..] else {
        return Err("usage: caption ENTRY_ID FILE.srt".into());
    };
    // KALTURA_SERVICE_URL, and KALTURA_KS or KALTURA_PARTNER_ID + KALTURA_ADMIN_SECRET.
    let client = Client::from_env().await?;
    let srt = std::fs::read_to_string(path)?;

    // First the asset (its language and format), then its text.
    let captions = client.caption_asset();
    let asset = KalturaCaptionAsset {
        language: KalturaLanguage::En.into(),
        label: "English".into(),
        format: KalturaCaptionType::Srt.into(),
        ..Default::default()
    };
    let asset = captions.add(entry_id, asset).await?;
    let asset_id = asset.id.required("id")?;
    let content = KalturaStringResource {
        content: srt.into(),
        ..Default::default()
    };
    captions.set_content(&asset_id, content).await?;
    println!("caption {asset_id} added to {entry_id}");
    Ok(())
}
