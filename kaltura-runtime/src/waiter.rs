//! Waiting for the server to finish with an object: an entry until it is READY, a
//! flavor or caption asset until it is converted, an upload token until its file has
//! arrived.
//!
//! A [`Waiter`] asks for the object again and again, waiting a little longer between
//! two asks each time (2 s, then doubling up to 30 s, by default), until its status
//! says it is done, that it never will be, or until the time allowed has passed
//! (10 minutes by default):
//!
//! ```no_run
//! # use kaltura_runtime as kaltura_client;
//! # async fn demo(client: kaltura_client::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use kaltura_client::waiter::Waiter;
//! use std::time::Duration;
//!
//! // The entry as JSON; `Waiter::<KalturaBaseEntryAny>` gives the generated type.
//! let entry = Waiter::<serde_json::Value>::entry_ready(&client, "0_abc123")
//!     .timeout(Duration::from_secs(30 * 60))
//!     .await?;
//! println!("{} is ready", entry["id"].as_str().unwrap_or_default());
//! # Ok(()) }
//! ```
//!
//! The [client guide](https://docs.rs/kaltura-client/latest/kaltura_client/#everyday-tasks)
//! waits for a `KalturaBaseEntryAny` and tells the ways a wait ends apart.
//!
//! The four common waits read the `status` of the object the server answers and
//! return the object decoded as the type asked for (any [`Output`]: the generated
//! class, its `…Any` enum, or JSON):
//!
//! | constructor | call | done | failed |
//! |---|---|---|---|
//! | [`Waiter::entry_ready`] | `baseEntry.get` | READY | ERROR_IMPORTING, ERROR_CONVERTING, DELETED, BLOCKED, INFECTED, SCAN_FAILURE |
//! | [`Waiter::flavor_asset_ready`] | `flavorAsset.get` | READY | ERROR, DELETED, NOT_APPLICABLE |
//! | [`Waiter::caption_asset_ready`] | `captionAsset.get` (caption plugin) | READY | ERROR, DELETED |
//! | [`Waiter::upload_token_done`] | `uploadToken.get` | FULL_UPLOAD, CLOSED | TIMED_OUT, DELETED |
//!
//! Any other status (and one this client does not know) is waited on. Other waits
//! are written with [`Waiter::new`]: a request to send and a closure that reads its
//! answer's [`Status`].
//!
//! # Ending
//!
//! A wait ends with the object, or with a [`WaitError`]: the object reached a state it
//! does not leave ([`WaitError::Failed`], naming it), the time ran out
//! ([`WaitError::Timeout`], naming the last state seen), or a call failed
//! ([`WaitError::Call`], the error as it came: `ENTRY_ID_NOT_FOUND`, the network; the
//! client's retry policy applies to each ask, as they are `get` calls). Nothing runs
//! in the background: dropping the future stops the wait, and the time limit is
//! checked between asks, each of which the client's own timeout bounds.

use crate::client::Client;
use crate::codec::{Json, ReadError};
use crate::error::Error;
use crate::internal::Internal;
use crate::request::Request;
use crate::response::Output;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

/// Where an object stands, with the name of its state as a person reads it
/// (`PRECONVERT (1)`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Status {
    /// Not done yet: ask again.
    Pending(String),
    /// Done: the wait ends with the object.
    Done(String),
    /// A state the object does not leave: the wait ends with [`WaitError::Failed`].
    Failed(String),
}

impl Status {
    /// The state's name.
    pub fn state(&self) -> &str {
        match self {
            Status::Pending(s) | Status::Done(s) | Status::Failed(s) => s,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.state())
    }
}

/// Why a wait ended without its object.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError {
    /// The object reached a state it does not leave (`ERROR_CONVERTING (-1)`).
    #[error("{what} is {state}, which it will not leave")]
    Failed {
        /// What was waited for (`entry 0_abc123`).
        what: String,
        state: String,
    },
    /// The time allowed passed before the object was done.
    #[error(
        "{what} was not done after {}; its last state was {}",
        humanize(*waited),
        last.as_deref().unwrap_or("not known")
    )]
    Timeout {
        what: String,
        waited: Duration,
        /// The state of the last answer, if one came.
        last: Option<String>,
    },
    /// Asking failed (an API error such as `ENTRY_ID_NOT_FOUND`, the network, ...).
    #[error(transparent)]
    Call(#[from] Error),
}

impl WaitError {
    /// The error of the call that failed, if that is what ended the wait.
    pub fn call(&self) -> Option<&Error> {
        match self {
            WaitError::Call(e) => Some(e),
            _ => None,
        }
    }
}

/// `90 s`, `10 min`, `1 h 5 min`: a duration for messages.
fn humanize(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=119 => format!("{s} s"),
        120..=3599 if s.is_multiple_of(60) => format!("{} min", s / 60),
        120..=3599 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

type Poll<O> = Box<
    dyn FnMut(Client) -> Pin<Box<dyn Future<Output = Result<(O, Status), Error>> + Send>> + Send,
>;
type OnProgress = Box<dyn FnMut(&Status, Duration) + Send>;

/// A wait for an object to be done; await it (see [`crate::waiter`]).
#[must_use = "nothing is asked until the waiter is awaited"]
pub struct Waiter<O> {
    client: Client,
    what: String,
    poll: Poll<O>,
    timeout: Duration,
    first: Duration,
    longest: Duration,
    on_progress: Option<OnProgress>,
}

impl<O> fmt::Debug for Waiter<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("what", &self.what)
            .field("timeout", &self.timeout)
            .field("interval", &(self.first, self.longest))
            .finish_non_exhaustive()
    }
}

impl<O: Send + 'static> Waiter<O> {
    /// A wait that sends the request `make` builds, again each time, and reads where
    /// the object stands from the answer with `status`. `what` names the object in
    /// errors and logs (`entry 0_abc123`).
    ///
    /// The requests are `kaltura-client`'s generated ones: with `c` a clone of the
    /// client, `Waiter::new(&client, "entry 0_abc123", move || c.media().get("0_abc123"),
    /// status)` waits on a media entry, `status` reading the entry's `status` and
    /// answering [`Status::Done`] for READY, [`Status::Pending`] for the import's and
    /// the conversion's states, and [`Status::Failed`] for any other.
    pub fn new<R, M, S>(client: &Client, what: impl Into<String>, mut make: M, status: S) -> Self
    where
        R: Request<Output = O>,
        M: FnMut() -> R + Send + 'static,
        S: Fn(&O) -> Status + Send + Sync + 'static,
        O: Output,
    {
        let status = std::sync::Arc::new(status);
        Self::with_poll(
            client,
            what.into(),
            Box::new(move |client: Client| {
                let request = make();
                let status = status.clone();
                Box::pin(async move {
                    let output = client.send(request).await?;
                    let now = status(&output);
                    Ok((output, now))
                })
            }),
        )
    }

    fn with_poll(client: &Client, what: String, poll: Poll<O>) -> Self {
        Waiter {
            client: client.clone(),
            what,
            poll,
            timeout: Duration::from_secs(600),
            first: Duration::from_secs(2),
            longest: Duration::from_secs(30),
            on_progress: None,
        }
    }

    /// How long to wait in all (10 minutes by default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The wait after the first ask, doubling after each ask up to `longest`
    /// (2 s and 30 s by default).
    pub fn interval(mut self, first: Duration, longest: Duration) -> Self {
        self.first = first;
        self.longest = longest.max(first);
        self
    }

    /// Calls `f` after each answer with where the object stands and the time waited
    /// so far (for progress messages).
    pub fn on_progress(mut self, f: impl FnMut(&Status, Duration) + Send + 'static) -> Self {
        self.on_progress = Some(Box::new(f));
        self
    }

    /// Asks until the object is done, fails, or the time runs out.
    pub async fn wait(self) -> Result<O, WaitError> {
        let Waiter {
            client,
            what,
            mut poll,
            timeout,
            first,
            longest,
            mut on_progress,
        } = self;
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::InvalidInput(
                "waiting needs tokio's timer: await the waiter on a tokio runtime".into(),
            )
            .into());
        }
        let started = tokio::time::Instant::now();
        let deadline = started + timeout;
        let mut interval = first.max(Duration::from_millis(1));
        loop {
            let (output, status) = poll(client.clone()).await?;
            let waited = started.elapsed();
            tracing::debug!(
                target: "kaltura_runtime",
                what = %what,
                state = status.state(),
                waited_ms = waited.as_millis() as u64,
                "waiting"
            );
            if let Some(f) = on_progress.as_mut() {
                f(&status, waited);
            }
            let last = match status {
                Status::Done(_) => return Ok(output),
                Status::Failed(state) => return Err(WaitError::Failed { what, state }),
                Status::Pending(state) => state,
            };
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Err(WaitError::Timeout {
                    what,
                    waited: now - started,
                    last: Some(last),
                });
            }
            // The last ask falls on the deadline rather than after it.
            tokio::time::sleep(interval.min(deadline - now)).await;
            interval = interval.saturating_mul(2).min(longest);
        }
    }
}

impl<O: Send + 'static> IntoFuture for Waiter<O> {
    type Output = Result<O, WaitError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.wait())
    }
}

// ---- the four common waits ----

/// How one kind of object is asked for and what its statuses mean.
struct Kind {
    /// What the object is called in messages.
    noun: &'static str,
    /// The service whose `get` reads it.
    service: &'static str,
    /// The `get` action's id parameter.
    id_param: &'static str,
    /// `(value, name, meaning)` of the status enum, from the API description.
    states: &'static [(&'static str, &'static str, Meaning)],
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Meaning {
    Pending,
    Done,
    Failed,
}

use Meaning::{Done, Failed, Pending};

/// `KalturaEntryStatus`.
const ENTRY: Kind = Kind {
    noun: "entry",
    service: "baseentry",
    id_param: "entryId",
    states: &[
        ("-2", "ERROR_IMPORTING", Failed),
        ("-1", "ERROR_CONVERTING", Failed),
        ("0", "IMPORT", Pending),
        ("1", "PRECONVERT", Pending),
        ("2", "READY", Done),
        ("3", "DELETED", Failed),
        ("4", "PENDING", Pending),
        ("5", "MODERATE", Pending),
        ("6", "BLOCKED", Failed),
        // Made, its content not yet given: an upload may still attach it.
        ("7", "NO_CONTENT", Pending),
        ("virusScan.Infected", "INFECTED", Failed),
        ("virusScan.ScanFailure", "SCAN_FAILURE", Failed),
    ],
};

/// `KalturaFlavorAssetStatus`.
const FLAVOR_ASSET: Kind = Kind {
    noun: "flavor asset",
    service: "flavorasset",
    id_param: "id",
    states: &[
        ("-1", "ERROR", Failed),
        ("0", "QUEUED", Pending),
        ("1", "CONVERTING", Pending),
        ("2", "READY", Done),
        ("3", "DELETED", Failed),
        // The source cannot give this flavor (smaller than it, say): never READY.
        ("4", "NOT_APPLICABLE", Failed),
        ("5", "TEMP", Pending),
        ("6", "WAIT_FOR_CONVERT", Pending),
        ("7", "IMPORTING", Pending),
        ("8", "VALIDATING", Pending),
        ("9", "EXPORTING", Pending),
    ],
};

/// `KalturaCaptionAssetStatus`.
const CAPTION_ASSET: Kind = Kind {
    noun: "caption asset",
    service: "caption_captionasset",
    id_param: "captionAssetId",
    states: &[
        ("-1", "ERROR", Failed),
        ("0", "QUEUED", Pending),
        ("2", "READY", Done),
        ("3", "DELETED", Failed),
        ("7", "IMPORTING", Pending),
        ("9", "EXPORTING", Pending),
    ],
};

/// `KalturaUploadTokenStatus`.
const UPLOAD_TOKEN: Kind = Kind {
    noun: "upload token",
    service: "uploadtoken",
    id_param: "uploadTokenId",
    states: &[
        ("0", "PENDING", Pending),
        ("1", "PARTIAL_UPLOAD", Pending),
        ("2", "FULL_UPLOAD", Done),
        // The file was attached to an entry: its upload is long finished.
        ("3", "CLOSED", Done),
        ("4", "TIMED_OUT", Failed),
        ("5", "DELETED", Failed),
    ],
};

impl Kind {
    /// Where an object with this `status` value stands; an unknown value (a newer
    /// server's) is waited on, under its value.
    fn status(&self, value: Option<&str>) -> Status {
        let Some(value) = value else {
            return Status::Pending("without a status".into());
        };
        match self.states.iter().find(|(v, _, _)| *v == value) {
            Some((v, name, meaning)) => {
                let shown = format!("{name} ({v})");
                match meaning {
                    Pending => Status::Pending(shown),
                    Done => Status::Done(shown),
                    Failed => Status::Failed(shown),
                }
            }
            None => Status::Pending(value.to_string()),
        }
    }
}

/// An answer decoded as `O`, with its top-level `status` as text.
struct WithStatus<O> {
    output: O,
    status: Option<String>,
}

impl<O: Output> Output for WithStatus<O> {
    fn from_slice(json: &[u8]) -> Result<Self, ReadError> {
        let output = O::from_slice(json)?;
        let status = serde_json::from_slice::<TopStatus>(json)
            .map(|s| s.0)
            .unwrap_or_default();
        Ok(WithStatus { output, status })
    }
}

/// The top-level `status` member of an object, a number or a string.
struct TopStatus(Option<String>);

impl<'de> Deserialize<'de> for TopStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = TopStatus;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopStatus, A::Error> {
                let mut status = None;
                while let Some(key) = map.next_key::<IsStatus>()? {
                    if key.0 {
                        status = match map.next_value::<Json>()? {
                            Json::String(s) => Some(s),
                            Json::Number(n) => Some(n.to_string()),
                            _ => None,
                        };
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(TopStatus(status))
            }
        }
        d.deserialize_map(Object)
    }
}

/// Whether a member name is `status`, read without allocating.
struct IsStatus(bool);

impl<'de> Deserialize<'de> for IsStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = IsStatus;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<IsStatus, E> {
                Ok(IsStatus(v == "status"))
            }
        }
        d.deserialize_identifier(V)
    }
}

impl<O: Output> Waiter<O> {
    fn common(client: &Client, kind: &'static Kind, id: &str) -> Self {
        let id = id.to_string();
        Self::with_poll(
            client,
            format!("{} {id}", kind.noun),
            Box::new(move |client: Client| {
                let get = Internal::new(kind.service, "get").param(kind.id_param, &id);
                Box::pin(async move {
                    let answer: WithStatus<O> = get.send(&client).await?;
                    let status = kind.status(answer.status.as_deref());
                    Ok((answer.output, status))
                })
            }),
        )
    }

    /// Until entry `entry_id` is READY (`baseEntry.get`); fails on ERROR_IMPORTING,
    /// ERROR_CONVERTING, DELETED, BLOCKED, INFECTED and SCAN_FAILURE. The entry comes
    /// back as `O` (`KalturaBaseEntryAny`, `KalturaMediaEntry`, JSON, ...).
    pub fn entry_ready(client: &Client, entry_id: &str) -> Self {
        Self::common(client, &ENTRY, entry_id)
    }

    /// Until flavor asset `flavor_asset_id` is READY (`flavorAsset.get`); fails on
    /// ERROR, DELETED and NOT_APPLICABLE.
    pub fn flavor_asset_ready(client: &Client, flavor_asset_id: &str) -> Self {
        Self::common(client, &FLAVOR_ASSET, flavor_asset_id)
    }

    /// Until caption asset `caption_asset_id` is READY (`captionAsset.get`, of the
    /// caption plugin); fails on ERROR and DELETED.
    pub fn caption_asset_ready(client: &Client, caption_asset_id: &str) -> Self {
        Self::common(client, &CAPTION_ASSET, caption_asset_id)
    }

    /// Until upload token `upload_token_id` holds its whole file (`uploadToken.get`:
    /// FULL_UPLOAD, or CLOSED once attached to an entry); fails on TIMED_OUT and
    /// DELETED.
    pub fn upload_token_done(client: &Client, upload_token_id: &str) -> Self {
        Self::common(client, &UPLOAD_TOKEN, upload_token_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_named_from_the_schema() {
        assert_eq!(ENTRY.status(Some("2")), Status::Done("READY (2)".into()));
        assert_eq!(
            ENTRY.status(Some("-1")),
            Status::Failed("ERROR_CONVERTING (-1)".into())
        );
        assert_eq!(
            ENTRY.status(Some("virusScan.Infected")),
            Status::Failed("INFECTED (virusScan.Infected)".into())
        );
        assert_eq!(
            ENTRY.status(Some("1")),
            Status::Pending("PRECONVERT (1)".into())
        );
        assert_eq!(ENTRY.status(Some("42")), Status::Pending("42".into()));
        assert_eq!(
            FLAVOR_ASSET.status(Some("4")),
            Status::Failed("NOT_APPLICABLE (4)".into())
        );
        assert_eq!(
            UPLOAD_TOKEN.status(Some("3")),
            Status::Done("CLOSED (3)".into())
        );
        assert!(matches!(UPLOAD_TOKEN.status(None), Status::Pending(_)));
        assert!(matches!(
            CAPTION_ASSET.status(Some("0")),
            Status::Pending(_)
        ));
    }

    #[test]
    fn the_status_is_read_beside_the_object() {
        let read = |json: &str| {
            serde_json::from_slice::<TopStatus>(json.as_bytes())
                .unwrap()
                .0
        };
        assert_eq!(
            read(r#"{"id": "0_a", "status": "2", "x": {"status": 9}}"#).as_deref(),
            Some("2")
        );
        assert_eq!(read(r#"{"status": -1}"#).as_deref(), Some("-1"));
        assert_eq!(read(r#"{"id": "0_a"}"#), None);
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(humanize(Duration::from_secs(90)), "90 s");
        assert_eq!(humanize(Duration::from_secs(600)), "10 min");
        assert_eq!(humanize(Duration::from_secs(630)), "10 min 30 s");
        assert_eq!(humanize(Duration::from_secs(3900)), "1 h 5 min");
    }
}
