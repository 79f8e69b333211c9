//! The SQL of a conversation filter: which table a list walks, its `WHERE` clause and its
//! keyset columns. Every filter is driven by an index whose order is the list's order
//! (`last_activity_at`, id), so a page costs the same at any size and any depth:
//! - a label filter walks the label's own rows (`conversation_labels`, which carry their
//!   conversation's account and last activity) and joins each conversation by its key;
//! - every other filter walks `conversations` through its `(…, last_activity_at, id)` indexes;
//! - a search first finds the matching contacts with the full-text index ([`crate::search`]),
//!   once per request (`found`, a JSON array of ids, shared by the page, its cursor and the
//!   counts), then takes their conversations through the contact index.

use oxidesk_domain::{AccountId, ConversationStatus};

use super::{AssigneeFilter, ConversationFilter};
use crate::Backend;
use crate::search::{among_json, normalise};

/// A bound value.
pub(crate) enum Arg {
    Int(i64),
    Text(String),
}

/// Binds every [`Arg`] of `$args` to `$query`, in order.
macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                $crate::conversations::filter::Arg::Int(v) => query.bind(*v),
                $crate::conversations::filter::Arg::Text(t) => query.bind(t.clone()),
            };
        }
        query
    }};
}
pub(crate) use bind_args;

/// What the SQL is for: a list walks in activity order, a count only needs the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Walk {
    /// A page, in `(last_activity_at, id)` order.
    List,
    /// A count: a label's status and assignee come from its own rows
    /// (`conversation_labels_account_state`), so a tab is a range of that index.
    Count,
}

/// A filter as SQL.
pub(crate) struct FilterSql {
    /// What the list walks (`FROM …`), with `c` the conversation.
    pub(crate) from: &'static str,
    /// The conditions.
    pub(crate) clause: String,
    /// The sort key column and the id column, in the walked table.
    pub(crate) keyset: (&'static str, &'static str),
}

impl FilterSql {
    /// Appends ` AND <condition>`.
    pub(crate) fn and(&mut self, condition: &str) {
        self.clause += " AND ";
        self.clause += condition;
    }
}

/// Adds `arg` and returns its placeholder.
pub(crate) fn push(args: &mut Vec<Arg>, arg: Arg) -> String {
    args.push(arg);
    format!("${}", args.len())
}

/// The SQL of `filter` for `account`, its values appended to `args` (placeholders numbered
/// after those already there). `found` is the JSON array of the contacts the filter's search
/// found ([`crate::Store::find_contacts`], `None` when it has none).
pub(crate) fn filter_sql(
    backend: Backend,
    account: AccountId,
    filter: &ConversationFilter,
    found: Option<&str>,
    args: &mut Vec<Arg>,
    walk: Walk,
) -> FilterSql {
    let acc = push(args, Arg::Int(account.get()));
    if let (Some(label), Walk::Count) = (&filter.label, walk) {
        return label_count_sql(backend, filter, found, label, acc, args);
    }
    // A search reads the conversations of the contacts it found through the contact index
    // and sorts them (at most the conversations of [`crate::SEARCH_LIMIT`] contacts): the
    // unary `+` keeps the other conditions off every index, so no plan walks the account's
    // activity order probing each conversation against the matches (at 1 M conversations
    // that walk took 116 ms for a common name).
    let ix = if found.is_some() { "+" } else { "" };
    let mut sql = match &filter.label {
        Some(label) => {
            let title = push(args, Arg::Text(label.clone()));
            FilterSql {
                from: "conversation_labels cl CROSS JOIN conversations c",
                clause: format!(
                    "cl.account_id = {acc} AND cl.title = {title} AND c.id = cl.conversation_id \
                     AND c.account_id = {acc}"
                ),
                keyset: ("cl.last_activity_at", "cl.conversation_id"),
            }
        }
        None => FilterSql {
            from: "conversations c",
            clause: format!("{ix}c.account_id = {acc}"),
            keyset: ("c.last_activity_at", "c.id"),
        },
    };
    if let Some(status) = filter.status {
        let p = push(args, Arg::Text(status.as_str().into()));
        sql.and(&format!("c.status = {p}"));
    }
    if let Some(tab) = assignee_condition(&format!("{ix}c.assignee_id"), filter.assignee, args) {
        sql.and(&tab);
    }
    conversation_conditions(backend, filter, found, &acc, args, &mut sql);
    sql
}

/// The condition of the assignee tab `assignee` on the conversation's `column` (its value
/// appended to `args`); `None` for every tab.
pub(crate) fn assignee_condition(
    column: &str,
    assignee: AssigneeFilter,
    args: &mut Vec<Arg>,
) -> Option<String> {
    match assignee {
        AssigneeFilter::All => None,
        AssigneeFilter::Me(user) => {
            let p = push(args, Arg::Int(user.get()));
            Some(format!("{column} = {p}"))
        }
        AssigneeFilter::Unassigned => Some(format!("{column} IS NULL")),
        AssigneeFilter::Assigned => Some(format!("{column} IS NOT NULL")),
    }
}

/// The conditions on the conversation itself (inbox, team, contact, search).
fn conversation_conditions(
    backend: Backend,
    filter: &ConversationFilter,
    found: Option<&str>,
    acc: &str,
    args: &mut Vec<Arg>,
    sql: &mut FilterSql,
) {
    let ix = if found.is_some() { "+" } else { "" };
    if let Some(inbox) = filter.inbox_id {
        let p = push(args, Arg::Int(inbox.get()));
        sql.and(&format!("{ix}c.inbox_id = {p}"));
    }
    if let Some(team) = filter.team_id {
        let p = push(args, Arg::Int(team.get()));
        sql.and(&format!("{ix}c.team_id = {p}"));
    }
    if let Some(contact) = filter.contact_id {
        let p = push(args, Arg::Int(contact.get()));
        sql.and(&format!("c.contact_id = {p}"));
    }
    if let Some(q) = normalise(filter.search.as_deref()) {
        let by_number = q
            .trim_start_matches('#')
            .parse::<i64>()
            .ok()
            .map(|n| push(args, Arg::Int(n)));
        let ids = push(args, Arg::Text(found.unwrap_or("[]").to_owned()));
        let among = among_json(backend, "c.contact_id", &ids);
        match by_number {
            // The account's condition inside the `OR` lets its display id be found by index.
            Some(n) => sql.and(&format!(
                "({among} OR (c.account_id = {acc} AND c.display_id = {n}))"
            )),
            None => sql.and(&among),
        }
    }
}

/// Whether the filter looks at the conversation beyond its labels, status and assignee.
fn needs_conversation(filter: &ConversationFilter) -> bool {
    filter.inbox_id.is_some()
        || filter.team_id.is_some()
        || filter.contact_id.is_some()
        || normalise(filter.search.as_deref()).is_some()
}

/// A label's count: the label's rows carry their conversation's status and assignee (0: none),
/// so the status and the assignee tab are a range of `conversation_labels_account_state`
/// (every status listed when none is asked, so that the assignee is still part of the range);
/// the conversation is joined only for the other conditions.
fn label_count_sql(
    backend: Backend,
    filter: &ConversationFilter,
    found: Option<&str>,
    label: &str,
    acc: String,
    args: &mut Vec<Arg>,
) -> FilterSql {
    let title = push(args, Arg::Text(label.to_owned()));
    let mut sql = FilterSql {
        from: "conversation_labels cl",
        clause: format!("cl.account_id = {acc} AND cl.title = {title}"),
        keyset: ("cl.last_activity_at", "cl.conversation_id"),
    };
    match filter.status {
        Some(status) => {
            let p = push(args, Arg::Text(status.as_str().into()));
            sql.and(&format!("cl.status = {p}"));
        }
        None => {
            let all: Vec<String> = ConversationStatus::ALL
                .iter()
                .map(|s| push(args, Arg::Text(s.as_str().into())))
                .collect();
            sql.and(&format!("cl.status IN ({})", all.join(", ")));
        }
    }
    match filter.assignee {
        AssigneeFilter::All => {}
        AssigneeFilter::Me(user) => {
            let p = push(args, Arg::Int(user.get()));
            sql.and(&format!("cl.assignee_id = {p}"));
        }
        AssigneeFilter::Unassigned => sql.and("cl.assignee_id = 0"),
        AssigneeFilter::Assigned => sql.and("cl.assignee_id > 0"),
    }
    if needs_conversation(filter) {
        sql.from = "conversation_labels cl CROSS JOIN conversations c";
        sql.and(&format!(
            "c.id = cl.conversation_id AND c.account_id = {acc}"
        ));
        conversation_conditions(backend, filter, found, &acc, args, &mut sql);
    }
    sql
}
