//! Kaltura Sessions from outside: any text as a KS (`inspect`), and tokens generated
//! from arbitrary field values (`roundtrip`): whatever generation accepts, validation
//! must read back as it was given.

use crate::input::Input;
use kaltura_ks::{
    AdminSecret, Expiry, Ks, KsBuilder, KsError, KsFields, KsVersion, Privileges, SessionType,
    V1Layout,
};

/// The secret of the vendor's vectors (`tests/data/ks/vectors.json`), so that seeds made
/// from them verify and their mutations reach the field parsers behind the signature.
pub const VECTOR_SECRET: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

/// Every accessor, so that reading a field never panics either.
fn touch(f: &KsFields) {
    let _ = (
        f.version(),
        f.partner_id(),
        f.partner_pattern(),
        f.valid_until(),
    );
    let _ = (
        f.is_expired_at(0),
        f.is_expired_at(i64::MAX),
        f.is_expired_at(i64::MIN),
    );
    let _ = (f.seconds_left_at(i64::MIN), f.seconds_left_at(i64::MAX));
    let _ = (f.time_left_at(i64::MIN), f.time_left_at(0));
    let _ = (f.type_raw(), f.type_code(), f.session_type(), f.is_admin());
    let _ = (
        f.user_id(),
        f.user_field(),
        f.is_anonymous(),
        f.privileges_str(),
        f.privilege_map(),
    );
    let _ = (f.has_privilege("all"), f.privilege_values("sview"));
    let _ = f.privileges().to_map();
    let _ = (
        f.random(),
        f.random_bytes(),
        f.master_partner_id(),
        f.additional_data(),
    );
    let _ = (f.hash_hex(), format!("{f:?}"));
}

/// An error's text names the problem, never the token.
fn quiet(e: &KsError, token: &str) {
    let msg = e.to_string();
    let dbg = format!("{e:?}");
    if token.len() >= 16 && !token.contains(char::is_whitespace) {
        assert!(!msg.contains(token), "an error message holds the KS: {msg}");
        assert!(!dbg.contains(token), "an error's Debug holds the KS: {dbg}");
    }
    assert!(!msg.contains(VECTOR_SECRET) && !dbg.contains(VECTOR_SECRET));
}

fn same_fields(a: &KsFields, b: &KsFields) {
    assert_eq!(a.partner_id(), b.partner_id());
    assert_eq!(a.partner_pattern(), b.partner_pattern());
    assert_eq!(a.valid_until(), b.valid_until());
    assert_eq!(a.type_raw(), b.type_raw());
    assert_eq!(a.user_field(), b.user_field());
    assert_eq!(a.privileges_str(), b.privileges_str());
    assert_eq!(a.privilege_map(), b.privilege_map());
    assert_eq!(a.random(), b.random());
    assert_eq!(a.master_partner_id(), b.master_partner_id());
    assert_eq!(a.additional_data(), b.additional_data());
    assert_eq!(a.hash_hex(), b.hash_hex());
}

/// Any bytes as a KS: inspected without the secret, decoded and validated with it.
pub fn inspect(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let ks = Ks::new(text.as_ref());
    let inspected = ks.inspect();
    match &inspected {
        Ok(i) => {
            let _ = (i.version(), i.partner_id());
            if let Some(f) = i.fields() {
                assert!(!f.is_verified(), "inspection claims to have verified a KS");
                touch(f);
            }
        }
        Err(e) => quiet(e, &text),
    }
    assert_eq!(
        ks.version().ok(),
        inspected.as_ref().ok().map(|i| i.version())
    );

    // The URL-safe spelling reads the same.
    let url = ks.to_url_safe();
    match (url.inspect(), &inspected) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.version(), b.version());
            assert_eq!(a.partner_id(), b.partner_id());
        }
        (Err(_), Err(_)) => {}
        (a, b) => panic!("the URL-safe spelling reads differently: {a:?} vs {b:?}"),
    }

    let secret = AdminSecret::new(VECTOR_SECRET).expect("a valid secret");
    match ks.decode(&secret) {
        Ok(f) => {
            assert!(f.is_verified());
            touch(&f);
            let i = inspected.expect("a KS that decodes can be inspected");
            assert_eq!(i.partner_id(), f.partner_id());
            assert_eq!(i.version(), f.version());
            if let Some(seen) = i.fields() {
                same_fields(seen, &f);
            }
            let until = f.valid_until();
            assert!(ks.validate(&secret, until).is_err());
            if until > i64::MIN {
                assert!(ks.validate(&secret, until - 1).is_ok());
                let other = f.partner_id().wrapping_add(1);
                assert!(matches!(
                    ks.validate_for_partner(other, &secret, until - 1),
                    Err(KsError::PartnerMismatch { .. })
                ));
            }
        }
        Err(e) => {
            quiet(&e, &text);
            assert!(ks.validate(&secret, 0).is_err());
        }
    }
    let _ = ks.decode_with_any([&secret, &secret]);
}

/// Field values, generation, then validation: what was accepted reads back as given, and
/// a token made again from what was read is the same token, byte for byte.
pub fn roundtrip(data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let version = if flags & 1 == 0 {
        KsVersion::V1
    } else {
        KsVersion::V2
    };
    let session_type = if flags & 2 == 0 {
        SessionType::User
    } else {
        SessionType::Admin
    };
    let full = flags & 4 != 0;
    let partner_id = input.i64();
    let now = input.i64();
    let expiry_value = input.i64();
    let expiry = if flags & 32 == 0 {
        Expiry::In(expiry_value)
    } else {
        Expiry::At(expiry_value)
    };
    let mut v2_random = [0u8; 16];
    for b in &mut v2_random {
        *b = input.byte();
    }
    let user_id = input.text();
    let privileges = input.text();
    let master = input.text();
    let additional = input.text();
    let v1_random = input.text();
    let secret_text = input.text();
    let master = (flags & 8 != 0).then_some(master);
    let additional = (flags & 16 != 0).then_some(additional);

    let secret = match AdminSecret::new(if secret_text.is_empty() {
        VECTOR_SECRET.to_string()
    } else {
        secret_text
    }) {
        Ok(s) => s,
        Err(_) => return,
    };
    let mut builder = KsBuilder::new(partner_id, session_type)
        .user_id(user_id.clone())
        .expiry(expiry)
        .privileges(privileges.as_str())
        .now(now)
        .v1_layout(if full {
            V1Layout::Full
        } else {
            V1Layout::Compact
        })
        .v1_random(v1_random.clone())
        .v2_random(v2_random);
    if let Some(m) = &master {
        builder = builder.master_partner_id(m.clone());
    }
    if let Some(d) = &additional {
        builder = builder.additional_data(d.clone());
    }
    let ks = match builder.generate(version, &secret) {
        Ok(ks) => ks,
        Err(e) => {
            // Refused for a reason that names the input, and only the ways documented.
            assert!(
                matches!(e, KsError::InvalidInput { .. }),
                "generation failed with {e:?}"
            );
            assert!(builder.check(version).is_err() || expiry.resolve(now).is_err());
            return;
        }
    };
    let valid_until = expiry.resolve(now).expect("generation resolved it");
    let f = match ks.decode(&secret) {
        Ok(f) => f,
        Err(e) => panic!("a generated {version} KS does not decode: {e}"),
    };
    assert_eq!(f.version(), version);
    assert_eq!(f.partner_id(), partner_id);
    assert_eq!(f.valid_until(), valid_until);
    assert_eq!(f.type_code(), Some(session_type.code()));
    assert_eq!(f.user_id(), user_id.as_str(), "the user id changed");
    match version {
        KsVersion::V1 => {
            let nine = full || master.is_some() || additional.is_some();
            let expect = |given: &Option<String>| nine.then(|| given.clone().unwrap_or_default());
            assert_eq!(f.master_partner_id(), expect(&master).as_deref());
            assert_eq!(f.additional_data(), expect(&additional).as_deref());
            assert_eq!(f.random(), Some(v1_random.as_str()));
            let written = Privileges::parse(&privileges).to_string();
            assert_eq!(f.privileges_str(), Some(written.as_str()));
        }
        _ => {
            assert_eq!(f.master_partner_id(), master.as_deref());
            assert_eq!(f.additional_data(), additional.as_deref());
            assert_eq!(f.random_bytes(), Some(v2_random));
        }
    }
    let inspected = ks.inspect().expect("a generated KS can be inspected");
    assert_eq!(inspected.partner_id(), partner_id);
    if let Some(seen) = inspected.fields() {
        same_fields(seen, &f);
    }
    if valid_until > i64::MIN {
        assert!(ks.validate(&secret, valid_until - 1).is_ok());
    }
    assert!(matches!(
        ks.validate(&secret, valid_until),
        Err(KsError::Expired { .. })
    ));

    // What was read makes the same token again.
    let mut again = KsBuilder::new(partner_id, session_type)
        .user_id(f.user_id())
        .expires_at(f.valid_until())
        .privileges(f.privileges_str().unwrap_or_default())
        .v1_layout(if full {
            V1Layout::Full
        } else {
            V1Layout::Compact
        })
        .v1_random(f.random().unwrap_or_default())
        .v2_random(f.random_bytes().unwrap_or_default());
    if let Some(m) = f.master_partner_id() {
        again = again.master_partner_id(m);
    }
    if let Some(d) = f.additional_data() {
        again = again.additional_data(d);
    }
    match again.generate(version, &secret) {
        Ok(token) => assert!(
            token == ks,
            "the token made from the fields read back differs"
        ),
        Err(e) => panic!("the fields read back are refused: {e}"),
    }
}
