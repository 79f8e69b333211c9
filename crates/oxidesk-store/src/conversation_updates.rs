//! Changes to one field of a conversation, each writing only its own columns (and
//! `updated_at`): never a whole-row save from an earlier read, so what others changed meanwhile
//! (a message reopening it and moving its activity time, a resolve, an assignment) is kept.
//! The seen marks have theirs in `conversations.rs` (`Store::set_last_seen`).

use oxidesk_domain::{
    Attributes, ConversationId, ConversationStatus, Priority, TeamId, Timestamp, UserId,
};

use crate::rows::{json_text, parse_json};
use crate::{Store, StoreError, one_row};

/// How many times [`Store::update_conversation_attributes`] re-reads when others keep changing
/// the attributes between its read and its write.
const ATTRIBUTE_ATTEMPTS: usize = 16;

/// Runs `$sql`, an `UPDATE conversations` of one column whose parameters are the value (`$1`),
/// the time (`$2`) and the conversation (`$3`); `NotFound` when it is gone. Run again on a lock
/// conflict (`retry_on_pool!`): an assignee or a team moves the conversation in the counts.
macro_rules! set_column {
    ($store:expr, $sql:expr, $value:expr, $id:expr, $now:expr) => {{
        let (value, id, now) = ($value, $id, $now);
        let done = retry_on_pool!($store, pool => {
            sqlx::query($sql)
                .bind(value)
                .bind(now.secs())
                .bind(id.get())
                .execute(pool)
                .await?
                .rows_affected()
        })?;
        one_row(done)
    }};
}

impl Store {
    /// Gives the conversation to `assignee` (`None`: unassigned); the new assignee has not seen
    /// it yet.
    pub async fn set_conversation_assignee(
        &self,
        id: ConversationId,
        assignee: Option<UserId>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        set_column!(
            self,
            "UPDATE conversations SET assignee_id = $1, assignee_last_seen_at = NULL, \
             updated_at = $2 WHERE id = $3",
            assignee.map(UserId::get),
            id,
            now
        )
    }

    /// Gives the conversation to `team` (`None`: no team).
    pub async fn set_conversation_team(
        &self,
        id: ConversationId,
        team: Option<TeamId>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        set_column!(
            self,
            "UPDATE conversations SET team_id = $1, updated_at = $2 WHERE id = $3",
            team.map(TeamId::get),
            id,
            now
        )
    }

    /// Sets the conversation's priority (`None`: none).
    pub async fn set_conversation_priority(
        &self,
        id: ConversationId,
        priority: Option<Priority>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        set_column!(
            self,
            "UPDATE conversations SET priority = $1, updated_at = $2 WHERE id = $3",
            priority.map(Priority::as_str),
            id,
            now
        )
    }

    /// Mutes or unmutes the conversation.
    pub async fn set_conversation_muted(
        &self,
        id: ConversationId,
        muted: bool,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        set_column!(
            self,
            "UPDATE conversations SET muted = $1, updated_at = $2 WHERE id = $3",
            muted,
            id,
            now
        )
    }

    /// Sets the status (and `snoozed_until`) if the status is still `from`, as read before the
    /// change was decided: `false` when someone changed it meanwhile (read again and decide
    /// again), so two resolves racing make one activity line, and a bot's `pending` never
    /// undoes an agent's resolve. `NotFound` when the conversation is gone.
    pub async fn set_conversation_status(
        &self,
        id: ConversationId,
        from: ConversationStatus,
        status: ConversationStatus,
        snoozed_until: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = retry_on_pool!(self, pool => {
            sqlx::query(
                "UPDATE conversations SET status = $1, snoozed_until = $2, updated_at = $3 \
                 WHERE id = $4 AND status = $5",
            )
            .bind(status.as_str())
            .bind(snoozed_until.map(Timestamp::secs))
            .bind(now.secs())
            .bind(id.get())
            .bind(from.as_str())
            .execute(pool)
            .await?
            .rows_affected()
        })?;
        if done > 0 {
            return Ok(true);
        }
        // Gone (NotFound) or changed meanwhile (false).
        self.conversation(id).await.map(|_| false)
    }

    /// Changes the conversation's custom attributes with `change`, applied to the stored ones;
    /// returns them before and after. The write only lands if they are still what `change` was
    /// given (else it reads and applies again), so two merges racing keep both.
    pub async fn update_conversation_attributes(
        &self,
        id: ConversationId,
        now: Timestamp,
        change: impl Fn(&mut Attributes),
    ) -> Result<(Attributes, Attributes), StoreError> {
        for _ in 0..ATTRIBUTE_ATTEMPTS {
            let stored: String = on_pool!(self, pool => {
                sqlx::query_scalar("SELECT custom_attributes FROM conversations WHERE id = $1")
                    .bind(id.get())
                    .fetch_one(pool)
                    .await?
            });
            let before = parse_json("conversations.custom_attributes", &stored)?;
            let mut after = before.clone();
            change(&mut after);
            let done = on_pool!(self, pool => {
                sqlx::query(
                    "UPDATE conversations SET custom_attributes = $1, updated_at = $2 \
                     WHERE id = $3 AND custom_attributes = $4",
                )
                .bind(json_text(&after))
                .bind(now.secs())
                .bind(id.get())
                .bind(&stored)
                .execute(pool)
                .await?
                .rows_affected()
            });
            if done > 0 {
                return Ok((before, after));
            }
        }
        Err(StoreError::Conflict(
            "conversations.custom_attributes kept changing".to_owned(),
        ))
    }
}
