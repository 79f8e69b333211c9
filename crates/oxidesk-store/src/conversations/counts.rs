//! The assignee tabs' counts (Chatwoot's `meta`), flat in the size of the account.
//!
//! - Filters on status, inbox and team (and none): exact, from `conversation_counts`, which
//!   triggers keep in the same transaction as every change to a conversation (migration 0006).
//!   The cost grows with the number of (status, inbox, team, assignee) combinations in use, not
//!   with the number of conversations.
//! - A label, a search or a contact: counted up to [`COUNT_LIMIT`] along the list's own index;
//!   a count that reaches it means "that many or more" and [`ConversationCounts::limit`] says so.
//!   A search's or a contact's conversations are few (those of at most [`crate::SEARCH_LIMIT`]
//!   contacts): they are read once and all four tabs counted from that one read.

use oxidesk_domain::{AccountId, UserId};

use super::filter::{Arg, Walk, bind_args, filter_sql, push};
use super::{AssigneeFilter, ConversationFilter};
use crate::{FoundContacts, Store, StoreError};

/// Where bounded counts stop.
pub const COUNT_LIMIT: i64 = 1_000;

/// The most conversations a search's or a contact's counts read in one pass (all four tabs
/// at once); beyond it each tab is counted along its index up to [`COUNT_LIMIT`].
const ONE_PASS_LIMIT: i64 = 4 * COUNT_LIMIT;

/// Conversation counts per assignee tab (Chatwoot's `meta`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConversationCounts {
    /// Assigned to the asking user.
    pub mine: i64,
    /// Assigned to nobody.
    pub unassigned: i64,
    /// Assigned to somebody.
    pub assigned: i64,
    /// All of them.
    pub all: i64,
    /// `Some(COUNT_LIMIT)` when the counts were bounded: a count equal to it means "at least".
    pub limit: Option<i64>,
}

impl Store {
    /// How many conversations match `filter` (its assignee part ignored) in each assignee tab.
    pub async fn count_conversations(
        &self,
        account: AccountId,
        filter: &ConversationFilter,
        me: UserId,
    ) -> Result<ConversationCounts, StoreError> {
        self.count_found_conversations(account, filter, None, me)
            .await
    }

    /// [`Store::count_conversations`] with the filter's search already run (`found`, as for
    /// [`Store::list_found_conversations`]).
    pub async fn count_found_conversations(
        &self,
        account: AccountId,
        filter: &ConversationFilter,
        found: Option<&FoundContacts>,
        me: UserId,
    ) -> Result<ConversationCounts, StoreError> {
        let filter = ConversationFilter {
            assignee: AssigneeFilter::All,
            ..filter.clone()
        };
        let searching = crate::search::normalise(filter.search.as_deref()).is_some();
        if filter.label.is_some() || filter.contact_id.is_some() || searching {
            return self.count_bounded(account, &filter, found, me).await;
        }
        let mut args = vec![Arg::Int(account.get())];
        let mut clause = String::from("account_id = $1");
        if let Some(status) = filter.status {
            clause += &format!(
                " AND status = {}",
                push(&mut args, Arg::Text(status.as_str().into()))
            );
        }
        if let Some(inbox) = filter.inbox_id {
            clause += &format!(" AND inbox_id = {}", push(&mut args, Arg::Int(inbox.get())));
        }
        if let Some(team) = filter.team_id {
            clause += &format!(" AND team_id = {}", push(&mut args, Arg::Int(team.get())));
        }
        let me = push(&mut args, Arg::Int(me.get()));
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT), \
                    CAST(COALESCE(SUM(CASE WHEN assignee_id = {me} THEN n ELSE 0 END), 0) AS BIGINT), \
                    CAST(COALESCE(SUM(CASE WHEN assignee_id = 0 THEN n ELSE 0 END), 0) AS BIGINT) \
             FROM conversation_counts WHERE {clause}"
        );
        let (all, mine, unassigned): (i64, i64, i64) = on_read!(self, pool => {
            bind_args!(sqlx::query_as(&sql), &args).fetch_one(pool).await?
        });
        Ok(ConversationCounts {
            mine,
            unassigned,
            assigned: all - unassigned,
            all,
            limit: None,
        })
    }

    /// A search's or a contact's conversations (no label) counted in one read of them: each
    /// tab exactly, then capped at [`COUNT_LIMIT`], the same figures as four bounded counts.
    /// The read stops at [`ONE_PASS_LIMIT`] conversations; `None` when it reached that (the
    /// counts would not be exact: the caller counts each tab along its index instead).
    async fn count_in_one_pass(
        &self,
        account: AccountId,
        filter: &ConversationFilter,
        found: Option<&str>,
        me: UserId,
    ) -> Result<Option<ConversationCounts>, StoreError> {
        let mut args = Vec::new();
        let f = filter_sql(
            self.backend(),
            account,
            filter,
            found,
            &mut args,
            Walk::Count,
        );
        let me = push(&mut args, Arg::Int(me.get()));
        let limit = push(&mut args, Arg::Int(ONE_PASS_LIMIT));
        let sql = format!(
            "SELECT CAST(COUNT(*) AS BIGINT), \
                    CAST(COALESCE(SUM(CASE WHEN assignee_id = {me} THEN 1 ELSE 0 END), 0) AS BIGINT), \
                    CAST(COALESCE(SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM (SELECT c.assignee_id FROM {} WHERE {} LIMIT {limit}) found",
            f.from, f.clause
        );
        let (all, mine, unassigned): (i64, i64, i64) = on_read!(self, pool => {
            bind_args!(sqlx::query_as(&sql), &args).fetch_one(pool).await?
        });
        if all >= ONE_PASS_LIMIT {
            return Ok(None);
        }
        let cap = |n: i64| n.min(COUNT_LIMIT);
        Ok(Some(ConversationCounts {
            mine: cap(mine),
            unassigned: cap(unassigned),
            assigned: cap(all - unassigned),
            all: cap(all),
            limit: Some(COUNT_LIMIT),
        }))
    }

    /// Each tab counted along the list's index, up to [`COUNT_LIMIT`]: the four bounded
    /// counts in one statement (four scalar subqueries, each walking its own tab's index), so
    /// a request pays one round trip, and a search runs once for all of them.
    async fn count_bounded(
        &self,
        account: AccountId,
        filter: &ConversationFilter,
        found: Option<&FoundContacts>,
        me: UserId,
    ) -> Result<ConversationCounts, StoreError> {
        let found = self
            .found_ids(account, filter.search.as_deref(), found)
            .await?;
        if filter.label.is_none()
            && let Some(counts) = self
                .count_in_one_pass(account, filter, found.as_deref(), me)
                .await?
        {
            return Ok(counts);
        }
        let tabs = [
            AssigneeFilter::All,
            AssigneeFilter::Me(me),
            AssigneeFilter::Unassigned,
            AssigneeFilter::Assigned,
        ];
        let mut args = Vec::new();
        let limit = push(&mut args, Arg::Int(COUNT_LIMIT));
        let counts: Vec<String> = tabs
            .into_iter()
            .enumerate()
            .map(|(n, assignee)| {
                let tab = ConversationFilter {
                    assignee,
                    ..filter.clone()
                };
                let f = filter_sql(
                    self.backend(),
                    account,
                    &tab,
                    found.as_deref(),
                    &mut args,
                    Walk::Count,
                );
                format!(
                    "(SELECT COUNT(*) FROM (SELECT 1 FROM {} WHERE {} LIMIT {limit}) bounded{n})",
                    f.from, f.clause
                )
            })
            .collect();
        let sql = format!("SELECT {}", counts.join(", "));
        let (all, mine, unassigned, assigned): (i64, i64, i64, i64) = on_read!(self, pool => {
            bind_args!(sqlx::query_as(&sql), &args).fetch_one(pool).await?
        });
        Ok(ConversationCounts {
            mine,
            unassigned,
            assigned,
            all,
            limit: Some(COUNT_LIMIT),
        })
    }
}
