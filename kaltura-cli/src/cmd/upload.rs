//! `kaltura upload`: a file into an upload token with [`Client::upload`] (chunks,
//! resuming and the token checks are the runtime's), a progress bar on a terminal,
//! and the command that continues an upload that stopped.

use crate::args::Sending;
use crate::context::Context;
use crate::error::{CliError, Result};
use crate::units::{self, format_bytes};
use crate::{output, sessions};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use kaltura_runtime::{Client, Progress, UploadError, UploadOptions, UploadSource};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

const UPLOAD_HELP: &str = "\
Creates an upload token (uploadToken.add) and sends the file in chunks
(uploadToken.upload), streamed from disk. The token id is the only output; attach it
to an entry with e.g.
  kaltura call media addContent entryId=0_abc \\
    resource:objectType=KalturaUploadedFileTokenResource resource:token=TOKEN_ID
If an upload stops, --resume asks the server how much it holds and sends the rest.
A progress bar is shown on a terminal.

SIZE: bytes (1048576), decimal units (5MB) or binary units (512KiB, 8MiB).

Examples:
  kaltura upload video.mp4
  kaltura upload video.mp4 --chunk-size 5MB
  kaltura upload video.mp4 --resume 0_abc123def";

#[derive(Args, Debug)]
#[command(after_help = UPLOAD_HELP)]
pub struct UploadArgs {
    /// The file to upload
    file: PathBuf,
    /// Bytes per uploadToken.upload call
    #[arg(long, value_name = "SIZE", default_value = "10MiB", value_parser = units::parse_size)]
    chunk_size: u64,
    /// Continue the upload into this token from where the server stopped
    #[arg(long, value_name = "TOKEN_ID")]
    resume: Option<String>,
    #[command(flatten)]
    sending: Sending,
}

pub async fn run(ctx: &Context, a: UploadArgs) -> Result<()> {
    let client = sessions::sending_client(ctx, &a.sending).await?;
    let token = upload(
        &client,
        &Upload {
            file: a.file,
            chunk_size: a.chunk_size,
            resume: a.resume,
            progress: std::io::stderr().is_terminal(),
        },
    )
    .await?;
    output::emit_line(&token)
}

pub struct Upload {
    pub file: PathBuf,
    pub chunk_size: u64,
    pub resume: Option<String>,
    /// Show a progress bar (on a terminal only).
    pub progress: bool,
}

/// Set by the first progress report, which comes once the token is known and
/// checked: the token id, and the bar when one is shown.
type Started = OnceLock<(String, Option<ProgressBar>)>;

/// Uploads the file and returns the token id.
pub async fn upload(client: &Client, up: &Upload) -> Result<String> {
    let started: Arc<Started> = Arc::default();
    let on_progress = {
        let started = started.clone();
        let show_bar = up.progress;
        move |p: &Progress| {
            let (_, bar) =
                started.get_or_init(|| (p.token_id.clone(), show_bar.then(|| progress_bar(p))));
            if let Some(bar) = bar {
                bar.set_position(p.streamed);
            }
        }
    };
    let mut options = UploadOptions::new()
        .chunk_size(up.chunk_size)
        .on_progress(on_progress);
    if let Some(token) = &up.resume {
        options = options.resume(token.as_str());
    }
    let result = client.upload(UploadSource::path(&up.file), options).await;
    if let Some((_, Some(bar))) = started.get() {
        bar.finish_and_clear();
    }
    match result {
        Ok(token) => Some(token.id)
            .filter(|id| !id.is_empty())
            .or_else(|| started.get().map(|(id, _)| id.clone()))
            .ok_or_else(|| CliError::Transport("the upload finished without a token id".into())),
        Err(e) => Err(upload_error(e, &up.file, started.get().is_some())),
    }
}

/// The failure, with the exit code of its cause; when the upload had started into a
/// token, with the command that continues it.
fn upload_error(e: UploadError, file: &Path, started: bool) -> CliError {
    let resume = resume_hint(e.token_id.as_deref(), e.sent, e.total, file, started);
    let error = CliError::from(e.into_error());
    match resume {
        Some(resume) => CliError::Resumable {
            error: Box::new(error),
            resume,
        },
        None => error,
    }
}

/// How to continue: only once the upload went past the token's checks (a token that
/// cannot take this file gives no hint).
fn resume_hint(
    token: Option<&str>,
    sent: u64,
    total: Option<u64>,
    file: &Path,
    started: bool,
) -> Option<String> {
    let token = token.filter(|_| started)?;
    Some(format!(
        "the upload stopped after {} of {}; continue it with:\n  kaltura upload {} --resume {token}",
        format_bytes(sent),
        total.map_or_else(|| "?".into(), format_bytes),
        shell_quote(file)
    ))
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

/// A bar from the first report: what the server already holds counts as done, not
/// towards the speed.
fn progress_bar(p: &Progress) -> ProgressBar {
    let bar = ProgressBar::new(p.total.unwrap_or(0));
    let style = ProgressStyle::with_template(
        "{bar:32} {bytes}/{total_bytes}  {binary_bytes_per_sec}  ETA {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_position(p.streamed);
    bar.reset_eta();
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote(Path::new("a/b.mp4")), "a/b.mp4");
        assert_eq!(
            shell_quote(Path::new("my file's.mp4")),
            r"'my file'\''s.mp4'"
        );
    }

    #[test]
    fn the_resume_hint_needs_a_started_token() {
        let file = Path::new("my file.mp4");
        assert_eq!(
            resume_hint(Some("1_tok"), 2048, Some(4096), file, true).as_deref(),
            Some(
                "the upload stopped after 2.0 KiB of 4.0 KiB; continue it with:\n  \
                 kaltura upload 'my file.mp4' --resume 1_tok"
            )
        );
        assert_eq!(resume_hint(Some("1_tok"), 0, None, file, false), None);
        assert_eq!(resume_hint(None, 0, None, file, true), None);
        let error = CliError::Resumable {
            error: Box::new(CliError::Transport("reset".into())),
            resume: "again".into(),
        };
        assert_eq!(
            (error.exit_code(), error.hints()),
            (4, vec!["again".into()])
        );
        assert_eq!(error.to_string(), "reset");
    }
}
