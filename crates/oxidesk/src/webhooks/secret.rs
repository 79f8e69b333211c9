//! Webhook signing secrets at rest: XChaCha20-Poly1305 under a key derived (HKDF-SHA256) from
//! the instance's secret key, stored as `v1.` + base64url(nonce ‖ ciphertext). The database
//! alone never reveals a secret; the tracing layer never sees one.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use sha2::Sha256;

const PREFIX: &str = "v1.";
const NONCE_LEN: usize = 24;

fn cipher(secret_key: &[u8]) -> XChaCha20Poly1305 {
    let mut key = [0u8; 32];
    // 32 bytes is far below HKDF-SHA256's limit, so `expand` cannot fail.
    let _ = Hkdf::<Sha256>::new(None, secret_key).expand(b"oxidesk webhook secrets v1", &mut key);
    XChaCha20Poly1305::new(&key.into())
}

/// `plain` sealed for storage.
pub(crate) fn seal(secret_key: &[u8], plain: &str) -> String {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut rand::rngs::OsRng);
    let mut sealed = nonce.to_vec();
    // Encryption of a short message cannot fail.
    sealed.extend(
        cipher(secret_key)
            .encrypt(&nonce, plain.as_bytes())
            .unwrap_or_default(),
    );
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(sealed))
}

/// The text `sealed` holds, if it was sealed under `secret_key`.
pub(crate) fn open(secret_key: &[u8], sealed: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(sealed.strip_prefix(PREFIX)?).ok()?;
    if bytes.len() <= NONCE_LEN {
        return None;
    }
    let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
    let plain = cipher(secret_key)
        .decrypt(XNonce::from_slice(nonce), ciphertext)
        .ok()?;
    String::from_utf8(plain).ok()
}

/// The signing secret of an API inbox's `webhook_url` until an administrator resets it:
/// derived from the instance's secret key and the inbox, so it needs no storage and cannot be
/// guessed from the inbox's id. Shown to administrators as the inbox's `secret`, as Chatwoot
/// shows its channel's. A reset stores a random one instead ([`InboxSecrets`]).
pub fn api_inbox_secret(secret_key: &[u8], inbox_id: i64) -> String {
    let mac =
        crate::secrets::hmac_hex(secret_key, &format!("oxidesk api inbox webhook {inbox_id}"));
    mac[..32].to_owned()
}

/// The webhook secrets of one account's API inboxes: the stored one of an inbox that was
/// reset (migration 0016), else the derived one ([`api_inbox_secret`]).
#[derive(Debug, Clone)]
pub struct InboxSecrets {
    secret_key: std::sync::Arc<Vec<u8>>,
    stored: std::collections::HashMap<i64, String>,
}

impl InboxSecrets {
    /// The secrets under `secret_key`, given the stored (sealed) ones by inbox id.
    pub(crate) fn new(
        secret_key: std::sync::Arc<Vec<u8>>,
        sealed: impl IntoIterator<Item = (i64, String)>,
    ) -> Self {
        let stored = sealed
            .into_iter()
            .filter_map(|(inbox, s)| Some((inbox, open(&secret_key, &s)?)))
            .collect();
        Self { secret_key, stored }
    }

    /// The inbox's secret, in plain text.
    pub fn of(&self, inbox_id: i64) -> String {
        self.stored
            .get(&inbox_id)
            .cloned()
            .unwrap_or_else(|| api_inbox_secret(&self.secret_key, inbox_id))
    }

    /// The inbox's secret, sealed for a delivery row.
    pub(crate) fn sealed(&self, inbox_id: i64) -> String {
        seal(&self.secret_key, &self.of(inbox_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_only_under_the_same_key() {
        let sealed = seal(b"key one", "s3cret-value");
        assert!(!sealed.contains("s3cret"));
        assert_eq!(open(b"key one", &sealed).as_deref(), Some("s3cret-value"));
        assert!(open(b"key two", &sealed).is_none());
        assert!(open(b"key one", "v1.AAAA").is_none());
        assert_ne!(api_inbox_secret(b"k", 1), api_inbox_secret(b"k", 2));
    }

    #[test]
    fn an_inbox_keeps_its_derived_secret_until_one_is_stored() {
        let key = std::sync::Arc::new(b"key".to_vec());
        let stored = seal(&key, "reset-secret");
        let secrets = InboxSecrets::new(key.clone(), [(2, stored), (3, "v1.garbage".into())]);
        assert_eq!(secrets.of(1), api_inbox_secret(&key, 1));
        assert_eq!(secrets.of(2), "reset-secret");
        assert_eq!(
            secrets.of(3),
            api_inbox_secret(&key, 3),
            "unreadable: derived"
        );
        assert_eq!(
            open(&key, &secrets.sealed(2)).as_deref(),
            Some("reset-secret")
        );
    }
}
