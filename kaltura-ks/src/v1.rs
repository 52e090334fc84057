//! KS v1: `base64_std( sha1_hex(secret ‖ INFO) "|" INFO )` where INFO is
//! `pid;pid;valid_until;type;rand;user;privileges[;master_pid;additional_data]`, plain
//! UTF-8 with no escaping.

use sha1::{Digest, Sha1};

use crate::encoding::base64_standard;
use crate::secret::constant_time_eq;
use crate::{parse_decimal, AdminSecret, KsError, KsFields, KsVersion, Privileges};

/// The values written into a v1 KS, already resolved (absolute expiry, chosen random).
pub(crate) struct V1Input<'a> {
    pub partner_id: i64,
    pub valid_until: i64,
    pub type_code: i64,
    pub random: &'a str,
    pub user_id: &'a str,
    pub privileges: &'a str,
    pub master_partner_id: Option<&'a str>,
    pub additional_data: Option<&'a str>,
    /// Write all nine fields (the server's generator) rather than seven (the clients').
    pub full_layout: bool,
}

fn signature_hex(secret: &AdminSecret, info: &[u8]) -> String {
    let digest = Sha1::new()
        .chain_update(secret.as_bytes())
        .chain_update(info)
        .finalize();
    hex::encode(digest)
}

/// Builds the token text.
pub(crate) fn encode(secret: &AdminSecret, input: &V1Input<'_>) -> String {
    let mut info = format!(
        "{pid};{pid};{until};{ty};{rand};{user};{privs}",
        pid = input.partner_id,
        until = input.valid_until,
        ty = input.type_code,
        rand = input.random,
        user = input.user_id,
        privs = input.privileges,
    );
    if input.full_layout || input.master_partner_id.is_some() || input.additional_data.is_some() {
        info.push(';');
        info.push_str(input.master_partner_id.unwrap_or(""));
        info.push(';');
        info.push_str(input.additional_data.unwrap_or(""));
    }
    let info = zeroize::Zeroizing::new(info);
    let signature = zeroize::Zeroizing::new(signature_hex(secret, info.as_bytes()));
    // The token before base64: wiped once encoded.
    let mut plain = zeroize::Zeroizing::new(Vec::with_capacity(signature.len() + 1 + info.len()));
    plain.extend_from_slice(signature.as_bytes());
    plain.push(b'|');
    plain.extend_from_slice(info.as_bytes());
    base64_standard(&plain)
}

/// Splits the decoded bytes at the first `|` into signature and INFO.
fn split(decoded: &[u8]) -> Result<(&[u8], &[u8]), KsError> {
    let bar = decoded.iter().position(|&b| b == b'|').ok_or_else(|| {
        KsError::malformed("no '|' between the signature and the fields (v1 layout)")
    })?;
    Ok((&decoded[..bar], &decoded[bar + 1..]))
}

fn is_signature_text(hash: &[u8]) -> bool {
    hash.len() == 40 && hash.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Reads the fields without the secret. The signature is only checked for its shape.
pub(crate) fn inspect(decoded: &[u8]) -> Result<KsFields, KsError> {
    let (hash, info) = split(decoded)?;
    if !is_signature_text(hash) {
        return Err(KsError::malformed(
            "the v1 signature is not 40 lowercase hex digits",
        ));
    }
    parse_fields(hash, info, false)
}

/// Checks the signature with the secret, then reads the fields.
pub(crate) fn decode(decoded: &[u8], secret: &AdminSecret) -> Result<KsFields, KsError> {
    let (hash, info) = split(decoded)?;
    let expected = signature_hex(secret, info);
    // Exact comparison, as the server: an uppercase-hex signature does not match.
    if !constant_time_eq(expected.as_bytes(), hash) {
        return Err(KsError::BadSignature);
    }
    parse_fields(hash, info, true)
}

fn parse_fields(hash: &[u8], info: &[u8], verified: bool) -> Result<KsFields, KsError> {
    let info = std::str::from_utf8(info)
        .map_err(|_| KsError::malformed("the v1 fields are not valid UTF-8"))?;
    let parts: Vec<&str> = info.split(';').collect();
    if parts.len() < 3 {
        return Err(KsError::malformed(format!(
            "a v1 KS needs at least 3 ';'-separated fields (partner, pattern, expiry), \
             found {}",
            parts.len()
        )));
    }
    let field = |i: usize| parts.get(i).map(|s| (*s).to_owned());
    let partner_id = parse_decimal(parts[0])
        .ok_or_else(|| KsError::malformed("the v1 partner id is not a decimal integer"))?;
    let valid_until = parse_decimal(parts[2])
        .ok_or_else(|| KsError::malformed("the v1 expiry is not a decimal integer"))?;
    let privileges_raw = field(6);
    let (privileges, privilege_map) = match privileges_raw.as_deref() {
        None => (Privileges::new(), Vec::new()),
        // The server reads an empty field as one privilege with an empty name.
        Some("") => (Privileges::new(), vec![(String::new(), Vec::new())]),
        Some(s) => {
            let p = Privileges::parse(s);
            let map = p.to_map();
            (p, map)
        }
    };
    Ok(KsFields {
        version: KsVersion::V1,
        verified,
        partner_id,
        partner_pattern: field(1),
        valid_until,
        type_raw: field(3),
        random: field(4),
        random_bytes: None,
        user_id: field(5),
        privileges_raw,
        privileges,
        privilege_map,
        master_partner_id: field(7),
        additional_data: field(8),
        // `hash` is ASCII here: either checked as hex or equal to our own hex.
        hash_hex: String::from_utf8_lossy(hash).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::decode_ks_base64;

    fn secret() -> AdminSecret {
        AdminSecret::new("a1b2c3d4e5f60718293a4b5c6d7e8f90").unwrap()
    }

    fn input<'a>() -> V1Input<'a> {
        V1Input {
            partner_id: 1234567,
            valid_until: 2000086400,
            type_code: 2,
            random: "12345",
            user_id: "",
            privileges: "all:*,disableentitlement",
            master_partner_id: None,
            additional_data: None,
            full_layout: false,
        }
    }

    #[test]
    fn spec_worked_example() {
        let ks = encode(&secret(), &input());
        let plain = decode_ks_base64(&ks).unwrap();
        assert_eq!(
            String::from_utf8(plain.clone()).unwrap(),
            "491696dd215feff45879f76332eff518af1e5106|1234567;1234567;2000086400;2;12345;;all:*,disableentitlement"
        );
        let f = decode(&plain, &secret()).unwrap();
        assert!(f.is_verified());
        assert_eq!(f.partner_id(), 1234567);
        assert_eq!(f.user_field(), Some(""));
        assert_eq!(f.master_partner_id(), None);
    }

    #[test]
    fn full_layout_ends_in_two_empty_fields() {
        let ks = encode(
            &secret(),
            &V1Input {
                full_layout: true,
                ..input()
            },
        );
        let plain = decode_ks_base64(&ks).unwrap();
        assert!(plain.ends_with(b"disableentitlement;;"));
        let f = decode(&plain, &secret()).unwrap();
        assert_eq!(f.master_partner_id(), Some(""));
        assert_eq!(f.additional_data(), Some(""));
    }

    #[test]
    fn shortest_form_and_structure_errors() {
        let info = b"5;5;100";
        let sig = signature_hex(&secret(), info);
        let plain = [sig.as_bytes(), b"|", info].concat();
        let f = decode(&plain, &secret()).unwrap();
        assert_eq!(f.valid_until(), 100);
        assert_eq!(f.type_raw(), None);
        assert!(f.is_anonymous());
        assert!(!f.is_admin());

        let info = b"5;5";
        let sig = signature_hex(&secret(), info);
        let plain = [sig.as_bytes(), b"|", info].concat();
        assert!(matches!(
            decode(&plain, &secret()),
            Err(KsError::Malformed { .. })
        ));
        assert!(matches!(
            inspect(b"no bar here"),
            Err(KsError::Malformed { .. })
        ));
        assert!(matches!(
            inspect(b"ABC|1;1;1"),
            Err(KsError::Malformed { .. })
        ));
    }

    #[test]
    fn uppercase_signature_is_rejected() {
        let ks = encode(&secret(), &input());
        let plain = decode_ks_base64(&ks).unwrap();
        let upper: Vec<u8> = plain
            .iter()
            .enumerate()
            .map(|(i, b)| if i < 40 { b.to_ascii_uppercase() } else { *b })
            .collect();
        assert_eq!(
            decode(&upper, &secret()).unwrap_err(),
            KsError::BadSignature
        );
    }
}
