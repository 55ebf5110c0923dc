//! `/v1/einvoices`: generate (both dialects and the NIC-style `/generate`), fetch, status, fetch
//! by IRN, cancel, bulk and the QR image.
//!
//! The simulated IRP behaves as NIC does (nic-rules B.7-B.10): the IRN is the core's
//! [`DocumentKey::irn`]; AckNo has 15 digits and starts with 1; AckDt is the sandbox clock to the
//! second; `signedInvoice` and `signedQrCode` are RS256 JWS with the payload in the `data` claim
//! (the invoice in NIC's JSON plus `AckNo`, `AckDt`, `Irn`; the QR fields `SellerGstin`,
//! `BuyerGstin`, `DocNo`, `DocTyp`, `DocDt`, `TotInvVal`, `ItemCnt`, `MainHsnCode`, `Irn`,
//! `IrnDt`); a document key already generated answers DUPIRN with the original IRN; a cancelled
//! one answers 2278. The 24-hour cancel window and the e-way bill block (2230) are the core's
//! guards, run with the sandbox clock.
//!
//! Before anything reaches the simulated IRP, the API checks what the real one checks first: the
//! caller's GSTIN binding (403), an IRP credential for the seller (400
//! `irp_credentials.not_configured`), and the core validator in sandbox mode, GSTIN check
//! character off (422 `validation_error` with `details[]`). See [`crate::config::Strictness`]
//! for how the place-of-supply tax split of the quickstart body is treated.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::{Timelike, Utc};
use onefinops_core::calendar::{format_einvoice_timestamp, format_nic_date, Timestamp};
use onefinops_core::credentials::Portal;
use onefinops_core::einvoice::cancel::EInvoiceCancelReason;
use onefinops_core::einvoice::model::EInvoice;
use onefinops_core::einvoice::nic::to_nic;
use onefinops_core::einvoice::parse::parse_invoice;
use onefinops_core::einvoice::{DocumentKey, Irn};
use onefinops_core::error::{Error, Upstream};
use onefinops_core::finding::{Finding, Severity};
use onefinops_core::lifecycle::einvoice::{
    generate_advice, EInvoiceRecord, EInvoiceRefusal, EInvoiceStatus, GenerateAdvice,
    LinkedEwayBill,
};
use onefinops_core::lifecycle::Refusal;
use onefinops_core::validate::{validate_invoice_json, ValidationOptions};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::App;
use crate::config::{Product, Strictness};
use crate::faults::{Fault, RequestFaults};
use crate::http::{
    bytes, header_str, invalid, json, not_found, ok, parse_json, parse_typed, Access, ApiError,
    ApiResult, DropConnection, Obj, Principal, Warnings,
};
use crate::store::{EInvoiceRec, PendingGeneration};
use crate::{ewaybill, webhooks};

/// The most records of one bulk call (seed 001).
pub const BULK_LIMIT: usize = 5000;

/// `2026-05-04T11:42:18Z`, the timestamps of the einvoice object (seed 002).
pub fn iso(t: &Timestamp) -> String {
    t.with_timezone(&Utc)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// `2026-05-14T11:42:18.000Z`, the timestamps of the NIC-style reply (seed 003).
pub fn iso_ms(t: &Timestamp) -> String {
    t.with_timezone(&Utc)
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// A document that passed the API's checks.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The document, canonical.
    pub invoice: EInvoice,
    /// Its key.
    pub key: DocumentKey,
    /// Its IRN.
    pub irn: Irn,
    /// Warning findings (shown in `X-Sandbox-Warnings`).
    pub warnings: Vec<Finding>,
}

/// Codes demoted to warnings in [`Strictness::Quickstart`].
const QUICKSTART_LENIENT: &[&str] = &["tax.igst_on_intra_state", "tax.cgst_sgst_on_inter_state"];

/// The strictness asked for by `X-Sandbox-Validation` (`nic` or `quickstart`), else the sandbox's.
pub fn strictness(app: &App, headers: &HeaderMap) -> Strictness {
    match header_str(headers, "x-sandbox-validation")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("nic") | Some("strict") => Strictness::Nic,
        Some("quickstart") | Some("lenient") => Strictness::Quickstart,
        _ => app.strictness(),
    }
}

/// The checks the API runs before relaying a document (module docs).
pub fn prepare(
    app: &App,
    principal: &Principal,
    body: &[u8],
    strict: Strictness,
    user_gstin: Option<&str>,
) -> Result<Prepared, Error> {
    let options = ValidationOptions {
        sandbox: true,
        now: Some(app.now()),
        ..ValidationOptions::default()
    };
    let report = validate_invoice_json(body, &options);
    let mut findings = report.findings;
    accept_nic_sandbox_gstins(&mut findings, body);
    if strict == Strictness::Quickstart {
        for f in &mut findings {
            if QUICKSTART_LENIENT.contains(&f.code.as_str()) {
                f.severity = Severity::Warning;
            }
        }
    }
    let parsed = match parse_invoice(body) {
        Ok(p) => p,
        Err(parse_findings) => {
            let details = if findings.is_empty() {
                parse_findings
            } else {
                findings
            };
            return Err(validation_failed(details));
        }
    };
    let invoice = parsed.invoice;
    let seller = invoice.seller.gstin.clone();
    if let Some(user) = user_gstin {
        principal.require_gstin(user).map_err(|e| e.0)?;
        if user != seller {
            return Err(Error::upstream_failure(
                format!(
                    "the gstin header ({user}) is not the seller GSTIN of the document ({seller})"
                ),
                Upstream::new("2143", "Invoice does not belongs to the user GSTIN"),
            ));
        }
    }
    principal.require_gstin(&seller).map_err(|e| e.0)?;
    if !app.store().has_credential(&seller, Portal::Irp) {
        return Err(Error::IrpCredentialsNotConfigured {
            message: format!(
                "no IRP credential found for seller GSTIN {seller}: upload one with POST /v1/gsp-credentials"
            ),
            request_id: None,
        });
    }
    if findings.iter().any(|f| f.severity == Severity::Error) {
        return Err(validation_failed(findings));
    }
    let key = DocumentKey::of(&invoice);
    let irn = key.irn();
    Ok(Prepared {
        invoice,
        key,
        irn,
        warnings: findings,
    })
}

/// Whether `gstin` has the shape of NIC's sandbox test GSTINs: a state code, a PAN, then any three
/// letters or digits (`36AMBPG7773M002`, `24AAFCD5862R005`). They fail the normal GSTIN format
/// (a `0` where the entity code or the `Z` belongs), not only its check character.
pub fn is_nic_sandbox_gstin(gstin: &str) -> bool {
    let b = gstin.as_bytes();
    b.len() == 15
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2..7].iter().all(u8::is_ascii_uppercase)
        && b[7..11].iter().all(u8::is_ascii_digit)
        && b[11].is_ascii_uppercase()
        && b[12..]
            .iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
}

/// NIC's sandbox hands out test GSTINs that the core's format check refuses (`gstin.format`,
/// 3028); the sandbox accepts them as NIC's sandbox does, keeping the finding as a warning. The
/// core's sandbox mode already turns the check character off.
pub fn accept_nic_sandbox_gstins(findings: &mut [Finding], body: &[u8]) {
    if !findings.iter().any(|f| f.code == "gstin.format") {
        return;
    }
    let Ok(doc) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    for f in findings.iter_mut().filter(|f| f.code == "gstin.format") {
        if doc
            .pointer(&f.path)
            .and_then(Value::as_str)
            .is_some_and(is_nic_sandbox_gstin)
        {
            f.severity = Severity::Warning;
        }
    }
}

fn validation_failed(details: Vec<Finding>) -> Error {
    let errors = details
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    Error::validation(
        format!("Body shape or arithmetic failed validation: {errors} error(s); see details[]"),
        details,
    )
}

/// The `X-Sandbox-Warnings` value: `NICCODE code path` per warning, `; `-separated.
pub fn warnings_header(warnings: &[Finding]) -> Option<Warnings> {
    if warnings.is_empty() {
        return None;
    }
    let text: Vec<String> = warnings
        .iter()
        .map(|f| {
            let nic = f.nic_code.as_deref().unwrap_or("-");
            format!("{nic} {} {}", f.code, f.path)
        })
        .collect();
    let mut joined = text.join("; ");
    joined.retain(|c| c.is_ascii_graphic() || c == ' ');
    joined.truncate(2000);
    Some(Warnings(joined))
}

/// What a generate did.
#[derive(Debug, Clone)]
pub enum Generated {
    /// A new IRN.
    Fresh(EInvoiceRec),
    /// The document was generated before: DUPIRN with the original.
    Duplicate(EInvoiceRec),
    /// Accepted, not yet generated (`fresh`: by this call).
    Queued(EInvoiceRec, bool),
}

impl Generated {
    /// The record.
    pub fn record(&self) -> &EInvoiceRec {
        match self {
            Generated::Fresh(r) | Generated::Duplicate(r) | Generated::Queued(r, _) => r,
        }
    }
}

/// The HSN of the line with the highest taxable value (nic-rules B.10).
fn main_hsn(invoice: &EInvoice) -> String {
    invoice
        .items
        .iter()
        .max_by(|a, b| a.assessable_amount.cmp(&b.assessable_amount))
        .map(|i| i.hsn_code.clone())
        .unwrap_or_default()
}

fn pending_of(invoice: &EInvoice) -> PendingGeneration {
    let nic = serde_json::to_value(to_nic(invoice)).unwrap_or(Value::Null);
    let d = &invoice.document_details;
    let qr = json!({
        "SellerGstin": invoice.seller.gstin,
        "BuyerGstin": invoice.buyer.gstin,
        "DocNo": d.number,
        "DocTyp": d.document_type.code(),
        "DocDt": format_nic_date(d.date),
        "TotInvVal": invoice.value_details.total_invoice_value,
        "ItemCnt": invoice.items.len(),
        "MainHsnCode": main_hsn(invoice),
    });
    PendingGeneration {
        nic,
        qr,
        ewb_details: invoice
            .e_way_bill_details
            .as_ref()
            .and_then(|e| serde_json::to_value(e).ok()),
    }
}

/// Signs a pending generation: AckNo, AckDt, the two JWS.
fn sign(app: &App, irn: &str, p: &PendingGeneration) -> (u64, Timestamp, String, String) {
    let now = app.now();
    let ack_dt = now.with_nanosecond(0).unwrap_or(now);
    let ack_no = app.ids.ack_number(&ack_dt);
    let ack_text = format_einvoice_timestamp(&ack_dt);
    let mut data = p.nic.clone();
    if let Value::Object(m) = &mut data {
        m.insert("AckNo".into(), json!(ack_no));
        m.insert("AckDt".into(), json!(ack_text));
        m.insert("Irn".into(), json!(irn));
    }
    let mut qr = p.qr.clone();
    if let Value::Object(m) = &mut qr {
        m.insert("Irn".into(), json!(irn));
        m.insert("IrnDt".into(), json!(ack_text));
    }
    (
        ack_no,
        ack_dt,
        app.signer.sign_data(&data),
        app.signer.sign_data(&qr),
    )
}

/// Generates (or replays, or queues) a prepared document. `fault` is the upstream fault of the
/// call, if any.
pub fn generate(app: &App, prepared: &Prepared, fault: Option<&Fault>) -> Result<Generated, Error> {
    let irn = prepared.irn.as_str().to_owned();
    if let Some(existing) = existing_outcome(app, &irn)? {
        return Ok(existing);
    }
    if let Some(e) = fault.and_then(|f| f.error("IRP")) {
        return Err(e);
    }
    let pending = pending_of(&prepared.invoice);
    let now = app.now();
    let mut rec = EInvoiceRec {
        id: String::new(),
        key: prepared.key.clone(),
        irn: irn.clone(),
        buyer_gstin: prepared.invoice.buyer.gstin.clone(),
        invoice_date: prepared.invoice.document_details.date,
        total_invoice_value: prepared.invoice.value_details.total_invoice_value,
        lifecycle: EInvoiceRecord::new(EInvoiceStatus::Queued),
        ack_number: None,
        signed_invoice: None,
        signed_qr_code: None,
        created_at: now,
        ready_at: None,
        pending: None,
        failure: None,
        cancel_reason: None,
        cancel_remarks: None,
    };
    if let Some(Fault::Queued { secs }) = fault {
        let delay = secs.unwrap_or(app.config.queue_delay_secs);
        rec.ready_at = Some(now + chrono::TimeDelta::seconds(delay as i64));
        rec.pending = Some(pending);
        let rec = {
            let mut store = app.store();
            if let Some(existing) = existing_in(&store, &irn)? {
                return Ok(existing);
            }
            rec.id = app.new_id("einv");
            store.queued.insert(rec.id.clone());
            store.by_irn.insert(irn.clone(), rec.id.clone());
            store.einvoices.insert(rec.id.clone(), rec.clone());
            rec
        };
        persist_einvoice(app, &rec);
        app.wake.notify_one();
        return Ok(Generated::Queued(rec, true));
    }
    let (ack_no, ack_dt, signed_invoice, signed_qr) = sign(app, &irn, &pending);
    rec.lifecycle = EInvoiceRecord::generated(ack_dt);
    rec.ack_number = Some(ack_no);
    rec.signed_invoice = Some(signed_invoice);
    rec.signed_qr_code = Some(signed_qr);
    let rec = {
        let mut store = app.store();
        // Another request for the same document may have won the race while this one signed.
        if let Some(existing) = existing_in(&store, &irn)? {
            return Ok(existing);
        }
        rec.id = app.new_id("einv");
        store.by_irn.insert(irn.clone(), rec.id.clone());
        store.einvoices.insert(rec.id.clone(), rec.clone());
        rec
    };
    after_generated(app, &rec, pending.ewb_details.as_ref());
    Ok(Generated::Fresh(rec))
}

/// [`generate`], firing `einvoice.failed` when NIC refuses (502): nothing is registered, so the
/// event carries the document's identity and NIC's answer rather than an einvoice object.
pub fn generate_or_report(
    app: &App,
    prepared: &Prepared,
    fault: Option<&Fault>,
) -> Result<Generated, Error> {
    let result = generate(app, prepared, fault);
    if let Err(e) = &result {
        if let Error::UpstreamFailure { upstream, .. } = e {
            let d = &prepared.invoice.document_details;
            let mut o = Obj::new();
            o.set("object", "einvoice_failure")
                .set("sellerGstin", &prepared.key.seller_gstin)
                .set("documentType", d.document_type.code())
                .set("invoiceNumber", &d.number)
                .set("invoiceDate", d.date.to_string())
                .set("financialYear", prepared.key.financial_year.to_string())
                .set("irn", prepared.irn.as_str())
                .set(
                    "error",
                    json!({"code": e.code(), "message": e.message(), "upstream": upstream}),
                );
            webhooks::emit(
                app,
                "einvoice.failed",
                &prepared.key.seller_gstin,
                o.to_value(),
            );
        }
    }
    result
}

/// Persists a record, fires `einvoice.generated`, and issues the e-way bill asked for with it.
fn after_generated(app: &App, rec: &EInvoiceRec, ewb_details: Option<&Value>) {
    if let Some(details) = ewb_details {
        if let Err(e) = ewaybill::generate_with_irn(app, rec, details) {
            let mut store = app.store();
            if let Some(r) = store.einvoices.get_mut(&rec.id) {
                r.failure = e
                    .upstream()
                    .cloned()
                    .or_else(|| Some(Upstream::new(e.code(), e.message())));
            }
        }
    }
    let (object, gstin) = {
        let store = app.store();
        let r = store.einvoices.get(&rec.id).unwrap_or(rec);
        (
            einvoice_object(app, &store, r).to_value(),
            r.key.seller_gstin.clone(),
        )
    };
    persist_einvoice(app, rec);
    webhooks::emit(app, "einvoice.generated", &gstin, object);
}

fn persist_einvoice(app: &App, rec: &EInvoiceRec) {
    if app.journal.is_some() {
        let store = app.store();
        let r = store.einvoices.get(&rec.id).unwrap_or(rec);
        let v = serde_json::to_value(r).ok();
        let irn = r.irn.clone();
        drop(store);
        app.persist("einvoice", &rec.id, v);
        app.persist("byIrn", &irn, Some(json!(rec.id)));
    }
}

fn existing_outcome(app: &App, irn: &str) -> Result<Option<Generated>, Error> {
    let store = app.store();
    existing_in(&store, irn)
}

fn existing_in(store: &crate::store::Store, irn: &str) -> Result<Option<Generated>, Error> {
    let Some(rec) = store.by_irn.get(irn).and_then(|id| store.einvoices.get(id)) else {
        return Ok(None);
    };
    match generate_advice(Some(&rec.lifecycle)) {
        Ok(GenerateAdvice::ReplayDuplicate) => Ok(Some(Generated::Duplicate(rec.clone()))),
        Ok(GenerateAdvice::Submit) => Ok(None),
        // A generate for this document is already under way: answer with it.
        Err(EInvoiceRefusal::GenerateInProgress { .. }) => {
            Ok(Some(Generated::Queued(rec.clone(), false)))
        }
        Err(refusal) => Err(refusal.to_error()),
    }
}

/// Generates every queued record whose time has come (called by the worker and before reads).
pub fn complete_due(app: &App) {
    let now = app.now();
    let due: Vec<(String, String, PendingGeneration)> = {
        let store = app.store();
        store
            .queued
            .iter()
            .filter_map(|id| store.einvoices.get(id))
            .filter(|r| r.ready_at.is_some_and(|t| t <= now))
            .filter_map(|r| r.pending.clone().map(|p| (r.id.clone(), r.irn.clone(), p)))
            .collect()
    };
    for (id, irn, pending) in due {
        let (ack_no, ack_dt, signed_invoice, signed_qr) = sign(app, &irn, &pending);
        let rec = {
            let mut store = app.store();
            store.queued.remove(&id);
            let Some(r) = store.einvoices.get_mut(&id) else {
                continue;
            };
            if r.status() != EInvoiceStatus::Queued {
                continue;
            }
            r.lifecycle = EInvoiceRecord::generated(ack_dt);
            r.ack_number = Some(ack_no);
            r.signed_invoice = Some(signed_invoice);
            r.signed_qr_code = Some(signed_qr);
            r.ready_at = None;
            r.pending = None;
            r.clone()
        };
        after_generated(app, &rec, pending.ewb_details.as_ref());
    }
}

/// The einvoice object (seed 002), with the linked e-way bill when there is one.
pub fn einvoice_object(app: &App, store: &crate::store::Store, rec: &EInvoiceRec) -> Obj {
    let mut m = Obj::new();
    m.set("id", json!(rec.id));
    m.set("object", json!("einvoice"));
    m.set("status", json!(rec.status().as_str()));
    if let (Some(ack_no), Some(ack_dt)) = (rec.ack_number, rec.lifecycle.ack_date) {
        m.set("irn", json!(rec.irn));
        m.set("ackNumber", json!(ack_no.to_string()));
        m.set("ackDate", json!(iso(&ack_dt)));
        m.set("signedQrCode", json!(rec.signed_qr_code));
        m.set("signedInvoice", json!(rec.signed_invoice));
        m.set("generatedAt", json!(iso(&ack_dt)));
    }
    m.set("sellerGstin", json!(rec.key.seller_gstin));
    m.set("documentType", json!(rec.key.document_type.code()));
    m.set("invoiceNumber", json!(rec.key.document_number));
    m.set("invoiceDate", json!(rec.invoice_date.to_string()));
    m.set("financialYear", json!(rec.key.financial_year.to_string()));
    m.set("totalInvoiceValue", json!(rec.total_invoice_value));
    if let Some(t) = rec.lifecycle.cancelled_at {
        m.set("cancelledAt", json!(iso(&t)));
        m.set("cancelReason", json!(rec.cancel_reason));
        m.set("cancelRemarks", json!(rec.cancel_remarks));
    }
    if let Some(f) = &rec.failure {
        m.set("failure", json!({"code": f.code, "message": f.message}));
    }
    if let Some(ewb) = store
        .ewb_by_irn
        .get(&rec.irn)
        .and_then(|n| store.ewaybills.get(n))
    {
        if ewb.einvoice_id.as_deref() == Some(rec.id.as_str()) {
            m.set("ewbNumber", json!(ewb.ewb_no));
            m.set("ewbDate", json!(iso(&ewb.record.generated_at)));
            m.set(
                "ewbValidTill",
                json!(ewb.record.valid_upto.map(|t| iso(&t))),
            );
            m.set(
                "ewbStatus",
                json!(ewb.record.status_at(&app.now()).as_str()),
            );
        }
    }
    m
}

/// The NIC-style reply of `/generate` (seed 003).
pub fn nic_reply(
    app: &App,
    store: &crate::store::Store,
    rec: &EInvoiceRec,
    duplicate: bool,
) -> Obj {
    let mut m = Obj::new();
    m.set("irn", json!(rec.irn));
    m.set("ackNumber", json!(rec.ack_number));
    m.set("ackDate", json!(rec.lifecycle.ack_date.map(|t| iso_ms(&t))));
    m.set("status", json!("ACT"));
    if duplicate {
        m.set("message", json!("2150 : Duplicate IRN"));
        m.set("infoCode", json!("DUPIRN"));
    } else {
        m.set("signedInvoice", json!(rec.signed_invoice));
        m.set("signedQRCode", json!(rec.signed_qr_code));
        if let Some(ewb) = store
            .ewb_by_irn
            .get(&rec.irn)
            .and_then(|n| store.ewaybills.get(n))
        {
            m.set("ewbNo", json!(ewb.ewb_no));
            m.set("ewbDate", json!(iso_ms(&ewb.record.generated_at)));
            m.set(
                "ewbValidTill",
                json!(ewb.record.valid_upto.map(|t| iso_ms(&t))),
            );
        }
        m.set("message", json!("E-Invoice generated successfully"));
    }
    let _ = app;
    m
}

fn with_extras(mut resp: Response, warnings: Option<Warnings>, drop_conn: bool) -> Response {
    if let Some(w) = warnings {
        resp.extensions_mut().insert(w);
    }
    if drop_conn {
        resp.extensions_mut().insert(DropConnection);
    }
    resp
}

/// `POST /v1/einvoices`: either dialect in, the einvoice object out (seed 002).
pub async fn create(
    State(app): State<Arc<App>>,
    principal: Principal,
    Extension(faults): Extension<RequestFaults>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    principal.require(Some(Product::Einvoice), Access::IrnWrite)?;
    let prepared = prepare(&app, &principal, &body, strictness(&app, &headers), None)?;
    let fault = app.faults.take_upstream(&faults);
    let outcome = generate_or_report(&app, &prepared, fault.as_ref())?;
    let drop_conn = matches!(fault, Some(Fault::DropAfterCommit))
        && !matches!(outcome, Generated::Duplicate(_));
    let resp = {
        let store = app.store();
        match &outcome {
            Generated::Fresh(r) => json(
                StatusCode::CREATED,
                &einvoice_object(&app, &store, current(&store, r)),
            ),
            Generated::Duplicate(r) => {
                let mut v = einvoice_object(&app, &store, current(&store, r));
                v.set("infoCode", "DUPIRN")
                    .set("message", "2150 : Duplicate IRN");
                ok(&v)
            }
            Generated::Queued(r, _) => json(
                StatusCode::ACCEPTED,
                &einvoice_object(&app, &store, current(&store, r)),
            ),
        }
    };
    app.flush().await;
    Ok(with_extras(
        resp,
        warnings_header(&prepared.warnings),
        drop_conn,
    ))
}

fn current<'a>(store: &'a crate::store::Store, r: &'a EInvoiceRec) -> &'a EInvoiceRec {
    store.einvoices.get(&r.id).unwrap_or(r)
}

/// `POST /v1/einvoices/generate`: the grouped body with the `gstin` header, NIC-style reply
/// (seed 003).
pub async fn generate_nic(
    State(app): State<Arc<App>>,
    principal: Principal,
    Extension(faults): Extension<RequestFaults>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    principal.require(Some(Product::Einvoice), Access::IrnWrite)?;
    let user = header_str(&headers, "gstin").map(str::to_owned);
    let prepared = prepare(
        &app,
        &principal,
        &body,
        strictness(&app, &headers),
        user.as_deref(),
    )?;
    let fault = app.faults.take_upstream(&faults);
    let outcome = generate_or_report(&app, &prepared, fault.as_ref())?;
    let drop_conn = matches!(fault, Some(Fault::DropAfterCommit))
        && !matches!(outcome, Generated::Duplicate(_));
    let resp = {
        let store = app.store();
        match &outcome {
            Generated::Fresh(r) => ok(&nic_reply(&app, &store, current(&store, r), false)),
            Generated::Duplicate(r) => ok(&nic_reply(&app, &store, current(&store, r), true)),
            Generated::Queued(r, _) => json(
                StatusCode::ACCEPTED,
                &json!({
                    "id": r.id,
                    "status": "queued",
                    "message": format!("Accepted: the IRP is slow. Poll GET /v1/einvoices/{}/status", r.id),
                }),
            ),
        }
    };
    app.flush().await;
    Ok(with_extras(
        resp,
        warnings_header(&prepared.warnings),
        drop_conn,
    ))
}

fn find(app: &App, principal: &Principal, id: &str) -> ApiResult<EInvoiceRec> {
    complete_due(app);
    let rec = app
        .store()
        .einvoices
        .get(id)
        .cloned()
        .ok_or_else(|| not_found(format!("no e-invoice with id {id}")))?;
    principal.require_gstin(&rec.key.seller_gstin)?;
    Ok(rec)
}

/// `GET /v1/einvoices/{id}`.
pub async fn get(
    State(app): State<Arc<App>>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    principal.require(Some(Product::Einvoice), Access::Read)?;
    let rec = find(&app, &principal, &id)?;
    let store = app.store();
    Ok(ok(&einvoice_object(&app, &store, &rec)))
}

/// `GET /v1/einvoices/{id}/status`: the cheap poll (seed 002).
pub async fn status(
    State(app): State<Arc<App>>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    principal.require(Some(Product::Einvoice), Access::Read)?;
    let rec = find(&app, &principal, &id)?;
    let mut v = json!({
        "id": rec.id,
        "object": "einvoice_status",
        "status": rec.status().as_str(),
    });
    if rec.ack_number.is_some() {
        v["irn"] = json!(rec.irn);
    }
    if let Some(t) = rec.ready_at {
        v["expectedAt"] = json!(iso(&t));
    }
    if let Some(f) = &rec.failure {
        v["failure"] = json!({"code": f.code, "message": f.message});
    }
    Ok(ok(&v))
}

/// Query of `GET /v1/einvoices/irn`.
#[derive(Debug, Deserialize)]
pub struct IrnQuery {
    irn: Option<String>,
}

/// `GET /v1/einvoices/irn?irn=...`.
pub async fn get_by_irn(
    State(app): State<Arc<App>>,
    principal: Principal,
    Query(q): Query<IrnQuery>,
) -> ApiResult<Response> {
    principal.require(Some(Product::Einvoice), Access::Read)?;
    let irn: Irn = q
        .irn
        .as_deref()
        .ok_or_else(|| invalid("the irn query parameter is required"))?
        .parse()
        .map_err(|e: onefinops_core::einvoice::irn::IrnError| invalid(e.to_string()))?;
    complete_due(&app);
    let id = app
        .store()
        .by_irn
        .get(irn.as_str())
        .cloned()
        .ok_or_else(|| not_found(format!("no e-invoice with IRN {irn}")))?;
    let rec = find(&app, &principal, &id)?;
    let store = app.store();
    Ok(ok(&einvoice_object(&app, &store, &rec)))
}

/// Body of a cancel.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CancelBody {
    reason: EInvoiceCancelReason,
    #[serde(default)]
    remarks: String,
    #[serde(default)]
    irn: Option<Irn>,
}

/// `POST /v1/einvoices/{id}/cancel`: `{"reason": "data_entry_mistake" | 1-4, "remarks": "..."}`.
pub async fn cancel(
    State(app): State<Arc<App>>,
    principal: Principal,
    Extension(faults): Extension<RequestFaults>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    principal.require(Some(Product::Einvoice), Access::IrnWrite)?;
    let rec = find(&app, &principal, &id)?;
    let req: CancelBody = parse_typed(parse_json(&body)?, "cancel request")?;
    if req.remarks.chars().count() > 100 {
        return Err(ApiError(Error::validation(
            "invalid cancel request",
            vec![Finding::error(
                "/remarks",
                "cancel.remarks_too_long",
                "remarks are at most 100 characters (CnlRem)",
            )],
        )));
    }
    if let Some(irn) = &req.irn {
        if irn.as_str() != rec.irn {
            return Err(invalid(format!(
                "irn {irn} is not the IRN of e-invoice {id}"
            )));
        }
    }
    if !app
        .store()
        .has_credential(&rec.key.seller_gstin, Portal::Irp)
    {
        return Err(ApiError(Error::IrpCredentialsNotConfigured {
            message: format!(
                "no IRP credential found for seller GSTIN {}",
                rec.key.seller_gstin
            ),
            request_id: None,
        }));
    }
    let fault = app.faults.take_upstream(&faults);
    if let Some(e) = fault.as_ref().and_then(|f| f.error("IRP")) {
        return Err(ApiError(e));
    }
    let now = app.now();
    let (object, gstin) = {
        let mut store = app.store();
        let linked = store
            .ewb_by_irn
            .get(&rec.irn)
            .and_then(|n| store.ewaybills.get(n))
            .filter(|e| e.einvoice_id.as_deref() == Some(id.as_str()))
            .map(|e| LinkedEwayBill {
                ewb_no: e.ewb_no,
                status: e.record.status_at(&now),
            });
        let Some(r) = store.einvoices.get_mut(&id) else {
            return Err(not_found(format!("no e-invoice with id {id}")));
        };
        r.lifecycle.e_way_bill = linked;
        let next = r
            .lifecycle
            .cancel(&now)
            .map_err(|refusal| ApiError(refusal.to_error()))?;
        r.lifecycle = next;
        r.cancel_reason = Some(req.reason.api_name().to_owned());
        r.cancel_remarks = Some(req.remarks.clone());
        let r = r.clone();
        (
            einvoice_object(&app, &store, &r),
            r.key.seller_gstin.clone(),
        )
    };
    persist_einvoice(&app, &rec);
    webhooks::emit(&app, "einvoice.cancelled", &gstin, object.to_value());
    app.flush().await;
    Ok(with_extras(
        ok(&object),
        None,
        matches!(fault, Some(Fault::DropAfterCommit)),
    ))
}

/// `POST /v1/einvoices/bulk`: `{"invoices": [...]}` (up to 5,000, either dialect each), one result
/// per record in order: `generated`, `duplicate` (DUPIRN), `queued`, or `failed` with the error
/// envelope's `error` object. Records are independent: one failing does not stop the others.
pub async fn bulk(
    State(app): State<Arc<App>>,
    principal: Principal,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    principal.require(Some(Product::Einvoice), Access::IrnWrite)?;
    let value = parse_json(&body)?;
    let records = match value {
        Value::Object(mut m) => match m.remove("invoices") {
            Some(Value::Array(a)) => a,
            _ => return Err(invalid("the body must be {\"invoices\": [ ... ]}")),
        },
        Value::Array(a) => a,
        _ => return Err(invalid("the body must be {\"invoices\": [ ... ]}")),
    };
    if records.is_empty() || records.len() > BULK_LIMIT {
        return Err(invalid(format!(
            "a bulk call carries 1 to {BULK_LIMIT} invoices, not {}",
            records.len()
        )));
    }
    let strict = strictness(&app, &headers);
    let total = records.len();
    // Two workers (signing is CPU-bound and the machine is small). Records of one document go to
    // the same worker, in order, so which of two copies is generated and which is the duplicate
    // does not depend on timing.
    let mut parts: [Vec<(usize, Value)>; 2] = [Vec::new(), Vec::new()];
    for (i, v) in records.into_iter().enumerate() {
        let worker = (crate::ids::splitmix64(fnv(&document_hint(&v))) % 2) as usize;
        parts[worker].push((i, v));
    }
    let mut tasks = Vec::new();
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        let app = app.clone();
        let principal = principal.clone();
        tasks.push(tokio::task::spawn_blocking(move || {
            part.into_iter()
                .map(|(i, v)| (i, bulk_one(&app, &principal, strict, i, &v)))
                .collect::<Vec<_>>()
        }));
    }
    let mut indexed = Vec::with_capacity(total);
    for t in tasks {
        indexed.extend(
            t.await
                .map_err(|e| ApiError(Error::internal(e.to_string())))?,
        );
    }
    indexed.sort_by_key(|(i, _)| *i);
    let results: Vec<Value> = indexed.into_iter().map(|(_, r)| r).collect();
    let failed = results.iter().filter(|r| r["status"] == "failed").count();
    app.flush().await;
    Ok(ok(&json!({
        "object": "bulk_result",
        "total": total,
        "succeeded": total - failed,
        "failed": failed,
        "results": results,
    })))
}

/// Seller GSTIN and document number of a record in any dialect, for grouping.
fn document_hint(v: &Value) -> String {
    let pick = |paths: &[&str]| {
        paths
            .iter()
            .find_map(|p| v.pointer(p).and_then(Value::as_str))
            .unwrap_or_default()
            .to_owned()
    };
    let gstin = pick(&["/seller/gstin", "/SellerDtls/Gstin"]);
    let number = pick(&["/invoiceNumber", "/documentDetails/number", "/DocDtls/No"]);
    format!("{gstin}|{number}")
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn bulk_one(
    app: &App,
    principal: &Principal,
    strict: Strictness,
    index: usize,
    v: &Value,
) -> Value {
    let body = v.to_string();
    let result = prepare(app, principal, body.as_bytes(), strict, None)
        .and_then(|p| generate(app, &p, None));
    match result {
        Ok(outcome) => {
            let store = app.store();
            let (status, rec) = match &outcome {
                Generated::Fresh(r) => ("generated", r),
                Generated::Duplicate(r) => ("duplicate", r),
                Generated::Queued(r, _) => ("queued", r),
            };
            let mut o = einvoice_object(app, &store, current(&store, rec));
            if status == "duplicate" {
                o.set("infoCode", "DUPIRN")
                    .set("message", "2150 : Duplicate IRN");
            }
            json!({"index": index, "status": status, "einvoice": o.to_value()})
        }
        Err(e) => json!({"index": index, "status": "failed", "error": e.to_envelope()["error"]}),
    }
}

/// Body of `POST /v1/einvoices/qrimage`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct QrBody {
    #[serde(default, alias = "signedQRCode")]
    signed_qr_code: Option<String>,
    #[serde(default)]
    irn: Option<String>,
    #[serde(default)]
    module_size: Option<u32>,
}

/// `POST /v1/einvoices/qrimage`: `{"signedQrCode": "<JWS>"}` (or `{"irn": ...}` for a stored
/// invoice) in, a PNG of the QR code out (seed 003). `moduleSize` sets pixels per module (1-32,
/// default 4).
pub async fn qrimage(
    State(app): State<Arc<App>>,
    principal: Principal,
    body: Bytes,
) -> ApiResult<Response> {
    principal.require(Some(Product::Einvoice), Access::Read)?;
    let req: QrBody = parse_typed(parse_json(&body)?, "QR image request")?;
    let jws = match (req.signed_qr_code, req.irn) {
        (Some(j), _) => j,
        (None, Some(irn)) => {
            let store = app.store();
            let rec = store
                .by_irn
                .get(&irn.to_ascii_lowercase())
                .and_then(|id| store.einvoices.get(id))
                .ok_or_else(|| not_found(format!("no e-invoice with IRN {irn}")))?;
            principal.require_gstin(&rec.key.seller_gstin)?;
            rec.signed_qr_code
                .clone()
                .ok_or_else(|| invalid("this e-invoice has no signed QR code yet"))?
        }
        (None, None) => return Err(invalid("send signedQrCode (the signed QR JWS) or irn")),
    };
    let parts: Vec<&str> = jws.split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(ApiError(Error::validation(
            "signedQrCode is not a compact JWS",
            vec![Finding::error(
                "/signedQrCode",
                "qr.not_a_jws",
                "expected header.payload.signature",
            )],
        )));
    }
    let png = crate::qr::png(
        &jws,
        req.module_size.unwrap_or(crate::qr::DEFAULT_MODULE_PX),
    )
    .map_err(invalid)?;
    Ok(bytes(StatusCode::OK, "image/png", png))
}

/// Answers a request's handler error as a response (for handlers that build responses by hand).
pub fn error(e: Error) -> Response {
    ApiError(e).into_response()
}
