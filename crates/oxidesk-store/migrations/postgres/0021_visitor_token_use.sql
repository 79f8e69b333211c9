-- Website widget visitor tokens expire after 90 days without use (issue 11): when a visitor's
-- token was last used, renewed at most hourly as it is used (empty: never since it was made,
-- so `created_at` counts). Keep in step with the other folder's 0021.
ALTER TABLE contact_inboxes ADD COLUMN token_used_at BIGINT;
