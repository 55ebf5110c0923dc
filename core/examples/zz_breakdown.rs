use std::time::Instant;
use onefinops_core::einvoice::parse::{parse_invoice_value, Dialect};
use onefinops_core::validate::schema::{compile_all, schema_findings};
use serde_json::Value;
#[path = "../benches/support/fixture.rs"]
mod fixture;
fn main() {
    compile_all();
    let bytes = fixture::ten_line_invoice_bytes(1);
    println!("bytes {}", bytes.len());
    let n = 5000;
    let t = Instant::now();
    for _ in 0..n { let v: Value = serde_json::from_slice(&bytes).unwrap(); std::hint::black_box(v); }
    println!("from_slice {:.1} us", t.elapsed().as_secs_f64()*1e6/n as f64);
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    let t = Instant::now();
    for _ in 0..n { std::hint::black_box(schema_findings(Dialect::Canonical, &v)); }
    println!("schema {:.1} us", t.elapsed().as_secs_f64()*1e6/n as f64);
    let t = Instant::now();
    for _ in 0..n { let c = v.clone(); std::hint::black_box(c); }
    println!("clone {:.1} us", t.elapsed().as_secs_f64()*1e6/n as f64);
    let t = Instant::now();
    for _ in 0..n { std::hint::black_box(parse_invoice_value(v.clone()).unwrap()); }
    println!("clone+parse_value {:.1} us", t.elapsed().as_secs_f64()*1e6/n as f64);
}
