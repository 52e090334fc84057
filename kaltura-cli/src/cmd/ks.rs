//! `kaltura ks generate` and `kaltura ks inspect`: local KS work, no server involved.

use crate::args::{self, SecretFile, SessionAsk};
use crate::context::Context;
use crate::error::{CliError, Result};
use crate::units::{self, format_span, rfc3339};
use crate::{output, secrets, session_cache, sessions};
use clap::{Args, Subcommand, ValueEnum};
use kaltura_ks::{
    AdminSecret, Inspection, Ks, KsBuilder, KsError, KsFields, KsVersion, SessionType,
};
use kaltura_runtime::Secret;
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum KsCommand {
    /// Print a KS signed (v1) or encrypted (v2) with the admin secret
    Generate(GenerateArgs),
    /// Show what a KS holds; with the admin secret, check its signature
    Inspect(InspectArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// Signed; its fields are readable by anyone
    V1,
    /// Encrypted; only the partner id is readable without the secret
    V2,
}

const GENERATE_HELP: &str = "\
The admin secret comes from --secret-file, KALTURA_ADMIN_SECRET or a prompt; never from
the command line. The KS is the only output, so it can be captured:

Examples:
  export KALTURA_KS=$(kaltura ks generate --partner-id 1234567 --type admin)
  kaltura ks generate --partner-id 1234567 --user bob --expiry 2h --privileges 'edit:0_abc'
  kaltura ks generate --partner-id 1234567 --format v1 --secret-file ~/.kaltura-secret";

#[derive(Args, Debug)]
#[command(
    after_help = GENERATE_HELP,
    mut_args(|a| {
        let a = args::reword(a, &[
            ("partner_id", "The partner the KS is for (default: the profile's)"),
            ("user", "The user id (none: anonymous)"),
            ("expiry", "Lifetime: seconds, or with a unit (90m, 12h, 7d) (default: the profile's, else a day)"),
            ("privileges", "Privileges, e.g. 'disableentitlement,edit:0_abc'"),
        ]);
        // A negative lifetime makes an expired KS, to test what refuses one.
        if a.get_id() == "expiry" { a.allow_hyphen_values(true) } else { a }
    }),
)]
pub struct GenerateArgs {
    #[command(flatten)]
    ask: SessionAsk,
    /// The KS format
    #[arg(long, value_enum, default_value_t = Format::V2)]
    format: Format,
    #[command(flatten)]
    secret: SecretFile,
    /// Also keep the KS as the profile's session, used by later calls
    #[arg(long)]
    cache: bool,
}

const INSPECT_HELP: &str = "\
Without the secret, a v1 KS shows its (unverified) fields and a v2 KS only its partner.
With the secret (--secret-file or KALTURA_ADMIN_SECRET) every field is read and the
signature checked; a KS that does not match the secret exits with code 5.

The KS comes from stdin (`-`), a file (--ks-file), KALTURA_KS or the profile's cached
session, never from the command line itself, where other users would see it.

Examples:
  kaltura ks inspect                          # KALTURA_KS, else the profile's session
  pbpaste | kaltura ks inspect -
  kaltura ks inspect --ks-file ks.txt --secret-file ~/.kaltura-secret --json";

#[derive(Args, Debug)]
#[command(
    after_help = INSPECT_HELP,
    mut_args(|a| args::reword(a, &[(
        "secret_file",
        "Read the admin secret from this file, which only you may read (else \
         KALTURA_ADMIN_SECRET, else the profile's admin secret, if any)",
    )])),
)]
pub struct InspectArgs {
    /// `-` reads the KS from stdin (default: KALTURA_KS, else the profile's cached
    /// session); a KS written here is refused
    #[arg(value_name = "-", allow_hyphen_values = true)]
    ks: Option<String>,
    /// Read the KS from this file, which only you may read (`-`: stdin)
    #[arg(long, value_name = "FILE", conflicts_with = "ks")]
    ks_file: Option<PathBuf>,
    #[command(flatten)]
    secret: SecretFile,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, command: KsCommand) -> Result<()> {
    match command {
        KsCommand::Generate(a) => generate_cmd(ctx, a),
        KsCommand::Inspect(a) => inspect_cmd(ctx, a),
    }
}

fn generate_cmd(ctx: &Context, a: GenerateArgs) -> Result<()> {
    let partner_id = ctx.require_partner_id(a.ask.partner.partner_id)?;
    if a.cache && ctx.active().is_none() {
        return Err(CliError::usage(
            "--cache keeps the KS for a profile; choose one with --profile NAME",
        ));
    }
    let secret = ctx.admin_secret(a.secret.secret_file.as_deref(), true)?;
    let expiry = ctx
        .or_profile(a.ask.limits.expiry, |p| &p.expiry)
        .unwrap_or(86400);
    let ks = generate(
        &Generate {
            partner_id,
            session_type: ctx.session_kind(a.ask.kind).session_type(),
            user: ctx.or_profile(a.ask.user, |p| &p.user),
            expiry_seconds: expiry,
            privileges: ctx.or_profile(a.ask.limits.privileges, |p| &p.privileges),
            version: match a.format {
                Format::V1 => KsVersion::V1,
                Format::V2 => KsVersion::V2,
            },
        },
        &secret,
    )?;
    if a.cache {
        let now = units::now();
        sessions::remember(
            ctx,
            &ctx.service_url(None),
            Some(partner_id),
            &Secret::from(&ks),
            session_cache::expiry_of(ks.expose(), Some(&secret), now + expiry),
        )?;
    }
    ctx.emit_value(&Value::String(ks.expose().to_string()), output::Mode::Raw)
}

fn inspect_cmd(ctx: &Context, a: InspectArgs) -> Result<()> {
    let secret = secrets::read_optional(&secrets::Source {
        file: a.secret.secret_file.as_deref(),
        env: secrets::ADMIN_SECRET_ENV,
        prompt: None,
        what: "admin secret",
        profile: ctx.settings(),
    })?
    .map(|s| AdminSecret::new(s.into_inner()))
    .transpose()?;
    let ks = match secrets::read_ks(a.ks.as_deref(), a.ks_file.as_deref())? {
        Some(ks) => ks,
        None => match ctx.active().and_then(|p| session_cache::load(&p.name)) {
            Some(cached) => cached.ks,
            None => {
                return Err(CliError::usage(
                    "no KS given: pipe it in with `kaltura ks inspect -`, pass --ks-file \
                     FILE, set KALTURA_KS, or start a profile's session \
                     (`kaltura session start`)",
                ))
            }
        },
    };
    let json = a.json || ctx.output_mode(output::Mode::Table) == output::Mode::Json;
    let report = inspect(ks.expose(), secret.as_ref(), json, units::now())?;
    output::emit(report.text.as_bytes())?;
    if report.signature_failed {
        return Err(CliError::Ks(
            "the KS does not match the admin secret".into(),
        ));
    }
    Ok(())
}

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
        output::json(&report_json(&inspection, fields.as_ref(), &signature, now))
    } else {
        report_text(&inspection, fields.as_ref(), &signature, now)
    };
    Ok(Report {
        text,
        signature_failed: matches!(signature, Signature::Invalid),
    })
}

fn type_name(fields: &KsFields) -> Option<String> {
    match (
        fields.type_code().and_then(SessionType::from_code),
        fields.type_code(),
    ) {
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
            match f.user_field() {
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
            json!(f
                .type_code()
                .and_then(SessionType::from_code)
                .map(|t| t.to_string())),
        );
        map.insert("userId".into(), json!(f.user_field()));
        map.insert("validUntil".into(), json!(f.valid_until()));
        map.insert("expiresAt".into(), json!(rfc3339(f.valid_until())));
        map.insert("expired".into(), json!(left <= 0));
        map.insert("secondsLeft".into(), json!(left));
        map.insert("privileges".into(), json!(f.privileges_str()));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::now;

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
