//! Group commit of posted messages: one writer task takes every message posted meanwhile and
//! writes them in one transaction ([`Store::post_messages`]); each request is answered once
//! that transaction committed, so durability is what it was with a transaction per message.
//!
//! Why: a message alone was five statements and a commit on the one SQLite writer, each a
//! hand-off to the driver's thread; under load the hand-offs, not SQLite, were the cost (see
//! `docs/PERFORMANCE.md`, "Ingest"). The writer adds no wait: it writes as soon as one message
//! is queued, and whatever queued up while a batch was being written goes in the next.

use oxidesk_domain::{Conversation, Message, Timestamp};
use oxidesk_store::{NewAttachment, NewMessage, PostMessage, Posted, Store, StoreError};
use tokio::sync::{mpsc, oneshot};

/// The most messages written in one transaction.
const BATCH: usize = 64;

/// One message waiting for the writer.
struct Job {
    conversation: Conversation,
    message: NewMessage,
    files: Vec<NewAttachment>,
    at: Timestamp,
    answer: oneshot::Sender<Posted>,
}

/// The queue of the message writer. Cheap to clone.
#[derive(Debug, Clone)]
pub struct MessageWriter {
    store: Store,
    queue: mpsc::UnboundedSender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("conversation", &self.conversation.id)
            .finish_non_exhaustive()
    }
}

impl MessageWriter {
    /// Starts the writer task over `store`. Must be called inside a Tokio runtime.
    pub fn start(store: Store) -> Self {
        let (queue, jobs) = mpsc::unbounded_channel();
        tokio::spawn(write_messages(store.clone(), jobs));
        Self { store, queue }
    }

    /// Posts `message` into `conversation` as [`Store::post_message_with`] does, in the
    /// writer's next transaction; returns once it committed.
    pub async fn post(
        &self,
        conversation: Conversation,
        message: NewMessage,
        files: Vec<NewAttachment>,
        at: Timestamp,
    ) -> Result<(Message, Conversation), StoreError> {
        let (answer, answered) = oneshot::channel();
        let job = Job {
            conversation,
            message,
            files,
            at,
            answer,
        };
        match self.queue.send(job) {
            Ok(()) => answered.await.unwrap_or_else(|_| {
                // The writer stopped with the message in hand: whether it was written is
                // unknown, as when a connection breaks during a commit.
                Err(StoreError::unavailable("the message writer stopped"))
            }),
            // No writer (the runtime is shutting down): write it here.
            Err(mpsc::error::SendError(job)) => {
                self.store
                    .post_message_with(&job.conversation, &job.message, &job.files, job.at)
                    .await
            }
        }
    }
}

/// Writes queued messages, a batch per transaction, and answers each.
async fn write_messages(store: Store, mut jobs: mpsc::UnboundedReceiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(BATCH);
    while jobs.recv_many(&mut batch, BATCH).await > 0 {
        let posts: Vec<PostMessage<'_>> = batch
            .iter()
            .map(|job| PostMessage {
                conversation: &job.conversation,
                message: &job.message,
                files: &job.files,
                at: job.at,
            })
            .collect();
        let done = store.post_messages(&posts).await;
        drop(posts);
        for (job, result) in batch.drain(..).zip(done) {
            // A request that went away meanwhile still has its message written.
            let _ = job.answer.send(result);
        }
        batch.clear();
    }
}
