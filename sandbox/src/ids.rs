//! Identifiers: object ids (`einv_...`), request ids, acknowledgement numbers and e-way bill
//! numbers.
//!
//! Deterministic: object ids are 26 Crockford base-32 characters in the shape of a ULID (48 bits
//! of sandbox-clock milliseconds, then 80 bits from a counter mixed with the configured seed), so
//! the same seed, clock and sequence of calls give the same ids. No randomness of the OS is used.

use std::sync::atomic::{AtomicU64, Ordering};

use onefinops_core::calendar::Timestamp;

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The id generator.
#[derive(Debug)]
pub struct Ids {
    seed: u64,
    counter: AtomicU64,
    ack: AtomicU64,
    ewb: AtomicU64,
}

/// SplitMix64: a small, well-distributed mixing function.
pub fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Ids {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Ids {
            seed,
            counter: AtomicU64::new(0),
            // Start the numbering somewhere that depends on the seed, so numbers look like NIC's
            // rather than 000...001, while staying reproducible.
            ack: AtomicU64::new(splitmix64(seed) % 1_000_000_000),
            ewb: AtomicU64::new(splitmix64(seed ^ 0xE3B) % 1_000_000_000),
        }
    }

    /// Moves the counters past numbers already issued (after loading persisted state).
    pub fn resume(&self, counter: u64, ack: u64, ewb: u64) {
        self.counter.fetch_max(counter, Ordering::Relaxed);
        self.ack.fetch_max(ack, Ordering::Relaxed);
        self.ewb.fetch_max(ewb, Ordering::Relaxed);
    }

    /// The counters, for persistence.
    pub fn counters(&self) -> (u64, u64, u64) {
        (
            self.counter.load(Ordering::Relaxed),
            self.ack.load(Ordering::Relaxed),
            self.ewb.load(Ordering::Relaxed),
        )
    }

    /// `prefix_` + 26 characters, e.g. `einv_01HRXY8N0E5PC6V0Z6P8Q1ABCD`.
    pub fn object_id(&self, prefix: &str, now: &Timestamp) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let ms = u128::from(now.timestamp_millis().max(0) as u64) & ((1 << 48) - 1);
        let hi = splitmix64(self.seed ^ n);
        let lo = splitmix64(hi ^ n.rotate_left(17));
        let rand80 = (u128::from(hi) << 16 | u128::from(lo & 0xFFFF)) & ((1 << 80) - 1);
        let value = ms << 80 | rand80;
        let mut out = String::with_capacity(prefix.len() + 27);
        out.push_str(prefix);
        out.push('_');
        for i in (0..26).rev() {
            let idx = ((value >> (i * 5)) & 0x1F) as usize;
            out.push(char::from(CROCKFORD[idx]));
        }
        out
    }

    /// A 15-digit acknowledgement number whose first digit is 1 (the IRP that issued it is
    /// e-Invoice1, nic-rules C.13), then the two-digit year, then twelve digits.
    pub fn ack_number(&self, now: &Timestamp) -> u64 {
        use chrono::Datelike;
        let n = self.ack.fetch_add(1, Ordering::Relaxed) + 1;
        let yy = u64::from((now.year() % 100) as u32);
        100_000_000_000_000 + yy * 1_000_000_000_000 + (n % 1_000_000_000_000)
    }

    /// A 12-digit e-way bill number, NIC-style (`3...........`).
    pub fn ewb_number(&self) -> u64 {
        let n = self.ewb.fetch_add(1, Ordering::Relaxed) + 1;
        300_000_000_000 + (n % 100_000_000_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onefinops_core::calendar::parse_einvoice_timestamp;

    #[test]
    fn shapes() {
        let ids = Ids::new(7);
        let now = parse_einvoice_timestamp("2026-05-04 17:12:18").unwrap();
        let id = ids.object_id("einv", &now);
        assert_eq!(id.len(), 5 + 26);
        assert!(id.starts_with("einv_01"), "{id}");
        let ack = ids.ack_number(&now);
        assert_eq!(ack.to_string().len(), 15);
        assert!(ack.to_string().starts_with("126"));
        assert_eq!(ids.ewb_number().to_string().len(), 12);
        // Deterministic for the same seed and sequence.
        let again = Ids::new(7);
        assert_eq!(again.object_id("einv", &now), id);
    }
}
