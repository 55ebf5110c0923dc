//! State persisted to a file survives a restart: the IRN, its signed invoice, DUPIRN, and the
//! idempotent answer.

use crate::common::*;

#[test]
fn a_restarted_sandbox_keeps_its_irns() {
    let dir = std::env::temp_dir().join(format!("onefinops-sandbox-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let _ = std::fs::remove_file(&state);
    let _ = std::fs::remove_file(dir.join("state.json.journal"));
    let cfg = || {
        let mut c = config(Vec::new());
        c.state_file = Some(state.clone());
        c
    };
    let body = flat_invoice("INV-PERSIST-1");
    let (first, id) = {
        let sb = start_with(cfg());
        let base = sb.base_url();
        let auth = bearer(&token(&base));
        let a = post(
            &format!("{base}/v1/einvoices"),
            &[("Authorization", &auth), ("Idempotency-Key", "p-1")],
            &body,
        );
        assert_eq!(a.status, 201, "{}", a.text());
        let id = a.json()["id"].as_str().unwrap().to_owned();
        (a, id)
        // Dropped here: the sandbox stops. No snapshot is written at stop; the journal has it.
    };
    let sb = start_with(cfg());
    let base = sb.base_url();
    let auth = bearer(&token(&base));
    let g = get(
        &format!("{base}/v1/einvoices/{id}"),
        &[("Authorization", &auth)],
    );
    assert_eq!(g.status, 200, "{}", g.text());
    assert_eq!(g.json()["signedInvoice"], first.json()["signedInvoice"]);
    let replay = post(
        &format!("{base}/v1/einvoices"),
        &[("Authorization", &auth), ("Idempotency-Key", "p-1")],
        &body,
    );
    assert_eq!(replay.body, first.body);
    let dup = post(
        &format!("{base}/v1/einvoices"),
        &[("Authorization", &auth)],
        &body,
    );
    assert_eq!(dup.json()["infoCode"], "DUPIRN");
    // New ids do not collide with the old ones.
    let other = post(
        &format!("{base}/v1/einvoices"),
        &[("Authorization", &auth)],
        &flat_invoice("INV-PERSIST-2"),
    );
    assert_ne!(other.json()["id"], id.as_str());
    assert_ne!(other.json()["ackNumber"], first.json()["ackNumber"]);
    drop(sb);
    let _ = std::fs::remove_dir_all(&dir);
}
