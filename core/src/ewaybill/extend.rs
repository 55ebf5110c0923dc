//! Extending a bill's validity (NIC action EXTENDVALIDITY, nic-rules C.6).
//!
//! Allowed from 8 hours before to 8 hours after the current expiry (382), only with Part-B (381),
//! only by the current transporter or by the generator while none is assigned (384/637/700), and
//! never beyond 360 days from generation (821). The new validity is counted from the time of the
//! extension on `remainingDistance` (which may not exceed the original distance, 390), by the same
//! slabs as a new bill (C.2).
//!
//! Goods still moving are `M` with a mode 1-4 and no transit type; goods held up on the way are
//! `T` with mode 5 "in transit", a transit type and the address they are held at (705-713).

use crate::wire::nic_struct;
use chrono::NaiveDate;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use super::codec::{self, code_or_name, CodeOrName, NicCoded};
use super::number::EwbNumber;
use super::NicAction;
use crate::reason_codes;
use crate::transport::TransportMode;
use crate::wire;

reason_codes!(
    /// Why the validity is extended (NIC `extnRsnCode`). NIC's list has no code 3. Remarks are
    /// mandatory whatever the reason (386).
    ExtensionReason {
        /// 1: a natural calamity.
        NaturalCalamity = 1, "natural_calamity", "Natural Calamity";
        /// 2: a law and order situation.
        LawAndOrder = 2, "law_and_order", "Law and Order Situation";
        /// 4: transshipment.
        Transshipment = 4, "transshipment", "Transshipment";
        /// 5: an accident.
        Accident = 5, "accident", "Accident";
        /// 99: any other reason; say which in the remarks.
        Others = 99, "others", "Others";
    }
);

impl NicCoded for ExtensionReason {
    fn nic_code(&self) -> u8 {
        self.code()
    }
}

/// The mode of an extension (NIC `transMode` of EXTENDVALIDITY): the four transport modes, plus
/// 5 "in transit", which exists only here, for goods held up on the way (consignment status `T`).
///
/// Written like [`TransportMode`], as a one-character string (`"5"`); read from a number or a
/// string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExtensionMode {
    /// 1: road.
    Road,
    /// 2: rail.
    Rail,
    /// 3: air.
    Air,
    /// 4: ship.
    Ship,
    /// 5: in transit: the goods are stopped, at the address of the extension.
    InTransit,
}

impl ExtensionMode {
    /// NIC's code.
    pub fn code(self) -> u8 {
        match self {
            ExtensionMode::Road => 1,
            ExtensionMode::Rail => 2,
            ExtensionMode::Air => 3,
            ExtensionMode::Ship => 4,
            ExtensionMode::InTransit => 5,
        }
    }

    /// The mode with NIC code `code`.
    pub fn from_code(code: u64) -> Option<Self> {
        match code {
            5 => Some(ExtensionMode::InTransit),
            other => TransportMode::from_code(other).map(ExtensionMode::from),
        }
    }

    /// The transport mode, unless the goods are in transit.
    pub fn transport_mode(self) -> Option<TransportMode> {
        match self {
            ExtensionMode::Road => Some(TransportMode::Road),
            ExtensionMode::Rail => Some(TransportMode::Rail),
            ExtensionMode::Air => Some(TransportMode::Air),
            ExtensionMode::Ship => Some(TransportMode::Ship),
            ExtensionMode::InTransit => None,
        }
    }
}

impl From<TransportMode> for ExtensionMode {
    fn from(m: TransportMode) -> Self {
        match m {
            TransportMode::Road => ExtensionMode::Road,
            TransportMode::Rail => ExtensionMode::Rail,
            TransportMode::Air => ExtensionMode::Air,
            TransportMode::Ship => ExtensionMode::Ship,
        }
    }
}

impl Serialize for ExtensionMode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for ExtensionMode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let found = match code_or_name(d)? {
            CodeOrName::Code(c) => ExtensionMode::from_code(c),
            CodeOrName::Name(_) => None,
        };
        found.ok_or_else(|| {
            de::Error::custom(
                "unknown extension mode: expected \"1\" road, \"2\" rail, \"3\" air, \"4\" ship or \"5\" in transit",
            )
        })
    }
}

/// Where the goods are at the time of the extension (NIC `consignmentStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConsignmentStatus {
    /// `M`: in movement; mode 1-4, no transit type.
    #[serde(rename = "M")]
    InMovement,
    /// `T`: in transit (stopped); mode 5, a transit type and an address.
    #[serde(rename = "T")]
    InTransit,
}

/// Where goods in transit are held (NIC `transitType`, only with consignment status `T`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TransitType {
    /// `R`: on the road.
    #[serde(rename = "R")]
    Road,
    /// `W`: in a warehouse.
    #[serde(rename = "W")]
    Warehouse,
    /// `O`: elsewhere.
    #[serde(rename = "O")]
    Others,
}

/// A validity extension, as the API takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtendValidity {
    /// The bill to extend (`ewbNo`).
    pub ewb_number: EwbNumber,
    /// The vehicle, for goods moving by road (`vehicleNo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_number: Option<String>,
    /// Where the goods are now (`fromPlace`).
    pub from_place: String,
    /// The state they are in (`fromState`).
    #[serde(with = "wire::state_code")]
    pub from_state_code: String,
    /// The PIN code they are at (`fromPincode`).
    #[serde(with = "wire::unsigned")]
    pub from_pincode: u32,
    /// Kilometres still to go; required (389), at most the original distance (390)
    /// (`remainingDistance`).
    #[serde(with = "wire::unsigned")]
    pub remaining_distance: u32,
    /// Transport document number, for rail, air and ship (`transDocNo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_document_number: Option<String>,
    /// Transport document date (`transDocDate`).
    #[serde(
        default,
        with = "wire::api_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub transport_document_date: Option<NaiveDate>,
    /// Road, rail, air, ship or in transit (`transMode`).
    pub transport_mode: ExtensionMode,
    /// Why (`extnRsnCode`).
    pub reason: ExtensionReason,
    /// Remarks; mandatory (386) (`extnRemarks`).
    pub remarks: String,
    /// Moving or held up (`consignmentStatus`).
    pub consignment_status: ConsignmentStatus,
    /// Where goods in transit are held; absent for goods in movement (`transitType`, written
    /// `""` to NIC when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_type: Option<TransitType>,
    /// Address of goods in transit, line 1 (`addressLine1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line1: Option<String>,
    /// Line 2 (`addressLine2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line2: Option<String>,
    /// Line 3 (`addressLine3`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line3: Option<String>,
}

/// `transitType` in NIC's JSON: `""` means none, which is what NIC's payloads send for goods in
/// movement, so `None` is written as `""` and `""`, `null` or a missing key read as `None`.
mod transit_type_nic {
    use super::*;

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<TransitType>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(t) if t.trim().is_empty() => Ok(None),
            Some(t) => {
                TransitType::deserialize(de::value::StrDeserializer::<D::Error>::new(&t)).map(Some)
            }
        }
    }

    pub(super) fn serialize<S: Serializer>(
        v: &Option<TransitType>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => t.serialize(s),
            None => s.serialize_str(""),
        }
    }
}

nic_struct!(
    /// NIC's EXTENDVALIDITY payload.
    NicExtendValidity {
        ewb_no: EwbNumber = "ewbNo",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        vehicle_no: Option<String> = "vehicleNo",
        from_place: String = "fromPlace",
        #[serde(with = "wire::state_code::numeric")]
        from_state: String = "fromState",
        #[serde(with = "wire::unsigned")]
        from_pincode: u32 = "fromPincode",
        #[serde(with = "wire::unsigned")]
        remaining_distance: u32 = "remainingDistance",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trans_doc_no: Option<String> = "transDocNo",
        #[serde(default, with = "codec::nic_date_opt", skip_serializing_if = "Option::is_none")]
        trans_doc_date: Option<NaiveDate> = "transDocDate",
        trans_mode: ExtensionMode = "transMode",
        #[serde(with = "codec::nic_reason")]
        extn_rsn_code: ExtensionReason = "extnRsnCode",
        extn_remarks: String = "extnRemarks",
        consignment_status: ConsignmentStatus = "consignmentStatus",
        #[serde(default, with = "transit_type_nic")]
        transit_type: Option<TransitType> = "transitType",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        address_line1: Option<String> = "addressLine1",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        address_line2: Option<String> = "addressLine2",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        address_line3: Option<String> = "addressLine3",
    }
);

impl NicAction for NicExtendValidity {
    const ACTION: &'static str = "EXTENDVALIDITY";
}

impl ExtendValidity {
    /// The extension in NIC's EXTENDVALIDITY shape.
    pub fn to_nic(&self) -> NicExtendValidity {
        NicExtendValidity {
            ewb_no: self.ewb_number,
            vehicle_no: self.vehicle_number.clone(),
            from_place: self.from_place.clone(),
            from_state: self.from_state_code.clone(),
            from_pincode: self.from_pincode,
            remaining_distance: self.remaining_distance,
            trans_doc_no: self.transport_document_number.clone(),
            trans_doc_date: self.transport_document_date,
            trans_mode: self.transport_mode,
            extn_rsn_code: self.reason,
            extn_remarks: self.remarks.clone(),
            consignment_status: self.consignment_status,
            transit_type: self.transit_type,
            address_line1: self.address_line1.clone(),
            address_line2: self.address_line2.clone(),
            address_line3: self.address_line3.clone(),
        }
    }

    /// The extension from NIC's EXTENDVALIDITY shape.
    pub fn from_nic(n: NicExtendValidity) -> Self {
        ExtendValidity {
            ewb_number: n.ewb_no,
            vehicle_number: n.vehicle_no,
            from_place: n.from_place,
            from_state_code: n.from_state,
            from_pincode: n.from_pincode,
            remaining_distance: n.remaining_distance,
            transport_document_number: n.trans_doc_no,
            transport_document_date: n.trans_doc_date,
            transport_mode: n.trans_mode,
            reason: n.extn_rsn_code,
            remarks: n.extn_remarks,
            consignment_status: n.consignment_status,
            transit_type: n.transit_type,
            address_line1: n.address_line1,
            address_line2: n.address_line2,
            address_line3: n.address_line3,
        }
    }
}

impl From<&ExtendValidity> for NicExtendValidity {
    fn from(x: &ExtendValidity) -> Self {
        x.to_nic()
    }
}

impl From<NicExtendValidity> for ExtendValidity {
    fn from(n: NicExtendValidity) -> Self {
        ExtendValidity::from_nic(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reason_codes_skip_three() {
        assert_eq!(
            serde_json::from_value::<ExtensionReason>(json!(99)).unwrap(),
            ExtensionReason::Others
        );
        assert_eq!(
            serde_json::from_value::<ExtensionReason>(json!("law_and_order")).unwrap(),
            ExtensionReason::LawAndOrder
        );
        let err = serde_json::from_value::<ExtensionReason>(json!(3)).unwrap_err();
        assert!(err.to_string().contains("unknown reason code 3"), "{err}");
        assert_eq!(ExtensionReason::ALL.len(), 5);
    }

    #[test]
    fn extension_mode() {
        for v in [json!(5), json!("5")] {
            assert_eq!(
                serde_json::from_value::<ExtensionMode>(v).unwrap(),
                ExtensionMode::InTransit
            );
        }
        assert_eq!(
            serde_json::to_value(ExtensionMode::Road).unwrap(),
            json!("1")
        );
        assert!(serde_json::from_value::<ExtensionMode>(json!(6)).is_err());
        assert!(serde_json::from_value::<ExtensionMode>(json!("road")).is_err());
        assert_eq!(ExtensionMode::InTransit.transport_mode(), None);
        assert_eq!(
            ExtensionMode::from(TransportMode::Ship),
            ExtensionMode::Ship
        );
    }

    #[test]
    fn recorded_in_movement_payload() {
        // Shape of a recorded NIC sandbox request: state as a string, empty date and transit type.
        let n: NicExtendValidity = serde_json::from_value(json!({
            "consignmentStatus": "M", "ewbNo": 301002999920u64, "extnRemarks": "Natural Calamity",
            "extnRsnCode": 1, "fromPincode": 391510, "fromPlace": "Test", "fromState": "24",
            "remainingDistance": 5, "transDocDate": "", "transDocNo": null, "transMode": 1,
            "transitType": "", "vehicleNo": "GJ07DL9009"
        }))
        .unwrap();
        let x = ExtendValidity::from_nic(n);
        assert_eq!(x.transit_type, None);
        assert_eq!(x.transport_mode, ExtensionMode::Road);
        let out = serde_json::to_value(x.to_nic()).unwrap();
        assert_eq!(out["transitType"], json!(""));
        assert_eq!(out["fromState"], json!(24));
        assert_eq!(out["transMode"], json!("1"));
        assert_eq!(out["extnRsnCode"], json!(1));
        assert!(serde_json::from_value::<NicExtendValidity>(json!({"transitType": "X"})).is_err());
    }
}
