//! Contacts: creation, edits, keyset lists and search. Their identities in inboxes are in
//! [`identities`], their labels in [`labels`].

mod identities;
mod labels;
mod merge;
mod sorting;

pub use sorting::{ContactSort, TextSort};

use oxidesk_domain::{AccountId, Attributes, Contact, ContactId, Timestamp};

use crate::rows::{ContactRow, Cursor, Page, json_text, paginate};
use crate::search;
use crate::{Store, StoreError};

pub(crate) const CONTACT_COLUMNS: &str = "id, account_id, name, email, phone_number, identifier, avatar_url, \
    additional_attributes, custom_attributes, last_activity_at, blocked, created_at, updated_at";

/// A contact to create, already validated.
#[derive(Debug, Clone, Default)]
pub struct NewContact {
    /// Name.
    pub name: String,
    /// Email (lower-case).
    pub email: Option<String>,
    /// Phone (E.164).
    pub phone_number: Option<String>,
    /// The integrator's id for the contact.
    pub identifier: Option<String>,
    /// A picture.
    pub avatar_url: Option<String>,
    /// `company_name`, `social_profiles`, ...
    pub additional_attributes: Attributes,
    /// Custom attribute values.
    pub custom_attributes: Attributes,
}

/// The editable fields of a contact, as a whole (read, change, write).
pub type ContactChanges = NewContact;

/// The contacts of an account a search found, at most [`search::SEARCH_LIMIT`]: found once
/// ([`Store::find_contacts`]), then listed and counted without searching again (contact lists,
/// and conversation lists and their counts).
#[derive(Debug, Clone)]
pub struct FoundContacts {
    /// Their ids, as a JSON array.
    ids: String,
    /// Each one's id and last activity: a page in an id or activity order is chosen from
    /// these, without reading the matches' rows.
    keys: Vec<(i64, Option<i64>)>,
}

impl FoundContacts {
    /// How many contacts the search found: the count of the list it gives.
    pub fn count(&self) -> i64 {
        i64::try_from(self.keys.len()).unwrap_or(i64::MAX)
    }

    /// Their ids, as a JSON array (for [`search::among_json`]).
    pub(crate) fn ids_json(&self) -> &str {
        &self.ids
    }
}

/// The condition "among the contacts of account `$1`", only those `found` when a search found
/// them, with the value to bind at placeholder `param` (the ids) in that case.
///
/// A search's page is read from its matches (at most [`search::SEARCH_LIMIT`], by primary key)
/// and sorted, never by walking the account's index in the list's order and probing each
/// contact against the matches: at 1 M contacts that walk passed tens of thousands of
/// contacts to find a page of a common name's matches. The unary `+` keeps the account's
/// condition off every index (SQLite's rule; PostgreSQL reads it as the same number), so
/// the only index left to read is the primary key's.
pub(crate) fn among(
    store: &Store,
    found: Option<&FoundContacts>,
    param: &str,
) -> (String, Option<String>) {
    match found {
        Some(found) => (
            format!(
                "{} AND +account_id = $1",
                search::among_json(store.backend(), "id", param)
            ),
            Some(found.ids.clone()),
        ),
        None => ("account_id = $1".to_owned(), None),
    }
}

impl Store {
    /// Creates a contact. Conflicts on `email` or `identifier` when the account already has it.
    pub async fn create_contact(
        &self,
        account: AccountId,
        c: &NewContact,
        now: Timestamp,
    ) -> Result<Contact, StoreError> {
        self.create_contact_with_inbox(account, c, false, None, now)
            .await
            .map(|(contact, _)| contact)
    }

    /// One contact of the account.
    pub async fn contact(&self, account: AccountId, id: ContactId) -> Result<Contact, StoreError> {
        let row: ContactRow = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE account_id = $1 AND id = $2"))
                .bind(account.get())
                .bind(id.get())
                .fetch_one(pool)
                .await?
        });
        row.try_into()
    }

    /// The account's contact with this email (lower-cased), if any.
    pub async fn contact_by_email(
        &self,
        account: AccountId,
        email: &str,
    ) -> Result<Option<Contact>, StoreError> {
        let row: Option<ContactRow> = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE account_id = $1 AND email = $2"))
                .bind(account.get())
                .bind(email.trim().to_lowercase())
                .fetch_optional(pool)
                .await?
        });
        row.map(TryInto::try_into).transpose()
    }

    /// The account's contact with this identifier, if any.
    pub async fn contact_by_identifier(
        &self,
        account: AccountId,
        identifier: &str,
    ) -> Result<Option<Contact>, StoreError> {
        let row: Option<ContactRow> = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE account_id = $1 AND identifier = $2"))
                .bind(account.get())
                .bind(identifier)
                .fetch_optional(pool)
                .await?
        });
        row.map(TryInto::try_into).transpose()
    }

    /// Writes a contact's editable fields.
    pub async fn update_contact(
        &self,
        account: AccountId,
        id: ContactId,
        c: &ContactChanges,
        now: Timestamp,
    ) -> Result<Contact, StoreError> {
        let row: ContactRow = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "UPDATE contacts SET name = $1, email = $2, phone_number = $3, identifier = $4, avatar_url = $5, \
                 additional_attributes = $6, custom_attributes = $7, updated_at = $8 \
                 WHERE account_id = $9 AND id = $10 RETURNING {CONTACT_COLUMNS}"
            ))
            .bind(&c.name)
            .bind(&c.email)
            .bind(&c.phone_number)
            .bind(&c.identifier)
            .bind(&c.avatar_url)
            .bind(json_text(&c.additional_attributes))
            .bind(json_text(&c.custom_attributes))
            .bind(now.secs())
            .bind(account.get())
            .bind(id.get())
            .fetch_one(pool)
            .await?
        });
        row.try_into()
    }

    /// Blocks or unblocks a contact.
    pub async fn set_contact_blocked(
        &self,
        account: AccountId,
        id: ContactId,
        blocked: bool,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("UPDATE contacts SET blocked = $1, updated_at = $2 WHERE account_id = $3 AND id = $4")
                .bind(blocked)
                .bind(now.secs())
                .bind(account.get())
                .bind(id.get())
                .execute(pool)
                .await?
                .rows_affected()
        });
        crate::one_row(done)
    }

    /// Records activity of the contact.
    pub async fn touch_contact(&self, id: ContactId, at: Timestamp) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE contacts SET last_activity_at = $1 WHERE id = $2")
                .bind(at.secs())
                .bind(id.get())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Deletes a contact with its identities, labels, conversations and their messages (the
    /// foreign keys cascade).
    pub async fn delete_contact(
        &self,
        account: AccountId,
        id: ContactId,
    ) -> Result<(), StoreError> {
        let done = retry_on_pool!(self, pool => {
            sqlx::query("DELETE FROM contacts WHERE account_id = $1 AND id = $2")
                .bind(account.get())
                .bind(id.get())
                .execute(pool)
                .await?
                .rows_affected()
        })?;
        crate::one_row(done)
    }

    /// A page of the account's contacts in `sort` order; only those a search `found`
    /// ([`Store::find_contacts`]) when given.
    pub async fn list_contacts(
        &self,
        account: AccountId,
        found: Option<&FoundContacts>,
        sort: ContactSort,
        after: Option<Cursor>,
        limit: i64,
    ) -> Result<Page<Contact>, StoreError> {
        if let ContactSort::Text(column, descending) = sort {
            return self
                .list_contacts_by_text(account, found, column, descending, after, limit)
                .await;
        }
        if let Some(found) = found {
            return self
                .list_found_contacts(account, found, sort, after, limit)
                .await;
        }
        let (matching, search) = among(self, found, "$5");
        let key = sort.key_sql();
        let (compare, direction, start) = sort.keyset();
        let cursor = after.unwrap_or(Cursor {
            key: start,
            id: start,
        });
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE {matching} \
             AND {key} {compare}= $2 AND ({key}, id) {compare} ($2, $3) ORDER BY {key} {direction}, id {direction} LIMIT $4"
        );
        let rows: Vec<ContactRow> = on_read!(self, pool => {
            let mut q = sqlx::query_as(&sql)
                .bind(account.get())
                .bind(cursor.key)
                .bind(cursor.id)
                .bind(limit + 1);
            if let Some(search) = &search {
                q = q.bind(search);
            }
            q.fetch_all(pool).await?
        });
        let contacts = rows
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<Vec<Contact>, _>>()?;
        Ok(paginate(contacts, limit, |c| Cursor {
            key: sort.key_of(c),
            id: c.id.get(),
        }))
    }

    /// The cursor of the contact `skip` places past `after` (or past the start) in the list
    /// [`Store::list_contacts`] gives, so that page `n` of `limit` starts after the cursor at
    /// `skip = (n - 1) * limit - 1`. `None` when the list is shorter. One index scan, however
    /// deep, instead of one query per page.
    pub async fn contact_cursor_at(
        &self,
        account: AccountId,
        found: Option<&FoundContacts>,
        sort: ContactSort,
        after: Option<Cursor>,
        skip: i64,
    ) -> Result<Option<Cursor>, StoreError> {
        if let ContactSort::Text(column, descending) = sort {
            return self
                .contact_cursor_by_text(account, found, column, descending, after, skip)
                .await;
        }
        if let Some(found) = found {
            let skip = usize::try_from(skip).unwrap_or(usize::MAX);
            return Ok(found.ordered(sort, after).get(skip).copied());
        }
        let (matching, search) = among(self, found, "$5");
        let key = sort.key_sql();
        let (compare, direction, start) = sort.keyset();
        let cursor = after.unwrap_or(Cursor {
            key: start,
            id: start,
        });
        let sql = format!(
            "SELECT {key}, id FROM contacts WHERE {matching} \
             AND {key} {compare}= $2 AND ({key}, id) {compare} ($2, $3) ORDER BY {key} {direction}, id {direction} LIMIT 1 OFFSET $4"
        );
        let row: Option<(i64, i64)> = on_read!(self, pool => {
            let mut q = sqlx::query_as(&sql)
                .bind(account.get())
                .bind(cursor.key)
                .bind(cursor.id)
                .bind(skip);
            if let Some(search) = &search {
                q = q.bind(search);
            }
            q.fetch_optional(pool).await?
        });
        Ok(row.map(|(key, id)| Cursor { key, id }))
    }

    /// The contacts of the account that `query` finds, searched once; `None` for a blank query.
    pub async fn find_contacts(
        &self,
        account: AccountId,
        query: Option<&str>,
    ) -> Result<Option<FoundContacts>, StoreError> {
        Ok(self
            .search_contacts(account, query)
            .await?
            .map(|keys| FoundContacts {
                ids: serde_json::Value::from(keys.iter().map(|k| k.0).collect::<Vec<_>>())
                    .to_string(),
                keys,
            }))
    }

    /// Counts the account's contacts (kept by triggers in `contact_counts`: one row read).
    pub async fn count_contacts(&self, account: AccountId) -> Result<i64, StoreError> {
        let n: Option<i64> = on_read!(self, pool => {
            sqlx::query_scalar("SELECT n FROM contact_counts WHERE account_id = $1")
                .bind(account.get())
                .fetch_optional(pool)
                .await?
        });
        Ok(n.unwrap_or(0))
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub(crate) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
