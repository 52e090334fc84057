//! The runtime's one error type.

use crate::codec::DecodeError;
use crate::field::Field;
use crate::redact::Redactor;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// An error the server reported (`KalturaAPIException`), with its code and arguments,
/// and the identifiers Kaltura support asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ApiError {
    /// Kaltura's error code, e.g. `ENTRY_ID_NOT_FOUND`.
    pub code: String,
    pub message: String,
    /// Named arguments of the message (`ENTRY_ID` -> `0_missing0`).
    pub args: BTreeMap<String, String>,
    pub object_type: String,
    /// Where the server logged the call (see [`ApiError::server`]); boxed, as it is
    /// rarely read and errors travel by value.
    pub ids: Option<Box<ServerIds>>,
}

/// The identifiers of a call in the server's logs, from its response headers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ServerIds {
    /// The server that answered (`X-Me`).
    pub server: Option<String>,
    /// The call's session id in the server's logs (`X-Kaltura-Session`).
    pub session: Option<String>,
}

impl ApiError {
    /// Whether the server refused the call because its KS expired: `INVALID_KS` whose
    /// error is `-5,EXPIRED` (the server's `ks::EXPIRED`), or the codes other servers
    /// use.
    pub fn is_expired_ks(&self) -> bool {
        match self.code.as_str() {
            "EXPIRED_KS" | "KS_EXPIRED" => true,
            "INVALID_KS" => {
                self.args
                    .get("ERR_DESC")
                    .is_some_and(|d| d.trim() == "EXPIRED")
                    || self.args.get("ERR_CODE").is_some_and(|c| c.trim() == "-5")
                    || self.message.contains("-5,EXPIRED")
            }
            _ => false,
        }
    }

    /// The server that answered (the `X-Me` response header), when it said: quote it,
    /// with [`ApiError::session`], to Kaltura support.
    pub fn server(&self) -> Option<&str> {
        self.ids.as_ref()?.server.as_deref()
    }

    /// The call's session id in the server's logs (the `X-Kaltura-Session` response
    /// header), when it said.
    pub fn session(&self) -> Option<&str> {
        self.ids.as_ref()?.session.as_deref()
    }

    /// An error with this code and message (for transports and tests).
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            code: code.into(),
            message: message.into(),
            object_type: "KalturaAPIException".into(),
            ..Default::default()
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// Everything a call can fail with. Messages never contain a KS, secret or password:
/// the values a request carried in those parameters are blanked out of anything the
/// server echoes back.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a Kaltura API error (whatever the HTTP status).
    #[error("Kaltura API error {0}")]
    Api(ApiError),
    /// The request could not be sent or its answer could not be read (connection
    /// refused or reset, DNS, TLS, a file part that could not be read).
    #[error("transport error: {message}")]
    Transport {
        message: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// No complete answer within the configured time.
    #[error(
        "no complete answer within {0:?}; the limit is the client's `timeout` \
         (`upload_timeout` for calls that send files)"
    )]
    Timeout(Duration),
    /// A non-2xx HTTP status without a Kaltura error in the body (a proxy or load
    /// balancer page, a server crash).
    #[error("HTTP status {status} from the server (not a Kaltura API answer); body starts with: {body_snippet}")]
    Http { status: u16, body_snippet: String },
    /// A 2xx answer whose body is not the JSON the API speaks (an HTML page, a
    /// truncated body).
    #[error(
        "the server did not answer with API JSON ({content_type}); body starts with: {snippet}"
    )]
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
    Ks(#[from] kaltura_ks::KsError),
    /// The server answered with a redirect (3xx). Redirects are not followed: the
    /// request body carries the KS and any secret, and must not be sent to an address
    /// the caller did not choose. `location` is where the server pointed (its
    /// user-info hidden); use it as the service URL if it is the right server.
    #[error(
        "the server answered HTTP {status}, redirecting to {location}; redirects are not \
         followed, as the request carries the KS and secrets: if that is the right server, \
         use it as the service URL"
    )]
    Redirect { status: u16, location: String },
    /// The answer is larger than the client's `max_response_size`; it was not read
    /// further. `size` is the length the server announced, when it did.
    #[error(
        "the answer is larger than the limit of {limit} bytes{}; raise \
         `max_response_size` (ClientBuilder::max_response_size) if such answers are expected",
        match size { Some(n) => format!(" ({n} bytes announced)"), None => String::new() }
    )]
    ResponseTooLarge { limit: u64, size: Option<u64> },
    /// A list stream could not go on without leaving objects out: the server pages one
    /// query only up to its first 10,000 matches, and the stream found no way to
    /// narrow the query past them (see `kaltura_runtime::pagination`). The items
    /// yielded before it are the list's first `listed`; `total` is what the first
    /// page reported.
    #[error(
        "the list stops after {listed} objects{}: the server pages a query only up to its \
         first 10000 matches, and {reason}",
        match total { Some(t) => format!(" of {t}"), None => String::new() }
    )]
    ListTruncated {
        listed: u64,
        total: Option<i64>,
        reason: String,
    },
}

impl Error {
    /// The Kaltura error code, for API errors.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => Some(&e.code),
            _ => None,
        }
    }

    /// The API error, if the server reported one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// Whether sending the same request again may succeed. Note that a failed call
    /// may still have been carried out by the server; don't repeat non-idempotent
    /// actions (`add`, a final upload chunk) blindly.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Timeout(_) => true,
            Error::Http { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }

    /// A transport error whose message ends with the whole chain of causes, so that
    /// printing only `Display` still shows the root cause.
    pub fn transport(
        what: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        let mut message = what.into();
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&source);
        let mut seen = Vec::new();
        while let Some(c) = cause {
            let text = c.to_string();
            // reqwest and hyper repeat their causes' texts; print each once.
            if !text.is_empty() && !seen.iter().any(|s: &String| s.contains(&text)) {
                message.push_str(": ");
                message.push_str(&text);
                seen.push(text);
            }
            cause = c.source();
        }
        Error::Transport {
            message,
            source: Some(Box::new(source)),
        }
    }

    /// Hides from the texts of this error, its source included, every secret value
    /// the request carried and anything shaped like a KS ([`crate::redact`]).
    pub(crate) fn redact(self, r: &Redactor) -> Self {
        match self {
            Error::Api(mut e) => {
                e.code = r.text(&e.code);
                e.message = r.text(&e.message);
                e.args = std::mem::take(&mut e.args)
                    .into_iter()
                    .map(|(k, v)| (r.text(&k), r.text(&v)))
                    .collect();
                Error::Api(e)
            }
            Error::Http {
                status,
                body_snippet,
            } => Error::Http {
                status,
                body_snippet: r.text(&body_snippet),
            },
            Error::UnexpectedBody {
                content_type,
                snippet,
            } => Error::UnexpectedBody {
                content_type: r.text(&content_type),
                snippet: r.text(&snippet),
            },
            Error::Transport { message, source } => {
                // A cause's text may quote a URL or what a proxy echoed: when any of
                // it needs hiding, the chain is kept as hidden text instead.
                let source = match source {
                    Some(s) if chain_text(&*s) != r.text(&chain_text(&*s)) => {
                        Some(Box::new(Redacted(r.text(&chain_text(&*s))))
                            as Box<dyn std::error::Error + Send + Sync>)
                    }
                    other => other,
                };
                Error::Transport {
                    message: r.text(&message),
                    source,
                }
            }
            // A value that does not decode is quoted in the message, and map keys
            // appear in the path: either may be a secret the server echoed.
            Error::Decode(mut e) => {
                e.path = r.text(&e.path);
                e.message = r.text(&e.message);
                Error::Decode(e)
            }
            Error::Redirect { status, location } => Error::Redirect {
                status,
                location: r.text(&location),
            },
            other => other,
        }
    }
}

/// The texts of an error and its causes, joined.
fn chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

/// A cause whose text had to be hidden in part.
#[derive(Debug)]
struct Redacted(String);

impl fmt::Display for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Redacted {}

/// The first `max` characters of a body, for error messages. Only the start of the
/// body is looked at, however large it is.
pub(crate) fn snippet(body: &[u8], max: usize) -> String {
    if body.is_empty() {
        return "(empty body)".into();
    }
    let head = &body[..body.len().min(max * 4)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim();
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > max || body.len() > head.len() {
        out.push('…');
    }
    out
}

/// The message and its causes, one a line: what a program that returns the error from
/// `main` prints, so it reads like the `Display` rather than a dump of the enum.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = Redactor::new().text(&self.to_string());
        f.write_str(&text)?;
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            // Transport errors already end with their causes' texts.
            // Causes come from transports and other crates: hidden the same way as
            // the messages, as they may quote a URL or an echoed token.
            let c_text = Redactor::new().text(&c.to_string());
            if !text.contains(&c_text) {
                write!(f, "\n  caused by: {c_text}")?;
            }
            cause = c.source();
        }
        Ok(())
    }
}

// Reading a property whose value must be there. Written here, with the error it
// returns, so that `field` (below the codec) imports no error type.
impl<T> Field<T> {
    /// The value, or an [`Error::InvalidInput`] naming `property` when there is none
    /// (the server sent nothing, or null): for passing a value read from one result
    /// into the next call, where a default (`0`, `""`) would be sent as if real.
    ///
    /// ```
    /// # use kaltura_runtime::Field;
    /// let parent_id: Field<i64> = Field::Unset;
    /// let err = parent_id.required("parentId").unwrap_err();
    /// assert!(err.to_string().contains("`parentId`"));
    /// assert_eq!(Field::Set(7i64).required("parentId").unwrap(), 7);
    /// ```
    pub fn required(&self, property: &str) -> Result<T, Error>
    where
        T: Clone,
    {
        match self {
            Field::Set(v) => Ok(v.clone()),
            other => Err(other.missing(property)),
        }
    }

    /// [`Field::required`] taking the field, for values not worth cloning.
    pub fn into_required(self, property: &str) -> Result<T, Error> {
        match self {
            Field::Set(v) => Ok(v),
            other => Err(other.missing(property)),
        }
    }

    fn missing(&self, property: &str) -> Error {
        Error::InvalidInput(match self {
            Field::Null => format!("`{property}` is null: there is no value to use"),
            Field::Ref(r) => format!(
                "`{property}` is a reference to a multirequest result ({r}), which only the \
                 server fills in"
            ),
            _ => format!("`{property}` is unset: the server sent no value for it"),
        })
    }
}
