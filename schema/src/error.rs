use crate::warning::{SchemaWarning, WarningKind};
use std::fmt;

/// A problem in a schema file, located by line, column and element path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// The file or URL the schema came from.
    pub source: String,
    /// 1-based line of the element the problem is in.
    pub line: usize,
    /// 1-based column of the element's `<`.
    pub column: usize,
    /// Where the element sits, e.g. `xml/classes/class[KalturaMediaEntry]/property[name]`;
    /// empty when the problem is in no element (an empty file).
    pub path: String,
    pub kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not well-formed XML.
    Xml(String),
    /// The root element is not `<xml>`.
    NotASchema(String),
    MissingAttribute(&'static str),
    BadAttribute {
        attribute: &'static str,
        value: String,
        expected: &'static str,
    },
    /// A `type`, `arrayType`, `enumType` or `base` names nothing in the schema.
    UnknownType {
        attribute: &'static str,
        name: String,
    },
    /// The name was already used by another item of the same kind.
    Duplicate {
        what: &'static str,
        name: String,
        first_line: usize,
    },
    /// Classes whose `base` chain loops back on itself.
    InheritanceCycle(Vec<String>),
    /// Elements nested deeper than the limit (`Options::max_depth`); a schema is five
    /// levels deep.
    TooDeep(usize),
    /// A warning, refused because strict mode is on (`Options::strict`).
    Strict(WarningKind),
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.source, self.line, self.column)?;
        if !self.path.is_empty() {
            write!(f, "in {}: ", self.path)?;
        }
        match &self.kind {
            ErrorKind::Xml(m) => write!(f, "malformed XML: {m}"),
            ErrorKind::NotASchema(root) => write!(
                f,
                "not a Kaltura schema: the root element is <{root}>, expected <xml> \
                 (is this an HTML page instead of /api_v3/api_schema.php?)"
            ),
            ErrorKind::MissingAttribute(a) => write!(f, "missing required attribute `{a}`"),
            ErrorKind::BadAttribute {
                attribute,
                value,
                expected,
            } => write!(
                f,
                "attribute `{attribute}` is {value:?}, expected {expected}"
            ),
            ErrorKind::UnknownType { attribute, name } => write!(
                f,
                "`{attribute}` refers to `{name}`, which is not declared in the schema"
            ),
            ErrorKind::Duplicate {
                what,
                name,
                first_line,
            } => write!(
                f,
                "duplicate {what} `{name}` (first declared on line {first_line})"
            ),
            ErrorKind::InheritanceCycle(chain) => {
                write!(f, "inheritance cycle: {}", chain.join(" -> "))
            }
            ErrorKind::TooDeep(limit) => write!(
                f,
                "elements nested more than {limit} levels deep (a Kaltura schema has 5): \
                 not a schema"
            ),
            ErrorKind::Strict(warning) => {
                write!(f, "{} (refused in strict mode)", warning.problem())
            }
        }
    }
}

impl std::error::Error for SchemaError {}

impl From<SchemaWarning> for SchemaError {
    /// The warning as an error, for strict mode.
    fn from(w: SchemaWarning) -> Self {
        SchemaError {
            source: w.source,
            line: w.line,
            column: w.column,
            path: w.path,
            kind: ErrorKind::Strict(w.kind),
        }
    }
}
