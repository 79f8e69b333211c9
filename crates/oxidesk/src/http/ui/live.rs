//! Live updates: one Server-Sent Events stream per signed-in agent, carrying the account's
//! events (`GET /app/accounts/{id}/live`).
//!
//! Each event goes out with its event-log id. A browser that lost the connection reconnects by
//! itself and sends `Last-Event-ID`; the stream then first replays what the log holds after that
//! id, then goes on live. A subscriber that falls too far behind is disconnected and catches up
//! the same way.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use tokio_stream::wrappers::BroadcastStream;

use super::shell::Member;
use crate::events::Event;
use crate::http::{AppState, PageError};
use crate::service::ServiceError;

/// The most events replayed on reconnection (older ones: the page reloads its data anyway).
pub const REPLAY_LIMIT: i64 = 1000;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/app/accounts/{account_id}/live", get(get_live))
}

fn sse(event: &Event) -> SseEvent {
    SseEvent::default()
        .id(event.id.to_string())
        .data(event.wire())
}

/// Whether dashboards get the event: not `presence.changed` (an agent's dashboard opened),
/// which only the website widgets' headers follow.
fn for_dashboards(event: &Event) -> bool {
    event.name != "presence.changed"
}

/// `?last_event_id=`: where a new stream carries on from.
#[derive(Debug, serde::Deserialize)]
struct LiveQuery {
    last_event_id: Option<String>,
}

/// The account's events as they happen, after replaying those after `Last-Event-ID`.
async fn get_live(
    State(state): State<AppState>,
    member: Member,
    headers: HeaderMap,
    Query(query): Query<LiveQuery>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, PageError> {
    let account = member.account_id();
    // Subscribe before reading the log, so nothing falls between the two.
    let live = BroadcastStream::new(state.services.events.subscribe());
    // The header, sent by the browser's own reconnection; or the query, from `live.js` when it
    // opens a new stream after the browser gave up (a 503 while busy or the database away).
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .or(query.last_event_id.as_deref())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let replay: Vec<Event> = match last_seen {
        Some(after) => state
            .services
            .store
            .events_after(account, after, REPLAY_LIMIT)
            .await
            .map_err(ServiceError::from)?
            .into_iter()
            .map(Event::from_stored)
            .filter(for_dashboards)
            .collect(),
        None => Vec::new(),
    };
    let presence = Presence::start(&state, account, member.user().id);
    let mut sent = replay.last().map(|e| e.id).or(last_seen).unwrap_or(0);
    let replayed = stream::iter(replay.iter().map(sse).map(Ok).collect::<Vec<_>>());
    let live = live
        .take_while(|item| std::future::ready(item.is_ok()))
        .filter_map(move |item| {
            let _presence = &presence;
            let keep = match item {
                Ok(event) if event.account_id == account && event.id > sent => {
                    sent = event.id;
                    for_dashboards(&event).then(|| Ok(sse(&event)))
                }
                _ => None,
            };
            std::future::ready(keep)
        });
    Ok(Sse::new(replayed.chain(live))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// Reports the member's presence while their live stream is open: at once, then every
/// [`PRESENCE_INTERVAL_SECS`](oxidesk_domain::PRESENCE_INTERVAL_SECS); stops when the stream
/// (which owns this) is dropped.
struct Presence(tokio::task::AbortHandle);

impl Presence {
    fn start(
        state: &AppState,
        account: oxidesk_domain::AccountId,
        user: oxidesk_domain::UserId,
    ) -> Self {
        let services = state.services.clone();
        let task = tokio::spawn(async move {
            let period = Duration::from_secs(oxidesk_domain::PRESENCE_INTERVAL_SECS);
            let mut ticks = tokio::time::interval(period);
            ticks.tick().await;
            if let Err(error) = services.arrive(account, user).await {
                tracing::debug!(%error, "presence not recorded");
            }
            loop {
                ticks.tick().await;
                if let Err(error) = services.touch_presence(account, user).await {
                    tracing::debug!(%error, "presence not recorded");
                }
            }
        });
        Self(task.abort_handle())
    }
}

impl Drop for Presence {
    fn drop(&mut self) {
        self.0.abort();
    }
}
