//! The command line's failures and the exit code of each kind.

use kaltura_ks::KsError;
use kaltura_runtime::{ApiError, Error};
use std::fmt;
use std::path::PathBuf;

/// Exit codes, as `kaltura --help` documents them.
pub mod code {
    pub const OK: u8 = 0;
    /// Something local failed after the checks: writing the output, reading a file
    /// that vanished mid-way.
    pub const LOCAL: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const API: u8 = 3;
    pub const TRANSPORT: u8 = 4;
    pub const KS: u8 = 5;
}

/// Why a command failed. Messages never contain a secret, a password or a KS.
#[derive(Debug)]
pub enum CliError {
    /// Caught before anything was sent: a bad flag, an unknown name, a wrong type.
    Usage(String),
    /// The server refused the call.
    Api(ApiError),
    /// A list paged with `--all` met the server's limit: it pages one query only up to
    /// its first 10,000 matches, and the query could not be narrowed past them. The
    /// server's answer, not the connection's, so it exits as an API error.
    ListTruncated(String),
    /// The server could not be reached or did not answer with API JSON.
    Transport(String),
    /// A KS or admin secret could not be made, read or checked.
    Ks(String),
    /// A local failure after the checks.
    Local(String),
    /// A file or folder the command line will not trust with a secret or its
    /// settings: open to other users, or theirs. Caught before anything is read,
    /// written or sent.
    Unsafe(UnsafePath),
    /// A failure after which the command can be run again to continue where it
    /// stopped (an upload); `resume` says how. Exits with the code of `error`.
    Resumable {
        error: Box<CliError>,
        resume: String,
    },
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::Unsafe(_) => code::USAGE,
            CliError::Api(_) | CliError::ListTruncated(_) => code::API,
            CliError::Transport(_) => code::TRANSPORT,
            CliError::Ks(_) => code::KS,
            CliError::Local(_) => code::LOCAL,
            CliError::Resumable { error, .. } => error.exit_code(),
        }
    }

    /// Hints printed after the message, each on its own `hint:` line: for errors with
    /// a usual remedy, and how to continue what stopped.
    pub fn hints(&self) -> Vec<String> {
        match self {
            // The server was reached, so the service URL hint does not apply.
            CliError::Resumable { error, resume } => error
                .hint()
                .filter(|_| !matches!(**error, CliError::Transport(_)))
                .map(str::to_string)
                .into_iter()
                .chain([resume.clone()])
                .collect(),
            other => other.hint().map(str::to_string).into_iter().collect(),
        }
    }

    /// A hint for errors with a usual remedy.
    fn hint(&self) -> Option<&'static str> {
        match self {
            CliError::Api(e) => match e.code.as_str() {
                "EXPIRED_KS" | "INVALID_KS" | "MISSING_KS" | "KS_EXPIRED" => Some(
                    "get a new KS (`kaltura session start`, `kaltura login` or \
                     `kaltura ks generate`) and pass it in KALTURA_KS or --ks-file FILE",
                ),
                "SERVICE_FORBIDDEN" | "SERVICE_FORBIDDEN_CONTENT_BLOCKED" => {
                    Some("the KS lacks the rights for this action; an admin KS may be needed")
                }
                _ => None,
            },
            CliError::ListTruncated(_) => Some(
                "nothing was printed; split the list with filters (e.g. \
                 filter:createdAtGreaterThanOrEqual and filter:createdAtLessThan) and list \
                 each part with --all",
            ),
            CliError::Transport(_) => Some(
                "check the service URL (--service-url or KALTURA_SERVICE_URL); it should be \
                 the API server's root, e.g. https://www.kaltura.com",
            ),
            _ => None,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m)
            | CliError::Transport(m)
            | CliError::Local(m)
            | CliError::ListTruncated(m) => f.write_str(m),
            CliError::Ks(m) => write!(f, "KS error: {m}"),
            CliError::Unsafe(u) => u.fmt(f),
            CliError::Resumable { error, .. } => error.fmt(f),
            CliError::Api(e) => {
                write!(f, "the server refused the call: {} ({})", e.message, e.code)?;
                for (k, v) in &e.args {
                    write!(f, "\n  {k} = {v}")?;
                }
                Ok(())
            }
        }
    }
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        match e {
            Error::Api(api) => CliError::Api(api),
            Error::InvalidInput(m) => CliError::Usage(m),
            Error::Ks(k) => CliError::Ks(k.to_string()),
            e @ Error::ListTruncated { .. } => CliError::ListTruncated(e.to_string()),
            e @ (Error::Transport { .. }
            | Error::Timeout(_)
            | Error::Http { .. }
            | Error::UnexpectedBody { .. }
            | Error::Decode(_)) => CliError::Transport(e.to_string()),
            other => CliError::Transport(other.to_string()),
        }
    }
}

/// What a file or folder is kept or read for, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A folder of cached sessions (KS tokens).
    SessionCache,
    /// The folder of `config.toml`.
    ConfigFolder,
    /// `config.toml`, which may name a program to run and where secrets go.
    ConfigFile,
    /// A file a secret, password, application token or KS is read from; the text
    /// says which.
    SecretFile(&'static str),
}

/// Why a file or folder is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Owned by another user (this uid).
    NotOwned { owner: u32 },
    /// Other users may read it, or write to it (the permission bits).
    OpenToOthers { mode: u32 },
}

/// A file or folder refused as unsafe, with the command that fixes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsafePath {
    pub path: PathBuf,
    pub purpose: Purpose,
    pub problem: Problem,
}

impl fmt::Display for UnsafePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        let (use_, fix) = match self.purpose {
            Purpose::SessionCache => (
                "keep sessions in it".to_string(),
                format!("chmod 700 {path}"),
            ),
            Purpose::ConfigFolder => (
                "read or write profiles in it".to_string(),
                format!("chmod go-w {path}"),
            ),
            Purpose::ConfigFile => (
                "read profiles from it".to_string(),
                format!("chmod 600 {path}"),
            ),
            Purpose::SecretFile(what) => (
                format!("take the {what} from it"),
                format!("chmod 600 {path}"),
            ),
        };
        match self.problem {
            Problem::NotOwned { owner } => write!(
                f,
                "{path} belongs to another user (uid {owner}); refusing to {use_} \
                 (use a file or folder of your own)"
            ),
            Problem::OpenToOthers { mode } => {
                let others = if matches!(self.purpose, Purpose::SecretFile(_)) {
                    "may be read by others"
                } else if matches!(self.purpose, Purpose::SessionCache) {
                    "is open to other users"
                } else {
                    "may be changed by other users"
                };
                write!(
                    f,
                    "{path} {others} (mode {:o}); refusing to {use_} ({fix})",
                    mode & 0o777
                )
            }
        }
    }
}

impl From<UnsafePath> for CliError {
    fn from(u: UnsafePath) -> Self {
        CliError::Unsafe(u)
    }
}

impl From<KsError> for CliError {
    fn from(e: KsError) -> Self {
        CliError::Ks(e.to_string())
    }
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The server's 10,000-match limit is an answer of the API, not a failure to reach
    /// it: exit 3, the runtime's explanation, and no hint about the service URL.
    #[test]
    fn a_truncated_list_is_an_api_answer() {
        let e = CliError::from(Error::ListTruncated {
            listed: 10_000,
            total: Some(10_500),
            reason: "it is sorted by `+name`".into(),
        });
        assert_eq!(e.exit_code(), code::API);
        let text = e.to_string();
        assert!(
            text.contains("stops after 10000 objects of 10500"),
            "{text}"
        );
        assert!(text.contains("+name"), "{text}");
        let hints = e.hints();
        assert_eq!(hints.len(), 1, "{hints:?}");
        assert!(hints[0].contains("--all"), "{hints:?}");
    }
}
