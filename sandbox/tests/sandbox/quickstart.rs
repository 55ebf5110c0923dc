//! Seed 002 (quickstart) and seed 003 (generate an IRN) exactly as the documents send them.

use onefinops_core::einvoice::parse::parse_invoice;
use onefinops_core::einvoice::DocumentKey;

use crate::common::*;

#[test]
fn seed_002_quickstart_flow_as_the_curl_commands_send_it() {
    let sb = start_with({
        // The quickstart client exactly as the default seed has it (10 requests per second).
        let mut c = config(Vec::new());
        c.seed = onefinops_sandbox::Seed::quickstart();
        c
    });
    let base = sb.base_url();

    // 1. Get an access token: the form fields of the four -d flags, joined by curl with '&'.
    let a = post(
        &format!("{base}/realms/onefinops/protocol/openid-connect/token"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "grant_type=client_credentials&client_id=ofin_test_quickstart&client_secret=sandbox-secret&scope=gstn-india",
    );
    assert_eq!(a.status, 200, "{}", a.text());
    let t = a.json();
    assert_eq!(t["expires_in"], 900);
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["scope"], "gstn-india");
    let token = t["access_token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("eyJhbGciOi"), "{token}");
    // The response lists its fields in the documented order.
    assert!(a.text().starts_with(r#"{"access_token":"#), "{}", a.text());

    // 2. Generate an IRN: the verbatim body, with the documented headers.
    let auth = bearer(&token);
    let a = post(
        &format!("{base}/v1/einvoices"),
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
            ("Idempotency-Key", "9b8b3f8a-quickstart-001"),
        ],
        QUICKSTART_BODY,
    );
    assert_eq!(a.status, 201, "{}", a.text());
    assert!(a.text().starts_with(r#"{"id":"einv_"#), "{}", a.text());
    let inv = a.json();
    let expected_irn =
        DocumentKey::of(&parse_invoice(QUICKSTART_BODY.as_bytes()).unwrap().invoice).irn();
    assert_eq!(inv["object"], "einvoice");
    assert_eq!(inv["status"], "generated");
    assert_eq!(inv["irn"], expected_irn.as_str());
    let id = inv["id"].as_str().unwrap();
    assert_eq!(id.len(), "einv_".len() + 26);
    let ack = inv["ackNumber"]
        .as_str()
        .expect("ackNumber is a string in seed 002");
    assert_eq!(ack.len(), 15);
    assert!(ack.starts_with('1'));
    let ack_date = inv["ackDate"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(ack_date).is_ok() && ack_date.ends_with('Z'));
    assert_eq!(inv["generatedAt"], inv["ackDate"]);
    assert!(is_jws(inv["signedQrCode"].as_str().unwrap()));
    assert!(is_jws(inv["signedInvoice"].as_str().unwrap()));
    assert_eq!(inv["sellerGstin"], "29ABCDE1234F1Z5");
    assert_eq!(inv["documentType"], "INV");
    assert_eq!(inv["invoiceNumber"], "INV-2026-00001");
    assert_eq!(inv["invoiceDate"], "2026-05-04");
    assert_eq!(inv["financialYear"], "2026-27");
    assert_eq!(inv["totalInvoiceValue"].to_string(), "11800");
    // The body charges IGST with place of supply = the seller's state: NIC would say 2172. The
    // sandbox's default (quickstart) strictness lets the documented flow work and says so.
    assert_eq!(
        a.header("x-sandbox-warnings"),
        Some("2172 tax.igst_on_intra_state /lines/0/igstAmount")
    );
    assert!(a.header("x-request-id").unwrap().starts_with("req_"));
    assert_eq!(a.header("x-ratelimit-limit"), Some("10"));

    // 3. Fetch it back: the same record.
    let got = get(
        &format!("{base}/v1/einvoices/{id}"),
        &[("Authorization", &auth)],
    );
    assert_eq!(got.status, 200);
    assert_eq!(got.json(), inv);

    // The status endpoint.
    let st = get(
        &format!("{base}/v1/einvoices/{id}/status"),
        &[("Authorization", &auth)],
    );
    assert_eq!(st.status, 200);
    assert_eq!(st.json()["status"], "generated");
    assert_eq!(st.json()["id"], id);
    assert_eq!(st.json()["irn"], expected_irn.as_str());
}

#[test]
fn strict_mode_reports_2172_on_the_quickstart_body_and_accepts_it_with_pos_27() {
    let sb = start();
    let base = sb.base_url();
    let token = token(&base);
    let auth = bearer(&token);
    let strict = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
        ("X-Sandbox-Validation", "nic"),
    ];
    let a = post(&format!("{base}/v1/einvoices"), &strict, QUICKSTART_BODY);
    assert_eq!(a.status, 422, "{}", a.text());
    let err = &a.json()["error"];
    assert_eq!(err["code"], "validation_error");
    assert_eq!(err["details"][0]["nicCode"], "2172");
    assert_eq!(err["details"][0]["path"], "/lines/0/igstAmount");
    let a = post(
        &format!("{base}/v1/einvoices"),
        &strict,
        &flat_invoice("INV-2026-00001"),
    );
    assert_eq!(a.status, 201, "{}", a.text());
    assert!(a.header("x-sandbox-warnings").is_none());
}

#[test]
fn seed_003_generate_with_gstin_header_and_dupirn() {
    let sb = start();
    let base = sb.base_url();
    let token = token(&base);
    let auth = bearer(&token);
    let headers = [
        ("Authorization", auth.as_str()),
        ("gstin", "36AMBPG7773M002"),
        ("Content-Type", "application/json"),
        ("X-Request-Id", "4f1d8a2c-generate-1"),
    ];
    let body = grouped_invoice("TS-2026-0001");
    let a = post(&format!("{base}/v1/einvoices/generate"), &headers, &body);
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.header("x-request-id"), Some("4f1d8a2c-generate-1"));
    let r = a.json();
    let irn = r["irn"].as_str().unwrap().to_owned();
    assert_eq!(irn.len(), 64);
    assert!(r["ackNumber"].is_u64(), "ackNumber is a number in seed 003");
    assert_eq!(r["ackNumber"].to_string().len(), 15);
    let ack_date = r["ackDate"].as_str().unwrap();
    assert!(ack_date.ends_with(".000Z"), "{ack_date}");
    assert_eq!(r["status"], "ACT");
    assert!(is_jws(r["signedInvoice"].as_str().unwrap()));
    assert!(is_jws(r["signedQRCode"].as_str().unwrap()));
    assert_eq!(r["message"], "E-Invoice generated successfully");
    assert!(r.get("infoCode").is_none());
    assert!(a.text().starts_with(r#"{"irn":"#));

    // Same tuple again (no idempotency key): NIC's DUPIRN with the original IRN.
    let a = post(&format!("{base}/v1/einvoices/generate"), &headers, &body);
    assert_eq!(a.status, 200, "{}", a.text());
    let d = a.json();
    assert_eq!(d["irn"], irn.as_str());
    assert_eq!(d["ackNumber"], r["ackNumber"]);
    assert_eq!(d["ackDate"], r["ackDate"]);
    assert_eq!(d["status"], "ACT");
    assert_eq!(d["message"], "2150 : Duplicate IRN");
    assert_eq!(d["infoCode"], "DUPIRN");
    // The client core reads it as a duplicate of the same IRN.
    let outcome = onefinops_core::einvoice::dupirn::parse_generate_outcome(&a.body).unwrap();
    assert!(outcome.duplicate);
    assert_eq!(outcome.irn.as_str(), irn);

    // Refetch by IRN (seed 003 storage advice).
    let g = get(
        &format!("{base}/v1/einvoices/irn?irn={irn}"),
        &[("Authorization", &auth)],
    );
    assert_eq!(g.status, 200, "{}", g.text());
    assert_eq!(g.json()["irn"], irn.as_str());
    assert_eq!(g.json()["signedInvoice"], r["signedInvoice"]);
    assert_eq!(g.json()["status"], "generated");
}
