//! What a mock is started with: partners and their secrets, users who can log in,
//! seed data, faults, and how long "conversion" takes.

use crate::faults::FaultRule;
use std::time::Duration;

/// A partner account.
#[derive(Clone)]
pub struct PartnerSpec {
    pub id: i64,
    pub admin_secret: String,
    pub user_secret: String,
    /// Entitlement enforced by default (see [`crate::entitlement`]).
    pub entitlement: bool,
    /// Partners whose calls this partner's sessions may make (`partnerId`).
    pub children: Vec<i64>,
}

impl std::fmt::Debug for PartnerSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartnerSpec")
            .field("id", &self.id)
            .field("entitlement", &self.entitlement)
            .finish_non_exhaustive()
    }
}

/// A user of a partner; with a login id and password, `user.loginByLoginId` works.
#[derive(Clone)]
pub struct UserSpec {
    pub partner_id: i64,
    pub id: String,
    pub login_id: Option<String>,
    pub password: Option<String>,
    pub is_admin: bool,
}

impl std::fmt::Debug for UserSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserSpec")
            .field("partner_id", &self.partner_id)
            .field("id", &self.id)
            .field("login_id", &self.login_id)
            .field("is_admin", &self.is_admin)
            .finish_non_exhaustive()
    }
}

impl UserSpec {
    pub fn new(partner_id: i64, id: impl Into<String>) -> UserSpec {
        UserSpec {
            partner_id,
            id: id.into(),
            login_id: None,
            password: None,
            is_admin: false,
        }
    }

    /// The login id (an email address) and password of `user.loginByLoginId`.
    pub fn login(mut self, login_id: impl Into<String>, password: impl Into<String>) -> Self {
        self.login_id = Some(login_id.into());
        self.password = Some(password.into());
        self
    }

    /// An administrator: logging in gives an ADMIN session.
    pub fn admin(mut self, yes: bool) -> Self {
        self.is_admin = yes;
        self
    }
}

/// Everything a mock is started with.
#[derive(Debug, Clone)]
pub struct Config {
    pub partners: Vec<PartnerSpec>,
    pub users: Vec<UserSpec>,
    pub faults: Vec<FaultRule>,
    pub seed: u64,
    /// How long an entry stays in PRECONVERT after content is added.
    pub ready_after: Duration,
    /// Largest request body accepted.
    pub max_body: usize,
    /// Entries made at start, per partner (name `entry N`, READY).
    pub seed_entries: usize,
    /// Port to bind on 127.0.0.1 (0: any free port).
    pub port: u16,
    /// Where the store is kept between runs (see [`crate::store::persist`]).
    pub state_file: Option<std::path::PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            partners: Vec::new(),
            users: Vec::new(),
            faults: Vec::new(),
            seed: 0x006b_616c_7475_7261,
            ready_after: Duration::ZERO,
            max_body: 512 * 1024 * 1024,
            seed_entries: 0,
            port: 0,
            state_file: None,
        }
    }
}

impl Config {
    pub fn partner(&self, id: i64) -> Option<&PartnerSpec> {
        self.partners.iter().find(|p| p.id == id)
    }
}
