-- Agent presence (issue 11): when a member's dashboard last held its live stream open. With
-- `auto_offline`, a member not seen for a while is shown offline whatever their availability,
-- as Chatwoot's `availability_status` does. Keep in step with the other folder's 0017.
ALTER TABLE account_users ADD COLUMN last_seen_at BIGINT;
