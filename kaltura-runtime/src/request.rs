//! Requests are values: a generated action builds one, and the runtime sends it alone,
//! adds it to a multirequest, or turns a serve action into a URL or a download.

use crate::codec::{decode_slice, Decode, DecodeError, Encode, Json, ReadError};
use crate::secret::Secret;
use crate::Client;
use bytes::Bytes;
use serde_json::Map;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One API action with its parameters. Implemented by the generated `*Request` types.
pub trait Request: Send + 'static {
    /// What the action returns.
    type Output: Output;
    /// Wire id of the service, lowercase (`uploadtoken`, `metadata_metadataprofile`).
    const SERVICE: &'static str;
    /// Action name as the server spells it (`addFromUploadedFile`).
    const ACTION: &'static str;
    /// `false` when the server refuses this action inside a multirequest.
    const MULTIREQUEST: bool;
    /// The action streams a file instead of answering JSON.
    const SERVES_FILE: bool;
    /// The action's parameter names as the server spells them.
    const PARAMS: &'static [&'static str] = &[];

    /// The property names (wire names) of an object parameter's declared class, for
    /// checking paths into it (`MultiRequest::bind`); `None` for other parameters.
    fn param_properties(name: &str) -> Option<&'static [&'static str]> {
        let _ = name;
        None
    }

    /// The action's parameters as sent: only those given, scalars as native JSON.
    fn params(&self) -> Params;

    /// Moves the file parameters out, for a multipart body.
    fn take_files(&mut self) -> Vec<(&'static str, FileParam)> {
        Vec::new()
    }

    fn options(&self) -> &CallOptions;
    fn options_mut(&mut self) -> &mut CallOptions;
}

/// Values an action can return.
pub trait Output: Sized + Send + 'static {
    /// Reads the result from the JSON text of the answer (or of a multirequest item),
    /// without building a JSON tree first.
    fn from_slice(json: &[u8]) -> Result<Self, ReadError>;

    /// Reads the result from a JSON value already parsed.
    fn from_json(value: Json) -> Result<Self, DecodeError> {
        // Writing a value out cannot fail: its keys are strings.
        let text = serde_json::to_vec(&value).unwrap_or_default();
        Self::from_slice(&text).map_err(ReadError::into_decode)
    }

    /// The value of a served file (`SERVES_FILE` actions); only [`ServedFile`]
    /// accepts one.
    fn from_served(file: ServedFile) -> Result<Self, DecodeError> {
        let _ = file;
        Err(DecodeError {
            path: "result".into(),
            message: "the server sent a file where this action returns JSON".into(),
        })
    }
}

/// Implements [`Output`] for a type that implements [`Decode`].
#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_output {
    ($t:ty) => {
        impl $crate::request::Output for $t {
            fn from_slice(json: &[u8]) -> ::std::result::Result<Self, $crate::codec::ReadError> {
                $crate::codec::decode_slice(json)
            }
        }
    };
}

crate::__kaltura_output!(String);
crate::__kaltura_output!(i64);
crate::__kaltura_output!(f64);
crate::__kaltura_output!(bool);
crate::__kaltura_output!(());
crate::__kaltura_output!(Json);
crate::__kaltura_output!(crate::object::AnyObject);

impl<T: Decode + Send + 'static> Output for std::collections::BTreeMap<String, T> {
    fn from_slice(json: &[u8]) -> Result<Self, ReadError> {
        decode_slice(json)
    }
}

impl<T: Decode + Send + 'static> Output for Vec<T> {
    fn from_slice(json: &[u8]) -> Result<Self, ReadError> {
        decode_slice(json)
    }
}

/// The bytes of a served file (`thumbAsset.serve`, `data.serve`, ...).
#[derive(Clone, PartialEq, Eq)]
pub struct ServedFile {
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

impl fmt::Debug for ServedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServedFile")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl Output for ServedFile {
    fn from_slice(_: &[u8]) -> Result<Self, ReadError> {
        Err(ReadError::Decode(DecodeError {
            path: "result".into(),
            message: "a served file has no JSON form; send the request on its own".into(),
        }))
    }

    fn from_served(file: ServedFile) -> Result<Self, DecodeError> {
        Ok(file)
    }
}

/// The parameters of one call, in the order they were added.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params(pub Map<String, Json>);

impl Params {
    pub fn new() -> Self {
        Params::default()
    }

    pub fn put<T: Encode + ?Sized>(&mut self, name: &str, value: &T) {
        self.0.insert(name.to_string(), value.encode());
    }

    /// Adds the parameter when it was given; absent ones keep the server's default.
    pub fn put_opt<T: Encode>(&mut self, name: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.put(name, v);
        }
    }

    pub fn into_map(self) -> Map<String, Json> {
        self.0
    }
}

/// Where an uploaded file's bytes come from. Paths and readers are streamed, never
/// loaded whole.
pub enum FileSource {
    /// A whole file, opened when the request is sent.
    Path(PathBuf),
    /// `len` bytes of a file starting at `offset` (one chunk of a chunked upload).
    PathRange {
        path: PathBuf,
        offset: u64,
        len: u64,
    },
    Bytes(Bytes),
    Reader {
        reader: Box<dyn tokio::io::AsyncRead + Send + Sync + Unpin>,
        /// Length when known: exactly this many bytes are sent, and a reader that
        /// ends earlier fails the call. Unknown lengths are sent without a
        /// `Content-Length` (chunked), which some proxies refuse.
        len: Option<u64>,
    },
}

/// Told how many bytes of a file part have been read into the request body so far.
pub type ReadProgressFn = Arc<dyn Fn(u64) + Send + Sync>;

/// A file parameter (`fileData`, `bulkUploadData`, ...).
pub struct FileParam {
    pub source: FileSource,
    /// The part's `filename`; the server keeps it as the upload's name.
    pub file_name: String,
    pub content_type: String,
    /// Called as the part is streamed (see [`FileParam::on_read()`]).
    pub on_read: Option<ReadProgressFn>,
}

fn base_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into())
}

impl FileParam {
    /// A file on disk, streamed when sent. The part's filename is the path's last part.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        FileParam {
            file_name: base_name(&path),
            source: FileSource::Path(path),
            content_type: "application/octet-stream".into(),
            on_read: None,
        }
    }

    /// `len` bytes of a file from `offset` on, streamed when sent: one chunk of a
    /// chunked upload (`uploadToken.upload` with `resume`/`resumeAt`).
    pub fn path_range(path: impl Into<PathBuf>, offset: u64, len: u64) -> Self {
        let path = path.into();
        FileParam {
            file_name: base_name(&path),
            source: FileSource::PathRange { path, offset, len },
            content_type: "application/octet-stream".into(),
            on_read: None,
        }
    }

    pub fn bytes(bytes: impl Into<Bytes>, file_name: impl Into<String>) -> Self {
        FileParam {
            source: FileSource::Bytes(bytes.into()),
            file_name: file_name.into(),
            content_type: "application/octet-stream".into(),
            on_read: None,
        }
    }

    /// Bytes from a reader, streamed when sent. Give `len` when it is known.
    pub fn reader(
        reader: impl tokio::io::AsyncRead + Send + Sync + Unpin + 'static,
        len: Option<u64>,
        file_name: impl Into<String>,
    ) -> Self {
        FileParam {
            source: FileSource::Reader {
                reader: Box::new(reader),
                len,
            },
            file_name: file_name.into(),
            content_type: "application/octet-stream".into(),
            on_read: None,
        }
    }

    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = file_name.into();
        self
    }

    /// Calls `f` as the part is read into the request body, with the bytes of this
    /// part read so far: after each piece (at most 64 KiB), the last call giving the
    /// part's whole length. The body is read as the transport sends it, so this
    /// follows the upload, possibly on the HTTP client's task. A call that is sent
    /// again (a retry) reads the part again, from 0.
    pub fn on_read(mut self, f: impl Fn(u64) + Send + Sync + 'static) -> Self {
        self.on_read = Some(Arc::new(f));
        self
    }
}

impl FileParam {
    /// A second, independent copy that sends the same bytes, for a repeated attempt;
    /// `None` for a reader, whose bytes can be read only once.
    pub fn try_clone(&self) -> Option<FileParam> {
        let source = match &self.source {
            FileSource::Path(p) => FileSource::Path(p.clone()),
            FileSource::PathRange { path, offset, len } => FileSource::PathRange {
                path: path.clone(),
                offset: *offset,
                len: *len,
            },
            FileSource::Bytes(b) => FileSource::Bytes(b.clone()),
            FileSource::Reader { .. } => return None,
        };
        Some(FileParam {
            source,
            file_name: self.file_name.clone(),
            content_type: self.content_type.clone(),
            on_read: self.on_read.clone(),
        })
    }
}

impl From<PathBuf> for FileParam {
    fn from(path: PathBuf) -> Self {
        FileParam::path(path)
    }
}

impl From<&Path> for FileParam {
    fn from(path: &Path) -> Self {
        FileParam::path(path)
    }
}

impl fmt::Debug for FileParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            FileSource::Path(p) => format!("path {}", p.display()),
            FileSource::PathRange { path, offset, len } => {
                format!("{len} bytes of {} from {offset}", path.display())
            }
            FileSource::Bytes(b) => format!("{} bytes", b.len()),
            FileSource::Reader { len, .. } => format!("reader ({len:?} bytes)"),
        };
        f.debug_struct("FileParam")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("on_read", &self.on_read.is_some())
            .finish()
    }
}

/// Per-call settings that override the client's (Kaltura's "request configuration"),
/// and the client a request was made from.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub client: Option<Client>,
    pub ks: Option<Secret>,
    pub partner_id: Option<i64>,
    pub language: Option<String>,
    pub response_profile: Option<Json>,
    /// Whether this call may be retried (see [`crate::retry`]).
    pub retry: crate::retry::Retry,
}

/// Implements sending and per-call settings for a generated request type.
#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_request {
    ($t:ty) => {
        impl $t {
            /// Uses this KS for this call only.
            pub fn with_ks(mut self, ks: impl Into<$crate::Secret>) -> Self {
                $crate::request::Request::options_mut(&mut self).ks = Some(ks.into());
                self
            }
            /// Acts on behalf of another partner for this call (impersonation).
            pub fn with_partner_id(mut self, partner_id: i64) -> Self {
                $crate::request::Request::options_mut(&mut self).partner_id = Some(partner_id);
                self
            }
            /// Asks for texts in this language for this call.
            pub fn with_language(mut self, language: impl Into<String>) -> Self {
                $crate::request::Request::options_mut(&mut self).language = Some(language.into());
                self
            }
            /// Shapes the response of this call with a response profile.
            pub fn with_response_profile(mut self, profile: &impl $crate::codec::Encode) -> Self {
                $crate::request::Request::options_mut(&mut self).response_profile =
                    Some(profile.encode());
                self
            }
            /// Whether this call may be repeated after a failure, overriding the rule
            /// for its action (see [`crate::retry`]): `Retry::Force` for an action
            /// you know to be harmless to repeat, `Retry::Never` to send it once.
            pub fn with_retry(mut self, retry: $crate::retry::Retry) -> Self {
                $crate::request::Request::options_mut(&mut self).retry = retry;
                self
            }
            /// Sends the request with the client it was made from.
            pub async fn send(
                self,
            ) -> ::std::result::Result<<$t as $crate::request::Request>::Output, $crate::Error>
            {
                $crate::orchestrator::send_bound(self).await
            }
        }
        impl ::std::future::IntoFuture for $t {
            type Output =
                ::std::result::Result<<$t as $crate::request::Request>::Output, $crate::Error>;
            type IntoFuture = ::std::pin::Pin<
                ::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + Send>,
            >;
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin($crate::orchestrator::send_bound(self))
            }
        }
    };
}
