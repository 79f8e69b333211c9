//! Merging two contacts of an account into one (Chatwoot's `actions/contact_merge`).

use oxidesk_domain::{AccountId, Contact, ContactId, Timestamp};

use super::{CONTACT_COLUMNS, ContactChanges};
use crate::BeginWrite;
use crate::rows::{ContactRow, json_text};
use crate::{Store, StoreError};

impl Store {
    /// Moves everything of contact `mergee` to contact `base`, in one transaction: its
    /// conversations, the messages it sent in them, its identities in inboxes and its labels;
    /// then deletes it and writes `merged` (the fields of both, computed by the caller) into
    /// `base`, whose last activity becomes the later of the two (`last_activity`, the
    /// mergee's). Not found when either is not the account's.
    pub async fn merge_contacts(
        &self,
        account: AccountId,
        base: ContactId,
        mergee: ContactId,
        merged: &ContactChanges,
        last_activity: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<Contact, StoreError> {
        let merged_activity = last_activity.map(Timestamp::secs);
        let row: ContactRow = retry_on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mine: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM contacts WHERE account_id = $1 AND id IN ($2, $3)",
            )
            .bind(account.get())
            .bind(base.get())
            .bind(mergee.get())
            .fetch_one(&mut *tx)
            .await?;
            if mine != 2 {
                return Err(StoreError::NotFound);
            }
            // The mergee's messages are in its conversations: found through them, by index.
            sqlx::query(
                "UPDATE messages SET sender_id = $1 WHERE sender_type = 'Contact' AND sender_id = $2 \
                 AND conversation_id IN (SELECT id FROM conversations WHERE contact_id = $2)",
            )
            .bind(base.get())
            .bind(mergee.get())
            .execute(&mut *tx)
            .await?;
            for statement in [
                "UPDATE conversations SET contact_id = $1 WHERE contact_id = $2",
                "UPDATE contact_inboxes SET contact_id = $1 WHERE contact_id = $2",
                "INSERT INTO contact_labels (contact_id, title) \
                 SELECT $1, title FROM contact_labels WHERE contact_id = $2 \
                 ON CONFLICT (contact_id, title) DO NOTHING",
                "DELETE FROM contacts WHERE id = $2 AND $1 <> $2",
            ] {
                sqlx::query(statement)
                    .bind(base.get())
                    .bind(mergee.get())
                    .execute(&mut *tx)
                    .await?;
            }
            let row = sqlx::query_as(&format!(
                "UPDATE contacts SET name = $1, email = $2, phone_number = $3, identifier = $4, \
                 avatar_url = $5, additional_attributes = $6, custom_attributes = $7, updated_at = $8, \
                 last_activity_at = CASE WHEN last_activity_at IS NULL OR last_activity_at < $9 \
                 THEN $9 ELSE last_activity_at END \
                 WHERE account_id = $10 AND id = $11 RETURNING {CONTACT_COLUMNS}"
            ))
            .bind(&merged.name)
            .bind(&merged.email)
            .bind(&merged.phone_number)
            .bind(&merged.identifier)
            .bind(&merged.avatar_url)
            .bind(json_text(&merged.additional_attributes))
            .bind(json_text(&merged.custom_attributes))
            .bind(now.secs())
            .bind(merged_activity)
            .bind(account.get())
            .bind(base.get())
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            row
        })?;
        row.try_into()
    }
}
