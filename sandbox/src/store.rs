//! The sandbox's state: every record it holds, in one struct behind one lock.
//!
//! Records are plain serde structs so the whole state can be journaled to a file
//! ([`crate::persist`]) and read back. Lifecycle facts use the core's own records
//! ([`EInvoiceRecord`], [`EwayBillRecord`]) so that every guard is the core's guard.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use onefinops_core::calendar::Timestamp;
use onefinops_core::credentials::{CredentialStatus, Portal};
use onefinops_core::einvoice::DocumentKey;
use onefinops_core::error::Upstream;
use onefinops_core::lifecycle::einvoice::{EInvoiceRecord, EInvoiceStatus};
use onefinops_core::lifecycle::ewaybill::EwayBillRecord;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::{Product, Scope};

/// One e-invoice.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EInvoiceRec {
    /// `einv_...`.
    pub id: String,
    /// Seller GSTIN, financial year, type and number: the IRN's parts.
    pub key: DocumentKey,
    /// The IRN (computed from `key`; shown once generated).
    pub irn: String,
    /// `BuyerDtls.Gstin`.
    pub buyer_gstin: String,
    /// `DocDtls.Dt`.
    pub invoice_date: NaiveDate,
    /// `ValDtls.TotInvVal`.
    pub total_invoice_value: Decimal,
    /// Status, AckDt, cancel time, linked e-way bill: the core's lifecycle record.
    pub lifecycle: EInvoiceRecord,
    /// AckNo, once generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ack_number: Option<u64>,
    /// The signed invoice, once generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_invoice: Option<String>,
    /// The signed QR payload, once generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_qr_code: Option<String>,
    /// When the API accepted it.
    pub created_at: Timestamp,
    /// For a queued record: when the simulated IRP answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_at: Option<Timestamp>,
    /// For a queued record: what will be signed (the NIC payload).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<PendingGeneration>,
    /// For a failed record: NIC's code and message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Upstream>,
    /// Cancel reason (API name), once cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// Cancel remarks, once cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_remarks: Option<String>,
}

impl EInvoiceRec {
    /// Where it stands.
    pub fn status(&self) -> EInvoiceStatus {
        self.lifecycle.status
    }
}

/// What a queued record will sign when the simulated IRP gets to it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingGeneration {
    /// The invoice in NIC's JSON.
    pub nic: Value,
    /// The QR fields that do not depend on the acknowledgement.
    pub qr: Value,
    /// The e-way bill details sent with the invoice, if any (canonical JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ewb_details: Option<Value>,
}

/// One e-way bill.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EwbRec {
    /// The 12-digit number.
    pub ewb_no: u64,
    /// The GSTIN that generated it.
    pub generator_gstin: String,
    /// `fromGstin`.
    pub from_gstin: String,
    /// `toGstin` (may be URP).
    pub to_gstin: String,
    /// Outward (`O`) or inward (`I`).
    pub supply_type: String,
    /// The IRN it was generated for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub irn: Option<String>,
    /// The e-invoice record, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub einvoice_id: Option<String>,
    /// Document type code (INV, CHL, ...).
    pub document_type: String,
    /// Document number.
    pub document_number: String,
    /// Document date.
    pub document_date: NaiveDate,
    /// Total invoice value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_invoice_value: Option<Decimal>,
    /// The distance declared (0: computed by the system).
    pub declared_distance: u32,
    /// The core's lifecycle record (status, generation time, validity, transporter).
    pub record: EwayBillRecord,
    /// Vehicle number of the last Part-B.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_number: Option<String>,
    /// Transport mode code of the last Part-B.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_mode: Option<Value>,
    /// The PIN-to-PIN note when the distance was computed (`alert`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// When it was cancelled or rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<Timestamp>,
    /// Cancel reason (API name), when cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// Cancel remarks, when cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_remarks: Option<String>,
    /// Extensions so far.
    #[serde(default)]
    pub extensions: u32,
}

/// One password of a GSP credential. Only its SHA-256 is kept.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GspKey {
    /// `key_...`.
    pub id: String,
    /// SHA-256 of the password, hex. Never returned.
    pub password_sha256: String,
    /// When it was added.
    pub created_at: Timestamp,
    /// When it was revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<Timestamp>,
}

/// A GSP credential with its keys (dual-key rotation).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GspCredRec {
    /// `gspc_...`.
    pub id: String,
    /// The GSTIN.
    pub gstin: String,
    /// IRP or EWB.
    pub portal: Portal,
    /// Portal user name.
    pub username: String,
    /// Status at the last check.
    pub status: CredentialStatus,
    /// When stored.
    pub created_at: Timestamp,
    /// Last successful verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_verified_at: Option<Timestamp>,
    /// Last rotation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotated_at: Option<Timestamp>,
    /// Passwords, newest last; the ones not revoked all work.
    pub keys: Vec<GspKey>,
}

impl GspCredRec {
    /// Whether any key still works.
    pub fn usable(&self) -> bool {
        !matches!(
            self.status,
            CredentialStatus::Revoked | CredentialStatus::Failed
        ) && self.keys.iter().any(|k| k.revoked_at.is_none())
    }
}

/// One secret of an OAuth client.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientSecret {
    /// `sec_1`, `sec_2`, ...: named in tokens, so revoking a secret ends its tokens at once.
    pub id: String,
    /// SHA-256 of the secret, hex.
    pub sha256: String,
    /// When it was revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<Timestamp>,
}

/// An OAuth client.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientRec {
    /// `ofin_test_*`.
    pub client_id: String,
    /// Its secrets; those not revoked are active.
    pub secrets: Vec<ClientSecret>,
    /// GSTINs it acts for (`*`: any).
    pub gstins: Vec<String>,
    /// What its tokens may do.
    pub scope: Scope,
    /// What its plan includes.
    pub products: Vec<Product>,
    /// Requests per second.
    pub rate_limit: u32,
}

/// A webhook endpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEndpoint {
    /// `we_...`.
    pub id: String,
    /// The client that registered it; it receives events for that client's GSTINs.
    pub client_id: String,
    /// Where events are POSTed (`http://host:port/path`).
    pub url: String,
    /// The HMAC secret.
    pub secret: String,
    /// Event types, or `*`.
    pub events: Vec<String>,
    /// When registered.
    pub created_at: Timestamp,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// A 2xx was received.
    Delivered,
    /// Every attempt failed: in the dead-letter list.
    DeadLetter,
}

/// One attempt to deliver an event.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    /// When (sandbox clock).
    pub at: Timestamp,
    /// The HTTP status received, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The transport error, if no status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One event for one endpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    /// `whd_...`.
    pub id: String,
    /// The endpoint.
    pub endpoint_id: String,
    /// The event (`{id, object: "event", type, createdAt, data}`).
    pub event: Value,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// When the next attempt is due (sandbox clock), while pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<Timestamp>,
    /// Every attempt so far.
    pub attempts: Vec<Attempt>,
}

/// A stored answer to a request that carried an `Idempotency-Key`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdemRecord {
    /// SHA-256 over method, path and body.
    pub fingerprint: String,
    /// The status sent.
    pub status: u16,
    /// The content type sent.
    pub content_type: String,
    /// The exact bytes sent.
    #[serde(with = "b64")]
    pub body: Vec<u8>,
    /// When (sandbox clock); replayed for 24 hours from then.
    pub created_at: Timestamp,
}

mod b64 {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(v))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        STANDARD.decode(s).map_err(serde::de::Error::custom)
    }
}

/// Everything the sandbox knows.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Store {
    /// E-invoices by id.
    pub einvoices: HashMap<String, EInvoiceRec>,
    /// The current record of each IRN (i.e. of each document key).
    pub by_irn: HashMap<String, String>,
    /// E-way bills by number.
    pub ewaybills: BTreeMap<u64, EwbRec>,
    /// The e-way bill of each IRN.
    pub ewb_by_irn: HashMap<String, u64>,
    /// The e-way bill of each (generator GSTIN, doc type, doc number): one document, one bill
    /// (604).
    pub ewb_by_document: HashMap<String, u64>,
    /// GSP credentials by id.
    pub gsp_credentials: BTreeMap<String, GspCredRec>,
    /// OAuth clients by id.
    pub clients: BTreeMap<String, ClientRec>,
    /// Webhook endpoints by id.
    pub webhooks: BTreeMap<String, WebhookEndpoint>,
    /// Deliveries by id.
    pub deliveries: BTreeMap<String, Delivery>,
    /// Stored idempotent answers by `client_id + "\n" + key`.
    pub idempotency: HashMap<String, IdemRecord>,
    /// Ids of queued e-invoices (rebuilt from `einvoices` on load).
    #[serde(skip)]
    pub queued: BTreeSet<String>,
}

impl Store {
    /// Whether `gstin` has a usable credential for `portal` (IRN generation needs an IRP one).
    pub fn has_credential(&self, gstin: &str, portal: Portal) -> bool {
        self.gsp_credentials
            .values()
            .any(|c| c.gstin == gstin && c.portal == portal && c.usable())
    }
}
