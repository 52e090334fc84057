//! Makes a USER KS locally from the admin secret, without calling the server, and
//! prints what it holds: a session limited to viewing one entry, as a player gets.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...  # KALTURA_USER_ID optional
//! cargo run --example user_ks -- 0_abc123
//! ```
//!
//! The KS itself is a bearer token: print it only where the person who asked sees it.

use kaltura_client::ks::{AdminSecret, KsBuilder, Privileges, SessionType};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let entry_id = std::env::args().nth(1).unwrap_or("0_abc123".into());
    let user_id: String = env("KALTURA_USER_ID").unwrap_or("viewer@example.com".into());
    let secret = AdminSecret::new(env::<String>("KALTURA_ADMIN_SECRET")?)?;
    let ks = KsBuilder::new(env("KALTURA_PARTNER_ID")?, SessionType::User)
        .user_id(user_id)
        .privileges(Privileges::new().view_entry(entry_id))
        .expires_in(3600)
        .generate_v2(&secret)?;

    // Read back with the secret, as the server reads it (a v2 KS is encrypted).
    let fields = ks.validate_now(&secret)?;
    println!("version    {}", fields.version());
    println!("partner    {}", fields.partner_id());
    println!("type       {}", fields.session_type());
    println!("user       {}", fields.user_id());
    println!("privileges {}", fields.privileges());
    println!("expires    {}", fields.valid_until());
    Ok(())
}

/// A setting from the environment; errors name the variable.
fn env<T: std::str::FromStr>(name: &str) -> Result<T, String> {
    let value = std::env::var(name).map_err(|_| format!("set {name} (see {})", file!()))?;
    value.parse().map_err(|_| format!("{name} is not valid"))
}
