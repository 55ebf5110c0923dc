//! Lifecycle rules, DUPIRN, the error envelope and NIC code classes: the boundary tables, and a
//! replay of every vector in `tests/vectors/lifecycle/`.

use std::fs;
use std::path::PathBuf;

use chrono::DateTime;
use onefinops_core::calendar::{
    format_einvoice_timestamp, format_ewaybill_timestamp, parse_einvoice_timestamp,
    parse_ewaybill_timestamp, Timestamp,
};
use onefinops_core::einvoice::dupirn::{
    adopt_duplicate, decode_signed_invoice_unverified, parse_generate_outcome, AdoptionBasis,
    DuplicateConflict, ReplyShape, SignedPayload,
};
use onefinops_core::einvoice::EInvoice;
use onefinops_core::error::{Error, Upstream, CODES};
use onefinops_core::ewaybill::DocumentType as EwbDocumentType;
use onefinops_core::finding::Finding;
use onefinops_core::lifecycle::einvoice::{
    decide, generate_advice, EInvoiceAction, EInvoiceDecision, EInvoiceRecord, EInvoiceRefusal,
    EInvoiceStatus, GenerateAdvice, LinkedEwayBill,
};
use onefinops_core::lifecycle::ewaybill::{
    Actor, EwayBillAction, EwayBillRecord, EwayBillRefusal, EwayBillStatus,
};
use onefinops_core::lifecycle::ewb_duplicate::{after_generate, after_generate_by_irn};
use onefinops_core::lifecycle::validity::{
    predict, predict_extension, predict_on_generation, Cargo, ValidityError, ValidityInput,
};
use onefinops_core::lifecycle::Refusal;
use onefinops_core::nic_code::{self, NicCodeClass};
use serde_json::{json, Value};

fn ts(s: &str) -> Timestamp {
    DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("bad timestamp {s}: {e}"))
}

fn code_of<R: Refusal>(r: Result<impl std::fmt::Debug, R>) -> (&'static str, Option<&'static str>) {
    match r {
        Ok(v) => panic!("expected a refusal, got {v:?}"),
        Err(e) => (e.code(), e.nic_code()),
    }
}

// ---------------------------------------------------------------------------------------------
// validity

#[test]
fn validity_known_answers_from_nic() {
    // nic-rules C.2 [REC]: GENEWAYBILL at 05/10/2022 12:39 PM over 10 km.
    let p = predict(&ValidityInput {
        from: parse_ewaybill_timestamp("05/10/2022 12:39:00 PM").unwrap(),
        distance_km: 10,
        pin_to_pin_km: None,
        cargo: Cargo::Normal,
    })
    .unwrap();
    assert_eq!(p.days, 1);
    assert_eq!(
        format_ewaybill_timestamp(&p.valid_upto),
        "06/10/2022 11:59:00 PM"
    );

    // EWB via IRN at 2022-09-16 19:29 over 2467 km: 13 days.
    let p = predict(&ValidityInput {
        from: parse_einvoice_timestamp("2022-09-16 19:29:00").unwrap(),
        distance_km: 2467,
        pin_to_pin_km: None,
        cargo: Cargo::Normal,
    })
    .unwrap();
    assert_eq!(p.days, 13);
    assert_eq!(
        format_einvoice_timestamp(&p.valid_upto),
        "2022-09-29 23:59:00"
    );

    // Extension at 04/07/2023 06:13 PM with 5 km remaining.
    let p = predict_extension(
        &parse_ewaybill_timestamp("04/07/2023 06:13:00 PM").unwrap(),
        5,
        Cargo::Normal,
    )
    .unwrap();
    assert_eq!(
        format_ewaybill_timestamp(&p.valid_upto),
        "05/07/2023 11:59:00 PM"
    );
}

#[test]
fn validity_slabs_at_4000_km_and_odc() {
    let from = ts("2025-01-01T10:00:00+05:30");
    let run = |km, cargo| {
        predict(&ValidityInput {
            from,
            distance_km: km,
            pin_to_pin_km: None,
            cargo,
        })
    };
    type Row = (u32, Cargo, Result<(u32, &'static str), ValidityError>);
    let table: &[Row] = &[
        (3999, Cargo::Normal, Ok((20, "2025-01-21T23:59:00+05:30"))),
        (4000, Cargo::Normal, Ok((20, "2025-01-21T23:59:00+05:30"))),
        (
            4001,
            Cargo::Normal,
            Err(ValidityError::DistanceOutOfRange(4001)),
        ),
        (
            3999,
            Cargo::OverDimensional,
            Ok((200, "2025-07-20T23:59:00+05:30")),
        ),
        (
            4000,
            Cargo::OverDimensional,
            Ok((200, "2025-07-20T23:59:00+05:30")),
        ),
        (
            20,
            Cargo::OverDimensional,
            Ok((1, "2025-01-02T23:59:00+05:30")),
        ),
        (21, Cargo::ShipLeg, Ok((2, "2025-01-03T23:59:00+05:30"))),
        (0, Cargo::Normal, Err(ValidityError::NeedPinToPinDistance)),
    ];
    for (km, cargo, want) in table {
        let got = run(*km, *cargo).map(|p| (p.days, p.valid_upto));
        let want = (*want).map(|(d, t)| (d, ts(t)));
        assert_eq!(got, want, "{km} km {cargo:?}");
    }
    // Distance 0: NIC's PIN-to-PIN distance is the input.
    let p = predict(&ValidityInput {
        from: ts("2022-09-16T19:29:00+05:30"),
        distance_km: 0,
        pin_to_pin_km: Some(2467),
        cargo: Cargo::Normal,
    })
    .unwrap();
    assert_eq!((p.days, p.distance_km), (13, 2467));
    // A Part-A slip gets no validity at generation.
    assert_eq!(
        predict_on_generation(from, false, 500, None, Cargo::Normal),
        Ok(None)
    );
}

// ---------------------------------------------------------------------------------------------
// e-invoice guards

#[test]
fn irn_cancel_window_boundary() {
    let ack = ts("2026-05-14T17:12:18+05:30");
    let rec = EInvoiceRecord::generated(ack);
    assert_eq!(rec.cancel_deadline(), Some(ts("2026-05-15T17:12:18+05:30")));
    let table = [
        ("2026-05-14T17:12:18+05:30", None),         // at ackDate
        ("2026-05-15T17:12:17+05:30", None),         // + 23:59:59
        ("2026-05-15T17:12:18+05:30", Some("2270")), // + 24:00:00
        ("2026-05-15T11:42:18Z", Some("2270")),      // the same instant in UTC
        ("2026-05-15T11:42:17.999+00:00", None),     // 1 ms before
    ];
    for (now, refused) in table {
        let got = rec.cancel(&ts(now));
        match refused {
            None => {
                let done = got.unwrap_or_else(|e| panic!("{now}: {e}"));
                assert_eq!(done.status, EInvoiceStatus::Cancelled);
                assert_eq!(done.cancelled_at, Some(ts(now)));
            }
            Some(nic) => assert_eq!(
                code_of(got),
                ("einvoice.cancel_window_closed", Some(nic)),
                "{now}"
            ),
        }
    }
}

#[test]
fn irn_cancel_with_eway_bill_and_states() {
    let now = ts("2026-05-14T18:00:00+05:30");
    let with = |status| EInvoiceRecord {
        e_way_bill: Some(LinkedEwayBill {
            ewb_no: 391001234567,
            status,
        }),
        ..EInvoiceRecord::generated(ts("2026-05-14T17:12:18+05:30"))
    };
    for (status, blocks) in [
        (EwayBillStatus::PartAOnly, true),
        (EwayBillStatus::Active, true),
        (EwayBillStatus::Extended, true),
        (EwayBillStatus::Expired, true),
        (EwayBillStatus::Cancelled, false),
        (EwayBillStatus::Rejected, false),
    ] {
        let got = with(status).can_cancel(&now);
        if blocks {
            assert_eq!(code_of(got), ("einvoice.eway_bill_exists", Some("2230")));
        } else {
            assert_eq!(got, Ok(()), "{status}");
        }
    }
    let cancelled = EInvoiceRecord::new(EInvoiceStatus::Cancelled);
    assert_eq!(
        code_of(cancelled.can_cancel(&now)),
        ("einvoice.cancel_not_generated", Some("9999"))
    );
    assert_eq!(
        code_of(EInvoiceRecord::new(EInvoiceStatus::Queued).can_cancel(&now)),
        ("einvoice.cancel_not_generated", None)
    );
}

#[test]
fn generate_and_poll_by_status() {
    use EInvoiceStatus::*;
    let table: [(Option<EInvoiceStatus>, Result<GenerateAdvice, &str>, bool); 6] = [
        (None, Ok(GenerateAdvice::Submit), false),
        (Some(Queued), Err("einvoice.generate_in_progress"), true),
        (
            Some(FailedRetriable),
            Err("einvoice.generate_in_progress"),
            true,
        ),
        (Some(Failed), Ok(GenerateAdvice::Submit), false),
        (Some(Generated), Ok(GenerateAdvice::ReplayDuplicate), false),
        (
            Some(Cancelled),
            Err("einvoice.document_number_cancelled"),
            false,
        ),
    ];
    for (status, advice, pollable) in table {
        let rec = status.map(EInvoiceRecord::new);
        let got = generate_advice(rec.as_ref()).map_err(|e| e.code());
        assert_eq!(got, advice, "{status:?}");
        if let Some(r) = &rec {
            assert_eq!(r.can_poll().is_ok(), pollable, "{status:?}");
        }
    }
    let spent = generate_advice(Some(&EInvoiceRecord::new(Cancelled))).unwrap_err();
    assert_eq!(spent.nic_code(), Some("2278"));
    assert!(spent.to_string().contains("new document number"));
}

#[test]
fn observed_transitions() {
    use EInvoiceStatus::*;
    let at = ts("2026-05-14T17:12:18+05:30");
    let queued = EInvoiceRecord::new(Queued);
    let generated = queued.observe(Generated, at).unwrap();
    assert_eq!(generated.ack_date, Some(at));
    // Observations are facts: a cancel NIC reports after 24 h is recorded, not refused.
    let late = ts("2026-05-20T10:00:00+05:30");
    assert_eq!(
        generated.observe(Cancelled, late).unwrap().cancelled_at,
        Some(late)
    );
    for (from, to) in [
        (Cancelled, Generated),
        (Cancelled, Queued),
        (Generated, Failed),
        (Queued, Cancelled),
    ] {
        assert_eq!(
            EInvoiceRecord::new(from).observe(to, at),
            Err(EInvoiceRefusal::InvalidTransition { from, to })
        );
    }
}

// ---------------------------------------------------------------------------------------------
// e-way bill guards

fn bill(valid_upto: &str, distance_km: u32) -> EwayBillRecord {
    EwayBillRecord {
        status: EwayBillStatus::Active,
        generated_at: ts("2025-01-01T10:00:00+05:30"),
        valid_upto: Some(ts(valid_upto)),
        distance_km,
        cargo: Cargo::Normal,
        transporter_id: None,
        transporter_entered_part_b: false,
    }
}

#[test]
fn ewb_extension_window_to_the_second() {
    let b = bill("2025-01-02T23:59:00+05:30", 150);
    let table = [
        ("2025-01-02T15:58:59+05:30", Err("382")),
        ("2025-01-02T15:59:00+05:30", Ok("2025-01-03T23:59:00+05:30")),
        ("2025-01-02T23:59:00+05:30", Ok("2025-01-03T23:59:00+05:30")),
        ("2025-01-03T07:59:00+05:30", Ok("2025-01-04T23:59:00+05:30")),
        ("2025-01-03T07:59:01+05:30", Err("382")),
    ];
    for (now, want) in table {
        let got = b
            .extend(Actor::Generator, &ts(now), 100, None)
            .map(|e| e.record.valid_upto.unwrap())
            .map_err(|e| e.nic_code().unwrap());
        assert_eq!(got, want.map(ts), "{now}");
    }
}

#[test]
fn ewb_cancel_and_reject_windows() {
    let b = bill("2025-01-06T23:59:00+05:30", 1000);
    let cancel = [
        ("2025-01-02T09:59:59+05:30", None),
        ("2025-01-02T10:00:00+05:30", Some("315")),
    ];
    for (now, refused) in cancel {
        let got = b.cancel(Actor::Generator, &ts(now));
        match refused {
            None => assert_eq!(got.unwrap().status, EwayBillStatus::Cancelled),
            Some(nic) => assert_eq!(code_of(got).1, Some(nic)),
        }
    }
    let reject = [
        ("2025-01-04T09:59:59+05:30", None),
        ("2025-01-04T10:00:00+05:30", Some("346")),
    ];
    for (now, refused) in reject {
        let got = b.reject(Actor::OtherParty, &ts(now));
        match refused {
            None => assert_eq!(got.unwrap().status, EwayBillStatus::Rejected),
            Some(nic) => assert_eq!(code_of(got).1, Some(nic)),
        }
    }
    let now = ts("2025-01-01T12:00:00+05:30");
    assert_eq!(code_of(b.cancel(Actor::OtherParty, &now)).1, Some("312"));
    assert_eq!(code_of(b.reject(Actor::Generator, &now)).1, Some("341"));
    assert_eq!(code_of(b.reject(Actor::Transporter, &now)).1, Some("342"));
    let cancelled = b.cancel(Actor::Generator, &now).unwrap();
    assert_eq!(
        code_of(cancelled.reject(Actor::OtherParty, &now)).1,
        Some("343")
    );
}

#[test]
fn ewb_360_day_limit() {
    let mut b = bill("2025-12-26T23:59:00+05:30", 1000);
    b.status = EwayBillStatus::Extended;
    assert_eq!(b.lifetime_limit(), ts("2025-12-27T23:59:00+05:30"));
    let now = ts("2025-12-26T20:00:00+05:30");
    // One more day reaches the limit exactly: not capped.
    let e = b.extend(Actor::Generator, &now, 150, None).unwrap();
    assert_eq!(
        (e.record.valid_upto, e.capped),
        (Some(ts("2025-12-27T23:59:00+05:30")), false)
    );
    // Two more days would pass it: capped at the limit.
    let e = b.extend(Actor::Generator, &now, 250, None).unwrap();
    assert_eq!(e.prediction.valid_upto, ts("2025-12-28T23:59:00+05:30"));
    assert_eq!(
        (e.record.valid_upto, e.capped),
        (Some(ts("2025-12-27T23:59:00+05:30")), true)
    );
    // At the limit nothing is left.
    let at_limit = e.record;
    let got = at_limit.extend(
        Actor::Generator,
        &ts("2025-12-27T20:00:00+05:30"),
        100,
        None,
    );
    assert_eq!(code_of(got), ("ewaybill.lifetime_limit", Some("821")));
}

#[test]
fn ewb_validity_lapse_and_expiry() {
    let b = bill("2025-01-02T23:59:00+05:30", 150);
    let valid = ts("2025-01-02T23:59:00+05:30");
    let lapsed = ts("2025-01-02T23:59:01+05:30");
    assert_eq!(b.status_at(&valid), EwayBillStatus::Active);
    assert_eq!(b.status_at(&lapsed), EwayBillStatus::Expired);
    assert!(b.update_part_b(Actor::Generator, &valid, None).is_ok());
    assert_eq!(
        code_of(b.update_part_b(Actor::Generator, &lapsed, None)).1,
        Some("311")
    );
    assert!(b
        .update_transporter(Actor::Generator, &valid, "29AAACT1234E1ZX")
        .is_ok());
    assert_eq!(
        code_of(b.update_transporter(Actor::Generator, &lapsed, "29AAACT1234E1ZX")).1,
        Some("281")
    );
}

#[test]
fn ewb_guards_read_the_api_requests() {
    use onefinops_core::ewaybill::{ExtendValidity, PartBUpdate, UpdateTransporter};
    let slip = EwayBillRecord {
        status: EwayBillStatus::PartAOnly,
        valid_upto: None,
        transporter_id: Some("29AAACT1234E1ZX".into()),
        ..bill("2025-01-02T23:59:00+05:30", 450)
    };
    // A first Part-B with an over-dimensional vehicle: 450 km at 20 km a day is 23 days.
    let part_b: PartBUpdate = serde_json::from_value(json!({
        "ewbNumber": 391001234567u64, "vehicleNumber": "KA01AB1234", "fromPlace": "Bengaluru",
        "fromStateCode": "29", "reason": "first_time", "remarks": "first vehicle",
        "transportMode": "1", "vehicleType": "O"
    }))
    .unwrap();
    let now = ts("2025-01-03T15:00:00+05:30");
    let active = slip
        .apply_part_b(&part_b, Actor::Transporter, &now)
        .unwrap();
    assert_eq!(
        (active.status, active.valid_upto, active.cargo),
        (
            EwayBillStatus::Active,
            Some(ts("2025-01-26T23:59:00+05:30")),
            Cargo::OverDimensional
        )
    );
    let extend: ExtendValidity = serde_json::from_value(json!({
        "ewbNumber": 391001234567u64, "vehicleNumber": "KA01AB1234", "fromPlace": "Hubballi",
        "fromStateCode": "29", "fromPincode": 580020, "remainingDistance": 451,
        "transportMode": "1", "reason": "accident", "remarks": "vehicle damaged",
        "consignmentStatus": "M"
    }))
    .unwrap();
    let late = ts("2025-01-26T20:00:00+05:30");
    assert_eq!(
        code_of(active.apply_extension(&extend, Actor::Transporter, &late)).1,
        Some("390")
    );
    let handover: UpdateTransporter = serde_json::from_value(json!({
        "ewbNumber": 391001234567u64, "transporterId": "27AAACN5678F1ZY"
    }))
    .unwrap();
    assert_eq!(
        code_of(active.apply_transporter_update(&handover, Actor::Generator, &late)).1,
        Some("338")
    );
    let handed = active
        .apply_transporter_update(&handover, Actor::Transporter, &late)
        .unwrap();
    assert_eq!(handed.transporter_id.as_deref(), Some("27AAACN5678F1ZY"));
    assert!(!handed.transporter_entered_part_b);
}

#[test]
fn ewb_refusals_become_upstream_failures() {
    let b = bill("2025-01-02T23:59:00+05:30", 150);
    let refusal = b
        .extend(Actor::Generator, &ts("2025-01-01T12:00:00+05:30"), 10, None)
        .unwrap_err();
    assert!(matches!(
        refusal,
        EwayBillRefusal::OutsideExtensionWindow { .. }
    ));
    let error = refusal.to_error();
    assert_eq!(error.code(), "upstream.failure");
    assert_eq!(error.upstream().map(|u| u.code.as_str()), Some("382"));
    assert!(!error.is_retryable());
    let finding = refusal.to_finding();
    assert_eq!(
        (finding.code.as_str(), finding.nic_code.as_deref()),
        ("ewaybill.outside_extension_window", Some("382"))
    );
    // Without a NIC code: invalid_argument; a missing record: not_found.
    let poll = EInvoiceRecord::generated(ts("2026-05-14T17:12:18+05:30"))
        .can_poll()
        .unwrap_err();
    assert_eq!(poll.to_error().code(), "invalid_argument");
    let missing = decide(None, EInvoiceAction::Poll, &ts("2026-05-14T17:12:18+05:30")).unwrap_err();
    assert_eq!(missing.to_error().code(), "not_found");
}

// ---------------------------------------------------------------------------------------------
// DUPIRN

const SELLER: &str = "29AAFCC9980M1ZR";

fn request() -> EInvoice {
    serde_json::from_value(json!({
        "documentDetails": {"type": "INV", "number": "ACM/26-27/0042", "date": "2026-05-14"},
        "transactionDetails": {"supplyType": "B2B"},
        "seller": {"gstin": SELLER, "legalName": "Acme Components Private Limited",
                   "address1": "12 Industrial Area", "location": "Bengaluru",
                   "pincode": 560058, "stateCode": "29"},
        "buyer": {"gstin": "27AAPFU0939F1ZV", "legalName": "Globex Trading LLP",
                  "placeOfSupplyStateCode": "27", "address1": "8 MG Road",
                  "location": "Mumbai", "pincode": 400001, "stateCode": "27"},
        "items": [{"serialNumber": "1", "isService": "Y", "hsnCode": "998314",
                   "unitPrice": 10000, "totalAmount": 10000, "assessableAmount": 10000,
                   "gstRate": 18, "igstAmount": 1800, "totalItemValue": 11800}],
        "valueDetails": {"assessableValue": 10000, "igstValue": 1800,
                         "totalInvoiceValue": 11800.00}
    }))
    .unwrap()
}

#[test]
fn dupirn_both_shapes_read_the_same() {
    let irn = onefinops_core::einvoice::Irn::of(&request());
    let api = json!({
        "irn": irn.as_str(), "ackNumber": 112610012345678u64,
        "ackDate": "2026-05-14T11:42:18.000Z", "status": "ACT",
        "message": "2150 : Duplicate IRN", "infoCode": "DUPIRN"
    });
    let nic = json!({
        "Status": 0,
        "ErrorDetails": [{"ErrorCode": "2150", "ErrorMessage": "Duplicate IRN"}],
        "InfoDtls": [{"InfCd": "DUPIRN", "Desc": {
            "AckNo": 112610012345678u64, "AckDt": "2026-05-14 17:12:18", "Irn": irn.as_str()}}]
    });
    let a = parse_generate_outcome(api.to_string().as_bytes()).unwrap();
    let n = parse_generate_outcome(nic.to_string().as_bytes()).unwrap();
    for o in [&a, &n] {
        assert!(o.duplicate);
        assert_eq!(o.irn, irn);
        assert_eq!(o.ack_no, 112610012345678);
        assert_eq!(o.ack_date, ts("2026-05-14T17:12:18+05:30"));
    }
    assert_eq!((a.shape, n.shape), (ReplyShape::OneFinOps, ReplyShape::Nic));

    // Adopt: no signed invoice (2283) -> identity only, and the result says so.
    let adopted = adopt_duplicate(&request(), &n, SignedPayload::Unavailable).unwrap();
    assert_eq!(adopted.basis, AdoptionBasis::IdentityOnly);
    assert!(adopted.note().contains("2283"));
}

#[test]
fn dupirn_genuine_conflict_is_an_error() {
    let req = request();
    let irn = onefinops_core::einvoice::Irn::of(&req);
    let dup = parse_generate_outcome(
        json!({"irn": irn.as_str(), "ackNumber": "112610012345678",
               "ackDate": "2026-05-14T11:42:18Z", "infoCode": "DUPIRN"})
        .to_string()
        .as_bytes(),
    )
    .unwrap();
    let payload = json!({
        "Irn": irn.as_str(),
        "BuyerDtls": {"Gstin": "33AABCT3518Q1ZW"},
        "ValDtls": {"TotInvVal": 11800}
    });
    let conflict = adopt_duplicate(&req, &dup, SignedPayload::Available(&payload)).unwrap_err();
    match &conflict {
        DuplicateConflict::DifferentInvoice {
            document_number,
            differences,
        } => {
            assert_eq!(document_number, "ACM/26-27/0042");
            assert_eq!(differences.len(), 1);
            assert_eq!(differences[0].field, "BuyerDtls.Gstin");
        }
        other => panic!("expected a different invoice, got {other:?}"),
    }
    assert!(conflict.to_string().contains("issue a new document number"));
    let error = Error::from(conflict);
    assert_eq!(error.code(), "upstream.failure");
    assert_eq!(error.upstream().map(|u| u.code.as_str()), Some("2150"));
    // Same buyer (any case) and the same total at another scale: adopted.
    let same =
        json!({"BuyerDtls": {"Gstin": "27aapfu0939f1zv"}, "ValDtls": {"TotInvVal": "11800.0"}});
    let adopted = adopt_duplicate(&req, &dup, SignedPayload::Available(&same)).unwrap();
    assert_eq!(adopted.basis, AdoptionBasis::Verified);
}

#[test]
fn signed_invoice_payload_decodes_without_verification() {
    // header.payload.signature, with the payload's `data` claim a JSON string.
    let jws = "eyJhbGciOiJSUzI1NiJ9.eyJkYXRhIjoie1wiQnV5ZXJEdGxzXCI6e1wiR3N0aW5cIjpcIjI3QUFQRlUwOTM5RjFaVlwifX0iLCJpc3MiOiJOSUMifQ.c2ln";
    let v = decode_signed_invoice_unverified(jws).unwrap();
    assert_eq!(
        v.pointer("/BuyerDtls/Gstin"),
        Some(&json!("27AAPFU0939F1ZV"))
    );
    assert!(decode_signed_invoice_unverified("not-a-jws").is_err());
    assert!(decode_signed_invoice_unverified("a.!!!.c").is_err());
}

#[test]
fn ewb_fetch_and_adopt() {
    let fetch = after_generate(&["604"], EwbDocumentType::TaxInvoice, "INV-1").unwrap();
    assert_eq!(fetch.nic_code(), "604");
    let irn = onefinops_core::einvoice::Irn::of(&request());
    assert_eq!(
        after_generate_by_irn(&["4002"], &irn).unwrap().nic_code(),
        "4002"
    );
    assert!(after_generate_by_irn(&["4001"], &irn).is_none());
}

// ---------------------------------------------------------------------------------------------
// errors and NIC codes

#[test]
fn seed_003_failure_rows() {
    let table: &[(u16, &str, Option<&str>, &str, bool)] = &[
        (
            400,
            "irp_credentials.not_configured",
            None,
            "irp_credentials.not_configured",
            false,
        ),
        (401, "auth.invalid_token", None, "auth.invalid_token", false),
        (
            403,
            "auth.entitlement_missing",
            None,
            "auth.entitlement_missing",
            false,
        ),
        (422, "validation_error", None, "validation_error", false),
        (502, "upstream.failure", None, "upstream.failure", false),
        (
            503,
            "upstream.unavailable",
            None,
            "upstream.unavailable",
            true,
        ),
        (429, "rate_limited", Some("30"), "rate_limited", true),
    ];
    for (status, code, retry_after, want, retryable) in table {
        let body = json!({"error": {"code": code, "message": "m", "requestId": "req_1"}});
        let e = Error::from_response(*status, *retry_after, body.to_string().as_bytes());
        assert_eq!(e.code(), *want);
        assert_eq!(e.http_status(), Some(*status));
        assert_eq!(e.is_retryable(), *retryable, "{code}");
        assert_eq!(e.request_id(), Some("req_1"));
    }
    let e = Error::from_response(
        429,
        Some("30"),
        br#"{"error":{"code":"rate_limited","message":"slow down"}}"#,
    );
    assert_eq!(e.retry_after(), Some(30));
    assert_eq!(e.retry_after_header().as_deref(), Some("30"));
}

#[test]
fn every_error_round_trips_through_its_envelope() {
    let mut samples: Vec<Error> = CODES
        .iter()
        .map(|c| {
            Error::from_code(c, format!("about {c}"))
                .unwrap()
                .with_request_id("req_9")
        })
        .collect();
    samples.push(Error::validation(
        "bad",
        vec![
            Finding::error("/items/0/hsnCode", "hsn.invalid", "invalid HSN").with_nic_code("2176"),
        ],
    ));
    samples.push(Error::upstream_failure(
        "refused",
        Upstream::new("2172", "IGST not applicable"),
    ));
    samples.push(Error::RateLimited {
        message: "slow".into(),
        retry_after: Some(7),
        request_id: None,
    });
    samples.push(Error::IdempotencyConflict {
        message: "busy".into(),
        in_progress: true,
        request_id: None,
    });
    for e in samples {
        let Some(status) = e.http_status() else {
            assert_eq!(e.code(), "transport");
            continue;
        };
        let header = e.retry_after_header();
        let back = Error::from_response(status, header.as_deref(), e.envelope_json().as_bytes());
        assert_eq!(back, e, "{}", e.code());
    }
}

#[test]
fn required_nic_classes_hold() {
    let table = [
        ("2146", NicCodeClass::Retryable),
        ("2147", NicCodeClass::Retryable),
        ("5001", NicCodeClass::Retryable),
        ("GSPERR300", NicCodeClass::Retryable),
        ("GSPGSTDOWN", NicCodeClass::Retryable),
        ("1005", NicCodeClass::Reauth),
        ("238", NicCodeClass::Reauth),
        ("106", NicCodeClass::Reauth),
        ("2150", NicCodeClass::IdempotentRecover),
        ("604", NicCodeClass::IdempotentRecover),
        ("4002", NicCodeClass::IdempotentRecover),
        ("9999", NicCodeClass::IdempotentRecover),
        ("312", NicCodeClass::IdempotentRecover),
        ("2172", NicCodeClass::UserFix),
        ("2270", NicCodeClass::UserFix),
        ("12345", NicCodeClass::UserFix),
    ];
    for (code, class) in table {
        assert_eq!(nic_code::classify(code), class, "{code}");
    }
    // Every code a lifecycle refusal names is catalogued, so its upstream message is NIC's.
    for code in [
        "2230", "2270", "2278", "9999", "281", "311", "312", "315", "338", "339", "341", "342",
        "343", "345", "346", "348", "379", "380", "381", "382", "384", "389", "390", "635", "636",
        "637", "700", "821",
    ] {
        assert!(nic_code::lookup(code).is_some(), "{code} is not catalogued");
    }
}

// ---------------------------------------------------------------------------------------------
// vector replay

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/lifecycle")
}

fn refusal_json<R: Refusal>(r: &R) -> Value {
    json!({"allowed": false, "code": r.code(), "nicCode": r.nic_code()})
}

fn without(v: &Value, key: &str) -> Value {
    let mut v = v.clone();
    if let Value::Object(m) = &mut v {
        m.remove(key);
    }
    v
}

fn run_validity(input: &Value) -> Value {
    let out = match input["op"].as_str().unwrap() {
        "predict" => {
            let q: ValidityInput = serde_json::from_value(without(input, "op")).unwrap();
            predict(&q)
        }
        "predict_extension" => predict_extension(
            &ts(input["from"].as_str().unwrap()),
            input["remainingKm"].as_u64().unwrap() as u32,
            serde_json::from_value(input.get("cargo").cloned().unwrap_or(json!("normal"))).unwrap(),
        ),
        other => panic!("unknown validity op {other}"),
    };
    match out {
        Ok(p) => json!({"days": p.days, "validUpto": p.valid_upto, "distanceKm": p.distance_km}),
        Err(e) => json!({"error": e.code(), "nicCode": e.nic_code()}),
    }
}

fn run_einvoice(input: &Value) -> Value {
    let record: Option<EInvoiceRecord> = serde_json::from_value(input["record"].clone()).unwrap();
    let action: EInvoiceAction = serde_json::from_value(input["action"].clone()).unwrap();
    let now = ts(input["now"].as_str().unwrap());
    match decide(record.as_ref(), action, &now) {
        Ok(EInvoiceDecision::Generate(advice)) => json!({"allowed": true, "decision": advice}),
        Ok(EInvoiceDecision::Poll) => json!({"allowed": true, "decision": "poll"}),
        Ok(EInvoiceDecision::Cancel(r)) => {
            json!({"allowed": true, "decision": "cancel", "record": r})
        }
        Err(e) => refusal_json(&e),
    }
}

fn run_ewaybill(input: &Value) -> Value {
    let record: EwayBillRecord = serde_json::from_value(input["record"].clone()).unwrap();
    let action: EwayBillAction = serde_json::from_value(input["action"].clone()).unwrap();
    let now = ts(input["now"].as_str().unwrap());
    match record.apply(&action, &now) {
        Ok(r) => json!({"allowed": true, "record": r}),
        Err(e) => refusal_json(&e),
    }
}

fn run_dupirn(input: &Value) -> Value {
    let reply = input["reply"].to_string();
    let outcome = parse_generate_outcome(reply.as_bytes());
    match input["op"].as_str().unwrap() {
        "parse" => match outcome {
            Ok(o) => json!({ "outcome": o }),
            Err(e) => json!({"error": e.code()}),
        },
        "adopt" => {
            let req: EInvoice = serde_json::from_value(input["request"].clone()).unwrap();
            let outcome = outcome.unwrap();
            let payload = input["signedInvoice"]
                .as_str()
                .map(|jws| decode_signed_invoice_unverified(jws).unwrap());
            let signed = match &payload {
                Some(p) => SignedPayload::Available(p),
                None => SignedPayload::Unavailable,
            };
            match adopt_duplicate(&req, &outcome, signed) {
                Ok(a) => json!({ "adopted": a }),
                Err(c) => {
                    let mut conflict = json!({"code": c.code()});
                    if let DuplicateConflict::DifferentInvoice { differences, .. } = &c {
                        conflict["differences"] = json!(differences);
                    }
                    json!({ "conflict": conflict })
                }
            }
        }
        other => panic!("unknown dupirn op {other}"),
    }
}

fn run_ewb_duplicate(input: &Value) -> Value {
    let codes: Vec<String> = serde_json::from_value(input["codes"].clone()).unwrap();
    let fetch = match input["op"].as_str().unwrap() {
        "generate" => after_generate(
            &codes,
            serde_json::from_value(input["documentType"].clone()).unwrap(),
            input["documentNumber"].as_str().unwrap(),
        ),
        "generate_by_irn" => after_generate_by_irn(
            &codes,
            &serde_json::from_value(input["irn"].clone()).unwrap(),
        ),
        other => panic!("unknown ewb_duplicate op {other}"),
    };
    json!({ "fetch": fetch })
}

fn run_error_envelope(input: &Value, expected: &Value) -> Value {
    let status = input["status"].as_u64().unwrap() as u16;
    let body = match &input["body"] {
        Value::String(s) => s.clone().into_bytes(),
        other => other.to_string().into_bytes(),
    };
    let e = Error::from_response(status, input["retryAfter"].as_str(), &body);
    let mut out = json!({
        "code": e.code(),
        "message": e.message(),
        "httpStatus": e.http_status(),
        "retryable": e.is_retryable(),
        "requestId": e.request_id(),
        "needsReauth": e.needs_reauth(),
        "retryAfter": e.retry_after(),
        "details": e.details(),
        "upstream": e.upstream(),
        "upstreamClass": e.upstream().map(|u| u.class().as_str()),
    });
    if expected.get("envelope").is_some() {
        out["envelope"] = e.to_envelope();
    }
    out
}

/// JSON equality where RFC 3339 strings compare as instants and a missing key equals null.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).all(|k| {
            same(
                x.get(k).unwrap_or(&Value::Null),
                y.get(k).unwrap_or(&Value::Null),
            )
        }),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::String(x), Value::String(y)) => {
            x == y
                || matches!(
                    (DateTime::parse_from_rfc3339(x), DateTime::parse_from_rfc3339(y)),
                    (Ok(p), Ok(q)) if p == q
                )
        }
        (Value::Number(x), Value::Number(y)) => x.to_string() == y.to_string(),
        _ => a == b,
    }
}

#[test]
fn replay_lifecycle_vectors() {
    let mut files: Vec<PathBuf> = fs::read_dir(vectors_dir())
        .expect("tests/vectors/lifecycle exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 7,
        "expected the seven vector files, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut count = 0;
    for path in &files {
        let doc: Value = serde_json::from_str(&fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let kind = doc["kind"].as_str().expect("kind");
        let cases = doc["cases"].as_array().expect("cases");
        assert!(!cases.is_empty(), "{} has no cases", path.display());
        for case in cases {
            let (name, input, expected) = (&case["name"], &case["input"], &case["expected"]);
            let actual = match kind {
                "validity" => run_validity(input),
                "einvoice" => run_einvoice(input),
                "ewaybill" => run_ewaybill(input),
                "dupirn" => run_dupirn(input),
                "ewb_duplicate" => run_ewb_duplicate(input),
                "error_envelope" => run_error_envelope(input, expected),
                "nic_code" => {
                    json!({"class": nic_code::classify(input["code"].as_str().unwrap()).as_str()})
                }
                other => panic!("{}: unknown kind {other}", path.display()),
            };
            count += 1;
            if !same(&actual, expected) {
                failures.push(format!(
                    "{} / {name}\n  expected {expected}\n  actual   {actual}",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
