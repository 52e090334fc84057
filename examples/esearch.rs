//! An eSearch query: entries with a word anywhere in their metadata, captions or
//! cue points, the best matches first.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...  # and KALTURA_SERVICE_URL off SaaS
//! cargo run --example esearch -- intro
//! ```
//!
//! Needs the `elastic_search` feature of `kaltura-client`.

use kaltura_client::types::*;
use kaltura_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let word = std::env::args().nth(1).ok_or("usage: esearch WORD")?;
    // KALTURA_SERVICE_URL, and KALTURA_KS or KALTURA_PARTNER_ID + KALTURA_ADMIN_SECRET.
    let client = Client::from_env().await?;

    // A unified item looks in every field; an operator joins items (one here).
    let item = KalturaESearchUnifiedItem {
        search_term: word.into(),
        item_type: KalturaESearchItemType::Partial.into(),
        ..Default::default()
    };
    let operator = KalturaESearchEntryOperator {
        operator: KalturaESearchOperatorType::AndOp.into(),
        search_items: vec![item.into()].into(),
        ..Default::default()
    };
    let params = KalturaESearchEntryParams {
        search_operator: operator.into(),
        ..Default::default()
    };
    let found = client.e_search().search_entry(params).await?;
    for entry in found.objects.iter().filter_map(|r| r.object.as_ref()) {
        println!("{}\t{}", entry.base().id, entry.base().name);
    }
    println!("{} in all", found.total_count);
    Ok(())
}
