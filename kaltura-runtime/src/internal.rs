//! The calls the runtime makes by itself (sessions, app-token exchanges, upload tokens,
//! waits), written one way: an [`Internal`] call names its service and action, takes
//! its parameters, and is sent through the same preparation and call loop as a
//! generated request (retries, time limits, logs, redaction), its answer decoded as
//! the type the caller asks for. The runtime never imports generated code, so these
//! calls are not generated request types.

use crate::call::PreparedCall;
use crate::client::Client;
use crate::codec::Encode;
use crate::error::Error;
use crate::files::FileParam;
use crate::request::{CallOptions, Params};
use crate::response::{decode_response, Output};
use crate::retry::Retry;

/// One call of the runtime's own. The client's KS and partner go with it unless a
/// parameter sets them (`ks` set to `""` sends none: an empty KS is no KS to the
/// server).
pub(crate) struct Internal {
    service: &'static str,
    action: &'static str,
    params: Params,
    files: Vec<(String, FileParam)>,
    options: CallOptions,
}

impl Internal {
    pub(crate) fn new(service: &'static str, action: &'static str) -> Self {
        Internal {
            service,
            action,
            params: Params::new(),
            files: Vec::new(),
            options: CallOptions::default(),
        }
    }

    pub(crate) fn param<T: Encode + ?Sized>(mut self, name: &str, value: &T) -> Self {
        self.params.put(name, value);
        self
    }

    /// Adds the parameter when it is given.
    pub(crate) fn param_opt<T: Encode>(mut self, name: &str, value: &Option<T>) -> Self {
        self.params.put_opt(name, value);
        self
    }

    /// Sends no KS, whatever the client holds (a session start, a widget session).
    pub(crate) fn without_ks(self) -> Self {
        self.param("ks", "")
    }

    pub(crate) fn file(mut self, name: &str, file: FileParam) -> Self {
        self.files.push((name.to_string(), file));
        self
    }

    pub(crate) fn retry(mut self, retry: Retry) -> Self {
        self.options.retry = retry;
        self
    }

    /// Sends the call and decodes its result as `O`.
    pub(crate) async fn send<O: Output>(self, client: &Client) -> Result<O, Error> {
        let call = PreparedCall::new(
            client.config(),
            &client.settings(),
            self.service,
            self.action,
            self.params.into_map(),
            &self.options,
            self.files,
        );
        let (response, secrets) = client.exchange(call).await?;
        decode_response(&response).map_err(|e| e.redact(&secrets))
    }
}
