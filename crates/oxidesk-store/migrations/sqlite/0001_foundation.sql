-- Oxidesk foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql.
-- Times are Unix seconds in INTEGER columns; JSON objects are TEXT.

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'en',
    conversation_seq INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    display_name TEXT,
    email TEXT NOT NULL,
    password_hash TEXT,
    confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    avatar_url TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE account_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    availability TEXT NOT NULL DEFAULT 'offline',
    auto_offline BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX account_users_account_user ON account_users (account_id, user_id);
CREATE INDEX account_users_user ON account_users (user_id, account_id);

CREATE TABLE access_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    prefix TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE UNIQUE INDEX access_tokens_hash ON access_tokens (token_hash);
CREATE INDEX access_tokens_user ON access_tokens (user_id, id);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX sessions_hash ON sessions (token_hash);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_failures (
    throttle_key TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    failures INTEGER NOT NULL
);

CREATE TABLE inboxes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    channel_type TEXT NOT NULL,
    channel_config TEXT NOT NULL,
    inbox_identifier TEXT NOT NULL,
    enable_auto_assignment BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX inboxes_identifier ON inboxes (inbox_identifier);
CREATE INDEX inboxes_account ON inboxes (account_id, id);

CREATE TABLE inbox_members (
    inbox_id INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (inbox_id, user_id)
);
CREATE INDEX inbox_members_user ON inbox_members (user_id);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    allow_auto_assign BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX teams_account_name ON teams (account_id, name);
CREATE INDEX teams_account ON teams (account_id, id);

CREATE TABLE team_members (
    team_id INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    email TEXT,
    phone_number TEXT,
    identifier TEXT,
    avatar_url TEXT,
    additional_attributes TEXT NOT NULL DEFAULT '{}',
    custom_attributes TEXT NOT NULL DEFAULT '{}',
    last_activity_at INTEGER,
    blocked BOOLEAN NOT NULL DEFAULT FALSE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX contacts_account_email ON contacts (account_id, email);
CREATE UNIQUE INDEX contacts_account_identifier ON contacts (account_id, identifier);
CREATE INDEX contacts_account_phone ON contacts (account_id, phone_number);
CREATE INDEX contacts_account_id ON contacts (account_id, id);
CREATE INDEX contacts_account_activity ON contacts (account_id, last_activity_at, id);

CREATE TABLE contact_inboxes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    inbox_id INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    source_id TEXT NOT NULL,
    hmac_verified BOOLEAN NOT NULL DEFAULT FALSE,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX contact_inboxes_inbox_source ON contact_inboxes (inbox_id, source_id);
CREATE INDEX contact_inboxes_contact ON contact_inboxes (contact_id, id);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    display_id INTEGER NOT NULL,
    uuid TEXT NOT NULL,
    inbox_id INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    contact_inbox_id INTEGER NOT NULL REFERENCES contact_inboxes (id) ON DELETE CASCADE,
    assignee_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    team_id INTEGER REFERENCES teams (id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    snoozed_until INTEGER,
    priority TEXT,
    muted BOOLEAN NOT NULL DEFAULT FALSE,
    custom_attributes TEXT NOT NULL DEFAULT '{}',
    additional_attributes TEXT NOT NULL DEFAULT '{}',
    agent_last_seen_at INTEGER,
    assignee_last_seen_at INTEGER,
    contact_last_seen_at INTEGER,
    last_activity_at INTEGER NOT NULL,
    waiting_since INTEGER,
    first_reply_created_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX conversations_account_display ON conversations (account_id, display_id);
CREATE UNIQUE INDEX conversations_uuid ON conversations (uuid);
CREATE INDEX conversations_account_activity ON conversations (account_id, last_activity_at, id);
CREATE INDEX conversations_account_status_activity ON conversations (account_id, status, last_activity_at, id);
CREATE INDEX conversations_account_assignee_activity ON conversations (account_id, assignee_id, last_activity_at, id);
CREATE INDEX conversations_inbox_activity ON conversations (inbox_id, last_activity_at, id);
CREATE INDEX conversations_team_activity ON conversations (team_id, last_activity_at, id);
CREATE INDEX conversations_contact_activity ON conversations (contact_id, last_activity_at, id);
CREATE INDEX conversations_contact_inbox ON conversations (contact_inbox_id, id);

CREATE TABLE conversation_labels (
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    PRIMARY KEY (conversation_id, title)
);
CREATE INDEX conversation_labels_title ON conversation_labels (title, conversation_id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    inbox_id INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_type INTEGER NOT NULL,
    content TEXT,
    content_type TEXT NOT NULL DEFAULT 'text',
    content_attributes TEXT NOT NULL DEFAULT '{}',
    private BOOLEAN NOT NULL DEFAULT FALSE,
    source_id TEXT,
    sender_type TEXT,
    sender_id INTEGER,
    status TEXT NOT NULL DEFAULT 'sent',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);
CREATE INDEX messages_source ON messages (inbox_id, source_id);

CREATE TABLE labels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL,
    show_on_sidebar BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX labels_account_title ON labels (account_id, title);
CREATE INDEX labels_account ON labels (account_id, id);

CREATE TABLE custom_attribute_definitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    attribute_key TEXT NOT NULL,
    attribute_display_name TEXT NOT NULL,
    attribute_display_type TEXT NOT NULL,
    attribute_description TEXT NOT NULL DEFAULT '',
    attribute_model TEXT NOT NULL,
    attribute_values TEXT NOT NULL DEFAULT '[]',
    regex_pattern TEXT,
    regex_cue TEXT,
    default_value TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX custom_attribute_definitions_key ON custom_attribute_definitions (account_id, attribute_model, attribute_key);
CREATE INDEX custom_attribute_definitions_account ON custom_attribute_definitions (account_id, id);
