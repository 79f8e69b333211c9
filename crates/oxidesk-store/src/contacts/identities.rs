//! A contact's identities in inboxes (Chatwoot's contact inboxes): its `source_id` there.

use crate::BeginWrite;
use oxidesk_domain::{
    AccountId, Contact, ContactId, ContactInbox, ContactInboxId, InboxId, Timestamp,
};

use super::{CONTACT_COLUMNS, NewContact};
use crate::rows::{ContactInboxRow, ContactRow, json_text};
use crate::{Store, StoreError};

const CONTACT_INBOX_COLUMNS: &str =
    "id, contact_id, inbox_id, source_id, hmac_verified, created_at";

impl Store {
    /// Creates a contact and, with `inbox`, its identity there (inbox, source id), in one
    /// transaction. Conflicts on `email` or `identifier` when the account already has it, on
    /// `source_id` when the inbox has it.
    pub async fn create_contact_with_inbox(
        &self,
        account: AccountId,
        c: &NewContact,
        blocked: bool,
        inbox: Option<(InboxId, &str)>,
        now: Timestamp,
    ) -> Result<(Contact, Option<ContactInbox>), StoreError> {
        let (contact, identity): (ContactRow, Option<ContactInboxRow>) = on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let contact: ContactRow = sqlx::query_as(&format!(
                "INSERT INTO contacts (account_id, name, email, phone_number, identifier, avatar_url, \
                 additional_attributes, custom_attributes, blocked, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING {CONTACT_COLUMNS}"
            ))
            .bind(account.get())
            .bind(&c.name)
            .bind(&c.email)
            .bind(&c.phone_number)
            .bind(&c.identifier)
            .bind(&c.avatar_url)
            .bind(json_text(&c.additional_attributes))
            .bind(json_text(&c.custom_attributes))
            .bind(blocked)
            .bind(now.secs())
            .fetch_one(&mut *tx)
            .await?;
            let identity: Option<ContactInboxRow> = match inbox {
                Some((inbox, source_id)) => Some(
                    sqlx::query_as(&format!(
                        "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, hmac_verified, created_at) \
                         VALUES ($1, $2, $3, FALSE, $4) RETURNING {CONTACT_INBOX_COLUMNS}"
                    ))
                    .bind(contact.id)
                    .bind(inbox.get())
                    .bind(source_id)
                    .bind(now.secs())
                    .fetch_one(&mut *tx)
                    .await?,
                ),
                None => None,
            };
            tx.commit().await?;
            (contact, identity)
        });
        Ok((contact.try_into()?, identity.map(Into::into)))
    }

    /// Gives a contact an identity in an inbox. Conflicts when the source id is taken there.
    pub async fn create_contact_inbox(
        &self,
        contact: ContactId,
        inbox: InboxId,
        source_id: &str,
        hmac_verified: bool,
        now: Timestamp,
    ) -> Result<ContactInbox, StoreError> {
        let row: ContactInboxRow = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, hmac_verified, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING {CONTACT_INBOX_COLUMNS}"
            ))
            .bind(contact.get())
            .bind(inbox.get())
            .bind(source_id)
            .bind(hmac_verified)
            .bind(now.secs())
            .fetch_one(pool)
            .await?
        });
        Ok(row.into())
    }

    /// The identity with this source id in the inbox.
    pub async fn contact_inbox_by_source(
        &self,
        inbox: InboxId,
        source_id: &str,
    ) -> Result<Option<ContactInbox>, StoreError> {
        let row: Option<ContactInboxRow> = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {CONTACT_INBOX_COLUMNS} FROM contact_inboxes WHERE inbox_id = $1 AND source_id = $2"
            ))
            .bind(inbox.get())
            .bind(source_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(Into::into))
    }

    /// The identity with this source id in `inbox` (a widget visitor's), and when its visitor
    /// token was last used (when it was made, if never since).
    pub async fn visitor_identity(
        &self,
        inbox: InboxId,
        source_id: &str,
    ) -> Result<Option<(ContactInbox, Timestamp)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            identity: ContactInboxRow,
            used_at: i64,
        }
        let row: Option<Row> = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {CONTACT_INBOX_COLUMNS}, COALESCE(token_used_at, created_at) AS used_at \
                 FROM contact_inboxes WHERE inbox_id = $1 AND source_id = $2"
            ))
            .bind(inbox.get())
            .bind(source_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|r| (r.identity.into(), Timestamp(r.used_at))))
    }

    /// Records that the identity's visitor token was used at `at`.
    pub async fn visitor_token_used(
        &self,
        id: ContactInboxId,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE contact_inboxes SET token_used_at = $1 WHERE id = $2")
                .bind(at.secs())
                .bind(id.get())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The account's oldest identity with this source id, in any of its inboxes (Chatwoot
    /// finds a conversation's contact and inbox this way when only `source_id` is given).
    pub async fn contact_inbox_by_source_in_account(
        &self,
        account: AccountId,
        source_id: &str,
    ) -> Result<Option<ContactInbox>, StoreError> {
        let row: Option<ContactInboxRow> = on_read!(self, pool => {
            sqlx::query_as(
                "SELECT ci.id, ci.contact_id, ci.inbox_id, ci.source_id, ci.hmac_verified, ci.created_at \
                 FROM contact_inboxes ci JOIN inboxes i ON i.id = ci.inbox_id \
                 WHERE i.account_id = $1 AND ci.source_id = $2 ORDER BY ci.id LIMIT 1",
            )
            .bind(account.get())
            .bind(source_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(Into::into))
    }

    /// One identity by id.
    pub async fn contact_inbox(&self, id: ContactInboxId) -> Result<ContactInbox, StoreError> {
        let row: ContactInboxRow = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {CONTACT_INBOX_COLUMNS} FROM contact_inboxes WHERE id = $1"))
                .bind(id.get())
                .fetch_one(pool)
                .await?
        });
        Ok(row.into())
    }

    /// A contact's identities, oldest first.
    pub async fn contact_inboxes_of(
        &self,
        contact: ContactId,
    ) -> Result<Vec<ContactInbox>, StoreError> {
        let rows: Vec<ContactInboxRow> = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {CONTACT_INBOX_COLUMNS} FROM contact_inboxes WHERE contact_id = $1 ORDER BY id"
            ))
            .bind(contact.get())
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The identities of these contacts of the account, oldest first, in one query (for a page
    /// of contacts).
    pub async fn contact_inboxes_of_contacts(
        &self,
        account: AccountId,
        contacts: &[ContactId],
    ) -> Result<Vec<ContactInbox>, StoreError> {
        if contacts.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = (0..contacts.len())
            .map(|i| format!("${}", i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT ci.id, ci.contact_id, ci.inbox_id, ci.source_id, ci.hmac_verified, ci.created_at \
             FROM contact_inboxes ci JOIN contacts c ON c.id = ci.contact_id \
             WHERE c.account_id = $1 AND ci.contact_id IN ({placeholders}) ORDER BY ci.id"
        );
        let rows: Vec<ContactInboxRow> = on_read!(self, pool => {
            let mut query = sqlx::query_as(&sql).bind(account.get());
            for contact in contacts {
                query = query.bind(contact.get());
            }
            query.fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Marks an identity as proven (or not) by `identifier_hash`.
    pub async fn set_hmac_verified(
        &self,
        id: ContactInboxId,
        verified: bool,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE contact_inboxes SET hmac_verified = $1 WHERE id = $2")
                .bind(verified)
                .bind(id.get())
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}
