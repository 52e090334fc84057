//! The partner's admin secret, kept out of logs.

use std::fmt;
use std::str::FromStr;

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::KsError;

/// A partner's **admin** secret, the only secret that can sign (v1) or encrypt (v2) a KS.
///
/// `Debug` prints `AdminSecret(<redacted>)` and there is deliberately no `Display`, so the
/// secret cannot end up in a log line by accident. Use [`AdminSecret::expose`] when the
/// text itself is really needed (for example to send it to `session.start`).
///
/// A user secret is a valid string too, but the server never accepts a KS made with it.
///
/// The text is overwritten with zeros when the value is dropped (copies handed out by
/// [`AdminSecret::expose`] are the caller's to look after).
#[derive(Clone)]
pub struct AdminSecret(String);

impl Drop for AdminSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl AdminSecret {
    /// Wraps a secret.
    ///
    /// Fails when the secret is empty or contains `,`: the server keeps a partner's admin
    /// secrets as one comma-separated list, so such a secret could never verify.
    pub fn new(secret: impl Into<String>) -> Result<Self, KsError> {
        // Wrapped first, so a refused secret is wiped too.
        let secret = AdminSecret(secret.into());
        if secret.0.is_empty() {
            return Err(KsError::InvalidSecret {
                reason: "it is empty; copy the admin secret from the KMC integration settings",
            });
        }
        if secret.0.contains(',') {
            return Err(KsError::InvalidSecret {
                reason: "it contains ',', which the server uses to separate several secrets; \
                         pass one secret at a time",
            });
        }
        Ok(secret)
    }

    /// The secret text. Keep it out of logs.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for AdminSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AdminSecret(<redacted>)")
    }
}

impl FromStr for AdminSecret {
    type Err = KsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AdminSecret::new(s)
    }
}

/// Compares two byte strings without stopping at the first difference (`subtle`), so the
/// time taken does not tell an attacker how much of a forged signature was right. (The
/// length is not hidden; signatures have a fixed, public length.)
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = AdminSecret::new("a1b2c3d4e5f60718293a4b5c6d7e8f90").unwrap();
        assert_eq!(format!("{s:?}"), "AdminSecret(<redacted>)");
        assert_eq!(format!("{:?}", Some(&s)), "Some(AdminSecret(<redacted>))");
        assert_eq!(s.expose(), "a1b2c3d4e5f60718293a4b5c6d7e8f90");
    }

    #[test]
    fn rejects_empty_and_comma() {
        assert!(matches!(
            AdminSecret::new(""),
            Err(KsError::InvalidSecret { .. })
        ));
        let err = AdminSecret::new("abc,def").unwrap_err();
        assert!(!err.to_string().contains("abc"));
        assert!("abc".parse::<AdminSecret>().is_ok());
    }

    #[test]
    fn constant_time_eq_works() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }
}
