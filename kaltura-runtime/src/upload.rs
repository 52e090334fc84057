//! Chunked, resumable uploads into an upload token.
//!
//! [`Client::upload`] sends a file, or the bytes of any async reader, into an upload
//! token with one `uploadToken.upload` call per chunk:
//!
//! ```no_run
//! # use kaltura_runtime as kaltura_client;
//! # async fn demo(client: kaltura_client::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use kaltura_client::{UploadOptions, UploadSource};
//!
//! let options = UploadOptions::new()
//!     .chunk_size(16 * 1024 * 1024)
//!     .on_progress(|p| eprintln!("{} of {:?} bytes in token {}", p.streamed, p.total, p.token_id));
//! let token = match client.upload(UploadSource::path("movie.mp4"), options).await {
//!     Ok(token) => token,
//!     Err(e) if e.can_resume() => {
//!         // Later, or after a restart: the same source, and the token to continue.
//!         let token_id = e.token_id.clone().unwrap_or_default();
//!         client
//!             .upload(UploadSource::path("movie.mp4"), UploadOptions::new().resume(token_id))
//!             .await?
//!     }
//!     Err(e) => return Err(e.into()),
//! };
//! # Ok(()) }
//! ```
//!
//! How the chunks go:
//!
//! * Without [`UploadOptions::resume`], a token is made first (`uploadToken.add`,
//!   with the file's name and size). With it, the token is read (`uploadToken.get`)
//!   and the upload continues from the size the server reports (`uploadedFileSize`);
//!   a token already complete (`FULL_UPLOAD`) is returned as it is. A token made for
//!   a file of another size (its `fileSize`) is refused rather than mixed into.
//! * Each chunk is `chunk_size` bytes (the last one less), streamed from disk or from
//!   the reader; the first goes with `resume=false, resumeAt=0`, every later one with
//!   `resume=true` and its byte offset as `resumeAt`. Exactly one chunk, the last, has
//!   `finalChunk=true`. After each chunk the size the server reports must be the bytes
//!   sent so far, or the upload stops.
//! * A chunk that fails stops the upload with an [`UploadError`] that names the token
//!   and how much the server holds, so the upload can be resumed. Non-final chunks are
//!   retried first under the client's [retry policy](crate::retry) only when
//!   [`UploadOptions::retry_chunks`] is set. The final chunk is never sent twice: when
//!   it fails, the token is read again, and if the server holds the whole file
//!   (`FULL_UPLOAD`) the upload has succeeded after all; otherwise its error is
//!   reported.
//!
//! Each chunk is one call, under the client's `upload_timeout`.
//!
//! Progress ([`UploadOptions::on_progress`]) is reported once the token is known,
//! while each chunk is streamed (every 256 KiB and at the chunk's end, in
//! [`Progress::streamed`]) and when the server confirms it ([`Progress::sent`]).

use crate::client::Client;
use crate::codec::{Decode, DecodeError, Json};
use crate::error::Error;
use crate::files::{FileParam, FileSource};
use crate::internal::Internal;
use crate::response::Output;
use crate::retry::Retry;
use bytes::BytesMut;
use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncReadExt, ReadBuf};

/// 8 MiB: large enough to keep the number of calls low, small enough to resend.
pub const DEFAULT_CHUNK_SIZE: u64 = 8 * 1024 * 1024;

type Reader = Box<dyn AsyncRead + Send + Sync + Unpin>;

/// Where the bytes of an upload come from.
pub struct UploadSource {
    kind: SourceKind,
    file_name: Option<String>,
    content_type: Option<String>,
}

enum SourceKind {
    Path(PathBuf),
    Reader { reader: Reader, len: Option<u64> },
}

impl fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("UploadSource");
        match &self.kind {
            SourceKind::Path(p) => d.field("path", p),
            SourceKind::Reader { len, .. } => d.field("reader_len", len),
        };
        d.field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl UploadSource {
    /// A file on disk, read chunk by chunk (never loaded whole). Its size is taken
    /// when the upload starts.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        UploadSource {
            kind: SourceKind::Path(path.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// The bytes of `reader`, from its first byte. Give `len` when it is known: the
    /// reader must then yield exactly that many bytes, and each chunk is streamed.
    /// With an unknown length (`None`), each chunk is read into memory first (one
    /// byte more, to tell the last chunk), so memory use is about `chunk_size`.
    ///
    /// To resume, pass a reader that starts at the first byte again: the part the
    /// server already holds is read and skipped.
    pub fn reader(
        reader: impl AsyncRead + Send + Sync + Unpin + 'static,
        len: impl Into<Option<u64>>,
    ) -> Self {
        UploadSource {
            kind: SourceKind::Reader {
                reader: Box::new(reader),
                len: len.into(),
            },
            file_name: None,
            content_type: None,
        }
    }

    /// The file name the server keeps (the token's `fileName` and the file part's
    /// name). By default the path's last part, or `upload.bin` for a reader.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The content type each chunk's file part is sent with. By default it is guessed
    /// from the file name's extension ([`content_type_for`](crate::files::content_type_for):
    /// `video/mp4` for `intro.mp4`), `application/octet-stream` when unknown.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// What [`Client::upload`] reports as it goes.
///
/// Two counts, both from the source's first byte: `sent` moves once per chunk, when
/// the server confirms it; `streamed` also moves while a chunk is being sent, so it
/// suits a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// The upload token: keep it to resume after a crash.
    pub token_id: String,
    /// Bytes the server has confirmed holding: where a resume would start.
    pub sent: u64,
    /// Bytes read from the source into requests so far: `sent` plus what has been
    /// streamed of the chunk in flight. Never less than `sent` and never smaller than
    /// in an earlier report (a chunk sent again moves it only once the new attempt
    /// passes the old one).
    pub streamed: u64,
    /// The whole size, when known.
    pub total: Option<u64>,
}

/// A progress callback. It is called on the uploading task, or, for reports while a
/// chunk is streamed, on the task that reads the request body (the HTTP client's),
/// never twice at once: keep it quick, as the upload waits for it.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Reports while a chunk is streamed come at most every this many bytes, plus one at
/// the end of each chunk.
pub const STREAM_REPORT_STEP: u64 = 256 * 1024;

/// Settings of one [`Client::upload`].
#[derive(Clone)]
pub struct UploadOptions {
    chunk_size: u64,
    progress: Option<ProgressFn>,
    resume_token: Option<String>,
    retry_chunks: bool,
}

impl Default for UploadOptions {
    fn default() -> Self {
        UploadOptions {
            chunk_size: DEFAULT_CHUNK_SIZE,
            progress: None,
            resume_token: None,
            retry_chunks: false,
        }
    }
}

impl fmt::Debug for UploadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadOptions")
            .field("chunk_size", &self.chunk_size)
            .field("progress", &self.progress.is_some())
            .field("resume_token", &self.resume_token)
            .field("retry_chunks", &self.retry_chunks)
            .finish()
    }
}

impl UploadOptions {
    /// 8 MiB chunks, a new token, no progress callback, no chunk retries.
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes per `uploadToken.upload` call (at least 1; servers may set a minimum,
    /// commonly a few MB, for every chunk but the last).
    pub fn chunk_size(mut self, bytes: u64) -> Self {
        self.chunk_size = bytes;
        self
    }

    /// Called once the token is known (with the bytes the server already holds), as
    /// each chunk is streamed (every [`STREAM_REPORT_STEP`] bytes and at the chunk's
    /// end, with only [`Progress::streamed`] moving), and after every chunk the server
    /// confirmed (with [`Progress::sent`] moving). See [`ProgressFn`] for where it
    /// runs.
    pub fn on_progress(mut self, progress: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// The same as [`UploadOptions::on_progress`], with a callback already shared.
    pub fn progress(mut self, progress: Option<ProgressFn>) -> Self {
        self.progress = progress;
        self
    }

    /// Continues the upload into this existing token from the size the server
    /// reports, instead of making a new token.
    pub fn resume(mut self, token_id: impl Into<String>) -> Self {
        self.resume_token = Some(token_id.into());
        self
    }

    /// Lets a failed non-final chunk be sent again under the client's retry policy
    /// ([`RetryPolicy::standard`](crate::RetryPolicy::standard) if it has none),
    /// before the upload gives up. The final chunk is never retried. With a reader
    /// source, each chunk is then read into memory first, so it can be sent again.
    pub fn retry_chunks(mut self, retry: bool) -> Self {
        self.retry_chunks = retry;
        self
    }
}

/// A [`Client::upload`] that did not finish. When it names a token
/// ([`UploadError::can_resume`]), call `upload` again with the same source and
/// [`UploadOptions::resume`] to send the rest.
#[derive(Debug)]
#[non_exhaustive]
pub struct UploadError {
    /// The token the bytes went to, if one was made or given.
    pub token_id: Option<String>,
    /// Bytes the server was known to hold when the upload stopped.
    pub sent: u64,
    /// The whole size, when known.
    pub total: Option<u64>,
    /// What went wrong.
    pub error: Error,
}

impl UploadError {
    /// Whether the upload can be continued with [`UploadOptions::resume`].
    pub fn can_resume(&self) -> bool {
        self.token_id.is_some()
    }

    /// The cause, without the upload's state.
    pub fn into_error(self) -> Error {
        self.error
    }
}

impl fmt::Display for UploadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = match self.total {
            Some(t) => t.to_string(),
            None => "?".into(),
        };
        match &self.token_id {
            Some(id) => write!(
                f,
                "the upload into token {id} stopped after {} of {total} bytes: {}; to continue, \
                 upload the same source again with `UploadOptions::resume(\"{id}\")`",
                self.sent, self.error
            ),
            None => write!(f, "the upload did not start: {}", self.error),
        }
    }
}

impl std::error::Error for UploadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// A reader shared between the upload loop and the body of the chunk being sent,
/// counting the bytes taken from it.
#[derive(Clone)]
struct SharedReader(Arc<Mutex<ReaderState>>);

struct ReaderState {
    reader: Reader,
    consumed: u64,
}

impl SharedReader {
    fn consumed(&self) -> u64 {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).consumed
    }
}

impl AsyncRead for SharedReader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let mut state = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let before = buf.filled().len();
        let polled = Pin::new(&mut state.reader).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            state.consumed += (buf.filled().len() - before) as u64;
        }
        polled
    }
}

/// Sends the [`Progress`] reports of one upload. Shared with the file part of the
/// chunk being sent, which may be read on another task: reports are made one at a
/// time, under the lock, so they never go back.
struct Reporter {
    callback: Option<ProgressFn>,
    token_id: String,
    total: Option<u64>,
    /// The `sent` and `streamed` of the last report.
    last: Mutex<(u64, u64)>,
}

impl Reporter {
    fn new(callback: Option<ProgressFn>, token_id: &str, total: Option<u64>) -> Arc<Self> {
        Arc::new(Reporter {
            callback,
            token_id: token_id.to_string(),
            total,
            last: Mutex::new((0, 0)),
        })
    }

    fn call(&self, callback: &ProgressFn, sent: u64, streamed: u64) {
        callback(&Progress {
            token_id: self.token_id.clone(),
            sent,
            streamed,
            total: self.total,
        });
    }

    /// The server holds `sent` bytes.
    fn confirmed(&self, sent: u64) {
        let Some(callback) = &self.callback else {
            return;
        };
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        *last = (sent, last.1.max(sent));
        self.call(callback, last.0, last.1);
    }

    /// `at` bytes of the source have been streamed, in a chunk that ends at `end`.
    fn streamed(&self, at: u64, end: u64) {
        let Some(callback) = &self.callback else {
            return;
        };
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if at <= last.1 || (at < end && at - last.1 < STREAM_REPORT_STEP) {
            return;
        }
        last.1 = at;
        self.call(callback, last.0, last.1);
    }

    /// The chunk's file part, reporting as it is read when progress is wanted.
    fn watch(self: &Arc<Self>, file: FileParam, offset: u64, len: u64) -> FileParam {
        if self.callback.is_none() {
            return file;
        }
        let reporter = self.clone();
        file.on_read(move |read| reporter.streamed(offset + read, offset + len))
    }
}

/// The source opened for chunking.
enum Chunker {
    Path {
        path: PathBuf,
        len: u64,
    },
    Reader {
        reader: SharedReader,
        len: Option<u64>,
        /// A byte read ahead to learn that more follows (unknown lengths).
        carry: Option<u8>,
    },
}

/// One chunk: its bytes and whether it is the last.
struct Chunk {
    file: FileParam,
    len: u64,
    last: bool,
}

fn read_err(e: std::io::Error) -> Error {
    Error::InvalidInput(format!("cannot read the upload source: {e}"))
}

impl Chunker {
    fn total(&self) -> Option<u64> {
        match self {
            Chunker::Path { len, .. } => Some(*len),
            Chunker::Reader { len, .. } => *len,
        }
    }

    /// Skips the `offset` bytes the server already holds (readers only; a path is
    /// read from any offset).
    async fn skip(&mut self, offset: u64) -> Result<(), Error> {
        let Chunker::Reader { reader, .. } = self else {
            return Ok(());
        };
        let skipped = tokio::io::copy(&mut reader.clone().take(offset), &mut tokio::io::sink())
            .await
            .map_err(read_err)?;
        if skipped != offset {
            return Err(Error::InvalidInput(format!(
                "the reader ended after {skipped} bytes, before the {offset} bytes the \
                 server already holds; resuming needs the same data from its first byte"
            )));
        }
        Ok(())
    }

    /// The chunk starting at `offset`, or `None` when a reader of unknown length
    /// turns out to have nothing left.
    async fn next(
        &mut self,
        offset: u64,
        chunk_size: u64,
        in_memory: bool,
    ) -> Result<Option<Chunk>, Error> {
        match self {
            Chunker::Path { path, len } => {
                let n = chunk_size.min(*len - offset);
                Ok(Some(Chunk {
                    file: FileParam::path_range(path.clone(), offset, n),
                    len: n,
                    last: offset + n >= *len,
                }))
            }
            Chunker::Reader {
                reader,
                len: Some(len),
                ..
            } => {
                let n = chunk_size.min(*len - offset);
                let last = offset + n >= *len;
                if in_memory {
                    let bytes = read_up_to(reader, n, None).await?;
                    if (bytes.len() as u64) < n {
                        return Err(short_reader(offset + bytes.len() as u64, *len));
                    }
                    return Ok(Some(Chunk {
                        file: FileParam::bytes(bytes, ""),
                        len: n,
                        last,
                    }));
                }
                Ok(Some(Chunk {
                    file: FileParam {
                        source: FileSource::Reader {
                            reader: Box::new(reader.clone()),
                            len: Some(n),
                        },
                        file_name: String::new(),
                        content_type: "application/octet-stream".into(),
                        on_read: None,
                    },
                    len: n,
                    last,
                }))
            }
            Chunker::Reader {
                reader,
                len: None,
                carry,
            } => {
                // One byte more than a chunk tells whether anything follows.
                let want = chunk_size.saturating_add(1);
                let mut bytes = read_up_to(reader, want, carry.take()).await?;
                if bytes.is_empty() && offset > 0 {
                    return Ok(None);
                }
                let last = (bytes.len() as u64) < want;
                if !last {
                    *carry = bytes.last().copied();
                    bytes.truncate(bytes.len() - 1);
                }
                let n = bytes.len() as u64;
                Ok(Some(Chunk {
                    file: FileParam::bytes(bytes.freeze(), ""),
                    len: n,
                    last,
                }))
            }
        }
    }
}

fn short_reader(at: u64, len: u64) -> Error {
    Error::InvalidInput(format!(
        "the reader ended after {at} bytes, short of the {len} announced"
    ))
}

/// Reads up to `n` bytes (after `first`, if given) into memory.
async fn read_up_to(reader: &SharedReader, n: u64, first: Option<u8>) -> Result<BytesMut, Error> {
    let cap = usize::try_from(n).map_err(|_| {
        Error::InvalidInput(format!(
            "a chunk of {n} bytes does not fit in memory on this platform"
        ))
    })?;
    let mut buf = BytesMut::with_capacity(cap.min(64 * 1024 * 1024));
    if let Some(b) = first {
        buf.extend_from_slice(&[b]);
    }
    let mut r = reader.clone().take(n - buf.len() as u64);
    loop {
        if buf.len() == cap {
            break;
        }
        buf.reserve((cap - buf.len()).min(1024 * 1024));
        if r.read_buf(&mut buf).await.map_err(read_err)? == 0 {
            break;
        }
    }
    Ok(buf)
}

fn base_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "upload.bin".into())
}

impl Client {
    /// Uploads `source` into an upload token in chunks, resumably; returns the token
    /// as the server describes it after the final chunk. See [`crate::upload`] for
    /// how chunks, resuming and failures go.
    pub async fn upload(
        &self,
        source: UploadSource,
        options: UploadOptions,
    ) -> Result<UploadToken, UploadError> {
        let span = tracing::info_span!(
            target: "kaltura_runtime",
            "kaltura.upload",
            token = tracing::field::Empty,
            total = tracing::field::Empty,
        );
        tracing::Instrument::instrument(self.upload_inner(source, options, span.clone()), span)
            .await
    }

    async fn upload_inner(
        &self,
        source: UploadSource,
        options: UploadOptions,
        span: tracing::Span,
    ) -> Result<UploadToken, UploadError> {
        let not_started = |error: Error| UploadError {
            token_id: options.resume_token.clone(),
            sent: 0,
            total: None,
            error,
        };
        if options.chunk_size == 0 {
            return Err(not_started(Error::InvalidInput(
                "the chunk size must be at least 1 byte".into(),
            )));
        }
        let chosen_type = source.content_type;
        let (mut chunker, file_name) = match source.kind {
            SourceKind::Path(path) => {
                let meta = tokio::fs::metadata(&path).await.map_err(|e| {
                    not_started(Error::InvalidInput(format!(
                        "cannot read the file {}: {e}",
                        path.display()
                    )))
                })?;
                if !meta.is_file() {
                    return Err(not_started(Error::InvalidInput(format!(
                        "{} is not a regular file",
                        path.display()
                    ))));
                }
                let len = meta.len();
                let name = source.file_name.unwrap_or_else(|| base_name(&path));
                (Chunker::Path { path, len }, name)
            }
            SourceKind::Reader { reader, len } => (
                Chunker::Reader {
                    reader: SharedReader(Arc::new(Mutex::new(ReaderState {
                        reader,
                        consumed: 0,
                    }))),
                    len,
                    carry: None,
                },
                source.file_name.unwrap_or_else(|| "upload.bin".into()),
            ),
        };
        let content_type =
            chosen_type.unwrap_or_else(|| crate::files::content_type_for(&file_name).into());
        let total = chunker.total();
        if let Some(t) = total {
            span.record("total", t);
        }
        let fail = |token: &str, sent: u64, error: Error| UploadError {
            token_id: Some(token.to_string()),
            sent,
            total,
            error,
        };

        // The token, and where to start.
        let (token_id, mut offset) = match &options.resume_token {
            Some(id) => {
                let token: UploadToken =
                    token_get(id).send(self).await.map_err(|e| fail(id, 0, e))?;
                let held = token.held_bytes();
                let made_for = token.file_size.filter(|s| *s > 0.0).map(|s| s as u64);
                if let (Some(made_for), Some(t)) = (made_for, total) {
                    if made_for != t {
                        return Err(fail(
                            id,
                            held,
                            Error::InvalidInput(format!(
                                "upload token {id} was made for a file of {made_for} bytes, \
                                 but the source has {t}: this is another file, and resuming \
                                 needs the same file"
                            )),
                        ));
                    }
                }
                match token.status {
                    Some(UploadToken::FULL_UPLOAD) => {
                        if let Some(t) = total.filter(|t| *t != held) {
                            return Err(fail(
                                id,
                                held,
                                Error::InvalidInput(format!(
                                    "upload token {id} is complete with {held} bytes, \
                                     but the source has {t}; it holds another file"
                                )),
                            ));
                        }
                        span.record("token", id.as_str());
                        Reporter::new(options.progress.clone(), id, total).confirmed(held);
                        return Ok(token);
                    }
                    Some(
                        status @ (UploadToken::CLOSED
                        | UploadToken::TIMED_OUT
                        | UploadToken::DELETED),
                    ) => {
                        return Err(UploadError {
                            token_id: None,
                            sent: held,
                            total,
                            error: Error::InvalidInput(format!(
                                "upload token {id} can take no more bytes (status {}); \
                                 start a new upload",
                                UploadToken::status_name(status)
                            )),
                        });
                    }
                    _ => {}
                }
                if let Some(t) = total.filter(|t| held >= *t && *t > 0) {
                    return Err(fail(
                        id,
                        held,
                        Error::InvalidInput(format!(
                            "upload token {id} holds {held} bytes of a {t}-byte source but \
                             was never completed; start a new upload"
                        )),
                    ));
                }
                (id.clone(), held)
            }
            None => {
                let token: UploadToken = token_add(&file_name, total)
                    .send(self)
                    .await
                    .map_err(not_started)?;
                (token.id, 0)
            }
        };
        span.record("token", token_id.as_str());
        let reporter = Reporter::new(options.progress.clone(), &token_id, total);
        reporter.confirmed(offset);
        chunker
            .skip(offset)
            .await
            .map_err(|e| fail(&token_id, offset, e))?;

        let in_memory = options.retry_chunks && matches!(chunker, Chunker::Reader { .. });
        loop {
            let chunk = chunker
                .next(offset, options.chunk_size, in_memory)
                .await
                .map_err(|e| fail(&token_id, offset, e))?;
            let Some(Chunk { file, len, last }) = chunk else {
                return Err(fail(
                    &token_id,
                    offset,
                    Error::InvalidInput(format!(
                        "the reader has no bytes beyond the {offset} the server holds, but \
                         token {token_id} was never completed; start a new upload"
                    )),
                ));
            };
            let retry = if last || !options.retry_chunks {
                Retry::Never
            } else {
                Retry::Force
            };
            let file = file
                .with_file_name(file_name.as_str())
                .with_content_type(content_type.as_str());
            let file = reporter.watch(file, offset, len);
            let answer = token_upload(&token_id, file, offset, last)
                .retry(retry)
                .send(self)
                .await;
            if last {
                let token = match answer {
                    Ok(token) => token,
                    Err(e) => self
                        .settle_final(&token_id, offset + len)
                        .await
                        .ok_or_else(|| fail(&token_id, offset, e))?,
                };
                reporter.confirmed(offset + len);
                return Ok(token);
            }
            let token = answer.map_err(|e| fail(&token_id, offset, e))?;
            let expected = offset + len;
            if let Chunker::Reader { reader, carry, .. } = &chunker {
                // A byte read ahead (unknown lengths) belongs to the next chunk.
                let consumed = reader.consumed().saturating_sub(u64::from(carry.is_some()));
                if consumed != expected {
                    return Err(fail(
                        &token_id,
                        offset,
                        Error::InvalidInput(format!(
                            "the chunk at {offset} took {consumed} bytes from the reader \
                             in all instead of {expected}"
                        )),
                    ));
                }
            }
            if let Some(held) = token.uploaded_file_size {
                if held as u64 != expected {
                    return Err(fail(
                        &token_id,
                        offset,
                        Error::InvalidInput(format!(
                            "after the chunk at {offset} the server reports {held} bytes in \
                             token {token_id}, not {expected}"
                        )),
                    ));
                }
            }
            offset = expected;
            reporter.confirmed(offset);
        }
    }

    /// After a failed final chunk: the token if the server completed it anyway.
    async fn settle_final(&self, token_id: &str, total: u64) -> Option<UploadToken> {
        let token: UploadToken = token_get(token_id).send(self).await.ok()?;
        let complete = token.status == Some(UploadToken::FULL_UPLOAD)
            && token
                .uploaded_file_size
                .is_none_or(|held| held as u64 == total);
        tracing::info!(
            target: "kaltura_runtime",
            token = token_id,
            complete,
            "the final chunk failed; the token was read again"
        );
        complete.then_some(token)
    }
}

/// An upload token as the server describes it (`KalturaUploadToken`): the properties
/// uploads work with, and the whole object for the rest. Decode it into the generated
/// class with [`UploadToken::decode`] (`token.decode::<KalturaUploadToken>()`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UploadToken {
    /// The token's id: pass it to `KalturaUploadedFileTokenResource { token, .. }`.
    pub id: String,
    /// `KalturaUploadTokenStatus`, as its wire value (see the constants).
    pub status: Option<i64>,
    pub file_name: Option<String>,
    /// The size the token was made for, when it was given.
    pub file_size: Option<f64>,
    /// How many bytes the server holds.
    pub uploaded_file_size: Option<f64>,
    /// The object as the server sent it.
    pub json: Json,
}

impl UploadToken {
    pub const PENDING: i64 = 0;
    pub const PARTIAL_UPLOAD: i64 = 1;
    pub const FULL_UPLOAD: i64 = 2;
    pub const CLOSED: i64 = 3;
    pub const TIMED_OUT: i64 = 4;
    pub const DELETED: i64 = 5;

    /// The token as a typed class, usually the generated `KalturaUploadToken`.
    pub fn decode<T: Decode>(&self) -> Result<T, DecodeError> {
        crate::codec::decode_json(&self.json)
    }

    fn held_bytes(&self) -> u64 {
        self.uploaded_file_size
            .map(|s| if s > 0.0 { s as u64 } else { 0 })
            .unwrap_or(0)
    }

    fn status_name(status: i64) -> &'static str {
        match status {
            Self::PENDING => "PENDING",
            Self::PARTIAL_UPLOAD => "PARTIAL_UPLOAD",
            Self::FULL_UPLOAD => "FULL_UPLOAD",
            Self::CLOSED => "CLOSED",
            Self::TIMED_OUT => "TIMED_OUT",
            Self::DELETED => "DELETED",
            _ => "unknown",
        }
    }
}

impl Output for UploadToken {
    fn from_slice(json: &[u8]) -> Result<Self, crate::codec::ReadError> {
        crate::codec::via_value(json, Self::from_json)
    }

    fn from_json(value: Json) -> Result<Self, DecodeError> {
        let root = crate::codec::Path::Root;
        let mut fields = crate::codec::Fields::new(value.clone(), &root)?;
        let id: Option<String> = fields.take("id")?.into_option();
        let token = UploadToken {
            id: id.ok_or_else(|| root.field("id").error("an upload token without an id"))?,
            status: fields.take("status")?.into_option(),
            file_name: fields.take("fileName")?.into_option(),
            file_size: fields.take("fileSize")?.into_option(),
            uploaded_file_size: fields.take("uploadedFileSize")?.into_option(),
            json: value,
        };
        Ok(token)
    }
}

/// The three `uploadToken` calls an upload sends.
fn token_add(file_name: &str, total: Option<u64>) -> Internal {
    let mut token = serde_json::Map::new();
    token.insert("objectType".into(), "KalturaUploadToken".into());
    token.insert("fileName".into(), file_name.into());
    if let Some(t) = total {
        token.insert("fileSize".into(), crate::codec::Encode::encode(&(t as f64)));
    }
    Internal::new("uploadtoken", "add").param("uploadToken", &Json::Object(token))
}

fn token_get(id: &str) -> Internal {
    Internal::new("uploadtoken", "get").param("uploadTokenId", id)
}

fn token_upload(id: &str, file: FileParam, offset: u64, last: bool) -> Internal {
    Internal::new("uploadtoken", "upload")
        .param("uploadTokenId", id)
        .param("resume", &(offset > 0))
        .param("finalChunk", &last)
        .param("resumeAt", &(offset as f64))
        .file("fileData", file)
}
