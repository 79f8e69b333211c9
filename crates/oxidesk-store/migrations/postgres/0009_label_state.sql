-- A label's rows also carry their conversation's status and assignee (0: none), kept by
-- triggers as the account and last activity already are (0006), so that a label's tab counts
-- ("mine", "unassigned", "assigned", "all" for a status) are ranges of one index, counted up to
-- the bound without looking at a single conversation. Keep in step with ../sqlite/0009_label_state.sql.
ALTER TABLE conversation_labels ADD COLUMN status TEXT;
ALTER TABLE conversation_labels ADD COLUMN assignee_id BIGINT NOT NULL DEFAULT 0;
UPDATE conversation_labels cl SET status = c.status, assignee_id = COALESCE(c.assignee_id, 0)
FROM conversations c WHERE c.id = cl.conversation_id;
CREATE INDEX conversation_labels_account_state
    ON conversation_labels (account_id, title, status, assignee_id);

CREATE OR REPLACE FUNCTION conversation_labels_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT c.account_id, c.last_activity_at, c.status, COALESCE(c.assignee_id, 0)
    INTO NEW.account_id, NEW.last_activity_at, NEW.status, NEW.assignee_id
    FROM conversations c WHERE c.id = NEW.conversation_id;
    RETURN NEW;
END;
$$;

CREATE FUNCTION conversation_labels_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE conversation_labels SET status = NEW.status, assignee_id = COALESCE(NEW.assignee_id, 0)
    WHERE conversation_id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER conversation_labels_state AFTER UPDATE OF status, assignee_id ON conversations
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id)
EXECUTE FUNCTION conversation_labels_state();
