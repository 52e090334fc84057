//! `kaltura ks generate` and `kaltura ks inspect`: local KS work, no server involved.

use crate::error::{CliError, Result};
use crate::units::{format_span, rfc3339};
use kaltura_ks::{
    unix_now, AdminSecret, Inspection, Ks, KsBuilder, KsError, KsFields, KsVersion, SessionType,
};
use serde_json::{json, Value};

/// The inputs of `ks generate`.
pub struct Generate {
    pub partner_id: i64,
    pub session_type: SessionType,
    pub user: Option<String>,
    pub expiry_seconds: i64,
    pub privileges: Option<String>,
    pub version: KsVersion,
}

/// A signed (v1) or encrypted (v2) KS.
pub fn generate(input: &Generate, secret: &AdminSecret) -> Result<Ks> {
    let mut builder =
        KsBuilder::new(input.partner_id, input.session_type).expires_in(input.expiry_seconds);
    if let Some(user) = &input.user {
        builder = builder.user_id(user.clone());
    }
    if let Some(p) = &input.privileges {
        builder = builder.privileges(p.as_str());
    }
    Ok(builder.generate(input.version, secret)?)
}

/// What `ks inspect` found; `signature_failed` makes the command exit with the KS code
/// after printing the report.
pub struct Report {
    pub text: String,
    pub signature_failed: bool,
}

enum Signature {
    Valid,
    Invalid,
    Unchecked,
}

/// Reads a KS, and checks it when a secret is given.
pub fn inspect(
    token: &str,
    secret: Option<&AdminSecret>,
    as_json: bool,
    now: i64,
) -> Result<Report> {
    let ks = Ks::new(token.trim());
    let inspection = ks.inspect()?;
    let (fields, signature): (Option<KsFields>, Signature) = match secret {
        None => (inspection.fields().cloned(), Signature::Unchecked),
        Some(secret) => match ks.decode(secret) {
            Ok(fields) => (Some(fields), Signature::Valid),
            Err(KsError::BadSignature) => (inspection.fields().cloned(), Signature::Invalid),
            Err(other) => return Err(CliError::from(other)),
        },
    };
    let text = if as_json {
        crate::output::json(&report_json(&inspection, fields.as_ref(), &signature, now))
    } else {
        report_text(&inspection, fields.as_ref(), &signature, now)
    };
    Ok(Report {
        text,
        signature_failed: matches!(signature, Signature::Invalid),
    })
}

fn type_name(fields: &KsFields) -> Option<String> {
    match (fields.session_type(), fields.type_code()) {
        (Some(t), Some(code)) => Some(format!("{t} ({code})")),
        (None, Some(code)) if code >= 1 => Some(format!("{code} (treated as ADMIN)")),
        (None, Some(code)) => Some(code.to_string()),
        _ => fields
            .type_raw()
            .map(|raw| format!("`{raw}` (not a number)")),
    }
}

fn expiry_text(valid_until: i64, now: i64) -> String {
    let date = rfc3339(valid_until).unwrap_or_else(|| format!("unix time {valid_until}"));
    let left = valid_until.saturating_sub(now);
    if left > 0 {
        format!("{date} (in {})", format_span(left.unsigned_abs()))
    } else {
        format!("{date} (expired {} ago)", format_span(left.unsigned_abs()))
    }
}

fn report_text(
    inspection: &Inspection,
    fields: Option<&KsFields>,
    signature: &Signature,
    now: i64,
) -> String {
    let mut rows: Vec<(&str, String)> = vec![
        ("version", inspection.version().to_string()),
        ("partner", inspection.partner_id().to_string()),
    ];
    if let Some(f) = fields {
        rows.push(("type", type_name(f).unwrap_or_else(|| "(absent)".into())));
        rows.push((
            "user",
            match f.user_id() {
                Some(u) if !f.is_anonymous() => u.to_string(),
                _ => "(anonymous)".into(),
            },
        ));
        rows.push(("expires", expiry_text(f.valid_until(), now)));
        rows.push((
            "privileges",
            match f.privileges_str() {
                Some(p) if !p.is_empty() => p.to_string(),
                _ => "(none)".into(),
            },
        ));
    }
    let signature_text = match (signature, inspection.version()) {
        (Signature::Valid, _) => "valid (matches the admin secret)".to_string(),
        (Signature::Invalid, _) => {
            "INVALID: the KS does not match this admin secret (wrong secret, another \
             partner's secret, or an altered KS)"
                .to_string()
        }
        (Signature::Unchecked, KsVersion::V2) => {
            "not checked; the other fields of a v2 KS are encrypted: give the admin secret \
             (KALTURA_ADMIN_SECRET or --secret-file) to read and check them"
                .to_string()
        }
        (Signature::Unchecked, _) => {
            "not checked (the fields above are unverified; give the admin secret to check)"
                .to_string()
        }
    };
    rows.push(("signature", signature_text));
    let mut out = String::new();
    for (label, value) in rows {
        out.push_str(&format!("{:<11} {value}\n", format!("{label}:")));
    }
    out
}

fn report_json(
    inspection: &Inspection,
    fields: Option<&KsFields>,
    signature: &Signature,
    now: i64,
) -> Value {
    let mut v = json!({
        "version": inspection.version().to_string(),
        "partnerId": inspection.partner_id(),
        "signature": match signature {
            Signature::Valid => "valid",
            Signature::Invalid => "invalid",
            Signature::Unchecked => "unchecked",
        },
    });
    if let (Some(f), Some(map)) = (fields, v.as_object_mut()) {
        let left = f.seconds_left_at(now);
        map.insert("type".into(), json!(f.type_code()));
        map.insert(
            "typeName".into(),
            json!(f.session_type().map(|t| t.to_string())),
        );
        map.insert("userId".into(), json!(f.user_id()));
        map.insert("validUntil".into(), json!(f.valid_until()));
        map.insert("expiresAt".into(), json!(rfc3339(f.valid_until())));
        map.insert("expired".into(), json!(left <= 0));
        map.insert("secondsLeft".into(), json!(left));
        map.insert("privileges".into(), json!(f.privileges_str()));
    }
    v
}

/// The current time for reports.
pub fn now() -> i64 {
    unix_now()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> AdminSecret {
        AdminSecret::new("0123456789abcdef0123456789abcdef").unwrap()
    }

    fn generated(version: KsVersion, expiry: i64) -> Ks {
        generate(
            &Generate {
                partner_id: 42,
                session_type: SessionType::Admin,
                user: Some("bob@example.com".into()),
                expiry_seconds: expiry,
                privileges: Some("disableentitlement".into()),
                version,
            },
            &secret(),
        )
        .unwrap()
    }

    #[test]
    fn round_trip() {
        for version in [KsVersion::V1, KsVersion::V2] {
            let ks = generated(version, 3_600);
            let r = inspect(ks.expose(), Some(&secret()), false, now()).unwrap();
            assert!(!r.signature_failed);
            assert!(r.text.contains("partner:    42"), "{}", r.text);
            assert!(r.text.contains("ADMIN (2)"), "{}", r.text);
            assert!(r.text.contains("bob@example.com"), "{}", r.text);
            assert!(
                r.text.contains("(in 59m") || r.text.contains("(in 1h"),
                "{}",
                r.text
            );
            assert!(r.text.contains("signature:  valid"), "{}", r.text);
            assert!(!r.text.contains(secret().expose()));
        }
    }

    #[test]
    fn expired_and_wrong_secret() {
        let ks = generated(KsVersion::V1, -7_200);
        let r = inspect(ks.expose(), None, false, now()).unwrap();
        assert!(r.text.contains("(expired 2h"), "{}", r.text);
        assert!(r.text.contains("not checked"), "{}", r.text);
        let other = AdminSecret::new("ffffffffffffffffffffffffffffffff").unwrap();
        let r = inspect(ks.expose(), Some(&other), true, now()).unwrap();
        assert!(r.signature_failed);
        let v: Value = serde_json::from_str(&r.text).unwrap();
        assert_eq!(v["signature"], "invalid");
        assert_eq!(v["expired"], true);
        assert_eq!(v["partnerId"], 42);
    }

    #[test]
    fn v2_without_secret_shows_the_partner_only() {
        let ks = generated(KsVersion::V2, 60);
        let r = inspect(ks.expose(), None, true, now()).unwrap();
        let v: Value = serde_json::from_str(&r.text).unwrap();
        assert_eq!(v["partnerId"], 42);
        assert_eq!(v["version"], "v2");
        assert!(v.get("userId").is_none());
    }

    #[test]
    fn garbage_is_a_ks_error() {
        let e = inspect("not a ks at all!!", None, false, now())
            .err()
            .unwrap();
        assert_eq!(e.exit_code(), crate::error::code::KS);
    }
}
