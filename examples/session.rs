//! Getting a KS from the server: an ADMIN session for back-office work, and a USER
//! session with narrow privileges, the kind to hand to a player or a front end.
//!
//! ```sh
//! KALTURA_PARTNER_ID=... KALTURA_ADMIN_SECRET=... cargo run --example session
//! ```
//!
//! The KS itself is never printed: it is a bearer token.

mod common;

use common::{Env, Result};
use kaltura_client::ks::Ks;
use kaltura_client::types::KalturaSessionType;

fn main() -> std::process::ExitCode {
    common::main_with(run)
}

/// Says what a KS is without showing it.
fn describe(ks: &str) -> String {
    match Ks::new(ks).inspect() {
        Ok(info) => format!(
            "a {} KS of {} characters for partner {}",
            info.version(),
            ks.len(),
            info.partner_id()
        ),
        Err(e) => format!(
            "a token of {} characters the client cannot read ({e})",
            ks.len()
        ),
    }
}

async fn run() -> Result {
    let env = Env::from_env()?;
    let client = env.client()?;

    // 1. An ADMIN session: full rights on the account. Keep it on the server side.
    let admin = client
        .session()
        .start(env.admin_secret.clone())
        .partner_id(env.partner_id)
        .user_id(env.user_id.as_str())
        .r#type(KalturaSessionType::Admin)
        .expiry(3600)
        .await?;
    println!("admin session: {}", describe(&admin));

    // 2. A USER session that may only view entries, for one hour.
    let viewer = client
        .session()
        .start(env.admin_secret.clone())
        .partner_id(env.partner_id)
        .user_id("viewer@example.com")
        .r#type(KalturaSessionType::User)
        .privileges("sview:*")
        .expiry(3600)
        .await?;
    println!("viewer session: {}", describe(&viewer));

    // Every later call of this client carries the admin KS.
    client.set_ks(admin);
    let count = client.media().count().await?;
    println!("the account has {count} media entries");
    Ok(())
}
