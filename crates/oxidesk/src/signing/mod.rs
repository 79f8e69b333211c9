//! Signed tokens for Dashboard Apps: JWS compact serialization (RFC 7515) with EdDSA over
//! Ed25519 (RFC 8037), keys kept in the database, public keys published as a JWK set.
//!
//! - One key signs at a time. It is created on first need by whichever instance needs it
//!   first (the database's unique `active` column settles a race) and shared by every instance
//!   on the database. Each instance re-reads it at most [`KEY_CACHE_SECS`] later.
//! - The private key is stored encrypted (the `vault` module) under a key derived from the instance's
//!   secret key, so every instance on one database needs the same secret key (as its forms
//!   already do). It never leaves the process otherwise: no API returns it, `Debug` hides it.
//! - `oxidesk signing-key rotate` retires the active key (its private part is erased) and
//!   creates the next. The retired public key stays in `/.well-known/jwks.json` for
//!   [`PUBLISHED_AFTER_RETIREMENT_SECS`], longer than any token it signed can live, plus the
//!   time other instances may still hold it: rotation needs no downtime.
//! - `kid` is the key's JWK thumbprint (RFC 7638).

pub mod jcs;
mod vault;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer, SigningKey};
use oxidesk_store::Store;
use oxidesk_store::signing_keys::SigningKeyRecord;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// How long an instance keeps using the active key it read before reading it again.
pub const KEY_CACHE_SECS: u64 = 60;
/// How long a retired key stays published: an hour, well beyond a token's life plus
/// [`KEY_CACHE_SECS`].
pub const PUBLISHED_AFTER_RETIREMENT_SECS: i64 = 3600;
/// The JOSE algorithm of every key.
pub const ALGORITHM: &str = "EdDSA";

/// Why a token could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] oxidesk_store::StoreError),
    /// The stored key cannot be used (another secret key, or damaged).
    #[error(
        "the signing key {kid} cannot be decrypted with this instance's secret key: every \
         instance must share one secret key; run `oxidesk signing-key rotate` to start a new key"
    )]
    Undecryptable {
        /// The key's id.
        kid: String,
    },
    /// The claims could not be written.
    #[error("claims: {0}")]
    Claims(#[from] serde_json::Error),
}

/// The signing key in use.
struct ActiveKey {
    kid: String,
    key: SigningKey,
}

/// The active key and when it was read.
type Cached = Option<(Instant, Arc<ActiveKey>)>;

/// The instance's access to the signing keys, with the active key cached. Cheap to clone.
#[derive(Clone)]
pub struct KeyRing {
    secret: Arc<Vec<u8>>,
    active: Arc<Mutex<Cached>>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyRing { .. }")
    }
}

impl KeyRing {
    /// A key ring whose private keys are encrypted under `secret` (the instance's secret key).
    pub fn new(secret: Arc<Vec<u8>>) -> Self {
        Self {
            secret,
            active: Arc::default(),
        }
    }

    /// Signs `claims` as a JWS compact token with the active key (created if there is none).
    pub async fn sign<C: Serialize>(
        &self,
        store: &Store,
        claims: &C,
    ) -> Result<String, SigningError> {
        let key = self.active_key(store).await?;
        let header = json!({"alg": ALGORITHM, "kid": key.kid, "typ": "JWT"});
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header)?),
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims)?)
        );
        let signature = key.key.sign(input.as_bytes());
        Ok(format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        ))
    }

    /// The JWK set to publish: the active key (created if there is none) and the recently
    /// retired ones.
    pub async fn jwks(&self, store: &Store, now: i64) -> Result<Value, SigningError> {
        self.active_key(store).await?;
        let keys: Vec<Value> = store
            .published_signing_keys(now - PUBLISHED_AFTER_RETIREMENT_SECS)
            .await?
            .iter()
            .filter(|k| k.algorithm == ALGORITHM)
            .map(|k| jwk(&k.kid, &k.public_key))
            .collect();
        Ok(json!({ "keys": keys }))
    }

    /// Retires the active key and starts a new one; the new key's id and the retired one's.
    /// This instance uses the new key at once; the others within [`KEY_CACHE_SECS`].
    pub async fn rotate(
        &self,
        store: &Store,
        now: i64,
    ) -> Result<(String, Option<String>), SigningError> {
        let (record, key) = self.new_record(now);
        let retired = store.rotate_signing_key(&record).await?;
        let kid = record.kid.clone();
        self.remember(Arc::new(ActiveKey {
            kid: kid.clone(),
            key,
        }));
        Ok((kid, retired))
    }

    async fn active_key(&self, store: &Store) -> Result<Arc<ActiveKey>, SigningError> {
        let cached = self.active.lock().ok().and_then(|cached| {
            cached
                .as_ref()
                .filter(|(at, _)| at.elapsed() < Duration::from_secs(KEY_CACHE_SECS))
                .map(|(_, key)| key.clone())
        });
        if let Some(key) = cached {
            return Ok(key);
        }
        let record = match store.active_signing_key().await? {
            Some(record) => record,
            None => {
                let now = oxidesk_domain::Timestamp::now().secs();
                let (record, _) = self.new_record(now);
                store.insert_first_signing_key(&record).await?;
                // Ours, or the one another instance stored first.
                store
                    .active_signing_key()
                    .await?
                    .ok_or(oxidesk_store::StoreError::NotFound)?
            }
        };
        let key = vault::open(&self.secret, &record.kid, &record.private_key)
            .filter(|key| {
                URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()) == record.public_key
            })
            .ok_or_else(|| SigningError::Undecryptable {
                kid: record.kid.clone(),
            })?;
        let key = Arc::new(ActiveKey {
            kid: record.kid,
            key,
        });
        self.remember(key.clone());
        Ok(key)
    }

    fn remember(&self, key: Arc<ActiveKey>) {
        if let Ok(mut cached) = self.active.lock() {
            *cached = Some((Instant::now(), key));
        }
    }

    /// A new random key, as a record to store (private key sealed) and as a key to use.
    fn new_record(&self, now: i64) -> (SigningKeyRecord, SigningKey) {
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        let public_key = URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes());
        let kid = thumbprint(&public_key);
        let private_key = vault::seal(&self.secret, &kid, &key);
        let record = SigningKeyRecord {
            kid,
            algorithm: ALGORITHM.into(),
            public_key,
            private_key,
            created_at: now,
            retired_at: None,
        };
        (record, key)
    }
}

/// The public JWK of an Ed25519 key (`x`: the raw key, base64url).
fn jwk(kid: &str, x: &str) -> Value {
    json!({"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": ALGORITHM, "use": "sig"})
}

/// The RFC 7638 thumbprint of an Ed25519 public key: SHA-256 of its required members in
/// lexical order, base64url.
fn thumbprint(x: &str) -> String {
    let members = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(members.as_bytes()))
}

/// SHA-256 of `text`, base64url without padding.
pub fn sha256_b64url(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_matches_rfc_8037() {
        // RFC 8037 appendix A.3.
        assert_eq!(
            thumbprint("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
    }

    #[test]
    fn signs_rfc_8037_example() {
        // RFC 8037 appendix A.4: the Ed25519 signature of a known input.
        let secret = URL_SAFE_NO_PAD
            .decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")
            .unwrap_or_default();
        let key = SigningKey::from_bytes(&secret.try_into().unwrap_or([0; 32]));
        let input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
        assert_eq!(
            URL_SAFE_NO_PAD.encode(key.sign(input.as_bytes()).to_bytes()),
            "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
        );
    }
}
