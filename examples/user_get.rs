//! A session, then one user read with `user.get`: id, name and email.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...  # and KALTURA_SERVICE_URL off SaaS
//! cargo run --example user_get -- jane@example.com
//! ```

use kaltura_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let user_id = std::env::args().nth(1).ok_or("usage: user_get USER_ID")?;
    // KALTURA_SERVICE_URL, and KALTURA_KS or KALTURA_PARTNER_ID + KALTURA_ADMIN_SECRET.
    let client = Client::from_env().await?;

    // `user.get` answers any kind of user (`KalturaUserAny`); `.base()` reads the
    // properties they all have.
    let user = client.user().get().user_id(user_id).await?;
    let u = user.base();
    println!("{}\t{}\t{}", u.id, u.full_name, u.email);
    Ok(())
}
