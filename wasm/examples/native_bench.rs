//! The native baseline for the WASM timings (wasm/bench.sh): validation of the 10-line invoice in
//! wasm/tests/fixtures/invoice-10-lines.json, the same bytes the Node and Chromium timings use.
//!
//! ```sh
//! cargo run --release -p onefinops-wasm --example native_bench
//! ```
//!
//! Prints the median time per call over batches, for the core's `validate_invoice_json` and for
//! the adapter's `api::validate` (the same call plus writing the JSON text the wrapper parses).

use std::hint::black_box;
use std::time::Instant;

use onefinops_core::validate::{validate_invoice_json, ValidationOptions};

const BATCHES: usize = 7;

fn median_micros(mut per_call: Vec<f64>) -> f64 {
    per_call.sort_by(|a, b| a.total_cmp(b));
    per_call[per_call.len() / 2]
}

fn time(label: &str, iterations: usize, mut f: impl FnMut()) -> f64 {
    for _ in 0..iterations / 5 {
        f();
    }
    let mut per_call = Vec::with_capacity(BATCHES);
    for _ in 0..BATCHES {
        let start = Instant::now();
        for _ in 0..iterations {
            f();
        }
        per_call.push(start.elapsed().as_secs_f64() * 1e6 / iterations as f64);
    }
    let m = median_micros(per_call);
    println!("{label:<44} {m:>9.1} us/call");
    m
}

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/invoice-10-lines.json"
    );
    let text = std::fs::read_to_string(path).expect("the 10-line fixture");
    let options = ValidationOptions::default();
    let report = validate_invoice_json(text.as_bytes(), &options);
    assert!(report.valid, "the fixture is a valid invoice: {report:?}");
    let iterations = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    println!(
        "native ({}), 10-line invoice, {iterations} calls x {BATCHES} batches, median:",
        std::env::consts::ARCH
    );
    time("core validate_invoice_json", iterations, || {
        black_box(validate_invoice_json(black_box(text.as_bytes()), &options));
    });
    time("adapter api::validate (JSON text out)", iterations, || {
        black_box(onefinops_wasm::api::validate(
            black_box(text.as_bytes()),
            b"{}",
        ));
    });
}
