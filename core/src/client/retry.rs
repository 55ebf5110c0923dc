//! What is retried, and after how long.
//!
//! | answer | what the engine does |
//! |---|---|
//! | no connection, connection broken, timeout | retry (same idempotency key) |
//! | 409 `idempotency.conflict` (the first request with the key is still running) | retry |
//! | 503 `upstream.unavailable` | retry |
//! | 504 / 408 `timeout` | retry |
//! | 429 `rate_limited` | wait `Retry-After` (+ up to 100 ms jitter) and retry; a `Retry-After` above [`RetryPolicy::retry_after_cap`] is returned at once; without the header, backoff |
//! | 401 `auth.invalid_token` | mint a new token and send again, once per call; a second 401 is final |
//! | 400, 403, 404, 422, 500, 502 | final: the same request cannot succeed (a 502 is NIC's verdict on the document; the server's own worker already retried NIC's transient codes) |
//!
//! A request is sent at most `1 + max_retries` times (default 4). Backoff before retry `n`
//! (1-based) is `d = min(base * 2^(n-1), max)`, jittered uniformly in `[d/2, d]` ("equal jitter":
//! never less than half, so a storm still spreads out, never more than the cap). The jitter comes
//! from [`Rng`], a splitmix64 generator seeded by the caller, so tests are deterministic.

use std::time::Duration;

use super::config::{PollPolicy, RetryPolicy};

/// splitmix64: small, fast, good enough for jitter and idempotency-key suffixes. Not for secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng(u64);

impl Rng {
    /// A generator with this seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..=max`.
    pub fn up_to(&mut self, max: u64) -> u64 {
        if max == u64::MAX {
            return self.next_u64();
        }
        // Multiply-shift: unbiased enough for jitter.
        ((u128::from(self.next_u64()) * u128::from(max + 1)) >> 64) as u64
    }
}

/// What an answer (or the lack of one) means for the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Retry after backoff.
    Retry,
    /// Rate limited: retry after this many seconds if given, else after backoff.
    RetryAfter(Option<u64>),
    /// Mint a new token, then send again (once per call).
    Reauth,
    /// Final: return the error.
    Final,
}

/// The disposition of an HTTP error status.
pub fn disposition(status: u16, retry_after: Option<u64>) -> Disposition {
    match status {
        409 | 503 | 504 | 408 => Disposition::Retry,
        429 => Disposition::RetryAfter(retry_after),
        401 => Disposition::Reauth,
        _ => Disposition::Final,
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The exponential ceiling of retry `n` (1-based): `min(base * 2^(n-1), max)`, in ms.
pub fn ceiling_ms(base: Duration, max: Duration, n: u32) -> u64 {
    let shift = n.saturating_sub(1).min(32);
    millis(base).saturating_mul(1u64 << shift).min(millis(max))
}

/// The backoff before retry `n` (1-based), in ms: uniformly in `[d/2, d]`.
pub fn backoff_ms(policy: &RetryPolicy, n: u32, rng: &mut Rng) -> u64 {
    jittered(ceiling_ms(policy.base_delay, policy.max_delay, n), rng)
}

/// The wait before poll `n` (1-based), in ms: uniformly in `[d/2, d]`.
pub fn poll_ms(policy: &PollPolicy, n: u32, rng: &mut Rng) -> u64 {
    jittered(
        ceiling_ms(policy.initial_interval, policy.max_interval, n),
        rng,
    )
}

fn jittered(d: u64, rng: &mut Rng) -> u64 {
    let half = d / 2;
    half + rng.up_to(d - half)
}

/// The wait for a 429's `Retry-After` of `secs`, in ms (plus up to 100 ms of jitter so that
/// clients told the same second do not all come back at once); `None` past the cap.
pub fn retry_after_ms(policy: &RetryPolicy, secs: u64, rng: &mut Rng) -> Option<u64> {
    let wait = secs.saturating_mul(1000);
    if wait > millis(policy.retry_after_cap) {
        return None;
    }
    Some(wait + rng.up_to(100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_in_bounds() {
        let p = RetryPolicy::default();
        let mut rng = Rng::new(7);
        for n in 1..=10 {
            let ceil = ceiling_ms(p.base_delay, p.max_delay, n);
            for _ in 0..200 {
                let d = backoff_ms(&p, n, &mut rng);
                assert!(
                    d >= ceil / 2 && d <= ceil,
                    "retry {n}: {d} not in [{}, {ceil}]",
                    ceil / 2
                );
            }
        }
        assert_eq!(ceiling_ms(p.base_delay, p.max_delay, 1), 500);
        assert_eq!(ceiling_ms(p.base_delay, p.max_delay, 3), 2000);
        assert_eq!(ceiling_ms(p.base_delay, p.max_delay, 30), 20_000);
    }

    #[test]
    fn same_seed_same_jitter() {
        let p = RetryPolicy::default();
        let a: Vec<u64> = (1..5)
            .map(|n| backoff_ms(&p, n, &mut Rng::new(42)))
            .collect();
        let b: Vec<u64> = (1..5)
            .map(|n| backoff_ms(&p, n, &mut Rng::new(42)))
            .collect();
        assert_eq!(a, b);
    }

    #[test]
    fn retry_after_cap() {
        let p = RetryPolicy::default();
        let mut rng = Rng::new(1);
        let w = retry_after_ms(&p, 2, &mut rng).unwrap();
        assert!((2000..=2100).contains(&w));
        assert_eq!(retry_after_ms(&p, 61, &mut rng), None);
        assert!(retry_after_ms(&p, 60, &mut rng).is_some());
    }

    #[test]
    fn dispositions() {
        for s in [409, 503, 504, 408] {
            assert_eq!(disposition(s, None), Disposition::Retry);
        }
        assert_eq!(disposition(429, Some(3)), Disposition::RetryAfter(Some(3)));
        assert_eq!(disposition(401, None), Disposition::Reauth);
        for s in [400, 403, 404, 422, 500, 502] {
            assert_eq!(disposition(s, None), Disposition::Final);
        }
    }
}
