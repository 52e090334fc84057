//! HTTP notifications: the three bodies of the server's own example script
//! (`tests/data/webhooks/`, see its README) checked against signatures computed
//! outside this repository (`signatures.json`), every way a signature can be wrong,
//! the bodies' objects decoded as generated types, and a length-extended body, which
//! passes the signature check and must not pass the reader.

use kaltura_client::types::{
    KalturaBaseEntryAny, KalturaEntryStatus, KalturaMediaEntry, KalturaMediaType,
};
use kaltura_runtime::webhook::{
    self, BodyFormat, HashAlgo, Notification, Verifier, WebhookError, HASH_ALGO_HEADER,
    SIGNATURE_HEADER,
};
use kaltura_runtime::Secret;
use kaltura_tests::data_file;
use serde_json::Value;

struct Vendor {
    secret: Secret,
    signatures: Value,
}

fn vendor() -> Vendor {
    let text = std::fs::read_to_string(data_file("webhooks/signatures.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    Vendor {
        secret: Secret::new(v["secret"].as_str().unwrap()),
        signatures: v["signatures"].clone(),
    }
}

impl Vendor {
    fn signature(&self, file: &str, algo: HashAlgo) -> String {
        self.signatures[file][algo.name()]
            .as_str()
            .unwrap()
            .to_string()
    }
}

fn body(file: &str) -> Vec<u8> {
    std::fs::read(data_file(&format!("webhooks/{file}"))).unwrap()
}

fn headers(signature: &str, algo: &str) -> Vec<(String, String)> {
    vec![
        (SIGNATURE_HEADER.to_string(), signature.to_string()),
        (HASH_ALGO_HEADER.to_string(), algo.to_string()),
    ]
}

const FILES: [(&str, BodyFormat); 3] = [
    ("json.txt", BodyFormat::FormJson),
    ("xml.txt", BodyFormat::Xml),
    ("object.txt", BodyFormat::Php),
];

/// PHP's `urlencode`: letters, digits and `-_.` as they are, a space as `+`, any other
/// byte as `%XX`.
fn php_urlencode(s: &[u8]) -> String {
    s.iter()
        .map(|&b| match b {
            b if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn the_vendor_bodies_verify_with_every_algorithm() {
    let v = vendor();
    let verifier = Verifier::new(&v.secret).accept_php();
    for (file, format) in FILES {
        let body = body(file);
        for algo in HashAlgo::ALL {
            let signature = v.signature(file, algo);
            // The signing helper gives what the server would send.
            assert_eq!(webhook::sign(&body, &v.secret, algo), signature, "{file}");
            let n = verifier
                .verify(&body, headers(&signature, algo.name()))
                .unwrap_or_else(|e| panic!("{file} {algo}: {e}"));
            assert_eq!(n.format(), format);
        }
    }
}

#[test]
fn the_other_json_forms_verify_too() {
    let v = vendor();
    let json = body("json.txt")[b"data=".len()..].to_vec();
    let mut encoded = b"data=".to_vec();
    encoded.extend(php_urlencode(&json).bytes());
    for (body, format) in [
        (json.clone(), BodyFormat::Json),
        (encoded, BodyFormat::UrlEncodedJson),
    ] {
        let h = webhook::signature_headers(&body, &v.secret, HashAlgo::Sha256);
        let n = Verifier::new(&v.secret).verify(&body, &h).unwrap();
        assert_eq!(n.format(), format);
        assert_eq!(n.job_id(), Some(12085));
        let object: Value = serde_json::from_str(n.object_json().unwrap()).unwrap();
        assert_eq!(object["id"], "0_ooau4f7g");
    }
}

#[test]
fn the_notification_fields_of_each_body() {
    let v = vendor();
    let verifier = Verifier::new(&v.secret).accept_php();
    let expected = [
        (
            "json.txt",
            12085,
            340,
            "Entry Status Changed - JSON",
            "HTTP_ENTRY_STATUS_CHANGED_JSON",
        ),
        (
            "xml.txt",
            12091,
            341,
            "Entry Status Changed - XML",
            "HTTP_ENTRY_STATUS_CHANGED_XML",
        ),
        (
            "object.txt",
            12114,
            336,
            "Entry Status Changed - Object",
            "HTTP_ENTRY_STATUS_CHANGED_OBJECT",
        ),
    ];
    for (file, job, template, name, system_name) in expected {
        let body = body(file);
        let sig = v.signature(file, HashAlgo::Sha1);
        let n = verifier.verify(&body, headers(&sig, "sha1")).unwrap();
        assert_eq!(n.job_id(), Some(job), "{file}");
        assert_eq!(n.template_id(), Some(template), "{file}");
        assert_eq!(n.template_name(), Some(name), "{file}");
        assert_eq!(n.template_system_name(), Some(system_name), "{file}");
        // OBJECT_CHANGED, about an ENTRY.
        assert_eq!(n.event_type(), Some("3"), "{file}");
        assert_eq!(n.event_object_type(), Some("1"), "{file}");
        assert_eq!(n.partner_id(), Some(496175), "{file}");
        // The JSON of this (2013) example names no class inside the object; current
        // servers' JSON serialiser writes objectType into every object.
        let class = (file != "json.txt").then_some("KalturaMediaEntry");
        assert_eq!(n.object_type(), class, "{file}");
        // The whole notification, for printing or a type of one's own.
        let whole: Value = n.decode().unwrap();
        assert_eq!(whole["objectType"], "KalturaHttpNotification", "{file}");
    }
}

#[test]
fn the_objects_decode_as_generated_types() {
    let v = vendor();
    let verifier = Verifier::new(&v.secret).accept_php();
    // (file, entry id, status): the example bodies describe two entries.
    for (file, id, status) in [
        ("json.txt", "0_ooau4f7g", KalturaEntryStatus::Import),
        ("xml.txt", "0_ooau4f7g", KalturaEntryStatus::Preconvert),
        ("object.txt", "0_ioria6f9", KalturaEntryStatus::Preconvert),
    ] {
        let body = body(file);
        let sig = v.signature(file, HashAlgo::Sha512);
        let n = verifier.verify(&body, headers(&sig, "sha512")).unwrap();

        let entry: KalturaMediaEntry = n.object().unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(entry.id.as_deref(), Some(id), "{file}");
        assert_eq!(entry.name.as_deref(), Some("tantan_test1"), "{file}");
        assert_eq!(entry.partner_id.copied(), Some(496175), "{file}");
        assert_eq!(
            entry.media_type.as_ref(),
            Some(&KalturaMediaType::Video),
            "{file}"
        );
        assert_eq!(entry.status.as_ref(), Some(&status), "{file}");
        assert_eq!(
            entry.conversion_profile_id.copied(),
            Some(1198950),
            "{file}"
        );
        assert_eq!(entry.rank.copied(), Some(0.0), "{file}");
        // Trailing spaces survive every format.
        assert_eq!(
            entry.search_text.as_deref(),
            Some("_PAR_ONLY_ _496175_ _MEDIA_TYPE_1|  tantan_test1 "),
            "{file}"
        );

        // The polymorphic value picks the class from objectType; without one (the
        // JSON example) it keeps the declared class's properties and the raw JSON.
        match n.object::<KalturaBaseEntryAny>().unwrap() {
            KalturaBaseEntryAny::KalturaMediaEntry(e) => assert_eq!(*e, entry, "{file}"),
            other => {
                assert_eq!(file, "json.txt", "a {}", other.object_type());
                assert_eq!(other.base().id.as_deref(), Some(id));
            }
        }
    }
}

#[test]
fn a_decode_error_names_the_object_path() {
    let v = vendor();
    let body = body("json.txt");
    let n = Verifier::new(&v.secret)
        .verify(
            &body,
            headers(&v.signature("json.txt", HashAlgo::Sha1), "sha1"),
        )
        .unwrap();
    // The object is an entry, not a list.
    let e = n.object::<Vec<KalturaMediaEntry>>().unwrap_err();
    assert!(matches!(e, WebhookError::Decode(_)));
    assert!(e.to_string().contains("notification.object"), "{e}");
}

/// Every way a signature can be wrong, and each refused as what it is.
#[test]
fn wrong_signatures_are_refused_apart() {
    let v = vendor();
    let verifier = Verifier::new(&v.secret);
    let body = body("json.txt");
    let sha1 = v.signature("json.txt", HashAlgo::Sha1);
    let sha256 = v.signature("json.txt", HashAlgo::Sha256);
    let check = |body: &[u8], headers: Vec<(String, String)>| verifier.check(body, headers);

    // One byte of the body changed (the entry's name).
    let mut altered = body.clone();
    let at = altered.windows(6).position(|w| w == b"tantan").unwrap();
    altered[at] = b'T';
    assert_eq!(
        check(&altered, headers(&sha256, "sha256")),
        Err(WebhookError::BadSignature)
    );
    // One hex digit of the signature changed.
    let mut flipped = sha256.clone().into_bytes();
    flipped[10] = if flipped[10] == b'0' { b'1' } else { b'0' };
    let flipped = String::from_utf8(flipped).unwrap();
    assert_eq!(
        check(&body, headers(&flipped, "sha256")),
        Err(WebhookError::BadSignature)
    );
    // Signed with another secret.
    let other = webhook::sign(
        &body,
        &Secret::new("another-partners-admin-secret"),
        HashAlgo::Sha256,
    );
    assert_eq!(
        check(&body, headers(&other, "sha256")),
        Err(WebhookError::BadSignature)
    );
    // The algorithm header does not match the signature: a sha1 digest is too short
    // for sha256, and the other way round.
    assert!(matches!(
        check(&body, headers(&sha1, "sha256")),
        Err(WebhookError::MalformedSignature {
            algo: HashAlgo::Sha256,
            ..
        })
    ));
    assert!(matches!(
        check(&body, headers(&sha256, "sha1")),
        Err(WebhookError::MalformedSignature {
            algo: HashAlgo::Sha1,
            ..
        })
    ));
    // No signature at all, or an empty one.
    let only_algo = vec![(HASH_ALGO_HEADER.to_string(), "sha1".to_string())];
    assert_eq!(check(&body, only_algo), Err(WebhookError::MissingSignature));
    assert_eq!(
        check(&body, headers("", "sha1")),
        Err(WebhookError::MissingSignature)
    );
    assert_eq!(check(&body, vec![]), Err(WebhookError::MissingSignature));
    // An algorithm the server does not sign with.
    assert!(matches!(
        check(&body, headers(&sha1, "md5")),
        Err(WebhookError::UnknownAlgorithm(a)) if a.contains("md5")
    ));
    // Not hex, or cut short.
    assert!(matches!(
        check(&body, headers(&sha1.replace('a', "z"), "sha1")),
        Err(WebhookError::MalformedSignature { .. })
    ));
    assert!(matches!(
        check(&body, headers(&sha1[..38], "sha1")),
        Err(WebhookError::MalformedSignature { .. })
    ));
    // A header given twice.
    let mut twice = headers(&sha1, "sha1");
    twice.push((SIGNATURE_HEADER.to_lowercase(), sha1.clone()));
    assert_eq!(
        check(&body, twice),
        Err(WebhookError::DuplicateHeader(SIGNATURE_HEADER))
    );
    // An algorithm other than the one the receiver pinned.
    assert_eq!(
        verifier
            .clone()
            .require_algo(HashAlgo::Sha256)
            .check(&body, headers(&sha1, "sha1")),
        Err(WebhookError::AlgorithmNotAllowed {
            got: HashAlgo::Sha1,
            required: HashAlgo::Sha256
        })
    );
}

/// What is accepted besides the server's exact spelling, and why it is safe.
#[test]
fn header_spellings_that_are_accepted() {
    let v = vendor();
    let verifier = Verifier::new(&v.secret);
    let body = body("json.txt");
    let sha1 = v.signature("json.txt", HashAlgo::Sha1);
    // Header names in any case (HTTP names are case-insensitive; many servers
    // lowercase them).
    let lower = [
        ("x-kaltura-signature", sha1.as_str()),
        ("x-kaltura-hash-algo", "sha1"),
    ];
    assert_eq!(verifier.check(&body, lower), Ok(HashAlgo::Sha1));
    // No algorithm header: sha1, as older servers sign without naming it.
    assert_eq!(
        verifier.check(&body, [(SIGNATURE_HEADER, sha1.as_str())]),
        Ok(HashAlgo::Sha1)
    );
    // Uppercase hex: the digits spell the same digest, and the digest is compared.
    // The server writes lowercase; an uppercase copy proves nothing more or less.
    let upper = sha1.to_uppercase();
    assert_eq!(
        verifier.check(&body, headers(&upper, "SHA1")),
        Ok(HashAlgo::Sha1)
    );
    // Whitespace around a value, which HTTP allows.
    assert_eq!(
        verifier.check(&body, headers(&format!(" {sha1}\t"), " sha1 ")),
        Ok(HashAlgo::Sha1)
    );
}

#[test]
fn php_bodies_are_refused_unless_asked_for() {
    let v = vendor();
    let body = body("object.txt");
    let h = headers(&v.signature("object.txt", HashAlgo::Sha1), "sha1");
    // The signature holds; the format is what is refused.
    let plain = Verifier::new(&v.secret);
    assert_eq!(plain.check(&body, &h), Ok(HashAlgo::Sha1));
    assert_eq!(
        plain.verify(&body, &h).unwrap_err(),
        WebhookError::PhpSerialized
    );
    assert!(Verifier::new(&v.secret)
        .accept_php()
        .verify(&body, &h)
        .is_ok());
    assert_eq!(
        Notification::parse(&body).unwrap_err(),
        WebhookError::PhpSerialized
    );
    assert!(Notification::parse_any(&body).is_ok());
}

/// SHA-1 message padding of `len` bytes: what an attacker appends, after the secret
/// and body, to continue the hash from a known signature.
fn sha1_padding(len: usize) -> Vec<u8> {
    let mut pad = vec![0x80u8];
    while (len + pad.len()) % 64 != 56 {
        pad.push(0);
    }
    pad.extend(((len as u64) * 8).to_be_bytes());
    pad
}

/// From a signed body an attacker can sign `body ‖ padding ‖ anything` without the
/// secret (length extension). Such a body is simulated here by signing it with the
/// secret: the signature check passes, and the reader must refuse what follows the
/// notification, in each format.
#[test]
fn length_extended_bodies_pass_the_signature_but_not_the_reader() {
    let v = vendor();
    let verifier = Verifier::new(&v.secret).accept_php();
    let secret_len = v.secret.expose().len();
    let json = body("json.txt")[b"data=".len()..].to_vec();
    let mut encoded = b"data=".to_vec();
    encoded.extend(php_urlencode(&json).bytes());
    for (name, original, tail) in [
        ("raw JSON", json.clone(), &b",\"templateId\":1}"[..]),
        ("data=JSON", body("json.txt"), b"&data={}"),
        ("URL-encoded", encoded, b"&data=%7B%7D"),
        ("XML", body("xml.txt"), b"<notification></notification>"),
        ("PHP", body("object.txt"), b"i:1;"),
    ] {
        let mut forged = original.clone();
        forged.extend(sha1_padding(secret_len + original.len()));
        forged.extend_from_slice(tail);
        let h = webhook::signature_headers(&forged, &v.secret, HashAlgo::Sha1);
        assert_eq!(verifier.check(&forged, &h), Ok(HashAlgo::Sha1), "{name}");
        let e = verifier.verify(&forged, &h).unwrap_err();
        assert!(matches!(e, WebhookError::UnreadableBody(_)), "{name}: {e}");
    }
}

#[test]
fn messages_never_show_the_secret() {
    let v = vendor();
    let verifier = Verifier::new(&v.secret);
    let body = body("json.txt");
    let secret = v.secret.expose();
    let sha1 = webhook::sign(&body, &Secret::new("x"), HashAlgo::Sha1);
    let mut errors = vec![
        verifier.check(&body, headers(&sha1, "sha1")).unwrap_err(),
        verifier.check(&body, headers(secret, "sha1")).unwrap_err(),
        verifier.check(&body, headers(&sha1, secret)).unwrap_err(),
    ];
    errors.push(
        verifier
            .verify(b"nonsense", headers(&sha1, "sha1"))
            .unwrap_err(),
    );
    for e in errors {
        assert!(!e.to_string().contains(secret), "{e}");
        assert!(!format!("{e:?}").contains(secret), "{e:?}");
    }
    assert!(!format!("{verifier:?}").contains(secret));
}

/// Every prefix of each body, and each body with one byte replaced, is read or
/// refused, never a panic: the readers index by hand.
#[test]
fn cut_and_damaged_bodies_are_refused_without_a_panic() {
    let json = body("json.txt")[b"data=".len()..].to_vec();
    let mut encoded = b"data=".to_vec();
    encoded.extend(php_urlencode(&json).bytes());
    for original in [
        body("json.txt"),
        body("xml.txt"),
        body("object.txt"),
        json,
        encoded,
    ] {
        for end in 0..original.len() {
            let _ = Notification::parse_any(&original[..end]);
        }
        for at in 0..original.len() {
            for b in [b'<', b'>', b'"', b';', b':', b'%', b'&', b'{', b'0', 0x80] {
                let mut damaged = original.clone();
                damaged[at] = b;
                let _ = Notification::parse_any(&damaged);
            }
        }
    }
}
