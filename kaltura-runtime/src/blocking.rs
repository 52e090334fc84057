//! Calls that block: for scripts and synchronous programs, in the spirit of
//! `reqwest::blocking`. A [`Blocking`] client owns a small tokio runtime of its own and
//! runs each call to its end on the calling thread.
//!
//! ```no_run
//! # fn demo(client: kaltura_runtime::Client) -> Result<(), kaltura_runtime::Error> {
//! use kaltura_runtime::blocking::Blocking;
//!
//! let client = Blocking::new(client)?;
//! client.set_ks(std::env::var("KALTURA_KS").unwrap_or_default());
//! let page = client.wait(client.call_json("media", "list", Default::default(), vec![]))?;
//! println!("{} entries", page["totalCount"]);
//! # Ok(()) }
//! ```
//!
//! With `kaltura-client` (feature `blocking`) the client comes from
//! `Client::new(url)?.into_blocking()?` and waits on its generated requests too:
//! `client.wait(client.media().list())`.
//!
//! Do not use it inside an async program: waiting on a runtime from within another
//! panics (tokio's rule). There, `.await` the calls.

use crate::error::Error;
use std::future::IntoFuture;
use std::sync::Arc;

/// A client whose calls block: `client.wait(request)`. It dereferences to the client
/// it wraps, so requests are made as usual (`client.media().list()`).
#[derive(Clone)]
pub struct Blocking<C> {
    client: C,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl<C: std::fmt::Debug> std::fmt::Debug for Blocking<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Blocking").field(&self.client).finish()
    }
}

impl<C> Blocking<C> {
    /// Wraps `client`, starting the runtime its calls will run on.
    pub fn new(client: C) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::transport("cannot start the runtime for blocking calls", e))?;
        Ok(Blocking {
            client,
            runtime: Arc::new(runtime),
        })
    }

    /// Runs a call (a request value, a multirequest, an upload) to its end.
    pub fn wait<F: IntoFuture>(&self, call: F) -> F::Output {
        self.runtime.block_on(call.into_future())
    }

    /// The client inside, for its async calls.
    pub fn client(&self) -> &C {
        &self.client
    }

    pub fn into_inner(self) -> C {
        self.client
    }
}

impl<C> std::ops::Deref for Blocking<C> {
    type Target = C;
    fn deref(&self) -> &C {
        &self.client
    }
}
