//! Cancelling an e-way bill (NIC action CANEWB, nic-rules C.7).
//!
//! Only the generator may cancel, within 24 hours of generation (315), and not once an officer has
//! verified the bill (316). An IRN with an active e-way bill cannot be cancelled (2230), so the
//! bill goes first.

use crate::wire::nic_struct;
use serde::{Deserialize, Serialize};

use super::codec::{self, NicCoded};
use super::number::EwbNumber;
use super::NicAction;
use crate::reason_codes;

reason_codes!(
    /// Why an e-way bill is cancelled (NIC `cancelRsnCode`).
    ///
    /// The EWB system numbers these in its own order: 2 is "order cancelled" and 3 "data entry
    /// mistake", the reverse of the IRP's cancel reasons
    /// ([`crate::einvoice::cancel::EInvoiceCancelReason`]: 2 data entry mistake, 3 order
    /// cancelled). The API names are the same in both lists, which is why the API speaks names and
    /// only NIC's payloads carry numbers. The order here is the EWB master's as used by NIC's
    /// sample (`cancelRsnCode: 2`, "Cancelled the order") and by peers; one peer uses the IRP
    /// order, which nic-rules C.7 records as a conflict.
    EwayBillCancelReason {
        /// 1: the bill was generated twice.
        Duplicate = 1, "duplicate", "Duplicate";
        /// 2: the order was cancelled.
        OrderCancelled = 2, "order_cancelled", "Order Cancelled";
        /// 3: a mistake in the data.
        DataEntryMistake = 3, "data_entry_mistake", "Data Entry mistake";
        /// 4: any other reason; say which in the remarks.
        Others = 4, "others", "Others";
    }
);

impl NicCoded for EwayBillCancelReason {
    fn nic_code(&self) -> u8 {
        self.code()
    }
}

/// A request to cancel an e-way bill, as the API takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelEWayBill {
    /// The bill to cancel (`ewbNo`).
    pub ewb_number: EwbNumber,
    /// Why (`cancelRsnCode`).
    pub reason: EwayBillCancelReason,
    /// Remarks, up to 50 characters (`cancelRmrk`, `Text(50)`).
    pub remarks: String,
}

nic_struct!(
    /// NIC's CANEWB payload: `{"ewbNo": Number(12), "cancelRsnCode": Number(1), "cancelRmrk": Text(50)}`.
    NicCancelEWayBill {
        ewb_no: EwbNumber = "ewbNo",
        #[serde(with = "codec::nic_reason")]
        cancel_rsn_code: EwayBillCancelReason = "cancelRsnCode",
        cancel_rmrk: String = "cancelRmrk",
    }
);

impl NicAction for NicCancelEWayBill {
    const ACTION: &'static str = "CANEWB";
}

impl CancelEWayBill {
    /// The request in NIC's CANEWB shape.
    pub fn to_nic(&self) -> NicCancelEWayBill {
        NicCancelEWayBill {
            ewb_no: self.ewb_number,
            cancel_rsn_code: self.reason,
            cancel_rmrk: self.remarks.clone(),
        }
    }

    /// The request from NIC's CANEWB shape.
    pub fn from_nic(n: NicCancelEWayBill) -> Self {
        CancelEWayBill {
            ewb_number: n.ewb_no,
            reason: n.cancel_rsn_code,
            remarks: n.cancel_rmrk,
        }
    }
}

impl From<&CancelEWayBill> for NicCancelEWayBill {
    fn from(c: &CancelEWayBill) -> Self {
        c.to_nic()
    }
}

impl From<NicCancelEWayBill> for CancelEWayBill {
    fn from(n: NicCancelEWayBill) -> Self {
        CancelEWayBill::from_nic(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::einvoice::cancel::EInvoiceCancelReason;
    use serde_json::json;

    #[test]
    fn ewb_order_differs_from_einvoice_order() {
        assert_eq!(EwayBillCancelReason::OrderCancelled.code(), 2);
        assert_eq!(EwayBillCancelReason::DataEntryMistake.code(), 3);
        assert_eq!(EInvoiceCancelReason::DataEntryMistake.code(), 2);
        // The same API name maps to different NIC numbers in the two lists.
        let ewb = EwayBillCancelReason::from_api_name("data_entry_mistake").unwrap();
        let inv = EInvoiceCancelReason::from_api_name("data_entry_mistake").unwrap();
        assert_ne!(ewb.code(), inv.code());
    }

    #[test]
    fn reason_by_name_number_or_string() {
        for v in [json!("order_cancelled"), json!(2), json!("2")] {
            let r: EwayBillCancelReason = serde_json::from_value(v.clone()).unwrap();
            assert_eq!(r, EwayBillCancelReason::OrderCancelled, "{v}");
        }
        let err = serde_json::from_value::<EwayBillCancelReason>(json!(7)).unwrap_err();
        assert!(
            err.to_string().contains("expected one of duplicate (1)"),
            "{err}"
        );
    }

    #[test]
    fn peers_string_codes_read_and_numbers_written() {
        let n: NicCancelEWayBill = serde_json::from_value(json!({
            "ewbNo": "301002999920", "cancelRsnCode": "3", "cancelRmrk": "For Test"
        }))
        .unwrap();
        let c = CancelEWayBill::from_nic(n);
        assert_eq!(c.reason, EwayBillCancelReason::DataEntryMistake);
        assert_eq!(
            serde_json::to_value(c.to_nic()).unwrap(),
            json!({"ewbNo": 301002999920u64, "cancelRsnCode": 3, "cancelRmrk": "For Test"})
        );
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            json!({"ewbNumber": 301002999920u64, "reason": "data_entry_mistake", "remarks": "For Test"})
        );
    }
}
