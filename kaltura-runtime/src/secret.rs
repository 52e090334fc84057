//! Strings that must never reach logs: admin secrets, passwords, KS tokens.

use std::fmt;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// A sensitive string. `Debug` and `Display` print `<redacted>`; [`Secret::expose`]
/// is the one way to read it, so every read is visible in code review.
///
/// The generator uses it for every string property or parameter whose name contains
/// `secret` or `password`, and for `ks`. The text is overwritten with zeros when the
/// value is dropped, and `==` takes the same time wherever two values differ.
#[derive(Clone, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The text, now the caller's to look after.
    pub fn into_inner(mut self) -> String {
        std::mem::take(&mut self.0)
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// In constant time (`subtle`): comparing a guess must not tell how much of it was right.
impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for Secret {}

impl std::hash::Hash for Secret {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
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
