//! Bad input a user can hand the SDK gets a clear, typed error and never a panic:
//!
//! * a schema from a newer server with elements this reader does not know: tolerated
//!   with a warning each (`schema/tests/tolerance.rs`, `unknown_elements` and
//!   `unknown_attributes`), refused only in strict mode;
//! * a KS made for another partner (here);
//! * a file that disappears or shrinks while it is being uploaded (here);
//! * an answer larger than memory should hold: the client's `max_response_size`
//!   (here, through the default transport and through a custom one).

use kaltura_client::ks::{AdminSecret, Ks, KsBuilder, KsError, SessionType};
use kaltura_client::transport::{HttpResponse, MockTransport};
use kaltura_client::{Client, Error, Proxy, UploadOptions, UploadSource};
use kaltura_tests::standin::{Reply, StandIn};
use serde_json::json;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn client(url: &str) -> kaltura_client::ClientBuilder<Client> {
    Client::builder(url)
        .proxy(Proxy::Disabled)
        .timeout(Duration::from_secs(10))
}

// --- A KS for another partner ---------------------------------------------------------

const SECRET_A: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const SECRET_B: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const NOW: i64 = 2_000_000_000;

#[test]
fn a_ks_for_another_partner_names_both_partners() {
    let secret = AdminSecret::new(SECRET_A).unwrap();
    for version in [
        kaltura_client::ks::KsVersion::V1,
        kaltura_client::ks::KsVersion::V2,
    ] {
        let ks = KsBuilder::new(1_234_567, SessionType::Admin)
            .now(NOW)
            .generate(version, &secret)
            .unwrap();
        let err = ks.validate_for_partner(42, &secret, NOW).unwrap_err();
        assert_eq!(
            err,
            KsError::PartnerMismatch {
                expected: 42,
                found: 1_234_567
            }
        );
        assert_eq!(
            err.to_string(),
            "the KS is for partner 1234567, not for the expected partner 42"
        );
        // Checked with the other partner's secret, it does not verify, and says why.
        let other = AdminSecret::new(SECRET_B).unwrap();
        let err = ks.validate_for_partner(42, &other, NOW).unwrap_err();
        assert_eq!(err, KsError::BadSignature);
        assert!(
            err.to_string().contains("belongs to another partner"),
            "{err}"
        );
        assert!(!err.to_string().contains(ks.expose()));
    }
}

#[tokio::test]
async fn a_ks_the_server_refuses_is_a_typed_api_error() {
    let standin = StandIn::start(|_| {
        Reply::json(
            json!({
                "objectType": "KalturaAPIException",
                "code": "INVALID_KS",
                "message": "Invalid KS \"djJ8NDJ8\" Error: -1,INVALID_STR",
                "args": {"KSID": "djJ8NDJ8"}
            })
            .to_string(),
        )
    })
    .await;
    let client = client(&standin.url())
        .ks(Ks::new("djJ8NDJ8"))
        .partner_id(42)
        .build()
        .unwrap();
    let err = client.media().get("0_abc").await.unwrap_err();
    assert_eq!(err.code(), Some("INVALID_KS"));
    // The token the request carried is blanked out of what the server echoed.
    assert!(!err.to_string().contains("djJ8NDJ8"), "{err}");
}

// --- A file that disappears during an upload ------------------------------------------

/// A stand-in upload-token server that calls `after_chunk` once each chunk is stored.
async fn upload_server(after_chunk: impl Fn(usize) + Send + Sync + 'static) -> StandIn {
    let held = Arc::new(Mutex::new(0u64));
    let chunks = Arc::new(Mutex::new(0usize));
    StandIn::start(move |r| {
        let token = |held: u64, status: i64| {
            Reply::json(
                json!({"objectType": "KalturaUploadToken", "id": "1_tok", "status": status,
                       "uploadedFileSize": held as f64})
                .to_string(),
            )
        };
        match r.service_action().as_str() {
            "uploadtoken.add" | "uploadtoken.get" => token(*held.lock().unwrap(), 0),
            "uploadtoken.upload" => {
                let part = r.parts().unwrap_or_default();
                let len = part
                    .iter()
                    .find(|p| p.name == "fileData")
                    .map_or(0, |p| p.body.len() as u64);
                let mut h = held.lock().unwrap();
                *h += len;
                let mut n = chunks.lock().unwrap();
                *n += 1;
                after_chunk(*n);
                token(*h, 1)
            }
            _ => Reply::raw(404, "text/plain", "no"),
        }
    })
    .await
}

fn file_of(dir: &tempfile::TempDir, len: usize) -> PathBuf {
    let path = dir.path().join("movie.bin");
    std::fs::write(&path, vec![7u8; len]).unwrap();
    path
}

#[tokio::test]
async fn a_file_deleted_during_an_upload_stops_it_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_of(&dir, 3 * 1024);
    let victim = path.clone();
    let standin = upload_server(move |n| {
        if n == 1 {
            std::fs::remove_file(&victim).unwrap();
        }
    })
    .await;
    let client = client(&standin.url()).build().unwrap();
    let err = client
        .upload(
            UploadSource::path(&path),
            UploadOptions::new().chunk_size(1024),
        )
        .await
        .unwrap_err();
    assert_eq!(err.token_id.as_deref(), Some("1_tok"));
    assert_eq!(err.sent, 1024);
    assert!(
        matches!(err.error, Error::InvalidInput(_)),
        "{:?}",
        err.error
    );
    let text = err.to_string();
    assert!(
        text.contains("cannot read the file") && text.contains("movie.bin"),
        "{text}"
    );
    assert!(text.contains("UploadOptions::resume(\"1_tok\")"), "{text}");
}

#[tokio::test]
async fn a_file_cut_short_during_an_upload_stops_it_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_of(&dir, 3 * 1024);
    let victim = path.clone();
    let standin = upload_server(move |n| {
        if n == 1 {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(&victim)
                .unwrap();
            f.set_len(1500).unwrap();
        }
    })
    .await;
    let client = client(&standin.url()).build().unwrap();
    let err = client
        .upload(
            UploadSource::path(&path),
            UploadOptions::new().chunk_size(1024),
        )
        .await
        .unwrap_err();
    assert_eq!(err.sent, 1024);
    let text = err.to_string();
    assert!(text.contains("past the end of"), "{text}");
}

/// A reader that fails after `ok` bytes, as a file on a vanished network share does.
struct Failing {
    ok: usize,
}

impl tokio::io::AsyncRead for Failing {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        if self.ok == 0 {
            return std::task::Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the share went away",
            )));
        }
        let n = self.ok.min(buf.remaining()).min(512);
        buf.put_slice(&vec![1u8; n]);
        self.ok -= n;
        std::task::Poll::Ready(Ok(()))
    }
}

#[tokio::test]
async fn a_source_that_fails_mid_chunk_is_an_error_not_a_panic() {
    let standin = upload_server(|_| {}).await;
    let client = client(&standin.url()).build().unwrap();
    let err = client
        .upload(
            UploadSource::reader(Failing { ok: 1500 }, 4096),
            UploadOptions::new().chunk_size(1024),
        )
        .await
        .unwrap_err();
    assert!(err.can_resume());
    assert_eq!(err.sent, 1024);
    assert!(err.to_string().contains("the share went away"), "{err}");
}

// --- An answer larger than memory should hold -----------------------------------------

#[tokio::test]
async fn an_announced_answer_over_the_limit_is_refused_unread() {
    let body = format!("\"{}\"", "x".repeat(2 * 1024 * 1024));
    let standin = StandIn::start(move |_| Reply::json(body.clone())).await;
    let small = client(&standin.url())
        .max_response_size(1024 * 1024)
        .build()
        .unwrap();
    let err = small.session().start("secret").await.unwrap_err();
    match &err {
        Error::ResponseTooLarge { limit, size } => {
            assert_eq!(*limit, 1024 * 1024);
            assert_eq!(*size, Some(2 * 1024 * 1024 + 2));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("max_response_size"), "{err}");
    assert!(!err.is_retryable());
    // The same answer under the default limit is fine.
    let default = client(&standin.url()).build().unwrap();
    assert_eq!(
        default.session().start("secret").await.unwrap().len(),
        2 * 1024 * 1024
    );
}

#[tokio::test]
async fn a_compressed_answer_is_counted_as_it_unpacks() {
    // 8 MiB of JSON that travels as a few KiB of gzip: the limit applies to what is
    // unpacked, so a small answer cannot grow past it.
    let body = format!("\"{}\"", "a".repeat(8 * 1024 * 1024));
    let standin = StandIn::start(move |_| Reply::json(body.clone()).gzipped()).await;
    let client = client(&standin.url())
        .max_response_size(1024 * 1024)
        .build()
        .unwrap();
    let err = client.session().start("secret").await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { size: None, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_custom_transport_is_held_to_the_limit_too() {
    let mock = MockTransport::new();
    mock.always(
        "thumbasset.serve",
        HttpResponse::new(200, vec![0u8; 4096]).with_header("content-type", "image/jpeg"),
    );
    let client = Client::builder("https://kaltura.invalid")
        .transport(mock)
        .max_response_size(1000)
        .build()
        .unwrap();
    let err = client.thumb_asset().serve("0_x").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                limit: 1000,
                size: None
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_zero_limit_is_refused() {
    let err = Client::builder("https://kaltura.invalid")
        .transport(MockTransport::new())
        .max_response_size(0)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("max_response_size"), "{err}");
}
