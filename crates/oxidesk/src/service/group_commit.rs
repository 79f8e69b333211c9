//! Group commit of posted messages: one writer task takes every message posted meanwhile and
//! writes them in one transaction ([`Store::post_messages`]); each request is answered once
//! that transaction committed, so durability is what it was with a transaction per message.
//!
//! Why: a message alone was five statements and a commit on the one SQLite writer, each a
//! hand-off to the driver's thread; under load the hand-offs, not SQLite, were the cost (see
//! `docs/PERFORMANCE.md`, "Ingest"). The writer adds no wait: it writes as soon as one message
//! is queued, and whatever queued up while a batch was being written goes in the next.
//!
//! Each message's `message.created` event is recorded in the same transaction
//! ([`Store::post_messages_logged`]): one commit per batch, and the request does not wait for
//! a second one (the event writer's) before it is answered. Order is kept: a batch starts once
//! every event published before its messages were queued is recorded, its events follow in
//! the order of the batch, and events published after a message was answered come after it.

use oxidesk_domain::{Conversation, Message, Timestamp};
use oxidesk_store::{
    Backend, NewAttachment, NewMessage, PostMessage, PostedLogged, Store, StoreError,
};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

use crate::events::{Event, EventBus};

/// The event a posted message records.
pub(crate) const MESSAGE_CREATED: &str = "message.created";

/// `message.created`'s data.
pub(crate) fn message_created(message: &Message, conversation: &Conversation) -> Value {
    json!({"id": message.id, "conversation_id": conversation.display_id})
}

/// A posted message: the message, its conversation just after it, and whether its
/// `message.created` event is already recorded (else it is the caller's to publish).
pub type Written = (Message, Conversation, bool);

/// The most messages written in one transaction.
const BATCH: usize = 64;

/// One message waiting for the writer.
struct Job {
    conversation: Conversation,
    message: NewMessage,
    files: Vec<NewAttachment>,
    at: Timestamp,
    /// The number of the last event published before the message was queued.
    after_event: u64,
    answer: oneshot::Sender<Result<Written, StoreError>>,
}

/// The queue of the message writer. Cheap to clone.
#[derive(Debug, Clone)]
pub struct MessageWriter {
    store: Store,
    events: EventBus,
    /// One queue per writer task; a conversation's messages always go to the same one.
    queues: std::sync::Arc<[mpsc::UnboundedSender<Job>]>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("conversation", &self.conversation.id)
            .finish_non_exhaustive()
    }
}

impl MessageWriter {
    /// Starts the writer tasks over `store`, recording events in `events`' log: `writers` of
    /// them on PostgreSQL (batches of distinct conversations then commit in parallel), one on
    /// SQLite (it has one writer connection). Must be called inside a Tokio runtime.
    pub fn start(store: Store, events: EventBus, writers: u32) -> Self {
        let writers = match store.backend() {
            Backend::Sqlite => 1,
            Backend::Postgres => writers.max(1),
        };
        let queues = (0..writers)
            .map(|_| {
                let (queue, jobs) = mpsc::unbounded_channel();
                tokio::spawn(write_messages(store.clone(), events.clone(), jobs));
                queue
            })
            .collect();
        Self {
            store,
            events,
            queues,
        }
    }

    /// Posts `message` into `conversation` as [`Store::post_message_with`] does, in the
    /// writer's next transaction; returns once it committed.
    pub async fn post(
        &self,
        conversation: Conversation,
        message: NewMessage,
        files: Vec<NewAttachment>,
        at: Timestamp,
    ) -> Result<Written, StoreError> {
        let (answer, answered) = oneshot::channel();
        let job = Job {
            conversation,
            message,
            files,
            at,
            after_event: self.events.published(),
            answer,
        };
        let writer = job.conversation.id.get().unsigned_abs() % self.queues.len() as u64;
        let queue = &self.queues[usize::try_from(writer).unwrap_or(0)];
        match queue.send(job) {
            Ok(()) => answered.await.unwrap_or_else(|_| {
                // The writer stopped with the message in hand: whether it was written is
                // unknown, as when a connection breaks during a commit.
                Err(StoreError::unavailable("the message writer stopped"))
            }),
            // No writer (the runtime is shutting down): write it here.
            Err(mpsc::error::SendError(job)) => self
                .store
                .post_message_with(&job.conversation, &job.message, &job.files, job.at)
                .await
                .map(|(message, conversation)| (message, conversation, false)),
        }
    }
}

/// `message.created`'s name and data as stored.
fn event_of(message: &Message, conversation: &Conversation) -> (String, String) {
    (
        MESSAGE_CREATED.to_owned(),
        message_created(message, conversation).to_string(),
    )
}

/// Writes queued messages and their events, a batch per transaction, and answers each.
async fn write_messages(store: Store, events: EventBus, mut jobs: mpsc::UnboundedReceiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(BATCH);
    while jobs.recv_many(&mut batch, BATCH).await > 0 {
        // What was published before these messages is recorded before their events.
        let after = batch.iter().map(|job| job.after_event).max().unwrap_or(0);
        events.flushed_to(after).await;
        let posts: Vec<PostMessage<'_>> = batch
            .iter()
            .map(|job| PostMessage {
                conversation: &job.conversation,
                message: &job.message,
                files: &job.files,
                at: job.at,
            })
            .collect();
        let recording = events.recording().await;
        let done: Vec<PostedLogged> = store.post_messages_logged(&posts, &event_of).await;
        drop(posts);
        let recorded: Vec<Event> = done
            .iter()
            .filter_map(|(posted, id)| match (posted, id) {
                (Ok((message, conversation)), Some(id)) => Some(Event::new(
                    *id,
                    message.account_id,
                    MESSAGE_CREATED.to_owned(),
                    message_created(message, conversation),
                )),
                _ => None,
            })
            .collect();
        events.recorded(recorded);
        drop(recording);
        for (job, (result, id)) in batch.drain(..).zip(done) {
            // A request that went away meanwhile still has its message written.
            let _ = job.answer.send(result.map(|(m, c)| (m, c, id.is_some())));
        }
        batch.clear();
    }
}
