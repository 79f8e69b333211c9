//! What a client (public) API request acts on, read in one statement: the inbox of the path's
//! public identifier, the contact identity of its `source_id` there, the contact, and the
//! conversation of the path's display id in the inbox's account with its labels.
//!
//! Read one by one it was five statements (inbox, identity, contact, conversation, labels),
//! each a hand-off to a connection's thread and back: under load those hand-offs, not the
//! database, were most of a posted message's cost (`docs/PERFORMANCE.md`, "Fifth pass").

use oxidesk_domain::{Contact, ContactInbox, Conversation, DisplayId, Inbox};
use sqlx::Row;

use crate::rows::{ContactInboxRow, ContactRow, ConversationRow, InboxRow};
use crate::{Store, StoreError};

/// What [`Store::public_target`] found: each part is `None` when it is not there (a part whose
/// parent is missing is missing too).
#[derive(Debug, Clone)]
pub struct PublicTarget {
    /// The inbox with the public identifier.
    pub inbox: Inbox,
    /// The identity with the source id in that inbox.
    pub contact_inbox: Option<ContactInbox>,
    /// Its contact (of the inbox's account).
    pub contact: Option<Contact>,
    /// The inbox's account's conversation with the display id, with its labels (sorted).
    /// Whether the identity may see it is the caller's to decide.
    pub conversation: Option<Conversation>,
}

/// The statement: one row per label of the conversation (one row when it has none), every
/// part's columns in the order [`TargetRow`] reads them.
const TARGET: &str = "SELECT \
    i.id, i.account_id, i.name, i.channel_config, i.inbox_identifier, i.enable_auto_assignment, i.created_at, \
    ci.id, ci.contact_id, ci.inbox_id, ci.source_id, ci.hmac_verified, ci.created_at, \
    ct.id, ct.account_id, ct.name, ct.email, ct.phone_number, ct.identifier, ct.avatar_url, \
    ct.additional_attributes, ct.custom_attributes, ct.last_activity_at, ct.blocked, ct.created_at, ct.updated_at, \
    c.id, c.account_id, c.display_id, c.uuid, c.inbox_id, c.contact_id, c.contact_inbox_id, \
    c.assignee_id, c.team_id, c.status, c.snoozed_until, c.priority, c.muted, c.custom_attributes, \
    c.additional_attributes, c.agent_last_seen_at, c.assignee_last_seen_at, c.contact_last_seen_at, \
    c.last_activity_at, c.waiting_since, c.first_reply_created_at, c.created_at, c.updated_at, \
    l.title \
    FROM inboxes i \
    LEFT JOIN contact_inboxes ci ON ci.inbox_id = i.id AND ci.source_id = $2 \
    LEFT JOIN contacts ct ON ct.id = ci.contact_id AND ct.account_id = i.account_id \
    LEFT JOIN conversations c ON c.account_id = i.account_id AND c.display_id = $3 \
    LEFT JOIN conversation_labels l ON l.conversation_id = c.id \
    WHERE i.inbox_identifier = $1 \
    ORDER BY l.title";

/// One row of [`TARGET`], read by position (the parts share column names).
struct TargetRow {
    inbox: InboxRow,
    contact_inbox: Option<ContactInboxRow>,
    contact: Option<ContactRow>,
    conversation: Option<ConversationRow>,
    label: Option<String>,
}

/// `FromRow` for [`TargetRow`] on each database: the columns in order, a part absent when its
/// id is `NULL` (its other columns are then skipped).
macro_rules! target_from_row {
    ($($row:ty),*) => {$(
        impl<'r> sqlx::FromRow<'r, $row> for TargetRow {
            fn from_row(row: &'r $row) -> Result<Self, sqlx::Error> {
                let mut i = 0usize;
                let mut next = || {
                    i += 1;
                    i - 1
                };
                let inbox = InboxRow {
                    id: row.try_get(next())?,
                    account_id: row.try_get(next())?,
                    name: row.try_get(next())?,
                    channel_config: row.try_get(next())?,
                    inbox_identifier: row.try_get(next())?,
                    enable_auto_assignment: row.try_get(next())?,
                    created_at: row.try_get(next())?,
                };
                let mut i = IDENTITY_AT;
                let mut next = || {
                    i += 1;
                    i - 1
                };
                let contact_inbox = match row.try_get::<Option<i64>, _>(IDENTITY_AT)? {
                    None => None,
                    Some(_) => Some(ContactInboxRow {
                        id: row.try_get(next())?,
                        contact_id: row.try_get(next())?,
                        inbox_id: row.try_get(next())?,
                        source_id: row.try_get(next())?,
                        hmac_verified: row.try_get(next())?,
                        created_at: row.try_get(next())?,
                    }),
                };
                let mut i = CONTACT_AT;
                let mut next = || {
                    i += 1;
                    i - 1
                };
                let contact = match row.try_get::<Option<i64>, _>(CONTACT_AT)? {
                    None => None,
                    Some(_) => Some(ContactRow {
                        id: row.try_get(next())?,
                        account_id: row.try_get(next())?,
                        name: row.try_get(next())?,
                        email: row.try_get(next())?,
                        phone_number: row.try_get(next())?,
                        identifier: row.try_get(next())?,
                        avatar_url: row.try_get(next())?,
                        additional_attributes: row.try_get(next())?,
                        custom_attributes: row.try_get(next())?,
                        last_activity_at: row.try_get(next())?,
                        blocked: row.try_get(next())?,
                        created_at: row.try_get(next())?,
                        updated_at: row.try_get(next())?,
                    }),
                };
                let mut i = CONVERSATION_AT;
                let mut next = || {
                    i += 1;
                    i - 1
                };
                let conversation = match row.try_get::<Option<i64>, _>(CONVERSATION_AT)? {
                    None => None,
                    Some(_) => Some(ConversationRow {
                        id: row.try_get(next())?,
                        account_id: row.try_get(next())?,
                        display_id: row.try_get(next())?,
                        uuid: row.try_get(next())?,
                        inbox_id: row.try_get(next())?,
                        contact_id: row.try_get(next())?,
                        contact_inbox_id: row.try_get(next())?,
                        assignee_id: row.try_get(next())?,
                        team_id: row.try_get(next())?,
                        status: row.try_get(next())?,
                        snoozed_until: row.try_get(next())?,
                        priority: row.try_get(next())?,
                        muted: row.try_get(next())?,
                        custom_attributes: row.try_get(next())?,
                        additional_attributes: row.try_get(next())?,
                        agent_last_seen_at: row.try_get(next())?,
                        assignee_last_seen_at: row.try_get(next())?,
                        contact_last_seen_at: row.try_get(next())?,
                        last_activity_at: row.try_get(next())?,
                        waiting_since: row.try_get(next())?,
                        first_reply_created_at: row.try_get(next())?,
                        created_at: row.try_get(next())?,
                        updated_at: row.try_get(next())?,
                    }),
                };
                Ok(TargetRow {
                    inbox,
                    contact_inbox,
                    contact,
                    conversation,
                    label: row.try_get(LABEL_AT)?,
                })
            }
        }
    )*};
}

/// Where each part's columns start in [`TARGET`]: the inbox's 7, the identity's 6, the
/// contact's 13, the conversation's 23, then the label.
const IDENTITY_AT: usize = 7;
const CONTACT_AT: usize = IDENTITY_AT + 6;
const CONVERSATION_AT: usize = CONTACT_AT + 13;
const LABEL_AT: usize = CONVERSATION_AT + 23;

target_from_row!(sqlx::sqlite::SqliteRow, sqlx::postgres::PgRow);

impl Store {
    /// The inbox with the public identifier `inbox_identifier`, the identity `source_id` in it,
    /// its contact, and the account's conversation `display_id` (when given) with its labels,
    /// in one statement. `None` when there is no such inbox.
    pub async fn public_target(
        &self,
        inbox_identifier: &str,
        source_id: &str,
        display_id: Option<DisplayId>,
    ) -> Result<Option<PublicTarget>, StoreError> {
        let rows: Vec<TargetRow> = on_read!(self, pool => {
            sqlx::query_as(TARGET)
                .bind(inbox_identifier)
                .bind(source_id)
                .bind(display_id.map(DisplayId::get))
                .fetch_all(pool)
                .await?
        });
        let mut labels: Vec<String> = Vec::new();
        let mut first = None;
        for row in rows {
            labels.extend(row.label.clone());
            if first.is_none() {
                first = Some(row);
            }
        }
        let Some(row) = first else {
            return Ok(None);
        };
        Ok(Some(PublicTarget {
            inbox: row.inbox.try_into()?,
            contact_inbox: row.contact_inbox.map(Into::into),
            // A contact without its identity cannot be there (the join goes through it).
            contact: row.contact.map(TryInto::try_into).transpose()?,
            conversation: row
                .conversation
                .map(|c| c.into_domain(labels))
                .transpose()?,
        }))
    }
}
