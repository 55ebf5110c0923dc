//! Faults: 503 and 502 (seed 003's last rows), process faults with a count, delay, the lost
//! response, and queued-then-generated with real polling.

use std::time::{Duration, Instant};

use crate::common::*;

#[test]
fn seed_003_failure_rows_502_and_503() {
    let sb = start();
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    let url = format!("{base}/v1/einvoices/generate");
    let h = |fault: &'static str| {
        vec![
            ("Authorization", auth.clone()),
            ("gstin", "36AMBPG7773M002".into()),
            ("X-Sandbox-Fault", fault.into()),
        ]
    };
    let call = |fault: &'static str, body: &str| {
        let hs = h(fault);
        let refs: Vec<(&str, &str)> = hs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        post(&url, &refs, body)
    };
    let a = call("502:3028", &grouped_invoice("TS-F-1"));
    assert_eq!(a.status, 502, "{}", a.text());
    let e = &a.json()["error"];
    assert_eq!(e["code"], "upstream.failure");
    assert_eq!(e["upstream"]["code"], "3028");
    assert!(e["upstream"]["message"].as_str().unwrap().contains("GSTIN"));
    let a = call("503", &grouped_invoice("TS-F-1"));
    assert_eq!(a.status, 503, "{}", a.text());
    assert_eq!(a.code(), "upstream.unavailable");
    let core = onefinops_core::error::Error::from_response(503, None, &a.body);
    assert!(core.is_retryable());
    // Nothing was committed by either: the document generates fresh afterwards.
    let a = call("", &grouped_invoice("TS-F-1"));
    assert_eq!(a.status, 200, "{}", a.text());
    assert!(a.json().get("infoCode").is_none());
    // An unreadable fault header is a 400.
    assert_eq!(call("teapot", &grouped_invoice("TS-F-9")).status, 400);
}

#[test]
fn process_faults_fail_the_next_n_calls() {
    let sb = start();
    let base = sb.base_url();
    let t = token(&base);
    let a = post(
        &format!("{base}/_sandbox/faults"),
        &[("Content-Type", "application/json")],
        r#"{"fault": "503", "count": 2}"#,
    );
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(create(&base, &t, &flat_invoice("INV-PF-1")).status, 503);
    assert_eq!(create(&base, &t, &flat_invoice("INV-PF-1")).status, 503);
    assert_eq!(create(&base, &t, &flat_invoice("INV-PF-1")).status, 201);
    post(
        &format!("{base}/_sandbox/faults"),
        &[],
        r#"{"fault": "502:2146", "count": 1}"#,
    );
    let a = create(&base, &t, &flat_invoice("INV-PF-2"));
    assert_eq!(a.status, 502);
    assert_eq!(a.json()["error"]["upstream"]["code"], "2146");
    // 2146 is retryable for the client core.
    assert!(onefinops_core::error::Error::from_response(502, None, &a.body).is_retryable());
    post(
        &format!("{base}/_sandbox/faults"),
        &[],
        r#"{"fault": "delay:300", "count": 1}"#,
    );
    let started = Instant::now();
    assert_eq!(create(&base, &t, &flat_invoice("INV-PF-2")).status, 201);
    assert!(started.elapsed() >= Duration::from_millis(300));
    // Without the admin flag there is no /_sandbox.
    let plain = start_with({
        let mut c = config(Vec::new());
        c.admin = false;
        c
    });
    assert_eq!(
        get(&format!("{}/_sandbox/clock", plain.base_url()), &[]).status,
        404
    );
}

#[test]
fn lost_response_after_commit_then_the_retry_recovers_the_irn() {
    let sb = start();
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    let url = format!("{base}/v1/einvoices");
    let body = flat_invoice("INV-LOST-1");
    let lost = try_post(
        &url,
        &[
            ("Authorization", &auth),
            ("Idempotency-Key", "lost-1"),
            ("X-Sandbox-Fault", "drop-after-commit"),
        ],
        &body,
    );
    assert!(
        lost.is_err(),
        "the connection closes without an answer: {lost:?}"
    );
    // The IRN exists.
    let irn = onefinops_core::einvoice::DocumentKey::of(
        &onefinops_core::einvoice::parse::parse_invoice(body.as_bytes())
            .unwrap()
            .invoice,
    )
    .irn();
    let g = get(
        &format!("{base}/v1/einvoices/irn?irn={irn}"),
        &[("Authorization", &auth)],
    );
    assert_eq!(g.status, 200, "{}", g.text());
    // Retrying with the same key replays the answer that was lost.
    let retry = post(
        &url,
        &[("Authorization", &auth), ("Idempotency-Key", "lost-1")],
        &body,
    );
    assert_eq!(retry.status, 201, "{}", retry.text());
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(retry.json()["irn"], irn.as_str());
    // Retrying without the key meets NIC's DUPIRN with the same IRN.
    let dup = post(&url, &[("Authorization", &auth)], &body);
    assert_eq!(dup.json()["infoCode"], "DUPIRN");
    assert_eq!(dup.json()["irn"], irn.as_str());
}

#[test]
fn queued_then_generated_through_status_polling() {
    let sb = start();
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    let a = post(
        &format!("{base}/v1/einvoices"),
        &[("Authorization", &auth), ("X-Sandbox-Fault", "queued:60")],
        &flat_invoice("INV-Q-1"),
    );
    assert_eq!(a.status, 202, "{}", a.text());
    let v = a.json();
    assert_eq!(v["status"], "queued");
    assert!(v.get("irn").is_none());
    let id = v["id"].as_str().unwrap().to_owned();
    let status_url = format!("{base}/v1/einvoices/{id}/status");
    let s = get(&status_url, &[("Authorization", &auth)]).json();
    assert_eq!(s["status"], "queued");
    assert!(s["expectedAt"].as_str().is_some());
    // A repeat create while queued answers with the queued record, not a second one.
    let again = post(
        &format!("{base}/v1/einvoices"),
        &[("Authorization", &auth)],
        &flat_invoice("INV-Q-1"),
    );
    assert_eq!(again.status, 202);
    assert_eq!(again.json()["id"], id.as_str());
    advance(&base, 61);
    let s = get(&status_url, &[("Authorization", &auth)]).json();
    assert_eq!(s["status"], "generated", "{s}");
    let full = get(
        &format!("{base}/v1/einvoices/{id}"),
        &[("Authorization", &auth)],
    )
    .json();
    assert_eq!(full["irn"], s["irn"]);
    assert!(is_jws(full["signedInvoice"].as_str().unwrap()));
}
