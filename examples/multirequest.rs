//! One multirequest: update an entry's description and clear its reference id, find
//! a category by tag and link two entries to it; then each call's outcome.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...  # and KALTURA_SERVICE_URL off SaaS
//! cargo run --example multirequest -- 0_abc123 0_def456 featured
//! ```
//!
//! Each call succeeds or fails on its own: one error leaves the others be.

use kaltura_client::types::*;
use kaltura_client::{Client, Field};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, entry_id, other_entry_id, tag] = &args[..] else {
        return Err("usage: multirequest ENTRY_ID OTHER_ENTRY_ID CATEGORY_TAG".into());
    };
    // KALTURA_SERVICE_URL, and KALTURA_KS or KALTURA_PARTNER_ID + KALTURA_ADMIN_SECRET.
    let client = Client::from_env().await?;

    let mut mr = client.multirequest();
    let changes = KalturaMediaEntry {
        description: "Updated from Rust".into(),
        reference_id: Field::Null, // cleared on the server
        ..Default::default()
    };
    mr.add(client.media().update(entry_id, changes));
    let filter = KalturaCategoryFilter {
        tags_like: tag.into(),
        ..Default::default()
    };
    let found = mr.add(client.category().list().filter(filter));
    for id in [entry_id, other_entry_id] {
        mr.add(client.category_entry().add(KalturaCategoryEntry {
            entry_id: id.into(),
            // The server puts the id it found here: `{2:result:objects:0:id}`.
            category_id: found.path(("objects", 0, "id")).into(),
            ..Default::default()
        }));
    }
    for item in mr.await?.items() {
        println!("{item}"); // `#3 categoryentry.add: ok`
    }
    Ok(())
}
