//! An e-invoice's `EwbDtls`: the e-way bill the IRP generates with the IRN (nic-rules C.12). Only
//! tax invoices with goods qualify (2251, 2252); the Part-B rules are those of every e-way bill.

use super::common::is_service_hsn;
use super::options::ValidationOptions;
use super::transport::{self, Keys, PartB, System};
use crate::einvoice::model::{DocumentType, EInvoice};
use crate::finding::Finding;

const KEYS: Keys = Keys {
    base: "/eWayBillDetails",
    transporter_id: "transporterId",
    distance: "distance",
    document_number: "transportDocumentNumber",
    document_date: "transportDocumentDate",
    vehicle_number: "vehicleNumber",
    vehicle_type: "vehicleType",
};

/// Runs the e-way bill rules of an e-invoice that asks for one.
pub(super) fn check(inv: &EInvoice, options: &ValidationOptions, out: &mut Vec<Finding>) {
    let Some(e) = &inv.e_way_bill_details else {
        return;
    };
    let doc_type = inv.document_details.document_type;
    if doc_type != DocumentType::Invoice {
        out.push(
            Finding::error(
                "/eWayBillDetails",
                "ewb.not_for_notes",
                format!(
                    "e-way bill details (EwbDtls) are given on a {}; an e-way bill with the IRN is \
                     generated for tax invoices only",
                    doc_type.code()
                ),
            )
            .with_nic_code("2252"),
        );
    }
    if !inv.items.is_empty()
        && inv
            .items
            .iter()
            .all(|it| it.is_service || is_service_hsn(&it.hsn_code))
    {
        out.push(
            Finding::error(
                "/eWayBillDetails",
                "ewb.goods_required",
                "e-way bill details (EwbDtls) are given but every item is a service; an e-way bill \
                 needs at least one item of goods (an HSN outside chapter 99)",
            )
            .with_nic_code("2251"),
        );
    }
    let from_pin = inv
        .dispatch_from
        .as_ref()
        .map_or(Some(inv.seller.pincode), |d| Some(d.pincode));
    let to_pin = match &inv.ship_to {
        Some(s) => Some(s.pincode),
        None => inv.buyer.pincode,
    };
    let part_b = PartB {
        transporter_id: e.transporter_id.as_deref(),
        mode: e.transport_mode,
        distance: e.distance,
        document_number: e.transport_document_number.as_deref(),
        document_date: e.transport_document_date,
        vehicle_number: e.vehicle_number.as_deref(),
        vehicle_type: e.vehicle_type,
        from_pin,
        to_pin,
        document_date_of_supply: inv.document_details.date,
    };
    transport::check(System::Irp, &KEYS, &part_b, options, out);
}
