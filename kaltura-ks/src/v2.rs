//! KS v2: `base64_urlsafe( "v2|" pid "|" AES-128-CBC(zero-padded payload) )`.
//!
//! Payload: `sha1(random ‖ query) ‖ random ‖ query`, where `random` is 16 bytes and
//! `query` is form-encoded privilege pairs followed by `_e` (expiry), `_t` (type), `_u`
//! (user) and, from the server's generator only, `_m` (master partner) and `_d`
//! (additional data). Key: the first 16 bytes of `sha1(secret)`; IV: 16 zero bytes;
//! padding: NUL bytes up to a multiple of 16, none when already aligned.

use aes::Aes128;
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

use crate::encoding::{base64_url_safe, form_encode, php_parse_str};
use crate::privileges::v2_pairs;
use crate::secret::constant_time_eq;
use crate::{parse_decimal, AdminSecret, KsError, KsFields, KsVersion, Privilege, Privileges};

const MARKER: &[u8] = b"v2|";
const BLOCK: usize = 16;
const HASH_LEN: usize = 20;
const RANDOM_LEN: usize = 16;

/// The values written into a v2 KS, already resolved.
pub(crate) struct V2Input<'a> {
    pub partner_id: i64,
    pub valid_until: i64,
    pub type_code: i64,
    pub random: [u8; RANDOM_LEN],
    pub user_id: &'a str,
    pub privileges: &'a str,
    pub master_partner_id: Option<&'a str>,
    pub additional_data: Option<&'a str>,
}

/// The AES key, wiped when dropped: it opens every KS of the partner.
fn aes_key(secret: &AdminSecret) -> Zeroizing<[u8; BLOCK]> {
    let mut digest = Sha1::digest(secret.as_bytes());
    let mut key = Zeroizing::new([0u8; BLOCK]);
    key.copy_from_slice(&digest[..BLOCK]);
    zeroize::Zeroize::zeroize(digest.as_mut_slice());
    key
}

/// Inserts into an ordered list: a name already present keeps its place and takes the
/// new value.
fn set(pairs: &mut Vec<(String, String)>, name: &str, value: String) {
    match pairs.iter_mut().find(|(n, _)| n == name) {
        Some(slot) => slot.1 = value,
        None => pairs.push((name.to_owned(), value)),
    }
}

/// The form-encoded field list, as the Python client builds it.
pub(crate) fn fields_query(input: &V2Input<'_>) -> String {
    let mut pairs = v2_pairs(input.privileges);
    set(&mut pairs, "_e", input.valid_until.to_string());
    set(&mut pairs, "_t", input.type_code.to_string());
    set(&mut pairs, "_u", input.user_id.to_owned());
    if let Some(m) = input.master_partner_id {
        set(&mut pairs, "_m", m.to_owned());
    }
    if let Some(d) = input.additional_data {
        set(&mut pairs, "_d", d.to_owned());
    }
    form_encode(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// Builds the token text.
pub(crate) fn encode(secret: &AdminSecret, input: &V2Input<'_>) -> String {
    let query = fields_query(input);
    let hash = Sha1::new()
        .chain_update(input.random)
        .chain_update(query.as_bytes())
        .finalize();
    let mut payload = Vec::with_capacity(HASH_LEN + RANDOM_LEN + query.len() + BLOCK);
    payload.extend_from_slice(&hash);
    payload.extend_from_slice(&input.random);
    payload.extend_from_slice(query.as_bytes());
    let padded_len = payload.len().div_ceil(BLOCK) * BLOCK;
    payload.resize(padded_len, 0);

    let key = aes_key(secret);
    let len = payload.len();
    let ciphertext = cbc::Encryptor::<Aes128>::new(&(*key).into(), &[0u8; BLOCK].into())
        .encrypt_padded::<NoPadding>(&mut payload, len)
        .expect("payload length is a multiple of the block size");

    let mut token = Vec::with_capacity(MARKER.len() + 21 + ciphertext.len());
    token.extend_from_slice(MARKER);
    token.extend_from_slice(input.partner_id.to_string().as_bytes());
    token.push(b'|');
    token.extend_from_slice(ciphertext);
    base64_url_safe(&token)
}

/// Whether the decoded bytes take the server's v2 path.
pub(crate) fn is_v2(decoded: &[u8]) -> bool {
    decoded.starts_with(MARKER)
}

/// Reads the unencrypted header: the partner id and the ciphertext.
pub(crate) fn header(decoded: &[u8]) -> Result<(i64, &[u8]), KsError> {
    let rest = decoded
        .strip_prefix(MARKER)
        .ok_or_else(|| KsError::malformed("the v2 marker is missing"))?;
    let bar = rest
        .iter()
        .position(|&b| b == b'|')
        .ok_or_else(|| KsError::malformed("no '|' after the partner id (v2 layout)"))?;
    let partner_id = std::str::from_utf8(&rest[..bar])
        .ok()
        .and_then(parse_decimal)
        .ok_or_else(|| KsError::malformed("the v2 partner id is not a decimal integer"))?;
    let ciphertext = &rest[bar + 1..];
    if ciphertext.is_empty() || ciphertext.len() % BLOCK != 0 {
        return Err(KsError::malformed(format!(
            "the v2 encrypted part is {} bytes, not a positive multiple of {BLOCK} \
             (was the KS cut short?)",
            ciphertext.len()
        )));
    }
    Ok((partner_id, ciphertext))
}

/// Decrypts with the secret, checks the integrity hash, and reads the fields.
pub(crate) fn decode(decoded: &[u8], secret: &AdminSecret) -> Result<KsFields, KsError> {
    let (partner_id, ciphertext) = header(decoded)?;
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    let key = aes_key(secret);
    let plain = cbc::Decryptor::<Aes128>::new(&(*key).into(), &[0u8; BLOCK].into())
        .decrypt_padded::<NoPadding>(&mut buf)
        .map_err(|_| KsError::malformed("the v2 encrypted part cannot be decrypted"))?;
    // The server strips every trailing NUL, then splits off the hash.
    let end = plain.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    let plain = &plain[..end];
    if plain.len() < HASH_LEN {
        return Err(KsError::BadSignature);
    }
    let (hash, rest) = plain.split_at(HASH_LEN);
    if !constant_time_eq(hash, &Sha1::digest(rest)) {
        return Err(KsError::BadSignature);
    }
    if rest.len() < RANDOM_LEN {
        return Err(KsError::malformed(
            "the v2 payload is shorter than its 16 random bytes",
        ));
    }
    let (random, query) = rest.split_at(RANDOM_LEN);
    let mut random_bytes = [0u8; RANDOM_LEN];
    random_bytes.copy_from_slice(random);

    let mut valid_until = None;
    let mut type_raw = None;
    let mut user_id = None;
    let mut master_partner_id = None;
    let mut additional_data = None;
    let mut privileges = Privileges::new();
    for (name, value) in php_parse_str(query)? {
        match name.as_str() {
            "_e" => valid_until = Some(value),
            "_t" => type_raw = Some(value),
            "_u" => user_id = Some(value),
            "_m" => master_partner_id = Some(value),
            "_d" => additional_data = Some(value),
            _ if value.is_empty() => privileges = privileges.push(Privilege::flag(name)),
            _ => privileges = privileges.push(Privilege::new(name, value)),
        }
    }
    let valid_until =
        valid_until.ok_or_else(|| KsError::malformed("the v2 payload has no expiry field"))?;
    let valid_until = parse_decimal(&valid_until)
        .ok_or_else(|| KsError::malformed("the v2 expiry is not a decimal integer"))?;
    let mut privileges_raw = privileges.to_string();
    if privileges_raw == "all:*" {
        privileges_raw = "*".to_owned();
    }
    let privilege_map = privileges.to_map();
    Ok(KsFields {
        version: KsVersion::V2,
        verified: true,
        partner_id,
        partner_pattern: None,
        valid_until,
        type_raw,
        random: Some(hex::encode(random_bytes)),
        random_bytes: Some(random_bytes),
        user_id,
        privileges_raw: Some(privileges_raw),
        privileges,
        privilege_map,
        master_partner_id,
        additional_data,
        hash_hex: hex::encode(hash),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::decode_ks_base64;

    fn secret() -> AdminSecret {
        AdminSecret::new("a1b2c3d4e5f60718293a4b5c6d7e8f90").unwrap()
    }

    fn input<'a>() -> V2Input<'a> {
        V2Input {
            partner_id: 1234567,
            valid_until: 2000003601,
            type_code: 0,
            random: [0x11; 16],
            user_id: "user@example.com",
            privileges: "sview:0_abcd1234,setrole:ROLE",
            master_partner_id: None,
            additional_data: None,
        }
    }

    #[test]
    fn spec_worked_example_query_and_key() {
        assert_eq!(
            fields_query(&input()),
            "sview=0_abcd1234&setrole=ROLE&_e=2000003601&_t=0&_u=user%40example.com"
        );
        assert_eq!(
            hex::encode(aes_key(&secret())),
            "0f8789da4b7c09f352c338a2c7a2ce09"
        );
    }

    #[test]
    fn round_trip() {
        let ks = encode(&secret(), &input());
        let plain = decode_ks_base64(&ks).unwrap();
        assert!(is_v2(&plain));
        assert_eq!(header(&plain).unwrap().0, 1234567);
        let f = decode(&plain, &secret()).unwrap();
        assert_eq!(f.user_id(), "user@example.com");
        assert_eq!(f.privilege_values("sview"), ["0_abcd1234"]);
        assert_eq!(f.random_bytes(), Some([0x11; 16]));
        let wrong = AdminSecret::new("wrong").unwrap();
        assert_eq!(decode(&plain, &wrong).unwrap_err(), KsError::BadSignature);
    }

    #[test]
    fn reserved_names_are_overwritten_in_place() {
        let q = fields_query(&V2Input {
            privileges: "_u:x,a:1",
            ..input()
        });
        assert_eq!(q, "_u=user%40example.com&a=1&_e=2000003601&_t=0");
    }

    #[test]
    fn header_errors() {
        assert!(header(b"v2|12|").is_err());
        assert!(header(b"v2|12").is_err());
        assert!(header(b"v2|x|0123456789abcdef").is_err());
        assert!(header(b"v2|12|0123456789abcde").is_err());
        assert_eq!(header(b"v2|-1|0123456789abcdef").unwrap().0, -1);
    }
}
