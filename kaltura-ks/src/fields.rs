//! The contents of a KS once read.

use std::fmt;
use std::time::Duration;

use crate::{unix_now, KsVersion, Privileges, SessionType};

/// The fields of a KS, as the server's parser reads them.
///
/// Values the server keeps as optional strings stay optional here: a v1 KS needs only
/// partner id, partner pattern and expiry, and older generators wrote fewer fields.
/// Obtained from [`Ks::decode`](crate::Ks::decode) / [`Ks::validate`](crate::Ks::validate)
/// (signature checked) or, for v1 only, [`Ks::inspect`](crate::Ks::inspect) (not
/// checked; see [`KsFields::is_verified`]).
#[derive(Clone)]
pub struct KsFields {
    pub(crate) version: KsVersion,
    pub(crate) verified: bool,
    pub(crate) partner_id: i64,
    pub(crate) partner_pattern: Option<String>,
    pub(crate) valid_until: i64,
    pub(crate) type_raw: Option<String>,
    pub(crate) random: Option<String>,
    pub(crate) random_bytes: Option<[u8; 16]>,
    pub(crate) user_id: Option<String>,
    pub(crate) privileges_raw: Option<String>,
    pub(crate) privileges: Privileges,
    pub(crate) privilege_map: Vec<(String, Vec<String>)>,
    pub(crate) master_partner_id: Option<String>,
    pub(crate) additional_data: Option<String>,
    pub(crate) hash_hex: String,
}

impl KsFields {
    /// The KS format.
    pub fn version(&self) -> KsVersion {
        self.version
    }

    /// Whether the signature (v1) or integrity hash (v2) was checked against an admin
    /// secret. `false` only for a v1 KS read with [`Ks::inspect`](crate::Ks::inspect):
    /// anybody can write such fields, so do not trust them for access decisions.
    pub fn is_verified(&self) -> bool {
        self.verified
    }

    /// The partner id. For v2 it comes from the unencrypted header, which the token does
    /// not protect; check it against the partner you expect.
    pub fn partner_id(&self) -> i64 {
        self.partner_id
    }

    /// v1 only: the second field, always equal to the partner id and unused.
    pub fn partner_pattern(&self) -> Option<&str> {
        self.partner_pattern.as_deref()
    }

    /// The absolute expiry, unix seconds.
    pub fn valid_until(&self) -> i64 {
        self.valid_until
    }

    /// Whether the KS is expired at `now` (unix seconds). Like the server, a KS whose
    /// expiry equals `now` is already expired.
    pub fn is_expired_at(&self, now: i64) -> bool {
        self.valid_until <= now
    }

    /// Whether the KS is expired now, by the system clock.
    pub fn is_expired(&self) -> bool {
        self.is_expired_at(unix_now())
    }

    /// Seconds left at `now`; zero or negative once expired.
    pub fn seconds_left_at(&self, now: i64) -> i64 {
        self.valid_until.saturating_sub(now)
    }

    /// Time left at `now`, zero once expired.
    pub fn time_left_at(&self, now: i64) -> Duration {
        Duration::from_secs(u64::try_from(self.seconds_left_at(now)).unwrap_or(0))
    }

    /// Time left now, by the system clock; zero once expired.
    pub fn time_left(&self) -> Duration {
        self.time_left_at(unix_now())
    }

    /// The type field as written (`"0"`, `"2"`…), absent in the shortest v1 form.
    pub fn type_raw(&self) -> Option<&str> {
        self.type_raw.as_deref()
    }

    /// The type as a number, when it is one.
    pub fn type_code(&self) -> Option<i64> {
        self.type_raw.as_deref().and_then(crate::parse_decimal)
    }

    /// The session type as the server treats it: [`SessionType::Admin`] when the type
    /// field is 1 or more, [`SessionType::User`] otherwise (0, absent, or not a
    /// number). The field as written: [`KsFields::type_raw`], [`KsFields::type_code`].
    pub fn session_type(&self) -> SessionType {
        if self.is_admin() {
            SessionType::Admin
        } else {
            SessionType::User
        }
    }

    /// Whether the server treats the session as an administrator one (type 1 or more).
    pub fn is_admin(&self) -> bool {
        self.type_code().is_some_and(|t| t >= 1)
    }

    /// The user id, as the server reads it: empty when the KS names no user (an
    /// anonymous session, see [`KsFields::is_anonymous`]). Whether the field is there
    /// at all: [`KsFields::user_field`].
    pub fn user_id(&self) -> &str {
        self.user_id.as_deref().unwrap_or("")
    }

    /// The user field as written, `None` in the shortest v1 form, which has none.
    pub fn user_field(&self) -> Option<&str> {
        self.user_id.as_deref()
    }

    /// Whether the server treats the session as anonymous: no user, `""` or `"0"`.
    pub fn is_anonymous(&self) -> bool {
        matches!(self.user_id.as_deref(), None | Some("") | Some("0"))
    }

    /// The privileges string as the server reports it: for v1 the field as written; for
    /// v2 rebuilt from the decrypted pairs (`name:value` or `name`, joined with `,`; a lone
    /// `all:*` reads as `*`).
    pub fn privileges_str(&self) -> Option<&str> {
        self.privileges_raw.as_deref()
    }

    /// The privileges in order, each a name and an optional value.
    pub fn privileges(&self) -> &Privileges {
        &self.privileges
    }

    /// The privileges grouped as the server does: an ordered map from name to the list
    /// of `/`-separated sub-values. A v1 KS with an empty privileges field gives one entry
    /// with an empty name, as on the server.
    pub fn privilege_map(&self) -> &[(String, Vec<String>)] {
        &self.privilege_map
    }

    /// Whether a privilege with this name is present.
    pub fn has_privilege(&self, name: &str) -> bool {
        self.privilege_map.iter().any(|(n, _)| n == name)
    }

    /// The sub-values of a privilege, empty when absent or without value.
    pub fn privilege_values(&self, name: &str) -> &[String] {
        self.privilege_map
            .iter()
            .find(|(n, _)| n == name)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// The random part: v1 the text as written; v2 the 16 bytes in lowercase hex (as the
    /// server stores it).
    pub fn random(&self) -> Option<&str> {
        self.random.as_deref()
    }

    /// v2 only: the 16 random bytes.
    pub fn random_bytes(&self) -> Option<[u8; 16]> {
        self.random_bytes
    }

    /// The master partner id, written only by the server's own generator.
    pub fn master_partner_id(&self) -> Option<&str> {
        self.master_partner_id.as_deref()
    }

    /// Additional data, written only by the server's own generator.
    pub fn additional_data(&self) -> Option<&str> {
        self.additional_data.as_deref()
    }

    /// The hash as lowercase hex: v1 the signature field, v2 the SHA-1 at the front of
    /// the decrypted payload.
    ///
    /// Treat it as sensitive: for v1, this hash and the other fields are the whole token.
    /// `Debug` leaves it out for that reason.
    pub fn hash_hex(&self) -> &str {
        &self.hash_hex
    }
}

impl fmt::Debug for KsFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KsFields")
            .field("version", &self.version)
            .field("verified", &self.verified)
            .field("partner_id", &self.partner_id)
            .field("valid_until", &self.valid_until)
            .field("type", &self.type_raw)
            .field("user_id", &self.user_id)
            .field("privileges", &self.privileges_raw)
            .field("master_partner_id", &self.master_partner_id)
            .field("additional_data", &self.additional_data)
            .finish_non_exhaustive()
    }
}
