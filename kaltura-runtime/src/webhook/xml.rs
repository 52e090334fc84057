//! The XML form of a notification, `<notification>…</notification>`, turned into the
//! JSON the API would have written for it.
//!
//! The server's XML serialiser writes a small subset of XML, and only that is read:
//! elements without namespaces, text with the five predefined entities and character
//! references, and the `key` attribute older servers put on map items. Comments,
//! CDATA, processing instructions and declarations never occur and are refused, as
//! is anything after the closing tag. Values map as the server writes them:
//!
//! * an object is its `<objectType>` and one element per property, in order;
//! * a list is `<item>` elements; a map is `<item>` elements that start with
//!   `<itemKey>k</itemKey>` (older servers: `<item key="k">`);
//! * a scalar is the element's text (numbers and booleans stay strings; the codec
//!   reads them leniently), and an empty element is `null`.
//!
//! A hand-written reader rather than an XML crate: the runtime has none, and this
//! grammar is a page long.

use super::tree::{Tree, MAX_DEPTH};

/// One element as read, before it is given a JSON shape.
struct Elem {
    name: String,
    /// The `key` attribute of an older server's map item.
    key: Option<String>,
    text: String,
    children: Vec<Elem>,
}

/// Reads `<notification>…</notification>` (nothing else but surrounding whitespace)
/// into the notification's JSON shape.
pub(super) fn read(xml: &str) -> Result<Tree, String> {
    let mut r = Reader {
        s: xml.as_bytes(),
        at: 0,
    };
    r.skip_ws();
    let root = r.element(0)?;
    r.skip_ws();
    if r.at != r.s.len() {
        return Err(format!(
            "{} bytes follow </{}>; a signed body ends there",
            r.s.len() - r.at,
            root.name
        ));
    }
    if root.name != "notification" {
        return Err(format!(
            "the root element is <{}>, not <notification>",
            root.name
        ));
    }
    if root.children.is_empty() {
        return Err("<notification> is empty".into());
    }
    object(&root.children, &root.text, &root.name)
}

struct Reader<'a> {
    s: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn starts_with(&self, prefix: &[u8]) -> bool {
        self.s[self.at..].starts_with(prefix)
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn name(&mut self) -> Result<String, String> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        {
            self.at += 1;
        }
        let name = &self.s[start..self.at];
        if name.is_empty() || name[0].is_ascii_digit() || name[0] == b'-' || name[0] == b'.' {
            return Err(format!("a malformed tag at byte {start}"));
        }
        // ASCII only, so always UTF-8.
        Ok(String::from_utf8_lossy(name).into_owned())
    }

    fn expect(&mut self, b: u8, context: &str) -> Result<(), String> {
        if self.peek() == Some(b) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!(
                "expected '{}' {context} at byte {}",
                b as char, self.at
            ))
        }
    }

    /// An element starting at `<`, with everything inside it.
    fn element(&mut self, depth: usize) -> Result<Elem, String> {
        if depth > MAX_DEPTH {
            return Err(format!("elements nested more than {MAX_DEPTH} levels deep"));
        }
        self.expect(b'<', "to open an element")?;
        let name = self.name()?;
        let mut elem = Elem {
            name,
            key: None,
            text: String::new(),
            children: Vec::new(),
        };
        // Attributes, up to `>` or `/>`.
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'>') => {
                    self.at += 1;
                    break;
                }
                Some(b'/') => {
                    self.at += 1;
                    self.expect(b'>', "to close an empty element")?;
                    return Ok(elem);
                }
                Some(_) => {
                    let attr = self.name()?;
                    self.skip_ws();
                    self.expect(b'=', "after an attribute name")?;
                    self.skip_ws();
                    let quote = match self.peek() {
                        Some(q @ (b'"' | b'\'')) => q,
                        _ => return Err(format!("an unquoted attribute in <{}>", elem.name)),
                    };
                    self.at += 1;
                    let start = self.at;
                    while self.peek().is_some_and(|b| b != quote && b != b'<') {
                        self.at += 1;
                    }
                    self.expect(quote, "to end an attribute value")?;
                    let value = self.text(start, self.at - 1)?;
                    if attr == "key" {
                        elem.key = Some(value);
                    }
                }
                None => return Err(format!("<{}> is cut short", elem.name)),
            }
        }
        // Content, up to the matching end tag.
        loop {
            match self.peek() {
                None => return Err(format!("<{}> is never closed", elem.name)),
                Some(b'<') if self.starts_with(b"</") => {
                    self.at += 2;
                    let end = self.name()?;
                    self.skip_ws();
                    self.expect(b'>', "to end a closing tag")?;
                    if end != elem.name {
                        return Err(format!("<{}> is closed by </{end}>", elem.name));
                    }
                    return Ok(elem);
                }
                Some(b'<') if self.starts_with(b"<!") || self.starts_with(b"<?") => {
                    return Err(format!(
                        "markup the server never writes (a comment, CDATA or declaration) \
                         at byte {}",
                        self.at
                    ));
                }
                Some(b'<') => elem.children.push(self.element(depth + 1)?),
                Some(_) => {
                    let start = self.at;
                    while self.peek().is_some_and(|b| b != b'<') {
                        self.at += 1;
                    }
                    let text = self.text(start, self.at)?;
                    elem.text.push_str(&text);
                }
            }
        }
    }

    /// The text between two offsets, its entities and character references decoded.
    fn text(&self, start: usize, end: usize) -> Result<String, String> {
        let raw = &self.s[start..end];
        // The input is a `str` and the offsets sit next to ASCII bytes.
        let raw = std::str::from_utf8(raw).map_err(|_| "text that is not UTF-8".to_string())?;
        if !raw.contains('&') {
            return Ok(raw.to_string());
        }
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(amp) = rest.find('&') {
            out.push_str(&rest[..amp]);
            let after = &rest[amp + 1..];
            let semi = after.find(';').filter(|&i| i <= 10).ok_or_else(|| {
                format!(
                    "a bare '&' at byte {}",
                    start + (raw.len() - rest.len()) + amp
                )
            })?;
            let entity = &after[..semi];
            let c = match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let code = if let Some(hex) = entity.strip_prefix("#x") {
                        u32::from_str_radix(hex, 16).ok()
                    } else if let Some(dec) = entity.strip_prefix('#') {
                        dec.parse().ok()
                    } else {
                        None
                    };
                    code.and_then(char::from_u32)
                        .ok_or_else(|| format!("an unknown entity &{entity};"))?
                }
            };
            out.push(c);
            rest = &after[semi + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// The JSON shape of an element's content.
fn value(children: &[Elem], text: &str, name: &str) -> Result<Tree, String> {
    if children.is_empty() {
        return Ok(if text.is_empty() {
            Tree::Null
        } else {
            Tree::Str(text.to_string())
        });
    }
    if children.iter().all(|c| c.name == "item") {
        return items(children, text, name);
    }
    object(children, text, name)
}

fn no_stray_text(text: &str, name: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        Ok(())
    } else {
        Err(format!("<{name}> mixes text with elements"))
    }
}

/// Properties, one element each.
fn object(children: &[Elem], text: &str, name: &str) -> Result<Tree, String> {
    no_stray_text(text, name)?;
    let mut members: Vec<(String, Tree)> = Vec::with_capacity(children.len());
    for c in children {
        if members.iter().any(|(k, _)| *k == c.name) {
            return Err(format!("<{name}> has two <{}> elements", c.name));
        }
        members.push((c.name.clone(), value(&c.children, &c.text, &c.name)?));
    }
    Ok(Tree::Object(members))
}

/// `<item>` elements: a list, or a map when they carry keys.
fn items(children: &[Elem], text: &str, name: &str) -> Result<Tree, String> {
    no_stray_text(text, name)?;
    let key_of = |item: &Elem| -> Option<String> {
        item.key.clone().or_else(|| {
            item.children
                .first()
                .filter(|k| k.name == "itemKey" && k.children.is_empty())
                .map(|k| k.text.clone())
        })
    };
    if !children.iter().any(|c| key_of(c).is_some()) {
        let list = children
            .iter()
            .map(|c| value(&c.children, &c.text, &c.name))
            .collect::<Result<_, _>>()?;
        return Ok(Tree::Array(list));
    }
    let mut members: Vec<(String, Tree)> = Vec::with_capacity(children.len());
    for item in children {
        let key =
            key_of(item).ok_or_else(|| format!("<{name}> mixes items with and without keys"))?;
        if members.iter().any(|(k, _)| *k == key) {
            return Err(format!("<{name}> has two items with the same key"));
        }
        let rest = if item.key.is_some() {
            &item.children[..]
        } else {
            &item.children[1..]
        };
        members.push((key, value(rest, &item.text, "item")?));
    }
    Ok(Tree::Object(members))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(xml: &str) -> String {
        read(xml)
            .map(|t| t.to_json())
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn objects_lists_maps_and_scalars() {
        assert_eq!(
            json(
                "<notification><objectType>KalturaHttpNotification</objectType>\
                 <object><objectType>KalturaMediaEntry</objectType><id>0_a</id>\
                 <tags></tags><name>a &amp; b &lt;&#233;&#xe9;&gt;</name>\
                 <list><item>1</item><item>2</item></list>\
                 <map><item><itemKey>k</itemKey><objectType>KalturaString</objectType>\
                 <value>v</value></item><item><itemKey>j</itemKey>text</item></map>\
                 <old><item key=\"x\">1</item></old>\
                 <empty/></object></notification>"
            ),
            r#"{"objectType":"KalturaHttpNotification","object":{"objectType":"KalturaMediaEntry","id":"0_a","tags":null,"name":"a & b <éé>","list":["1","2"],"map":{"k":{"objectType":"KalturaString","value":"v"},"j":"text"},"old":{"x":"1"},"empty":null}}"#
        );
    }

    #[test]
    fn text_keeps_its_spaces() {
        assert_eq!(
            json("<notification><a>  x  </a></notification>"),
            r#"{"a":"  x  "}"#
        );
    }

    #[test]
    fn refuses_what_the_server_never_writes() {
        for (xml, says) in [
            (
                "<notification><a>1</a></notification>\u{80}\0\0&data=x",
                "follow",
            ),
            ("<notification><a>1</a></notification> <b/>", "follow"),
            ("<other><a>1</a></other>", "root"),
            ("<notification><a>1</b></notification>", "closed by"),
            ("<notification><a>1</a>", "never closed"),
            (
                "<notification><!-- c --><a>1</a></notification>",
                "never writes",
            ),
            (
                "<notification><a><![CDATA[x]]></a></notification>",
                "never writes",
            ),
            ("<notification><a>x &nbsp; y</a></notification>", "entity"),
            ("<notification><a>x & y</a></notification>", "bare"),
            ("<notification><a>1</a><a>2</a></notification>", "two <a>"),
            ("<notification>text<a>1</a></notification>", "mixes text"),
            ("<notification></notification>", "empty"),
        ] {
            let got = json(xml);
            assert!(
                got.starts_with("error") && got.contains(says),
                "{xml}: {got}"
            );
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!(
            "<notification>{}{}</notification>",
            "<a>".repeat(MAX_DEPTH + 5),
            "</a>".repeat(MAX_DEPTH + 5)
        );
        assert!(json(&deep).contains("nested"));
    }
}
