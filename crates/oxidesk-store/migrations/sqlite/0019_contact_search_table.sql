-- Contact search on one text per contact, as on PostgreSQL (migration 0019 there): the name,
-- email, phone number and identifier in one column, separated by the unit separator (U+001F,
-- which a query cannot hold: control characters are dropped from it, so a match never spans
-- two fields). The FTS5 trigram index folds case itself. One column instead of four makes
-- each posting smaller (no column numbers) and gives both databases the same text to match.
DROP TRIGGER contacts_search_insert;
DROP TRIGGER contacts_search_delete;
DROP TRIGGER contacts_search_update;
DROP TABLE contacts_search;

CREATE VIRTUAL TABLE contacts_search USING fts5 (body, tokenize = 'trigram');
INSERT INTO contacts_search (rowid, body)
SELECT id, COALESCE(name, '') || char(31) || COALESCE(email, '') || char(31)
    || COALESCE(phone_number, '') || char(31) || COALESCE(identifier, '')
FROM contacts;

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts
BEGIN
    INSERT INTO contacts_search (rowid, body)
    VALUES (NEW.id, COALESCE(NEW.name, '') || char(31) || COALESCE(NEW.email, '') || char(31)
        || COALESCE(NEW.phone_number, '') || char(31) || COALESCE(NEW.identifier, ''));
END;

CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts
BEGIN
    DELETE FROM contacts_search WHERE rowid = OLD.id;
END;

CREATE TRIGGER contacts_search_update AFTER UPDATE OF name, email, phone_number, identifier ON contacts
BEGIN
    DELETE FROM contacts_search WHERE rowid = OLD.id;
    INSERT INTO contacts_search (rowid, body)
    VALUES (NEW.id, COALESCE(NEW.name, '') || char(31) || COALESCE(NEW.email, '') || char(31)
        || COALESCE(NEW.phone_number, '') || char(31) || COALESCE(NEW.identifier, ''));
END;
