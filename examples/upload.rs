//! Uploads a file in chunks and makes a media entry of it.
//!
//! ```sh
//! KALTURA_PARTNER_ID=... KALTURA_ADMIN_SECRET=... cargo run --example upload -- movie.mp4
//! ```
//!
//! Without an argument it uploads a small generated file. If the upload stops, it
//! prints the token to resume with: `cargo run --example upload -- movie.mp4 <token>`.

mod common;

use common::{Env, Result};
use kaltura_client::types::*;
use kaltura_client::{UploadOptions, UploadSource};
use std::path::PathBuf;

fn main() -> std::process::ExitCode {
    common::main_with(run)
}

async fn run() -> Result {
    let env = Env::from_env()?;
    let client = env.admin_client().await?;

    let mut args = std::env::args().skip(1);
    let path = match args.next() {
        Some(p) => PathBuf::from(p),
        None => {
            let path = std::env::temp_dir().join("kaltura-rs-example.bin");
            let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
            tokio::fs::write(&path, bytes).await?;
            path
        }
    };
    let mut options = UploadOptions::new()
        .chunk_size(1024 * 1024)
        .on_progress(|p| match p.total {
            Some(total) => eprintln!("{} / {total} bytes ({} confirmed)", p.streamed, p.sent),
            None => eprintln!("{} bytes ({} confirmed)", p.streamed, p.sent),
        });
    if let Some(token) = args.next() {
        options = options.resume(token);
    }

    let token = match client.upload(UploadSource::path(&path), options).await {
        Ok(token) => token,
        Err(e) => {
            if let Some(token) = &e.token_id {
                eprintln!(
                    "to resume: cargo run --example upload -- {} {token}",
                    path.display()
                );
            }
            return Err(e.into());
        }
    };
    let token_id = token.id;
    println!("uploaded into token {token_id}");

    // An entry, then its content from the token.
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "upload".into());
    let entry = client
        .media()
        .add(KalturaMediaEntry {
            name: name.into(),
            media_type: KalturaMediaType::Video.into(),
            ..Default::default()
        })
        .await?;
    let KalturaMediaEntryAny::KalturaMediaEntry(entry) = entry else {
        return Err(format!("media.add answered with a {}", entry.object_type()).into());
    };
    let entry_id = entry
        .id
        .into_option()
        .ok_or("the server sent no entry id")?;
    let entry = client
        .media()
        .add_content(entry_id.as_str())
        .resource(KalturaUploadedFileTokenResource {
            token: token_id.into(),
            ..Default::default()
        })
        .await?;
    let status = match &entry {
        KalturaMediaEntryAny::KalturaMediaEntry(e) => e.status.as_ref().cloned(),
        _ => None,
    };
    println!("entry {entry_id} created, status {status:?}");
    Ok(())
}
