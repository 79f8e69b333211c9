//! Account labels and the labels of conversations.

use crate::BeginWrite;
use oxidesk_domain::{AccountId, ConversationId, Label, LabelId, Timestamp};

use crate::rows::LabelRow;
use crate::{Store, StoreError};

const LABEL_COLUMNS: &str =
    "id, account_id, title, description, color, show_on_sidebar, created_at";

/// The tables of labelled things: table, owner column, owner table.
const TAGGED: [(&str, &str, &str); 2] = [
    ("conversation_labels", "conversation_id", "conversations"),
    ("contact_labels", "contact_id", "contacts"),
];

impl Store {
    /// Creates a label; titles are unique per account (conflict on `title`).
    pub async fn create_label(
        &self,
        account: AccountId,
        title: &str,
        description: &str,
        color: &str,
        show_on_sidebar: bool,
        now: Timestamp,
    ) -> Result<Label, StoreError> {
        let row: LabelRow = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "INSERT INTO labels (account_id, title, description, color, show_on_sidebar, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING {LABEL_COLUMNS}"
            ))
            .bind(account.get())
            .bind(title)
            .bind(description)
            .bind(color)
            .bind(show_on_sidebar)
            .bind(now.secs())
            .fetch_one(pool)
            .await?
        });
        Ok(row.into())
    }

    /// One label of the account.
    pub async fn label(&self, account: AccountId, id: LabelId) -> Result<Label, StoreError> {
        let row: LabelRow = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {LABEL_COLUMNS} FROM labels WHERE account_id = $1 AND id = $2"))
                .bind(account.get())
                .bind(id.get())
                .fetch_one(pool)
                .await?
        });
        Ok(row.into())
    }

    /// The account's labels by id, `limit` after `after`.
    pub async fn list_labels(
        &self,
        account: AccountId,
        after: Option<LabelId>,
        limit: i64,
    ) -> Result<Vec<Label>, StoreError> {
        let rows: Vec<LabelRow> = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {LABEL_COLUMNS} FROM labels WHERE account_id = $1 AND id > $2 ORDER BY id LIMIT $3"
            ))
            .bind(account.get())
            .bind(after.map_or(0, LabelId::get))
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Changes a label (conflict on `title`). A new title is carried over to the account's
    /// conversations and contacts that had the old one, as Chatwoot does, in the same
    /// transaction.
    pub async fn update_label(
        &self,
        account: AccountId,
        id: LabelId,
        title: &str,
        description: &str,
        color: &str,
        show_on_sidebar: bool,
    ) -> Result<Label, StoreError> {
        let before = self.label(account, id).await?;
        let row: LabelRow = on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let updated = sqlx::query_as(&format!(
                "UPDATE labels SET title = $1, description = $2, color = $3, show_on_sidebar = $4 \
                 WHERE account_id = $5 AND id = $6 RETURNING {LABEL_COLUMNS}"
            ))
            .bind(title)
            .bind(description)
            .bind(color)
            .bind(show_on_sidebar)
            .bind(account.get())
            .bind(id.get())
            .fetch_one(&mut *tx)
            .await;
            let row: LabelRow = match updated {
                Ok(row) => row,
                Err(e) => {
                    // Roll back now rather than leave it to the connection's next use.
                    tx.rollback().await?;
                    return Err(e.into());
                }
            };
            // The tagged conversations and contacts take the new title; those that already
            // carry it keep one copy.
            let renamed = before.title != title;
            for (table, column, owners) in TAGGED.iter().filter(|_| renamed) {
                sqlx::query(&format!(
                    "DELETE FROM {table} WHERE title = $1 \
                     AND {column} IN (SELECT id FROM {owners} WHERE account_id = $2) \
                     AND {column} IN (SELECT {column} FROM {table} WHERE title = $3)"
                ))
                .bind(&before.title)
                .bind(account.get())
                .bind(title)
                .execute(&mut *tx)
                .await?;
                sqlx::query(&format!(
                    "UPDATE {table} SET title = $1 WHERE title = $2 \
                     AND {column} IN (SELECT id FROM {owners} WHERE account_id = $3)"
                ))
                .bind(title)
                .bind(&before.title)
                .bind(account.get())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            row
        });
        Ok(row.into())
    }

    /// Deletes a label of the account (conversations keep the title, as in Chatwoot).
    pub async fn delete_label(&self, account: AccountId, id: LabelId) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("DELETE FROM labels WHERE account_id = $1 AND id = $2")
                .bind(account.get())
                .bind(id.get())
                .execute(pool)
                .await?
                .rows_affected()
        });
        crate::one_row(done)
    }

    /// Replaces a conversation's labels with `titles` (already validated).
    pub async fn set_conversation_labels(
        &self,
        conversation: ConversationId,
        titles: &[String],
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM conversation_labels WHERE conversation_id = $1")
                .bind(conversation.get())
                .execute(&mut *tx)
                .await?;
            for title in titles {
                sqlx::query(
                    "INSERT INTO conversation_labels (conversation_id, title) VALUES ($1, $2) \
                     ON CONFLICT (conversation_id, title) DO NOTHING",
                )
                .bind(conversation.get())
                .bind(title)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
