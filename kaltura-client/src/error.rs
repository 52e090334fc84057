//! The runtime's one error type.

use crate::codec::DecodeError;
use std::collections::BTreeMap;
use std::fmt;

/// An error the server reported (`KalturaAPIException`), with its code and arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Kaltura's error code, e.g. `ENTRY_ID_NOT_FOUND`.
    pub code: String,
    pub message: String,
    /// Named arguments of the message (`ENTRY_ID` -> `0_missing0`).
    pub args: BTreeMap<String, String>,
    pub object_type: String,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// Everything a call can fail with. Messages never contain a KS, secret or password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a Kaltura API error.
    #[error("Kaltura API error {0}")]
    Api(ApiError),
    /// The request could not be sent or its answer could not be read.
    #[error("transport error: {message}")]
    Transport {
        message: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// No complete answer within the configured time.
    #[error("the request timed out after {0:?}")]
    Timeout(std::time::Duration),
    /// A non-2xx HTTP status without a Kaltura error in the body.
    #[error("HTTP status {status} from the server; body starts with: {body_snippet}")]
    Http { status: u16, body_snippet: String },
    /// The body is not the JSON the API speaks (an HTML error page, a truncated body).
    #[error("the server did not answer JSON ({content_type}); body starts with: {snippet}")]
    UnexpectedBody {
        content_type: String,
        snippet: String,
    },
    /// The JSON does not fit the type the schema declares.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The request was refused before sending (bad configuration or argument).
    #[error("invalid request: {0}")]
    InvalidInput(String),
    /// A KS could not be made, read or checked.
    #[error(transparent)]
    Ks(#[from] crate::ks::KsError),
}

impl Error {
    /// The Kaltura error code, for API errors.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => Some(&e.code),
            _ => None,
        }
    }

    /// Whether sending the same request again may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Timeout(_) => true,
            Error::Http { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }

    pub(crate) fn transport(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Transport {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }
}

/// The first `max` characters of a body, for error messages.
pub(crate) fn snippet(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}
