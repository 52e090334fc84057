//! KS privileges: a typed builder, a parser, and the safety checks applied before a
//! privileges string is put into a KS.
//!
//! On the wire privileges are one string, a comma-separated list of `name` or
//! `name:value` items; a value may hold several sub-values separated by `/`
//! (`sview:0_a/0_b`) and `*` is the wildcard. Examples: `all:*,disableentitlement`,
//! `sview:0_abc,setrole:ROLE`.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use crate::encoding::{python_strip, PHP_MAX_INPUT_VARS};
use crate::{KsError, KsVersion};

/// Names of the privileges the server knows (the `PRIVILEGE_*` constants of its session
/// code). Any other name is carried along without complaint.
pub mod names {
    /// Edit one entry: `edit:<entryId>`, or `edit:*`.
    pub const EDIT: &str = "edit";
    /// View one entry: `sview:<entryId>`, or `sview:*`.
    pub const VIEW: &str = "sview";
    /// List: `list:*` or `list:<entryId>`.
    pub const LIST: &str = "list";
    /// Download an entry.
    pub const DOWNLOAD: &str = "download";
    /// Download one asset.
    pub const DOWNLOAD_ASSET: &str = "downloadasset";
    /// Edit a playlist.
    pub const EDIT_PLAYLIST: &str = "editplaylist";
    /// View a playlist.
    pub const VIEW_PLAYLIST: &str = "sviewplaylist";
    /// Maximum number of calls the KS may make.
    pub const ACTIONS_LIMIT: &str = "actionslimit";
    /// Run with the permissions of a role: `setrole:<roleId or systemName>`.
    pub const SET_ROLE: &str = "setrole";
    /// Restrict to a role.
    pub const RESTRICTING_ROLE: &str = "restrictingrole";
    /// Limit the KS to one entry.
    pub const LIMIT_ENTRY: &str = "limitentry";
    /// Allowed client IPs, `/`-separated.
    pub const IP_RESTRICT: &str = "iprestrict";
    /// Allowed request URIs, `|`-separated, `*` at the end for a prefix.
    pub const URI_RESTRICT: &str = "urirestrict";
    /// Turn entitlement checks on.
    pub const ENABLE_ENTITLEMENT: &str = "enableentitlement";
    /// Turn entitlement checks off.
    pub const DISABLE_ENTITLEMENT: &str = "disableentitlement";
    /// Turn entitlement checks off for one entry.
    pub const DISABLE_ENTITLEMENT_FOR_ENTRY: &str = "disableentitlementforentry";
    /// Turn entitlement checks off for one playlist.
    pub const DISABLE_ENTITLEMENT_FOR_PLAYLIST: &str = "disableentitlementforplaylist";
    /// Entitlement privacy context.
    pub const PRIVACY_CONTEXT: &str = "privacycontext";
    /// Enable category moderation.
    pub const ENABLE_CATEGORY_MODERATION: &str = "enablecategorymoderation";
    /// Reference time used by some services (unix seconds).
    pub const REFERENCE_TIME: &str = "reftime";
    /// Sticky DB/Elastic session key.
    pub const SESSION_KEY: &str = "sessionkey";
    /// Preview (bytes).
    pub const PREVIEW: &str = "preview";
    /// Session id; lets the KS be revoked by id.
    pub const SESSION_ID: &str = "sessionid";
    /// Batch job type.
    pub const JOB_TYPE: &str = "jobtype";
    /// The app token the KS was made from.
    pub const APP_TOKEN: &str = "apptoken";
    /// Allow switching partner.
    pub const ENABLE_CHANGE_ACCOUNT: &str = "enablechangeaccount";
    /// Edit a user.
    pub const EDIT_USER: &str = "edituser";
    /// Enable caption moderation.
    pub const ENABLE_CAPTION_MODERATION: &str = "enablecaptionmoderation";
    /// Edit admin tags.
    pub const EDIT_ADMIN_TAGS: &str = "editadmintags";
    /// Restrict explicit live view.
    pub const RESTRICT_EXPLICIT_LIVE_VIEW: &str = "restrictexplicitliveview";
    /// Virtual event id.
    pub const VIRTUAL_EVENT_ID: &str = "virtualeventid";
    /// Search context.
    pub const SEARCH_CONTEXT: &str = "searchcontext";
    /// Skip the session type check.
    pub const DISABLE_SESSION_TYPE_CHECK: &str = "disablesessiontypecheck";
    /// `all:*`, everything.
    pub const ALL: &str = "all";
    /// Used with `view:*` in widget sessions.
    pub const VIEW_WIDGET: &str = "view";
    /// `widget:1` marks a widget session.
    pub const WIDGET: &str = "widget";
}

/// One privilege item: a name and an optional value.
///
/// `value` is `None` for a bare `name` and `Some("")` for `name:` (both mean "no value"
/// to the server). A value may hold several sub-values separated by `/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Privilege {
    name: String,
    value: Option<String>,
}

impl Privilege {
    /// A privilege with a value (`name:value`).
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Privilege {
            name: name.into(),
            value: Some(value.into()),
        }
    }

    /// A privilege without a value (`name`).
    pub fn flag(name: impl Into<String>) -> Self {
        Privilege {
            name: name.into(),
            value: None,
        }
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value as written, `None` for a bare name.
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// The `/`-separated sub-values, as the server splits them (none for an empty value).
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.value
            .as_deref()
            .filter(|v| !v.is_empty())
            .into_iter()
            .flat_map(|v| v.split('/'))
    }

    /// Parses one item: the name runs to the first `:`. Nothing is trimmed.
    fn parse_item(item: &str) -> Self {
        match item.split_once(':') {
            Some((name, value)) => Privilege::new(name, value),
            None => Privilege::flag(item),
        }
    }
}

impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let Some(v) = &self.value {
            write!(f, ":{v}")?;
        }
        Ok(())
    }
}

/// An ordered list of privileges, built with typed methods or parsed from a string.
///
/// ```
/// use kaltura_ks::Privileges;
///
/// let p = Privileges::new().all().disable_entitlement();
/// assert_eq!(p.to_string(), "all:*,disableentitlement");
///
/// let p = Privileges::new().view_entry("0_abc").set_role("ROLE");
/// assert_eq!(p.to_string(), "sview:0_abc,setrole:ROLE");
///
/// let back = Privileges::parse("sview:0_a/0_b,list:*");
/// assert_eq!(back.values("sview"), ["0_a", "0_b"]);
/// ```
///
/// Building never fails; the checks against what the server would misread run when a KS
/// is generated (or explicitly through [`Privileges::check`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Privileges {
    items: Vec<Privilege>,
}

impl Privileges {
    /// No privileges (the empty string).
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses a privileges string into its items, exactly as written: split on every
    /// `,`, then each item at its first `:`. Nothing is trimmed or merged, so
    /// `Privileges::parse(s).to_string() == s` for every `s`. The empty string gives no
    /// items.
    pub fn parse(s: &str) -> Self {
        if s.is_empty() {
            return Self::new();
        }
        Privileges {
            items: s.split(',').map(Privilege::parse_item).collect(),
        }
    }

    /// Appends an item.
    pub fn push(mut self, privilege: Privilege) -> Self {
        self.items.push(privilege);
        self
    }

    /// Appends `name:value`.
    pub fn privilege(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.push(Privilege::new(name, value))
    }

    /// Appends a bare `name`.
    pub fn flag(self, name: impl Into<String>) -> Self {
        self.push(Privilege::flag(name))
    }

    /// Appends `name:v1/v2/…`. Each value must not itself contain `/`.
    pub fn privilege_values<I, S>(self, name: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let joined = join(values, "/");
        self.privilege(name, joined)
    }

    /// `all:*`: every action.
    pub fn all(self) -> Self {
        self.privilege(names::ALL, "*")
    }

    /// `disableentitlement`.
    pub fn disable_entitlement(self) -> Self {
        self.flag(names::DISABLE_ENTITLEMENT)
    }

    /// `enableentitlement`.
    pub fn enable_entitlement(self) -> Self {
        self.flag(names::ENABLE_ENTITLEMENT)
    }

    /// `disableentitlementforentry:<entryId>`.
    pub fn disable_entitlement_for_entry(self, entry_id: impl Into<String>) -> Self {
        self.privilege(names::DISABLE_ENTITLEMENT_FOR_ENTRY, entry_id)
    }

    /// `sview:<entryId>` (use `"*"` for every entry).
    pub fn view_entry(self, entry_id: impl Into<String>) -> Self {
        self.privilege(names::VIEW, entry_id)
    }

    /// `edit:<entryId>` (use `"*"` for every entry).
    pub fn edit_entry(self, entry_id: impl Into<String>) -> Self {
        self.privilege(names::EDIT, entry_id)
    }

    /// `download:<entryId>`.
    pub fn download_entry(self, entry_id: impl Into<String>) -> Self {
        self.privilege(names::DOWNLOAD, entry_id)
    }

    /// `list:<value>`, usually `list:*`.
    pub fn list(self, value: impl Into<String>) -> Self {
        self.privilege(names::LIST, value)
    }

    /// `setrole:<roleId or system name>`.
    pub fn set_role(self, role: impl Into<String>) -> Self {
        self.privilege(names::SET_ROLE, role)
    }

    /// `limitentry:<entryId>`.
    pub fn limit_entry(self, entry_id: impl Into<String>) -> Self {
        self.privilege(names::LIMIT_ENTRY, entry_id)
    }

    /// `privacycontext:<context>`.
    pub fn privacy_context(self, context: impl Into<String>) -> Self {
        self.privilege(names::PRIVACY_CONTEXT, context)
    }

    /// `sessionid:<id>`, which lets the session be revoked by id.
    pub fn session_id(self, id: impl Into<String>) -> Self {
        self.privilege(names::SESSION_ID, id)
    }

    /// `actionslimit:<n>`.
    pub fn actions_limit(self, limit: u64) -> Self {
        self.privilege(names::ACTIONS_LIMIT, limit.to_string())
    }

    /// `iprestrict:<ip>/<ip>…`.
    pub fn ip_restrict<I, S>(self, ips: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.privilege_values(names::IP_RESTRICT, ips)
    }

    /// `urirestrict:<uri>|<uri>…` (end an entry with `*` to match by prefix).
    pub fn uri_restrict<I, S>(self, uris: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.privilege(names::URI_RESTRICT, join(uris, "|"))
    }

    /// `reftime:<unix seconds>`.
    pub fn reference_time(self, unix_seconds: i64) -> Self {
        self.privilege(names::REFERENCE_TIME, unix_seconds.to_string())
    }

    /// `apptoken:<id>`.
    pub fn app_token(self, id: impl Into<String>) -> Self {
        self.privilege(names::APP_TOKEN, id)
    }

    /// `view:*,widget:1`, the privileges of a widget session (use with a USER session
    /// and an empty user id).
    pub fn widget(self) -> Self {
        self.privilege(names::VIEW_WIDGET, "*")
            .privilege(names::WIDGET, "1")
    }

    /// The items in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Privilege> {
        self.items.iter()
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The first item with this name.
    pub fn get(&self, name: &str) -> Option<&Privilege> {
        self.items.iter().find(|p| p.name == name)
    }

    /// Whether an item with this name is present.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Every `/`-separated sub-value of every item with this name, in order (the server
    /// merges repeated names this way when it reads a v1 KS).
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.items
            .iter()
            .filter(|p| p.name == name)
            .flat_map(Privilege::values)
            .collect()
    }

    /// The items as the server groups them: an ordered map from name to the list of
    /// sub-values, repeated names merged in the position of their first appearance.
    pub fn to_map(&self) -> Vec<(String, Vec<String>)> {
        let mut map: Vec<(String, Vec<String>)> = Vec::new();
        for p in &self.items {
            let values = p.values().map(str::to_owned);
            match map.iter_mut().find(|(n, _)| *n == p.name) {
                Some((_, list)) => list.extend(values),
                None => map.push((p.name.clone(), values.collect())),
            }
        }
        map
    }

    /// Checks that a KS of this version would carry these privileges the way they read.
    ///
    /// Refused, naming the item at fault:
    /// * an empty name with a value (`:x`), and names with whitespace, control
    ///   characters, `,` or `:` (the server would not recognise them);
    /// * a `,` inside a value (it would split the item);
    /// * v1: `;` anywhere (it shifts every later field of the KS);
    /// * v2: `[`, `]` or `.` in a name (PHP rewrites or rejects them), the reserved names
    ///   `_e`, `_t`, `_u`, `_m`, `_d`, a repeated name (only the last value would survive;
    ///   write `name:a/b` instead), and more pairs than PHP reads by default.
    pub fn check(&self, version: KsVersion) -> Result<(), KsError> {
        self.check_with(version, 0)
    }

    /// [`Privileges::check`], with `extra_fields` optional v2 fields (`_m`, `_d`) to come.
    pub(crate) fn check_with(
        &self,
        version: KsVersion,
        extra_fields: usize,
    ) -> Result<(), KsError> {
        // Separators inside a single item are invisible once the list is joined, so
        // look at the items themselves first.
        for p in &self.items {
            if let Some(c) = p.name.chars().find(|c| matches!(c, ',' | ':')) {
                return Err(KsError::input(
                    format!("privilege name \"{}\"", p.name),
                    format!(
                        "it contains {}, which separates privileges",
                        describe_char(c)
                    ),
                ));
            }
            if p.value.as_deref().is_some_and(|v| v.contains(',')) {
                return Err(KsError::input(
                    format!("privilege name \"{}\"", p.name),
                    "its value contains ',', which separates privileges",
                ));
            }
        }
        check_privileges_str(&self.to_string(), version, extra_fields)
    }
}

fn join<I, S>(values: I, sep: &str) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(v.as_ref());
    }
    out
}

impl fmt::Display for Privileges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.items.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl FromStr for Privileges {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Privileges::parse(s))
    }
}

impl From<&str> for Privileges {
    fn from(s: &str) -> Self {
        Privileges::parse(s)
    }
}

impl From<String> for Privileges {
    fn from(s: String) -> Self {
        Privileges::parse(&s)
    }
}

impl From<&Privileges> for Privileges {
    fn from(p: &Privileges) -> Self {
        p.clone()
    }
}

impl<'a> IntoIterator for &'a Privileges {
    type Item = &'a Privilege;
    type IntoIter = std::slice::Iter<'a, Privilege>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl FromIterator<Privilege> for Privileges {
    fn from_iter<T: IntoIterator<Item = Privilege>>(iter: T) -> Self {
        Privileges {
            items: iter.into_iter().collect(),
        }
    }
}

/// The v2 generator's view of a privileges string (as the Python client builds it):
/// items trimmed, empty items dropped, `*` read as `all:*`, split at the first `:`, and a
/// repeated name keeping its first position but its last value.
pub(crate) fn v2_pairs(privileges: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for item in privileges.split(',') {
        let item = python_strip(item);
        if item.is_empty() {
            continue;
        }
        let item = if item == "*" { "all:*" } else { item };
        let (name, value) = item.split_once(':').unwrap_or((item, ""));
        match pairs.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value.to_owned(),
            None => pairs.push((name.to_owned(), value.to_owned())),
        }
    }
    pairs
}

/// Names PHP's `parse_str` would read differently, or that collide with KS fields.
const V2_RESERVED: [&str; 5] = ["_e", "_t", "_u", "_m", "_d"];

fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        c if c.is_whitespace() || c.is_control() => format!("the character U+{:04X}", c as u32),
        c => format!("'{c}'"),
    }
}

/// See [`Privileges::check`]. `extra_fields` is the number of optional v2 fields (`_m`,
/// `_d`) that will follow the three mandatory ones.
pub(crate) fn check_privileges_str(
    privileges: &str,
    version: KsVersion,
    extra_fields: usize,
) -> Result<(), KsError> {
    if version == KsVersion::V1 && privileges.contains(';') {
        return Err(KsError::input(
            "privileges",
            "';' is the v1 field separator, so the server would read the rest as \
             other fields; remove it or use a v2 KS",
        ));
    }
    // The items the server will see, after the generator's own processing.
    let items: Vec<(String, Option<String>)> = match version {
        KsVersion::V1 => Privileges::parse(privileges)
            .items
            .into_iter()
            .map(|p| (p.name, p.value))
            .collect(),
        KsVersion::V2 => {
            // Repeated names are detected on the raw items, before the last one wins.
            let mut seen: Vec<&str> = Vec::new();
            for item in privileges.split(',') {
                let item = python_strip(item);
                let item = if item == "*" { "all:*" } else { item };
                if item.is_empty() {
                    continue;
                }
                let name = item.split_once(':').map_or(item, |(n, _)| n);
                if seen.contains(&name) {
                    return Err(KsError::input(
                        format!("privilege name \"{name}\""),
                        "it appears more than once, and a v2 KS keeps only the last value; \
                         give several values at once as name:a/b",
                    ));
                }
                seen.push(name);
            }
            v2_pairs(privileges)
                .into_iter()
                .map(|(n, v)| (n, Some(v)))
                .collect()
        }
    };
    for (name, value) in &items {
        if name.is_empty() {
            if value.as_deref().is_some_and(|v| !v.is_empty()) {
                return Err(KsError::input(
                    "privileges",
                    "an item has a value but no name (it starts with ':')",
                ));
            }
            // v2 items reach here only as `:`, which becomes the pair `=`: the server's
            // form parser drops a field without a name, so the KS would not read back
            // as written.
            if version == KsVersion::V2 {
                return Err(KsError::input(
                    "privileges",
                    "an item is a bare ':' without a name, which a v2 KS cannot carry",
                ));
            }
            continue;
        }
        // `*:` is the pair `*=`, which reads back as a lone `*`: and a lone `*` means
        // `all:*`, so the KS would not read back as written (found by fuzzing).
        if version == KsVersion::V2 && name == "*" && value.as_deref() == Some("") {
            return Err(KsError::input(
                "privileges",
                "an item is '*:' (a '*' with an empty value), which a v2 KS reads back \
                 as '*', meaning all:*; write '*' or all:*",
            ));
        }
        let field = || format!("privilege name \"{name}\"");
        if let Some(c) = name
            .chars()
            .find(|&c| is_bad_name_char(c) || c == ',' || c == ':')
        {
            return Err(KsError::input(
                field(),
                format!(
                    "it contains {}, so the server would not recognise it",
                    describe_char(c)
                ),
            ));
        }
        if version == KsVersion::V2 {
            if let Some(c) = name.chars().find(|c| matches!(c, '[' | ']' | '.')) {
                return Err(KsError::input(
                    field(),
                    format!(
                        "it contains {}, which the server's form parser rewrites or \
                         rejects in a v2 KS",
                        describe_char(c)
                    ),
                ));
            }
            if V2_RESERVED.contains(&name.as_str()) {
                return Err(KsError::input(
                    field(),
                    "names _e, _t, _u, _m and _d hold the KS's own fields in v2",
                ));
            }
        }
        if let Some(v) = value {
            if v.contains(',') {
                return Err(KsError::input(
                    field(),
                    "its value contains ',', which separates privileges",
                ));
            }
        }
    }
    if version == KsVersion::V2 {
        let total = items.len() + 3 + extra_fields;
        if total > PHP_MAX_INPUT_VARS {
            return Err(KsError::input(
                "privileges",
                format!(
                    "{} privileges plus the KS fields exceed the {PHP_MAX_INPUT_VARS} form \
                     fields the server reads, so it would lose the expiry and user; \
                     merge values as name:a/b",
                    items.len()
                ),
            ));
        }
    }
    Ok(())
}

fn is_bad_name_char(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_formats() {
        assert_eq!(
            Privileges::new().all().disable_entitlement().to_string(),
            "all:*,disableentitlement"
        );
        assert_eq!(
            Privileges::new()
                .privilege("sview", "0_abc")
                .set_role("ROLE")
                .to_string(),
            "sview:0_abc,setrole:ROLE"
        );
        assert_eq!(
            Privileges::new()
                .ip_restrict(["1.2.3.4", "5.6.7.8"])
                .uri_restrict(["/a", "/b*"])
                .actions_limit(3)
                .to_string(),
            "iprestrict:1.2.3.4/5.6.7.8,urirestrict:/a|/b*,actionslimit:3"
        );
        assert_eq!(Privileges::new().widget().to_string(), "view:*,widget:1");
        assert_eq!(Privileges::new().to_string(), "");
    }

    #[test]
    fn parse_round_trips_any_string() {
        for s in [
            "",
            "*",
            ",",
            "a:",
            ":",
            "a:b:c",
            " sview:0_x , edit:0_y ",
            "all:*,disableentitlement",
            "x,,y",
        ] {
            assert_eq!(Privileges::parse(s).to_string(), s);
        }
    }

    #[test]
    fn values_and_map_merge_like_the_server() {
        let p = Privileges::parse("sview:0_a/0_b,edit:0_c,sview:0_d,disableentitlement");
        assert_eq!(p.values("sview"), ["0_a", "0_b", "0_d"]);
        assert!(p.values("disableentitlement").is_empty());
        assert_eq!(p.get("edit").and_then(Privilege::value), Some("0_c"));
        assert_eq!(
            p.to_map(),
            vec![
                (
                    "sview".to_string(),
                    vec!["0_a".into(), "0_b".into(), "0_d".into()]
                ),
                ("edit".to_string(), vec!["0_c".into()]),
                ("disableentitlement".to_string(), vec![]),
            ]
        );
    }

    #[test]
    fn v2_pairs_like_the_python_client() {
        let got = v2_pairs(" sview:0_a/0_b , edit:0_c,edit:0_d, ,list:*");
        let want: Vec<(String, String)> = [("sview", "0_a/0_b"), ("edit", "0_d"), ("list", "*")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
        assert_eq!(v2_pairs("*"), vec![("all".to_string(), "*".to_string())]);
        assert!(v2_pairs("").is_empty());
    }

    fn field_of(r: Result<(), KsError>) -> String {
        match r {
            Err(KsError::InvalidInput { field, .. }) => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn checks_name_the_culprit() {
        use KsVersion::{V1, V2};
        assert!(Privileges::new()
            .all()
            .disable_entitlement()
            .check(V1)
            .is_ok());
        assert!(Privileges::new()
            .all()
            .disable_entitlement()
            .check(V2)
            .is_ok());
        assert!(Privileges::parse("*").check(V1).is_ok());
        assert!(Privileges::parse("*").check(V2).is_ok());
        assert!(Privileges::parse("").check(V2).is_ok());
        assert!(Privileges::parse("privacycontext:a=b&c").check(V2).is_ok());

        assert_eq!(
            field_of(Privileges::parse("sview:a;b").check(V1)),
            "privileges"
        );
        assert!(Privileges::parse("sview:a;b").check(V2).is_ok());
        assert_eq!(
            field_of(Privileges::parse("my.priv:1").check(V2)),
            "privilege name \"my.priv\""
        );
        assert!(Privileges::parse("my.priv:1").check(V1).is_ok());
        assert_eq!(
            field_of(Privileges::parse("two words:2").check(V2)),
            "privilege name \"two words\""
        );
        assert!(Privileges::parse("c[]:1").check(V2).is_err());
        assert!(Privileges::parse("a]:1").check(V2).is_err());
        assert!(Privileges::parse("_u:x").check(V2).is_err());
        assert!(Privileges::parse("edit:a,edit:b").check(V2).is_err());
        assert!(Privileges::parse("edit:a,edit:b").check(V1).is_ok());
        assert!(Privileges::parse(" sview:0_x").check(V1).is_err());
        assert!(Privileges::parse(":x").check(V1).is_err());
        // Found by fuzzing: a bare `:` is dropped by the server's v2 form parser.
        assert!(Privileges::parse("sview:0_x,:").check(V2).is_err());
        assert!(Privileges::parse("sview:0_x,:").check(V1).is_ok());
        assert!(Privileges::parse("sview:0_x,,").check(V2).is_ok());
        // Found by fuzzing: `*:` reads back as `*`, which is `all:*`.
        assert!(Privileges::parse("*:").check(V2).is_err());
        assert!(Privileges::parse("*:x").check(V2).is_ok());
        assert!(Privileges::parse("*").check(V2).is_ok());
        assert!(Privileges::new().privilege("a,b", "1").check(V1).is_err());
        assert!(Privileges::new().privilege("a:b", "1").check(V2).is_err());
        assert!(Privileges::parse("a:b:1").check(V2).is_ok()); // name a, value b:1
        assert!(Privileges::new().privilege("a", "1,2").check(V1).is_err());
    }

    #[test]
    fn too_many_v2_pairs() {
        let many: Vec<String> = (0..998).map(|i| format!("p{i}:1")).collect();
        assert!(check_privileges_str(&many.join(","), KsVersion::V2, 0).is_err());
        let ok: Vec<String> = (0..997).map(|i| format!("p{i}:1")).collect();
        assert!(check_privileges_str(&ok.join(","), KsVersion::V2, 0).is_ok());
        assert!(check_privileges_str(&ok.join(","), KsVersion::V2, 1).is_err());
        assert!(check_privileges_str(&many.join(","), KsVersion::V1, 0).is_ok());
    }
}
