//! Reading the server's answer: JSON results, served files, and the API errors or
//! unexpected bodies (an HTML page, an XML error) that come instead.

use crate::codec::{class_members, decode_slice, Decode, DecodeError, Json, ReadError};
use crate::error::{snippet, ApiError, Error};
use crate::transport::HttpResponse;
use bytes::Bytes;
use serde_json::Value;
use std::fmt;

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Decodes a JSON answer as `O`, from the bytes: the JSON is parsed into a tree only
/// when it holds an API error.
pub(crate) fn decode_response<O: Output>(response: &HttpResponse) -> Result<O, Error> {
    let body = check_answer(response)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        // An empty body: fine for actions that return nothing.
        return O::from_slice(b"null").map_err(|_| Error::UnexpectedBody {
            content_type: content_type_of(response),
            snippet: "(empty body)".into(),
        });
    }
    O::from_slice(body).map_err(|e| read_error(e, response))
}

/// Turns a failed read into the error a caller sees: a body that is not JSON at all
/// is an unexpected body, even where a mismatch came first in the bytes.
pub(crate) fn read_error(error: ReadError, response: &HttpResponse) -> Error {
    let syntax = match error {
        ReadError::Decode(e) => {
            let body = strip_bom(&response.body);
            match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                Ok(_) => return Error::Decode(e),
                Err(syntax) => syntax,
            }
        }
        ReadError::Syntax(e) => e,
    };
    Error::UnexpectedBody {
        content_type: content_type_of(response),
        snippet: format!("{} ({syntax})", snippet(&response.body, 200)),
    }
}

/// The API error a JSON text holds, parsed only when the text looks like one: its
/// class is read from the end (`objectType` comes last) or by skimming its keys.
pub(crate) fn api_error_in(json: &[u8]) -> Option<ApiError> {
    let members = class_members(json);
    let maybe = match members.object_type.as_deref() {
        Some(t) => t == "KalturaAPIException",
        None => members.code && members.message,
    };
    if !maybe {
        return None;
    }
    api_error(&serde_json::from_slice(json).ok()?)
}

/// Checks an answer before its result is read: an API error (at any HTTP status) or
/// another failed status. Returns the JSON text to decode.
pub(crate) fn check_answer(response: &HttpResponse) -> Result<&[u8], Error> {
    let body = strip_bom(&response.body);
    if let Some(e) = api_error_in(body) {
        return Err(Error::Api(with_ids(e, response)));
    }
    if !is_success(response.status) {
        return Err(http_error(response));
    }
    Ok(body)
}

/// A served file's bytes, handed to `O` without the JSON decoder; an API error that
/// the server sends instead of the file is still reported as one.
pub(crate) fn served_file<O: Output>(response: HttpResponse) -> Result<O, Error> {
    let content_type = response.content_type().map(str::to_ascii_lowercase);
    let first = response
        .body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied();
    let small = response.body.len() <= 64 * 1024;
    if small && (content_type.as_deref().is_some_and(|c| c.contains("json")) || first == Some(b'{'))
    {
        // Only an explicit exception: a served JSON file may well have `code` and
        // `message` properties of its own.
        if let Ok(v) = serde_json::from_slice::<Json>(strip_bom(&response.body)) {
            if crate::codec::object_type(&v) == Some("KalturaAPIException") {
                if let Some(e) = api_error(&v) {
                    return Err(Error::Api(with_ids(e, &response)));
                }
            }
        }
    }
    if content_type.as_deref().is_some_and(|c| c.contains("xml")) || first == Some(b'<') {
        if let Some(e) = xml_api_error(&response.body) {
            return Err(Error::Api(with_ids(e, &response)));
        }
    }
    if !is_success(response.status) {
        return Err(http_error(&response));
    }
    O::from_served(ServedFile {
        content_type: response.content_type().map(str::to_string),
        bytes: response.body,
    })
    .map_err(Error::Decode)
}

/// A failed status without an API error, quoting the start of the body.
fn http_error(response: &HttpResponse) -> Error {
    Error::Http {
        status: response.status,
        body_snippet: snippet(&response.body, 200),
    }
}

fn content_type_of(response: &HttpResponse) -> String {
    response
        .content_type()
        .unwrap_or("no content type")
        .to_string()
}

fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// Reads a JSON body, turning Kaltura errors and non-JSON answers into typed errors.
/// An empty 2xx body reads as JSON `null`.
pub(crate) fn parse_body(response: &HttpResponse) -> Result<Json, Error> {
    let body = strip_bom(&response.body);
    if is_success(response.status) && body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    match serde_json::from_slice::<Json>(body) {
        Ok(value) => {
            if let Some(e) = api_error(&value) {
                return Err(Error::Api(with_ids(e, response)));
            }
            if !is_success(response.status) {
                return Err(http_error(response));
            }
            Ok(value)
        }
        Err(_) if !is_success(response.status) => Err(http_error(response)),
        Err(e) => Err(Error::UnexpectedBody {
            content_type: content_type_of(response),
            snippet: format!("{} ({e})", snippet(&response.body, 200)),
        }),
    }
}

/// The error with the identifiers the answer's headers carry (`X-Me`,
/// `X-Kaltura-Session`), which Kaltura support asks for.
pub(crate) fn with_ids(mut error: ApiError, response: &HttpResponse) -> ApiError {
    let header = |name: &str| {
        response
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let ids = crate::error::ServerIds {
        server: header("x-me"),
        session: header("x-kaltura-session"),
    };
    if ids.server.is_some() || ids.session.is_some() {
        error.ids = Some(Box::new(ids));
    }
    error
}

/// The API error a JSON value carries, if it is one.
pub(crate) fn api_error(value: &Json) -> Option<ApiError> {
    let obj = value.as_object()?;
    let object_type = obj.get("objectType").and_then(Value::as_str);
    let is_error = object_type == Some("KalturaAPIException")
        || (object_type.is_none() && obj.contains_key("code") && obj.contains_key("message"));
    if !is_error {
        return None;
    }
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let args = match obj.get("args") {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), text(Some(v)))).collect(),
        // Args sometimes come as a list of {name, value} objects.
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| (text(i.get("name")), text(i.get("value"))))
            .filter(|(k, _)| !k.is_empty())
            .collect(),
        _ => Default::default(),
    };
    Some(ApiError {
        code: text(obj.get("code")),
        message: text(obj.get("message")),
        args,
        object_type: object_type.unwrap_or("KalturaAPIException").to_string(),
        ..Default::default()
    })
}

/// An API error in the XML format (`<error><code>..</code><message>..</message>`),
/// which a server may send for a failed serve action.
fn xml_api_error(body: &[u8]) -> Option<ApiError> {
    let head = &body[..body.len().min(64 * 1024)];
    let text = std::str::from_utf8(head).ok()?;
    let error = &text[text.find("<error>")?..];
    let element = |name: &str| {
        let open = format!("<{name}>");
        let start = error.find(&open)? + open.len();
        let end = error[start..].find(&format!("</{name}>"))? + start;
        Some(
            error[start..end]
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&"),
        )
    };
    Some(ApiError::new(
        element("code")?,
        element("message").unwrap_or_default(),
    ))
}

/// Values an action can return.
pub trait Output: Sized + Send + 'static {
    /// The generated class this is (its `objectType` and properties), for checking
    /// references into a multirequest result; `None` for other outputs.
    const CLASS: Option<(&'static str, &'static [&'static str])> = None;

    /// Reads the result from the JSON text of the answer (or of a multirequest item),
    /// without building a JSON tree first.
    fn from_slice(json: &[u8]) -> Result<Self, ReadError>;

    /// Reads the result from a JSON value already parsed.
    fn from_json(value: Json) -> Result<Self, DecodeError> {
        // Writing a value out cannot fail: its keys are strings.
        let text = serde_json::to_vec(&value).unwrap_or_default();
        Self::from_slice(&text).map_err(ReadError::into_decode)
    }

    /// The value of a served file (`SERVES_FILE` actions); only [`ServedFile`]
    /// accepts one.
    fn from_served(file: ServedFile) -> Result<Self, DecodeError> {
        let _ = file;
        Err(DecodeError {
            path: "result".into(),
            message: "the server sent a file where this action returns JSON".into(),
        })
    }
}

/// Implements [`Output`] for a type that implements [`Decode`].
#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_output {
    ($t:ty) => {
        impl $crate::response::Output for $t {
            #[inline]
            fn from_slice(json: &[u8]) -> ::std::result::Result<Self, $crate::codec::ReadError> {
                $crate::codec::decode_slice(json)
            }
        }
    };
}

crate::__kaltura_output!(String);
crate::__kaltura_output!(i64);
crate::__kaltura_output!(f64);
crate::__kaltura_output!(bool);
crate::__kaltura_output!(());
crate::__kaltura_output!(Json);

impl<T: Decode + Send + 'static> Output for std::collections::BTreeMap<String, T> {
    fn from_slice(json: &[u8]) -> Result<Self, ReadError> {
        decode_slice(json)
    }
}

impl<T: Decode + Send + 'static> Output for Vec<T> {
    fn from_slice(json: &[u8]) -> Result<Self, ReadError> {
        decode_slice(json)
    }
}

/// The bytes of a served file (`thumbAsset.serve`, `data.serve`, ...).
#[derive(Clone, PartialEq, Eq)]
pub struct ServedFile {
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

impl fmt::Debug for ServedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServedFile")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl Output for ServedFile {
    fn from_slice(_: &[u8]) -> Result<Self, ReadError> {
        Err(ReadError::Decode(DecodeError {
            path: "result".into(),
            message: "a served file has no JSON form; send the request on its own".into(),
        }))
    }

    fn from_served(file: ServedFile) -> Result<Self, DecodeError> {
        Ok(file)
    }
}
