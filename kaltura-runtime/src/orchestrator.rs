//! The call loop: every exchange with the server goes through here. A call is
//! prepared by [`crate::call`] (the one place a body is assembled), sent here with
//! retries under the client's policy, the time limit of each attempt, a renewed
//! session when the KS expired, and the `kaltura.call` logs, then decoded by
//! [`crate::response`]. Generated request values reach it through
//! `__kaltura_request!` (below), which gives them `.send()` and `.await`.

use crate::call::PreparedCall;
use crate::client::{Client, ServeUrl};
use crate::codec::Json;
use crate::error::Error;
use crate::logging;
use crate::redact::Redactor;
use crate::request::Request;
use crate::response::{check_answer, decode_response, parse_body, served_file, Output};
use crate::retry::{is_read_like, Retry, RetryPolicy};
use crate::secret::Secret;
use crate::transport::{HttpBody, HttpRequest, HttpResponse};
use serde_json::Value;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tracing::Instrument;

impl Client {
    /// Sends one request and decodes its result. A served file (`SERVES_FILE`
    /// actions) comes back as [`ServedFile`](crate::response::ServedFile) bytes, never
    /// through the JSON decoder.
    ///
    /// The call is prepared (its body assembled with the client's settings now) when
    /// this is called; nothing is sent until the returned future is awaited.
    pub fn send<R: Request>(&self, request: R) -> Sending<R::Output> {
        let call = PreparedCall::request(self, request);
        Sending::new(exchange_boxed(self.clone(), call), R::SERVES_FILE)
    }

    /// Sends one request and returns its result as JSON, after the same error checks
    /// as [`Client::send`]: for properties or classes newer than this client's schema.
    pub async fn send_json<R: Request>(&self, request: R) -> Result<Json, Error> {
        if R::SERVES_FILE {
            return Err(Error::InvalidInput(format!(
                "{}.{} serves a file, not JSON; use `send`",
                R::SERVICE,
                R::ACTION
            )));
        }
        let (response, secrets) = self.exchange(PreparedCall::request(self, request)).await?;
        parse_body(&response).map_err(|e| e.redact(&secrets))
    }

    /// Sends a prepared call: its HTTP request through [`Client::execute_call`], and
    /// the answer back with the secrets to blank in whatever is made of it (the
    /// call's, and a KS a renewed session sent it with). Errors come redacted.
    pub(crate) async fn exchange(
        &self,
        call: PreparedCall,
    ) -> Result<(HttpResponse, Redactor), Error> {
        let (http, call) = call.into_http(self.config())?;
        let actions: Vec<&str> = call.actions.iter().map(String::as_str).collect();
        let result = self
            .execute_call(&call.label, &actions, &call.retry, http)
            .await;
        let secrets = self.with_session_ks(call.secrets);
        match result {
            Ok(response) => Ok((response, secrets)),
            Err(e) => Err(e.redact(&secrets)),
        }
    }

    /// A call's secrets and the client's KS now: a call sent again with a renewed
    /// session ([`crate::session`]) carried a KS its first body did not. Only a
    /// client that renews its session can have sent one.
    fn with_session_ks(&self, secrets: Redactor) -> Redactor {
        if self.session_source().is_none() {
            return secrets;
        }
        match self.ks() {
            Some(ks) => secrets.with_secret(ks.expose()),
            None => secrets,
        }
    }

    /// A signed GET URL for a request, as the vendor's Python client builds for serve
    /// actions: `{serviceUrl}/api_v3/service/<id>/action/<action>?<params>`, objects
    /// in bracket notation (`thumbParams[width]=320`), the KS included. Hand it to a
    /// browser or player; nothing is sent.
    pub fn serve_url<R: Request>(&self, request: R) -> Result<ServeUrl, Error> {
        PreparedCall::request(self, request).into_get_url()
    }

    /// The one place every HTTP exchange goes through: a `kaltura.call` span, as many
    /// attempts as the retry rule allows ([`crate::retry`]), the time limit of each
    /// attempt, and the logs. `actions` are the action names the request carries
    /// (one, or every item of a multirequest).
    ///
    /// Logs name the call, status, size and time, and for a failure only its kind:
    /// error texts may hold what the server or a transport echoed, and are redacted
    /// by the callers. Bodies are logged at TRACE only, with every KS, secret and
    /// password blanked out.
    pub(crate) async fn execute_call(
        &self,
        label: &str,
        actions: &[&str],
        retry: &Retry,
        request: HttpRequest,
    ) -> Result<HttpResponse, Error> {
        let (service, action) = label.split_once('.').unwrap_or((label, ""));
        let read_like = !actions.is_empty() && actions.iter().all(|a| is_read_like(a));
        let policy = retry.resolve(self.inner.config.retry.as_ref(), read_like);
        if let Some(p) = &policy {
            p.check()?;
        }
        let span = tracing::info_span!(
            target: "kaltura_runtime",
            "kaltura.call",
            call = label,
            service,
            action,
            attempt = 0u32,
            status = tracing::field::Empty,
            error = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        // A copy to send again with a new session, should the server find the KS
        // expired: only for a client that started its session itself, and only
        // for JSON bodies (uploads are not repeated).
        let source = self.session_source();
        let again = match (&source, &request.body) {
            (Some(_), HttpBody::Json(_)) => request.try_clone(),
            _ => None,
        };
        let result = self
            .attempts(label, policy.clone(), request, span.clone())
            .instrument(span.clone())
            .await;
        let (Some(source), Some(again), Ok(response)) = (source, again, &result) else {
            return result;
        };
        let Some(sent) = expired_ks(response, &again) else {
            return result;
        };
        // The session is renewed for the calls that follow whatever this one is; the
        // call itself is sent again only when it may be repeated (R9).
        let repeat = match retry {
            Retry::Never => false,
            Retry::Auto => read_like,
            _ => true,
        };
        match source.renew(self, &sent).await {
            Ok(Some(fresh)) if repeat => match with_ks(again, &fresh) {
                Some(request) => {
                    tracing::info!(
                        target: "kaltura_runtime",
                        call = label,
                        "the KS had expired; sending again with the new session"
                    );
                    self.attempts(label, policy, request, span.clone())
                        .instrument(span)
                        .await
                }
                None => result,
            },
            _ => result,
        }
    }

    async fn attempts(
        &self,
        label: &str,
        policy: Option<RetryPolicy>,
        request: HttpRequest,
        span: tracing::Span,
    ) -> Result<HttpResponse, Error> {
        let started = Instant::now();
        let trace = tracing::enabled!(target: "kaltura_runtime", tracing::Level::TRACE);
        let secrets = if trace {
            let secrets = logging::request_secrets(&request.body);
            tracing::trace!(
                target: "kaltura_runtime",
                call = label,
                body = %logging::request_body(&request.body, &secrets),
                "request body"
            );
            secrets
        } else {
            Redactor::new()
        };
        // Sleeping between attempts needs tokio's timer.
        let can_sleep = tokio::runtime::Handle::try_current().is_ok();
        let max = match &policy {
            Some(p) if can_sleep => p.attempts().max(1),
            _ => 1,
        };
        let mut template = Some(request);
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let Some(current) = template.take() else {
                return Err(Error::InvalidInput(format!(
                    "internal error: no request left for attempt {attempt} of {label}"
                )));
            };
            let (to_send, replayable) = if attempt < max {
                match current.try_clone() {
                    Some(copy) => {
                        template = Some(current);
                        (copy, true)
                    }
                    None => {
                        tracing::debug!(
                            target: "kaltura_runtime",
                            call = label,
                            "sent once: a file part read from a reader cannot be sent again"
                        );
                        (current, false)
                    }
                }
            } else {
                (current, false)
            };
            tracing::debug!(target: "kaltura_runtime", call = label, attempt, "sending");
            let attempt_started = Instant::now();
            let result = self.send_once(to_send).await;
            let elapsed_ms = attempt_started.elapsed().as_millis() as u64;
            match &result {
                Ok(r) => {
                    tracing::debug!(
                        target: "kaltura_runtime",
                        call = label,
                        attempt,
                        status = r.status,
                        bytes = r.body.len(),
                        elapsed_ms,
                        "answered"
                    );
                    if trace {
                        tracing::trace!(
                            target: "kaltura_runtime",
                            call = label,
                            status = r.status,
                            body = %logging::response_body(r, &secrets),
                            "response body"
                        );
                    }
                }
                Err(e) => tracing::debug!(
                    target: "kaltura_runtime",
                    call = label,
                    attempt,
                    elapsed_ms,
                    error = error_kind(e),
                    "failed"
                ),
            }
            let again = match (&policy, replayable) {
                (Some(p), true) => retry_delay(p, attempt, &result),
                _ => None,
            };
            match again {
                Some((delay, reason)) => {
                    tracing::info!(
                        target: "kaltura_runtime",
                        call = label,
                        attempt,
                        reason,
                        delay_ms = delay.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                }
                None => {
                    match &result {
                        Ok(r) => span.record("status", r.status),
                        Err(e) => span.record("error", error_kind(e)),
                    };
                    span.record("duration_ms", started.elapsed().as_millis() as u64);
                    return result;
                }
            }
        }
    }

    /// One attempt, bounded by the request's time limit and the size limit.
    async fn send_once(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let timeout = request.timeout;
        let send = self.inner.transport.send(request);
        let response = match timeout {
            // The transport should enforce the timeout itself; this bounds any that
            // does not. It needs tokio's timer, so only on a tokio runtime.
            Some(t) if tokio::runtime::Handle::try_current().is_ok() => {
                match tokio::time::timeout(t, send).await {
                    Ok(r) => r,
                    Err(_) => Err(Error::Timeout(t)),
                }
            }
            _ => send.await,
        }?;
        // Never followed (the body carries the KS and secrets); the default transport
        // does not follow them either, and this holds a custom one to the same rule.
        if (300..400).contains(&response.status) && response.status != 304 {
            if let Some(location) = response.headers.get(http::header::LOCATION) {
                return Err(Error::Redirect {
                    status: response.status,
                    location: Redactor::new().text(&String::from_utf8_lossy(location.as_bytes())),
                });
            }
        }
        // The default transport stops reading at the limit; this holds a custom one to
        // the same answer.
        let limit = self.inner.config.max_response_size;
        if response.body.len() as u64 > limit {
            return Err(Error::ResponseTooLarge { limit, size: None });
        }
        Ok(response)
    }
}

/// The KS a call was sent with, when the server refused it as expired.
fn expired_ks(response: &HttpResponse, request: &HttpRequest) -> Option<Secret> {
    let Err(Error::Api(e)) = check_answer(response) else {
        return None;
    };
    if !e.is_expired_ks() {
        return None;
    }
    let HttpBody::Json(body) = &request.body else {
        return None;
    };
    let body: Value = serde_json::from_slice(body).ok()?;
    body.get("ks")
        .and_then(Value::as_str)
        .filter(|ks| !ks.is_empty())
        .map(Secret::from)
}

/// The request with another KS in its JSON body.
fn with_ks(mut request: HttpRequest, ks: &Secret) -> Option<HttpRequest> {
    let HttpBody::Json(body) = &request.body else {
        return None;
    };
    let mut body: serde_json::Map<String, Value> = serde_json::from_slice(body).ok()?;
    body.insert("ks".into(), Value::String(ks.expose().to_string()));
    request.body = HttpBody::Json(bytes::Bytes::from(serde_json::to_vec(&body).ok()?));
    Some(request)
}

/// Whether an attempt's outcome is worth another attempt, and after how long:
/// connection failures, timeouts, and HTTP 429/5xx answers that carry no API error.
/// `Retry-After` on a 429 or 503 sets the least wait; one beyond the policy's limit
/// ends the call.
fn retry_delay(
    policy: &RetryPolicy,
    attempt: u32,
    result: &Result<HttpResponse, Error>,
) -> Option<(Duration, &'static str)> {
    let (asked, reason) = match result {
        Err(e) if e.is_retryable() => (None, error_kind(e)),
        Err(_) => return None,
        Ok(r) if r.status == 429 || (500..600).contains(&r.status) => {
            if matches!(check_answer(r), Err(Error::Api(_))) {
                return None;
            }
            let asked = if r.status == 429 || r.status == 503 {
                crate::retry::retry_after(&r.headers)
            } else {
                None
            };
            (
                asked,
                if r.status == 429 {
                    "http 429"
                } else {
                    "http 5xx"
                },
            )
        }
        Ok(_) => return None,
    };
    let backoff = policy.backoff_for(attempt);
    match asked {
        Some(wait) if wait > policy.retry_after_limit() => None,
        Some(wait) => Some((wait.max(backoff), reason)),
        None => Some((backoff, reason)),
    }
}

fn error_kind(e: &Error) -> &'static str {
    match e {
        Error::Api(_) => "api",
        Error::Transport { .. } => "transport",
        Error::Timeout(_) => "timeout",
        Error::Http { .. } => "http status",
        Error::UnexpectedBody { .. } => "unexpected body",
        Error::Decode(_) => "decode",
        Error::InvalidInput(_) => "invalid input",
        Error::Ks(_) => "ks",
        Error::ResponseTooLarge { .. } => "response too large",
        Error::Redirect { .. } => "redirect",
        Error::ListTruncated { .. } => "list truncated",
    }
}

/// Sends a request with the client it was made from (`client.media().list().await`).
pub fn send_bound<R: Request>(request: R) -> Sending<R::Output> {
    match request.options().client.clone() {
        Some(client) => client.send(request),
        None => Sending::failed(Error::InvalidInput(
            "this request was not made from a client; send it with `client.send(request)`".into(),
        )),
    }
}

type Exchange = Pin<Box<dyn Future<Output = Result<(HttpResponse, Redactor), Error>> + Send>>;

/// The exchange of a prepared call, boxed. Not generic, so that one state machine
/// serves every request type.
fn exchange_boxed(client: Client, call: PreparedCall) -> Exchange {
    Box::pin(async move { client.exchange(call).await })
}

/// The future of one call (`client.send(request)`, `request.send()`, `request.await`):
/// the exchange, which is the same for every request type, then the answer decoded
/// as `O`. A named type rather than an `async fn` per request: each of the API's
/// 800-odd actions would otherwise be its own state machine for the compiler to check
/// and build (docs/decisions.md, R19).
#[must_use = "a call is sent only when its future is awaited"]
pub struct Sending<O> {
    state: State,
    serves_file: bool,
    output: PhantomData<fn() -> O>,
}

enum State {
    Exchanging(Exchange),
    /// The call failed before anything was sent.
    Failed(Error),
    Finished,
}

impl<O: Output> Sending<O> {
    fn new(exchange: Exchange, serves_file: bool) -> Self {
        Sending {
            state: State::Exchanging(exchange),
            serves_file,
            output: PhantomData,
        }
    }

    fn failed(error: Error) -> Self {
        Sending {
            state: State::Failed(error),
            serves_file: false,
            output: PhantomData,
        }
    }
}

impl<O: Output> Future for Sending<O> {
    type Output = Result<O, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let answer = match &mut this.state {
            State::Exchanging(exchange) => std::task::ready!(exchange.as_mut().poll(cx)),
            State::Failed(_) | State::Finished => {
                return match std::mem::replace(&mut this.state, State::Finished) {
                    State::Failed(error) => Poll::Ready(Err(error)),
                    _ => Poll::Ready(Err(Error::InvalidInput(
                        "this call's future was polled after it finished".into(),
                    ))),
                };
            }
        };
        this.state = State::Finished;
        let (response, secrets) = answer?;
        let result = if this.serves_file {
            served_file(response)
        } else {
            decode_response(&response)
        };
        Poll::Ready(result.map_err(|e| e.redact(&secrets)))
    }
}

impl<O> std::fmt::Debug for Sending<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sending")
            .field("pending", &matches!(self.state, State::Exchanging(_)))
            .finish_non_exhaustive()
    }
}

/// Implements sending and per-call settings for a generated request type.
#[doc(hidden)]
#[macro_export]
macro_rules! __kaltura_request {
    ($t:ty) => {
        impl $t {
            /// Uses this KS for this call only.
            #[inline]
            pub fn with_ks(mut self, ks: impl Into<$crate::Secret>) -> Self {
                $crate::request::Request::options_mut(&mut self).ks = Some(ks.into());
                self
            }
            /// Acts on behalf of another partner for this call (impersonation).
            #[inline]
            pub fn with_partner_id(mut self, partner_id: i64) -> Self {
                $crate::request::Request::options_mut(&mut self).partner_id = Some(partner_id);
                self
            }
            /// Asks for texts in this language for this call.
            #[inline]
            pub fn with_language(mut self, language: impl Into<String>) -> Self {
                $crate::request::Request::options_mut(&mut self).language = Some(language.into());
                self
            }
            /// Shapes the response of this call with a response profile.
            #[inline]
            pub fn with_response_profile(mut self, profile: &impl $crate::codec::Encode) -> Self {
                $crate::request::Request::options_mut(&mut self).response_profile =
                    Some(profile.encode());
                self
            }
            /// Whether this call may be repeated after a failure, overriding the rule
            /// for its action (see [`crate::retry`]): `Retry::Force` for an action
            /// you know to be harmless to repeat, `Retry::Never` to send it once.
            #[inline]
            pub fn with_retry(mut self, retry: $crate::retry::Retry) -> Self {
                $crate::request::Request::options_mut(&mut self).retry = retry;
                self
            }
            /// Sends the request with the client it was made from (`.await` on the
            /// request does the same).
            #[inline]
            pub fn send(
                self,
            ) -> $crate::orchestrator::Sending<<$t as $crate::request::Request>::Output> {
                $crate::orchestrator::send_bound(self)
            }
        }
        impl ::std::future::IntoFuture for $t {
            type Output =
                ::std::result::Result<<$t as $crate::request::Request>::Output, $crate::Error>;
            type IntoFuture =
                $crate::orchestrator::Sending<<$t as $crate::request::Request>::Output>;
            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                $crate::orchestrator::send_bound(self)
            }
        }
    };
}
