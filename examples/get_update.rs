//! One multirequest that reads an entry and updates it from what it read: the
//! update's entry id and new description are the first call's result.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...  # and KALTURA_SERVICE_URL off SaaS
//! cargo run --example get_update -- 0_abc123
//! ```

use kaltura_client::types::*;
use kaltura_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let entry_id = std::env::args()
        .nth(1)
        .ok_or("usage: get_update ENTRY_ID")?;
    // KALTURA_SERVICE_URL, and KALTURA_KS or KALTURA_PARTNER_ID + KALTURA_ADMIN_SECRET.
    let client = Client::from_env().await?;

    let mut mr = client.multirequest();
    let entry = mr.add(client.media().get(entry_id));
    // The server fills in `{1:result:id}` and `{1:result:name}` before the update runs.
    let changes = KalturaMediaEntry {
        description: entry.field("name").into(),
        tags: "reviewed".into(),
        ..Default::default()
    };
    let update = mr.add(client.media().update(entry.field("id"), changes));
    let results = mr.await?;
    let updated = results.get(&update)?;
    let e = updated.base();
    println!("{}\t{}\t{}", e.id, e.description, e.tags);
    Ok(())
}
