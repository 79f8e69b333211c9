-- Contact search on one narrow table (issue 8, contact search at 1 M contacts). Migration 0006
-- put four trigram indexes on `contacts`: a search read the wide contact rows to recheck each
-- candidate, and a common name made the planner walk the contacts' primary key backwards
-- through whole rows (65-476 ms a statement at 1 M). Here each contact has one row of three
-- columns: its id, its account and one lower-cased text of its name, email, phone number and
-- identifier, separated by the unit separator (U+001F, which a query cannot hold: control
-- characters are dropped from it, so a match never spans two fields). One trigram index on
-- that text answers every field; the rows are kept by the triggers below in the writer's
-- transaction.
CREATE FUNCTION contacts_search_text(name TEXT, email TEXT, phone_number TEXT, identifier TEXT)
RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT LOWER(COALESCE(name, '') || chr(31) || COALESCE(email, '') || chr(31)
        || COALESCE(phone_number, '') || chr(31) || COALESCE(identifier, ''))
$$;

CREATE TABLE contacts_search (
    contact_id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    body TEXT NOT NULL
);

INSERT INTO contacts_search (contact_id, account_id, body)
SELECT id, account_id, contacts_search_text(name, email, phone_number, identifier) FROM contacts;

CREATE INDEX contacts_search_body ON contacts_search USING gin (body public.gin_trgm_ops);
CREATE INDEX contacts_search_account ON contacts_search (account_id, contact_id);

CREATE FUNCTION contacts_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM contacts_search WHERE contact_id = OLD.id;
        RETURN OLD;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO contacts_search (contact_id, account_id, body)
        VALUES (NEW.id, NEW.account_id,
                contacts_search_text(NEW.name, NEW.email, NEW.phone_number, NEW.identifier));
    ELSE
        UPDATE contacts_search
        SET account_id = NEW.account_id,
            body = contacts_search_text(NEW.name, NEW.email, NEW.phone_number, NEW.identifier)
        WHERE contact_id = NEW.id;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER contacts_search_change AFTER INSERT OR DELETE OR UPDATE OF account_id, name, email, phone_number, identifier
ON contacts FOR EACH ROW EXECUTE FUNCTION contacts_search_trigger();

DROP INDEX contacts_search_name;
DROP INDEX contacts_search_email;
DROP INDEX contacts_search_phone;
DROP INDEX contacts_search_identifier;
