-- Lists and counts that stay flat in the size of an account (issue 8).
-- Keep in step with ../sqlite/0006_scale.sql.

-- Conversation counts, maintained in the same transaction as every change (triggers), one row
-- per (account, status, inbox, team, assignee); 0 stands for "no team" / "nobody" so that the
-- key is unique on both databases. The assignee tabs' counts are sums over these rows.
CREATE TABLE conversation_counts (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    inbox_id BIGINT NOT NULL,
    team_id BIGINT NOT NULL,
    assignee_id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (account_id, status, inbox_id, team_id, assignee_id)
);

INSERT INTO conversation_counts (account_id, status, inbox_id, team_id, assignee_id, n)
SELECT account_id, status, inbox_id, COALESCE(team_id, 0), COALESCE(assignee_id, 0), COUNT(*)
FROM conversations GROUP BY account_id, status, inbox_id, COALESCE(team_id, 0), COALESCE(assignee_id, 0);

-- Moves one conversation out of the old bucket and into the new one. The two rows are always
-- locked in key order, so that two transactions moving conversations in opposite directions
-- cannot deadlock.
CREATE FUNCTION conversation_counts_move(
    acc BIGINT,
    old_status TEXT, old_inbox BIGINT, old_team BIGINT, old_assignee BIGINT,
    new_status TEXT, new_inbox BIGINT, new_team BIGINT, new_assignee BIGINT
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF old_status IS NOT NULL AND (new_status IS NULL
        OR (old_status, old_inbox, old_team, old_assignee) < (new_status, new_inbox, new_team, new_assignee)) THEN
        UPDATE conversation_counts SET n = n - 1
        WHERE account_id = acc AND status = old_status AND inbox_id = old_inbox
          AND team_id = old_team AND assignee_id = old_assignee;
        old_status := NULL;
    END IF;
    IF new_status IS NOT NULL THEN
        INSERT INTO conversation_counts (account_id, status, inbox_id, team_id, assignee_id, n)
        VALUES (acc, new_status, new_inbox, new_team, new_assignee, 1)
        ON CONFLICT (account_id, status, inbox_id, team_id, assignee_id) DO UPDATE SET n = conversation_counts.n + 1;
    END IF;
    IF old_status IS NOT NULL THEN
        UPDATE conversation_counts SET n = n - 1
        WHERE account_id = acc AND status = old_status AND inbox_id = old_inbox
          AND team_id = old_team AND assignee_id = old_assignee;
    END IF;
END;
$$;

CREATE FUNCTION conversation_counts_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM conversation_counts_move(NEW.account_id, NULL, NULL, NULL, NULL,
            NEW.status, NEW.inbox_id, COALESCE(NEW.team_id, 0), COALESCE(NEW.assignee_id, 0));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM conversation_counts_move(OLD.account_id,
            OLD.status, OLD.inbox_id, COALESCE(OLD.team_id, 0), COALESCE(OLD.assignee_id, 0),
            NULL, NULL, NULL, NULL);
    ELSIF OLD.status IS DISTINCT FROM NEW.status OR OLD.inbox_id IS DISTINCT FROM NEW.inbox_id
       OR OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id THEN
        PERFORM conversation_counts_move(NEW.account_id,
            OLD.status, OLD.inbox_id, COALESCE(OLD.team_id, 0), COALESCE(OLD.assignee_id, 0),
            NEW.status, NEW.inbox_id, COALESCE(NEW.team_id, 0), COALESCE(NEW.assignee_id, 0));
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER conversation_counts_change AFTER INSERT OR DELETE OR UPDATE OF status, inbox_id, team_id, assignee_id
ON conversations FOR EACH ROW EXECUTE FUNCTION conversation_counts_trigger();

-- Contacts per account, maintained the same way.
CREATE TABLE contact_counts (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    n BIGINT NOT NULL
);
INSERT INTO contact_counts (account_id, n) SELECT account_id, COUNT(*) FROM contacts GROUP BY account_id;

CREATE FUNCTION contact_counts_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO contact_counts (account_id, n) VALUES (NEW.account_id, 1)
        ON CONFLICT (account_id) DO UPDATE SET n = contact_counts.n + 1;
    ELSE
        UPDATE contact_counts SET n = n - 1 WHERE account_id = OLD.account_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER contact_counts_change AFTER INSERT OR DELETE ON contacts
FOR EACH ROW EXECUTE FUNCTION contact_counts_trigger();

-- A label's conversations in activity order: the label rows carry their conversation's
-- account and last activity (kept by triggers), so a label filter walks its own index.
ALTER TABLE conversation_labels ADD COLUMN account_id BIGINT;
ALTER TABLE conversation_labels ADD COLUMN last_activity_at BIGINT;
UPDATE conversation_labels cl SET account_id = c.account_id, last_activity_at = c.last_activity_at
FROM conversations c WHERE c.id = cl.conversation_id;
CREATE INDEX conversation_labels_account_activity
    ON conversation_labels (account_id, title, last_activity_at, conversation_id);

CREATE FUNCTION conversation_labels_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT c.account_id, c.last_activity_at INTO NEW.account_id, NEW.last_activity_at
    FROM conversations c WHERE c.id = NEW.conversation_id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER conversation_labels_fill BEFORE INSERT ON conversation_labels
FOR EACH ROW EXECUTE FUNCTION conversation_labels_fill();

CREATE FUNCTION conversation_labels_activity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE conversation_labels SET last_activity_at = NEW.last_activity_at
    WHERE conversation_id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER conversation_labels_activity AFTER UPDATE OF last_activity_at ON conversations
FOR EACH ROW WHEN (OLD.last_activity_at IS DISTINCT FROM NEW.last_activity_at)
EXECUTE FUNCTION conversation_labels_activity();

-- The most common view: one status and one assignee tab.
CREATE INDEX conversations_account_status_assignee_activity
    ON conversations (account_id, status, assignee_id, last_activity_at, id);

-- Contact search: substring matching on name, email, phone and identifier through trigram
-- indexes (pg_trgm). The extension lives in `public` whatever the schema Oxidesk uses, so that
-- several Oxidesk schemas in one database share it; it is a trusted extension (PostgreSQL 13+),
-- which the database's owner may create.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX contacts_search_name ON contacts USING gin (LOWER(name) public.gin_trgm_ops);
CREATE INDEX contacts_search_email ON contacts USING gin (email public.gin_trgm_ops);
CREATE INDEX contacts_search_phone ON contacts USING gin (phone_number public.gin_trgm_ops);
CREATE INDEX contacts_search_identifier ON contacts USING gin (LOWER(identifier) public.gin_trgm_ops);
