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

#[test]
fn dead_letter_after_the_last_retry() {
    let sb = start();
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    let (url, rx) = receiver(vec![500], 6);
    post(
        &format!("{base}/v1/webhook-endpoints"),
        &[("Authorization", &auth)],
        &json!({"url": url, "events": ["einvoice.generated"], "secret": "whsec_test"}).to_string(),
    );
    create(&base, &token(&base), &flat_invoice("INV-WH-2"));
    rx.recv_timeout(Duration::from_secs(10)).expect("attempt 1");
    for (n, wait) in [60, 300, 1800, 3600, 21_600].into_iter().enumerate() {
        wait_attempts(&base, n + 1);
        advance(&base, wait);
        let r = rx
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("retry {}", n + 1));
        assert!(verify("whsec_test", &r));
    }
    std::thread::sleep(Duration::from_millis(300));
    let auth = bearer(&token(&base));
    let dead = get(
        &format!("{base}/v1/webhook-deliveries?status=dead_letter"),
        &[("Authorization", &auth)],
    )
    .json();
    let list = dead["data"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{dead}");
    assert_eq!(list[0]["attempts"].as_array().unwrap().len(), 6);
}
