//! The quickstart (seed 002), end to end, with no network and no account: a local sandbox is
//! started in this process on an ephemeral loopback port, and the client runs the whole IRN flow
//! against it over real HTTP.
//!
//! Run: `cargo run --example quickstart`
//!
//! Steps: start the sandbox; get a token (client credentials, cached); validate the seed-002
//! invoice offline; create it (`POST /v1/einvoices`); fetch it back; verify its signed invoice and
//! signed QR code against the sandbox's JWKS; write the QR code as a PNG; cancel it.
//!
//! The seed's body says `placeOfSupplyStateCode: "29"` (the seller's state) while the buyer is in
//! 27 and the tax is IGST, which NIC refuses with 2172 (IGST on an intra-state supply). The
//! example shows that finding, then uses the same body with place of supply 27 (the buyer's
//! state), which is what an inter-state B2B supply of services to a Mumbai buyer has.

use std::path::PathBuf;
use std::process::ExitCode;

use onefinops_core::client::blocking::wall_clock_now;
use onefinops_core::client::config::{Config, Environment, OAuthClient};
use onefinops_core::client::{qr, Client};
use onefinops_core::einvoice::cancel::EInvoiceCancelReason;
use onefinops_core::validate::{validate_invoice_json, ValidationOptions};
use onefinops_sandbox::config::{QUICKSTART_CLIENT_ID, QUICKSTART_CLIENT_SECRET};
use onefinops_sandbox::Sandbox;
use serde_json::{json, Value};

const SEED_002: &str = include_str!("../../tests/vectors/einvoice/flat-quickstart.json");

fn fail(step: &str, e: impl std::fmt::Display) -> ExitCode {
    eprintln!("   FAILED at {step}: {e}");
    ExitCode::FAILURE
}

/// Where the QR image goes: `target/quickstart/` if it can be made, else the temp directory.
fn qr_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let core = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
            core.parent().unwrap_or(&core).join("target")
        });
    let dir = target.join("quickstart");
    if std::fs::create_dir_all(&dir).is_ok() {
        dir
    } else {
        std::env::temp_dir()
    }
}

fn main() -> ExitCode {
    println!("1. start the sandbox (in this process, loopback, ephemeral port)");
    let sandbox = match Sandbox::spawn(onefinops_sandbox::Config::default()) {
        Ok(s) => s,
        Err(e) => return fail("sandbox", e),
    };
    println!("   listening on {}", sandbox.base_url());

    let config = Config::new(Environment::local(&sandbox.base_url())).with_client(
        OAuthClient::new(QUICKSTART_CLIENT_ID, QUICKSTART_CLIENT_SECRET),
    );
    let client = match Client::new(config) {
        Ok(c) => c,
        Err(e) => return fail("client", e),
    };

    println!("2. get a token (OAuth client credentials, scope gstn-india)");
    match client.authenticate(None) {
        Ok(secs) => println!(
            "   client {QUICKSTART_CLIENT_ID}: token valid {secs} s, cached until 60 s before expiry"
        ),
        Err(e) => return fail("token", e),
    }

    println!("3. validate the seed-002 invoice offline");
    let vector: Value = serde_json::from_str(SEED_002).expect("the vector is JSON");
    let verbatim = vector["input"].clone();
    let options = ValidationOptions {
        sandbox: true,
        now: Some(wall_clock_now()),
        ..ValidationOptions::default()
    };
    let report = validate_invoice_json(&serde_json::to_vec(&verbatim).expect("JSON"), &options);
    println!(
        "   the seed body verbatim (placeOfSupplyStateCode \"29\", buyer in 27, IGST): {}",
        if report.valid { "valid" } else { "refused" }
    );
    for f in &report.findings {
        println!(
            "     {} [{}] {}: {}",
            f.nic_code.as_deref().unwrap_or("-"),
            f.code,
            f.path,
            f.message
        );
    }
    let mut body = verbatim.clone();
    body["placeOfSupplyStateCode"] = json!("27");
    let bytes = serde_json::to_vec(&body).expect("JSON");
    let report = validate_invoice_json(&bytes, &options);
    println!(
        "   using the same body with placeOfSupplyStateCode \"27\" (the buyer's state): {} ({} findings)",
        if report.valid { "valid" } else { "refused" },
        report.findings.len()
    );
    if !report.valid {
        return fail("validation", "the corrected body should be valid");
    }

    println!("4. create it: POST /v1/einvoices");
    let created = match client.create_einvoice(bytes) {
        Ok(c) => c,
        Err(e) => return fail("create", e),
    };
    println!("   id:        {}", created.id);
    println!("   status:    {}", created.status);
    println!("   irn:       {}", created.irn.as_deref().unwrap_or("-"));
    println!(
        "   (computed locally before sending: {})",
        created
            .meta
            .expected_irn
            .as_ref()
            .map(|i| i.to_string())
            .unwrap_or_default()
    );
    println!(
        "   ackNumber: {}",
        created.ack_number.as_deref().unwrap_or("-")
    );
    println!(
        "   ackDate:   {}",
        created.ack_date.as_deref().unwrap_or("-")
    );
    println!(
        "   attempts {}, idempotency key {}",
        created.meta.attempts,
        created.meta.idempotency_key.as_deref().unwrap_or("-")
    );
    if let Some(rl) = created.meta.rate_limit {
        println!(
            "   rate limit: {}/{} left, window resets in {} s",
            rl.remaining.unwrap_or(0),
            rl.limit.unwrap_or(0),
            rl.reset_secs.unwrap_or(0)
        );
    }

    println!("5. fetch it back: GET /v1/einvoices/{}", created.id);
    let fetched = match client.get_einvoice(&created.id) {
        Ok(f) => f,
        Err(e) => return fail("fetch", e),
    };
    println!(
        "   status {}, irn matches: {}",
        fetched.status,
        fetched.irn == created.irn
    );

    println!("6. verify the signatures (RS256) against the sandbox's JWKS");
    match client.load_jwks() {
        Ok(n) => println!(
            "   {n} key(s) from {}/.well-known/jwks.json",
            sandbox.base_url()
        ),
        Err(e) => return fail("jwks", e),
    }
    let signed_invoice = fetched.signed_invoice.clone().unwrap_or_default();
    match client.verify_signed_invoice(&signed_invoice) {
        Ok(inv) => println!(
            "   signedInvoice: valid; seller {}, buyer {}, total {}",
            inv["SellerDtls"]["Gstin"].as_str().unwrap_or("-"),
            inv["BuyerDtls"]["Gstin"].as_str().unwrap_or("-"),
            inv["ValDtls"]["TotInvVal"]
        ),
        Err(e) => return fail("verify signedInvoice", e),
    }
    let signed_qr = fetched.signed_qr_code.clone().unwrap_or_default();
    match client.verify_signed_qr_code(&signed_qr) {
        Ok(q) => println!(
            "   signedQrCode: valid; DocNo {}, DocDt {}, TotInvVal {}, ItemCnt {}, MainHsnCode {}",
            q.doc_no, q.doc_dt, q.tot_inv_val, q.item_cnt, q.main_hsn_code
        ),
        Err(e) => return fail("verify signedQrCode", e),
    }

    println!("7. write the QR code as a PNG (rendered locally, for printing)");
    let png = match qr::png_from_signed_qr(&signed_qr, qr::DEFAULT_MODULE_PX) {
        Ok(p) => p,
        Err(e) => return fail("qr", e),
    };
    let irn_short: String = created
        .irn
        .clone()
        .unwrap_or_default()
        .chars()
        .take(12)
        .collect();
    let path = qr_dir().join(format!("einvoice-{irn_short}.png"));
    if let Err(e) = std::fs::write(&path, &png) {
        return fail("write png", e);
    }
    println!("   {} ({} bytes)", path.display(), png.len());

    println!("8. cancel it: POST /v1/einvoices/{}/cancel", created.id);
    match client.cancel_einvoice(
        &created.id,
        EInvoiceCancelReason::DataEntryMistake,
        "Quickstart: cancelled within 24 h",
    ) {
        Ok(c) => println!(
            "   status {}, cancelledAt {}",
            c.status,
            c.cancelled_at.as_deref().unwrap_or("-")
        ),
        Err(e) => return fail("cancel", e),
    }

    println!("done: token, validate, create, fetch, verify, QR, cancel against the local sandbox");
    sandbox.shutdown();
    ExitCode::SUCCESS
}
