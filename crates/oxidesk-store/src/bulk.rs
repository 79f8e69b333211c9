//! Bulk inserts, for the data generator (`oxidesk generate`).
//!
//! Rows go into the real tables through plain multi-row `INSERT … VALUES (…), (…)` statements,
//! so whatever triggers the schema has (counters, search tables) fire as for rows the services
//! write. Each call is one transaction; each statement carries many rows (about 30,000 bound
//! parameters' worth on PostgreSQL, 1,000 on SQLite: see `rows_per_statement`), and its text
//! depends only on the number of rows, so the drivers' statement caches prepare it once. The SQL is the same
//! text on both databases. Rows are matched with the ids the database gave them through
//! `RETURNING` and a unique column (never through the order of the returned rows).

mod conversations;

use std::collections::HashMap;

use oxidesk_domain::{
    AccountId, Availability, ContactId, ContactInboxId, InboxId, Role, Timestamp, UserId,
};

use crate::{Backend, BeginWrite, Store, StoreError};

pub use conversations::{BulkConversation, BulkMessage, BulkOutcome};

/// Most bound parameters in one statement on PostgreSQL (its limit is 65,535).
const POSTGRES_MAX_PARAMS: usize = 30_000;
/// Most bound parameters in one statement on SQLite. Its limit is 32,766, but sqlx binds each
/// parameter after looking its name up (`sqlite3_bind_parameter_name`, a linear scan of the
/// statement's names), so binding costs the square of the count: 16,000 parameters spent
/// nearly two thirds of the time there. A thousand keep it negligible.
const SQLITE_MAX_PARAMS: usize = 1_000;

/// `rows` groups of `template`, comma-separated, for a multi-row `VALUES`. In the template,
/// a written `$n` stays as it is (a value shared by every row, such as the account, bound
/// first) and each `#` becomes the next numbered placeholder, counting from `$first`.
pub(crate) fn values(rows: usize, first: usize, template: &str) -> String {
    let mut sql = String::with_capacity(rows * (template.len() + 16));
    let mut next = first;
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        for c in template.chars() {
            if c == '#' {
                sql.push('$');
                sql.push_str(&next.to_string());
                next += 1;
            } else {
                sql.push(c);
            }
        }
    }
    sql
}

/// How many rows of `params` parameters go in one statement.
pub(crate) fn rows_per_statement(backend: Backend, params: usize) -> usize {
    let max = match backend {
        Backend::Sqlite => SQLITE_MAX_PARAMS,
        Backend::Postgres => POSTGRES_MAX_PARAMS,
    };
    (max / params).clamp(1, 2_000)
}

/// A generated agent.
#[derive(Debug, Clone)]
pub struct BulkAgent {
    /// Full name.
    pub name: String,
    /// Email, lower-case, not yet taken.
    pub email: String,
    /// Their availability in the account.
    pub availability: Availability,
}

/// A generated contact and its identity in one inbox.
#[derive(Debug, Clone)]
pub struct BulkContact {
    /// Full name.
    pub name: String,
    /// Email, lower-case, unique in the account.
    pub email: Option<String>,
    /// Phone number, E.164.
    pub phone_number: Option<String>,
    /// External id, unique in the account (the rows are matched by it).
    pub identifier: String,
    /// `additional_attributes`, a JSON object as text.
    pub additional_attributes: String,
    /// `custom_attributes`, a JSON object as text.
    pub custom_attributes: String,
    /// The inbox of its identity.
    pub inbox_id: InboxId,
    /// Its source id there (unique in the inbox).
    pub source_id: String,
    /// When it was created.
    pub created_at: Timestamp,
}

/// Where a run of the generator starts from: the largest ids and the account's display id
/// counter, so that a second run makes new emails and ids instead of colliding with the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerationMarks {
    /// The largest user id (0 when there is none).
    pub max_user_id: i64,
    /// The largest contact id (0 when there is none).
    pub max_contact_id: i64,
    /// The account's `conversation_seq`.
    pub conversation_seq: i64,
}

impl Store {
    /// The marks a generator run starts from.
    pub async fn generation_marks(
        &self,
        account: AccountId,
    ) -> Result<GenerationMarks, StoreError> {
        let (max_user_id, max_contact_id, conversation_seq): (i64, i64, i64) = on_read!(self, pool => {
            sqlx::query_as(
                "SELECT (SELECT COALESCE(MAX(id), 0) FROM users), (SELECT COALESCE(MAX(id), 0) FROM contacts), \
                 conversation_seq FROM accounts WHERE id = $1",
            )
            .bind(account.get())
            .fetch_one(pool)
            .await?
        });
        Ok(GenerationMarks {
            max_user_id,
            max_contact_id,
            conversation_seq,
        })
    }

    /// Creates users that share one password hash and makes them agents of the account, in one
    /// transaction. Returns their ids in the order given.
    pub async fn bulk_insert_agents(
        &self,
        account: AccountId,
        agents: &[BulkAgent],
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Vec<UserId>, StoreError> {
        let mut ids = vec![0_i64; agents.len()];
        let index: HashMap<&str, usize> = agents
            .iter()
            .enumerate()
            .map(|(i, a)| (a.email.as_str(), i))
            .collect();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for chunk in agents.chunks(rows_per_statement(self.backend(), 5)) {
                let sql = format!(
                    "INSERT INTO users (name, display_name, email, password_hash, confirmed, avatar_url, created_at, updated_at) \
                     VALUES {} RETURNING id, email",
                    values(chunk.len(), 1, "(#, NULL, #, #, TRUE, NULL, #, #)")
                );
                let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
                for agent in chunk {
                    query = query
                        .bind(&agent.name)
                        .bind(&agent.email)
                        .bind(password_hash)
                        .bind(now.secs())
                        .bind(now.secs());
                }
                for (id, email) in query.fetch_all(&mut *tx).await? {
                    let i = index.get(email.as_str()).copied().ok_or_else(|| {
                        StoreError::Corrupt(format!("inserted user {email} was not asked for"))
                    })?;
                    ids[i] = id;
                }
            }
            for (chunk, chunk_ids) in agents.chunks(rows_per_statement(self.backend(), 3)).zip(ids.chunks(rows_per_statement(self.backend(), 3))) {
                let sql = format!(
                    "INSERT INTO account_users (account_id, user_id, role, availability, auto_offline, created_at) VALUES {}",
                    values(chunk.len(), 3, "($1, #, #, #, TRUE, $2)")
                );
                let mut query = sqlx::query(&sql).bind(account.get()).bind(now.secs());
                for (agent, id) in chunk.iter().zip(chunk_ids) {
                    query = query
                        .bind(*id)
                        .bind(Role::Agent.as_str())
                        .bind(agent.availability.as_str());
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(ids.into_iter().map(UserId).collect())
    }

    /// Creates contacts, each with its identity in its inbox, in one transaction. Returns their
    /// ids and their identities' ids, in the order given.
    pub async fn bulk_insert_contacts(
        &self,
        account: AccountId,
        contacts: &[BulkContact],
    ) -> Result<Vec<(ContactId, ContactInboxId)>, StoreError> {
        let mut ids = vec![(0_i64, 0_i64); contacts.len()];
        let by_identifier: HashMap<&str, usize> = contacts
            .iter()
            .enumerate()
            .map(|(i, c)| (c.identifier.as_str(), i))
            .collect();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for chunk in contacts.chunks(rows_per_statement(self.backend(), 8)) {
                let sql = format!(
                    "INSERT INTO contacts (account_id, name, email, phone_number, identifier, avatar_url, \
                     additional_attributes, custom_attributes, blocked, created_at, updated_at) \
                     VALUES {} RETURNING id, identifier",
                    values(chunk.len(), 2, "($1, #, #, #, #, NULL, #, #, FALSE, #, #)")
                );
                let mut query = sqlx::query_as::<_, (i64, String)>(&sql).bind(account.get());
                for c in chunk {
                    query = query
                        .bind(&c.name)
                        .bind(&c.email)
                        .bind(&c.phone_number)
                        .bind(&c.identifier)
                        .bind(&c.additional_attributes)
                        .bind(&c.custom_attributes)
                        .bind(c.created_at.secs())
                        .bind(c.created_at.secs());
                }
                for (id, identifier) in query.fetch_all(&mut *tx).await? {
                    let i = by_identifier.get(identifier.as_str()).copied().ok_or_else(|| {
                        StoreError::Corrupt(format!("inserted contact {identifier} was not asked for"))
                    })?;
                    ids[i].0 = id;
                }
            }
            let by_contact: HashMap<i64, usize> =
                ids.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
            for (chunk, chunk_ids) in contacts.chunks(rows_per_statement(self.backend(), 4)).zip(ids.clone().chunks(rows_per_statement(self.backend(), 4))) {
                let sql = format!(
                    "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, hmac_verified, created_at) \
                     VALUES {} RETURNING id, contact_id",
                    values(chunk.len(), 1, "(#, #, #, FALSE, #)")
                );
                let mut query = sqlx::query_as::<_, (i64, i64)>(&sql);
                for (c, (contact_id, _)) in chunk.iter().zip(chunk_ids) {
                    query = query
                        .bind(*contact_id)
                        .bind(c.inbox_id.get())
                        .bind(&c.source_id)
                        .bind(c.created_at.secs());
                }
                for (id, contact_id) in query.fetch_all(&mut *tx).await? {
                    let i = by_contact.get(&contact_id).copied().ok_or_else(|| {
                        StoreError::Corrupt(format!("identity of contact {contact_id} was not asked for"))
                    })?;
                    if let Some(slot) = ids.get_mut(i) {
                        slot.1 = id;
                    }
                }
            }
            tx.commit().await?;
        });
        Ok(ids
            .into_iter()
            .map(|(c, ci)| (ContactId(c), ContactInboxId(ci)))
            .collect())
    }

    /// Sets contacts' `last_activity_at` (what a customer's message does), in one transaction.
    pub async fn bulk_touch_contacts(
        &self,
        touches: &[(ContactId, Timestamp)],
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for chunk in touches.chunks(rows_per_statement(self.backend(), 2)) {
                let sql = format!(
                    "UPDATE contacts SET last_activity_at = v.column2 FROM (VALUES {}) AS v \
                     WHERE contacts.id = v.column1",
                    values(chunk.len(), 1, "(#, #)")
                );
                let mut query = sqlx::query(&sql);
                for (contact, at) in chunk {
                    query = query.bind(contact.get()).bind(at.secs());
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
