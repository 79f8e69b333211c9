//! Conversation lists: a page along the filter's index, the cursor at a depth, and the plan of
//! a page (for diagnosis and the plan-regression test).

use oxidesk_domain::{AccountId, Conversation};

use super::filter::{Arg, Walk, bind_args, filter_sql, push};
use super::{COLUMNS, ConversationFilter, ConversationQuery, before};
use crate::rows::{ConversationRow, Cursor, Page, paginate};
use crate::{FoundContacts, Store, StoreError};

/// A row of a page: the conversation and its label titles, comma-separated in title order
/// (`None`: no labels).
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    row: ConversationRow,
    label_titles: Option<String>,
}

/// The label titles of the conversation `{alias}.id`, comma-separated in title order (null
/// when none): an aggregate over its own labels.
pub(super) fn label_titles(alias: &str) -> String {
    format!(
        "(SELECT string_agg(cl.title, ',' ORDER BY cl.title) \
         FROM conversation_labels cl WHERE cl.conversation_id = {alias}.id)"
    )
}

/// The titles of [`label_titles`].
pub(super) fn split_titles(titles: Option<String>) -> Vec<String> {
    // Titles are letters, digits, `-` and `_`: a comma cannot be part of one.
    titles
        .map(|t| t.split(',').map(str::to_owned).collect())
        .unwrap_or_default()
}

impl Store {
    /// A page of conversations, most recent activity first: a keyset on
    /// `(last_activity_at, id)` walked along an index that has that order for every filter
    /// (see the `filter` module), so a page costs the same at any size and depth.
    pub async fn list_conversations(
        &self,
        account: AccountId,
        query: &ConversationQuery,
    ) -> Result<Page<Conversation>, StoreError> {
        self.list_found_conversations(account, query, None).await
    }

    /// [`Store::list_conversations`], with the filter's search already run: `found` is what
    /// [`Store::find_contacts`] gave for `query.filter.search`, so that a request's page, page
    /// cursor and counts share one search (`None`: searched here when the filter has one).
    pub async fn list_found_conversations(
        &self,
        account: AccountId,
        query: &ConversationQuery,
        found: Option<&FoundContacts>,
    ) -> Result<Page<Conversation>, StoreError> {
        let (sql, args) = self.list_sql(account, query, found).await?;
        // The page's labels in the same statement: an aggregate per row of the page only (the
        // page's own plan, which the plan-regression test checks, is the inner query).
        let sql = format!(
            "SELECT p.*, {} AS label_titles FROM ({sql}) p ORDER BY p.sort_key DESC, p.sort_id DESC",
            label_titles("p")
        );
        let rows: Vec<ListedRow> = on_read!(self, pool => {
            bind_args!(sqlx::query_as(&sql), &args).fetch_all(pool).await?
        });
        let conversations = rows
            .into_iter()
            .map(|r| r.row.into_domain(split_titles(r.label_titles)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(paginate(conversations, query.limit, |c| Cursor {
            key: c.last_activity_at.secs(),
            id: c.id.get(),
        }))
    }

    /// The SQL of a page of [`Store::list_conversations`] and its values.
    pub(super) async fn list_sql(
        &self,
        account: AccountId,
        query: &ConversationQuery,
        found: Option<&FoundContacts>,
    ) -> Result<(String, Vec<Arg>), StoreError> {
        let mut args = Vec::new();
        let found = self
            .found_ids(account, query.filter.search.as_deref(), found)
            .await?;
        let mut f = filter_sql(
            self.backend(),
            account,
            &query.filter,
            found.as_deref(),
            &mut args,
            Walk::List,
        );
        let cursor = query.after.unwrap_or(Cursor {
            key: i64::MAX,
            id: i64::MAX,
        });
        let (key, id) = f.keyset;
        let k = push(&mut args, Arg::Int(cursor.key));
        let i = push(&mut args, Arg::Int(cursor.id));
        let limit = push(&mut args, Arg::Int(query.limit + 1));
        f.and(&before(key, id, &k, &i));
        let sql = format!(
            "SELECT {COLUMNS}, {key} AS sort_key, {id} AS sort_id FROM {} WHERE {} \
             ORDER BY {key} DESC, {id} DESC LIMIT {limit}",
            f.from, f.clause
        );
        Ok((sql, args))
    }

    /// How the database plans a page of [`Store::list_conversations`]: SQLite's
    /// `EXPLAIN QUERY PLAN` lines, or PostgreSQL's `EXPLAIN` lines. For diagnosis and for the
    /// plan-regression test (a list that sorts instead of walking an index in order stops
    /// being flat in the account's size).
    pub async fn explain_conversation_list(
        &self,
        account: AccountId,
        query: &ConversationQuery,
    ) -> Result<Vec<String>, StoreError> {
        let (sql, args) = self.list_sql(account, query, None).await?;
        let sqlite = format!("EXPLAIN QUERY PLAN {sql}");
        let postgres = format!("EXPLAIN {sql}");
        Ok(match &self.read {
            crate::Pool::Sqlite(pool) => {
                let rows: Vec<(i64, i64, i64, String)> = bind_args!(sqlx::query_as(&sqlite), &args)
                    .fetch_all(pool)
                    .await?;
                rows.into_iter().map(|r| r.3).collect()
            }
            crate::Pool::Postgres(pool) => {
                let rows: Vec<(String,)> = bind_args!(sqlx::query_as(&postgres), &args)
                    .fetch_all(pool)
                    .await?;
                rows.into_iter().map(|r| r.0).collect()
            }
        })
    }

    /// The cursor of the conversation `skip` places into the list [`Store::list_conversations`]
    /// gives for `filter`, counted from `after` (so page `n` of `limit` starts after the cursor at
    /// `skip = (n - 1) * limit - 1`); `None` when the list is shorter. One index walk instead of
    /// one query per page; its cost grows with the depth (`after` cursors do not).
    pub async fn conversation_cursor_at(
        &self,
        account: AccountId,
        filter: &ConversationFilter,
        after: Option<Cursor>,
        skip: i64,
    ) -> Result<Option<Cursor>, StoreError> {
        self.found_conversation_cursor_at(account, filter, None, after, skip)
            .await
    }

    /// [`Store::conversation_cursor_at`] with the filter's search already run (`found`, as
    /// for [`Store::list_found_conversations`]).
    pub async fn found_conversation_cursor_at(
        &self,
        account: AccountId,
        filter: &ConversationFilter,
        found: Option<&FoundContacts>,
        after: Option<Cursor>,
        skip: i64,
    ) -> Result<Option<Cursor>, StoreError> {
        let mut args = Vec::new();
        let found = self
            .found_ids(account, filter.search.as_deref(), found)
            .await?;
        let mut f = filter_sql(
            self.backend(),
            account,
            filter,
            found.as_deref(),
            &mut args,
            Walk::List,
        );
        let (key, id) = f.keyset;
        if let Some(cursor) = after {
            let k = push(&mut args, Arg::Int(cursor.key));
            let i = push(&mut args, Arg::Int(cursor.id));
            f.and(&before(key, id, &k, &i));
        }
        let offset = push(&mut args, Arg::Int(skip));
        let sql = format!(
            "SELECT {key}, {id} FROM {} WHERE {} ORDER BY {key} DESC, {id} DESC LIMIT 1 OFFSET {offset}",
            f.from, f.clause
        );
        let row: Option<(i64, i64)> = on_read!(self, pool => {
            bind_args!(sqlx::query_as(&sql), &args).fetch_optional(pool).await?
        });
        Ok(row.map(|(key, id)| Cursor { key, id }))
    }
}

#[cfg(test)]
mod tests {
    use oxidesk_domain::{ConversationStatus, InboxId, TeamId, UserId};

    use super::super::AssigneeFilter;
    use super::*;

    /// SQLite's plan of a searched list, with every other filter beside the search: the
    /// found contacts' conversations read through the contact index (then sorted: at most
    /// those of the search's contacts), never a walk of the account's activity order probing
    /// each conversation against the matches.
    #[tokio::test]
    async fn searched_lists_read_the_found_contacts_conversations() {
        let db = crate::testing::TestDatabase::sqlite().await;
        let search = |q: &str| ConversationFilter {
            search: Some(q.into()),
            ..ConversationFilter::default()
        };
        let filters = [
            search("maria"),
            search("#42"),
            ConversationFilter {
                status: Some(ConversationStatus::Open),
                ..search("maria")
            },
            ConversationFilter {
                assignee: AssigneeFilter::Me(UserId(1)),
                ..search("maria")
            },
            ConversationFilter {
                assignee: AssigneeFilter::Unassigned,
                inbox_id: Some(InboxId(1)),
                ..search("maria")
            },
            ConversationFilter {
                team_id: Some(TeamId(1)),
                ..search("maria")
            },
        ];
        for filter in filters {
            for after in [None, Some(Cursor { key: 5, id: 5 })] {
                let query = ConversationQuery {
                    filter: filter.clone(),
                    after,
                    limit: 25,
                };
                let plan = db
                    .store
                    .explain_conversation_list(AccountId(1), &query)
                    .await
                    .unwrap_or_else(|e| panic!("{filter:?}: {e}"))
                    .join(" | ");
                assert!(
                    plan.contains("conversations_contact_activity"),
                    "{filter:?} {after:?}: {plan}"
                );
                // The display id of `#42` is found by its own index (a second branch).
                for walk in [
                    "_activity (account_id",
                    "inbox_activity",
                    "team_activity",
                    "SCAN c",
                ] {
                    assert!(!plan.contains(walk), "{filter:?} {after:?}: {plan}");
                }
            }
        }
    }
}
