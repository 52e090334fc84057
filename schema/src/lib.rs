//! Reads a Kaltura `KalturaClient.xml` (the API description a server publishes at
//! `/api_v3/api_schema.php`) into a checked [`Model`]: every type reference resolved to
//! an id, inheritance known both ways, and every problem reported as a [`SchemaError`]
//! naming the line, column and element path.
//!
//! Problems that cannot change the generated code (a nameless `throws`, an unknown
//! element or attribute, a duplicate error code, ...) are tolerated: they come back as
//! [`SchemaWarning`]s from [`parse_with_warnings`], located the same way, and
//! [`Options::strict`] turns them into errors. Reading costs time and memory linear in
//! the size of the text, whatever its shape (see [`Options::max_depth`]).
//!
//! The crate is pure: it takes text and returns values. Reading files and URLs is the
//! caller's job (see `xtask`).

mod diff;
mod dom;
mod error;
mod grammar;
mod model;
mod parse;
mod profile;
mod resolve;
mod warning;

pub use diff::{
    diff, render_markdown, render_text, Change, ChangeKind, Counts, Field, FieldChange, SchemaDiff,
    Section,
};
pub use error::{ErrorKind, SchemaError};
pub use model::*;
pub use profile::{Profile, ProfileError, Rule, RuleKind, Selection};
pub use warning::{SchemaWarning, WarningGroup, WarningKind, Warnings, KEPT_PER_GROUP};

/// How deep elements may nest by default. A schema is five levels deep
/// (`xml/services/service/action/param`); the margin is for harmless extra wrapping.
pub const DEFAULT_MAX_DEPTH: usize = 64;

/// How to read a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Refuse the schema at its first warning (in file order), as an error of kind
    /// [`ErrorKind::Strict`].
    pub strict: bool,
    /// Elements nested deeper than this are an error ([`ErrorKind::TooDeep`]), before
    /// anything else is read of them.
    pub max_depth: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            strict: false,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

impl Options {
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    pub fn max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }
}

/// A checked model and what was tolerated on the way.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub model: Model,
    pub warnings: Warnings,
}

/// Parses and checks a schema with the default [`Options`], dropping the warnings.
/// `source` names the input (a path or URL) in errors.
pub fn parse(text: &str, source: &str) -> Result<Model, SchemaError> {
    parse_with_warnings(text, source, &Options::default()).map(|p| p.model)
}

/// Parses and checks a schema, returning the warnings too (in file order; see
/// [`Warnings::groups`] for a summary). With [`Options::strict`], the first warning is
/// the error.
pub fn parse_with_warnings(
    text: &str,
    source: &str,
    options: &Options,
) -> Result<Parsed, SchemaError> {
    let mut warnings = Warnings::default();
    let doc = dom::read(text, source, options.max_depth, &mut warnings)?;
    let (model, mut warnings) = parse::model(&doc, source, warnings)?;
    drop(doc);
    let model = resolve::resolve(model, source)?;
    warnings.sort();
    if options.strict {
        if let Some(first) = warnings.iter().next() {
            return Err(first.clone().into());
        }
    }
    Ok(Parsed { model, warnings })
}
