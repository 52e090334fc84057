//! Delivery URLs, made locally: what a player, a download link or an `<img>` needs,
//! without a call to the API.
//!
//! * the manifest a player opens (HLS `applehttp`, DASH `mpegdash`), or a redirect
//!   to one flavor's file (`url`, `download`), with [`PlayManifest`]:
//!   `/p/{partner}/sp/{partner}00/playManifest/entryId/{id}/…`;
//! * an image of the entry at a size, or a frame of the video (`vid_sec`), with
//!   [`Thumbnail`]: `/p/{partner}/sp/{partner}00/thumbnail/entry_id/{id}/…`;
//! * the source file (or a flavor with `format`) as a download, with
//!   [`RawDownload`]: `/p/{partner}/sp/{partner}00/raw/entry_id/{id}/…`.
//!
//! Parameters travel as `/name/value` path segments, which is how the server reads
//! them (every pair of segments after the action is a parameter; a last lone segment
//! such as `a.m3u8` only gives players the file type they look for). The base is the
//! client's service URL, so regional clouds and self-hosted servers work alike
//! (`https://cdnapisec.kaltura.com` is the vendor's CDN for its SaaS cloud).
//!
//! ```
//! use kaltura_runtime::delivery::{Delivery, StreamFormat, UrlKs};
//! use kaltura_runtime::ks::AdminSecret;
//! use std::time::Duration;
//!
//! # fn main() -> Result<(), kaltura_runtime::Error> {
//! let delivery = Delivery::new("https://cdnapisec.kaltura.com", 1234567);
//! let hls = delivery.play_manifest("0_abc123").format(StreamFormat::AppleHttp).url()?;
//! assert_eq!(
//!     hls.as_str(),
//!     "https://cdnapisec.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/0_abc123\
//!      /format/applehttp/protocol/https/a.m3u8"
//! );
//!
//! // A thumbnail of an entry that needs a KS, with one made for this URL only.
//! let secret = AdminSecret::new("0123456789abcdef0123456789abcdef")?;
//! let img = delivery
//!     .thumbnail("0_abc123")
//!     .width(640)
//!     .height(360)
//!     .mint_ks(&secret, UrlKs::expiring_in(Duration::from_secs(600)))
//!     .url()?;
//! assert!(img.as_str().contains("/thumbnail/entry_id/0_abc123/width/640/height/360?ks="));
//! # Ok(()) }
//! ```
//!
//! # A KS for one URL
//!
//! Entries behind an access-control profile that asks for a KS need one in their
//! URLs, and such URLs end up in page sources, browser histories and logs. So a URL
//! carries a KS of its own ([`UrlKs`], made locally with the admin secret), as narrow
//! as the URL needs; this is what the server itself does when its delivery profiles
//! tokenise URLs (`kKsUrlTokenizer`):
//!
//! * a USER session (never ADMIN), v2 (its fields are encrypted);
//! * `sview:{entry}`: viewing this entry, nothing else;
//! * `urirestrict:{path}*`: valid only for requests whose path starts with this URL's
//!   path (cut before the first `,`, which separates privileges, as the server's own
//!   tokenizer does); the KS goes in the query (`?ks=`), after the path it restricts;
//! * an expiry (the URL stops working then);
//! * on request, `actionslimit:{n}` (the number of requests the KS may serve: mind
//!   that a player fetches a manifest more than once, and a raw download takes two,
//!   as the server redirects once to put the file's extension in the URL),
//!   `iprestrict:{ip}`, and `disableentitlementforentry:{entry}` for partners with
//!   entitlement on.
//!
//! URLs the server hands out in a manifest (segments, flavors) are authorised by the
//! delivery profile's own tokens, not by this KS.

use crate::error::Error;
use crate::secret::Secret;
use crate::ServeUrl;
use kaltura_ks::{AdminSecret, KsBuilder, Privileges, SessionType};
use std::fmt;
use std::time::Duration;

/// Where delivery URLs point: a server (the client's service URL) and a partner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    base: String,
    partner_id: i64,
    sub_partner_id: i64,
}

impl Delivery {
    /// URLs on the server at `service_url` (as a client takes it: a trailing `/` or
    /// `/api_v3` is fine; a [`Region`](crate::Region) converts into one) for the
    /// partner `partner_id`.
    pub fn new(service_url: impl Into<String>, partner_id: i64) -> Self {
        Delivery {
            base: crate::ClientConfig::new(service_url).service_url,
            partner_id,
            sub_partner_id: partner_id.saturating_mul(100),
        }
    }

    /// URLs on `client`'s server.
    pub fn for_client(client: &crate::Client, partner_id: i64) -> Self {
        Delivery::new(client.config().service_url.clone(), partner_id)
    }

    /// The sub-partner id in `/sp/…` (an entry's `subpId`): the partner id followed
    /// by `00` unless the account says otherwise.
    pub fn sub_partner_id(mut self, id: i64) -> Self {
        self.sub_partner_id = id;
        self
    }

    /// The partner the URLs are for.
    pub fn partner_id(&self) -> i64 {
        self.partner_id
    }

    /// A `playManifest` URL for `entry_id`: HLS (`applehttp`) over `https` unless told
    /// otherwise.
    pub fn play_manifest(&self, entry_id: impl Into<String>) -> PlayManifest {
        PlayManifest {
            common: self.common(entry_id),
            format: StreamFormat::AppleHttp,
            protocol: "https".into(),
            flavors: None,
            file_name: None,
        }
    }

    /// A `thumbnail` URL for `entry_id` (the server's default: 120×90).
    pub fn thumbnail(&self, entry_id: impl Into<String>) -> Thumbnail {
        Thumbnail {
            common: self.common(entry_id),
        }
    }

    /// A `raw` URL for `entry_id`: its source file, as a download.
    pub fn raw(&self, entry_id: impl Into<String>) -> RawDownload {
        RawDownload {
            common: self.common(entry_id),
        }
    }

    fn common(&self, entry_id: impl Into<String>) -> Common {
        Common {
            delivery: self.clone(),
            entry_id: entry_id.into(),
            params: Vec::new(),
            ks: UrlKsChoice::None,
        }
    }
}

/// What a `playManifest` URL serves (its `format`, the server's `PlaybackProtocol`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StreamFormat {
    /// HLS (`applehttp`): a master playlist; the URL ends in `a.m3u8`.
    AppleHttp,
    /// MPEG-DASH (`mpegdash`): an MPD; the URL ends in `manifest.mpd`.
    MpegDash,
    /// One flavor's file (`url`): the server redirects to it.
    Url,
    /// One flavor's file as a download (`download`): the server redirects to it,
    /// named after the entry.
    Download,
    /// Another format the server knows (`hdnetworkmanifest`, `rtmp`, `sl`, ...).
    Other(String),
}

impl StreamFormat {
    /// The value in the URL.
    pub fn as_str(&self) -> &str {
        match self {
            StreamFormat::AppleHttp => "applehttp",
            StreamFormat::MpegDash => "mpegdash",
            StreamFormat::Url => "url",
            StreamFormat::Download => "download",
            StreamFormat::Other(s) => s,
        }
    }

    /// The last segment players expect for this format.
    fn default_file_name(&self) -> Option<&'static str> {
        match self {
            StreamFormat::AppleHttp => Some("a.m3u8"),
            StreamFormat::MpegDash => Some("manifest.mpd"),
            _ => None,
        }
    }
}

impl fmt::Display for StreamFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the KS a URL carries is made: a USER session that may view the URL's entry,
/// through this URL only, until it expires (see the [module documentation](self)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlKs {
    expires_in: Duration,
    user_id: String,
    actions_limit: Option<u64>,
    ip: Option<String>,
    disable_entitlement: bool,
    now: Option<i64>,
}

impl UrlKs {
    /// A KS that expires `lifetime` after it is made (whole seconds; at least one).
    pub fn expiring_in(lifetime: Duration) -> Self {
        UrlKs {
            expires_in: lifetime,
            user_id: String::new(),
            actions_limit: None,
            ip: None,
            disable_entitlement: false,
            now: None,
        }
    }

    /// The user the session is for (analytics and entitlement see it); anonymous
    /// otherwise.
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = user_id.into();
        self
    }

    /// At most `n` requests (`actionslimit`). A player fetches a manifest more than
    /// once; a raw download takes two requests.
    pub fn actions_limit(mut self, n: u64) -> Self {
        self.actions_limit = Some(n);
        self
    }

    /// Only from this client address (`iprestrict`).
    pub fn ip_restrict(mut self, ip: impl Into<String>) -> Self {
        self.ip = Some(ip.into());
        self
    }

    /// `disableentitlementforentry:{entry}`, for partners with entitlement checks on
    /// whose user is not entitled to the entry otherwise.
    pub fn disable_entitlement_for_entry(mut self) -> Self {
        self.disable_entitlement = true;
        self
    }

    /// Makes the KS as if the clock said `unix_seconds` (for tests).
    pub fn now(mut self, unix_seconds: i64) -> Self {
        self.now = Some(unix_seconds);
        self
    }

    /// The privileges for `entry_id` on the URL path `path`.
    fn privileges(&self, entry_id: &str, path: &str) -> Privileges {
        // The server splits privileges at `,`; its own tokenizer restricts to the URL
        // up to the first one.
        let prefix = path.split(',').next().unwrap_or(path);
        let mut p = Privileges::new()
            .view_entry(entry_id)
            .uri_restrict([format!("{prefix}*")]);
        if let Some(n) = self.actions_limit {
            p = p.actions_limit(n);
        }
        if let Some(ip) = &self.ip {
            p = p.ip_restrict([ip.as_str()]);
        }
        if self.disable_entitlement {
            p = p.disable_entitlement_for_entry(entry_id);
        }
        p
    }
}

#[derive(Clone)]
enum UrlKsChoice {
    None,
    Given(Secret),
    Minted(Box<(AdminSecret, UrlKs)>),
}

impl fmt::Debug for UrlKsChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlKsChoice::None => f.write_str("None"),
            UrlKsChoice::Given(_) => f.write_str("Given(<redacted>)"),
            UrlKsChoice::Minted(m) => f.debug_tuple("Minted").field(&m.1).finish(),
        }
    }
}

/// What every delivery URL has: the server, the entry, parameters, a KS.
#[derive(Clone, Debug)]
struct Common {
    delivery: Delivery,
    entry_id: String,
    /// Parameters in the order they were first set; setting one again replaces it.
    params: Vec<(String, String)>,
    ks: UrlKsChoice,
}

impl Common {
    fn set(&mut self, name: &str, value: String) {
        match self.params.iter_mut().find(|(n, _)| n == name) {
            Some(p) => p.1 = value,
            None => self.params.push((name.to_string(), value)),
        }
    }

    /// The URL: `base` + path from `segments` (name/value pairs, then an optional
    /// last lone segment), and `?ks=` when a KS goes with it.
    fn url(
        &self,
        action: &str,
        segments: &[(&str, &str)],
        tail: Option<&str>,
    ) -> Result<ServeUrl, Error> {
        let d = &self.delivery;
        let mut path = format!(
            "{}/p/{}/sp/{}/{action}",
            base_path(&d.base),
            d.partner_id,
            d.sub_partner_id
        );
        for (i, (name, value)) in segments.iter().enumerate() {
            check_name(name)?;
            if name.eq_ignore_ascii_case("ks") || segments[..i].iter().any(|(n, _)| n == name) {
                // The server reads the first of two (and a KS goes in the query).
                return Err(Error::InvalidInput(format!(
                    "the URL parameter {name} is set by the builder; use its method"
                )));
            }
            check_value(name, value)?;
            path.push('/');
            path.push_str(name);
            path.push('/');
            path.push_str(value);
        }
        if let Some(tail) = tail {
            check_value("file name", tail)?;
            if tail.contains(',') {
                return Err(Error::InvalidInput(format!(
                    "the file name {tail:?} contains ','"
                )));
            }
            path.push('/');
            path.push_str(tail);
        }
        let origin = &d.base[..d.base.len() - base_path(&d.base).len()];
        let url = format!("{origin}{path}");
        let ks = match &self.ks {
            UrlKsChoice::None => {
                return Ok(ServeUrl {
                    shown: url.clone(),
                    url,
                })
            }
            UrlKsChoice::Given(ks) => ks.expose().to_string(),
            UrlKsChoice::Minted(m) => {
                let (secret, spec) = (&m.0, &m.1);
                let seconds = i64::try_from(spec.expires_in.as_secs())
                    .unwrap_or(i64::MAX)
                    .max(1);
                let mut b = KsBuilder::new(d.partner_id, SessionType::User)
                    .user_id(spec.user_id.clone())
                    .expires_in(seconds)
                    .privileges(spec.privileges(&self.entry_id, &path));
                if let Some(now) = spec.now {
                    b = b.now(now);
                }
                b.generate_v2(secret)?.expose().to_string()
            }
        };
        Ok(ServeUrl {
            url: format!("{url}?ks={}", query_encode(&ks)),
            shown: format!("{url}?ks=<redacted>"),
        })
    }
}

/// The path part of a service URL (`/kaltura` for `https://host/kaltura`), empty for
/// a server at the root.
fn base_path(base: &str) -> &str {
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    match base[after_scheme..].find('/') {
        Some(i) => &base[after_scheme + i..],
        None => "",
    }
}

fn check_name(name: &str) -> Result<(), Error> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(Error::InvalidInput(format!(
            "the URL parameter name {name:?} is not letters, digits and '_'"
        )));
    }
    Ok(())
}

/// A value that goes into a path segment as it is: the server splits the path at `/`
/// after decoding it, so nothing is escaped and only characters that need no escape
/// are taken (ids, numbers, names of formats).
fn check_value(name: &str, value: &str) -> Result<(), Error> {
    let ok = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'~' | b','));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "the {name} {value:?} cannot go into a delivery URL: it must be non-empty \
             letters, digits and _ - . ~ ,"
        )))
    }
}

fn query_encode(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

/// Setters every delivery URL has.
macro_rules! ks_setters {
    () => {
        /// Carries this KS (one the caller already has: a session's, or one made
        /// for a player) in the query.
        pub fn ks(mut self, ks: impl Into<Secret>) -> Self {
            self.common.ks = UrlKsChoice::Given(ks.into());
            self
        }

        /// Carries a KS made for this URL only, with the admin secret, when the URL
        /// is built (see the [module documentation](self)).
        pub fn mint_ks(mut self, secret: &AdminSecret, spec: UrlKs) -> Self {
            self.common.ks = UrlKsChoice::Minted(Box::new((secret.clone(), spec)));
            self
        }

        /// Any other parameter the action reads, as `/name/value`.
        pub fn param(mut self, name: &str, value: impl ToString) -> Self {
            self.common.set(name, value.to_string());
            self
        }
    };
}

/// A `playManifest` URL: a player's manifest, or a redirect to one flavor's file.
/// From [`Delivery::play_manifest`].
#[derive(Clone, Debug)]
pub struct PlayManifest {
    common: Common,
    format: StreamFormat,
    protocol: String,
    flavors: Option<(&'static str, String)>,
    /// `None`: the format's usual name; `Some(None)`: none.
    file_name: Option<Option<String>>,
}

impl PlayManifest {
    ks_setters!();

    /// The format (default: HLS, `applehttp`).
    pub fn format(mut self, format: StreamFormat) -> Self {
        self.format = format;
        self
    }

    /// The protocol of the URLs inside the manifest (default `https`).
    pub fn protocol(mut self, protocol: impl Into<String>) -> Self {
        self.protocol = protocol.into();
        self
    }

    /// Only these flavors (`flavorIds/0_a,0_b`; for `url` and `download`, one).
    pub fn flavor_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let ids: Vec<String> = ids.into_iter().map(|s| s.as_ref().to_string()).collect();
        self.flavors = Some(if ids.len() == 1 {
            ("flavorId", ids.concat())
        } else {
            ("flavorIds", ids.join(","))
        });
        self
    }

    /// Only the flavors made with these flavor params (`flavorParamIds/0,4`).
    pub fn flavor_param_ids<I: IntoIterator<Item = i64>>(mut self, ids: I) -> Self {
        let ids: Vec<String> = ids.into_iter().map(|i| i.to_string()).collect();
        self.flavors = Some(("flavorParamIds", ids.join(",")));
        self
    }

    /// Plays up to this point (`clipTo`, milliseconds).
    pub fn clip_to(self, at: Duration) -> Self {
        let ms = at.as_millis();
        self.param("clipTo", ms)
    }

    /// Starts from this point (`seekFrom`, milliseconds).
    pub fn seek_from(self, at: Duration) -> Self {
        let ms = at.as_millis();
        self.param("seekFrom", ms)
    }

    /// The last segment (default `a.m3u8` for HLS, `manifest.mpd` for DASH, none for
    /// the others); players and browsers go by it. Give `a.mp4` with `url`, for one.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(Some(name.into()));
        self
    }

    /// No last segment.
    pub fn no_file_name(mut self) -> Self {
        self.file_name = Some(None);
        self
    }

    /// The URL; with a KS made for it when asked ([`PlayManifest::mint_ks`]).
    pub fn url(&self) -> Result<ServeUrl, Error> {
        let c = &self.common;
        let mut segments: Vec<(&str, &str)> = vec![("entryId", &c.entry_id)];
        if let Some((name, ids)) = &self.flavors {
            segments.push((name, ids));
        }
        segments.push(("format", self.format.as_str()));
        segments.push(("protocol", &self.protocol));
        for (n, v) in &c.params {
            segments.push((n, v));
        }
        let tail = match &self.file_name {
            None => self.format.default_file_name(),
            Some(name) => name.as_deref(),
        };
        c.url("playManifest", &segments, tail)
    }
}

/// A `thumbnail` URL: an image of the entry. From [`Delivery::thumbnail`].
#[derive(Clone, Debug)]
pub struct Thumbnail {
    common: Common,
}

impl Thumbnail {
    ks_setters!();

    /// The width in pixels (with no height, the height follows the aspect ratio).
    pub fn width(self, px: u32) -> Self {
        self.param("width", px)
    }

    /// The height in pixels (with no width, the width follows the aspect ratio).
    pub fn height(self, px: u32) -> Self {
        self.param("height", px)
    }

    /// How the image is fitted to the size (`type`): 1 resizes keeping the aspect
    /// ratio (the default), 2 resizes and pads with `bgcolor`, 3 crops to the size,
    /// 4 crops from the top, 5 stretches.
    pub fn fit(self, kind: u8) -> Self {
        self.param("type", kind)
    }

    /// A frame of the video at this second (`vid_sec`) rather than the entry's
    /// thumbnail.
    pub fn vid_sec(self, seconds: f64) -> Self {
        self.param("vid_sec", seconds)
    }

    /// JPEG quality, 0 to 100 (`quality`).
    pub fn quality(self, quality: u8) -> Self {
        self.param("quality", quality)
    }

    /// The entry's thumbnail version (`version`), so that a new thumbnail gets a new
    /// URL past caches.
    pub fn version(self, version: i64) -> Self {
        self.param("version", version)
    }

    /// The padding colour for `fit(2)`, as hex (`bgcolor`, default `ffffff`).
    pub fn bgcolor(self, hex: &str) -> Self {
        self.param("bgcolor", hex)
    }

    /// The URL; with a KS made for it when asked ([`Thumbnail::mint_ks`]).
    pub fn url(&self) -> Result<ServeUrl, Error> {
        let c = &self.common;
        let mut segments: Vec<(&str, &str)> = vec![("entry_id", &c.entry_id)];
        for (n, v) in &c.params {
            segments.push((n, v));
        }
        c.url("thumbnail", &segments, None)
    }
}

/// A `raw` URL: the entry's source file (or one flavor) as a download. From
/// [`Delivery::raw`].
#[derive(Clone, Debug)]
pub struct RawDownload {
    common: Common,
}

impl RawDownload {
    ks_setters!();

    /// The entry's version (`version`).
    pub fn version(self, version: i64) -> Self {
        self.param("version", version)
    }

    /// The flavor with this file extension (`mp4`, ...) instead of the source
    /// (`type/download/format/{ext}`).
    pub fn flavor_format(self, extension: &str) -> Self {
        self.param("type", "download").param("format", extension)
    }

    /// The name the file is saved as (`file_name`; default: the entry's name).
    pub fn file_name(self, name: &str) -> Self {
        self.param("file_name", name)
    }

    /// Serves the file without `Content-Disposition: attachment` (`direct_serve`),
    /// for a browser to show rather than save.
    pub fn direct_serve(self) -> Self {
        self.param("direct_serve", 1)
    }

    /// The URL; with a KS made for it when asked ([`RawDownload::mint_ks`]).
    pub fn url(&self) -> Result<ServeUrl, Error> {
        let c = &self.common;
        let mut segments: Vec<(&str, &str)> = vec![("entry_id", &c.entry_id)];
        for (n, v) in &c.params {
            segments.push((n, v));
        }
        c.url("raw", &segments, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://www.kaltura.com"), "");
        assert_eq!(base_path("http://10.0.0.1:8080/kaltura"), "/kaltura");
    }

    #[test]
    fn values_that_would_change_the_path_are_refused() {
        let d = Delivery::new("https://h", 1);
        for id in ["", "0_a/b", "0_a?b", "0 a", "0_a#", "0_a%2F", "é"] {
            let e = d.play_manifest(id).url().unwrap_err();
            assert!(matches!(e, Error::InvalidInput(_)), "{id:?}: {e}");
        }
        assert!(d.thumbnail("0_a").param("a/b", 1).url().is_err());
        assert!(d.raw("0_a").file_name("my file").url().is_err());
    }

    #[test]
    fn setting_a_parameter_again_replaces_it() {
        let d = Delivery::new("https://h", 1);
        let url = d
            .thumbnail("0_a")
            .width(1)
            .height(2)
            .width(3)
            .url()
            .unwrap();
        assert_eq!(
            url.as_str(),
            "https://h/p/1/sp/100/thumbnail/entry_id/0_a/width/3/height/2"
        );
    }

    #[test]
    fn debug_hides_the_ks() {
        let d = Delivery::new("https://h", 1);
        let b = d.raw("0_a").ks("djJ8MXxzZWNyZXQ");
        assert!(!format!("{b:?}").contains("djJ8"));
        assert!(!format!("{:?}", b.url().unwrap()).contains("djJ8"));
    }
}
