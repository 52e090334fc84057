//! Acting for another partner (impersonation): a parent partner's session, calls
//! made with `partnerId` set to a child partner.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=<parent> KALTURA_ADMIN_SECRET=<parent's secret>
//! KALTURA_CHILD_PARTNER_ID=<child> cargo run --example impersonation
//! ```
//!
//! The server allows it only where the parent manages the child (a multi-account or
//! VAR setup); otherwise it answers with an API error, which this example prints.

use kaltura_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let child: i64 = env("KALTURA_CHILD_PARTNER_ID")?;
    // KALTURA_SERVICE_URL, and KALTURA_KS or KALTURA_PARTNER_ID + KALTURA_ADMIN_SECRET.
    let client = Client::from_env().await?;

    // One call on behalf of the child...
    match client.media().count().with_partner_id(child).await {
        Ok(n) => println!("partner {child} has {n} media entries"),
        Err(e) => println!("acting for partner {child} was refused: {e}"),
    }

    // ...or every call from now on, until it is switched off.
    client.set_partner_id(Some(child));
    let info = client.partner().get().await;
    client.set_partner_id(None);
    match info {
        Ok(partner) => println!("partner {child} is named {}", partner.name),
        Err(e) => println!("reading partner {child} was refused: {e}"),
    }

    // Back to the parent's own account.
    let own = client.media().count().await?;
    println!("our own account has {own} media entries");
    Ok(())
}

/// A setting from the environment; errors name the variable.
fn env<T: std::str::FromStr>(name: &str) -> Result<T, String> {
    let value = std::env::var(name).map_err(|_| format!("set {name} (see {})", file!()))?;
    value.parse().map_err(|_| format!("{name} is not valid"))
}
