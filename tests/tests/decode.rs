//! Decoding straight from the answer's bytes (no JSON tree in between): what a server
//! may send and what a user reads. Each case goes through `Output::from_slice`, the
//! path every call takes.

use kaltura_client::codec::ReadError;
use kaltura_client::request::Output;
use kaltura_client::types::*;
use kaltura_client::Field;
use serde_json::json;

fn decode<T: Output>(json: &str) -> T {
    match T::from_slice(json.as_bytes()) {
        Ok(v) => v,
        Err(e) => panic!("{json} did not decode: {e:?}"),
    }
}

fn decode_error<T: Output + std::fmt::Debug>(json: &str) -> (String, String) {
    match T::from_slice(json.as_bytes()) {
        Err(ReadError::Decode(e)) => (e.path, e.message),
        other => panic!("{json}: expected a decode error, got {other:?}"),
    }
}

fn media(entry: &KalturaMediaEntryAny) -> &KalturaMediaEntry {
    match entry {
        KalturaMediaEntryAny::KalturaMediaEntry(e) => e,
        other => panic!("not a plain media entry: {other:?}"),
    }
}

#[test]
fn scalars_are_read_leniently() {
    let entry: KalturaMediaEntryAny = decode(
        r#"{"id":"0_a","partnerId":"1234","createdAt":1.7e9,"mediaType":"1",
            "blockAutoTranscript":"1","msDuration":"61000","views":7,
            "name":42,"tags":true,"objectType":"KalturaMediaEntry"}"#,
    );
    let e = media(&entry);
    assert_eq!(e.partner_id, Field::Set(1234));
    assert_eq!(e.created_at, Field::Set(1_700_000_000));
    assert_eq!(e.media_type, Field::Set(KalturaMediaType::Video));
    assert_eq!(e.block_auto_transcript, Field::Set(true));
    assert_eq!(e.ms_duration, Field::Set(61000));
    assert_eq!(e.views, Field::Set(7));
    // A number or a bool where a string is declared is kept as its text.
    assert_eq!(e.name, Field::Set("42".into()));
    assert_eq!(e.tags, Field::Set("1".into()));

    for (text, want) in [("0", false), ("false", false), ("", false), ("TRUE", true)] {
        let json =
            format!(r#"{{"blockAutoTranscript":"{text}","objectType":"KalturaMediaEntry"}}"#);
        let entry: KalturaMediaEntryAny = decode(&json);
        assert_eq!(
            media(&entry).block_auto_transcript,
            Field::Set(want),
            "{text}"
        );
    }
}

#[test]
fn null_absent_and_php_empty_maps() {
    let entry: KalturaMediaEntryAny = decode(
        r#"{"id":"0_a","name":null,"relatedObjects":[],"streams":null,"objectType":"KalturaMediaEntry"}"#,
    );
    let e = media(&entry);
    assert_eq!(e.name, Field::Null);
    assert_eq!(e.description, Field::Unset);
    assert_eq!(e.related_objects, Field::Set(Default::default()));
    assert_eq!(e.streams, Field::Null);
    let (path, message) = decode_error::<KalturaMediaEntryAny>(
        r#"{"relatedObjects":[1],"objectType":"KalturaMediaEntry"}"#,
    );
    assert_eq!(path, "result.relatedObjects");
    assert!(
        message.contains("expected an object (map), found an array"),
        "{message}"
    );
}

#[test]
fn unknown_reordered_and_repeated_properties() {
    // An unknown property in the middle, the rest out of declaration order, and a
    // repeated key (the last one counts, as in a JSON map).
    let entry: KalturaMediaEntryAny = decode(
        r#"{"id":"0_a","newServerThing":{"deep":[1,{"x":null}]},"views":3,"name":"first",
            "description":"d","name":"second","partnerId":5,"objectType":"KalturaMediaEntry"}"#,
    );
    let e = media(&entry);
    assert_eq!(e.id, Field::Set("0_a".into()));
    assert_eq!(e.views, Field::Set(3));
    assert_eq!(e.name, Field::Set("second".into()));
    assert_eq!(e.description, Field::Set("d".into()));
    assert_eq!(e.partner_id, Field::Set(5));
}

#[test]
fn the_object_type_chooses_the_class_wherever_it_stands() {
    // Last (read from the end), first, escaped, or absent (the declared class).
    let last: KalturaMediaEntryAny =
        decode(r#"{"id":"0_l","streamName":"s","objectType":"KalturaLiveStreamEntry"}"#);
    let first: KalturaMediaEntryAny =
        decode(r#"{"objectType":"KalturaLiveStreamEntry","id":"0_l","streamName":"s"}"#);
    let escaped: KalturaMediaEntryAny =
        decode(r#"{"id":"0_l","streamName":"s","objectType":"KalturaLive\u0053treamEntry"}"#);
    for value in [&last, &first, &escaped] {
        let KalturaMediaEntryAny::KalturaLiveStreamEntry(e) = value else {
            panic!("{value:?}")
        };
        assert_eq!(e.id, Field::Set("0_l".into()));
        assert_eq!(e.stream_name, Field::Set("s".into()));
    }
    let plain: KalturaMediaEntryAny = decode(r#"{"id":"0_p"}"#);
    assert_eq!(media(&plain).id, Field::Set("0_p".into()));
    // A string that merely looks like the member is not taken for it.
    let fooled: KalturaMediaEntryAny = decode(
        r#"{"id":"0_f","name":"x\",\"objectType\":\"KalturaLiveStreamEntry","objectType":"KalturaMediaEntry"}"#,
    );
    assert_eq!(
        media(&fooled).name,
        Field::Set(r#"x","objectType":"KalturaLiveStreamEntry"#.into())
    );
}

#[test]
fn an_unknown_object_type_keeps_the_base_and_the_raw_json() {
    let raw =
        json!({"id": "0_n", "name": "n", "futureProp": [1, 2], "objectType": "KalturaFutureEntry"});
    let entry: KalturaMediaEntryAny = decode(&raw.to_string());
    let KalturaMediaEntryAny::Unknown(u) = &entry else {
        panic!("{entry:?}")
    };
    assert_eq!(u.object_type, "KalturaFutureEntry");
    assert_eq!(u.base.name, Field::Set("n".into()));
    assert_eq!(u.raw, raw);
    assert_eq!(entry.object_type(), "KalturaFutureEntry");
    assert_eq!(entry.base().name.get_or(""), "n");
}

#[test]
fn errors_name_the_path_of_the_value() {
    let (path, message) = decode_error::<KalturaMediaListResponse>(
        r#"{"objects":[{"id":"a","objectType":"KalturaMediaEntry"},{"id":"b"},
            {"id":"c","mediaType":"video","objectType":"KalturaMediaEntry"}],
            "totalCount":3,"objectType":"KalturaMediaListResponse"}"#,
    );
    assert_eq!(path, "result.objects[2].mediaType");
    assert!(message.contains("\"video\" is not an integer"), "{message}");

    let (path, message) = decode_error::<KalturaMediaListResponse>(r#"{"objects":[{"id":"a"},7]}"#);
    assert_eq!(path, "result.objects[1]");
    assert_eq!(message, "expected an object, found a number");

    let (path, message) = decode_error::<KalturaMediaListResponse>(r#"{"objects":"none"}"#);
    assert_eq!(
        (path.as_str(), message.as_str()),
        ("result.objects", "expected an array, found a string")
    );

    // Not JSON at all is told apart from JSON of the wrong shape.
    for text in ["<html>502</html>", r#"{"objects":[{"id":"a""#, ""] {
        assert!(
            matches!(
                KalturaMediaListResponse::from_slice(text.as_bytes()),
                Err(ReadError::Syntax(_))
            ),
            "{text}"
        );
    }
}

#[test]
fn lists_written_as_php_objects_and_nulls() {
    let page: KalturaMediaListResponse = decode(
        r#"{"objects":{"0":{"id":"a"},"1":{"id":"b","objectType":"KalturaMediaEntry"}},"totalCount":"2"}"#,
    );
    let ids: Vec<&str> = page
        .objects
        .iter()
        .map(|e| e.base().id.get_or(""))
        .collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(page.total_count, Field::Set(2));
    let page: KalturaMediaListResponse = decode(r#"{"objects":null}"#);
    assert_eq!(page.objects, Field::Null);
}

#[test]
fn typed_results_equal_what_a_json_tree_gives() {
    // The same answer read from bytes and from an already parsed value.
    let text = r#"{"objects":[{"id":"a","name":"é\n\u00e9","createdAt":"5","objectType":"KalturaMediaEntry"},
        {"id":"l","objectType":"KalturaLiveStreamEntry"},{"id":"u","objectType":"KalturaNew"}],
        "totalCount":3,"objectType":"KalturaMediaListResponse"}"#;
    let from_bytes: KalturaMediaListResponse = decode(text);
    let from_tree =
        KalturaMediaListResponse::from_json(serde_json::from_str(text).unwrap()).unwrap();
    assert_eq!(from_bytes, from_tree);
    assert_eq!(
        from_bytes
            .objects
            .iter()
            .next()
            .unwrap()
            .base()
            .name
            .get_or(""),
        "é\né"
    );
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    // Each level is a polymorphic value, read with a fresh parser: the depth is
    // counted across them.
    let levels = 20_000;
    let mut text = String::new();
    for _ in 0..levels {
        text.push_str(r#"{"relatedObjects":{"a":"#);
    }
    text.push_str("{}");
    for _ in 0..levels {
        text.push_str("}}");
    }
    let (path, message) = decode_error::<KalturaMediaEntryAny>(&text);
    assert!(message.contains("nested too deeply"), "{message}");
    assert!(
        path.starts_with("result.relatedObjects.a.relatedObjects.a"),
        "{path}"
    );
}

/// `sipSourceType` is a property of live stream entries that the `sip` feature adds;
/// these tests build without it. The server still sends it: it is skipped, whatever
/// its shape, and the properties after it are read.
#[test]
fn a_property_whose_feature_is_off_is_skipped() {
    for value in [
        r#"1"#,
        r#"{"objectType":"X","a":[1,{"b":null}]}"#,
        r#""text""#,
    ] {
        let json = format!(
            r#"{{"id":"1_live","sipSourceType":{value},"name":"after","objectType":"KalturaLiveStreamEntry"}}"#
        );
        let entry: KalturaLiveStreamEntry = decode(&json);
        assert_eq!(entry.id, Field::Set("1_live".to_string()), "{json}");
        assert_eq!(entry.name, Field::Set("after".to_string()), "{json}");
    }
}
