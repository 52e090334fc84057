//! Generating a KS locally from the admin secret.

use std::time::Duration;

use rand::Rng;

use crate::v1::V1Input;
use crate::v2::V2Input;
use crate::{unix_now, v1, v2, AdminSecret, Ks, KsError, KsVersion, Privileges, SessionType};

/// When a KS stops being valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expiry {
    /// This many seconds after "now" (the generation time). The usual input.
    In(i64),
    /// At this absolute unix time (seconds).
    At(i64),
}

impl Expiry {
    /// One day, the vendor clients' default.
    pub const DEFAULT: Expiry = Expiry::In(86_400);

    /// A relative expiry from a [`Duration`] (whole seconds; saturates at `i64::MAX`).
    pub fn from_duration(d: Duration) -> Self {
        Expiry::In(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }

    /// The absolute unix time, given "now".
    pub fn resolve(self, now: i64) -> Result<i64, KsError> {
        match self {
            Expiry::At(t) => Ok(t),
            Expiry::In(secs) => now
                .checked_add(secs)
                .ok_or_else(|| KsError::input("expiry", "now + expiry overflows a 64-bit time")),
        }
    }
}

impl Default for Expiry {
    fn default() -> Self {
        Expiry::DEFAULT
    }
}

/// How many fields a v1 KS gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum V1Layout {
    /// Seven fields, as the Python and PHP clients write them; nine anyway when a
    /// master partner id or additional data is set.
    #[default]
    Compact,
    /// Always nine fields, as the server's own generator writes them (ending in `;;`
    /// when master partner id and additional data are unset).
    Full,
}

/// Builds a KS from its fields and signs or encrypts it with the admin secret.
///
/// ```
/// use kaltura_ks::{AdminSecret, KsBuilder, Privileges, SessionType};
///
/// let secret = AdminSecret::new("a1b2c3d4e5f60718293a4b5c6d7e8f90")?;
/// // Time and randomness pinned: the result is reproducible byte for byte.
/// let ks = KsBuilder::new(1234567, SessionType::Admin)
///     .privileges(Privileges::new().all().disable_entitlement())
///     .now(2_000_000_000)
///     .v1_random("12345")
///     .generate_v1(&secret)?;
/// assert!(ks.expose().starts_with("NDkxNjk2ZGQy"));
/// # Ok::<(), kaltura_ks::KsError>(())
/// ```
#[derive(Debug, Clone)]
pub struct KsBuilder {
    partner_id: i64,
    session_type: SessionType,
    user_id: String,
    expiry: Expiry,
    privileges: Privileges,
    master_partner_id: Option<String>,
    additional_data: Option<String>,
    v1_layout: V1Layout,
    now: Option<i64>,
    v1_random: Option<String>,
    v2_random: Option<[u8; 16]>,
    safety_checks: bool,
}

impl KsBuilder {
    /// A session for this partner, anonymous (empty user id), no privileges, expiring
    /// one day after generation.
    pub fn new(partner_id: i64, session_type: SessionType) -> Self {
        KsBuilder {
            partner_id,
            session_type,
            user_id: String::new(),
            expiry: Expiry::DEFAULT,
            privileges: Privileges::new(),
            master_partner_id: None,
            additional_data: None,
            v1_layout: V1Layout::Compact,
            now: None,
            v1_random: None,
            v2_random: None,
            safety_checks: true,
        }
    }

    /// The user id (empty means anonymous). In v1 it must not contain `;`.
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = user_id.into();
        self
    }

    /// When the KS expires.
    pub fn expiry(mut self, expiry: Expiry) -> Self {
        self.expiry = expiry;
        self
    }

    /// Expires this many seconds after generation.
    pub fn expires_in(self, seconds: i64) -> Self {
        self.expiry(Expiry::In(seconds))
    }

    /// Expires at this unix time.
    pub fn expires_at(self, unix_seconds: i64) -> Self {
        self.expiry(Expiry::At(unix_seconds))
    }

    /// The privileges: a [`Privileges`] value or a privileges string.
    pub fn privileges(mut self, privileges: impl Into<Privileges>) -> Self {
        self.privileges = privileges.into();
        self
    }

    /// The master partner id (normally only set by the server itself).
    pub fn master_partner_id(mut self, id: impl Into<String>) -> Self {
        self.master_partner_id = Some(id.into());
        self
    }

    /// Additional data (normally only set by the server itself).
    pub fn additional_data(mut self, data: impl Into<String>) -> Self {
        self.additional_data = Some(data.into());
        self
    }

    /// The v1 field layout.
    pub fn v1_layout(mut self, layout: V1Layout) -> Self {
        self.v1_layout = layout;
        self
    }

    /// Pins "now" (unix seconds) instead of reading the system clock.
    pub fn now(mut self, unix_seconds: i64) -> Self {
        self.now = Some(unix_seconds);
        self
    }

    /// Pins the v1 random field (any text without `;`; the Python client writes a
    /// decimal number from 0 to 65536). Otherwise such a number is drawn from the
    /// operating system's random source.
    pub fn v1_random(mut self, random: impl Into<String>) -> Self {
        self.v1_random = Some(random.into());
        self
    }

    /// Pins the 16 random bytes of a v2 KS. Otherwise they come from the operating
    /// system's random source.
    pub fn v2_random(mut self, random: [u8; 16]) -> Self {
        self.v2_random = Some(random);
        self
    }

    /// Turns off the checks against inputs the server would misread (see
    /// [`KsBuilder::check`]), so a KS can be written exactly as other generators write
    /// it, flaws included. Meant for interoperability tests, not for production tokens.
    pub fn skip_safety_checks(mut self) -> Self {
        self.safety_checks = false;
        self
    }

    /// Checks the inputs for a KS of this version, as generation does.
    ///
    /// v1: no `;` in the user id, privileges, random part, master partner id or
    /// additional data. Both versions: the privilege rules of [`Privileges::check`].
    pub fn check(&self, version: KsVersion) -> Result<(), KsError> {
        if version == KsVersion::V1 {
            let semicolon = |field: &str, value: Option<&str>| {
                if value.is_some_and(|v| v.contains(';')) {
                    Err(KsError::input(
                        field,
                        "';' is the v1 field separator, so the server would split the value \
                         and shift the fields after it; remove it or use a v2 KS",
                    ))
                } else {
                    Ok(())
                }
            };
            semicolon("user id", Some(&self.user_id))?;
            semicolon("v1 random part", self.v1_random.as_deref())?;
            semicolon("master partner id", self.master_partner_id.as_deref())?;
            semicolon("additional data", self.additional_data.as_deref())?;
        }
        let extra = usize::from(self.master_partner_id.is_some())
            + usize::from(self.additional_data.is_some());
        self.privileges.check_with(version, extra)
    }

    /// Generates a KS of the given version.
    pub fn generate(&self, version: KsVersion, secret: &AdminSecret) -> Result<Ks, KsError> {
        match version {
            KsVersion::V1 => self.generate_v1(secret),
            KsVersion::V2 => self.generate_v2(secret),
        }
    }

    /// Generates a v1 (signed, readable) KS.
    pub fn generate_v1(&self, secret: &AdminSecret) -> Result<Ks, KsError> {
        if self.safety_checks {
            self.check(KsVersion::V1)?;
        }
        let valid_until = self.valid_until()?;
        let random = match &self.v1_random {
            Some(r) => r.clone(),
            None => random_v1()?,
        };
        let privileges = self.privileges.to_string();
        let token = v1::encode(
            secret,
            &V1Input {
                partner_id: self.partner_id,
                valid_until,
                type_code: self.session_type.code(),
                random: &random,
                user_id: &self.user_id,
                privileges: &privileges,
                master_partner_id: self.master_partner_id.as_deref(),
                additional_data: self.additional_data.as_deref(),
                full_layout: self.v1_layout == V1Layout::Full,
            },
        );
        Ok(Ks::new(token))
    }

    /// Generates a v2 (encrypted) KS.
    pub fn generate_v2(&self, secret: &AdminSecret) -> Result<Ks, KsError> {
        if self.safety_checks {
            self.check(KsVersion::V2)?;
        }
        let valid_until = self.valid_until()?;
        let random = match self.v2_random {
            Some(r) => r,
            None => {
                let mut r = [0u8; 16];
                fill_random(&mut r);
                r
            }
        };
        let privileges = self.privileges.to_string();
        let token = v2::encode(
            secret,
            &V2Input {
                partner_id: self.partner_id,
                valid_until,
                type_code: self.session_type.code(),
                random,
                user_id: &self.user_id,
                privileges: &privileges,
                master_partner_id: self.master_partner_id.as_deref(),
                additional_data: self.additional_data.as_deref(),
            },
        );
        Ok(Ks::new(token))
    }

    fn valid_until(&self) -> Result<i64, KsError> {
        self.expiry.resolve(self.now.unwrap_or_else(unix_now))
    }
}

/// The random part of a token: it only has to make tokens unique and unguessable, so
/// the thread's CSPRNG (ChaCha, seeded and reseeded from the operating system) serves,
/// without a system call per token. It cannot fail once seeded (rand panics if the
/// operating system cannot seed it at all, as it always did).
fn fill_random(buf: &mut [u8]) {
    rand::rng().fill_bytes(buf);
}

/// A decimal number from 0 to 65536, like the Python client's `randint(0, 0x10000)`.
fn random_v1() -> Result<String, KsError> {
    let mut b = [0u8; 4];
    fill_random(&mut b);
    Ok((u32::from_le_bytes(b) % 65_537).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> AdminSecret {
        AdminSecret::new("a1b2c3d4e5f60718293a4b5c6d7e8f90").unwrap()
    }

    #[test]
    fn expiry_resolution() {
        assert_eq!(Expiry::In(10).resolve(100), Ok(110));
        assert_eq!(Expiry::At(5).resolve(100), Ok(5));
        assert_eq!(Expiry::In(-10).resolve(100), Ok(90));
        assert!(Expiry::In(i64::MAX).resolve(1).is_err());
        assert_eq!(
            Expiry::from_duration(Duration::from_secs(60)),
            Expiry::In(60)
        );
        assert_eq!(Expiry::default(), Expiry::In(86_400));
    }

    #[test]
    fn unpinned_generation_differs_each_time() {
        let b = KsBuilder::new(1, SessionType::User).user_id("u");
        for version in [KsVersion::V1, KsVersion::V2] {
            let a = b.generate(version, &secret()).unwrap();
            let fields = a.validate_now(&secret()).unwrap();
            assert!(fields.seconds_left_at(unix_now()) > 86_000);
            // v1 random space is small; v2 is 128 bits, so distinct for sure.
            if version == KsVersion::V2 {
                let c = b.generate(version, &secret()).unwrap();
                assert_ne!(a.expose(), c.expose());
            }
            let r = fields.random().unwrap();
            match version {
                KsVersion::V1 => assert!(r.parse::<u32>().unwrap() <= 65_536),
                _ => assert_eq!(r.len(), 32),
            }
        }
    }

    #[test]
    fn semicolons_rejected_in_v1_only() {
        let b = KsBuilder::new(1, SessionType::User).user_id("a;b");
        match b.generate_v1(&secret()).unwrap_err() {
            KsError::InvalidInput { field, .. } => assert_eq!(field, "user id"),
            e => panic!("{e:?}"),
        }
        assert!(b.generate_v2(&secret()).is_ok());
        assert!(b
            .clone()
            .skip_safety_checks()
            .generate_v1(&secret())
            .is_ok());
        let b = KsBuilder::new(1, SessionType::User).v1_random("1;2");
        assert!(b.generate_v1(&secret()).is_err());
        let b = KsBuilder::new(1, SessionType::User).additional_data("k=v;x");
        assert!(b.generate_v1(&secret()).is_err());
        assert!(b.generate_v2(&secret()).is_ok());
    }

    #[test]
    fn optional_fields_count_against_the_v2_limit() {
        let p: Vec<String> = (0..997).map(|i| format!("p{i}:1")).collect();
        let b = KsBuilder::new(1, SessionType::User).privileges(p.join(","));
        assert!(b.check(KsVersion::V2).is_ok());
        assert!(b
            .clone()
            .master_partner_id("-2")
            .check(KsVersion::V2)
            .is_err());
    }
}
