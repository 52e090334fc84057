//! Chunked uploads into an upload token, streamed from disk.

use crate::error::Error;
use crate::generated::services::UploadTokenUploadRequest;
use crate::generated::types::KalturaUploadToken;
use crate::request::FileParam;
use crate::Client;
use std::path::Path;

impl Client {
    /// Uploads the file at `path` into the upload token `upload_token_id` in chunks of
    /// `chunk_size` bytes, one `uploadToken.upload` call per chunk, each streamed from
    /// disk (never loaded whole).
    ///
    /// The first chunk goes with `resume=false, resumeAt=0`, every later one with
    /// `resume=true` and its byte offset as `resumeAt`; exactly the last has
    /// `finalChunk=true`. A failed chunk stops the upload with its error; nothing is
    /// retried (a repeated final chunk is an error on the server), so a caller can
    /// resume from the token's `uploadedFileSize` with
    /// [`FileParam::path_range`] and `client.upload_token().upload(..)`.
    ///
    /// Returns the token as the server describes it after the last chunk.
    pub async fn upload_chunked(
        &self,
        upload_token_id: &str,
        path: impl AsRef<Path>,
        chunk_size: u64,
    ) -> Result<KalturaUploadToken, Error> {
        let path = path.as_ref();
        if chunk_size == 0 {
            return Err(Error::InvalidInput(
                "the chunk size must not be zero".into(),
            ));
        }
        let size = tokio::fs::metadata(path)
            .await
            .map_err(|e| {
                Error::InvalidInput(format!("cannot read the file {}: {e}", path.display()))
            })?
            .len();
        let mut offset = 0u64;
        loop {
            let len = chunk_size.min(size - offset);
            let last = offset + len >= size;
            let request = UploadTokenUploadRequest::new(
                upload_token_id,
                FileParam::path_range(path, offset, len),
            )
            .resume(offset > 0)
            .final_chunk(last)
            .resume_at(offset as f64);
            let token = self.send(request).await?;
            if last {
                return Ok(token);
            }
            offset += len;
        }
    }
}
