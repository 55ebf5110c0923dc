//! The quickstart of seed 002, offline: read the flat invoice body, normalise it to the canonical
//! form, map it to NIC's v1.1 JSON and compute its IRN, exactly as the API would before sending.
//!
//! Run: `cargo run --example quickstart` (or pass a path to your own invoice JSON, in any dialect).
//! The flow against the local sandbox (token, create, fetch, verify, cancel) joins this example
//! when the sandbox and the client land.

use std::process::ExitCode;

use onefinops_core::einvoice::nic::to_nic;
use onefinops_core::einvoice::parse::parse_invoice;
use onefinops_core::einvoice::DocumentKey;

const SEED_002: &str = include_str!("../../tests/vectors/einvoice/flat-quickstart.json");

fn main() -> ExitCode {
    let body = match std::env::args().nth(1) {
        Some(path) => match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("cannot read {path}: {e}");
                return ExitCode::from(2);
            }
        },
        None => {
            let vector: serde_json::Value = serde_json::from_str(SEED_002).expect("vector is JSON");
            serde_json::to_vec(&vector["input"]).expect("JSON writes")
        }
    };

    println!("1. parse the request body");
    let parsed = match parse_invoice(&body) {
        Ok(p) => p,
        Err(findings) => {
            for f in findings {
                eprintln!("   {} {}: {}", f.code, f.path, f.message);
            }
            return ExitCode::FAILURE;
        }
    };
    println!("   dialect: {:?}", parsed.dialect);
    let invoice = parsed.invoice;

    println!("2. canonical form");
    println!(
        "{}",
        serde_json::to_string_pretty(&invoice).expect("JSON writes")
    );

    println!("3. NIC e-invoice v1.1 JSON");
    println!(
        "{}",
        serde_json::to_string_pretty(&to_nic(&invoice)).expect("JSON writes")
    );

    let key = DocumentKey::of(&invoice);
    println!("4. IRN = SHA-256(gstin + FY + type + number)");
    println!(
        "   {} + {} + {} + {}",
        key.seller_gstin,
        key.financial_year,
        key.document_type.code(),
        key.document_number
    );
    println!("   irn: {}", key.irn());
    ExitCode::SUCCESS
}
