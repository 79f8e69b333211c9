//! `GET /widget/api/live?website_token=…&token=…`: the visitor's live stream (Server-Sent
//! Events; an `EventSource` sends no headers, hence the token in the query). It follows every
//! conversation of the visitor, also those started after it opened.
//!
//! It carries no content: `{"type":"message"}` when a message the visitor may see was written
//! or changed in one of their conversations, `{"type":"status"}` when a conversation's status
//! changed, `{"type":"typing_on"}` / `{"type":"typing_off"}` when an agent starts or stops
//! typing a reply (not a private note) there. The widget then reads the messages through the filtered API, so a private note or an
//! activity line can never travel down this stream; their events are not even announced (each
//! message event is checked against the message before it is passed on).

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::routing::get;
use futures_util::stream::{Stream, StreamExt};
use oxidesk_domain::{ConversationId, DisplayId, MessageId, MessageType};
use tokio_stream::wrappers::BroadcastStream;

use super::Visitor;
use crate::http::{ApiError, AppState};
use crate::service::{PublicIdentity, ServiceError};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/widget/api/live", get(get_live))
}

/// The conversations a stream has looked at: the visitor's (with their database id) and
/// others' (`None`). A conversation the visitor starts after the stream opened is found on its
/// first event; one of another visitor is looked up once, then skipped.
type Seen = Arc<Mutex<HashMap<i64, Option<ConversationId>>>>;

/// Whether conversation `display` (of the visitor's account) is the visitor's.
async fn visitors(
    state: &AppState,
    identity: &PublicIdentity,
    seen: &Seen,
    display: i64,
) -> Option<ConversationId> {
    let known = seen.lock().ok()?.get(&display).copied();
    if let Some(known) = known {
        return known;
    }
    let found = match state
        .services
        .public_conversation(identity, DisplayId(display))
        .await
    {
        Ok(conversation) => Some(conversation.id),
        Err(ServiceError::NotFound(_)) => None,
        // Not known (the database did not answer): asked again next time.
        Err(_) => return None,
    };
    if let Ok(mut map) = seen.lock() {
        if map.len() >= SEEN_LIMIT {
            map.retain(|_, id| id.is_some());
        }
        map.insert(display, found);
    }
    found
}

/// How many conversations a stream remembers before it forgets the others' ones.
const SEEN_LIMIT: usize = 10_000;

/// What a widget event tells the visitor's page, if anything.
async fn announce(
    state: &AppState,
    identity: &PublicIdentity,
    seen: &Seen,
    event: &crate::events::Event,
) -> Option<&'static str> {
    if event.account_id != identity.inbox.account_id {
        return None;
    }
    let data = &event.data;
    match event.name.as_str() {
        "message.created" | "message.updated" => {
            let display = data.get("conversation_id")?.as_i64()?;
            let conversation = visitors(state, identity, seen, display).await?;
            let id = MessageId(data.get("id")?.as_i64()?);
            let message = state.services.store.message(conversation, id).await.ok()?;
            let public = !message.private && message.message_type != MessageType::Activity;
            public.then_some("message")
        }
        // An agent typing in public (not a private note) in one of the visitor's conversations.
        "conversation.typing_on" | "conversation.typing_off" => {
            let display = data.get("id")?.as_i64()?;
            let by_agent = data.pointer("/user/type")?.as_str()? == "user";
            let public = data.get("is_private")?.as_bool() == Some(false);
            if !(by_agent && public) {
                return None;
            }
            visitors(state, identity, seen, display).await?;
            Some(if event.name == "conversation.typing_on" {
                "typing_on"
            } else {
                "typing_off"
            })
        }
        "conversation.status_changed" => {
            let display = data.get("id")?.as_i64()?;
            visitors(state, identity, seen, display).await?;
            Some("status")
        }
        _ => None,
    }
}

async fn get_live(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let identity = visitor.identity.ok_or(ServiceError::Unauthorized(
        "no visitor token: nothing to follow yet",
    ))?;
    // Subscribe first, then read what the visitor may see, so nothing falls between.
    let live = BroadcastStream::new(state.services.events.subscribe());
    let known: HashMap<i64, Option<ConversationId>> = state
        .services
        .public_conversations(&identity)
        .await?
        .into_iter()
        .map(|c| (c.display_id.get(), Some(c.id)))
        .collect();
    let seen: Seen = Arc::new(Mutex::new(known));
    let identity = Arc::new(identity);
    let stream = live
        .take_while(|item| std::future::ready(item.is_ok()))
        .filter_map(move |item| {
            let state = state.clone();
            let seen = seen.clone();
            let identity = identity.clone();
            async move {
                let event = item.ok()?;
                let kind = announce(&state, &identity, &seen, &event).await?;
                Some(Ok(
                    SseEvent::default().data(format!("{{\"type\":\"{kind}\"}}"))
                ))
            }
        });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
