//! Waits until an entry is ready to play, printing where it stands after each ask,
//! and stops early when its conversion fails.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...  # and KALTURA_SERVICE_URL off SaaS
//! cargo run --example wait_ready -- 0_abc123 30    # the entry, and minutes to wait at most
//! ```

use kaltura_client::types::*;
use kaltura_client::waiter::{WaitError, Waiter};
use kaltura_client::Client;
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let entry_id = args.next().ok_or("usage: wait_ready ENTRY_ID [MINUTES]")?;
    let minutes: u64 = args.next().map(|m| m.parse()).transpose()?.unwrap_or(30);
    // KALTURA_SERVICE_URL, and KALTURA_KS or KALTURA_PARTNER_ID + KALTURA_ADMIN_SECRET.
    let client = Client::from_env().await?;

    // baseEntry.get every 2 s at first, then 4, 8, ... up to every 30 s.
    let waited = Waiter::<KalturaBaseEntryAny>::entry_ready(&client, &entry_id)
        .timeout(Duration::from_secs(minutes * 60))
        .on_progress(|status, waited| eprintln!("{:>5}s  {status}", waited.as_secs()))
        .await;
    match waited {
        Ok(entry) => {
            let e = entry.base();
            println!("{}\t{}\t{:#}", e.id, e.name, e.status);
            Ok(())
        }
        // ERROR_CONVERTING, ERROR_IMPORTING, DELETED, ...: waiting longer will not help.
        Err(WaitError::Failed { state, .. }) => {
            Err(format!("{entry_id} will not be ready: it is {state}").into())
        }
        Err(WaitError::Timeout { last, .. }) => Err(format!(
            "{entry_id} is not ready after {minutes} minutes; it was {}",
            last.unwrap_or_default()
        )
        .into()),
        // ENTRY_ID_NOT_FOUND, the network, ...
        Err(other) => Err(other.into()),
    }
}
