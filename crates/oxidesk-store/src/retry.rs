//! Running a write transaction again when PostgreSQL ended it over a lock conflict.
//!
//! The counts' triggers lock count rows in the same transaction as each change of a
//! conversation (docs/ARCHITECTURE.md, "Counts"). One move takes its rows in key order, but a
//! statement that moves many conversations (removing an agent, deleting a contact, an inbox or
//! a team, a batch of messages) takes them in the order it meets them, after locking each
//! conversation's row; a single move that holds a conversation's row and waits for a count row
//! such a statement holds closes a cycle as soon as the statement reaches that conversation.
//! PostgreSQL then fails one of the two with `40P01` (usually the single move: it waited
//! first). [`retrying`] runs the failed transaction again from the start, a few times with a
//! short jittered pause, so that neither caller sees it.

use std::future::Future;
use std::time::Duration;

use crate::StoreError;

/// How many times a transaction runs in all before its lock conflict is the caller's.
pub(crate) const ATTEMPTS: u32 = 5;

/// An error that says whether the transaction it ended may be run again from the start.
pub(crate) trait Contended {
    /// True when the database ended the transaction over a lock conflict and nothing of it
    /// was written.
    fn contended(&self) -> bool;
}

impl Contended for StoreError {
    fn contended(&self) -> bool {
        self.is_contended()
    }
}

/// Runs `body`, a whole write transaction (begin to commit) or one statement on its own,
/// again from the start while it fails with a lock conflict, up to [`ATTEMPTS`] times in all.
/// `body` must do nothing outside its transaction (what it appends to the event log inside it
/// is rolled back with it), so that running it twice is running it once.
pub(crate) async fn retrying<T, E, F, Fut>(mut body: F) -> Result<T, E>
where
    E: Contended + std::fmt::Display,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut attempt = 1;
    loop {
        match body().await {
            Err(error) if error.contended() && attempt < ATTEMPTS => {
                tracing::debug!(%error, attempt, "transaction ended in a lock conflict; running it again");
                tokio::time::sleep(pause(attempt)).await;
                attempt += 1;
            }
            done => return done,
        }
    }
}

/// The pause before attempt `attempt + 1`: 4, 8, 16, 32 ms times a random factor in [1, 2),
/// so that the transactions of a cycle do not meet again in step.
fn pause(attempt: u32) -> Duration {
    let base = 2_u64 << attempt.min(6);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()));
    Duration::from_micros(base * 1_000 + nanos % (base * 1_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deadlock() -> StoreError {
        StoreError::Contended(sqlx::Error::Protocol("deadlock detected".into()))
    }

    #[tokio::test]
    async fn a_lock_conflict_runs_the_body_again_until_it_succeeds() {
        let mut runs = 0;
        let done: Result<u32, StoreError> = retrying(|| {
            runs += 1;
            let run = runs;
            async move { if run < 3 { Err(deadlock()) } else { Ok(run) } }
        })
        .await;
        assert!(matches!(done, Ok(3)), "{done:?}");
    }

    #[tokio::test]
    async fn the_last_conflict_and_other_errors_are_the_callers() {
        let mut runs = 0;
        let done: Result<(), StoreError> = retrying(|| {
            runs += 1;
            async { Err(deadlock()) }
        })
        .await;
        assert!(matches!(done, Err(StoreError::Contended(_))), "{done:?}");
        assert_eq!(runs, ATTEMPTS);

        let mut runs = 0;
        let done: Result<(), StoreError> = retrying(|| {
            runs += 1;
            async { Err(StoreError::NotFound) }
        })
        .await;
        assert!(matches!(done, Err(StoreError::NotFound)));
        assert_eq!(runs, 1);
    }

    #[test]
    fn pauses_grow_and_stay_short() {
        for attempt in 1..ATTEMPTS {
            let p = pause(attempt);
            let base = Duration::from_millis(2 << attempt);
            assert!(p >= base && p < base * 2, "{p:?} for attempt {attempt}");
        }
    }
}
