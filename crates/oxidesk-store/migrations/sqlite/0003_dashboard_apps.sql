-- Dashboard apps: an administrator registers a name and a URL; every conversation shows it as a tab.
-- Keep in step with ../postgres/0003_dashboard_apps.sql.

CREATE TABLE dashboard_apps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX dashboard_apps_account ON dashboard_apps (account_id, id);
