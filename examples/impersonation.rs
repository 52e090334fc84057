//! Acting for another partner (impersonation): a parent partner's session, calls
//! made with `partnerId` set to a child partner.
//!
//! ```sh
//! KALTURA_PARTNER_ID=<parent> KALTURA_ADMIN_SECRET=<parent's secret> \
//! KALTURA_CHILD_PARTNER_ID=<child> cargo run --example impersonation
//! ```
//!
//! The server allows it only where the parent manages the child (a multi-account or
//! VAR setup); otherwise it answers with an API error, which this example prints.

mod common;

use common::{Env, Result};

fn main() -> std::process::ExitCode {
    common::main_with(run)
}

async fn run() -> Result {
    let env = Env::from_env()?;
    let child: i64 = std::env::var("KALTURA_CHILD_PARTNER_ID")
        .map_err(|_| "set KALTURA_CHILD_PARTNER_ID to the partner to act for")?
        .trim()
        .parse()
        .map_err(|_| "KALTURA_CHILD_PARTNER_ID must be a number")?;
    let client = env.admin_client().await?;

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
        Ok(p) => println!(
            "partner {child} is named {:?}",
            p.name.as_deref().unwrap_or("")
        ),
        Err(e) => println!("reading partner {child} was refused: {e}"),
    }

    // Back to the parent's own account.
    let own = client.media().count().await?;
    println!("partner {} has {own} media entries", env.partner_id);
    Ok(())
}
