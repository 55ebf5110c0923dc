//! The rules of an e-way bill (nic-rules C.1-C.4, C.10): parties, states and PINs, the document
//! number and date (819, 820), the goods (233, 724, 282/283), the Part-B (221, 702, 721, 303,
//! 394, 385, 634, 726, 362, 619) and the value threshold of Rule 138(1).

use chrono::NaiveDate;

use super::common::{
    gstin_at, hsn_rules, is_service_hsn, not_negative, pin_in_state, same_state, state_known,
    StateUse,
};
use super::document::number_problem;
use super::options::ValidationOptions;
use super::transport::{self, Keys, PartB, System};
use crate::calendar::ist_date;
use crate::ewaybill::model::{EWayBill, Party, SubSupplyType, TransactionType};
use crate::finding::Finding;
use crate::masters;

const KEYS: Keys = Keys {
    base: "/transport",
    transporter_id: "transporterId",
    distance: "distance",
    document_number: "documentNumber",
    document_date: "documentDate",
    vehicle_number: "vehicleNumber",
    vehicle_type: "vehicleType",
};

/// The first date an e-way bill document may have: GST began on 01/07/2017 (819).
fn gst_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2017, 7, 1).unwrap_or_default()
}

/// How old a document may be when its e-way bill is generated, in days (820, from 01-01-2025,
/// nic-rules C.1): a document more than 180 days old is refused.
const MAX_DOCUMENT_AGE_DAYS: i64 = 180;

/// Runs the rules of an e-way bill.
pub(super) fn check(ewb: &EWayBill, options: &ValidationOptions, out: &mut Vec<Finding>) {
    if let Some(user) = &ewb.user_gstin {
        gstin_at("/userGstin", "user GSTIN (userGstin)", user, options, out);
    }

    let d = &ewb.document_details;
    if let Some(problem) = number_problem(&d.number, false) {
        out.push(Finding::error(
            "/documentDetails/number",
            "document.number_format",
            format!("document number (docNo) `{}` {problem}", d.number),
        ));
    }
    if d.date < gst_start() {
        out.push(
            Finding::error(
                "/documentDetails/date",
                "document.date_before_gst",
                format!(
                    "document date (docDate) {} is before 01-07-2017, the start of GST",
                    d.date
                ),
            )
            .with_nic_code("819"),
        );
    }
    if let Some(now) = &options.now {
        let today = ist_date(now);
        if d.date > today {
            out.push(Finding::error(
                "/documentDetails/date",
                "document.date_future",
                format!(
                    "document date (docDate) {} is after today ({today}, IST)",
                    d.date
                ),
            ));
        } else {
            let age = (today - d.date).num_days();
            if age > MAX_DOCUMENT_AGE_DAYS {
                out.push(
                    Finding::error(
                        "/documentDetails/date",
                        "document.date_too_old",
                        format!(
                            "document date (docDate) {} is {age} days before today ({today}, IST); \
                             an e-way bill cannot be generated for a document more than \
                             {MAX_DOCUMENT_AGE_DAYS} days old",
                            d.date
                        ),
                    )
                    .with_nic_code("820"),
                );
            }
        }
    }

    if ewb.sub_supply_type == SubSupplyType::Others
        && ewb
            .sub_supply_description
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
    {
        out.push(
            Finding::error(
                "/subSupplyDescription",
                "ewb.sub_supply_description_required",
                "sub-supply description (subSupplyDesc) is missing; sub-supply type 8 (Others) \
                 needs one",
            )
            .with_nic_code("377"),
        );
    }

    party("from", "consignor", &ewb.from, options, out);
    party("to", "consignee", &ewb.to, options, out);
    if ewb.transaction_type == TransactionType::Regular {
        for (side, who, p, nic) in [
            ("from", "bill-from", &ewb.from, "643"),
            ("to", "bill-to", &ewb.to, "644"),
        ] {
            if !same_state(&p.state_code, &p.actual_state_code) {
                out.push(
                    Finding::error(
                        format!("/{side}/actualStateCode"),
                        "ewb.regular_state_mismatch",
                        format!(
                            "{who} state `{}` differs from the actual state `{}`, which a Regular \
                             transaction (transactionType 1) does not allow; use a bill-to/ship-to \
                             or bill-from/dispatch-from type",
                            p.state_code, p.actual_state_code
                        ),
                    )
                    .with_nic_code(nic),
                );
            }
        }
    }

    items(ewb, options, out);

    let v = &ewb.value_details;
    for (key, name, value) in [
        ("totalValue", "total value (totalValue)", v.total_value),
        ("cgstValue", "CGST value (cgstValue)", v.cgst_value),
        ("sgstValue", "SGST value (sgstValue)", v.sgst_value),
        ("igstValue", "IGST value (igstValue)", v.igst_value),
        ("cessValue", "cess value (cessValue)", v.cess_value),
        (
            "cessNonAdvolValue",
            "non-advol cess value (cessNonAdvolValue)",
            v.cess_non_advol_value,
        ),
        (
            "totalInvoiceValue",
            "total invoice value (totInvValue)",
            Some(v.total_invoice_value),
        ),
    ] {
        not_negative(
            value,
            || (format!("/valueDetails/{key}"), name.to_owned()),
            out,
        );
    }
    if v.total_invoice_value < options.ewaybill_value_threshold {
        out.push(Finding::warning(
            "/valueDetails/totalInvoiceValue",
            "ewb.below_threshold",
            format!(
                "total invoice value (totInvValue) {} is below {} rupees, from which an e-way \
                 bill is required (Rule 138(1)); it may still be generated, and some movements \
                 (inter-state job work) need one at any value",
                v.total_invoice_value, options.ewaybill_value_threshold
            ),
        ));
    }

    let t = &ewb.transport;
    let part_b = PartB {
        transporter_id: t.transporter_id.as_deref(),
        mode: t.mode,
        distance: t.distance,
        document_number: t.document_number.as_deref(),
        document_date: t.document_date,
        vehicle_number: t.vehicle_number.as_deref(),
        vehicle_type: t.vehicle_type,
        from_pin: Some(ewb.from.pincode),
        to_pin: Some(ewb.to.pincode),
        document_date_of_supply: d.date,
    };
    transport::check(System::Ewb, &KEYS, &part_b, options, out);
}

/// The PIN of an address outside India (nic-rules B.4, C.10).
const FOREIGN_PIN: u32 = 999_999;

/// A consignor or consignee: GSTIN or URP, state codes, and the PIN of the place goods leave from
/// or arrive at against the actual (dispatch / ship-to) state.
fn party(side: &str, who: &str, p: &Party, options: &ValidationOptions, out: &mut Vec<Finding>) {
    if p.gstin != "URP" {
        gstin_at(
            &format!("/{side}/gstin"),
            &format!("{who} GSTIN ({side}Gstin)"),
            &p.gstin,
            options,
            out,
        );
    }
    let bill_state_known = state_known(
        &format!("/{side}/stateCode"),
        &format!("{who} state code ({side}StateCode)"),
        &p.state_code,
        StateUse::WayBill,
        None,
        out,
    );
    let act = if side == "from" {
        "actFromStateCode"
    } else {
        "actToStateCode"
    };
    let actual_state_known = state_known(
        &format!("/{side}/actualStateCode"),
        &format!("{who} actual state code ({act})"),
        &p.actual_state_code,
        StateUse::WayBill,
        None,
        out,
    );
    // A party abroad (bill state 96 or 99) has the foreign PIN 999999 while its goods leave from or
    // arrive at a port in India (actual state), as in NIC's import and export samples (373-376).
    let abroad = bill_state_known
        && masters::state(&p.state_code)
            .is_some_and(|s| s.kind == masters::StateKind::OutsideIndia);
    if actual_state_known && !(abroad && p.pincode == FOREIGN_PIN) {
        // 99 is the e-way bill system's "other country"; the PIN master lists 999999 under 96.
        let state = if same_state(&p.actual_state_code, "99") {
            "96"
        } else {
            p.actual_state_code.as_str()
        };
        pin_in_state(
            &format!("/{side}/pincode"),
            &format!("{who} PIN code ({side}Pincode)"),
            p.pincode,
            state,
            None,
            options,
            out,
        );
    }
}

fn items(ewb: &EWayBill, options: &ValidationOptions, out: &mut Vec<Finding>) {
    if ewb.items.is_empty() {
        out.push(
            Finding::error(
                "/items",
                "items.empty",
                "the item list (itemList) is empty; at least one item is required",
            )
            .with_nic_code("233"),
        );
        return;
    }
    let mut goods = false;
    for (i, item) in ewb.items.iter().enumerate() {
        let n = i + 1;
        if hsn_rules(
            &item.hsn_code,
            || {
                (
                    format!("/items/{i}/hsnCode"),
                    format!("item {n}: HSN code (hsnCode)"),
                )
            },
            None,
            Some("283"),
            options,
            out,
        ) && !is_service_hsn(&item.hsn_code)
        {
            goods = true;
        }
        if let Some(unit) = &item.unit {
            if masters::unit(unit).is_none() {
                out.push(Finding::error(
                    format!("/items/{i}/unit"),
                    "item.unit_unknown",
                    format!(
                        "item {n}: unit (qtyUnit) `{unit}` is not a UQC code of NIC's unit master"
                    ),
                ));
            }
        }
        for (key, name, value) in [
            ("quantity", "quantity", item.quantity),
            (
                "taxableAmount",
                "taxable amount (taxableAmount)",
                Some(item.taxable_amount),
            ),
            ("cgstRate", "CGST rate (cgstRate)", item.cgst_rate),
            ("sgstRate", "SGST rate (sgstRate)", item.sgst_rate),
            ("igstRate", "IGST rate (igstRate)", item.igst_rate),
            ("cessRate", "cess rate (cessRate)", item.cess_rate),
            (
                "cessNonAdvol",
                "non-advol cess (cessNonadvol)",
                item.cess_non_advol,
            ),
        ] {
            not_negative(
                value,
                || (format!("/items/{i}/{key}"), format!("item {n}: {name}")),
                out,
            );
        }
    }
    // Services move no goods: at least one line must be goods (724). Lines with a malformed HSN
    // are reported as such and do not count either way.
    let any_well_formed = ewb
        .items
        .iter()
        .any(|it| super::common::hsn_well_formed(&it.hsn_code));
    if !goods && any_well_formed {
        out.push(
            Finding::error(
                "/items",
                "ewb.goods_required",
                "every item has a services (SAC, chapter 99) code; an e-way bill needs at least one \
                 item of goods",
            )
            .with_nic_code("724"),
        );
    }
}
