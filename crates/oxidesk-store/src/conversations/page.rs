//! A list request's reads in one statement: the page with its labels, what its views need
//! ([`crate::ConversationExtras`]) and the list's counts. Each statement is a hand-off to a
//! connection and back (on SQLite to its worker thread, on PostgreSQL a round trip), and a list
//! paid three (docs/PERFORMANCE.md "Lists, sixth pass").

use std::collections::HashMap;

use oxidesk_domain::{AccountId, Conversation, ConversationId, UserId};
use sqlx::{FromRow, Row};

use super::counts::{Counted, counts_from, counts_sql};
use super::filter::bind_args;
use super::listing::{label_titles, split_titles};
use super::{ConversationCounts, ConversationQuery};
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
    /// The counts are read apart only when the page is empty (no row to carry them) or a
    /// search's conversations were too many to count in one pass.
    pub async fn list_page(
        &self,
        account: AccountId,
        query: &ConversationQuery,
        found: Option<&FoundContacts>,
        me: UserId,
    ) -> Result<ListedPage, StoreError> {
        let (page, mut args) = self.list_sql(account, query, found).await?;
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
        let (counts, kind) = counts_sql(&counted, &mut args, true);
        let from = format!("({page}) c");
        let columns = format!("c.*, {} AS label_titles, ", label_titles("c"));
        // The counts are a materialised CTE, computed once: as a `CROSS JOIN (…) n` subquery,
        // PostgreSQL put the one-row aggregate inside the page's nested loop and ran it once
        // per row of the page (26 times; a searched list 8-9 -> 2 ms a statement at 1 M,
        // docs/PERFORMANCE.md "PostgreSQL counts once"). Placeholders are numbered, so the
        // text's order does not change the binding.
        let body = extras_sql(&ExtrasSource {
            from: &from,
            filter: "",
            columns: &columns,
            limit: usize::try_from(query.limit + 1).unwrap_or(usize::MAX),
            cross: " CROSS JOIN n",
            cross_columns: ", n.n_all, n.n_mine, n.n_unassigned, n.n_assigned",
            order: " ORDER BY x.sort_key DESC, x.sort_id DESC",
        });
        let sql = format!("WITH n AS MATERIALIZED ({counts}) {body}");
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
        let mut conversations = Vec::with_capacity(rows.len());
        let mut extras = Vec::with_capacity(rows.len());
        for r in rows {
            conversations.push(r.row.into_domain(split_titles(r.label_titles))?);
            extras.push(r.extras);
        }
        let page = paginate(conversations, query.limit, |c| Cursor {
            key: c.last_activity_at.secs(),
            id: c.id.get(),
        });
        Ok(ListedPage {
            page,
            extras: extras_of(extras)?,
            counts,
        })
    }
}
