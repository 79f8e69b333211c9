//! Group commit: several messages, of one conversation or many, in one transaction.
//!
//! A posted message alone costs a transaction of five statements on the one SQLite writer (or a
//! PostgreSQL connection): `BEGIN`, the conversation, the message, the conversation saved, the
//! contact's activity, `COMMIT`, each a hand-off to the driver. Written together, `n` messages
//! cost `BEGIN`, one read of their conversations, one multi-row `INSERT`, one `UPDATE` that
//! saves every conversation, one that moves every contact's activity (and, logged, one that
//! appends their events) and one `COMMIT`: the same seven statements for one message or 64.
//! On SQLite the inserts return no rows and the saves, the contacts and the events are one
//! command (`sqlite_tail`): five hand-offs to the driver's thread. Each message's effect
//! is the one [`Store::post_message`] gives it, in the order of the batch; the durability is
//! the same (nothing is answered before the commit).

use std::collections::{BTreeMap, HashMap};

use oxidesk_domain::{
    Conversation, Message, MessageType, Priority, Sender, TeamId, Timestamp, UserId,
};

use super::COLUMNS;
use crate::attachments::{INSERT_ATTACHMENT, NewAttachment, bind_attachment};
use crate::batch::{LastInsertId, ids_ending_at, inserted_ids, placeholders};
use crate::messages::{NewMessage, bind_message};
use crate::rows::{ConversationRow, MessageRow, json_text};
use crate::{Backend, BeginWrite, Store, StoreError};
use sql::{
    CONTACTS_CHUNK, SAVE_CHUNK, insert_messages, save_conversations, sqlite_tail, touch_contacts,
};

mod sql;
#[cfg(test)]
mod tests;

/// One message of a batch for [`Store::post_messages`]: what [`Store::post_message_with`]
/// takes.
#[derive(Debug, Clone, Copy)]
pub struct PostMessage<'a> {
    /// The conversation as the caller read it (its labels are returned as they are).
    pub conversation: &'a Conversation,
    /// The message.
    pub message: &'a NewMessage,
    /// Its files, already in the object store.
    pub files: &'a [NewAttachment],
    /// When it is posted.
    pub at: Timestamp,
}

/// What one message of a batch came to: the message and its conversation just after it.
pub type Posted = Result<(Message, Conversation), StoreError>;

/// The event a posted message records, made from the message and its conversation just after
/// it: its name and JSON data (see [`Store::post_messages_logged`]).
pub type EventOf<'f> = &'f (dyn Fn(&Message, &Conversation) -> (String, String) + Sync);

/// What one message of a logged batch came to: its answer, and the id of its event when that
/// was recorded in the batch's transaction (`None` when the message failed, or was written
/// alone after its batch failed: its event is then the caller's to record).
pub type PostedLogged = (Posted, Option<i64>);

impl Store {
    /// Posts every message of `posts` in one transaction, each with what
    /// [`Store::post_message_with`] does for it, in order: a conversation with several
    /// messages in the batch gets them one after the other, and each answer carries the
    /// conversation as it was just after its own message. A message whose conversation is
    /// gone (or of another account) gets [`StoreError::NotFound`] without failing the others.
    /// Should the batch fail before its commit (a constraint one message breaks, say), each
    /// message is posted again alone, so that only the faulty one fails; a failed commit fails
    /// them all (nothing of the batch was written).
    pub async fn post_messages(&self, posts: &[PostMessage<'_>]) -> Vec<Posted> {
        self.post_logged(posts, None)
            .await
            .into_iter()
            .map(|(posted, _)| posted)
            .collect()
    }

    /// As [`Store::post_messages`], recording each written message's event (`event` makes
    /// it) in the event log in the same transaction, in the order of the batch, after the
    /// events committed before it (on PostgreSQL under the event log's lock, with its
    /// notification): one commit for a batch and its events instead of two.
    pub async fn post_messages_logged(
        &self,
        posts: &[PostMessage<'_>],
        event: EventOf<'_>,
    ) -> Vec<PostedLogged> {
        self.post_logged(posts, Some(event)).await
    }

    async fn post_logged(
        &self,
        posts: &[PostMessage<'_>],
        event: Option<EventOf<'_>>,
    ) -> Vec<PostedLogged> {
        match self.post_batch(posts, event).await {
            Ok(done) => done,
            Err(Failed::BeforeCommit(error)) => {
                tracing::debug!(%error, messages = posts.len(), "batch failed; posting one by one");
                let mut done = Vec::with_capacity(posts.len());
                for p in posts {
                    done.push((
                        self.post_message_with(p.conversation, p.message, p.files, p.at)
                            .await,
                        None,
                    ));
                }
                done
            }
            Err(Failed::Commit(error)) => {
                let text = error.to_string();
                let unavailable = error.is_unavailable();
                posts
                    .iter()
                    .map(|_| {
                        let reason = format!("commit failed: {text}");
                        let error = if unavailable {
                            StoreError::unavailable(reason)
                        } else {
                            StoreError::Database(sqlx::Error::Protocol(reason))
                        };
                        (Err(error), None)
                    })
                    .collect()
            }
        }
    }

    async fn post_batch(
        &self,
        posts: &[PostMessage<'_>],
        event: Option<EventOf<'_>>,
    ) -> Result<Vec<PostedLogged>, Failed> {
        if posts.is_empty() {
            return Ok(Vec::new());
        }
        let mut ids: Vec<i64> = posts.iter().map(|p| p.conversation.id.get()).collect();
        ids.sort_unstable();
        ids.dedup();
        // Locked in id order on PostgreSQL, so two batches never wait on each other in a
        // circle; SQLite's `BEGIN IMMEDIATE` holds the whole database's write lock.
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let read = format!(
            "SELECT {COLUMNS} FROM conversations c WHERE c.id IN ({}) ORDER BY c.id{lock}",
            placeholders(1, ids.len())
        );
        let before = |e: sqlx::Error| Failed::BeforeCommit(e.into());
        let postgres = self.backend() == Backend::Postgres;
        let (read, ids) = (read.as_str(), ids.as_slice());
        // A lock conflict (see `retry.rs`) runs the whole batch again before it falls back to
        // one message at a time.
        crate::retry::retrying(move || async move { on_pool!(self, pool => {
            let mut tx = pool.begin_write().await.map_err(before)?;
            let mut query = sqlx::query_as::<_, ConversationRow>(read);
            for id in ids {
                query = query.bind(*id);
            }
            let rows = query.fetch_all(&mut *tx).await.map_err(before)?;
            let mut plan = Plan::new(posts, rows).map_err(Failed::BeforeCommit)?;
            let accepted: Vec<&PostMessage<'_>> =
                plan.accepted.iter().map(|&i| &posts[i]).collect();
            let mut messages: Vec<Message> = Vec::new();
            if !accepted.is_empty() {
                let sql = insert_messages(accepted.len(), postgres);
                if postgres {
                    let mut insert = sqlx::query_as::<_, MessageRow>(&sql);
                    for p in &accepted {
                        insert = bind_message!(insert, p.message, p.at);
                    }
                    let mut rows = insert.fetch_all(&mut *tx).await.map_err(before)?;
                    // Ids grow in the order of the rows of one `INSERT`, whatever order
                    // `RETURNING` gives them back in.
                    rows.sort_by_key(|m| m.id);
                    messages = rows
                        .into_iter()
                        .map(Message::try_from)
                        .collect::<Result<_, _>>()
                        .map_err(Failed::BeforeCommit)?;
                } else {
                    let mut insert = sqlx::query(&sql);
                    for p in &accepted {
                        insert = bind_message!(insert, p.message, p.at);
                    }
                    let done = insert.execute(&mut *tx).await.map_err(before)?;
                    let ids = inserted_ids(&done, accepted.len()).map_err(before)?;
                    messages = accepted
                        .iter()
                        .zip(ids)
                        .map(|(p, id)| p.message.written(id, p.at))
                        .collect();
                }
            }
            for (p, m) in accepted.iter().zip(&messages) {
                for file in p.files {
                    bind_attachment!(sqlx::query(INSERT_ATTACHMENT), m.id.get(), p.message.account_id.get(), file, p.at.secs())
                        .execute(&mut *tx)
                        .await
                        .map_err(before)?;
                }
            }
            let saved: Vec<Conversation> = std::mem::take(&mut plan.saved).into_values().collect();
            let contacts = std::mem::take(&mut plan.contacts);
            let done = plan.answers(posts.len(), messages).map_err(Failed::BeforeCommit)?;
            let made: Vec<(oxidesk_domain::AccountId, String, String)> = match event {
                Some(event) => done
                    .iter()
                    .flatten()
                    .map(|(m, c)| {
                        let (name, data) = event(m, c);
                        (m.account_id, name, data)
                    })
                    .collect(),
                None => Vec::new(),
            };
            let events: Vec<crate::NewEvent<'_>> = made
                .iter()
                .map(|(account, name, data)| crate::NewEvent {
                    account: *account,
                    name,
                    data,
                })
                .collect();
            let now = Timestamp::now();
            let mut ids = Vec::new();
            if postgres || events.len() > crate::events::INSERT_CHUNK {
                for chunk in saved.chunks(SAVE_CHUNK) {
                    let sql = save_conversations(1, chunk.len());
                    let mut update = sqlx::query(&sql);
                    for c in chunk {
                        update = bind_saved!(update, c);
                    }
                    update.execute(&mut *tx).await.map_err(before)?;
                }
                for chunk in contacts.chunks(CONTACTS_CHUNK) {
                    let sql = touch_contacts(1, chunk.len());
                    let mut update = sqlx::query(&sql);
                    for (id, at) in chunk {
                        update = update.bind(*id).bind(*at);
                    }
                    update.execute(&mut *tx).await.map_err(before)?;
                }
                if event.is_some() {
                    ids = crate::events::append_events!(&mut *tx, postgres, &events, now)
                        .map_err(before)?;
                }
            } else {
                // SQLite: the saves, the contacts and the events as one SQL text, one
                // hand-off to the driver's thread instead of one a statement.
                let sql = sqlite_tail(saved.len(), contacts.len(), events.len());
                if !sql.is_empty() {
                    let mut tail = sqlx::query(&sql);
                    for c in &saved {
                        tail = bind_saved!(tail, c);
                    }
                    for (id, at) in &contacts {
                        tail = tail.bind(*id).bind(*at);
                    }
                    tail = crate::events::bind_events!(tail, &events, now);
                    let written = tail.execute(&mut *tx).await.map_err(before)?;
                    if !events.is_empty() {
                        // The events' `INSERT` is the text's last statement.
                        ids = ids_ending_at(written.last_insert_id(), events.len())
                            .map_err(before)?;
                    }
                }
            }
            tx.commit().await.map_err(|e| Failed::Commit(e.into()))?;
            let mut ids = ids.into_iter();
            Ok(done
                .into_iter()
                .map(|posted| {
                    let id = if posted.is_ok() { ids.next() } else { None };
                    (posted, id)
                })
                .collect())
        }) })
        .await
    }
}

/// Why a batch was not written.
enum Failed {
    /// Nothing was committed; each message may be tried alone.
    BeforeCommit(StoreError),
    /// The commit itself failed.
    Commit(StoreError),
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failed::BeforeCommit(e) => write!(f, "{e}"),
            Failed::Commit(e) => write!(f, "commit failed: {e}"),
        }
    }
}

impl crate::retry::Contended for Failed {
    fn contended(&self) -> bool {
        match self {
            Failed::BeforeCommit(e) | Failed::Commit(e) => e.is_contended(),
        }
    }
}

/// What a batch writes, worked out from the conversations as they are in the transaction.
struct Plan {
    /// Indexes (into the batch) of the messages whose conversation was found, in order.
    accepted: Vec<usize>,
    /// For each message of the batch: its conversation just after it, or not found.
    after: Vec<Option<Conversation>>,
    /// Each conversation's state after all its messages: what is saved.
    saved: BTreeMap<i64, Conversation>,
    /// Contacts whose activity moves and the time it moves to (each contact once, at its
    /// latest message), by id.
    contacts: Vec<(i64, i64)>,
}

impl Plan {
    fn new(posts: &[PostMessage<'_>], rows: Vec<ConversationRow>) -> Result<Self, StoreError> {
        let mut rows: HashMap<i64, ConversationRow> = rows.into_iter().map(|r| (r.id, r)).collect();
        let mut saved: BTreeMap<i64, Conversation> = BTreeMap::new();
        let mut accepted = Vec::new();
        let mut after = Vec::with_capacity(posts.len());
        let mut latest: HashMap<i64, i64> = HashMap::new();
        for (i, p) in posts.iter().enumerate() {
            let id = p.conversation.id.get();
            if let Some(row) = rows.remove(&id) {
                saved.insert(id, row.into_domain(p.conversation.labels.clone())?);
            }
            let Some(current) = saved
                .get_mut(&id)
                .filter(|c| c.account_id == p.conversation.account_id)
            else {
                after.push(None);
                continue;
            };
            let m = p.message;
            current.record_message(m.message_type, m.private, p.at);
            after.push(Some(current.clone()));
            accepted.push(i);
            if m.message_type == MessageType::Incoming
                && let Some(Sender::Contact(contact)) = m.sender
            {
                let at = latest.entry(contact.get()).or_insert(p.at.secs());
                *at = (*at).max(p.at.secs());
            }
        }
        // Only what a message changed is saved.
        let touched: std::collections::HashSet<i64> = accepted
            .iter()
            .map(|&i| posts[i].conversation.id.get())
            .collect();
        saved.retain(|id, _| touched.contains(id));
        let mut contacts: Vec<(i64, i64)> = latest.into_iter().collect();
        contacts.sort_unstable();
        Ok(Self {
            accepted,
            after,
            saved,
            contacts,
        })
    }

    /// Each message's answer, the inserted rows matched to the accepted messages in order.
    fn answers(self, count: usize, rows: Vec<Message>) -> Result<Vec<Posted>, StoreError> {
        if rows.len() != self.accepted.len() {
            return Err(StoreError::Corrupt(format!(
                "{} messages inserted for {} posted",
                rows.len(),
                self.accepted.len()
            )));
        }
        let mut rows = rows.into_iter();
        let mut done = Vec::with_capacity(count);
        for after in self.after {
            done.push(match after {
                Some(conversation) => {
                    let row = rows.next().ok_or(StoreError::NotFound)?;
                    Ok((row, conversation))
                }
                None => Err(StoreError::NotFound),
            });
        }
        Ok(done)
    }
}
