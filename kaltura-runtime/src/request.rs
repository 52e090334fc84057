//! Requests are values: a generated action builds one, and the runtime sends it alone,
//! adds it to a multirequest, or turns a serve action into a URL or a download.

use crate::client::Client;
use crate::codec::{Encode, Json};
use crate::secret::Secret;
use serde_json::Map;

pub use crate::files::{content_type_for, FileParam, FileSource, ReadProgressFn};
pub use crate::response::{Output, ServedFile};

/// One API action with its parameters. Implemented by the generated `*Request` types.
pub trait Request: Send + 'static {
    /// What the action returns.
    type Output: Output;
    /// Wire id of the service, lowercase (`uploadtoken`, `metadata_metadataprofile`).
    const SERVICE: &'static str;
    /// Action name as the server spells it (`addFromUploadedFile`).
    const ACTION: &'static str;
    /// `false` when the server refuses this action inside a multirequest.
    const MULTIREQUEST: bool;
    /// The action streams a file instead of answering JSON.
    const SERVES_FILE: bool;
    /// The action's parameter names as the server spells them.
    const PARAMS: &'static [&'static str] = &[];

    /// The property names (wire names) of an object parameter's declared class, for
    /// checking paths into it (`MultiRequest::bind`); `None` for other parameters.
    fn param_properties(name: &str) -> Option<&'static [&'static str]> {
        let _ = name;
        None
    }

    /// The action's parameters as sent: only those given, scalars as native JSON.
    fn params(&self) -> Params;

    /// Moves the file parameters out, for a multipart body.
    fn take_files(&mut self) -> Vec<(&'static str, FileParam)> {
        Vec::new()
    }

    fn options(&self) -> &CallOptions;
    fn options_mut(&mut self) -> &mut CallOptions;
}

/// The parameters of one call, in the order they were added.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params(pub Map<String, Json>);

impl Params {
    pub fn new() -> Self {
        Params::default()
    }

    pub fn put<T: Encode + ?Sized>(&mut self, name: &str, value: &T) {
        self.0.insert(name.to_string(), value.encode());
    }

    /// Adds the parameter when it was given; absent ones keep the server's default.
    pub fn put_opt<T: Encode>(&mut self, name: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.put(name, v);
        }
    }

    pub fn into_map(self) -> Map<String, Json> {
        self.0
    }
}

/// Per-call settings that override the client's (Kaltura's "request configuration"),
/// and the client a request was made from.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub client: Option<Client>,
    pub ks: Option<Secret>,
    pub partner_id: Option<i64>,
    pub language: Option<String>,
    pub response_profile: Option<Json>,
    /// Whether this call may be retried (see [`crate::retry`]).
    pub retry: crate::retry::Retry,
}
