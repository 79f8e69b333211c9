-- Labels of contacts (Chatwoot's contact tags), and indexes for the contact lists' activity orders.
-- Keep in step with the other folder's 0002_contact_labels.sql. Titles are free (validated like label titles)
-- and need not be labels of the account, as in Chatwoot.

CREATE TABLE contact_labels (
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    PRIMARY KEY (contact_id, title)
);
CREATE INDEX contact_labels_title ON contact_labels (title, contact_id);

-- The contact lists sort by last activity with contacts never active last: their keyset key is
-- COALESCE(last_activity_at, 0) (most recent first) or COALESCE(last_activity_at, <max>) (least
-- recent first). These indexes carry exactly those expressions, so both orders are index scans.
CREATE INDEX contacts_account_activity_recent ON contacts (account_id, COALESCE(last_activity_at, 0), id);
CREATE INDEX contacts_account_activity_earliest ON contacts (account_id, COALESCE(last_activity_at, 9223372036854775807), id);
