//! GSP credentials: onboard, list, get, verify, rotate (dual key), revoke, delete; passwords never
//! returned or logged; IRN generation follows the credential.

use onefinops_sandbox::Scope;
use serde_json::json;

use crate::common::*;

#[test]
fn credential_lifecycle_and_its_effect_on_irn_generation() {
    let sb = start_with(config(vec![client(
        "ofin_test_new",
        &["29AAFCC9980M1ZR"],
        Scope::Full,
    )]));
    let base = sb.base_url();
    let auth = bearer(&token_for(&base, "ofin_test_new", "ofin_test_new-secret"));
    let url = format!("{base}/v1/gsp-credentials");
    let mut inv: serde_json::Value = serde_json::from_str(&flat_invoice("INV-GSP-1")).unwrap();
    inv["seller"]["gstin"] = "29AAFCC9980M1ZR".into();
    let inv = inv.to_string();
    let einv = format!("{base}/v1/einvoices");
    assert_eq!(
        post(&einv, &[("Authorization", &auth)], &inv).code(),
        "irp_credentials.not_configured"
    );

    let a = post(
        &url,
        &[("Authorization", &auth)],
        &json!({"gstin": "29AAFCC9980M1ZR", "portal": "irp", "username": "acme_api", "password": "first-Secret-1"}).to_string(),
    );
    assert_eq!(a.status, 201, "{}", a.text());
    assert!(!a.text().contains("first-Secret-1"));
    let c = a.json();
    let id = c["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("gspc_"));
    assert_eq!(c["status"], "unverified");
    assert!(c.get("password").is_none());
    // Another GSTIN's credential: 403.
    let a = post(
        &url,
        &[("Authorization", &auth)],
        &json!({"gstin": "29ABCDE1234F1Z5", "portal": "irp", "username": "x", "password": "y"})
            .to_string(),
    );
    assert_eq!(a.status, 403);

    let v = post(
        &format!("{url}/{id}/verify"),
        &[("Authorization", &auth)],
        "",
    );
    assert_eq!(v.status, 200, "{}", v.text());
    assert_eq!(v.json()["status"], "verified");
    assert_eq!(post(&einv, &[("Authorization", &auth)], &inv).status, 201);

    // Rotate: both keys active until the old one is revoked.
    let r = post(
        &format!("{url}/{id}/rotate"),
        &[("Authorization", &auth)],
        r#"{"password": "second-Secret-2"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let keys = r.json()["keys"].as_array().unwrap().clone();
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|k| k["active"] == true));
    let old_key = keys[0]["id"].as_str().unwrap();
    let d = delete(
        &format!("{url}/{id}/keys/{old_key}"),
        &[("Authorization", &auth)],
    );
    assert_eq!(d.status, 200, "{}", d.text());
    assert_eq!(d.json()["keys"][0]["active"], false);
    assert_eq!(d.json()["keys"][1]["active"], true);

    // The portal refuses one password: verify fails with NIC's code, and the credential stops
    // counting.
    post(
        &format!("{url}/{id}/rotate"),
        &[("Authorization", &auth)],
        r#"{"password": "wrong-password"}"#,
    );
    let v = post(
        &format!("{url}/{id}/verify"),
        &[("Authorization", &auth)],
        "",
    );
    assert_eq!(v.status, 502);
    assert_eq!(v.json()["error"]["upstream"]["code"], "1019");
    assert_eq!(
        get(&format!("{url}/{id}"), &[("Authorization", &auth)]).json()["status"],
        "failed"
    );

    let list = get(
        &format!("{url}?gstin=29AAFCC9980M1ZR"),
        &[("Authorization", &auth)],
    )
    .json();
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let d = delete(&format!("{url}/{id}"), &[("Authorization", &auth)]);
    assert_eq!(d.json()["deleted"], true);
    assert_eq!(
        get(&format!("{url}/{id}"), &[("Authorization", &auth)]).status,
        404
    );

    // No password anywhere in the request log.
    let log = get(&format!("{base}/_sandbox/requests?limit=1000"), &[]).text();
    for secret in ["first-Secret-1", "second-Secret-2", "wrong-password"] {
        assert!(
            !log.contains(secret),
            "{secret} leaked into the request log"
        );
    }
}
