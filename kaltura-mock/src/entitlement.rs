//! Entitlement and the view privileges, as the server applies them to the entries and
//! categories the mock keeps.
//!
//! **Entitlement** is enforced when the partner enforces it by default
//! ([`crate::Builder::entitlement`]) and the KS does not carry `disableentitlement`, or
//! when the KS carries `enableentitlement`. Then an entry is visible to a session when
//! the KS names it in `disableentitlementforentry`, when the KS user owns it or is one
//! of its `entitledUsersEdit`/`Publish`/`View`, when it is in no category (and the KS
//! sets no `privacycontext`), or when one of its categories is visible. A category
//! without a privacy context is public to a KS without one; a category with one is
//! visible to a KS whose `privacycontext` names it, when its `privacy` is ALL,
//! AUTHENTICATED_USERS (for a KS with a user) or the KS user is its owner. Entries and
//! categories a session may not see answer as if they did not exist, and lists leave
//! them out.
//!
//! **`sview`** (and ADMIN sessions) lift the scheduling check when an entry is played or
//! downloaded: without `sview:<entryId>` or `sview:*`, an entry outside its
//! `startDate`..`endDate` window is refused with the server's delivery error
//! "entry restricted due to scheduling". `download:<entryId>` (or `download:*`) lifts it
//! for downloads (`flavorAsset.getUrl`, `/raw/`). Thumbnails are not scheduled.

use crate::config::Config;
use crate::sessions::Session;
use crate::store::PartnerData;
use kaltura_ks::Privileges;
use serde_json::Value;

const PRIVACY_ALL: i64 = 1;
const PRIVACY_AUTHENTICATED: i64 = 2;

/// What entitlement means for one session.
#[derive(Debug, Clone, Default)]
pub struct Entitlement {
    pub enforced: bool,
    user_id: String,
    contexts: Vec<String>,
    entries: Vec<String>,
}

fn list(v: &Value) -> Vec<String> {
    v.as_str()
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

impl Entitlement {
    pub fn of(config: &Config, session: &Session) -> Entitlement {
        let privileges = Privileges::parse(&session.privileges);
        let by_default = config
            .partner(session.partner_id)
            .is_some_and(|p| p.entitlement);
        let enforced = (by_default && !privileges.contains("disableentitlement"))
            || privileges.contains("enableentitlement");
        let values = |name: &str| -> Vec<String> {
            privileges
                .values(name)
                .iter()
                .flat_map(|v| v.split(','))
                .map(str::to_string)
                .collect()
        };
        Entitlement {
            enforced,
            user_id: session.user_id.clone(),
            contexts: values("privacycontext"),
            entries: values("disableentitlementforentry"),
        }
    }

    fn anonymous(&self) -> bool {
        self.user_id.is_empty() || self.user_id == "0"
    }

    /// Whether the session may see this category.
    pub fn category(&self, category: &Value) -> bool {
        if !self.enforced {
            return true;
        }
        let mut contexts = list(&category["privacyContexts"]);
        contexts.extend(list(&category["privacyContext"]));
        if contexts.is_empty() {
            return self.contexts.is_empty();
        }
        if !contexts.iter().any(|c| self.contexts.contains(c)) {
            return false;
        }
        let owner = category["owner"].as_str().unwrap_or_default();
        match int(&category["privacy"]).unwrap_or(PRIVACY_ALL) {
            PRIVACY_ALL => true,
            PRIVACY_AUTHENTICATED if !self.anonymous() => true,
            _ => !self.anonymous() && owner == self.user_id,
        }
    }

    /// Whether the session may see this entry of `data`.
    pub fn entry(&self, data: &PartnerData, entry: &Value) -> bool {
        if !self.enforced {
            return true;
        }
        let id = entry["id"].as_str().unwrap_or_default();
        if self.entries.iter().any(|e| e == id) {
            return true;
        }
        if !self.anonymous() {
            if entry["userId"].as_str() == Some(self.user_id.as_str()) {
                return true;
            }
            let named = [
                "entitledUsersEdit",
                "entitledUsersPublish",
                "entitledUsersView",
            ]
            .iter()
            .any(|k| list(&entry[*k]).contains(&self.user_id));
            if named {
                return true;
            }
        }
        let categories: Vec<&Value> = data
            .category_entries
            .values()
            .filter(|l| l["entryId"].as_str() == Some(id))
            .filter_map(|l| {
                let cid = int(&l["categoryId"])?;
                data.categories.get(&cid.to_string())
            })
            .collect();
        if categories.is_empty() {
            return self.contexts.is_empty();
        }
        categories.iter().any(|c| self.category(c))
    }
}

/// Whether the entry is inside its `startDate`..`endDate` window at `now`.
pub fn scheduled_now(entry: &Value, now: i64) -> bool {
    let start = int(&entry["startDate"]).filter(|t| *t > 0);
    let end = int(&entry["endDate"]).filter(|t| *t > 0);
    start.is_none_or(|s| s <= now) && end.is_none_or(|e| e >= now)
}

/// Whether the session may play `entry` now: ADMIN, `sview` for it, or scheduled now.
pub fn may_play(session: Option<&Session>, entry: &Value, now: i64) -> bool {
    let id = entry["id"].as_str().unwrap_or_default();
    let lifted = session.is_some_and(|s| s.admin || s.has_privilege("sview", id));
    lifted || scheduled_now(entry, now)
}

/// Whether the session may download `entry` now: `download` for it, or as for playing.
pub fn may_download(session: Option<&Session>, entry: &Value, now: i64) -> bool {
    let id = entry["id"].as_str().unwrap_or_default();
    session.is_some_and(|s| s.has_privilege("download", id)) || may_play(session, entry, now)
}

/// A delivery error of the server (`KExternalErrors`): an empty answer whose headers
/// carry the code and description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct External {
    pub code: u32,
    pub description: &'static str,
    pub status: u16,
}

impl External {
    pub const ENTRY_NOT_FOUND: External = External {
        code: 1,
        description: "requested entry not found",
        status: 404,
    };
    pub const NOT_SCHEDULED_NOW: External = External {
        code: 2,
        description: "entry restricted due to scheduling",
        status: 200,
    };
    pub const FLAVOR_NOT_FOUND: External = External {
        code: 6,
        description: "requested flavor was not found",
        status: 404,
    };
    pub const INVALID_KS: External = External {
        code: 7,
        description: "ks is not valid",
        status: 200,
    };
    pub const KS_EXPIRED: External = External {
        code: 31,
        description: "The given KS has expired",
        status: 200,
    };

    /// The headers the server sends with it.
    pub fn headers(&self) -> Vec<(String, String)> {
        vec![
            (
                "X-Kaltura-App".into(),
                format!("exiting on error {} - {}", self.code, self.description),
            ),
            ("X-Kaltura".into(), format!("error-{}", self.code)),
        ]
    }
}
