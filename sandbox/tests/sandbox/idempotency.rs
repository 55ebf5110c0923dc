//! Idempotency-Key: byte-for-byte replay, 400 on a different body, 24 hours on the sandbox clock,
//! and concurrency: 50 creates of one invoice give one IRN.

use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};

use crate::common::*;

#[test]
fn same_key_replays_the_original_bytes_and_a_different_body_is_400() {
    let sb = start();
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    let url = format!("{base}/v1/einvoices");
    let with_key = |key: &str, body: &str| {
        post(
            &url,
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
                ("Idempotency-Key", key),
            ],
            body,
        )
    };
    let body = flat_invoice("INV-IDEM-1");
    let first = with_key("key-1", &body);
    assert_eq!(first.status, 201, "{}", first.text());
    assert!(first.header("idempotent-replayed").is_none());
    let again = with_key("key-1", &body);
    assert_eq!(again.status, 201);
    assert_eq!(again.body, first.body, "replayed byte for byte");
    assert_eq!(again.header("content-type"), first.header("content-type"));
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_ne!(again.header("x-request-id"), first.header("x-request-id"));

    let other = with_key("key-1", &flat_invoice("INV-IDEM-2"));
    assert_eq!(other.status, 400, "{}", other.text());
    assert_eq!(other.code(), "idempotency.conflict");
    let e = onefinops_core::error::Error::from_response(400, None, &other.body);
    assert!(!e.is_retryable());

    // A validation error is an answer too: replayed.
    let bad = with_key("key-2", "{}");
    assert_eq!(bad.status, 422);
    assert_eq!(with_key("key-2", "{}").body, bad.body);

    // A 503 is not stored: the retry with the same key executes (and succeeds).
    let url2 = url.clone();
    let a = post(
        &url2,
        &[
            ("Authorization", &auth),
            ("Idempotency-Key", "key-3"),
            ("X-Sandbox-Fault", "503"),
        ],
        &flat_invoice("INV-IDEM-3"),
    );
    assert_eq!(a.status, 503);
    let b = with_key("key-3", &flat_invoice("INV-IDEM-3"));
    assert_eq!(b.status, 201, "{}", b.text());

    // After 24 hours the key is released: the same key now executes again (a DUPIRN).
    advance(&base, 24 * 3600 + 1);
    let auth = bearer(&token(&base));
    let late = post(
        &url,
        &[("Authorization", &auth), ("Idempotency-Key", "key-1")],
        &body,
    );
    assert_eq!(late.status, 200, "{}", late.text());
    assert!(late.header("idempotent-replayed").is_none());
    assert_eq!(late.json()["infoCode"], "DUPIRN");
    assert_eq!(late.json()["id"], first.json()["id"]);
}

#[test]
fn fifty_concurrent_creates_of_one_invoice_give_one_irn() {
    let sb = start();
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    let body = flat_invoice("INV-RACE-1");
    let n = 50;
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (url, auth, body, barrier) = (
                format!("{base}/v1/einvoices"),
                auth.clone(),
                body.clone(),
                barrier.clone(),
            );
            std::thread::spawn(move || {
                // Ten groups of five share a key: inside a group, replays; across groups, DUPIRN.
                let key = format!("race-{}", i % 10);
                barrier.wait();
                post(
                    &url,
                    &[("Authorization", &auth), ("Idempotency-Key", &key)],
                    &body,
                )
            })
        })
        .collect();
    let answers: Vec<Answer> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let mut irns = BTreeSet::new();
    let mut ids = BTreeSet::new();
    let mut fresh = BTreeSet::new();
    let (mut created, mut dupirn, mut replays) = (0, 0, 0);
    for a in &answers {
        assert!(
            a.status == 201 || a.status == 200,
            "{} {}",
            a.status,
            a.text()
        );
        let v = a.json();
        irns.insert(v["irn"].as_str().unwrap().to_owned());
        ids.insert(v["id"].as_str().unwrap().to_owned());
        if a.header("idempotent-replayed").is_some() {
            replays += 1;
        }
        if v["infoCode"] == "DUPIRN" {
            dupirn += 1;
        } else {
            created += 1;
            fresh.insert(a.body.clone());
        }
    }
    assert_eq!(irns.len(), 1, "one IRN");
    assert_eq!(ids.len(), 1, "one record");
    assert_eq!(
        fresh.len(),
        1,
        "every non-DUPIRN answer is the same bytes: the one generation or its replays"
    );
    // Each of the 10 keys executes exactly once (one generation, nine DUPIRN); the other 40 calls
    // wait for their key's first request and replay its answer. So the group whose key won
    // answers 201 five times (once executed, four replays) and the nine others answer DUPIRN.
    assert_eq!(
        replays, 40,
        "the 40 calls after the first of each key replay"
    );
    assert_eq!(created, 5, "the winning key's five answers are the 201");
    assert_eq!(dupirn, 45, "nine keys x five answers are DUPIRN");
    for a in &answers {
        let dup = a.json()["infoCode"] == "DUPIRN";
        assert_eq!(a.status, if dup { 200 } else { 201 }, "{}", a.text());
    }
    // The store holds one e-invoice for it.
    let count = sb
        .app()
        .store()
        .einvoices
        .values()
        .filter(|r| r.key.document_number == "INV-RACE-1")
        .count();
    assert_eq!(count, 1);
}

#[test]
fn fifty_concurrent_creates_without_keys_give_one_irn_and_49_dupirn() {
    let sb = start();
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    let body = flat_invoice("INV-RACE-2");
    let n = 50;
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let (url, auth, body, barrier) = (
                format!("{base}/v1/einvoices"),
                auth.clone(),
                body.clone(),
                barrier.clone(),
            );
            std::thread::spawn(move || {
                barrier.wait();
                post(
                    &url,
                    &[
                        ("Authorization", &auth),
                        ("Content-Type", "application/json"),
                    ],
                    &body,
                )
            })
        })
        .collect();
    let answers: Vec<Answer> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let fresh: Vec<&Answer> = answers.iter().filter(|a| a.status == 201).collect();
    assert_eq!(fresh.len(), 1, "exactly one generation");
    let generated = fresh[0].json();
    assert!(generated.get("infoCode").is_none());
    let mut dupirn = 0;
    for a in &answers {
        let v = a.json();
        assert_eq!(v["irn"], generated["irn"], "{}", a.text());
        assert_eq!(v["id"], generated["id"]);
        assert_eq!(v["ackNumber"], generated["ackNumber"]);
        assert!(
            a.header("idempotent-replayed").is_none(),
            "no key, no replay"
        );
        if a.status == 200 {
            assert_eq!(v["infoCode"], "DUPIRN");
            assert_eq!(v["message"], "2150 : Duplicate IRN");
            dupirn += 1;
        }
    }
    assert_eq!(dupirn, 49, "the 49 others are DUPIRN with the original IRN");
    let count = sb
        .app()
        .store()
        .einvoices
        .values()
        .filter(|r| r.key.document_number == "INV-RACE-2")
        .count();
    assert_eq!(count, 1);
}
