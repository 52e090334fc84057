//! Getting a KS from the server: an ADMIN session for back-office work, and a USER
//! session with narrow privileges, the kind to hand to a player or a front end.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...  # KALTURA_USER_ID optional
//! cargo run --example session
//! ```
//!
//! The KS itself is never printed: it is a bearer token.

use kaltura_client::ks::Ks;
use kaltura_client::types::KalturaSessionType;
use kaltura_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url: String = env("KALTURA_SERVICE_URL").unwrap_or("https://www.kaltura.com".into());
    let partner_id: i64 = env("KALTURA_PARTNER_ID")?;
    let secret: String = env("KALTURA_ADMIN_SECRET")?;
    let user_id: String = env("KALTURA_USER_ID").unwrap_or("examples@kaltura-rs".into());
    let client = Client::new(url)?;

    // An ADMIN session: full rights on the account. Keep it on the server side.
    let admin = client
        .session()
        .start(&secret)
        .partner_id(partner_id)
        .user_id(user_id)
        .r#type(KalturaSessionType::Admin)
        .expiry(3600)
        .await?;
    println!("admin session: {}", describe(&admin));

    // A USER session that may only view entries, for one hour.
    let viewer = client
        .session()
        .start(&secret)
        .partner_id(partner_id)
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

/// Says what a KS is without showing it (anyone can read its version and partner).
fn describe(ks: &str) -> String {
    match Ks::new(ks).inspect() {
        Ok(info) => format!(
            "a {} KS of {} characters for partner {}",
            info.version(),
            ks.len(),
            info.partner_id()
        ),
        Err(e) => format!(
            "a token of {} characters that cannot be read ({e})",
            ks.len()
        ),
    }
}

/// A setting from the environment; errors name the variable.
fn env<T: std::str::FromStr>(name: &str) -> Result<T, String> {
    let value = std::env::var(name).map_err(|_| format!("set {name} (see {})", file!()))?;
    value.parse().map_err(|_| format!("{name} is not valid"))
}
