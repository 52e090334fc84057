//! The one naming rule (docs/decisions.md, F2), in one place.
//!
//! - Classes and enums keep their Kaltura names; a `…Any` enum stands for a class and
//!   its subclasses. A type named like a std type the generated code uses unqualified
//!   (`Option`, `String`, ...) gets a trailing `_`.
//! - Fields, methods and parameters are snake_case; enum variants UpperCamelCase of the
//!   constant's name (never of its value).
//! - Anything not an identifier is made one: other characters become `_`, a leading
//!   digit gets a `_`/`V`/`T` prefix (fields and methods / variants / types).
//! - Rust keywords become raw identifiers (`r#type`); those that cannot be raw (`self`,
//!   `Self`, `super`, `crate`, `_`) get a trailing `_`. File (module) names have no raw
//!   form: a keyword there gets a trailing `_` (`services/type_.rs`).
//! - A plugin's cargo feature is its name in snake_case; the crate's own features
//!   (`default`, `full`, `reqwest`, ...) are taken: a plugin named like one gets `_plugin`.
//! - When two items of one scope end up with the same name, the later one gets `_2`,
//!   `_3`, ... The scopes, and what comes first in each:
//!   - types (one namespace): enums, then classes, then `…Any` enums, each in schema
//!     order, then service handles (`MediaService`) and request values
//!     (`MediaListRequest`), core services first;
//!   - fields of a class: inherited properties first (the root's first), so a subclass
//!     property yields to an inherited one;
//!   - variants of an enum: `Unknown` is the catch-all's, so a constant `UNKNOWN`
//!     becomes `Unknown_2`;
//!   - client methods (`client.media()`): the generated client's own methods
//!     (`new`, `builder`, `runtime`, ...) and the runtime client's public ones, which
//!     it reaches through `Deref` (`upload`, `send`, ...), are taken; core
//!     services come before plugin services; a service whose snake_case name is taken
//!     uses its wire id (`metadata_metadata`) instead, numbered if that is taken too;
//!   - actions of a service, in schema order;
//!   - parameters of an action: the request value's own methods (`new`, `send`,
//!     `with_ks`, ...) are taken;
//!   - files of services, by wire id.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};
use std::collections::BTreeSet;

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names that generated code uses unqualified: a schema type with one of these
/// names would shadow it.
pub const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Box",
    "Vec",
    "String",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "BTreeMap",
];

fn clean(raw: &str) -> String {
    let mut s: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.is_empty() {
        s.push('_');
    }
    s
}

/// A valid identifier for `name` (already cased), escaping keywords.
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// snake_case form of a wire name, made a valid identifier (keywords not yet escaped).
pub fn snake(raw: &str) -> String {
    let s = clean(raw).to_snake_case();
    let s = if s.is_empty() { "_".to_string() } else { s };
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        s
    }
}

/// UpperCamelCase form, made a valid identifier.
pub fn camel(raw: &str) -> String {
    let s = clean(raw).to_upper_camel_case();
    if s.is_empty() {
        "V".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{s}")
    } else {
        s
    }
}

/// A type name kept as in the schema, where it is a valid identifier.
pub fn type_name(raw: &str) -> String {
    let s = clean(raw);
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{s}")
    } else {
        s
    };
    if RESERVED_TYPES.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// Features `kaltura-client` declares itself, besides the generated plugin features.
pub const RESERVED_FEATURES: &[&str] = &[
    "blocking",
    "default",
    "full",
    "native-roots",
    "reqwest",
    "test-util",
    "tls-aws-lc",
    "tls-ring",
];

/// The cargo feature of a plugin.
pub fn feature(plugin: &str) -> String {
    let s = clean(plugin).to_snake_case();
    let s = if s.is_empty() { "_".to_string() } else { s };
    if RESERVED_FEATURES.contains(&s.as_str()) {
        format!("{s}_plugin")
    } else {
        s
    }
}

/// A module (file) name: snake_case, and never a keyword, since files have no raw form.
pub fn module(raw: &str) -> String {
    let s = snake(raw);
    if KEYWORDS.contains(&s.as_str()) || NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// Hands out unique names within one scope.
#[derive(Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn with_reserved(names: &[&str]) -> Self {
        Scope {
            taken: names.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// `name`, or `name_2`, `name_3`, ... if taken.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        (2..)
            .map(|n| format!("{name}_{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_rule() {
        assert_eq!(snake("partnerId"), "partner_id");
        assert_eq!(snake("addFromUploadedFile"), "add_from_uploaded_file");
        assert_eq!(ident(&snake("type")).to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(camel("PARTNER_ONLY"), "PartnerOnly");
        assert_eq!(camel("_3GP"), "V3gp");
        assert_eq!(camel("-"), "V");
        assert_eq!(type_name("Option"), "Option_");
        assert_eq!(feature("KalturaInternalTools"), "kaltura_internal_tools");
        assert_eq!(feature("default"), "default_plugin");
        assert_eq!(feature("Full"), "full_plugin");
        assert_eq!(module("type"), "type_");
        assert_eq!(module("self"), "self_");
        assert_eq!(module("upload__token"), "upload_token");
        let mut scope = Scope::default();
        assert_eq!(scope.claim("a".into()), "a");
        assert_eq!(scope.claim("a".into()), "a_2");
        assert_eq!(scope.claim("a".into()), "a_3");
    }
}
