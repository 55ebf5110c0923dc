//! The sandbox clock: real time plus an offset that tests (and the admin endpoint) can move, so
//! the 24-hour cancel window, token expiry, idempotency replay and webhook retries can all be
//! crossed in a test that takes a second.
//!
//! Every rule of the core takes `now` as an argument; the sandbox passes this clock's `now`.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{TimeDelta, Utc};
use onefinops_core::calendar::{ist, Timestamp};
/// The most a duration may move the clock by: about ten years (a larger one is a typo, and
/// would overflow chrono's dates soon after).
const MAX_SECS: i64 = 10 * 366 * 86_400;

/// Reads a duration of the sandbox clock: whole seconds with an optional suffix `s`, `m`, `h` or
/// `d` (`90`, `25h`, `-1d`), at most ten years either way. One reader for the
/// `X-Sandbox-Clock-Advance` header, `--clock-offset` and `--queue-delay`, so they accept the
/// same text.
pub fn parse_seconds(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let (num, mult) = match t.chars().last() {
        Some('s') => (&t[..t.len() - 1], 1),
        Some('m') => (&t[..t.len() - 1], 60),
        Some('h') => (&t[..t.len() - 1], 3600),
        Some('d') => (&t[..t.len() - 1], 86_400),
        _ => (t, 1),
    };
    num.trim_start_matches('+')
        .parse::<i64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|s| s.abs() <= MAX_SECS)
        .ok_or_else(|| {
            format!("`{text}` is not a number of seconds (suffix s, m, h or d; at most ten years)")
        })
}

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
    fn durations_with_suffixes() {
        assert_eq!(parse_seconds("90"), Ok(90));
        assert_eq!(parse_seconds("+25h"), Ok(25 * 3600));
        assert_eq!(parse_seconds("-1d"), Ok(-86_400));
        assert_eq!(parse_seconds(" 5m "), Ok(300));
        assert_eq!(parse_seconds("3660d"), Ok(3660 * 86_400));
        let refused = |t: &str| {
            format!("`{t}` is not a number of seconds (suffix s, m, h or d; at most ten years)")
        };
        assert_eq!(parse_seconds("soon"), Err(refused("soon")));
        assert_eq!(parse_seconds(""), Err(refused("")));
        assert_eq!(parse_seconds("3661d"), Err(refused("3661d")));
        assert_eq!(parse_seconds("99999999999d"), Err(refused("99999999999d")));
    }

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
