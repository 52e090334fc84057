//! A compact element tree with source positions, built in one pass whose time and
//! memory are linear in the size of the file:
//!
//! - only elements the schema grammar knows are kept (see `grammar.rs`); an unknown
//!   element is skipped with everything inside it, after one warning;
//! - nodes live in one flat vector and borrow names and values from the text, so a
//!   node costs a few dozen bytes and dropping the tree never recurses;
//! - line and column are counted by a cursor that only moves forward, and an element's
//!   path (`xml/classes/class[KalturaMediaEntry]`) is built from its parents only when
//!   an error or warning names it;
//! - nesting deeper than [`crate::Options::max_depth`] stops the reading with an error.

use crate::error::{ErrorKind, SchemaError};
use crate::grammar::Kind;
use crate::warning::{SchemaWarning, WarningKind, Warnings};
use quick_xml::escape::unescape;
use quick_xml::events::attributes::{AttrError, Attributes};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::borrow::Cow;
use std::collections::HashSet;

const NONE: u32 = u32::MAX;

struct Node<'t> {
    name: &'t str,
    kind: Kind,
    parent: u32,
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    /// Range in [`Doc::attrs`].
    attrs: (u32, u32),
    line: u32,
    column: u32,
}

/// The kept elements of a schema; node 0 is the root `<xml>`.
pub(crate) struct Doc<'t> {
    nodes: Vec<Node<'t>>,
    attrs: Vec<(&'t str, Cow<'t, str>)>,
}

/// An element of a [`Doc`].
#[derive(Clone, Copy)]
pub(crate) struct Element<'d> {
    doc: &'d Doc<'d>,
    id: u32,
}

impl<'t> Doc<'t> {
    pub fn root(&self) -> Element<'_> {
        Element { doc: self, id: 0 }
    }

    pub fn element(&self, id: u32) -> Element<'_> {
        Element { doc: self, id }
    }

    fn node(&self, id: u32) -> &Node<'t> {
        &self.nodes[id as usize]
    }

    /// `name[key]`, the key being the `name` (or, lacking one, `id`) attribute.
    fn push_segment(&self, id: u32, out: &mut String) {
        let node = self.node(id);
        out.push_str(node.name);
        let attrs = &self.attrs[node.attrs.0 as usize..node.attrs.1 as usize];
        let key = ["name", "id"]
            .iter()
            .find_map(|k| attrs.iter().find(|(a, _)| a == k));
        if let Some((_, v)) = key {
            out.push('[');
            out.push_str(v);
            out.push(']');
        }
    }

    /// `xml/classes/class[KalturaA]/property[id]`.
    fn path(&self, id: u32) -> String {
        let mut chain = Vec::new();
        let mut cur = id;
        while cur != NONE {
            chain.push(cur);
            cur = self.node(cur).parent;
        }
        let mut out = String::new();
        for (i, &id) in chain.iter().rev().enumerate() {
            if i > 0 {
                out.push('/');
            }
            self.push_segment(id, &mut out);
        }
        out
    }
}

impl<'d> Element<'d> {
    fn node(&self) -> &'d Node<'d> {
        self.doc.node(self.id)
    }

    pub fn id(&self) -> u32 {
        self.id
    }

    pub fn name(&self) -> &'d str {
        self.node().name
    }

    pub fn line(&self) -> usize {
        self.node().line as usize
    }

    pub fn column(&self) -> usize {
        self.node().column as usize
    }

    pub fn attrs(&self) -> impl Iterator<Item = (&'d str, &'d str)> + 'd {
        let (from, to) = self.node().attrs;
        self.doc.attrs[from as usize..to as usize]
            .iter()
            .map(|(k, v)| (*k, v.as_ref()))
    }

    pub fn attr(&self, name: &str) -> Option<&'d str> {
        self.attrs().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    pub fn children(&self) -> impl Iterator<Item = Element<'d>> + 'd {
        let doc = self.doc;
        let mut next = self.node().first_child;
        std::iter::from_fn(move || {
            if next == NONE {
                return None;
            }
            let el = Element { doc, id: next };
            next = doc.node(next).next_sibling;
            Some(el)
        })
    }

    pub fn children_named(&self, name: &'d str) -> impl Iterator<Item = Element<'d>> + 'd {
        self.children().filter(move |c| c.name() == name)
    }

    pub fn child(&self, name: &str) -> Option<Element<'d>> {
        self.children().find(|c| c.name() == name)
    }

    /// Where the element sits, e.g. `xml/classes/class[KalturaA]`.
    pub fn path(&self) -> String {
        self.doc.path(self.id)
    }

    pub fn error(&self, source: &str, kind: ErrorKind) -> SchemaError {
        SchemaError {
            source: source.to_string(),
            line: self.line(),
            column: self.column(),
            path: self.path(),
            kind,
        }
    }

    pub fn warning(&self, source: &str, kind: WarningKind) -> SchemaWarning {
        SchemaWarning {
            source: source.to_string(),
            line: self.line(),
            column: self.column(),
            path: self.path(),
            kind,
        }
    }
}

/// 1-based line and column (in characters) of byte offsets. Asked in increasing order,
/// it moves forward from the last answer, so positions cost time linear in the file
/// however long its lines; earlier offsets (rare, for errors) are counted from the
/// start. A byte-order mark takes no column, as in editors.
struct Cursor<'t> {
    text: &'t str,
    bom: usize,
    offset: usize,
    line: usize,
    /// Characters between the line's start and `offset`.
    column: usize,
}

impl<'t> Cursor<'t> {
    fn new(text: &'t str) -> Self {
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Cursor {
            text,
            bom,
            offset: bom,
            line: 1,
            column: 0,
        }
    }

    /// The largest char boundary at or before `offset`, not before the byte-order mark.
    fn boundary(&self, offset: usize) -> usize {
        let mut at = offset.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at.max(self.bom)
    }

    fn advance(&mut self, offset: usize) -> (usize, usize) {
        let to = self.boundary(offset);
        if to < self.offset {
            return self.count(to);
        }
        let gap = &self.text[self.offset..to];
        match gap.rfind('\n') {
            Some(last) => {
                self.line += gap.bytes().filter(|&b| b == b'\n').count();
                self.column = gap[last + 1..].chars().count();
            }
            None => self.column += gap.chars().count(),
        }
        self.offset = to;
        (self.line, self.column + 1)
    }

    /// From the start, without moving the cursor.
    fn count(&self, offset: usize) -> (usize, usize) {
        let to = self.boundary(offset);
        let before = &self.text[self.bom..to];
        let line = 1 + before.bytes().filter(|&b| b == b'\n').count();
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[start..].chars().count() + 1)
    }
}

/// An unknown element being skipped: enough to name it in errors inside it.
struct Skipped<'t> {
    name: &'t str,
    key: Option<Cow<'t, str>>,
    offset: usize,
}

struct Builder<'t, 's> {
    text: &'t str,
    source: &'s str,
    doc: Doc<'t>,
    cursor: Cursor<'t>,
    /// Open kept elements.
    open: Vec<u32>,
    /// Open unknown elements, inside the last of `open`.
    skipped: Vec<Skipped<'t>>,
    root_done: bool,
    max_depth: usize,
    /// Where the last reported run of text ends: the reader hands text and the
    /// entities in it (`a &amp; b`) as separate events, reported once together.
    reported_text_end: usize,
}

/// Reads the text into a tree of the elements the grammar knows; warnings (unknown
/// elements and attributes, stray text) go to `warnings`.
pub(crate) fn read<'t>(
    text: &'t str,
    source: &str,
    max_depth: usize,
    warnings: &mut Warnings,
) -> Result<Doc<'t>, SchemaError> {
    let mut b = Builder {
        text,
        source,
        doc: Doc {
            nodes: Vec::new(),
            attrs: Vec::new(),
        },
        cursor: Cursor::new(text),
        open: Vec::new(),
        skipped: Vec::new(),
        root_done: false,
        max_depth: max_depth.max(1),
        reported_text_end: usize::MAX,
    };
    if u32::try_from(text.len()).is_err() {
        return Err(b.error_at(
            0,
            String::new(),
            ErrorKind::Xml("the file is larger than 4 GiB".into()),
        ));
    }
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = reader.error_position() as usize;
                return Err(b.error_at(at, b.open_path(), ErrorKind::Xml(e.to_string())));
            }
        };
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let empty = matches!(event, Event::Empty(_));
                let at = b.offset_of(start, before).saturating_sub(1);
                let len = start.len();
                let name_len = start.name().as_ref().len();
                b.start(at, len, name_len, empty, warnings)?;
            }
            Event::End(_) => {
                if b.skipped.pop().is_none() && b.open.pop().is_none() {
                    let at = tag_after(text, before);
                    return Err(b.error_at(
                        at,
                        String::new(),
                        ErrorKind::Xml("closing tag without an opening one".into()),
                    ));
                }
                if b.open.is_empty() && b.skipped.is_empty() {
                    b.root_done = true;
                }
            }
            Event::Text(t) => b.text(&t, before, &reader, warnings),
            Event::CData(t) => b.text(&t, before, &reader, warnings),
            Event::GeneralRef(r) => {
                // The reader gives the name between `&` and `;`: the warning points at `&`.
                let at = b.offset_of(&r, before).saturating_sub(1);
                let whole = text.get(at..at + r.len() + 2).unwrap_or(&r);
                b.text(whole, before, &reader, warnings)
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(s) = b.skipped.last() {
        let message = format!(
            "the file ends before <{}> is closed (truncated download?)",
            s.name
        );
        return Err(b.error_at(s.offset, b.open_path(), ErrorKind::Xml(message)));
    }
    if let Some(&open) = b.open.last() {
        let el = b.doc.element(open);
        return Err(el.error(
            source,
            ErrorKind::Xml(format!(
                "the file ends before <{}> is closed (truncated download?)",
                el.name()
            )),
        ));
    }
    if b.doc.nodes.is_empty() {
        return Err(b.error_at(0, String::new(), ErrorKind::Xml("the file is empty".into())));
    }
    Ok(b.doc)
}

/// The offset of the first `<` at or after `from`.
fn tag_after(text: &str, from: usize) -> usize {
    text.get(from..)
        .and_then(|rest| rest.find('<'))
        .map_or(from, |i| from + i)
}

impl<'t> Builder<'t, '_> {
    /// Where `part` (borrowed from the text by the reader) starts in the text.
    fn offset_of(&self, part: &str, before: usize) -> usize {
        let base = self.text.as_ptr() as usize;
        let at = part.as_ptr() as usize;
        if at >= base && at + part.len() <= base + self.text.len() {
            at - base
        } else {
            // Not borrowed (never with a string reader): the tag is the next `<`.
            tag_after(self.text, before) + 1
        }
    }

    fn error_at(&self, offset: usize, path: String, kind: ErrorKind) -> SchemaError {
        let (line, column) = self.cursor.count(offset);
        SchemaError {
            source: self.source.to_string(),
            line,
            column,
            path,
            kind,
        }
    }

    /// The path of the innermost open element, known or skipped.
    fn open_path(&self) -> String {
        let mut path = match self.open.last() {
            Some(&id) => self.doc.path(id),
            None => String::new(),
        };
        for s in &self.skipped {
            path.push('/');
            path.push_str(s.name);
            if let Some(key) = &s.key {
                path.push('[');
                path.push_str(key);
                path.push(']');
            }
        }
        path
    }

    /// The path an element about to open would have, without its key.
    fn child_path(&self, name: &str) -> String {
        let mut path = self.open_path();
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(name);
        path
    }

    fn start(
        &mut self,
        at: usize,
        len: usize,
        name_len: usize,
        empty: bool,
        warnings: &mut Warnings,
    ) -> Result<(), SchemaError> {
        let text = self.text;
        // The tag's content, `name attr="value" ...`, after its `<`.
        let content = &text[at + 1..at + 1 + len];
        let name = &content[..name_len];
        if self.root_done {
            return Err(self.error_at(
                at,
                String::new(),
                ErrorKind::Xml(format!("content after the root element: <{name}>")),
            ));
        }
        // An HTML error or login page instead of the schema: say so at its root, before
        // its HTML-isms (unquoted attributes, unclosed tags) are read as XML errors.
        if self.open.is_empty() && name != "xml" {
            return Err(self.error_at(at, name.to_string(), ErrorKind::NotASchema(name.into())));
        }
        let depth = self.open.len() + self.skipped.len() + 1;
        if depth > self.max_depth {
            let path = self.child_path(name);
            return Err(self.error_at(at, path, ErrorKind::TooDeep(self.max_depth)));
        }
        let attrs = self.attributes(content, name_len, at, name)?;
        let parent = self.open.last().copied();
        let kind = match parent {
            None => Some(Kind::Root),
            Some(_) if !self.skipped.is_empty() => None,
            Some(p) => self.doc.node(p).kind.child(name),
        };
        // Elements come in file order: the cursor only moves forward.
        let (line, column) = self.cursor.advance(at);
        let Some(kind) = kind else {
            if self.skipped.is_empty() {
                // The first unknown element of a subtree: one warning for all of it.
                warnings.add(WarningKind::UnknownElement(name.to_string()), |kind| {
                    let mut path = self.child_path(name);
                    if let Some(key) = key_of(&attrs) {
                        path.push('[');
                        path.push_str(key);
                        path.push(']');
                    }
                    SchemaWarning {
                        source: self.source.to_string(),
                        line,
                        column,
                        path,
                        kind,
                    }
                });
            }
            if !empty {
                let key = key_of(&attrs).cloned();
                self.skipped.push(Skipped {
                    name,
                    key,
                    offset: at,
                });
            }
            return Ok(());
        };
        let id = self.doc.nodes.len() as u32;
        let from = self.doc.attrs.len() as u32;
        self.doc.attrs.extend(attrs);
        let to = self.doc.attrs.len() as u32;
        self.doc.nodes.push(Node {
            name,
            kind,
            parent: parent.unwrap_or(NONE),
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            attrs: (from, to),
            line: line as u32,
            column: column as u32,
        });
        if let Some(p) = parent {
            let last = self.doc.nodes[p as usize].last_child;
            if last == NONE {
                self.doc.nodes[p as usize].first_child = id;
            } else {
                self.doc.nodes[last as usize].next_sibling = id;
            }
            self.doc.nodes[p as usize].last_child = id;
        }
        for i in from..to {
            let key = self.doc.attrs[i as usize].0;
            if !kind.knows(key) {
                let doc = &self.doc;
                let source = self.source;
                warnings.add(WarningKind::UnknownAttribute(key.to_string()), |kind| {
                    doc.element(id).warning(source, kind)
                });
            }
        }
        if empty {
            if parent.is_none() {
                self.root_done = true;
            }
        } else {
            self.open.push(id);
        }
        Ok(())
    }

    /// The attributes of a tag, unescaped; errors point into the tag. Repeated names
    /// are looked for here rather than by the XML reader, whose check compares each
    /// name with all before it (quadratic in a tag with many attributes).
    fn attributes(
        &self,
        content: &'t str,
        name_len: usize,
        at: usize,
        name: &str,
    ) -> Result<Vec<(&'t str, Cow<'t, str>)>, SchemaError> {
        let mut attrs: Vec<(&'t str, Cow<'t, str>)> = Vec::new();
        let mut seen: Option<HashSet<&'t str>> = None;
        let mut iter = Attributes::new(content, name_len);
        iter.with_checks(false);
        // Positions count from the byte after the tag's `<`.
        let fail = |pos: usize, message: String| {
            self.error_at(at + 1 + pos, self.child_path(name), ErrorKind::Xml(message))
        };
        for attr in iter {
            let attr = attr.map_err(|e| {
                let (pos, message) = attr_error(&e);
                fail(pos, message)
            })?;
            let key = attr.key.into_inner();
            let key_at = (key.as_ptr() as usize).saturating_sub(content.as_ptr() as usize);
            let repeated = match &mut seen {
                Some(set) => !set.insert(key),
                None => {
                    let repeated = attrs.iter().any(|(k, _)| *k == key);
                    if attrs.len() >= 16 {
                        seen = Some(attrs.iter().map(|(k, _)| *k).chain([key]).collect());
                    }
                    repeated
                }
            };
            if repeated {
                return Err(fail(key_at, "attribute given twice".into()));
            }
            // Entities and character references resolved, literal line ends and tabs
            // kept as written (the reader's `normalized_value` would turn them into
            // spaces; descriptions keep their line breaks).
            let value = match attr.value {
                Cow::Borrowed(raw) => unescape(raw),
                Cow::Owned(raw) => unescape(&raw).map(|v| Cow::Owned(v.into_owned())),
            };
            let value = value.map_err(|e| {
                self.error_at(
                    at,
                    self.child_path(name),
                    ErrorKind::Xml(format!("attribute `{key}`: {e}")),
                )
            })?;
            attrs.push((key, value));
        }
        Ok(attrs)
    }

    /// Text between tags: blank text is layout, anything else is reported (once per
    /// run of text) unless it is inside an element already reported as unknown.
    fn text(&mut self, raw: &str, before: usize, reader: &Reader<&[u8]>, warnings: &mut Warnings) {
        if !self.skipped.is_empty() {
            return;
        }
        let end = reader.buffer_position() as usize;
        if before == self.reported_text_end {
            self.reported_text_end = end;
            return;
        }
        let Some(first) = raw.bytes().position(|b| !b.is_ascii_whitespace()) else {
            return;
        };
        self.reported_text_end = end;
        let at = self.offset_of(raw, before) + first;
        let (line, column) = self.cursor.advance(at);
        let path = &self.open;
        let doc = &self.doc;
        let source = self.source;
        warnings.add(WarningKind::Text, |kind| SchemaWarning {
            source: source.to_string(),
            line,
            column,
            path: path.last().map(|&id| doc.path(id)).unwrap_or_default(),
            kind,
        });
    }
}

fn key_of<'a, 't>(attrs: &'a [(&'t str, Cow<'t, str>)]) -> Option<&'a Cow<'t, str>> {
    ["name", "id"]
        .iter()
        .find_map(|k| attrs.iter().find(|(a, _)| a == k))
        .map(|(_, v)| v)
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
        // Not raised: duplicates are looked for by `Builder::attributes`.
        AttrError::Duplicated(at, _) => (*at, "attribute given twice".into()),
    }
}
