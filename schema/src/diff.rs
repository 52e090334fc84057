//! What changed between two versions of the API, so that regenerating the client after
//! an API change can be reviewed.
//!
//! [`diff`] compares two checked models and returns a [`SchemaDiff`]: a sorted list of
//! typed [`Change`]s. [`render_text`] presents it for a terminal and [`render_markdown`]
//! for a pull-request comment.
//!
//! Items are matched by name: services by wire id, actions by name ignoring case (as the
//! server does), everything else by exact name, so a rename shows as a removal plus an
//! addition. Types are compared by their schema names ([`Model::type_name`]), since ids
//! differ between models. The members of an added or removed service, class or enum are
//! not listed one by one; the entry's note gives their number.
//!
//! A change is *breaking* when code written against the old version may stop working
//! against the new one: something it used is gone (service, action, parameter, class,
//! property, enum, enum value, plugin), has another type, result, base class or value,
//! is newly required (a new required parameter, an optional one made required), or may
//! no longer be used as before (a property made read-only, insert-only or write-only, a
//! class made abstract, an action refused in a multirequest). Additions, deprecations,
//! relaxations and changed defaults are not breaking; neither is a new base class that
//! keeps every old ancestor (one inserted above the class, or a first one). A property
//! that moved to a base class (or down from one) and so is still there is reported, but
//! not as breaking.

use crate::model::*;
use std::collections::BTreeMap;
use std::fmt::{self, Write};

/// The part of the schema a change is in, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Section {
    Services,
    Actions,
    Parameters,
    Classes,
    Properties,
    Enums,
    EnumValues,
    Plugins,
    Errors,
}

impl Section {
    pub const ALL: [Section; 9] = [
        Section::Services,
        Section::Actions,
        Section::Parameters,
        Section::Classes,
        Section::Properties,
        Section::Enums,
        Section::EnumValues,
        Section::Plugins,
        Section::Errors,
    ];

    /// `Services`, `Enum values`, ...
    pub fn title(self) -> &'static str {
        match self {
            Section::Services => "Services",
            Section::Actions => "Actions",
            Section::Parameters => "Parameters",
            Section::Classes => "Classes",
            Section::Properties => "Properties",
            Section::Enums => "Enums",
            Section::EnumValues => "Enum values",
            Section::Plugins => "Plugins",
            Section::Errors => "Errors",
        }
    }

    /// `service`, `enum value`, ...
    pub fn noun(self) -> &'static str {
        match self {
            Section::Services => "service",
            Section::Actions => "action",
            Section::Parameters => "parameter",
            Section::Classes => "class",
            Section::Properties => "property",
            Section::Enums => "enum",
            Section::EnumValues => "enum value",
            Section::Plugins => "plugin",
            Section::Errors => "error",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum ChangeKind {
    Added,
    Removed,
    /// One attribute changed; [`Change::field`] says which.
    Changed,
    /// Newly marked deprecated. (An item no longer deprecated is a `Changed` entry
    /// with [`Field::Deprecated`].)
    Deprecated,
}

impl ChangeKind {
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
            ChangeKind::Deprecated => "deprecated",
        }
    }
}

/// The attribute a [`ChangeKind::Changed`] entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Field {
    /// An action's result type (`nothing` when it returns nothing).
    Result,
    /// Whether an action may be sent inside a multirequest.
    MultiRequest,
    /// A parameter's or property's type.
    Type,
    /// Whether a parameter is optional.
    Optional,
    /// A parameter's default, as written in the schema.
    Default,
    /// A class's base class.
    Base,
    Abstract,
    ReadOnly,
    InsertOnly,
    WriteOnly,
    /// An enum's value type (`int` or `string`).
    Kind,
    /// An enum value's value.
    Value,
    Deprecated,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Result => "result",
            Field::MultiRequest => "in multirequest",
            Field::Type => "type",
            Field::Optional => "optional",
            Field::Default => "default",
            Field::Base => "base",
            Field::Abstract => "abstract",
            Field::ReadOnly => "readOnly",
            Field::InsertOnly => "insertOnly",
            Field::WriteOnly => "writeOnly",
            Field::Kind => "enum type",
            Field::Value => "value",
            Field::Deprecated => "deprecated",
        }
    }
}

/// Old and new value of one attribute, as display text (`yes`/`no` for flags,
/// `(none)` for an absent default or base, `nothing` for an empty result).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldChange {
    pub field: Field,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub section: Section,
    pub kind: ChangeKind,
    /// The item: `media` (service id), `media.list`, `media.list(filter)`,
    /// `KalturaMediaEntry`, `KalturaMediaEntry.name`, `KalturaEntryStatus.READY`, or a
    /// plugin or error name.
    pub item: String,
    /// What changed, for [`ChangeKind::Changed`] entries.
    pub field: Option<FieldChange>,
    /// Context for the reader: the type of an added parameter, the number of actions of
    /// a removed service, the value of an added enum value, ...
    pub note: Option<String>,
    pub breaking: bool,
}

impl Change {
    /// `type: int -> string`, or the note, or nothing.
    pub fn detail(&self) -> String {
        match (&self.field, &self.note) {
            (Some(f), Some(n)) => format!("{}: {} -> {} ({n})", f.field.label(), f.old, f.new),
            (Some(f), None) => format!("{}: {} -> {}", f.field.label(), f.old, f.new),
            (None, Some(n)) => n.clone(),
            (None, None) => String::new(),
        }
    }
}

/// Number of entries of each kind, and how many of them are breaking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub deprecated: usize,
    pub breaking: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.added + self.removed + self.changed + self.deprecated
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SchemaDiff {
    pub old_version: String,
    pub new_version: String,
    /// Sorted by section, item, kind and field.
    pub changes: Vec<Change>,
}

impl SchemaDiff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Counts for one section, or for all of them with `None`.
    pub fn counts(&self, section: Option<Section>) -> Counts {
        let mut c = Counts::default();
        for ch in &self.changes {
            if section.is_some_and(|s| s != ch.section) {
                continue;
            }
            match ch.kind {
                ChangeKind::Added => c.added += 1,
                ChangeKind::Removed => c.removed += 1,
                ChangeKind::Changed => c.changed += 1,
                ChangeKind::Deprecated => c.deprecated += 1,
            }
            if ch.breaking {
                c.breaking += 1;
            }
        }
        c
    }

    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.breaking)
    }

    pub fn section(&self, section: Section) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.section == section)
    }

    /// The entries about one item (`media.list(filter)`), of any kind.
    pub fn item<'a>(
        &'a self,
        section: Section,
        item: &'a str,
    ) -> impl Iterator<Item = &'a Change> + 'a {
        self.changes
            .iter()
            .filter(move |c| c.section == section && c.item == item)
    }
}

/// Compares two models. Entries are sorted; the result is the same for the same inputs.
pub fn diff(old: &Model, new: &Model) -> SchemaDiff {
    let mut d = Differ {
        old,
        new,
        out: Vec::new(),
    };
    d.services();
    d.classes();
    d.enums();
    d.plugins();
    d.errors();
    let mut changes = d.out;
    changes.sort_by(|a, b| {
        let key = |c: &Change| (c.section, c.kind, c.field.as_ref().map(|f| f.field));
        (a.section, &a.item)
            .cmp(&(b.section, &b.item))
            .then_with(|| key(a).cmp(&key(b)))
    });
    SchemaDiff {
        old_version: old.api_version.clone(),
        new_version: new.api_version.clone(),
        changes,
    }
}

enum Pair<'a, T> {
    Removed(&'a T),
    Added(&'a T),
    Both(&'a T, &'a T),
}

/// Matches items by key. On a duplicate key the first item wins.
fn pairs<'a, T, K: Ord>(old: &'a [T], new: &'a [T], key: impl Fn(&T) -> K) -> Vec<Pair<'a, T>> {
    let mut map: BTreeMap<K, (Option<&'a T>, Option<&'a T>)> = BTreeMap::new();
    for o in old {
        map.entry(key(o)).or_default().0.get_or_insert(o);
    }
    for n in new {
        map.entry(key(n)).or_default().1.get_or_insert(n);
    }
    map.into_values()
        .filter_map(|p| match p {
            (Some(o), Some(n)) => Some(Pair::Both(o, n)),
            (Some(o), None) => Some(Pair::Removed(o)),
            (None, Some(n)) => Some(Pair::Added(n)),
            (None, None) => None,
        })
        .collect()
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

fn plural(n: usize, noun: &str) -> String {
    match (n, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "class") => format!("{n} classes"),
        (_, "property") => format!("{n} properties"),
        _ => format!("{n} {noun}s"),
    }
}

fn default_text(d: &Option<String>) -> String {
    match d.as_deref() {
        None => "(none)".into(),
        Some("") => "\"\"".into(),
        Some(s) => s.to_string(),
    }
}

fn enum_kind(k: EnumKind) -> String {
    match k {
        EnumKind::Int => "int".into(),
        EnumKind::String => "string".into(),
    }
}

/// An item found on one side only: removed (it is in the old model) or added (in the
/// new one), with that side's model, which names its types.
#[derive(Clone, Copy)]
struct Side<'m> {
    kind: ChangeKind,
    model: &'m Model,
}

impl Side<'_> {
    fn removed(self) -> bool {
        self.kind == ChangeKind::Removed
    }
}

struct Differ<'a> {
    old: &'a Model,
    new: &'a Model,
    out: Vec<Change>,
}

impl Differ<'_> {
    fn push(
        &mut self,
        section: Section,
        kind: ChangeKind,
        item: String,
        note: Option<String>,
        breaking: bool,
    ) {
        self.out.push(Change {
            section,
            kind,
            item,
            field: None,
            note,
            breaking,
        });
    }

    fn changed(
        &mut self,
        section: Section,
        item: &str,
        field: Field,
        old: String,
        new: String,
        breaking: bool,
    ) {
        if old != new {
            self.out.push(Change {
                section,
                kind: ChangeKind::Changed,
                item: item.to_string(),
                field: Some(FieldChange { field, old, new }),
                note: None,
                breaking,
            });
        }
    }

    fn flag(&mut self, section: Section, item: &str, field: Field, old: bool, new: bool) {
        let breaking = !old && new;
        self.changed(section, item, field, yes_no(old), yes_no(new), breaking);
    }

    fn deprecated(&mut self, section: Section, item: &str, old: bool, new: bool) {
        if !old && new {
            self.push(
                section,
                ChangeKind::Deprecated,
                item.to_string(),
                None,
                false,
            );
        } else if old && !new {
            self.changed(
                section,
                item,
                Field::Deprecated,
                yes_no(old),
                yes_no(new),
                false,
            );
        }
    }

    /// The skeleton every kind of item shares. Items are matched by `key` and named by
    /// `name` (an item in both models by its new name, which may differ in case). An
    /// item on one side only is one entry, whose note and breaking flag `alone` gives;
    /// `both` compares an item found on both sides.
    fn compare<T, K: Ord>(
        &mut self,
        section: Section,
        (old, new): (&[T], &[T]),
        key: impl Fn(&T) -> K,
        name: impl Fn(&T) -> String,
        alone: impl Fn(Side<'_>, &T) -> (Option<String>, bool),
        mut both: impl FnMut(&mut Self, &str, &T, &T),
    ) {
        for pair in pairs(old, new, key) {
            let (kind, model, item) = match pair {
                Pair::Removed(o) => (ChangeKind::Removed, self.old, o),
                Pair::Added(n) => (ChangeKind::Added, self.new, n),
                Pair::Both(o, n) => {
                    both(self, &name(n), o, n);
                    continue;
                }
            };
            let (note, breaking) = alone(Side { kind, model }, item);
            self.push(section, kind, name(item), note, breaking);
        }
    }

    fn services(&mut self) {
        let (old, new) = (self.old, self.new);
        let sec = Section::Services;
        self.compare(
            sec,
            (&old.services[..], &new.services[..]),
            |s| s.id.clone(),
            |s| s.id.clone(),
            |side, s| {
                let mut note = plural(s.actions.len(), "action");
                if let (false, Some(p)) = (side.removed(), &s.plugin) {
                    note = format!("plugin {p}, {note}");
                }
                (Some(note), side.removed())
            },
            |d, id, o, n| {
                d.deprecated(sec, id, o.deprecated, n.deprecated);
                d.actions(o, n);
            },
        );
    }

    fn result_name(model: &Model, a: &Action) -> String {
        a.result
            .as_ref()
            .map_or_else(|| "nothing".to_string(), |t| model.type_name(t))
    }

    fn actions(&mut self, os: &Service, ns: &Service) {
        let (old, new) = (self.old, self.new);
        let sec = Section::Actions;
        self.compare(
            sec,
            (&os.actions[..], &ns.actions[..]),
            // As the server matches them.
            |a| a.name.to_lowercase(),
            |a| format!("{}.{}", ns.id, a.name),
            |side, a| {
                if side.removed() {
                    (None, true)
                } else {
                    let note = format!("returns {}", Self::result_name(side.model, a));
                    (Some(note), false)
                }
            },
            |d, item, o, n| {
                d.deprecated(sec, item, o.deprecated, n.deprecated);
                let (or, nr) = (Self::result_name(old, o), Self::result_name(new, n));
                d.changed(sec, item, Field::Result, or, nr, o.result.is_some());
                let (om, nm) = (o.enable_in_multi_request, n.enable_in_multi_request);
                let (oy, ny) = (yes_no(om), yes_no(nm));
                d.changed(sec, item, Field::MultiRequest, oy, ny, om && !nm);
                d.params(item, o, n);
            },
        );
    }

    fn param_note(model: &Model, p: &Param) -> String {
        let ty = model.type_name(&p.ty);
        match (p.optional, &p.default) {
            (false, _) => format!("{ty}, required"),
            (true, None) => format!("{ty}, optional"),
            (true, d) => format!("{ty}, optional, default {}", default_text(d)),
        }
    }

    fn params(&mut self, action: &str, oa: &Action, na: &Action) {
        let (old, new) = (self.old, self.new);
        let sec = Section::Parameters;
        self.compare(
            sec,
            (&oa.params[..], &na.params[..]),
            |p| p.name.clone(),
            |p| format!("{action}({})", p.name),
            // A new parameter breaks a call only when the call must now pass it.
            |side, p| {
                let note = Self::param_note(side.model, p);
                (Some(note), side.removed() || !p.optional)
            },
            |d, item, o, n| {
                let (ot, nt) = (old.type_name(&o.ty), new.type_name(&n.ty));
                d.changed(sec, item, Field::Type, ot, nt, true);
                let (oo, no) = (o.optional, n.optional);
                let (oy, ny) = (yes_no(oo), yes_no(no));
                d.changed(sec, item, Field::Optional, oy, ny, oo && !no);
                let (od, nd) = (default_text(&o.default), default_text(&n.default));
                d.changed(sec, item, Field::Default, od, nd, false);
            },
        );
    }

    fn base_name(model: &Model, c: &Class) -> String {
        c.base
            .map_or_else(|| "(none)".to_string(), |b| model.class(b).name.clone())
    }

    /// Whether the class no longer derives from one of its old ancestors (a base
    /// inserted above it, or a first base, keeps every old ancestor).
    fn lost_ancestor(old: &Model, new: &Model, class: &str) -> bool {
        let names = |m: &Model| -> Vec<String> {
            m.class_id(class)
                .map(|id| {
                    m.ancestors(id)
                        .into_iter()
                        .map(|a| m.class(a).name.clone())
                        .collect()
                })
                .unwrap_or_default()
        };
        let now = names(new);
        names(old).iter().any(|a| !now.contains(a))
    }

    fn classes(&mut self) {
        let (old, new) = (self.old, self.new);
        let sec = Section::Classes;
        self.compare(
            sec,
            (&old.classes[..], &new.classes[..]),
            |c| c.name.clone(),
            |c| c.name.clone(),
            |side, c| {
                let count = plural(c.properties.len(), "property");
                if side.removed() {
                    return (Some(count), true);
                }
                let mut parts = Vec::new();
                if let Some(b) = c.base {
                    parts.push(format!("base {}", side.model.class(b).name));
                }
                if c.is_abstract {
                    parts.push("abstract".to_string());
                }
                if let Some(p) = &c.plugin {
                    parts.push(format!("plugin {p}"));
                }
                parts.push(count);
                (Some(parts.join(", ")), false)
            },
            |d, item, o, n| {
                d.deprecated(sec, item, o.deprecated, n.deprecated);
                let (ob, nb) = (Self::base_name(old, o), Self::base_name(new, n));
                let lost = Self::lost_ancestor(old, new, &n.name);
                d.changed(sec, item, Field::Base, ob, nb, lost);
                d.flag(sec, item, Field::Abstract, o.is_abstract, n.is_abstract);
                d.properties(o, n);
            },
        );
    }

    /// The ancestor of `class` (in `model`) that declares `prop`, if any.
    fn inherited_from(model: &Model, class: &str, prop: &str) -> Option<String> {
        let id = model.class_id(class)?;
        model
            .ancestors(id)
            .into_iter()
            .map(|a| model.class(a))
            .find(|a| a.properties.iter().any(|p| p.name == prop))
            .map(|a| a.name.clone())
    }

    fn property_note(model: &Model, p: &Property) -> String {
        let mut note = model.type_name(&p.ty);
        for (on, what) in [
            (p.read_only, "readOnly"),
            (p.insert_only, "insertOnly"),
            (p.write_only, "writeOnly"),
        ] {
            if on {
                note.push_str(", ");
                note.push_str(what);
            }
        }
        note
    }

    fn properties(&mut self, oc: &Class, nc: &Class) {
        let (old, new) = (self.old, self.new);
        let sec = Section::Properties;
        self.compare(
            sec,
            (&oc.properties[..], &nc.properties[..]),
            |p| p.name.clone(),
            |p| format!("{}.{}", nc.name, p.name),
            |side, p| {
                // A property that moved up to a base class is still there to use.
                if side.removed() {
                    return match Self::inherited_from(new, &nc.name, &p.name) {
                        Some(base) => (Some(format!("now inherited from {base}")), false),
                        None => (Some(Self::property_note(old, p)), true),
                    };
                }
                let mut note = Self::property_note(new, p);
                if let Some(base) = Self::inherited_from(old, &oc.name, &p.name) {
                    note = format!("{note}; was inherited from {base}");
                }
                (Some(note), false)
            },
            |d, item, o, n| {
                d.deprecated(sec, item, o.deprecated, n.deprecated);
                let (ot, nt) = (old.type_name(&o.ty), new.type_name(&n.ty));
                d.changed(sec, item, Field::Type, ot, nt, true);
                d.flag(sec, item, Field::ReadOnly, o.read_only, n.read_only);
                // Insert-only instead of read-only is a relaxation.
                let insert_breaking = !o.insert_only && !o.read_only && n.insert_only;
                let (oi, ni) = (yes_no(o.insert_only), yes_no(n.insert_only));
                d.changed(sec, item, Field::InsertOnly, oi, ni, insert_breaking);
                d.flag(sec, item, Field::WriteOnly, o.write_only, n.write_only);
            },
        );
    }

    fn enums(&mut self) {
        let (old, new) = (self.old, self.new);
        let sec = Section::Enums;
        self.compare(
            sec,
            (&old.enums[..], &new.enums[..]),
            |e| e.name.clone(),
            |e| e.name.clone(),
            |side, e| {
                let count = plural(e.consts.len(), "value");
                if side.removed() {
                    return (Some(count), true);
                }
                let mut note = format!("{}, {count}", enum_kind(e.kind));
                if let Some(p) = &e.plugin {
                    note = format!("{note}, plugin {p}");
                }
                (Some(note), false)
            },
            |d, item, o, n| {
                d.deprecated(sec, item, o.deprecated, n.deprecated);
                let (ok, nk) = (enum_kind(o.kind), enum_kind(n.kind));
                d.changed(sec, item, Field::Kind, ok, nk, true);
                d.enum_values(o, n);
            },
        );
    }

    fn enum_values(&mut self, oe: &Enum, ne: &Enum) {
        let sec = Section::EnumValues;
        self.compare(
            sec,
            (&oe.consts[..], &ne.consts[..]),
            |c| c.name.clone(),
            |c| format!("{}.{}", ne.name, c.name),
            |side, c| (Some(format!("value {}", c.value)), side.removed()),
            |d, item, o, n| {
                let (ov, nv) = (o.value.clone(), n.value.clone());
                d.changed(sec, item, Field::Value, ov, nv, true);
            },
        );
    }

    // Plugins and errors are only reported as added or removed: a plugin's services
    // are compared as services, and an error's reworded message changes no code.
    fn plugins(&mut self) {
        let (old, new) = (self.old, self.new);
        self.compare(
            Section::Plugins,
            (&old.plugins[..], &new.plugins[..]),
            |p| p.name.clone(),
            |p| p.name.clone(),
            |side, p| {
                let note = (!p.services.is_empty()).then(|| plural(p.services.len(), "service"));
                (note, side.removed())
            },
            |_, _, _, _| {},
        );
    }

    fn errors(&mut self) {
        let (old, new) = (self.old, self.new);
        self.compare(
            Section::Errors,
            (&old.errors[..], &new.errors[..]),
            |e| e.name.clone(),
            |e| e.name.clone(),
            |_, e| {
                let message = e.message.split_whitespace().collect::<Vec<_>>().join(" ");
                // Errors are codes the server may return, not part of the client's API.
                ((!message.is_empty()).then_some(message), false)
            },
            |_, _, _, _| {},
        );
    }
}

fn section_summary(c: &Counts) -> String {
    let parts: Vec<String> = [
        (c.added, "added"),
        (c.removed, "removed"),
        (c.changed, "changed"),
        (c.deprecated, "deprecated"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    let mut s = parts.join(", ");
    if c.breaking > 0 {
        s.push_str(&format!("; {} breaking", c.breaking));
    }
    s
}

/// Plain text for a terminal: a counts table, then one block per section with one line
/// per change; breaking changes start with `!`.
pub fn render_text(d: &SchemaDiff) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_text(d, &mut out);
    out
}

fn write_text(d: &SchemaDiff, out: &mut String) -> fmt::Result {
    let total = d.counts(None);
    writeln!(
        out,
        "API schema diff: {} -> {}: {} changes, {} breaking",
        d.old_version,
        d.new_version,
        total.total(),
        total.breaking
    )?;
    if d.is_empty() {
        return writeln!(out, "no differences");
    }
    writeln!(out)?;
    let row = |out: &mut String, name: &str, c: &Counts| {
        writeln!(
            out,
            "  {name:<12}{:>7}{:>9}{:>9}{:>12}{:>10}",
            c.added, c.removed, c.changed, c.deprecated, c.breaking
        )
    };
    writeln!(
        out,
        "  {:<12}{:>7}{:>9}{:>9}{:>12}{:>10}",
        "", "added", "removed", "changed", "deprecated", "breaking"
    )?;
    for s in Section::ALL {
        row(out, &s.title().to_lowercase(), &d.counts(Some(s)))?;
    }
    row(out, "total", &total)?;
    writeln!(out)?;
    writeln!(out, "Lines starting with ! are breaking changes.")?;
    for s in Section::ALL {
        let entries: Vec<&Change> = d.section(s).collect();
        if entries.is_empty() {
            continue;
        }
        let c = d.counts(Some(s));
        writeln!(out)?;
        writeln!(out, "{} ({})", s.title(), section_summary(&c))?;
        let width = entries
            .iter()
            .map(|e| e.item.chars().count())
            .max()
            .unwrap_or(0)
            .min(48);
        for e in entries {
            let mark = if e.breaking { '!' } else { ' ' };
            // One line per entry, whatever the schema's text holds.
            let detail = e.detail().split_whitespace().collect::<Vec<_>>().join(" ");
            let line = format!("{mark} {:<10} {:<width$}  {detail}", e.kind.label(), e.item,);
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    Ok(())
}

/// Lists longer than this are folded into a `<details>` block.
const FOLD_AFTER: usize = 25;

/// Inline code, safe for any text.
fn code(s: &str) -> String {
    let s = s.replace(['\r', '\n'], " ");
    if s.is_empty() {
        "(empty)".into()
    } else if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// Text with Markdown's special characters escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(ch);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(ch),
        }
    }
    out
}

fn markdown_detail(e: &Change) -> String {
    let mut s = String::new();
    if let Some(f) = &e.field {
        s.push_str(&format!(
            ": {} {} → {}",
            f.field.label(),
            code(&f.old),
            code(&f.new)
        ));
    }
    if let Some(n) = &e.note {
        s.push_str(&format!(" — {}", escape(n)));
    }
    s
}

fn write_list(out: &mut String, lines: &[String]) -> fmt::Result {
    let fold = lines.len() > FOLD_AFTER;
    if fold {
        writeln!(out, "<details><summary>{} entries</summary>\n", lines.len())?;
    }
    for l in lines {
        writeln!(out, "{l}")?;
    }
    if fold {
        writeln!(out, "\n</details>")?;
    }
    Ok(())
}

/// Markdown for a pull-request comment: a counts table, the breaking changes (never
/// folded), then one heading per section with a bullet list (folded in a `<details>`
/// block when longer than 25 entries).
pub fn render_markdown(d: &SchemaDiff) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_markdown(d, &mut out);
    out
}

fn write_markdown(d: &SchemaDiff, out: &mut String) -> fmt::Result {
    let total = d.counts(None);
    writeln!(
        out,
        "## API schema diff: {} → {}\n",
        code(&d.old_version),
        code(&d.new_version)
    )?;
    if d.is_empty() {
        return writeln!(out, "No differences.");
    }
    writeln!(
        out,
        "**{} changes, {} breaking.**\n",
        total.total(),
        total.breaking
    )?;
    writeln!(
        out,
        "| | added | removed | changed | deprecated | breaking |\n\
         |:--|--:|--:|--:|--:|--:|"
    )?;
    for s in Section::ALL {
        let c = d.counts(Some(s));
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            s.title(),
            c.added,
            c.removed,
            c.changed,
            c.deprecated,
            c.breaking
        )?;
    }
    writeln!(
        out,
        "| **Total** | **{}** | **{}** | **{}** | **{}** | **{}** |\n",
        total.added, total.removed, total.changed, total.deprecated, total.breaking
    )?;

    writeln!(out, "### Breaking changes ({})\n", total.breaking)?;
    let breaking: Vec<String> = d
        .breaking()
        .map(|e| {
            format!(
                "- **{}** {} {}{}",
                e.kind.label(),
                e.section.noun(),
                code(&e.item),
                markdown_detail(e)
            )
        })
        .collect();
    if breaking.is_empty() {
        writeln!(out, "None.")?;
    }
    // Never folded: these are what a reviewer must read.
    for l in &breaking {
        writeln!(out, "{l}")?;
    }

    for s in Section::ALL {
        let lines: Vec<String> = d
            .section(s)
            .map(|e| {
                format!(
                    "- {} {}{}{}",
                    e.kind.label(),
                    code(&e.item),
                    markdown_detail(e),
                    if e.breaking { " **(breaking)**" } else { "" }
                )
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        writeln!(
            out,
            "\n### {} ({})\n",
            s.title(),
            section_summary(&d.counts(Some(s)))
        )?;
        write_list(out, &lines)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(body: &str) -> Model {
        let text = format!("<xml apiVersion=\"1.0\">{body}</xml>");
        match crate::parse(&text, "test.xml") {
            Ok(m) => m,
            Err(e) => panic!("{e}"),
        }
    }

    fn both(old: &str, new: &str) -> SchemaDiff {
        diff(&model(old), &model(new))
    }

    /// The single entry for `item` in `section`; fails when there are none or several.
    fn one<'a>(d: &'a SchemaDiff, section: Section, item: &'a str) -> &'a Change {
        let found: Vec<&Change> = d.item(section, item).collect();
        assert_eq!(
            found.len(),
            1,
            "entries for {item}: {found:#?}\nall: {d:#?}"
        );
        found[0]
    }

    fn field(c: &Change) -> (Field, &str, &str) {
        let f = c.field.as_ref().expect("a Changed entry has a field");
        (f.field, f.old.as_str(), f.new.as_str())
    }

    const SERVICES_OLD: &str = r#"
      <classes>
        <class name="KalturaEntry"><property name="id" type="string"/></class>
        <class name="KalturaFilter"/>
        <class name="KalturaPager"/>
      </classes>
      <services>
        <service id="media" name="media">
          <action name="get">
            <param name="entryId" type="string"/>
            <param name="version" type="int" optional="1" default="-1"/>
            <param name="gone" type="string" optional="1"/>
            <result type="KalturaEntry"/>
          </action>
          <action name="list">
            <param name="filter" type="KalturaFilter" optional="1" default="null"/>
            <param name="pager" type="KalturaPager" optional="1" default="null"/>
            <result type="KalturaEntry"/>
          </action>
          <action name="serve"><result type="file"/></action>
          <action name="old"><result/></action>
        </service>
        <service id="mixing" name="mixing"><action name="add"><result/></action></service>
        <service id="data" name="data"><action name="add"><result/></action></service>
      </services>"#;

    const SERVICES_NEW: &str = r#"
      <classes>
        <class name="KalturaEntry"><property name="id" type="string"/></class>
        <class name="KalturaFilter"/>
        <class name="KalturaPager"/>
      </classes>
      <services>
        <service id="media" name="media">
          <action name="get">
            <param name="entryId" type="int"/>
            <param name="version" type="int" optional="1" default="0"/>
            <param name="ks" type="string"/>
            <param name="hint" type="string" optional="1"/>
            <result type="KalturaEntry"/>
          </action>
          <action name="LIST" deprecated="1" enableInMultiRequest="0">
            <param name="filter" type="KalturaFilter" optional="1" default="null"/>
            <param name="pager" type="KalturaPager" optional="0"/>
            <result type="array" arrayType="KalturaEntry"/>
          </action>
          <action name="serve"><result type="file"/></action>
          <action name="clone"><result type="KalturaEntry"/></action>
        </service>
        <service id="data" name="data" deprecated="1"><action name="add"><result/></action></service>
        <service id="metadata_metadata" name="metadata" plugin="metadata">
          <action name="get"><result/></action>
        </service>
      </services>"#;

    #[test]
    fn services_actions_and_parameters() {
        let d = both(SERVICES_OLD, SERVICES_NEW);

        let c = one(&d, Section::Services, "mixing");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, true));
        let c = one(&d, Section::Services, "metadata_metadata");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Added, false));
        assert_eq!(c.note.as_deref(), Some("plugin metadata, 1 action"));
        let c = one(&d, Section::Services, "data");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Deprecated, false));
        // Members of an added or removed service are not listed one by one.
        assert_eq!(d.item(Section::Actions, "mixing.add").count(), 0);
        assert_eq!(d.item(Section::Actions, "metadata_metadata.get").count(), 0);

        let c = one(&d, Section::Actions, "media.old");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, true));
        let c = one(&d, Section::Actions, "media.clone");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Added, false));
        assert_eq!(c.note.as_deref(), Some("returns KalturaEntry"));
        assert_eq!(d.item(Section::Actions, "media.serve").count(), 0);

        // Matched ignoring case, named as in the new schema.
        let list: Vec<&Change> = d.item(Section::Actions, "media.LIST").collect();
        assert_eq!(list.len(), 3, "{list:#?}");
        assert_eq!(list[0].kind, ChangeKind::Changed);
        assert_eq!(
            field(list[0]),
            (Field::Result, "KalturaEntry", "array<KalturaEntry>")
        );
        assert!(list[0].breaking);
        assert_eq!(field(list[1]), (Field::MultiRequest, "yes", "no"));
        assert!(list[1].breaking);
        assert_eq!(list[2].kind, ChangeKind::Deprecated);
        assert!(!list[2].breaking);

        let c = one(&d, Section::Parameters, "media.get(entryId)");
        assert_eq!(field(c), (Field::Type, "string", "int"));
        assert!(c.breaking);
        let c = one(&d, Section::Parameters, "media.get(version)");
        assert_eq!(field(c), (Field::Default, "-1", "0"));
        assert!(!c.breaking);
        let c = one(&d, Section::Parameters, "media.get(gone)");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, true));
        let c = one(&d, Section::Parameters, "media.get(ks)");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Added, true));
        assert_eq!(c.note.as_deref(), Some("string, required"));
        let c = one(&d, Section::Parameters, "media.get(hint)");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Added, false));

        let pager: Vec<&Change> = d.item(Section::Parameters, "media.LIST(pager)").collect();
        assert_eq!(pager.len(), 2, "{pager:#?}");
        assert_eq!(field(pager[0]), (Field::Optional, "yes", "no"));
        assert!(pager[0].breaking);
        assert_eq!(field(pager[1]), (Field::Default, "null", "(none)"));
        assert!(!pager[1].breaking);
        assert_eq!(d.item(Section::Parameters, "media.LIST(filter)").count(), 0);

        let c = d.counts(Some(Section::Parameters));
        assert_eq!(
            (c.added, c.removed, c.changed, c.deprecated, c.breaking),
            (2, 1, 4, 0, 4)
        );
    }

    #[test]
    fn relaxations_are_not_breaking() {
        let old = r#"<classes><class name="KalturaEntry"/></classes><services>
            <service id="media" name="media"><action name="get" enableInMultiRequest="0">
              <param name="id" type="string"/><result/></action></service></services>"#;
        let new = r#"<classes><class name="KalturaEntry"/></classes><services>
            <service id="media" name="media"><action name="get">
              <param name="id" type="string" optional="1"/>
              <result type="KalturaEntry"/></action></service></services>"#;
        let d = both(old, new);
        assert_eq!(d.changes.len(), 3, "{d:#?}");
        assert_eq!(d.breaking().count(), 0, "{d:#?}");
        let c = one(&d, Section::Parameters, "media.get(id)");
        assert_eq!(field(c), (Field::Optional, "no", "yes"));
    }

    const CLASSES_OLD: &str = r#"
      <enums>
        <enum name="KalturaStatus" enumType="int">
          <const name="READY" value="2"/><const name="DELETED" value="3"/>
          <const name="GONE" value="9"/>
        </enum>
        <enum name="KalturaOrder" enumType="string"><const name="A" value="+a"/></enum>
        <enum name="KalturaOld" enumType="int"><const name="X" value="1"/></enum>
      </enums>
      <classes>
        <class name="KalturaBase"><property name="id" type="string"/></class>
        <class name="KalturaOther"/>
        <class name="KalturaEntry" base="KalturaBase">
          <property name="name" type="string"/>
          <property name="status" type="int" enumType="KalturaStatus"/>
          <property name="views" type="int"/>
          <property name="tags" type="string"/>
          <property name="partnerId" type="int" readOnly="1"/>
          <property name="secret" type="string"/>
          <property name="createdAt" type="int"/>
          <property name="dropped" type="string"/>
        </class>
        <class name="KalturaGone"/>
        <class name="KalturaPlain"/>
      </classes>"#;

    const CLASSES_NEW: &str = r#"
      <enums>
        <enum name="KalturaStatus" enumType="int" deprecated="1">
          <const name="READY" value="2"/><const name="DELETED" value="4"/>
          <const name="PENDING" value="5"/>
        </enum>
        <enum name="KalturaOrder" enumType="int"><const name="A" value="1"/></enum>
        <enum name="KalturaNew" enumType="string" plugin="p"><const name="Y" value="y"/></enum>
      </enums>
      <classes>
        <class name="KalturaBase">
          <property name="id" type="string"/><property name="createdAt" type="int"/>
        </class>
        <class name="KalturaOther"/>
        <class name="KalturaEntry" base="KalturaOther" deprecated="1">
          <property name="name" type="string" deprecated="1"/>
          <property name="status" type="int" enumType="KalturaStatus"/>
          <property name="views" type="bigint"/>
          <property name="tags" type="string" readOnly="1"/>
          <property name="partnerId" type="int" insertOnly="1"/>
          <property name="secret" type="string" writeOnly="1"/>
          <property name="id" type="string"/>
        </class>
        <class name="KalturaPlain" abstract="1"/>
        <class name="KalturaFresh" base="KalturaBase"><property name="a" type="int"/></class>
      </classes>"#;

    #[test]
    fn classes_properties_and_enums() {
        let d = both(CLASSES_OLD, CLASSES_NEW);

        let c = one(&d, Section::Classes, "KalturaGone");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, true));
        let c = one(&d, Section::Classes, "KalturaFresh");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Added, false));
        assert_eq!(c.note.as_deref(), Some("base KalturaBase, 1 property"));
        let c = one(&d, Section::Classes, "KalturaPlain");
        assert_eq!(field(c), (Field::Abstract, "no", "yes"));
        assert!(c.breaking);
        let entry: Vec<&Change> = d.item(Section::Classes, "KalturaEntry").collect();
        assert_eq!(entry.len(), 2, "{entry:#?}");
        assert_eq!(
            field(entry[0]),
            (Field::Base, "KalturaBase", "KalturaOther")
        );
        assert!(entry[0].breaking);
        assert_eq!(entry[1].kind, ChangeKind::Deprecated);

        let c = one(&d, Section::Properties, "KalturaEntry.name");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Deprecated, false));
        let c = one(&d, Section::Properties, "KalturaEntry.views");
        assert_eq!(field(c), (Field::Type, "int", "bigint"));
        assert!(c.breaking);
        let c = one(&d, Section::Properties, "KalturaEntry.tags");
        assert_eq!(field(c), (Field::ReadOnly, "no", "yes"));
        assert!(c.breaking);
        // readOnly -> insertOnly loosens: neither entry is breaking.
        let p: Vec<&Change> = d
            .item(Section::Properties, "KalturaEntry.partnerId")
            .collect();
        assert_eq!(p.len(), 2, "{p:#?}");
        assert_eq!(field(p[0]), (Field::ReadOnly, "yes", "no"));
        assert_eq!(field(p[1]), (Field::InsertOnly, "no", "yes"));
        assert!(!p[0].breaking && !p[1].breaking);
        let c = one(&d, Section::Properties, "KalturaEntry.secret");
        assert_eq!(field(c), (Field::WriteOnly, "no", "yes"));
        assert!(c.breaking);
        let c = one(&d, Section::Properties, "KalturaEntry.dropped");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, true));
        // Same-named enum type in both models is no change, though the ids may differ.
        assert_eq!(
            d.item(Section::Properties, "KalturaEntry.status").count(),
            0
        );
        // Base changed from KalturaBase: `id` is now declared here, `createdAt` is gone.
        let c = one(&d, Section::Properties, "KalturaEntry.id");
        assert_eq!(c.kind, ChangeKind::Added);
        assert_eq!(
            c.note.as_deref(),
            Some("string; was inherited from KalturaBase")
        );
        let c = one(&d, Section::Properties, "KalturaEntry.createdAt");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, true));
        let c = one(&d, Section::Properties, "KalturaBase.createdAt");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Added, false));

        let c = one(&d, Section::Enums, "KalturaOld");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, true));
        let c = one(&d, Section::Enums, "KalturaNew");
        assert_eq!(c.note.as_deref(), Some("string, 1 value, plugin p"));
        let c = one(&d, Section::Enums, "KalturaStatus");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Deprecated, false));
        let c = one(&d, Section::Enums, "KalturaOrder");
        assert_eq!(field(c), (Field::Kind, "string", "int"));
        assert!(c.breaking);

        let c = one(&d, Section::EnumValues, "KalturaStatus.DELETED");
        assert_eq!(field(c), (Field::Value, "3", "4"));
        assert!(c.breaking);
        let c = one(&d, Section::EnumValues, "KalturaStatus.GONE");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, true));
        let c = one(&d, Section::EnumValues, "KalturaStatus.PENDING");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Added, false));
        assert_eq!(c.note.as_deref(), Some("value 5"));
        assert_eq!(
            d.item(Section::EnumValues, "KalturaStatus.READY").count(),
            0
        );
    }

    #[test]
    fn property_moved_to_base_is_not_breaking() {
        let old = r#"<classes><class name="KalturaBase"/>
            <class name="KalturaEntry" base="KalturaBase"><property name="id" type="string"/></class>
            </classes>"#;
        let new = r#"<classes><class name="KalturaBase"><property name="id" type="string"/></class>
            <class name="KalturaEntry" base="KalturaBase"/></classes>"#;
        let d = both(old, new);
        let c = one(&d, Section::Properties, "KalturaEntry.id");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, false));
        assert_eq!(c.note.as_deref(), Some("now inherited from KalturaBase"));
        assert_eq!(
            one(&d, Section::Properties, "KalturaBase.id").kind,
            ChangeKind::Added
        );
        assert_eq!(d.breaking().count(), 0);
    }

    #[test]
    fn inserted_or_first_base_is_not_breaking() {
        let old = r#"<classes><class name="KalturaBase"/><class name="KalturaRoot"/>
            <class name="KalturaEntry" base="KalturaBase"/></classes>"#;
        let new = r#"<classes><class name="KalturaBase"/>
            <class name="KalturaMid" base="KalturaBase"/>
            <class name="KalturaEntry" base="KalturaMid"/>
            <class name="KalturaRoot" base="KalturaBase"/></classes>"#;
        let d = both(old, new);
        let c = one(&d, Section::Classes, "KalturaEntry");
        assert_eq!(field(c), (Field::Base, "KalturaBase", "KalturaMid"));
        assert!(!c.breaking);
        let c = one(&d, Section::Classes, "KalturaRoot");
        assert_eq!(field(c), (Field::Base, "(none)", "KalturaBase"));
        assert!(!c.breaking);
        // The reverse loses an ancestor.
        let d = both(new, old);
        assert!(one(&d, Section::Classes, "KalturaEntry").breaking);
        assert!(one(&d, Section::Classes, "KalturaRoot").breaking);
    }

    #[test]
    fn plugins_and_errors() {
        let old = r#"<plugins><plugin name="audit"><pluginService name="auditTrail"/></plugin>
              <plugin name="fileSync"/></plugins>
            <errors><error name="OLD_ERROR" code="OLD_ERROR" message="old"/>
              <error name="KEPT" code="KEPT" message="kept"/></errors>"#;
        let new = r#"<plugins><plugin name="audit"/><plugin name="reach"/></plugins>
            <errors><error name="KEPT" code="KEPT" message="kept, reworded"/>
              <error name="NEW_ERROR" code="NEW_ERROR" message="x
                &lt;@ID@&gt;"/></errors>"#;
        let d = both(old, new);
        assert_eq!(d.changes.len(), 4, "{d:#?}");
        let c = one(&d, Section::Plugins, "fileSync");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, true));
        let c = one(&d, Section::Plugins, "reach");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Added, false));
        let c = one(&d, Section::Errors, "OLD_ERROR");
        assert_eq!((c.kind, c.breaking), (ChangeKind::Removed, false));
        let c = one(&d, Section::Errors, "NEW_ERROR");
        assert_eq!(c.kind, ChangeKind::Added);
        assert_eq!(c.note.as_deref(), Some("x <@ID@>"));
    }

    #[test]
    fn identical_models_have_no_diff() {
        let d = both(SERVICES_OLD, SERVICES_OLD);
        assert!(d.is_empty(), "{d:#?}");
        assert_eq!(d.counts(None), Counts::default());
        assert!(render_text(&d).contains("no differences"));
        assert!(render_markdown(&d).contains("No differences."));
    }

    #[test]
    fn entries_are_sorted_and_deterministic() {
        let a = both(SERVICES_OLD, SERVICES_NEW);
        let b = both(SERVICES_OLD, SERVICES_NEW);
        assert_eq!(a, b);
        assert_eq!(render_text(&a), render_text(&b));
        let keys: Vec<(Section, &str)> = a
            .changes
            .iter()
            .map(|c| (c.section, c.item.as_str()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn text_rendering() {
        let d = both(SERVICES_OLD, SERVICES_NEW);
        let text = render_text(&d);
        assert!(text.starts_with("API schema diff: 1.0 -> 1.0: "), "{text}");
        assert!(
            text.contains("\n  parameters        2        1        4           0         4\n"),
            "{text}"
        );
        assert!(
            text.contains("\nServices (1 added, 1 removed, 1 deprecated; 1 breaking)\n"),
            "{text}"
        );
        assert!(text.contains("\n! removed    mixing"), "{text}");
        assert!(
            text.contains("\n! changed    media.LIST(pager)   optional: yes -> no\n"),
            "{text}"
        );
        assert!(
            text.contains("\n  added      media.get(hint)     string, optional\n"),
            "{text}"
        );
        assert!(
            !text.contains("Classes ("),
            "empty sections are left out: {text}"
        );
    }

    #[test]
    fn markdown_rendering() {
        let d = both(SERVICES_OLD, SERVICES_NEW);
        let md = render_markdown(&d);
        let breaking = md.find("### Breaking changes (").expect("breaking section");
        let services = md.find("### Services (").expect("services section");
        assert!(breaking < services, "{md}");
        assert!(md.contains("| Parameters | 2 | 1 | 4 | 0 | 4 |"), "{md}");
        assert!(
            md.contains("- **removed** service `mixing` — 1 action\n"),
            "{md}"
        );
        assert!(
            md.contains("- **changed** parameter `media.LIST(pager)`: optional `yes` → `no`\n"),
            "{md}"
        );
        assert!(
            md.contains("- removed `mixing` — 1 action **(breaking)**\n"),
            "{md}"
        );
        assert!(!md.contains("### Classes"), "{md}");
        assert!(
            !md.contains("<details>"),
            "short lists are not folded: {md}"
        );
    }

    #[test]
    fn markdown_escapes_notes_and_folds_long_lists() {
        let consts: String = (0..30)
            .map(|i| format!("<const name=\"V{i}\" value=\"{i}\"/>"))
            .collect();
        let old = r#"<enums><enum name="KalturaE" enumType="int"/></enums>"#;
        let new = format!(
            r#"<enums><enum name="KalturaE" enumType="int">{consts}</enum></enums>
            <errors><error name="E" code="E" message="a *b* | &lt;c&gt;"/></errors>"#
        );
        let d = both(old, &new);
        let md = render_markdown(&d);
        assert!(
            md.contains("<details><summary>30 entries</summary>\n\n- added `KalturaE.V0`"),
            "{md}"
        );
        assert!(md.contains("— a \\*b\\* \\| \\<c\\>"), "{md}");
    }
}
