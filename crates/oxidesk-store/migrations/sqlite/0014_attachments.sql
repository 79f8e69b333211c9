-- Attachments (issue 10): files on messages. The bytes are in the object store (a folder under
-- data_dir, or an S3 bucket); these rows are the same either way.
-- Keep in step with ../postgres/0014_attachments.sql.

-- file_type: image, audio, video, file (Chatwoot's names). content_type is detected from the
-- bytes; file_name is the cleaned name the client sent. storage_key and thumb_key are object
-- store paths (the thumbnail only for images).
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    file_type TEXT NOT NULL,
    content_type TEXT NOT NULL,
    extension TEXT,
    file_name TEXT NOT NULL,
    byte_size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    storage_key TEXT NOT NULL,
    thumb_key TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id, id);
