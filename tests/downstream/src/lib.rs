//! A stand-in for an application that already had its own HTTP client before it added
//! the Kaltura SDK: it configures a `reqwest::Client` for its own needs and lends it to
//! the SDK, and it keeps JSON objects in `serde_json::Map`.

use std::time::Duration;

/// The application's HTTP client: its own user agent and timeout.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent("downstream-app/1.0")
        .timeout(Duration::from_secs(30))
        .build()
        .expect("reqwest's own TLS set-up")
}

/// A Kaltura client that sends through the application's HTTP client.
pub fn kaltura(service_url: &str, http: reqwest::Client) -> kaltura_client::Client {
    kaltura_client::Client::builder(service_url)
        .transport(kaltura_client::ReqwestTransport::new(http))
        .build()
        .expect("a valid service URL")
}

/// A single-threaded runtime: the only tokio feature this program asks for is `rt`.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
}
