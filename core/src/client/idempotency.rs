//! The `Idempotency-Key` of a logical call: one per call, sent on every retry of it.
//!
//! How the key is made depends on what the call creates:
//!
//! - **A document (e-invoice create / generate, e-way bill generate, e-way bill by IRN, bulk)**:
//!   derived from what identifies the document and a digest of the exact body
//!   sent: `ofn-<op>-<32 hex of the document identity>-<24 hex of SHA-256(body)>`. For an
//!   e-invoice the identity is the IRN, i.e. the tuple (seller GSTIN, financial year, type,
//!   number) the IRP deduplicates on. So a process that restarts and sends the same invoice again
//!   reuses the key and gets the stored answer (no second IRN, no duplicate charge), while a
//!   *corrected* body gets a new key and is executed, instead of replaying the error the bad
//!   body got within the 24-hour window.
//! - **Anything else that changes state (cancels, reject, Part-B, extend, transporter, credential
//!   writes)**: a random key from the engine's RNG, `ofn-<op>-<32 hex>`, still reused on every
//!   retry of the call. An action's body does not identify its outcome: a cancel refused because
//!   an e-way bill was active is right, with the very same body, once that bill is cancelled,
//!   and must not replay the stored refusal; two identical Part-B updates are two updates.
//!
//! The flip side of a derived key: within the 24-hour replay window, resending the very same body
//! replays the stored answer, a refusal included (the server stores NIC's final refusals, not
//! 429 / 503 / retryable answers). To resend an unchanged document after fixing something outside
//! it (a GSP credential, say), pass a new [`super::CallOptions::idempotency_key`].
//!
//! A caller may always bring its own key ([`super::CallOptions::idempotency_key`]).

use sha2::{Digest, Sha256};

use super::retry::Rng;

fn hex(bytes: &[u8], chars: usize) -> String {
    let mut s = String::with_capacity(chars);
    for b in bytes {
        if s.len() >= chars {
            break;
        }
        s.push_str(&format!("{b:02x}"));
    }
    s.truncate(chars);
    s
}

/// SHA-256 of `body`, lower-case hex.
pub fn body_digest(body: &[u8]) -> String {
    hex(&Sha256::digest(body), 64)
}

/// The key of a call that creates or changes the document identified by `identity` (for an
/// e-invoice, its IRN), with exactly `body`.
pub fn derived(op: &str, identity: &str, body: &[u8]) -> String {
    let id = hex(&Sha256::digest(identity.as_bytes()), 32);
    let digest = hex(&Sha256::digest(body), 24);
    format!("ofn-{op}-{id}-{digest}")
}

/// A fresh key for a call with no natural identity.
pub fn random(op: &str, rng: &mut Rng) -> String {
    format!("ofn-{op}-{:016x}{:016x}", rng.next_u64(), rng.next_u64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_keys_follow_identity_and_body() {
        let a = derived("einv", "irn1", b"{}");
        assert_eq!(
            a,
            derived("einv", "irn1", b"{}"),
            "a restart reuses the key"
        );
        assert_ne!(
            a,
            derived("einv", "irn1", b"{ }"),
            "a corrected body gets a new key"
        );
        assert_ne!(a, derived("einv", "irn2", b"{}"));
        assert!(a.len() <= 255 && a.bytes().all(|b| b.is_ascii_graphic()));
        let mut rng = Rng::new(3);
        assert_ne!(random("x", &mut rng), random("x", &mut rng));
    }
}
