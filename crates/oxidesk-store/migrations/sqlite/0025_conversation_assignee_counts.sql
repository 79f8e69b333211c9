-- The whole account's tab counts from a rollup (issue 8; docs/PERFORMANCE.md "Lists, eighth
-- pass"). Keep in step with ../postgres/0025_conversation_assignee_counts.sql.
--
-- `conversation_counts` (0006) keeps one row per (account, status, inbox, team, assignee): a
-- list without an inbox or a team summed every row of its status, or of the whole account
-- (7,509 rows for a generated account of 1 M conversations). This table keeps the same counts
-- per (account, status, assignee) only (0: nobody), a few hundred rows at most, kept by
-- triggers in the same transaction; the counts read it when the filter has no inbox and no
-- team. Without rowid: the key holds `n`, so a sum reads the key's B-tree alone.
CREATE TABLE conversation_assignee_counts (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    assignee_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (account_id, status, assignee_id)
) WITHOUT ROWID;

-- Filled from the exact counts already kept (a few thousand rows, not every conversation);
-- SQLite's migration holds the database's write lock, so no change slips in between.
INSERT INTO conversation_assignee_counts (account_id, status, assignee_id, n)
SELECT account_id, status, assignee_id, SUM(n) FROM conversation_counts
GROUP BY account_id, status, assignee_id;

CREATE TRIGGER conversation_assignee_counts_insert AFTER INSERT ON conversations
BEGIN
    INSERT INTO conversation_assignee_counts (account_id, status, assignee_id, n)
    VALUES (NEW.account_id, NEW.status, COALESCE(NEW.assignee_id, 0), 1)
    ON CONFLICT (account_id, status, assignee_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER conversation_assignee_counts_delete AFTER DELETE ON conversations
BEGIN
    UPDATE conversation_assignee_counts SET n = n - 1
    WHERE account_id = OLD.account_id AND status = OLD.status
      AND assignee_id = COALESCE(OLD.assignee_id, 0);
END;

-- Only a change of status or assignee moves the rollup (not one of inbox or team).
CREATE TRIGGER conversation_assignee_counts_update AFTER UPDATE OF status, assignee_id ON conversations
WHEN OLD.status IS NOT NEW.status OR OLD.assignee_id IS NOT NEW.assignee_id
BEGIN
    UPDATE conversation_assignee_counts SET n = n - 1
    WHERE account_id = OLD.account_id AND status = OLD.status
      AND assignee_id = COALESCE(OLD.assignee_id, 0);
    INSERT INTO conversation_assignee_counts (account_id, status, assignee_id, n)
    VALUES (NEW.account_id, NEW.status, COALESCE(NEW.assignee_id, 0), 1)
    ON CONFLICT (account_id, status, assignee_id) DO UPDATE SET n = n + 1;
END;
