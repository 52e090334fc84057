//! The two answer formats: JSON (`format=1`) and XML (`format=2`, the server's
//! default when no format is asked for).

pub mod json;
pub mod xml;

use crate::errors::ApiError;
use serde_json::Value;

/// The format a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// From the `format` parameter: `1` JSON, anything else XML, as on the server
    /// (which also knows PHP's serialization, `3`, that no current client asks for).
    pub fn from_param(v: Option<&Value>) -> Format {
        let text = match v {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        if text.trim() == "1" {
            Format::Json
        } else {
            Format::Xml
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Xml => "text/xml",
        }
    }
}

/// One call's outcome.
pub type Outcome = Result<Value, ApiError>;

/// The body of an answer to one call.
pub fn single(format: Format, outcome: &Outcome, seconds: f64) -> Vec<u8> {
    match format {
        Format::Json => json::single(outcome),
        Format::Xml => xml::single(outcome, seconds),
    }
}

/// The body of an answer to a multirequest.
pub fn multi(format: Format, outcomes: &[Outcome], seconds: f64) -> Vec<u8> {
    match format {
        Format::Json => json::multi(outcomes),
        Format::Xml => xml::multi(outcomes, seconds),
    }
}
