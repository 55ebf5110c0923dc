//! E-way bills: by IRN and standalone, Part-B, extension window, transporter, reject, cancel, and
//! the IRN cancel refused with 2230 while a bill is active.

use onefinops_sandbox::Scope;
use serde_json::json;

use crate::common::*;

fn standalone(number: &str) -> String {
    json!({
        "documentDetails": {"type": "INV", "number": number, "date": "2026-11-20"},
        "supplyType": "O",
        "subSupplyType": 1,
        "transactionType": 1,
        "from": {"gstin": "29AKLPM8755F1Z2", "tradeName": "Bengaluru Goods", "address1": "1 Peenya", "place": "Bengaluru",
                 "pincode": 560058, "stateCode": "29", "actualStateCode": "29"},
        "to": {"gstin": "37ARZPT4384Q1MT", "tradeName": "Vizag Retail", "address1": "2 Beach Road", "place": "Visakhapatnam",
               "pincode": 530001, "stateCode": "37", "actualStateCode": "37"},
        "items": [{"itemNumber": 1, "productName": "Steel", "hsnCode": "72085110", "quantity": 10, "unit": "MTS",
                   "taxableAmount": 100000, "igstRate": 18}],
        "valueDetails": {"totalValue": 100000, "igstValue": 18000, "totalInvoiceValue": 118000},
        "transport": {"mode": 1, "distance": 0, "vehicleNumber": "KA01AB1234", "vehicleType": "R"}
    })
    .to_string()
}

#[test]
fn by_irn_then_irn_cancel_is_refused_with_2230_until_the_bill_is_cancelled() {
    let sb = start();
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    let gen = post(
        &format!("{base}/v1/einvoices/generate"),
        &[("Authorization", &auth), ("gstin", "36AMBPG7773M002")],
        &goods_invoice("TS-EWB-1"),
    );
    assert_eq!(gen.status, 200, "{}", gen.text());
    let irn = gen.json()["irn"].as_str().unwrap().to_owned();
    let inv = get(
        &format!("{base}/v1/einvoices/irn?irn={irn}"),
        &[("Authorization", &auth)],
    )
    .json();
    let id = inv["id"].as_str().unwrap().to_owned();

    let e = post(
        &format!("{base}/v1/ewaybills"),
        &[("Authorization", &auth)],
        &json!({"irn": irn, "distance": 0, "transportMode": 1, "vehicleNumber": "TS09AB1234", "vehicleType": "R"}).to_string(),
    );
    assert_eq!(e.status, 201, "{}", e.text());
    let bill = e.json();
    let ewb_no = bill["ewbNumber"].as_u64().unwrap();
    assert_eq!(ewb_no.to_string().len(), 12);
    assert_eq!(bill["status"], "active");
    assert_eq!(bill["irn"], irn.as_str());
    // 500001 -> 560001: (560 - 500) * 7 + 12 = 432 km, so ceil(432 / 200) = 3 days, to 23:59 IST.
    assert_eq!(bill["distance"], 432);
    assert_eq!(bill["alert"], "Pin-Pin calc distance: 432KM");
    let valid = chrono::DateTime::parse_from_rfc3339(bill["validUpto"].as_str().unwrap()).unwrap();
    let ist = valid.with_timezone(&onefinops_core::calendar::ist());
    assert_eq!(ist.format("%H:%M:%S").to_string(), "23:59:00");
    // A second bill for the same IRN: 4002.
    let again = post(
        &format!("{base}/v1/ewaybills"),
        &[("Authorization", &auth)],
        &json!({"irn": irn, "distance": 10, "transportMode": 1, "vehicleNumber": "TS09AB1234"})
            .to_string(),
    );
    assert_eq!(again.status, 502);
    assert_eq!(again.json()["error"]["upstream"]["code"], "4002");

    // The e-invoice shows its bill; its cancel is refused while the bill is active.
    let inv = get(
        &format!("{base}/v1/einvoices/{id}"),
        &[("Authorization", &auth)],
    )
    .json();
    assert_eq!(inv["ewbNumber"], ewb_no);
    let cancel_irn = || {
        post(
            &format!("{base}/v1/einvoices/{id}/cancel"),
            &[("Authorization", &auth)],
            r#"{"reason": "order_cancelled", "remarks": "order cancelled"}"#,
        )
    };
    let r = cancel_irn();
    assert_eq!(r.status, 502, "{}", r.text());
    assert_eq!(r.json()["error"]["upstream"]["code"], "2230");

    let c = post(
        &format!("{base}/v1/ewaybills/{ewb_no}/cancel"),
        &[("Authorization", &auth)],
        r#"{"reason": "order_cancelled", "remarks": "Cancelled the order"}"#,
    );
    assert_eq!(c.status, 200, "{}", c.text());
    assert_eq!(c.json()["status"], "cancelled");
    let r = cancel_irn();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "cancelled");
}

#[test]
fn standalone_bill_part_b_extension_transporter_reject_and_windows() {
    let sb = start_with(config(vec![
        client("ofin_test_vizag", &["37ARZPT4384Q1MT"], Scope::Full),
        client("ofin_test_transport", &["29AAACD8017H1ZX"], Scope::Full),
    ]));
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    let url = format!("{base}/v1/ewaybills");
    // Validation first: a bad vehicle number is a 422 with NIC's code.
    let mut bad: serde_json::Value = serde_json::from_str(&standalone("GDS-0")).unwrap();
    bad["transport"]["vehicleNumber"] = "X".into();
    let a = post(&url, &[("Authorization", &auth)], &bad.to_string());
    assert_eq!(a.status, 422, "{}", a.text());

    let a = post(&url, &[("Authorization", &auth)], &standalone("GDS-1"));
    assert_eq!(a.status, 201, "{}", a.text());
    let bill = a.json();
    let n = bill["ewbNumber"].as_u64().unwrap();
    assert_eq!(bill["generatorGstin"], "29AKLPM8755F1Z2");
    // 560058 -> 530001: 30 * 7 + 12 = 222 km: 2 days.
    assert_eq!(bill["distance"], 222);
    // The same document again: 604.
    let dup = post(&url, &[("Authorization", &auth)], &standalone("GDS-1"));
    assert_eq!(dup.status, 502);
    assert_eq!(dup.json()["error"]["upstream"]["code"], "604");

    let act = |path: &str, auth: &str, body: serde_json::Value| {
        post(
            &format!("{url}/{n}/{path}"),
            &[("Authorization", auth)],
            &body.to_string(),
        )
    };
    // Part-B by the generator (no transporter yet).
    let p = act(
        "part-b",
        &auth,
        json!({"vehicleNumber": "KA01AB9999", "fromPlace": "Bengaluru", "fromStateCode": "29", "reason": "first_time",
               "remarks": "new truck", "transportMode": 1}),
    );
    assert_eq!(p.status, 200, "{}", p.text());
    assert_eq!(p.json()["vehicleNumber"], "KA01AB9999");
    // Extension now is outside the window (validUpto - 8 h .. validUpto + 8 h): 382.
    let extend_body = json!({"fromPlace": "Kurnool", "fromStateCode": "37", "fromPincode": 518001, "remainingDistance": 100,
        "transportMode": 1, "vehicleNumber": "KA01AB9999", "reason": "accident", "remarks": "truck broke down",
        "consignmentStatus": "M"});
    let x = act("extend", &auth, extend_body.clone());
    assert_eq!(x.status, 502, "{}", x.text());
    assert_eq!(x.json()["error"]["upstream"]["code"], "382");
    // Hand over to a transporter; the other party may not.
    let vizag = bearer(&token_for(
        &base,
        "ofin_test_vizag",
        "ofin_test_vizag-secret",
    ));
    let tr = act(
        "transporter",
        &vizag,
        json!({"transporterId": "29AAACD8017H1ZX"}),
    );
    assert_eq!(tr.status, 502, "{}", tr.text());
    let tr = act(
        "transporter",
        &auth,
        json!({"transporterId": "29AAACD8017H1ZX"}),
    );
    assert_eq!(tr.status, 200, "{}", tr.text());
    assert_eq!(tr.json()["transporterId"], "29AAACD8017H1ZX");
    // Move to 4 hours before expiry: the transporter extends.
    let valid =
        chrono::DateTime::parse_from_rfc3339(tr.json()["validUpto"].as_str().unwrap()).unwrap();
    let now = chrono::Utc::now();
    advance(
        &base,
        (valid.with_timezone(&chrono::Utc) - now).num_seconds() - 4 * 3600,
    );
    // Tokens live 900 s on the sandbox clock: mint fresh ones after moving it.
    let carrier = bearer(&token_for(
        &base,
        "ofin_test_transport",
        "ofin_test_transport-secret",
    ));
    let vizag = bearer(&token_for(
        &base,
        "ofin_test_vizag",
        "ofin_test_vizag-secret",
    ));
    let auth = bearer(&token(&base));
    let x = act("extend", &carrier, extend_body);
    assert_eq!(x.status, 200, "{}", x.text());
    assert_eq!(x.json()["status"], "extended");
    assert_eq!(x.json()["extensions"], 1);
    // The recipient rejects within 72 hours of generation.
    let r = act("reject", &vizag, json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "rejected");
    // Terminal: the generator can no longer cancel (NIC has no code for it: 400 from the core).
    let c = act("cancel", &auth, json!({"reason": "others", "remarks": "x"}));
    assert_eq!(c.status, 400, "{}", c.text());
    assert!(c.text().contains("rejected"));
    // Fetch.
    let g = get(&format!("{url}/{n}"), &[("Authorization", &auth)]);
    assert_eq!(g.status, 200);
    assert_eq!(g.json()["status"], "rejected");
    assert_eq!(
        get(&format!("{url}/123"), &[("Authorization", &auth)]).status,
        400
    );
}

#[test]
fn an_invoice_with_ewaybill_details_gets_its_bill_in_the_same_call() {
    let sb = start();
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    let mut inv: serde_json::Value = serde_json::from_str(&goods_invoice("TS-EWB-2")).unwrap();
    inv["eWayBillDetails"] = json!({"transportMode": 1, "distance": 120, "vehicleNumber": "TS09AB1234", "vehicleType": "R"});
    let a = post(
        &format!("{base}/v1/einvoices/generate"),
        &[("Authorization", &auth), ("gstin", "36AMBPG7773M002")],
        &inv.to_string(),
    );
    assert_eq!(a.status, 200, "{}", a.text());
    let r = a.json();
    let ewb_no = r["ewbNo"].as_u64().expect("ewbNo in the reply");
    assert!(r["ewbValidTill"].as_str().unwrap().ends_with(".000Z"));
    let bill = get(
        &format!("{base}/v1/ewaybills/{ewb_no}"),
        &[("Authorization", &auth)],
    )
    .json();
    assert_eq!(bill["irn"], r["irn"]);
    assert_eq!(bill["distance"], 120);
    assert_eq!(bill["status"], "active");
}

#[test]
fn cancel_of_a_bill_after_24_hours_is_315() {
    let sb = start();
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    let a = post(
        &format!("{base}/v1/ewaybills"),
        &[("Authorization", &auth)],
        &standalone("GDS-9"),
    );
    let n = a.json()["ewbNumber"].as_u64().unwrap();
    advance(&base, 24 * 3600);
    let auth = bearer(&token(&base));
    let c = post(
        &format!("{base}/v1/ewaybills/{n}/cancel"),
        &[("Authorization", &auth)],
        r#"{"reason": 2, "remarks": "late"}"#,
    );
    assert_eq!(c.status, 502, "{}", c.text());
    assert_eq!(c.json()["error"]["upstream"]["code"], "315");
}
