-- A dashboard app's extra allowed origins: a JSON array of origin strings
-- (`["https://login.example.com"]`), besides the origins of its frames, that may receive the
-- app's context (an app that redirects to a login page on another origin, say).
-- Keep in step with ../postgres/0005_dashboard_app_origins.sql.

ALTER TABLE dashboard_apps ADD COLUMN allowed_origins TEXT NOT NULL DEFAULT '[]';
