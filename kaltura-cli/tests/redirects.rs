//! A redirect must not carry a secret to another server: `session start` posts the
//! admin secret, and a server answering `307 Location: <elsewhere>` (which asks for
//! the same POST, body included, to be repeated there) must not get it forwarded.

use kaltura_tests::standin::{Reply, StandIn};
use std::process::{Command, Stdio};

const SECRET: &str = "7c1e5a3f9b2d4c6e8a0f1b3d5e7a9c2f";

#[test]
fn session_start_does_not_follow_a_redirect_with_the_secret() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let elsewhere = rt.block_on(StandIn::start(|_| Reply::json("\"KS-FROM-ELSEWHERE\"")));
    let target = format!("{}/api_v3/service/session/action/start", elsewhere.url());
    let first = rt.block_on(StandIn::start(move |_| Reply::WithHeaders {
        status: 307,
        content_type: "text/plain".into(),
        headers: vec![("Location".into(), target.clone())],
        body: b"moved".to_vec(),
    }));

    let none = std::env::temp_dir().join("kaltura-cli-tests-no-profiles");
    let mut c = Command::new(env!("CARGO_BIN_EXE_kaltura"));
    c.args([
        "session",
        "start",
        "--partner-id",
        "1234567",
        "--type",
        "admin",
    ])
    .stdin(Stdio::null())
    .env_remove("KALTURA_KS")
    .env_remove("KALTURA_PROFILE")
    .env_remove("HTTP_PROXY")
    .env_remove("http_proxy")
    .env_remove("ALL_PROXY")
    .env_remove("all_proxy")
    .env("KALTURA_CONFIG_DIR", &none)
    .env("KALTURA_CACHE_DIR", &none)
    .env("KALTURA_SERVICE_URL", first.url())
    .env("KALTURA_ADMIN_SECRET", SECRET);
    let out = c.output().expect("the kaltura binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);

    assert_eq!(first.requests().len(), 1, "{stderr}");
    assert!(
        elsewhere.requests().is_empty(),
        "the secret was posted to the redirect's target: {:#?}",
        elsewhere.requests()
    );
    assert!(!out.status.success(), "{stdout}\n{stderr}");
    assert!(!stdout.contains("KS-FROM-ELSEWHERE"), "{stdout}");
    assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET));
}
