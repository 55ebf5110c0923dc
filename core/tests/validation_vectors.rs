//! Replays the validation vectors in tests/vectors/validation/: the same files the C, WASM and
//! binding suites replay. Each case is a document (e-invoice in any dialect, or e-way bill), the
//! options, and the exact list of findings expected from the JSON entry point, compared on path,
//! code, nicCode and severity, in order.

use std::path::{Path, PathBuf};

use onefinops_core::validate::{
    validate_ewaybill_json, validate_invoice_json, Report, ValidationOptions,
};
use serde_json::{json, Value};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/validation")
}

/// Every case of every file, named `file#index`.
fn cases() -> Vec<(String, Value)> {
    let mut files: Vec<_> = std::fs::read_dir(vectors_dir())
        .expect("tests/vectors/validation exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let list = match doc {
            Value::Array(list) => list,
            other => other["cases"].as_array().cloned().unwrap_or_default(),
        };
        for (i, case) in list.into_iter().enumerate() {
            out.push((format!("{name}#{i}"), case));
        }
    }
    out
}

fn run(case: &Value) -> Report {
    let options: ValidationOptions = serde_json::from_value(case["options"].clone())
        .unwrap_or_else(|e| panic!("options do not parse: {e}"));
    let bytes = serde_json::to_vec(&case["document"]).unwrap();
    match case["kind"].as_str() {
        Some("einvoice") => validate_invoice_json(&bytes, &options),
        Some("ewaybill") => validate_ewaybill_json(&bytes, &options),
        other => panic!("unknown kind {other:?}"),
    }
}

/// The compared part of a finding: path, code, nicCode (null when absent) and severity.
fn key(f: &Value) -> Value {
    json!({
        "path": f["path"],
        "code": f["code"],
        "nicCode": f.get("nicCode").cloned().unwrap_or(Value::Null),
        "severity": f["severity"],
    })
}

#[test]
fn validation_vectors_give_exactly_the_expected_findings() {
    let cases = cases();
    assert!(
        cases.len() >= 120,
        "expected at least 120 cases, found {}",
        cases.len()
    );
    let dump = std::env::var_os("DUMP_VALIDATION").is_some();
    let mut failures = Vec::new();
    for (name, case) in &cases {
        let report = run(case);
        let actual: Vec<Value> = serde_json::to_value(&report.findings)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(key)
            .collect();
        let expected: Vec<Value> = case["findings"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: findings is not a list"))
            .iter()
            .map(key)
            .collect();
        // Every finding has a message naming the field.
        for f in &report.findings {
            assert!(
                !f.message.is_empty(),
                "{name}: empty message for {}",
                f.code
            );
        }
        let errors = expected.iter().any(|f| f["severity"] == "error");
        if actual != expected || report.valid == errors {
            failures.push(format!(
                "{name} ({}):\n  expected {}\n  actual   {}\n  messages {:?}",
                case["description"].as_str().unwrap_or(""),
                Value::Array(expected),
                Value::Array(actual),
                report
                    .findings
                    .iter()
                    .map(|f| &f.message)
                    .collect::<Vec<_>>()
            ));
        }
        if dump {
            eprintln!(
                "{name}: {}",
                serde_json::to_string(&report.findings).unwrap()
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_a_passing_and_a_failing_case() {
    // Every rule appears in at least one failing case; the model vectors pass every rule.
    let cases = cases();
    let mut failing = std::collections::BTreeSet::new();
    for (_, case) in &cases {
        for f in case["findings"].as_array().into_iter().flatten() {
            if let Some(code) = f["code"].as_str() {
                failing.insert(code.to_owned());
            }
        }
    }
    let passing = cases
        .iter()
        .filter(|(_, c)| c["findings"].as_array().is_some_and(|f| f.is_empty()))
        .count();
    assert!(passing >= 10, "only {passing} passing cases");
    // Every rule code of the rule and arithmetic layers, but those that restate a schema
    // constraint (see shape_restating_rules_report_on_the_model).
    for code in [
        "gstin.format",
        "gstin.state_code",
        "gstin.check_character",
        "gstin.supplier_urp",
        "gstin.supplier_kind",
        "gstin.same_supplier_recipient",
        "gstin.state_mismatch",
        "gstin.ecom_not_tcs",
        "state.unknown",
        "pin.state_mismatch",
        "supply.recipient_urp",
        "supply.sez_recipient_urp",
        "supply.deemed_export_urp",
        "supply.export_recipient_not_urp",
        "supply.export_place_of_supply",
        "supply.export_intra_state",
        "supply.export_recipient_state",
        "supply.export_details_required",
        "supply.reverse_charge",
        "supply.igst_on_intra_other_state",
        "tax.igst_on_intra_state",
        "tax.cgst_sgst_unequal",
        "tax.cgst_sgst_on_inter_state",
        "tax.cgst_sgst_on_export",
        "tax.cgst_sgst_on_sez",
        "tax.cgst_sgst_with_igst_on_intra",
        "document.number_lowercase",
        "document.date_future",
        "document.date_before_einvoicing",
        "document.reporting_window",
        "document.date_before_gst",
        "document.date_too_old",
        "reference.preceding_document_required",
        "reference.preceding_document_not_allowed",
        "items.empty",
        "items.too_many",
        "item.duplicate_serial",
        "hsn.format",
        "hsn.length_for_turnover",
        "item.service_flag_mismatch",
        "item.quantity_required",
        "item.unit_required",
        "item.unit_unknown",
        "item.gst_rate",
        "item.assessable_amount",
        "item.total_amount",
        "item.total_item_value",
        "tax.igst_amount",
        "tax.cgst_sgst_amount",
        "tax.amount",
        "tax.cess_amount",
        "tax.state_cess_amount",
        "total.assessable_value",
        "total.cgst_value",
        "total.cess_value",
        "total.other_charges",
        "total.invoice_value",
        "total.discount",
        "ewb.not_for_notes",
        "ewb.goods_required",
        "ewb.distance_range",
        "ewb.same_pin_distance",
        "ewb.vehicle_required",
        "ewb.transport_document_required",
        "ewb.transport_document_date_required",
        "ewb.vehicle_number_format",
        "ewb.odc_not_road",
        "ewb.ship_regular_vehicle",
        "ewb.transport_document_date_before_document",
        "ewb.transport_document_date_future",
        "ewb.transporter_required",
        "transporter.format",
        "ewb.sub_supply_description_required",
        "ewb.regular_state_mismatch",
        "ewb.below_threshold",
        "total.sgst_value",
        "total.igst_value",
        "total.state_cess_value",
    ] {
        assert!(failing.contains(code), "no failing case for {code}");
    }
}

fn model_vector(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../tests/vectors/einvoice/{name}.json"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["canonical"].clone()
}

fn codes(findings: &[onefinops_core::finding::Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

/// The rules that restate a schema constraint are left out of the JSON entry points' reports
/// when the schema layer reports the same field; on a parsed model they are reported.
#[test]
fn shape_restating_rules_report_on_the_model() {
    use onefinops_core::einvoice::EInvoice;
    use onefinops_core::validate::validate_invoice;
    let mut doc = model_vector("with-ewb");
    doc["documentDetails"]["number"] = json!("0ACM/1");
    doc["seller"]["pincode"] = json!(56005);
    doc["valueDetails"]["roundOffAmount"] = json!(100);
    doc["valueDetails"]["totalInvoiceValue"] = json!(
        serde_json::from_value::<rust_decimal::Decimal>(
            doc["valueDetails"]["totalInvoiceValue"].clone()
        )
        .unwrap()
            + rust_decimal::Decimal::ONE_HUNDRED
    );
    doc["valueDetails"]["discount"] = json!(-10);
    doc["valueDetails"]["totalInvoiceValue"] = json!(
        serde_json::from_value::<rust_decimal::Decimal>(
            doc["valueDetails"]["totalInvoiceValue"].clone()
        )
        .unwrap()
            + rust_decimal::Decimal::TEN
    );
    doc["eWayBillDetails"]["transporterId"] = json!("29AAFCA7488L1-0");
    let inv: EInvoice = serde_json::from_value(doc).unwrap();
    let findings = validate_invoice(&inv, &ValidationOptions::default());
    assert_eq!(
        codes(&findings),
        [
            "document.number_format",
            "pin.format",
            "amount.negative",
            "total.round_off_range",
            "transporter.format",
        ],
        "{findings:#?}"
    );
    assert_eq!(findings[0].path, "/documentDetails/number");
    assert_eq!(findings[1].path, "/seller/pincode");
    assert_eq!(findings[2].path, "/valueDetails/discount");
    assert_eq!(findings[3].path, "/valueDetails/roundOffAmount");
    assert_eq!(findings[4].path, "/eWayBillDetails/transporterId");
}

/// Extreme values are findings, never a panic or an overflow.
#[test]
fn extreme_values_never_panic() {
    use onefinops_core::einvoice::model::EWayBillDetails;
    use onefinops_core::einvoice::EInvoice;
    use onefinops_core::transport::TransportMode;
    use onefinops_core::validate::{validate_ewaybill, validate_invoice};
    use rust_decimal::Decimal;
    let (max, min) = (Decimal::MAX, Decimal::MIN);
    let mut inv: EInvoice = serde_json::from_value(model_vector("b2b-intra")).unwrap();
    for item in &mut inv.items {
        item.quantity = Some(max);
        item.unit_price = max;
        item.total_amount = max;
        item.discount = Some(min);
        item.assessable_amount = max;
        item.gst_rate = max;
        item.cgst_amount = Some(max);
        item.sgst_amount = Some(min);
        item.cess_rate = Some(max);
        item.total_item_value = max;
        item.hsn_code = "९९८३१४".to_owned();
        item.serial_number = String::new();
    }
    inv.value_details.total_invoice_value = max;
    inv.value_details.round_off_amount = Some(min);
    inv.value_details.discount = Some(max);
    inv.document_details.number = "ⅠⅡⅢ/é/🙂".to_owned();
    inv.seller.gstin = "२९AAFCC9980M1ZR".to_owned();
    inv.seller.state_code = String::new();
    inv.buyer.place_of_supply_state_code = "٢٩".to_owned();
    inv.buyer.pincode = Some(u32::MAX);
    inv.document_details.date = chrono::NaiveDate::MAX;
    inv.e_way_bill_details = Some(EWayBillDetails {
        transporter_id: Some("🙂".to_owned()),
        transporter_name: None,
        transport_mode: Some(TransportMode::Ship),
        distance: u32::MAX,
        transport_document_number: None,
        transport_document_date: Some(chrono::NaiveDate::MIN),
        vehicle_number: Some("🙂🙂".to_owned()),
        vehicle_type: None,
    });
    let extreme: ValidationOptions = serde_json::from_value(json!({
        "now": "2010-01-01T00:00:00Z", "aggregateTurnover": "1", "maxItems": 0, "gstRates": [],
        "hsnSixDigitTurnover": "0", "reportingWindowTurnover": "0", "reportingWindowDays": u32::MAX
    }))
    .unwrap();
    for options in [ValidationOptions::default(), extreme.clone()] {
        assert!(!validate_invoice(&inv, &options).is_empty());
    }
    inv.document_details.date = chrono::NaiveDate::MIN;
    assert!(!validate_invoice(&inv, &extreme).is_empty());

    let ewb_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors/ewaybill/generate-outward-road.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(ewb_path).unwrap()).unwrap();
    let mut ewb: onefinops_core::ewaybill::EWayBill =
        serde_json::from_value(doc["canonical"].clone()).unwrap();
    ewb.items[0].taxable_amount = min;
    ewb.items[0].hsn_code = String::new();
    ewb.value_details.total_invoice_value = min;
    ewb.transport.distance = u32::MAX;
    ewb.from.pincode = 0;
    ewb.to.state_code = "🙂".to_owned();
    ewb.document_details.date = chrono::NaiveDate::MIN;
    assert!(!validate_ewaybill(&ewb, &extreme).is_empty());
    ewb.document_details.date = chrono::NaiveDate::MAX;
    assert!(!validate_ewaybill(&ewb, &extreme).is_empty());
}

/// Whatever bytes arrive, the JSON entry points answer with findings.
#[test]
fn any_bytes_give_a_report() {
    let options = ValidationOptions::default();
    for bytes in [
        &b""[..],
        b"null",
        b"[]",
        b"{",
        b"\xff\xfe",
        b"{}",
        b"{\"lines\": 5}",
        b"{\"DocDtls\": []}",
        b"{\"docNo\": 1}",
        b"{\"items\": [{}]}",
        b"1e999999",
    ] {
        let r = validate_invoice_json(bytes, &options);
        assert!(!r.valid && !r.findings.is_empty(), "{bytes:?}");
        let r = validate_ewaybill_json(bytes, &options);
        assert!(!r.valid && !r.findings.is_empty(), "{bytes:?}");
    }
}
