//! Tokens, scopes, GSTIN binding, secret rotation, and the failure rows of seed 003 that are about
//! who is calling (401, 403), plus 400 irp_credentials.not_configured and rate limits.

use onefinops_sandbox::config::Product;
use onefinops_sandbox::Scope;

use crate::common::*;

fn envelope_ok(a: &Answer, status: u16, code: &str) {
    assert_eq!(a.status, status, "{}", a.text());
    let e = &a.json()["error"];
    assert_eq!(e["code"], code, "{}", a.text());
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(e["requestId"].as_str(), a.header("x-request-id"));
}

#[test]
fn token_endpoint_refuses_bad_clients_and_grants() {
    let sb = start();
    let base = sb.base_url();
    let url = format!("{base}{}", onefinops_sandbox::TOKEN_PATH);
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let a = post(&url, &form, "grant_type=client_credentials&client_id=ofin_test_quickstart&client_secret=nope&scope=gstn-india");
    envelope_ok(&a, 401, "auth.invalid_token");
    let a = post(
        &url,
        &form,
        "grant_type=password&client_id=ofin_test_quickstart&client_secret=sandbox-secret",
    );
    envelope_ok(&a, 400, "invalid_argument");
    let a = post(&url, &form, "grant_type=client_credentials&client_id=ofin_test_quickstart&client_secret=sandbox-secret&scope=other");
    envelope_ok(&a, 400, "invalid_argument");
    // HTTP Basic client authentication works too.
    use base64::Engine;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("ofin_test_quickstart:sandbox-secret")
    );
    let a = post(
        &url,
        &[form[0], ("Authorization", &basic)],
        "grant_type=client_credentials",
    );
    assert_eq!(a.status, 200, "{}", a.text());
    // The secret never reaches the request log.
    let log = get(&format!("{base}/_sandbox/requests?limit=10"), &[]);
    assert!(!log.text().contains("sandbox-secret"), "{}", log.text());
    assert!(log.text().contains("[redacted]"));
}

#[test]
fn seed_003_failure_rows_401_403_400() {
    let mut cfg = config(vec![
        // A plan without e-invoicing.
        {
            let mut c = client("ofin_test_ewbonly", &["29ABCDE1234F1Z5"], Scope::Full);
            c.products = vec![Product::Ewaybill];
            c
        },
        client("ofin_test_readonly", &["29ABCDE1234F1Z5"], Scope::ReadOnly),
        client("ofin_test_other", &["27FGHIJ5678K1Z2"], Scope::Full),
        // Bound to a GSTIN that has no IRP credential.
        client("ofin_test_nocreds", &["29AAFCC9980M1ZR"], Scope::Full),
    ]);
    cfg.seed.clients[0].gstins.push("29AAFCC9980M1ZR".into());
    let sb = start_with(cfg);
    let base = sb.base_url();
    let url = format!("{base}/v1/einvoices");
    let body = flat_invoice("INV-AUTH-1");
    let json_ct = ("Content-Type", "application/json");

    // 401: missing, malformed, expired.
    envelope_ok(&post(&url, &[json_ct], &body), 401, "auth.invalid_token");
    envelope_ok(
        &post(
            &url,
            &[json_ct, ("Authorization", "Bearer not.a.token")],
            &body,
        ),
        401,
        "auth.invalid_token",
    );
    envelope_ok(
        &post(&url, &[json_ct, ("Authorization", "Basic abc")], &body),
        401,
        "auth.invalid_token",
    );
    let expiring = bearer(&token(&base));
    advance(&base, 901);
    let a = post(&url, &[json_ct, ("Authorization", &expiring)], &body);
    envelope_ok(&a, 401, "auth.invalid_token");
    assert!(a.text().contains("expired"));

    // 403: the plan lacks e-invoicing.
    let t = bearer(&token_for(
        &base,
        "ofin_test_ewbonly",
        "ofin_test_ewbonly-secret",
    ));
    envelope_ok(
        &post(&url, &[json_ct, ("Authorization", &t)], &body),
        403,
        "auth.entitlement_missing",
    );
    // 403: a read-only token on a write.
    let t = bearer(&token_for(
        &base,
        "ofin_test_readonly",
        "ofin_test_readonly-secret",
    ));
    envelope_ok(
        &post(&url, &[json_ct, ("Authorization", &t)], &body),
        403,
        "auth.entitlement_missing",
    );
    // 403: GSTIN A's token on GSTIN B's document, on create and on read.
    let t_other = bearer(&token_for(
        &base,
        "ofin_test_other",
        "ofin_test_other-secret",
    ));
    envelope_ok(
        &post(&url, &[json_ct, ("Authorization", &t_other)], &body),
        403,
        "auth.entitlement_missing",
    );
    let main = bearer(&token(&base));
    let created = post(&url, &[json_ct, ("Authorization", &main)], &body);
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_str().unwrap().to_owned();
    envelope_ok(
        &get(&format!("{url}/{id}"), &[("Authorization", &t_other)]),
        403,
        "auth.entitlement_missing",
    );
    // The read-only token may read.
    assert_eq!(
        get(&format!("{url}/{id}"), &[("Authorization", &t)]).status,
        200
    );

    // 400: no IRP credential for the seller.
    let mut v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["seller"]["gstin"] = "29AAFCC9980M1ZR".into();
    let t = bearer(&token_for(
        &base,
        "ofin_test_nocreds",
        "ofin_test_nocreds-secret",
    ));
    let a = post(&url, &[json_ct, ("Authorization", &t)], &v.to_string());
    envelope_ok(&a, 400, "irp_credentials.not_configured");

    // 404 in the envelope for an unknown record and an unknown path.
    envelope_ok(
        &get(&format!("{url}/einv_nope"), &[("Authorization", &main)]),
        404,
        "not_found",
    );
    envelope_ok(
        &get(&format!("{base}/v1/nothing"), &[("Authorization", &main)]),
        404,
        "not_found",
    );
}

#[test]
fn gstin_header_must_be_bound_and_match_the_seller() {
    let sb = start_with(config(vec![client(
        "ofin_test_ts",
        &["36AMBPG7773M002"],
        Scope::Full,
    )]));
    let base = sb.base_url();
    let t = bearer(&token_for(&base, "ofin_test_ts", "ofin_test_ts-secret"));
    let url = format!("{base}/v1/einvoices/generate");
    // Bound to 36AMBPG7773M002 only: a header naming another GSTIN is refused.
    let a = post(
        &url,
        &[("Authorization", &t), ("gstin", "29AWGPV7107B1Z1")],
        &grouped_invoice("TS-H-1"),
    );
    assert_eq!(a.status, 403, "{}", a.text());
    // The quickstart client is bound to both, but the header is not the seller: NIC's 2143.
    let q = bearer(&token(&base));
    let a = post(
        &url,
        &[("Authorization", &q), ("gstin", "29AWGPV7107B1Z1")],
        &grouped_invoice("TS-H-1"),
    );
    assert_eq!(a.status, 502, "{}", a.text());
    assert_eq!(a.json()["error"]["upstream"]["code"], "2143");
}

#[test]
fn rotation_keeps_both_secrets_until_the_old_one_is_revoked() {
    let sb = start();
    let base = sb.base_url();
    let a = post(
        &format!("{base}/_sandbox/clients/ofin_test_quickstart/secrets"),
        &[("Content-Type", "application/json")],
        r#"{"secret": "second-secret"}"#,
    );
    assert_eq!(a.status, 200, "{}", a.text());
    let old_token = token_for(&base, "ofin_test_quickstart", "sandbox-secret");
    let new_token = token_for(&base, "ofin_test_quickstart", "second-secret");
    let url = format!("{base}/v1/gsp-credentials");
    for t in [&old_token, &new_token] {
        assert_eq!(get(&url, &[("Authorization", &bearer(t))]).status, 200);
    }
    let a = delete(
        &format!("{base}/_sandbox/clients/ofin_test_quickstart/secrets/sec_1"),
        &[],
    );
    assert_eq!(a.status, 200, "{}", a.text());
    // At once: the old secret mints nothing and its tokens stop working; the new one goes on.
    let a = post(
        &format!("{base}{}", onefinops_sandbox::TOKEN_PATH),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "grant_type=client_credentials&client_id=ofin_test_quickstart&client_secret=sandbox-secret",
    );
    assert_eq!(a.status, 401);
    assert_eq!(
        get(&url, &[("Authorization", &bearer(&old_token))]).status,
        401
    );
    assert_eq!(
        get(&url, &[("Authorization", &bearer(&new_token))]).status,
        200
    );
}

#[test]
fn rate_limit_answers_429_with_retry_after() {
    let mut c = client("ofin_test_slow", &["*"], Scope::Full);
    c.rate_limit = Some(3);
    let sb = start_with(config(vec![c]));
    let base = sb.base_url();
    let t = bearer(&token_for(&base, "ofin_test_slow", "ofin_test_slow-secret"));
    let url = format!("{base}/v1/gsp-credentials");
    let answers: Vec<Answer> = (0..8)
        .map(|_| get(&url, &[("Authorization", &t)]))
        .collect();
    let limited: Vec<&Answer> = answers.iter().filter(|a| a.status == 429).collect();
    assert!(
        !limited.is_empty(),
        "8 quick calls at 3/s must hit the limit"
    );
    for a in &answers {
        assert_eq!(a.header("x-ratelimit-limit"), Some("3"));
        assert!(a.header("x-ratelimit-remaining").is_some());
        assert!(a.header("x-ratelimit-reset").is_some());
    }
    let a = limited[0];
    assert_eq!(a.code(), "rate_limited");
    let retry: u64 = a.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=1).contains(&retry));
    assert_eq!(a.json()["error"]["retryAfter"], retry);
    assert_eq!(a.header("x-ratelimit-remaining"), Some("0"));
    // The client core reads it as a retryable rate limit.
    let e = onefinops_core::error::Error::from_response(429, a.header("retry-after"), &a.body);
    assert_eq!(e.retry_after(), Some(retry));
    assert!(e.is_retryable());
    // After the window, calls go through again.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(get(&url, &[("Authorization", &t)]).status, 200);
}

#[test]
fn an_irn_only_token_generates_and_cancels_irns_but_writes_nothing_else() {
    let sb = start_with(config(vec![client(
        "ofin_test_irnonly",
        &["29ABCDE1234F1Z5"],
        Scope::IrnOnly,
    )]));
    let base = sb.base_url();
    let t = bearer(&token_for(
        &base,
        "ofin_test_irnonly",
        "ofin_test_irnonly-secret",
    ));
    let json_ct = ("Content-Type", "application/json");
    let a = post(
        &format!("{base}/v1/einvoices"),
        &[json_ct, ("Authorization", &t)],
        &flat_invoice("INV-IRNONLY-1"),
    );
    assert_eq!(a.status, 201, "{}", a.text());
    let id = a.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        get(
            &format!("{base}/v1/einvoices/{id}"),
            &[("Authorization", &t)]
        )
        .status,
        200
    );
    // An e-way bill and a credential are writes outside its scope: 403.
    let ewb = post(
        &format!("{base}/v1/ewaybills"),
        &[json_ct, ("Authorization", &t)],
        &serde_json::json!({"irn": a.json()["irn"], "distance": 10, "transportMode": 1, "vehicleNumber": "KA01AB1234"}).to_string(),
    );
    envelope_ok(&ewb, 403, "auth.entitlement_missing");
    assert!(ewb.text().contains("irn_only"), "{}", ewb.text());
    let cred = post(
        &format!("{base}/v1/gsp-credentials"),
        &[json_ct, ("Authorization", &t)],
        r#"{"gstin": "29ABCDE1234F1Z5", "portal": "ewb", "username": "u", "password": "p"}"#,
    );
    envelope_ok(&cred, 403, "auth.entitlement_missing");
    // Cancelling its own IRN is an e-invoice call: allowed.
    let c = post(
        &format!("{base}/v1/einvoices/{id}/cancel"),
        &[json_ct, ("Authorization", &t)],
        r#"{"reason": "data_entry_mistake", "remarks": "x"}"#,
    );
    assert_eq!(c.status, 200, "{}", c.text());
    assert_eq!(c.json()["status"], "cancelled");
}

#[test]
fn only_ofin_test_client_ids_exist_in_the_sandbox() {
    // A seed naming a production client is refused at start.
    let e = onefinops_sandbox::Sandbox::spawn(config(vec![client(
        "ofin_live_acme",
        &["*"],
        Scope::Full,
    )]))
    .unwrap_err();
    assert!(
        e.contains("ofin_live_acme") && e.contains("ofin_test_"),
        "{e}"
    );
    // So is one added at run time, and it mints nothing.
    let sb = start();
    let base = sb.base_url();
    let a = post(
        &format!("{base}/_sandbox/clients"),
        &[("Content-Type", "application/json")],
        r#"{"clientId": "ofin_live_acme", "secrets": ["s"], "gstins": ["*"]}"#,
    );
    envelope_ok(&a, 400, "invalid_argument");
    let t = post(
        &format!("{base}{}", onefinops_sandbox::TOKEN_PATH),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "grant_type=client_credentials&client_id=ofin_live_acme&client_secret=s&scope=gstn-india",
    );
    envelope_ok(&t, 401, "auth.invalid_token");
    // An ofin_test_ one added at run time works at once.
    let a = post(
        &format!("{base}/_sandbox/clients"),
        &[("Content-Type", "application/json")],
        r#"{"clientId": "ofin_test_late", "secrets": ["late-secret"], "gstins": ["29ABCDE1234F1Z5"]}"#,
    );
    assert_eq!(a.status, 200, "{}", a.text());
    let t = token_for(&base, "ofin_test_late", "late-secret");
    assert_eq!(create(&base, &t, &flat_invoice("INV-LATE-1")).status, 201);
}
