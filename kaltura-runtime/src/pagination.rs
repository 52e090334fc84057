//! List actions consumed as a stream of items across pages.
//!
//! Every generated `list`-style request whose action takes a `pager` and returns a
//! list response (`objects` + `totalCount`) implements [`Paginated`], and gets
//! `.paginate(page_size)`:
//!
//! ```no_run
//! # async fn demo(client: kaltura_client::Client) -> Result<(), kaltura_client::Error> {
//! use futures_util::TryStreamExt;
//! let entries: Vec<_> = client.media().list().paginate(100).try_collect().await?;
//! # Ok(()) }
//! ```
//!
//! The stream asks for page 1, 2, ... with the page size given (the server's default
//! is 30 and its maximum 500), and stops after a short page, an empty page, or once
//! the reported `totalCount` has been reached. Kaltura refuses to page deeper than
//! 10 000 results for most lists: narrow the filter (e.g. by `createdAtGreaterThanOrEqual`)
//! to walk further.

use crate::request::Request;
use crate::{Client, Error};
use futures_util::stream::{self, Stream};
use std::collections::VecDeque;

/// A list request that can be paged.
pub trait Paginated: Request + Clone {
    /// One element of the list.
    type Item: Send + 'static;

    /// Sets the pager to page `page_index` (1-based) of `page_size` items.
    fn set_page(&mut self, page_index: i64, page_size: i64);

    /// The items of one page and the reported total, if any.
    fn into_page(output: Self::Output) -> (Vec<Self::Item>, Option<i64>);
}

struct State<R: Paginated> {
    client: Client,
    request: R,
    page_size: i64,
    next_page: i64,
    seen: i64,
    buffer: VecDeque<R::Item>,
    done: bool,
}

/// Streams every item of a list request, one page at a time.
pub fn paginate<R: Paginated>(
    client: Client,
    request: R,
    page_size: i64,
) -> impl Stream<Item = Result<R::Item, Error>> + Send + 'static
where
    R::Output: Send,
{
    let state = State {
        client,
        request,
        page_size: page_size.max(1),
        next_page: 1,
        seen: 0,
        buffer: VecDeque::new(),
        done: false,
    };
    stream::unfold(state, |mut s| async move {
        loop {
            if let Some(item) = s.buffer.pop_front() {
                return Some((Ok(item), s));
            }
            if s.done {
                return None;
            }
            let mut page = s.request.clone();
            page.set_page(s.next_page, s.page_size);
            match s.client.send(page).await {
                Ok(output) => {
                    let (items, total) = R::into_page(output);
                    let count = items.len() as i64;
                    s.seen += count;
                    s.next_page += 1;
                    s.done = count < s.page_size || total.is_some_and(|t| s.seen >= t);
                    s.buffer.extend(items);
                }
                Err(e) => {
                    s.done = true;
                    return Some((Err(e), s));
                }
            }
        }
    })
}

/// Adds `.paginate(page_size)` to a generated list request.
#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_paginated {
    ($t:ty) => {
        impl $t {
            /// Asks for the first page with `page_size` items (the `pager` parameter,
            /// in one call): `client.media().list().page_size(20).await`.
            pub fn page_size(mut self, page_size: i64) -> Self {
                $crate::pagination::Paginated::set_page(&mut self, 1, page_size);
                self
            }

            /// Every item of the list, fetched page by page with this page size, as a
            /// stream (see [`crate::pagination`]). Needs a request made from a client.
            pub fn paginate(
                self,
                page_size: i64,
            ) -> ::std::pin::Pin<
                ::std::boxed::Box<
                    dyn $crate::pagination::__Stream<
                            Item = ::std::result::Result<
                                <$t as $crate::pagination::Paginated>::Item,
                                $crate::Error,
                            >,
                        > + Send,
                >,
            > {
                match $crate::request::Request::options(&self).client.clone() {
                    Some(client) => ::std::boxed::Box::pin($crate::pagination::paginate(
                        client, self, page_size,
                    )),
                    None => ::std::boxed::Box::pin($crate::pagination::__unbound()),
                }
            }
        }
    };
}

#[doc(hidden)]
pub use futures_util::stream::Stream as __Stream;

#[doc(hidden)]
pub fn __unbound<T>() -> impl Stream<Item = Result<T, Error>> + Send {
    stream::once(async {
        Err(Error::InvalidInput(
            "this request was not made from a client; use `client.paginate(request, page_size)`"
                .into(),
        ))
    })
}

impl Client {
    /// Every item of a list request, fetched page by page (see [`crate::pagination`]).
    pub fn paginate<R: Paginated>(
        &self,
        request: R,
        page_size: i64,
    ) -> impl Stream<Item = Result<R::Item, Error>> + Send + 'static
    where
        R::Output: Send,
    {
        paginate(self.clone(), request, page_size)
    }
}
