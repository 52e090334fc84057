//! Making a KS locally from the admin secret, without a call to the server: a USER
//! session limited to viewing one entry, for a player. Then the token is read back
//! and checked, and used for one call.
//!
//! ```sh
//! KALTURA_PARTNER_ID=... KALTURA_ADMIN_SECRET=... cargo run --example local_ks -- 0_entryid
//! ```

mod common;

use common::{Env, Result};
use kaltura_client::ks::{AdminSecret, KsBuilder, Privileges, SessionType};

fn main() -> std::process::ExitCode {
    common::main_with(run)
}

async fn run() -> Result {
    let env = Env::from_env()?;
    let entry_id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "0_example".into());
    let secret = AdminSecret::new(env.admin_secret.expose())?;

    let ks = KsBuilder::new(env.partner_id, SessionType::User)
        .user_id("viewer@example.com")
        .privileges(Privileges::new().view_entry(entry_id.as_str()))
        .expires_in(600)
        .generate_v2(&secret)?;

    // Anyone can read the partner id; the rest needs the secret.
    let fields = ks.validate_now(&secret)?;
    println!(
        "made a {} KS for partner {}, user {:?}, privileges {:?}, valid for {} s",
        fields.version(),
        fields.partner_id(),
        fields.user_id().unwrap_or(""),
        fields.privileges_str().unwrap_or(""),
        fields.time_left().as_secs(),
    );

    // The server accepts it like one it made itself.
    let client = env.client()?;
    client.set_ks(ks);
    match client.media().get(entry_id.as_str()).await {
        Ok(entry) => println!("entry {entry_id} is a {}", entry.object_type()),
        Err(e) => println!("reading entry {entry_id}: {e}"),
    }
    Ok(())
}
