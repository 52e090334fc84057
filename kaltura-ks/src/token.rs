//! The KS token itself, kept out of logs.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use zeroize::{Zeroize, Zeroizing};

use crate::encoding::decode_ks_base64;
use crate::secret::constant_time_eq;
use crate::{unix_now, v1, v2, AdminSecret, KsError, KsFields, KsVersion};

/// A Kaltura Session token: a bearer credential.
///
/// Neither `Debug` nor `Display` prints the token; both write `Ks(<redacted>)`. `Display`
/// is redacted too because it is what `to_string()`, `format!("{}")` and logging
/// macros use, so a token interpolated into a log or error message by accident would be
/// usable by whoever reads the log until it expires. Call [`Ks::expose`] (or
/// [`Ks::as_str`]) where the text is really needed, e.g. when sending a request.
///
/// A `Ks` holds any text; reading it happens in [`Ks::inspect`], [`Ks::decode`] and
/// [`Ks::validate`], which never panic, whatever the text. The text, and what is decoded
/// from it on the way, is overwritten with zeros when dropped.
#[derive(Clone)]
pub struct Ks(String);

impl Drop for Ks {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// What can be learned from a KS without the secret.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Inspection {
    /// A v1 KS: every field is plain text. They are **not verified** (see
    /// [`KsFields::is_verified`]); only the signature's shape was checked.
    V1(Box<KsFields>),
    /// A v2 KS: everything but the partner id is encrypted.
    #[non_exhaustive]
    V2 {
        /// The partner id from the header (not protected by the encryption).
        partner_id: i64,
    },
}

impl Inspection {
    /// The format.
    pub fn version(&self) -> KsVersion {
        match self {
            Inspection::V1(_) => KsVersion::V1,
            Inspection::V2 { .. } => KsVersion::V2,
        }
    }

    /// The partner id (both versions).
    pub fn partner_id(&self) -> i64 {
        match self {
            Inspection::V1(f) => f.partner_id(),
            Inspection::V2 { partner_id } => *partner_id,
        }
    }

    /// The unverified fields of a v1 KS; `None` for v2 (decode it with the secret).
    pub fn fields(&self) -> Option<&KsFields> {
        match self {
            Inspection::V1(f) => Some(f),
            Inspection::V2 { .. } => None,
        }
    }
}

impl Ks {
    /// Wraps a token, e.g. one returned by `session.start`. Nothing is checked here.
    pub fn new(token: impl Into<String>) -> Self {
        Ks(token.into())
    }

    /// The token text. Keep it out of logs.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The token text (same as [`Ks::expose`]). Keep it out of logs.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The token text, consuming the wrapper (the text is then the caller's to wipe).
    pub fn into_string(mut self) -> String {
        std::mem::take(&mut self.0)
    }

    /// The same token in the URL-safe alphabet (`-` and `_` for `+` and `/`), which the
    /// server accepts for both versions. v2 tokens already are; for v1 this avoids
    /// percent-encoding in URLs.
    pub fn to_url_safe(&self) -> Ks {
        Ks(self
            .0
            .chars()
            .map(|c| match c {
                '+' => '-',
                '/' => '_',
                c => c,
            })
            .collect())
    }

    fn decoded(&self) -> Result<Zeroizing<Vec<u8>>, KsError> {
        let bytes = Zeroizing::new(decode_ks_base64(&self.0)?);
        if !v2::is_v2(&bytes) {
            // Something like `v3|` or `V2|` is a version marker we do not know, not the
            // hex signature a v1 KS starts with. (The server would try it as v1 and fail.)
            let bar = bytes.iter().take(12).position(|&b| b == b'|');
            if let Some(bar) = bar {
                let marker = &bytes[..bar];
                if marker.len() >= 2
                    && matches!(marker[0], b'v' | b'V')
                    && marker[1..].iter().all(u8::is_ascii_digit)
                {
                    return Err(KsError::UnsupportedVersion {
                        marker: String::from_utf8_lossy(marker).into_owned(),
                    });
                }
            }
        }
        Ok(bytes)
    }

    /// The format, from the decoded prefix (no secret needed).
    pub fn version(&self) -> Result<KsVersion, KsError> {
        self.inspect().map(|i| i.version())
    }

    /// Reads what is readable without the secret: every (unverified) field of a v1 KS,
    /// only the partner id of a v2 KS. Fails on anything the server could not parse
    /// with any secret.
    pub fn inspect(&self) -> Result<Inspection, KsError> {
        let bytes = self.decoded()?;
        if v2::is_v2(&bytes) {
            let (partner_id, _) = v2::header(&bytes)?;
            Ok(Inspection::V2 { partner_id })
        } else {
            v1::inspect(&bytes).map(|f| Inspection::V1(Box::new(f)))
        }
    }

    /// Checks the KS against the admin secret as the server does (v1 signature, v2
    /// decryption and integrity hash) and returns its fields. Expiry is **not**
    /// checked; see [`Ks::validate`].
    pub fn decode(&self, secret: &AdminSecret) -> Result<KsFields, KsError> {
        let bytes = self.decoded()?;
        if v2::is_v2(&bytes) {
            v2::decode(&bytes, secret)
        } else {
            v1::decode(&bytes, secret)
        }
    }

    /// Like [`Ks::decode`], trying each secret in turn as the server does with a
    /// partner's several admin secrets. Returns the last error when none fits.
    pub fn decode_with_any<'a, I>(&self, secrets: I) -> Result<KsFields, KsError>
    where
        I: IntoIterator<Item = &'a AdminSecret>,
    {
        let mut last = KsError::BadSignature;
        for secret in secrets {
            match self.decode(secret) {
                Ok(fields) => return Ok(fields),
                Err(KsError::BadSignature) => last = KsError::BadSignature,
                Err(other) => return Err(other),
            }
        }
        Err(last)
    }

    /// [`Ks::decode`], then fails with [`KsError::Expired`] when the KS is expired at
    /// `now` (unix seconds; a KS whose expiry equals `now` is expired, as on the server).
    pub fn validate(&self, secret: &AdminSecret, now: i64) -> Result<KsFields, KsError> {
        let fields = self.decode(secret)?;
        if fields.is_expired_at(now) {
            return Err(KsError::Expired {
                valid_until: fields.valid_until(),
                now,
            });
        }
        Ok(fields)
    }

    /// [`Ks::validate`] at the current system time.
    pub fn validate_now(&self, secret: &AdminSecret) -> Result<KsFields, KsError> {
        self.validate(secret, unix_now())
    }

    /// [`Ks::validate`], and also require the KS to be for `partner_id`. Use this for
    /// v2 tokens from untrusted sources: their header partner id is not protected, so a
    /// token of another partner that shares the secret would otherwise pass.
    pub fn validate_for_partner(
        &self,
        partner_id: i64,
        secret: &AdminSecret,
        now: i64,
    ) -> Result<KsFields, KsError> {
        let fields = self.decode(secret)?;
        if fields.partner_id() != partner_id {
            return Err(KsError::PartnerMismatch {
                expected: partner_id,
                found: fields.partner_id(),
            });
        }
        if fields.is_expired_at(now) {
            return Err(KsError::Expired {
                valid_until: fields.valid_until(),
                now,
            });
        }
        Ok(fields)
    }
}

impl fmt::Debug for Ks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ks(<redacted>)")
    }
}

impl fmt::Display for Ks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ks(<redacted>)")
    }
}

/// Compared without early exit, so timing does not reveal how much of a guess matched.
impl PartialEq for Ks {
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

impl Eq for Ks {}

impl From<String> for Ks {
    fn from(s: String) -> Self {
        Ks(s)
    }
}

impl From<&str> for Ks {
    fn from(s: &str) -> Self {
        Ks(s.to_owned())
    }
}

impl FromStr for Ks {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Ks(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{KsBuilder, SessionType};

    const V1: &str = "NDkxNjk2ZGQyMTVmZWZmNDU4NzlmNzYzMzJlZmY1MThhZjFlNTEwNnwxMjM0NTY3OzEyMzQ1Njc7MjAwMDA4NjQwMDsyOzEyMzQ1OzthbGw6KixkaXNhYmxlZW50aXRsZW1lbnQ=";

    fn secret() -> AdminSecret {
        AdminSecret::new("a1b2c3d4e5f60718293a4b5c6d7e8f90").unwrap()
    }

    #[test]
    fn never_printed() {
        let ks = Ks::new(V1);
        assert_eq!(format!("{ks:?}"), "Ks(<redacted>)");
        assert_eq!(format!("{ks}"), "Ks(<redacted>)");
        assert_eq!(ks.to_string(), "Ks(<redacted>)");
        assert_eq!(ks.expose(), V1);
        let f = ks.decode(&secret()).unwrap();
        let dbg = format!("{f:?}");
        assert!(!dbg.contains("491696dd"), "{dbg}");
    }

    #[test]
    fn inspect_v1_without_secret() {
        let i = Ks::new(V1).inspect().unwrap();
        assert_eq!(i.version(), KsVersion::V1);
        let f = i.fields().unwrap();
        assert!(!f.is_verified());
        assert_eq!(f.valid_until(), 2000086400);
        assert!(f.is_expired_at(2000086400));
        assert!(!f.is_expired_at(2000086399));
        assert_eq!(f.seconds_left_at(2000000000), 86400);
    }

    #[test]
    fn validate_and_errors() {
        let ks = Ks::new(V1);
        assert!(ks.validate(&secret(), 2000000000).is_ok());
        assert_eq!(
            ks.validate(&secret(), 2000086400).unwrap_err(),
            KsError::Expired {
                valid_until: 2000086400,
                now: 2000086400
            }
        );
        let wrong = AdminSecret::new("nope").unwrap();
        assert_eq!(ks.decode(&wrong).unwrap_err(), KsError::BadSignature);
        assert!(ks.decode_with_any([&wrong, &secret()]).is_ok());
        assert_eq!(
            ks.decode_with_any([&wrong]).unwrap_err(),
            KsError::BadSignature
        );
        assert!(matches!(
            ks.validate_for_partner(1, &secret(), 0),
            Err(KsError::PartnerMismatch {
                expected: 1,
                found: 1234567
            })
        ));
        // Both alphabets, and whitespace, are accepted.
        let url = ks.to_url_safe();
        assert!(url.decode(&secret()).is_ok());
        let spaced = Ks::new(format!(" {}\n", &V1[..10]) + &V1[10..]);
        assert!(spaced.decode(&secret()).is_ok());
    }

    #[test]
    fn unknown_versions() {
        use crate::encoding::base64_url_safe;
        for marker in ["v3", "V2", "v10"] {
            let ks = Ks::new(base64_url_safe(format!("{marker}|1|abcdef").as_bytes()));
            assert!(
                matches!(ks.inspect(), Err(KsError::UnsupportedVersion { .. })),
                "{marker}"
            );
        }
    }

    #[test]
    fn v2_inspect_reads_only_the_partner() {
        let ks = KsBuilder::new(42, SessionType::User)
            .generate_v2(&secret())
            .unwrap();
        let i = ks.inspect().unwrap();
        assert_eq!(i.version(), KsVersion::V2);
        assert_eq!(i.partner_id(), 42);
        assert!(i.fields().is_none());
        assert_eq!(ks.version().unwrap(), KsVersion::V2);
    }

    #[test]
    fn error_messages_do_not_leak() {
        let ks = Ks::new(&V1[..V1.len() - 9]);
        for err in [
            ks.decode(&secret()).unwrap_err(),
            Ks::new(V1)
                .decode(&AdminSecret::new("x").unwrap())
                .unwrap_err(),
        ] {
            let msg = err.to_string();
            assert!(!msg.contains("a1b2c3d4"), "{msg}");
            assert!(!msg.contains(&V1[..12]), "{msg}");
        }
    }
}
