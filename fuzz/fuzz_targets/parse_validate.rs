//! Arbitrary bytes through every offline entry point of an e-invoice: parsing in any dialect,
//! the JSON Schema layer (e-invoice and every e-way bill action), `prepare` (also checked to be
//! idempotent), and the full `validate_invoice_json`. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use onefinops_core::einvoice::parse::{parse_invoice, parse_invoice_value, Dialect};
use onefinops_core::prepare::{prepare, prepare_json};
use onefinops_core::validate::schema::{
    ewaybill_schema_findings, schema_findings, EWAYBILL_ACTIONS,
};
use onefinops_core::validate::{validate_invoice, validate_invoice_json, ValidationOptions};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let options = ValidationOptions::default();
    let _ = parse_invoice(data);
    let _ = prepare_json(data);
    let _ = validate_invoice_json(data, &options);

    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    for dialect in [Dialect::Canonical, Dialect::Flat, Dialect::Nic] {
        let _ = schema_findings(dialect, &value);
    }
    for action in EWAYBILL_ACTIONS {
        let _ = ewaybill_schema_findings(action, &value);
    }
    if let Ok(parsed) = parse_invoice_value(value) {
        let prepared = prepare(&parsed.invoice);
        assert_eq!(prepare(&prepared), prepared, "prepare is not idempotent");
        let _ = validate_invoice(&prepared, &options);
        let _ = serde_json::to_vec(&prepared);
    }
});
