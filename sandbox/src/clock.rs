//! The sandbox clock: real time plus an offset that tests (and the admin endpoint) can move, so
//! the 24-hour cancel window, token expiry, idempotency replay and webhook retries can all be
//! crossed in a test that takes a second.
//!
//! Every rule of the core takes `now` as an argument; the sandbox passes this clock's `now`.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{TimeDelta, Utc};
use onefinops_core::calendar::{ist, Timestamp};

/// Real time + an adjustable offset, in milliseconds.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// A clock `offset_secs` ahead of real time (behind when negative).
    pub fn new(offset_secs: i64) -> Self {
        Clock {
            offset_ms: AtomicI64::new(offset_secs.saturating_mul(1000)),
        }
    }

    /// Now, in IST (the zone of every NIC timestamp).
    pub fn now(&self) -> Timestamp {
        let offset = TimeDelta::milliseconds(self.offset_ms.load(Ordering::Relaxed));
        (Utc::now() + offset).with_timezone(&ist())
    }

    /// Moves the clock forward by `secs` (backward when negative).
    pub fn advance(&self, secs: i64) {
        self.offset_ms
            .fetch_add(secs.saturating_mul(1000), Ordering::Relaxed);
    }

    /// Sets the clock so that `now()` is `at`.
    pub fn set(&self, at: Timestamp) {
        let delta = at.with_timezone(&Utc) - Utc::now();
        self.offset_ms
            .store(delta.num_milliseconds(), Ordering::Relaxed);
    }

    /// The current offset from real time, in seconds.
    pub fn offset_secs(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed) / 1000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_now() {
        let c = Clock::new(0);
        let a = c.now();
        c.advance(86_400);
        let b = c.now();
        assert!((b - a).num_seconds() >= 86_400);
        assert_eq!(c.offset_secs(), 86_400);
    }
}
