//! Every operation of the /v1 surface (DESIGN.md section 4) as a typed value, and the typed
//! objects the API answers with.
//!
//! | operation | request |
//! |---|---|
//! | `einvoice.create` | `POST /v1/einvoices` (canonical or flat body) |
//! | `einvoice.generate` | `POST /v1/einvoices/generate` (`gstin` header, NIC-style reply) |
//! | `einvoice.get` | `GET /v1/einvoices/{id}` |
//! | `einvoice.status` | `GET /v1/einvoices/{id}/status` |
//! | `einvoice.get_by_irn` | `GET /v1/einvoices/irn?irn=` |
//! | `einvoice.cancel` | `POST /v1/einvoices/{id}/cancel` |
//! | `einvoice.bulk` | `POST /v1/einvoices/bulk` (up to 5,000) |
//! | `einvoice.qrimage` | `POST /v1/einvoices/qrimage` (PNG answer) |
//! | `ewaybill.generate` | `POST /v1/ewaybills` (canonical or NIC GENEWAYBILL body) |
//! | `ewaybill.generate_by_irn` | `POST /v1/ewaybills` (`{irn, distance, ...}`) |
//! | `ewaybill.get` | `GET /v1/ewaybills/{ewbNo}` |
//! | `ewaybill.part_b` / `extend` / `cancel` / `reject` / `transporter` | `POST /v1/ewaybills/{ewbNo}/...` |
//! | `gsp_credentials.create` / `list` | `POST` / `GET /v1/gsp-credentials` |
//! | `gsp_credentials.get` / `delete` | `GET` / `DELETE /v1/gsp-credentials/{id}` |
//! | `gsp_credentials.verify` / `rotate` | `POST /v1/gsp-credentials/{id}/verify` / `rotate` |
//! | `gsp_credentials.revoke_key` | `DELETE /v1/gsp-credentials/{id}/keys/{keyId}` |
//! | `jwks` | `GET /.well-known/jwks.json` (no token) |

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Value};

use crate::credentials::{CreateGspCredential, GspCredential, Portal, RotateGspCredential};
use crate::einvoice::cancel::EInvoiceCancelReason;
use crate::einvoice::Irn;
use crate::error::Error;
use crate::ewaybill::{
    CancelEWayBill, EwbByIrn, ExtendValidity, PartBUpdate, RejectEWayBill, UpdateTransporter,
};

use super::transport::Method;

/// One call of the /v1 surface, with its request.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// Register an e-invoice: the body as JSON bytes, canonical or flat (seed 002). Sent exactly
    /// as given (its digest is part of the idempotency key).
    CreateEInvoice {
        /// The invoice JSON.
        body: Vec<u8>,
    },
    /// Register an e-invoice through the NIC-style endpoint (seed 003). Its answer is the
    /// NIC-style reply; when the API queues the document (202), the engine polls and the final
    /// answer is the einvoice object instead. [`crate::einvoice::dupirn::parse_generate_outcome`]
    /// reads both.
    GenerateEInvoice {
        /// The grouped invoice JSON.
        body: Vec<u8>,
        /// The `gstin` header (the seller acting); defaults to the document's seller.
        gstin: Option<String>,
    },
    /// Fetch an e-invoice record.
    GetEInvoice {
        /// `einv_...`.
        id: String,
    },
    /// The cheap status poll.
    EInvoiceStatus {
        /// `einv_...`.
        id: String,
    },
    /// Fetch by IRN.
    GetEInvoiceByIrn {
        /// The IRN.
        irn: Irn,
    },
    /// Cancel within 24 hours.
    CancelEInvoice {
        /// `einv_...`.
        id: String,
        /// Why.
        reason: EInvoiceCancelReason,
        /// Up to 100 characters.
        remarks: String,
    },
    /// Up to 5,000 invoices (either dialect each), results per record.
    BulkEInvoices {
        /// The invoices.
        invoices: Vec<Value>,
    },
    /// The PNG of a signed QR code, rendered by the API (see [`super::qr`] to do it locally).
    QrImage {
        /// The signed QR JWS.
        signed_qr_code: String,
        /// Pixels per module (1-32).
        module_size: Option<u32>,
    },
    /// A standalone e-way bill (canonical or NIC GENEWAYBILL JSON).
    GenerateEwayBill {
        /// The e-way bill JSON.
        body: Vec<u8>,
        /// The `gstin` header; defaults to the bill's generator.
        gstin: Option<String>,
    },
    /// An e-way bill for a registered e-invoice.
    GenerateEwayBillByIrn {
        /// The request.
        request: EwbByIrn,
        /// The `gstin` header (the seller), when the client's binding needs saying.
        gstin: Option<String>,
    },
    /// Fetch an e-way bill.
    GetEwayBill {
        /// The 12-digit number.
        ewb_no: u64,
    },
    /// Part-B (vehicle) update.
    UpdatePartB {
        /// The request (carries the number).
        request: PartBUpdate,
        /// Who acts (`gstin` header).
        gstin: Option<String>,
    },
    /// Extend the validity.
    ExtendEwayBill {
        /// The request.
        request: ExtendValidity,
        /// Who acts.
        gstin: Option<String>,
    },
    /// Cancel within 24 hours.
    CancelEwayBill {
        /// The request.
        request: CancelEWayBill,
        /// Who acts.
        gstin: Option<String>,
    },
    /// Reject, by the other party, within 72 hours.
    RejectEwayBill {
        /// The request.
        request: RejectEWayBill,
        /// Who acts.
        gstin: Option<String>,
    },
    /// Hand the bill to another transporter.
    UpdateTransporter {
        /// The request.
        request: UpdateTransporter,
        /// Who acts.
        gstin: Option<String>,
    },
    /// Onboard an IRP / EWB portal credential.
    CreateGspCredential(CreateGspCredential),
    /// Fetch one.
    GetGspCredential {
        /// `gspc_...`.
        id: String,
    },
    /// List, optionally by GSTIN and portal.
    ListGspCredentials {
        /// Only this GSTIN's.
        gstin: Option<String>,
        /// Only this portal's.
        portal: Option<Portal>,
    },
    /// Check the newest password with the portal.
    VerifyGspCredential {
        /// `gspc_...`.
        id: String,
    },
    /// Add a new password (dual-key rotation).
    RotateGspCredential {
        /// `gspc_...`.
        id: String,
        /// The new password.
        request: RotateGspCredential,
    },
    /// Revoke one key of a rotation.
    RevokeGspCredentialKey {
        /// `gspc_...`.
        id: String,
        /// `key_...`.
        key_id: String,
    },
    /// Delete a credential.
    DeleteGspCredential {
        /// `gspc_...`.
        id: String,
    },
    /// The signature verification keys (`/.well-known/jwks.json`), no token needed.
    FetchJwks,
}

/// What the engine needs to know about an operation's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPlan {
    /// The method.
    pub method: Method,
    /// The path and query, from the base URL (`/v1/einvoices/einv_1/status`).
    pub path: String,
    /// The body (empty for none).
    pub body: Vec<u8>,
    /// The `gstin` header, when the operation sends one.
    pub gstin_header: Option<String>,
}

/// Percent-encodes a path segment or query value.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn to_body<T: Serialize>(v: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(v)
        .map_err(|e| Error::invalid_argument(format!("cannot write the request: {e}")))
}

impl Operation {
    /// The stable name (`einvoice.create`, ...), as in the module table.
    pub fn name(&self) -> &'static str {
        match self {
            Operation::CreateEInvoice { .. } => "einvoice.create",
            Operation::GenerateEInvoice { .. } => "einvoice.generate",
            Operation::GetEInvoice { .. } => "einvoice.get",
            Operation::EInvoiceStatus { .. } => "einvoice.status",
            Operation::GetEInvoiceByIrn { .. } => "einvoice.get_by_irn",
            Operation::CancelEInvoice { .. } => "einvoice.cancel",
            Operation::BulkEInvoices { .. } => "einvoice.bulk",
            Operation::QrImage { .. } => "einvoice.qrimage",
            Operation::GenerateEwayBill { .. } => "ewaybill.generate",
            Operation::GenerateEwayBillByIrn { .. } => "ewaybill.generate_by_irn",
            Operation::GetEwayBill { .. } => "ewaybill.get",
            Operation::UpdatePartB { .. } => "ewaybill.part_b",
            Operation::ExtendEwayBill { .. } => "ewaybill.extend",
            Operation::CancelEwayBill { .. } => "ewaybill.cancel",
            Operation::RejectEwayBill { .. } => "ewaybill.reject",
            Operation::UpdateTransporter { .. } => "ewaybill.transporter",
            Operation::CreateGspCredential(_) => "gsp_credentials.create",
            Operation::GetGspCredential { .. } => "gsp_credentials.get",
            Operation::ListGspCredentials { .. } => "gsp_credentials.list",
            Operation::VerifyGspCredential { .. } => "gsp_credentials.verify",
            Operation::RotateGspCredential { .. } => "gsp_credentials.rotate",
            Operation::RevokeGspCredentialKey { .. } => "gsp_credentials.revoke_key",
            Operation::DeleteGspCredential { .. } => "gsp_credentials.delete",
            Operation::FetchJwks => "jwks",
        }
    }

    /// Whether the call changes state, and so carries an `Idempotency-Key`. The QR image is a
    /// POST that changes nothing.
    pub fn changes_state(&self) -> bool {
        !matches!(
            self,
            Operation::GetEInvoice { .. }
                | Operation::EInvoiceStatus { .. }
                | Operation::GetEInvoiceByIrn { .. }
                | Operation::QrImage { .. }
                | Operation::GetEwayBill { .. }
                | Operation::GetGspCredential { .. }
                | Operation::ListGspCredentials { .. }
                | Operation::FetchJwks
        )
    }

    /// Whether the call needs a bearer token.
    pub fn needs_token(&self) -> bool {
        !matches!(self, Operation::FetchJwks)
    }

    /// The GSTIN the call says it acts for, if it names one (documents are read by the engine).
    pub fn explicit_gstin(&self) -> Option<&str> {
        match self {
            Operation::GenerateEInvoice { gstin, .. }
            | Operation::GenerateEwayBill { gstin, .. }
            | Operation::GenerateEwayBillByIrn { gstin, .. }
            | Operation::UpdatePartB { gstin, .. }
            | Operation::ExtendEwayBill { gstin, .. }
            | Operation::CancelEwayBill { gstin, .. }
            | Operation::RejectEwayBill { gstin, .. }
            | Operation::UpdateTransporter { gstin, .. } => gstin.as_deref(),
            Operation::CreateGspCredential(c) => Some(&c.gstin),
            Operation::ListGspCredentials { gstin, .. } => gstin.as_deref(),
            _ => None,
        }
    }

    /// The method, path, body and `gstin` header.
    pub fn plan(&self) -> Result<RequestPlan, Error> {
        use Method::{Delete, Get, Post};
        let id = |s: &str| encode_component(s);
        let (method, path, body) = match self {
            Operation::CreateEInvoice { body } => (Post, "/v1/einvoices".to_owned(), body.clone()),
            Operation::GenerateEInvoice { body, .. } => {
                (Post, "/v1/einvoices/generate".to_owned(), body.clone())
            }
            Operation::GetEInvoice { id: i } => (Get, format!("/v1/einvoices/{}", id(i)), vec![]),
            Operation::EInvoiceStatus { id: i } => {
                (Get, format!("/v1/einvoices/{}/status", id(i)), vec![])
            }
            Operation::GetEInvoiceByIrn { irn } => (
                Get,
                format!("/v1/einvoices/irn?irn={}", irn.as_str()),
                vec![],
            ),
            Operation::CancelEInvoice {
                id: i,
                reason,
                remarks,
            } => (
                Post,
                format!("/v1/einvoices/{}/cancel", id(i)),
                to_body(&json!({"reason": reason.api_name(), "remarks": remarks}))?,
            ),
            Operation::BulkEInvoices { invoices } => (
                Post,
                "/v1/einvoices/bulk".to_owned(),
                to_body(&json!({ "invoices": invoices }))?,
            ),
            Operation::QrImage {
                signed_qr_code,
                module_size,
            } => {
                let mut b = json!({ "signedQrCode": signed_qr_code });
                if let Some(m) = module_size {
                    b["moduleSize"] = json!(m);
                }
                (Post, "/v1/einvoices/qrimage".to_owned(), to_body(&b)?)
            }
            Operation::GenerateEwayBill { body, .. } => {
                (Post, "/v1/ewaybills".to_owned(), body.clone())
            }
            Operation::GenerateEwayBillByIrn { request, .. } => {
                (Post, "/v1/ewaybills".to_owned(), to_body(request)?)
            }
            Operation::GetEwayBill { ewb_no } => (Get, format!("/v1/ewaybills/{ewb_no}"), vec![]),
            Operation::UpdatePartB { request, .. } => (
                Post,
                format!("/v1/ewaybills/{}/part-b", request.ewb_number.get()),
                to_body(request)?,
            ),
            Operation::ExtendEwayBill { request, .. } => (
                Post,
                format!("/v1/ewaybills/{}/extend", request.ewb_number.get()),
                to_body(request)?,
            ),
            Operation::CancelEwayBill { request, .. } => (
                Post,
                format!("/v1/ewaybills/{}/cancel", request.ewb_number.get()),
                to_body(request)?,
            ),
            Operation::RejectEwayBill { request, .. } => (
                Post,
                format!("/v1/ewaybills/{}/reject", request.ewb_number.get()),
                to_body(request)?,
            ),
            Operation::UpdateTransporter { request, .. } => (
                Post,
                format!("/v1/ewaybills/{}/transporter", request.ewb_number.get()),
                to_body(request)?,
            ),
            Operation::CreateGspCredential(c) => {
                (Post, "/v1/gsp-credentials".to_owned(), to_body(c)?)
            }
            Operation::GetGspCredential { id: i } => {
                (Get, format!("/v1/gsp-credentials/{}", id(i)), vec![])
            }
            Operation::ListGspCredentials { gstin, portal } => {
                let mut q = Vec::new();
                if let Some(g) = gstin {
                    q.push(format!("gstin={}", encode_component(g)));
                }
                if let Some(p) = portal {
                    q.push(format!(
                        "portal={}",
                        match p {
                            Portal::Irp => "irp",
                            Portal::Ewb => "ewb",
                        }
                    ));
                }
                let query = if q.is_empty() {
                    String::new()
                } else {
                    format!("?{}", q.join("&"))
                };
                (Get, format!("/v1/gsp-credentials{query}"), vec![])
            }
            Operation::VerifyGspCredential { id: i } => (
                Post,
                format!("/v1/gsp-credentials/{}/verify", id(i)),
                vec![],
            ),
            Operation::RotateGspCredential { id: i, request } => (
                Post,
                format!("/v1/gsp-credentials/{}/rotate", id(i)),
                to_body(request)?,
            ),
            Operation::RevokeGspCredentialKey { id: i, key_id } => (
                Delete,
                format!("/v1/gsp-credentials/{}/keys/{}", id(i), id(key_id)),
                vec![],
            ),
            Operation::DeleteGspCredential { id: i } => {
                (Delete, format!("/v1/gsp-credentials/{}", id(i)), vec![])
            }
            Operation::FetchJwks => (Get, "/.well-known/jwks.json".to_owned(), vec![]),
        };
        let gstin_header = match self {
            Operation::GenerateEInvoice { .. }
            | Operation::GenerateEwayBill { .. }
            | Operation::GenerateEwayBillByIrn { .. }
            | Operation::UpdatePartB { .. }
            | Operation::ExtendEwayBill { .. }
            | Operation::CancelEwayBill { .. }
            | Operation::RejectEwayBill { .. }
            | Operation::UpdateTransporter { .. } => self.explicit_gstin().map(str::to_owned),
            _ => None,
        };
        Ok(RequestPlan {
            method,
            path,
            body,
            gstin_header,
        })
    }
}

/// A string that the API writes as a string or a number (AckNo is both, depending on endpoint).
fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

/// NIC's code and message on a failed record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordFailure {
    /// NIC's (or our) code.
    pub code: String,
    /// Its message.
    pub message: String,
}

/// The einvoice object (seed 002): what create, get and get-by-IRN answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EInvoiceObject {
    /// `einv_...`: store it with your invoice.
    pub id: String,
    /// `queued`, `generated`, `failed_retriable`, `failed` or `cancelled`.
    pub status: String,
    /// The IRN, once generated.
    #[serde(default)]
    pub irn: Option<String>,
    /// The acknowledgement number, once generated.
    #[serde(default, deserialize_with = "string_or_number")]
    pub ack_number: Option<String>,
    /// The acknowledgement time (ISO 8601).
    #[serde(default)]
    pub ack_date: Option<String>,
    /// The signed QR code (RS256 JWS).
    #[serde(default, alias = "signedQRCode")]
    pub signed_qr_code: Option<String>,
    /// The signed invoice (RS256 JWS).
    #[serde(default)]
    pub signed_invoice: Option<String>,
    /// When it was generated.
    #[serde(default)]
    pub generated_at: Option<String>,
    /// The seller.
    #[serde(default)]
    pub seller_gstin: Option<String>,
    /// INV, CRN, DBN.
    #[serde(default)]
    pub document_type: Option<String>,
    /// The document number.
    #[serde(default)]
    pub invoice_number: Option<String>,
    /// The document date.
    #[serde(default)]
    pub invoice_date: Option<String>,
    /// The financial year.
    #[serde(default)]
    pub financial_year: Option<String>,
    /// The total.
    #[serde(default)]
    pub total_invoice_value: Option<Decimal>,
    /// `DUPIRN` when the document was registered before.
    #[serde(default)]
    pub info_code: Option<String>,
    /// The reply's message.
    #[serde(default)]
    pub message: Option<String>,
    /// When it was cancelled.
    #[serde(default)]
    pub cancelled_at: Option<String>,
    /// Why it failed (status `failed`).
    #[serde(default)]
    pub failure: Option<RecordFailure>,
    /// The e-way bill generated with it.
    #[serde(default)]
    pub ewb_number: Option<u64>,
}

impl EInvoiceObject {
    /// Whether this is a DUPIRN answer.
    pub fn is_duplicate(&self) -> bool {
        self.info_code.as_deref() == Some(crate::einvoice::dupirn::DUPIRN)
    }
}

/// The status poll's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EInvoiceStatusObject {
    /// `einv_...`.
    pub id: String,
    /// The status.
    pub status: String,
    /// The IRN, once generated.
    #[serde(default)]
    pub irn: Option<String>,
    /// When the IRP is expected to answer (queued records).
    #[serde(default)]
    pub expected_at: Option<String>,
    /// Why it failed.
    #[serde(default)]
    pub failure: Option<RecordFailure>,
}

/// The e-way bill object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EwayBillObject {
    /// The 12-digit number.
    pub ewb_number: u64,
    /// `part_a_only`, `active`, `extended`, `cancelled`, `rejected`, `expired`.
    pub status: String,
    /// When it was generated.
    #[serde(default)]
    pub eway_bill_date: Option<String>,
    /// Valid until (none while Part-A only).
    #[serde(default)]
    pub valid_upto: Option<String>,
    /// Who generated it.
    #[serde(default)]
    pub generator_gstin: Option<String>,
    /// Consignor.
    #[serde(default)]
    pub from_gstin: Option<String>,
    /// Consignee.
    #[serde(default)]
    pub to_gstin: Option<String>,
    /// The document number.
    #[serde(default)]
    pub document_number: Option<String>,
    /// The IRN, for a bill made from an e-invoice.
    #[serde(default)]
    pub irn: Option<String>,
    /// The distance in km.
    #[serde(default)]
    pub distance: Option<u32>,
    /// The transporter.
    #[serde(default)]
    pub transporter_id: Option<String>,
    /// The vehicle.
    #[serde(default)]
    pub vehicle_number: Option<String>,
    /// How many times it was extended.
    #[serde(default)]
    pub extensions: Option<u32>,
    /// NIC's alert (the PIN-to-PIN distance).
    #[serde(default)]
    pub alert: Option<String>,
    /// When it was cancelled.
    #[serde(default)]
    pub cancelled_at: Option<String>,
    /// When it was rejected.
    #[serde(default)]
    pub rejected_at: Option<String>,
}

/// One record of a bulk answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkItem {
    /// The record's position in the request.
    pub index: usize,
    /// `generated`, `duplicate`, `queued` or `failed`.
    pub status: String,
    /// The record, unless it failed.
    #[serde(default)]
    pub einvoice: Option<EInvoiceObject>,
    /// The error object of the envelope, when it failed.
    #[serde(default)]
    pub error: Option<Value>,
}

impl BulkItem {
    /// The failure as the crate's error.
    pub fn error(&self) -> Option<Error> {
        let e = self.error.as_ref()?;
        let body = json!({ "error": e }).to_string();
        Some(Error::from_response(0, None, body.as_bytes()))
    }
}

/// The answer of a bulk call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    /// Records sent.
    pub total: usize,
    /// Records generated, duplicate or queued.
    pub succeeded: usize,
    /// Records that failed.
    pub failed: usize,
    /// One per record, in order.
    pub results: Vec<BulkItem>,
}

/// A list answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct List<T> {
    /// The items.
    pub data: Vec<T>,
}

/// The list of credentials.
pub type GspCredentialList = List<GspCredential>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans() {
        let p = Operation::EInvoiceStatus {
            id: "einv_1".into(),
        }
        .plan()
        .unwrap();
        assert_eq!(
            (p.method, p.path.as_str()),
            (Method::Get, "/v1/einvoices/einv_1/status")
        );
        let p = Operation::ListGspCredentials {
            gstin: Some("29AB".into()),
            portal: Some(Portal::Ewb),
        }
        .plan()
        .unwrap();
        assert_eq!(p.path, "/v1/gsp-credentials?gstin=29AB&portal=ewb");
        let p = Operation::CancelEInvoice {
            id: "a/b".into(),
            reason: EInvoiceCancelReason::DataEntryMistake,
            remarks: "typo".into(),
        }
        .plan()
        .unwrap();
        assert_eq!(p.path, "/v1/einvoices/a%2Fb/cancel");
        let body: Value = serde_json::from_slice(&p.body).unwrap();
        assert_eq!(body["reason"], "data_entry_mistake");
        assert!(!Operation::QrImage {
            signed_qr_code: "x".into(),
            module_size: None
        }
        .changes_state());
        assert!(Operation::VerifyGspCredential { id: "x".into() }.changes_state());
    }

    #[test]
    fn einvoice_object_reads_both_ack_number_forms() {
        let o: EInvoiceObject = serde_json::from_str(
            r#"{"id":"einv_1","status":"generated","ackNumber":112,"totalInvoiceValue":11800}"#,
        )
        .unwrap();
        assert_eq!(o.ack_number.as_deref(), Some("112"));
        let o: EInvoiceObject = serde_json::from_str(
            r#"{"id":"einv_1","status":"generated","ackNumber":"112","irn":null}"#,
        )
        .unwrap();
        assert_eq!(o.ack_number.as_deref(), Some("112"));
    }
}
