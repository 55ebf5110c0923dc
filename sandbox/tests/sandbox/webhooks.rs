//! Webhooks: delivered, retried after a 500 on the schedule of the sandbox clock, verified with
//! the HMAC signature; dead-lettered after the last retry.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::json;

use crate::common::*;

/// A received webhook call.
struct Received {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A loopback HTTP server that answers each call with the next status of `statuses` (the last one
/// repeats) and reports what it received. Stops after `max_calls`.
fn receiver(statuses: Vec<u16>, max_calls: usize) -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks/onefinops", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for (i, stream) in listener.incoming().take(max_calls).enumerate() {
            let Ok(mut stream) = stream else { continue };
            stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut headers = Vec::new();
            let mut length = 0;
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end().to_owned();
                if h.is_empty() {
                    break;
                }
                let (k, v) = h.split_once(':').unwrap();
                let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_owned());
                if k == "content-length" {
                    length = v.parse().unwrap();
                }
                headers.push((k, v));
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let status = *statuses.get(i).or(statuses.last()).unwrap();
            let _ = tx.send(Received { headers, body });
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (url, rx)
}

/// Waits until the sandbox has recorded `n` attempts of the (only) delivery: the receiver sees a
/// call before the sandbox has read its answer, and the retry is scheduled from that record.
fn wait_attempts(base: &str, n: usize) {
    for _ in 0..200 {
        let auth = bearer(&token(base));
        let all = get(
            &format!("{base}/v1/webhook-deliveries"),
            &[("Authorization", &auth)],
        )
        .json();
        let done = all["data"][0]["attempts"].as_array().map_or(0, Vec::len);
        if done >= n {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("the sandbox never recorded attempt {n}");
}

fn verify(secret: &str, r: &Received) -> bool {
    let sig = &r
        .headers
        .iter()
        .find(|(k, _)| k == "onefinops-signature")
        .unwrap()
        .1;
    let mut t = "";
    let mut v1 = "";
    for part in sig.split(',') {
        match part.split_once('=') {
            Some(("t", x)) => t = x,
            Some(("v1", x)) => v1 = x,
            _ => {}
        }
    }
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(&r.body);
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    expected == v1
}

#[test]
fn delivered_retried_on_500_and_verified() {
    let sb = start();
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    let (url, rx) = receiver(vec![500, 200], 2);
    let a = post(
        &format!("{base}/v1/webhook-endpoints"),
        &[("Authorization", &auth)],
        &json!({"url": url, "events": ["einvoice.*"]}).to_string(),
    );
    assert_eq!(a.status, 201, "{}", a.text());
    let secret = a.json()["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));

    let inv = create(&base, &token(&base), &flat_invoice("INV-WH-1")).json();
    let first = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("first attempt");
    assert!(verify(&secret, &first), "signature verifies");
    let event: serde_json::Value = serde_json::from_slice(&first.body).unwrap();
    assert_eq!(event["type"], "einvoice.generated");
    assert_eq!(event["data"]["object"]["irn"], inv["irn"]);
    // The receiver answered 500: nothing more until a minute passes on the sandbox clock.
    assert!(rx.recv_timeout(Duration::from_millis(800)).is_err());
    let pending = get(
        &format!("{base}/v1/webhook-deliveries?status=pending"),
        &[("Authorization", &auth)],
    )
    .json();
    assert_eq!(pending["data"][0]["attempts"][0]["status"], 500);
    wait_attempts(&base, 1);
    advance(&base, 60);
    let second = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("retry after 1 minute");
    assert!(verify(&secret, &second));
    assert_eq!(second.body, first.body, "the same event, redelivered");
    // Tampering is detected.
    let mut forged = Received {
        headers: second.headers.clone(),
        body: second.body.clone(),
    };
    forged.body.push(b' ');
    assert!(!verify(&secret, &forged));
    std::thread::sleep(Duration::from_millis(300));
    let done = get(
        &format!("{base}/v1/webhook-deliveries?status=delivered"),
        &[("Authorization", &auth)],
    )
    .json();
    assert_eq!(done["data"].as_array().unwrap().len(), 1);
}

/// The (only) delivery of the quickstart client, as the API lists it.
fn the_delivery(base: &str) -> serde_json::Value {
    let auth = bearer(&token(base));
    let all = get(
        &format!("{base}/v1/webhook-deliveries"),
        &[("Authorization", &auth)],
    )
    .json();
    let list = all["data"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{all}");
    list[0].clone()
}

fn secs_between(from: &serde_json::Value, to: &serde_json::Value) -> i64 {
    let t = |v: &serde_json::Value| {
        chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap())
            .unwrap()
            .timestamp()
    };
    t(to) - t(from)
}

#[test]
fn dead_letter_after_the_last_retry() {
    let sb = start();
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    // Six failures (the first attempt and five retries), then a 200 for the manual redrive.
    let (url, rx) = receiver(vec![500, 500, 500, 500, 500, 500, 200], 7);
    post(
        &format!("{base}/v1/webhook-endpoints"),
        &[("Authorization", &auth)],
        &json!({"url": url, "events": ["einvoice.generated"], "secret": "whsec_test"}).to_string(),
    );
    create(&base, &token(&base), &flat_invoice("INV-WH-2"));
    rx.recv_timeout(Duration::from_secs(10)).expect("attempt 1");
    // The retry schedule of seed 004 (1m, 5m, 30m, 1h, 6h), each counted from the previous
    // attempt on the sandbox clock: a few seconds early nothing is sent, on time it is. (The
    // sandbox clock also runs in real time, hence the 5 s of slack rather than 1.)
    for (n, wait) in [60, 300, 1800, 3600, 21_600].into_iter().enumerate() {
        wait_attempts(&base, n + 1);
        let d = the_delivery(&base);
        assert_eq!(d["status"], "pending");
        let last = &d["attempts"][n];
        assert_eq!(last["status"], 500);
        assert_eq!(
            secs_between(&last["at"], &d["nextAttemptAt"]),
            wait,
            "retry {} is scheduled {wait} s after attempt {}: {d}",
            n + 1,
            n + 1
        );
        advance(&base, wait - 5);
        assert!(
            rx.recv_timeout(Duration::from_millis(300)).is_err(),
            "retry {} was sent before its time",
            n + 1
        );
        advance(&base, 5);
        let r = rx
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("retry {}", n + 1));
        assert!(verify("whsec_test", &r));
    }
    wait_attempts(&base, 6);
    std::thread::sleep(Duration::from_millis(100));
    let auth = bearer(&token(&base));
    let dead = get(
        &format!("{base}/v1/webhook-deliveries?status=dead_letter"),
        &[("Authorization", &auth)],
    )
    .json();
    let list = dead["data"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{dead}");
    let d = &list[0];
    assert_eq!(d["status"], "dead_letter");
    assert!(d["nextAttemptAt"].is_null(), "{d}");
    assert_eq!(d["eventType"], "einvoice.generated");
    let attempts = d["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 6);
    assert!(attempts.iter().all(|a| a["status"] == 500), "{d}");
    // Nothing more is sent on its own, however long we wait.
    advance(&base, 7 * 86_400);
    assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
    // Read from the dead-letter list, it can be sent again by hand: delivered this time.
    let id = d["id"].as_str().unwrap();
    let auth = bearer(&token(&base));
    let a = post(
        &format!("{base}/v1/webhook-deliveries/{id}/retry"),
        &[("Authorization", &auth)],
        "",
    );
    assert_eq!(a.status, 200, "{}", a.text());
    let r = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the redrive is delivered");
    assert!(verify("whsec_test", &r));
    wait_attempts(&base, 1);
    let d = the_delivery(&base);
    assert_eq!(d["status"], "delivered", "{d}");
    let dead = get(
        &format!("{base}/v1/webhook-deliveries?status=dead_letter"),
        &[("Authorization", &bearer(&token(&base)))],
    )
    .json();
    assert_eq!(dead["data"].as_array().unwrap().len(), 0);
}

#[test]
fn every_lifecycle_event_is_delivered_signed() {
    let sb = start();
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    let (url, rx) = receiver(vec![200], 6);
    let a = post(
        &format!("{base}/v1/webhook-endpoints"),
        &[("Authorization", &auth)],
        &json!({"url": url, "secret": "whsec_all"}).to_string(),
    );
    assert_eq!(a.status, 201, "{}", a.text());
    assert_eq!(a.json()["events"], json!(["*"]));

    // einvoice.failed: NIC refuses (nothing registered).
    let failed = post(
        &format!("{base}/v1/einvoices"),
        &[("Authorization", &auth), ("X-Sandbox-Fault", "502:2150")],
        &flat_invoice("INV-EV-1"),
    );
    assert_eq!(failed.status, 502, "{}", failed.text());
    // einvoice.generated, then einvoice.cancelled.
    let inv = create(&base, &token(&base), &flat_invoice("INV-EV-2")).json();
    let id = inv["id"].as_str().unwrap();
    let c = post(
        &format!("{base}/v1/einvoices/{id}/cancel"),
        &[("Authorization", &auth)],
        r#"{"reason": "order_cancelled", "remarks": "order cancelled"}"#,
    );
    assert_eq!(c.status, 200, "{}", c.text());
    // ewaybill.generated and ewaybill.cancelled, on a goods invoice of NIC's sandbox GSTIN.
    let gen = post(
        &format!("{base}/v1/einvoices/generate"),
        &[("Authorization", &auth), ("gstin", "36AMBPG7773M002")],
        &goods_invoice("TS-EV-3"),
    );
    assert_eq!(gen.status, 200, "{}", gen.text());
    let irn = gen.json()["irn"].as_str().unwrap().to_owned();
    let e = post(
        &format!("{base}/v1/ewaybills"),
        &[("Authorization", &auth)],
        &json!({"irn": irn, "distance": 0, "transportMode": 1, "vehicleNumber": "TS09AB1234", "vehicleType": "R"}).to_string(),
    );
    assert_eq!(e.status, 201, "{}", e.text());
    let ewb_no = e.json()["ewbNumber"].as_u64().unwrap();
    let c = post(
        &format!("{base}/v1/ewaybills/{ewb_no}/cancel"),
        &[("Authorization", &auth)],
        r#"{"reason": "order_cancelled", "remarks": "Cancelled the order"}"#,
    );
    assert_eq!(c.status, 200, "{}", c.text());

    // Six events (two einvoice.generated: the flat invoice and the goods one), each delivered
    // once, signed, with its id and type in the headers.
    let mut seen = Vec::new();
    for _ in 0..6 {
        let r = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("a delivery");
        assert!(verify("whsec_all", &r), "every delivery is signed");
        let header = |name: &str| {
            r.headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        let event: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            header("onefinops-event-type"),
            event["type"].as_str().unwrap()
        );
        assert_eq!(header("onefinops-event-id"), event["id"].as_str().unwrap());
        seen.push(event);
    }
    let mut types: Vec<&str> = seen.iter().map(|e| e["type"].as_str().unwrap()).collect();
    types.sort_unstable();
    assert_eq!(
        types,
        [
            "einvoice.cancelled",
            "einvoice.failed",
            "einvoice.generated",
            "einvoice.generated",
            "ewaybill.cancelled",
            "ewaybill.generated",
        ]
    );
    let of_type = |t: &str| seen.iter().find(|e| e["type"] == t).unwrap()["data"]["object"].clone();
    let f = of_type("einvoice.failed");
    assert_eq!(f["invoiceNumber"], "INV-EV-1");
    assert_eq!(f["irn"], inv_irn_of("INV-EV-1"));
    assert_eq!(f["error"]["code"], "upstream.failure");
    assert_eq!(f["error"]["upstream"]["code"], "2150");
    let c = of_type("einvoice.cancelled");
    assert_eq!(c["id"], id);
    assert_eq!(c["status"], "cancelled");
    assert_eq!(c["cancelReason"], "order_cancelled");
    assert_eq!(of_type("ewaybill.generated")["ewbNumber"], ewb_no);
    assert_eq!(of_type("ewaybill.cancelled")["ewbNumber"], ewb_no);
    assert_eq!(of_type("ewaybill.cancelled")["status"], "cancelled");
}

fn inv_irn_of(number: &str) -> String {
    let body = flat_invoice(number);
    onefinops_core::einvoice::DocumentKey::of(
        &onefinops_core::einvoice::parse::parse_invoice(body.as_bytes())
            .unwrap()
            .invoice,
    )
    .irn()
    .as_str()
    .to_owned()
}
