//! Multirequests: numbered calls, `{N:result:path}` references, errors per call, in
//! JSON and in XML, sent as JSON or as flattened form fields.

use crate::common;
use common::*;
use serde_json::json;

#[tokio::test]
async fn references_resolve_and_each_call_answers_for_itself() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let body = json!({
        "format": 1,
        "ks": ks,
        "0": {"service": "media", "action": "add",
              "entry": {"objectType": "KalturaMediaEntry", "name": "chained", "mediaType": 1}},
        "1": {"service": "media", "action": "get", "entryId": "{1:result:id}"},
        "2": {"service": "media", "action": "get", "entryId": "0_missing0"},
        "3": {"service": "media", "action": "get", "entryId": "{3:result:id}"},
        "4": {"service": "media", "action": "list",
              "filter": {"objectType": "KalturaMediaEntryFilter", "idEqual": "{2:result:id}"}},
        "5": {"service": "media", "action": "update", "entryId": "{5:result:objects:0:id}",
              "mediaEntry": {"objectType": "KalturaMediaEntry", "description": "made from {1:result:name}"}},
    });
    let got = send(
        &url,
        "/api_v3/service/multirequest",
        "application/json",
        body.to_string().as_bytes(),
    )
    .await;
    let v = got.json();
    let items = v.as_array().unwrap_or_else(|| panic!("{v}"));
    assert_eq!(items.len(), 6);
    let id = items[0]["id"].as_str().unwrap();
    assert_eq!(items[1]["id"], id);
    assert_eq!(code(&items[2]), "ENTRY_ID_NOT_FOUND");
    assert_eq!(arg(&items[2], "ENTRY_ID"), "0_missing0");
    // A reference to a failed call fails its call, naming the reference.
    assert_eq!(code(&items[3]), "MISSING_MANDATORY_PARAMETER");
    assert_eq!(arg(&items[3], "PARAM_NAME"), "{3:result:id}");
    assert_eq!(items[4]["totalCount"], 1);
    assert_eq!(items[5]["description"], "made from chained");
    let log = mock.requests();
    let last = log.last().unwrap();
    assert!(last.multirequest);
    assert_eq!(
        last.actions(),
        [
            "media.add",
            "media.get",
            "media.get",
            "media.get",
            "media.list",
            "media.update"
        ]
    );
    assert_eq!(
        last.calls[3].notes,
        ["reference {3:result:id} did not resolve"]
    );
}

#[tokio::test]
async fn xml_multirequest_from_form_fields() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let form = format!(
        "ks={ks}&format=2\
         &1:service=session&1:action=start&1:secret={ADMIN_SECRET}&1:partnerId={PARTNER}&1:type=2\
         &2:service=media&2:action=add&2:ks={{1:result}}&2:entry:objectType=KalturaMediaEntry&2:entry:name=x%26y&2:entry:mediaType=1\
         &3:service=nosuch&3:action=list"
    );
    let got = send(
        &url,
        "/api_v3/service/multirequest",
        "application/x-www-form-urlencoded",
        form.as_bytes(),
    )
    .await;
    let text = got.text();
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><xml><result><item>"),
        "{text}"
    );
    assert!(
        text.contains("<item><objectType>KalturaMediaEntry</objectType>"),
        "{text}"
    );
    assert!(text.contains("<name>x&amp;y</name>"), "{text}");
    assert!(
        text.contains("<item><error><objectType>KalturaAPIException</objectType><code>SERVICE_DOES_NOT_EXISTS</code>"),
        "{text}"
    );
    assert!(text.contains("</result><executionTime>"), "{text}");
    // The KS from the first call was used by the second (and is not in the log).
    let log = format!("{:?}", mock.requests());
    assert!(!log.contains(ADMIN_SECRET), "{log}");
}

#[tokio::test]
async fn single_calls_in_xml() {
    let mock = mock().await;
    let url = mock.url();
    let ks = admin_ks(&url).await;
    let got = send(
        &url,
        "/api_v3/service/media/action/list",
        "application/json",
        json!({"ks": ks, "format": 2}).to_string().as_bytes(),
    )
    .await;
    let text = got.text();
    assert!(
        text.contains("<result><objectType>KalturaMediaListResponse</objectType><objects></objects><totalCount>0</totalCount></result>"),
        "{text}"
    );
    // No format at all is XML too, as on the server.
    let got = send(
        &url,
        "/api_v3/service/media/action/get",
        "application/json",
        b"{}",
    )
    .await;
    let text = got.text();
    assert!(text.contains("<error><objectType>KalturaAPIException</objectType><code>MISSING_KS</code><message>Missing KS, session not established</message><args></args></error>"), "{text}");
    assert_eq!(
        mock.requests().last().unwrap().format,
        kaltura_mock::Format::Xml
    );
}
