//! The sans-IO engine with a fake clock and scripted answers: every retry rule, backoff bounds,
//! idempotency-key reuse, token caching and the one refresh on 401, Retry-After and its cap,
//! polling to a final status, deadlines, the DUPIRN cache, prevalidation and multi-GSTIN.

#![cfg(feature = "client")]

mod client_support;

use std::collections::VecDeque;
use std::time::Duration;

use client_support::{bytes, fake_jws, seed_002, seed_002_numbered, seed_002_verbatim};
use onefinops_core::client::config::{Config, Environment, OAuthClient, RetryPolicy};
use onefinops_core::client::engine::{CallOptions, Engine, Step};
use onefinops_core::client::operation::Operation;
use onefinops_core::client::retry::ceiling_ms;
use onefinops_core::client::transport::{
    HttpRequest, HttpResponse, TransportError, TransportErrorKind,
};
use onefinops_core::einvoice::parse::parse_invoice;
use onefinops_core::einvoice::Irn;
use onefinops_core::error::Error;
use serde_json::{json, Value};

const BASE: &str = "http://127.0.0.1:9";
const CLIENT: &str = "ofin_test_engine";
const SECRET: &str = "engine-secret-value";

fn config() -> Config {
    Config::new(Environment::local(BASE)).with_client(OAuthClient::new(CLIENT, SECRET))
}

fn engine() -> Engine {
    Engine::new(config(), 42).unwrap()
}

enum Scripted {
    Answer(HttpResponse),
    NoAnswer(TransportErrorKind),
}

fn rl_headers() -> Vec<(String, String)> {
    vec![
        ("x-ratelimit-limit".into(), "10".into()),
        ("x-ratelimit-remaining".into(), "9".into()),
        ("x-ratelimit-reset".into(), "1".into()),
        ("x-request-id".into(), "req_test".into()),
    ]
}

fn answer(status: u16, body: Value) -> Scripted {
    Scripted::Answer(HttpResponse::new(status, rl_headers(), bytes(&body)))
}

fn with_header(s: Scripted, k: &str, v: &str) -> Scripted {
    match s {
        Scripted::Answer(mut r) => {
            r.headers.push((k.into(), v.into()));
            Scripted::Answer(r)
        }
        other => other,
    }
}

fn token(n: u32) -> Scripted {
    answer(
        200,
        json!({"access_token": format!("tok-{n}"), "expires_in": 900, "token_type": "Bearer", "scope": "gstn-india"}),
    )
}

fn err(status: u16, code: &str) -> Scripted {
    answer(
        status,
        json!({"error": {"code": code, "message": format!("scripted {code}")}}),
    )
}

fn expected_irn(body: &Value) -> Irn {
    Irn::of(&parse_invoice(&bytes(body)).unwrap().invoice)
}

fn object(body: &Value, status: &str) -> Value {
    let irn = expected_irn(body);
    let signed = fake_jws(&json!({
        "Irn": irn.as_str(),
        "BuyerDtls": {"Gstin": body["buyer"]["gstin"]},
        "ValDtls": {"TotInvVal": 11800},
    }));
    let mut o = json!({
        "id": "einv_1",
        "object": "einvoice",
        "status": status,
        "sellerGstin": body["seller"]["gstin"],
        "invoiceNumber": body["invoiceNumber"],
    });
    if status == "generated" {
        o["irn"] = json!(irn.as_str());
        o["ackNumber"] = json!("112610000000001");
        o["ackDate"] = json!("2026-05-04T11:42:18Z");
        o["signedInvoice"] = json!(signed);
        o["signedQrCode"] = json!("h.p.s");
    }
    o
}

/// What a scripted run did.
struct Run {
    result: Result<onefinops_core::client::Response, Error>,
    meta: onefinops_core::client::CallMeta,
    sent: Vec<HttpRequest>,
    /// Waits, in ms, in order.
    sleeps: Vec<u64>,
    /// Engine time at the end.
    now: u64,
}

fn run_at(
    engine: &Engine,
    op: Operation,
    opts: CallOptions,
    script: Vec<Scripted>,
    start: u64,
) -> Run {
    let mut script: VecDeque<Scripted> = script.into();
    let mut call = engine.begin(op, opts);
    let mut now = start;
    let mut sent = Vec::new();
    let mut sleeps = Vec::new();
    for _ in 0..1000 {
        match call.next(now) {
            Step::Send(req) => {
                sent.push(req);
                now += 5; // each exchange takes 5 ms
                match script
                    .pop_front()
                    .expect("the engine sent more than scripted")
                {
                    Scripted::Answer(r) => call.feed_response(r),
                    Scripted::NoAnswer(kind) => {
                        call.feed_transport_error(TransportError::new(kind, "scripted"))
                    }
                }
            }
            Step::Sleep { until_ms } => {
                assert!(until_ms > now, "sleep into the past");
                sleeps.push(until_ms - now);
                now = until_ms;
            }
            Step::Done(r) => {
                assert!(
                    script.is_empty(),
                    "{} scripted answers left unused",
                    script.len()
                );
                return Run {
                    meta: call.meta().clone(),
                    result: Ok(r),
                    sent,
                    sleeps,
                    now,
                };
            }
            Step::Failed(e) => {
                assert!(
                    script.is_empty(),
                    "{} scripted answers left unused",
                    script.len()
                );
                return Run {
                    meta: call.meta().clone(),
                    result: Err(e),
                    sent,
                    sleeps,
                    now,
                };
            }
        }
    }
    panic!("the call did not finish");
}

fn run(engine: &Engine, op: Operation, script: Vec<Scripted>) -> Run {
    run_at(engine, op, CallOptions::default(), script, 1_000)
}

fn create(body: &Value) -> Operation {
    Operation::CreateEInvoice { body: bytes(body) }
}

fn api_sends(r: &Run) -> Vec<&HttpRequest> {
    r.sent.iter().filter(|q| !q.is_token_request()).collect()
}

fn keys(r: &Run) -> Vec<Option<String>> {
    api_sends(r)
        .iter()
        .map(|q| q.header("idempotency-key").map(str::to_owned))
        .collect()
}

#[test]
fn happy_create_gets_a_token_then_creates() {
    let e = engine();
    let body = seed_002();
    let r = run(
        &e,
        create(&body),
        vec![token(1), answer(201, object(&body, "generated"))],
    );
    let resp = r.result.unwrap();
    assert_eq!(resp.status, 201);
    assert_eq!(r.sent.len(), 2);
    let tok = &r.sent[0];
    assert!(tok.is_token_request());
    assert_eq!(
        tok.url,
        format!("{BASE}/realms/onefinops/protocol/openid-connect/token")
    );
    let form = String::from_utf8(tok.body.clone()).unwrap();
    assert!(form.contains("grant_type=client_credentials") && form.contains("scope=gstn-india"));
    assert!(form.contains(&format!("client_id={CLIENT}")));
    let api = &r.sent[1];
    assert_eq!(api.url, format!("{BASE}/v1/einvoices"));
    assert_eq!(api.header("authorization"), Some("Bearer tok-1"));
    assert_eq!(api.header("content-type"), Some("application/json"));
    assert_eq!(api.body, bytes(&body), "the body goes out exactly as given");
    let key = api.header("idempotency-key").unwrap();
    assert!(key.starts_with("ofn-einvoice-create-"), "{key}");
    assert_eq!(r.meta.attempts, 1);
    assert_eq!(r.meta.token_requests, 1);
    assert_eq!(r.meta.expected_irn, Some(expected_irn(&body)));
    let rl = r.meta.rate_limit.unwrap();
    assert_eq!(
        (rl.limit, rl.remaining, rl.reset_secs),
        (Some(10), Some(9), Some(1))
    );
    assert_eq!(r.meta.request_id.as_deref(), Some("req_test"));
    // Nothing secret in what a host would log.
    for q in &r.sent {
        let dbg = format!("{q:?}");
        assert!(!dbg.contains(SECRET) && !dbg.contains("tok-1"), "{dbg}");
    }
    let dbg = format!("{e:?}");
    assert!(!dbg.contains(SECRET), "{dbg}");
}

#[test]
fn token_is_cached_per_client_until_expiry_minus_skew() {
    let e = engine();
    let get = || Operation::GetEInvoice {
        id: "einv_1".into(),
    };
    let first = run_at(
        &e,
        get(),
        CallOptions::default(),
        vec![
            token(1),
            answer(200, json!({"id": "einv_1", "status": "queued"})),
        ],
        0,
    );
    assert_eq!(first.meta.token_requests, 1);
    // 839 s later: still cached (900 s token, 60 s skew).
    let again = run_at(
        &e,
        get(),
        CallOptions::default(),
        vec![answer(200, json!({"id": "einv_1", "status": "queued"}))],
        839_000,
    );
    assert_eq!(again.meta.token_requests, 0);
    assert_eq!(again.sent[0].header("authorization"), Some("Bearer tok-1"));
    // 841 s later: refreshed before the server would refuse it.
    let later = run_at(
        &e,
        get(),
        CallOptions::default(),
        vec![
            token(2),
            answer(200, json!({"id": "einv_1", "status": "queued"})),
        ],
        841_000,
    );
    assert_eq!(later.meta.token_requests, 1);
    assert_eq!(later.sent[1].header("authorization"), Some("Bearer tok-2"));
}

#[test]
fn every_retryable_failure_is_retried_with_the_same_key() {
    let body = seed_002();
    let cases: Vec<(&str, Scripted)> = vec![
        (
            "connection refused",
            Scripted::NoAnswer(TransportErrorKind::Connect),
        ),
        ("timeout", Scripted::NoAnswer(TransportErrorKind::Timeout)),
        (
            "connection dropped after sending",
            Scripted::NoAnswer(TransportErrorKind::Interrupted),
        ),
        ("409 in progress", err(409, "idempotency.conflict")),
        ("503 upstream.unavailable", err(503, "upstream.unavailable")),
        ("504 timeout", err(504, "timeout")),
        ("429 without Retry-After", err(429, "rate_limited")),
    ];
    for (what, failure) in cases {
        let e = engine();
        let r = run(
            &e,
            create(&body),
            vec![token(1), failure, answer(201, object(&body, "generated"))],
        );
        assert!(r.result.is_ok(), "{what}: {:?}", r.result);
        let k = keys(&r);
        assert_eq!(k.len(), 2, "{what}");
        assert!(
            k[0].is_some() && k[0] == k[1],
            "{what}: the key changed across the retry: {k:?}"
        );
        assert_eq!(r.meta.retries, 1, "{what}");
        assert_eq!(r.sleeps.len(), 1, "{what}");
        let ceil = ceiling_ms(Duration::from_millis(500), Duration::from_secs(20), 1);
        assert!(
            r.sleeps[0] >= ceil / 2 && r.sleeps[0] <= ceil,
            "{what}: slept {}",
            r.sleeps[0]
        );
    }
}

#[test]
fn final_failures_are_never_retried() {
    let body = seed_002();
    for (status, code) in [
        (400, "irp_credentials.not_configured"),
        (400, "invalid_argument"),
        (403, "auth.entitlement_missing"),
        (404, "not_found"),
        (422, "validation_error"),
        (502, "upstream.failure"),
        (500, "internal"),
    ] {
        let e = engine();
        let r = run(&e, create(&body), vec![token(1), err(status, code)]);
        let error = r.result.unwrap_err();
        assert_eq!(error.code(), code, "{status}");
        assert_eq!(r.meta.attempts, 1, "{status} {code} was retried");
        assert!(r.sleeps.is_empty());
        assert_eq!(
            error.request_id(),
            Some("req_test"),
            "request id from the header"
        );
        assert!(
            r.meta.rate_limit.is_some(),
            "rate limits surface on failures too"
        );
    }
    // TLS failures and bad requests neither.
    for kind in [TransportErrorKind::Tls, TransportErrorKind::InvalidRequest] {
        let e = engine();
        let r = run(&e, create(&body), vec![token(1), Scripted::NoAnswer(kind)]);
        assert_eq!(r.result.unwrap_err().code(), "transport");
        assert_eq!(r.meta.attempts, 1);
    }
}

#[test]
fn retries_stop_after_max_with_exponential_backoff() {
    let e = engine();
    let body = seed_002();
    let r = run(
        &e,
        create(&body),
        vec![
            token(1),
            err(503, "upstream.unavailable"),
            err(503, "upstream.unavailable"),
            err(503, "upstream.unavailable"),
            err(503, "upstream.unavailable"),
        ],
    );
    assert_eq!(
        r.result.as_ref().unwrap_err().code(),
        "upstream.unavailable"
    );
    assert_eq!(r.meta.attempts, 4, "1 + max_retries (3)");
    assert_eq!(r.meta.retries, 3);
    let k = keys(&r);
    assert!(
        k.windows(2).all(|w| w[0] == w[1]),
        "one key for the logical call"
    );
    assert_eq!(r.sleeps.len(), 3);
    for (i, s) in r.sleeps.iter().enumerate() {
        let ceil = ceiling_ms(
            Duration::from_millis(500),
            Duration::from_secs(20),
            i as u32 + 1,
        );
        assert!(
            *s >= ceil / 2 && *s <= ceil,
            "retry {}: {s} not in [{}, {ceil}]",
            i + 1,
            ceil / 2
        );
    }
}

#[test]
fn backoff_is_capped_and_seeded() {
    let mut c = config();
    c.retry = RetryPolicy {
        max_retries: 8,
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(1_000),
        retry_after_cap: Duration::from_secs(60),
    };
    let script = || {
        let mut s = vec![token(1)];
        s.extend((0..8).map(|_| err(503, "upstream.unavailable")));
        s.push(answer(200, json!({"id": "x"})));
        s
    };
    let op = || Operation::VerifyGspCredential {
        id: "gspc_1".into(),
    };
    let a = run(&Engine::new(c.clone(), 9).unwrap(), op(), script());
    let b = run(&Engine::new(c.clone(), 9).unwrap(), op(), script());
    assert!(a.result.is_ok());
    assert_eq!(a.sleeps, b.sleeps, "the same seed gives the same jitter");
    assert!(a.sleeps.iter().all(|s| *s <= 1_000), "{:?}", a.sleeps);
    assert!(
        a.sleeps[4..].iter().all(|s| *s >= 500),
        "capped ceiling, half of it at least: {:?}",
        a.sleeps
    );
    let c2 = run(&Engine::new(c, 10).unwrap(), op(), script());
    assert_ne!(a.sleeps, c2.sleeps, "another seed, other jitter");
}

#[test]
fn retry_after_is_honoured_up_to_the_cap() {
    let body = seed_002();
    let e = engine();
    let r = run(
        &e,
        create(&body),
        vec![
            token(1),
            with_header(err(429, "rate_limited"), "retry-after", "2"),
            answer(201, object(&body, "generated")),
        ],
    );
    assert!(r.result.is_ok());
    assert_eq!(r.sleeps.len(), 1);
    assert!(
        (2_000..=2_100).contains(&r.sleeps[0]),
        "slept {}",
        r.sleeps[0]
    );

    let e = engine();
    let r = run(
        &e,
        create(&body),
        vec![
            token(1),
            with_header(err(429, "rate_limited"), "retry-after", "61"),
        ],
    );
    let error = r.result.unwrap_err();
    assert_eq!(error.code(), "rate_limited");
    assert_eq!(error.retry_after(), Some(61));
    assert_eq!(
        r.meta.attempts, 1,
        "a Retry-After beyond the cap is not waited out"
    );
}

#[test]
fn a_401_refreshes_the_token_once() {
    let body = seed_002();
    let e = engine();
    let r = run(
        &e,
        create(&body),
        vec![
            token(1),
            err(401, "auth.invalid_token"),
            token(2),
            answer(201, object(&body, "generated")),
        ],
    );
    assert!(r.result.is_ok(), "{:?}", r.result);
    assert_eq!(r.meta.token_requests, 2);
    let api = api_sends(&r);
    assert_eq!(api[0].header("authorization"), Some("Bearer tok-1"));
    assert_eq!(api[1].header("authorization"), Some("Bearer tok-2"));
    assert_eq!(
        api[0].header("idempotency-key"),
        api[1].header("idempotency-key")
    );
    assert!(r.sleeps.is_empty(), "no backoff for a refresh");
    // The new token is cached for the next call.
    let next = run(
        &e,
        Operation::GetEInvoice {
            id: "einv_1".into(),
        },
        vec![answer(200, object(&body, "generated"))],
    );
    assert_eq!(next.sent[0].header("authorization"), Some("Bearer tok-2"));

    // A second 401 in the same call is final.
    let e = engine();
    let r = run(
        &e,
        create(&body),
        vec![
            token(1),
            err(401, "auth.invalid_token"),
            token(2),
            err(401, "auth.invalid_token"),
        ],
    );
    assert_eq!(r.result.unwrap_err().code(), "auth.invalid_token");
    assert_eq!(r.meta.token_requests, 2);
    assert_eq!(r.meta.attempts, 2);
}

#[test]
fn bad_client_credentials_fail_at_the_token_endpoint() {
    let e = engine();
    let r = run(
        &e,
        Operation::GetEInvoice {
            id: "einv_1".into(),
        },
        vec![err(401, "auth.invalid_token")],
    );
    let error = r.result.unwrap_err();
    assert_eq!(error.code(), "auth.invalid_token");
    assert!(
        error.message().contains("token endpoint"),
        "{}",
        error.message()
    );
    // A token endpoint that is briefly down is retried like any other.
    let e = engine();
    let r = run(
        &e,
        Operation::GetEInvoice {
            id: "einv_1".into(),
        },
        vec![
            err(503, "upstream.unavailable"),
            token(1),
            answer(200, json!({"id": "einv_1", "status": "generated"})),
        ],
    );
    assert!(r.result.is_ok());
    assert_eq!(r.meta.token_requests, 2);
}

#[test]
fn create_keys_are_derived_from_the_document_and_its_body() {
    let body = seed_002();
    let key_of = |engine: &Engine, body: &Value| {
        let call = engine.begin(create(body), CallOptions::default());
        call.meta().idempotency_key.clone().unwrap()
    };
    let a = key_of(&engine(), &body);
    let restarted = key_of(&Engine::new(config(), 999).unwrap(), &body);
    assert_eq!(a, restarted, "a restarted process reuses the key");
    let mut corrected = body.clone();
    corrected["buyer"]["legalName"] = json!("Globex Private Limited");
    assert_ne!(
        a,
        key_of(&engine(), &corrected),
        "a corrected body gets a new key"
    );
    assert_ne!(a, key_of(&engine(), &seed_002_numbered("INV-2026-00002")));
    assert!(
        a.contains(&{
            use sha2::Digest;
            let d = sha2::Sha256::digest(expected_irn(&body).as_str().as_bytes());
            d.iter()
                .take(16)
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        }),
        "the key names the IRN tuple"
    );
    // Exactly: `ofn-einvoice-create-<32 hex of SHA-256(IRN)>-<24 hex of SHA-256(body sent)>`,
    // where the IRN is SHA-256 of the tuple (seller GSTIN, financial year, type, number).
    let hex = |data: &[u8], n: usize| {
        use sha2::Digest;
        let d = sha2::Sha256::digest(data);
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()[..n].to_owned()
    };
    let irn = expected_irn(&body);
    assert_eq!(
        a,
        format!(
            "ofn-einvoice-create-{}-{}",
            hex(irn.as_str().as_bytes(), 32),
            hex(&bytes(&body), 24)
        )
    );
    assert_eq!(
        irn.as_str(),
        hex(b"29ABCDE1234F1Z52026-27INVINV-2026-00001", 64),
        "the IRN is NIC's hash of the tuple"
    );
    // The key is what goes out, on the first send and on every retry.
    let r = run(
        &engine(),
        create(&body),
        vec![
            token(1),
            err(503, "upstream.unavailable"),
            Scripted::NoAnswer(TransportErrorKind::Timeout),
            answer(201, object(&body, "generated")),
        ],
    );
    assert_eq!(keys(&r), vec![Some(a.clone()); 3]);
    // A reformatted body of the same document: same IRN part, another digest part.
    let pretty = serde_json::to_vec_pretty(&body).unwrap();
    let k2 = engine()
        .begin(
            Operation::CreateEInvoice {
                body: pretty.clone(),
            },
            CallOptions::default(),
        )
        .meta()
        .idempotency_key
        .clone()
        .unwrap();
    assert_eq!(
        k2,
        format!(
            "ofn-einvoice-create-{}-{}",
            hex(irn.as_str().as_bytes(), 32),
            hex(&pretty, 24)
        )
    );
    // An explicit key wins; other state changes get random keys, reads none.
    let call = engine().begin(
        create(&body),
        CallOptions {
            idempotency_key: Some("my-key-1".into()),
            ..CallOptions::default()
        },
    );
    assert_eq!(call.meta().idempotency_key.as_deref(), Some("my-key-1"));
    let e = engine();
    let p = |e: &Engine| {
        e.begin(
            Operation::VerifyGspCredential {
                id: "gspc_1".into(),
            },
            CallOptions::default(),
        )
        .meta()
        .idempotency_key
        .clone()
    };
    assert_ne!(p(&e), p(&e));
    assert_eq!(
        e.begin(
            Operation::GetEInvoice { id: "x".into() },
            CallOptions::default()
        )
        .meta()
        .idempotency_key,
        None
    );
}

#[test]
fn a_queued_create_is_polled_to_generated() {
    let body = seed_002();
    let e = engine();
    let r = run(
        &e,
        create(&body),
        vec![
            token(1),
            answer(202, object(&body, "queued")),
            answer(
                200,
                json!({"id": "einv_1", "object": "einvoice_status", "status": "queued"}),
            ),
            answer(
                200,
                json!({"id": "einv_1", "object": "einvoice_status", "status": "failed_retriable"}),
            ),
            answer(
                200,
                json!({"id": "einv_1", "object": "einvoice_status", "status": "generated"}),
            ),
            answer(200, object(&body, "generated")),
        ],
    );
    let resp = r.result.as_ref().unwrap();
    assert_eq!(resp.json().unwrap()["status"], "generated");
    assert_eq!(r.meta.polls, 3);
    assert!(!r.meta.pending);
    let urls: Vec<&str> = api_sends(&r).iter().map(|q| q.url.as_str()).collect();
    assert_eq!(
        urls,
        vec![
            "http://127.0.0.1:9/v1/einvoices",
            "http://127.0.0.1:9/v1/einvoices/einv_1/status",
            "http://127.0.0.1:9/v1/einvoices/einv_1/status",
            "http://127.0.0.1:9/v1/einvoices/einv_1/status",
            "http://127.0.0.1:9/v1/einvoices/einv_1",
        ]
    );
    // Polls carry no idempotency key; waits grow 1 s, 2 s, 4 s (jittered to [d/2, d]).
    assert!(api_sends(&r)[1..]
        .iter()
        .all(|q| q.header("idempotency-key").is_none()));
    for (i, s) in r.sleeps.iter().enumerate() {
        let ceil = 1_000u64 << i;
        assert!(*s >= ceil / 2 && *s <= ceil, "poll {}: {s}", i + 1);
    }
    // The generated record is now in the DUPIRN cache.
    assert_eq!(e.dupirn_cache_len(), 1);
}

#[test]
fn a_queued_create_that_fails_is_an_upstream_failure() {
    let body = seed_002();
    let mut failed = object(&body, "failed");
    failed["failure"] = json!({"code": "2172", "message": "IGST on intra-state"});
    let r = run(
        &engine(),
        create(&body),
        vec![
            token(1),
            answer(202, object(&body, "queued")),
            answer(200, json!({"id": "einv_1", "status": "failed"})),
            answer(200, failed),
        ],
    );
    let e = r.result.unwrap_err();
    assert_eq!(e.code(), "upstream.failure");
    assert_eq!(e.upstream().unwrap().code, "2172");
}

#[test]
fn polling_stops_at_the_deadline_with_the_record_pending() {
    let body = seed_002();
    let e = engine();
    let mut script = vec![token(1), answer(202, object(&body, "queued"))];
    script.extend((0..3).map(|_| answer(200, json!({"id": "einv_1", "status": "queued"}))));
    let r = run_at(
        &e,
        create(&body),
        CallOptions {
            deadline_ms: Some(1_000 + 5_000),
            ..CallOptions::default()
        },
        script,
        1_000,
    );
    let resp = r.result.as_ref().unwrap();
    assert_eq!(resp.json().unwrap()["status"], "queued");
    assert!(r.meta.pending && r.meta.deadline_reached);
    assert!(r.now <= 6_000, "never slept past the deadline: {}", r.now);
    assert_eq!(r.meta.polls, 3);
    // Polling can be turned off: the queued record comes back at once.
    let r = run_at(
        &e,
        create(&seed_002_numbered("INV-2026-00009")),
        CallOptions {
            poll: Some(false),
            ..CallOptions::default()
        },
        vec![answer(202, object(&body, "queued"))],
        2_000,
    );
    assert!(r.result.is_ok() && r.meta.pending && r.meta.polls == 0);
}

#[test]
fn retries_stop_at_the_deadline() {
    let body = seed_002();
    let r = run_at(
        &engine(),
        create(&body),
        CallOptions {
            deadline_ms: Some(1_000 + 800),
            ..CallOptions::default()
        },
        vec![
            token(1),
            err(503, "upstream.unavailable"),
            err(503, "upstream.unavailable"),
        ],
        1_000,
    );
    assert_eq!(r.result.unwrap_err().code(), "upstream.unavailable");
    assert!(r.meta.deadline_reached);
    assert!(r.now <= 1_800);
    // The transport is told how long is left.
    assert!(r
        .sent
        .iter()
        .all(|q| q.timeout <= Duration::from_millis(800)));
}

#[test]
fn a_repeat_is_answered_from_the_dupirn_cache() {
    let body = seed_002();
    let e = engine();
    let first = run(
        &e,
        create(&body),
        vec![token(1), answer(201, object(&body, "generated"))],
    );
    let first = first.result.unwrap().json().unwrap();
    // The same document again: no request at all, the duplicate envelope.
    let r = run(&e, create(&body), vec![]);
    assert!(r.sent.is_empty());
    let resp = r.result.unwrap();
    assert!(r.meta.from_cache && r.meta.duplicate);
    let v = resp.json().unwrap();
    assert_eq!(v["infoCode"], "DUPIRN");
    assert_eq!(v["message"], "2150 : Duplicate IRN");
    assert_eq!(
        (&v["id"], &v["irn"], &v["ackNumber"]),
        (&first["id"], &first["irn"], &first["ackNumber"])
    );
    // The NIC-style endpoint gets its own envelope from the same entry.
    let r = run(
        &e,
        Operation::GenerateEInvoice {
            body: bytes(&body),
            gstin: None,
        },
        vec![],
    );
    let v = r.result.unwrap().json().unwrap();
    assert_eq!(
        (v["status"].as_str(), v["infoCode"].as_str()),
        (Some("ACT"), Some("DUPIRN"))
    );
    // Same number, different total: NIC's 2150 refusal, locally, instead of adopting the IRN.
    let mut other = body.clone();
    other["lines"][0]["unitPrice"] = json!(20000);
    other["lines"][0]["assessableValue"] = json!(20000);
    other["lines"][0]["igstAmount"] = json!(3600);
    other["lines"][0]["totalItemValue"] = json!(23600);
    other["totals"] =
        json!({"assessableValue": 20000, "totalIgstValue": 3600, "totalInvoiceValue": 23600});
    let r = run(&e, create(&other), vec![]);
    let error = r.result.unwrap_err();
    assert_eq!(error.code(), "upstream.failure");
    assert_eq!(error.upstream().unwrap().code, "2150");
    assert!(error.message().contains("TotInvVal"), "{}", error.message());
    // A cancel forgets the IRN.
    let mut cancelled = object(&body, "generated");
    cancelled["status"] = json!("cancelled");
    run(
        &e,
        Operation::CancelEInvoice {
            id: "einv_1".into(),
            reason: onefinops_core::einvoice::cancel::EInvoiceCancelReason::DataEntryMistake,
            remarks: "x".into(),
        },
        vec![answer(200, cancelled)],
    );
    assert_eq!(e.dupirn_cache_len(), 0);
}

#[test]
fn a_server_dupirn_is_checked_for_sameness() {
    let body = seed_002();
    let mut dup = object(&body, "generated");
    dup["infoCode"] = json!("DUPIRN");
    dup["message"] = json!("2150 : Duplicate IRN");
    let r = run(
        &engine(),
        create(&body),
        vec![token(1), answer(200, dup.clone())],
    );
    assert!(r.result.is_ok());
    assert!(r.meta.duplicate && !r.meta.from_cache);
    // Registered for another buyer: not ours.
    let irn = expected_irn(&body);
    dup["signedInvoice"] = json!(fake_jws(&json!({
        "Irn": irn.as_str(), "BuyerDtls": {"Gstin": "07AAAAA0000A1Z5"}, "ValDtls": {"TotInvVal": 11800}
    })));
    let r = run(&engine(), create(&body), vec![token(1), answer(200, dup)]);
    let error = r.result.unwrap_err();
    assert_eq!(error.upstream().unwrap().code, "2150");
    assert!(
        error.message().contains("BuyerDtls.Gstin"),
        "{}",
        error.message()
    );
}

#[test]
fn prevalidation_fails_locally_unless_opted_out() {
    let e = engine();
    let verbatim = seed_002_verbatim();
    let r = run(&e, create(&verbatim), vec![]);
    assert!(r.sent.is_empty(), "nothing leaves the process");
    let error = r.result.unwrap_err();
    assert_eq!(error.code(), "validation_error");
    assert!(
        error
            .details()
            .iter()
            .any(|f| f.nic_code.as_deref() == Some("2172")),
        "{:?}",
        error.details()
    );
    let r = run_at(
        &e,
        create(&verbatim),
        CallOptions {
            prevalidate: Some(false),
            ..CallOptions::default()
        },
        vec![token(1), answer(201, object(&verbatim, "generated"))],
        0,
    );
    assert!(r.result.is_ok());
    // Not JSON at all: a local validation error too.
    let r = run(
        &e,
        Operation::CreateEInvoice {
            body: b"{nope".to_vec(),
        },
        vec![],
    );
    assert_eq!(r.result.unwrap_err().code(), "validation_error");
}

#[test]
fn the_credential_is_picked_by_seller_gstin() {
    let c = Config::new(Environment::local(BASE))
        .with_client(
            OAuthClient::new("ofin_test_karnataka", "s-ka").for_gstins(["29ABCDE1234F1Z5"]),
        )
        .with_client(
            OAuthClient::new("ofin_test_maharashtra", "s-mh").for_gstins(["27FGHIJ5678K1Z2"]),
        );
    let e = Engine::new(c, 1).unwrap();
    let body = seed_002();
    let r = run(
        &e,
        create(&body),
        vec![token(1), answer(201, object(&body, "generated"))],
    );
    assert_eq!(r.meta.client_id.as_deref(), Some("ofin_test_karnataka"));
    assert!(String::from_utf8_lossy(&r.sent[0].body).contains("client_id=ofin_test_karnataka"));
    // One cached token per client: a call for the other GSTIN mints its own.
    let r = run(
        &e,
        Operation::GetEInvoice {
            id: "einv_2".into(),
        },
        vec![],
    );
    assert_eq!(
        r.result.unwrap_err().code(),
        "invalid_argument",
        "no GSTIN and two clients: ambiguous"
    );
    let mut other = seed_002_numbered("INV-2026-00077");
    other["seller"]["gstin"] = json!("07AAAAA0000A1Z5");
    other["seller"]["stateCode"] = json!("07");
    other["seller"]["pinCode"] = json!("110001");
    let r = run(&e, create(&other), vec![]);
    let error = r.result.unwrap_err();
    assert_eq!(error.code(), "invalid_argument");
    assert!(
        error.message().contains("07AAAAA0000A1Z5"),
        "{}",
        error.message()
    );
    assert!(r.sent.is_empty());
    let r = run_at(
        &e,
        Operation::GetEInvoice {
            id: "einv_2".into(),
        },
        CallOptions {
            gstin: Some("27FGHIJ5678K1Z2".into()),
            ..CallOptions::default()
        },
        vec![
            token(7),
            answer(200, json!({"id": "einv_2", "status": "queued"})),
        ],
        10,
    );
    assert_eq!(r.meta.client_id.as_deref(), Some("ofin_test_maharashtra"));
    assert_eq!(r.meta.token_requests, 1);
}

#[test]
fn environments_refuse_the_wrong_client_kind() {
    let c =
        Config::new(Environment::production()).with_client(OAuthClient::new("ofin_test_x", "s"));
    assert_eq!(Engine::new(c, 0).unwrap_err().code(), "invalid_argument");
    let c = Config::new(Environment::local(BASE)).with_client(OAuthClient::new("ofin_live_x", "s"));
    assert_eq!(Engine::new(c, 0).unwrap_err().code(), "invalid_argument");
}

#[test]
fn replays_and_extra_headers_are_visible() {
    let body = seed_002();
    let r = run_at(
        &engine(),
        create(&body),
        CallOptions {
            headers: vec![("X-Sandbox-Fault".into(), "503".into())],
            ..CallOptions::default()
        },
        vec![
            token(1),
            with_header(
                answer(201, object(&body, "generated")),
                "idempotent-replayed",
                "true",
            ),
        ],
        0,
    );
    assert!(r.meta.replayed);
    assert_eq!(api_sends(&r)[0].header("x-sandbox-fault"), Some("503"));
}

#[test]
fn engine_calls_and_clients_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<Engine>();
    send::<onefinops_core::client::Call>();
    send_sync::<onefinops_core::client::Client>();
}

#[test]
fn next_without_feeding_is_a_misuse_not_a_second_send() {
    let mut call = engine().begin(
        Operation::GetEInvoice { id: "x".into() },
        CallOptions::default(),
    );
    assert!(matches!(call.next(0), Step::Send(_)));
    match call.next(1) {
        Step::Failed(e) => assert_eq!(e.code(), "internal"),
        other => panic!("{other:?}"),
    }
}
