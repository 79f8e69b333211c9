//! The assignee tabs' counts (Chatwoot's `meta`), flat in the size of the account.
//!
//! - Filters on status, inbox and team (and none): exact, from `conversation_counts`, which
//!   triggers keep in the same transaction as every change to a conversation (migration 0006).
//!   The cost grows with the number of (status, inbox, team, assignee) combinations in use, not
//!   with the number of conversations.
//! - A label, a search or a contact: counted up to [`COUNT_LIMIT`] along the list's own index;
//!   a count that reaches it means "that many or more" and [`ConversationCounts::limit`] says so.

use oxidesk_domain::{AccountId, UserId};

use super::filter::{Arg, Walk, bind_args, filter_sql, push};
use super::{AssigneeFilter, ConversationFilter};
use crate::{Store, StoreError};

/// Where bounded counts stop.
pub const COUNT_LIMIT: i64 = 1_000;

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
        let filter = ConversationFilter {
            assignee: AssigneeFilter::All,
            ..filter.clone()
        };
        let searching = crate::search::normalise(filter.search.as_deref()).is_some();
        if filter.label.is_some() || filter.contact_id.is_some() || searching {
            return self.count_bounded(account, &filter, me).await;
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

    /// Each tab counted along the list's index, up to [`COUNT_LIMIT`].
    async fn count_bounded(
        &self,
        account: AccountId,
        filter: &ConversationFilter,
        me: UserId,
    ) -> Result<ConversationCounts, StoreError> {
        let found = self
            .search_contact_ids(account, filter.search.as_deref())
            .await?
            .map(|(ids, _)| ids);
        let mut counts = [0_i64; 4];
        let tabs = [
            AssigneeFilter::All,
            AssigneeFilter::Me(me),
            AssigneeFilter::Unassigned,
            AssigneeFilter::Assigned,
        ];
        for (count, assignee) in counts.iter_mut().zip(tabs) {
            let tab = ConversationFilter {
                assignee,
                ..filter.clone()
            };
            let mut args = Vec::new();
            let f = filter_sql(
                self.backend(),
                account,
                &tab,
                found.as_deref(),
                &mut args,
                Walk::Count,
            );
            let limit = push(&mut args, Arg::Int(COUNT_LIMIT));
            let sql = format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM {} WHERE {} LIMIT {limit}) bounded",
                f.from, f.clause
            );
            *count = on_read!(self, pool => {
                bind_args!(sqlx::query_scalar(&sql), &args).fetch_one(pool).await?
            });
        }
        let [all, mine, unassigned, assigned] = counts;
        Ok(ConversationCounts {
            mine,
            unassigned,
            assigned,
            all,
            limit: Some(COUNT_LIMIT),
        })
    }
}
