//! Rate limits: how often one key (a widget visitor, a website token) may act, by `governor`'s
//! keyed limiter (GCRA: a key may spend its whole minute's allowance at once, then earns one
//! action back every `60 / limit` seconds). A refusal carries the limiter's own answer to
//! "when may it try again" (`Retry-After`).
//!
//! One keyed limiter per rate (requests a minute), created on first use. Keys whose state is
//! back to fresh are swept every [`SWEEP_EVERY`] checks, so idle keys cost nothing for long.
//!
//! Per process: with several instances behind a balancer, each counts its own share, which
//! bounds abuse to that many times the limit; good enough for a chat widget's flood guard
//! (docs/SCALING.md).

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use super::ServiceError;

/// How many checks between two sweeps of the keys back to a fresh state.
pub const SWEEP_EVERY: u64 = 4096;

type Keyed = RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>;

/// The keyed limiters, by rate.
#[derive(Clone, Default)]
pub struct RateLimits {
    limiters: Arc<Mutex<HashMap<u32, Arc<Keyed>>>>,
    checks: Arc<AtomicU64>,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits").finish_non_exhaustive()
    }
}

impl RateLimits {
    /// The limiter of `per_minute` actions a minute.
    fn limiter(&self, per_minute: NonZeroU32) -> Arc<Keyed> {
        let mut limiters = self.limiters.lock().unwrap_or_else(PoisonError::into_inner);
        limiters
            .entry(per_minute.get())
            .or_insert_with(|| Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))))
            .clone()
    }

    /// Counts one action of `key`; refused (429, with the seconds until the next allowed one)
    /// beyond `per_minute` a minute.
    pub fn hit(&self, key: &str, per_minute: u32) -> Result<(), ServiceError> {
        let Some(rate) = NonZeroU32::new(per_minute) else {
            return Err(ServiceError::TooManyAttempts { retry_after: 60 });
        };
        let limiter = self.limiter(rate);
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.sweep();
        }
        limiter.check_key(&key.to_owned()).map_err(|refused| {
            let wait = refused.wait_time_from(DefaultClock::default().now());
            ServiceError::TooManyAttempts {
                retry_after: i64::try_from(wait.as_secs()).unwrap_or(60) + 1,
            }
        })
    }

    /// Forgets the keys whose allowance is whole again.
    fn sweep(&self) {
        let limiters: Vec<Arc<Keyed>> = self
            .limiters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        for limiter in limiters {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// How many keys are remembered (all rates).
    pub fn keys(&self) -> usize {
        self.limiters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .map(|l| l.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_refused_past_its_limit_and_others_are_not() {
        let limits = RateLimits::default();
        for _ in 0..3 {
            assert!(limits.hit("a", 3).is_ok());
        }
        match limits.hit("a", 3) {
            // One action back every 20 seconds.
            Err(ServiceError::TooManyAttempts { retry_after }) => {
                assert!((1..=21).contains(&retry_after), "{retry_after}");
            }
            other => panic!("{other:?}"),
        }
        assert!(limits.hit("b", 3).is_ok());
        // Another rate is another limiter: the same key is counted apart.
        assert!(limits.hit("a", 600).is_ok());
    }

    #[test]
    fn fresh_keys_are_swept() {
        let limits = RateLimits::default();
        for i in 0..SWEEP_EVERY {
            assert!(limits.hit(&format!("visitor-{i}"), 1_000_000).is_ok());
        }
        // At a million a minute, every key is fresh again after a few microseconds.
        std::thread::sleep(std::time::Duration::from_millis(5));
        limits.sweep();
        assert_eq!(limits.keys(), 0);
    }
}
