//! Chatwoot's custom filters (`POST conversations/filter`, `POST contacts/filter`): a list of
//! conditions on columns, labels and attribute keys, each joined to the next by `AND` or `OR`
//! (SQL's precedence, as Chatwoot concatenates them), built into one `WHERE` clause with
//! numbered placeholders. The service validates the payload and resolves Chatwoot's attribute
//! names to [`FilterField`]s; nothing of the client reaches the SQL text but placeholders.
//!
//! No index serves arbitrary combinations, so a filter walks the account's rows in the list's
//! order (the activity index) and stops at its page; counts stop at [`COUNT_LIMIT`] matches.
//! Attribute keys are read from the JSON text columns with each database's own functions (the
//! one place besides search where the SQL differs: `json_extract` on SQLite, `::jsonb ->>` on
//! PostgreSQL); booleans read as `true`/`false` and numbers as their text on both.

use oxidesk_domain::{AccountId, Contact, Conversation, UserId};

use crate::contacts::CONTACT_COLUMNS;
use crate::contacts::escape_like;
use crate::conversations::{COLUMNS as CONVERSATION_COLUMNS, COUNT_LIMIT};
use crate::rows::{ContactRow, ConversationRow};
use crate::{Backend, Store, StoreError};

/// What a condition looks at.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterField {
    /// An integer column (ids, display id, Unix times).
    Int(&'static str),
    /// A text column, compared case-insensitively.
    Text(&'static str),
    /// A boolean column.
    Bool(&'static str),
    /// A key of a JSON attributes column (`custom_attributes`, `additional_attributes`).
    Json {
        /// The column.
        column: &'static str,
        /// The key (validated by the service: letters, digits, `_`, `-`).
        key: String,
    },
    /// The row's labels.
    Labels,
}

/// A value compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterArg {
    /// An integer.
    Int(i64),
    /// A number.
    Float(f64),
    /// Text.
    Text(String),
    /// A boolean.
    Bool(bool),
}

/// How a condition compares.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterOp {
    /// One of the values.
    Equal(Vec<FilterArg>),
    /// None of the values (rows without a value included).
    NotEqual(Vec<FilterArg>),
    /// Contains the text, case-insensitively.
    Contains(String),
    /// Does not contain the text (rows without a value included).
    NotContains(String),
    /// Has a value.
    Present,
    /// Has none.
    NotPresent,
    /// Greater than.
    Greater(FilterArg),
    /// Less than.
    Less(FilterArg),
}

/// One condition, joined to the next by `OR` when `or_next`, else `AND`.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterCondition {
    /// What.
    pub field: FilterField,
    /// How.
    pub op: FilterOp,
    /// `query_operator: or`.
    pub or_next: bool,
}

/// The counts of a conversation filter, each bounded by [`COUNT_LIMIT`] (`limited`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilteredCounts {
    /// Matching conversations.
    pub all: i64,
    /// Of them, the caller's.
    pub mine: i64,
    /// Of them, unassigned.
    pub unassigned: i64,
}

/// Binds every [`FilterArg`] of `$args` to `$query`, in order.
macro_rules! bind_filter_args {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                FilterArg::Int(v) => query.bind(*v),
                FilterArg::Float(v) => query.bind(*v),
                FilterArg::Text(t) => query.bind(t.clone()),
                FilterArg::Bool(b) => query.bind(*b),
            };
        }
        query
    }};
}

/// Builds the `WHERE` conditions of a filter.
struct Builder<'a> {
    backend: Backend,
    /// The row's table or alias (`c`, `contacts`).
    row: &'a str,
    /// The labels table and its owner column.
    labels: (&'static str, &'static str),
    args: Vec<FilterArg>,
}

impl Builder<'_> {
    fn push(&mut self, arg: FilterArg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    fn list(&mut self, values: &[FilterArg], lower: bool) -> String {
        values
            .iter()
            .map(|v| match (v, lower) {
                (FilterArg::Text(t), true) => self.push(FilterArg::Text(t.to_lowercase())),
                (other, _) => self.push(other.clone()),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn like(&mut self, text: &str) -> String {
        self.push(FilterArg::Text(format!(
            "%{}%",
            escape_like(&text.to_lowercase())
        )))
    }

    /// The JSON key as text, and as a number.
    fn json(&mut self, column: &str, key: &str) -> (String, String) {
        let col = format!("{}.{column}", self.row);
        match self.backend {
            Backend::Sqlite => {
                let p = self.push(FilterArg::Text(format!("$.\"{key}\"")));
                (
                    format!(
                        "(CASE json_type({col}, {p}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' \
                         ELSE CAST(json_extract({col}, {p}) AS TEXT) END)"
                    ),
                    format!(
                        "(CASE WHEN json_type({col}, {p}) IN ('integer', 'real') THEN json_extract({col}, {p}) END)"
                    ),
                )
            }
            Backend::Postgres => {
                let p = self.push(FilterArg::Text(key.to_owned()));
                (
                    format!("({col}::jsonb ->> {p})"),
                    format!(
                        "(CASE WHEN jsonb_typeof({col}::jsonb -> {p}) = 'number' \
                         THEN ({col}::jsonb ->> {p})::float8 END)"
                    ),
                )
            }
        }
    }

    fn condition(&mut self, c: &FilterCondition) -> String {
        match &c.field {
            FilterField::Labels => self.labels_condition(&c.op),
            FilterField::Int(column) | FilterField::Bool(column) => {
                let e = format!("{}.{column}", self.row);
                self.compare(&e, &e, &c.op, false)
            }
            FilterField::Text(column) => {
                let e = format!("{}.{column}", self.row);
                self.compare(&e, &e, &c.op, true)
            }
            FilterField::Json { column, key } => {
                let (text, number) = self.json(column, key);
                self.compare(&text, &number, &c.op, true)
            }
        }
    }

    /// `text` is the value as text (compared lower-cased when `lower`), `number` as a number.
    fn compare(&mut self, text: &str, number: &str, op: &FilterOp, lower: bool) -> String {
        let folded = if lower {
            format!("LOWER({text})")
        } else {
            text.to_owned()
        };
        match op {
            FilterOp::Equal(values) => format!("{folded} IN ({})", self.list(values, lower)),
            FilterOp::NotEqual(values) => format!(
                "({text} IS NULL OR {folded} NOT IN ({}))",
                self.list(values, lower)
            ),
            FilterOp::Contains(t) => {
                let p = self.like(t);
                format!("LOWER(CAST({text} AS TEXT)) LIKE {p} ESCAPE '\\'")
            }
            FilterOp::NotContains(t) => {
                let p = self.like(t);
                format!("({text} IS NULL OR LOWER(CAST({text} AS TEXT)) NOT LIKE {p} ESCAPE '\\')")
            }
            FilterOp::Present if lower => format!("({text} IS NOT NULL AND {text} <> '')"),
            FilterOp::Present => format!("{text} IS NOT NULL"),
            FilterOp::NotPresent if lower => format!("({text} IS NULL OR {text} = '')"),
            FilterOp::NotPresent => format!("{text} IS NULL"),
            FilterOp::Greater(v) | FilterOp::Less(v) => {
                let sign = if matches!(op, FilterOp::Greater(_)) {
                    ">"
                } else {
                    "<"
                };
                let e = match v {
                    FilterArg::Int(_) | FilterArg::Float(_) => number,
                    _ => text,
                };
                let p = self.push(v.clone());
                format!("{e} {sign} {p}")
            }
        }
    }

    fn labels_condition(&mut self, op: &FilterOp) -> String {
        let (table, owner) = self.labels;
        let any = format!("SELECT 1 FROM {table} l WHERE l.{owner} = {}.id", self.row);
        match op {
            FilterOp::Equal(values) => format!(
                "EXISTS ({any} AND l.title IN ({}))",
                self.list(values, true)
            ),
            FilterOp::NotEqual(values) => {
                format!(
                    "NOT EXISTS ({any} AND l.title IN ({}))",
                    self.list(values, true)
                )
            }
            FilterOp::NotPresent => format!("NOT EXISTS ({any})"),
            _ => format!("EXISTS ({any})"),
        }
    }

    /// The conditions joined, in parentheses (`TRUE` for none).
    fn clause(&mut self, conditions: &[FilterCondition]) -> String {
        let mut sql = String::from("(");
        for (i, c) in conditions.iter().enumerate() {
            if i > 0 {
                sql += if conditions[i - 1].or_next {
                    " OR "
                } else {
                    " AND "
                };
            }
            sql += &format!("({})", self.condition(c));
        }
        if conditions.is_empty() {
            sql += "1 = 1";
        }
        sql + ")"
    }
}

impl Store {
    /// A page of the account's conversations matching `conditions`, most recent activity
    /// first, with the counts (each up to [`COUNT_LIMIT`]; `me` for `mine`).
    pub async fn filter_conversations(
        &self,
        account: AccountId,
        conditions: &[FilterCondition],
        me: UserId,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Conversation>, FilteredCounts), StoreError> {
        let mut b = Builder {
            backend: self.backend(),
            row: "c",
            labels: ("conversation_labels", "conversation_id"),
            args: vec![FilterArg::Int(account.get())],
        };
        let clause = b.clause(conditions);
        let matching = format!("FROM conversations c WHERE c.account_id = $1 AND {clause}");
        let n = b.args.len();
        let list = format!(
            "SELECT {CONVERSATION_COLUMNS} {matching} ORDER BY c.last_activity_at DESC, c.id DESC \
             LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let count = format!(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN f.assignee_id = ${m} THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN f.assignee_id IS NULL THEN 1 ELSE 0 END), 0) \
             FROM (SELECT c.assignee_id {matching} LIMIT ${l}) f",
            m = n + 1,
            l = n + 2
        );
        let args = b.args;
        let (rows, counts): (Vec<ConversationRow>, (i64, i64, i64)) = on_read!(self, pool => {
            let rows = bind_filter_args!(sqlx::query_as(&list), &args)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?;
            let counts = bind_filter_args!(sqlx::query_as(&count), &args)
                .bind(me.get())
                .bind(COUNT_LIMIT)
                .fetch_one(pool)
                .await?;
            (rows, counts)
        });
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut labels = self.labels_of(&ids).await?;
        let conversations = rows
            .into_iter()
            .map(|r| {
                let l = labels.remove(&r.id).unwrap_or_default();
                r.into_domain(l)
            })
            .collect::<Result<Vec<Conversation>, _>>()?;
        Ok((
            conversations,
            FilteredCounts {
                all: counts.0,
                mine: counts.1,
                unassigned: counts.2,
            },
        ))
    }

    /// A page of the account's contacts matching `conditions`, most recent activity first,
    /// with their number (up to [`COUNT_LIMIT`]).
    pub async fn filter_contacts(
        &self,
        account: AccountId,
        conditions: &[FilterCondition],
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Contact>, i64), StoreError> {
        let mut b = Builder {
            backend: self.backend(),
            row: "contacts",
            labels: ("contact_labels", "contact_id"),
            args: vec![FilterArg::Int(account.get())],
        };
        let clause = b.clause(conditions);
        let matching = format!("FROM contacts WHERE contacts.account_id = $1 AND {clause}");
        let n = b.args.len();
        let list = format!(
            "SELECT {CONTACT_COLUMNS} {matching} \
             ORDER BY COALESCE(contacts.last_activity_at, 0) DESC, contacts.id DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let count = format!(
            "SELECT COUNT(*) FROM (SELECT contacts.id {matching} LIMIT ${}) f",
            n + 1
        );
        let args = b.args;
        let (rows, count): (Vec<ContactRow>, i64) = on_read!(self, pool => {
            let rows = bind_filter_args!(sqlx::query_as(&list), &args)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?;
            let count = bind_filter_args!(sqlx::query_scalar(&count), &args)
                .bind(COUNT_LIMIT)
                .fetch_one(pool)
                .await?;
            (rows, count)
        });
        let contacts = rows
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<Vec<Contact>, _>>()?;
        Ok((contacts, count))
    }
}
