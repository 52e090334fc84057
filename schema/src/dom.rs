//! A small element tree with source positions. The schema is a few MB at most, so a
//! tree makes the reading code plain and keeps every element's line for errors.

use crate::error::{ErrorKind, SchemaError};
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

struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(starts)
    }

    fn locate(&self, offset: usize) -> (usize, usize) {
        let line = self.0.partition_point(|&s| s <= offset);
        let start = self.0[line.saturating_sub(1)];
        (line.max(1), offset - start + 1)
    }
}

pub(crate) fn read(text: &str, source: &str) -> Result<Element, SchemaError> {
    let lines = Lines::new(text);
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let xml_error = |offset: usize, path: String, msg: String| {
        let (line, column) = lines.locate(offset.min(text.len()));
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
        let tag_at = text[before..].find('<').map_or(before, |i| before + i);
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
    lines: &Lines,
    offset: usize,
    source: &str,
) -> Result<Element, SchemaError> {
    let (line, column) = lines.locate(offset);
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| SchemaError {
            source: source.to_string(),
            line,
            column,
            path: name.clone(),
            kind: ErrorKind::Xml(e.to_string()),
        })?;
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = attr
            .unescape_value()
            .map_err(|e| SchemaError {
                source: source.to_string(),
                line,
                column,
                path: name.clone(),
                kind: ErrorKind::Xml(format!("attribute `{key}`: {e}")),
            })?
            .into_owned();
        attrs.push((key, value));
    }
    let key = attrs
        .iter()
        .find(|(k, _)| k == "name" || k == "id")
        .map(|(_, v)| format!("[{v}]"))
        .unwrap_or_default();
    let path = match stack.last() {
        Some(parent) => format!("{}/{}{}", parent.path, name, key),
        None => format!("{name}{key}"),
    };
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        line,
        column,
        path,
    })
}
