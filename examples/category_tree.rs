//! Every category of the account as a tree: one a line, indented by its depth, with
//! its id and how many entries it holds.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...  # and KALTURA_SERVICE_URL off SaaS
//! cargo run --example category_tree
//! ```

use kaltura_client::prelude::*;
use kaltura_client::types::*;
use kaltura_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // KALTURA_SERVICE_URL, and KALTURA_KS or KALTURA_PARTNER_ID + KALTURA_ADMIN_SECRET.
    let client = Client::from_env().await?;

    // Sorted by full name (`News>Sports>...`), a parent comes just before its children.
    let filter = KalturaCategoryFilter {
        order_by: KalturaCategoryOrderBy::FullNameAsc.into(),
        ..Default::default()
    };
    let mut categories = client.category().list().filter(filter).paginate(500);
    while let Some(c) = categories.try_next().await? {
        let indent = "  ".repeat(c.depth.copied().unwrap_or(0) as usize);
        println!("{indent}{} ({}, {} entries)", c.name, c.id, c.entries_count);
    }
    Ok(())
}
