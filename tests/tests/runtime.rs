//! The runtime through the mock transport: multipart framing and streaming, the
//! response path on any body (no panics, typed errors), decode errors naming the
//! field, multirequest refusals, serve URLs, configuration checks.

use bytes::Bytes;
use kaltura_client::codec::{encode_full, Encode, Json};
use kaltura_client::request::{CallOptions, Params, Request};
use kaltura_client::transport::{HttpResponse, MockReply, MockTransport, Multipart};
use kaltura_client::types::*;
use kaltura_client::{Client, Error, Field, FileParam};
use std::time::Duration;

fn mock_client() -> (Client, MockTransport) {
    let mock = MockTransport::new();
    let client = Client::builder("https://kaltura.invalid")
        .ks("KS")
        .transport(mock.clone())
        .build()
        .unwrap();
    (client, mock)
}

fn assert_send_sync_clone<T: Send + Sync + Clone + 'static>() {}

#[test]
fn client_is_cheap_to_share() {
    assert_send_sync_clone::<Client>();
    fn future_is_send<F: std::future::Future + Send>(_: F) {}
    let (client, _) = mock_client();
    future_is_send(client.media().get("x").send());
    future_is_send(client.multirequest().send());
}

#[tokio::test]
async fn multipart_framing_is_exact_and_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.bin");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    let multipart = Multipart::new(
        Bytes::from_static(br#"{"a":1}"#),
        vec![
            (
                "fileData".into(),
                FileParam::bytes(&b"xyz"[..], "a \"q\".txt"),
            ),
            (
                "0:fileData".into(),
                FileParam::path_range(&path, 1000, 150_000).with_content_type("video/mp4"),
            ),
        ],
    )
    .with_boundary("BOUNDARY");
    assert_eq!(
        multipart.content_type(),
        "multipart/form-data; boundary=BOUNDARY"
    );
    let body = multipart.into_stream().await.unwrap();
    let expected_len = body.content_length.unwrap();
    let (chunks, bytes) = collect(body.stream).await;
    assert!(
        chunks > 2,
        "the file is streamed in pieces, not loaded whole"
    );
    assert_eq!(bytes.len() as u64, expected_len);
    let mut expected = Vec::new();
    expected.extend_from_slice(
        b"--BOUNDARY\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n{\"a\":1}\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"fileData\"; filename=\"a %22q%22.txt\"\r\n\
          Content-Type: text/plain\r\n\r\nxyz\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"0:fileData\"; filename=\"big.bin\"\r\n\
          Content-Type: video/mp4\r\n\r\n",
    );
    expected.extend_from_slice(&data[1000..151_000]);
    expected.extend_from_slice(b"\r\n--BOUNDARY--\r\n");
    assert_eq!(bytes, expected);
}

async fn collect(mut s: kaltura_client::transport::BodyStream) -> (usize, Vec<u8>) {
    use futures_util::StreamExt;
    let mut out = Vec::new();
    let mut n = 0;
    while let Some(chunk) = s.next().await {
        n += 1;
        out.extend_from_slice(&chunk.unwrap());
    }
    (n, out)
}

#[tokio::test]
async fn file_problems_are_reported_not_sent() {
    let (client, mock) = mock_client();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("small.bin");
    std::fs::write(&path, b"0123456789").unwrap();

    let err = client
        .upload_token()
        .upload("t", FileParam::path(dir.path().join("absent.bin")))
        .await
        .unwrap_err();
    let Error::InvalidInput(msg) = &err else {
        panic!("{err:?}")
    };
    assert!(msg.contains("absent.bin"), "{msg}");

    let err = client
        .upload_token()
        .upload("t", FileParam::path_range(&path, 5, 10))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");

    // A reader shorter than the length it announced.
    let short = FileParam::reader(std::io::Cursor::new(vec![1u8; 10]), Some(20), "r.bin");
    let err = client.upload_token().upload("t", short).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(
        err.to_string().contains("ended after 10 of its 20 bytes"),
        "{err}"
    );
    assert!(mock.requests().is_empty(), "nothing reached the transport");
}

#[tokio::test]
async fn upload_bodies_reach_any_transport_as_real_bytes() {
    let (client, mock) = mock_client();
    mock.push_json(r#"{"id":"t","uploadedFileSize":4,"objectType":"KalturaUploadToken"}"#);
    let token = client
        .upload_token()
        .upload(
            "t",
            FileParam::reader(std::io::Cursor::new(b"abcd".to_vec()), None, "r.bin"),
        )
        .resume(false)
        .await
        .unwrap();
    assert_eq!(token.uploaded_file_size, Field::Set(4.0));
    let sent = mock.last_request().unwrap();
    assert_eq!(sent.timeout, Some(client.config().upload_timeout));
    let parts = sent.parts();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].name, "json");
    assert_eq!(parts[1].name, "fileData");
    assert_eq!(parts[1].file_name.as_deref(), Some("r.bin"));
    assert_eq!(parts[1].body.as_ref(), b"abcd");
    let json = sent.json().unwrap();
    assert_eq!(json["resume"], false);
    assert_eq!(json["uploadTokenId"], "t");
}

#[tokio::test]
async fn mock_replies_by_action_then_queue() {
    let (client, mock) = mock_client();
    mock.always("session.start", HttpResponse::json("\"KS1\""));
    mock.on(
        "media.get",
        HttpResponse::json(r#"{"id":"a","objectType":"KalturaMediaEntry"}"#),
    );
    mock.push(MockReply::Timeout);
    assert_eq!(client.session().start("s").await.unwrap(), "KS1");
    assert_eq!(client.session().start("s").await.unwrap(), "KS1");
    assert!(client.media().get("a").await.is_ok());
    assert!(client.media().get("a").await.unwrap_err().is_timeout());
    let err = client.media().get("a").await.unwrap_err();
    assert!(err.to_string().contains("media.get"), "{err}");
    assert_eq!(mock.requests().len(), 5);
}

#[tokio::test]
async fn a_transport_that_never_answers_hits_the_timeout() {
    let mock = MockTransport::new();
    let client = Client::builder("https://kaltura.invalid")
        .timeout(Duration::from_millis(50))
        .transport(mock.clone())
        .build()
        .unwrap();
    mock.push(MockReply::Hang);
    let err = client.media().get("a").await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout(d) if d == Duration::from_millis(50)),
        "{err:?}"
    );
}

#[tokio::test]
async fn ks_can_be_replaced_at_any_time() {
    let (client, mock) = mock_client();
    mock.always("media.delete", HttpResponse::json(""));
    let shared = client.clone();
    client.media().delete("a").await.unwrap();
    shared.set_ks("KS2");
    client.media().delete("a").await.unwrap();
    client.clear_ks();
    client.media().delete("a").await.unwrap();
    let ks: Vec<Json> = mock
        .requests()
        .iter()
        .map(|r| r.json().unwrap()["ks"].clone())
        .collect();
    assert_eq!(ks, [Json::from("KS"), Json::from("KS2"), Json::Null]);
}

#[tokio::test]
async fn decode_errors_name_the_field_path() {
    let (client, mock) = mock_client();
    mock.push_json(
        r#"{"totalCount":2,"objects":[{"id":"a","objectType":"KalturaMediaEntry"},{"id":"b","createdAt":"yesterday","objectType":"KalturaMediaEntry"}],"objectType":"KalturaMediaListResponse"}"#,
    );
    let err = client.media().list().await.unwrap_err();
    let Error::Decode(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.path, "result.objects[1].createdAt");
    assert!(
        err.to_string().contains("result.objects[1].createdAt"),
        "{err}"
    );

    let mut mr = client.multirequest();
    let a = mr.add(client.media().get("a"));
    let b = mr.add(client.media().count());
    let c = mr.add(client.media().get("c"));
    mock.push_json(r#"[{"id":"a","objectType":"KalturaMediaEntry"},"many"]"#);
    let results = mr.await.unwrap();
    assert!(results.get(&a).is_ok());
    let Err(Error::Decode(e)) = results.get(&b) else {
        panic!()
    };
    assert_eq!(e.path, "result[1]");
    let Err(Error::Decode(e)) = results.get(&c) else {
        panic!()
    };
    assert!(e.message.contains("no result for item 2"), "{e}");
}

#[tokio::test]
async fn empty_bodies() {
    let (client, mock) = mock_client();
    mock.push(HttpResponse::new(200, ""));
    client.media().delete("a").await.unwrap();
    mock.push(HttpResponse::new(200, ""));
    let err = client.media().get("a").await.unwrap_err();
    assert!(matches!(err, Error::UnexpectedBody { .. }), "{err:?}");
}

/// A request the server refuses inside a multirequest, made by hand.
struct NotInMulti(CallOptions);

impl Request for NotInMulti {
    type Output = String;
    const SERVICE: &'static str = "system";
    const ACTION: &'static str = "special";
    const MULTIREQUEST: bool = false;
    const SERVES_FILE: bool = false;
    fn params(&self) -> Params {
        Params::new()
    }
    fn options(&self) -> &CallOptions {
        &self.0
    }
    fn options_mut(&mut self) -> &mut CallOptions {
        &mut self.0
    }
}

#[tokio::test]
async fn actions_refused_in_a_multirequest_are_not_sent() {
    let (client, mock) = mock_client();
    let mut mr = client.multirequest();
    let h = mr.add(client.media().get("a"));
    mr.add(NotInMulti(CallOptions::default()));
    mr.add(client.thumb_asset().serve("t"));
    let other = client.multirequest().add(client.media().get("b"));
    mr.bind(&other, &["x"], h.field("id"));
    let err = mr.await.unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("item 1 (system.special) is not allowed"),
        "{msg}"
    );
    assert!(
        msg.contains("item 2 (thumbasset.serve) serves a file"),
        "{msg}"
    );
    assert!(msg.contains("another multirequest"), "{msg}");
    assert!(mock.requests().is_empty());
    // On its own it is fine.
    mock.push_json("\"ok\"");
    assert_eq!(
        client
            .send(NotInMulti(CallOptions::default()))
            .await
            .unwrap(),
        "ok"
    );
}

#[test]
fn result_references_render_one_based_tokens() {
    let (client, _) = mock_client();
    let mut mr = client.multirequest();
    let first = mr.add(client.media().get("a"));
    let second = mr.add(client.media().list());
    assert_eq!(first.result().token(), "{1:result}");
    assert_eq!(first.field("id").to_string(), "{1:result:id}");
    assert_eq!(
        second.field("objects").index(0).field("id").token(),
        "{2:result:objects:0:id}"
    );
    assert_eq!(second.path(["a", "b"]).token(), "{2:result:a:b}");
    let s: String = first.field("id").into();
    assert_eq!(s, "{1:result:id}");
    let f: Field<String> = first.field("id").into();
    assert_eq!(f.to_string(), "{1:result:id}");
    assert!(f.is_ref());
}

#[test]
fn serve_urls_use_bracket_notation() {
    let (client, mock) = mock_client();
    let url = client
        .serve_url(
            client
                .thumb_asset()
                .serve("0_t")
                .thumb_params(KalturaThumbParams {
                    width: 320.into(),
                    crop_type: KalturaThumbCropType::Resize.into(),
                    strip_profiles: true.into(),
                    ..Default::default()
                }),
        )
        .unwrap();
    let url = url.into_string();
    let (base, query) = url.split_once('?').unwrap();
    assert_eq!(
        base,
        "https://kaltura.invalid/api_v3/service/thumbasset/action/serve"
    );
    let pairs: Vec<&str> = query.split('&').collect();
    for expected in [
        "format=1",
        "thumbAssetId=0_t",
        "thumbParams%5BobjectType%5D=KalturaThumbParams",
        "thumbParams%5Bwidth%5D=320",
        "thumbParams%5BcropType%5D=1",
        "thumbParams%5BstripProfiles%5D=1",
        "ks=KS",
    ] {
        assert!(pairs.contains(&expected), "{expected} not in {pairs:?}");
    }
    assert!(mock.requests().is_empty(), "nothing is sent");
}

#[test]
fn full_copies_keep_read_only_properties() {
    let entry: KalturaMediaEntry = kaltura_client::codec::decode_value(serde_json::json!({
        "id": "0_a", "name": "n", "createdAt": 5,
        "operationAttributes": [{"offset": 1, "objectType": "KalturaClipAttributes"}],
        "objectType": "KalturaMediaEntry"
    }))
    .unwrap();
    let request = entry.encode();
    assert!(request.get("id").is_none(), "read-only is never sent");
    let copy = encode_full(&entry);
    assert_eq!(copy["id"], "0_a");
    assert_eq!(copy["createdAt"], 5);
    assert_eq!(copy["operationAttributes"][0]["offset"], 1);
}

#[test]
fn the_builder_checks_its_settings() {
    for url in ["kaltura.com", "ftp://x", "https://", "https://x/?a=1"] {
        let err = Client::builder(url)
            .transport(MockTransport::new())
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{url}: {err:?}");
    }
    let err = Client::builder("https://x")
        .timeout(Duration::ZERO)
        .transport(MockTransport::new())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("timeout"), "{err}");
    let client = Client::builder("https://x/")
        .client_tag("tag")
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(1))
        .upload_timeout(Duration::from_secs(60))
        .user_agent("ua")
        .partner_id(7)
        .language("he")
        .build()
        .unwrap();
    assert_eq!(client.config().service_url, "https://x");
    assert_eq!(client.config().api_version, kaltura_client::API_VERSION);
    assert_eq!(client.partner_id(), Some(7));
}

/// Deterministic noise.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect()
}

fn garbage() -> Vec<(String, Vec<u8>)> {
    let mut bodies: Vec<(String, Vec<u8>)> = [
        "",
        "   \n",
        "null",
        "0",
        "true",
        "[1,2,3]",
        "\"text\"",
        "{}",
        "{\"objectType\":5}",
        "{\"objectType\":\"KalturaAPIException\"}",
        "{\"code\":{\"x\":1},\"message\":[\"a\"],\"args\":7}",
        "{\"code\":\"X\",\"message\":\"m\",\"objectType\":\"KalturaAPIException\",\"args\":[{\"name\":1},{\"value\":\"v\"},3]}",
        "{\"objectType\":\"KalturaMediaEntry\",\"id\":{\"nested\":[1,2]},\"mediaType\":\"video\"}",
        "{\"objectType\":\"KalturaMediaListResponse\",\"objects\":\"notalist\",\"totalCount\":-1e400}",
        "{\"objectType\":\"KalturaMediaEntry\",\"operationAttributes\":[{\"objectType\":\"KalturaNoSuchThing\",\"offset\":\"x\"}]}",
        "{\"objectType\":\"KalturaMediaEntry\",\"id\":\"0_a",
        "<?xml version=\"1.0\"?><xml><result><error><code>E</code>",
        "<html><head><title>503 Service Unavailable</title></head><body>down</body></html>",
        "\u{feff}{\"id\":\"a\",\"objectType\":\"KalturaMediaEntry\"}",
    ]
    .iter()
    .map(|b| (format!("{b:.40}"), b.as_bytes().to_vec()))
    .collect();
    bodies.push((
        "invalid utf-8".into(),
        b"\xff\xfe\x00{\"a\":\xc3\x28}".to_vec(),
    ));
    bodies.push(("noise".into(), noise(64 * 1024, 7)));
    let mut deep = "{\"a\":".repeat(120);
    deep.push('1');
    deep.push_str(&"}".repeat(120));
    bodies.push(("deep but allowed".into(), deep.into_bytes()));
    bodies
}

fn huge() -> Vec<(String, Vec<u8>)> {
    vec![
        // Two million levels would overflow any stack if nesting were followed; a
        // refused body is then scanned to its end for serde_json's account of it, which
        // unoptimised took 16 s for 20 MB here and proves nothing more.
        ("2 MB of [".into(), vec![b'['; 2 * 1024 * 1024]),
        ("5 MB string".into(), {
            let mut s = vec![b'"'];
            s.extend(std::iter::repeat_n(b'a', 5 * 1024 * 1024));
            s.push(b'"');
            s
        }),
        ("8 MB of noise".into(), noise(8 * 1024 * 1024, 11)),
    ]
}

/// Sends each body, under each status, through several actions' response paths.
async fn feed(bodies: Vec<(String, Vec<u8>)>, statuses: &[u16]) {
    let (client, mock) = mock_client();
    for (name, body) in &bodies {
        for &status in statuses {
            for content_type in ["application/json", "text/html"] {
                let reply = || {
                    HttpResponse::new(status, Bytes::from(body.clone()))
                        .with_header("content-type", content_type)
                };
                let mut outcomes: Vec<Result<(), Error>> = Vec::new();
                mock.push(reply());
                outcomes.push(client.media().get("a").await.map(drop));
                mock.push(reply());
                outcomes.push(client.media().list().await.map(drop));
                mock.push(reply());
                outcomes.push(client.session().start("s").await.map(drop));
                mock.push(reply());
                outcomes.push(client.media().convert("a").await.map(drop));
                mock.push(reply());
                outcomes.push(client.media().delete("a").await.map(drop));
                mock.push(reply());
                outcomes.push(client.thumb_asset().serve("t").await.map(drop));
                mock.push(reply());
                let mut mr = client.multirequest();
                let h = mr.add(client.media().get("a"));
                mr.add(client.media().count());
                outcomes.push(match mr.await {
                    Ok(r) => r.get(&h).map(drop),
                    Err(e) => Err(e),
                });
                for outcome in outcomes {
                    if let Err(e) = outcome {
                        let text = format!("{e} {e:?}");
                        assert!(
                            text.len() < 4000,
                            "{name} ({status}): an error text of {} bytes",
                            text.len()
                        );
                        if status >= 300 && !matches!(e, Error::Api(_) | Error::Http { .. }) {
                            panic!("{name} ({status}): {e:?}");
                        }
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn any_body_gives_a_typed_result_never_a_panic() {
    feed(garbage(), &[200, 404, 500, 502]).await;
}

#[tokio::test]
async fn huge_bodies_give_a_typed_result() {
    feed(huge(), &[200, 500]).await;
}

#[tokio::test]
async fn html_and_truncated_bodies_are_unexpected_body_errors() {
    let (client, mock) = mock_client();
    for body in ["<html><body>Oops</body></html>", "{\"id\":\"0_a\",\"na"] {
        mock.push(HttpResponse::new(200, body).with_header("content-type", "text/html"));
        let err = client.media().get("a").await.unwrap_err();
        let Error::UnexpectedBody {
            content_type,
            snippet,
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(content_type, "text/html");
        assert!(snippet.starts_with(&body[..10]), "{snippet}");
    }
    // An API error is an API error whatever the status.
    mock.push(HttpResponse::new(500, r#"{"code":"INTERNAL_SERVERL_ERROR","message":"m","objectType":"KalturaAPIException","args":[]}"#));
    let err = client.media().get("a").await.unwrap_err();
    assert_eq!(err.code(), Some("INTERNAL_SERVERL_ERROR"));
    // A failed serve in XML.
    mock.push(HttpResponse::new(200, "<?xml version=\"1.0\"?><xml><result><error><code>THUMB_ASSET_ID_NOT_FOUND</code><message>Not &quot;found&quot;</message></error></result></xml>").with_header("content-type", "text/xml"));
    let err = client.thumb_asset().serve("t").await.unwrap_err();
    let Error::Api(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("THUMB_ASSET_ID_NOT_FOUND", "Not \"found\"")
    );
}

#[test]
fn json_for_requests_is_native() {
    let f = KalturaMediaEntryFilter {
        media_type_equal: KalturaMediaType::Video.into(),
        order_by: "-createdAt".into(),
        ..Default::default()
    };
    assert_eq!(
        f.encode(),
        serde_json::json!({"objectType":"KalturaMediaEntryFilter","orderBy":"-createdAt","mediaTypeEqual":1})
    );
}
