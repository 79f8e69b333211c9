-- The keys that sign the tokens beside each Dashboard App context (EdDSA, Ed25519). One key is
-- active (active = 1, unique, so that instances racing to create the first one end up with one);
-- a rotation retires it (active NULL, retired_at set, private key erased) and inserts the next
-- in one transaction. Retired keys stay published in /.well-known/jwks.json until the tokens
-- they signed have expired. private_key is encrypted with a key derived from the instance's
-- secret key (XChaCha20-Poly1305, the kid as associated data); public_key is the raw 32 bytes,
-- base64url.
-- Keep in step with ../postgres/0008_signing_keys.sql.

CREATE TABLE signing_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kid TEXT NOT NULL UNIQUE,
    algorithm TEXT NOT NULL,
    public_key TEXT NOT NULL,
    private_key TEXT NOT NULL,
    active INTEGER UNIQUE CHECK (active = 1),
    created_at INTEGER NOT NULL,
    retired_at INTEGER
);
CREATE INDEX signing_keys_retired ON signing_keys (retired_at);
