//! DUPIRN: a generate that finds the document already registered (nic-rules B.8, seed 003).
//!
//! The IRP is idempotent on (seller GSTIN, financial year, document type, document number), the
//! parts of the IRN. Sent twice, typically because the first answer was lost to a timeout, a
//! document comes back as the **existing** IRN flagged duplicate. That is a success, never an
//! error, but only once it is established that the registered invoice is the one being sent:
//! the same number may have been reused for a different invoice, and adopting that IRN silently
//! would attach someone else's registration to this invoice.
//!
//! Two shapes say "duplicate", and [`parse_generate_outcome`] reads both (and a fresh success)
//! into one [`GenerateOutcome`] whose `duplicate` flag is the only difference:
//! - the OneFinOps reply: `{"irn", "ackNumber", "ackDate" (ISO 8601), "status": "ACT",
//!   "message": "2150 : Duplicate IRN", "infoCode": "DUPIRN"}`. The flag is `infoCode`, never the
//!   message text (seed 003: "branch on infoCode == DUPIRN rather than parsing the message");
//! - NIC's reply: `{"Status": 0, "ErrorDetails": [{"ErrorCode": "2150", ...}], "InfoDtls":
//!   [{"InfCd": "DUPIRN", "Desc": {"AckNo", "AckDt", "Irn"}}]}`, where InfoDtls is a list that may
//!   hold other entries too.
//!
//! Then [`adopt_duplicate`] decides: the duplicate's IRN must be the IRN computed locally from the
//! request ([`DocumentKey`]); and the registered invoice, read from the `data` claim of the
//! SignedInvoice that Get-IRN returns, must have the request's buyer GSTIN (`BuyerDtls.Gstin`)
//! and total (`ValDtls.TotInvVal`, compared as exact decimals). A mismatch is a
//! [`DuplicateConflict`]: same number, different invoice, issue a new document number. Get-IRN
//! only serves IRNs up to 2 days old (2283); past that there is no signed invoice, and the IRN,
//! AckNo and AckDt are adopted on the strength of the IRN match alone, which the result says
//! ([`AdoptionBasis::IdentityOnly`]).

use std::fmt;

use base64::Engine;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::irn::{DocumentKey, Irn};
use super::model::EInvoice;
use super::response::{parse_generate_reply, IrnStatus, NicError, NicInfo};
use crate::calendar::{ist, parse_einvoice_timestamp, Timestamp};
use crate::error::{Error, Upstream};

/// NIC's code for a duplicate IRN.
pub const DUPLICATE_IRN_CODE: &str = "2150";

/// The `InfCd` / `infoCode` that flags a duplicate.
pub const DUPIRN: &str = "DUPIRN";

/// Which of the two reply shapes an outcome was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyShape {
    /// The OneFinOps API reply (camelCase, `infoCode`).
    #[serde(rename = "onefinops")]
    OneFinOps,
    /// NIC's own reply (`Status`, `Data`, `ErrorDetails`, `InfoDtls`).
    Nic,
}

/// A generate reply that registered the document, freshly or before (`duplicate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerateOutcome {
    /// The IRN.
    pub irn: Irn,
    /// The acknowledgement number.
    pub ack_no: u64,
    /// The acknowledgement time, in IST.
    pub ack_date: Timestamp,
    /// ACT or CNL.
    pub status: IrnStatus,
    /// True when the document was already registered (DUPIRN / 2150).
    pub duplicate: bool,
    /// The signed invoice, when the reply carried it (a duplicate from NIC never does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_invoice: Option<String>,
    /// The signed QR code, when the reply carried it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_qr_code: Option<String>,
    /// The reply's message, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Which shape it was read from.
    pub shape: ReplyShape,
}

/// A generate reply that is not a registration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutcomeError {
    /// Not a reply of either shape.
    #[error("malformed generate reply at `{path}`: {message}")]
    Malformed {
        /// JSON pointer into the reply.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// NIC refused the document (Status 0, no DUPIRN entry).
    #[error("NIC refused the document: {}", join_errors(.errors))]
    Refused {
        /// NIC's errors.
        errors: Vec<NicError>,
    },
    /// NIC answered 2150 but without the DUPIRN entry that names the existing IRN. The IRN can
    /// still be computed locally ([`DocumentKey::irn`]) and fetched with Get-IRN.
    #[error("NIC answered 2150 Duplicate IRN without the existing IRN's details; fetch it by its locally computed IRN")]
    DuplicateWithoutDetails {
        /// NIC's errors.
        errors: Vec<NicError>,
    },
}

impl OutcomeError {
    /// A stable code for the error (`dupirn.*`).
    pub fn code(&self) -> &'static str {
        match self {
            OutcomeError::Malformed { .. } => "dupirn.malformed_reply",
            OutcomeError::Refused { .. } => "dupirn.refused",
            OutcomeError::DuplicateWithoutDetails { .. } => "dupirn.duplicate_without_details",
        }
    }
}

fn join_errors(errors: &[NicError]) -> String {
    let parts: Vec<String> = errors
        .iter()
        .map(|e| format!("{} {}", e.code, e.message))
        .collect();
    parts.join("; ")
}

impl From<OutcomeError> for Error {
    /// A refusal is NIC's domain answer (`upstream.failure` with NIC's first code); a malformed
    /// reply is ours to explain (`internal`).
    fn from(e: OutcomeError) -> Self {
        match &e {
            OutcomeError::Refused { errors } | OutcomeError::DuplicateWithoutDetails { errors } => {
                match errors.first() {
                    Some(first) => Error::upstream_failure(
                        e.to_string(),
                        Upstream::new(first.code.clone(), first.message.clone()),
                    ),
                    None => Error::internal(e.to_string()),
                }
            }
            OutcomeError::Malformed { .. } => Error::internal(e.to_string()),
        }
    }
}

fn malformed(path: &str, message: impl Into<String>) -> OutcomeError {
    OutcomeError::Malformed {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Reads a generate reply of either shape. NIC's shape is recognised by its capitalised keys
/// (`Status`, `Data`, `ErrorDetails`, `InfoDtls`); anything else is read as the OneFinOps reply.
pub fn parse_generate_outcome(json: &[u8]) -> Result<GenerateOutcome, OutcomeError> {
    let root: Value =
        serde_json::from_slice(json).map_err(|e| malformed("", format!("not JSON: {e}")))?;
    let obj = root
        .as_object()
        .ok_or_else(|| malformed("", "expected an object"))?;
    let is_nic = ["Status", "Data", "ErrorDetails", "InfoDtls"]
        .iter()
        .any(|k| obj.contains_key(*k));
    if is_nic {
        parse_nic(json)
    } else {
        parse_onefinops(&root)
    }
}

fn parse_nic(json: &[u8]) -> Result<GenerateOutcome, OutcomeError> {
    let reply = parse_generate_reply(json).map_err(|e| malformed(&e.path, e.message))?;
    if let Some(NicInfo::DuplicateIrn {
        ack_no,
        ack_dt,
        irn,
    }) = reply.duplicate()
    {
        let message = reply
            .errors
            .iter()
            .find(|e| e.code == DUPLICATE_IRN_CODE)
            .map(|e| format!("{} : {}", e.code, e.message));
        return Ok(GenerateOutcome {
            irn: irn.clone(),
            ack_no: *ack_no,
            ack_date: *ack_dt,
            // NIC names an existing IRN in DUPIRN only while it is active; a cancelled one answers
            // 2278 instead, so ACT is what a DUPIRN means.
            status: IrnStatus::Active,
            duplicate: true,
            signed_invoice: None,
            signed_qr_code: None,
            message,
            shape: ReplyShape::Nic,
        });
    }
    if let Some(data) = reply.data {
        return Ok(GenerateOutcome {
            irn: data.irn,
            ack_no: data.ack_no,
            ack_date: data.ack_dt,
            status: data.status,
            duplicate: false,
            signed_invoice: Some(data.signed_invoice),
            signed_qr_code: Some(data.signed_qr_code),
            message: data.remarks,
            shape: ReplyShape::Nic,
        });
    }
    if reply.errors.iter().any(|e| e.code == DUPLICATE_IRN_CODE) {
        return Err(OutcomeError::DuplicateWithoutDetails {
            errors: reply.errors,
        });
    }
    Err(OutcomeError::Refused {
        errors: reply.errors,
    })
}

fn parse_onefinops(root: &Value) -> Result<GenerateOutcome, OutcomeError> {
    let field = |name: &str| root.get(name).filter(|v| !v.is_null());
    let text = |name: &str| field(name).and_then(Value::as_str).map(str::to_owned);
    let irn = text("irn")
        .ok_or_else(|| malformed("/irn", "missing IRN"))?
        .parse::<Irn>()
        .map_err(|e| malformed("/irn", e.to_string()))?;
    let ack_no = field("ackNumber")
        .map(number_text)
        .ok_or_else(|| malformed("/ackNumber", "missing"))?
        .trim()
        .parse::<u64>()
        .map_err(|_| malformed("/ackNumber", "expected a whole number"))?;
    let ack_date_text = text("ackDate").ok_or_else(|| malformed("/ackDate", "missing"))?;
    let ack_date = parse_api_timestamp(&ack_date_text)
        .ok_or_else(|| malformed("/ackDate", "expected an ISO 8601 timestamp"))?;
    let status = match text("status").as_deref() {
        None | Some("ACT") | Some("generated") => IrnStatus::Active,
        Some("CNL") | Some("cancelled") => IrnStatus::Cancelled,
        Some(other) => {
            return Err(malformed(
                "/status",
                format!("expected ACT or CNL, got `{other}`"),
            ))
        }
    };
    Ok(GenerateOutcome {
        irn,
        ack_no,
        ack_date,
        status,
        duplicate: text("infoCode").as_deref() == Some(DUPIRN),
        signed_invoice: text("signedInvoice"),
        // Seed 003 spells it signedQRCode, the quickstart signedQrCode.
        signed_qr_code: text("signedQRCode").or_else(|| text("signedQrCode")),
        message: text("message"),
        shape: ReplyShape::OneFinOps,
    })
}

/// The API's ISO 8601 timestamps (`2026-05-14T11:42:18.000Z`), moved to IST; NIC's
/// `yyyy-MM-dd HH:mm:ss` (IST) is accepted too, as a GSP may pass it through.
fn parse_api_timestamp(text: &str) -> Option<Timestamp> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&ist()))
        .ok()
        .or_else(|| parse_einvoice_timestamp(text).ok())
}

fn number_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A signed invoice whose payload could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unreadable signed invoice: {0}")]
pub struct JwsPayloadError(pub String);

/// Decodes the invoice inside a SignedInvoice JWS **without verifying its signature**: the
/// base64url middle part, its `data` claim (a JSON string, or an object), parsed as JSON.
///
/// Good enough to compare a duplicate with a request, where a forged token would only make the
/// comparison fail; not good enough to trust the invoice. Signature verification is separate.
pub fn decode_signed_invoice_unverified(jws: &str) -> Result<Value, JwsPayloadError> {
    let parts: Vec<&str> = jws.trim().split('.').collect();
    let [_, payload, _] = parts.as_slice() else {
        return Err(JwsPayloadError(format!(
            "expected three dot-separated parts, got {}",
            parts.len()
        )));
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|e| JwsPayloadError(format!("payload is not base64url: {e}")))?;
    let claims: Value = serde_json::from_slice(&bytes)
        .map_err(|e| JwsPayloadError(format!("payload is not JSON: {e}")))?;
    match claims.get("data") {
        Some(Value::String(s)) => serde_json::from_str(s)
            .map_err(|e| JwsPayloadError(format!("the `data` claim is not JSON: {e}"))),
        Some(obj @ Value::Object(_)) => Ok(obj.clone()),
        _ => Err(JwsPayloadError("no `data` claim".into())),
    }
}

/// What is known of the registered invoice when deciding whether to adopt a duplicate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SignedPayload<'a> {
    /// The invoice NIC signed: the `data` claim of SignedInvoice, as JSON (NIC v1.1 field names,
    /// plus Irn / AckNo / AckDt and the like, which are ignored unless named here).
    Available(&'a Value),
    /// Get-IRN answered 2283 (generated more than 2 days ago): no signed invoice to compare.
    Unavailable,
}

/// On what grounds a duplicate was adopted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdoptionBasis {
    /// The IRN matched, and so did the signed invoice's buyer GSTIN and total.
    Verified,
    /// The IRN matched; no signed invoice was available (2283), so buyer and total were not
    /// compared. Only Irn, AckNo and AckDt were adopted.
    IdentityOnly,
}

/// A duplicate accepted as this request's registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Adoption {
    /// The IRN.
    pub irn: Irn,
    /// The original acknowledgement number.
    pub ack_no: u64,
    /// The original acknowledgement time.
    pub ack_date: Timestamp,
    /// On what grounds.
    pub basis: AdoptionBasis,
}

impl Adoption {
    /// What the adoption rests on, for a log line or a person.
    pub fn note(&self) -> &'static str {
        match self.basis {
            AdoptionBasis::Verified => {
                "adopted the existing IRN: its signed invoice has this request's buyer GSTIN and total invoice value"
            }
            AdoptionBasis::IdentityOnly => {
                "adopted Irn, AckNo and AckDt only: the signed invoice is no longer available from NIC (2283, generated more than 2 days ago), so buyer and total were not compared"
            }
        }
    }
}

/// One field on which the registered invoice differs from the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    /// The NIC field (`BuyerDtls.Gstin`, `ValDtls.TotInvVal`).
    pub field: String,
    /// The request's value.
    pub requested: String,
    /// The registered invoice's value.
    pub registered: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is {} here but {} in the registered invoice",
            self.field, self.requested, self.registered
        )
    }
}

/// Why a duplicate cannot be adopted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DuplicateConflict {
    /// The duplicate's IRN is not the IRN of the request's document key.
    #[error("the duplicate's IRN {received} is not this document's IRN {expected}")]
    IrnMismatch {
        /// The IRN computed from the request.
        expected: Irn,
        /// The IRN in the reply.
        received: Irn,
    },
    /// The signed invoice names another IRN than the duplicate.
    #[error("the signed invoice is for IRN {received}, not for the duplicate's IRN {expected}")]
    SignedInvoiceForOtherIrn {
        /// The duplicate's IRN.
        expected: Irn,
        /// The `Irn` inside the signed invoice.
        received: String,
    },
    /// Same document number, different invoice.
    #[error("document number {document_number} is already registered for a different invoice ({}): issue a new document number", join_differences(.differences))]
    DifferentInvoice {
        /// The document number.
        document_number: String,
        /// Every field that differs.
        differences: Vec<Difference>,
    },
    /// The signed invoice lacks a field the comparison needs.
    #[error("the signed invoice cannot be compared: {0}")]
    UnreadablePayload(String),
}

fn join_differences(d: &[Difference]) -> String {
    let parts: Vec<String> = d.iter().map(Difference::to_string).collect();
    parts.join("; ")
}

impl DuplicateConflict {
    /// A stable code for the conflict (`dupirn.*`).
    pub fn code(&self) -> &'static str {
        match self {
            DuplicateConflict::IrnMismatch { .. } => "dupirn.irn_mismatch",
            DuplicateConflict::SignedInvoiceForOtherIrn { .. } => {
                "dupirn.signed_invoice_for_other_irn"
            }
            DuplicateConflict::DifferentInvoice { .. } => "dupirn.different_invoice",
            DuplicateConflict::UnreadablePayload(_) => "dupirn.unreadable_payload",
        }
    }
}

impl From<DuplicateConflict> for Error {
    /// NIC refused with 2150 and the registered invoice is not this one: `upstream.failure`
    /// carrying 2150, with our explanation as the message.
    fn from(c: DuplicateConflict) -> Self {
        Error::upstream_failure(
            c.to_string(),
            Upstream::new(DUPLICATE_IRN_CODE, "Duplicate IRN"),
        )
    }
}

/// Decides whether `duplicate` is `request`'s registration (see the module docs).
///
/// Checked in order: the duplicate's IRN against the IRN computed from the request; then, with a
/// signed invoice, its `Irn` (when present) against the duplicate's, and its `BuyerDtls.Gstin`
/// (ASCII case-insensitive, as GSTINs are upper-case by definition) and `ValDtls.TotInvVal`
/// (exact decimal equality, so 11800 and 11800.00 agree and 11800.01 does not) against the
/// request. Every differing field is reported, not just the first.
pub fn adopt_duplicate(
    request: &EInvoice,
    duplicate: &GenerateOutcome,
    signed: SignedPayload<'_>,
) -> Result<Adoption, DuplicateConflict> {
    let key = DocumentKey::of(request);
    let expected = key.irn();
    if expected != duplicate.irn {
        return Err(DuplicateConflict::IrnMismatch {
            expected,
            received: duplicate.irn.clone(),
        });
    }
    let adoption = |basis| Adoption {
        irn: duplicate.irn.clone(),
        ack_no: duplicate.ack_no,
        ack_date: duplicate.ack_date,
        basis,
    };
    let payload = match signed {
        SignedPayload::Unavailable => return Ok(adoption(AdoptionBasis::IdentityOnly)),
        SignedPayload::Available(p) => p,
    };
    if let Some(irn) = payload.get("Irn").and_then(Value::as_str) {
        if !irn.eq_ignore_ascii_case(duplicate.irn.as_str()) {
            return Err(DuplicateConflict::SignedInvoiceForOtherIrn {
                expected: duplicate.irn.clone(),
                received: irn.to_owned(),
            });
        }
    }
    let registered_buyer = payload
        .pointer("/BuyerDtls/Gstin")
        .and_then(Value::as_str)
        .ok_or_else(|| DuplicateConflict::UnreadablePayload("no BuyerDtls.Gstin".into()))?;
    let registered_total = payload
        .pointer("/ValDtls/TotInvVal")
        .and_then(read_decimal)
        .ok_or_else(|| {
            DuplicateConflict::UnreadablePayload("no decimal ValDtls.TotInvVal".into())
        })?;
    let mut differences = Vec::new();
    let requested_buyer = request.buyer.gstin.trim();
    if !requested_buyer.eq_ignore_ascii_case(registered_buyer.trim()) {
        differences.push(Difference {
            field: "BuyerDtls.Gstin".into(),
            requested: requested_buyer.to_owned(),
            registered: registered_buyer.to_owned(),
        });
    }
    let requested_total = request.value_details.total_invoice_value;
    if requested_total != registered_total {
        differences.push(Difference {
            field: "ValDtls.TotInvVal".into(),
            requested: requested_total.to_string(),
            registered: registered_total.to_string(),
        });
    }
    if differences.is_empty() {
        Ok(adoption(AdoptionBasis::Verified))
    } else {
        Err(DuplicateConflict::DifferentInvoice {
            document_number: key.document_number,
            differences,
        })
    }
}

/// A decimal from a JSON number (read from its text, never through `f64`) or a numeric string.
fn read_decimal(v: &Value) -> Option<Decimal> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&text).ok())
}
