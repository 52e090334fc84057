//! Text encodings a KS goes through, each matched to the side that defines it:
//!
//! * base64 *decoding* as the server does it (PHP `base64_decode` in strict mode, after
//!   mapping the URL-safe alphabet back), so we accept exactly what the server accepts;
//! * form encoding of the v2 payload as the Python client writes it (`quote_plus`), so
//!   generated tokens match the vendor's byte for byte;
//! * form decoding of the v2 payload as the server reads it (PHP `parse_str`), including
//!   the way PHP rewrites some characters in names.
//!
//! Encoding uses the `base64` crate. The decoders are hand-written on purpose: a
//! general-purpose decoder (the `base64` crate's engines, `form_urlencoded`) is either
//! stricter or more lenient than PHP in details the server relies on (whitespace and
//! `=` anywhere, both alphabets in one token, `parse_str`'s name rewriting and input
//! limit), and a KS must be read exactly as the server reads it.

use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine as _;

use crate::KsError;

/// PHP's default `max_input_vars`: `parse_str` stops after this many pairs.
pub(crate) const PHP_MAX_INPUT_VARS: usize = 1000;

/// Standard alphabet with `=` padding (v1 tokens).
pub(crate) fn base64_standard(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// URL-safe alphabet, padding kept (v2 tokens).
pub(crate) fn base64_url_safe(bytes: &[u8]) -> String {
    URL_SAFE.encode(bytes)
}

fn base64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Decodes a KS the way the server does: both alphabets, padding optional, tab, line
/// feed, carriage return and space ignored anywhere, nothing but whitespace or more `=`
/// after the first `=`, and an empty result counts as invalid.
pub(crate) fn decode_ks_base64(text: &str) -> Result<Vec<u8>, KsError> {
    let bad = |reason: String| KsError::InvalidBase64 { reason };
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    let mut digits: usize = 0;
    let mut padding: usize = 0;
    for (pos, c) in text.bytes().enumerate() {
        if c == b'=' {
            padding += 1;
            continue;
        }
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            continue;
        }
        let Some(v) = base64_value(c) else {
            return Err(bad(format!(
                "character {} (byte {pos}) is not in the base64 alphabet",
                pos + 1
            )));
        };
        if padding > 0 {
            return Err(bad(format!("data follows the '=' padding at byte {pos}")));
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        digits += 1;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if digits % 4 == 1 {
        return Err(bad(
            "it ends with a lone character, so it was cut short".into()
        ));
    }
    // `& 3` is `% 4`; written so to keep clear of `is_multiple_of` (Rust 1.87, newer
    // than the workspace's minimum).
    if padding > 0 && (padding > 2 || (digits + padding) & 3 != 0) {
        return Err(bad("the '=' padding has the wrong length".into()));
    }
    if out.is_empty() {
        return Err(bad("it is empty".into()));
    }
    Ok(out)
}

/// Python's `urllib.parse.quote_plus` over UTF-8: `A–Z a–z 0–9 _ . - ~` kept, space to
/// `+`, everything else `%XX` with uppercase hex.
pub(crate) fn quote_plus(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0x0f)]));
            }
        }
    }
}

/// Builds `k1=v1&k2=v2…` with [`quote_plus`] on both sides, like Python's `urlencode`.
pub(crate) fn form_encode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        quote_plus(k, &mut out);
        out.push('=');
        quote_plus(v, &mut out);
    }
    out
}

/// Whitespace as Python's `str.strip()` sees it: Unicode White_Space plus the four ASCII
/// information separators U+001C–U+001F.
pub(crate) fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()` with no argument.
pub(crate) fn python_strip(s: &str) -> &str {
    s.trim_matches(is_python_space)
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// PHP `urldecode`: `+` is a space, `%XX` with two hex digits is that byte, and any other
/// `%` is kept as it is.
pub(crate) fn php_url_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = input.get(i + 1).copied().and_then(hex_value);
                let lo = input.get(i + 2).copied().and_then(hex_value);
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    out.push((hi << 4) | lo);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// What PHP does to a decoded form-field name before storing it.
enum PhpName {
    /// A plain name, possibly rewritten.
    Plain(Vec<u8>),
    /// Ignored by PHP (empty after its rewriting).
    Skipped,
    /// A `name[...]` array field; the server's KS code fails on these.
    Array,
}

/// PHP's handling of a form-field name (PHP 8): cut at the first NUL, drop leading
/// spaces, turn ` ` and `.` into `_`; at the first `[`, a later `]` makes it an array
/// field, otherwise the `[` and every later ` `, `.` or `[` become `_`.
fn php_mangle_name(raw: &[u8]) -> PhpName {
    let raw = match raw.iter().position(|&b| b == 0) {
        Some(nul) => &raw[..nul],
        None => raw,
    };
    let start = raw.iter().position(|&b| b != b' ').unwrap_or(raw.len());
    let raw = &raw[start..];
    let mut name = Vec::with_capacity(raw.len());
    for (i, &b) in raw.iter().enumerate() {
        match b {
            b' ' | b'.' => name.push(b'_'),
            b'[' => {
                if name.is_empty() {
                    return PhpName::Skipped;
                }
                let rest = &raw[i + 1..];
                if rest.contains(&b']') {
                    return PhpName::Array;
                }
                name.push(b'_');
                name.extend(rest.iter().map(|&r| match r {
                    b' ' | b'.' | b'[' => b'_',
                    other => other,
                }));
                return PhpName::Plain(name);
            }
            other => name.push(other),
        }
    }
    if name.is_empty() {
        PhpName::Skipped
    } else {
        PhpName::Plain(name)
    }
}

/// PHP `parse_str` into an insertion-ordered list: pairs split on `&` (empty pieces
/// skipped), at the first `=`, both sides URL-decoded, names rewritten as PHP does, a
/// repeated name keeps its first position and takes the last value, and only the first
/// [`PHP_MAX_INPUT_VARS`] pieces are read.
pub(crate) fn php_parse_str(query: &[u8]) -> Result<Vec<(String, String)>, KsError> {
    let mut out: Vec<(String, String)> = Vec::new();
    let pieces = query.split(|&b| b == b'&').filter(|p| !p.is_empty());
    for piece in pieces.take(PHP_MAX_INPUT_VARS) {
        let (raw_name, raw_value) = match piece.iter().position(|&b| b == b'=') {
            Some(eq) => (&piece[..eq], &piece[eq + 1..]),
            None => (piece, &b""[..]),
        };
        let name = match php_mangle_name(&php_url_decode(raw_name)) {
            PhpName::Plain(n) => n,
            PhpName::Skipped => continue,
            PhpName::Array => {
                return Err(KsError::malformed(
                    "the v2 payload has an array-style field name (`name[...]`), \
                     which the server cannot read",
                ))
            }
        };
        let name = String::from_utf8(name)
            .map_err(|_| KsError::malformed("a v2 field name is not valid UTF-8"))?;
        let value = String::from_utf8(php_url_decode(raw_value))
            .map_err(|_| KsError::malformed(format!("the v2 field `{name}` is not valid UTF-8")))?;
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => out.push((name, value)),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_accepts_what_php_accepts() {
        let std = base64_standard(b"hello?>world");
        assert_eq!(decode_ks_base64(&std).unwrap(), b"hello?>world");
        let url = base64_url_safe(b"hello?>world");
        assert_eq!(decode_ks_base64(&url).unwrap(), b"hello?>world");
        // Missing padding, whitespace anywhere.
        assert_eq!(decode_ks_base64("aGk").unwrap(), b"hi");
        assert_eq!(decode_ks_base64(" aG\nk=\r\n").unwrap(), b"hi");
        assert_eq!(decode_ks_base64("aG k=").unwrap(), b"hi");
    }

    #[test]
    fn base64_rejects_what_php_rejects() {
        for bad in [
            "",
            "   ",
            "=",
            "a",
            "aGk=x",
            "aGk===",
            "aG=",
            "a%2Bb",
            "aGk*",
            "aGk\u{e9}",
        ] {
            assert!(
                matches!(decode_ks_base64(bad), Err(KsError::InvalidBase64 { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn quote_plus_matches_python() {
        let mut s = String::new();
        quote_plus("a;b&c=d|e f+/%~*@Jö", &mut s);
        assert_eq!(s, "a%3Bb%26c%3Dd%7Ce+f%2B%2F%25~%2A%40J%C3%B6");
    }

    #[test]
    fn python_strip_includes_separators() {
        assert_eq!(python_strip("\u{1c} a b\u{3000}\t"), "a b");
    }

    #[test]
    fn url_decode_keeps_broken_escapes() {
        assert_eq!(php_url_decode(b"a+b%2Fc%zz%4"), b"a b/c%zz%4");
    }

    #[test]
    fn parse_str_like_php() {
        let got = php_parse_str(b"my.priv=1&two+words=2&&x&a=1&a=2& lead=3&q%5Bb=4&%20=5").unwrap();
        let want: Vec<(String, String)> = [
            ("my_priv", "1"),
            ("two_words", "2"),
            ("x", ""),
            ("a", "2"),
            ("lead", "3"),
            ("q_b", "4"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(got, want);
        assert!(php_parse_str(b"c%5B%5D=1").is_err());
        assert_eq!(
            php_parse_str(b"a%5Bb.c=1").unwrap(),
            vec![("a_b_c".to_string(), "1".to_string())]
        );
    }

    #[test]
    fn parse_str_stops_at_max_input_vars() {
        let q: Vec<String> = (0..1005).map(|i| format!("k{i}=v")).collect();
        let got = php_parse_str(q.join("&").as_bytes()).unwrap();
        assert_eq!(got.len(), PHP_MAX_INPUT_VARS);
    }
}
