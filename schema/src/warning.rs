//! What a schema gets wrong without changing the generated code: reported, located like
//! errors, and grouped for the terminal. See `docs/decisions.md` (R12) for the rule that
//! sorts a problem into an error or a warning.

use std::fmt;

/// A tolerated problem in a schema file, located like a [`crate::SchemaError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaWarning {
    /// The file or URL the schema came from.
    pub source: String,
    /// 1-based line of the element (or text) the warning is about.
    pub line: usize,
    /// 1-based column, in characters, of its `<` (or of the text's first character).
    pub column: usize,
    /// Where the element sits, as in errors; empty outside every element.
    pub path: String,
    pub kind: WarningKind,
}

/// What was tolerated. Each kind has a short [`label`](WarningKind::label) that names its
/// group on the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WarningKind {
    /// An element this reader does not know in that place; it is skipped with
    /// everything inside it.
    UnknownElement(String),
    /// An attribute neither read nor known from the vendor's schemas; it is kept in the
    /// item's `extra` where the item has one.
    UnknownAttribute(String),
    /// Text or CDATA that is not blank, between tags or outside the root element: a
    /// schema says everything in attributes.
    Text,
    /// An element dropped because the attribute that names it is missing or blank:
    /// `throws`, an `error` or its `parameter`, `plugin`, `pluginService`,
    /// `dependency`.
    Unnamed {
        element: &'static str,
        attribute: &'static str,
    },
    /// A `throws` naming no error of the `<errors>` section (kept).
    UndeclaredError(String),
    /// The same error named twice in one action's `throws` (kept once).
    RepeatedThrows(String),
    /// An `error` without `code`; its name is used as the code.
    ErrorWithoutCode(String),
    /// A second error with the same `name` or `code` (`what`); both are kept.
    DuplicateError {
        what: &'static str,
        value: String,
        first_line: usize,
    },
    /// An element (`class`, `property`, `service`, `action`, `param`) without a
    /// `description` attribute, in a file that gives one to other elements of its kind.
    /// (Files that never give one, as old servers' did, are not warned about.)
    MissingDescription(&'static str),
    /// A property, parameter or result typed by an enum that has no constants: every
    /// value will be read as an unknown one.
    EmptyEnum(String),
}

impl WarningKind {
    /// The name of this kind's group, e.g. `throws without a name`.
    pub fn label(&self) -> &'static str {
        match self {
            WarningKind::UnknownElement(_) => "unknown element",
            WarningKind::UnknownAttribute(_) => "unknown attribute",
            WarningKind::Text => "text between tags",
            WarningKind::Unnamed { element, .. } => match *element {
                "throws" => "throws without a name",
                "error" => "error without a name",
                "parameter" => "error parameter without a name",
                "plugin" => "plugin without a name",
                "pluginService" => "plugin service without a name",
                "dependency" => "dependency without a plugin name",
                _ => "element without a name",
            },
            WarningKind::UndeclaredError(_) => "throws of an undeclared error",
            WarningKind::RepeatedThrows(_) => "throws listed twice",
            WarningKind::ErrorWithoutCode(_) => "error without a code",
            WarningKind::DuplicateError { what: "code", .. } => "duplicate error code",
            WarningKind::DuplicateError { .. } => "duplicate error name",
            WarningKind::MissingDescription(element) => match *element {
                "class" => "class without a description",
                "property" => "property without a description",
                "service" => "service without a description",
                "action" => "action without a description",
                "param" => "parameter without a description",
                _ => "element without a description",
            },
            WarningKind::EmptyEnum(_) => "use of an enum without constants",
        }
    }
}

impl WarningKind {
    /// What is wrong, without what the reader does about it.
    pub fn problem(&self) -> String {
        match self {
            WarningKind::UnknownElement(name) => format!("unknown element <{name}>"),
            WarningKind::UnknownAttribute(name) => format!("unknown attribute `{name}`"),
            WarningKind::Text => "text between tags".into(),
            WarningKind::Unnamed { element, attribute } => {
                format!("<{element}> without `{attribute}`")
            }
            WarningKind::UndeclaredError(name) => {
                format!("`throws` names `{name}`, which the <errors> section does not declare")
            }
            WarningKind::RepeatedThrows(name) => {
                format!("`{name}` is thrown twice by this action")
            }
            WarningKind::ErrorWithoutCode(name) => format!("error `{name}` without `code`"),
            WarningKind::DuplicateError {
                what,
                value,
                first_line,
            } => format!("duplicate error {what} `{value}` (first declared on line {first_line})"),
            WarningKind::MissingDescription(element) => {
                format!("no `description`, which other <{element}> elements of this file have")
            }
            WarningKind::EmptyEnum(name) => {
                format!("typed by `{name}`, an enum without constants")
            }
        }
    }

    /// What the reader does about it, when there is something to say.
    fn outcome(&self) -> Option<&'static str> {
        match self {
            WarningKind::UnknownElement(_) => Some("ignored with all it contains"),
            WarningKind::UnknownAttribute(_) => Some("kept, not used"),
            WarningKind::Text => Some("ignored (a schema says everything in attributes)"),
            WarningKind::Unnamed { .. } => Some("ignored"),
            WarningKind::RepeatedThrows(_) => Some("kept once"),
            WarningKind::ErrorWithoutCode(_) => Some("its name is used as the code"),
            WarningKind::DuplicateError { .. } => Some("both kept"),
            WarningKind::EmptyEnum(_) => Some("every value will be read as an unknown one"),
            WarningKind::UndeclaredError(_) | WarningKind::MissingDescription(_) => None,
        }
    }
}

impl fmt::Display for WarningKind {
    /// The problem, then what the reader does about it: `<throws> without `name`; ignored`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problem())?;
        match self.outcome() {
            Some(outcome) => write!(f, "; {outcome}"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for SchemaWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.source, self.line, self.column)?;
        if !self.path.is_empty() {
            write!(f, "in {}: ", self.path)?;
        }
        write!(f, "{}", self.kind)
    }
}

/// How many warnings of one group are kept with their position; the rest are only
/// counted, so that a hostile file cannot make the list outgrow the file.
pub const KEPT_PER_GROUP: usize = 1000;

/// The warnings of one parse: every one counted, the first [`KEPT_PER_GROUP`] of each
/// group kept, in file order.
#[derive(Debug, Clone, Default)]
pub struct Warnings {
    kept: Vec<SchemaWarning>,
    /// Per label, in the order groups were first met: how many there were.
    counts: Vec<(&'static str, usize)>,
    total: usize,
}

/// One group of warnings, for a one-line summary.
#[derive(Debug, Clone, Copy)]
pub struct WarningGroup<'a> {
    pub label: &'static str,
    /// Every warning of the group, kept or only counted.
    pub count: usize,
    /// The first kept one in file order: the first in the file, unless the group had
    /// more than [`KEPT_PER_GROUP`].
    pub first: &'a SchemaWarning,
}

impl fmt::Display for WarningGroup<'_> {
    /// `168 warnings: throws without a name (first at api.xml:3604:9 in xml/…/throws)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self.first;
        if self.count == 1 {
            write!(f, "1 warning: {} (at ", self.label)?;
        } else {
            write!(f, "{} warnings: {} (first at ", self.count, self.label)?;
        }
        write!(f, "{}:{}:{}", w.source, w.line, w.column)?;
        if !w.path.is_empty() {
            write!(f, " in {}", w.path)?;
        }
        write!(f, ")")
    }
}

impl Warnings {
    /// Counts a warning; builds and keeps it only while its group has room, so that
    /// positions and paths are worked out for kept warnings alone.
    pub(crate) fn add(
        &mut self,
        kind: WarningKind,
        make: impl FnOnce(WarningKind) -> SchemaWarning,
    ) {
        self.total += 1;
        let label = kind.label();
        let count = match self.counts.iter_mut().find(|(l, _)| *l == label) {
            Some((_, n)) => n,
            None => {
                self.counts.push((label, 0));
                &mut self.counts.last_mut().expect("just pushed").1
            }
        };
        *count += 1;
        if *count <= KEPT_PER_GROUP {
            self.kept.push(make(kind));
        }
    }

    /// Puts the kept warnings in file order (they are found section by section).
    pub(crate) fn sort(&mut self) {
        self.kept.sort_by_key(|w| (w.line, w.column));
    }

    /// Every warning, kept or only counted.
    pub fn len(&self) -> usize {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The kept warnings, in file order.
    pub fn iter(&self) -> std::slice::Iter<'_, SchemaWarning> {
        self.kept.iter()
    }

    /// The kept warnings, in file order.
    pub fn as_slice(&self) -> &[SchemaWarning] {
        &self.kept
    }

    /// Warnings counted beyond [`KEPT_PER_GROUP`] per group, and so not in
    /// [`iter`](Warnings::iter).
    pub fn omitted(&self) -> usize {
        self.total - self.kept.len()
    }

    /// One entry per kind of warning, in the order of their first occurrence in the
    /// file.
    pub fn groups(&self) -> Vec<WarningGroup<'_>> {
        let mut groups: Vec<WarningGroup<'_>> = self
            .counts
            .iter()
            .filter_map(|&(label, count)| {
                let first = self.kept.iter().find(|w| w.kind.label() == label)?;
                Some(WarningGroup {
                    label,
                    count,
                    first,
                })
            })
            .collect();
        groups.sort_by_key(|g| (g.first.line, g.first.column));
        groups
    }
}

impl<'a> IntoIterator for &'a Warnings {
    type Item = &'a SchemaWarning;
    type IntoIter = std::slice::Iter<'a, SchemaWarning>;

    fn into_iter(self) -> Self::IntoIter {
        self.kept.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(line: usize, kind: WarningKind) -> SchemaWarning {
        SchemaWarning {
            source: "a.xml".into(),
            line,
            column: 3,
            path: "xml/x".into(),
            kind,
        }
    }

    #[test]
    fn groups_count_everything_and_keep_a_bounded_number() {
        let mut w = Warnings::default();
        let text = WarningKind::Text;
        for line in (1..=KEPT_PER_GROUP + 5).rev() {
            w.add(text.clone(), |k| warning(line + 10, k));
        }
        w.add(WarningKind::UnknownAttribute("x".into()), |k| warning(2, k));
        w.sort();
        assert_eq!(w.len(), KEPT_PER_GROUP + 6);
        assert_eq!(w.omitted(), 5);
        assert_eq!(w.iter().count(), KEPT_PER_GROUP + 1);
        let groups: Vec<String> = w.groups().iter().map(|g| g.to_string()).collect();
        assert_eq!(
            groups,
            [
                "1 warning: unknown attribute (at a.xml:2:3 in xml/x)".to_string(),
                format!(
                    "{} warnings: text between tags (first at a.xml:16:3 in xml/x)",
                    KEPT_PER_GROUP + 5
                ),
            ]
        );
    }
}
