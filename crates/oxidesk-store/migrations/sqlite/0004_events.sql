-- The event log: every change, numbered, so that live clients can catch up after a dropped
-- connection (Server-Sent Events' Last-Event-ID) and several instances share one order.
-- Keep in step with ../postgres/0004_events.sql.

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX events_account ON events (account_id, id);
CREATE INDEX events_created ON events (created_at);
