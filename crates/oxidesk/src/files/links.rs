//! Signed links to attachments: `data_url` and `thumb_url` work without a session or token
//! (Chatwoot's clients fetch them with no headers), until they expire. The signature is an
//! HMAC-SHA256, under the server's secret key, of the account, the attachment, the variant and
//! the expiry, so a link opens that one file, and only until then. Chatwoot's links never
//! expire.

use oxidesk_domain::{AccountId, AttachmentId, Timestamp};

use crate::secrets::{hmac_hex, hmac_verify};

/// Which bytes of an attachment a link serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The file as uploaded.
    Original,
    /// The image's thumbnail.
    Thumb,
}

impl Variant {
    /// The path segment.
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::Original => "original",
            Variant::Thumb => "thumb",
        }
    }

    /// The variant of a path segment.
    pub fn parse(text: &str) -> Option<Variant> {
        match text {
            "original" => Some(Variant::Original),
            "thumb" => Some(Variant::Thumb),
            _ => None,
        }
    }
}

/// What is signed: one purpose prefix, so the MAC cannot be replayed as another of the key's
/// uses.
fn message(account: AccountId, id: AttachmentId, variant: Variant, expires: i64) -> String {
    format!(
        "oxidesk-attachment-link\n{}\n{}\n{}\n{}",
        account.get(),
        id.get(),
        variant.as_str(),
        expires
    )
}

/// When a link made at `now` expires: at least `ttl` seconds on, rounded up to a step of an
/// hour (a quarter of `ttl` when that is shorter), so links stay the same for a while and
/// browsers can cache the file.
pub fn expiry(now: Timestamp, ttl: u64) -> i64 {
    let ttl = i64::try_from(ttl).unwrap_or(i64::MAX / 4);
    let step = (ttl / 4).clamp(1, 3600);
    let at = now.secs().saturating_add(ttl);
    at.div_euclid(step).saturating_add(1).saturating_mul(step)
}

/// The signature of a link.
pub fn sign(
    key: &[u8],
    account: AccountId,
    id: AttachmentId,
    variant: Variant,
    expires: i64,
) -> String {
    hmac_hex(key, &message(account, id, variant, expires))
}

/// Whether `signature` opens this file at `now`.
pub fn verify(
    key: &[u8],
    account: AccountId,
    id: AttachmentId,
    variant: Variant,
    expires: i64,
    signature: &str,
    now: Timestamp,
) -> bool {
    expires >= now.secs() && hmac_verify(key, &message(account, id, variant, expires), signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"a secret key of at least 32 bytes!!";

    #[test]
    fn a_link_opens_its_file_until_it_expires() {
        let (account, id) = (AccountId(3), AttachmentId(9));
        let now = Timestamp(1_000_000);
        let expires = expiry(now, 3600);
        assert!(expires >= now.secs() + 3600 && expires <= now.secs() + 7200);
        let signature = sign(KEY, account, id, Variant::Original, expires);
        assert!(verify(
            KEY,
            account,
            id,
            Variant::Original,
            expires,
            &signature,
            now
        ));
        let later = Timestamp(expires + 1);
        assert!(!verify(
            KEY,
            account,
            id,
            Variant::Original,
            expires,
            &signature,
            later
        ));
        assert!(!verify(
            KEY,
            account,
            AttachmentId(10),
            Variant::Original,
            expires,
            &signature,
            now
        ));
        assert!(!verify(
            KEY,
            AccountId(4),
            id,
            Variant::Original,
            expires,
            &signature,
            now
        ));
        assert!(!verify(
            KEY,
            account,
            id,
            Variant::Thumb,
            expires,
            &signature,
            now
        ));
        assert!(!verify(
            KEY,
            account,
            id,
            Variant::Original,
            expires + 1,
            &signature,
            now
        ));
        assert!(!verify(
            b"another key, also long enough....",
            account,
            id,
            Variant::Original,
            expires,
            &signature,
            now
        ));
    }

    #[test]
    fn links_are_stable_within_a_step() {
        let a = expiry(Timestamp(7200), 86_400);
        let b = expiry(Timestamp(7200 + 1800), 86_400);
        assert_eq!(a, b);
        assert_eq!(expiry(Timestamp(100), 60), 165);
    }
}
