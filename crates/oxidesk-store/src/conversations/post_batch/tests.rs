use super::sql::{SAVED, chunk_sizes};
use super::*;

#[test]
fn the_insert_numbers_each_rows_parameters_in_turn() {
    let sql = insert_messages(2, true);
    assert!(
        sql.contains(
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13), ($14, "
        ),
        "{sql}"
    );
    assert!(sql.contains("$26, $26) RETURNING id,"), "{sql}");
    assert!(insert_messages(2, false).ends_with("$26, $26)"));
    assert_eq!(placeholders(2, 3), "$2, $3, $4");
}

#[test]
fn the_sqlite_tail_numbers_parameters_across_its_statements_and_ends_with_the_events() {
    assert_eq!(sqlite_tail(0, 0, 0), "");
    let sql = sqlite_tail(33, 1, 2);
    let statements: Vec<&str> = sql.split(";\n").filter(|s| !s.is_empty()).collect();
    assert_eq!(statements.len(), 4, "{sql}");
    assert!(
        statements[0].starts_with("UPDATE conversations") && statements[0].contains("$544)) AS v")
    );
    assert!(
        statements[1].contains("VALUES ($545, $546"),
        "{}",
        statements[1]
    );
    assert!(statements[1].ends_with("$561)) AS v WHERE conversations.id = v.column16 AND conversations.account_id = v.column17"), "{}", statements[1]);
    assert!(statements[2].starts_with("UPDATE contacts") && statements[2].contains("($562, $563)"));
    assert!(
        statements[3].starts_with("INSERT INTO events")
            && statements[3].ends_with("($564, $565, $566, $567), ($568, $569, $570, $571)"),
        "{}",
        statements[3]
    );
    assert!(!sql.contains("RETURNING"));
    assert_eq!(chunk_sizes(65, 32).collect::<Vec<_>>(), vec![32, 32, 1]);
}

#[test]
fn the_batch_save_writes_what_save_writes_in_bind_order() {
    for (i, column) in SAVED.iter().enumerate() {
        assert!(
            super::super::SAVE.contains(&format!("{column} = ${}", i + 1)),
            "{column}"
        );
    }
    assert!(super::super::SAVE.contains("WHERE id = $16 AND account_id = $17"));
    let sql = save_conversations(1, 2);
    assert!(sql.contains("VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17), ($18, "), "{sql}");
    assert!(sql.contains("$34)) AS v WHERE"), "{sql}");
    assert_eq!(
        touch_contacts(1, 2),
        "UPDATE contacts SET last_activity_at = v.column2 FROM (VALUES ($1, $2), ($3, $4)) AS v \
         WHERE contacts.id = v.column1"
    );
}
