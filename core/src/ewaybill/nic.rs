//! NIC's GENEWAYBILL JSON (EWB API v1.03) and the lossless mapping to and from the canonical
//! e-way bill.
//!
//! The payload is flat, with NIC's own spellings (`subSupplyDesc`, `fromTrdName`, `totInvValue`,
//! `cessNonadvol` with a lower-case `a`). Encodings follow NIC's samples: dates `dd/mm/yyyy`,
//! state codes as numbers (`fromStateCode: 29`), `transDistance` as a string (`"100"`),
//! `hsnCode` as a number when it is digits without a leading zero, amounts as JSON numbers.
//! [`to_nic`] and [`from_nic`] convert field by field; `from_nic(to_nic(x)) == x` for every bill,
//! which the tests check on every fixture in `tests/vectors/ewaybill/`.
//!
//! On input NIC's variations are accepted: numbers sent as strings and strings as numbers, and the
//! `cessNonAdvol` spelling some clients send (it is written back as NIC's `cessNonadvol`).

use crate::wire::nic_struct;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::codec;
use super::model::*;
use super::NicAction;
use crate::transport::{TransportMode, VehicleType};
use crate::wire;

nic_struct!(
    /// An e-way bill in NIC's GENEWAYBILL JSON (the plaintext `data` of the request).
    NicEWayBill {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user_gstin: Option<String> = "userGstin",
        supply_type: SupplyType = "supplyType",
        sub_supply_type: SubSupplyType = "subSupplyType",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sub_supply_desc: Option<String> = "subSupplyDesc",
        doc_type: DocumentType = "docType",
        doc_no: String = "docNo",
        #[serde(with = "wire::nic_date")]
        doc_date: NaiveDate = "docDate",
        from_gstin: String = "fromGstin",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from_trd_name: Option<String> = "fromTrdName",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from_addr1: Option<String> = "fromAddr1",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from_addr2: Option<String> = "fromAddr2",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from_place: Option<String> = "fromPlace",
        #[serde(with = "wire::unsigned")]
        from_pincode: u32 = "fromPincode",
        #[serde(with = "wire::state_code::numeric")]
        from_state_code: String = "fromStateCode",
        #[serde(with = "wire::state_code::numeric")]
        act_from_state_code: String = "actFromStateCode",
        to_gstin: String = "toGstin",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_trd_name: Option<String> = "toTrdName",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_addr1: Option<String> = "toAddr1",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_addr2: Option<String> = "toAddr2",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_place: Option<String> = "toPlace",
        #[serde(with = "wire::unsigned")]
        to_pincode: u32 = "toPincode",
        #[serde(with = "wire::state_code::numeric")]
        to_state_code: String = "toStateCode",
        #[serde(with = "wire::state_code::numeric")]
        act_to_state_code: String = "actToStateCode",
        transaction_type: TransactionType = "transactionType",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other_value: Option<Decimal> = "otherValue",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        total_value: Option<Decimal> = "totalValue",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cgst_value: Option<Decimal> = "cgstValue",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sgst_value: Option<Decimal> = "sgstValue",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        igst_value: Option<Decimal> = "igstValue",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cess_value: Option<Decimal> = "cessValue",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cess_non_advol_value: Option<Decimal> = "cessNonAdvolValue",
        tot_inv_value: Decimal = "totInvValue",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        transporter_id: Option<String> = "transporterId",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        transporter_name: Option<String> = "transporterName",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trans_doc_no: Option<String> = "transDocNo",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trans_mode: Option<TransportMode> = "transMode",
        #[serde(with = "codec::distance_text")]
        trans_distance: u32 = "transDistance",
        #[serde(default, with = "codec::nic_date_opt", skip_serializing_if = "Option::is_none")]
        trans_doc_date: Option<NaiveDate> = "transDocDate",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        vehicle_no: Option<String> = "vehicleNo",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        vehicle_type: Option<VehicleType> = "vehicleType",
        #[serde(default, with = "codec::hsn_nic::option", skip_serializing_if = "Option::is_none")]
        main_hsn_code: Option<String> = "mainHsnCode",
        item_list: Vec<NicEwbItem> = "itemList",
    }
);

nic_struct!(
    /// NIC `itemList[]` of GENEWAYBILL.
    NicEwbItem {
        #[serde(default, with = "wire::unsigned::option", skip_serializing_if = "Option::is_none")]
        item_no: Option<u32> = "itemNo",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        product_name: Option<String> = "productName",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        product_desc: Option<String> = "productDesc",
        #[serde(with = "codec::hsn_nic")]
        hsn_code: String = "hsnCode",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        quantity: Option<Decimal> = "quantity",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        qty_unit: Option<String> = "qtyUnit",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cgst_rate: Option<Decimal> = "cgstRate",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sgst_rate: Option<Decimal> = "sgstRate",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        igst_rate: Option<Decimal> = "igstRate",
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cess_rate: Option<Decimal> = "cessRate",
        #[serde(alias = "cessNonAdvol", default, skip_serializing_if = "Option::is_none")]
        cess_nonadvol: Option<Decimal> = "cessNonadvol",
        taxable_amount: Decimal = "taxableAmount",
    }
);

impl NicAction for NicEWayBill {
    const ACTION: &'static str = "GENEWAYBILL";
}

/// Maps a canonical e-way bill to NIC's GENEWAYBILL shape.
pub fn to_nic(ewb: &EWayBill) -> NicEWayBill {
    let d = &ewb.document_details;
    let f = &ewb.from;
    let t = &ewb.to;
    let v = &ewb.value_details;
    let tr = &ewb.transport;
    NicEWayBill {
        user_gstin: ewb.user_gstin.clone(),
        supply_type: ewb.supply_type,
        sub_supply_type: ewb.sub_supply_type,
        sub_supply_desc: ewb.sub_supply_description.clone(),
        doc_type: d.document_type,
        doc_no: d.number.clone(),
        doc_date: d.date,
        from_gstin: f.gstin.clone(),
        from_trd_name: f.trade_name.clone(),
        from_addr1: f.address1.clone(),
        from_addr2: f.address2.clone(),
        from_place: f.place.clone(),
        from_pincode: f.pincode,
        from_state_code: f.state_code.clone(),
        act_from_state_code: f.actual_state_code.clone(),
        to_gstin: t.gstin.clone(),
        to_trd_name: t.trade_name.clone(),
        to_addr1: t.address1.clone(),
        to_addr2: t.address2.clone(),
        to_place: t.place.clone(),
        to_pincode: t.pincode,
        to_state_code: t.state_code.clone(),
        act_to_state_code: t.actual_state_code.clone(),
        transaction_type: ewb.transaction_type,
        other_value: v.other_value,
        total_value: v.total_value,
        cgst_value: v.cgst_value,
        sgst_value: v.sgst_value,
        igst_value: v.igst_value,
        cess_value: v.cess_value,
        cess_non_advol_value: v.cess_non_advol_value,
        tot_inv_value: v.total_invoice_value,
        transporter_id: tr.transporter_id.clone(),
        transporter_name: tr.transporter_name.clone(),
        trans_doc_no: tr.document_number.clone(),
        trans_mode: tr.mode,
        trans_distance: tr.distance,
        trans_doc_date: tr.document_date,
        vehicle_no: tr.vehicle_number.clone(),
        vehicle_type: tr.vehicle_type,
        main_hsn_code: ewb.main_hsn_code.clone(),
        item_list: ewb.items.iter().map(item_to_nic).collect(),
    }
}

fn item_to_nic(i: &Item) -> NicEwbItem {
    NicEwbItem {
        item_no: i.item_number,
        product_name: i.product_name.clone(),
        product_desc: i.product_description.clone(),
        hsn_code: i.hsn_code.clone(),
        quantity: i.quantity,
        qty_unit: i.unit.clone(),
        cgst_rate: i.cgst_rate,
        sgst_rate: i.sgst_rate,
        igst_rate: i.igst_rate,
        cess_rate: i.cess_rate,
        cess_nonadvol: i.cess_non_advol,
        taxable_amount: i.taxable_amount,
    }
}

/// Maps NIC's GENEWAYBILL shape to the canonical e-way bill.
pub fn from_nic(n: NicEWayBill) -> EWayBill {
    EWayBill {
        user_gstin: n.user_gstin,
        document_details: DocumentDetails {
            document_type: n.doc_type,
            number: n.doc_no,
            date: n.doc_date,
        },
        supply_type: n.supply_type,
        sub_supply_type: n.sub_supply_type,
        sub_supply_description: n.sub_supply_desc,
        transaction_type: n.transaction_type,
        from: Party {
            gstin: n.from_gstin,
            trade_name: n.from_trd_name,
            address1: n.from_addr1,
            address2: n.from_addr2,
            place: n.from_place,
            pincode: n.from_pincode,
            state_code: n.from_state_code,
            actual_state_code: n.act_from_state_code,
        },
        to: Party {
            gstin: n.to_gstin,
            trade_name: n.to_trd_name,
            address1: n.to_addr1,
            address2: n.to_addr2,
            place: n.to_place,
            pincode: n.to_pincode,
            state_code: n.to_state_code,
            actual_state_code: n.act_to_state_code,
        },
        items: n.item_list.into_iter().map(item_from_nic).collect(),
        value_details: ValueDetails {
            total_value: n.total_value,
            cgst_value: n.cgst_value,
            sgst_value: n.sgst_value,
            igst_value: n.igst_value,
            cess_value: n.cess_value,
            cess_non_advol_value: n.cess_non_advol_value,
            other_value: n.other_value,
            total_invoice_value: n.tot_inv_value,
        },
        transport: Transport {
            transporter_id: n.transporter_id,
            transporter_name: n.transporter_name,
            mode: n.trans_mode,
            distance: n.trans_distance,
            document_number: n.trans_doc_no,
            document_date: n.trans_doc_date,
            vehicle_number: n.vehicle_no,
            vehicle_type: n.vehicle_type,
        },
        main_hsn_code: n.main_hsn_code,
    }
}

fn item_from_nic(i: NicEwbItem) -> Item {
    Item {
        item_number: i.item_no,
        product_name: i.product_name,
        product_description: i.product_desc,
        hsn_code: i.hsn_code,
        quantity: i.quantity,
        unit: i.qty_unit,
        taxable_amount: i.taxable_amount,
        cgst_rate: i.cgst_rate,
        sgst_rate: i.sgst_rate,
        igst_rate: i.igst_rate,
        cess_rate: i.cess_rate,
        cess_non_advol: i.cess_nonadvol,
    }
}

impl From<&EWayBill> for NicEWayBill {
    fn from(ewb: &EWayBill) -> Self {
        to_nic(ewb)
    }
}

impl From<NicEWayBill> for EWayBill {
    fn from(n: NicEWayBill) -> Self {
        from_nic(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nic_json() -> serde_json::Value {
        serde_json::from_str(
            r#"{
                "supplyType": "O", "subSupplyType": "1", "docType": "INV", "docNo": "A/1",
                "docDate": "05/10/2022", "fromGstin": "29AAACG2115R1ZN", "fromPincode": "560001",
                "fromStateCode": "29", "actFromStateCode": 29, "toGstin": "URP",
                "toPincode": 560002, "toStateCode": 29, "actToStateCode": 29,
                "transactionType": 1, "totInvValue": 118.00, "transDistance": 10,
                "transMode": 1, "transDocDate": "", "transDocNo": null,
                "itemList": [{"hsnCode": "0402", "taxableAmount": 100.00, "cessNonAdvol": 0}]
            }"#,
        )
        .unwrap()
    }

    #[test]
    fn reads_nic_variants_and_writes_nic_forms() {
        let n: NicEWayBill = serde_json::from_value(nic_json()).unwrap();
        let ewb = from_nic(n);
        assert_eq!(ewb.transport.distance, 10);
        assert_eq!(ewb.transport.document_date, None);
        assert_eq!(ewb.transport.document_number, None);
        assert_eq!(ewb.from.pincode, 560001);
        assert_eq!(ewb.items[0].cess_non_advol, Some(Decimal::ZERO));
        let out = serde_json::to_value(to_nic(&ewb)).unwrap();
        assert_eq!(out["transDistance"], json!("10"));
        assert_eq!(out["fromStateCode"], json!(29));
        assert_eq!(out["subSupplyType"], json!(1));
        assert_eq!(out["transMode"], json!("1"));
        // A leading zero would be lost in a number, so it stays a string.
        assert_eq!(out["itemList"][0]["hsnCode"], json!("0402"));
        assert_eq!(out["itemList"][0]["cessNonadvol"].to_string(), "0");
        assert!(out["itemList"][0].get("cessNonAdvol").is_none());
        assert!(out.get("transDocDate").is_none());
        assert_eq!(from_nic(serde_json::from_value(out).unwrap()), ewb);
    }

    #[test]
    fn refuses_unknown_nic_fields() {
        let mut v = nic_json();
        v["ewbNo"] = json!(301002999920u64);
        assert!(serde_json::from_value::<NicEWayBill>(v).is_err());
    }
}
