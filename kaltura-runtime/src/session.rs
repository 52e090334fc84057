//! The session most programs start with, in one call: an ADMIN KS from `session.start`
//! with the admin secret, set on the client. Other session types, users, privileges
//! and expiries go through the generated `client.session().start(..)`.

use crate::codec::Json;
use crate::error::Error;
use crate::secret::Secret;
use crate::Client;
use serde_json::Map;

impl Client {
    /// Starts an ADMIN session for `partner_id` with its admin secret
    /// (`session.start`), sets its KS on the client for the calls that follow, and
    /// returns it. The secret travels to the server once and is never logged.
    pub async fn start_admin_session(
        &self,
        partner_id: i64,
        admin_secret: impl Into<Secret>,
    ) -> Result<Secret, Error> {
        let secret: Secret = admin_secret.into();
        let mut params = Map::new();
        params.insert("secret".into(), Json::from(secret.expose()));
        params.insert("partnerId".into(), Json::from(partner_id));
        // KalturaSessionType::ADMIN
        params.insert("type".into(), Json::from(2));
        let answer = self
            .call_json("session", "start", params, Vec::new())
            .await?;
        let ks = match answer {
            Json::String(ks) if !ks.is_empty() => Secret::from(ks),
            other => {
                return Err(Error::InvalidInput(format!(
                    "session.start answered without a KS ({})",
                    crate::codec::kind(&other)
                )))
            }
        };
        self.set_ks(ks.clone());
        Ok(ks)
    }
}
