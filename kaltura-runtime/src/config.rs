//! A client's settings: the service URL, client parameters and HTTP settings, which
//! [`crate::builder::ClientBuilder`] gathers.

use crate::error::Error;
use crate::retry::RetryPolicy;
use std::fmt;
use std::time::Duration;

/// How the default transport reaches the server.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Proxy {
    /// The proxy the environment names (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`).
    #[default]
    System,
    /// Connect directly, whatever the environment says.
    Disabled,
    /// Every request through this proxy (`http://host:3128`, `socks5://...` where
    /// supported). Credentials in it are never printed.
    Url(String),
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Proxy::System => f.write_str("System"),
            Proxy::Disabled => f.write_str("Disabled"),
            Proxy::Url(url) => f.debug_tuple("Url").field(&shown_url(url)).finish(),
        }
    }
}

// The URL checks here (`shown_url`, `ClientConfig::check`, `normalize_service_url`)
// are a few lines of string handling rather than `url::Url`: the runtime would compile
// 28 more crates (url, idna and the ICU tables) before the generated API crate, which
// waits for the runtime, could start, and a cold `cargo build -p kaltura-api` took
// 3.4 s longer at the median (77.4 -> 80.8 s; 10.6 s in the second pair of runs) for
// checks that need no parser (scripts/url-cost.sh; docs/decisions.md, R15).

/// A URL (a proxy's, the service's) as `Debug` and errors show it: `scheme://<redacted>@host` when it carries
/// credentials. Everything up to the last `@` goes, wherever it is, so that a password
/// holding a raw `/`, `?` or `#` (which would end the authority) is hidden too.
pub(crate) fn shown_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.rfind('@') {
            Some(at) => format!("{scheme}://<redacted>@{}", &rest[at + 1..]),
            None => url.to_string(),
        },
        None if url.contains('@') => "<redacted>".to_string(),
        None => url.to_string(),
    }
}

/// Client-level settings (Kaltura's "client configuration" plus HTTP settings).
/// `Debug` hides a password in the service URL.
#[derive(Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// e.g. `https://www.kaltura.com`; `/api_v3/...` is appended.
    pub service_url: String,
    /// Free text the server logs with each call.
    pub client_tag: String,
    /// The API version this client was generated from.
    pub api_version: String,
    /// Time allowed for one attempt of a call (sending, waiting, reading the answer).
    /// The transport enforces it, and so does the client when it runs on tokio (whose
    /// time driver must be enabled, as reqwest also requires). With a retry policy,
    /// each attempt has this much time.
    pub timeout: Duration,
    /// Time allowed to open a connection (default transport only; a custom transport
    /// sets its own).
    pub connect_timeout: Duration,
    /// Time allowed for one attempt of a call that uploads files (each chunk of a
    /// chunked upload is one such call). Replaces `timeout` for those calls.
    pub upload_timeout: Duration,
    pub user_agent: String,
    pub proxy: Proxy,
    /// Repeats failed calls that are safe to repeat (see [`crate::retry`]); `None`
    /// (the default) sends every call once.
    pub retry: Option<RetryPolicy>,
    /// The largest answer read, in bytes (default [`DEFAULT_MAX_RESPONSE_SIZE`]).
    /// Answers are held in memory whole, served files included; a larger one fails
    /// with [`Error::ResponseTooLarge`] as soon as it is announced or reaches the
    /// limit, instead of exhausting memory.
    pub max_response_size: u64,
    /// Sends a KS or secret over plain `http://` to a host other than this machine
    /// (off by default: such a call is refused, as anyone on the path could read the
    /// token; see [`crate::ClientBuilder::allow_insecure_http`]).
    pub allow_insecure_http: bool,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("service_url", &shown_url(&self.service_url))
            .field("client_tag", &self.client_tag)
            .field("api_version", &self.api_version)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("upload_timeout", &self.upload_timeout)
            .field("user_agent", &self.user_agent)
            .field("proxy", &self.proxy)
            .field("retry", &self.retry)
            .field("max_response_size", &self.max_response_size)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish()
    }
}

/// 256 MiB: far above any API answer, low enough that a runaway or hostile answer
/// cannot take the process's memory.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 256 * 1024 * 1024;

impl ClientConfig {
    pub fn new(service_url: impl Into<String>) -> Self {
        ClientConfig {
            service_url: normalize_service_url(&service_url.into()),
            client_tag: format!("rust:{}", env!("CARGO_PKG_VERSION")),
            api_version: String::new(),
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            upload_timeout: Duration::from_secs(1800),
            user_agent: format!("kaltura-rs/{}", env!("CARGO_PKG_VERSION")),
            proxy: Proxy::System,
            retry: None,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            allow_insecure_http: false,
        }
    }

    /// Whether a call carrying a KS or secret may go to this service URL: always over
    /// HTTPS, over plain HTTP only to this machine (a local stand-in or tunnel) or
    /// when [`ClientConfig::allow_insecure_http`] says so.
    pub(crate) fn may_send_secrets(&self) -> bool {
        self.allow_insecure_http || !is_remote_plain_http(&self.service_url)
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        let url = self.service_url.to_ascii_lowercase();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        match rest {
            Some(host) if !host.is_empty() && !host.starts_with('/') => {}
            _ => {
                return Err(Error::InvalidInput(format!(
                    "the service URL `{}` must start with http:// or https:// and name a host \
                     (e.g. https://www.kaltura.com)",
                    shown_url(&self.service_url)
                )))
            }
        }
        if self.service_url.contains(['?', '#']) {
            return Err(Error::InvalidInput(format!(
                "the service URL `{}` must not have a query or fragment",
                shown_url(&self.service_url)
            )));
        }
        for (name, d) in [
            ("timeout", self.timeout),
            ("connect_timeout", self.connect_timeout),
            ("upload_timeout", self.upload_timeout),
        ] {
            if d.is_zero() {
                return Err(Error::InvalidInput(format!("`{name}` must not be zero")));
            }
        }
        if let Some(policy) = &self.retry {
            policy.check()?;
        }
        if self.max_response_size == 0 {
            return Err(Error::InvalidInput(
                "`max_response_size` must not be zero".into(),
            ));
        }
        Ok(())
    }
}

/// Whether `url` is plain `http://` to a host other than this machine (loopback
/// addresses and `localhost` are this machine).
pub(crate) fn is_remote_plain_http(url: &str) -> bool {
    let Some(rest) = url
        .get(..7)
        .filter(|s| s.eq_ignore_ascii_case("http://"))
        .map(|_| &url[7..])
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    let host = host.to_ascii_lowercase();
    let loopback = host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    !loopback
}

/// The service URL as the client uses it: `https://host` or `https://host/prefix`,
/// without a trailing `/` or `/api_v3` (the client appends `/api_v3/service/...`
/// itself, so a URL copied from the API's documentation must not repeat it).
fn normalize_service_url(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    let url = match url.len().checked_sub("/api_v3".len()) {
        Some(at) if url.is_char_boundary(at) && url[at..].eq_ignore_ascii_case("/api_v3") => {
            &url[..at]
        }
        _ => url,
    };
    url.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::{is_remote_plain_http, normalize_service_url, Proxy};

    #[test]
    fn plain_http_to_another_host_is_remote() {
        for url in [
            "http://www.kaltura.com",
            "HTTP://10.0.0.1:8080/kaltura",
            "http://user:p@evil.example",
            "http://127.0.0.1.evil.example",
        ] {
            assert!(is_remote_plain_http(url), "{url}");
        }
        for url in [
            "https://www.kaltura.com",
            "http://127.0.0.1:8080",
            "http://127.5.6.7",
            "http://localhost:3000/x",
            "http://[::1]:80",
            "http://api.localhost",
        ] {
            assert!(!is_remote_plain_http(url), "{url}");
        }
    }

    #[test]
    fn proxy_credentials_never_show() {
        for (url, shown) in [
            ("http://proxy:3128", "http://proxy:3128"),
            ("http://u:p@proxy:3128", "http://<redacted>@proxy:3128"),
            ("socks5://u:p@w@proxy", "socks5://<redacted>@proxy"),
            ("http://u:pa/ss@proxy:3128", "http://<redacted>@proxy:3128"),
            ("http://u:p?x#y@proxy", "http://<redacted>@proxy"),
            ("u:p@proxy:3128", "<redacted>"),
        ] {
            let debug = format!("{:?}", Proxy::Url(url.into()));
            assert_eq!(debug, format!("Url({shown:?})"), "{url}");
        }
    }

    #[test]
    fn service_urls_are_taken_with_or_without_api_v3() {
        for url in [
            "https://www.kaltura.com",
            "https://www.kaltura.com/",
            " https://www.kaltura.com/api_v3 ",
            "https://www.kaltura.com/api_v3/",
            "https://www.kaltura.com/API_V3",
        ] {
            assert_eq!(
                normalize_service_url(url),
                "https://www.kaltura.com",
                "{url:?}"
            );
        }
        assert_eq!(
            normalize_service_url("http://10.0.0.1:8080/kaltura/api_v3"),
            "http://10.0.0.1:8080/kaltura"
        );
        assert_eq!(
            normalize_service_url("https://h/my_api_v3"),
            "https://h/my_api_v3"
        );
    }
}
