//! File parameters: where an uploaded file's bytes come from, and how a request names
//! them. Below both the request values that carry them and the transports that stream
//! them, so neither imports the other for them.

use bytes::Bytes;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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

/// The media type a file part is sent with, from its name's extension (case aside), as
/// the vendor's Python client guesses it; `application/octet-stream` for a name it does
/// not know. The server keeps what it is told, and some flows (captions, documents,
/// thumbnails) read it.
pub fn content_type_for(file_name: &str) -> &'static str {
    let extension = match file_name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() || file_name.len() > ext.len() + 1 => ext,
        _ => return OCTET_STREAM,
    };
    let extension = extension.to_ascii_lowercase();
    match extension.as_str() {
        // video
        "mp4" | "m4v" => "video/mp4",
        "mov" | "qt" => "video/quicktime",
        "webm" => "video/webm",
        "mkv" => "video/x-matroska",
        "avi" => "video/x-msvideo",
        "wmv" => "video/x-ms-wmv",
        "flv" => "video/x-flv",
        "mpg" | "mpeg" => "video/mpeg",
        "ts" | "m2ts" => "video/mp2t",
        "3gp" => "video/3gpp",
        "ogv" => "video/ogg",
        // audio
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "aac" => "audio/aac",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        "ogg" | "oga" => "audio/ogg",
        "wma" => "audio/x-ms-wma",
        // images
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "bmp" => "image/bmp",
        "svg" => "image/svg+xml",
        "tif" | "tiff" => "image/tiff",
        // captions and text
        "srt" => "application/x-subrip",
        "vtt" => "text/vtt",
        "dfxp" | "ttml" => "application/ttml+xml",
        "scc" => "text/x-scc",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "xml" => "application/xml",
        "json" => "application/json",
        // documents and archives
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => OCTET_STREAM,
    }
}

const OCTET_STREAM: &str = "application/octet-stream";

fn base_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into())
}

impl FileParam {
    /// A file on disk, streamed when sent. The part's filename is the path's last part,
    /// its content type guessed from it ([`content_type_for`]).
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = base_name(&path);
        FileParam {
            content_type: content_type_for(&file_name).into(),
            file_name,
            source: FileSource::Path(path),
            on_read: None,
        }
    }

    /// `len` bytes of a file from `offset` on, streamed when sent: one chunk of a
    /// chunked upload (`uploadToken.upload` with `resume`/`resumeAt`).
    pub fn path_range(path: impl Into<PathBuf>, offset: u64, len: u64) -> Self {
        let path = path.into();
        let file_name = base_name(&path);
        FileParam {
            content_type: content_type_for(&file_name).into(),
            file_name,
            source: FileSource::PathRange { path, offset, len },
            on_read: None,
        }
    }

    /// Bytes in memory, sent as a file named `file_name` (its content type guessed
    /// from the name).
    pub fn bytes(bytes: impl Into<Bytes>, file_name: impl Into<String>) -> Self {
        let file_name = file_name.into();
        FileParam {
            source: FileSource::Bytes(bytes.into()),
            content_type: content_type_for(&file_name).into(),
            file_name,
            on_read: None,
        }
    }

    /// Bytes from a reader, streamed when sent. Give `len` when it is known.
    pub fn reader(
        reader: impl tokio::io::AsyncRead + Send + Sync + Unpin + 'static,
        len: Option<u64>,
        file_name: impl Into<String>,
    ) -> Self {
        let file_name = file_name.into();
        FileParam {
            source: FileSource::Reader {
                reader: Box::new(reader),
                len,
            },
            content_type: content_type_for(&file_name).into(),
            file_name,
            on_read: None,
        }
    }

    /// Sends the part with this content type instead of the one guessed from its name.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// Renames the part. A content type that was guessed from the old name is guessed
    /// again from the new one; one set with [`FileParam::with_content_type`] stays.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        let file_name = file_name.into();
        if self.content_type == content_type_for(&self.file_name) {
            self.content_type = content_type_for(&file_name).into();
        }
        self.file_name = file_name;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_come_from_the_extension() {
        assert_eq!(content_type_for("intro.MP4"), "video/mp4");
        assert_eq!(content_type_for("subs.en.srt"), "application/x-subrip");
        assert_eq!(content_type_for("cover.jpeg"), "image/jpeg");
        assert_eq!(content_type_for("notes"), "application/octet-stream");
        assert_eq!(content_type_for(".mp4"), "application/octet-stream");
        assert_eq!(
            content_type_for("archive.unknown"),
            "application/octet-stream"
        );
    }

    #[test]
    fn a_rename_guesses_again_unless_the_type_was_set() {
        let part = FileParam::bytes(&b"1"[..], "a.bin").with_file_name("a.vtt");
        assert_eq!(part.content_type, "text/vtt");
        let part = FileParam::bytes(&b"1"[..], "a.srt")
            .with_content_type("text/plain")
            .with_file_name("b.mp4");
        assert_eq!(part.content_type, "text/plain");
    }
}
