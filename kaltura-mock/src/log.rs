//! The log of every request the mock received, for tests to assert on. Parameters and
//! notes go through the runtime's redaction first: no KS, secret or password is kept.

use crate::wire::Format;
use serde_json::Value;

/// One call (a request's only call, or one item of a multirequest).
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    /// As sent (`media`, `uploadToken`).
    pub service: String,
    pub action: String,
    /// The error code answered, if the call failed.
    pub error: Option<String>,
    /// What the mock read leniently or dropped, as the server would have.
    pub notes: Vec<String>,
}

/// One HTTP request.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub format: Format,
    /// Every parameter received, redacted.
    pub params: Value,
    /// Names of the uploaded files' parameters, with their sizes.
    pub files: Vec<(String, usize)>,
    /// One per call (several for a multirequest; none when the body did not read).
    pub calls: Vec<CallRecord>,
    pub multirequest: bool,
    /// The fault applied, if any (`status 503`, `reset`, ...).
    pub fault: Option<String>,
    /// The HTTP status answered (0 when no answer was sent).
    pub status: u16,
}

impl RequestRecord {
    /// The calls' `service.action`, lowercase service (`media.list`).
    pub fn actions(&self) -> Vec<String> {
        self.calls
            .iter()
            .map(|c| format!("{}.{}", c.service.to_ascii_lowercase(), c.action))
            .collect()
    }

    /// The first call's error code.
    pub fn error(&self) -> Option<&str> {
        self.calls.first().and_then(|c| c.error.as_deref())
    }

    /// Every note of every call.
    pub fn notes(&self) -> Vec<&str> {
        self.calls
            .iter()
            .flat_map(|c| c.notes.iter().map(String::as_str))
            .collect()
    }
}
