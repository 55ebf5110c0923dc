//! Cancelling an IRN (nic-rules B.9): within 24 hours of its acknowledgement, never while an
//! e-way bill on it is active, and only in whole.

use serde::{Deserialize, Serialize};

use super::irn::Irn;
use crate::reason_codes;

reason_codes!(
    /// Why an IRN is cancelled (NIC `CnlRsn`). Note the order: e-way bill cancel reasons number
    /// 2 and 3 the other way round (nic-rules C.7).
    EInvoiceCancelReason {
        /// 1: the document was reported twice.
        Duplicate = 1, "duplicate", "Duplicate";
        /// 2: a mistake in the data.
        DataEntryMistake = 2, "data_entry_mistake", "Data entry mistake";
        /// 3: the order was cancelled.
        OrderCancelled = 3, "order_cancelled", "Order Cancelled";
        /// 4: any other reason; say which in the remarks.
        Others = 4, "others", "Others";
    }
);

/// A request to cancel an IRN, as the API takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelEInvoice {
    /// The IRN to cancel.
    pub irn: Irn,
    /// Why.
    pub reason: EInvoiceCancelReason,
    /// Free text, up to 100 characters (`CnlRem`).
    pub remarks: String,
}

/// NIC's cancel-IRN payload: `{"Irn", "CnlRsn": "1".."4", "CnlRem"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct NicCancelEInvoice {
    #[serde(rename = "Irn")]
    pub irn: Irn,
    #[serde(rename = "CnlRsn")]
    pub cnl_rsn: EInvoiceCancelReason,
    #[serde(rename = "CnlRem")]
    pub cnl_rem: String,
}

impl CancelEInvoice {
    /// The request in NIC's shape. NIC's schema types `CnlRsn` as a string enum `"1".."4"`, so
    /// that is how the reason is written.
    pub fn to_nic_json(&self) -> serde_json::Value {
        serde_json::json!({
            "Irn": self.irn.as_str(),
            "CnlRsn": self.reason.code().to_string(),
            "CnlRem": self.remarks,
        })
    }
}

impl From<NicCancelEInvoice> for CancelEInvoice {
    fn from(n: NicCancelEInvoice) -> Self {
        CancelEInvoice {
            irn: n.irn,
            reason: n.cnl_rsn,
            remarks: n.cnl_rem,
        }
    }
}
