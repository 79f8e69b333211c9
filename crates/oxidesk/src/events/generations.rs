//! The accounts' generations: what caches compare against.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use oxidesk_domain::AccountId;

use super::touches_auth;

/// A counter per account that moves on every event of that account: what caches of the
/// account's views compare against. It moves synchronously in
/// [`EventBus::publish`](super::EventBus::publish) (so this instance reads its own writes at
/// once) and again when any instance's event is heard (so other instances' caches follow
/// within the notification's delay).
#[derive(Debug, Clone, Default)]
pub struct Generations {
    counters: Arc<RwLock<Counters>>,
}

#[derive(Debug, Default)]
struct Counters {
    /// Moved by [`Generations::bump_all`]; part of every account's generation, so that an
    /// account not seen yet moves too.
    epoch: u64,
    accounts: HashMap<AccountId, u64>,
    /// Moved by every event that may change who is signed in or what role they have.
    auth: u64,
}

impl Generations {
    /// The account's current generation. It only ever grows.
    pub fn get(&self, account: AccountId) -> u64 {
        let counters = self.counters.read().unwrap_or_else(PoisonError::into_inner);
        counters.epoch + counters.accounts.get(&account).copied().unwrap_or(0)
    }

    /// The generation of credentials and memberships (all accounts). It only ever grows.
    pub fn auth(&self) -> u64 {
        let counters = self.counters.read().unwrap_or_else(PoisonError::into_inner);
        counters.epoch + counters.auth
    }

    /// Moves the account's generation on after an event named `name`: what was cached before
    /// is stale (and so are cached credentials and roles, if [`touches_auth`]).
    pub fn bump(&self, account: AccountId, name: &str) {
        let mut counters = self
            .counters
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        *counters.accounts.entry(account).or_insert(0) += 1;
        if touches_auth(name) {
            counters.auth += 1;
        }
    }

    /// Moves every generation on (when events may have been missed).
    pub fn bump_all(&self) {
        let mut counters = self
            .counters
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        counters.epoch += 1;
    }
}
