//! A list request's reads in one statement: the page with its labels, what its views need
//! ([`crate::ConversationExtras`]) and the list's counts. Each statement is a hand-off to a
//! connection and back (on SQLite to its worker thread, on PostgreSQL a round trip), and a list
//! paid three (docs/PERFORMANCE.md "Lists, sixth pass").

use std::collections::HashMap;

use oxidesk_domain::{AccountId, Conversation, ConversationId, UserId};
use sqlx::{FromRow, Row};

use super::counts::{Counted, CountsSql, counts_from, counts_sql, found_sql, one_pass_counts};
use super::filter::{Arg, assignee_condition, bind_args, push};
use super::listing::{label_titles, split_titles};
use super::{COLUMNS, ConversationCounts, ConversationQuery, before};
use crate::extras::{ExtrasRow, ExtrasSource, extras_of, extras_sql};
use crate::rows::{ConversationRow, Cursor, Page, paginate};
use crate::{ConversationExtras, FoundContacts, Store, StoreError};

/// A page of a conversation list with what its views need and the list's counts
/// ([`Store::list_page`]).
#[derive(Debug)]
pub struct ListedPage {
    /// The page, as [`Store::list_found_conversations`] gives it.
    pub page: Page<Conversation>,
    /// The extras of the page's conversations, as [`Store::conversation_extras`] gives them.
    pub extras: HashMap<ConversationId, ConversationExtras>,
    /// The counts, as [`Store::count_found_conversations`] gives them.
    pub counts: ConversationCounts,
}

/// One row of [`Store::list_page`]: a conversation of the page, its labels, its extras and the
/// counts (the same on every row).
struct PageRow {
    row: ConversationRow,
    label_titles: Option<String>,
    extras: ExtrasRow,
    counts: [i64; 4],
}

/// `FromRow` for one database's rows: the parts' own readers over the same row (their columns
/// do not collide: the extras' are prefixed or named apart).
macro_rules! page_from_row {
    ($row:ty) => {
        impl<'r> FromRow<'r, $row> for PageRow {
            fn from_row(row: &'r $row) -> Result<Self, sqlx::Error> {
                Ok(PageRow {
                    row: ConversationRow::from_row(row)?,
                    label_titles: row.try_get("label_titles")?,
                    extras: ExtrasRow::from_row(row)?,
                    counts: [
                        row.try_get("n_all")?,
                        row.try_get("n_mine")?,
                        row.try_get("n_unassigned")?,
                        row.try_get("n_assigned")?,
                    ],
                })
            }
        }
    };
}

page_from_row!(sqlx::sqlite::SqliteRow);
page_from_row!(sqlx::postgres::PgRow);

impl Store {
    /// [`Store::list_found_conversations`], [`Store::conversation_extras`] of its items and
    /// [`Store::count_found_conversations`] (with `me` the asking user) in one statement: the
    /// page's own statement (the plan [`Store::explain_conversation_list`] shows) wrapped with
    /// the extras' lookups of its rows and the counts' one row (computed once) cross-joined.
    /// A search's or a contact's page (no label) and counts come from one read of its
    /// conversations instead (`list_found_page`). The counts are read apart only when the page
    /// is empty (no row to carry them); a search's conversations too many to read in one pass
    /// are listed by the general statement, each tab counted along its index.
    pub async fn list_page(
        &self,
        account: AccountId,
        query: &ConversationQuery,
        found: Option<&FoundContacts>,
        me: UserId,
    ) -> Result<ListedPage, StoreError> {
        let found_ids = self
            .found_ids(account, query.filter.search.as_deref(), found)
            .await?;
        let counted = Counted {
            backend: self.backend(),
            account,
            filter: &query.filter,
            found: found_ids.as_deref(),
            me,
        };
        if let Some(listed) = self.list_found_page(&counted, query).await? {
            return Ok(listed);
        }
        let (page, mut args) = self.list_sql(account, query, found).await?;
        // Not in one pass: a search or a contact comes here only when its conversations were
        // too many for it (`list_found_page`).
        let (counts, kind) = counts_sql(&counted, &mut args, false);
        let from = format!("({page}) c");
        // The counts are a materialised CTE, computed once: as a `CROSS JOIN (…) n` subquery,
        // PostgreSQL put the one-row aggregate inside the page's nested loop and ran it once
        // per row of the page (26 times; a searched list 8-9 -> 2 ms a statement at 1 M,
        // docs/PERFORMANCE.md "PostgreSQL counts once"). Placeholders are numbered, so the
        // text's order does not change the binding.
        let sql = format!(
            "WITH n AS MATERIALIZED ({counts}) {}",
            page_body(&from, query.limit)
        );
        let rows: Vec<PageRow> = on_read!(self, pool => {
            bind_args!(sqlx::query_as(&sql), &args).fetch_all(pool).await?
        });
        let counts = match rows.first().and_then(|r| counts_from(kind, r.counts)) {
            Some(counts) => counts,
            None => {
                self.count_found_conversations(account, &query.filter, found, me)
                    .await?
            }
        };
        listed(rows, query.limit, counts)
    }

    /// [`Store::list_page`] of a search or a contact (no label) from one read of its
    /// conversations: a materialised `f` of their ids, last activity and assignee (at most
    /// `ONE_PASS_LIMIT`, [`found_sql`]), which the counts sum and the page sorts, reading the
    /// columns of its own rows only (docs/PERFORMANCE.md "Search lists, eighth pass"). `None`
    /// for other filters, and when `f` reached its limit (it then holds only some of the
    /// conversations: the general statement reads them again, its counts along each tab).
    async fn list_found_page(
        &self,
        counted: &Counted<'_>,
        query: &ConversationQuery,
    ) -> Result<Option<ListedPage>, StoreError> {
        let mut args = Vec::new();
        let Some(found) = found_sql(counted, &mut args) else {
            return Ok(None);
        };
        let me = push(&mut args, Arg::Int(counted.me.get()));
        let counts = one_pass_counts(&me, "f");
        let cursor = query.after.unwrap_or(Cursor {
            key: i64::MAX,
            id: i64::MAX,
        });
        let mut on = assignee_condition("f.assignee_id", query.filter.assignee, &mut args)
            .map(|tab| format!("{tab} AND "))
            .unwrap_or_default();
        let k = push(&mut args, Arg::Int(cursor.key));
        let i = push(&mut args, Arg::Int(cursor.id));
        on += &before("f.last_activity_at", "f.id", &k, &i);
        let limit = push(&mut args, Arg::Int(query.limit + 1));
        // The page's ids sorted from `f` first, then their rows (the inner limit keeps SQLite
        // from flattening the subquery, so only the page's rows are read and none is sorted
        // whole). The outer limit keeps PostgreSQL from pulling the page's join up into the
        // extras' joins: planning that larger join took 40-70 ms, against 9-25 ms for the
        // general statement, in each of the first five (custom-planned) executions on a
        // connection.
        let from = format!(
            "(SELECT {COLUMNS}, p.last_activity_at AS sort_key, p.id AS sort_id \
             FROM (SELECT f.id, f.last_activity_at FROM f WHERE {on} \
             ORDER BY f.last_activity_at DESC, f.id DESC LIMIT {limit}) p \
             CROSS JOIN conversations c WHERE c.id = p.id LIMIT {limit}) c"
        );
        let sql = format!(
            "WITH f AS MATERIALIZED ({found}), n AS MATERIALIZED ({counts}) {}",
            page_body(&from, query.limit)
        );
        let rows: Vec<PageRow> = on_read!(self, pool => {
            bind_args!(sqlx::query_as(&sql), &args).fetch_all(pool).await?
        });
        let counts = match rows.first() {
            Some(row) => counts_from(CountsSql::OnePass, row.counts),
            // No row carries the counts: read alone, they also tell whether `f` held every
            // conversation (then the page is rightly empty).
            None => self.counts_of(counted, true).await?,
        };
        match counts {
            Some(counts) => listed(rows, query.limit, counts).map(Some),
            None => Ok(None),
        }
    }
}

/// The statement of a page from `from` (the page's conversations as `c`, with `sort_key` and
/// `sort_id`), at most `limit + 1` of them: their labels, extras and the counts of a CTE `n`
/// cross-joined.
fn page_body(from: &str, limit: i64) -> String {
    let columns = format!("c.*, {} AS label_titles, ", label_titles("c"));
    extras_sql(&ExtrasSource {
        from,
        filter: "",
        columns: &columns,
        limit: usize::try_from(limit + 1).unwrap_or(usize::MAX),
        cross: " CROSS JOIN n",
        cross_columns: ", n.n_all, n.n_mine, n.n_unassigned, n.n_assigned",
        order: " ORDER BY x.sort_key DESC, x.sort_id DESC",
    })
}

/// The [`ListedPage`] of a page's rows (at most `limit + 1`).
fn listed(
    rows: Vec<PageRow>,
    limit: i64,
    counts: ConversationCounts,
) -> Result<ListedPage, StoreError> {
    let mut conversations = Vec::with_capacity(rows.len());
    let mut extras = Vec::with_capacity(rows.len());
    for r in rows {
        conversations.push(r.row.into_domain(split_titles(r.label_titles))?);
        extras.push(r.extras);
    }
    let page = paginate(conversations, limit, |c| Cursor {
        key: c.last_activity_at.secs(),
        id: c.id.get(),
    });
    Ok(ListedPage {
        page,
        extras: extras_of(extras)?,
        counts,
    })
}
