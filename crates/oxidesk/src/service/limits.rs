//! Rate limits: how often one key (a widget visitor, a website token) may act, counted in
//! fixed one-minute windows in this process. A `moka` cache holds one counter per key for the
//! window's length, so idle keys cost nothing and the memory is bounded.
//!
//! Per process: with several instances behind a balancer, each counts its own share, which
//! bounds abuse to that many times the limit; good enough for a chat widget's flood guard.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use moka::sync::Cache;

use super::ServiceError;

/// The window's length.
pub const WINDOW_SECS: u64 = 60;

/// Counters by key.
#[derive(Debug, Clone)]
pub struct RateLimits {
    counters: Cache<String, Arc<AtomicU32>>,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            counters: Cache::builder()
                .max_capacity(200_000)
                .time_to_live(Duration::from_secs(WINDOW_SECS))
                .build(),
        }
    }
}

impl RateLimits {
    /// Counts one action of `key`; refused (429) beyond `limit` in the current window.
    pub fn hit(&self, key: &str, limit: u32) -> Result<(), ServiceError> {
        let counter = self
            .counters
            .get_with(key.to_owned(), || Arc::new(AtomicU32::new(0)));
        if counter.fetch_add(1, Ordering::Relaxed) < limit {
            Ok(())
        } else {
            Err(ServiceError::TooManyAttempts {
                retry_after: WINDOW_SECS as i64,
            })
        }
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
        assert!(matches!(
            limits.hit("a", 3),
            Err(ServiceError::TooManyAttempts { .. })
        ));
        assert!(limits.hit("b", 3).is_ok());
    }
}
