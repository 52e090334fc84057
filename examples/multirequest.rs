//! Several calls in one HTTP request, later ones using earlier results: list the
//! newest entry, then read it and count its flavors, in one round trip.
//!
//! ```sh
//! KALTURA_PARTNER_ID=... KALTURA_ADMIN_SECRET=... cargo run --example multirequest
//! ```

mod common;

use common::{Env, Result};
use kaltura_client::types::*;

fn main() -> std::process::ExitCode {
    common::main_with(run)
}

async fn run() -> Result {
    let env = Env::from_env()?;
    let client = env.admin_client().await?;

    let mut mr = client.multirequest();
    let newest = mr.add(
        client
            .media()
            .list()
            .filter(KalturaMediaEntryFilter {
                order_by: KalturaMediaEntryOrderBy::CreatedAtDesc.to_string().into(),
                ..Default::default()
            })
            .pager(KalturaFilterPager {
                page_size: 1.into(),
                ..Default::default()
            }),
    );
    // `{1:result:objects:0:id}`: the server fills in the id listed by the first call.
    let first_id = newest.path(["objects", "0", "id"]);
    let entry = mr.add(client.media().get(first_id.clone()));
    let flavors = mr.add(
        client
            .flavor_asset()
            .list()
            .filter(KalturaFlavorAssetFilter {
                entry_id_equal: first_id.into(),
                ..Default::default()
            }),
    );
    let results = mr.await?;

    let total = results.get(&newest)?.total_count.into_option().unwrap_or(0);
    println!("{total} entries in all");
    match results.get(&entry) {
        Ok(KalturaMediaEntryAny::KalturaMediaEntry(e)) => println!(
            "newest: {} ({})",
            e.id.as_deref().unwrap_or("?"),
            e.name.as_deref().unwrap_or("")
        ),
        Ok(other) => println!("newest: a {}", other.object_type()),
        // Each call has its own result: one failing leaves the others be.
        Err(e) => println!("reading the newest entry failed: {e}"),
    }
    match results.get(&flavors) {
        Ok(list) => println!(
            "it has {} flavors",
            list.total_count.into_option().unwrap_or(0)
        ),
        Err(e) => println!("listing its flavors failed: {e}"),
    }
    Ok(())
}
