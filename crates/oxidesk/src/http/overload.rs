//! Load shedding: past its capacity the server answers `503 Service Unavailable` with
//! `Retry-After` at once, instead of letting every request wait longer and longer.
//!
//! - At most `limits.max_in_flight` requests are handled at once. One more waits for a slot,
//!   up to `limits.queue_timeout_ms`, in a waiting room of `limits.max_queued` places; a request
//!   that finds the room full, or waits too long, is shed. So a request either starts within
//!   the queue timeout or is refused, whatever the load.
//! - Static assets, `/health` and the example apps take no slot (cheap, no database, or the
//!   very thing a load balancer asks). Live-update streams (Server-Sent Events) are long-lived,
//!   so they have a cap of their own (`limits.max_live_streams`), held for the stream's life.
//! - A shed API request gets the API's error shape (`code: "overloaded"`); a page gets a "busy,
//!   retrying" page that reloads itself (`<meta http-equiv="refresh">`: the CSP allows no
//!   inline script). Every `503`, also a database that is unavailable, carries `Retry-After`.
//!
//! Two `tokio::sync::Semaphore`s do the counting: one of `max_in_flight + max_queued`
//! admission permits (taken without waiting, so the room is bounded), one of `max_in_flight`
//! slots (waited for, under `tokio::time::timeout`). tower's `ConcurrencyLimit` + `LoadShed`
//! have no waiting room (every request beyond the limit would be refused, even in a
//! millisecond's burst) and `Buffer` bounds the queue's length but not the wait.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tokio::sync::Semaphore;

use super::error::{ApiError, busy_page};
use super::{AppState, is_api_request};
use crate::config::Limits;

/// The shared counters of one router.
#[derive(Debug, Clone)]
pub struct Shedder {
    state: AppState,
    limits: Limits,
    admission: Arc<Semaphore>,
    slots: Arc<Semaphore>,
    live: Arc<Semaphore>,
}

impl Shedder {
    /// Counters for `state`'s configured limits.
    pub fn new(state: AppState) -> Self {
        let limits = state.config.limits();
        Self {
            admission: Arc::new(Semaphore::new(limits.max_in_flight + limits.max_queued)),
            slots: Arc::new(Semaphore::new(limits.max_in_flight)),
            live: Arc::new(Semaphore::new(limits.max_live_streams)),
            limits,
            state,
        }
    }

    fn shed(&self, request: &Request, message: &str) -> Response {
        if is_api_request(request) {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "overloaded", message).into_response()
        } else {
            busy_page(
                &self.state,
                request.method(),
                self.limits.retry_after_secs,
                message,
            )
        }
    }
}

/// What a path costs.
enum Kind {
    /// No slot: assets, health, example apps, the app SDK.
    Free,
    /// A live-update stream: a place among the live streams, for its whole life.
    Live,
    /// A slot among the requests in flight.
    Counted,
}

fn kind(path: &str) -> Kind {
    if path == "/health"
        || path.starts_with("/assets/")
        || path.starts_with("/examples/")
        || path.starts_with("/sdk/")
        || path == "/packs/js/sdk.js"
    {
        Kind::Free
    } else if (path.starts_with("/app/accounts/") && path.ends_with("/live"))
        || path == "/widget/api/live"
    {
        Kind::Live
    } else {
        Kind::Counted
    }
}

/// The middleware: admits, queues or sheds each request, and puts `Retry-After` on every `503`.
pub async fn shed_load(
    State(shedder): State<Arc<Shedder>>,
    request: Request,
    next: Next,
) -> Response {
    let busy = "The server is busy. Please try again in a few seconds.";
    let response = match kind(request.uri().path()) {
        Kind::Free => next.run(request).await,
        Kind::Live => match shedder.live.clone().try_acquire_owned() {
            Ok(place) => {
                let response = next.run(request).await;
                // The place is given back when the stream ends (the body is dropped).
                response.map(|body| {
                    Body::from_stream(body.into_data_stream().map(move |chunk| {
                        let _held = &place;
                        chunk
                    }))
                })
            }
            Err(_) => shedder.shed(&request, "Too many live-update streams are open."),
        },
        Kind::Counted => {
            let Ok(_admitted) = shedder.admission.clone().try_acquire_owned() else {
                tracing::debug!("request shed: the queue is full");
                return with_retry_after(shedder.shed(&request, busy), &shedder.limits);
            };
            let slot = tokio::time::timeout(
                shedder.limits.queue_timeout,
                shedder.slots.clone().acquire_owned(),
            )
            .await;
            match slot {
                Ok(Ok(_slot)) => next.run(request).await,
                _ => {
                    tracing::debug!("request shed: waited too long for a slot");
                    shedder.shed(&request, busy)
                }
            }
        }
    };
    with_retry_after(response, &shedder.limits)
}

fn with_retry_after(mut response: Response, limits: &Limits) -> Response {
    if response.status() == StatusCode::SERVICE_UNAVAILABLE
        && !response.headers().contains_key(header::RETRY_AFTER)
    {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(limits.retry_after_secs),
        );
    }
    response
}

/// Whether a page answered `503` should reload itself: only what a reload can repeat safely.
pub(super) fn reloads(method: &Method) -> bool {
    method == Method::GET || method == Method::HEAD
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_health_and_live_streams_take_no_request_slot() {
        assert!(matches!(kind("/health"), Kind::Free));
        assert!(matches!(kind("/assets/css/app.css"), Kind::Free));
        assert!(matches!(kind("/examples/customer-orders/"), Kind::Free));
        assert!(matches!(kind("/sdk/v1/dashboard-app.js"), Kind::Free));
        assert!(matches!(kind("/app/accounts/1/live"), Kind::Live));
        assert!(matches!(kind("/widget/api/live"), Kind::Live));
        assert!(matches!(kind("/packs/js/sdk.js"), Kind::Free));
        assert!(matches!(
            kind("/app/accounts/1/conversations"),
            Kind::Counted
        ));
        assert!(matches!(
            kind("/api/v1/accounts/1/conversations"),
            Kind::Counted
        ));
        assert!(matches!(kind("/app/login"), Kind::Counted));
    }
}
