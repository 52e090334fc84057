//! References to earlier results of a multirequest where values go: in properties of
//! every type and in number parameters, sent byte for byte as the server expects, and
//! refused before anything is sent when they cannot work; values read from one result
//! into the next call without a silent default; boxed properties from plain values.

use kaltura_client::transport::{HttpResponse, MockTransport};
use kaltura_client::types::*;
use kaltura_client::{Client, Error, Field};
use serde_json::json;

fn mock_client() -> (Client, MockTransport) {
    let mock = MockTransport::new();
    let client = Client::builder("https://kaltura.invalid")
        .ks("KS")
        .transport(mock.clone())
        .build()
        .unwrap();
    (client, mock)
}

fn answer(mock: &MockTransport, items: usize) {
    mock.push(HttpResponse::json(
        serde_json::Value::Array(vec![json!({"objectType": "KalturaCategoryEntry"}); items])
            .to_string(),
    ));
}

fn invalid_input(err: Error) -> String {
    match err {
        Error::InvalidInput(text) => text,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_reference_in_a_number_property_is_sent_as_bind_sends_it() {
    let (client, mock) = mock_client();
    // The typed form: the reference where the value goes.
    let mut mr = client.multirequest();
    let found = mr.add(client.category().list());
    mr.add(client.category_entry().add(KalturaCategoryEntry {
        entry_id: "0_a".into(),
        category_id: found.path(("objects", 0, "id")).into(),
        ..Default::default()
    }));
    answer(&mock, 2);
    mr.await.unwrap();
    let typed = mock.last_request().unwrap().body.to_vec();

    // The dynamic form, by names.
    let mut mr = client.multirequest();
    let found = mr.add(client.category().list());
    let link = mr.add(client.category_entry().add(KalturaCategoryEntry {
        entry_id: "0_a".into(),
        ..Default::default()
    }));
    mr.bind(
        &link,
        &["categoryEntry", "categoryId"],
        found.path(["objects", "0", "id"]),
    );
    answer(&mock, 2);
    mr.await.unwrap();
    let bound = mock.last_request().unwrap().body.to_vec();

    // The same parameters (bind adds its property last, the struct in class order),
    // and the token as the server reads it, byte for byte.
    let typed_json: serde_json::Value = serde_json::from_slice(&typed).unwrap();
    let bound_json: serde_json::Value = serde_json::from_slice(&bound).unwrap();
    assert_eq!(typed_json, bound_json);
    let text = String::from_utf8(typed).unwrap();
    assert!(
        text.contains(
            r#""categoryEntry":{"objectType":"KalturaCategoryEntry","categoryId":"{1:result:objects:0:id}","entryId":"0_a"}"#
        ),
        "{text}"
    );
}

#[tokio::test]
async fn number_and_string_parameters_take_references() {
    let (client, mock) = mock_client();
    let mut mr = client.multirequest();
    let added = mr.add(client.media().add(KalturaMediaEntry::default()));
    let found = mr.add(client.category().list());
    mr.add(
        client
            .category_entry()
            .delete(added.field("id"), found.path(("objects", 0, "id"))),
    );
    // A literal still goes where the number goes, and narrower integers too.
    let narrow: i32 = 12;
    mr.add(client.category_entry().delete("0_b", narrow));
    answer(&mock, 4);
    mr.await.unwrap();
    let sent = mock.last_request().unwrap().json().unwrap();
    assert_eq!(sent["2"]["entryId"], "{1:result:id}", "{sent}");
    assert_eq!(sent["2"]["categoryId"], "{2:result:objects:0:id}", "{sent}");
    assert_eq!(sent["3"]["categoryId"], 12, "{sent}");
}

#[tokio::test]
async fn a_request_holding_a_reference_sent_on_its_own_fails_before_sending() {
    let (client, mock) = mock_client();
    let mut mr = client.multirequest();
    let found = mr.add(client.category().list());
    let alone = client.category_entry().add(KalturaCategoryEntry {
        entry_id: "0_a".into(),
        category_id: found.path(("objects", 0, "id")).into(),
        ..Default::default()
    });
    let text = invalid_input(alone.await.unwrap_err());
    assert!(text.contains("`categoryEntry.categoryId`"), "{text}");
    assert!(text.contains("{1:result:objects:0:id}"), "{text}");
    let param = client
        .category_entry()
        .delete("0_a", found.field("totalCount"));
    let text = invalid_input(param.await.unwrap_err());
    assert!(text.contains("`categoryId`"), "{text}");
    assert!(mock.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_reference_of_another_multirequest_fails_before_sending() {
    let (client, mock) = mock_client();
    let mut first = client.multirequest();
    let found = first.add(client.category().list());
    let mut second = client.multirequest();
    second.add(client.category().list());
    second.add(client.category_entry().add(KalturaCategoryEntry {
        category_id: found.path(("objects", 0, "id")).into(),
        ..Default::default()
    }));
    let text = invalid_input(second.await.unwrap_err());
    assert!(
        text.contains("`categoryEntry.categoryId` refers to {1:result:objects:0:id}, a result of another multirequest"),
        "{text}"
    );
    assert!(mock.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_reference_to_a_property_the_result_lacks_fails_before_sending() {
    let (client, mock) = mock_client();
    let mut mr = client.multirequest();
    let found = mr.add(client.category().list());
    mr.add(client.category_entry().add(KalturaCategoryEntry {
        category_id: found.path(("Objects", 0, "id")).into(),
        ..Default::default()
    }));
    let text = invalid_input(mr.await.unwrap_err());
    assert!(
        text.contains(
            "`categoryEntry.categoryId` refers to {1:result:Objects:0:id}, but `Objects` is not \
             a property of KalturaCategoryListResponse; did you mean `objects`?"
        ),
        "{text}"
    );
    assert!(mock.requests().is_empty(), "nothing was sent");

    // A polymorphic result is not checked: a subclass may have the property.
    let mut mr = client.multirequest();
    let entry = mr.add(client.base_entry().get("0_a"));
    mr.add(client.category_entry().add(KalturaCategoryEntry {
        entry_id: entry.field("id").into(),
        category_id: entry.field("categoryIdOfSomeSubclass").into(),
        ..Default::default()
    }));
    answer(&mock, 2);
    mr.await.unwrap();
}

#[test]
fn a_value_read_from_a_result_is_required_by_name() {
    let category = KalturaCategory {
        id: 42.into(),
        ..Default::default()
    };
    assert_eq!(category.id.required("id").unwrap(), 42);
    let text = invalid_input(category.parent_id.required("parentId").unwrap_err());
    assert!(
        text.contains("`parentId` is unset: the server sent no value"),
        "{text}"
    );
    let text = invalid_input(Field::<String>::Null.required("name").unwrap_err());
    assert!(text.contains("`name` is null"), "{text}");
    // Reading does not move the value out of its object.
    let name: Field<String> = "intro".into();
    assert_eq!(name.required("name").unwrap(), "intro");
    assert_eq!(name.into_required("name").unwrap(), "intro");
}

#[test]
fn references_print_and_compare_as_their_token() {
    let (client, _) = mock_client();
    let mut mr = client.multirequest();
    let found = mr.add(client.category().list());
    let id: Field<i64> = found.path(("objects", 0usize, "id")).into();
    assert!(id.is_ref() && !id.is_set());
    assert_eq!(id.to_string(), "{1:result:objects:0:id}");
    assert_eq!(format!("{id:?}"), "Ref({1:result:objects:0:id})");
    assert_eq!(
        found.path(("objects", 0, "id")),
        found.field("objects").index(0).field("id")
    );
    assert_eq!(
        found.result().path(("objects", 0)).field("id").token(),
        "{1:result:objects:0:id}"
    );
}

#[test]
fn boxed_properties_take_plain_values() {
    let filter = KalturaCategoryFilter {
        id_equal: 7.into(),
        ..Default::default()
    };
    let job = KalturaCategoriesCsvJobData {
        filter: filter.clone().into(),
        options: KalturaExportToCsvOptions::default().into(),
        ..Default::default()
    };
    assert_eq!(job.filter, Field::Set(Box::new(filter)));
    assert!(job.options.is_set());
}
