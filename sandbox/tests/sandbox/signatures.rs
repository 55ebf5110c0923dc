//! signedInvoice and signedQrCode verify with the key published at /.well-known/jwks.json, and
//! carry NIC's payloads (nic-rules B.10).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::signature::Verifier;
use rsa::{BigUint, RsaPublicKey};
use serde_json::Value;

use crate::common::*;

/// Verifies a compact RS256 JWS with a JWK and returns (header, claims).
fn verify(jws: &str, jwk: &Value) -> (Value, Value) {
    let n = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap());
    let e = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap()).unwrap());
    let key = RsaPublicKey::new(n, e).unwrap();
    let (signed, sig) = jws.rsplit_once('.').unwrap();
    let sig = rsa::pkcs1v15::Signature::try_from(URL_SAFE_NO_PAD.decode(sig).unwrap().as_slice())
        .unwrap();
    rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key)
        .verify(signed.as_bytes(), &sig)
        .expect("the signature verifies with the JWKS key");
    let (h, c) = signed.split_once('.').unwrap();
    (
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).unwrap()).unwrap(),
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(c).unwrap()).unwrap(),
    )
}

#[test]
fn jws_verifies_with_the_jwks_key_and_carries_nic_payloads() {
    let sb = start();
    let base = sb.base_url();
    let t = token(&base);
    let inv = create(&base, &t, &flat_invoice("INV-JWS-1")).json();
    let jwks = get(&format!("{base}/.well-known/jwks.json"), &[]).json();
    let jwk = &jwks["keys"][0];
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["alg"], "RS256");

    let (header, claims) = verify(inv["signedInvoice"].as_str().unwrap(), jwk);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["kid"], jwk["kid"]);
    let kid = header["kid"].as_str().unwrap();
    assert!(
        kid.len() == 40
            && kid
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase())
    );
    assert_eq!(claims["iss"], "NIC Sandbox");
    let data: Value =
        serde_json::from_str(claims["data"].as_str().expect("data is a JSON string")).unwrap();
    assert_eq!(data["Irn"], inv["irn"]);
    assert_eq!(
        data["AckNo"].to_string(),
        inv["ackNumber"].as_str().unwrap()
    );
    assert_eq!(data["DocDtls"]["No"], "INV-JWS-1");
    assert_eq!(data["DocDtls"]["Dt"], "04/05/2026");
    assert_eq!(data["SellerDtls"]["Gstin"], "29ABCDE1234F1Z5");
    // The core's own reader takes the payload out the same way.
    let decoded = onefinops_core::einvoice::dupirn::decode_signed_invoice_unverified(
        inv["signedInvoice"].as_str().unwrap(),
    )
    .unwrap();
    assert_eq!(decoded, data);

    let (_, claims) = verify(inv["signedQrCode"].as_str().unwrap(), jwk);
    let qr: Value = serde_json::from_str(claims["data"].as_str().unwrap()).unwrap();
    let mut keys: Vec<&str> = qr.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut expected = [
        "SellerGstin",
        "BuyerGstin",
        "DocNo",
        "DocTyp",
        "DocDt",
        "TotInvVal",
        "ItemCnt",
        "MainHsnCode",
        "Irn",
        "IrnDt",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(qr["Irn"], inv["irn"]);
    assert_eq!(qr["BuyerGstin"], "27FGHIJ5678K1Z2");
    assert_eq!(qr["DocTyp"], "INV");
    assert_eq!(qr["DocDt"], "04/05/2026");
    assert_eq!(qr["TotInvVal"].to_string(), "11800");
    assert_eq!(qr["ItemCnt"], 1);
    assert_eq!(qr["MainHsnCode"], "998314");
    let irn_dt = qr["IrnDt"].as_str().unwrap();
    assert!(
        onefinops_core::calendar::parse_einvoice_timestamp(irn_dt).is_ok(),
        "{irn_dt}"
    );

    // A tampered token does not verify.
    let jws = inv["signedQrCode"].as_str().unwrap();
    let (signed, sig) = jws.rsplit_once('.').unwrap();
    let mut tampered = signed.to_owned();
    tampered.push('A');
    let result = std::panic::catch_unwind(|| verify(&format!("{tampered}.{sig}"), jwk));
    assert!(result.is_err());
}
