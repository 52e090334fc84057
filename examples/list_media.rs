//! Lists media entries matching a filter, page by page, as one stream.
//!
//! ```sh
//! KALTURA_PARTNER_ID=... KALTURA_ADMIN_SECRET=... cargo run --example list_media -- intro
//! ```
//!
//! The optional argument is matched against entry names (`nameLike`).

mod common;

use common::{Env, Result};
use futures_util::TryStreamExt;
use kaltura_client::types::*;

fn main() -> std::process::ExitCode {
    common::main_with(run)
}

async fn run() -> Result {
    let env = Env::from_env()?;
    let client = env.admin_client().await?;

    let mut filter = KalturaMediaEntryFilter {
        media_type_equal: KalturaMediaType::Video.into(),
        order_by: KalturaMediaEntryOrderBy::CreatedAtDesc.to_string().into(),
        ..Default::default()
    };
    if let Some(name) = std::env::args().nth(1) {
        filter.name_like = name.into();
    }

    // 50 entries per request; the stream asks for the next page when it needs it.
    let mut entries = client.media().list().filter(filter).paginate(50);
    let mut shown = 0;
    while let Some(entry) = entries.try_next().await? {
        // Any subclass (a live stream, ...) read through the properties it shares.
        let e = entry.to_base();
        println!(
            "{}\t{}",
            e.id.as_deref().unwrap_or("?"),
            e.name.as_deref().unwrap_or("")
        );
        shown += 1;
        if shown == 200 {
            println!("(stopping after 200)");
            break;
        }
    }
    println!("{shown} entries");
    Ok(())
}
