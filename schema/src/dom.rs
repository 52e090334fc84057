//! A small element tree with source positions. The schema is a few MB at most, so a
//! tree makes the reading code plain and keeps every element's line for errors.

use crate::error::{ErrorKind, SchemaError};
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

#[derive(Debug)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub line: usize,
    pub column: usize,
    /// `parent/child[key]` path, for errors.
    pub path: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn error(&self, source: &str, kind: ErrorKind) -> SchemaError {
        SchemaError {
            source: source.to_string(),
            line: self.line,
            column: self.column,
            path: self.path.clone(),
            kind,
        }
    }
}

/// Line starts of a text, to turn byte offsets into 1-based line and column; columns
/// count characters, as editors do.
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    fn locate(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = match self.text.get(start..offset) {
            Some(before) => before.chars().count(),
            None => offset - start,
        };
        (line, column + 1)
    }
}

pub(crate) fn read(text: &str, source: &str) -> Result<Element, SchemaError> {
    let lines = Lines::new(text);
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let xml_error = |offset: usize, path: String, msg: String| {
        let (line, column) = lines.locate(offset);
        SchemaError {
            source: source.to_string(),
            line,
            column,
            path,
            kind: ErrorKind::Xml(msg),
        }
    };
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let path = stack.last().map(|e| e.path.clone()).unwrap_or_default();
            xml_error(reader.error_position() as usize, path, e.to_string())
        })?;
        // `before` may sit on whitespace preceding the tag; point at the `<` itself.
        let tag_at = text
            .get(before..)
            .and_then(|rest| rest.find('<'))
            .map_or(before, |i| before + i);
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                let (line, column) = lines.locate(tag_at);
                return Err(SchemaError {
                    source: source.to_string(),
                    line,
                    column,
                    path: String::new(),
                    kind: ErrorKind::Xml(format!(
                        "content after the root element: <{}>",
                        String::from_utf8_lossy(start.name().as_ref())
                    )),
                });
            }
            // An HTML error or login page instead of the schema: say so at its root,
            // before its HTML-isms (unquoted attributes, unclosed tags) are read as
            // XML errors.
            Event::Start(start) | Event::Empty(start)
                if stack.is_empty() && start.name().as_ref() != b"xml" =>
            {
                let (line, column) = lines.locate(tag_at);
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                return Err(SchemaError {
                    source: source.to_string(),
                    line,
                    column,
                    path: name.clone(),
                    kind: ErrorKind::NotASchema(name),
                });
            }
            Event::Start(start) => {
                let el = element(&start, &stack, &lines, tag_at, source)?;
                stack.push(el);
            }
            Event::Empty(start) => {
                let el = element(&start, &stack, &lines, tag_at, source)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else {
                    return Err(xml_error(
                        tag_at,
                        String::new(),
                        "closing tag without an opening one".into(),
                    ));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(open.error(
            source,
            ErrorKind::Xml(format!(
                "the file ends before <{}> is closed (truncated download?)",
                open.name
            )),
        ));
    }
    let root = root.ok_or_else(|| xml_error(0, String::new(), "the file is empty".into()))?;
    if root.name != "xml" {
        return Err(root.error(source, ErrorKind::NotASchema(root.name.clone())));
    }
    Ok(root)
}

fn element(
    start: &BytesStart<'_>,
    stack: &[Element],
    lines: &Lines<'_>,
    offset: usize,
    source: &str,
) -> Result<Element, SchemaError> {
    let (line, column) = lines.locate(offset);
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let unkeyed = match stack.last() {
        Some(parent) => format!("{}/{}", parent.path, name),
        None => name.clone(),
    };
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| {
            // Positions count from the byte after the tag's `<`.
            let (at, message) = attr_error(&e);
            let (line, column) = lines.locate(offset + 1 + at);
            SchemaError {
                source: source.to_string(),
                line,
                column,
                path: unkeyed.clone(),
                kind: ErrorKind::Xml(message),
            }
        })?;
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = attr
            .unescape_value()
            .map_err(|e| SchemaError {
                source: source.to_string(),
                line,
                column,
                path: unkeyed.clone(),
                kind: ErrorKind::Xml(format!("attribute `{key}`: {e}")),
            })?
            .into_owned();
        attrs.push((key, value));
    }
    // Elements are told apart by `name` (or, lacking one, `id`), whatever the order of
    // their attributes.
    let key = ["name", "id"]
        .iter()
        .find_map(|k| attrs.iter().find(|(a, _)| a == k))
        .map(|(_, v)| format!("[{v}]"))
        .unwrap_or_default();
    let path = format!("{unkeyed}{key}");
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        line,
        column,
        path,
    })
}

/// Where in the tag an attribute error is, and what it is, in words.
fn attr_error(e: &AttrError) -> (usize, String) {
    match e {
        AttrError::ExpectedEq(at) => (
            *at,
            "expected `=` after the attribute name (a stray quote inside a value?)".into(),
        ),
        AttrError::ExpectedValue(at) => (*at, "expected a quoted value after `=`".into()),
        AttrError::UnquotedValue(at) => (*at, "attribute value without quotes".into()),
        AttrError::ExpectedQuote(at, quote) => (
            *at,
            format!("attribute value not closed by {}", char::from(*quote)),
        ),
        AttrError::Duplicated(at, _) => (*at, "attribute given twice".into()),
    }
}
