-- Resettable API-inbox webhook secrets and Chatwoot's (Active Storage's) direct uploads
-- (issue 10). Keep in step with ../postgres/0016_secrets_and_direct_uploads.sql.

-- An API inbox's webhook signing secret, sealed like webhook and agent-bot secrets. NULL: the
-- secret derived from the instance's secret key and the inbox (what every API inbox used
-- before), until an administrator resets it (`POST …/inboxes/{id}/reset_secret`).
ALTER TABLE inboxes ADD COLUMN webhook_secret TEXT;

-- A file announced by `POST /rails/active_storage/direct_uploads`, put by the client to its
-- signed URL, then claimed by a message (which stores it as an attachment and deletes this row).
-- Bound to the user who announced it (and the account of the path, when there was one);
-- `uuid` is what its signed ids name. Rows left unclaimed are swept with their object (no
-- foreign keys: a row outliving its user or account is still swept, with its object).
CREATE TABLE direct_uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL,
    account_id INTEGER,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    byte_size INTEGER NOT NULL,
    checksum TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    uploaded BOOLEAN NOT NULL DEFAULT FALSE,
    created_at INTEGER NOT NULL
);
CREATE INDEX direct_uploads_created ON direct_uploads (created_at);
