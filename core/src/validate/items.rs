//! The item list of an e-invoice: how many (2173, 2228), unique serial numbers (2233), HSN codes
//! (2176 and the 6-digit rule by turnover), quantity and unit for goods (2238, 2239, 2177) and the
//! GST rate (2240) (nic-rules A.2, B.1, B.2, B.5).

use std::collections::HashSet;

use super::common::{hsn_rules, is_service_hsn};
use super::options::ValidationOptions;
use crate::einvoice::model::EInvoice;
use crate::finding::Finding;
use crate::masters;

/// Up to this many items, duplicate serial numbers are found by direct comparison.
const SMALL: usize = 32;

/// Runs the item rules of an e-invoice.
pub(super) fn check(inv: &EInvoice, options: &ValidationOptions, out: &mut Vec<Finding>) {
    let items = &inv.items;
    if items.is_empty() {
        out.push(
            Finding::error(
                "/items",
                "items.empty",
                "the item list (ItemList) is empty; at least one item is required",
            )
            .with_nic_code("2228"),
        );
    } else if items.len() > options.max_items {
        out.push(
            Finding::error(
                "/items",
                "items.too_many",
                format!(
                    "the item list (ItemList) has {} items; at most {} are allowed",
                    items.len(),
                    options.max_items
                ),
            )
            .with_nic_code("2173"),
        );
    }

    // A hash set pays off only on long documents; short ones compare directly.
    let mut serials: Option<HashSet<&str>> =
        (items.len() > SMALL).then(|| HashSet::with_capacity(items.len()));
    for (i, item) in items.iter().enumerate() {
        let sl = &item.serial_number;
        let duplicate = match &mut serials {
            Some(set) => !set.insert(sl.as_str()),
            None => items[..i].iter().any(|other| other.serial_number == *sl),
        };
        if duplicate {
            out.push(
                Finding::error(
                    format!("/items/{i}/serialNumber"),
                    "item.duplicate_serial",
                    format!("item serial number (SlNo) `{sl}` is used by an earlier item; serial numbers must be unique"),
                )
                .with_nic_code("2233"),
            );
        }

        let at = || {
            (
                format!("/items/{i}/hsnCode"),
                format!("item {sl}: HSN code (HsnCd)"),
            )
        };
        if hsn_rules(&item.hsn_code, at, Some("2176"), Some("2176"), options, out) {
            // A SAC code (chapter 99) is a service and nothing else is: IsServc must agree
            // (nic-rules A.3.4). NIC's code for this is not known, so it warns.
            let sac = is_service_hsn(&item.hsn_code);
            if sac != item.is_service {
                let (flag, kind) = if item.is_service {
                    ("Y", "a goods HSN")
                } else {
                    ("N", "a services (SAC, chapter 99) code")
                };
                out.push(Finding::warning(
                    format!("/items/{i}/isService"),
                    "item.service_flag_mismatch",
                    format!(
                        "item {sl}: is-service (IsServc) is `{flag}` but HSN code `{}` is {kind}",
                        item.hsn_code
                    ),
                ));
            }
        }

        if !item.is_service {
            if item.quantity.is_none() {
                out.push(
                    Finding::error(
                        format!("/items/{i}/quantity"),
                        "item.quantity_required",
                        format!("item {sl}: quantity (Qty) is missing; goods need a quantity"),
                    )
                    .with_nic_code("2238"),
                );
            }
            if item.unit.is_none() {
                out.push(
                    Finding::error(
                        format!("/items/{i}/unit"),
                        "item.unit_required",
                        format!("item {sl}: unit (Unit) is missing; goods need a UQC unit"),
                    )
                    .with_nic_code("2239"),
                );
            }
        }
        if let Some(unit) = &item.unit {
            if masters::unit(unit).is_none() {
                out.push(
                    Finding::error(
                        format!("/items/{i}/unit"),
                        "item.unit_unknown",
                        format!("item {sl}: unit (Unit) `{unit}` is not a UQC code of NIC's unit master"),
                    )
                    .with_nic_code("2177"),
                );
            }
        }

        if !masters::is_allowed_gst_rate(item.gst_rate, options.gst_rates.as_deref()) {
            out.push(
                Finding::error(
                    format!("/items/{i}/gstRate"),
                    "item.gst_rate",
                    format!(
                        "item {sl}: GST rate (GstRt) {} is not in the allowed rate list",
                        item.gst_rate
                    ),
                )
                .with_nic_code("2240"),
            );
        }
    }
}
