//! The URLs a page needs for one entry, made locally without a call: an HLS and a
//! DASH manifest for a player, an MP4 for a plain `<video>`, a thumbnail and a frame
//! for an `<img>`, and a download link. With the admin secret, each URL carries a KS
//! of its own: a USER session that may view this entry, through this URL only, for
//! ten minutes.
//!
//! ```sh
//! export KALTURA_PARTNER_ID=1234567          # KALTURA_SERVICE_URL off SaaS
//! export KALTURA_ADMIN_SECRET=...            # optional: only for entries that need a KS
//! cargo run --example delivery_urls -- 0_abc123
//! ```
//!
//! A URL with a KS is a bearer token for that entry until it expires: hand it only to
//! whoever may watch.

use kaltura_client::delivery::{Delivery, StreamFormat, UrlKs};
use kaltura_client::ks::AdminSecret;
use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let entry_id = std::env::args().nth(1).unwrap_or("0_abc123".into());
    // The vendor's CDN in front of its SaaS API; a region or your server otherwise.
    let url: String = env("KALTURA_SERVICE_URL").unwrap_or("https://cdnapisec.kaltura.com".into());
    let delivery = Delivery::new(url, env("KALTURA_PARTNER_ID")?);
    let secret = match env::<String>("KALTURA_ADMIN_SECRET") {
        Ok(s) => Some(AdminSecret::new(s)?),
        Err(_) => None,
    };
    let ks = UrlKs::expiring_in(Duration::from_secs(600));

    let urls = [
        ("HLS", delivery.play_manifest(&entry_id)),
        (
            "DASH",
            delivery
                .play_manifest(&entry_id)
                .format(StreamFormat::MpegDash),
        ),
        (
            "MP4",
            delivery
                .play_manifest(&entry_id)
                .format(StreamFormat::Url)
                .file_name("a.mp4"),
        ),
    ];
    for (name, manifest) in urls {
        let manifest = match &secret {
            Some(s) => manifest.mint_ks(s, ks.clone()),
            None => manifest,
        };
        println!("{name:<10}{}", manifest.url()?.as_str());
    }

    let images = [
        (
            "thumbnail",
            delivery.thumbnail(&entry_id).width(640).height(360),
        ),
        (
            "frame 10s",
            delivery.thumbnail(&entry_id).width(640).vid_sec(10.0),
        ),
    ];
    for (name, image) in images {
        let image = match &secret {
            Some(s) => image.mint_ks(s, ks.clone()),
            None => image,
        };
        println!("{name:<10}{}", image.url()?.as_str());
    }

    // The server redirects a raw download once (to add the file's extension), so a
    // KS limited in requests needs two.
    let download = delivery.raw(&entry_id);
    let download = match &secret {
        Some(s) => download.mint_ks(s, ks.clone().actions_limit(2)),
        None => download,
    };
    println!("{:<10}{}", "download", download.url()?.as_str());
    Ok(())
}

/// A setting from the environment; errors name the variable.
fn env<T: std::str::FromStr>(name: &str) -> Result<T, String> {
    let value = std::env::var(name).map_err(|_| format!("set {name} (see {})", file!()))?;
    value.parse().map_err(|_| format!("{name} is not valid"))
}
