-- Lists and counts that stay flat in the size of an account (issue 8).
-- Keep in step with ../postgres/0006_scale.sql.

-- Conversation counts, maintained in the same transaction as every change (triggers), one row
-- per (account, status, inbox, team, assignee); 0 stands for "no team" / "nobody" so that the
-- key is unique on both databases. The assignee tabs' counts are sums over these rows.
CREATE TABLE conversation_counts (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    inbox_id INTEGER NOT NULL,
    team_id INTEGER NOT NULL,
    assignee_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (account_id, status, inbox_id, team_id, assignee_id)
);

INSERT INTO conversation_counts (account_id, status, inbox_id, team_id, assignee_id, n)
SELECT account_id, status, inbox_id, COALESCE(team_id, 0), COALESCE(assignee_id, 0), COUNT(*)
FROM conversations GROUP BY account_id, status, inbox_id, COALESCE(team_id, 0), COALESCE(assignee_id, 0);

CREATE TRIGGER conversation_counts_insert AFTER INSERT ON conversations
BEGIN
    INSERT INTO conversation_counts (account_id, status, inbox_id, team_id, assignee_id, n)
    VALUES (NEW.account_id, NEW.status, NEW.inbox_id, COALESCE(NEW.team_id, 0), COALESCE(NEW.assignee_id, 0), 1)
    ON CONFLICT (account_id, status, inbox_id, team_id, assignee_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER conversation_counts_delete AFTER DELETE ON conversations
BEGIN
    UPDATE conversation_counts SET n = n - 1
    WHERE account_id = OLD.account_id AND status = OLD.status AND inbox_id = OLD.inbox_id
      AND team_id = COALESCE(OLD.team_id, 0) AND assignee_id = COALESCE(OLD.assignee_id, 0);
END;

CREATE TRIGGER conversation_counts_update AFTER UPDATE OF status, inbox_id, team_id, assignee_id ON conversations
WHEN OLD.status IS NOT NEW.status OR OLD.inbox_id IS NOT NEW.inbox_id
  OR OLD.team_id IS NOT NEW.team_id OR OLD.assignee_id IS NOT NEW.assignee_id
BEGIN
    UPDATE conversation_counts SET n = n - 1
    WHERE account_id = OLD.account_id AND status = OLD.status AND inbox_id = OLD.inbox_id
      AND team_id = COALESCE(OLD.team_id, 0) AND assignee_id = COALESCE(OLD.assignee_id, 0);
    INSERT INTO conversation_counts (account_id, status, inbox_id, team_id, assignee_id, n)
    VALUES (NEW.account_id, NEW.status, NEW.inbox_id, COALESCE(NEW.team_id, 0), COALESCE(NEW.assignee_id, 0), 1)
    ON CONFLICT (account_id, status, inbox_id, team_id, assignee_id) DO UPDATE SET n = n + 1;
END;

-- Contacts per account, maintained the same way.
CREATE TABLE contact_counts (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    n INTEGER NOT NULL
);
INSERT INTO contact_counts (account_id, n) SELECT account_id, COUNT(*) FROM contacts GROUP BY account_id;

CREATE TRIGGER contact_counts_insert AFTER INSERT ON contacts
BEGIN
    INSERT INTO contact_counts (account_id, n) VALUES (NEW.account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER contact_counts_delete AFTER DELETE ON contacts
BEGIN
    UPDATE contact_counts SET n = n - 1 WHERE account_id = OLD.account_id;
END;

-- A label's conversations in activity order: the label rows carry their conversation's
-- account and last activity (kept by triggers), so a label filter walks its own index.
ALTER TABLE conversation_labels ADD COLUMN account_id INTEGER;
ALTER TABLE conversation_labels ADD COLUMN last_activity_at INTEGER;
UPDATE conversation_labels SET
    account_id = (SELECT c.account_id FROM conversations c WHERE c.id = conversation_labels.conversation_id),
    last_activity_at = (SELECT c.last_activity_at FROM conversations c WHERE c.id = conversation_labels.conversation_id);
CREATE INDEX conversation_labels_account_activity
    ON conversation_labels (account_id, title, last_activity_at, conversation_id);

CREATE TRIGGER conversation_labels_fill AFTER INSERT ON conversation_labels
BEGIN
    UPDATE conversation_labels SET
        account_id = (SELECT c.account_id FROM conversations c WHERE c.id = NEW.conversation_id),
        last_activity_at = (SELECT c.last_activity_at FROM conversations c WHERE c.id = NEW.conversation_id)
    WHERE conversation_id = NEW.conversation_id AND title = NEW.title;
END;

CREATE TRIGGER conversation_labels_activity AFTER UPDATE OF last_activity_at ON conversations
WHEN OLD.last_activity_at IS NOT NEW.last_activity_at
BEGIN
    UPDATE conversation_labels SET last_activity_at = NEW.last_activity_at
    WHERE conversation_id = NEW.id;
END;

-- The most common view: one status and one assignee tab.
CREATE INDEX conversations_account_status_assignee_activity
    ON conversations (account_id, status, assignee_id, last_activity_at, id);

-- Contact search: substring matching on name, email, phone and identifier through SQLite's own
-- full-text index (FTS5 with trigrams), kept in step with the contacts table by triggers. The
-- index keeps its own copy of the four columns: an external-content table ('content=contacts')
-- reads the contacts table from inside the virtual table, and that failed now and then with
-- "no such table: contacts" on a connection reloading the schema.
CREATE VIRTUAL TABLE contacts_search USING fts5 (
    name, email, phone_number, identifier,
    tokenize = 'trigram'
);
INSERT INTO contacts_search (rowid, name, email, phone_number, identifier)
SELECT id, name, email, phone_number, identifier FROM contacts;

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts
BEGIN
    INSERT INTO contacts_search (rowid, name, email, phone_number, identifier)
    VALUES (NEW.id, NEW.name, NEW.email, NEW.phone_number, NEW.identifier);
END;

CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts
BEGIN
    DELETE FROM contacts_search WHERE rowid = OLD.id;
END;

CREATE TRIGGER contacts_search_update AFTER UPDATE OF name, email, phone_number, identifier ON contacts
BEGIN
    DELETE FROM contacts_search WHERE rowid = OLD.id;
    INSERT INTO contacts_search (rowid, name, email, phone_number, identifier)
    VALUES (NEW.id, NEW.name, NEW.email, NEW.phone_number, NEW.identifier);
END;
