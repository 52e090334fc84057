//! Reading a notification body, in whichever form the template asked for.

use super::{php, shown, xml, WebhookError};
use crate::codec::DecodeError;
use crate::response::Output;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::fmt;

/// How a notification body was written (the template's format and `urlEncode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyFormat {
    /// The JSON as the whole body: a JSON template on a current server.
    Json,
    /// `data=` followed by the JSON as it is (older servers, and the server's own
    /// example).
    FormJson,
    /// `data=` followed by the URL-encoded JSON (a JSON template with `urlEncode`).
    UrlEncodedJson,
    /// `data=<notification>…</notification>` (an XML template).
    Xml,
    /// `data=` followed by PHP's `serialize()` of the notification (a PHP template).
    Php,
}

/// A `KalturaHttpNotification`: what happened, which template sent it, and the object
/// it is about.
///
/// The notification itself is kept as JSON (for XML and PHP bodies, the JSON the API
/// would have written), so the object can be decoded as any generated type, and the
/// whole notification as `KalturaHttpNotification` (feature `http_notification`).
#[derive(Clone)]
pub struct Notification {
    format: BodyFormat,
    json: String,
    object: Option<Box<RawValue>>,
    event_type: Option<String>,
    event_object_type: Option<String>,
    job_id: Option<i64>,
    template_id: Option<i64>,
    template_name: Option<String>,
    template_system_name: Option<String>,
    object_type: Option<String>,
    partner_id: Option<i64>,
}

impl fmt::Debug for Notification {
    // The summary only: the object may be large.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notification")
            .field("format", &self.format)
            .field("event_type", &self.event_type)
            .field("event_object_type", &self.event_object_type)
            .field("job_id", &self.job_id)
            .field("template_id", &self.template_id)
            .field("template_name", &self.template_name)
            .field("object_type", &self.object_type)
            .field("partner_id", &self.partner_id)
            .finish_non_exhaustive()
    }
}

impl Notification {
    /// Reads a notification body in JSON or XML, without checking a signature (for a
    /// body checked by other means). PHP-serialised bodies are refused
    /// ([`WebhookError::PhpSerialized`]); [`Notification::parse_any`] reads them too.
    pub fn parse(body: &[u8]) -> Result<Notification, WebhookError> {
        read(body, false)
    }

    /// [`Notification::parse`], also reading PHP-serialised bodies.
    pub fn parse_any(body: &[u8]) -> Result<Notification, WebhookError> {
        read(body, true)
    }

    /// How the body was written.
    pub fn format(&self) -> BodyFormat {
        self.format
    }

    /// The event that triggered the notification, as the API's
    /// `KalturaEventNotificationEventType` value: `"3"` (`OBJECT_CHANGED`), `"2"`
    /// (`OBJECT_ADDED`), a plugin's `"integrationEventNotifications.…"`, ...
    pub fn event_type(&self) -> Option<&str> {
        self.event_type.as_deref()
    }

    /// The kind of object, as the API's `KalturaEventNotificationEventObjectType`
    /// value: `"1"` (`ENTRY`), `"2"` (`CATEGORY`), ...
    pub fn event_object_type(&self) -> Option<&str> {
        self.event_object_type.as_deref()
    }

    /// The id of the server's job that sent this notification
    /// (`eventNotificationJobId`). The server sends it again, with the same id, when
    /// a delivery does not get a `200`: keep the ids you have handled and skip
    /// repeats.
    pub fn job_id(&self) -> Option<i64> {
        self.job_id
    }

    /// The id of the event-notification template that sent it.
    pub fn template_id(&self) -> Option<i64> {
        self.template_id
    }

    /// The template's name.
    pub fn template_name(&self) -> Option<&str> {
        self.template_name.as_deref()
    }

    /// The template's system name.
    pub fn template_system_name(&self) -> Option<&str> {
        self.template_system_name.as_deref()
    }

    /// The class of the object (`KalturaMediaEntry`, ...).
    pub fn object_type(&self) -> Option<&str> {
        self.object_type.as_deref()
    }

    /// The partner the object belongs to: the object's `partnerId` (the notification
    /// has no partner of its own; entries, categories, assets and users all carry
    /// one).
    pub fn partner_id(&self) -> Option<i64> {
        self.partner_id
    }

    /// The object, decoded as `T`: a generated class (`KalturaMediaEntry`), a
    /// polymorphic value (`KalturaBaseEntryAny`, which picks the class from the
    /// object's `objectType`), or `AnyObject` / `serde_json::Value` for any object.
    pub fn object<T: Output>(&self) -> Result<T, WebhookError> {
        let json = self.object.as_ref().map_or("null", |o| o.get());
        T::from_slice(json.as_bytes())
            .map_err(|e| WebhookError::Decode(placed(e.into_decode(), "notification.object")))
    }

    /// The object's JSON text, when there is an object.
    pub fn object_json(&self) -> Option<&str> {
        self.object.as_ref().map(|o| o.get())
    }

    /// The whole notification decoded as `T`, such as the generated
    /// `KalturaHttpNotification` (feature `http_notification`).
    pub fn decode<T: Output>(&self) -> Result<T, WebhookError> {
        T::from_slice(self.json.as_bytes())
            .map_err(|e| WebhookError::Decode(placed(e.into_decode(), "notification")))
    }

    /// The whole notification as JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }
}

/// A decode error's path, rooted at `root` instead of the codec's `result`.
fn placed(mut e: DecodeError, root: &str) -> DecodeError {
    if let Some(rest) = e.path.strip_prefix("result") {
        e.path = format!("{root}{rest}");
    }
    e
}

fn unreadable(why: impl Into<String>) -> WebhookError {
    WebhookError::UnreadableBody(why.into())
}

/// Reads a body; `php` also reads PHP-serialised ones.
pub(super) fn read(body: &[u8], php: bool) -> Result<Notification, WebhookError> {
    if body.trim_ascii_start().first() == Some(&b'{') {
        return from_json(BodyFormat::Json, body);
    }
    let Some(data) = body.strip_prefix(b"data=") else {
        return Err(unreadable(
            "it is neither JSON nor `data=` followed by a notification",
        ));
    };
    match data.first() {
        Some(b'{') => from_json(BodyFormat::FormJson, data),
        Some(b'%') => {
            let decoded = url_decode(data)?;
            if decoded.first() != Some(&b'{') {
                return Err(unreadable("the URL-encoded data is not JSON"));
            }
            from_json(BodyFormat::UrlEncodedJson, &decoded)
        }
        Some(b'<') => {
            let text = std::str::from_utf8(data).map_err(|_| unreadable("the XML is not UTF-8"))?;
            let tree = xml::read(text).map_err(unreadable)?;
            from_json(BodyFormat::Xml, tree.to_json().as_bytes())
        }
        Some(b'O') if data.get(1) == Some(&b':') => {
            if !php {
                return Err(WebhookError::PhpSerialized);
            }
            let tree = php::read(data).map_err(unreadable)?;
            from_json(BodyFormat::Php, tree.to_json().as_bytes())
        }
        _ => Err(unreadable(
            "`data=` is followed by neither JSON, XML nor a PHP-serialised object",
        )),
    }
}

/// Decodes `application/x-www-form-urlencoded` text strictly: any byte that URL
/// encoding never writes (`&`, `=`, raw non-ASCII, ...) is refused, so the value
/// cannot have a second field or extension bytes after it.
fn url_decode(data: &[u8]) -> Result<Vec<u8>, WebhookError> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let pair = data
                    .get(i + 1..i + 3)
                    .and_then(|p| Some(hex(p[0])? * 16 + hex(p[1])?));
                match pair {
                    // Two hex digits make at most 255.
                    Some(v) => out.push(v as u8),
                    None => return Err(unreadable(format!("a broken %-escape at byte {i}"))),
                }
                i += 2;
            }
            b if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') => out.push(b),
            _ => {
                return Err(unreadable(format!(
                    "the URL-encoded data holds a byte URL encoding never writes, at byte {i}"
                )))
            }
        }
        i += 1;
    }
    Ok(out)
}

/// The members read from the notification itself.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    object: Option<&'a RawValue>,
    #[serde(rename = "eventObjectType", default)]
    event_object_type: Loose,
    #[serde(rename = "eventNotificationJobId", default)]
    job_id: Loose,
    #[serde(rename = "templateId", default)]
    template_id: Loose,
    #[serde(rename = "templateName", default)]
    template_name: Loose,
    #[serde(rename = "templateSystemName", default)]
    template_system_name: Loose,
    #[serde(rename = "eventType", default)]
    event_type: Loose,
    #[serde(rename = "objectType", default)]
    object_type: Loose,
}

/// The members read from the object, whatever its class.
#[derive(Deserialize)]
struct ObjectPeek {
    #[serde(rename = "partnerId", default)]
    partner_id: Loose,
    #[serde(rename = "objectType", default)]
    object_type: Loose,
}

/// A scalar as text, whatever JSON kind carries it (XML makes every value a string;
/// JSON writes ids as numbers); `null` and absence are `None`.
#[derive(Default)]
struct Loose(Option<String>);

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Loose;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a number or null")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Loose, E> {
                Ok(Loose(Some(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Loose, E> {
                Ok(Loose(Some(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Loose, E> {
                Ok(Loose(Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Loose, E> {
                Ok(Loose(Some(v.to_string())))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Loose, E> {
                Ok(Loose(Some(if v { "1" } else { "0" }.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Loose, E> {
                Ok(Loose(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Loose, E> {
                Ok(Loose(None))
            }
        }
        d.deserialize_any(V)
    }
}

impl Loose {
    fn int(self, name: &str) -> Result<Option<i64>, WebhookError> {
        match self.0 {
            None => Ok(None),
            Some(t) => t
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| unreadable(format!("{name} {} is not an integer", shown(&t)))),
        }
    }
}

fn from_json(format: BodyFormat, json: &[u8]) -> Result<Notification, WebhookError> {
    let json = std::str::from_utf8(json).map_err(|_| unreadable("the JSON is not UTF-8"))?;
    // A JSON array would be read into the envelope's fields by position.
    if json.trim_start().as_bytes().first() != Some(&b'{') {
        return Err(unreadable("the JSON is not an object"));
    }
    let e: Envelope<'_> =
        serde_json::from_str(json).map_err(|e| unreadable(format!("bad JSON ({e})")))?;
    if let Some(t) = &e.object_type.0 {
        if t != "KalturaHttpNotification" {
            return Err(unreadable(format!(
                "its objectType is {}, not KalturaHttpNotification",
                shown(t)
            )));
        }
    }
    let peek = e
        .object
        .and_then(|o| serde_json::from_str::<ObjectPeek>(o.get()).ok());
    let (partner_id, object_type) = match peek {
        Some(p) => (p.partner_id.int("the object's partnerId")?, p.object_type.0),
        None => (None, None),
    };
    Ok(Notification {
        format,
        object: e.object.map(RawValue::to_owned),
        event_type: e.event_type.0,
        event_object_type: e.event_object_type.0,
        job_id: e.job_id.int("eventNotificationJobId")?,
        template_id: e.template_id.int("templateId")?,
        template_name: e.template_name.0,
        template_system_name: e.template_system_name.0,
        object_type,
        partner_id,
        json: json.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r#"{"object":{"id":"0_a","partnerId":"12","objectType":"KalturaMediaEntry"},"eventNotificationJobId":7,"templateId":"3","eventType":3,"objectType":"KalturaHttpNotification"}"#;

    #[test]
    fn every_json_form() {
        let encoded: String = JSON
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        for (body, format) in [
            (JSON.to_string(), BodyFormat::Json),
            (format!("  \n{JSON}\n"), BodyFormat::Json),
            (format!("data={JSON}"), BodyFormat::FormJson),
            (format!("data={encoded}"), BodyFormat::UrlEncodedJson),
        ] {
            let n = Notification::parse(body.as_bytes()).unwrap();
            assert_eq!(n.format(), format);
            assert_eq!(n.job_id(), Some(7));
            assert_eq!(n.template_id(), Some(3));
            assert_eq!(n.event_type(), Some("3"));
            assert_eq!(n.partner_id(), Some(12));
            assert_eq!(n.object_type(), Some("KalturaMediaEntry"));
        }
    }

    #[test]
    fn refuses_trailing_and_foreign_bytes() {
        for body in [
            format!("{JSON}\u{80}\0\0,\"x\":1"),
            format!("data={JSON}&data={JSON}"),
            "data=%7B%7D&data=%7B%7D".to_string(),
            "data=%7B%7D%".to_string(),
            "data=%7B%7D\u{80}".to_string(),
            "[1,2]".to_string(),
            "data=[1]".to_string(),
            "hello".to_string(),
            r#"{"objectType":"KalturaAPIException"}"#.to_string(),
            r#"{"eventNotificationJobId":"x"}"#.to_string(),
            r#"{"templateId":1,"templateId":2}"#.to_string(),
        ] {
            let e = Notification::parse(body.as_bytes()).unwrap_err();
            assert!(matches!(e, WebhookError::UnreadableBody(_)), "{body}: {e}");
        }
    }

    #[test]
    fn php_only_on_request() {
        let body = br#"data=O:23:"KalturaHttpNotification":1:{s:22:"eventNotificationJobId";i:5;}"#;
        assert_eq!(
            Notification::parse(body).unwrap_err(),
            WebhookError::PhpSerialized
        );
        let n = Notification::parse_any(body).unwrap();
        assert_eq!((n.format(), n.job_id()), (BodyFormat::Php, Some(5)));
    }

    #[test]
    fn decode_errors_name_the_notification() {
        let n = Notification::parse(JSON.as_bytes()).unwrap();
        let e = n.object::<Vec<i64>>().unwrap_err();
        assert!(e.to_string().contains("notification.object"), "{e}");
    }
}
