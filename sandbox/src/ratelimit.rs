//! Per-client rate limits (seed 001: 10 requests per second on the developer plan), counted in
//! fixed one-second windows of real (monotonic) time, so moving the sandbox clock does not refill
//! or drain anyone's budget.
//!
//! Every response carries:
//! - `X-RateLimit-Limit`: requests allowed per window (per second);
//! - `X-RateLimit-Remaining`: requests left in the current window;
//! - `X-RateLimit-Reset`: whole seconds until the window resets (at least 1).
//!
//! Past the limit: 429 `rate_limited` with `Retry-After` (seconds, the same value as Reset) and
//! `retryAfter` in the envelope. Requests without a valid token share one anonymous budget of
//! ten times the default limit.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The outcome of counting one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateDecision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// The limit per window.
    pub limit: u32,
    /// Requests left in this window.
    pub remaining: u32,
    /// Seconds until the window resets.
    pub reset_secs: u64,
}

#[derive(Debug)]
struct Window {
    started: Instant,
    count: u32,
}

/// Counters per bucket (client id, or `anonymous`).
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, Window>>,
}

const WINDOW: Duration = Duration::from_secs(1);

impl RateLimiter {
    /// Counts one request against `bucket` with `limit` per second.
    pub fn check(&self, bucket: &str, limit: u32) -> RateDecision {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let w = windows.entry(bucket.to_owned()).or_insert(Window {
            started: now,
            count: 0,
        });
        if now.duration_since(w.started) >= WINDOW {
            w.started = now;
            w.count = 0;
        }
        let left = WINDOW.saturating_sub(now.duration_since(w.started));
        let reset_secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        let reset_secs = reset_secs.max(1);
        if w.count >= limit {
            return RateDecision {
                allowed: false,
                limit,
                remaining: 0,
                reset_secs,
            };
        }
        w.count += 1;
        RateDecision {
            allowed: true,
            limit,
            remaining: limit - w.count,
            reset_secs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_then_refuses() {
        let r = RateLimiter::default();
        let a = r.check("c", 2);
        assert!(a.allowed && a.remaining == 1);
        let b = r.check("c", 2);
        assert!(b.allowed && b.remaining == 0);
        let c = r.check("c", 2);
        assert!(!c.allowed && c.reset_secs >= 1);
        assert!(r.check("other", 2).allowed);
    }
}
