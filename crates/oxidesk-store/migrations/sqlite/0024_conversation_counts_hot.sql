-- Nothing to do on SQLite: PostgreSQL's 0024 drops 0022's covering index there, where it kept
-- every update of a count row from being HOT and bloated the table and the index. SQLite
-- updates rows in place and keeps the index (its tab counts read it alone). The file keeps the
-- two folders' versions in step.
SELECT 1;
