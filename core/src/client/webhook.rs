//! Verifying webhook deliveries (seed 001: "Signed payloads with HMAC"; seed 004: "verify with
//! the shared secret").
//!
//! Each delivery carries `OneFinOps-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
//! "<t>.<raw body>")>` (the sandbox's format, `sandbox/src/webhooks.rs`). To accept it:
//!
//! 1. read `t` and every `v1` from the header (more than one `v1` may appear while a secret is
//!    being rotated; any one matching is enough; unknown schemes are ignored);
//! 2. compute HMAC-SHA256 over the bytes `t`, `.`, and the **raw** body (never a re-serialised
//!    one), and compare with each `v1` in constant time;
//! 3. refuse a `t` more than the tolerance (default 5 minutes) away from now, either way, so a
//!    captured delivery cannot be replayed later.
//!
//! Only then is the body parsed as the event `{"id", "type", "createdAt", "data": {"object"}}`.

use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::Value;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::credentials::Secret;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "OneFinOps-Signature";

/// The default timestamp tolerance, in seconds.
pub const DEFAULT_TOLERANCE_SECS: u64 = 300;

/// Why a delivery was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// The header is missing pieces or is not `t=...,v1=...`.
    #[error("malformed OneFinOps-Signature header: {0}")]
    MalformedHeader(String),
    /// No `v1` signature matches.
    #[error("no v1 signature matches the body")]
    SignatureMismatch,
    /// `t` is too far from now.
    #[error(
        "the signature timestamp is {skew_secs} s away from now (tolerance {tolerance_secs} s)"
    )]
    TimestampOutOfTolerance {
        /// How far, in seconds.
        skew_secs: u64,
        /// The tolerance.
        tolerance_secs: u64,
    },
    /// The (authentic) body is not an event.
    #[error("the body is not an event: {0}")]
    BadPayload(String),
}

impl WebhookError {
    /// A stable code (`webhook.*`).
    pub fn code(&self) -> &'static str {
        match self {
            WebhookError::MalformedHeader(_) => "webhook.malformed_header",
            WebhookError::SignatureMismatch => "webhook.signature_mismatch",
            WebhookError::TimestampOutOfTolerance { .. } => "webhook.timestamp",
            WebhookError::BadPayload(_) => "webhook.bad_payload",
        }
    }
}

/// A verified event.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEvent {
    /// `evt_...` (deliveries are at least once: deduplicate on it).
    pub id: String,
    /// `einvoice.generated`, `ewaybill.cancelled`, ...
    #[serde(rename = "type")]
    pub event_type: String,
    /// When it happened.
    #[serde(default)]
    pub created_at: Option<String>,
    /// `{"object": {...}}`.
    #[serde(default)]
    pub data: Value,
}

/// The parts of a signature header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeader {
    /// Unix seconds.
    pub timestamp: i64,
    /// The `v1` signatures, decoded from hex.
    pub signatures: Vec<Vec<u8>>,
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 || s.is_empty() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Reads `t=...,v1=...[,v1=...]`.
pub fn parse_header(header: &str) -> Result<SignatureHeader, WebhookError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        let Some((k, v)) = part.trim().split_once('=') else {
            continue;
        };
        match k.trim() {
            "t" => {
                timestamp = Some(v.trim().parse::<i64>().map_err(|_| {
                    WebhookError::MalformedHeader(format!("t=`{v}` is not unix seconds"))
                })?)
            }
            "v1" => signatures.push(
                from_hex(v.trim())
                    .ok_or_else(|| WebhookError::MalformedHeader("v1 is not hex".into()))?,
            ),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or_else(|| WebhookError::MalformedHeader("no t=".into()))?;
    if signatures.is_empty() {
        return Err(WebhookError::MalformedHeader("no v1=".into()));
    }
    Ok(SignatureHeader {
        timestamp,
        signatures,
    })
}

fn mac(secret: &Secret, timestamp: i64, body: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes())
        .expect("HMAC takes a key of any length");
    m.update(timestamp.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m.finalize().into_bytes().to_vec()
}

/// The header value for `body` signed at `timestamp` (for tests and for relaying).
pub fn sign(secret: &Secret, timestamp: i64, body: &[u8]) -> String {
    let hex: String = mac(secret, timestamp, body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={timestamp},v1={hex}")
}

/// Checks a delivery: `header` (the `OneFinOps-Signature` value), the raw `body`, the current
/// unix time and the tolerance. The signature is checked before the timestamp, so a forger learns
/// nothing from the clock.
pub fn verify(
    secret: &Secret,
    header: &str,
    body: &[u8],
    now_unix: i64,
    tolerance_secs: u64,
) -> Result<(), WebhookError> {
    let parsed = parse_header(header)?;
    let expected = mac(secret, parsed.timestamp, body);
    let mut matched = subtle::Choice::from(0u8);
    for sig in &parsed.signatures {
        // ct_eq on slices of different lengths is false without leaking where they differ.
        matched |= expected.as_slice().ct_eq(sig.as_slice());
    }
    if !bool::from(matched) {
        return Err(WebhookError::SignatureMismatch);
    }
    let skew = now_unix.abs_diff(parsed.timestamp);
    if skew > tolerance_secs {
        return Err(WebhookError::TimestampOutOfTolerance {
            skew_secs: skew,
            tolerance_secs,
        });
    }
    Ok(())
}

/// [`verify`], then the body as an event.
pub fn verify_event(
    secret: &Secret,
    header: &str,
    body: &[u8],
    now_unix: i64,
    tolerance_secs: u64,
) -> Result<WebhookEvent, WebhookError> {
    verify(secret, header, body, now_unix, tolerance_secs)?;
    serde_json::from_slice(body).map_err(|e| WebhookError::BadPayload(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"id":"evt_1","object":"event","type":"einvoice.generated","createdAt":"2026-05-04T11:42:18Z","data":{"object":{"id":"einv_1"}}}"#;

    #[test]
    fn round_trip_and_tampering() {
        let s = Secret::new("whsec_test");
        let h = sign(&s, 1_000_000, BODY);
        let ev = verify_event(&s, &h, BODY, 1_000_100, 300).unwrap();
        assert_eq!(
            (ev.id.as_str(), ev.event_type.as_str()),
            ("evt_1", "einvoice.generated")
        );
        let mut tampered = BODY.to_vec();
        tampered[10] ^= 1;
        assert_eq!(
            verify(&s, &h, &tampered, 1_000_000, 300),
            Err(WebhookError::SignatureMismatch)
        );
        assert_eq!(
            verify(&Secret::new("other"), &h, BODY, 1_000_000, 300),
            Err(WebhookError::SignatureMismatch)
        );
        assert!(matches!(
            verify(&s, &h, BODY, 1_000_301, 300),
            Err(WebhookError::TimestampOutOfTolerance { skew_secs: 301, .. })
        ));
        assert!(verify(&s, &h, BODY, 999_700, 300).is_ok());
        // The timestamp is signed too: moving it breaks the signature.
        let moved = h.replacen("t=1000000", "t=1000200", 1);
        assert_eq!(
            verify(&s, &moved, BODY, 1_000_200, 300),
            Err(WebhookError::SignatureMismatch)
        );
    }

    #[test]
    fn header_forms() {
        let s = Secret::new("k");
        let good = sign(&s, 5, b"x");
        let v1 = good.split("v1=").nth(1).unwrap();
        let rotated = format!("t=5,v1={},v0=zz,v1={v1}", "00".repeat(32));
        assert!(verify(&s, &rotated, b"x", 5, 300).is_ok());
        for bad in ["", "t=5", "v1=00", "t=x,v1=00", "t=5,v1=0g"] {
            assert!(
                matches!(
                    verify(&s, bad, b"x", 5, 300),
                    Err(WebhookError::MalformedHeader(_))
                ),
                "{bad}"
            );
        }
    }
}
