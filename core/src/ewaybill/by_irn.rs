//! An e-way bill for an existing IRN, through the e-invoice API (nic-rules C.12).
//!
//! Suppliers enabled for e-invoicing must get the EWB of a B2B or export invoice this way (720),
//! either with the IRN (`EwbDtls`) or afterwards with this request. It speaks the e-invoice
//! dialect: PascalCase keys, `dd/mm/yyyy` dates, a numeric `Distance`, replies timestamped
//! `yyyy-MM-dd HH:mm:ss`. Sending `TransId` alone gives a Part-A slip (4019/4027); 4002 means the
//! IRN already has an EWB, to be fetched rather than generated again.

use crate::wire::nic_struct;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codec;
use super::number::EwbNumber;
use crate::calendar::Timestamp;
use crate::einvoice::irn::Irn;
use crate::einvoice::model::DispatchFrom;
use crate::einvoice::nic::NicDispDtls;
use crate::transport::{TransportMode, VehicleType};
use crate::wire;

/// A request for the e-way bill of an IRN, as the API takes it. The transport fields are named as
/// in the e-invoice's `eWayBillDetails`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EwbByIrn {
    /// The IRN the bill is for; it must be active (4000, 2302) (`Irn`).
    pub irn: Irn,
    /// Distance in km, 0 to 4000; 0 asks NIC for its PIN-to-PIN distance (4013/4038 when too
    /// high, 4029 when 0 with the same PINs) (`Distance`).
    #[serde(with = "wire::unsigned")]
    pub distance: u32,
    /// Road, rail, air or ship; absent for a Part-A slip (`TransMode`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_mode: Option<TransportMode>,
    /// Transporter GSTIN or TRANSIN (`TransId`, 4018).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transporter_id: Option<String>,
    /// Transporter name (`TransName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transporter_name: Option<String>,
    /// Transport document date; not in the future (4016) nor before the invoice date (4021)
    /// (`TransDocDt`).
    #[serde(
        default,
        with = "wire::api_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub transport_document_date: Option<NaiveDate>,
    /// Transport document number; required for rail, air and ship (4012) (`TransDocNo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_document_number: Option<String>,
    /// Vehicle number; required for road (4011, 4014) (`VehNo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_number: Option<String>,
    /// Regular or over-dimensional cargo (`VehType`, 4020/4024/4039).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_type: Option<VehicleType>,
    /// Where goods leave from, when not the seller's address (`DispDtls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch_from: Option<DispatchFrom>,
    /// Where an export is shipped to in India (the port), when not the buyer's address
    /// (`ExpShipDtls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_ship_to: Option<ExportShipTo>,
}

/// NIC `ExpShipDtls` of the EWB-by-IRN request: the place in India an export leaves from.
///
/// Modelled on the fields peers send (`Addr1`, `Addr2`, `Loc`, `Pin`, `Stcd`); NIC's advisory on
/// ship-to GSTINs for this object was not available, so no `Gstin` is modelled yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportShipTo {
    /// Address line 1 (`Addr1`).
    pub address1: String,
    /// Address line 2 (`Addr2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    /// Place (`Loc`).
    pub location: String,
    /// PIN code (`Pin`).
    #[serde(with = "wire::unsigned")]
    pub pincode: u32,
    /// State code (`Stcd`).
    #[serde(with = "wire::state_code")]
    pub state_code: String,
}

nic_struct!(
    /// NIC's generate-EWB-by-IRN payload (`POST .../eiewb/v1.03/ewaybill`).
    NicEwbByIrn {
        irn: Irn = "Irn",
        #[serde(with = "wire::unsigned")]
        distance: u32 = "Distance",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trans_mode: Option<TransportMode> = "TransMode",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trans_id: Option<String> = "TransId",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trans_name: Option<String> = "TransName",
        #[serde(default, with = "codec::nic_date_opt", skip_serializing_if = "Option::is_none")]
        trans_doc_dt: Option<NaiveDate> = "TransDocDt",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trans_doc_no: Option<String> = "TransDocNo",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        veh_no: Option<String> = "VehNo",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        veh_type: Option<VehicleType> = "VehType",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        disp_dtls: Option<NicDispDtls> = "DispDtls",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exp_ship_dtls: Option<NicExpShipDtls> = "ExpShipDtls",
    }
);

nic_struct!(
    /// NIC `ExpShipDtls`.
    NicExpShipDtls {
        addr1: String = "Addr1",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        addr2: Option<String> = "Addr2",
        loc: String = "Loc",
        #[serde(with = "wire::unsigned")]
        pin: u32 = "Pin",
        #[serde(with = "wire::state_code")]
        stcd: String = "Stcd",
    }
);

impl EwbByIrn {
    /// The request in NIC's shape.
    pub fn to_nic(&self) -> NicEwbByIrn {
        NicEwbByIrn {
            irn: self.irn.clone(),
            distance: self.distance,
            trans_mode: self.transport_mode,
            trans_id: self.transporter_id.clone(),
            trans_name: self.transporter_name.clone(),
            trans_doc_dt: self.transport_document_date,
            trans_doc_no: self.transport_document_number.clone(),
            veh_no: self.vehicle_number.clone(),
            veh_type: self.vehicle_type,
            disp_dtls: self.dispatch_from.as_ref().map(|d| NicDispDtls {
                nm: d.name.clone(),
                addr1: d.address1.clone(),
                addr2: d.address2.clone(),
                loc: d.location.clone(),
                pin: d.pincode,
                stcd: d.state_code.clone(),
            }),
            exp_ship_dtls: self.export_ship_to.as_ref().map(|s| NicExpShipDtls {
                addr1: s.address1.clone(),
                addr2: s.address2.clone(),
                loc: s.location.clone(),
                pin: s.pincode,
                stcd: s.state_code.clone(),
            }),
        }
    }

    /// The request from NIC's shape.
    pub fn from_nic(n: NicEwbByIrn) -> Self {
        EwbByIrn {
            irn: n.irn,
            distance: n.distance,
            transport_mode: n.trans_mode,
            transporter_id: n.trans_id,
            transporter_name: n.trans_name,
            transport_document_date: n.trans_doc_dt,
            transport_document_number: n.trans_doc_no,
            vehicle_number: n.veh_no,
            vehicle_type: n.veh_type,
            dispatch_from: n.disp_dtls.map(|d| DispatchFrom {
                name: d.nm,
                address1: d.addr1,
                address2: d.addr2,
                location: d.loc,
                pincode: d.pin,
                state_code: d.stcd,
            }),
            export_ship_to: n.exp_ship_dtls.map(|s| ExportShipTo {
                address1: s.addr1,
                address2: s.addr2,
                location: s.loc,
                pincode: s.pin,
                state_code: s.stcd,
            }),
        }
    }
}

impl From<&EwbByIrn> for NicEwbByIrn {
    fn from(r: &EwbByIrn) -> Self {
        r.to_nic()
    }
}

impl From<NicEwbByIrn> for EwbByIrn {
    fn from(n: NicEwbByIrn) -> Self {
        EwbByIrn::from_nic(n)
    }
}

/// The IRP's reply to an EWB-by-IRN request (and the EWB part of a generate-IRN reply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EwbByIrnReply {
    /// The bill's number (`EwbNo`).
    #[serde(rename = "EwbNo")]
    pub ewb_number: EwbNumber,
    /// When it was generated, IST (`EwbDt`, `yyyy-MM-dd HH:mm:ss`).
    #[serde(rename = "EwbDt", with = "codec::einvoice_timestamp")]
    pub generated_at: Timestamp,
    /// 23:59 IST on its last day; absent for a Part-A slip (`EwbValidTill`).
    #[serde(
        rename = "EwbValidTill",
        default,
        with = "codec::einvoice_timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub valid_until: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reply_timestamps() {
        let r: EwbByIrnReply = serde_json::from_value(json!({
            "EwbNo": 391004000000u64, "EwbDt": "2022-09-16 19:29:00",
            "EwbValidTill": "2022-09-29 23:59:00", "Remarks": null
        }))
        .unwrap();
        assert_eq!(r.generated_at.to_rfc3339(), "2022-09-16T19:29:00+05:30");
        assert_eq!(
            r.valid_until.unwrap().to_rfc3339(),
            "2022-09-29T23:59:00+05:30"
        );
        let back = serde_json::to_value(&r).unwrap();
        assert_eq!(back["EwbValidTill"], json!("2022-09-29 23:59:00"));
        let part_a: EwbByIrnReply = serde_json::from_value(json!({
            "EwbNo": "391004000000", "EwbDt": "2022-09-16 19:29:00", "EwbValidTill": null
        }))
        .unwrap();
        assert_eq!(part_a.valid_until, None);
    }
}
