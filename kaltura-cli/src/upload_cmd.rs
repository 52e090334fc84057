//! `kaltura upload`: a file into an upload token, in chunks, resumable.

use crate::error::{CliError, Result};
use crate::units::format_bytes;
use indicatif::{ProgressBar, ProgressStyle};
use kaltura_client::{Client, FileParam};
use serde_json::{json, Map, Value};
use std::io::{SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeekExt, ReadBuf};

pub struct Upload {
    pub file: PathBuf,
    pub chunk_size: u64,
    pub resume: Option<String>,
    /// Show a progress bar (on a terminal only).
    pub progress: bool,
}

/// Upload token states (`KalturaUploadTokenStatus`).
const PENDING: i64 = 0;
const PARTIAL_UPLOAD: i64 = 1;
const FULL_UPLOAD: i64 = 2;

fn status_name(status: i64) -> &'static str {
    match status {
        0 => "PENDING",
        1 => "PARTIAL_UPLOAD",
        2 => "FULL_UPLOAD",
        3 => "CLOSED",
        4 => "TIMED_OUT",
        5 => "DELETED",
        _ => "in an unknown state",
    }
}

/// A JSON number the server may also send as a string.
fn number(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Uploads the file and returns the token id.
pub async fn run(client: &Client, up: &Upload) -> Result<String> {
    if up.chunk_size == 0 {
        return Err(CliError::usage("the chunk size must be at least 1 byte"));
    }
    let meta = std::fs::metadata(&up.file)
        .map_err(|e| CliError::usage(format!("cannot read {}: {e}", up.file.display())))?;
    if !meta.is_file() {
        return Err(CliError::usage(format!(
            "{} is not a regular file",
            up.file.display()
        )));
    }
    let size = meta.len();
    let file_name = up
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());

    let (token, start) = match &up.resume {
        Some(token) => match resume_point(client, token, size).await? {
            Resume::Complete => return Ok(token.clone()),
            Resume::At(offset) => (token.clone(), offset),
        },
        None => (create_token(client, &file_name, size).await?, 0),
    };

    let bar = up.progress.then(|| progress_bar(size, start));
    let result = send_chunks(
        client,
        &token,
        &up.file,
        size,
        start,
        up.chunk_size,
        bar.as_ref(),
    )
    .await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(()) => Ok(token),
        Err((offset, e)) => {
            // Best effort: a closed stderr must not turn the error into a panic.
            let _ = writeln!(
                std::io::stderr(),
                "the upload stopped after {} of {}; continue it with:\n  kaltura upload {} --resume {token}",
                format_bytes(offset),
                format_bytes(size),
                shell_quote(&up.file)
            );
            Err(e)
        }
    }
}

fn shell_quote(path: &Path) -> String {
    let text = path.display().to_string();
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

async fn create_token(client: &Client, file_name: &str, size: u64) -> Result<String> {
    let mut params = Map::new();
    params.insert(
        "uploadToken".into(),
        json!({"objectType": "KalturaUploadToken", "fileName": file_name, "fileSize": size}),
    );
    let token = client
        .call_json("uploadtoken", "add", params, Vec::new())
        .await?;
    token
        .get("id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .ok_or_else(|| CliError::Transport("uploadToken.add answered without a token id".into()))
}

enum Resume {
    /// The token holds the whole file already.
    Complete,
    /// Continue from this byte.
    At(u64),
}

/// Where to continue: the token's `uploadedFileSize`, after checking the token can take
/// the rest of this file.
async fn resume_point(client: &Client, token: &str, size: u64) -> Result<Resume> {
    let mut params = Map::new();
    params.insert("uploadTokenId".into(), Value::String(token.to_string()));
    let info = client
        .call_json("uploadtoken", "get", params, Vec::new())
        .await?;
    let uploaded = number(info.get("uploadedFileSize")).unwrap_or(0.0);
    let status = number(info.get("status")).map_or(-1, |s| s as i64);
    if let Some(expected) = number(info.get("fileSize")) {
        if expected > 0.0 && expected as u64 != size {
            return Err(CliError::usage(format!(
                "the upload token {token} is for a file of {} bytes, but this one has {size}; \
                 is it the same file?",
                expected as u64
            )));
        }
    }
    if !uploaded.is_finite() || uploaded < 0.0 || uploaded as u64 > size {
        return Err(CliError::usage(format!(
            "the upload token {token} already holds {uploaded} bytes, more than this file's \
             {size}; is it the same file?"
        )));
    }
    let uploaded = uploaded as u64;
    match status {
        PENDING | PARTIAL_UPLOAD => Ok(Resume::At(uploaded)),
        FULL_UPLOAD if uploaded == size => Ok(Resume::Complete),
        other => Err(CliError::usage(format!(
            "the upload token {token} is {} and cannot take more data; start a new upload \
             without --resume",
            status_name(other)
        ))),
    }
}

#[allow(clippy::too_many_arguments)]
async fn send_chunks(
    client: &Client,
    token: &str,
    path: &Path,
    size: u64,
    start: u64,
    chunk_size: u64,
    bar: Option<&ProgressBar>,
) -> std::result::Result<(), (u64, CliError)> {
    let mut offset = start;
    loop {
        let len = chunk_size.min(size - offset);
        let last = offset + len >= size;
        let file = match bar {
            None => FileParam::path_range(path, offset, len),
            Some(bar) => {
                let reader = open_range(path, offset, len)
                    .await
                    .map_err(|e| (offset, e))?;
                FileParam::reader(
                    Counting {
                        inner: reader,
                        bar: bar.clone(),
                    },
                    Some(len),
                    path.file_name()
                        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned()),
                )
            }
        };
        let mut params = Map::new();
        params.insert("uploadTokenId".into(), Value::String(token.to_string()));
        params.insert("resume".into(), Value::Bool(offset > 0));
        params.insert("finalChunk".into(), Value::Bool(last));
        params.insert("resumeAt".into(), Value::from(offset));
        client
            .call_json(
                "uploadtoken",
                "upload",
                params,
                vec![("fileData".into(), file)],
            )
            .await
            .map_err(|e| (offset, CliError::from(e)))?;
        if let Some(bar) = bar {
            bar.set_position(offset + len);
        }
        if last {
            return Ok(());
        }
        offset += len;
    }
}

async fn open_range(
    path: &Path,
    offset: u64,
    len: u64,
) -> Result<tokio::io::Take<tokio::fs::File>> {
    let local = |e: std::io::Error| CliError::Local(format!("cannot read {}: {e}", path.display()));
    let mut file = tokio::fs::File::open(path).await.map_err(local)?;
    file.seek(SeekFrom::Start(offset)).await.map_err(local)?;
    Ok(file.take(len))
}

fn progress_bar(size: u64, start: u64) -> ProgressBar {
    let bar = ProgressBar::new(size);
    let style = ProgressStyle::with_template(
        "{bar:32} {bytes}/{total_bytes}  {binary_bytes_per_sec}  ETA {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_position(start);
    bar.reset_eta();
    bar
}

/// Moves the progress bar as the body is read.
struct Counting<R> {
    inner: R,
    bar: ProgressBar,
}

impl<R: AsyncRead + Unpin> AsyncRead for Counting<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        let read = buf.filled().len().saturating_sub(before);
        if read > 0 {
            self.bar.inc(read as u64);
        }
        poll
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_numbers() {
        assert_eq!(shell_quote(Path::new("a/b.mp4")), "a/b.mp4");
        assert_eq!(
            shell_quote(Path::new("my file's.mp4")),
            r"'my file'\''s.mp4'"
        );
        assert_eq!(number(Some(&json!("12"))), Some(12.0));
        assert_eq!(number(Some(&json!(3.0))), Some(3.0));
        assert_eq!(number(Some(&json!(null))), None);
        assert_eq!(status_name(4), "TIMED_OUT");
    }
}
