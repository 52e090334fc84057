//! Adds custom metadata to an entry: one field's value, in the XML of a metadata
//! profile the account has (Settings > Custom Data in the management console).
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...  # and KALTURA_SERVICE_URL off SaaS
//! cargo run --example custom_metadata -- 0_abc123 4321 Topic "Sea & sky"
//! ```
//!
//! Needs the `metadata` feature of `kaltura-client`.

use kaltura_client::types::*;
use kaltura_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, entry_id, profile_id, field, value] = &args[..] else {
        return Err("usage: custom_metadata ENTRY_ID PROFILE_ID FIELD VALUE".into());
    };
    // KALTURA_SERVICE_URL, and KALTURA_KS or KALTURA_PARTNER_ID + KALTURA_ADMIN_SECRET.
    let client = Client::from_env().await?;

    let value = value.replace('&', "&amp;").replace('<', "&lt;");
    let xml = format!("<metadata><{field}>{value}</{field}></metadata>");
    let (profile_id, kind) = (profile_id.parse::<i64>()?, KalturaMetadataObjectType::Entry);
    let request = client.metadata().add(profile_id, kind, entry_id, xml);
    let added = request.await?;
    println!("metadata {}, version {}:", added.id, added.version);
    println!("{}", added.xml);
    Ok(())
}
