//! Delivery URLs made locally, compared with URLs of the same shape that the vendor's
//! server writes itself (each test names the file of kaltura/server it follows), and
//! the KS minted for one URL read back with the admin secret.

use kaltura_runtime::delivery::{Delivery, StreamFormat, UrlKs};
use kaltura_runtime::ks::{AdminSecret, Ks, KsFields, SessionType};
use kaltura_runtime::regions;
use kaltura_runtime::webhook::Notification;
use kaltura_runtime::Error;
use kaltura_tests::data_file;
use serde_json::Value;
use std::time::Duration;

const SECRET: &str = "5b1e9c3a7d2f4e6081a9c7e5d3b1f2a4";
const PARTNER: i64 = 1234567;
const NOW: i64 = 1_800_000_000;

fn secret() -> AdminSecret {
    AdminSecret::new(SECRET).unwrap()
}

/// The KS in a URL's query, read with the secret.
fn ks_of(url: &str) -> KsFields {
    let (_, query) = url.split_once("?ks=").expect("the URL carries a KS");
    assert!(!query.contains('&'), "{url}");
    // base64url, its padding escaped.
    let ks = query.replace("%3D", "=");
    Ks::from(ks)
        .decode(&secret())
        .expect("the KS reads with the secret")
}

/// `thumbnailUrl` and `downloadUrl` as a real server wrote them into the entry of the
/// server's example notification (`plugins/event_notification/providers/http/example/
/// test.php`, kept in `tests/data/webhooks/`): `{cdn}/p/{p}/sp/{p}00/thumbnail/
/// entry_id/{id}/version/{v}` and `…/raw/entry_id/{id}/version/{v}`.
#[test]
fn the_urls_a_server_wrote_into_an_entry() {
    let body = std::fs::read(data_file("webhooks/xml.txt")).unwrap();
    let entry: Value = Notification::parse(&body).unwrap().object().unwrap();
    let d = Delivery::new("http://devtests.kaltura.dev", 496175);
    let id = entry["id"].as_str().unwrap();
    assert_eq!(
        d.thumbnail(id).version(0).url().unwrap().as_str(),
        entry["thumbnailUrl"]
    );
    assert_eq!(
        d.raw(id).version(0).url().unwrap().as_str(),
        entry["downloadUrl"]
    );
}

/// `alpha/apps/kaltura/modules/extwidget/actions/previewAction.class.php` (and
/// `openGraphAction.class.php`) write one flavor's progressive URL as
/// `https://{host}/p/{p}/sp/{p}00/playManifest/entryId/{e}/flavorId/{f}/format/url/
/// protocol/{protocol}/a.mp4`.
#[test]
fn one_flavor_as_the_preview_page_links_it() {
    let url = Delivery::new("https://cdnapisec.kaltura.com", PARTNER)
        .play_manifest("0_abc12345")
        .flavor_ids(["0_fl4v0r01"])
        .format(StreamFormat::Url)
        .protocol("https")
        .file_name("a.mp4")
        .url()
        .unwrap();
    assert_eq!(
        url.as_str(),
        "https://cdnapisec.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/0_abc12345\
         /flavorId/0_fl4v0r01/format/url/protocol/https/a.mp4"
    );
}

/// `alpha/lib/model/entry.php`, `createPlayManifestUrlByFormat`: `{cdn}/p/{p}/sp/{sp}
/// /playManifest/entryId/{e}/format/{format}/protocol/{protocol}`; the same builder
/// gives HLS with the `a.m3u8` players look for, and DASH with `manifest.mpd`.
#[test]
fn manifests_by_format_as_the_entry_model_writes_them() {
    let d = Delivery::new("https://www.kaltura.com/", PARTNER);
    let url = |f: StreamFormat| d.play_manifest("0_abc12345").format(f).url().unwrap();
    assert_eq!(
        url(StreamFormat::Url).as_str(),
        "https://www.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/0_abc12345\
         /format/url/protocol/https"
    );
    assert_eq!(
        url(StreamFormat::AppleHttp).as_str(),
        "https://www.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/0_abc12345\
         /format/applehttp/protocol/https/a.m3u8"
    );
    assert_eq!(
        url(StreamFormat::MpegDash).as_str(),
        "https://www.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/0_abc12345\
         /format/mpegdash/protocol/https/manifest.mpd"
    );
    assert_eq!(
        url(StreamFormat::Download).as_str(),
        "https://www.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/0_abc12345\
         /format/download/protocol/https"
    );
}

/// `api_v3/lib/types/syndicationFeed/xslt/roku_syndication.xslt` links HLS as
/// `…/playManifest/entryId/{e}/format/applehttp/protocol/http/a/a.m3u8`: other
/// parameters and last segments go through `param` and `file_name`.
/// `alpha/apps/kaltura/lib/myEntryUtils.class.php` lists several flavors as
/// `flavorIds/{a},{b}`.
#[test]
fn other_parameters_flavor_lists_and_plain_http() {
    let d = Delivery::new("http://cdnapi.kaltura.com", 1234);
    let roku = d
        .play_manifest("0_abc12345")
        .protocol("http")
        .param("a", "a.m3u8")
        .no_file_name()
        .url()
        .unwrap();
    assert_eq!(
        roku.as_str(),
        "http://cdnapi.kaltura.com/p/1234/sp/123400/playManifest/entryId/0_abc12345\
         /format/applehttp/protocol/http/a/a.m3u8"
    );
    let two = d
        .play_manifest("0_abc12345")
        .flavor_ids(["0_a", "0_b"])
        .clip_to(Duration::from_secs(30))
        .url()
        .unwrap();
    assert_eq!(
        two.as_str(),
        "http://cdnapi.kaltura.com/p/1234/sp/123400/playManifest/entryId/0_abc12345\
         /flavorIds/0_a,0_b/format/applehttp/protocol/https/clipTo/30000/a.m3u8"
    );
    let params = d
        .play_manifest("0_x")
        .flavor_param_ids([0, 4])
        .url()
        .unwrap();
    assert!(
        params.as_str().contains("/flavorParamIds/0,4/"),
        "{params:?}"
    );
}

/// The KMC embeds a preview image as `http://{cdn}/p/{p}/sp/{p}00/thumbnail/entry_id/
/// {e}/width/640/height/480` (`alpha/web/lib/js/kmc.js`, `alpha/apps/kaltura/modules/
/// kmc/templates/kmc1Success.php`); `alpha/lib/model/entry.php` links an image entry
/// as `…/thumbnail/entry_id/{e}/def_height/{h}/def_width/{w}/version/{v}/type/1`.
#[test]
fn thumbnails_as_the_kmc_and_the_entry_model_write_them() {
    let d = Delivery::new("http://cdn.kaltura.com", 1234);
    assert_eq!(
        d.thumbnail("0_abc12345")
            .width(640)
            .height(480)
            .url()
            .unwrap()
            .as_str(),
        "http://cdn.kaltura.com/p/1234/sp/123400/thumbnail/entry_id/0_abc12345/width/640/height/480"
    );
    assert_eq!(
        d.thumbnail("0_abc12345")
            .param("def_height", 480)
            .param("def_width", 640)
            .version(100002)
            .fit(1)
            .url()
            .unwrap()
            .as_str(),
        "http://cdn.kaltura.com/p/1234/sp/123400/thumbnail/entry_id/0_abc12345\
         /def_height/480/def_width/640/version/100002/type/1"
    );
    // A frame of the video (`vid_sec`, read as a float by thumbnailAction.class.php).
    assert!(d
        .thumbnail("0_abc12345")
        .vid_sec(12.5)
        .quality(80)
        .url()
        .unwrap()
        .as_str()
        .ends_with("/thumbnail/entry_id/0_abc12345/vid_sec/12.5/quality/80"));
}

/// `alpha/apps/kaltura/modules/extwidget/actions/rawAction.class.php` documents its
/// URLs as `http://cdn.kaltura.com/p/387/sp/38700/raw/entry_id/0_ix99151g/version/
/// 100001`, and reads `type`, `format`, `file_name` and `direct_serve`.
#[test]
fn raw_downloads_as_the_raw_action_documents_them() {
    let d = Delivery::new("http://cdn.kaltura.com", 387);
    assert_eq!(
        d.raw("0_ix99151g").version(100001).url().unwrap().as_str(),
        "http://cdn.kaltura.com/p/387/sp/38700/raw/entry_id/0_ix99151g/version/100001"
    );
    assert_eq!(
        d.raw("0_ix99151g")
            .flavor_format("mp4")
            .file_name("intro")
            .direct_serve()
            .url()
            .unwrap()
            .as_str(),
        "http://cdn.kaltura.com/p/387/sp/38700/raw/entry_id/0_ix99151g\
         /type/download/format/mp4/file_name/intro/direct_serve/1"
    );
}

/// The base is the service URL, whatever it is: a region, a self-hosted server under
/// a path (`/api_v3` and a trailing `/` removed, as a client does), a client's own.
#[test]
fn regional_and_self_hosted_servers() {
    let eu = Delivery::new(regions::EU, PARTNER)
        .thumbnail("0_a")
        .url()
        .unwrap();
    assert_eq!(
        eu.as_str(),
        "https://api.eu.kaltura.com/p/1234567/sp/123456700/thumbnail/entry_id/0_a"
    );
    let own = Delivery::new("https://video.example.org/kaltura/api_v3/", 102)
        .sub_partner_id(10200)
        .raw("0_a")
        .url()
        .unwrap();
    assert_eq!(
        own.as_str(),
        "https://video.example.org/kaltura/p/102/sp/10200/raw/entry_id/0_a"
    );
    let client = kaltura_client::Client::new("https://api.ap.kaltura.com").unwrap();
    assert!(Delivery::for_client(&client, PARTNER)
        .play_manifest("0_a")
        .url()
        .unwrap()
        .as_str()
        .starts_with("https://api.ap.kaltura.com/p/1234567/sp/123456700/playManifest/"));
}

/// The KS made for one URL is the server's own recipe for tokenised URLs
/// (`alpha/apps/kaltura/lib/storage/urlTokenizers/kKsUrlTokenizer.php`): a USER
/// session, `sview:{entry}`, `urirestrict:{url up to the first ','}*`, v2, in `?ks=`.
/// The server matches `urirestrict` against the request's path and query
/// (`kSessionBase::isValidUriRestrict`): a prefix match, so the query may follow.
#[test]
fn the_minted_ks_is_as_narrow_as_the_url() {
    let url = Delivery::new("https://cdnapisec.kaltura.com", PARTNER)
        .play_manifest("0_abc12345")
        .mint_ks(
            &secret(),
            UrlKs::expiring_in(Duration::from_secs(600)).now(NOW),
        )
        .url()
        .unwrap();
    let path = "/p/1234567/sp/123456700/playManifest/entryId/0_abc12345/format/applehttp\
                /protocol/https/a.m3u8";
    assert!(url
        .as_str()
        .starts_with(&format!("https://cdnapisec.kaltura.com{path}?ks=")));
    let ks = ks_of(url.as_str());
    assert_eq!(ks.partner_id(), PARTNER);
    assert_eq!(ks.session_type(), SessionType::User);
    assert!(ks.is_anonymous());
    assert_eq!(ks.valid_until(), NOW + 600);
    assert_eq!(
        ks.privileges_str(),
        Some(format!("sview:0_abc12345,urirestrict:{path}*").as_str())
    );
    // The path the server compares with starts with the restriction.
    let request_uri = &url.as_str()["https://cdnapisec.kaltura.com".len()..];
    assert!(request_uri.starts_with(path));
    // Debug output keeps the KS out of logs.
    assert!(format!("{url:?}").contains("ks=<redacted>"));
    assert!(!format!("{url:?}").contains(&request_uri[path.len() + 4..]));
}

#[test]
fn the_minted_ks_options() {
    let d = Delivery::new("https://video.example.org/kaltura", PARTNER);
    let url = d
        .raw("0_abc12345")
        .mint_ks(
            &secret(),
            UrlKs::expiring_in(Duration::from_secs(60))
                .user_id("viewer@example.com")
                .actions_limit(2)
                .ip_restrict("203.0.113.7")
                .disable_entitlement_for_entry()
                .now(NOW),
        )
        .url()
        .unwrap();
    let ks = ks_of(url.as_str());
    assert_eq!(ks.user_id(), "viewer@example.com");
    assert_eq!(ks.valid_until(), NOW + 60);
    assert_eq!(
        ks.privileges_str(),
        Some(
            "sview:0_abc12345,urirestrict:/kaltura/p/1234567/sp/123456700/raw/entry_id\
             /0_abc12345*,actionslimit:2,iprestrict:203.0.113.7,\
             disableentitlementforentry:0_abc12345"
        )
    );

    // A list of flavors holds ',', which separates privileges: the restriction stops
    // before it, as kKsUrlTokenizer.php's does.
    let url = d
        .play_manifest("0_abc12345")
        .flavor_ids(["0_a", "0_b"])
        .mint_ks(
            &secret(),
            UrlKs::expiring_in(Duration::from_secs(60)).now(NOW),
        )
        .url()
        .unwrap();
    assert_eq!(
        ks_of(url.as_str()).privileges_str(),
        Some(
            "sview:0_abc12345,urirestrict:/kaltura/p/1234567/sp/123456700/playManifest\
             /entryId/0_abc12345/flavorIds/0_a*"
        )
    );
}

#[test]
fn a_ks_the_caller_has_goes_in_the_query() {
    let url = Delivery::new("https://www.kaltura.com", PARTNER)
        .thumbnail("0_a")
        .ks("djJ8MTIzNDU2N3xhYmM=")
        .url()
        .unwrap();
    assert_eq!(
        url.as_str(),
        "https://www.kaltura.com/p/1234567/sp/123456700/thumbnail/entry_id/0_a?ks=djJ8MTIzNDU2N3xhYmM%3D"
    );
    assert!(!format!("{url:?}").contains("djJ8"));
}

#[test]
fn values_that_would_change_the_url_are_refused() {
    let d = Delivery::new("https://www.kaltura.com", PARTNER);
    for bad in [
        d.play_manifest("0_a/../x").url(),
        d.play_manifest("0_a").protocol("https?x").url(),
        d.play_manifest("0_a").param("format", "url").url(),
        d.play_manifest("0_a").param("ks", "x").url(),
        d.thumbnail("0_a").bgcolor("#fff").url(),
        d.raw("0_a").file_name("my movie").url(),
        d.play_manifest("0_a").file_name("a,b.m3u8").url(),
    ] {
        assert!(matches!(bad, Err(Error::InvalidInput(_))), "{bad:?}");
    }
}
