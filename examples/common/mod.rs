//! Settings shared by the examples, read from the environment:
//!
//! | variable | meaning |
//! |---|---|
//! | `KALTURA_SERVICE_URL` | the server, default `https://www.kaltura.com` |
//! | `KALTURA_PARTNER_ID` | your partner id (required) |
//! | `KALTURA_ADMIN_SECRET` | the partner's admin secret (KMC > Settings > Integration) |
//! | `KALTURA_USER_ID` | the user the sessions are for, default `examples@kaltura-rs` |
//!
//! Every example runs against a real server or a local stand-in alike.
#![allow(dead_code)]

use kaltura_client::types::KalturaSessionType;
use kaltura_client::{Client, Secret};

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

pub struct Env {
    pub service_url: String,
    pub partner_id: i64,
    pub admin_secret: Secret,
    pub user_id: String,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Env {
    /// Reads the settings, saying which variable is missing or wrong.
    pub fn from_env() -> Result<Env> {
        let partner_id = var("KALTURA_PARTNER_ID")
            .ok_or("set KALTURA_PARTNER_ID to your partner id (a number)")?;
        let partner_id = partner_id
            .trim()
            .parse()
            .map_err(|_| format!("KALTURA_PARTNER_ID must be a number, not `{partner_id}`"))?;
        let admin_secret = var("KALTURA_ADMIN_SECRET").ok_or(
            "set KALTURA_ADMIN_SECRET to the partner's admin secret \
             (KMC > Settings > Integration Settings)",
        )?;
        Ok(Env {
            service_url: var("KALTURA_SERVICE_URL")
                .unwrap_or_else(|| "https://www.kaltura.com".into()),
            partner_id,
            admin_secret: Secret::new(admin_secret),
            user_id: var("KALTURA_USER_ID").unwrap_or_else(|| "examples@kaltura-rs".into()),
        })
    }

    /// A client for the service, with no session yet.
    pub fn client(&self) -> Result<Client> {
        Ok(Client::builder(&self.service_url)
            .client_tag("kaltura-rs-examples")
            .build()?)
    }

    /// A client carrying an ADMIN session made by the server (`session.start`).
    pub async fn admin_client(&self) -> Result<Client> {
        let client = self.client()?;
        let ks = client
            .session()
            .start(self.admin_secret.clone())
            .partner_id(self.partner_id)
            .user_id(self.user_id.as_str())
            .r#type(KalturaSessionType::Admin)
            .expiry(3600)
            .await?;
        client.set_ks(ks);
        Ok(client)
    }
}

/// Runs an example's `run` on a tokio runtime and turns its error into exit code 1.
pub fn main_with<F>(run: impl FnOnce() -> F) -> std::process::ExitCode
where
    F: std::future::Future<Output = Result>,
{
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
