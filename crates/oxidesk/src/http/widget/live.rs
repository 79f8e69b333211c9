//! `GET /widget/api/live?website_token=…[&token=…]`: the visitor's live stream (Server-Sent
//! Events; an `EventSource` sends no headers, hence the token in the query).
//!
//! Every stream, with or without a visitor token, first sends the header's team line as a
//! named `presence` event (`{"type":"presence", online, in_business_hours, availability,
//! reply_time, agents}`), then again whenever it changes: an agent of the inbox changes
//! availability, opens a dashboard or signs out, joins or leaves the inbox, the inbox's
//! settings change, an agent's presence runs out, or a business-hours boundary passes (the
//! stream wakes at the next one). Sent only when it differs from the last one.
//!
//! With a visitor token it also follows every conversation of the visitor, also those started
//! after it opened and those they may see after `setUser` proved who they are (the identity is
//! read again when their contact changes), and carries no content: `{"type":"message"}` when a message the visitor
//! may see was written or changed in one of their conversations, `{"type":"status"}` when a
//! conversation's status changed, `{"type":"typing_on"}` / `{"type":"typing_off"}` when an
//! agent starts or stops typing a reply (not a private note) there. The widget then reads the
//! messages through the filtered API, so a private note or an activity line can never travel
//! down this stream; their events are not even announced (each message event is checked
//! against the message before it is passed on).

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::routing::get;
use futures_util::stream::{self, Stream};
use oxidesk_domain::{ConversationId, DisplayId, Inbox, MessageId, MessageType, Timestamp};
use serde::Serialize;
use tokio::sync::broadcast;
use tokio::time::Instant;

use super::Visitor;
use super::team::Header;
use crate::events::Event;
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

/// A `presence` event's data.
#[derive(Serialize)]
struct PresenceEvent<'a> {
    r#type: &'static str,
    #[serde(flatten)]
    header: &'a Header,
}

/// One open stream.
struct Live {
    state: AppState,
    inbox: Inbox,
    identity: Option<Arc<PublicIdentity>>,
    /// The visitor's contact changed since `identity` was read.
    stale: bool,
    seen: Seen,
    events: broadcast::Receiver<Arc<Event>>,
    /// The header last sent (none yet at first).
    sent: Option<Header>,
    /// When to look at the header again without an event.
    wake: Option<Instant>,
}

/// How long to wait before asking again when the database did not answer.
const RETRY: Duration = Duration::from_secs(5);

impl Live {
    /// Whether `event` may change what the header says.
    fn moves_header(&self, event: &Event) -> bool {
        let name = event.name.as_str();
        event.account_id == self.inbox.account_id
            && (name.starts_with("agent.")
                || name == "session.ended"
                || name == "presence.changed"
                || (name.starts_with("inbox.")
                    && event.data.get("id").and_then(serde_json::Value::as_i64)
                        == Some(self.inbox.id.get())))
    }

    /// Keeps the visitor's identity current: `setUser` may merge them into a known contact or
    /// prove their identifier, after which they see more conversations. A change of their
    /// contact marks the identity stale (and forgets the conversations found not theirs); it
    /// is read again before the next conversation not looked at yet.
    async fn follow_identity(&mut self, event: &Event) {
        let Some(identity) = self.identity.clone() else {
            return;
        };
        let contact = identity.contact.id.get();
        if event.name.starts_with("contact.") {
            let named = ["id", "merged"].iter().any(|key| {
                event.data.get(key).and_then(serde_json::Value::as_i64) == Some(contact)
            });
            if named {
                self.stale = true;
                self.forget_others();
            }
            return;
        }
        let display = match event.name.as_str() {
            "message.created" | "message.updated" => event.data.get("conversation_id"),
            _ if event.name.starts_with("conversation.") => event.data.get("id"),
            _ => None,
        };
        let Some(display) = display.and_then(serde_json::Value::as_i64) else {
            return;
        };
        let looked_at = self
            .seen
            .lock()
            .map(|map| map.contains_key(&display))
            .unwrap_or(false);
        if looked_at || !self.stale {
            return;
        }
        self.stale = false;
        let store = &self.state.services.store;
        let source = &identity.contact_inbox.source_id;
        let Ok(Some(current)) = store.contact_inbox_by_source(self.inbox.id, source).await else {
            return;
        };
        let Ok(contact) = store
            .contact(self.inbox.account_id, current.contact_id)
            .await
        else {
            return;
        };
        self.identity = Some(Arc::new(PublicIdentity {
            inbox: self.inbox.clone(),
            contact_inbox: current,
            contact,
        }));
        self.forget_others();
    }

    /// Forgets the conversations found not to be the visitor's.
    fn forget_others(&self) {
        if let Ok(mut map) = self.seen.lock() {
            map.retain(|_, id| id.is_some());
        }
    }

    /// The header as it is now, when it differs from the one last sent.
    async fn header(&mut self) -> Option<SseEvent> {
        let presence = match self.state.services.inbox_presence(&self.inbox).await {
            Ok(presence) => presence,
            Err(error) => {
                tracing::debug!(%error, "widget presence not read");
                self.wake = Some(Instant::now() + RETRY);
                return None;
            }
        };
        self.wake = presence.next_change.map(until);
        let header = Header::new(self.inbox.channel.web_widget()?, &presence);
        if self.sent.as_ref() == Some(&header) {
            return None;
        }
        let data = serde_json::to_string(&PresenceEvent {
            r#type: "presence",
            header: &header,
        })
        .ok()?;
        self.sent = Some(header);
        Some(SseEvent::default().event("presence").data(data))
    }

    /// The next event to send; `None` ends the stream (the widget reconnects and catches up).
    async fn next(&mut self) -> Option<SseEvent> {
        if self.sent.is_none() {
            if let Some(first) = self.header().await {
                return Some(first);
            }
        }
        loop {
            let received = tokio::select! {
                received = self.events.recv() => Some(received.ok()?),
                () = sleep_until(self.wake) => None,
            };
            let Some(event) = received else {
                if let Some(header) = self.header().await {
                    return Some(header);
                }
                continue;
            };
            if self.moves_header(&event) {
                if event.name.starts_with("inbox.") {
                    // Its settings (business hours, texts) changed, or it is gone.
                    let token = self.inbox.inbox_identifier.clone();
                    self.inbox = self.state.services.widget_inbox(&token).await.ok()?;
                }
                if let Some(header) = self.header().await {
                    return Some(header);
                }
                continue;
            }
            if self.identity.is_none() {
                continue;
            }
            self.follow_identity(&event).await;
            let Some(identity) = &self.identity else {
                continue;
            };
            if let Some(kind) = announce(&self.state, identity, &self.seen, &event).await {
                return Some(SseEvent::default().data(format!("{{\"type\":\"{kind}\"}}")));
            }
        }
    }
}

/// The instant of `at` (a whole second), a little after it so that the minute has turned.
fn until(at: Timestamp) -> Instant {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let at_ms = u128::try_from(at.secs()).unwrap_or(0) * 1000 + 50;
    let wait = u64::try_from(at_ms.saturating_sub(now_ms)).unwrap_or(u64::MAX);
    Instant::now() + Duration::from_millis(wait.min(24 * 3600 * 1000))
}

async fn sleep_until(wake: Option<Instant>) {
    match wake {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

async fn get_live(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    // Subscribe first, then read what the visitor may see, so nothing falls between.
    let events = state.services.events.subscribe();
    let known: HashMap<i64, Option<ConversationId>> = match &visitor.identity {
        Some(identity) => state
            .services
            .public_conversations(identity)
            .await?
            .into_iter()
            .map(|c| (c.display_id.get(), Some(c.id)))
            .collect(),
        None => HashMap::new(),
    };
    let live = Live {
        state,
        inbox: visitor.inbox,
        identity: visitor.identity.map(Arc::new),
        stale: false,
        seen: Arc::new(Mutex::new(known)),
        events,
        sent: None,
        wake: None,
    };
    let stream = stream::unfold(live, |mut live| async move {
        let event = live.next().await?;
        Some((Ok(event), live))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
