//! Lifecycle questions as JSON: may this action happen now (e-invoice and e-way bill state
//! machines), how long is a bill valid, is this reply a DUPIRN and is it really ours, how to
//! recover an e-way bill duplicate, what a NIC code or an API error means.
//!
//! Every answer is data: a refusal is `{"allowed": false, "code", "nicCode", "message"}`, not an
//! error, because "you may not cancel this IRN any more (2270)" is the answer to the question.
//! Only arguments of the wrong shape are errors ([`Error::InvalidArgument`]).

use serde::Deserialize;
use serde_json::{json, Value};

use super::{finding_json, from_value, object_argument, to_json};
use crate::calendar::Timestamp;
use crate::einvoice::dupirn::{
    adopt_duplicate, decode_signed_invoice_unverified, parse_generate_outcome, DuplicateConflict,
    SignedPayload,
};
use crate::einvoice::model::EInvoice;
use crate::einvoice::Irn;
use crate::error::Error;
use crate::ewaybill::model::DocumentType as EwbDocumentType;
use crate::finding::Finding;
use crate::lifecycle::einvoice::{decide, EInvoiceAction, EInvoiceDecision, EInvoiceRecord};
use crate::lifecycle::ewaybill::{EwayBillAction, EwayBillRecord};
use crate::lifecycle::ewb_duplicate::{after_generate, after_generate_by_irn};
use crate::lifecycle::validity::{self, Cargo, ValidityError, ValidityInput};
use crate::lifecycle::Refusal;
use crate::nic_code;

fn refusal<R: Refusal>(r: &R) -> Value {
    json!({"allowed": false, "code": r.code(), "nicCode": r.nic_code(), "message": r.to_string()})
}

/// An action given as `"cancel"` or as `{"action": "cancel", ...}`.
fn action_value(v: Value) -> Value {
    match v {
        Value::String(s) => json!({ "action": s }),
        other => other,
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EInvoiceQuestion {
    #[serde(default)]
    record: Option<EInvoiceRecord>,
    action: Value,
    now: Timestamp,
}

/// `{"record"?, "action", "now"}` -> may this e-invoice action happen now (nic-rules B.8-B.10)?
/// `action` is `generate`, `poll` or `cancel`; `record` is what is known of the document number
/// (absent: nothing). Allowed: `{"allowed": true, "decision": "submit" | "replay_duplicate" |
/// "poll" | "cancel", "record"?}`; refused: the refusal with NIC's code (2270 after 24 h, 2230
/// with an active e-way bill, ...).
pub fn einvoice_decide(input: &[u8]) -> Result<Value, Error> {
    let q: EInvoiceQuestion = from_value(object_argument(input, "input")?, "input")?;
    let action: EInvoiceAction = from_value(action_value(q.action), "input.action")?;
    Ok(match decide(q.record.as_ref(), action, &q.now) {
        Ok(EInvoiceDecision::Generate(advice)) => json!({"allowed": true, "decision": advice}),
        Ok(EInvoiceDecision::Poll) => json!({"allowed": true, "decision": "poll"}),
        Ok(EInvoiceDecision::Cancel(r)) => {
            json!({"allowed": true, "decision": "cancel", "record": r})
        }
        Err(e) => refusal(&e),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EwayBillQuestion {
    record: EwayBillRecord,
    action: Value,
    now: Timestamp,
}

/// `{"record", "action", "now"}` -> the e-way bill after the action (Part-B, extend, cancel,
/// reject, transporter: nic-rules C.2-C.9), `{"allowed": true, "record"}`, or the refusal with
/// NIC's code (311, 382, 390, 821, 315, 346, ...).
pub fn ewaybill_apply(input: &[u8]) -> Result<Value, Error> {
    let q: EwayBillQuestion = from_value(object_argument(input, "input")?, "input")?;
    let action: EwayBillAction = from_value(action_value(q.action), "input.action")?;
    Ok(match q.record.apply(&action, &q.now) {
        Ok(r) => json!({"allowed": true, "record": r}),
        Err(e) => refusal(&e),
    })
}

/// The argument of [`ewaybill_validity`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ValidityArgs {
    #[serde(default)]
    generated_at: Option<Timestamp>,
    #[serde(default)]
    distance_km: Option<u32>,
    #[serde(default)]
    pin_to_pin_km: Option<u32>,
    #[serde(default)]
    extended_at: Option<Timestamp>,
    #[serde(default)]
    remaining_km: Option<u32>,
    #[serde(default)]
    cargo: Cargo,
}

/// The validity of an e-way bill (nic-rules C.1): `{generatedAt, distanceKm, pinToPinKm?,
/// cargo?}` for a bill from its generation (or first Part-B entry), or `{extendedAt,
/// remainingKm, cargo?}` for an extension. Answers `{"ok": true, "distanceKm", "days",
/// "validUpto", "findings": []}`, or `{"ok": false, ..., "findings": [one finding]}` when NIC
/// would refuse the distance.
pub fn ewaybill_validity(input: &[u8]) -> Result<Value, Error> {
    let args: ValidityArgs = from_value(object_argument(input, "input")?, "input")?;
    let (prediction, extension) = match (args.generated_at, args.extended_at) {
        (Some(from), None) => {
            if args.remaining_km.is_some() {
                return Err(Error::invalid_argument(
                    "input.remainingKm belongs to an extension (extendedAt), not to generatedAt",
                ));
            }
            let distance_km = args.distance_km.ok_or_else(|| {
                Error::invalid_argument(
                    "input.distanceKm is required with generatedAt (0 asks NIC to compute it)",
                )
            })?;
            let out = validity::predict(&ValidityInput {
                from,
                distance_km,
                pin_to_pin_km: args.pin_to_pin_km,
                cargo: args.cargo,
            });
            (out, false)
        }
        (None, Some(at)) => {
            if args.distance_km.is_some() || args.pin_to_pin_km.is_some() {
                return Err(Error::invalid_argument(
                    "an extension (extendedAt) takes remainingKm, not distanceKm or pinToPinKm",
                ));
            }
            let remaining = args.remaining_km.ok_or_else(|| {
                Error::invalid_argument("input.remainingKm is required with extendedAt")
            })?;
            (
                validity::predict_extension(&at, remaining, args.cargo),
                true,
            )
        }
        (Some(_), Some(_)) => {
            return Err(Error::invalid_argument(
                "give either generatedAt (a new bill) or extendedAt (an extension), not both",
            ))
        }
        (None, None) => {
            return Err(Error::invalid_argument(
                "input.generatedAt (or extendedAt for an extension) is required",
            ))
        }
    };
    Ok(match prediction {
        Ok(p) => json!({
            "ok": true,
            "distanceKm": p.distance_km,
            "days": p.days,
            "validUpto": p.valid_upto,
            "findings": [],
        }),
        Err(e) => {
            let mut f = Finding::error(validity_field(e, extension), e.code(), e.to_string());
            f.nic_code = e.nic_code().map(str::to_owned);
            json!({
                "ok": false,
                "distanceKm": null,
                "days": null,
                "validUpto": null,
                "findings": [finding_json(&f)],
            })
        }
    })
}

/// The input field a validity error is about.
fn validity_field(e: ValidityError, extension: bool) -> &'static str {
    match e {
        _ if extension => "/remainingKm",
        ValidityError::NeedPinToPinDistance => "/pinToPinKm",
        ValidityError::DistanceOutOfRange(_) => "/distanceKm",
        ValidityError::RemainingDistanceRequired => "/remainingKm",
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DupirnQuestion {
    reply: Value,
    #[serde(default)]
    request: Option<Value>,
    #[serde(default)]
    signed_invoice: Option<String>,
}

/// `{"reply", "request"?, "signedInvoice"?}` -> what a generate reply means (nic-rules B.8).
/// `reply` is either shape (the OneFinOps einvoice reply, NIC's 2150 with InfoDtls). Answers
/// `{"outcome": {..., "duplicate": bool}}`, or `{"outcome": null, "error": {"code", "message"}}`
/// for a reply that is not a registration. With `request` (the invoice sent) and a duplicate,
/// also `"adopted": {...}` when the registered document is the same invoice, or `"conflict":
/// {"code", "message", "differences"?}` when the number was used for a different one: never
/// adopt that silently. `signedInvoice` (the JWS of the existing IRN, from a fetch) lets the
/// check compare the buyer GSTIN and the total.
pub fn dupirn_check(input: &[u8]) -> Result<Value, Error> {
    let q: DupirnQuestion = from_value(object_argument(input, "input")?, "input")?;
    let reply = q.reply.to_string();
    let outcome = match parse_generate_outcome(reply.as_bytes()) {
        Ok(o) => o,
        Err(e) => {
            return Ok(json!({
                "outcome": null,
                "error": {"code": e.code(), "message": e.to_string()},
            }))
        }
    };
    let mut out = json!({ "outcome": to_json(&outcome)? });
    let Some(request) = q.request else {
        return Ok(out);
    };
    let request: EInvoice = from_value(request, "input.request")?;
    let payload = match &q.signed_invoice {
        Some(jws) => Some(
            decode_signed_invoice_unverified(jws)
                .map_err(|e| Error::invalid_argument(format!("input.signedInvoice: {}", e.0)))?,
        ),
        None => None,
    };
    let signed = match &payload {
        Some(p) => SignedPayload::Available(p),
        None => SignedPayload::Unavailable,
    };
    match adopt_duplicate(&request, &outcome, signed) {
        Ok(a) => out["adopted"] = to_json(&a)?,
        Err(c) => {
            let mut conflict = json!({"code": c.code(), "message": c.to_string()});
            if let DuplicateConflict::DifferentInvoice { differences, .. } = &c {
                conflict["differences"] = to_json(differences)?;
            }
            out["conflict"] = conflict;
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RecoveryQuestion {
    codes: Vec<String>,
    #[serde(default)]
    document_type: Option<EwbDocumentType>,
    #[serde(default)]
    document_number: Option<String>,
    #[serde(default)]
    irn: Option<Irn>,
}

/// `{"codes", "documentType" + "documentNumber" | "irn"}` -> `{"fetch": ...}`: after an e-way
/// bill generate failed with NIC's `codes`, whether the bill exists already (604 for the
/// document, 4002 for the IRN: nic-rules C.9) and which fetch recovers it; `{"fetch": null}`
/// when it does not.
pub fn ewaybill_recovery(input: &[u8]) -> Result<Value, Error> {
    let q: RecoveryQuestion = from_value(object_argument(input, "input")?, "input")?;
    let fetch = match (q.irn, q.document_type, q.document_number) {
        (Some(irn), None, None) => after_generate_by_irn(&q.codes, &irn),
        (None, Some(ty), Some(number)) => after_generate(&q.codes, ty, &number),
        _ => {
            return Err(Error::invalid_argument(
                "input needs either irn (a bill by IRN) or documentType and documentNumber (a standalone bill)",
            ))
        }
    };
    Ok(json!({ "fetch": to_json(&fetch)? }))
}

/// `{"code", "class", "message"}` of a NIC error code: its class (`user-fix`, `retryable`,
/// `re-auth`, `idempotent-recover`: what a program should do) and NIC's message when the catalogue has it.
pub fn nic_code(code: &str) -> Value {
    json!({
        "code": code,
        "class": nic_code::classify(code).as_str(),
        "message": nic_code::message(code),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ResponseArgs {
    status: u16,
    #[serde(default)]
    retry_after: Option<String>,
    #[serde(default)]
    body: Value,
}

/// `{"status", "retryAfter"?, "body"}` -> what an API error answer means: its stable `code`,
/// `message`, `retryable`, `needsReauth`, `retryAfter`, `requestId`, `details`, `upstream` and
/// the NIC class of the upstream code, and the normalised `envelope`. `body` is the answer's JSON,
/// or its text as a string.
pub fn error_from_response(input: &[u8]) -> Result<Value, Error> {
    let args: ResponseArgs = from_value(object_argument(input, "input")?, "input")?;
    let body = match &args.body {
        Value::String(s) => s.clone().into_bytes(),
        Value::Null => Vec::new(),
        other => other.to_string().into_bytes(),
    };
    let e = Error::from_response(args.status, args.retry_after.as_deref(), &body);
    Ok(error_json(&e))
}

/// The description of an error every adapter gives: the fields of [`error_from_response`].
pub fn error_json(e: &Error) -> Value {
    json!({
        "code": e.code(),
        "message": e.message(),
        "httpStatus": e.http_status(),
        "retryable": e.is_retryable(),
        "needsReauth": e.needs_reauth(),
        "retryAfter": e.retry_after(),
        "requestId": e.request_id(),
        "details": e.details(),
        "upstream": e.upstream(),
        "upstreamClass": e.upstream().map(|u| u.class().as_str()),
        "envelope": e.to_envelope(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_errors_are_findings() {
        let out = ewaybill_validity(
            br#"{"generatedAt": "2025-01-01T10:00:00+05:30", "distanceKm": 4001}"#,
        )
        .unwrap();
        assert_eq!(out["ok"], false);
        assert_eq!(out["findings"][0]["path"], "/distanceKm");
        assert_eq!(out["findings"][0]["code"], "validity.distance_out_of_range");
        let out =
            ewaybill_validity(br#"{"extendedAt": "2023-07-04T18:13:00+05:30", "remainingKm": 0}"#)
                .unwrap();
        assert_eq!(out["findings"][0]["nicCode"], "389");
        let e = ewaybill_validity(br#"{"distanceKm": 10}"#).unwrap_err();
        assert_eq!(e.code(), "invalid_argument");
        let out = ewaybill_validity(
            br#"{"generatedAt": "2022-10-05T12:39:00+05:30", "distanceKm": 10, "cargo": "ship_leg"}"#,
        )
        .unwrap();
        assert_eq!(out["days"], 1);
        assert_eq!(out["validUpto"], "2022-10-06T23:59:00+05:30");
    }

    #[test]
    fn einvoice_cancel_after_24_hours_is_2270() {
        let input = r#"{"record": {"status": "generated", "ackDate": "2026-05-01T10:00:00+05:30"},
            "action": "cancel", "now": "2026-05-02T10:00:01+05:30"}"#;
        let out = einvoice_decide(input.as_bytes()).unwrap();
        assert_eq!(out["allowed"], false);
        assert_eq!(out["nicCode"], "2270");
        let ok = einvoice_decide(input.replace("10:00:01", "09:59:59").as_bytes()).unwrap();
        assert_eq!(
            (&ok["allowed"], &ok["decision"]),
            (&json!(true), &json!("cancel"))
        );
        let e = einvoice_decide(br#"{"action": "explode", "now": "2026-05-02T10:00:01+05:30"}"#)
            .unwrap_err();
        assert!(e.message().starts_with("input.action"), "{e}");
    }

    #[test]
    fn recovery_needs_one_key() {
        let out = ewaybill_recovery(
            br#"{"codes": ["604"], "documentType": "INV", "documentNumber": "A/1"}"#,
        )
        .unwrap();
        assert_eq!(out["fetch"]["fetch"], "by_document");
        let out = ewaybill_recovery(
            br#"{"codes": ["311"], "documentType": "INV", "documentNumber": "A/1"}"#,
        )
        .unwrap();
        assert_eq!(out["fetch"], Value::Null);
        assert!(ewaybill_recovery(br#"{"codes": []}"#).is_err());
    }

    #[test]
    fn nic_codes_and_errors() {
        assert_eq!(nic_code("2150")["class"], "idempotent-recover");
        assert_eq!(nic_code("2146")["class"], "retryable");
        let out = error_from_response(
            br#"{"status": 429, "retryAfter": "7", "body": {"error": {"code": "rate_limited", "message": "slow down"}}}"#,
        )
        .unwrap();
        assert_eq!(out["code"], "rate_limited");
        assert_eq!(out["retryAfter"], 7);
        assert_eq!(out["retryable"], true);
    }
}
