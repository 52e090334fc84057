//! Service URLs as the command line shows, checks and sends them.
//!
//! - Credentials in a URL (`https://user:pass@host`) are never printed: [`shown`]
//!   hides them wherever a URL reaches the terminal, and [`split_credentials`] takes
//!   them out of the URL the client uses, so that even a transport printing every
//!   request (`--debug`) has none to show; they travel as the `Authorization: Basic`
//!   header an HTTP client would make of them.
//! - A KS, secret or password sent over plain `http://` can be read on the way:
//!   [`plain_http`] tells when a URL would do that (loopback addresses excepted, for
//!   local servers and stand-ins).

use crate::error::{CliError, Result};
use base64::Engine;
use kaltura_runtime::transport::{BoxFuture, HttpRequest, HttpResponse, Transport};
use kaltura_runtime::Secret;
use std::sync::Arc;

const HIDDEN: &str = "<redacted>";

/// The URL as it may be printed: `http://user:pass@host` becomes
/// `http://<redacted>@host`. Everything up to the last `@` goes, as the runtime does
/// for proxy URLs, so that a password holding a raw `/`, `?` or `#` is hidden too.
pub fn shown(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.rfind('@') {
            Some(at) => format!("{scheme}://{HIDDEN}@{}", &rest[at + 1..]),
            None => url.to_string(),
        },
        None if url.contains('@') => HIDDEN.to_string(),
        None => url.to_string(),
    }
}

/// `scheme`, the authority (`user:pass@host:port`) and what follows it.
fn parts(url: &str) -> Option<(&str, &str, &str)> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some((scheme, &rest[..end], &rest[end..]))
}

/// The host of a URL, without credentials, port or IPv6 brackets.
pub fn host(url: &str) -> Option<&str> {
    let (_, authority, _) = parts(url)?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = host_port.strip_prefix('[') {
        return v6.split_once(']').map(|(h, _)| h);
    }
    Some(host_port.split_once(':').map_or(host_port, |(h, _)| h))
}

/// `localhost`, 127.0.0.0/8 and ::1 (IPv4-mapped included): traffic that never
/// leaves the machine.
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(std::net::IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// Whether a secret sent to `url` would cross the network unencrypted: `http://` to
/// a host other than this machine.
pub fn plain_http(url: &str) -> bool {
    match parts(url) {
        Some((scheme, _, _)) if scheme.eq_ignore_ascii_case("http") => {
            !host(url).is_some_and(is_loopback)
        }
        _ => false,
    }
}

/// The checks the runtime makes of a service URL, made first so that the message
/// shows the URL without its credentials.
pub fn check(url: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(CliError::usage(format!(
            "the service URL `{}` {why} (e.g. https://www.kaltura.com)",
            shown(url)
        )))
    };
    match parts(url) {
        Some((scheme, _, _))
            if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") => {}
        _ => return bad("must start with http:// or https://"),
    }
    if host(url).is_none_or(str::is_empty) {
        return bad("must name a host");
    }
    if url.contains(['?', '#']) {
        return bad("must not have a query or fragment");
    }
    Ok(())
}

/// A service URL without its credentials, and the `Authorization` header they stand
/// for.
pub struct Split {
    pub url: String,
    pub authorization: Option<Secret>,
}

/// Takes `user:pass@` out of a URL's authority and makes it the `Basic` header an
/// HTTP client would send for it (percent-decoded, `user:` when there is no
/// password).
pub fn split_credentials(url: &str) -> Split {
    let unchanged = || Split {
        url: url.to_string(),
        authorization: None,
    };
    let Some((scheme, authority, rest)) = parts(url) else {
        return unchanged();
    };
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return unchanged();
    };
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let pair = Secret::new(format!("{}:{}", decode(user), decode(password)));
    let header = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair.expose())
    );
    Split {
        url: format!("{scheme}://{host}{rest}"),
        authorization: Some(Secret::new(header)),
    }
}

/// Adds the `Authorization` header taken out of the service URL to every request.
pub struct WithAuthorization {
    pub inner: Arc<dyn Transport>,
    pub value: Secret,
}

impl Transport for WithAuthorization {
    fn send(
        &self,
        mut request: HttpRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, kaltura_runtime::Error>> {
        if !request
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        {
            request
                .headers
                .push(("Authorization".into(), self.value.expose().to_string()));
        }
        self.inner.send(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_show() {
        for (url, expected) in [
            ("http://user:pass@host:8080", "http://<redacted>@host:8080"),
            (
                "https://u:p@w@host/prefix",
                "https://<redacted>@host/prefix",
            ),
            ("https://u:pa/ss@host", "https://<redacted>@host"),
            ("https://www.kaltura.com", "https://www.kaltura.com"),
            ("u:p@host", "<redacted>"),
        ] {
            assert_eq!(shown(url), expected, "{url}");
        }
    }

    #[test]
    fn credentials_become_a_header() {
        let s = split_credentials("https://Aladdin:open%20sesame@host:8443/prefix");
        assert_eq!(s.url, "https://host:8443/prefix");
        // RFC 7617's example, with its space percent-encoded in the URL.
        assert_eq!(
            s.authorization.unwrap().expose(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        let s = split_credentials("http://token@127.0.0.1:9");
        assert_eq!(s.url, "http://127.0.0.1:9");
        assert_eq!(s.authorization.unwrap().expose(), "Basic dG9rZW46");
        let s = split_credentials("https://www.kaltura.com/a@b");
        assert_eq!(s.url, "https://www.kaltura.com/a@b");
        assert!(s.authorization.is_none());
    }

    #[test]
    fn plain_http_leaves_the_machine_unless_loopback() {
        for url in [
            "http://www.example.com",
            "HTTP://10.0.0.1:8080/x",
            "http://user:pw@[2001:db8::1]:80",
            "http://127.0.0.1.example.com",
            "http://localhost.example.com",
        ] {
            assert!(plain_http(url), "{url}");
        }
        for url in [
            "https://www.kaltura.com",
            "http://127.0.0.1:9",
            "http://127.4.5.6",
            "http://localhost:8080/",
            "http://LOCALHOST",
            "http://[::1]:9/",
            "http://[::ffff:127.0.0.1]:9",
            "http://u:p@127.0.0.1:9",
        ] {
            assert!(!plain_http(url), "{url}");
        }
    }

    #[test]
    fn checks_show_no_credentials() {
        let e = check("ftp://u:hunter2@host").unwrap_err().to_string();
        assert!(
            !e.contains("hunter2") && e.contains("<redacted>@host"),
            "{e}"
        );
        let e = check("https://u:hunter2@host?x=1").unwrap_err().to_string();
        assert!(!e.contains("hunter2"), "{e}");
        assert!(check("https://").is_err());
        check("http://u:p@127.0.0.1:9/prefix").unwrap();
    }
}
