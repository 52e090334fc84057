//! Finding the `objectType` of an object before decoding it: the class it names
//! decides which properties to read, and Kaltura writes it last.

use super::json::{Fail, Reader};
use std::borrow::Cow;

/// What the members of an object say about its class: its `objectType`, and whether it
/// has `code` and `message` (an API error from an older server names no class).
#[derive(Debug, Default, PartialEq)]
pub struct Members<'a> {
    pub object_type: Option<Cow<'a, str>>,
    pub code: bool,
    pub message: bool,
}

/// The `objectType` of the JSON object `json` (its text from `{` to `}`), if it has
/// one that is a string.
pub fn object_type_of(json: &[u8]) -> Option<Cow<'_, str>> {
    class_members(json).object_type
}

/// The members that name the class of `json`. The common case (an `objectType` last)
/// reads a few bytes from the end; otherwise the object's keys are scanned.
pub fn class_members(json: &[u8]) -> Members<'_> {
    match trailing_object_type(json) {
        // The last member is `objectType`, so it is the one that counts.
        Some(t) => Members {
            object_type: Some(Cow::Borrowed(t)),
            ..Members::default()
        },
        None => members(json),
    }
}

/// `X` when the object ends with `"objectType":"X"}` and `X` holds no escape: read
/// backwards from the closing brace, without looking at the rest. In JSON every quote
/// inside a string is escaped, so an unescaped quote followed by `:` ends a key, and
/// the member just before the object's last `}` is one of its own.
fn trailing_object_type(json: &[u8]) -> Option<&str> {
    const KEY: &[u8] = b"\"objectType\"";
    let is_ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut end = json.len();
    let back = |end: &mut usize| {
        while *end > 0 && is_ws(json[*end - 1]) {
            *end -= 1;
        }
    };
    back(&mut end);
    (end > 0 && json[end - 1] == b'}').then_some(())?;
    end -= 1;
    back(&mut end);
    (end > 0 && json[end - 1] == b'"').then_some(())?;
    let close = end - 1;
    let open = json[..close]
        .iter()
        .rposition(|&b| b == b'"' || b == b'\\')?;
    if json[open] != b'"' || (open > 0 && json[open - 1] == b'\\') {
        return None;
    }
    let mut at = open;
    back(&mut at);
    (at > 0 && json[at - 1] == b':').then_some(())?;
    at -= 1;
    back(&mut at);
    let key_start = at.checked_sub(KEY.len())?;
    if &json[key_start..at] != KEY || (key_start > 0 && json[key_start - 1] == b'\\') {
        return None;
    }
    let mut before = key_start;
    back(&mut before);
    (before > 0 && matches!(json[before - 1], b',' | b'{')).then_some(())?;
    std::str::from_utf8(&json[open + 1..close]).ok()
}

/// Scans the keys of `json` (values are skipped, not built). Anything but a well-formed
/// object yields no members.
fn members(json: &[u8]) -> Members<'_> {
    fn scan<'a>(r: &mut Reader<'a>) -> Result<Members<'a>, Fail> {
        let mut out = Members::default();
        if !r.object()? {
            return Ok(out);
        }
        while let Some(key) = r.key()? {
            match &*key {
                // The last one counts, as when the object is read into a map.
                "objectType" if r.peek()? == b'"' => out.object_type = Some(r.string()?),
                "objectType" => {
                    out.object_type = None;
                    r.skip()?;
                }
                "code" => {
                    out.code = true;
                    r.skip()?;
                }
                "message" => {
                    out.message = true;
                    r.skip()?;
                }
                _ => r.skip()?,
            }
        }
        Ok(out)
    }
    scan(&mut Reader::new(json)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_object_type_is_read_from_the_end() {
        fn t(s: &str) -> Option<&str> {
            trailing_object_type(s.as_bytes())
        }
        assert_eq!(
            t(r#"{"a":1,"objectType":"KalturaMediaEntry"}"#),
            Some("KalturaMediaEntry")
        );
        assert_eq!(t("{ \"objectType\" : \"X\" }\n"), Some("X"));
        // Not last, escaped, or not a key: left to the scan.
        assert_eq!(t(r#"{"objectType":"X","a":1}"#), None);
        assert_eq!(t(r#"{"objectType":"X\"Y"}"#), None);
        assert_eq!(t(r#"{"a":"\"objectType\":\"X"}"#), None);
        assert_eq!(t(r#"{"a":"b\",\"objectType\":\"X"}"#), None);
        assert_eq!(t(r#"["objectType","X"]"#), None);
        assert_eq!(t(""), None);
    }

    #[test]
    fn scan_finds_the_last_object_type_and_error_members() {
        let m = class_members(
            br#"{"code":"X","message":"m","objectType":"KalturaAPIException","args":{}}"#,
        );
        assert_eq!(m.object_type.as_deref(), Some("KalturaAPIException"));
        assert!(m.code && m.message);
        let m =
            class_members(br#"{"objectType":"A","x":{"objectType":"B"},"objectType":"C","y":1}"#);
        assert_eq!(m.object_type.as_deref(), Some("C"));
        assert_eq!(
            object_type_of(br#"{"objectType":"A\u0042","y":1}"#).as_deref(),
            Some("AB")
        );
        assert_eq!(class_members(b"[1,2]"), Members::default());
        assert_eq!(class_members(b"{\"objectType\":"), Members::default());
    }
}
