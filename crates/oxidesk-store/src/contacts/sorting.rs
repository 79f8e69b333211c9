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

impl FoundContacts {
    /// The matches past `after` in `sort`, an id or activity order, as `(key, id)` cursors in
    /// that order: the same keys and order as [`ContactSort::key_sql`] and
    /// [`ContactSort::keyset`] give in SQL (integers, so no collation differs).
    pub(super) fn ordered(&self, sort: ContactSort, after: Option<Cursor>) -> Vec<Cursor> {
        let (_, direction, _) = sort.keyset();
        let descending = direction == "DESC";
        let mut keys: Vec<Cursor> = self
            .keys
            .iter()
            .map(|&(id, activity)| Cursor {
                key: match sort {
                    ContactSort::LastActivity => activity.unwrap_or(0),
                    ContactSort::EarliestActivity => activity.unwrap_or(i64::MAX),
                    ContactSort::Newest | ContactSort::Oldest | ContactSort::Text(..) => id,
                },
                id,
            })
            .filter(|c| match after {
                None => true,
                Some(a) if descending => (c.key, c.id) < (a.key, a.id),
                Some(a) => (c.key, c.id) > (a.key, a.id),
            })
            .collect();
        keys.sort_unstable_by_key(|c| (c.key, c.id));
        if descending {
            keys.reverse();
        }
        keys
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
    /// A page of the contacts a search found, in an id or activity order: chosen from the
    /// search's own keys ([`FoundContacts::ordered`]), then only the page's rows are read (by
    /// primary key), instead of reading all the matches' rows to sort them.
    pub(super) async fn list_found_contacts(
        &self,
        account: AccountId,
        found: &FoundContacts,
        sort: ContactSort,
        after: Option<Cursor>,
        limit: i64,
    ) -> Result<Page<Contact>, StoreError> {
        let take = usize::try_from(limit + 1).unwrap_or(0);
        let page: Vec<i64> = found
            .ordered(sort, after)
            .into_iter()
            .take(take)
            .map(|c| c.id)
            .collect();
        let ids = serde_json::Value::from(page.clone()).to_string();
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE {} AND +account_id = $1",
            crate::search::among_json(self.backend(), "id", "$2")
        );
        let rows: Vec<ContactRow> = on_read!(self, pool => {
            sqlx::query_as(&sql).bind(account.get()).bind(&ids).fetch_all(pool).await?
        });
        let mut by_id: std::collections::HashMap<i64, ContactRow> =
            rows.into_iter().map(|r| (r.id, r)).collect();
        let contacts = page
            .iter()
            .filter_map(|id| by_id.remove(id))
            .map(TryInto::try_into)
            .collect::<Result<Vec<Contact>, _>>()?;
        Ok(paginate(contacts, limit, |c| Cursor {
            key: sort.key_of(c),
            id: c.id.get(),
        }))
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    /// SQLite's plan of every text order, first page and later ones: a walk of the order's
    /// index, never a sort of the account's contacts.
    #[tokio::test]
    async fn text_orders_walk_their_indexes() {
        let db = crate::testing::TestDatabase::sqlite().await;
        let crate::Pool::Sqlite(pool) = &db.store.read else {
            panic!("a SQLite store");
        };
        for (column, index) in [
            (TextSort::Name, "contacts_account_name_sort"),
            (TextSort::Email, "contacts_account_email_sort"),
            (TextSort::PhoneNumber, "contacts_account_phone_sort"),
        ] {
            for descending in [false, true] {
                for after in [false, true] {
                    let order = text_order("account_id = $1", column, descending, after);
                    let sql =
                        format!("EXPLAIN QUERY PLAN SELECT id FROM contacts {order} LIMIT $2");
                    let mut q = sqlx::query_as::<_, (i64, i64, i64, String)>(&sql)
                        .bind(1_i64)
                        .bind(16_i64);
                    if after {
                        q = q.bind(7_i64);
                    }
                    let plan: Vec<String> = q
                        .fetch_all(pool)
                        .await
                        .unwrap_or_else(|e| panic!("{sql}: {e}"))
                        .into_iter()
                        .map(|row| row.3)
                        .collect();
                    let text = plan.join(" | ");
                    assert!(
                        text.contains(index),
                        "{column:?} {descending} {after}: {text}"
                    );
                    assert!(
                        !text.contains("TEMP B-TREE"),
                        "{column:?} {descending} {after}: {text}"
                    );
                }
            }
        }
    }
}
