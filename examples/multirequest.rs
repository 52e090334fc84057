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
    let url: String = env("KALTURA_SERVICE_URL").unwrap_or("https://www.kaltura.com".into());
    let client = Client::new(url)?;
    let ks = client
        .session()
        .start(env::<String>("KALTURA_ADMIN_SECRET")?)
        .partner_id(env::<i64>("KALTURA_PARTNER_ID")?)
        .r#type(KalturaSessionType::Admin)
        .await?;
    client.set_ks(ks);

    let mut mr = client.multirequest();
    let changes = KalturaMediaEntry {
        description: "Updated from Rust".into(),
        reference_id: Field::Null, // cleared on the server
        ..Default::default()
    };
    mr.add(client.media().update(entry_id, changes));
    let filter = KalturaCategoryFilter {
        tags_like: tag.as_str().into(),
        ..Default::default()
    };
    // The server puts the id it found into the later calls: `{2:result:objects:0:id}`.
    let category_id = mr
        .add(client.category().list().filter(filter))
        .path(["objects", "0", "id"]);
    for id in [entry_id, other_entry_id] {
        let link = KalturaCategoryEntry {
            entry_id: id.as_str().into(),
            ..Default::default()
        };
        let link = mr.add(client.category_entry().add(link));
        mr.bind(&link, &["categoryEntry", "categoryId"], category_id.clone());
    }
    for item in mr.await?.items() {
        println!("{item}"); // `#3 categoryentry.add: ok`
    }
    Ok(())
}

/// A setting from the environment; errors name the variable.
fn env<T: std::str::FromStr>(name: &str) -> Result<T, String> {
    let value = std::env::var(name).map_err(|_| format!("set {name} (see {})", file!()))?;
    value.parse().map_err(|_| format!("{name} is not valid"))
}
