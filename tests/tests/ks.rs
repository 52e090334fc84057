//! Kaltura Session (KS) generation, parsing and validation against the vendor's vectors
//! (`tests/data/ks/vectors.json`), plus round trips and rejection cases.
//!
//! The vector tests iterate over whatever the file holds, so new vectors are picked up
//! without code changes.

use kaltura_client::ks::{
    AdminSecret, Inspection, Ks, KsBuilder, KsError, KsFields, KsVersion, Privileges, SessionType,
    V1Layout,
};
use serde_json::Value;

const SECRET: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const NOW: i64 = 2_000_000_000;

fn secret() -> AdminSecret {
    AdminSecret::new(SECRET).unwrap()
}

// ---------------------------------------------------------------------------------------
// Vector plumbing
// ---------------------------------------------------------------------------------------

/// One vector and the group it came from.
struct Vector<'a> {
    v: &'a Value,
    server_generated: bool,
}

impl Vector<'_> {
    fn id(&self) -> &str {
        self.v["id"].as_str().unwrap()
    }
    fn str(&self, key: &str) -> &str {
        self.v[key]
            .as_str()
            .unwrap_or_else(|| panic!("{}: `{key}` is not a string", self.id()))
    }
    fn int(&self, key: &str) -> i64 {
        self.v[key]
            .as_i64()
            .unwrap_or_else(|| panic!("{}: `{key}` is not an integer", self.id()))
    }
    fn opt_str(&self, key: &str) -> Option<&str> {
        self.v.get(key).and_then(Value::as_str)
    }
    fn version(&self) -> KsVersion {
        match self.int("version") {
            1 => KsVersion::V1,
            2 => KsVersion::V2,
            other => panic!("{}: unknown version {other}", self.id()),
        }
    }
    fn secret(&self) -> AdminSecret {
        AdminSecret::new(self.str("secret")).unwrap()
    }
    fn ks(&self) -> Ks {
        Ks::new(self.str("ks"))
    }
    /// A time at which the vector is valid: its pinned `now`, or just before expiry.
    fn valid_time(&self) -> i64 {
        match self.v.get("now").and_then(Value::as_i64) {
            Some(now) => now,
            None => self.int("valid_until") - 1,
        }
    }
    fn valid_until(&self) -> i64 {
        self.v["decoded"]["valid_until"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{}: decoded.valid_until", self.id()))
    }

    /// The builder that should reproduce this vector.
    fn builder(&self) -> KsBuilder {
        let ty = SessionType::from_code(self.int("type"))
            .unwrap_or_else(|| panic!("{}: unsupported type", self.id()));
        let mut b = KsBuilder::new(self.int("partner_id"), ty)
            .user_id(self.str("user_id"))
            .privileges(self.str("privileges"));
        if let Some(now) = self.v.get("now").and_then(Value::as_i64) {
            b = b.now(now);
        }
        b = match self.v.get("expiry_seconds").and_then(Value::as_i64) {
            Some(secs) => b.expires_in(secs),
            None => b.expires_at(self.int("valid_until")),
        };
        if let Some(m) = self.opt_str("master_partner_id") {
            b = b.master_partner_id(m);
        }
        if let Some(d) = self.opt_str("additional_data") {
            b = b.additional_data(d);
        }
        if self.server_generated {
            // The server's generator always writes all nine v1 fields.
            b = b.v1_layout(V1Layout::Full);
        }
        let random = &self.v["random"];
        match self.version() {
            KsVersion::V1 => {
                let text = match random {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) => s.clone(),
                    other => panic!("{}: v1 random {other:?}", self.id()),
                };
                b.v1_random(text)
            }
            _ => {
                let bytes = hex_decode(random.as_str().unwrap());
                b.v2_random(
                    bytes
                        .try_into()
                        .unwrap_or_else(|_| panic!("{}: v2 random is not 16 bytes", self.id())),
                )
            }
        }
    }
}

fn hex_decode(s: &str) -> Vec<u8> {
    assert_eq!(s.len() & 1, 0, "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn load() -> Value {
    let path = kaltura_tests::data_file("ks/vectors.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("vectors.json is valid JSON")
}

fn vectors(doc: &Value) -> Vec<Vector<'_>> {
    let mut out = Vec::new();
    for (key, server_generated) in [("vectors", false), ("server_generated_vectors", true)] {
        if let Some(list) = doc.get(key).and_then(Value::as_array) {
            out.extend(list.iter().map(|v| Vector {
                v,
                server_generated,
            }));
        }
    }
    assert!(!out.is_empty(), "vectors.json holds no vectors");
    out
}

/// Compares parsed fields with the server's `decoded` block, key by key.
fn assert_matches_decoded(id: &str, f: &KsFields, d: &Value) {
    let s = |key: &str| d.get(key).map(|v| v.as_str().map(str::to_owned));
    let same = |key: &str, got: Option<String>| {
        if let Some(want) = s(key) {
            assert_eq!(got, want, "{id}: decoded.{key}");
        }
    };
    same("partner_id", Some(f.partner_id().to_string()));
    same("partner_pattern", f.partner_pattern().map(str::to_owned));
    same("valid_until", Some(f.valid_until().to_string()));
    same("type", f.type_raw().map(str::to_owned));
    same("rand", f.random().map(str::to_owned));
    same("user", f.user_field().map(str::to_owned));
    same("privileges", f.privileges_str().map(str::to_owned));
    same(
        "master_partner_id",
        f.master_partner_id().map(str::to_owned),
    );
    same("additional_data", f.additional_data().map(str::to_owned));
    same("hash", Some(f.hash_hex().to_owned()));
    if let Some(want) = d.get("is_admin").and_then(Value::as_bool) {
        assert_eq!(f.is_admin(), want, "{id}: decoded.is_admin");
    }
    if let Some(want) = d.get("is_anonymous").and_then(Value::as_bool) {
        assert_eq!(f.is_anonymous(), want, "{id}: decoded.is_anonymous");
    }
    if let Some(map) = d.get("parsed_privileges").and_then(Value::as_object) {
        let want: Vec<(String, Vec<String>)> = map
            .iter()
            .map(|(k, v)| {
                let list = v
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap().to_owned())
                    .collect();
                (k.clone(), list)
            })
            .collect();
        assert_eq!(
            f.privilege_map(),
            want.as_slice(),
            "{id}: parsed_privileges"
        );
    }
    if let Some(sv) = d.get("parsed_privileges") {
        // Every listed name is reported present.
        for name in sv.as_object().unwrap().keys() {
            assert!(f.has_privilege(name), "{id}: has_privilege({name:?})");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Vectors
// ---------------------------------------------------------------------------------------

#[test]
fn every_vector_is_reproduced_byte_for_byte() {
    let doc = load();
    let mut exact = Vec::new();
    let mut needed_unchecked = Vec::new();
    for vec in vectors(&doc) {
        let id = vec.id().to_owned();
        let builder = vec.builder();
        let version = vec.version();
        let ks = match builder.generate(version, &vec.secret()) {
            Ok(ks) => {
                exact.push(id.clone());
                ks
            }
            Err(KsError::InvalidInput { field, reason }) => {
                // Inputs the SDK refuses by default; the vendor client wrote them anyway.
                eprintln!("{id}: refused by the safety checks ({field}: {reason})");
                needed_unchecked.push(id.clone());
                builder
                    .skip_safety_checks()
                    .generate(version, &vec.secret())
                    .unwrap_or_else(|e| panic!("{id}: {e}"))
            }
            Err(e) => panic!("{id}: {e}"),
        };
        assert_eq!(ks.expose(), vec.str("ks"), "{id}: generated KS differs");
    }
    eprintln!(
        "KS vectors reproduced: {} with default checks, {} with skip_safety_checks: {:?}",
        exact.len(),
        needed_unchecked.len(),
        needed_unchecked
    );
}

#[test]
fn every_vector_decodes_like_the_server() {
    let doc = load();
    for vec in vectors(&doc) {
        let id = vec.id();
        let ks = vec.ks();
        let f = ks
            .decode(&vec.secret())
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(f.is_verified());
        assert_eq!(f.version(), vec.version(), "{id}");
        assert_matches_decoded(id, &f, &vec.v["decoded"]);
        if f.version() == KsVersion::V2 {
            assert_eq!(
                f.random_bytes().map(|b| b.to_vec()),
                Some(hex_decode(vec.v["random"].as_str().unwrap())),
                "{id}: random bytes"
            );
        }

        // Without the secret: all v1 fields, only the partner of a v2.
        match ks.inspect().unwrap_or_else(|e| panic!("{id}: {e}")) {
            Inspection::V1(u) => {
                assert_eq!(vec.version(), KsVersion::V1, "{id}");
                assert!(!u.is_verified());
                assert_matches_decoded(id, &u, &vec.v["decoded"]);
            }
            Inspection::V2 { partner_id, .. } => {
                assert_eq!(vec.version(), KsVersion::V2, "{id}");
                assert_eq!(partner_id, vec.int("partner_id"), "{id}");
            }
            other => panic!("{id}: unexpected {other:?}"),
        }
    }
}

#[test]
fn every_vector_validates_as_recorded() {
    let doc = load();
    for vec in vectors(&doc) {
        let id = vec.id();
        let ks = vec.ks();
        let secret = vec.secret();
        let pid = vec.int("partner_id");
        let checks = &vec.v["server_validation"];
        let until = vec.valid_until();

        // Expired at the pinned time exactly when the server said so.
        let at = vec.valid_time();
        let expected_expired = checks
            .get("expired_at_pinned_now")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        match ks.validate_for_partner(pid, &secret, at) {
            Ok(_) => assert!(!expected_expired, "{id}: should be expired at {at}"),
            Err(KsError::Expired { .. }) => {
                assert!(expected_expired, "{id}: unexpectedly expired at {at}")
            }
            Err(e) => panic!("{id}: {e}"),
        }
        // The boundary: valid one second before expiry, expired at it.
        assert!(ks.validate(&secret, until - 1).is_ok(), "{id}");
        assert_eq!(
            ks.validate(&secret, until).unwrap_err(),
            KsError::Expired {
                valid_until: until,
                now: until
            },
            "{id}"
        );
        // Vectors pinned in the past are expired now, like on the server's real clock.
        if let Some(status) = checks
            .get("isValidBase_at_validation_clock")
            .and_then(Value::as_str)
        {
            let clock = doc["environment"]["validated_at_unix"].as_i64().unwrap();
            let got = match ks.validate(&secret, clock) {
                Ok(_) => "OK",
                Err(KsError::Expired { .. }) => "EXPIRED",
                Err(e) => panic!("{id}: {e}"),
            };
            assert_eq!(got, status, "{id}: at the server's validation clock");
        }

        // Negative controls.
        let wrong = AdminSecret::new("0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(
            ks.decode(&wrong).unwrap_err(),
            KsError::BadSignature,
            "{id}: wrong secret"
        );
        assert!(
            ks.decode_with_any([&wrong, &secret]).is_ok(),
            "{id}: right secret second of two"
        );
        // The URL-safe form is accepted for both versions.
        assert!(ks.to_url_safe().decode(&secret).is_ok(), "{id}: url-safe");
    }
}

#[test]
fn vectors_with_unsafe_inputs_are_refused_by_default() {
    let doc = load();
    // Vectors known to hold inputs the server misreads, and the field we must name.
    let expected = [
        ("v1-user-special-chars", "user id"),
        ("v1-user-spaces", "privilege name \" sview\""),
        (
            "v2-user-whitespace-dupes-multivalue",
            "privilege name \"edit\"",
        ),
        ("v2-user-key-mangling", "privilege name \"my.priv\""),
    ];
    for vec in vectors(&doc) {
        let Some((_, want)) = expected.iter().find(|(id, _)| *id == vec.id()) else {
            continue;
        };
        match vec.builder().generate(vec.version(), &vec.secret()) {
            Err(KsError::InvalidInput { field, .. }) => assert_eq!(field, *want, "{}", vec.id()),
            other => panic!("{}: expected a refusal, got {other:?}", vec.id()),
        }
    }
}

#[test]
fn every_flipped_character_is_rejected() {
    let doc = load();
    for vec in vectors(&doc) {
        let id = vec.id();
        let text = vec.str("ks");
        let secret = vec.secret();
        let pid = vec.int("partner_id");
        let at = vec.valid_time();
        for (i, c) in text.char_indices() {
            if c == '=' {
                continue;
            }
            let flipped = flip(c);
            let mut tampered = String::with_capacity(text.len());
            tampered.push_str(&text[..i]);
            tampered.push(flipped);
            tampered.push_str(&text[i + 1..]);
            let r = Ks::new(tampered).validate_for_partner(pid, &secret, at);
            assert!(
                r.is_err(),
                "{id}: flipping character {i} was accepted: {:?}",
                r.map(|f| f.partner_id())
            );
        }
    }
}

/// The base64 character whose 6-bit value differs in its top bit, which is always a
/// used bit, so the decoded bytes change.
fn flip(c: char) -> char {
    const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let c = match c {
        '-' => '+',
        '_' => '/',
        c => c,
    };
    let pos = STD.iter().position(|&b| char::from(b) == c).unwrap();
    char::from(STD[pos ^ 0b10_0000])
}

#[test]
fn every_truncation_is_rejected() {
    let doc = load();
    for vec in vectors(&doc) {
        let id = vec.id();
        let text = vec.str("ks");
        let secret = vec.secret();
        let at = vec.valid_time();
        for n in 0..text.len() {
            let r = Ks::new(&text[..n]).validate(&secret, at);
            let (kept, cut) = text.split_at(n);
            if cut.bytes().all(|b| b == b'=') && !kept.ends_with('=') {
                // All the padding removed: the server accepts that too (but not a part
                // of it).
                assert!(r.is_ok(), "{id}: cut to {n} (padding only): {r:?}");
            } else {
                assert!(r.is_err(), "{id}: cut to {n} was accepted");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Round trips (no vectors needed)
// ---------------------------------------------------------------------------------------

fn round_trip_cases() -> Vec<(SessionType, &'static str, Privileges)> {
    vec![
        (
            SessionType::Admin,
            "",
            Privileges::new().all().disable_entitlement(),
        ),
        (
            SessionType::User,
            "user@example.com",
            Privileges::new().view_entry("0_abc").set_role("ROLE"),
        ),
        (SessionType::User, "Jörg 日本語", Privileges::new()),
        (SessionType::User, "0", Privileges::parse("*")),
        (
            SessionType::User,
            "a&b=c|d e+/%~*",
            Privileges::new()
                .privilege_values("sview", ["0_a", "0_b"])
                .ip_restrict(["1.2.3.4", "5.6.7.8"])
                .uri_restrict(["/api_v3/*"])
                .actions_limit(10)
                .privacy_context("ctx")
                .reference_time(1_999_999_999)
                .session_id("s1")
                .widget(),
        ),
    ]
}

#[test]
fn round_trip_v1_and_v2() {
    for version in [KsVersion::V1, KsVersion::V2] {
        for (ty, user, privs) in round_trip_cases() {
            let ks = KsBuilder::new(1234567, ty)
                .user_id(user)
                .privileges(&privs)
                .now(NOW)
                .expires_in(3600)
                .generate(version, &secret())
                .unwrap_or_else(|e| panic!("{version} {user:?}: {e}"));
            let f = ks.validate_for_partner(1234567, &secret(), NOW).unwrap();
            assert_eq!(f.version(), version);
            assert_eq!(f.partner_id(), 1234567);
            assert_eq!(f.valid_until(), NOW + 3600);
            assert_eq!(f.seconds_left_at(NOW), 3600);
            assert_eq!(f.time_left_at(NOW).as_secs(), 3600);
            assert_eq!(f.time_left_at(NOW + 7200).as_secs(), 0);
            assert_eq!(f.session_type(), ty);
            assert_eq!(f.is_admin(), ty == SessionType::Admin);
            assert_eq!(f.user_id(), user);
            assert_eq!(f.is_anonymous(), user.is_empty() || user == "0");
            // v2 reports a lone `all:*` as `*` and `*` as `all:*` pairs; otherwise the
            // string comes back as written.
            let written = privs.to_string();
            if written != "*" {
                assert_eq!(f.privileges_str(), Some(written.as_str()), "{version}");
                assert_eq!(f.privileges(), &privs, "{version}");
            }
            assert_eq!(f.privileges().values("sview"), privs.values("sview"));
            match ks.inspect().unwrap() {
                Inspection::V1(u) => assert_eq!(u.user_id(), user),
                i => assert_eq!(i.partner_id(), 1234567),
            }
            assert!(matches!(
                ks.validate(&secret(), NOW + 3600),
                Err(KsError::Expired { .. })
            ));
        }
    }
}

#[test]
fn v2_star_reads_back_as_all() {
    let ks = KsBuilder::new(1, SessionType::Admin)
        .privileges("*")
        .now(NOW)
        .generate_v2(&secret())
        .unwrap();
    let f = ks.decode(&secret()).unwrap();
    assert_eq!(f.privileges_str(), Some("*"));
    assert_eq!(f.privilege_values("all"), ["*"]);
}

#[test]
fn absolute_expiry_and_fields_of_the_server_generator() {
    let ks = KsBuilder::new(99, SessionType::Admin)
        .user_id("svc")
        .expires_at(NOW + 5)
        .master_partner_id("-2")
        .additional_data("k=v")
        .generate_v1(&secret())
        .unwrap();
    let f = ks.validate(&secret(), NOW).unwrap();
    assert_eq!(f.valid_until(), NOW + 5);
    assert_eq!(f.master_partner_id(), Some("-2"));
    assert_eq!(f.additional_data(), Some("k=v"));

    let ks = KsBuilder::new(99, SessionType::Admin)
        .expires_at(NOW + 5)
        .additional_data("k1=v1;k2")
        .generate_v2(&secret())
        .unwrap();
    let f = ks.validate(&secret(), NOW).unwrap();
    assert_eq!(f.additional_data(), Some("k1=v1;k2"));
    assert_eq!(f.master_partner_id(), None);
}

// ---------------------------------------------------------------------------------------
// Rejections
// ---------------------------------------------------------------------------------------

fn sample(version: KsVersion) -> Ks {
    KsBuilder::new(1234567, SessionType::User)
        .user_id("bob")
        .privileges(Privileges::new().view_entry("0_abc"))
        .now(NOW)
        .expires_in(600)
        .generate(version, &secret())
        .unwrap()
}

#[test]
fn wrong_secret_expired_and_flipped_are_rejected() {
    for version in [KsVersion::V1, KsVersion::V2] {
        let ks = sample(version);
        let wrong = AdminSecret::new("a1b2c3d4e5f60718293a4b5c6d7e8f91").unwrap();
        assert_eq!(ks.decode(&wrong).unwrap_err(), KsError::BadSignature);
        assert_eq!(
            ks.validate(&secret(), NOW + 600).unwrap_err(),
            KsError::Expired {
                valid_until: NOW + 600,
                now: NOW + 600
            }
        );
        let text = ks.expose();
        let mid = text.len() / 2;
        let c = text.as_bytes()[mid] as char;
        let tampered = format!("{}{}{}", &text[..mid], flip(c), &text[mid + 1..]);
        assert!(Ks::new(tampered).validate(&secret(), NOW).is_err());
    }
}

#[test]
fn v2_header_partner_is_not_protected_but_can_be_required() {
    let ks = sample(KsVersion::V2);
    // Re-encode the header with another partner id: same secret, still decrypts.
    let text = ks.expose();
    let other = text.replacen("djJ8MTIzNDU2N3", "djJ8MTIzNDU2OH", 1); // 1234567 -> 1234568
    assert_ne!(other, text);
    let f = Ks::new(other.as_str()).decode(&secret()).unwrap();
    assert_eq!(f.partner_id(), 1234568);
    assert_eq!(
        Ks::new(other)
            .validate_for_partner(1234567, &secret(), NOW)
            .unwrap_err(),
        KsError::PartnerMismatch {
            expected: 1234567,
            found: 1234568
        }
    );
}

#[test]
fn malformed_tokens_get_typed_errors() {
    use KsError::*;
    let b64 = encode_std;
    type Check = fn(&KsError) -> bool;
    let cases: Vec<(String, Check)> = vec![
        ("".into(), |e| matches!(e, InvalidBase64 { .. })),
        ("not base64!".into(), |e| matches!(e, InvalidBase64 { .. })),
        ("abc%2Bdef".into(), |e| matches!(e, InvalidBase64 { .. })),
        ("a".into(), |e| matches!(e, InvalidBase64 { .. })),
        (b64(b"no separator"), |e| matches!(e, Malformed { .. })),
        (b64(b"deadbeef|1;1;1"), |e| matches!(e, Malformed { .. })),
        (b64(b"0000000000000000000000000000000000000000|1;1"), |e| {
            matches!(e, Malformed { .. })
        }),
        (
            b64(b"0000000000000000000000000000000000000000|x;x;1"),
            |e| matches!(e, Malformed { .. }),
        ),
        (b64(b"v2|123"), |e| matches!(e, Malformed { .. })),
        (b64(b"v2|123|short"), |e| matches!(e, Malformed { .. })),
        (b64(b"v2|abc|0123456789abcdef"), |e| {
            matches!(e, Malformed { .. })
        }),
        (b64(b"v3|123|0123456789abcdef"), |e| {
            matches!(e, UnsupportedVersion { .. })
        }),
        (b64(b"V2|123|0123456789abcdef"), |e| {
            matches!(e, UnsupportedVersion { .. })
        }),
    ];
    for (text, is_expected) in cases {
        let err = Ks::new(text.as_str()).inspect().unwrap_err();
        assert!(is_expected(&err), "{text:?}: got {err:?}");
        let err = Ks::new(text.as_str()).decode(&secret()).unwrap_err();
        assert!(
            is_expected(&err) || err == BadSignature,
            "{text:?}: got {err:?}"
        );
    }
    // A v2 whose ciphertext is well-formed but not ours.
    let fake = b64(b"v2|123|0123456789abcdef0123456789abcdef");
    assert_eq!(Ks::new(fake).decode(&secret()).unwrap_err(), BadSignature);
}

#[test]
fn unsafe_inputs_are_refused_naming_the_field() {
    let field = |r: Result<Ks, KsError>| match r {
        Err(KsError::InvalidInput { field, reason }) => {
            assert!(!reason.is_empty());
            field
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    };
    let b = || KsBuilder::new(1, SessionType::User).now(NOW);
    let s = secret();

    // v1: ';' anywhere shifts the fields.
    assert_eq!(field(b().user_id("a;b").generate_v1(&s)), "user id");
    assert_eq!(
        field(b().privileges("sview:0_a;x").generate_v1(&s)),
        "privileges"
    );
    assert_eq!(
        field(b().additional_data("a;b").generate_v1(&s)),
        "additional data"
    );
    assert_eq!(
        field(b().master_partner_id("1;2").generate_v1(&s)),
        "master partner id"
    );
    assert_eq!(
        field(b().v1_random("1;2").generate_v1(&s)),
        "v1 random part"
    );
    // ... but is fine in v2, where it is percent-encoded.
    assert!(b().user_id("a;b").generate_v2(&s).is_ok());

    // v2: names PHP's parse_str rewrites or rejects.
    for name in ["my.priv", "two words", "a[b", "c[]", "d]"] {
        let got = field(b().privileges(format!("{name}:1")).generate_v2(&s));
        assert_eq!(got, format!("privilege name \"{name}\""));
    }
    // Names that would overwrite the KS's own fields, and repeated names.
    assert_eq!(
        field(b().privileges("_e:1").generate_v2(&s)),
        "privilege name \"_e\""
    );
    assert_eq!(
        field(b().privileges("edit:a,edit:b").generate_v2(&s)),
        "privilege name \"edit\""
    );
    assert!(b().privileges("edit:a/b").generate_v2(&s).is_ok());
    // Separators inside a typed name or value.
    assert_eq!(
        field(
            b().privileges(Privileges::new().privilege("a,b", "1"))
                .generate_v1(&s)
        ),
        "privilege name \"a,b\""
    );
    assert_eq!(
        field(
            b().privileges(Privileges::new().privilege("a", "1,2"))
                .generate_v2(&s)
        ),
        "privilege name \"a\""
    );
    // Too many v2 pairs for PHP's default max_input_vars.
    let many: Vec<String> = (0..1000).map(|i| format!("p{i}:1")).collect();
    assert_eq!(
        field(b().privileges(many.join(",")).generate_v2(&s)),
        "privileges"
    );
    // Secrets that cannot be real.
    assert!(matches!(
        AdminSecret::new("abc,def"),
        Err(KsError::InvalidSecret { .. })
    ));
    assert!(matches!(
        AdminSecret::new(""),
        Err(KsError::InvalidSecret { .. })
    ));
}

#[test]
fn nothing_secret_is_printed() {
    let s = secret();
    assert_eq!(format!("{s:?}"), "AdminSecret(<redacted>)");
    for version in [KsVersion::V1, KsVersion::V2] {
        let ks = sample(version);
        let text = ks.expose().to_owned();
        assert_eq!(format!("{ks:?}"), "Ks(<redacted>)");
        assert_eq!(format!("{ks}"), "Ks(<redacted>)");
        let f = ks.decode(&s).unwrap();
        let dbg = format!("{f:?} {:?}", ks.inspect().unwrap());
        assert!(!dbg.contains(SECRET));
        assert!(!dbg.contains(&text[..20]));
        assert!(!dbg.contains(f.hash_hex()), "{dbg}");
        // Errors neither.
        let errors = [
            Ks::new(&text[..text.len() - 7])
                .validate(&s, NOW)
                .unwrap_err(),
            ks.validate(&s, NOW + 10_000).unwrap_err(),
            ks.decode(&AdminSecret::new("x").unwrap()).unwrap_err(),
        ];
        for e in errors {
            let msg = format!("{e} {e:?}");
            assert!(!msg.contains(SECRET), "{msg}");
            assert!(!msg.contains(&text[..20]), "{msg}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Fuzz-ish: arbitrary input never panics
// ---------------------------------------------------------------------------------------

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn exercise(text: &str, s: &AdminSecret) -> Result<KsFields, KsError> {
    let ks = Ks::new(text);
    let _ = ks.inspect();
    let _ = ks.version();
    let _ = ks.decode_with_any([s]);
    ks.validate_for_partner(1234567, s, NOW)
}

#[test]
fn arbitrary_input_never_panics() {
    let s = secret();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    const ALPHABET: &[u8] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= \n|;v2";

    // Random bytes (lossily made text) and random base64-alphabet strings.
    for _ in 0..3000 {
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        assert!(exercise(&text, &s).is_err());
        let text: String = (0..len)
            .map(|_| char::from(ALPHABET[rng.below(ALPHABET.len())]))
            .collect();
        assert!(exercise(&text, &s).is_err());
    }

    // Valid-looking plaintexts with random content, base64-encoded both ways.
    let seeds = [sample(KsVersion::V1), sample(KsVersion::V2)];
    for seed in &seeds {
        let text = seed.expose();
        let original = seed.decode(&s).unwrap();
        for _ in 0..1500 {
            let mut t: Vec<u8> = text.as_bytes().to_vec();
            match rng.below(4) {
                0 => t.truncate(rng.below(t.len())),
                1 => {
                    let i = rng.below(t.len());
                    t[i] = ALPHABET[rng.below(ALPHABET.len())];
                }
                2 => {
                    let i = rng.below(t.len());
                    t.insert(i, ALPHABET[rng.below(ALPHABET.len())]);
                }
                _ => {
                    let i = rng.below(t.len());
                    t.remove(i);
                }
            }
            let t = String::from_utf8(t).unwrap();
            // Whatever the mutation, an accepted token must carry the original payload
            // (mutations the server ignores: whitespace, padding, alphabet, unused bits).
            if let Ok(f) = exercise(&t, &s) {
                assert_eq!(f.hash_hex(), original.hash_hex(), "mutation accepted: {t}");
                assert_eq!(f.random(), original.random(), "mutation accepted: {t}");
                assert_eq!(f.user_id(), original.user_id(), "mutation accepted: {t}");
                assert_eq!(f.valid_until(), original.valid_until());
                assert_eq!(f.privileges_str(), original.privileges_str());
            }
        }
    }

    // Structured junk: the layouts with random field contents.
    for _ in 0..2000 {
        let n = rng.below(12);
        let mut plain: Vec<u8> = match rng.below(3) {
            0 => b"v2|".to_vec(),
            1 => b"0123456789abcdef0123456789abcdef01234567|".to_vec(),
            _ => Vec::new(),
        };
        for _ in 0..n {
            let len = rng.below(8);
            plain.extend((0..len).map(|_| rng.next() as u8));
            plain.push([b';', b'|', b'&', b'='][rng.below(4)]);
        }
        let text = encode_std(&plain);
        let _ = exercise(&text, &s);
    }
}

fn encode_std(s: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in s.chunks(3) {
        let n = chunk.len();
        let v = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= n {
                out.push(char::from(T[((v >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
