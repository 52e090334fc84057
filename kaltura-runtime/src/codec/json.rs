//! A small pull reader of JSON text, the one the decoders run on.
//!
//! Decoders call it directly: `Decode::decode` takes a `&mut Reader`, not a serde
//! deserializer, so a generated class's decoder is an ordinary function, checked and
//! compiled once, with no serde visitor or seed instantiated per class (the per-class
//! serde machinery was the largest cost of compiling the generated API; see
//! docs/decisions.md, R19). The reader builds nothing it is not asked for: keys and
//! strings are borrowed from the text unless they hold escapes, skipped values are only
//! scanned.
//!
//! It accepts exactly JSON (RFC 8259) and nests at most [`MAX_DEPTH`] levels, as
//! serde_json does. It reports only *that* the text is not JSON ([`Fail::Syntax`]); the
//! caller asks serde_json for the position and wording, once, when that happens.

use super::{DecodeError, Path};
use std::borrow::Cow;

/// The deepest nesting a text may have, as serde_json allows.
pub const MAX_DEPTH: usize = 128;

/// Why a value was not read.
#[derive(Debug)]
pub enum Fail {
    /// The text is not JSON (or ends too soon). Which error it is, is worked out by
    /// the outermost caller.
    Syntax,
    /// JSON that does not fit the declared type, with the path of the value.
    Shape(Box<DecodeError>),
}

impl From<DecodeError> for Fail {
    fn from(e: DecodeError) -> Self {
        Fail::Shape(Box::new(e))
    }
}

/// Refuses a value of the wrong JSON kind.
pub fn mismatch(path: &Path<'_>, expected: &str, found: &str) -> Fail {
    path.error(format!("expected {expected}, found {found}"))
        .into()
}

/// A JSON scalar as read, before the lenient conversion to a declared type.
pub enum Scalar<'de> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(Cow<'de, str>),
}

impl Scalar<'_> {
    pub fn kind(&self) -> &'static str {
        match self {
            Scalar::Null => "null",
            Scalar::Bool(_) => "a bool",
            Scalar::I64(_) | Scalar::U64(_) | Scalar::F64(_) => "a number",
            Scalar::Str(_) => "a string",
        }
    }
}

/// The kind of JSON value that starts with `first`, for error messages; `None` when no
/// value starts so.
pub fn kind_of(first: u8) -> Option<&'static str> {
    Some(match first {
        b'{' => "an object",
        b'[' => "an array",
        b'"' => "a string",
        b'n' => "null",
        b't' | b'f' => "a bool",
        b'-' | b'0'..=b'9' => "a number",
        _ => return None,
    })
}

/// A position in a JSON text.
pub struct Reader<'de> {
    src: &'de [u8],
    pos: usize,
    depth: usize,
    /// Whether the container just opened has had no member yet: decides whether a
    /// comma must come before the next one.
    first: bool,
}

type R<T> = Result<T, Fail>;

impl<'de> Reader<'de> {
    pub fn new(src: &'de [u8]) -> Self {
        Reader {
            src,
            pos: 0,
            depth: 0,
            first: false,
        }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.src.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The first byte of the next value, not consumed.
    pub fn peek(&mut self) -> R<u8> {
        self.ws();
        self.src.get(self.pos).copied().ok_or(Fail::Syntax)
    }

    /// What kind of value comes next, for error messages.
    pub fn kind(&mut self) -> R<&'static str> {
        kind_of(self.peek()?).ok_or(Fail::Syntax)
    }

    /// Only whitespace may follow the value read.
    pub fn end(&mut self) -> R<()> {
        self.ws();
        if self.pos == self.src.len() {
            Ok(())
        } else {
            Err(Fail::Syntax)
        }
    }

    fn literal(&mut self, word: &[u8]) -> R<()> {
        if self.src[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(Fail::Syntax)
        }
    }

    /// Reads `null` if it comes next.
    pub fn null(&mut self) -> R<bool> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Reads a scalar; an array or an object is refused as not being `expected`.
    pub fn scalar(&mut self, path: &Path<'_>, expected: &str) -> R<Scalar<'de>> {
        match self.peek()? {
            b'"' => self.string().map(Scalar::Str),
            b'n' => self.literal(b"null").map(|()| Scalar::Null),
            b't' => self.literal(b"true").map(|()| Scalar::Bool(true)),
            b'f' => self.literal(b"false").map(|()| Scalar::Bool(false)),
            b'-' | b'0'..=b'9' => self.number(),
            b'{' => Err(mismatch(path, expected, "an object")),
            b'[' => Err(mismatch(path, expected, "an array")),
            _ => Err(Fail::Syntax),
        }
    }

    /// Reads a string, borrowed from the text unless it holds escapes.
    pub fn string(&mut self) -> R<Cow<'de, str>> {
        if self.peek()? != b'"' {
            return Err(Fail::Syntax);
        }
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.src.get(self.pos) {
                Some(b'"') => {
                    let s = std::str::from_utf8(&self.src[start..self.pos])
                        .map_err(|_| Fail::Syntax)?;
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(0..=0x1f) | None => return Err(Fail::Syntax),
                Some(_) => self.pos += 1,
            }
        }
        // Escapes: build the text from here on.
        let mut out: Vec<u8> = self.src[start..self.pos].to_vec();
        loop {
            match self.src.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return String::from_utf8(out)
                        .map(Cow::Owned)
                        .map_err(|_| Fail::Syntax);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(0..=0x1f) | None => return Err(Fail::Syntax),
                Some(&b) => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
    }

    /// One escape, after its backslash.
    fn escape(&mut self, out: &mut Vec<u8>) -> R<()> {
        let b = *self.src.get(self.pos).ok_or(Fail::Syntax)?;
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    // A surrogate pair: the low half must follow.
                    if !self.src[self.pos..].starts_with(b"\\u") {
                        return Err(Fail::Syntax);
                    }
                    self.pos += 2;
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(Fail::Syntax);
                    }
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else {
                    hi
                };
                char::from_u32(code).ok_or(Fail::Syntax)?
            }
            _ => return Err(Fail::Syntax),
        };
        let mut buf = [0; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }

    fn hex4(&mut self) -> R<u32> {
        let digits = self.src.get(self.pos..self.pos + 4).ok_or(Fail::Syntax)?;
        let mut v = 0;
        for &d in digits {
            v = v * 16 + (d as char).to_digit(16).ok_or(Fail::Syntax)?;
        }
        self.pos += 4;
        Ok(v)
    }

    /// The extent of a number, checked against JSON's grammar; whether it has a
    /// fraction or an exponent.
    fn number_text(&mut self) -> R<(&'de str, bool)> {
        let start = self.pos;
        let src = self.src;
        let digits = |at: &mut usize| {
            let from = *at;
            while let Some(b'0'..=b'9') = src.get(*at) {
                *at += 1;
            }
            *at - from
        };
        let mut at = self.pos;
        if src.get(at) == Some(&b'-') {
            at += 1;
        }
        match src.get(at) {
            Some(b'0') => at += 1,
            Some(b'1'..=b'9') => {
                digits(&mut at);
            }
            _ => return Err(Fail::Syntax),
        }
        let mut float = false;
        if src.get(at) == Some(&b'.') {
            at += 1;
            float = true;
            if digits(&mut at) == 0 {
                return Err(Fail::Syntax);
            }
        }
        if let Some(b'e' | b'E') = src.get(at) {
            at += 1;
            float = true;
            if let Some(b'+' | b'-') = src.get(at) {
                at += 1;
            }
            if digits(&mut at) == 0 {
                return Err(Fail::Syntax);
            }
        }
        self.pos = at;
        // Only ASCII digits and signs were taken.
        let text = std::str::from_utf8(&src[start..at]).map_err(|_| Fail::Syntax)?;
        Ok((text, float))
    }

    /// A number as serde_json reads one: a whole number as `u64` or `i64` when it fits,
    /// anything else as `f64` (out of range is not JSON serde_json accepts).
    fn number(&mut self) -> R<Scalar<'de>> {
        let (text, float) = self.number_text()?;
        if !float {
            if let Some(negative) = text.strip_prefix('-') {
                if negative.bytes().all(|b| b == b'0') {
                    return Ok(Scalar::F64(-0.0));
                }
                if let Ok(v) = text.parse::<i64>() {
                    return Ok(Scalar::I64(v));
                }
            } else if let Ok(v) = text.parse::<u64>() {
                return Ok(Scalar::U64(v));
            }
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Scalar::F64(v)),
            _ => Err(Fail::Syntax),
        }
    }

    /// Opens a container to decode it: at most [`MAX_DEPTH`] deep, so that nested
    /// decoders cannot exhaust the stack.
    fn open(&mut self) -> R<()> {
        if self.depth >= MAX_DEPTH {
            return Err(Fail::Syntax);
        }
        self.enter();
        Ok(())
    }

    fn enter(&mut self) {
        self.depth += 1;
        self.pos += 1;
        self.first = true;
    }

    fn close(&mut self) {
        self.pos += 1;
        self.depth -= 1;
        self.first = false;
    }

    /// Opens an object if one comes next (`false`, nothing consumed, otherwise).
    pub fn object(&mut self) -> R<bool> {
        if self.peek()? != b'{' {
            return Ok(false);
        }
        self.open()?;
        Ok(true)
    }

    /// The next key of the open object, its value next; `None` at the end, the object
    /// closed.
    pub fn key(&mut self) -> R<Option<Cow<'de, str>>> {
        let b = self.peek()?;
        if b == b'}' {
            self.close();
            return Ok(None);
        }
        if !std::mem::take(&mut self.first) {
            if b != b',' {
                return Err(Fail::Syntax);
            }
            self.pos += 1;
        }
        let key = self.string()?;
        if self.peek()? != b':' {
            return Err(Fail::Syntax);
        }
        self.pos += 1;
        Ok(Some(key))
    }

    /// Opens an array if one comes next (`false`, nothing consumed, otherwise).
    pub fn array(&mut self) -> R<bool> {
        if self.peek()? != b'[' {
            return Ok(false);
        }
        self.open()?;
        Ok(true)
    }

    /// Whether the open array has another item, next; at the end, the array is closed.
    pub fn item(&mut self) -> R<bool> {
        let b = self.peek()?;
        if b == b']' {
            self.close();
            return Ok(false);
        }
        if !std::mem::take(&mut self.first) {
            if b != b',' {
                return Err(Fail::Syntax);
            }
            self.pos += 1;
            self.peek()?;
        }
        Ok(true)
    }

    /// Passes over the next value, checking it is JSON, building nothing. Any depth is
    /// accepted, as serde_json accepts when it ignores a value: nothing is built, and
    /// the walk keeps its own stack. What is decoded from inside it later is bounded
    /// by the path's depth ([`decode_raw`](super::decode_raw)).
    pub fn skip(&mut self) -> R<()> {
        let base = self.depth;
        let mut objects = Kinds::default();
        loop {
            match self.peek()? {
                b'{' => {
                    self.enter();
                    objects.set(self.depth - base - 1, true);
                    if self.key()?.is_some() {
                        continue;
                    }
                }
                b'[' => {
                    self.enter();
                    objects.set(self.depth - base - 1, false);
                    if self.item()? {
                        continue;
                    }
                }
                b'"' => self.skip_string()?,
                b'n' => self.literal(b"null")?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'-' | b'0'..=b'9' => {
                    self.number_text()?;
                }
                _ => return Err(Fail::Syntax),
            }
            // A value ended: go on with the next member of the innermost container
            // still open, closing those that end here.
            loop {
                if self.depth == base {
                    return Ok(());
                }
                let object = objects.get(self.depth - base - 1);
                let more = if object {
                    self.key()?.is_some()
                } else {
                    self.item()?
                };
                if more {
                    break;
                }
            }
        }
    }

    fn skip_string(&mut self) -> R<()> {
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.src.get(self.pos) {
                Some(b'"') => break,
                Some(b'\\') => {
                    self.pos += 1;
                    match self.src.get(self.pos) {
                        Some(b'u') => {
                            self.pos += 1;
                            self.hex4()?;
                        }
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.pos += 1
                        }
                        _ => return Err(Fail::Syntax),
                    }
                }
                Some(0..=0x1f) | None => return Err(Fail::Syntax),
                Some(_) => self.pos += 1,
            }
        }
        std::str::from_utf8(&self.src[start..self.pos]).map_err(|_| Fail::Syntax)?;
        self.pos += 1;
        Ok(())
    }

    /// The text of the next value, passed over: how an object is kept until its
    /// `objectType` (written last) has chosen its class.
    pub fn raw(&mut self) -> R<&'de str> {
        self.ws();
        let start = self.pos;
        self.skip()?;
        std::str::from_utf8(&self.src[start..self.pos]).map_err(|_| Fail::Syntax)
    }
}

/// Whether each container open inside a skipped value is an object, by level: the
/// first 128 levels in bits, deeper ones in a list made only for such text.
#[derive(Default)]
struct Kinds {
    bits: u128,
    deeper: Vec<bool>,
}

impl Kinds {
    fn set(&mut self, level: usize, object: bool) {
        if level < 128 {
            self.bits = (self.bits & !(1 << level)) | (u128::from(object) << level);
        } else {
            self.deeper.truncate(level - 128);
            self.deeper.push(object);
        }
    }

    fn get(&self, level: usize) -> bool {
        if level < 128 {
            self.bits >> level & 1 == 1
        } else {
            self.deeper[level - 128]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the reader takes `text` as one JSON value, whole.
    fn accepts(text: &str) -> bool {
        let mut r = Reader::new(text.as_bytes());
        r.skip().and_then(|()| r.end()).is_ok()
    }

    fn serde_accepts(text: &str) -> bool {
        serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
    }

    #[test]
    fn accepts_what_serde_json_accepts_and_nothing_else() {
        let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
        let deep_objects = format!("{}{}", r#"{"a":"#.repeat(200), "}".repeat(200));
        let cases = [
            "null",
            "true",
            "false",
            "0",
            "-0",
            "12",
            "-12",
            "1.5",
            "1e3",
            "1E+3",
            "-1.5e-3",
            r#""""#,
            r#""a\"b\\c\/d\b\f\n\r\t""#,
            r#""\u00e9\ud83d\ude00""#,
            "\"é\"",
            "[]",
            "{}",
            "[1,2,[3,{}],{\"a\":[]}]",
            r#"{"a":{"b":{"c":[1,{"d":null}]}},"e":1}"#,
            " \t\n\r[ 1 , 2 ] \n",
            &deep,
            &deep_objects,
            // Not JSON:
            "",
            " ",
            "nul",
            "nulls",
            "tru",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "+1",
            "0x10",
            "1 2",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{,}",
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{"a":1 "b":2}"#,
            r#"{a:1}"#,
            "[",
            "]",
            "{",
            r#"{"a":"#,
            "\"abc",
            "\"a\u{1}b\"",
            r#""\x""#,
            r#""\u12""#,
            r#""\ud83d""#,
            r#""\ud83dx""#,
            r#""\ude00""#,
            "[1]]",
            "{}}",
            "<html>502</html>",
            "1e999",
            "-1e999",
            "[true false]",
            "{\"a\":1}{}",
        ];
        for text in cases {
            assert_eq!(accepts(text), serde_accepts(text), "{text:?}");
        }
    }

    #[test]
    fn strings_are_borrowed_unless_escaped_and_match_serde_json() {
        for text in [
            r#""plain""#,
            r#""tab\there""#,
            r#""\u00e9t\u00e9 \ud83d\ude00""#,
        ] {
            let mut r = Reader::new(text.as_bytes());
            let s = r.string().unwrap();
            assert_eq!(s, serde_json::from_str::<String>(text).unwrap());
            assert_eq!(
                matches!(s, Cow::Borrowed(_)),
                !text.contains('\\'),
                "{text}"
            );
        }
    }

    #[test]
    fn numbers_read_as_serde_json_reads_them() {
        let path = Path::Root;
        for text in [
            "0",
            "7",
            "-7",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "2.5",
            "-0",
            "1e2",
        ] {
            let ours = match Reader::new(text.as_bytes()).scalar(&path, "a number") {
                Ok(Scalar::I64(v)) => serde_json::Value::from(v),
                Ok(Scalar::U64(v)) => serde_json::Value::from(v),
                Ok(Scalar::F64(v)) => serde_json::Value::from(v),
                _ => panic!("{text} is a number"),
            };
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
    }

    #[test]
    fn decoding_stops_at_the_depth_limit_and_skipping_does_not() {
        let text = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let mut r = Reader::new(text.as_bytes());
        let mut opened = 0;
        while let Ok(true) = r.array() {
            opened += 1;
        }
        assert_eq!(opened, MAX_DEPTH);
        assert!(accepts(&text));
    }

    #[test]
    fn raw_gives_the_text_of_one_value() {
        let mut r = Reader::new(br#"{"a": [1, {"b": "x"}] , "c":2}"#);
        assert!(r.object().unwrap());
        assert_eq!(r.key().unwrap().as_deref(), Some("a"));
        assert_eq!(r.raw().unwrap(), r#"[1, {"b": "x"}]"#);
        assert_eq!(r.key().unwrap().as_deref(), Some("c"));
        assert!(r.scalar(&Path::Root, "a number").is_ok());
        assert!(r.key().unwrap().is_none());
        assert!(r.end().is_ok());
    }
}
