//! A profile's session kept between runs: `$XDG_CACHE_HOME/kaltura/sessions/NAME.json`,
//! readable by its owner only. The expiry is stored beside the KS because a v2 KS
//! hides it from anyone without the admin secret.

use crate::error::{CliError, Result};
use crate::profile::{cache_dir, write_private};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Cached {
    pub ks: String,
    /// Unix seconds.
    pub expiry: i64,
    /// Unix seconds, when the session was started.
    pub created: i64,
    /// The server and partner it was made for: a KS is never sent anywhere else.
    pub service_url: String,
    pub partner_id: Option<i64>,
}

impl Cached {
    /// Renewal starts a tenth of the lifetime before expiry, at most a minute and at
    /// least a second before, so a call does not set out with a KS about to lapse.
    pub fn margin(&self) -> i64 {
        ((self.expiry - self.created) / 10).clamp(1, 60)
    }

    pub fn usable_at(&self, now: i64) -> bool {
        self.expiry - self.margin() > now
    }

    pub fn fits(&self, service_url: &str, partner_id: Option<i64>) -> bool {
        self.service_url.trim_end_matches('/') == service_url.trim_end_matches('/')
            && (partner_id.is_none() || self.partner_id.is_none() || self.partner_id == partner_id)
    }
}

fn path(profile: &str) -> Result<PathBuf> {
    Ok(cache_dir()?
        .join("sessions")
        .join(format!("{profile}.json")))
}

/// The cached session; an unreadable or damaged cache counts as none, and so does one
/// others may read (its KS may have been seen, or planted).
pub fn load(profile: &str) -> Option<Cached> {
    let path = path(profile).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            eprintln!(
                "warning: ignoring the cached session in {}: others may read it (mode {:o})",
                path.display(),
                mode & 0o777
            );
            return None;
        }
    }
    let text = std::fs::read_to_string(&path).ok()?;
    serde_json::from_str(&text).ok()
}

pub fn store(profile: &str, cached: &Cached) -> Result<()> {
    let text = serde_json::to_vec(cached)
        .map_err(|e| CliError::Local(format!("cannot cache the session: {e}")))?;
    write_private(&path(profile)?, &text)
}

pub fn remove(profile: &str) -> Result<()> {
    let p = path(profile)?;
    match std::fs::remove_file(&p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(CliError::Local(format!(
            "cannot remove {}: {e}",
            p.display()
        ))),
    }
}

/// The expiry written in the KS when it can be read (v1 without a secret, v2 with
/// it), else `fallback`.
pub fn expiry_of(ks: &str, secret: Option<&kaltura_ks::AdminSecret>, fallback: i64) -> i64 {
    let ks = kaltura_ks::Ks::from(ks.to_string());
    if let Some(secret) = secret {
        if let Ok(fields) = ks.decode(secret) {
            return fields.valid_until();
        }
    }
    match ks.inspect() {
        Ok(kaltura_ks::Inspection::V1(fields)) => fields.valid_until(),
        _ => fallback,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_margin() {
        let c = Cached {
            ks: String::new(),
            expiry: 1000,
            created: 0,
            service_url: "http://h/".into(),
            partner_id: Some(1),
        };
        assert_eq!(c.margin(), 60);
        assert!(c.usable_at(939));
        assert!(!c.usable_at(940));
        assert!(c.fits("http://h", Some(1)));
        assert!(!c.fits("http://other", Some(1)));
        assert!(!c.fits("http://h", Some(2)));
        let short = Cached { expiry: 4, ..c };
        assert_eq!(short.margin(), 1);
    }
}
