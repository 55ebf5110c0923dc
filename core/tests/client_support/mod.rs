//! Shared pieces of the client tests: the seed-002 invoice and small builders.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};

/// Seed 002's quickstart body, verbatim (place of supply 29, buyer in 27, IGST: 2172).
pub fn seed_002_verbatim() -> Value {
    let v: Value = serde_json::from_str(include_str!(
        "../../../tests/vectors/einvoice/flat-quickstart.json"
    ))
    .expect("vector is JSON");
    v["input"].clone()
}

/// Seed 002's body with place of supply 27 (the buyer's state), so IGST is right.
pub fn seed_002() -> Value {
    let mut v = seed_002_verbatim();
    v["placeOfSupplyStateCode"] = json!("27");
    v
}

/// Seed 002 with another document number.
pub fn seed_002_numbered(number: &str) -> Value {
    let mut v = seed_002();
    v["invoiceNumber"] = json!(number);
    v
}

/// Bytes of a JSON value.
pub fn bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).expect("JSON writes")
}

/// An unsigned stand-in for a NIC JWS: header.payload.signature with `data` holding `data`.
pub fn fake_jws(data: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","kid":"FAKE","typ":"JWT"}"#);
    let claims = json!({"data": data.to_string(), "iss": "NIC Sandbox"});
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.{}", URL_SAFE_NO_PAD.encode([7u8; 256]))
}
