//! The single error type of the KS module.

use thiserror::Error;

/// Everything that can go wrong while building, reading or checking a Kaltura Session.
///
/// Messages are meant for a person: each says what is wrong and, where it helps, what to
/// do about it. No message ever contains the admin secret or the KS itself; at most a
/// position, a field name, or the offending character of a caller-supplied input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum KsError {
    /// The KS text is not base64 the server would accept (after it maps `-`/`_` to `+`/`/`
    /// and skips spaces, tabs and line breaks).
    #[error(
        "the KS is not valid base64 ({reason}); check that it was not cut short or \
         URL-decoded twice (a '+' turned into a space breaks it)"
    )]
    InvalidBase64 {
        /// What the decoder objected to (a position, never the KS text).
        reason: String,
    },

    /// The KS decodes, but its inner layout is not one the server can read.
    #[error("the KS is malformed: {reason}")]
    Malformed {
        /// Which part of the layout is wrong.
        reason: String,
    },

    /// The version marker is not one this SDK (or the server) knows.
    #[error("unsupported KS version `{marker}`: only v1 (no marker) and `v2` exist")]
    UnsupportedVersion {
        /// The marker found in front of the first `|`, at most a few characters.
        marker: String,
    },

    /// The signature (v1) or the decrypted integrity hash (v2) does not match.
    #[error(
        "the KS does not match this admin secret: the secret is wrong (a user secret \
         cannot sign or open a KS), it belongs to another partner, or the KS was altered"
    )]
    BadSignature,

    /// The KS is genuine but no longer valid at the time it was checked.
    #[error("the KS expired at unix time {valid_until} (checked at {now}); start a new session")]
    Expired {
        /// The absolute expiry written in the KS.
        valid_until: i64,
        /// The time the check was made at.
        now: i64,
    },

    /// The KS is genuine but was issued for another partner than the one expected.
    #[error("the KS is for partner {found}, not for the expected partner {expected}")]
    PartnerMismatch {
        /// The partner the caller asked for.
        expected: i64,
        /// The partner read from the KS.
        found: i64,
    },

    /// An input to KS generation would be misread by the server, or is out of range.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The input at fault, e.g. `user id` or `privilege name "my.priv"`.
        field: String,
        /// Why it is refused and what to do instead.
        reason: String,
    },

    /// The admin secret cannot be a real Kaltura admin secret.
    #[error("invalid admin secret: {reason}")]
    InvalidSecret {
        /// Why (never the secret itself).
        reason: &'static str,
    },

    /// The operating system's random number source failed. Not returned since the
    /// move to rand 0.10, whose thread generator cannot fail once seeded; kept so that
    /// code matching on it still compiles.
    #[error("the system random number generator failed: {reason}")]
    RandomUnavailable {
        /// The error reported by the OS.
        reason: String,
    },
}

impl KsError {
    pub(crate) fn malformed(reason: impl Into<String>) -> Self {
        KsError::Malformed {
            reason: reason.into(),
        }
    }

    pub(crate) fn input(field: impl Into<String>, reason: impl Into<String>) -> Self {
        KsError::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }
}
