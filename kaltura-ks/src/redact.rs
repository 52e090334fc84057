//! Recognising what must not be shown: parameter names that hold credentials, and KS
//! tokens by their shape. The rules live here, in the crate that knows what a KS looks
//! like, so that the runtime (errors, logs), the command line (`--debug`, `--curl`) and
//! the code generator (which types such properties as secrets) share one definition.

use std::borrow::Cow;

/// Whether a parameter or property named `name` (the API's camelCase name) holds a
/// credential: a KS, a password, a secret, a private key, an access token.
///
/// The rule works on the words of the name (`sftpPrivateKey` is `sftp private key`):
/// - the names `ks`, `token`, `tokenHash`, `apikey` and `sslKey`;
/// - a name ending in the word `secret`, `password`, `passwd`, `passphrase` or
///   `pass`, or in `pass phrase` (`adminSecret`, `ftpPass`, `sslKeyPassword`,
///   `passPhrase`); where such a word comes first it names a setting about
///   secrets (`passwordStructureValidations`, `secondarySecretRoleId`), not one;
/// - a name ending in `… token` (`pageAccessToken`, `serviceToken`, `sipToken`) or
///   `token data` (`googleTokenData`), except `uploadToken`, an id;
/// - a name ending in a key that is not public: `private key`, `api key`,
///   `encryption key`, `enc key`, `signing key`, `access key`, `content key`,
///   `stream key`, `secret key`.
///
/// Names the rule cannot settle alone (a bare `key`, which is a map key in
/// `KalturaKeyValue` and a signing key in `KalturaUrlTokenizer`) are left out; a
/// property's type decides nothing here (callers look at strings only).
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "ks" | "token" | "tokenhash" | "apikey" | "sslkey"
    ) {
        return true;
    }
    let words = words(name);
    let n = words.len();
    let last = words.last().map(String::as_str);
    let before = n.checked_sub(2).map(|i| words[i].as_str());
    match (before, last) {
        (_, Some("secret" | "password" | "passwd" | "passphrase" | "pass")) => true,
        (Some("pass"), Some("phrase")) => true,
        (Some("upload"), Some("token")) => false,
        (_, Some("token")) => true,
        (Some("token"), Some("data")) => true,
        (
            Some(
                "private" | "api" | "encryption" | "enc" | "signing" | "access" | "content"
                | "stream" | "secret",
            ),
            Some("key"),
        ) => true,
        _ => false,
    }
}

/// The lowercase words of a camelCase, snake_case or kebab-case name.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c == '_' || c == '-' || c == ':' || c == '.' {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// What stands in for a hidden value.
pub const REDACTED: &str = "<redacted>";

/// Shortest run of text taken for a (possibly cut) KS: a v2 prefix `djJ8` and eight
/// characters of the partner id, or twelve decoded bytes of a v1 signature.
const MIN_KS_LEN: usize = 12;

/// Whether `token` has the shape of a KS, v1 or v2, in either base64 alphabet, with
/// `+ / =` percent-encoded or `/` escaped as JSON writes it (`\/`), and also when cut
/// short (the start of a KS quoted in a truncated message). Nothing is verified: this
/// is for hiding tokens, never for trusting them.
pub fn looks_like_ks(token: &str) -> bool {
    let Some(plain) = normalise(token) else {
        return false;
    };
    if plain.len() < MIN_KS_LEN {
        return false;
    }
    // `v2|` in base64, whichever alphabet: the v2 header.
    if plain.starts_with("djJ8") {
        return true;
    }
    // v1: base64 of 40 lowercase hex digits (the signature), then `|`.
    let take = plain.len().min(56) / 4 * 4;
    let Some(bytes) = decode_prefix(&plain[..take]) else {
        return false;
    };
    if bytes.len() < 9 {
        return false;
    }
    let sig = &bytes[..bytes.len().min(40)];
    sig.iter()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        && bytes.get(40).is_none_or(|b| *b == b'|')
}

/// The token in the standard alphabet with escapes undone and padding dropped; `None`
/// when it holds anything else.
fn normalise(token: &str) -> Option<String> {
    let mut out = String::with_capacity(token.len());
    let bytes = token.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let (c, width) = piece(&bytes[i..])?;
        match c {
            b'=' => {}
            b'-' => out.push('+'),
            b'_' => out.push('/'),
            c => out.push(c as char),
        }
        i += width;
    }
    Some(out)
}

/// One base64 character at the start of `bytes` and how many bytes spell it: itself,
/// a percent escape of `+ / =`, or JSON's `\/`.
fn piece(bytes: &[u8]) -> Option<(u8, usize)> {
    match bytes {
        [c, ..] if c.is_ascii_alphanumeric() || b"+/_-=".contains(c) => Some((*c, 1)),
        [b'\\', b'/', ..] => Some((b'/', 2)),
        [b'%', a, b, ..] => match (a.to_ascii_uppercase(), b.to_ascii_uppercase()) {
            (b'2', b'B') => Some((b'+', 3)),
            (b'2', b'F') => Some((b'/', 3)),
            (b'3', b'D') => Some((b'=', 3)),
            _ => None,
        },
        _ => None,
    }
}

fn decode_prefix(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// `text` with every KS-shaped run of characters replaced by `<redacted>`; borrowed
/// when there was none.
pub fn redact_ks_tokens(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        // A run starts at a base64 character other than `=`.
        match piece(&bytes[i..]) {
            None => {
                i += 1;
                continue;
            }
            Some((b'=', w)) => {
                i += w;
                continue;
            }
            Some(_) => {}
        }
        let start = i;
        while let Some((c, w)) = piece(&bytes[i..]) {
            if c == b'=' {
                // Padding ends a token; `=` followed by more text is a separator
                // (`ks=…` in a query or a message).
                let mut j = i;
                while let Some((b'=', w)) = piece(&bytes[j..]) {
                    j += w;
                }
                if piece(&bytes[j..]).is_none() {
                    i = j;
                }
                break;
            }
            i += w;
        }
        let run = &text[start..i];
        if run.len() >= MIN_KS_LEN && looks_like_ks(run) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..start]);
            o.push_str(REDACTED);
            copied = i;
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[copied..]);
            Cow::Owned(o)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AdminSecret, KsBuilder, SessionType};

    fn tokens() -> (String, String) {
        let secret = AdminSecret::new("0123456789abcdef0123456789abcdef").expect("a secret");
        let v2 = KsBuilder::new(1234567, SessionType::Admin)
            .now(1_700_000_000)
            .v2_random([7; 16])
            .generate_v2(&secret)
            .expect("a v2 KS");
        let v1 = KsBuilder::new(1234567, SessionType::User)
            .now(1_700_000_000)
            .v1_random("12345")
            .user_id("someone@example.com")
            .generate_v1(&secret)
            .expect("a v1 KS");
        (v1.expose().to_string(), v2.expose().to_string())
    }

    #[test]
    fn secret_names_of_the_api() {
        for name in [
            "ks",
            "KS",
            "token",
            "tokenHash",
            "secret",
            "adminSecret",
            "cmsPassword",
            "passPhrase",
            "passphrase",
            "keyPassphrase",
            "sftpPass",
            "privateKey",
            "sftpPrivateKey",
            "sshPrivateKey",
            "pageAccessToken",
            "userAccessToken",
            "apiKey",
            "apApiKey",
            "apikey",
            "encryptionKey",
            "fileEncryptionKey",
            "srcEncKey",
            "signingKey",
            "sslKey",
            "sslKeyPassword",
            "streamKey",
            "accessKey",
            "contentKey",
            "serviceToken",
            "sipToken",
            "googleTokenData",
            "google_client_secret",
        ] {
            assert!(is_secret_name(name), "{name} should be secret");
        }
        for name in [
            "id",
            "name",
            "key",
            "publicKey",
            "sftpPublicKey",
            "uploadTokenId",
            "uploadToken",
            "tokenId",
            "hashType",
            "ftpPassiveMode",
            "keyWords",
            "partnerId",
            "tokenizer",
            "passiveMode",
            "secureHashingAlgo",
            "passwordStructureValidations",
            "passwordStructureValidationsDescription",
            "allowDefaultPasswordRestrictions",
            "secondarySecretRoleId",
            "numPrevPassToKeep",
        ] {
            assert!(!is_secret_name(name), "{name} should not be secret");
        }
    }

    #[test]
    fn a_ks_is_recognised_in_every_spelling() {
        let (v1, v2) = tokens();
        for ks in [&v1, &v2] {
            assert!(looks_like_ks(ks), "{ks}");
            let swapped: String = ks
                .chars()
                .map(|c| match c {
                    '-' => '+',
                    '_' => '/',
                    '+' => '-',
                    '/' => '_',
                    c => c,
                })
                .collect();
            assert!(looks_like_ks(&swapped), "{swapped}");
            let encoded = ks
                .replace('+', "%2B")
                .replace('/', "%2f")
                .replace('=', "%3D");
            assert!(looks_like_ks(&encoded), "{encoded}");
            let json = ks.replace('/', "\\/");
            assert!(looks_like_ks(&json), "{json}");
            assert!(looks_like_ks(&ks[..20]), "cut short: {}", &ks[..20]);
            for text in [
                format!("Invalid KS \"{ks}\". Error: expired"),
                format!("<html><b>{encoded}</b></html>"),
                format!("{{\"ks\":\"{json}\"}}"),
                format!("message KS {}…", &ks[..30]),
                format!("https://h/api_v3/service/x/action/y?ks={encoded}&a=b"),
                format!("ks={ks}, partnerId=5"),
            ] {
                let clean = redact_ks_tokens(&text);
                assert!(clean.contains(REDACTED), "{text} -> {clean}");
                assert!(!clean.contains(&ks[..12]), "{text} -> {clean}");
            }
        }
        // The v1 fields are readable: a user id in the clear is a KS too, but text
        // around it stays.
        assert!(v1.len() > 56);
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for text in [
            "entry 0_abcdefgh1234 and words",
            "ENTRY_ID_NOT_FOUND: Entry id \"1_x8y7z6w5\" not found",
            "https://www.kaltura.com/api_v3/service/media/action/list",
            "aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ=",
            "0123456789abcdef0123456789abcdef",
            "Q29udGVudC1UeXBlOiBhcHBsaWNhdGlvbi9qc29u",
        ] {
            assert_eq!(redact_ks_tokens(text), text);
        }
    }
}
