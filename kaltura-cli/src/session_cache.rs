//! A profile's session kept between runs: `$XDG_CACHE_HOME/kaltura/sessions/NAME.json`,
//! readable by its owner only. The expiry is stored beside the KS because a v2 KS
//! hides it from anyone without the admin secret.

use crate::dirs::cache_dir;
use crate::error::{CliError, Purpose, Result};
use crate::safe_fs::write_private;
use kaltura_runtime::Secret;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::PathBuf;

/// `Debug` shows no KS: it is a [`Secret`], wiped from memory when dropped.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Cached {
    #[serde(with = "secret_text")]
    pub ks: Secret,
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

/// A [`Secret`] stored as a plain JSON string.
mod secret_text {
    use kaltura_runtime::Secret;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(secret: &Secret, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(secret.expose())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

fn path(profile: &str) -> Result<PathBuf> {
    Ok(cache_dir()?
        .join("sessions")
        .join(format!("{profile}.json")))
}

/// The cached session; an unreadable or damaged cache counts as none, and so does one
/// others may read (its KS may have been seen) or another user's (planted). The
/// checks are made on the file opened, not on a path that could change in between.
pub fn load(profile: &str) -> Option<Cached> {
    let path = path(profile).ok()?;
    let mut file = std::fs::File::open(&path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = file.metadata().ok()?;
        if meta.uid() != crate::safe_fs::current_uid() {
            eprintln!(
                "warning: ignoring the cached session in {}: it belongs to another user",
                path.display()
            );
            return None;
        }
        let mode = meta.mode();
        if mode & 0o077 != 0 {
            eprintln!(
                "warning: ignoring the cached session in {}: others may read it (mode {:o})",
                path.display(),
                mode & 0o777
            );
            return None;
        }
    }
    let mut text = String::new();
    let read = file.read_to_string(&mut text);
    let text = Secret::new(text);
    read.ok()?;
    serde_json::from_str(text.expose()).ok()
}

/// Whether a session could be kept: a cache folder open to others is refused before
/// a secret is sent for a session, not after.
pub fn check_folder() -> Result<()> {
    let dir = cache_dir()?.join("sessions");
    if dir.exists() {
        crate::safe_fs::check_folder(&dir, Purpose::SessionCache)?;
    }
    Ok(())
}

pub fn store(profile: &str, cached: &Cached) -> Result<()> {
    let text = serde_json::to_string(cached)
        .map(Secret::new)
        .map_err(|e| CliError::Local(format!("cannot cache the session: {e}")))?;
    write_private(
        &path(profile)?,
        text.expose().as_bytes(),
        Purpose::SessionCache,
    )
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
            ks: Secret::new("KS-SHOWN-NOWHERE"),
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
        let shown = format!("{c:?}");
        assert!(!shown.contains("KS-SHOWN-NOWHERE"), "{shown}");
        let short = Cached { expiry: 4, ..c };
        assert_eq!(short.margin(), 1);
    }
}
