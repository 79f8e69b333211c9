//! The assignee tabs' counts (Chatwoot's `meta`), flat in the size of the account.
//!
//! - Filters on status, inbox and team (and none): exact, from `conversation_counts`, which
//!   triggers keep in the same transaction as every change to a conversation (migration 0006).
//!   The cost grows with the number of (status, inbox, team, assignee) combinations in use, not
//!   with the number of conversations; without an inbox and a team the sums come from the
//!   rollup per (status, assignee), `conversation_assignee_counts` (migration 0025).
//! - A label, a search or a contact: counted up to [`COUNT_LIMIT`] along the list's own index;
//!   a count that reaches it means "that many or more" and [`ConversationCounts::limit`] says so.
//!   A search's or a contact's conversations are few (those of at most [`crate::SEARCH_LIMIT`]
//!   contacts): they are read once and all four tabs counted from that one read.

use oxidesk_domain::{AccountId, ConversationStatus, UserId};

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

/// Which statement [`counts_sql`] gave: how its row's four figures read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CountsSql {
    /// Exact, from `conversation_counts` or its rollup `conversation_assignee_counts`
    /// (`n_assigned` unused: all less unassigned).
    Exact,
    /// A search's or a contact's conversations read once (`n_assigned` unused); too many when
    /// `n_all` reached [`ONE_PASS_LIMIT`].
    OnePass,
    /// Each tab counted along its index up to [`COUNT_LIMIT`].
    Tabs,
}

/// What a counts statement counts: `filter` of `account` (its assignee part ignored), `found`
/// the JSON array of the contacts its search found (as for the list), `me` the asking user.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Counted<'a> {
    /// The database (the filter's SQL differs in places).
    pub backend: crate::Backend,
    /// The account.
    pub account: AccountId,
    /// The filter.
    pub filter: &'a ConversationFilter,
    /// The search's contacts.
    pub found: Option<&'a str>,
    /// The asking user (the "mine" tab).
    pub me: UserId,
}

/// The statement of the counts of `c`: one row of four `BIGINT`s named `n_all`, `n_mine`,
/// `n_unassigned` and `n_assigned`, its values appended to `args`. A search or a contact
/// without a label is read in one pass unless `one_pass` is false; [`counts_from`] reads the
/// row.
pub(crate) fn counts_sql(
    c: &Counted<'_>,
    args: &mut Vec<Arg>,
    one_pass: bool,
) -> (String, CountsSql) {
    let filter = ConversationFilter {
        assignee: AssigneeFilter::All,
        ..c.filter.clone()
    };
    let c = Counted {
        filter: &filter,
        ..*c
    };
    // A search's or a contact's conversations (no label) counted in one read of them, which
    // stops at [`ONE_PASS_LIMIT`] conversations.
    if let Some(found) = one_pass.then(|| found_sql(&c, args)).flatten() {
        let me = push(args, Arg::Int(c.me.get()));
        return (
            one_pass_counts(&me, &format!("({found}) found")),
            CountsSql::OnePass,
        );
    }
    if filter.label.is_some() || filter.contact_id.is_some() || searching(&filter) {
        return (tabs_sql(&c, args), CountsSql::Tabs);
    }
    (exact_sql(&c, args), CountsSql::Exact)
}

/// The exact counts of a filter on status, inbox and team (or none): a sum over the
/// maintained count rows. Without an inbox and a team the rollup per (account, status,
/// assignee) has the same sums in a few hundred rows at most (migration 0025): the whole
/// account's counts summed all 7,509 `conversation_counts` rows of a generated account of 1 M
/// conversations (docs/PERFORMANCE.md "Lists, eighth pass"). An inbox without a status is
/// asked for with every status, so that its rows are a range of the key.
fn exact_sql(c: &Counted<'_>, args: &mut Vec<Arg>) -> String {
    let filter = c.filter;
    let table = if filter.inbox_id.is_none() && filter.team_id.is_none() {
        "conversation_assignee_counts"
    } else {
        "conversation_counts"
    };
    let mut clause = format!("account_id = {}", push(args, Arg::Int(c.account.get())));
    let statuses = match (filter.status, filter.inbox_id) {
        (Some(status), _) => vec![status],
        // Every status, so that the inbox is part of the key's range (account, status,
        // inbox, …): an inbox's rows are read, not the whole account's filtered.
        (None, Some(_)) => ConversationStatus::ALL.to_vec(),
        (None, None) => Vec::new(),
    };
    if !statuses.is_empty() {
        let statuses: Vec<String> = statuses
            .into_iter()
            .map(|s| push(args, Arg::Text(s.as_str().into())))
            .collect();
        clause += &format!(" AND status IN ({})", statuses.join(", "));
    }
    if let Some(inbox) = filter.inbox_id {
        clause += &format!(" AND inbox_id = {}", push(args, Arg::Int(inbox.get())));
    }
    if let Some(team) = filter.team_id {
        clause += &format!(" AND team_id = {}", push(args, Arg::Int(team.get())));
    }
    let me = push(args, Arg::Int(c.me.get()));
    format!(
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n_all, \
                CAST(COALESCE(SUM(CASE WHEN assignee_id = {me} THEN n ELSE 0 END), 0) AS BIGINT) AS n_mine, \
                CAST(COALESCE(SUM(CASE WHEN assignee_id = 0 THEN n ELSE 0 END), 0) AS BIGINT) AS n_unassigned, \
                CAST(0 AS BIGINT) AS n_assigned \
         FROM {table} WHERE {clause}"
    )
}

/// The counts in the row of a [`counts_sql`] statement of kind `kind` (`[n_all, n_mine,
/// n_unassigned, n_assigned]`); `None` when a one-pass read reached [`ONE_PASS_LIMIT`] (the
/// counts would not be exact: count each tab along its index instead).
pub(crate) fn counts_from(kind: CountsSql, row: [i64; 4]) -> Option<ConversationCounts> {
    let [all, mine, unassigned, assigned] = row;
    match kind {
        CountsSql::Exact => Some(ConversationCounts {
            mine,
            unassigned,
            assigned: all - unassigned,
            all,
            limit: None,
        }),
        CountsSql::OnePass if all >= ONE_PASS_LIMIT => None,
        CountsSql::OnePass => {
            // Each tab exactly, then capped: the same figures as four bounded counts.
            let cap = |n: i64| n.min(COUNT_LIMIT);
            Some(ConversationCounts {
                mine: cap(mine),
                unassigned: cap(unassigned),
                assigned: cap(all - unassigned),
                all: cap(all),
                limit: Some(COUNT_LIMIT),
            })
        }
        CountsSql::Tabs => Some(ConversationCounts {
            mine,
            unassigned,
            assigned,
            all,
            limit: Some(COUNT_LIMIT),
        }),
    }
}

/// Whether the filter has a search.
fn searching(filter: &ConversationFilter) -> bool {
    crate::search::normalise(filter.search.as_deref()).is_some()
}

/// Whether `filter`'s counts read its conversations in one pass: a search's or a contact's,
/// without a label.
fn counted_in_one_pass(filter: &ConversationFilter) -> bool {
    filter.label.is_none() && (filter.contact_id.is_some() || searching(filter))
}

/// The statement reading once the conversations of a search or a contact (no label; its
/// assignee part ignored): their `id`, `last_activity_at` and `assignee_id`, at most
/// [`ONE_PASS_LIMIT`] of them (in no order), its values appended to `args`. The one-pass
/// counts read it ([`one_pass_counts`]), and so does a list request's page
/// ([`Store::list_page`]: one read of the found conversations for both). `None` for a filter
/// counted otherwise.
pub(crate) fn found_sql(c: &Counted<'_>, args: &mut Vec<Arg>) -> Option<String> {
    if !counted_in_one_pass(c.filter) {
        return None;
    }
    let filter = ConversationFilter {
        assignee: AssigneeFilter::All,
        ..c.filter.clone()
    };
    let f = filter_sql(c.backend, c.account, &filter, c.found, args, Walk::Count);
    Some(format!(
        "SELECT c.id, c.last_activity_at, c.assignee_id FROM {} WHERE {} LIMIT {ONE_PASS_LIMIT}",
        f.from, f.clause
    ))
}

/// The one-pass counts (a [`counts_sql`] row of kind [`CountsSql::OnePass`]) of the
/// conversations `found` (a table, or an aliased subquery such as [`found_sql`]'s, with an
/// `assignee_id`), with `me` the asking user's placeholder.
pub(crate) fn one_pass_counts(me: &str, found: &str) -> String {
    format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n_all, \
                CAST(COALESCE(SUM(CASE WHEN assignee_id = {me} THEN 1 ELSE 0 END), 0) AS BIGINT) AS n_mine, \
                CAST(COALESCE(SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS n_unassigned, \
                CAST(0 AS BIGINT) AS n_assigned \
         FROM {found}"
    )
}

/// Each tab counted along the list's index, up to [`COUNT_LIMIT`]: four scalar subqueries,
/// each walking its own tab's index, in one statement.
///
/// The bounds are literals, not parameters: PostgreSQL estimates a `LIMIT $n` as a tenth of
/// the rows, so the generic plan of a label's list looked dearer than its custom plans and a
/// prepared statement kept being planned again at every execution (2-13 ms at 1 M
/// conversations, more than it ran; docs/PERFORMANCE.md "Lists, seventh pass").
fn tabs_sql(c: &Counted<'_>, args: &mut Vec<Arg>) -> String {
    let tabs = [
        (AssigneeFilter::All, "n_all"),
        (AssigneeFilter::Me(c.me), "n_mine"),
        (AssigneeFilter::Unassigned, "n_unassigned"),
        (AssigneeFilter::Assigned, "n_assigned"),
    ];
    let counts: Vec<String> = tabs
        .into_iter()
        .enumerate()
        .map(|(n, (assignee, name))| {
            let tab = ConversationFilter {
                assignee,
                ..c.filter.clone()
            };
            let f = filter_sql(c.backend, c.account, &tab, c.found, args, Walk::Count);
            format!(
                "(SELECT COUNT(*) FROM (SELECT 1 FROM {} WHERE {} LIMIT {COUNT_LIMIT}) bounded{n}) AS {name}",
                f.from, f.clause
            )
        })
        .collect();
    format!("SELECT {}", counts.join(", "))
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
    /// [`Store::list_found_conversations`]): one statement (`counts_sql`), two when a
    /// search's or a contact's conversations were too many to count in one pass.
    pub async fn count_found_conversations(
        &self,
        account: AccountId,
        filter: &ConversationFilter,
        found: Option<&FoundContacts>,
        me: UserId,
    ) -> Result<ConversationCounts, StoreError> {
        let found = self
            .found_ids(account, filter.search.as_deref(), found)
            .await?;
        let counted = Counted {
            backend: self.backend(),
            account,
            filter,
            found: found.as_deref(),
            me,
        };
        for one_pass in [true, false] {
            if let Some(counts) = self.counts_of(&counted, one_pass).await? {
                return Ok(counts);
            }
        }
        unreachable!("counts along each tab's index are always exact up to their limit")
    }

    /// The counts of `counted` in one statement ([`counts_sql`]); `None` when a one-pass read
    /// reached [`ONE_PASS_LIMIT`] ([`counts_from`]).
    pub(super) async fn counts_of(
        &self,
        counted: &Counted<'_>,
        one_pass: bool,
    ) -> Result<Option<ConversationCounts>, StoreError> {
        let mut args = Vec::new();
        let (sql, kind) = counts_sql(counted, &mut args, one_pass);
        let (all, mine, unassigned, assigned): (i64, i64, i64, i64) = on_read!(self, pool => {
            bind_args!(sqlx::query_as(&sql), &args).fetch_one(pool).await?
        });
        Ok(counts_from(kind, [all, mine, unassigned, assigned]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bounded counts' limits are written into the statement: a bound parameter made
    /// PostgreSQL plan a label's list again at every execution (its generic plan, with a
    /// `LIMIT $n` estimated at a tenth of the rows, never looked cheap enough to keep).
    #[test]
    fn bounded_counts_have_literal_limits() {
        let label = ConversationFilter {
            label: Some("billing".into()),
            ..ConversationFilter::default()
        };
        let search = ConversationFilter {
            search: Some("maria".into()),
            ..ConversationFilter::default()
        };
        for backend in [crate::Backend::Sqlite, crate::Backend::Postgres] {
            for (filter, one_pass, kind, limit) in [
                (&label, true, CountsSql::Tabs, COUNT_LIMIT),
                (&search, true, CountsSql::OnePass, ONE_PASS_LIMIT),
                (&search, false, CountsSql::Tabs, COUNT_LIMIT),
            ] {
                let counted = Counted {
                    backend,
                    account: AccountId(1),
                    filter,
                    found: Some("[1, 2]"),
                    me: UserId(7),
                };
                let mut args = Vec::new();
                let (sql, got) = counts_sql(&counted, &mut args, one_pass);
                assert_eq!(got, kind, "{filter:?}");
                assert!(sql.contains(&format!("LIMIT {limit})")), "{sql}");
                assert!(!sql.contains("LIMIT $"), "{sql}");
                let bound_limit = args.iter().any(|a| matches!(a, Arg::Int(n) if *n == limit));
                assert!(!bound_limit, "{filter:?}: the limit is not bound");
            }
        }
    }

    /// Without an inbox and a team the exact counts read the rollup per (status, assignee),
    /// with either the rows per (status, inbox, team, assignee).
    #[test]
    fn whole_account_counts_read_the_rollup() {
        let filter = |status, inbox, team| ConversationFilter {
            status,
            inbox_id: inbox,
            team_id: team,
            assignee: AssigneeFilter::Me(UserId(7)),
            ..ConversationFilter::default()
        };
        let open = Some(ConversationStatus::Open);
        let inbox = Some(oxidesk_domain::InboxId(3));
        let team = Some(oxidesk_domain::TeamId(4));
        for (filter, table) in [
            (
                filter(None, None, None),
                "FROM conversation_assignee_counts ",
            ),
            (
                filter(open, None, None),
                "FROM conversation_assignee_counts ",
            ),
            (filter(None, inbox, None), "FROM conversation_counts "),
            (filter(open, None, team), "FROM conversation_counts "),
            (filter(None, inbox, team), "FROM conversation_counts "),
        ] {
            let counted = Counted {
                backend: crate::Backend::Postgres,
                account: AccountId(1),
                filter: &filter,
                found: None,
                me: UserId(7),
            };
            let (sql, kind) = counts_sql(&counted, &mut Vec::new(), true);
            assert_eq!(kind, CountsSql::Exact, "{filter:?}");
            assert!(sql.contains(table), "{filter:?}: {sql}");
        }
    }
}
