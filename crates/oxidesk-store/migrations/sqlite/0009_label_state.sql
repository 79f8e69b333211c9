-- A label's rows also carry their conversation's status and assignee (0: none), kept by
-- triggers as the account and last activity already are (0006), so that a label's tab counts
-- ("mine", "unassigned", "assigned", "all" for a status) are ranges of one index, counted up to
-- the bound without looking at a single conversation. Keep in step with ../postgres/0009_label_state.sql.
ALTER TABLE conversation_labels ADD COLUMN status TEXT;
ALTER TABLE conversation_labels ADD COLUMN assignee_id INTEGER NOT NULL DEFAULT 0;
UPDATE conversation_labels SET
    status = (SELECT c.status FROM conversations c WHERE c.id = conversation_labels.conversation_id),
    assignee_id = COALESCE(
        (SELECT c.assignee_id FROM conversations c WHERE c.id = conversation_labels.conversation_id), 0);
CREATE INDEX conversation_labels_account_state
    ON conversation_labels (account_id, title, status, assignee_id);

DROP TRIGGER conversation_labels_fill;
CREATE TRIGGER conversation_labels_fill AFTER INSERT ON conversation_labels
BEGIN
    UPDATE conversation_labels SET
        account_id = (SELECT c.account_id FROM conversations c WHERE c.id = NEW.conversation_id),
        last_activity_at = (SELECT c.last_activity_at FROM conversations c WHERE c.id = NEW.conversation_id),
        status = (SELECT c.status FROM conversations c WHERE c.id = NEW.conversation_id),
        assignee_id = COALESCE(
            (SELECT c.assignee_id FROM conversations c WHERE c.id = NEW.conversation_id), 0)
    WHERE conversation_id = NEW.conversation_id AND title = NEW.title;
END;

CREATE TRIGGER conversation_labels_state AFTER UPDATE OF status, assignee_id ON conversations
WHEN OLD.status IS NOT NEW.status OR OLD.assignee_id IS NOT NEW.assignee_id
BEGIN
    UPDATE conversation_labels SET status = NEW.status, assignee_id = COALESCE(NEW.assignee_id, 0)
    WHERE conversation_id = NEW.id;
END;
