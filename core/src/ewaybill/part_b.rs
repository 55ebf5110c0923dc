//! Part-B: entering or changing the vehicle or transport document of a bill (NIC action VEHEWB,
//! nic-rules C.4).
//!
//! Only the current transporter may do it, or the generator while no transporter is assigned
//! (635/636), and never after the bill's validity has lapsed (311). Road needs a vehicle number
//! (303); rail, air and ship a transport document number and date (394/385). The first Part-B of
//! a Part-A slip starts its validity, so the reply carries the new `validUpto`.

use crate::wire::nic_struct;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codec::{self, NicCoded};
use super::number::EwbNumber;
use super::NicAction;
use crate::reason_codes;
use crate::transport::{TransportMode, VehicleType};
use crate::wire;

reason_codes!(
    /// Why the vehicle changes (NIC `reasonCode` of VEHEWB).
    PartBReason {
        /// 1: the vehicle broke down.
        BreakDown = 1, "break_down", "Due to Break Down";
        /// 2: the goods are moved to another vehicle on the way.
        Transhipment = 2, "transhipment", "Due to Transhipment";
        /// 3: any other reason; say which in the remarks.
        Others = 3, "others", "Others";
        /// 4: the first Part-B of a Part-A slip.
        FirstTime = 4, "first_time", "First Time";
    }
);

impl NicCoded for PartBReason {
    fn nic_code(&self) -> u8 {
        self.code()
    }
}

/// A Part-B update, as the API takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartBUpdate {
    /// The bill to update (`ewbNo`).
    pub ewb_number: EwbNumber,
    /// The new vehicle; required for road (303, 4011) (`vehicleNo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_number: Option<String>,
    /// Where the goods are when the vehicle changes, up to 50 characters (`fromPlace`).
    pub from_place: String,
    /// The state of that place (`fromState`).
    #[serde(with = "wire::state_code")]
    pub from_state_code: String,
    /// Why (`reasonCode`).
    pub reason: PartBReason,
    /// Remarks, up to 50 characters (`reasonRem`).
    pub remarks: String,
    /// Transport document number; required for rail, air and ship (394) (`transDocNo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_document_number: Option<String>,
    /// Transport document date; required with a transport document (385), not before the
    /// document date (362) (`transDocDate`).
    #[serde(
        default,
        with = "wire::api_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub transport_document_date: Option<NaiveDate>,
    /// Road, rail, air or ship (`transMode`).
    pub transport_mode: TransportMode,
    /// Regular or over-dimensional cargo; ODC only by road (634) (`vehicleType`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_type: Option<VehicleType>,
}

nic_struct!(
    /// NIC's VEHEWB payload.
    NicPartBUpdate {
        ewb_no: EwbNumber = "ewbNo",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        vehicle_no: Option<String> = "vehicleNo",
        from_place: String = "fromPlace",
        #[serde(with = "wire::state_code::numeric")]
        from_state: String = "fromState",
        #[serde(with = "codec::nic_reason")]
        reason_code: PartBReason = "reasonCode",
        reason_rem: String = "reasonRem",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trans_doc_no: Option<String> = "transDocNo",
        #[serde(default, with = "codec::nic_date_opt", skip_serializing_if = "Option::is_none")]
        trans_doc_date: Option<NaiveDate> = "transDocDate",
        trans_mode: TransportMode = "transMode",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        vehicle_type: Option<VehicleType> = "vehicleType",
    }
);

impl NicAction for NicPartBUpdate {
    const ACTION: &'static str = "VEHEWB";
}

impl PartBUpdate {
    /// The update in NIC's VEHEWB shape.
    pub fn to_nic(&self) -> NicPartBUpdate {
        NicPartBUpdate {
            ewb_no: self.ewb_number,
            vehicle_no: self.vehicle_number.clone(),
            from_place: self.from_place.clone(),
            from_state: self.from_state_code.clone(),
            reason_code: self.reason,
            reason_rem: self.remarks.clone(),
            trans_doc_no: self.transport_document_number.clone(),
            trans_doc_date: self.transport_document_date,
            trans_mode: self.transport_mode,
            vehicle_type: self.vehicle_type,
        }
    }

    /// The update from NIC's VEHEWB shape.
    pub fn from_nic(n: NicPartBUpdate) -> Self {
        PartBUpdate {
            ewb_number: n.ewb_no,
            vehicle_number: n.vehicle_no,
            from_place: n.from_place,
            from_state_code: n.from_state,
            reason: n.reason_code,
            remarks: n.reason_rem,
            transport_document_number: n.trans_doc_no,
            transport_document_date: n.trans_doc_date,
            transport_mode: n.trans_mode,
            vehicle_type: n.vehicle_type,
        }
    }
}

impl From<&PartBUpdate> for NicPartBUpdate {
    fn from(u: &PartBUpdate) -> Self {
        u.to_nic()
    }
}

impl From<NicPartBUpdate> for PartBUpdate {
    fn from(n: NicPartBUpdate) -> Self {
        PartBUpdate::from_nic(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reason_by_name_or_number() {
        for v in [json!("break_down"), json!(1), json!("1")] {
            let r: PartBReason = serde_json::from_value(v.clone()).unwrap();
            assert_eq!(r, PartBReason::BreakDown, "{v}");
        }
        assert_eq!(PartBReason::BreakDown.label(), "Due to Break Down");
        assert_eq!(
            serde_json::to_value(PartBReason::FirstTime).unwrap(),
            json!("first_time")
        );
        let err = serde_json::from_value::<PartBReason>(json!(5)).unwrap_err();
        assert!(err.to_string().contains("unknown reason code 5"), "{err}");
        assert!(serde_json::from_value::<PartBReason>(json!("flat_tyre")).is_err());
    }

    #[test]
    fn reads_what_peers_send() {
        // A recorded payload: ewbNo as a string, an empty date, a null document number.
        let n: NicPartBUpdate = serde_json::from_value(json!({
            "ewbNo": "301002999920", "fromPlace": "Test City", "fromState": 24,
            "reasonCode": 3, "reasonRem": "Vehicle Info added", "transDocDate": "",
            "transDocNo": null, "transMode": 1, "vehicleNo": "GJ07DL9001", "vehicleType": "R"
        }))
        .unwrap();
        let u = PartBUpdate::from_nic(n);
        assert_eq!(u.reason, PartBReason::Others);
        assert_eq!(u.from_state_code, "24");
        assert_eq!(u.transport_document_date, None);
        let out = serde_json::to_value(u.to_nic()).unwrap();
        assert_eq!(out["ewbNo"], json!(301002999920u64));
        assert_eq!(out["reasonCode"], json!(3));
        assert_eq!(out["fromState"], json!(24));
        assert!(out.get("transDocDate").is_none());
    }
}
