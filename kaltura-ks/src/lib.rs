//! Kaltura Sessions (KS): local generation, inspection and validation.
//!
//! A KS is the bearer token of the Kaltura API. It can be made locally from the
//! partner's **admin secret**, without a call to `session.start`, in two formats:
//!
//! * **v1**: base64 of `sha1_hex(secret ‖ fields) | fields`, signed but readable by
//!   anyone (fields are `;`-separated plain text);
//! * **v2**: `v2|<partnerId>|` followed by an AES-128-CBC encryption of the fields;
//!   only the partner id can be read without the secret.
//!
//! Generated tokens match the vendor's own generator byte for byte when the time and the
//! random part are pinned ([`KsBuilder::now`], [`KsBuilder::v1_random`],
//! [`KsBuilder::v2_random`]); otherwise the system clock and the operating system's
//! random source are used. Reading follows the server's parser, including its lenient
//! base64 (both alphabets, padding optional, whitespace ignored).
//!
//! Inputs the server would read differently from what was meant are refused with
//! [`KsError::InvalidInput`] naming the field: `;` in any v1 field, and in v2
//! privilege names the characters PHP rewrites (`[ ] .` and spaces). See
//! [`Privileges::check`] for the full list.
//!
//! Neither the secret ([`AdminSecret`]) nor the token ([`Ks`]) prints itself through
//! `Debug` or `Display`.
//!
//! ```
//! use kaltura_ks::{AdminSecret, KsBuilder, Privileges, SessionType};
//!
//! let secret = AdminSecret::new("a1b2c3d4e5f60718293a4b5c6d7e8f90")?;
//! let ks = KsBuilder::new(1234567, SessionType::Admin)
//!     .privileges(Privileges::new().all().disable_entitlement())
//!     .expires_in(3600)
//!     .generate_v2(&secret)?;
//!
//! let fields = ks.validate_now(&secret)?;
//! assert_eq!(fields.partner_id(), 1234567);
//! assert!(fields.is_admin());
//! assert_eq!(fields.privileges_str(), Some("all:*,disableentitlement"));
//! # Ok::<(), kaltura_ks::KsError>(())
//! ```

mod builder;
mod encoding;
mod error;
mod fields;
mod privileges;
pub mod redact;
mod secret;
mod token;
mod v1;
mod v2;

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

pub use builder::{Expiry, KsBuilder, V1Layout};
pub use error::KsError;
pub use fields::KsFields;
pub use privileges::{names, Privilege, Privileges};
pub use secret::AdminSecret;
pub use token::{Inspection, Ks};

/// The kind of session, written as a number in the KS.
///
/// The server counts every type from 1 up as an administrator session; type 1 (the
/// legacy "widget" type) is not offered for generation because of that surprise, but
/// a parsed KS reports its raw number through [`KsFields::type_code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionType {
    /// `0`: a user session, limited by the user's role and the privileges.
    User,
    /// `2`: an administrator session with the partner's full rights.
    Admin,
}

impl SessionType {
    /// The number written in the KS.
    pub fn code(self) -> i64 {
        match self {
            SessionType::User => 0,
            SessionType::Admin => 2,
        }
    }

    /// The type for a number, if it is one of the listed ones.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            0 => Some(SessionType::User),
            2 => Some(SessionType::Admin),
            _ => None,
        }
    }
}

impl fmt::Display for SessionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SessionType::User => "USER",
            SessionType::Admin => "ADMIN",
        })
    }
}

/// The KS format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KsVersion {
    /// Signed, readable without the secret.
    V1,
    /// Encrypted; only the partner id is readable without the secret.
    V2,
}

impl fmt::Display for KsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KsVersion::V1 => "v1",
            KsVersion::V2 => "v2",
        })
    }
}

/// The current unix time in whole seconds, as the generators use it (`floor(now)`).
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A decimal integer as the KS writes it: an optional `-` and ASCII digits.
pub(crate) fn parse_decimal(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_type_codes() {
        assert_eq!(SessionType::User.code(), 0);
        assert_eq!(SessionType::Admin.code(), 2);
        assert_eq!(SessionType::from_code(2), Some(SessionType::Admin));
        assert_eq!(SessionType::from_code(1), None);
        assert_eq!(SessionType::Admin.to_string(), "ADMIN");
    }

    #[test]
    fn decimal_parsing_is_strict() {
        assert_eq!(parse_decimal("1234567"), Some(1234567));
        assert_eq!(parse_decimal("-2"), Some(-2));
        for bad in ["", "-", "+5", " 5", "5 ", "1e3", "99999999999999999999"] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn unix_now_is_recent() {
        assert!(unix_now() > 1_700_000_000);
    }
}
