//! Opt-in retries of failed calls.
//!
//! A client retries nothing unless it is given a [`RetryPolicy`]
//! ([`ClientBuilder::retry`](crate::ClientBuilder::retry)). With one, a call is sent
//! again, after a jittered exponential backoff, when **both** hold:
//!
//! * the failure is one that a repeat may cure: the connection could not be made or
//!   broke ([`Error::Transport`](crate::Error::Transport)), no answer came in time
//!   ([`Error::Timeout`](crate::Error::Timeout)), or the server answered HTTP 429 or
//!   5xx **without** a Kaltura API error in the body. API errors (`ENTRY_ID_NOT_FOUND`,
//!   `INVALID_KS`, ...) are answers, and are never retried;
//! * the call is safe to repeat: the action is read-like ([`is_read_like`]), or the
//!   caller said so for this call with `.with_retry(Retry::Force)`.
//!
//! A multirequest is retried only when every call in it is read-like (or when forced
//! with [`MultiRequest::with_retry`](crate::MultiRequest::with_retry)). A call whose
//! body cannot be replayed (a file part read from a reader) is sent once.
//!
//! On a 429 or 503 that carries `Retry-After` (seconds or an HTTP date), the wait is at
//! least what the server asks; when it asks for more than
//! [`RetryPolicy::max_retry_after`], the call gives up at once with that answer.
//!
//! The client's timeouts apply to **each attempt**, so a call may take up to
//! `max_attempts × timeout` plus the backoffs. When every attempt fails, the error
//! of the last one is returned.

use std::time::{Duration, SystemTime};

/// How often and how patiently failed calls are repeated.
///
/// ```
/// # use kaltura_runtime as kaltura_client;
/// use kaltura_client::RetryPolicy;
/// use std::time::Duration;
///
/// let policy = RetryPolicy::standard()
///     .max_attempts(5)
///     .backoff(Duration::from_millis(100), Duration::from_secs(5));
/// assert_eq!(policy.attempts(), 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::standard()
    }
}

impl RetryPolicy {
    /// 3 attempts in all, backoff from 250 ms doubling up to 8 s, and `Retry-After`
    /// waits honoured up to 60 s.
    pub fn standard() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }

    /// Attempts in all, the first one included (at least 1; 1 means no retry).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// The backoff before retry `n` (1-based) is drawn at random between half and all
    /// of `initial × 2^(n-1)`, capped at `max`.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// The longest `Retry-After` the client waits for; a server asking for more ends
    /// the call with its answer.
    pub fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    pub fn retry_after_limit(&self) -> Duration {
        self.max_retry_after
    }

    /// The range the backoff before retry `retry` (1 = the first repeat) is drawn from.
    pub fn backoff_range(&self, retry: u32) -> (Duration, Duration) {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let high = self
            .initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        (high / 2, high)
    }

    /// A backoff for retry `retry`, jittered.
    pub(crate) fn backoff_for(&self, retry: u32) -> Duration {
        use rand::RngExt;
        let (low, high) = self.backoff_range(retry);
        if high <= low {
            return high;
        }
        rand::rng().random_range(low..=high)
    }

    /// Refuses settings that make no sense, naming the setting.
    pub(crate) fn check(&self) -> Result<(), crate::Error> {
        if self.max_attempts == 0 {
            return Err(crate::Error::InvalidInput(
                "a retry policy needs `max_attempts` of at least 1 (1 = no retry)".into(),
            ));
        }
        if self.initial_backoff > self.max_backoff {
            return Err(crate::Error::InvalidInput(format!(
                "the retry policy's initial backoff ({:?}) is longer than its maximum ({:?})",
                self.initial_backoff, self.max_backoff
            )));
        }
        Ok(())
    }
}

/// Whether one call may be retried: set per call with `.with_retry(..)` on a request
/// or a multirequest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Retry {
    /// The client's policy, for read-like actions only ([`is_read_like`]).
    #[default]
    Auto,
    /// Send this call once, whatever the client's policy.
    Never,
    /// Retry this call even though its action is not read-like: the caller knows a
    /// repeat is harmless. Uses the client's policy, or [`RetryPolicy::standard`]
    /// when the client has none.
    Force,
    /// Retry this call under this policy, whatever its action.
    ForceWith(RetryPolicy),
}

impl Retry {
    /// The policy that governs a call under this setting.
    pub(crate) fn resolve(
        &self,
        client: Option<&RetryPolicy>,
        read_like: bool,
    ) -> Option<RetryPolicy> {
        match self {
            Retry::Never => None,
            Retry::Auto if read_like => client.cloned(),
            Retry::Auto => None,
            Retry::Force => Some(client.cloned().unwrap_or_else(RetryPolicy::standard)),
            Retry::ForceWith(policy) => Some(policy.clone()),
        }
    }
}

/// The rule for actions that are safe to repeat: `get`, `list`, `count`, `search`,
/// `serve` and every action whose name starts with one of these followed by an
/// upper-case letter, a digit or `_` (`getUrl`, `listByPartner`, `searchEntry`,
/// `serveByEntryId`); except `getExclusive…`, which hands out work items. Everything
/// else (`add…`, `update…`, `delete…`, `upload`, `start`, ...) is not.
///
/// ```
/// # use kaltura_runtime as kaltura_client;
/// use kaltura_client::retry::is_read_like;
/// assert!(is_read_like("get"));
/// assert!(is_read_like("getUrl"));
/// assert!(is_read_like("listByReferenceId"));
/// assert!(!is_read_like("add"));
/// assert!(!is_read_like("upload"));
/// assert!(!is_read_like("getter"));
/// assert!(!is_read_like("getExclusiveDropFolder"));
/// ```
pub fn is_read_like(action: &str) -> bool {
    if action.starts_with("getExclusive") {
        return false;
    }
    ["get", "list", "count", "search", "serve"].iter().any(|p| {
        action.strip_prefix(p).is_some_and(|rest| {
            rest.chars()
                .next()
                .is_none_or(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
    })
}

/// The wait a `Retry-After` header asks for: delta seconds or an HTTP date
/// (`Sun, 06 Nov 1994 08:49:37 GMT`). `None` when absent or unreadable.
pub(crate) fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value)?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// An HTTP date in any of the three forms RFC 9110 allows, through the `httpdate`
/// crate hyper already brings.
fn parse_http_date(s: &str) -> Option<SystemTime> {
    httpdate::parse_http_date(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(
            t.and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok()),
            Some(Duration::from_secs(784_111_777))
        );
        assert_eq!(parse_http_date("yesterday"), None);
        // The obsolete forms servers may still send.
        assert_eq!(
            parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"),
            parse_http_date("Sun Nov  6 08:49:37 1994")
        );
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 PST"), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy::standard().backoff(Duration::from_secs(1), Duration::from_secs(5));
        assert_eq!(
            p.backoff_range(1),
            (Duration::from_millis(500), Duration::from_secs(1))
        );
        assert_eq!(p.backoff_range(3).1, Duration::from_secs(4));
        assert_eq!(p.backoff_range(4).1, Duration::from_secs(5));
        assert_eq!(p.backoff_range(400).1, Duration::from_secs(5));
        for retry in 1..6 {
            let d = p.backoff_for(retry);
            let (low, high) = p.backoff_range(retry);
            assert!(low <= d && d <= high);
        }
    }
}
