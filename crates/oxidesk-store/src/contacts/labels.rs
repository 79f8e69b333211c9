//! The labels of contacts (`contact_labels`): titles, not references to the account's labels,
//! as Chatwoot tags contacts.

use crate::BeginWrite;
use oxidesk_domain::{AccountId, ContactId};

use crate::{Store, StoreError};

impl Store {
    /// The labels of the account's contact, by title. Not found when the contact is not the
    /// account's.
    pub async fn contact_labels(
        &self,
        account: AccountId,
        contact: ContactId,
    ) -> Result<Vec<String>, StoreError> {
        self.contact(account, contact).await?;
        Ok(on_read!(self, pool => {
            sqlx::query_scalar(
                "SELECT title FROM contact_labels WHERE contact_id = $1 ORDER BY title",
            )
            .bind(contact.get())
            .fetch_all(pool)
            .await?
        }))
    }

    /// Replaces the labels of the account's contact with `titles` (already validated), in one
    /// transaction. Not found when the contact is not the account's.
    pub async fn set_contact_labels(
        &self,
        account: AccountId,
        contact: ContactId,
        titles: &[String],
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mine: Option<i64> =
                sqlx::query_scalar("SELECT id FROM contacts WHERE account_id = $1 AND id = $2")
                    .bind(account.get())
                    .bind(contact.get())
                    .fetch_optional(&mut *tx)
                    .await?;
            if mine.is_none() {
                return Err(StoreError::NotFound);
            }
            sqlx::query("DELETE FROM contact_labels WHERE contact_id = $1")
                .bind(contact.get())
                .execute(&mut *tx)
                .await?;
            for title in titles {
                sqlx::query(
                    "INSERT INTO contact_labels (contact_id, title) VALUES ($1, $2) \
                     ON CONFLICT (contact_id, title) DO NOTHING",
                )
                .bind(contact.get())
                .bind(title)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
