//! Uploads a file in chunks and makes a video entry of it.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...
//! cargo run --example upload -- movie.mp4
//! ```
//!
//! Without an argument it uploads a small generated file. If the upload stops, it
//! prints the token to resume with: `cargo run --example upload -- movie.mp4 <token>`.

use kaltura_client::types::*;
use kaltura_client::{Client, UploadOptions, UploadSource};
use std::path::PathBuf;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // KALTURA_SERVICE_URL, and KALTURA_KS or KALTURA_PARTNER_ID + KALTURA_ADMIN_SECRET.
    let client = Client::from_env().await?;

    let mut args = std::env::args().skip(1);
    let path = match args.next() {
        Some(path) => PathBuf::from(path),
        None => {
            let path = std::env::temp_dir().join("kaltura-rs-example.bin");
            let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, bytes)?;
            path
        }
    };
    let mut options = UploadOptions::new()
        .chunk_size(1024 * 1024)
        .on_progress(|p| eprintln!("{} bytes sent, {} confirmed", p.streamed, p.sent));
    if let Some(token) = args.next() {
        options = options.resume(token);
    }
    let token = match client.upload(UploadSource::path(&path), options).await {
        Ok(token) => token,
        Err(e) => {
            if let Some(token) = &e.token_id {
                eprintln!("to resume, run again with: {} {token}", path.display());
            }
            return Err(e.into());
        }
    };
    println!("uploaded into token {}", token.id);

    // An entry, then its content from the token.
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let entry = KalturaMediaEntry {
        name: name.as_ref().into(),
        media_type: KalturaMediaType::Video.into(),
        ..Default::default()
    };
    let entry = client.media().add(entry).await?;
    let entry_id = entry
        .base()
        .id
        .as_deref()
        .ok_or("the server sent no entry id")?;
    let content = KalturaUploadedFileTokenResource {
        token: token.id.into(),
        ..Default::default()
    };
    let entry = client
        .media()
        .add_content(entry_id)
        .resource(content)
        .await?;
    println!("entry {entry_id} created, status {:#}", entry.base().status);
    Ok(())
}
