//! Substring search over contacts (name, email, phone number, identifier), with each database's
//! own index over one narrow table, `contacts_search`, kept by triggers (migration 0019): one
//! text per contact, its four fields separated by U+001F (which a query cannot hold, so a
//! match never spans two fields). SQLite's is an FTS5 table (trigram tokenizer, which folds
//! case), PostgreSQL's a table of (contact, account, lower-cased text) with one trigram
//! (`pg_trgm`) GIN index. Both give the same behaviour: case-insensitive "contains".
//!
//! The work of a search is bounded, whatever the size of the account:
//! - a query of three characters or more finds the [`SEARCH_LIMIT`] newest matching contacts
//!   (a query that matches more should be refined; lists built on it say so);
//! - a shorter query cannot use a trigram index, so it looks for the substring among the
//!   account's [`SHORT_QUERY_SCAN`] newest contacts only (and keeps the newest
//!   [`SEARCH_LIMIT`] of those it finds).
//!
//! "Newest matches" is what both indexes find cheaply in different ways. SQLite's FTS5 walks
//! its doclists from the largest rowid down and stops at the limit. PostgreSQL's trigram index
//! has no order: its bitmap costs every match in the account (a common first name is 1 in 60
//! contacts), and the other way, walking the ids backwards with the `LIKE` as filter, costs
//! ~60 rows per match of a first name and the whole account for a rare word; the planner
//! cannot tell which is which (its estimate of a `LIKE '%…%'` is off tenfold either way). So
//! on PostgreSQL a search takes at most two statements, each planned for its values
//! (`persistent(false)`: a generic plan cannot tell a common word from a rare one):
//! 1. the **window** of the account's newest ids ([`SEARCH_WINDOW`] ids below its newest
//!    contact, which each instance reads at most every few seconds: [`NewestContacts`]), where
//!    every plan is bounded by the window (the walk, or the trigram bitmap `AND` the id range;
//!    the bound is a literal, so that the planner sees the range): a word that 1 in 80
//!    contacts or more hold is found here;
//! 2. when the window held fewer than [`SEARCH_LIMIT`] matches, the word is rare (in the newest
//!    contacts at least), and the whole account is searched through the trigram bitmap, the
//!    newest matches sorted from it (`ORDER BY contact_id + 0`: no walk of the ids).
//!
//! A request searches once ([`crate::Store::find_contacts`]) and its lists and counts take
//! the matches as one JSON array through [`among_json`]: on PostgreSQL as an array
//! (`= ANY(ARRAY(…))`), which it reads through the contact index (a plain `IN (subquery)` is
//! hashed, and then every open conversation of the account is walked to probe it); on SQLite as
//! `IN (SELECT value FROM json_each(…))`, read through the contact index too. Binding the ids
//! one by one instead is no option: sqlx's SQLite binding costs the square of the number of
//! parameters.
//!
//! This is the one place where the SQL text differs between the databases: each full-text
//! index has its own syntax.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::Backend;
use crate::contacts::escape_like;

/// The most contacts one search finds (the newest matches). 100, not 1,000: at 1 M contacts
/// the work of a search for a common name grows with the matches it keeps (PostgreSQL reads
/// each one's last activity, SQLite joins each one's row), and a person refines a query long
/// before reading a hundred matches. See docs/api.md, "Counts and search at any size".
pub const SEARCH_LIMIT: i64 = 100;

/// How many of the account's newest contacts a query of one or two characters looks at.
pub(crate) const SHORT_QUERY_SCAN: i64 = 1_000;

/// The window of a PostgreSQL search: the ids this far below the account's newest
/// contact (see the module). 8,192 ids hold ~140 contacts of a first name that 1 in 60
/// contacts have, so a common word is found in the first window.
pub const SEARCH_WINDOW: i64 = 8_192;

/// How long a PostgreSQL search reuses the account's newest contact id that it read for its
/// window ([`NewestContacts`]).
const NEWEST_FOR: Duration = Duration::from_secs(5);

/// The most accounts whose newest contact id is kept (then all are forgotten and read again).
const NEWEST_ACCOUNTS: usize = 4_096;

/// Each account's newest contact id, as a PostgreSQL search last read it (at most
/// [`NEWEST_FOR`] ago), so that most searches skip that statement (a round trip and a pool
/// acquire with its ping). Any value gives the right matches, so a value another instance's
/// changes made stale is harmless: the window is every id above `newest - SEARCH_WINDOW`, so a
/// contact added since is in it (the window is only that much wider), and a window that holds
/// fewer than [`SEARCH_LIMIT`] matches (contacts deleted since) is followed by the search of
/// the whole account, as for a rare word. An account without contacts is not kept.
#[derive(Debug, Default, Clone)]
pub(crate) struct NewestContacts(Arc<Mutex<HashMap<i64, (i64, Instant)>>>);

impl NewestContacts {
    /// The account's newest contact id, when read less than [`NEWEST_FOR`] ago.
    fn get(&self, account: i64) -> Option<i64> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(&account)
            .filter(|(_, at)| at.elapsed() < NEWEST_FOR)
            .map(|(newest, _)| *newest)
    }

    /// Keeps the account's newest contact id, read now.
    fn put(&self, account: i64, newest: i64) {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= NEWEST_ACCOUNTS && !kept.contains_key(&account) {
            kept.clear();
        }
        kept.insert(account, (newest, Instant::now()));
    }
}

/// A search, ready to be bound: the subquery's text and the value of its query placeholder.
pub(crate) struct ContactSearch {
    /// `SELECT id, last_activity_at ...`: the matching contacts of the account, at most
    /// [`SEARCH_LIMIT`], with their last activity.
    pub(crate) sql: String,
    /// The value for the query placeholder.
    pub(crate) value: String,
    /// PostgreSQL: the same search in the window of the newest ids (the module), with a third
    /// placeholder, the id above which matches are looked for; run first.
    pub(crate) recent: Option<String>,
}

/// The trimmed query, `None` when blank. Control characters are dropped: they cannot be typed
/// into a search box and would only make the full-text syntax fail.
pub(crate) fn normalise(query: Option<&str>) -> Option<String> {
    let q: String = query?.chars().filter(|c| !c.is_control()).collect();
    let q = q.trim();
    (!q.is_empty()).then(|| q.to_lowercase())
}

/// The subquery giving the ids of the contacts of account `account` (a placeholder such as
/// `$1`) that contain `query` (already [`normalise`]d), bound at placeholder `param`; when
/// [`ContactSearch::recent`], only those whose id is above placeholder `after`.
pub(crate) fn contact_search(
    backend: Backend,
    account: &str,
    param: &str,
    after: &str,
    query: &str,
) -> ContactSearch {
    let pattern = || format!("%{}%", escape_like(query));
    let like = |p: &str| {
        format!(
            "(LOWER(name) LIKE {p} ESCAPE '\\' OR email LIKE {p} ESCAPE '\\' \
             OR phone_number LIKE {p} ESCAPE '\\' OR LOWER(identifier) LIKE {p} ESCAPE '\\')"
        )
    };
    if query.chars().count() < 3 {
        return ContactSearch {
            sql: format!(
                "SELECT id, last_activity_at FROM (SELECT id, name, email, phone_number, identifier, \
                 last_activity_at FROM contacts WHERE account_id = {account} ORDER BY id DESC \
                 LIMIT {SHORT_QUERY_SCAN}) recent WHERE {} ORDER BY id DESC LIMIT {SEARCH_LIMIT}",
                like(param)
            ),
            value: pattern(),
            recent: None,
        };
    }
    match backend {
        Backend::Sqlite => ContactSearch {
            sql: format!(
                "SELECT ct.id, ct.last_activity_at FROM contacts_search s JOIN contacts ct ON ct.id = s.rowid \
                 WHERE contacts_search MATCH {param} AND ct.account_id = {account} \
                 ORDER BY s.rowid DESC LIMIT {SEARCH_LIMIT}"
            ),
            // One FTS5 phrase: the trigrams of the query, in a row (a substring).
            value: format!("\"{}\"", query.replace('"', "\"\"")),
            recent: None,
        },
        Backend::Postgres => {
            let found = |window: &str, order: &str| {
                format!(
                    "SELECT contact_id AS id, (SELECT c.last_activity_at FROM contacts c \
                     WHERE c.id = found.contact_id) AS last_activity_at FROM (SELECT contact_id \
                     FROM contacts_search WHERE account_id = {account} AND body LIKE {param} \
                     ESCAPE '\\'{window} ORDER BY {order} DESC LIMIT {SEARCH_LIMIT}) found"
                )
            };
            ContactSearch {
                sql: found("", "contact_id + 0"),
                value: pattern(),
                recent: Some(found(&format!(" AND contact_id > {after}"), "contact_id")),
            }
        }
    }
}

/// `column` is among the ids of the JSON array (`[1, 2, …]`) bound at placeholder `param`: the
/// contacts a search found, run once by [`crate::Store::find_contacts`] and reused by a
/// list and its counts. Read through the contact index on both databases (see the module).
pub(crate) fn among_json(backend: Backend, column: &str, param: &str) -> String {
    match backend {
        Backend::Sqlite => format!("{column} IN (SELECT value FROM json_each({param}))"),
        Backend::Postgres => format!(
            "{column} = ANY(ARRAY(SELECT value::bigint FROM json_array_elements_text({param}::json)))"
        ),
    }
}

impl crate::Store {
    /// The account's contacts that `query` finds (at most [`SEARCH_LIMIT`], newest first),
    /// each with its last activity (the sort key of the activity orders, so that a searched
    /// page in those orders is chosen without reading the matches' rows again); `None` for a
    /// blank query.
    pub(crate) async fn search_contacts(
        &self,
        account: oxidesk_domain::AccountId,
        query: Option<&str>,
    ) -> Result<Option<Vec<(i64, Option<i64>)>>, crate::StoreError> {
        let Some(q) = normalise(query) else {
            return Ok(None);
        };
        let search = contact_search(self.backend(), "$1", "$2", "$3", &q);
        // One row, the matches as one JSON array of `[id, last activity]`: a thousand rows
        // handed one by one from sqlx's SQLite worker cost more than the search itself.
        let wrap = |search: &str| match self.backend() {
            Backend::Sqlite => format!(
                "SELECT json_group_array(json_array(id, last_activity_at)) FROM ({search}) matches"
            ),
            Backend::Postgres => format!(
                "SELECT COALESCE(json_agg(json_build_array(id, last_activity_at)), '[]'::json)::text \
                 FROM ({search}) matches"
            ),
        };
        let whole = wrap(&search.sql);
        let Some(recent) = &search.recent else {
            return Ok(Some(
                self.run_search(&whole, account, &search.value, None, false)
                    .await?,
            ));
        };
        // PostgreSQL: the window of the newest ids, then the whole account (the module).
        let newest = match self.newest_contacts.get(account.get()) {
            Some(newest) => newest,
            None => {
                let newest: Option<i64> = on_read!(self, pool => {
                    sqlx::query_scalar(
                        "SELECT MAX(contact_id) FROM contacts_search WHERE account_id = $1",
                    )
                    .bind(account.get())
                    .fetch_one(pool)
                    .await?
                });
                let Some(newest) = newest else {
                    return Ok(Some(Vec::new()));
                };
                self.newest_contacts.put(account.get(), newest);
                newest
            }
        };
        let after = newest.saturating_sub(SEARCH_WINDOW);
        if after > 0 {
            let found = self
                .run_search(&wrap(recent), account, &search.value, Some(after), true)
                .await?;
            if found.len() >= SEARCH_LIMIT as usize {
                return Ok(Some(found));
            }
        }
        Ok(Some(
            self.run_search(&whole, account, &search.value, None, true)
                .await?,
        ))
    }

    /// Runs a search made by [`crate::Store::search_contacts`]: its matches, as `[id, last activity]`
    /// pairs; `after` bound at `$3` (a PostgreSQL window); `planned_for_values`: not prepared
    /// once for all values (see the module).
    async fn run_search(
        &self,
        sql: &str,
        account: oxidesk_domain::AccountId,
        value: &str,
        after: Option<i64>,
        planned_for_values: bool,
    ) -> Result<Vec<(i64, Option<i64>)>, crate::StoreError> {
        let found: String = on_read!(self, pool => {
            let mut q = sqlx::query_scalar(sql).bind(account.get()).bind(value);
            if let Some(after) = after {
                q = q.bind(after);
            }
            q.persistent(!planned_for_values).fetch_one(pool).await?
        });
        serde_json::from_str(&found)
            .map_err(|e| crate::StoreError::Corrupt(format!("contact search: {e}")))
    }

    /// The JSON array of ids for [`among_json`] that `filter`'s search finds: `found` when the
    /// request already searched ([`crate::Store::find_contacts`]), else searched here; `None`
    /// when the filter has no search.
    pub(crate) async fn found_ids<'a>(
        &self,
        account: oxidesk_domain::AccountId,
        search: Option<&str>,
        found: Option<&'a crate::FoundContacts>,
    ) -> Result<Option<std::borrow::Cow<'a, str>>, crate::StoreError> {
        if normalise(search).is_none() {
            return Ok(None);
        }
        if let Some(found) = found {
            return Ok(Some(std::borrow::Cow::Borrowed(found.ids_json())));
        }
        Ok(self
            .find_contacts(account, search)
            .await?
            .map(|found| std::borrow::Cow::Owned(found.ids_json().to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_trimmed_lowered_and_stripped_of_control_characters() {
        assert_eq!(normalise(Some("  Sam\n")), Some("sam".into()));
        assert_eq!(normalise(Some("a\u{0}b")), Some("ab".into()));
        assert_eq!(normalise(Some("   ")), None);
        assert_eq!(normalise(None), None);
    }

    #[test]
    fn long_queries_use_the_full_text_index_and_short_ones_a_bounded_scan() {
        let fts = contact_search(Backend::Sqlite, "$1", "$2", "$3", "say \"hi\"");
        assert!(fts.sql.contains("contacts_search MATCH $2"), "{}", fts.sql);
        assert_eq!(fts.value, "\"say \"\"hi\"\"\"");
        let pg = contact_search(Backend::Postgres, "$1", "$2", "$3", "50%");
        assert!(pg.sql.contains("body LIKE $2"), "{}", pg.sql);
        assert!(
            pg.sql.contains("ORDER BY contact_id + 0 DESC"),
            "{}",
            pg.sql
        );
        let recent = pg.recent.unwrap_or_default();
        assert!(
            recent.contains("AND contact_id > $3 ORDER BY contact_id DESC"),
            "{recent}"
        );
        assert!(fts.recent.is_none());
        assert_eq!(pg.value, "%50\\%%");
        let short = contact_search(Backend::Sqlite, "$1", "$2", "$3", "ab");
        assert!(
            short
                .sql
                .contains(&format!("LIMIT {SHORT_QUERY_SCAN}) recent")),
            "{}",
            short.sql
        );
        assert_eq!(short.value, "%ab%");
    }
}
