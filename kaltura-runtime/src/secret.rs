//! Strings that must never reach logs: admin secrets, passwords, KS tokens.

use std::fmt;

/// A sensitive string. `Debug` and `Display` print `<redacted>`; [`Secret::expose`]
/// is the one way to read it, so every read is visible in code review.
///
/// The generator uses it for every string property or parameter whose name contains
/// `secret` or `password`, and for `ks`.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(v: String) -> Self {
        Secret(v)
    }
}

impl From<&str> for Secret {
    fn from(v: &str) -> Self {
        Secret(v.to_string())
    }
}

impl From<&String> for Secret {
    fn from(v: &String) -> Self {
        Secret(v.clone())
    }
}

impl From<kaltura_ks::Ks> for Secret {
    fn from(ks: kaltura_ks::Ks) -> Self {
        Secret(ks.into_string())
    }
}

impl From<&kaltura_ks::Ks> for Secret {
    fn from(ks: &kaltura_ks::Ks) -> Self {
        Secret(ks.expose().to_string())
    }
}
