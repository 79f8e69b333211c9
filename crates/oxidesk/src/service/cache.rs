//! In-process caches of the hot read paths: whom an API token or a session belongs to, a
//! member's role in an account, and the JSON of a conversation and of its messages.
//!
//! Without them, `GET …/conversations/{id}` ran twelve SQL statements, and on SQLite each one
//! is a round trip to the connection's worker thread: the thread hand-offs, not SQLite, were
//! most of the time (see "Hot read paths" in `docs/PERFORMANCE.md`).
//!
//! Every entry remembers a generation ([`crate::events::Generations`]) and is used only while
//! that generation is current:
//!
//! - views: the account's generation, which every event of the account moves on, synchronously
//!   when this instance publishes it and, on PostgreSQL, when another instance's event is
//!   heard;
//! - credentials and roles: the auth generation, which `agent.*` events (a member added,
//!   changed, renamed or removed) and `session.ended` (a sign-out) move on.
//!
//! So a change made through this instance is seen by its next request; one made through another
//! instance sharing the PostgreSQL database is seen once its event is heard (a notification,
//! milliseconds). Entries also expire ([`AUTH_TTL`], [`VIEW_TTL`]), which bounds what no event
//! announces (a write from another process on SQLite, a lost notification).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use moka::sync::Cache;
use oxidesk_domain::{Account, AccountId, Membership, Role, User, UserId};
use oxidesk_store::Session;

/// The longest a cached credential or role is trusted without an event.
pub const AUTH_TTL: Duration = Duration::from_secs(5);
/// The longest a cached view is served without an event.
pub const VIEW_TTL: Duration = Duration::from_secs(2);
/// Most bytes of JSON the view cache keeps.
const VIEW_BYTES: u64 = 64 * 1024 * 1024;
/// Most credentials and memberships kept.
const AUTH_ENTRIES: u64 = 100_000;

/// The caches; cheap to clone (one reference count: axum clones the state several times a
/// request, and each `moka` cache's own clone costs several).
#[derive(Clone, Default)]
pub struct ReadCache {
    caches: Arc<Caches>,
}

struct Caches {
    /// Token hash → (auth generation, user).
    tokens: Cache<String, (u64, User)>,
    /// Session hash → (auth generation, session).
    sessions: Cache<String, (u64, Session)>,
    /// (account, user) → (auth generation, role). Only members are kept.
    members: Cache<(AccountId, UserId), (u64, Role)>,
    /// (account, what) → (account generation, JSON).
    views: Cache<(AccountId, String), (u64, Bytes)>,
    /// User → (auth generation, their accounts and memberships).
    memberships: Cache<UserId, (u64, Memberships)>,
}

/// A user's accounts with their membership of each, oldest first.
pub type Memberships = Arc<Vec<(Account, Membership)>>;

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.caches;
        f.debug_struct("ReadCache")
            .field("tokens", &c.tokens.entry_count())
            .field("sessions", &c.sessions.entry_count())
            .field("members", &c.members.entry_count())
            .field("views", &c.views.entry_count())
            .field("memberships", &c.memberships.entry_count())
            .finish()
    }
}

impl Default for Caches {
    fn default() -> Self {
        Self {
            tokens: auth_cache(),
            sessions: auth_cache(),
            members: auth_cache(),
            memberships: auth_cache(),
            views: Cache::builder()
                .max_capacity(VIEW_BYTES)
                .weigher(|_, (_, json): &(u64, Bytes)| {
                    u32::try_from(json.len()).unwrap_or(u32::MAX)
                })
                .time_to_live(VIEW_TTL)
                .build(),
        }
    }
}

fn auth_cache<K, V>() -> Cache<K, V>
where
    K: std::hash::Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    Cache::builder()
        .max_capacity(AUTH_ENTRIES)
        .time_to_live(AUTH_TTL)
        .build()
}

/// The value if it was cached under `generation`.
fn current<T>(entry: Option<(u64, T)>, generation: u64) -> Option<T> {
    entry.and_then(|(at, value)| (at == generation).then_some(value))
}

impl ReadCache {
    /// The user of a token hash, if cached under `generation`.
    pub fn token(&self, hash: &str, generation: u64) -> Option<User> {
        current(self.caches.tokens.get(hash), generation)
    }

    /// Remembers the user of a token hash.
    pub fn put_token(&self, hash: String, generation: u64, user: User) {
        self.caches.tokens.insert(hash, (generation, user));
    }

    /// The session of a session hash, if cached under `generation`.
    pub fn session(&self, hash: &str, generation: u64) -> Option<Session> {
        current(self.caches.sessions.get(hash), generation)
    }

    /// Remembers a session.
    pub fn put_session(&self, hash: String, generation: u64, session: Session) {
        self.caches.sessions.insert(hash, (generation, session));
    }

    /// Forgets a session at once (signed out here).
    pub fn forget_session(&self, hash: &str) {
        self.caches.sessions.invalidate(hash);
    }

    /// The member's role, if cached under `generation`.
    pub fn role(&self, account: AccountId, user: UserId, generation: u64) -> Option<Role> {
        current(self.caches.members.get(&(account, user)), generation)
    }

    /// Remembers a member's role.
    pub fn put_role(&self, account: AccountId, user: UserId, generation: u64, role: Role) {
        self.caches
            .members
            .insert((account, user), (generation, role));
    }

    /// The user's memberships, if cached under `generation`.
    pub fn memberships(&self, user: UserId, generation: u64) -> Option<Memberships> {
        current(self.caches.memberships.get(&user), generation)
    }

    /// Remembers the user's memberships.
    pub fn put_memberships(&self, user: UserId, generation: u64, memberships: Memberships) {
        self.caches
            .memberships
            .insert(user, (generation, memberships));
    }

    /// Forgets the user's memberships at once (one added here).
    pub fn forget_memberships(&self, user: UserId) {
        self.caches.memberships.invalidate(&user);
    }

    /// A view's JSON, if cached under `generation`.
    pub fn view(&self, account: AccountId, key: &str, generation: u64) -> Option<Bytes> {
        current(
            self.caches.views.get(&(account, key.to_owned())),
            generation,
        )
    }

    /// Remembers a view's JSON.
    pub fn put_view(&self, account: AccountId, key: String, generation: u64, json: Bytes) {
        self.caches.views.insert((account, key), (generation, json));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_of_an_older_generation_is_not_used() {
        let cache = ReadCache::default();
        cache.put_view(AccountId(1), "c:1".into(), 7, Bytes::from_static(b"{}"));
        assert_eq!(
            cache.view(AccountId(1), "c:1", 7),
            Some(Bytes::from_static(b"{}"))
        );
        assert_eq!(cache.view(AccountId(1), "c:1", 8), None, "stale");
        assert_eq!(cache.view(AccountId(2), "c:1", 7), None, "another account");
        cache.put_role(AccountId(1), UserId(3), 2, Role::Agent);
        assert_eq!(cache.role(AccountId(1), UserId(3), 2), Some(Role::Agent));
        assert_eq!(cache.role(AccountId(1), UserId(3), 3), None);
    }
}
