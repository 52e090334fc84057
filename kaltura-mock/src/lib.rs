//! A local Kaltura API server for tests, checked against the API description.
//!
//! Every request is checked the way the server checks it, from the same description
//! the client is generated from (`kaltura-metadata`): an unknown service or action, a
//! missing mandatory parameter, an enum value the enum does not have, an abstract
//! `objectType`, a read-only property sent on add or update are each answered with the
//! server's error code, message and arguments (from the errors section of the
//! description). Where the server is lenient, so is the mock, and its request log
//! says what it let pass: unknown parameters and properties are dropped, an
//! `objectType` that is not the declared class or a subclass is ignored, `"abc"` sent
//! as an int is read as 0.
//!
//! Sessions are made and checked with `kaltura-ks` against the configured partners:
//! `session.start`, `user.loginByLoginId`, `session.startWidgetSession`,
//! `appToken.add`/`startSession`; every other call needs a valid KS (`MISSING_KS`,
//! `INVALID_KS` with the server's reason, `SERVICE_FORBIDDEN`; see [`sessions`] for the
//! rule applied to USER sessions). Entitlement (a partner may enforce it; the KS's
//! `disableentitlement`, `enableentitlement`, `disableentitlementforentry` and
//! `privacycontext`) and the `sview`/`download` privileges apply to the entries and
//! categories kept, through the API and the delivery URLs ([`entitlement`],
//! [`delivery`]).
//!
//! State is kept in memory (and, with [`Builder::state_file`], in a file between runs:
//! [`store::persist`]) for entries (`media`, `baseEntry`), users, categories and
//! category entries, upload tokens (chunked and resumable uploads), flavor and
//! thumbnail assets, application tokens and custom metadata with its profiles;
//! `eSearch.searchEntry` searches the stored entries. An `add` action it keeps no state
//! for answers the object sent with a new id; every other action answers a valid object
//! of its declared type, so any call decodes. Multirequests resolve `{N:result:path}`
//! references and answer errors per call. Answers are JSON (`format=1`) or XML
//! (`format=2`, the default), so the vendor's clients in other languages can test
//! against it too. Faults (latency, 5xx, HTML pages, resets, closed connections,
//! answers cut short) are applied per action or at random with a seed.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use kaltura_mock::{Fault, FaultRule, MockServer};
//! let mock = MockServer::builder()
//!     .partner(1234, "admin-secret-1234", "user-secret-1234")
//!     .fault(FaultRule::on("media.list", Fault::Status(503)).times(1))
//!     .start()
//!     .await?;
//! let url = mock.url(); // http://127.0.0.1:<port>, the client's service URL
//! # let _ = url;
//! for r in mock.requests() {
//!     println!("{:?} {:?}", r.actions(), r.error());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The server binds 127.0.0.1 only and stops when the [`MockServer`] is dropped.

pub mod check;
pub mod config;
pub mod defaults;
pub mod delivery;
pub mod entitlement;
pub mod errors;
pub mod faults;
mod handlers;
pub mod http;
pub mod log;
pub mod meta;
pub mod multirequest;
pub mod params;
mod server;
pub mod sessions;
pub mod store;
pub mod wire;

pub use config::{Config, PartnerSpec, UserSpec};
pub use errors::ApiError;
pub use faults::{Fault, FaultRule};
pub use log::{CallRecord, RequestRecord};
pub use server::{Builder, MockServer};
pub use wire::Format;
