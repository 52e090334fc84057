//! HTTP notifications (webhooks): checking that a request really comes from Kaltura,
//! and reading the notification it carries.
//!
//! An HTTP event-notification template makes the server send a request to your URL
//! when something happens (an entry becomes ready, a category changes, ...). When the
//! template signs its requests, two headers come with the body:
//!
//! * `X-KALTURA-SIGNATURE`: the lowercase hex digest of `HASH(secret ‖ body)`, the
//!   partner's admin secret followed by the body exactly as sent;
//! * `X-KALTURA-HASH-ALGO`: `sha1` (the default, also assumed when the header is
//!   absent, as older servers never send it), `sha256` or `sha512`, from the
//!   template's `secureHashingAlgo`.
//!
//! A [`Verifier`] checks both against the raw body, in constant time (header names in
//! any case, as HTTP allows; the hex digits in either case, since they spell the same
//! digest and the digest is what is compared; surrounding whitespace ignored; a header
//! given twice refused), and then reads the notification: event type, template, the
//! notification job id (the server repeats a delivery that did not get a `200`, so use
//! it to drop repeats), and the object that triggered it, decoded as whichever
//! generated type you name, or as JSON. The [client guide's webhook
//! task](https://docs.rs/kaltura-client/latest/kaltura_client/#everyday-tasks) reads
//! it as a `KalturaBaseEntryAny`; here it is read as JSON:
//!
//! ```
//! use kaltura_runtime::webhook::{self, HashAlgo, Verifier};
//! use kaltura_runtime::Secret;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let secret = Secret::new("0123456789abcdef0123456789abcdef");
//! # let body = br#"{"object":{"id":"0_abc","name":"intro","partnerId":1234567,"objectType":"KalturaMediaEntry"},"eventObjectType":1,"eventNotificationJobId":12085,"templateId":340,"templateName":"Entry Ready","templateSystemName":"ENTRY_READY","eventType":3,"objectType":"KalturaHttpNotification"}"#;
//! # let headers = webhook::signature_headers(body, &secret, HashAlgo::Sha256);
//! // `body`: the request's bytes, untouched; `headers`: its headers, in any form that
//! // iterates as (name, value) pairs, `http::HeaderMap` included.
//! let notification = Verifier::new(&secret).verify(body, &headers)?;
//! println!(
//!     "job {:?}: event {:?} from template {:?}",
//!     notification.job_id(),
//!     notification.event_type(),
//!     notification.template_name(),
//! );
//! let entry: serde_json::Value = notification.object()?;
//! assert_eq!(entry["id"], "0_abc");
//! # Ok(()) }
//! ```
//!
//! # The bodies
//!
//! The template's format decides the body ([`BodyFormat`]), and all are read:
//!
//! * JSON: the `KalturaHttpNotification` as the API writes it, as the whole body
//!   (or `data=` followed by the JSON, URL-encoded when the template sets `urlEncode`,
//!   as it is, from older servers). Older servers also left `objectType` out of
//!   the object; decode such an object as its concrete class (the template's
//!   `apiObjectType`) rather than as a polymorphic `…Any`, which would fall back to
//!   the declared class;
//! * XML: `data=<notification>…</notification>`, turned into the JSON the API would
//!   have written (every value a string, as in XML; the codec reads numbers and
//!   booleans from strings). An empty element is `null`: XML cannot tell an empty
//!   string or list from a missing value;
//! * PHP-serialised (`data=O:23:"KalturaHttpNotification":…`): refused by default
//!   ([`WebhookError::PhpSerialized`]). [`Verifier::accept_php`] reads the part of the
//!   format the server writes (null, booleans, numbers, strings, arrays, objects)
//!   and refuses the rest (references, custom serialisation). It is opt-in so that
//!   a receiver set up for JSON or XML never runs a second decoder on its input;
//!   choose JSON in the template instead where you can.
//!
//! # Why the reading is strict
//!
//! `HASH(secret ‖ body)` is not an HMAC: from one signed body anyone can compute the
//! signature of that body followed by some padding bytes and text of their choosing
//! (a length-extension attack on SHA-1 and SHA-2). Such a body passes the signature
//! check, so the reader refuses anything after the notification: serde's end-of-input
//! check for JSON, the bytes after `</notification>`, and for URL-encoded bodies every
//! byte that URL encoding never writes (the padding is made of such bytes, `&`
//! included, so a second `data=` cannot be slipped in). Read the notification through
//! [`Verifier::verify`] or [`Notification::parse`], never by hand from a body that
//! only passed [`Verifier::check`].
//!
//! # Signatures in your own tests
//!
//! [`sign`] and [`signature_headers`] compute what the server would send, so a
//! handler can be tested without a server.

mod notification;
mod php;
mod tree;
mod xml;

pub use notification::{BodyFormat, Notification};

use crate::secret::Secret;
use std::fmt;
use std::str::FromStr;
use subtle::ConstantTimeEq;

/// The header holding the signature: lowercase hex of `HASH(secret ‖ body)`.
pub const SIGNATURE_HEADER: &str = "X-KALTURA-SIGNATURE";
/// The header naming the hash: `sha1` (also when absent), `sha256` or `sha512`.
pub const HASH_ALGO_HEADER: &str = "X-KALTURA-HASH-ALGO";

/// The hash a template signs with (its `secureHashingAlgo`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum HashAlgo {
    /// `SHA_1` (1): the server's default, and what a body without
    /// `X-KALTURA-HASH-ALGO` is signed with.
    #[default]
    Sha1,
    /// `SHA_256` (2).
    Sha256,
    /// `SHA_512` (3).
    Sha512,
}

impl HashAlgo {
    /// Every algorithm the server signs with.
    pub const ALL: [HashAlgo; 3] = [HashAlgo::Sha1, HashAlgo::Sha256, HashAlgo::Sha512];

    /// The name in `X-KALTURA-HASH-ALGO`: `sha1`, `sha256`, `sha512`.
    pub fn name(self) -> &'static str {
        match self {
            HashAlgo::Sha1 => "sha1",
            HashAlgo::Sha256 => "sha256",
            HashAlgo::Sha512 => "sha512",
        }
    }

    /// The algorithm a header names, ignoring ASCII case (the server writes
    /// lowercase).
    pub fn from_name(name: &str) -> Option<HashAlgo> {
        HashAlgo::ALL
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(name))
    }

    /// The length of the digest in bytes (the signature has twice as many hex digits).
    pub fn digest_len(self) -> usize {
        match self {
            HashAlgo::Sha1 => 20,
            HashAlgo::Sha256 => 32,
            HashAlgo::Sha512 => 64,
        }
    }

    fn digest(self, secret: &[u8], body: &[u8]) -> Vec<u8> {
        use sha2::Digest;
        fn run<D: Digest>(secret: &[u8], body: &[u8]) -> Vec<u8> {
            let mut h = D::new();
            h.update(secret);
            h.update(body);
            h.finalize().to_vec()
        }
        match self {
            HashAlgo::Sha1 => run::<sha1::Sha1>(secret, body),
            HashAlgo::Sha256 => run::<sha2::Sha256>(secret, body),
            HashAlgo::Sha512 => run::<sha2::Sha512>(secret, body),
        }
    }
}

impl fmt::Display for HashAlgo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for HashAlgo {
    type Err = WebhookError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HashAlgo::from_name(s).ok_or_else(|| WebhookError::UnknownAlgorithm(algorithm_shown(s)))
    }
}

/// The secrets a notification can be checked with: the runtime's [`Secret`] and the
/// KS crate's [`AdminSecret`](kaltura_ks::AdminSecret). The server signs with the
/// partner's admin secret.
pub trait SigningSecret: sealed::Sealed {
    /// The secret's text.
    #[doc(hidden)]
    fn secret_text(&self) -> &str;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::secret::Secret {}
    impl Sealed for kaltura_ks::AdminSecret {}
}

impl SigningSecret for Secret {
    fn secret_text(&self) -> &str {
        self.expose()
    }
}

impl SigningSecret for kaltura_ks::AdminSecret {
    fn secret_text(&self) -> &str {
        self.expose()
    }
}

/// One request header, as the iterators [`Verifier::check`] takes yield them: a
/// `(name, value)` pair of anything that is bytes (`&str`, `String`, `http`'s names
/// and values, so `&http::HeaderMap` works), or a reference to one (so `&vec` and
/// `&array` work).
pub trait HeaderPair {
    fn name(&self) -> &[u8];
    fn value(&self) -> &[u8];
}

impl<K: AsRef<[u8]>, V: AsRef<[u8]>> HeaderPair for (K, V) {
    fn name(&self) -> &[u8] {
        self.0.as_ref()
    }
    fn value(&self) -> &[u8] {
        self.1.as_ref()
    }
}

impl<K: AsRef<[u8]>, V: AsRef<[u8]>> HeaderPair for &(K, V) {
    fn name(&self) -> &[u8] {
        self.0.as_ref()
    }
    fn value(&self) -> &[u8] {
        self.1.as_ref()
    }
}

/// The signature the server would send for `body`: lowercase hex of
/// `algo(secret ‖ body)`. For tests of code that receives notifications.
pub fn sign<S: SigningSecret + ?Sized>(body: &[u8], secret: &S, algo: HashAlgo) -> String {
    hex::encode(algo.digest(secret.secret_text().as_bytes(), body))
}

/// The two headers the server would send with `body`, as (name, value) pairs that
/// [`Verifier::verify`] takes.
pub fn signature_headers<S: SigningSecret + ?Sized>(
    body: &[u8],
    secret: &S,
    algo: HashAlgo,
) -> [(&'static str, String); 2] {
    [
        (SIGNATURE_HEADER, sign(body, secret, algo)),
        (HASH_ALGO_HEADER, algo.name().to_string()),
    ]
}

/// Why a notification was refused. Messages quote at most the start of a header the
/// sender chose, never the secret or the body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// No `X-KALTURA-SIGNATURE` header (or an empty one): the request is not signed.
    #[error(
        "the request has no {SIGNATURE_HEADER} header: it was not signed by Kaltura \
         (the admin secret signs every HTTP notification)"
    )]
    MissingSignature,
    /// A signature or algorithm header given more than once; which one counts would be
    /// a guess.
    #[error("the header {0} appears more than once")]
    DuplicateHeader(&'static str),
    /// `X-KALTURA-HASH-ALGO` names no algorithm the server signs with.
    #[error(
        "unknown hash algorithm {0} in {HASH_ALGO_HEADER} (the server signs with sha1, \
         sha256 or sha512)"
    )]
    UnknownAlgorithm(String),
    /// `X-KALTURA-HASH-ALGO` names an algorithm this verifier was told not to accept
    /// ([`Verifier::require_algo`]).
    #[error("the request is signed with {got}, but only {required} is accepted")]
    AlgorithmNotAllowed { got: HashAlgo, required: HashAlgo },
    /// The signature is not hex, or not as long as the algorithm's digest (a request
    /// signed with another algorithm than the header says, for one).
    #[error(
        "the signature is not a {algo} digest ({} hex digits expected, {found})",
        algo.digest_len() * 2
    )]
    MalformedSignature { algo: HashAlgo, found: String },
    /// The signature does not match the body and the secret: the body was changed on
    /// the way, or signed with another secret (another partner's, an older one).
    #[error(
        "the signature does not match the body: the body was changed, or it was signed \
         with another secret than this partner's admin secret"
    )]
    BadSignature,
    /// The verifier was given an empty secret, with which anyone could sign.
    #[error("the secret to check signatures with is empty")]
    EmptySecret,
    /// The body is not a notification as the server writes one.
    #[error("the body is not a Kaltura HTTP notification: {0}")]
    UnreadableBody(String),
    /// The body is PHP-serialised (the template's format is PHP) and the verifier was
    /// not told to read that format.
    #[error(
        "the body is PHP-serialised, which is read only on request \
         (Verifier::accept_php); better, set the template's format to JSON"
    )]
    PhpSerialized,
    /// The object (or the notification) does not fit the type it was read as.
    #[error(transparent)]
    Decode(#[from] crate::codec::DecodeError),
}

/// An unknown algorithm name as a message shows it: quoted when it looks like one
/// (a short word: `md5`, `sha384`), else only its length, since the sender chose the
/// header and anything may be in it.
fn algorithm_shown(name: &str) -> String {
    let word = name.len() <= 12
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
    if word {
        format!("{name:?}")
    } else {
        format!("(a value of {} bytes)", name.len())
    }
}

/// A value from the body quoted in a message: escaped, and cut to 40 characters.
fn shown(value: &str) -> String {
    let head: String = value.chars().take(40).collect();
    let more = if value.chars().count() > 40 {
        "…"
    } else {
        ""
    };
    format!("{head:?}{more}")
}

/// Checks the signature of HTTP notifications with the partner's admin secret, and
/// reads the notifications that pass.
///
/// The secret is kept as a [`Secret`]: wiped when the verifier is dropped, redacted
/// in `Debug`.
#[derive(Clone)]
pub struct Verifier {
    secret: Secret,
    required: Option<HashAlgo>,
    php: bool,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secret", &self.secret)
            .field("required", &self.required)
            .field("php", &self.php)
            .finish()
    }
}

impl Verifier {
    /// A verifier for notifications signed with `secret` (the partner's admin secret),
    /// accepting the three algorithms and the JSON and XML formats.
    pub fn new<S: SigningSecret + ?Sized>(secret: &S) -> Self {
        Verifier {
            secret: Secret::new(secret.secret_text()),
            required: None,
            php: false,
        }
    }

    /// Accepts only requests signed with `algo`: set it to the template's
    /// `secureHashingAlgo`, so that nobody can choose the algorithm for you (the
    /// algorithm header is not signed).
    pub fn require_algo(mut self, algo: HashAlgo) -> Self {
        self.required = Some(algo);
        self
    }

    /// Also reads PHP-serialised bodies (see the [module documentation](self)).
    pub fn accept_php(mut self) -> Self {
        self.php = true;
        self
    }

    /// Checks the signature of `body` (the request's bytes, exactly as received)
    /// against the headers, whose names are compared ignoring ASCII case. Returns the
    /// algorithm it was signed with.
    ///
    /// A body that passes is authentic but not yet read: use [`Verifier::verify`]
    /// unless you read it yourself (and then as strictly; see the module
    /// documentation).
    pub fn check<I>(&self, body: &[u8], headers: I) -> Result<HashAlgo, WebhookError>
    where
        I: IntoIterator,
        I::Item: HeaderPair,
    {
        if self.secret.expose().is_empty() {
            return Err(WebhookError::EmptySecret);
        }
        let mut signature: Option<Vec<u8>> = None;
        let mut algo: Option<Vec<u8>> = None;
        for pair in headers {
            let (name, value) = (pair.name(), pair.value());
            let slot = if name.eq_ignore_ascii_case(SIGNATURE_HEADER.as_bytes()) {
                (&mut signature, SIGNATURE_HEADER)
            } else if name.eq_ignore_ascii_case(HASH_ALGO_HEADER.as_bytes()) {
                (&mut algo, HASH_ALGO_HEADER)
            } else {
                continue;
            };
            if slot.0.is_some() {
                return Err(WebhookError::DuplicateHeader(slot.1));
            }
            *slot.0 = Some(value.trim_ascii().to_vec());
        }
        let signature = match signature {
            Some(s) if !s.is_empty() => s,
            _ => return Err(WebhookError::MissingSignature),
        };
        let algo = match algo {
            // The server sends sha1 signatures without the header on older versions.
            None => HashAlgo::Sha1,
            Some(name) => {
                let name = String::from_utf8_lossy(&name);
                HashAlgo::from_name(&name)
                    .ok_or_else(|| WebhookError::UnknownAlgorithm(algorithm_shown(&name)))?
            }
        };
        if let Some(required) = self.required {
            if algo != required {
                return Err(WebhookError::AlgorithmNotAllowed {
                    got: algo,
                    required,
                });
            }
        }
        // Hex is decoded whatever its case: the digits spell the same bytes, and the
        // bytes are what is compared. The server writes lowercase.
        let given = hex::decode(&signature).map_err(|_| WebhookError::MalformedSignature {
            algo,
            found: describe_signature(&signature),
        })?;
        if given.len() != algo.digest_len() {
            return Err(WebhookError::MalformedSignature {
                algo,
                found: describe_signature(&signature),
            });
        }
        let expected = algo.digest(self.secret.expose().as_bytes(), body);
        if bool::from(expected.ct_eq(&given)) {
            Ok(algo)
        } else {
            Err(WebhookError::BadSignature)
        }
    }

    /// Checks the signature ([`Verifier::check`]), then reads the notification.
    pub fn verify<I>(&self, body: &[u8], headers: I) -> Result<Notification, WebhookError>
    where
        I: IntoIterator,
        I::Item: HeaderPair,
    {
        self.check(body, headers)?;
        notification::read(body, self.php)
    }
}

/// What a malformed signature looks like, without repeating it: its length and
/// whether it is hex.
fn describe_signature(signature: &[u8]) -> String {
    let hex = signature.iter().all(u8::is_ascii_hexdigit);
    format!(
        "{} {}",
        signature.len(),
        if hex {
            "hex digits"
        } else {
            "characters, not all hex"
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn known_digests() {
        // sha1("abc"), sha256("abc"), the standard test vectors, split between the
        // secret and the body.
        let s = Secret::new("a");
        assert_eq!(
            sign(b"bc", &s, HashAlgo::Sha1),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            sign(b"bc", &s, HashAlgo::Sha256),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(sign(b"bc", &s, HashAlgo::Sha512).len(), 128);
    }

    #[test]
    fn algorithm_names() {
        assert_eq!(HashAlgo::from_name("SHA256"), Some(HashAlgo::Sha256));
        assert_eq!("sha512".parse::<HashAlgo>(), Ok(HashAlgo::Sha512));
        assert!(matches!(
            "md5".parse::<HashAlgo>(),
            Err(WebhookError::UnknownAlgorithm(_))
        ));
        assert_eq!(HashAlgo::default(), HashAlgo::Sha1);
    }

    #[test]
    fn empty_secret_is_refused() {
        let v = Verifier::new(&Secret::new(""));
        let headers = [(
            SIGNATURE_HEADER,
            sign(b"x", &Secret::new(""), HashAlgo::Sha1),
        )];
        assert_eq!(v.check(b"x", headers), Err(WebhookError::EmptySecret));
    }

    #[test]
    fn takes_a_header_map_and_an_admin_secret() {
        let secret = kaltura_ks::AdminSecret::new(SECRET).unwrap();
        let body = br#"{"eventNotificationJobId":1}"#;
        let mut map = http::HeaderMap::new();
        let signature = sign(body, &secret, HashAlgo::Sha512);
        map.insert("x-kaltura-signature", signature.parse().unwrap());
        map.insert(
            "X-Kaltura-Hash-Algo",
            http::HeaderValue::from_static("sha512"),
        );
        let n = Verifier::new(&secret).verify(body, &map).unwrap();
        assert_eq!(n.job_id(), Some(1));
    }

    #[test]
    fn debug_hides_the_secret() {
        let v = Verifier::new(&Secret::new(SECRET));
        assert!(!format!("{v:?}").contains(SECRET));
    }

    #[test]
    fn long_header_values_are_cut_in_messages() {
        let long = "x".repeat(500);
        let v = Verifier::new(&Secret::new(SECRET));
        let e = v
            .check(
                b"",
                [(HASH_ALGO_HEADER, long.as_str()), (SIGNATURE_HEADER, "00")],
            )
            .unwrap_err();
        assert!(e.to_string().len() < 200, "{e}");
    }
}
