//! `/v1/ewaybills`: generate (standalone, by IRN, or with an IRN through `eWayBillDetails`),
//! fetch, Part-B, extend, cancel, reject and transporter hand-over, each guarded by the core's
//! e-way bill machine with the sandbox clock (nic-rules C.2-C.8), with 12-digit NIC-style numbers.
//!
//! Who acts is the GSTIN in the `gstin` header (as with NIC), or, without it, the first of the
//! bill's generator, transporter and other party that the caller's token is bound to. The caller
//! must be bound to that GSTIN (403), and it must be a party to the bill (403).
//!
//! A declared distance of 0 asks the system for the PIN-to-PIN distance; the sandbox's stand-in is
//! a deterministic figure from the two PIN codes (`7 km` per step of the first three digits, plus
//! 12 km), reported in `alert` as NIC does ("Pin-Pin calc distance: 82KM").

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use onefinops_core::calendar::Timestamp;
use onefinops_core::credentials::Portal;
use onefinops_core::einvoice::dupirn::decode_signed_invoice_unverified;
use onefinops_core::einvoice::model::EWayBillDetails;
use onefinops_core::error::{Error, Upstream};
use onefinops_core::ewaybill::{
    CancelEWayBill, EWayBill, EwbByIrn, ExtendValidity, NicEWayBill, NicEwbByIrn, PartBUpdate,
    RejectEWayBill, UpdateTransporter,
};
use onefinops_core::finding::Severity;
use onefinops_core::lifecycle::einvoice::EInvoiceStatus;
use onefinops_core::lifecycle::ewaybill::{Actor, EwayBillRecord, EwayBillStatus};
use onefinops_core::lifecycle::validity::{predict_on_generation, Cargo};
use onefinops_core::lifecycle::Refusal;
use onefinops_core::transport::{TransportMode, VehicleType};
use onefinops_core::validate::{validate_ewaybill_json, EWayBillDialect, ValidationOptions};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::app::App;
use crate::config::Product;
use crate::einvoice::iso;
use crate::faults::{Fault, RequestFaults};
use crate::http::{
    forbidden, header_str, invalid, json, not_found, ok, parse_json, parse_typed, Access, ApiError,
    ApiResult, DropConnection, Obj, Principal,
};
use crate::store::{EInvoiceRec, EwbRec};
use crate::webhooks;

/// The sandbox's PIN-to-PIN distance (module docs).
pub fn pin_to_pin_km(a: u32, b: u32) -> u32 {
    ((a / 1000).abs_diff(b / 1000) * 7 + 12).min(4000)
}

/// What a new bill is made of, whichever way it was asked for.
struct NewBill {
    generator: String,
    from_gstin: String,
    to_gstin: String,
    supply_type: String,
    irn: Option<String>,
    einvoice_id: Option<String>,
    document_type: String,
    document_number: String,
    document_date: chrono::NaiveDate,
    total: Option<Decimal>,
    distance: u32,
    from_pin: Option<u32>,
    to_pin: Option<u32>,
    transporter_id: Option<String>,
    mode: Option<TransportMode>,
    vehicle_number: Option<String>,
    vehicle_type: Option<VehicleType>,
    transport_document_number: Option<String>,
}

fn upstream(code: &str, message: impl Into<String>) -> Error {
    let nic = onefinops_core::nic_code::message(code)
        .map(str::to_owned)
        .unwrap_or_else(|| "Refused".into());
    Error::upstream_failure(message, Upstream::new(code, nic))
}

fn issue(app: &App, b: NewBill, fault: Option<&Fault>) -> Result<EwbRec, Error> {
    if let Some(e) = fault.and_then(|f| f.error("EWB system")) {
        return Err(e);
    }
    let now = app.now();
    let now = chrono::Timelike::with_nanosecond(&now, 0).unwrap_or(now);
    let (distance, alert) = match (b.distance, b.from_pin, b.to_pin) {
        (0, Some(f), Some(t)) if f != t => {
            let km = pin_to_pin_km(f, t);
            (km, Some(format!("Pin-Pin calc distance: {km}KM")))
        }
        (0, _, _) => (1, Some("Pin-Pin calc distance: 1KM".to_owned())),
        (d, _, _) => (d, None),
    };
    let has_part_b = match b.mode {
        Some(TransportMode::Road) | None => b.vehicle_number.is_some(),
        Some(_) => b.transport_document_number.is_some(),
    };
    let cargo = Cargo::of(b.vehicle_type, b.mode);
    let prediction = predict_on_generation(now, has_part_b, distance, None, cargo)
        .map_err(|e| Error::invalid_argument(format!("{e:?}")))?;
    let record = EwayBillRecord {
        status: if has_part_b {
            EwayBillStatus::Active
        } else {
            EwayBillStatus::PartAOnly
        },
        generated_at: now,
        valid_upto: prediction.map(|p| p.valid_upto),
        distance_km: distance,
        cargo,
        transporter_id: b.transporter_id.clone(),
        transporter_entered_part_b: false,
    };
    let doc_key = format!("{}|{}|{}", b.generator, b.document_type, b.document_number);
    let rec = {
        let mut store = app.store();
        let open = |n: &u64| {
            store.ewaybills.get(n).is_some_and(|e| {
                !matches!(
                    e.record.status,
                    EwayBillStatus::Cancelled | EwayBillStatus::Rejected
                )
            })
        };
        if let Some(irn) = &b.irn {
            if let Some(n) = store.ewb_by_irn.get(irn).filter(|n| open(n)) {
                return Err(upstream(
                    "4002",
                    format!("e-way bill {n} is already generated for this IRN: fetch it with GET /v1/ewaybills/{n}"),
                ));
            }
        }
        if let Some(n) = store.ewb_by_document.get(&doc_key).filter(|n| open(n)) {
            return Err(upstream(
                "604",
                format!(
                    "e-way bill {n} is already generated for document {}",
                    b.document_number
                ),
            ));
        }
        let rec = EwbRec {
            ewb_no: app.ids.ewb_number(),
            generator_gstin: b.generator,
            from_gstin: b.from_gstin,
            to_gstin: b.to_gstin,
            supply_type: b.supply_type,
            irn: b.irn.clone(),
            einvoice_id: b.einvoice_id,
            document_type: b.document_type,
            document_number: b.document_number,
            document_date: b.document_date,
            total_invoice_value: b.total,
            declared_distance: b.distance,
            record,
            vehicle_number: b.vehicle_number,
            transport_mode: b.mode.map(|m| json!(m.code())),
            alert,
            closed_at: None,
            cancel_reason: None,
            cancel_remarks: None,
            extensions: 0,
        };
        if let Some(irn) = &b.irn {
            store.ewb_by_irn.insert(irn.clone(), rec.ewb_no);
        }
        store.ewb_by_document.insert(doc_key, rec.ewb_no);
        store.ewaybills.insert(rec.ewb_no, rec.clone());
        rec
    };
    after_change(app, &rec, "ewaybill.generated", &now);
    Ok(rec)
}

fn after_change(app: &App, rec: &EwbRec, event: &str, now: &Timestamp) {
    app.persist(
        "ewaybill",
        &rec.ewb_no.to_string(),
        serde_json::to_value(rec).ok(),
    );
    if let Some(irn) = &rec.irn {
        app.persist("ewbByIrn", irn, Some(json!(rec.ewb_no)));
    }
    app.persist(
        "ewbByDocument",
        &format!(
            "{}|{}|{}",
            rec.generator_gstin, rec.document_type, rec.document_number
        ),
        Some(json!(rec.ewb_no)),
    );
    webhooks::emit(
        app,
        event,
        &rec.generator_gstin,
        ewaybill_object(rec, now).to_value(),
    );
}

/// Issues the e-way bill asked for with an IRN (`eWayBillDetails` of the invoice).
pub fn generate_with_irn(app: &App, rec: &EInvoiceRec, details: &Value) -> Result<EwbRec, Error> {
    let d: EWayBillDetails = serde_json::from_value(details.clone())
        .map_err(|e| Error::invalid_argument(format!("eWayBillDetails: {e}")))?;
    let by_irn = EwbByIrn {
        irn: rec
            .irn
            .parse()
            .map_err(|_| Error::internal("stored IRN unreadable"))?,
        distance: d.distance,
        transport_mode: d.transport_mode,
        transporter_id: d.transporter_id,
        transporter_name: d.transporter_name,
        transport_document_date: d.transport_document_date,
        transport_document_number: d.transport_document_number,
        vehicle_number: d.vehicle_number,
        vehicle_type: d.vehicle_type,
        dispatch_from: None,
        export_ship_to: None,
    };
    issue(app, bill_for_irn(rec, &by_irn)?, None)
}

fn bill_for_irn(rec: &EInvoiceRec, req: &EwbByIrn) -> Result<NewBill, Error> {
    if rec.status() != EInvoiceStatus::Generated {
        return Err(upstream(
            "4000",
            format!(
                "the IRN is {}, not active: no e-way bill can be generated for it",
                rec.status()
            ),
        ));
    }
    if rec.key.document_type != onefinops_core::einvoice::model::DocumentType::Invoice {
        return Err(upstream(
            "4010",
            "an e-way bill by IRN is not for credit or debit notes",
        ));
    }
    let data = rec
        .signed_invoice
        .as_deref()
        .and_then(|s| decode_signed_invoice_unverified(s).ok())
        .unwrap_or(Value::Null);
    let pin = |party: &str| data[party]["Pin"].as_u64().map(|p| p as u32);
    let goods = data["ItemList"]
        .as_array()
        .is_some_and(|items| items.iter().any(|i| i["IsServc"] != "Y"));
    if !goods {
        return Err(upstream(
            "4009",
            "an e-way bill needs at least one item of goods",
        ));
    }
    let ship_pin = data["ShipDtls"]["Pin"].as_u64().map(|p| p as u32);
    Ok(NewBill {
        generator: rec.key.seller_gstin.clone(),
        from_gstin: rec.key.seller_gstin.clone(),
        to_gstin: rec.buyer_gstin.clone(),
        supply_type: "O".into(),
        irn: Some(rec.irn.clone()),
        einvoice_id: Some(rec.id.clone()),
        document_type: "INV".into(),
        document_number: rec.key.document_number.clone(),
        document_date: rec.invoice_date,
        total: Some(rec.total_invoice_value),
        distance: req.distance,
        from_pin: pin("SellerDtls"),
        to_pin: ship_pin.or_else(|| pin("BuyerDtls")),
        transporter_id: req.transporter_id.clone(),
        mode: req.transport_mode,
        vehicle_number: req.vehicle_number.clone(),
        vehicle_type: req.vehicle_type,
        transport_document_number: req.transport_document_number.clone(),
    })
}

/// The ewaybill object.
pub fn ewaybill_object(rec: &EwbRec, now: &Timestamp) -> Obj {
    let r = &rec.record;
    let mut m = Obj::new();
    m.set("object", json!("ewaybill"));
    m.set("ewbNumber", json!(rec.ewb_no));
    m.set("status", json!(r.status_at(now).as_str()));
    m.set("ewayBillDate", json!(iso(&r.generated_at)));
    m.set("validUpto", json!(r.valid_upto.map(|t| iso(&t))));
    m.set("generatorGstin", json!(rec.generator_gstin));
    m.set("fromGstin", json!(rec.from_gstin));
    m.set("toGstin", json!(rec.to_gstin));
    m.set("supplyType", json!(rec.supply_type));
    m.set("documentType", json!(rec.document_type));
    m.set("documentNumber", json!(rec.document_number));
    m.set("documentDate", json!(rec.document_date.to_string()));
    if let Some(t) = rec.total_invoice_value {
        m.set("totalInvoiceValue", json!(t));
    }
    if let Some(irn) = &rec.irn {
        m.set("irn", json!(irn));
    }
    if let Some(id) = &rec.einvoice_id {
        m.set("einvoiceId", json!(id));
    }
    m.set("distance", json!(r.distance_km));
    m.set("transporterId", json!(r.transporter_id));
    m.set("vehicleNumber", json!(rec.vehicle_number));
    m.set(
        "transportMode",
        rec.transport_mode.clone().unwrap_or(Value::Null),
    );
    m.set("extensions", json!(rec.extensions));
    if let Some(a) = &rec.alert {
        m.set("alert", json!(a));
    }
    if let Some(t) = rec.closed_at {
        let key = if r.status == EwayBillStatus::Rejected {
            "rejectedAt"
        } else {
            "cancelledAt"
        };
        m.set(key, json!(iso(&t)));
    }
    if let Some(reason) = &rec.cancel_reason {
        m.set("cancelReason", json!(reason));
        m.set("cancelRemarks", json!(rec.cancel_remarks));
    }
    m
}

fn with_drop(resp: Response, fault: &Option<Fault>) -> Response {
    let mut resp = resp;
    if matches!(fault, Some(Fault::DropAfterCommit)) {
        resp.extensions_mut().insert(DropConnection);
    }
    resp
}

/// `POST /v1/ewaybills`: a standalone bill (canonical or NIC GENEWAYBILL JSON) or, with `irn`,
/// a bill for an e-invoice (canonical `{irn, distance, transportMode, ...}` or NIC's `{Irn, ...}`).
pub async fn create(
    State(app): State<Arc<App>>,
    principal: Principal,
    Extension(faults): Extension<RequestFaults>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    principal.require(Some(Product::Ewaybill), Access::Write)?;
    let value = parse_json(&body)?;
    let fault = app.faults.take_upstream(&faults);
    let is_by_irn = value.get("irn").is_some() || value.get("Irn").is_some();
    let bill = if is_by_irn {
        let req: EwbByIrn = if value.get("Irn").is_some() {
            EwbByIrn::from_nic(parse_typed::<NicEwbByIrn>(value, "e-way bill by IRN")?)
        } else {
            parse_typed(value, "e-way bill by IRN")?
        };
        let rec = {
            let store = app.store();
            store
                .by_irn
                .get(req.irn.as_str())
                .and_then(|id| store.einvoices.get(id))
                .cloned()
        }
        .ok_or_else(|| not_found(format!("no e-invoice with IRN {}", req.irn)))?;
        principal.require_gstin(&rec.key.seller_gstin)?;
        if let Some(user) = header_str(&headers, "gstin") {
            principal.require_gstin(user)?;
        }
        require_ewb_credential(&app, &rec.key.seller_gstin)?;
        bill_for_irn(&rec, &req)?
    } else {
        let options = ValidationOptions {
            sandbox: true,
            now: Some(app.now()),
            ..ValidationOptions::default()
        };
        let mut report = validate_ewaybill_json(&body, &options);
        crate::einvoice::accept_nic_sandbox_gstins(&mut report.findings, &body);
        let ewb: Option<EWayBill> = match value.as_object().map(EWayBillDialect::detect) {
            Some(EWayBillDialect::Nic) => serde_json::from_value::<NicEWayBill>(value.clone())
                .ok()
                .map(onefinops_core::ewaybill::nic::from_nic),
            _ => serde_json::from_value::<EWayBill>(value.clone()).ok(),
        };
        let errors = report
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error);
        let Some(ewb) = ewb.filter(|_| !errors) else {
            return Err(ApiError(Error::validation(
                "Body shape or rules failed validation; see details[]",
                report.findings,
            )));
        };
        let outward = ewb.supply_type == onefinops_core::ewaybill::SupplyType::Outward;
        let derived = if outward {
            &ewb.from.gstin
        } else {
            &ewb.to.gstin
        };
        let generator = header_str(&headers, "gstin").unwrap_or(derived).to_owned();
        principal.require_gstin(&generator)?;
        if generator != *derived {
            let code = if outward { "359" } else { "360" };
            return Err(ApiError(upstream(
                code,
                format!(
                    "the gstin header ({generator}) must be the {} GSTIN of the bill",
                    if outward { "from" } else { "to" }
                ),
            )));
        }
        require_ewb_credential(&app, &generator)?;
        NewBill {
            generator,
            from_gstin: ewb.from.gstin.clone(),
            to_gstin: ewb.to.gstin.clone(),
            supply_type: ewb.supply_type.code().into(),
            irn: None,
            einvoice_id: None,
            document_type: ewb.document_details.document_type.code().into(),
            document_number: ewb.document_details.number.clone(),
            document_date: ewb.document_details.date,
            total: Some(ewb.value_details.total_invoice_value),
            distance: ewb.transport.distance,
            from_pin: Some(ewb.from.pincode),
            to_pin: Some(ewb.to.pincode),
            transporter_id: ewb.transport.transporter_id.clone(),
            mode: ewb.transport.mode,
            vehicle_number: ewb.transport.vehicle_number.clone(),
            vehicle_type: ewb.transport.vehicle_type,
            transport_document_number: ewb.transport.document_number.clone(),
        }
    };
    let rec = issue(&app, bill, fault.as_ref())?;
    app.flush().await;
    Ok(with_drop(
        json(StatusCode::CREATED, &ewaybill_object(&rec, &app.now())),
        &fault,
    ))
}

fn require_ewb_credential(app: &App, gstin: &str) -> ApiResult<()> {
    let has = {
        let store = app.store();
        store.has_credential(gstin, Portal::Ewb) || store.has_credential(gstin, Portal::Irp)
    };
    if has {
        Ok(())
    } else {
        Err(ApiError(Error::IrpCredentialsNotConfigured {
            message: format!("no EWB (or IRP) portal credential found for GSTIN {gstin}: upload one with POST /v1/gsp-credentials"),
            request_id: None,
        }))
    }
}

fn parse_ewb_no(text: &str) -> ApiResult<u64> {
    text.parse::<onefinops_core::ewaybill::EwbNumber>()
        .map(|n| n.get())
        .map_err(|e| invalid(e.to_string()))
}

fn find(app: &App, principal: &Principal, ewb_no: u64) -> ApiResult<EwbRec> {
    let rec = app
        .store()
        .ewaybills
        .get(&ewb_no)
        .cloned()
        .ok_or_else(|| not_found(format!("no e-way bill {ewb_no}")))?;
    let parties = [
        Some(rec.generator_gstin.as_str()),
        rec.record.transporter_id.as_deref(),
        Some(rec.from_gstin.as_str()),
        Some(rec.to_gstin.as_str()),
    ];
    if !parties.iter().flatten().any(|g| principal.acts_for(g)) {
        return Err(forbidden(format!(
            "client {} is not authorised for any party of e-way bill {ewb_no}",
            principal.client_id
        )));
    }
    Ok(rec)
}

/// `GET /v1/ewaybills/{ewbNo}`.
pub async fn get(
    State(app): State<Arc<App>>,
    principal: Principal,
    Path(ewb_no): Path<String>,
) -> ApiResult<Response> {
    principal.require(Some(Product::Ewaybill), Access::Read)?;
    let rec = find(&app, &principal, parse_ewb_no(&ewb_no)?)?;
    Ok(ok(&ewaybill_object(&rec, &app.now())))
}

fn other_party(rec: &EwbRec) -> &str {
    if rec.supply_type == "I" {
        &rec.from_gstin
    } else {
        &rec.to_gstin
    }
}

/// Who is acting (module docs).
fn actor(principal: &Principal, headers: &HeaderMap, rec: &EwbRec) -> ApiResult<Actor> {
    let transporter = rec.record.transporter_id.as_deref();
    let user = match header_str(headers, "gstin") {
        Some(u) => u.to_owned(),
        None => [
            Some(rec.generator_gstin.as_str()),
            transporter,
            Some(other_party(rec)),
        ]
        .into_iter()
        .flatten()
        .find(|g| principal.acts_for(g))
        .unwrap_or(rec.generator_gstin.as_str())
        .to_owned(),
    };
    principal.require_gstin(&user)?;
    if user == rec.generator_gstin {
        Ok(Actor::Generator)
    } else if Some(user.as_str()) == transporter {
        Ok(Actor::Transporter)
    } else if user == other_party(rec) {
        Ok(Actor::OtherParty)
    } else {
        Err(forbidden(format!(
            "GSTIN {user} is not a party to e-way bill {}",
            rec.ewb_no
        )))
    }
}

/// The body of an action with `ewbNumber` filled in from the path.
fn action_body(body: &[u8], ewb_no: u64) -> ApiResult<Value> {
    let mut v = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        parse_json(body)?
    };
    let Value::Object(m) = &mut v else {
        return Err(invalid("the body must be a JSON object"));
    };
    match m.get("ewbNumber") {
        None => {
            m.insert("ewbNumber".into(), json!(ewb_no));
        }
        Some(n) if n.to_string().trim_matches('"') == ewb_no.to_string() => {}
        Some(n) => {
            return Err(invalid(format!(
                "ewbNumber {n} in the body is not {ewb_no} of the path"
            )))
        }
    }
    Ok(v)
}

/// The actions on a bill.
#[derive(Debug, Clone, Copy)]
pub enum ActionKind {
    /// Part-B.
    PartB,
    /// Extend.
    Extend,
    /// Cancel.
    Cancel,
    /// Reject.
    Reject,
    /// Transporter.
    Transporter,
}

async fn action(
    app: Arc<App>,
    principal: Principal,
    faults: RequestFaults,
    headers: HeaderMap,
    ewb_no: String,
    body: Bytes,
    kind: ActionKind,
) -> ApiResult<Response> {
    principal.require(Some(Product::Ewaybill), Access::Write)?;
    let ewb_no = parse_ewb_no(&ewb_no)?;
    let rec = find(&app, &principal, ewb_no)?;
    let value = action_body(&body, ewb_no)?;
    let who = actor(&principal, &headers, &rec)?;
    let fault = app.faults.take_upstream(&faults);
    if let Some(e) = fault.as_ref().and_then(|f| f.error("EWB system")) {
        return Err(ApiError(e));
    }
    let now = app.now();
    let refused = |r: onefinops_core::lifecycle::ewaybill::EwayBillRefusal| ApiError(r.to_error());
    let mut next = rec.clone();
    let event = match kind {
        ActionKind::PartB => {
            let req: PartBUpdate = parse_typed(value, "Part-B update")?;
            next.record = rec.record.apply_part_b(&req, who, &now).map_err(refused)?;
            next.vehicle_number = req.vehicle_number.clone().or(next.vehicle_number);
            next.transport_mode = Some(json!(req.transport_mode.code()));
            "ewaybill.part_b_updated"
        }
        ActionKind::Extend => {
            let req: ExtendValidity = parse_typed(value, "extension")?;
            let ext = rec
                .record
                .apply_extension(&req, who, &now)
                .map_err(refused)?;
            next.record = ext.record;
            next.extensions += 1;
            if req.vehicle_number.is_some() {
                next.vehicle_number = req.vehicle_number.clone();
            }
            "ewaybill.extended"
        }
        ActionKind::Cancel => {
            let req: CancelEWayBill = parse_typed(value, "cancel request")?;
            next.record = rec.record.cancel(who, &now).map_err(refused)?;
            next.closed_at = Some(now);
            next.cancel_reason = Some(req.reason.api_name().to_owned());
            next.cancel_remarks = Some(req.remarks.clone());
            "ewaybill.cancelled"
        }
        ActionKind::Reject => {
            let _req: RejectEWayBill = parse_typed(value, "reject request")?;
            next.record = rec.record.reject(who, &now).map_err(refused)?;
            next.closed_at = Some(now);
            "ewaybill.rejected"
        }
        ActionKind::Transporter => {
            let req: UpdateTransporter = parse_typed(value, "transporter update")?;
            let t = &req.transporter_id;
            if *t == rec.from_gstin || *t == rec.to_gstin {
                return Err(ApiError(upstream(
                    "370",
                    "the transporter cannot be the supplier or the recipient",
                )));
            }
            next.record = rec
                .record
                .apply_transporter_update(&req, who, &now)
                .map_err(refused)?;
            "ewaybill.transporter_updated"
        }
    };
    {
        let mut store = app.store();
        // The bill may have changed since it was read: apply only over the version checked.
        match store.ewaybills.get_mut(&ewb_no) {
            Some(current) if current.record == rec.record => *current = next.clone(),
            _ => {
                return Err(ApiError(Error::IdempotencyConflict {
                    message: "the e-way bill changed while this request ran; retry".into(),
                    in_progress: true,
                    request_id: None,
                }))
            }
        }
    }
    after_change(&app, &next, event, &now);
    app.flush().await;
    Ok(with_drop(ok(&ewaybill_object(&next, &now)), &fault))
}

macro_rules! action_handler {
    ($name:ident, $kind:expr, $doc:literal) => {
        #[doc = $doc]
        pub async fn $name(
            State(app): State<Arc<App>>,
            principal: Principal,
            Extension(faults): Extension<RequestFaults>,
            headers: HeaderMap,
            Path(ewb_no): Path<String>,
            body: Bytes,
        ) -> ApiResult<Response> {
            action(app, principal, faults, headers, ewb_no, body, $kind).await
        }
    };
}

action_handler!(
    part_b,
    ActionKind::PartB,
    "`POST /v1/ewaybills/{ewbNo}/part-b` (VEHEWB)."
);
action_handler!(
    extend,
    ActionKind::Extend,
    "`POST /v1/ewaybills/{ewbNo}/extend` (EXTENDVALIDITY)."
);
action_handler!(
    cancel,
    ActionKind::Cancel,
    "`POST /v1/ewaybills/{ewbNo}/cancel` (CANEWB)."
);
action_handler!(
    reject,
    ActionKind::Reject,
    "`POST /v1/ewaybills/{ewbNo}/reject` (REJEWB)."
);
action_handler!(
    transporter,
    ActionKind::Transporter,
    "`POST /v1/ewaybills/{ewbNo}/transporter` (UPDATETRANSPORTER)."
);
