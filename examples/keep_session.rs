//! A program that runs for hours: one ADMIN session, kept by the client. It renews the
//! session ten minutes before it expires and, should the server still refuse a KS as
//! expired, starts a new one at once and sends the refused read again, so the loop
//! below never handles sessions itself.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...
//! cargo run --example keep_session -- 300 12   # count the entries every 5 minutes, 12 times
//! ```

use kaltura_client::Client;
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let every: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(300);
    let rounds: u32 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(12);
    let url: String = env("KALTURA_SERVICE_URL").unwrap_or("https://www.kaltura.com".into());
    let partner_id: i64 = env("KALTURA_PARTNER_ID")?;
    let secret: String = env("KALTURA_ADMIN_SECRET")?;
    let client = Client::new(url)?;

    // The client keeps the secret (wiped when dropped) to start the next session.
    let session = client
        .start_admin_session(partner_id, secret)
        .expiry(Duration::from_secs(3600))
        .renew_before(Duration::from_secs(600))
        .await?;
    let renewal = session.renewal().ok_or("no renewal task")?.clone();

    for round in 1..=rounds {
        let page = client.media().list().page_size(1).await?;
        println!(
            "round {round}: {} entries; sessions renewed so far: {}",
            page.total_count,
            renewal.renewals()
        );
        if round < rounds {
            tokio::time::sleep(Duration::from_secs(every)).await;
        }
    }
    Ok(())
}

fn env<T: std::str::FromStr>(name: &str) -> Result<T, String> {
    let value = std::env::var(name).map_err(|_| format!("set {name} (see {})", file!()))?;
    value.parse().map_err(|_| format!("{name} is not valid"))
}
