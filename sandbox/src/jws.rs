//! RS256 signatures in NIC's shape (nic-rules B.10): `SignedInvoice` and `SignedQRCode` are
//! compact JWS whose header is `{"alg":"RS256","kid":...,"typ":"JWT","x5t":...}` and whose claims
//! are `{"data": "<payload JSON as a string>", "iss": "NIC Sandbox"}`.
//!
//! NIC's `kid` is the upper-case hex SHA-1 thumbprint of its signing certificate, `x5t` the same
//! 20 bytes in base64url. The sandbox has a key, not a certificate, so it takes the SHA-1 of the
//! DER-encoded public key (SubjectPublicKeyInfo) instead; the public key is served as a JWK at
//! `/.well-known/jwks.json` under that `kid`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Value};
use sha1::{Digest, Sha1};
use sha2::Sha256;

/// The issuer NIC's sandbox writes into its tokens.
pub const ISSUER: &str = "NIC Sandbox";

/// What computes RS256 signatures.
enum Backend {
    /// The pure-Rust `rsa` crate (default).
    #[cfg(not(feature = "ring"))]
    Rsa(rsa::pkcs1v15::SigningKey<Sha256>),
    /// ring (feature `ring`), about twice as fast.
    #[cfg(feature = "ring")]
    Ring(ring::signature::RsaKeyPair, ring::rand::SystemRandom),
}

/// The signing key and what is derived from it.
pub struct Signer {
    key: Backend,
    public: RsaPublicKey,
    kid: String,
    x5t: String,
    header_b64: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("kid", &self.kid).finish()
    }
}

impl Signer {
    /// A fresh 2048-bit key from the operating system's randomness.
    pub fn generate() -> Result<Signer, String> {
        let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)
            .map_err(|e| format!("cannot generate an RSA key: {e}"))?;
        Signer::from_key(key)
    }

    /// A key read from PEM: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`).
    pub fn from_pem(pem: &str) -> Result<Signer, String> {
        let key = RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
            .map_err(|e| format!("cannot read the RSA private key: {e}"))?;
        Signer::from_key(key)
    }

    fn from_key(key: RsaPrivateKey) -> Result<Signer, String> {
        let public = key.to_public_key();
        let der = public
            .to_public_key_der()
            .map_err(|e| format!("cannot encode the public key: {e}"))?;
        let thumb = Sha1::digest(der.as_bytes());
        let kid: String = thumb.iter().map(|b| format!("{b:02X}")).collect();
        let x5t = URL_SAFE_NO_PAD.encode(thumb);
        let header = json!({"alg": "RS256", "kid": kid, "typ": "JWT", "x5t": x5t});
        let header_b64 = URL_SAFE_NO_PAD.encode(header.to_string());
        Ok(Signer {
            key: backend(key)?,
            public,
            kid,
            x5t,
            header_b64,
        })
    }

    /// The key id (`kid`).
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Signs `payload` (any JSON) as NIC does: the payload's JSON text goes into the `data` claim.
    pub fn sign_data(&self, payload: &Value) -> String {
        let claims = json!({"data": payload.to_string(), "iss": ISSUER});
        self.sign_claims(&claims)
    }

    /// A compact JWS of `claims`.
    pub fn sign_claims(&self, claims: &Value) -> String {
        let mut out = String::with_capacity(self.header_b64.len() + 1024);
        out.push_str(&self.header_b64);
        out.push('.');
        out.push_str(&URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature = match &self.key {
            #[cfg(not(feature = "ring"))]
            Backend::Rsa(k) => {
                use rsa::signature::{SignatureEncoding, Signer as _};
                k.sign(out.as_bytes()).to_bytes().into_vec()
            }
            #[cfg(feature = "ring")]
            Backend::Ring(k, rng) => {
                let mut sig = vec![0; k.public().modulus_len()];
                k.sign(
                    &ring::signature::RSA_PKCS1_SHA256,
                    rng,
                    out.as_bytes(),
                    &mut sig,
                )
                .expect("RSA signing with a valid key does not fail");
                sig
            }
        };
        out.push('.');
        out.push_str(&URL_SAFE_NO_PAD.encode(signature));
        out
    }

    /// The JWK Set with the public key.
    pub fn jwks(&self) -> Value {
        json!({
            "keys": [{
                "kty": "RSA",
                "use": "sig",
                "alg": "RS256",
                "kid": self.kid,
                "x5t": self.x5t,
                "n": URL_SAFE_NO_PAD.encode(self.public.n().to_bytes_be()),
                "e": URL_SAFE_NO_PAD.encode(self.public.e().to_bytes_be()),
            }]
        })
    }

    /// Verifies a compact JWS made by this key and returns its claims.
    pub fn verify(&self, jws: &str) -> Option<Value> {
        use rsa::signature::Verifier;
        let (signed, sig) = jws.rsplit_once('.')?;
        let (_, claims) = signed.split_once('.')?;
        let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
        let sig = rsa::pkcs1v15::Signature::try_from(sig.as_slice()).ok()?;
        let vk = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(self.public.clone());
        vk.verify(signed.as_bytes(), &sig).ok()?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).ok()?).ok()
    }
}

#[cfg(not(feature = "ring"))]
fn backend(key: RsaPrivateKey) -> Result<Backend, String> {
    Ok(Backend::Rsa(rsa::pkcs1v15::SigningKey::<Sha256>::new(key)))
}

#[cfg(feature = "ring")]
fn backend(key: RsaPrivateKey) -> Result<Backend, String> {
    use rsa::pkcs8::EncodePrivateKey;
    let der = key
        .to_pkcs8_der()
        .map_err(|e| format!("cannot encode the RSA key: {e}"))?;
    let pair = ring::signature::RsaKeyPair::from_pkcs8(der.as_bytes())
        .map_err(|e| format!("ring refuses the RSA key: {e}"))?;
    Ok(Backend::Ring(pair, ring::rand::SystemRandom::new()))
}

/// An HMAC-SHA256 compact JWS (HS256), for the sandbox's OAuth access tokens.
pub fn hs256(secret: &[u8], claims: &Value) -> String {
    use hmac::{Hmac, Mac};
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signed = format!("{header}.{body}");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(signed.as_bytes());
    let tag = mac.finalize().into_bytes();
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(tag))
}

/// Checks an HS256 token made by [`hs256`] and returns its claims; `None` if it is malformed or
/// its signature is wrong.
pub fn hs256_verify(secret: &[u8], token: &str) -> Option<Value> {
    use hmac::{Hmac, Mac};
    let (signed, tag) = token.rsplit_once('.')?;
    let (header, body) = signed.split_once('.')?;
    if URL_SAFE_NO_PAD.decode(header).ok()? != br#"{"alg":"HS256","typ":"JWT"}"# {
        return None;
    }
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(signed.as_bytes());
    mac.verify_slice(&tag).ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).ok()?).ok()
}
