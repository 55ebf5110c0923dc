//! The blocking client against the local sandbox over loopback HTTP: the e-invoice and e-way bill
//! lifecycles, the lost-response fault, a 503 storm, 429s, token expiry on the sandbox clock,
//! queued records, forged signatures and tampered webhooks.

#![cfg(all(feature = "http", not(target_arch = "wasm32")))]

mod client_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use client_support::{bytes, seed_002_numbered};
use onefinops_core::client::auth::token_request;
use onefinops_core::client::config::{Config, Environment, OAuthClient, PollPolicy, RetryPolicy};
use onefinops_core::client::engine::CallOptions;
use onefinops_core::client::operation::{EInvoiceObject, Operation};
use onefinops_core::client::signature::{self, SignatureError, VerificationKeys};
use onefinops_core::client::transport::{HttpRequest, Method, Transport, UreqTransport};
use onefinops_core::client::webhook::{self, WebhookError};
use onefinops_core::client::{qr, Client};
use onefinops_core::credentials::Secret;
use onefinops_core::einvoice::cancel::EInvoiceCancelReason;
use onefinops_core::einvoice::Irn;
use onefinops_sandbox::config::{QUICKSTART_CLIENT_ID, QUICKSTART_CLIENT_SECRET};
use onefinops_sandbox::faults::Fault;
use onefinops_sandbox::{RunningSandbox, Sandbox};
use serde_json::{json, Value};

const KEY_A: &str = include_str!("client_support/test_signing_key_a.pem");
const KEY_B: &str = include_str!("client_support/test_signing_key_b.pem");
const SELLER: &str = "29ABCDE1234F1Z5";
const BUYER: &str = "27FGHIJ5678K1Z2";

fn start_with(rate_limit: u32, key: &str) -> RunningSandbox {
    Sandbox::spawn(onefinops_sandbox::Config {
        admin: true,
        rate_limit,
        signing_key_pem: Some(key.to_owned()),
        ..onefinops_sandbox::Config::default()
    })
    .expect("the sandbox starts")
}

fn start() -> RunningSandbox {
    start_with(1000, KEY_A)
}

fn config_for(sb: &RunningSandbox) -> Config {
    let mut c = Config::new(Environment::local(&sb.base_url())).with_client(OAuthClient::new(
        QUICKSTART_CLIENT_ID,
        QUICKSTART_CLIENT_SECRET,
    ));
    c.retry = RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        retry_after_cap: Duration::from_secs(5),
    };
    c.poll = PollPolicy {
        enabled: true,
        initial_interval: Duration::from_millis(200),
        max_interval: Duration::from_millis(500),
        default_deadline: Duration::from_secs(20),
    };
    c.timeouts.request = Duration::from_secs(10);
    c
}

fn client(sb: &RunningSandbox) -> Client {
    Client::new(config_for(sb)).expect("valid config")
}

/// An invoice of goods (an e-way bill needs goods), numbered `number`.
fn goods_invoice(number: &str) -> Value {
    let mut v = seed_002_numbered(number);
    v["lines"][0]["productDescription"] = json!("Laptop computers");
    v["lines"][0]["isService"] = json!(false);
    v["lines"][0]["hsnCode"] = json!("847130");
    v["lines"][0]["quantity"] = json!(1);
    v["lines"][0]["unit"] = json!("NOS");
    v
}

fn count_irn(sb: &RunningSandbox, irn: &str) -> usize {
    sb.app()
        .store()
        .einvoices
        .values()
        .filter(|r| r.irn == irn)
        .count()
}

#[test]
fn einvoice_lifecycle_end_to_end() {
    let sb = start();
    let c = client(&sb);
    let body = seed_002_numbered("CLI-LIFE-0001");

    let created = c.create_einvoice(bytes(&body)).unwrap();
    assert_eq!(created.status, "generated");
    let irn: Irn = created.irn.as_deref().unwrap().parse().unwrap();
    assert_eq!(
        Some(&irn),
        created.meta.expected_irn.as_ref(),
        "the IRN computed locally is NIC's"
    );
    assert_eq!(created.meta.token_requests, 1);
    assert!(created.meta.rate_limit.is_some());
    assert!(created.meta.warnings.is_empty());

    // Fetch by id, by IRN, and the status; the token is reused.
    let got = c.get_einvoice(&created.id).unwrap();
    assert_eq!(got.irn, created.irn);
    assert_eq!(got.meta.token_requests, 0);
    let by_irn = c.get_einvoice_by_irn(&irn).unwrap();
    assert_eq!(by_irn.id, created.id);
    let status = c.einvoice_status(&created.id).unwrap();
    assert_eq!(status.status, "generated");

    // Signatures, against the sandbox's JWKS.
    assert_eq!(c.load_jwks().unwrap(), 1);
    let signed = c
        .verify_signed_invoice(created.signed_invoice.as_deref().unwrap())
        .unwrap();
    assert_eq!(signed["Irn"], irn.as_str());
    assert_eq!(signed["SellerDtls"]["Gstin"], SELLER);
    let qr_payload = c
        .verify_signed_qr_code(created.signed_qr_code.as_deref().unwrap())
        .unwrap();
    assert_eq!(
        (qr_payload.irn.as_str(), qr_payload.seller_gstin.as_str()),
        (irn.as_str(), SELLER)
    );
    assert_eq!(qr_payload.tot_inv_val, rust_decimal::Decimal::new(11800, 0));

    // The QR image, locally and from the API: both PNGs of the same symbol size.
    let local = qr::png_from_signed_qr(created.signed_qr_code.as_deref().unwrap(), 4).unwrap();
    let remote = c
        .qr_image(created.signed_qr_code.as_deref().unwrap())
        .unwrap();
    assert_eq!(&local[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&remote.value[..8], b"\x89PNG\r\n\x1a\n");
    let size = |png: &[u8]| {
        let r = png::Decoder::new(png).read_info().unwrap();
        (r.info().width, r.info().height)
    };
    assert_eq!(size(&local), size(&remote.value));

    // The same document again: answered from the DUPIRN cache, no request.
    let again = c.create_einvoice(bytes(&body)).unwrap();
    assert!(again.is_duplicate() && again.meta.from_cache);
    assert_eq!(again.meta.attempts, 0);
    assert_eq!(
        (again.id.as_str(), &again.irn),
        (created.id.as_str(), &created.irn)
    );
    // A fresh client (a restarted process, no cache) sends the same key: the stored answer.
    let fresh = client(&sb);
    let replay = fresh.create_einvoice(bytes(&body)).unwrap();
    assert!(replay.meta.replayed && !replay.is_duplicate());
    assert_eq!(replay.meta.idempotency_key, created.meta.idempotency_key);
    // The same document in other bytes (another key): the server answers DUPIRN.
    let fresh = client(&sb);
    let dup = fresh
        .create_einvoice(serde_json::to_vec_pretty(&body).unwrap())
        .unwrap();
    assert!(dup.is_duplicate() && !dup.meta.from_cache);
    assert_eq!(dup.meta.attempts, 1);
    assert_eq!(
        (dup.id.as_str(), &dup.irn, &dup.ack_number),
        (created.id.as_str(), &created.irn, &created.ack_number)
    );
    assert_eq!(count_irn(&sb, irn.as_str()), 1);

    // Cancel, then fetch the cancelled record.
    let cancelled = c
        .cancel_einvoice(
            &created.id,
            EInvoiceCancelReason::DataEntryMistake,
            "wrong buyer address",
        )
        .unwrap();
    assert_eq!(cancelled.status, "cancelled");
    assert!(cancelled.meta.idempotency_key.is_some());
    assert_eq!(c.get_einvoice(&created.id).unwrap().status, "cancelled");
    // A second cancel is NIC's refusal, not retried.
    let e = c
        .cancel_einvoice(&created.id, EInvoiceCancelReason::Others, "again")
        .unwrap_err();
    assert_eq!(e.meta.attempts, 1, "{e}");
    // The cache forgot the IRN: a repeat goes to the server. With the same bytes (the same key)
    // within 24 h it is the stored answer of the original call, flagged as a replay...
    let replayed = c.create_einvoice(bytes(&body)).unwrap();
    assert!(replayed.meta.replayed && !replayed.meta.from_cache);
    // ... with bytes not sent before the server decides afresh: a cancelled number is not reused.
    let mut other_bytes = bytes(&body);
    other_bytes.push(b'\n');
    let e = c.create_einvoice(other_bytes).unwrap_err();
    assert_eq!(e.meta.attempts, 1, "{e}");
    assert_eq!(e.code(), "upstream.failure", "{e}");
    assert_eq!(e.upstream().map(|u| u.code.as_str()), Some("2278"), "{e}");

    // Unknown id: 404, not retried.
    let e = c.get_einvoice("einv_does_not_exist").unwrap_err();
    assert_eq!((e.code(), e.meta.attempts), ("not_found", 1));
    assert!(e.request_id().is_some());

    // The NIC-style endpoint, and bulk.
    let gen = c
        .generate_einvoice(bytes(&seed_002_numbered("CLI-LIFE-0002")), Some(SELLER))
        .unwrap();
    assert!(!gen.duplicate && gen.signed_invoice.is_some());
    let bulk = c
        .bulk_einvoices(vec![
            seed_002_numbered("CLI-LIFE-0003"),
            seed_002_numbered("CLI-LIFE-0002"),
        ])
        .unwrap();
    assert_eq!((bulk.total, bulk.succeeded, bulk.failed), (2, 2, 0));
    assert_eq!(bulk.results[1].status, "duplicate");
}

#[test]
fn gsp_credentials_lifecycle() {
    let sb = start();
    let c = client(&sb);
    let list = c.list_gsp_credentials(Some(SELLER), None).unwrap();
    assert_eq!(list.data.len(), 2, "IRP and EWB seeded");
    let id = list.data[0].id.clone();
    assert_eq!(c.get_gsp_credential(&id).unwrap().gstin, SELLER);
    let v = c.verify_gsp_credential(&id).unwrap();
    assert_eq!(v.id, id);
    let rotated = c
        .rotate_gsp_credential(
            &id,
            onefinops_core::credentials::RotateGspCredential {
                password: Secret::new("new-portal-password"),
                username: None,
            },
        )
        .unwrap();
    assert!(rotated.rotated_at.is_some());
    c.delete_gsp_credential(&id).unwrap();
    assert_eq!(c.get_gsp_credential(&id).unwrap_err().code(), "not_found");
    // Onboarding again works, and the password never shows up anywhere in the request log.
    let created = c
        .create_gsp_credential(onefinops_core::credentials::CreateGspCredential {
            gstin: SELLER.into(),
            portal: list.data[0].portal,
            username: "acme_api".into(),
            password: Secret::new("onboard-secret-pw"),
        })
        .unwrap();
    assert_eq!(created.gstin, SELLER);
    let log: Vec<Value> = sb
        .app()
        .request_log
        .lock()
        .unwrap()
        .iter()
        .cloned()
        .collect();
    let text = serde_json::to_string(&log).unwrap();
    assert!(!text.contains("onboard-secret-pw") && !text.contains(QUICKSTART_CLIENT_SECRET));
}

fn ewb_by_irn(irn: &str) -> onefinops_core::ewaybill::EwbByIrn {
    serde_json::from_value(json!({
        "irn": irn, "distance": 150, "transportMode": "1", "vehicleNumber": "KA01AB1234", "vehicleType": "R"
    }))
    .unwrap()
}

#[test]
fn ewaybill_lifecycle_end_to_end() {
    let sb = start();
    let c = client(&sb);

    // Bill 1: generate from an e-invoice, Part-B, extend near expiry, hand over to a transporter.
    let inv = c
        .create_einvoice(bytes(&goods_invoice("CLI-EWB-0001")))
        .unwrap();
    let bill = c
        .generate_ewaybill_by_irn(ewb_by_irn(inv.irn.as_deref().unwrap()), Some(SELLER))
        .unwrap();
    assert_eq!(bill.status, "active", "{:?}", bill.value);
    assert!(bill
        .meta
        .idempotency_key
        .as_deref()
        .unwrap()
        .starts_with("ofn-ewaybill-generate-by-irn-"));
    let no = bill.ewb_number;
    assert_eq!(c.get_ewaybill(no).unwrap().irn, inv.irn);
    let part_b: onefinops_core::ewaybill::PartBUpdate = serde_json::from_value(json!({
        "ewbNumber": no, "vehicleNumber": "KA05MN4321", "fromPlace": "Tumakuru", "fromStateCode": "29",
        "reason": "break_down", "remarks": "Vehicle broke down near Tumakuru", "transportMode": "1", "vehicleType": "R"
    }))
    .unwrap();
    let b = c.update_part_b(part_b, Some(SELLER)).unwrap();
    assert_eq!(b.vehicle_number.as_deref(), Some("KA05MN4321"));
    // Move the sandbox clock to two hours before the bill expires: inside the extension window.
    let valid_upto =
        chrono::DateTime::parse_from_rfc3339(b.valid_upto.as_deref().unwrap()).unwrap();
    let secs = (valid_upto.timestamp() - sb.app().now().timestamp()) - 2 * 3600;
    sb.app().clock.advance(secs);
    let extend: onefinops_core::ewaybill::ExtendValidity = serde_json::from_value(json!({
        "ewbNumber": no, "vehicleNumber": "KA05MN4321", "fromPlace": "Hassan", "fromStateCode": "29",
        "fromPincode": 573201, "remainingDistance": 50, "transportMode": "1", "reason": "others",
        "remarks": "Delayed by a landslide diversion", "consignmentStatus": "M"
    }))
    .unwrap();
    let x = c.extend_ewaybill(extend, Some(SELLER)).unwrap();
    assert_eq!(x.extensions, Some(1), "{:?}", x.value);
    let t: onefinops_core::ewaybill::UpdateTransporter =
        serde_json::from_value(json!({"ewbNumber": no, "transporterId": "88AAACD8017H1ZX"}))
            .unwrap();
    let t = c.update_transporter(t, Some(SELLER)).unwrap();
    assert_eq!(t.transporter_id.as_deref(), Some("88AAACD8017H1ZX"));

    // Bill 2: generate, cancel (within 24 h), then the e-invoice can be cancelled too.
    let inv2 = c
        .create_einvoice(bytes(&goods_invoice("CLI-EWB-0002")))
        .unwrap();
    let bill2 = c
        .generate_ewaybill_by_irn(ewb_by_irn(inv2.irn.as_deref().unwrap()), None)
        .unwrap();
    // An active e-way bill blocks the IRN's cancellation (NIC 2230): final, not retried.
    let blocked = c
        .cancel_einvoice(
            &inv2.id,
            EInvoiceCancelReason::OrderCancelled,
            "order cancelled",
        )
        .unwrap_err();
    assert_eq!(
        (blocked.code(), blocked.meta.attempts),
        ("upstream.failure", 1),
        "{blocked}"
    );
    let cancel: onefinops_core::ewaybill::CancelEWayBill = serde_json::from_value(json!({
        "ewbNumber": bill2.ewb_number, "reason": "order_cancelled", "remarks": "Cancelled the order"
    }))
    .unwrap();
    assert_eq!(c.cancel_ewaybill(cancel, None).unwrap().status, "cancelled");
    let inv2c = c
        .cancel_einvoice(
            &inv2.id,
            EInvoiceCancelReason::OrderCancelled,
            "order cancelled",
        )
        .unwrap();
    assert_eq!(inv2c.status, "cancelled");

    // Bill 3: rejected by the recipient, acting with its own GSTIN.
    let inv3 = c
        .create_einvoice(bytes(&goods_invoice("CLI-EWB-0003")))
        .unwrap();
    let bill3 = c
        .generate_ewaybill_by_irn(ewb_by_irn(inv3.irn.as_deref().unwrap()), None)
        .unwrap();
    let reject: onefinops_core::ewaybill::RejectEWayBill =
        serde_json::from_value(json!({"ewbNumber": bill3.ewb_number})).unwrap();
    let r = c.reject_ewaybill(reject, Some(BUYER)).unwrap();
    assert_eq!(r.status, "rejected", "{:?}", r.value);

    // A bill for an IRN that does not exist: 404, not retried.
    let missing = Irn::compute(
        SELLER,
        "2026-27".parse().unwrap(),
        onefinops_core::einvoice::model::DocumentType::Invoice,
        "NOPE-1",
    );
    let e = c
        .generate_ewaybill_by_irn(ewb_by_irn(missing.as_str()), None)
        .unwrap_err();
    assert_eq!((e.code(), e.meta.attempts), ("not_found", 1));
}

#[test]
fn a_lost_response_is_retried_to_the_same_irn_without_a_duplicate() {
    let sb = start();
    let c = client(&sb);
    let body = seed_002_numbered("CLI-LOST-0001");
    let opts = CallOptions {
        headers: vec![("X-Sandbox-Fault".into(), "drop-after-commit".into())],
        ..CallOptions::default()
    };
    let r = c
        .call_as::<EInvoiceObject>(Operation::CreateEInvoice { body: bytes(&body) }, opts)
        .unwrap();
    assert_eq!(r.status, "generated");
    assert_eq!(
        r.meta.attempts, 2,
        "the first answer was lost, the retry got the stored one"
    );
    assert!(
        r.meta.replayed,
        "the retry was answered from the server's idempotency store"
    );
    let irn = r.irn.clone().unwrap();
    assert_eq!(
        Some(irn.as_str()),
        r.meta.expected_irn.as_ref().map(Irn::as_str)
    );
    assert_eq!(count_irn(&sb, &irn), 1, "exactly one registration");
    // Both attempts carried the same key.
    let log: Vec<Value> = sb
        .app()
        .request_log
        .lock()
        .unwrap()
        .iter()
        .cloned()
        .collect();
    let keys: Vec<&Value> = log
        .iter()
        .filter(|e| e["path"] == "/v1/einvoices")
        .map(|e| &e["idempotencyKey"])
        .collect();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1]);
    assert_eq!(keys[0].as_str(), r.meta.idempotency_key.as_deref());
    assert_eq!(
        log.iter()
            .filter(|e| e["connectionDropped"] == true)
            .count(),
        1
    );

    // A process that restarts after losing the answer sends the same key and gets the same IRN.
    let restarted = client(&sb);
    let again = restarted.create_einvoice(bytes(&body)).unwrap();
    assert_eq!(again.irn.as_deref(), Some(irn.as_str()));
    assert_eq!(again.meta.idempotency_key, r.meta.idempotency_key);
    assert!(again.meta.replayed);
    assert_eq!(count_irn(&sb, &irn), 1);
}

#[test]
fn a_503_storm_then_success() {
    let sb = start();
    let c = client(&sb);
    sb.app().faults.push(Fault::Unavailable, 3);
    let r = c
        .create_einvoice(bytes(&seed_002_numbered("CLI-STORM-0001")))
        .unwrap();
    assert_eq!(r.status, "generated");
    assert_eq!((r.meta.attempts, r.meta.retries), (4, 3));
    // Four 503s exhaust the default budget of three retries.
    sb.app().faults.push(Fault::Unavailable, 4);
    let e = c
        .create_einvoice(bytes(&seed_002_numbered("CLI-STORM-0002")))
        .unwrap_err();
    assert_eq!((e.code(), e.meta.attempts), ("upstream.unavailable", 4));
    // ... and the same call later, same key, succeeds.
    let later = c
        .create_einvoice(bytes(&seed_002_numbered("CLI-STORM-0002")))
        .unwrap();
    assert_eq!(later.meta.idempotency_key, e.meta.idempotency_key);
    // A 502 (NIC's verdict) is never retried.
    let opts = CallOptions {
        headers: vec![("X-Sandbox-Fault".into(), "502:2150".into())],
        ..CallOptions::default()
    };
    let e = c
        .call(
            Operation::CreateEInvoice {
                body: bytes(&seed_002_numbered("CLI-STORM-0003")),
            },
            opts,
        )
        .unwrap_err();
    assert_eq!((e.code(), e.meta.attempts), ("upstream.failure", 1));
}

#[test]
fn rate_limited_calls_wait_for_retry_after() {
    let sb = start_with(1, KEY_A);
    let c = client(&sb);
    let mut retried = 0;
    for i in 0..3 {
        let r = c
            .create_einvoice(bytes(&seed_002_numbered(&format!("CLI-429-000{i}"))))
            .unwrap();
        assert_eq!(r.status, "generated");
        let rl = r.meta.rate_limit.unwrap();
        assert_eq!(rl.limit, Some(1));
        retried += r.meta.retries;
    }
    assert!(retried >= 1, "a 429 was met and waited out");
    let log: Vec<Value> = sb
        .app()
        .request_log
        .lock()
        .unwrap()
        .iter()
        .cloned()
        .collect();
    assert!(log.iter().any(|e| e["status"] == 429));
    // Every 429 was waited out and the same request (same idempotency key) then succeeded.
    let creates: Vec<&Value> = log
        .iter()
        .filter(|e| e["path"] == "/v1/einvoices")
        .collect();
    for (i, e) in creates.iter().enumerate() {
        if e["status"] == 429 {
            let key = &e["idempotencyKey"];
            assert!(key.is_string(), "{e}");
            assert!(
                creates[i + 1..]
                    .iter()
                    .any(|later| later["idempotencyKey"] == *key && later["status"] == 201),
                "the 429 of {key} was not followed by its success"
            );
        }
    }
    assert_eq!(
        creates.iter().filter(|e| e["status"] == 201).count(),
        3,
        "three IRNs, no duplicate"
    );
}

#[test]
fn token_expiry_mid_run_is_refreshed_once() {
    let sb = start();
    let c = client(&sb);
    let first = c
        .create_einvoice(bytes(&seed_002_numbered("CLI-TOK-0001")))
        .unwrap();
    assert_eq!(first.meta.token_requests, 1);
    // The sandbox's clock moves past the token's 900 s; the client's cache still trusts it.
    sb.app().clock.advance(901);
    let r = c.get_einvoice(&first.id).unwrap();
    assert_eq!(r.meta.token_requests, 1, "one refresh");
    assert_eq!(
        r.meta.attempts, 2,
        "the 401, then the same request with the new token"
    );
    let r = c.get_einvoice(&first.id).unwrap();
    assert_eq!(r.meta.token_requests, 0, "the new token is cached");
    let log: Vec<Value> = sb
        .app()
        .request_log
        .lock()
        .unwrap()
        .iter()
        .cloned()
        .collect();
    assert_eq!(log.iter().filter(|e| e["status"] == 401).count(), 1);
    assert_eq!(
        log.iter()
            .filter(|e| e["path"] == onefinops_sandbox::TOKEN_PATH)
            .count(),
        2
    );
}

#[test]
fn a_queued_record_is_polled_until_generated() {
    let sb = start();
    let c = client(&sb);
    let opts = CallOptions {
        headers: vec![("X-Sandbox-Fault".into(), "queued:1".into())],
        ..CallOptions::default()
    };
    let r = c
        .call_as::<EInvoiceObject>(
            Operation::CreateEInvoice {
                body: bytes(&seed_002_numbered("CLI-Q-0001")),
            },
            opts.clone(),
        )
        .unwrap();
    assert_eq!(r.status, "generated");
    assert!(r.meta.polls >= 1 && !r.meta.pending);
    assert!(r.irn.is_some() && r.signed_invoice.is_some());
    // With a short deadline the call comes back pending, with the id to poll later.
    let short = CallOptions {
        deadline_ms: Some(c.deadline_in(Duration::from_millis(300))),
        headers: vec![("X-Sandbox-Fault".into(), "queued:30".into())],
        ..CallOptions::default()
    };
    let r = c
        .call_as::<EInvoiceObject>(
            Operation::CreateEInvoice {
                body: bytes(&seed_002_numbered("CLI-Q-0002")),
            },
            short,
        )
        .unwrap();
    assert_eq!(r.status, "queued");
    assert!(r.meta.pending && r.meta.deadline_reached);
    assert_eq!(c.einvoice_status(&r.id).unwrap().status, "queued");
}

fn b64json(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

#[test]
fn forged_signatures_are_rejected() {
    let sb = start();
    let c = client(&sb);
    c.load_jwks().unwrap();
    let keys = c.verification_keys();
    let kid = keys.kids().next().unwrap().to_owned();
    let inv = c
        .create_einvoice(bytes(&seed_002_numbered("CLI-JWS-0001")))
        .unwrap();
    let jws = inv.signed_invoice.clone().unwrap();
    assert!(signature::verify_signed_invoice(&jws, &keys).is_ok());
    let parts: Vec<&str> = jws.split('.').collect();

    // The payload changed (a higher total), the signature kept.
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let data = claims["data"].as_str().unwrap().replace("11800", "1180");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64json(&json!({"data": data, "iss": "NIC Sandbox"})),
        parts[2]
    );
    assert!(matches!(
        signature::verify_jws(&forged, &keys),
        Err(SignatureError::BadSignature(_))
    ));

    // alg none, with or without a signature.
    let none = b64json(&json!({"alg": "none", "kid": kid, "typ": "JWT"}));
    for sig in ["", parts[2]] {
        let t = format!("{none}.{}.{sig}", parts[1]);
        assert!(
            matches!(signature::verify_jws(&t, &keys), Err(SignatureError::Algorithm(a)) if a == "none")
        );
    }

    // HS256 "signed" with the public key as the HMAC secret: the classic confusion attack.
    let jwks: Value = serde_json::from_slice(&jwks_bytes(&sb)).unwrap();
    let n = URL_SAFE_NO_PAD
        .decode(jwks["keys"][0]["n"].as_str().unwrap())
        .unwrap();
    let hs_header = b64json(&json!({"alg": "HS256", "kid": kid, "typ": "JWT"}));
    let signing_input = format!("{hs_header}.{}", parts[1]);
    let tag = {
        use hmac::{Hmac, Mac};
        let mut m = Hmac::<sha2::Sha256>::new_from_slice(&n).unwrap();
        m.update(signing_input.as_bytes());
        URL_SAFE_NO_PAD.encode(m.finalize().into_bytes())
    };
    let hs = format!("{signing_input}.{tag}");
    assert!(
        matches!(signature::verify_jws(&hs, &keys), Err(SignatureError::Algorithm(a)) if a == "HS256")
    );

    // A kid we do not have.
    let other_kid = b64json(&json!({"alg": "RS256", "kid": "DEADBEEF", "typ": "JWT"}));
    let t = format!("{other_kid}.{}.{}", parts[1], parts[2]);
    assert!(
        matches!(signature::verify_jws(&t, &keys), Err(SignatureError::UnknownKid(k)) if k == "DEADBEEF")
    );
    // crit is refused.
    let crit = b64json(&json!({"alg": "RS256", "kid": kid, "crit": ["exp"]}));
    assert!(matches!(
        signature::verify_jws(&format!("{crit}.{}.{}", parts[1], parts[2]), &keys),
        Err(SignatureError::Critical(_))
    ));

    // A token really signed with RS256, by another key (another sandbox).
    let other = start_with(1000, KEY_B);
    let oc = client(&other);
    let theirs = oc
        .create_einvoice(bytes(&seed_002_numbered("CLI-JWS-0002")))
        .unwrap();
    let theirs_jws = theirs.signed_invoice.clone().unwrap();
    assert!(matches!(
        signature::verify_jws(&theirs_jws, &keys),
        Err(SignatureError::UnknownKid(_))
    ));
    // ... and under our kid, with their key: the signature does not verify.
    let their_jwks: Value = serde_json::from_slice(&jwks_bytes(&other)).unwrap();
    let mut swapped = their_jwks.clone();
    swapped["keys"][0]["kid"] = json!(kid);
    let wrong_keys = VerificationKeys::from_jwks(&bytes(&swapped)).unwrap();
    assert!(matches!(
        signature::verify_jws(&jws, &wrong_keys),
        Err(SignatureError::BadSignature(_))
    ));
    // No keys at all.
    assert_eq!(
        signature::verify_jws(&jws, &VerificationKeys::new()),
        Err(SignatureError::NoKeys)
    );
    // The QR code is checked the same way.
    let qr = inv.signed_qr_code.clone().unwrap();
    let qparts: Vec<&str> = qr.split('.').collect();
    let tampered = format!("{}.{}.{}", qparts[0], parts[1], qparts[2]);
    assert!(signature::verify_signed_qr_code(&tampered, &keys).is_err());
    assert!(signature::verify_signed_qr_code(&qr, &keys).is_ok());
}

fn jwks_bytes(sb: &RunningSandbox) -> Vec<u8> {
    let t = UreqTransport::new();
    let r = t
        .send(&HttpRequest {
            method: Method::Get,
            url: format!("{}/.well-known/jwks.json", sb.base_url()),
            headers: vec![],
            body: vec![],
            timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(5),
        })
        .unwrap();
    assert_eq!(r.status, 200);
    r.body
}

/// Waits for one webhook POST on `listener` and answers 200: (signature header, raw body).
fn receive_webhook(listener: TcpListener) -> (String, Vec<u8>) {
    // Never hang the suite: give the sandbox 20 s to deliver.
    listener.set_nonblocking(true).unwrap();
    let started = std::time::Instant::now();
    let stream = loop {
        match listener.accept() {
            Ok((s, _)) => break s,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                assert!(
                    started.elapsed() < Duration::from_secs(20),
                    "no webhook delivery within 20 s"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("accept: {e}"),
        }
    };
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut signature = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "onefinops-signature" => signature = v.trim().to_owned(),
                "content-length" => length = v.trim().parse().unwrap(),
                _ => {}
            }
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).unwrap();
    let mut s = stream;
    s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        .unwrap();
    (signature, body)
}

#[test]
fn webhooks_verify_and_tampered_ones_are_rejected() {
    let sb = start();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let hook_url = format!("http://{}/hook", listener.local_addr().unwrap());
    let receiver = std::thread::spawn(move || receive_webhook(listener));

    // Register the endpoint (not a typed operation of the client: done by hand with a token).
    let mut config = config_for(&sb);
    config.webhook_secret = Some(Secret::new("whsec_client_test"));
    let t = UreqTransport::new();
    let tok = t.send(&token_request(&config, &config.clients[0])).unwrap();
    let token: Value = serde_json::from_slice(&tok.body).unwrap();
    let reg = t
        .send(&HttpRequest {
            method: Method::Post,
            url: format!("{}/v1/webhook-endpoints", sb.base_url()),
            headers: vec![
                (
                    "authorization".into(),
                    format!("Bearer {}", token["access_token"].as_str().unwrap()),
                ),
                ("content-type".into(), "application/json".into()),
            ],
            body: bytes(
                &json!({"url": hook_url, "events": ["einvoice.*"], "secret": "whsec_client_test"}),
            ),
            timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(5),
        })
        .unwrap();
    assert_eq!(reg.status, 201, "{}", String::from_utf8_lossy(&reg.body));

    let c = Client::new(config).unwrap();
    let inv = c
        .create_einvoice(bytes(&seed_002_numbered("CLI-HOOK-0001")))
        .unwrap();
    let (header, body) = receiver.join().unwrap();
    assert!(header.starts_with("t="), "{header}");

    let event = c.verify_webhook(&header, &body).unwrap();
    assert_eq!(event.event_type, "einvoice.generated");
    assert_eq!(event.data["object"]["id"], inv.id.as_str());

    // Tampered body.
    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace(&inv.id, "einv_someone_else");
    assert_eq!(
        c.verify_webhook(&header, tampered.as_bytes()),
        Err(WebhookError::SignatureMismatch)
    );
    // Moved timestamp.
    let t_value: i64 = header[2..header.find(',').unwrap()].parse().unwrap();
    let moved = header.replacen(&format!("t={t_value}"), &format!("t={}", t_value + 1), 1);
    assert_eq!(
        c.verify_webhook(&moved, &body),
        Err(WebhookError::SignatureMismatch)
    );
    // The wrong secret.
    let wrong = webhook::verify(&Secret::new("whsec_other"), &header, &body, t_value, 300);
    assert_eq!(wrong, Err(WebhookError::SignatureMismatch));
    // Authentic but replayed ten minutes later.
    let late = webhook::verify(
        &Secret::new("whsec_client_test"),
        &header,
        &body,
        t_value + 600,
        300,
    );
    assert!(matches!(
        late,
        Err(WebhookError::TimestampOutOfTolerance { .. })
    ));
}

#[test]
fn a_sandbox_client_id_never_reaches_production_and_plain_http_only_on_loopback() {
    let c = Config::new(Environment::production()).with_client(OAuthClient::new(
        QUICKSTART_CLIENT_ID,
        QUICKSTART_CLIENT_SECRET,
    ));
    assert_eq!(Client::new(c).unwrap_err().code(), "invalid_argument");
    let c = Config::new(Environment::custom(
        onefinops_core::client::config::EnvironmentKind::Sandbox,
        "http://192.0.2.1",
        "http://192.0.2.1/token",
    ))
    .with_client(OAuthClient::new(
        QUICKSTART_CLIENT_ID,
        QUICKSTART_CLIENT_SECRET,
    ));
    assert_eq!(Client::new(c).unwrap_err().code(), "invalid_argument");
}

#[test]
fn connection_refused_is_a_retried_transport_error() {
    // A port with nothing behind it.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut config =
        Config::new(Environment::local(&format!("http://127.0.0.1:{port}"))).with_client(
            OAuthClient::new(QUICKSTART_CLIENT_ID, QUICKSTART_CLIENT_SECRET),
        );
    config.retry.base_delay = Duration::from_millis(5);
    config.retry.max_delay = Duration::from_millis(20);
    let c = Client::new(config).unwrap();
    let e = c.get_einvoice("einv_1").unwrap_err();
    assert_eq!(e.code(), "transport", "{e}");
    assert_eq!(
        e.meta.token_requests, 4,
        "the token request was tried 1 + 3 times"
    );
}

#[test]
fn a_standalone_ewaybill_is_generated_once() {
    let sb = start();
    let c = client(&sb);
    let vector: Value = serde_json::from_str(include_str!(
        "../../tests/vectors/ewaybill/generate-outward-road.json"
    ))
    .unwrap();
    let mut bill = vector["canonical"].clone();
    let yesterday = (onefinops_core::client::blocking::wall_clock_now()
        - chrono::TimeDelta::days(1))
    .date_naive()
    .to_string();
    bill["userGstin"] = json!("29AWGPV7107B1Z1");
    bill["from"]["gstin"] = json!("29AWGPV7107B1Z1");
    bill["to"]["gstin"] = json!("29AKLPM8755F1Z2");
    bill["documentDetails"]["date"] = json!(yesterday);
    bill["documentDetails"]["number"] = json!("CLI/EWB/0001");
    let r = c.generate_ewaybill(bytes(&bill), None).unwrap();
    assert_eq!(r.status, "active", "{:?}", r.value);
    let key = r.meta.idempotency_key.clone().unwrap();
    assert!(key.starts_with("ofn-ewaybill-generate-"), "{key}");
    // Sent again (a retry after a crash): the same key, the same bill.
    let again = c.generate_ewaybill(bytes(&bill), None).unwrap();
    assert_eq!(again.ewb_number, r.ewb_number);
    assert!(again.meta.replayed);
    // A bill that fails prevalidation never leaves the process.
    let mut bad = bill.clone();
    bad["transport"]["vehicleNumber"] = json!("NOT A VEHICLE");
    let e = c.generate_ewaybill(bytes(&bad), None).unwrap_err();
    assert_eq!((e.code(), e.meta.attempts), ("validation_error", 0), "{e}");
}
