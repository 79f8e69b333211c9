-- Canned responses and agent bots (issue 10).
-- Keep in step with ../postgres/0015_canned_responses_agent_bots.sql.

-- Saved replies an agent inserts with `/short_code` in the composer.
CREATE TABLE canned_responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    short_code TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX canned_responses_account_short_code ON canned_responses (account_id, short_code);

-- A bot of an account: receives its inboxes' events at `outgoing_url` and answers through the
-- API with its own token. `token_hash` is the SHA-256 (hex) of the access token, for lookup;
-- `token` and `secret` (the webhook signing secret) are sealed like webhook secrets, because
-- administrators are shown them again.
CREATE TABLE agent_bots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    outgoing_url TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL UNIQUE,
    token TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX agent_bots_account ON agent_bots (account_id, id);

-- At most one bot per inbox, as in Chatwoot (`agent_bot_inboxes`).
CREATE TABLE agent_bot_inboxes (
    inbox_id INTEGER PRIMARY KEY REFERENCES inboxes (id) ON DELETE CASCADE,
    agent_bot_id INTEGER NOT NULL REFERENCES agent_bots (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE INDEX agent_bot_inboxes_bot ON agent_bot_inboxes (agent_bot_id);

-- A delivery to an agent bot's `outgoing_url` (the webhook outbox carries bots' events too).
ALTER TABLE webhook_deliveries ADD COLUMN agent_bot_id INTEGER REFERENCES agent_bots (id) ON DELETE CASCADE;
CREATE INDEX webhook_deliveries_agent_bot ON webhook_deliveries (agent_bot_id, id);
