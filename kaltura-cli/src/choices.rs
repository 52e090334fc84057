//! The closed choices that more than one part of the command line names: the session
//! type, an application token's hash and how a profile starts its sessions. They sit
//! below the commands and the profiles so that both can use them without importing
//! each other.

use clap::ValueEnum;
use kaltura_ks::SessionType;
use kaltura_runtime::app_token::AppTokenHash;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// An administrator session (type 2)
    Admin,
    /// A user session (type 0), limited by the user's role and the privileges
    User,
}

impl Kind {
    pub fn session_type(self) -> SessionType {
        match self {
            Kind::Admin => SessionType::Admin,
            Kind::User => SessionType::User,
        }
    }
}

/// An application token's hash type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HashArg {
    Md5,
    /// The server's default for tokens made without a hash type
    Sha1,
    Sha256,
    Sha512,
}

impl HashArg {
    pub fn hash(self) -> AppTokenHash {
        match self {
            HashArg::Md5 => AppTokenHash::Md5,
            HashArg::Sha1 => AppTokenHash::Sha1,
            HashArg::Sha256 => AppTokenHash::Sha256,
            HashArg::Sha512 => AppTokenHash::Sha512,
        }
    }
}

/// How a profile's sessions are started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Auth {
    /// session.start with the partner's admin secret
    AdminSecret,
    /// user.loginByLoginId with a login id and password
    Password,
    /// appToken.startSession with an application token
    AppToken,
}

impl Auth {
    pub fn what(self) -> &'static str {
        match self {
            Auth::AdminSecret => "admin secret",
            Auth::Password => "password",
            Auth::AppToken => "app token",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_choices_follow_the_runtime() {
        for h in AppTokenHash::ALL {
            let arg = HashArg::from_str(h.as_str(), true).expect("a choice");
            assert_eq!(arg.hash(), h);
        }
    }
}
