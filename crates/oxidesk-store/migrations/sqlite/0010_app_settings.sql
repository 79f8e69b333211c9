-- Dashboard apps beyond the seeds (issue 9): what an administrator decides about an app, its
-- load failures, and the audit log of the actions apps took.
-- Keep in step with ../postgres/0010_app_settings.sql.

-- A JSON object: {scopes, withheld, visibility: {inbox_ids, team_ids, roles, only_creator},
-- placements, lifecycle}. '{}' reads as the defaults (no scopes, nothing withheld, everyone,
-- a conversation tab, a fresh frame per conversation): what Chatwoot's API registers.
ALTER TABLE dashboard_apps ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
-- Loads that failed in agents' browsers (blocked redirect, timeout, refused framing), and the
-- last one's reason, shown on the app's settings row.
ALTER TABLE dashboard_apps ADD COLUMN load_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dashboard_apps ADD COLUMN last_failure TEXT;
ALTER TABLE dashboard_apps ADD COLUMN last_failure_at INTEGER;

-- Every action an app asked for, allowed or not. The app's title is copied so the log still
-- reads after the app is removed; no foreign key to the app or the conversation for the same
-- reason.
CREATE TABLE dashboard_app_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    app_id INTEGER NOT NULL,
    app_title TEXT NOT NULL,
    user_id INTEGER,
    conversation_display_id INTEGER,
    contact_id INTEGER,
    action TEXT NOT NULL,
    params TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX dashboard_app_audit_account ON dashboard_app_audit (account_id, id);
CREATE INDEX dashboard_app_audit_app ON dashboard_app_audit (account_id, app_id, id);
