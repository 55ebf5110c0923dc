//! Verifying NIC's signatures (nic-rules B.10): `signedInvoice` and `signedQrCode` are compact
//! RS256 JWS, header `{"alg":"RS256","kid":...,"typ":"JWT","x5t":...}`, claims
//! `{"data": "<payload JSON as a string>", "iss": ...}`.
//!
//! The rules, in the order they are checked:
//! - three base64url parts; the header a JSON object;
//! - `alg` is exactly `RS256`: `none`, every `HS*` (a forger's favourite: HMAC "signed" with the
//!   public key), and every other algorithm are refused;
//! - no `crit` header (none of its extensions is understood);
//! - the key is chosen by `kid` from a configured map ([`VerificationKeys`]), because NIC rotates
//!   its signing keys; a `kid` not in the map is refused, never "tried with another key". A
//!   token without `kid` is accepted only when exactly one key is configured;
//! - RSASSA-PKCS1-v1_5 with SHA-256 over the original `header.payload` bytes (NIC's header
//!   member order varies: never re-serialise);
//! - the claims are JSON, and `data` is a JSON string (or object) holding the payload.
//!
//! Keys come from a JWKS (`/.well-known/jwks.json` of the sandbox; NIC publishes certificates,
//! whose public keys can be added by PEM or DER), at least 2048 bits. Pure Rust (`rsa` + `sha2`),
//! no system OpenSSL: a deliberate departure from DESIGN.md's `josekit`, for ERP hosts.

use std::collections::BTreeMap;
use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPublicKey};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;

use crate::error::Error;

/// The smallest RSA modulus accepted, in bits.
pub const MIN_KEY_BITS: usize = 2048;

/// Why a JWS or a key was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// Not three base64url parts, or a part that does not decode.
    #[error("not a compact JWS: {0}")]
    Malformed(String),
    /// `alg` is not RS256.
    #[error("algorithm `{0}` is refused: only RS256 is accepted")]
    Algorithm(String),
    /// A `crit` header.
    #[error("the JWS has critical header extensions ({0}), none of which is supported")]
    Critical(String),
    /// No key is configured.
    #[error("no verification key is configured")]
    NoKeys,
    /// The `kid` is not a configured key.
    #[error("key id `{0}` is not a configured verification key")]
    UnknownKid(String),
    /// No `kid`, and more than one key configured.
    #[error("the JWS names no key id and {0} keys are configured")]
    MissingKid(usize),
    /// The signature does not verify.
    #[error("the signature does not verify with key `{0}`")]
    BadSignature(String),
    /// The claims or the `data` claim are not what NIC signs.
    #[error("the signed payload is unreadable: {0}")]
    Payload(String),
    /// A key that cannot be used.
    #[error("unusable verification key: {0}")]
    Key(String),
}

impl SignatureError {
    /// A stable code (`signature.*`).
    pub fn code(&self) -> &'static str {
        match self {
            SignatureError::Malformed(_) => "signature.malformed",
            SignatureError::Algorithm(_) => "signature.algorithm",
            SignatureError::Critical(_) => "signature.critical_header",
            SignatureError::NoKeys => "signature.no_keys",
            SignatureError::UnknownKid(_) => "signature.unknown_kid",
            SignatureError::MissingKid(_) => "signature.missing_kid",
            SignatureError::BadSignature(_) => "signature.bad_signature",
            SignatureError::Payload(_) => "signature.payload",
            SignatureError::Key(_) => "signature.key",
        }
    }
}

impl From<SignatureError> for Error {
    /// The JWS handed in cannot be trusted: `invalid_argument`, with the reason and its code.
    fn from(e: SignatureError) -> Self {
        Error::invalid_argument(format!("{} ({})", e, e.code()))
    }
}

/// NIC's verification keys by `kid`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct VerificationKeys {
    keys: BTreeMap<String, RsaPublicKey>,
}

impl fmt::Debug for VerificationKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerificationKeys")
            .field("kids", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

fn b64(part: &str, what: &str) -> Result<Vec<u8>, SignatureError> {
    URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| SignatureError::Malformed(format!("{what} is not base64url: {e}")))
}

impl VerificationKeys {
    /// No keys.
    pub fn new() -> Self {
        VerificationKeys::default()
    }

    /// Adds a key under `kid` (NIC's kid: the upper-case hex SHA-1 thumbprint of its
    /// certificate).
    pub fn insert(
        &mut self,
        kid: impl Into<String>,
        key: RsaPublicKey,
    ) -> Result<(), SignatureError> {
        let bits = key.n().bits();
        if bits < MIN_KEY_BITS {
            return Err(SignatureError::Key(format!(
                "{bits}-bit RSA key; at least {MIN_KEY_BITS} bits are required"
            )));
        }
        self.keys.insert(kid.into(), key);
        Ok(())
    }

    /// Adds a PEM public key (`BEGIN PUBLIC KEY` or `BEGIN RSA PUBLIC KEY`).
    pub fn insert_pem(&mut self, kid: impl Into<String>, pem: &str) -> Result<(), SignatureError> {
        let key = RsaPublicKey::from_public_key_pem(pem)
            .or_else(|_| RsaPublicKey::from_pkcs1_pem(pem))
            .map_err(|e| SignatureError::Key(format!("not an RSA public key in PEM: {e}")))?;
        self.insert(kid, key)
    }

    /// Adds a DER public key (SubjectPublicKeyInfo or PKCS#1).
    pub fn insert_der(&mut self, kid: impl Into<String>, der: &[u8]) -> Result<(), SignatureError> {
        let key = RsaPublicKey::from_public_key_der(der)
            .or_else(|_| RsaPublicKey::from_pkcs1_der(der))
            .map_err(|e| SignatureError::Key(format!("not an RSA public key in DER: {e}")))?;
        self.insert(kid, key)
    }

    /// Adds every RSA signing key of a JWK Set (`{"keys": [{"kty": "RSA", "kid", "n", "e"}]}`).
    /// Keys of another type, or marked for encryption, are skipped; an RSA key without `kid`,
    /// or marked for another algorithm than RS256, is an error. Returns how many were added.
    pub fn add_jwks(&mut self, jwks: &[u8]) -> Result<usize, SignatureError> {
        let v: Value = serde_json::from_slice(jwks)
            .map_err(|e| SignatureError::Key(format!("the JWKS is not JSON: {e}")))?;
        let list = v
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| SignatureError::Key("the JWKS has no `keys` list".into()))?;
        let mut added = 0;
        for k in list {
            if k.get("kty").and_then(Value::as_str) != Some("RSA") {
                continue;
            }
            if k.get("use")
                .and_then(Value::as_str)
                .is_some_and(|u| u != "sig")
            {
                continue;
            }
            if let Some(alg) = k.get("alg").and_then(Value::as_str) {
                if alg != "RS256" {
                    return Err(SignatureError::Key(format!(
                        "a JWK is for `{alg}`, not RS256"
                    )));
                }
            }
            let kid = k
                .get("kid")
                .and_then(Value::as_str)
                .ok_or_else(|| SignatureError::Key("an RSA JWK has no kid".into()))?;
            let part = |name: &str| -> Result<BigUint, SignatureError> {
                let text = k
                    .get(name)
                    .and_then(Value::as_str)
                    .ok_or_else(|| SignatureError::Key(format!("JWK {kid} has no `{name}`")))?;
                Ok(BigUint::from_bytes_be(&b64(text, name)?))
            };
            let key = RsaPublicKey::new(part("n")?, part("e")?)
                .map_err(|e| SignatureError::Key(format!("JWK {kid}: {e}")))?;
            self.insert(kid, key)?;
            added += 1;
        }
        Ok(added)
    }

    /// The keys of a JWK Set.
    pub fn from_jwks(jwks: &[u8]) -> Result<Self, SignatureError> {
        let mut k = VerificationKeys::new();
        k.add_jwks(jwks)?;
        Ok(k)
    }

    /// The configured key ids.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// A JWS whose signature verified.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedJws {
    /// The key id that verified it.
    pub kid: String,
    /// The protected header.
    pub header: Value,
    /// The claims.
    pub claims: Value,
}

impl VerifiedJws {
    /// The payload NIC signed: the `data` claim, parsed.
    pub fn data(&self) -> Result<Value, SignatureError> {
        data_claim(&self.claims)
    }
}

fn data_claim(claims: &Value) -> Result<Value, SignatureError> {
    match claims.get("data") {
        Some(Value::String(s)) => serde_json::from_str(s)
            .map_err(|e| SignatureError::Payload(format!("the `data` claim is not JSON: {e}"))),
        Some(obj @ Value::Object(_)) => Ok(obj.clone()),
        _ => Err(SignatureError::Payload("no `data` claim".into())),
    }
}

/// Verifies a compact RS256 JWS against `keys` (module docs for the rules).
pub fn verify_jws(jws: &str, keys: &VerificationKeys) -> Result<VerifiedJws, SignatureError> {
    let jws = jws.trim();
    let mut parts = jws.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(SignatureError::Malformed(
            "expected three dot-separated parts".into(),
        ));
    };
    let header: Value = serde_json::from_slice(&b64(h, "the header")?)
        .map_err(|e| SignatureError::Malformed(format!("the header is not JSON: {e}")))?;
    if !header.is_object() {
        return Err(SignatureError::Malformed(
            "the header is not a JSON object".into(),
        ));
    }
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("");
    if alg != "RS256" {
        let shown = if alg.is_empty() { "(none given)" } else { alg };
        return Err(SignatureError::Algorithm(shown.to_owned()));
    }
    if let Some(crit) = header.get("crit") {
        return Err(SignatureError::Critical(crit.to_string()));
    }
    if keys.is_empty() {
        return Err(SignatureError::NoKeys);
    }
    let (kid, key) = match header.get("kid") {
        Some(Value::String(kid)) => (
            kid.clone(),
            keys.keys
                .get(kid)
                .ok_or_else(|| SignatureError::UnknownKid(kid.clone()))?,
        ),
        Some(other) => return Err(SignatureError::UnknownKid(other.to_string())),
        None if keys.len() == 1 => {
            let (kid, key) = keys.keys.iter().next().expect("one key");
            (kid.clone(), key)
        }
        None => return Err(SignatureError::MissingKid(keys.len())),
    };
    let sig = b64(s, "the signature")?;
    if sig.len() != key.size() {
        return Err(SignatureError::BadSignature(kid));
    }
    let sig = rsa::pkcs1v15::Signature::try_from(sig.as_slice())
        .map_err(|_| SignatureError::BadSignature(kid.clone()))?;
    let verifier = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key.clone());
    let signed_len = h.len() + 1 + p.len();
    verifier
        .verify(&jws.as_bytes()[..signed_len], &sig)
        .map_err(|_| SignatureError::BadSignature(kid.clone()))?;
    let claims: Value = serde_json::from_slice(&b64(p, "the payload")?)
        .map_err(|e| SignatureError::Payload(format!("the claims are not JSON: {e}")))?;
    Ok(VerifiedJws {
        kid,
        header,
        claims,
    })
}

/// Verifies a `signedInvoice` and returns the invoice NIC signed (NIC v1.1 JSON plus `Irn`,
/// `AckNo`, `AckDt`).
pub fn verify_signed_invoice(jws: &str, keys: &VerificationKeys) -> Result<Value, SignatureError> {
    verify_jws(jws, keys)?.data()
}

/// The payload of a signed QR code (nic-rules B.10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QrPayload {
    /// The supplier.
    pub seller_gstin: String,
    /// The recipient (`URP` for an unregistered one).
    pub buyer_gstin: String,
    /// The document number.
    pub doc_no: String,
    /// INV, CRN, DBN.
    pub doc_typ: String,
    /// The document date, `dd/mm/yyyy`.
    pub doc_dt: String,
    /// The total invoice value.
    pub tot_inv_val: Decimal,
    /// The number of items.
    pub item_cnt: u32,
    /// The HSN of the line with the highest taxable value.
    pub main_hsn_code: String,
    /// The IRN.
    pub irn: String,
    /// The IRN's date, `yyyy-MM-dd HH:mm:ss`.
    pub irn_dt: String,
}

/// Reads a QR payload from the `data` claim.
pub fn qr_payload(data: Value) -> Result<QrPayload, SignatureError> {
    serde_json::from_value(data)
        .map_err(|e| SignatureError::Payload(format!("not a QR payload: {e}")))
}

/// Verifies a `signedQrCode` and decodes its payload.
pub fn verify_signed_qr_code(
    jws: &str,
    keys: &VerificationKeys,
) -> Result<QrPayload, SignatureError> {
    qr_payload(verify_jws(jws, keys)?.data()?)
}

/// Decodes a QR payload **without verifying** the signature (for display; never for trust).
pub fn decode_qr_payload_unverified(jws: &str) -> Result<QrPayload, SignatureError> {
    let p =
        jws.trim().split('.').nth(1).ok_or_else(|| {
            SignatureError::Malformed("expected three dot-separated parts".into())
        })?;
    let claims: Value = serde_json::from_slice(&b64(p, "the payload")?)
        .map_err(|e| SignatureError::Payload(format!("the claims are not JSON: {e}")))?;
    qr_payload(data_claim(&claims)?)
}
