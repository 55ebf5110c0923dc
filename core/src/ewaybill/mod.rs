//! E-way bills: the canonical document, NIC's EWB JSON, the payloads of the actions on a bill and
//! NIC's replies (nic-rules part C, D.2).
//!
//! Each concept comes twice: as the API takes it (camelCase words, ISO dates, reasons by name) and
//! as NIC's EWB API v1.03 takes it (NIC's keys, `dd/mm/yyyy` dates, numeric codes), with a
//! lossless conversion each way. Which NIC action a payload belongs to is [`NicAction::ACTION`],
//! the `action` of the request body `{"action": ..., "data": ...}` (D.2).
//!
//! | concept | API | NIC | action |
//! |---|---|---|---|
//! | generate | [`EWayBill`] | [`NicEWayBill`] ([`nic::to_nic`] / [`nic::from_nic`]) | GENEWAYBILL |
//! | Part-B / vehicle | [`PartBUpdate`] | [`NicPartBUpdate`] | VEHEWB |
//! | extend validity | [`ExtendValidity`] | [`NicExtendValidity`] | EXTENDVALIDITY |
//! | cancel | [`CancelEWayBill`] | [`NicCancelEWayBill`] | CANEWB |
//! | reject | [`RejectEWayBill`] | [`NicRejectEWayBill`] | REJEWB |
//! | change transporter | [`UpdateTransporter`] | [`NicUpdateTransporter`] | UPDATETRANSPORTER |
//! | EWB for an IRN (e-invoice API) | [`EwbByIrn`] | [`NicEwbByIrn`] | — |
//!
//! Replies are in [`response`] (and [`EwbByIrnReply`] for the e-invoice side).

#[macro_use]
mod codec;

pub mod by_irn;
pub mod cancel;
pub mod extend;
pub mod model;
pub mod nic;
pub mod number;
pub mod part_b;
pub mod reject;
pub mod response;
pub mod transporter;

pub use by_irn::{EwbByIrn, EwbByIrnReply, ExportShipTo, NicEwbByIrn};
pub use cancel::{CancelEWayBill, EwayBillCancelReason, NicCancelEWayBill};
pub use extend::{
    ConsignmentStatus, ExtendValidity, ExtensionMode, ExtensionReason, NicExtendValidity,
    TransitType,
};
pub use model::{
    DocumentDetails, DocumentType, EWayBill, Item, Party, SubSupplyType, SupplyType,
    TransactionType, Transport, ValueDetails,
};
pub use nic::{NicEWayBill, NicEwbItem};
pub use number::{EwbNumber, EwbNumberError};
pub use part_b::{NicPartBUpdate, PartBReason, PartBUpdate};
pub use reject::{NicRejectEWayBill, RejectEWayBill};
pub use response::{ErrorReply, ReplyError};
pub use transporter::{NicUpdateTransporter, UpdateTransporter};

/// A payload in NIC's EWB shape, and the action it is sent under.
pub trait NicAction: serde::Serialize {
    /// NIC's action name, e.g. `GENEWAYBILL`, `VEHEWB`, `CANEWB`.
    const ACTION: &'static str;
}
