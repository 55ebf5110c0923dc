//! The e-invoice state machine (nic-rules B.8, B.9; seed 002 "queued or failed_retriable").
//!
//! ```text
//!              +-----------------+
//!              v                 |
//!  (none) -> queued <-> failed_retriable
//!              |  \        |
//!              |   +-> failed  (NIC refused: fix the data, generate again)
//!              v           |
//!          generated <-----+          (NIC status ACT)
//!              |
//!              v  cancel: within 24 h of ackDate (2270), no live e-way bill (2230)
//!          cancelled                  (NIC status CNL; terminal; the number is spent: 2278)
//! ```
//!
//! Two kinds of change are kept apart:
//! - **actions** a user asks for ([`EInvoiceRecord::cancel`], [`EInvoiceRecord::can_poll`],
//!   [`generate_advice`]) go through guards that refuse with a typed [`EInvoiceRefusal`];
//! - **observations** of what the server or NIC reports ([`EInvoiceRecord::observe`]) are facts:
//!   they are checked only for being a possible transition, never against the time windows
//!   (NIC is the authority on its own windows).

use std::fmt;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::ewaybill::EwayBillStatus;
use super::Refusal;
use crate::calendar::Timestamp;
use crate::einvoice::response::IrnStatus;
use crate::error::Error;

/// How long after its acknowledgement an IRN may be cancelled (nic-rules B.9, NIC 2270).
pub const CANCEL_WINDOW: TimeDelta = TimeDelta::hours(24);

/// Where an e-invoice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EInvoiceStatus {
    /// Accepted by the API, not yet registered at the IRP; a worker is sending it.
    Queued,
    /// Registered: NIC status ACT.
    Generated,
    /// The IRP was briefly unavailable; a worker retries it.
    FailedRetriable,
    /// NIC refused it for a reason in the data; nothing was registered.
    Failed,
    /// Cancelled: NIC status CNL. Terminal.
    Cancelled,
}

impl EInvoiceStatus {
    /// The status as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EInvoiceStatus::Queued => "queued",
            EInvoiceStatus::Generated => "generated",
            EInvoiceStatus::FailedRetriable => "failed_retriable",
            EInvoiceStatus::Failed => "failed",
            EInvoiceStatus::Cancelled => "cancelled",
        }
    }

    /// Whether the record is still on its way to NIC (the states the status endpoint is for).
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            EInvoiceStatus::Queued | EInvoiceStatus::FailedRetriable
        )
    }

    /// Whether `self -> to` is a transition the machine has.
    ///
    /// `failed -> queued / generated` is allowed: NIC registered nothing, so the same document
    /// number may be sent again once the data is fixed. Nothing leaves `cancelled`, and a
    /// generated invoice only becomes cancelled (a repeat generate is a DUPIRN replay, not a
    /// transition).
    pub fn can_become(self, to: EInvoiceStatus) -> bool {
        use EInvoiceStatus::*;
        match self {
            Queued | FailedRetriable | Failed => to != Cancelled,
            Generated => to == Cancelled || to == Generated,
            Cancelled => to == Cancelled,
        }
    }
}

impl fmt::Display for EInvoiceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<IrnStatus> for EInvoiceStatus {
    /// NIC's ACT is generated, CNL cancelled.
    fn from(s: IrnStatus) -> Self {
        match s {
            IrnStatus::Active => EInvoiceStatus::Generated,
            IrnStatus::Cancelled => EInvoiceStatus::Cancelled,
        }
    }
}

/// The e-way bill issued on an IRN, as far as IRN cancellation cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LinkedEwayBill {
    /// The e-way bill number.
    pub ewb_no: u64,
    /// Its status.
    pub status: EwayBillStatus,
}

impl LinkedEwayBill {
    /// Whether it stops the IRN from being cancelled (2230): every e-way bill that was not
    /// cancelled or rejected. An expired bill still counts, because NIC's rule is about the bill
    /// existing ("cancel the e-way bill first"), not about it being valid today.
    pub fn blocks_irn_cancel(&self) -> bool {
        !matches!(
            self.status,
            EwayBillStatus::Cancelled | EwayBillStatus::Rejected
        )
    }
}

/// What the lifecycle needs to know about one e-invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EInvoiceRecord {
    /// Where it stands.
    pub status: EInvoiceStatus,
    /// NIC's AckDt, known once generated; the cancel window runs from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ack_date: Option<Timestamp>,
    /// When it was cancelled, once it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<Timestamp>,
    /// The e-way bill generated on this IRN, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e_way_bill: Option<LinkedEwayBill>,
}

/// What to do with a generate request for a document number, given what is known of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GenerateAdvice {
    /// Send it: nothing is registered for this number (never sent, or refused for its data).
    Submit,
    /// It is already generated: NIC would answer DUPIRN (2150). Answer from the record with the
    /// duplicate flag instead of calling NIC.
    ReplayDuplicate,
}

/// An action a user may ask for, as JSON (`{"action": "cancel"}`): for the vectors and adapters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum EInvoiceAction {
    /// Generate (or regenerate) an IRN for the same document number.
    Generate,
    /// Poll the status endpoint.
    Poll,
    /// Cancel the IRN.
    Cancel,
}

/// Why an e-invoice action is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EInvoiceRefusal {
    /// Only a generated IRN can be cancelled. NIC answers 9999 "Invoice is not active" for an IRN
    /// already cancelled; for a record that never got an IRN there is nothing to send.
    #[error("only a generated e-invoice can be cancelled; this one is {status}")]
    CancelNotGenerated {
        /// The current status.
        status: EInvoiceStatus,
    },
    /// The 24 hours after AckDt are over (2270); the remedy is a credit note.
    #[error("the IRN can be cancelled only within 24 hours of its acknowledgement ({ack_date}); the window closed at {deadline}: issue a credit note instead")]
    CancelWindowClosed {
        /// NIC's AckDt.
        ack_date: Timestamp,
        /// AckDt + 24 h, the first instant refused.
        deadline: Timestamp,
    },
    /// An e-way bill on the IRN is not cancelled (2230).
    #[error("e-way bill {ewb_no} on this IRN is {status}; cancel the e-way bill first")]
    EwayBillExists {
        /// Its number.
        ewb_no: u64,
        /// Its status.
        status: EwayBillStatus,
    },
    /// A generated record without AckDt: the window cannot be checked.
    #[error("the acknowledgement date of this e-invoice is unknown, so its cancel window cannot be checked; fetch it first")]
    AckDateUnknown,
    /// The document number's IRN was cancelled; NIC never issues another IRN for it (2278).
    #[error("this document number's IRN was cancelled and a document number can never get a new IRN: issue a new document number")]
    DocumentNumberCancelled,
    /// A generate is already under way for this document number.
    #[error("a generate for this document number is already {status}; poll its status instead of sending it again")]
    GenerateInProgress {
        /// queued or failed_retriable.
        status: EInvoiceStatus,
    },
    /// Polling is only for records still on their way to NIC.
    #[error("only a queued or failed_retriable e-invoice can be polled; this one is {status}: fetch it instead")]
    NotPending {
        /// The current status.
        status: EInvoiceStatus,
    },
    /// Nothing is known of this document number: there is nothing to poll or cancel.
    #[error("no e-invoice is known for this document number")]
    NoRecord,
    /// An observation that the machine cannot make (e.g. cancelled -> generated).
    #[error("an e-invoice cannot go from {from} to {to}")]
    InvalidTransition {
        /// The current status.
        from: EInvoiceStatus,
        /// The status observed.
        to: EInvoiceStatus,
    },
}

impl Refusal for EInvoiceRefusal {
    fn code(&self) -> &'static str {
        match self {
            EInvoiceRefusal::CancelNotGenerated { .. } => "einvoice.cancel_not_generated",
            EInvoiceRefusal::CancelWindowClosed { .. } => "einvoice.cancel_window_closed",
            EInvoiceRefusal::EwayBillExists { .. } => "einvoice.eway_bill_exists",
            EInvoiceRefusal::AckDateUnknown => "einvoice.ack_date_unknown",
            EInvoiceRefusal::DocumentNumberCancelled => "einvoice.document_number_cancelled",
            EInvoiceRefusal::GenerateInProgress { .. } => "einvoice.generate_in_progress",
            EInvoiceRefusal::NotPending { .. } => "einvoice.not_pending",
            EInvoiceRefusal::NoRecord => "einvoice.no_record",
            EInvoiceRefusal::InvalidTransition { .. } => "einvoice.invalid_transition",
        }
    }

    fn nic_code(&self) -> Option<&'static str> {
        match self {
            EInvoiceRefusal::CancelNotGenerated {
                status: EInvoiceStatus::Cancelled,
            } => Some("9999"),
            EInvoiceRefusal::CancelWindowClosed { .. } => Some("2270"),
            EInvoiceRefusal::EwayBillExists { .. } => Some("2230"),
            // 2278 is UNVERIFIED against NIC (nic-rules B.11 has it from a mock only).
            EInvoiceRefusal::DocumentNumberCancelled => Some("2278"),
            _ => None,
        }
    }

    fn to_error(&self) -> Error {
        match self {
            EInvoiceRefusal::NoRecord => Error::NotFound {
                message: self.to_string(),
                request_id: None,
            },
            other => super::refusal_error(other),
        }
    }
}

impl EInvoiceRecord {
    /// A record in `status` with nothing else known.
    pub fn new(status: EInvoiceStatus) -> Self {
        EInvoiceRecord {
            status,
            ack_date: None,
            cancelled_at: None,
            e_way_bill: None,
        }
    }

    /// A generated record acknowledged at `ack_date`.
    pub fn generated(ack_date: Timestamp) -> Self {
        EInvoiceRecord {
            ack_date: Some(ack_date),
            ..EInvoiceRecord::new(EInvoiceStatus::Generated)
        }
    }

    /// The first instant at which a cancel is refused: AckDt + 24 h.
    pub fn cancel_deadline(&self) -> Option<Timestamp> {
        self.ack_date.map(|a| a + CANCEL_WINDOW)
    }

    /// Whether the IRN may be cancelled at `now`. Checked in this order: generated (9999 when
    /// already cancelled), AckDt known, within 24 h of AckDt (2270: AckDt + 23:59:59 is allowed,
    /// AckDt + 24:00:00 is not), no e-way bill that is not cancelled or rejected (2230).
    ///
    /// The window is checked before the e-way bill because a closed window cannot be reopened,
    /// while the e-way bill can be cancelled: the user learns the final answer first.
    pub fn can_cancel(&self, now: &Timestamp) -> Result<(), EInvoiceRefusal> {
        if self.status != EInvoiceStatus::Generated {
            return Err(EInvoiceRefusal::CancelNotGenerated {
                status: self.status,
            });
        }
        let ack_date = self.ack_date.ok_or(EInvoiceRefusal::AckDateUnknown)?;
        let deadline = ack_date + CANCEL_WINDOW;
        if *now >= deadline {
            return Err(EInvoiceRefusal::CancelWindowClosed { ack_date, deadline });
        }
        if let Some(ewb) = self.e_way_bill.filter(LinkedEwayBill::blocks_irn_cancel) {
            return Err(EInvoiceRefusal::EwayBillExists {
                ewb_no: ewb.ewb_no,
                status: ewb.status,
            });
        }
        Ok(())
    }

    /// Cancels at `now` if [`can_cancel`](Self::can_cancel) allows it: the record, cancelled.
    pub fn cancel(&self, now: &Timestamp) -> Result<EInvoiceRecord, EInvoiceRefusal> {
        self.can_cancel(now)?;
        Ok(EInvoiceRecord {
            status: EInvoiceStatus::Cancelled,
            cancelled_at: Some(*now),
            ..self.clone()
        })
    }

    /// Whether the status endpoint may be polled: only while queued or failed_retriable. Anything
    /// else is final for polling purposes and is read with a plain fetch.
    pub fn can_poll(&self) -> Result<(), EInvoiceRefusal> {
        if self.status.is_pending() {
            Ok(())
        } else {
            Err(EInvoiceRefusal::NotPending {
                status: self.status,
            })
        }
    }

    /// Records what the server or NIC reported: `to` observed at `at` (AckDt for generated, the
    /// cancel time for cancelled). Only checks that the transition exists.
    pub fn observe(
        &self,
        to: EInvoiceStatus,
        at: Timestamp,
    ) -> Result<EInvoiceRecord, EInvoiceRefusal> {
        if !self.status.can_become(to) {
            return Err(EInvoiceRefusal::InvalidTransition {
                from: self.status,
                to,
            });
        }
        let mut next = EInvoiceRecord {
            status: to,
            ..self.clone()
        };
        match to {
            EInvoiceStatus::Generated if self.status != EInvoiceStatus::Generated => {
                next.ack_date = Some(at)
            }
            EInvoiceStatus::Cancelled if self.status != EInvoiceStatus::Cancelled => {
                next.cancelled_at = Some(at)
            }
            _ => {}
        }
        Ok(next)
    }
}

/// What to do with a generate (or regenerate) request for a document number whose record is
/// `existing` (`None`: never sent).
///
/// - none, failed: submit;
/// - queued, failed_retriable: refused, a generate is under way: poll it;
/// - generated: replay the duplicate (DUPIRN) from the record;
/// - cancelled: refused for good (2278): the number is spent, issue a new one.
pub fn generate_advice(
    existing: Option<&EInvoiceRecord>,
) -> Result<GenerateAdvice, EInvoiceRefusal> {
    let Some(record) = existing else {
        return Ok(GenerateAdvice::Submit);
    };
    match record.status {
        EInvoiceStatus::Failed => Ok(GenerateAdvice::Submit),
        EInvoiceStatus::Generated => Ok(GenerateAdvice::ReplayDuplicate),
        EInvoiceStatus::Cancelled => Err(EInvoiceRefusal::DocumentNumberCancelled),
        status @ (EInvoiceStatus::Queued | EInvoiceStatus::FailedRetriable) => {
            Err(EInvoiceRefusal::GenerateInProgress { status })
        }
    }
}

/// What an allowed action leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EInvoiceDecision {
    /// Generate: send it, or replay the duplicate.
    Generate(GenerateAdvice),
    /// Poll: allowed.
    Poll,
    /// Cancel: allowed; the record as it will be once NIC confirms.
    Cancel(EInvoiceRecord),
}

/// Runs `action` against `existing` at `now`: the one entry point the vectors and adapters use.
pub fn decide(
    existing: Option<&EInvoiceRecord>,
    action: EInvoiceAction,
    now: &Timestamp,
) -> Result<EInvoiceDecision, EInvoiceRefusal> {
    match action {
        EInvoiceAction::Generate => generate_advice(existing).map(EInvoiceDecision::Generate),
        EInvoiceAction::Poll => match existing {
            Some(r) => r.can_poll().map(|()| EInvoiceDecision::Poll),
            None => Err(EInvoiceRefusal::NoRecord),
        },
        EInvoiceAction::Cancel => match existing {
            Some(r) => r.cancel(now).map(EInvoiceDecision::Cancel),
            None => Err(EInvoiceRefusal::NoRecord),
        },
    }
}
