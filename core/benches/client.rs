//! The client's own cost per call, without the network (issue 6 target: <= 50 us), and the
//! end-to-end IRN latency against the local sandbox.
//!
//! Run: `cargo bench -p onefinops-core --bench client`.
//!
//! - `client_engine/*` (criterion): the sans-IO engine driven with canned answers, token cached:
//!   `begin` -> `next` (Send) -> `feed_response` -> `next` (Done), for a GET, for a create with and
//!   without local prevalidation (the create path also parses the document, computes the IRN and
//!   the idempotency key, and runs the DUPIRN cache), for a create answered from the DUPIRN
//!   cache, and for a create that meets a 503 and retries. Medians in
//!   `target/criterion/client_engine/<bench>/new/estimates.json`.
//! - `e2e` (printed, when run as a benchmark): a sandbox in this process on loopback, the blocking
//!   client over ureq, 300 creates of distinct invoices one after another; p50 / p90 / p99 of the
//!   whole `create_einvoice` call (prevalidation, HTTP, the sandbox's validation and RS256
//!   signing, the answer read and parsed).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};
use onefinops_core::client::config::{Config, Environment, OAuthClient};
use onefinops_core::client::engine::{CallOptions, Engine, Step};
use onefinops_core::client::operation::Operation;
use onefinops_core::client::transport::HttpResponse;
use onefinops_core::credentials::Secret;
use onefinops_core::einvoice::parse::parse_invoice;
use onefinops_core::einvoice::Irn;
use serde_json::{json, Value};

const VECTOR: &str = include_str!("../../tests/vectors/einvoice/flat-quickstart.json");

fn body(number: &str) -> Value {
    let v: Value = serde_json::from_str(VECTOR).expect("vector is JSON");
    let mut b = v["input"].clone();
    b["placeOfSupplyStateCode"] = json!("27");
    b["invoiceNumber"] = json!(number);
    b
}

fn engine(dupirn_capacity: usize, prevalidate: bool) -> Engine {
    let mut c = Config::new(Environment::local("http://127.0.0.1:9"))
        .with_client(OAuthClient::new("ofin_test_bench", "secret"));
    c.dupirn_cache_capacity = dupirn_capacity;
    c.prevalidate = prevalidate;
    let e = Engine::new(c, 1).expect("config");
    e.cache_token("ofin_test_bench", Secret::new("tok"), 900, 0);
    e
}

fn headers() -> Vec<(String, String)> {
    vec![
        ("content-type".into(), "application/json".into()),
        (
            "x-request-id".into(),
            "req_01HRXY8N0E5PC6V0Z6P8Q1ABCD".into(),
        ),
        ("x-ratelimit-limit".into(), "10".into()),
        ("x-ratelimit-remaining".into(), "9".into()),
        ("x-ratelimit-reset".into(), "1".into()),
    ]
}

/// A realistic einvoice object (with two ~1.5 KB JWS strings).
fn created_object(b: &Value) -> Vec<u8> {
    let irn = Irn::of(
        &parse_invoice(&serde_json::to_vec(b).unwrap())
            .unwrap()
            .invoice,
    );
    let jws = format!(
        "{}.{}.{}",
        "e".repeat(120),
        "p".repeat(1400),
        "s".repeat(342)
    );
    serde_json::to_vec(&json!({
        "id": "einv_01HRXY8N0E5PC6V0Z6P8Q1ABCD", "object": "einvoice", "status": "generated",
        "irn": irn.as_str(), "ackNumber": "112610000000001", "ackDate": "2026-05-04T11:42:18Z",
        "signedQrCode": jws, "signedInvoice": jws, "generatedAt": "2026-05-04T11:42:18Z",
        "sellerGstin": "29ABCDE1234F1Z5", "documentType": "INV", "invoiceNumber": b["invoiceNumber"],
        "invoiceDate": "2026-05-04", "financialYear": "2026-27", "totalInvoiceValue": 11800
    }))
    .unwrap()
}

/// Drives one call with canned answers; returns the final step.
fn drive(engine: &Engine, op: Operation, answers: &[HttpResponse]) -> Step {
    let mut call = engine.begin(op, CallOptions::default());
    let mut i = 0;
    let mut now = 1_000;
    loop {
        match call.next(now) {
            Step::Send(req) => {
                black_box(&req);
                call.feed_response(answers[i].clone());
                i += 1;
            }
            Step::Sleep { until_ms } => now = until_ms,
            done => return done,
        }
    }
}

fn bench_engine(c: &mut Criterion) {
    let mut g = c.benchmark_group("client_engine");
    let b = body("INV-2026-00001");
    let bytes = serde_json::to_vec(&b).unwrap();
    let created = HttpResponse::new(201, headers(), created_object(&b));

    // For reference: the document parse every create does (IRN and idempotency key need it).
    g.bench_function("reference_parse_invoice", |bench| {
        bench.iter(|| parse_invoice(black_box(&bytes)).map(|p| p.invoice.items.len()))
    });

    let e = engine(1024, true);
    g.bench_function("get", |bench| {
        bench.iter(|| {
            drive(
                &e,
                Operation::GetEInvoice {
                    id: "einv_01HRXY8N0E5PC6V0Z6P8Q1ABCD".into(),
                },
                std::slice::from_ref(&created),
            )
        })
    });

    let e = engine(0, false);
    g.bench_function("create_no_prevalidation", |bench| {
        bench.iter(|| {
            drive(
                &e,
                Operation::CreateEInvoice {
                    body: bytes.clone(),
                },
                std::slice::from_ref(&created),
            )
        })
    });

    let e = engine(0, true);
    g.bench_function("create_with_prevalidation", |bench| {
        bench.iter(|| {
            drive(
                &e,
                Operation::CreateEInvoice {
                    body: bytes.clone(),
                },
                std::slice::from_ref(&created),
            )
        })
    });

    let e = engine(1024, false);
    drive(
        &e,
        Operation::CreateEInvoice {
            body: bytes.clone(),
        },
        std::slice::from_ref(&created),
    );
    g.bench_function("create_from_dupirn_cache", |bench| {
        bench.iter(|| {
            drive(
                &e,
                Operation::CreateEInvoice {
                    body: bytes.clone(),
                },
                &[],
            )
        })
    });

    let e = engine(0, false);
    let unavailable = HttpResponse::new(
        503,
        headers(),
        br#"{"error":{"code":"upstream.unavailable","message":"NIC unreachable"}}"#.to_vec(),
    );
    let answers = [unavailable, created.clone()];
    g.bench_function("create_503_then_201", |bench| {
        bench.iter(|| {
            drive(
                &e,
                Operation::CreateEInvoice {
                    body: bytes.clone(),
                },
                &answers,
            )
        })
    });
    g.finish();
}

criterion_group!(engine_benches, bench_engine);

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// End-to-end IRN latency against the local sandbox (module docs).
fn e2e() {
    use onefinops_core::client::Client;
    use onefinops_sandbox::config::{QUICKSTART_CLIENT_ID, QUICKSTART_CLIENT_SECRET};

    let sandbox = onefinops_sandbox::Sandbox::spawn(onefinops_sandbox::Config {
        rate_limit: 100_000,
        ..onefinops_sandbox::Config::default()
    })
    .expect("sandbox starts");
    let config = Config::new(Environment::local(&sandbox.base_url())).with_client(
        OAuthClient::new(QUICKSTART_CLIENT_ID, QUICKSTART_CLIENT_SECRET),
    );
    let client = Client::new(config).expect("client");
    client.authenticate(None).expect("token");
    for i in 0..30 {
        client
            .create_einvoice(serde_json::to_vec(&body(&format!("WARM-{i:05}"))).unwrap())
            .expect("warm-up create");
    }
    let n = 300;
    let mut create = Vec::with_capacity(n);
    let mut get = Vec::with_capacity(n);
    for i in 0..n {
        let bytes = serde_json::to_vec(&body(&format!("E2E-{i:05}"))).unwrap();
        let t = Instant::now();
        let r = client.create_einvoice(bytes).expect("create");
        create.push(t.elapsed());
        assert_eq!(r.status, "generated");
        let t = Instant::now();
        client.get_einvoice(&r.id).expect("get");
        get.push(t.elapsed());
    }
    for (name, mut v) in [("create (IRN)", create), ("get", get)] {
        v.sort();
        let mean = v.iter().sum::<Duration>() / v.len() as u32;
        println!(
            "e2e {name:<13} n={n}  p50 {:>8.3} ms  p90 {:>8.3} ms  p99 {:>8.3} ms  mean {:>8.3} ms",
            percentile(&v, 0.50).as_secs_f64() * 1e3,
            percentile(&v, 0.90).as_secs_f64() * 1e3,
            percentile(&v, 0.99).as_secs_f64() * 1e3,
            mean.as_secs_f64() * 1e3,
        );
    }
    sandbox.shutdown();
}

fn main() {
    engine_benches();
    Criterion::default().configure_from_args().final_summary();
    let args: Vec<String> = std::env::args().collect();
    let benchmarking = args.iter().any(|a| a == "--bench");
    let filtered_out = args
        .iter()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .any(|f| !"e2e".contains(f.as_str()));
    if benchmarking && !filtered_out {
        e2e();
    }
}
