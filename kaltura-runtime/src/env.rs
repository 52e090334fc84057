//! A client's settings from the environment, for scripts, examples and services
//! configured the twelve-factor way:
//!
//! | variable | meaning |
//! |---|---|
//! | `KALTURA_SERVICE_URL` | the server, default `https://www.kaltura.com` |
//! | `KALTURA_KS` | a session to use as it is |
//! | `KALTURA_PARTNER_ID` and `KALTURA_ADMIN_SECRET` | otherwise, start an ADMIN session |
//!
//! Errors name the variable that is missing or wrong, never its value.

use crate::error::Error;
use crate::secret::Secret;
use crate::Client;

/// The default service URL, Kaltura's US cloud.
pub const DEFAULT_SERVICE_URL: &str = "https://www.kaltura.com";

/// What the environment says about the server and the session.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EnvSettings {
    pub service_url: String,
    pub session: EnvSession,
}

/// Where the session comes from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum EnvSession {
    /// `KALTURA_KS`.
    Ks(Secret),
    /// `KALTURA_PARTNER_ID` and `KALTURA_ADMIN_SECRET`: an ADMIN session to start.
    Admin { partner_id: i64, secret: Secret },
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl EnvSettings {
    /// Reads the variables; an error names what is missing or wrong.
    pub fn read() -> Result<Self, Error> {
        let service_url = var("KALTURA_SERVICE_URL").unwrap_or_else(|| DEFAULT_SERVICE_URL.into());
        let session = match var("KALTURA_KS") {
            Some(ks) => EnvSession::Ks(Secret::from(ks)),
            None => {
                let missing = |name: &str| {
                    Error::InvalidInput(format!(
                        "set {name} (or KALTURA_KS to use a session you have)"
                    ))
                };
                let partner =
                    var("KALTURA_PARTNER_ID").ok_or_else(|| missing("KALTURA_PARTNER_ID"))?;
                let partner_id = partner.trim().parse().map_err(|_| {
                    Error::InvalidInput("KALTURA_PARTNER_ID must be a number".into())
                })?;
                let secret =
                    var("KALTURA_ADMIN_SECRET").ok_or_else(|| missing("KALTURA_ADMIN_SECRET"))?;
                EnvSession::Admin {
                    partner_id,
                    secret: Secret::from(secret),
                }
            }
        };
        Ok(EnvSettings {
            service_url,
            session,
        })
    }

    /// Puts the session on `client`: the KS as it is, or an ADMIN session started with
    /// the admin secret.
    pub async fn start(&self, client: &Client) -> Result<(), Error> {
        match &self.session {
            EnvSession::Ks(ks) => client.set_ks(ks.clone()),
            EnvSession::Admin { partner_id, secret } => {
                client
                    .start_admin_session(*partner_id, secret.clone())
                    .await?;
            }
        }
        Ok(())
    }
}
