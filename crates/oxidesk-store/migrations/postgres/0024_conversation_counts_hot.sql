-- PostgreSQL only: 0022's covering index holds `n`, which every change to a conversation
-- updates, so no update of a count row could be HOT (n_tup_hot_upd: 0 of 992,548 updates
-- while 1 M conversations were generated). Each update wrote a new row version elsewhere in
-- the table and a new entry in both indexes: at 1 M the table was 3,469 pages for its 7,509
-- live rows (73 when compact) and the index 14,881, and the tab counts of a whole account read
-- every one of those pages (docs/PERFORMANCE.md, "Lists, seventh pass"). Without it an update
-- of `n` stays on its page and old versions are pruned there. SQLite keeps the index: it
-- updates rows in place and reads the index alone (0022).
DROP INDEX conversation_counts_cover;
-- Rewrite the table once, leaving the versions the index kept out of HOT behind (a few
-- thousand rows for an account, whatever its number of conversations).
CLUSTER conversation_counts USING conversation_counts_pkey;
ANALYZE conversation_counts;
