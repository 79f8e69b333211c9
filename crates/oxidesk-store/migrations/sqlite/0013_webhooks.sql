-- Webhooks (issue 10): the account's webhooks, the outbox of deliveries, and the dispatcher's
-- place in the event log.
-- Keep in step with ../postgres/0013_webhooks.sql.

-- `subscriptions` is a JSON array of Chatwoot event names; `secret` is sealed
-- (XChaCha20-Poly1305 under a key derived from the instance's secret key), never plain.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL,
    subscriptions TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX webhooks_account_url ON webhooks (account_id, url);

-- One row per (event, receiver): an account webhook (`webhook_id`) or an API inbox's
-- `webhook_url` (`inbox_id`). `uuid` is the X-Chatwoot-Delivery header, the same on every
-- attempt. `body` is the exact JSON sent; `secret` a sealed copy of the signing secret.
-- `status`: pending, delivered, failed. A sender owns a row while `locked_until` is in the
-- future.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    webhook_id INTEGER REFERENCES webhooks (id) ON DELETE CASCADE,
    inbox_id INTEGER REFERENCES inboxes (id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL,
    event TEXT NOT NULL,
    url TEXT NOT NULL,
    body TEXT NOT NULL,
    secret TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    locked_until INTEGER,
    response_code INTEGER,
    last_error TEXT,
    last_attempt_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at);

-- The last event of the log turned into deliveries (one row, id 1).
CREATE TABLE webhook_cursor (
    id INTEGER PRIMARY KEY,
    last_event_id INTEGER NOT NULL
);
INSERT INTO webhook_cursor (id, last_event_id) SELECT 1, COALESCE(MAX(id), 0) FROM events;
