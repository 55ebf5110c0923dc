//! A bulk run: validate 5,000 ten-line invoices on one core, as `POST /v1/einvoices/bulk` would
//! (up to 5,000 per request), and print the wall time, invoices per second and the process's
//! peak memory (VmHWM from /proc/self/status, Linux only).
//!
//! Run: `cargo run --release -p onefinops-core --example bulk_validate [COUNT]`
//!
//! Each invoice is parsed, shape-checked against the JSON Schema of its dialect and run through
//! the rule and arithmetic layers (`validate_invoice_json`). The 5,000 request bodies are held in
//! memory first, as a bulk request would hold them, so the peak includes them.

use std::time::Instant;

use onefinops_core::validate::schema::compile_all;
use onefinops_core::validate::{validate_invoice_json, ValidationOptions};

#[path = "../benches/support/fixture.rs"]
mod fixture;

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5_000);
    let options = ValidationOptions::default();
    let bodies: Vec<Vec<u8>> = (0..count).map(fixture::ten_line_invoice_bytes).collect();
    let bytes: usize = bodies.iter().map(Vec::len).sum();
    let before = peak_memory_kib();

    // Schema compilation is once per process; time it apart from the run.
    let start = Instant::now();
    compile_all();
    let compile = start.elapsed();

    let start = Instant::now();
    let mut valid = 0usize;
    let mut findings = 0usize;
    for body in &bodies {
        let report = validate_invoice_json(body, &options);
        valid += usize::from(report.valid);
        findings += report.findings.len();
    }
    let elapsed = start.elapsed();

    println!(
        "invoices:        {count} (10 lines each, {:.1} MiB of JSON)",
        bytes as f64 / 1_048_576.0
    );
    println!("valid:           {valid} ({findings} findings)");
    println!(
        "schema compile:  {:.1} ms (once per process)",
        compile.as_secs_f64() * 1e3
    );
    println!("wall time:       {:.1} ms", elapsed.as_secs_f64() * 1e3);
    println!(
        "per invoice:     {:.1} us",
        elapsed.as_secs_f64() * 1e6 / count as f64
    );
    println!(
        "invoices/s:      {:.0}",
        count as f64 / elapsed.as_secs_f64()
    );
    match (before, peak_memory_kib()) {
        (Some(b), Some(p)) => println!(
            "peak memory:     {:.1} MiB (VmHWM; {:.1} MiB before validating)",
            p as f64 / 1024.0,
            b as f64 / 1024.0
        ),
        _ => println!("peak memory:     unavailable (no /proc/self/status)"),
    }
    if valid != count {
        eprintln!("expected every invoice to be valid");
        std::process::exit(1);
    }
}
