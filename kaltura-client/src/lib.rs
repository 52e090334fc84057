//! Typed Rust client for the Kaltura video platform API.
//!
//! The API surface (every service, action, class and enum) is generated from the
//! server's `KalturaClient.xml` into [`types`] and [`services`]; the runtime around it
//! (sessions, transport, multirequests, uploads, pagination, retries) is written by
//! hand. Runnable programs for each topic below are in the crate's `examples/` folder.
//!
//! # Quick start
//!
//! ```no_run
//! use kaltura_client::types::*;
//! use kaltura_client::Client;
//!
//! # async fn demo() -> Result<(), kaltura_client::Error> {
//! let client = Client::new("https://www.kaltura.com")?;
//! let ks = client
//!     .session()
//!     .start("admin secret")
//!     .partner_id(1234567)
//!     .r#type(KalturaSessionType::Admin)
//!     .await?;
//! client.set_ks(ks);
//!
//! let page = client
//!     .media()
//!     .list()
//!     .filter(KalturaMediaEntryFilter {
//!         name_like: "intro".into(),
//!         ..Default::default()
//!     })
//!     .await?;
//! println!("{:?} entries", page.total_count);
//! # Ok(()) }
//! ```
//!
//! The client is cheap to clone and safe to share between tasks: clones share the
//! session settings and the connection pool.
//!
//! # Sessions: three ways to get a KS
//!
//! Every call but a few carries a KS (Kaltura Session), the API's bearer token.
//!
//! 1. **From the server with the admin secret**: `session.start`, as above. The
//!    secret travels to the server once.
//! 2. **From the server with a user's credentials**: `user.loginByLoginId` returns a
//!    KS for that user, with the user's role; no admin secret involved.
//! 3. **Made locally** from the admin secret, with no call at all ([`ks::KsBuilder`],
//!    v1 or v2, byte-compatible with the vendor's generator), which also reads and
//!    checks tokens ([`ks::Ks::inspect`], [`ks::Ks::validate_now`]).
//!
//! ```no_run
//! use kaltura_client::ks::{AdminSecret, KsBuilder, Privileges, SessionType};
//! # async fn demo(client: kaltura_client::Client) -> Result<(), Box<dyn std::error::Error>> {
//! // 2. A user's own session.
//! let ks = client.user().login_by_login_id("jane@example.com", "password").await?;
//! // 3. A USER session that may view one entry, for ten minutes, made locally.
//! let secret = AdminSecret::new("0123456789abcdef0123456789abcdef")?;
//! let ks = KsBuilder::new(1234567, SessionType::User)
//!     .privileges(Privileges::new().view_entry("0_abc123"))
//!     .expires_in(600)
//!     .generate_v2(&secret)?;
//! client.set_ks(ks);
//! # Ok(()) }
//! ```
//!
//! Session settings sent with every call live on the client ([`Client::set_ks`],
//! [`Client::set_partner_id`] for impersonation, [`Client::set_language`],
//! [`Client::set_response_profile`]); each request can override them for itself
//! (`.with_ks(..)`, `.with_partner_id(..)`, `.with_language(..)`,
//! `.with_response_profile(..)`). A KS, an admin secret or a password never shows in
//! `Debug`, `Display`, errors or logs ([`Secret`]).
//!
//! # Calls
//!
//! Services are methods of the client, actions methods of the service, both in
//! snake_case (`client.upload_token().add()`, `client.media().add_content(id)`).
//! Required parameters are arguments; optional ones are builder methods. The result
//! is a request **value**: `.await` it (or `.send()`), hand it to
//! [`Client::send`], add it to a multirequest, or turn a serve action into a URL
//! with [`Client::serve_url`]. [`Client::send_json`] and [`Client::call_json`] give
//! the raw JSON, for properties newer than this client's schema.
//!
//! # `Field`: unset, null, or a value
//!
//! Object properties are [`Field<T>`]: `Unset` is not sent (the server keeps its
//! value), `Null` is sent as `"<name>__null"` and clears the value on the server, and
//! `Set(v)` sends `v`. `.into()` makes a `Set` from a value.
//!
//! ```no_run
//! use kaltura_client::types::KalturaMediaEntry;
//! use kaltura_client::Field;
//! # async fn demo(client: kaltura_client::Client) -> Result<(), kaltura_client::Error> {
//! let changes = KalturaMediaEntry {
//!     tags: "news,2024".into(), // set
//!     description: Field::Null, // cleared
//!     ..Default::default()      // everything else left as it is
//! };
//! client.media().update("0_abc123", changes).await?;
//! # Ok(()) }
//! ```
//!
//! # Polymorphic values: the `…Any` types
//!
//! Where the API may answer with any subclass of a class, the result is an enum named
//! after the class with `Any` (`KalturaBaseEntryAny`, `KalturaMediaEntryAny`), chosen
//! by the `objectType` the server sends. A class this client does not know arrives as
//! `Unknown`, keeping its raw JSON and the base class's properties; `.to_base()` reads
//! the shared properties of any variant.
//!
//! ```no_run
//! use kaltura_client::types::*;
//! # async fn demo(client: kaltura_client::Client) -> Result<(), kaltura_client::Error> {
//! match client.base_entry().get("0_abc123").await? {
//!     KalturaBaseEntryAny::KalturaMediaEntry(media) => println!("{:?}", media.duration),
//!     other => println!("a {}: {:?}", other.object_type(), other.to_base().name),
//! }
//! # Ok(()) }
//! ```
//!
//! # Multirequests
//!
//! Several calls in one HTTP request, later ones using earlier results through typed
//! handles; each call has its own result. See [`multirequest`].
//!
//! ```no_run
//! # async fn demo(client: kaltura_client::Client) -> Result<(), kaltura_client::Error> {
//! let mut mr = client.multirequest();
//! let token = mr.add(client.upload_token().add());
//! let fetched = mr.add(client.upload_token().get(token.field("id")));
//! let results = mr.await?;
//! let token = results.get(&fetched)?;
//! # Ok(()) }
//! ```
//!
//! # Uploads
//!
//! [`Client::upload`] sends a file or any async reader into an upload token in
//! chunks, resumably, with progress reports, never sending the final chunk twice.
//! See [`upload`].
//!
//! ```no_run
//! use kaltura_client::types::*;
//! use kaltura_client::{UploadOptions, UploadSource};
//! # async fn demo(client: kaltura_client::Client) -> Result<(), Box<dyn std::error::Error>> {
//! let token = client
//!     .upload(UploadSource::path("movie.mp4"), UploadOptions::new())
//!     .await?;
//! let entry = client
//!     .media()
//!     .add(KalturaMediaEntry {
//!         name: "Movie".into(),
//!         media_type: KalturaMediaType::Video.into(),
//!         ..Default::default()
//!     })
//!     .await?;
//! client
//!     .media()
//!     .add_content(entry.to_base().id.as_deref().unwrap_or_default())
//!     .resource(KalturaUploadedFileTokenResource {
//!         token: token.id,
//!         ..Default::default()
//!     })
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! # Pagination
//!
//! List actions that take a pager stream their items across pages with
//! `.paginate(page_size)`, stopping on a short page or at `totalCount`. See
//! [`pagination`].
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! # async fn demo(client: kaltura_client::Client) -> Result<(), kaltura_client::Error> {
//! let mut entries = client.media().list().paginate(100);
//! while let Some(entry) = entries.try_next().await? {
//!     println!("{:?}", entry.to_base().id);
//! }
//! # Ok(()) }
//! ```
//!
//! # Errors
//!
//! Every call fails with one [`Error`]: [`Error::Api`] for an error the server
//! reported (its code is [`Error::code`], e.g. `ENTRY_ID_NOT_FOUND`), and transport,
//! timeout, HTTP status, unexpected body (an HTML page), decode (naming the field
//! path) and invalid-input errors. `Display` shows the Kaltura code and message.
//!
//! ```no_run
//! # async fn demo(client: kaltura_client::Client) -> Result<(), kaltura_client::Error> {
//! match client.media().get("0_missing").await {
//!     Ok(entry) => println!("{}", entry.object_type()),
//!     Err(e) if e.code() == Some("ENTRY_ID_NOT_FOUND") => println!("no such entry"),
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```
//!
//! # Retries and timeouts
//!
//! Off by default. With a [`RetryPolicy`] on the client, calls that failed in a way
//! a repeat may cure (connection errors, timeouts, HTTP 429 and 5xx without an API
//! error) are repeated after a jittered exponential backoff, honouring
//! `Retry-After`, but only for read-like actions (`get`, `list`, `count`, `search`,
//! `serve` and their `getX`/`listX`/... forms) unless a call says otherwise with
//! `.with_retry(..)`. Writes and uploads are never repeated on their own. See
//! [`retry`].
//!
//! ```no_run
//! use kaltura_client::{Client, Retry, RetryPolicy};
//! use kaltura_client::types::KalturaCategory;
//! use std::time::Duration;
//! # async fn demo() -> Result<(), kaltura_client::Error> {
//! let client = Client::builder("https://www.kaltura.com")
//!     .timeout(Duration::from_secs(30))          // each attempt of a call
//!     .connect_timeout(Duration::from_secs(5))   // opening a connection
//!     .upload_timeout(Duration::from_secs(600))  // each attempt of a call with files
//!     .retry(RetryPolicy::standard().max_attempts(4))
//!     .build()?;
//! // A write known to be harmless to repeat (here: it fails on a duplicate).
//! let category = KalturaCategory { name: "News".into(), ..Default::default() };
//! client.category().add(category).with_retry(Retry::Force).await?;
//! # Ok(()) }
//! ```
//!
//! # Logging
//!
//! Every call is a `tracing` span named `kaltura.call` (target `kaltura_client`) with
//! the fields `service`, `action`, `attempt`, `status` (or `error`) and
//! `duration_ms`; retries are `INFO` events, each attempt a `DEBUG` event. Request and
//! response bodies are written only at `TRACE`, with every KS, secret and password
//! blanked out (including a KS the server hands back).
//!
//! # Testing code that uses the client
//!
//! With the `test-util` feature, `transport::MockTransport` answers calls from
//! canned replies and keeps every request it was given; pass it with
//! [`ClientBuilder::transport`]. Any [`transport::Transport`] can be plugged in the
//! same way (a proxy layer, middleware, another HTTP client).
//!
//! # Features
//!
//! * `reqwest` (default): the default transport, reqwest with rustls.
//! * One feature per Kaltura plugin, in snake_case (`metadata`, `caption`,
//!   `content_distribution`, ...), each enabling the plugin's services and types and
//!   the plugins it depends on; `full` enables every plugin. The core API needs none.
//! * `test-util`: `transport::MockTransport`.

pub mod client;
pub mod codec;
mod dynamic;
pub mod enums;
pub mod error;
pub mod field;
pub mod ks;
mod logging;
pub mod meta;
pub mod multirequest;
pub mod object;
pub mod pagination;
pub mod request;
pub mod retry;
#[doc(hidden)]
pub mod rt;
pub mod secret;
pub mod transport;
pub mod upload;

#[rustfmt::skip]
#[allow(clippy::all, deprecated, non_camel_case_types, unused_imports, unused_variables)]
mod generated;

pub use client::{Client, ClientBuilder, ClientConfig, Proxy, ServeUrl};
pub use error::{ApiError, Error};
pub use field::Field;
pub use multirequest::{Handle, MultiRequest, MultiResponse, ResultRef};
pub use request::{FileParam, Request, ServedFile};
pub use retry::{Retry, RetryPolicy};
pub use secret::Secret;
pub use upload::{Progress, UploadError, UploadOptions, UploadSource};

/// Every generated class and enum, by its Kaltura name.
pub mod types {
    pub use crate::generated::enums::*;
    pub use crate::generated::types::*;
    pub use crate::object::{AnyObject, UnknownObject};
}

/// The generated service handles and request values.
pub mod services {
    pub use crate::generated::services::*;
}

/// The API version the generated code was made from.
pub use generated::API_VERSION;
