//! Private signing keys at rest: XChaCha20-Poly1305 under a key derived (HKDF-SHA256) from the
//! instance's secret key, with the key's `kid` as associated data, so a sealed key cannot be
//! moved to another row. Stored as `v1.` + base64url(nonce ‖ ciphertext).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::SigningKey;
use hkdf::Hkdf;
use sha2::Sha256;

const PREFIX: &str = "v1.";
const NONCE_LEN: usize = 24;

fn cipher(secret: &[u8]) -> XChaCha20Poly1305 {
    let mut key = [0u8; 32];
    // 32 bytes is far below HKDF-SHA256's limit, so `expand` cannot fail.
    let _ = Hkdf::<Sha256>::new(None, secret).expand(b"oxidesk signing keys v1", &mut key);
    XChaCha20Poly1305::new(&key.into())
}

/// `key` sealed for storage.
pub(super) fn seal(secret: &[u8], kid: &str, key: &SigningKey) -> String {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut rand::rngs::OsRng);
    let payload = Payload {
        msg: key.as_bytes(),
        aad: kid.as_bytes(),
    };
    let mut sealed = nonce.to_vec();
    // Encryption of a 32-byte message cannot fail.
    sealed.extend(cipher(secret).encrypt(&nonce, payload).unwrap_or_default());
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(sealed))
}

/// The key `sealed` holds, if `secret` and `kid` are the ones it was sealed with.
pub(super) fn open(secret: &[u8], kid: &str, sealed: &str) -> Option<SigningKey> {
    let bytes = URL_SAFE_NO_PAD.decode(sealed.strip_prefix(PREFIX)?).ok()?;
    if bytes.len() <= NONCE_LEN {
        return None;
    }
    let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
    let payload = Payload {
        msg: ciphertext,
        aad: kid.as_bytes(),
    };
    let plain = cipher(secret)
        .decrypt(XNonce::from_slice(nonce), payload)
        .ok()?;
    Some(SigningKey::from_bytes(&plain.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_only_with_the_same_secret_and_kid() {
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        let sealed = seal(b"secret one", "kid-a", &key);
        assert!(!sealed.contains(&URL_SAFE_NO_PAD.encode(key.as_bytes())));
        let opened = open(b"secret one", "kid-a", &sealed).map(|k| k.to_bytes());
        assert_eq!(opened, Some(key.to_bytes()));
        assert!(open(b"secret two", "kid-a", &sealed).is_none());
        assert!(open(b"secret one", "kid-b", &sealed).is_none());
        assert!(open(b"secret one", "kid-a", "v1.AAAA").is_none());
        assert!(open(b"secret one", "kid-a", "").is_none());
    }
}
