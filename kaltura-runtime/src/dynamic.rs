//! Calls built at run time: a service, an action and JSON parameters chosen by a
//! program (the `kaltura` command line, scripts, proxies) instead of a generated
//! request type.
//!
//! They travel exactly the way generated requests do: the same client parameters
//! (`format`, `clientTag`, `apiVersion`), the same session settings (`ks`, `partnerId`,
//! `language`, `responseProfile`; values in `params` win), the same timeouts, the same
//! detection of API errors and of answers that are not API JSON, and the same removal
//! of the KS, secrets and passwords from error texts.
//!
//! Nothing here checks the parameters against the schema; see [`crate::meta`] for the
//! data to do that with.

use crate::call::PreparedCall;
use crate::client::Client;
use crate::codec::Json;
use crate::error::Error;
use crate::files::FileParam;
use crate::redact::Redactor;
use crate::response::{parse_body, served_file, ServedFile};
use crate::transport::HttpResponse;
use serde_json::Map;

impl Client {
    /// Calls `service.action` with parameters given as JSON and returns the result as
    /// JSON.
    ///
    /// `service` is the wire id (`media`, `uploadtoken`, `metadata_metadata`) and
    /// `action` the action name as the server spells it (`list`, `loginByLoginId`).
    /// Scalars in `params` should be native JSON (numbers, `true`/`false`) and objects
    /// should carry their `objectType`; a property is cleared with `"<name>__null": ""`.
    /// `files` become the parts of a multipart body, beside the JSON.
    ///
    /// An action that returns nothing gives `Json::Null`. For actions that serve a
    /// file use [`Client::call_served`].
    ///
    /// ```no_run
    /// # use kaltura_runtime as kaltura_client;
    /// # async fn demo(client: kaltura_client::Client) -> Result<(), kaltura_client::Error> {
    /// use serde_json::json;
    /// let params = json!({
    ///     "filter": {"objectType": "KalturaMediaEntryFilter", "nameLike": "intro"},
    ///     "pager": {"objectType": "KalturaFilterPager", "pageSize": 5},
    /// });
    /// let page = client
    ///     .call_json("media", "list", params.as_object().cloned().unwrap_or_default(), vec![])
    ///     .await?;
    /// println!("{}", page["totalCount"]);
    /// # Ok(()) }
    /// ```
    pub async fn call_json(
        &self,
        service: &str,
        action: &str,
        params: Map<String, Json>,
        files: Vec<(String, FileParam)>,
    ) -> Result<Json, Error> {
        let (response, secrets) = self
            .exchange_dynamic(service, action, params, files)
            .await?;
        parse_body(&response).map_err(|e| e.redact(&secrets))
    }

    /// Calls an action that serves a file (`thumbAsset.serve`, `document.serve`, ...)
    /// and returns its bytes. An API error sent instead of the file is reported as
    /// [`Error::Api`], as for any call.
    pub async fn call_served(
        &self,
        service: &str,
        action: &str,
        params: Map<String, Json>,
    ) -> Result<ServedFile, Error> {
        let (response, secrets) = self
            .exchange_dynamic(service, action, params, Vec::new())
            .await?;
        served_file::<ServedFile>(response).map_err(|e| e.redact(&secrets))
    }

    async fn exchange_dynamic(
        &self,
        service: &str,
        action: &str,
        params: Map<String, Json>,
        files: Vec<(String, FileParam)>,
    ) -> Result<(HttpResponse, Redactor), Error> {
        check_name("service", service)?;
        check_name("action", action)?;
        self.exchange(PreparedCall::dynamic(self, service, action, params, files))
            .await
    }
}

/// Service ids and action names are identifiers; anything else would change the
/// URL's meaning (`/`, `?`, `..`) rather than name an action.
fn check_name(what: &str, name: &str) -> Result<(), Error> {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "the {what} name `{name}` is not an identifier (letters, digits and `_` only)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(check_name("service", "metadata_metadata").is_ok());
        assert!(check_name("action", "loginByLoginId").is_ok());
        for bad in ["", "media/../x", "media?x=1", "m\u{e9}", "a b"] {
            assert!(check_name("service", bad).is_err(), "{bad:?}");
        }
    }

    #[cfg(feature = "test-util")]
    fn run<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime")
            .block_on(f)
    }

    #[cfg(feature = "test-util")]
    #[test]
    fn sends_like_a_generated_request() {
        use crate::transport::{HttpResponse, MockTransport};
        let mock = MockTransport::new();
        mock.on(
            "media.list",
            HttpResponse::json(r#"{"objects":[],"totalCount":0}"#),
        );
        let client = Client::builder("https://kaltura.invalid")
            .transport(mock.clone())
            .ks("KS_VALUE")
            .build()
            .expect("client");
        let params =
            serde_json::json!({"pager": {"objectType": "KalturaFilterPager", "pageSize": 5}});
        let out = run(client.call_json(
            "media",
            "list",
            params.as_object().cloned().unwrap_or_default(),
            vec![],
        ))
        .expect("call");
        assert_eq!(out["totalCount"], 0);
        let sent = mock.last_request().expect("a request");
        assert_eq!(sent.service_action(), "media.list");
        let body = sent.json().expect("json body");
        assert_eq!(body["ks"], "KS_VALUE");
        assert_eq!(body["format"], 1);
        assert_eq!(body["pager"]["pageSize"], 5);
    }

    #[cfg(feature = "test-util")]
    #[test]
    fn errors_are_detected_and_redacted() {
        use crate::transport::{HttpResponse, MockTransport};
        let mock = MockTransport::new();
        mock.on(
            "session.start",
            HttpResponse::json(
                r#"{"objectType":"KalturaAPIException","code":"START_SESSION_ERROR","message":"bad secret TOPSECRET1"}"#,
            ),
        );
        mock.on(
            "media.get",
            HttpResponse::new(200, "<html>maintenance</html>"),
        );
        let client = Client::builder("https://kaltura.invalid")
            .transport(mock.clone())
            .build()
            .expect("client");
        let mut params = Map::new();
        params.insert(
            "secret".into(),
            serde_json::Value::String("TOPSECRET1".into()),
        );
        let err = run(client.call_json("session", "start", params, vec![])).unwrap_err();
        assert_eq!(err.code(), Some("START_SESSION_ERROR"));
        assert!(!err.to_string().contains("TOPSECRET1"), "{err}");
        let err = run(client.call_json("media", "get", Map::new(), vec![])).unwrap_err();
        assert!(matches!(err, Error::UnexpectedBody { .. }), "{err:?}");
        let err = run(client.call_json("media/x", "get", Map::new(), vec![])).unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
}
