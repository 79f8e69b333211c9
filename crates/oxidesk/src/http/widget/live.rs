//! `GET /widget/api/live?website_token=…&token=…`: the visitor's live stream (Server-Sent
//! Events; an `EventSource` sends no headers, hence the token in the query).
//!
//! It carries no content: `{"type":"message"}` when a message the visitor may see was written
//! or changed in one of their conversations, `{"type":"status"}` when a conversation's status
//! changed, `{"type":"typing_on"}` / `{"type":"typing_off"}` when an agent starts or stops
//! typing a reply (not a private note) there. The widget then reads the messages through the filtered API, so a private note or an
//! activity line can never travel down this stream; their events are not even announced (each
//! message event is checked against the message before it is passed on).

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::routing::get;
use futures_util::stream::{Stream, StreamExt};
use oxidesk_domain::{ConversationId, MessageId, MessageType};
use tokio_stream::wrappers::BroadcastStream;

use super::Visitor;
use crate::http::{ApiError, AppState};
use crate::service::ServiceError;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/widget/api/live", get(get_live))
}

/// What a widget event tells the visitor's page, if anything.
async fn announce(
    state: &AppState,
    conversations: &HashMap<i64, ConversationId>,
    account: i64,
    event: &crate::events::Event,
) -> Option<&'static str> {
    if event.account_id.get() != account {
        return None;
    }
    let data = &event.data;
    match event.name.as_str() {
        "message.created" | "message.updated" => {
            let conversation = conversations.get(&data.get("conversation_id")?.as_i64()?)?;
            let id = MessageId(data.get("id")?.as_i64()?);
            let message = state.services.store.message(*conversation, id).await.ok()?;
            let public = !message.private && message.message_type != MessageType::Activity;
            public.then_some("message")
        }
        // An agent typing in public (not a private note) in one of the visitor's conversations.
        "conversation.typing_on" | "conversation.typing_off" => {
            let display = data.get("id")?.as_i64()?;
            let by_agent = data.pointer("/user/type")?.as_str()? == "user";
            let public = data.get("is_private")?.as_bool() == Some(false);
            (conversations.contains_key(&display) && by_agent && public).then_some(
                if event.name == "conversation.typing_on" {
                    "typing_on"
                } else {
                    "typing_off"
                },
            )
        }
        "conversation.status_changed" => {
            let display = data.get("id")?.as_i64()?;
            conversations.contains_key(&display).then_some("status")
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
    let conversations: HashMap<i64, ConversationId> = state
        .services
        .public_conversations(&identity)
        .await?
        .into_iter()
        .map(|c| (c.display_id.get(), c.id))
        .collect();
    let account = identity.inbox.account_id.get();
    let stream = live
        .take_while(|item| std::future::ready(item.is_ok()))
        .filter_map(move |item| {
            let state = state.clone();
            let conversations = conversations.clone();
            async move {
                let event = item.ok()?;
                let kind = announce(&state, &conversations, account, &event).await?;
                Some(Ok(
                    SseEvent::default().data(format!("{{\"type\":\"{kind}\"}}"))
                ))
            }
        });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
