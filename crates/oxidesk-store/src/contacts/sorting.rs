//! The orders of contact lists. Times and ids are keysets on `(key, id)` with the key in the
//! cursor; a text column (name, email, phone) is a keyset on `(text, id)` whose cursor holds
//! only the id of the page's last contact: the next page reads that contact's key from its
//! row, so the database computes every key (lower-casing included) and the cursor stays two
//! integers. Each order walks an index whose columns are the order
//! (`contacts_account_*_sort`, migration 0011), so a page costs the same at any size.

use oxidesk_domain::{AccountId, Contact, Timestamp};

use super::{CONTACT_COLUMNS, FoundContacts, among};
use crate::rows::{ContactRow, Cursor, Page, paginate};
use crate::{Store, StoreError};

/// The order of a contact list; contacts never active sort last in both activity orders
/// (Chatwoot's `NULLS LAST`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContactSort {
    /// By creation (id), newest first.
    #[default]
    Newest,
    /// By creation (id), oldest first.
    Oldest,
    /// By last activity, most recent first (never active last).
    LastActivity,
    /// By last activity, least recent first (never active last).
    EarliestActivity,
    /// By a text column, A to Z (`false`) or Z to A (`true`); ties by id in the same
    /// direction.
    Text(TextSort, bool),
}

/// A text column contacts sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSort {
    /// The name, case-insensitively (Chatwoot's `LOWER(name)`).
    Name,
    /// The email (stored lower-case); contacts without one first from A to Z.
    Email,
    /// The phone number; contacts without one first from A to Z.
    PhoneNumber,
}

impl TextSort {
    /// The sort key in SQL: the expression of its index.
    fn key_sql(self) -> &'static str {
        match self {
            TextSort::Name => "LOWER(name)",
            TextSort::Email => "COALESCE(email, '')",
            TextSort::PhoneNumber => "COALESCE(phone_number, '')",
        }
    }
}

impl ContactSort {
    /// The sort key in SQL (numeric orders).
    pub(super) fn key_sql(self) -> &'static str {
        match self {
            ContactSort::Newest | ContactSort::Oldest | ContactSort::Text(..) => "id",
            ContactSort::LastActivity => "COALESCE(last_activity_at, 0)",
            ContactSort::EarliestActivity => "COALESCE(last_activity_at, 9223372036854775807)",
        }
    }

    /// The keyset's comparison, SQL direction, and the key before the first item. (Lists also
    /// compare the key alone, which adds nothing but lets SQLite seek in its expression index.)
    pub(super) fn keyset(self) -> (&'static str, &'static str, i64) {
        match self {
            ContactSort::Newest | ContactSort::LastActivity | ContactSort::Text(_, true) => {
                ("<", "DESC", i64::MAX)
            }
            ContactSort::Oldest | ContactSort::EarliestActivity | ContactSort::Text(_, false) => {
                (">", "ASC", i64::MIN)
            }
        }
    }

    /// The sort key of a contact, as [`ContactSort::key_sql`] computes it.
    pub(super) fn key_of(self, c: &Contact) -> i64 {
        match self {
            ContactSort::Newest | ContactSort::Oldest | ContactSort::Text(..) => c.id.get(),
            ContactSort::LastActivity => c.last_activity_at.map_or(0, Timestamp::secs),
            ContactSort::EarliestActivity => c.last_activity_at.map_or(i64::MAX, Timestamp::secs),
        }
    }
}

/// The `WHERE` and `ORDER BY` of a text order: among the contacts of `matching`, past the
/// contact `$3` (its key read from its row) when `after`.
fn text_order(matching: &str, column: TextSort, descending: bool, after: bool) -> String {
    let key = column.key_sql();
    let (compare, direction) = if descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let past = if after {
        let boundary = format!("(SELECT {key} FROM contacts WHERE account_id = $1 AND id = $3)");
        format!(" AND {key} {compare}= {boundary} AND ({key}, id) {compare} ({boundary}, $3)")
    } else {
        String::new()
    };
    format!("WHERE {matching}{past} ORDER BY {key} {direction}, id {direction}")
}

/// The placeholder of a search's ids: `$1` is the account, `$2` the limit or offset, `$3`
/// the contact of the cursor when there is one.
fn search_param(after: Option<Cursor>) -> &'static str {
    if after.is_some() { "$4" } else { "$3" }
}

impl Store {
    /// A page of contacts in a text order (see the module documentation).
    pub(super) async fn list_contacts_by_text(
        &self,
        account: AccountId,
        found: Option<&FoundContacts>,
        column: TextSort,
        descending: bool,
        after: Option<Cursor>,
        limit: i64,
    ) -> Result<Page<Contact>, StoreError> {
        let (matching, search) = among(self, found, search_param(after));
        let order = text_order(&matching, column, descending, after.is_some());
        let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts {order} LIMIT $2");
        let rows: Vec<ContactRow> = on_read!(self, pool => {
            let mut q = sqlx::query_as(&sql).bind(account.get()).bind(limit + 1);
            if let Some(after) = after {
                q = q.bind(after.id);
            }
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
            key: c.id.get(),
            id: c.id.get(),
        }))
    }

    /// The cursor of the contact `skip` places past `after` in a text order.
    pub(super) async fn contact_cursor_by_text(
        &self,
        account: AccountId,
        found: Option<&FoundContacts>,
        column: TextSort,
        descending: bool,
        after: Option<Cursor>,
        skip: i64,
    ) -> Result<Option<Cursor>, StoreError> {
        let (matching, search) = among(self, found, search_param(after));
        let order = text_order(&matching, column, descending, after.is_some());
        let sql = format!("SELECT id FROM contacts {order} LIMIT 1 OFFSET $2");
        let id: Option<i64> = on_read!(self, pool => {
            let mut q = sqlx::query_scalar(&sql).bind(account.get()).bind(skip);
            if let Some(after) = after {
                q = q.bind(after.id);
            }
            if let Some(search) = &search {
                q = q.bind(search);
            }
            q.fetch_optional(pool).await?
        });
        Ok(id.map(|id| Cursor { key: id, id }))
    }
}
