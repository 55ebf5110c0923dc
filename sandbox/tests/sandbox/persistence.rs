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

/// The binary with a fixed signing key and state in `state`, so a restart keeps its signatures.
fn start(state: &std::path::Path) -> Proc {
    let key = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/test-signing-key.pem"
    );
    let state = state.to_str().expect("a UTF-8 temporary path");
    Proc::start(
        &[
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--rate-limit",
            "10000",
            "--key",
            key,
            "--state",
            state,
        ],
        &[],
    )
}

#[test]
fn a_killed_sandbox_loses_nothing_it_acknowledged() {
    let dir = std::env::temp_dir().join(format!("onefinops-sandbox-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let journal = dir.join("state.json.journal");
    let body = flat_invoice("INV-CRASH-1");

    let p = start(&state);
    let base = p.base.clone();
    let auth = bearer(&token(&base));
    let json_ct = ("Content-Type", "application/json");
    let first = post(
        &format!("{base}/v1/einvoices"),
        &[
            ("Authorization", &auth),
            json_ct,
            ("Idempotency-Key", "crash-1"),
        ],
        &body,
    );
    assert_eq!(first.status, 201, "{}", first.text());
    let a = first.json();
    let other = create(&base, &token(&base), &flat_invoice("INV-CRASH-2"));
    assert_eq!(other.status, 201, "{}", other.text());
    let b_id = other.json()["id"].as_str().unwrap().to_owned();
    let cancelled = post(
        &format!("{base}/v1/einvoices/{b_id}/cancel"),
        &[("Authorization", &auth), json_ct],
        r#"{"reason": "data_entry_mistake", "remarks": "typo"}"#,
    );
    assert_eq!(cancelled.status, 200, "{}", cancelled.text());
    // Every answer above was acknowledged, so it is in the journal already: kill -9 now.
    p.crash();
    // A crash in the middle of writing the next batch leaves a torn last line.
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&journal)
            .unwrap();
        f.write_all(br#"{"k":"einvoice","key":"einv_torn","v":{"id":"einv_to"#)
            .unwrap();
    }

    let p = start(&state);
    let base = p.base.clone();
    let auth = bearer(&token(&base));
    let id = a["id"].as_str().unwrap();
    let g = get(
        &format!("{base}/v1/einvoices/{id}"),
        &[("Authorization", &auth)],
    );
    assert_eq!(g.status, 200, "{}", g.text());
    let g = g.json();
    for field in [
        "irn",
        "ackNumber",
        "ackDate",
        "signedInvoice",
        "signedQrCode",
    ] {
        assert_eq!(g[field], a[field], "{field}");
    }
    assert_eq!(g["status"], "generated");
    let replay = post(
        &format!("{base}/v1/einvoices"),
        &[
            ("Authorization", &auth),
            json_ct,
            ("Idempotency-Key", "crash-1"),
        ],
        &body,
    );
    assert_eq!(replay.status, 201);
    assert_eq!(
        replay.body, first.body,
        "the stored answer survived, byte for byte"
    );
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    let dup = post(
        &format!("{base}/v1/einvoices"),
        &[("Authorization", &auth), json_ct],
        &body,
    );
    assert_eq!(dup.status, 200, "{}", dup.text());
    assert_eq!(dup.json()["infoCode"], "DUPIRN");
    assert_eq!(dup.json()["irn"], a["irn"]);
    let b = get(
        &format!("{base}/v1/einvoices/{b_id}"),
        &[("Authorization", &auth)],
    );
    assert_eq!(b.json()["status"], "cancelled", "{}", b.text());
    assert_eq!(b.json()["cancelReason"], "data_entry_mistake");
    // The torn line was skipped, not half-applied.
    assert_eq!(
        get(
            &format!("{base}/v1/einvoices/einv_torn"),
            &[("Authorization", &auth)]
        )
        .status,
        404
    );
    // At start the state was compacted into a complete snapshot (written to a temporary file
    // and renamed over the old one) and the journal emptied.
    let snap: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert!(snap["store"]["einvoices"][id].is_object());
    assert!(!dir.join("state.json.tmp").exists());
    drop(p);
    let _ = std::fs::remove_dir_all(&dir);
}
