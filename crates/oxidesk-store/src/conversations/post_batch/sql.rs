//! The SQL texts of a batch of posted messages (`Store::post_messages`): the multi-row
//! insert, the saves of its conversations and contacts, and on SQLite the one text that carries
//! the saves, the contacts and the events.

use crate::batch::rows_of;
use crate::messages::INSERT_COLUMNS;

/// The multi-row `INSERT` of `rows` messages, parameters as `bind_message!` binds them, row
/// after row (13 each; the creation time is also the update time). With `returning` (on
/// PostgreSQL) it returns the rows; on SQLite it returns nothing, and the ids are known from
/// the last one (`batch::ids_ending_at`): each returned row is a hand-off from the driver's
/// thread, and every other column is what was bound.
pub(super) fn insert_messages(rows: usize, returning: bool) -> String {
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let b = r * 13;
            let p: Vec<String> = (1..=13).map(|i| format!("${}", b + i)).collect();
            format!("({}, ${})", p.join(", "), b + 13)
        })
        .collect();
    let mut sql = format!(
        "INSERT INTO messages {INSERT_COLUMNS} VALUES {}",
        values.join(", ")
    );
    if returning {
        sql.push_str(" RETURNING ");
        sql.push_str(crate::messages::COLUMNS);
    }
    sql
}

/// The columns `SAVE` writes, in the order `bind_saved!` binds them (then the id and the
/// account).
pub(super) const SAVED: [&str; 15] = [
    "assignee_id",
    "team_id",
    "status",
    "snoozed_until",
    "priority",
    "muted",
    "custom_attributes",
    "additional_attributes",
    "agent_last_seen_at",
    "assignee_last_seen_at",
    "contact_last_seen_at",
    "last_activity_at",
    "waiting_since",
    "first_reply_created_at",
    "updated_at",
];

/// The most conversations one statement saves (17 parameters each: SQLite binds parameters
/// by name, at a cost that grows with their number).
pub(super) const SAVE_CHUNK: usize = 32;

/// The `UPDATE` that saves `rows` conversations, each as `SAVE` does, in one statement
/// (parameters from `$first`):
/// their parameters (bound by `bind_saved!`, one conversation after the other) are a `VALUES`
/// list joined on the id. Both databases take this form, and both name the columns of a
/// `VALUES` list `column1`, `column2`, ...
pub(super) fn save_conversations(first: usize, rows: usize) -> String {
    let set: Vec<String> = SAVED
        .iter()
        .enumerate()
        .map(|(i, column)| format!("{column} = v.column{}", i + 1))
        .collect();
    format!(
        "UPDATE conversations SET {} FROM (VALUES {}) AS v \
         WHERE conversations.id = v.column16 AND conversations.account_id = v.column17",
        set.join(", "),
        rows_of(first, rows, SAVED.len() + 2)
    )
}

/// The `UPDATE` that moves the activity of `rows` contacts, each to its own time, in one
/// statement: `(id, time)` pairs as a `VALUES` list (parameters from `$first`).
pub(super) fn touch_contacts(first: usize, rows: usize) -> String {
    format!(
        "UPDATE contacts SET last_activity_at = v.column2 FROM (VALUES {}) AS v \
         WHERE contacts.id = v.column1",
        rows_of(first, rows, 2)
    )
}

/// The most contacts one statement moves (2 parameters each).
pub(super) const CONTACTS_CHUNK: usize = SAVE_CHUNK * 8;

/// On SQLite, what follows a batch's `INSERT` of messages, as one SQL text: the saves of
/// `saved` conversations, the activity of `contacts` contacts, then the `INSERT` of `events`
/// events (last, so that the last insert id is theirs), each statement's parameters numbered
/// on from the one before. sqlx runs a text of several statements in one command on the
/// connection's thread, binding `$n` to the n-th argument in every statement. Empty when
/// there is nothing to write.
pub(super) fn sqlite_tail(saved: usize, contacts: usize, events: usize) -> String {
    let mut statements: Vec<String> = Vec::new();
    let mut next = 1;
    let width = SAVED.len() + 2;
    for rows in chunk_sizes(saved, SAVE_CHUNK) {
        statements.push(save_conversations(next, rows));
        next += rows * width;
    }
    for rows in chunk_sizes(contacts, CONTACTS_CHUNK) {
        statements.push(touch_contacts(next, rows));
        next += rows * 2;
    }
    if events > 0 {
        statements.push(crate::events::insert_events_sql(next, events, false));
    }
    let mut sql = statements.join(";\n");
    if !sql.is_empty() {
        sql.push_str(";\n");
    }
    sql
}

/// The sizes of `chunk`-long chunks of `count` items (as `chunks` cuts them).
pub(super) fn chunk_sizes(count: usize, chunk: usize) -> impl Iterator<Item = usize> {
    (0..count)
        .step_by(chunk)
        .map(move |start| chunk.min(count - start))
}
