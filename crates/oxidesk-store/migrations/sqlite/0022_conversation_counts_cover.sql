-- The tab counts sum `n` over an account's count rows of one status (1,890 of 7,509 rows for
-- a generated account of 1 M conversations). Through the primary key alone every row is an
-- index entry and then a table lookup for `n`; with `n` in the index the sum reads the index
-- only (SQLite, 1 M: 700 -> 325 us a count; docs/PERFORMANCE.md, "Lists, sixth pass").
CREATE INDEX conversation_counts_cover
    ON conversation_counts (account_id, status, inbox_id, team_id, assignee_id, n);
