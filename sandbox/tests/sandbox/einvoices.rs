//! E-invoice calls: validation errors, cancel and its 24-hour window, bulk, the QR image.

use crate::common::*;

#[test]
fn validation_error_has_details_from_the_core_engine() {
    let sb = start();
    let base = sb.base_url();
    let t = token(&base);
    let mut v: serde_json::Value = serde_json::from_str(&flat_invoice("INV-BAD-1")).unwrap();
    v["totals"]["totalInvoiceValue"] = 12_800.into();
    v["lines"][0]["hsnCode"] = "99".into();
    let a = create(&base, &t, &v.to_string());
    assert_eq!(a.status, 422, "{}", a.text());
    let e = &a.json()["error"];
    assert_eq!(e["code"], "validation_error");
    let details = e["details"].as_array().unwrap();
    let nic: Vec<&str> = details
        .iter()
        .filter_map(|d| d["nicCode"].as_str())
        .collect();
    assert!(nic.contains(&"2189"), "{details:?}");
    for d in details {
        for key in ["path", "code", "message", "severity"] {
            assert!(d.get(key).is_some(), "{d}");
        }
    }
    assert!(details
        .iter()
        .any(|d| d["path"] == "/totals/totalInvoiceValue"));
    // Not JSON at all.
    let a = create(&base, &t, "{nope");
    assert_eq!(a.status, 422);
    assert_eq!(
        a.json()["error"]["details"][0]["code"],
        "parse.invalid_json"
    );
}

#[test]
fn cancel_inside_and_outside_the_24_hour_window() {
    let sb = start();
    let base = sb.base_url();
    let t = token(&base);
    let a = create(&base, &t, &flat_invoice("INV-CNL-1"));
    let b = create(&base, &t, &flat_invoice("INV-CNL-2"));
    let (a_id, b_id) = (
        a.json()["id"].as_str().unwrap().to_owned(),
        b.json()["id"].as_str().unwrap().to_owned(),
    );
    // Tokens live 900 s on the sandbox clock, so each call mints a fresh one.
    let cancel = |id: &str, body: &str| {
        post(
            &format!("{base}/v1/einvoices/{id}/cancel"),
            &[
                ("Authorization", &bearer(&token(&base))),
                ("Content-Type", "application/json"),
            ],
            body,
        )
    };
    // Unknown reason: 422 naming the field.
    let r = cancel(&a_id, r#"{"reason": "bored", "remarks": "x"}"#);
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.json()["error"]["details"][0]["path"], "/reason");
    // Inside the window (23 h 59 min later): cancelled, by name or by NIC's code.
    advance(&base, 23 * 3600 + 59 * 60);
    let r = cancel(
        &a_id,
        r#"{"reason": "data_entry_mistake", "remarks": "wrong buyer"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let c = r.json();
    assert_eq!(c["status"], "cancelled");
    assert_eq!(c["cancelReason"], "data_entry_mistake");
    assert!(c["cancelledAt"].as_str().is_some());
    // Cancelling again: NIC's 9999 "Invoice is not active".
    let r = cancel(&a_id, r#"{"reason": 2, "remarks": ""}"#);
    assert_eq!(r.status, 502, "{}", r.text());
    assert_eq!(r.json()["error"]["upstream"]["code"], "9999");
    // Past 24 hours: NIC's 2270, through the core's guard on the sandbox clock.
    advance(&base, 2 * 60);
    let r = cancel(&b_id, r#"{"reason": "2", "remarks": "late"}"#);
    assert_eq!(r.status, 502, "{}", r.text());
    let e = &r.json()["error"];
    assert_eq!(e["code"], "upstream.failure");
    assert_eq!(e["upstream"]["code"], "2270");
    let auth = bearer(&token(&base));
    let g = get(
        &format!("{base}/v1/einvoices/{b_id}"),
        &[("Authorization", &auth)],
    );
    assert_eq!(g.json()["status"], "generated");
    // A cancelled document number never gets a new IRN (2278).
    let again = create(&base, &token(&base), &flat_invoice("INV-CNL-1"));
    assert_eq!(again.status, 502, "{}", again.text());
    assert_eq!(again.json()["error"]["upstream"]["code"], "2278");
}

#[test]
fn bulk_gives_one_result_per_record() {
    let sb = start();
    let base = sb.base_url();
    let t = token(&base);
    let mut bad: serde_json::Value = serde_json::from_str(&flat_invoice("INV-BULK-X")).unwrap();
    bad["totals"]["totalInvoiceValue"] = 1.into();
    let records: Vec<serde_json::Value> = vec![
        serde_json::from_str(&flat_invoice("INV-BULK-1")).unwrap(),
        serde_json::from_str(&grouped_invoice("TS-BULK-2")).unwrap(),
        bad,
        serde_json::from_str(&flat_invoice("INV-BULK-1")).unwrap(),
    ];
    let body = serde_json::json!({ "invoices": records }).to_string();
    let a = post(
        &format!("{base}/v1/einvoices/bulk"),
        &[
            ("Authorization", &bearer(&t)),
            ("Content-Type", "application/json"),
        ],
        &body,
    );
    assert_eq!(a.status, 200, "{}", a.text());
    let r = a.json();
    assert_eq!(r["total"], 4);
    assert_eq!(r["failed"], 1);
    let results = r["results"].as_array().unwrap();
    let statuses: Vec<&str> = results
        .iter()
        .map(|x| x["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["generated", "generated", "failed", "duplicate"]);
    assert_eq!(results[2]["error"]["code"], "validation_error");
    assert_eq!(results[3]["einvoice"]["irn"], results[0]["einvoice"]["irn"]);
    assert_eq!(results[3]["einvoice"]["infoCode"], "DUPIRN");
    // Over the limit: refused whole.
    let many = serde_json::json!({ "invoices": vec![serde_json::json!({}); 5001] }).to_string();
    let a = post(
        &format!("{base}/v1/einvoices/bulk"),
        &[("Authorization", &bearer(&t))],
        &many,
    );
    assert_eq!(a.status, 400, "{}", a.text());
}

#[test]
fn qr_image_is_a_png_of_the_signed_qr_code() {
    let sb = start();
    let base = sb.base_url();
    let t = token(&base);
    let inv = create(&base, &t, &flat_invoice("INV-QR-1")).json();
    let jws = inv["signedQrCode"].as_str().unwrap();
    let a = post(
        &format!("{base}/v1/einvoices/qrimage"),
        &[
            ("Authorization", &bearer(&t)),
            ("Content-Type", "application/json"),
        ],
        &serde_json::json!({ "signedQrCode": jws, "moduleSize": 2 }).to_string(),
    );
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.header("content-type"), Some("image/png"));
    // Decode the PNG and compare it, module by module, with the QR symbol of the JWS.
    let decoder = png::Decoder::new(std::io::Cursor::new(&a.body));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let code =
        qrcode::QrCode::with_error_correction_level(jws.as_bytes(), qrcode::EcLevel::M).unwrap();
    let n = code.width() as u32;
    assert_eq!(info.width, (n + 8) * 2);
    let colors = code.to_colors();
    for y in 0..n {
        for x in 0..n {
            let px = buf[(((y + 4) * 2) * info.width + (x + 4) * 2) as usize];
            let dark = colors[(y * n + x) as usize] == qrcode::Color::Dark;
            assert_eq!(px == 0, dark, "module ({x},{y})");
        }
    }
    // By IRN gives the same image at the default size; garbage is a 422.
    let by_irn = post(
        &format!("{base}/v1/einvoices/qrimage"),
        &[("Authorization", &bearer(&t))],
        &serde_json::json!({ "irn": inv["irn"] }).to_string(),
    );
    assert_eq!(by_irn.status, 200);
    assert!(by_irn.body.starts_with(b"\x89PNG\r\n\x1a\n"));
    let bad = post(
        &format!("{base}/v1/einvoices/qrimage"),
        &[("Authorization", &bearer(&t))],
        r#"{"signedQrCode": "not-a-jws"}"#,
    );
    assert_eq!(bad.status, 422);
}

#[test]
fn cancel_window_through_the_per_request_clock_header_without_admin() {
    let sb = start_with({
        let mut c = config(Vec::new());
        c.admin = false;
        c
    });
    let base = sb.base_url();
    let t = token(&base);
    let a = create(&base, &t, &flat_invoice("INV-CLK-1"));
    let b = create(&base, &t, &flat_invoice("INV-CLK-2"));
    let (a_id, b_id) = (
        a.json()["id"].as_str().unwrap().to_owned(),
        b.json()["id"].as_str().unwrap().to_owned(),
    );
    let cancel = |id: &str, token: &str, advance: &str| {
        post(
            &format!("{base}/v1/einvoices/{id}/cancel"),
            &[
                ("Authorization", &bearer(token)),
                ("Content-Type", "application/json"),
                ("X-Sandbox-Clock-Advance", advance),
            ],
            r#"{"reason": "data_entry_mistake", "remarks": "wrong buyer"}"#,
        )
    };
    // The token is checked before the clock moves: 23 h 59 min later, inside the window.
    let r = cancel(&a_id, &t, "86340");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "cancelled");
    // The clock stays moved (the old token has expired), and 2 min more is past 24 h: 2270.
    let r = cancel(&b_id, &t, "0");
    assert_eq!(r.status, 401, "{}", r.text());
    let r = cancel(&b_id, &token(&base), "2m");
    assert_eq!(r.status, 502, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "upstream.failure");
    assert_eq!(r.json()["error"]["upstream"]["code"], "2270");
    // An unreadable value is a 400 and moves nothing.
    let r = cancel(&b_id, &token(&base), "tomorrow");
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "invalid_argument");
    let h = get(&format!("{base}/healthz"), &[]).json();
    let now = chrono::DateTime::parse_from_rfc3339(h["now"].as_str().unwrap()).unwrap();
    let ahead = now.timestamp() - chrono::Utc::now().timestamp();
    assert!(
        (86_400..86_400 + 120).contains(&ahead),
        "the clock is 24 h 01 min ahead: {ahead} s"
    );
}
