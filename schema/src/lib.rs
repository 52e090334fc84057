//! Reads a Kaltura `KalturaClient.xml` (the API description a server publishes at
//! `/api_v3/api_schema.php`) into a checked [`Model`]: every type reference resolved to
//! an id, inheritance known both ways, and every problem reported as a [`SchemaError`]
//! naming the line, column and element path.
//!
//! The crate is pure: it takes text and returns values. Reading files and URLs is the
//! caller's job (see `xtask`).

mod diff;
mod dom;
mod error;
mod model;
mod parse;
mod profile;
mod resolve;

pub use diff::{
    diff, render_markdown, render_text, Change, ChangeKind, Counts, Field, FieldChange, SchemaDiff,
    Section,
};
pub use error::{ErrorKind, SchemaError};
pub use model::*;
pub use profile::{Profile, ProfileError, Rule, RuleKind, Selection};

/// Parses and checks a schema. `source` names the input (a path or URL) in errors.
pub fn parse(text: &str, source: &str) -> Result<Model, SchemaError> {
    let root = dom::read(text, source)?;
    let raw = parse::model(&root, source)?;
    resolve::resolve(raw, source)
}
