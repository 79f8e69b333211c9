//! `[limits]`: how much work the server takes on at once before it sheds load (see
//! `http::overload`).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::ConfigError;

/// Load-shedding limits as configured; unset ones are derived from the database pool size and
/// the number of cores ([`LimitsConfig::resolve`]).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// Most requests (API and pages) handled at once. Default: twice the database pool size,
    /// and at least four per core.
    pub max_in_flight: Option<u32>,
    /// Most requests waiting for a slot beyond those; past this, `503` at once. Default: four
    /// times `max_in_flight`.
    pub max_queued: Option<u32>,
    /// Longest a request waits for a slot before it gets `503` (milliseconds).
    pub queue_timeout_ms: u64,
    /// The `Retry-After` of every `503` (seconds); the busy page reloads itself after it.
    pub retry_after_secs: u32,
    /// Most live-update streams (Server-Sent Events) open at once; they are long-lived, so they
    /// have this cap of their own instead of taking request slots.
    pub max_live_streams: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            max_in_flight: None,
            max_queued: None,
            queue_timeout_ms: 1000,
            retry_after_secs: 2,
            max_live_streams: 10_000,
        }
    }
}

/// The fewest requests run at once by default: what the default pool of 10 connections gave
/// before it followed the cores ([`super::default_max_connections`], 4 on 2 cores), so that
/// a smaller pool does not make the server refuse sooner (64 concurrent clients of a fast
/// endpoint would otherwise be shed).
pub const MIN_IN_FLIGHT: usize = 20;

/// The limits in force, every value known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Requests handled at once.
    pub max_in_flight: usize,
    /// Requests waiting for a slot.
    pub max_queued: usize,
    /// Longest wait for a slot.
    pub queue_timeout: Duration,
    /// `Retry-After` of a `503`, in seconds.
    pub retry_after_secs: u32,
    /// Live streams open at once.
    pub max_live_streams: usize,
}

impl LimitsConfig {
    /// The limits in force for a pool of `pool_size` connections on `cores` cores.
    ///
    /// A request holds a database connection only while its queries run; the rest of its time
    /// goes to rendering and serialising, so about as many again as the pool can be busy
    /// usefully. More than that would only wait in the pool's own queue, bounded by nothing
    /// but the acquire timeout; here they wait in a queue of known length and time instead.
    /// At least `MIN_IN_FLIGHT`: a small pool serves short requests (one conversation, the
    /// counts) tens of thousands a second, and waiting in its own queue costs them little.
    pub fn resolve(&self, pool_size: u32, cores: usize) -> Limits {
        let derived = (2 * pool_size as usize)
            .max(4 * cores.max(1))
            .max(MIN_IN_FLIGHT);
        let max_in_flight = self.max_in_flight.map_or(derived, |n| n as usize);
        Limits {
            max_in_flight,
            max_queued: self.max_queued.map_or(4 * max_in_flight, |n| n as usize),
            queue_timeout: Duration::from_millis(self.queue_timeout_ms),
            retry_after_secs: self.retry_after_secs,
            max_live_streams: self.max_live_streams as usize,
        }
    }

    /// Checks values that parse but make no sense.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.max_in_flight == Some(0) {
            return Err(ConfigError(
                "limits.max_in_flight must be at least 1 (leave it out for the default)".into(),
            ));
        }
        if self.queue_timeout_ms > 60_000 {
            return Err(ConfigError(
                "limits.queue_timeout_ms must be at most 60000 (a minute)".into(),
            ));
        }
        if !(1..=3600).contains(&self.retry_after_secs) {
            return Err(ConfigError(
                "limits.retry_after_secs must be between 1 and 3600".into(),
            ));
        }
        if self.max_live_streams == 0 {
            return Err(ConfigError(
                "limits.max_live_streams must be at least 1".into(),
            ));
        }
        Ok(())
    }
}

/// The number of cores this process may use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_pool_and_the_cores() {
        let limits = LimitsConfig::default().resolve(10, 2);
        assert_eq!(limits.max_in_flight, 20, "twice the pool");
        assert_eq!(limits.max_queued, 80);
        let limits = LimitsConfig::default().resolve(2, 8);
        assert_eq!(limits.max_in_flight, 32, "at least four per core");
        let limits = LimitsConfig::default().resolve(4, 2);
        assert_eq!(limits.max_in_flight, MIN_IN_FLIGHT, "never fewer than 20");
        assert_eq!(limits.max_queued, 80);
        let set = LimitsConfig {
            max_in_flight: Some(3),
            max_queued: Some(0),
            ..LimitsConfig::default()
        };
        let limits = set.resolve(10, 2);
        assert_eq!((limits.max_in_flight, limits.max_queued), (3, 0));
    }

    #[test]
    fn nonsense_is_refused_naming_the_key() {
        let bad = [
            LimitsConfig {
                max_in_flight: Some(0),
                ..LimitsConfig::default()
            },
            LimitsConfig {
                retry_after_secs: 0,
                ..LimitsConfig::default()
            },
            LimitsConfig {
                max_live_streams: 0,
                ..LimitsConfig::default()
            },
            LimitsConfig {
                queue_timeout_ms: 3_600_000,
                ..LimitsConfig::default()
            },
        ];
        for config in bad {
            let error = config.validate().err().map(|e| e.to_string());
            assert!(
                error.as_deref().is_some_and(|e| e.contains("limits.")),
                "{config:?}: {error:?}"
            );
        }
        assert!(LimitsConfig::default().validate().is_ok());
    }
}
