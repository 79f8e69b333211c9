-- The whole account's tab counts from a rollup (issue 8; docs/PERFORMANCE.md "Lists, eighth
-- pass"). Keep in step with ../sqlite/0025_conversation_assignee_counts.sql.
--
-- `conversation_counts` (0006) keeps one row per (account, status, inbox, team, assignee): a
-- list without an inbox or a team summed every row of its status, or of the whole account
-- (7,509 rows for a generated account of 1 M conversations). This table keeps the same counts
-- per (account, status, assignee) only (0: nobody), a few hundred rows at most, kept by the same
-- trigger in the same transaction; the counts read it when the filter has no inbox and no team.
CREATE TABLE conversation_assignee_counts (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    assignee_id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (account_id, status, assignee_id)
);

-- No conversation changes while the rollup is filled and its trigger installed (the
-- migration's transaction holds the lock until it commits; a few milliseconds).
LOCK TABLE conversations IN SHARE ROW EXCLUSIVE MODE;

-- Filled from the exact counts already kept (a few thousand rows, not every conversation).
INSERT INTO conversation_assignee_counts (account_id, status, assignee_id, n)
SELECT account_id, status, assignee_id, SUM(n) FROM conversation_counts
GROUP BY account_id, status, assignee_id;

-- Moves one conversation out of the old (status, assignee) and into the new one, the two rows
-- locked in key order as in `conversation_counts_move`.
CREATE FUNCTION conversation_assignee_counts_move(
    acc BIGINT,
    old_status TEXT, old_assignee BIGINT,
    new_status TEXT, new_assignee BIGINT
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF old_status IS NOT NULL AND (new_status IS NULL
        OR (old_status, old_assignee) < (new_status, new_assignee)) THEN
        UPDATE conversation_assignee_counts SET n = n - 1
        WHERE account_id = acc AND status = old_status AND assignee_id = old_assignee;
        old_status := NULL;
    END IF;
    IF new_status IS NOT NULL THEN
        INSERT INTO conversation_assignee_counts (account_id, status, assignee_id, n)
        VALUES (acc, new_status, new_assignee, 1)
        ON CONFLICT (account_id, status, assignee_id) DO UPDATE SET n = conversation_assignee_counts.n + 1;
    END IF;
    IF old_status IS NOT NULL THEN
        UPDATE conversation_assignee_counts SET n = n - 1
        WHERE account_id = acc AND status = old_status AND assignee_id = old_assignee;
    END IF;
END;
$$;

-- 0006's trigger, now moving the rollup too. Every move locks its rollup rows first, then its
-- `conversation_counts` rows (a move between inboxes or teams, which leaves the rollup's
-- figures alone, still locks its one rollup row). A `conversation_counts` row
-- (status, inbox, team, assignee) is then only ever locked by a transaction that already holds
-- the rollup row (status, assignee), so no transaction waits for a `conversation_counts` row:
-- the waits are on rollup rows, and each move takes its two in key order.
CREATE OR REPLACE FUNCTION conversation_counts_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM conversation_assignee_counts_move(NEW.account_id, NULL, NULL,
            NEW.status, COALESCE(NEW.assignee_id, 0));
        PERFORM conversation_counts_move(NEW.account_id, NULL, NULL, NULL, NULL,
            NEW.status, NEW.inbox_id, COALESCE(NEW.team_id, 0), COALESCE(NEW.assignee_id, 0));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM conversation_assignee_counts_move(OLD.account_id,
            OLD.status, COALESCE(OLD.assignee_id, 0), NULL, NULL);
        PERFORM conversation_counts_move(OLD.account_id,
            OLD.status, OLD.inbox_id, COALESCE(OLD.team_id, 0), COALESCE(OLD.assignee_id, 0),
            NULL, NULL, NULL, NULL);
    ELSIF OLD.status IS DISTINCT FROM NEW.status OR OLD.inbox_id IS DISTINCT FROM NEW.inbox_id
       OR OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id THEN
        IF OLD.status IS DISTINCT FROM NEW.status OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id THEN
            PERFORM conversation_assignee_counts_move(NEW.account_id,
                OLD.status, COALESCE(OLD.assignee_id, 0), NEW.status, COALESCE(NEW.assignee_id, 0));
        ELSE
            PERFORM 1 FROM conversation_assignee_counts
            WHERE account_id = NEW.account_id AND status = NEW.status
              AND assignee_id = COALESCE(NEW.assignee_id, 0)
            FOR NO KEY UPDATE;
        END IF;
        PERFORM conversation_counts_move(NEW.account_id,
            OLD.status, OLD.inbox_id, COALESCE(OLD.team_id, 0), COALESCE(OLD.assignee_id, 0),
            NEW.status, NEW.inbox_id, COALESCE(NEW.team_id, 0), COALESCE(NEW.assignee_id, 0));
    END IF;
    RETURN NULL;
END;
$$;

ANALYZE conversation_assignee_counts;
