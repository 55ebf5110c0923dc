//! Handing a bill over to another transporter (NIC action UPDATETRANSPORTER, nic-rules C.5).
//!
//! Not after expiry (281), not once the current transporter has entered Part-B (338), only by the
//! assigned party (339), and never to the supplier or the recipient themselves (370).

use crate::wire::nic_struct;
use serde::{Deserialize, Serialize};

use super::number::EwbNumber;
use super::NicAction;

/// A transporter update, as the API takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateTransporter {
    /// The bill (`ewbNo`).
    pub ewb_number: EwbNumber,
    /// The new transporter's GSTIN or TRANSIN; not checksummed, since TRANSINs of unregistered
    /// transporters may fail the GSTIN check character (nic-rules C.13) (`transporterId`).
    pub transporter_id: String,
}

nic_struct!(
    /// NIC's UPDATETRANSPORTER payload: `{"ewbNo", "transporterId"}`.
    NicUpdateTransporter {
        ewb_no: EwbNumber = "ewbNo",
        transporter_id: String = "transporterId",
    }
);

impl NicAction for NicUpdateTransporter {
    const ACTION: &'static str = "UPDATETRANSPORTER";
}

impl UpdateTransporter {
    /// The update in NIC's UPDATETRANSPORTER shape.
    pub fn to_nic(&self) -> NicUpdateTransporter {
        NicUpdateTransporter {
            ewb_no: self.ewb_number,
            transporter_id: self.transporter_id.clone(),
        }
    }

    /// The update from NIC's UPDATETRANSPORTER shape.
    pub fn from_nic(n: NicUpdateTransporter) -> Self {
        UpdateTransporter {
            ewb_number: n.ewb_no,
            transporter_id: n.transporter_id,
        }
    }
}

impl From<&UpdateTransporter> for NicUpdateTransporter {
    fn from(u: &UpdateTransporter) -> Self {
        u.to_nic()
    }
}

impl From<NicUpdateTransporter> for UpdateTransporter {
    fn from(n: NicUpdateTransporter) -> Self {
        UpdateTransporter::from_nic(n)
    }
}
