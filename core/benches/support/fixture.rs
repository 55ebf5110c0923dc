#![allow(dead_code)]
//! The invoices the benchmarks and the bulk example validate: a 10-line B2B invoice built from
//! the `b2b-inter` model vector (its first line cloned ten times), made consistent by `prepare`.

use onefinops_core::einvoice::nic::to_nic;
use onefinops_core::einvoice::parse::parse_invoice_value;
use onefinops_core::prepare::prepare_json;
use serde_json::Value;

const VECTOR: &str = include_str!("../../../tests/vectors/einvoice/b2b-inter.json");

/// A 10-line canonical invoice numbered `ACM/B/<n>`, every amount consistent.
pub fn ten_line_invoice(n: usize) -> Value {
    let vector: Value = serde_json::from_str(VECTOR).expect("the vector is JSON");
    let mut doc = vector["canonical"].clone();
    let line = doc["items"][0].clone();
    doc["items"] = Value::Array(
        (1..=10)
            .map(|i| {
                let mut l = line.clone();
                l["serialNumber"] = Value::from(i.to_string());
                l
            })
            .collect(),
    );
    doc["documentDetails"]["number"] = Value::from(format!("ACM/B/{n}"));
    // The line amounts are right; prepare brings the totals in line with ten lines.
    let bytes = serde_json::to_vec(&doc).expect("JSON writes");
    prepare_json(&bytes).expect("the fixture prepares")
}

/// The same invoice in NIC's v1.1 JSON.
pub fn ten_line_invoice_nic(n: usize) -> Value {
    let canonical = parse_invoice_value(ten_line_invoice(n))
        .expect("the fixture parses")
        .invoice;
    serde_json::to_value(to_nic(&canonical)).expect("JSON writes")
}

/// The canonical invoice as bytes.
pub fn ten_line_invoice_bytes(n: usize) -> Vec<u8> {
    serde_json::to_vec(&ten_line_invoice(n)).expect("JSON writes")
}
