//! The service URLs of Kaltura's regional clouds.
//!
//! A partner account lives in one region, and its API is served there: a client built
//! for another region's URL gets `INVALID_KS` or `PARTNER_NOT_FOUND` for a perfectly
//! good session. The default everywhere stays [`US`] (`https://www.kaltura.com`).
//!
//! A [`Region`] converts into the service URL, so it goes wherever a URL does:
//!
//! ```no_run
//! # fn demo() -> Result<(), kaltura_runtime::Error> {
//! use kaltura_runtime::{regions, Client};
//!
//! let builder = Client::builder(regions::EU);
//! assert_eq!(builder.config().service_url, "https://api.eu.kaltura.com");
//! # Ok(()) }
//! ```
//!
//! Self-hosted servers and private clouds are not regions: give their URL as it is.

use std::fmt;

/// One of Kaltura's regional clouds: its short name and the root URL of its API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Region {
    /// The short name (`us`, `eu`, ...), as the command line's `--region` takes it.
    pub name: &'static str,
    /// The API's root URL, without `/api_v3`.
    pub service_url: &'static str,
    /// Where it is, for people choosing one.
    pub description: &'static str,
}

/// The United States, the default: `https://www.kaltura.com`.
pub const US: Region = Region {
    name: "us",
    service_url: "https://www.kaltura.com",
    description: "United States (the default)",
};

/// The European Union: `https://api.eu.kaltura.com`.
pub const EU: Region = Region {
    name: "eu",
    service_url: "https://api.eu.kaltura.com",
    description: "European Union",
};

/// Asia-Pacific: `https://api.ap.kaltura.com`.
pub const AP: Region = Region {
    name: "ap",
    service_url: "https://api.ap.kaltura.com",
    description: "Asia-Pacific",
};

/// Singapore: `https://api.sg.kaltura.com`.
pub const SG: Region = Region {
    name: "sg",
    service_url: "https://api.sg.kaltura.com",
    description: "Singapore",
};

/// Canada: `https://api.ca.kaltura.com`.
pub const CA: Region = Region {
    name: "ca",
    service_url: "https://api.ca.kaltura.com",
    description: "Canada",
};

/// Germany: `https://api.de.kaltura.com`.
pub const DE: Region = Region {
    name: "de",
    service_url: "https://api.de.kaltura.com",
    description: "Germany",
};

/// Every region, the default first.
pub const ALL: &[Region] = &[US, EU, AP, SG, CA, DE];

impl Region {
    /// The region with this short name (`eu`, `EU`), if there is one.
    pub fn by_name(name: &str) -> Option<Region> {
        ALL.iter()
            .copied()
            .find(|r| r.name.eq_ignore_ascii_case(name.trim()))
    }
}

impl Default for Region {
    fn default() -> Self {
        US
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.service_url)
    }
}

impl From<Region> for String {
    fn from(region: Region) -> String {
        region.service_url.to_string()
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        self.service_url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_urls() {
        assert_eq!(Region::by_name("EU"), Some(EU));
        assert_eq!(Region::by_name(" de "), Some(DE));
        assert_eq!(Region::by_name("mars"), None);
        assert_eq!(Region::default(), US);
        assert_eq!(String::from(SG), "https://api.sg.kaltura.com");
        for r in ALL {
            assert!(r.service_url.starts_with("https://"), "{r:?}");
            assert!(!r.service_url.ends_with('/'), "{r:?}");
            assert_eq!(Region::by_name(r.name), Some(*r));
        }
        let mut names: Vec<&str> = ALL.iter().map(|r| r.name).collect();
        names.dedup();
        assert_eq!(names.len(), 6);
    }
}
