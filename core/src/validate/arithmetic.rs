//! NIC's arithmetic (nic-rules B.2), recomputed with exact decimals: item values (2193, 2192,
//! 2194), item taxes against the rate (2179, 2234, 2235, 2266, 2267), document sums (2182-2187,
//! 2264), the invoice total (2189), the round-off range, discount against total (2220), and no
//! negative amounts.
//!
//! Tolerances: the invoice total is +/- 1 (official, 2189); item taxes use the configurable
//! tolerance (peer practice, default +/- 1); `TotAmt = Qty x UnitPrice` uses it too, as a warning
//! only, since NIC has "temporarily withdrawn" 2192; every other sum is exact ("must be equal").

use rust_decimal::Decimal;

use super::common::{differs, not_negative, nz, percent_of, sum};
use super::options::ValidationOptions;
use super::supply::{regime, Regime};
use crate::einvoice::model::{DocumentType, EInvoice, Item, SupplyType, ValueDetails};
use crate::finding::Finding;

mod fixed;

/// The largest round-off NIC accepts either way (`RndOffAmt`, nic-rules B.2).
const MAX_ROUND_OFF: Decimal = Decimal::from_parts(9999, 0, 0, false, 2);

/// Runs the arithmetic rules of an e-invoice.
pub(super) fn check(inv: &EInvoice, options: &ValidationOptions, out: &mut Vec<Finding>) {
    let regime = regime(inv);
    let sup = inv.transaction_details.supply_type;
    let note = matches!(
        inv.document_details.document_type,
        DocumentType::CreditNote | DocumentType::DebitNote
    );
    // With reverse charge and exports with payment, NIC accepts a line total with or without the
    // tax (nic-rules B.2; india-compliance sends the taxable value for reverse charge).
    let total_may_exclude_tax = inv.transaction_details.reverse_charge == Some(true)
        || sup == SupplyType::ExportWithPayment;
    let zero_rated_without_payment = matches!(
        sup,
        SupplyType::ExportWithoutPayment | SupplyType::SezWithoutPayment
    );
    let intra_state = regime == Regime::IntraState;
    let tolerance = fixed::units(options.item_tax_tolerance);

    // The item sums of the document totals, kept while every line is in the shortcut's range.
    let mut sums = Some(fixed::Sums::default());
    for (i, item) in inv.items.iter().enumerate() {
        negatives(i, item, out);
        let line = fixed::Line::of(item);
        match (&line, &mut sums) {
            (Some(line), Some(sums)) => sums.add(line),
            _ => sums = None,
        }
        // The shortcut says only "nothing to report"; otherwise the Decimal rules decide and word
        // the findings.
        let shortcut = line.zip(tolerance);
        if !shortcut.is_some_and(|(l, tol)| l.values_clean(total_may_exclude_tax, tol)) {
            item_values(i, item, total_may_exclude_tax, options, out);
        }
        if !note
            && !shortcut
                .is_some_and(|(l, tol)| l.taxes_clean(zero_rated_without_payment, intra_state, tol))
        {
            item_taxes(i, item, sup, regime, options, out);
        }
    }
    document_sums(inv, sums, options, out);
}

/// The amounts of an item that may not be negative: JSON key, name in messages, value.
type ItemAmount = (&'static str, &'static str, fn(&Item) -> Option<Decimal>);

/// A table rather than an array of values built per line: most lines have nothing negative, and
/// reading a field through its getter costs less than copying all nineteen first.
static ITEM_AMOUNTS: [ItemAmount; 19] = [
    ("quantity", "quantity (Qty)", |it| it.quantity),
    ("freeQuantity", "free quantity (FreeQty)", |it| {
        it.free_quantity
    }),
    ("unitPrice", "unit price (UnitPrice)", |it| {
        Some(it.unit_price)
    }),
    ("totalAmount", "total amount (TotAmt)", |it| {
        Some(it.total_amount)
    }),
    ("discount", "discount (Discount)", |it| it.discount),
    ("preTaxValue", "pre-tax value (PreTaxVal)", |it| {
        it.pre_tax_value
    }),
    ("assessableAmount", "assessable amount (AssAmt)", |it| {
        Some(it.assessable_amount)
    }),
    ("gstRate", "GST rate (GstRt)", |it| Some(it.gst_rate)),
    ("igstAmount", "IGST (IgstAmt)", |it| it.igst_amount),
    ("cgstAmount", "CGST (CgstAmt)", |it| it.cgst_amount),
    ("sgstAmount", "SGST (SgstAmt)", |it| it.sgst_amount),
    ("cessRate", "cess rate (CesRt)", |it| it.cess_rate),
    ("cessAmount", "cess (CesAmt)", |it| it.cess_amount),
    (
        "cessNonAdvolAmount",
        "non-advol cess (CesNonAdvlAmt)",
        |it| it.cess_non_advol_amount,
    ),
    ("stateCessRate", "state cess rate (StateCesRt)", |it| {
        it.state_cess_rate
    }),
    ("stateCessAmount", "state cess (StateCesAmt)", |it| {
        it.state_cess_amount
    }),
    (
        "stateCessNonAdvolAmount",
        "state non-advol cess (StateCesNonAdvlAmt)",
        |it| it.state_cess_non_advol_amount,
    ),
    ("otherCharges", "other charges (OthChrg)", |it| {
        it.other_charges
    }),
    ("totalItemValue", "total item value (TotItemVal)", |it| {
        Some(it.total_item_value)
    }),
];

fn negatives(i: usize, item: &Item, out: &mut Vec<Finding>) {
    if !any_negative(item) {
        return;
    }
    let sl = &item.serial_number;
    for (key, name, get) in &ITEM_AMOUNTS {
        not_negative(
            get(item),
            || (format!("/items/{i}/{key}"), format!("item {sl}: {name}")),
            out,
        );
    }
}

fn item_values(
    i: usize,
    item: &Item,
    total_may_exclude_tax: bool,
    options: &ValidationOptions,
    out: &mut Vec<Finding>,
) {
    let sl = &item.serial_number;
    // 2193: AssAmt = TotAmt - Discount, exactly.
    if let Some(expected) = item.total_amount.checked_sub(nz(item.discount)) {
        if item.assessable_amount != expected {
            out.push(
                Finding::error(
                    format!("/items/{i}/assessableAmount"),
                    "item.assessable_amount",
                    format!(
                        "item {sl}: assessable amount (AssAmt) {} is not total amount (TotAmt) {} \
                         minus discount (Discount) {} = {expected}",
                        item.assessable_amount,
                        item.total_amount,
                        nz(item.discount)
                    ),
                )
                .with_nic_code("2193"),
            );
        }
    }

    // 2192: TotAmt = Qty x UnitPrice. NIC withdrew it "temporarily", so it warns.
    if let Some(qty) = item.quantity {
        if let Some(gross) = qty.checked_mul(item.unit_price) {
            if differs(item.total_amount, gross, options.item_tax_tolerance) {
                out.push(
                    Finding::warning(
                        format!("/items/{i}/totalAmount"),
                        "item.total_amount",
                        format!(
                            "item {sl}: total amount (TotAmt) {} is not quantity (Qty) {qty} x unit \
                             price (UnitPrice) {} = {gross} (NIC has temporarily withdrawn this \
                             check)",
                            item.total_amount, item.unit_price
                        ),
                    )
                    .with_nic_code("2192"),
                );
            }
        }
    }

    // 2194: TotItemVal = AssAmt + every tax and charge of the line, exactly.
    let gst = sum([
        nz(item.igst_amount),
        nz(item.cgst_amount),
        nz(item.sgst_amount),
    ]);
    let rest = sum([
        item.assessable_amount,
        nz(item.cess_amount),
        nz(item.cess_non_advol_amount),
        nz(item.state_cess_amount),
        nz(item.state_cess_non_advol_amount),
        nz(item.other_charges),
    ]);
    if let (Some(gst), Some(rest)) = (gst, rest) {
        if let Some(with_tax) = rest.checked_add(gst) {
            let ok = item.total_item_value == with_tax
                || (total_may_exclude_tax && item.total_item_value == rest);
            if !ok {
                let alternative = if total_may_exclude_tax {
                    format!(" (or {rest} without GST, for reverse charge or export with payment)")
                } else {
                    String::new()
                };
                out.push(
                    Finding::error(
                        format!("/items/{i}/totalItemValue"),
                        "item.total_item_value",
                        format!(
                            "item {sl}: total item value (TotItemVal) {} is not assessable amount \
                             + IGST + CGST + SGST + cess + state cess + other charges = \
                             {with_tax}{alternative}",
                            item.total_item_value
                        ),
                    )
                    .with_nic_code("2194"),
                );
            }
        }
    }
}

fn item_taxes(
    i: usize,
    item: &Item,
    sup: SupplyType,
    regime: Regime,
    options: &ValidationOptions,
    out: &mut Vec<Finding>,
) {
    let sl = &item.serial_number;
    let tol = options.item_tax_tolerance;
    let (igst, cgst, sgst) = (
        nz(item.igst_amount),
        nz(item.cgst_amount),
        nz(item.sgst_amount),
    );
    let zero_rated_without_payment = matches!(
        sup,
        SupplyType::ExportWithoutPayment | SupplyType::SezWithoutPayment
    );
    let no_gst = igst.is_zero() && cgst.is_zero() && sgst.is_zero();
    // "EXPWOP and SEZWOP: the passed IGST is not validated if it is 0" (nic-rules B.2).
    if !(zero_rated_without_payment && no_gst) {
        if let Some(expected) = percent_of(item.assessable_amount, item.gst_rate) {
            let igst_charged = !igst.is_zero();
            let cgst_sgst_charged = !cgst.is_zero() || !sgst.is_zero();
            let split_halves = match (igst_charged, cgst_sgst_charged) {
                (true, false) => false,
                (false, true) => true,
                (true, true) => {
                    // Both kinds charged: the split is already reported; the sum must still be
                    // the tax at the rate.
                    if let Some(total) = sum([igst, cgst, sgst]) {
                        if differs(total, expected, tol) {
                            out.push(
                                Finding::error(
                                    format!("/items/{i}/igstAmount"),
                                    "tax.amount",
                                    format!(
                                        "item {sl}: IGST + CGST + SGST = {total} is not assessable \
                                         amount {} x GST rate {}% = {expected} (tolerance {tol})",
                                        item.assessable_amount, item.gst_rate
                                    ),
                                )
                                .with_nic_code("2179"),
                            );
                        }
                    }
                    return cess_taxes(i, item, tol, out);
                }
                (false, false) => regime == Regime::IntraState,
            };
            if split_halves {
                let half = expected / Decimal::TWO;
                for (key, name, value) in [
                    ("cgstAmount", "CGST (CgstAmt)", cgst),
                    ("sgstAmount", "SGST (SgstAmt)", sgst),
                ] {
                    if differs(value, half, tol) {
                        out.push(
                            Finding::error(
                                format!("/items/{i}/{key}"),
                                "tax.cgst_sgst_amount",
                                format!(
                                    "item {sl}: {name} {value} is not assessable amount {} x half \
                                     the GST rate {}% / 2 = {half} (tolerance {tol})",
                                    item.assessable_amount, item.gst_rate
                                ),
                            )
                            .with_nic_code("2234"),
                        );
                    }
                }
            } else if differs(igst, expected, tol) {
                out.push(
                    Finding::error(
                        format!("/items/{i}/igstAmount"),
                        "tax.igst_amount",
                        format!(
                            "item {sl}: IGST (IgstAmt) {igst} is not assessable amount {} x GST \
                             rate {}% = {expected} (tolerance {tol})",
                            item.assessable_amount, item.gst_rate
                        ),
                    )
                    .with_nic_code("2235"),
                );
            }
        }
    }
    cess_taxes(i, item, tol, out);
}

/// Ad valorem cess and state cess: `CesAmt = AssAmt x CesRt / 100` (2266) and
/// `StateCesAmt = AssAmt x StateCesRt / 100` (2267), checked when a rate is given.
fn cess_taxes(i: usize, item: &Item, tol: Decimal, out: &mut Vec<Finding>) {
    let sl = &item.serial_number;
    let pairs = [
        (
            "cessAmount",
            "cess (CesAmt)",
            "cess rate (CesRt)",
            item.cess_rate,
            item.cess_amount,
            "tax.cess_amount",
            "2266",
        ),
        (
            "stateCessAmount",
            "state cess (StateCesAmt)",
            "state cess rate (StateCesRt)",
            item.state_cess_rate,
            item.state_cess_amount,
            "tax.state_cess_amount",
            "2267",
        ),
    ];
    for (key, name, rate_name, rate, amount, code, nic) in pairs {
        let Some(rate) = rate else { continue };
        let Some(expected) = percent_of(item.assessable_amount, rate) else {
            continue;
        };
        let actual = nz(amount);
        if differs(actual, expected, tol) {
            out.push(
                Finding::error(
                    format!("/items/{i}/{key}"),
                    code,
                    format!(
                        "item {sl}: {name} {actual} is not assessable amount {} x {rate_name} {rate}% \
                         = {expected} (tolerance {tol})",
                        item.assessable_amount
                    ),
                )
                .with_nic_code(nic),
            );
        }
    }
}

/// One document total and the item field it sums.
struct Sum<'a> {
    key: &'static str,
    name: &'static str,
    total: Option<Decimal>,
    pick: fn(&'a Item) -> Option<Decimal>,
    what: &'static str,
    code: &'static str,
    nic: &'static str,
}

/// Whether any amount of [`ITEM_AMOUNTS`] is below zero, read field by field: the table's
/// getters cost a call each, and nearly every line has nothing to report. Lists the table's
/// fields (a test holds it to the table).
fn any_negative(it: &Item) -> bool {
    let negative =
        |v: &Option<Decimal>| matches!(v, Some(v) if v.is_sign_negative() && !v.is_zero());
    let negative_amount = |v: &Decimal| v.is_sign_negative() && !v.is_zero();
    negative(&it.quantity)
        || negative(&it.free_quantity)
        || negative_amount(&it.unit_price)
        || negative_amount(&it.total_amount)
        || negative(&it.discount)
        || negative(&it.pre_tax_value)
        || negative_amount(&it.assessable_amount)
        || negative_amount(&it.gst_rate)
        || negative(&it.igst_amount)
        || negative(&it.cgst_amount)
        || negative(&it.sgst_amount)
        || negative(&it.cess_rate)
        || negative(&it.cess_amount)
        || negative(&it.cess_non_advol_amount)
        || negative(&it.state_cess_rate)
        || negative(&it.state_cess_amount)
        || negative(&it.state_cess_non_advol_amount)
        || negative(&it.other_charges)
        || negative_amount(&it.total_item_value)
}

/// The document amounts that may not be negative: JSON key, name in messages, value.
type DocumentAmount = (
    &'static str,
    &'static str,
    fn(&ValueDetails) -> Option<Decimal>,
);

static DOCUMENT_AMOUNTS: [DocumentAmount; 10] = [
    ("assessableValue", "assessable value (AssVal)", |v| {
        Some(v.assessable_value)
    }),
    ("cgstValue", "CGST value (CgstVal)", |v| v.cgst_value),
    ("sgstValue", "SGST value (SgstVal)", |v| v.sgst_value),
    ("igstValue", "IGST value (IgstVal)", |v| v.igst_value),
    ("cessValue", "cess value (CesVal)", |v| v.cess_value),
    ("stateCessValue", "state cess value (StCesVal)", |v| {
        v.state_cess_value
    }),
    ("discount", "discount (ValDtls.Discount)", |v| v.discount),
    ("otherCharges", "other charges (ValDtls.OthChrg)", |v| {
        v.other_charges
    }),
    (
        "totalInvoiceValue",
        "total invoice value (TotInvVal)",
        |v| Some(v.total_invoice_value),
    ),
    (
        "totalInvoiceValueForeignCurrency",
        "total invoice value in foreign currency (TotInvValFc)",
        |v| v.total_invoice_value_foreign_currency,
    ),
];

/// The document rules. `sums` are the item sums in the shortcut's integers, when every line was
/// in its range.
fn document_sums(
    inv: &EInvoice,
    sums: Option<fixed::Sums>,
    options: &ValidationOptions,
    out: &mut Vec<Finding>,
) {
    let v = &inv.value_details;
    let items = &inv.items;
    for (key, name, get) in &DOCUMENT_AMOUNTS {
        not_negative(
            get(v),
            || (format!("/valueDetails/{key}"), (*name).to_owned()),
            out,
        );
    }
    // When the shortcut finds 2182-2187 and 2189 all met, their Decimal sums are skipped.
    let totals_clean = sums
        .and_then(|s| s.totals_clean(v, options.total_tolerance))
        .unwrap_or(false);

    if !totals_clean {
        // Each total is the exact sum of its item field (2182-2187).
        let totals = [
            Sum {
                key: "assessableValue",
                name: "assessable value (AssVal)",
                total: Some(v.assessable_value),
                pick: |it| Some(it.assessable_amount),
                what: "item assessable amounts (AssAmt)",
                code: "total.assessable_value",
                nic: "2182",
            },
            Sum {
                key: "cgstValue",
                name: "CGST value (CgstVal)",
                total: v.cgst_value,
                pick: |it| Some(nz(it.cgst_amount)),
                what: "item CGST (CgstAmt)",
                code: "total.cgst_value",
                nic: "2184",
            },
            Sum {
                key: "sgstValue",
                name: "SGST value (SgstVal)",
                total: v.sgst_value,
                pick: |it| Some(nz(it.sgst_amount)),
                what: "item SGST (SgstAmt)",
                code: "total.sgst_value",
                nic: "2183",
            },
            Sum {
                key: "igstValue",
                name: "IGST value (IgstVal)",
                total: v.igst_value,
                pick: |it| Some(nz(it.igst_amount)),
                what: "item IGST (IgstAmt)",
                code: "total.igst_value",
                nic: "2185",
            },
            Sum {
                key: "cessValue",
                name: "cess value (CesVal)",
                total: v.cess_value,
                pick: |it| nz(it.cess_amount).checked_add(nz(it.cess_non_advol_amount)),
                what: "item cess (CesAmt + CesNonAdvlAmt)",
                code: "total.cess_value",
                nic: "2186",
            },
            Sum {
                key: "stateCessValue",
                name: "state cess value (StCesVal)",
                total: v.state_cess_value,
                pick: |it| nz(it.state_cess_amount).checked_add(nz(it.state_cess_non_advol_amount)),
                what: "item state cess (StateCesAmt + StateCesNonAdvlAmt)",
                code: "total.state_cess_value",
                nic: "2187",
            },
        ];
        for s in totals {
            let Some(expected) = items
                .iter()
                .map(s.pick)
                .try_fold(Decimal::ZERO, |acc, x| acc.checked_add(x?))
            else {
                continue;
            };
            let actual = nz(s.total);
            if actual != expected {
                out.push(
                    Finding::error(
                        format!("/valueDetails/{}", s.key),
                        s.code,
                        format!(
                            "{} {actual} is not the sum of the {}, {expected}",
                            s.name, s.what
                        ),
                    )
                    .with_nic_code(s.nic),
                );
            }
        }
    }

    // 2264, as worded ("total of other charges in all items must equal other charges in the
    // document total"), contradicts the 2189 formula, which adds the document's other charges on
    // top of line totals that already include the items' (nic-rules B.2, unverified whether it
    // is enforced). It is reported only when both levels carry other charges and disagree, as a
    // warning.
    let item_other = items.iter().filter_map(|it| it.other_charges);
    if let (Some(doc_other), true) = (v.other_charges, item_other.clone().next().is_some()) {
        if let Some(items_total) = sum(item_other) {
            if !items_total.is_zero() && !doc_other.is_zero() && items_total != doc_other {
                out.push(
                    Finding::warning(
                        "/valueDetails/otherCharges",
                        "total.other_charges",
                        format!(
                            "other charges (ValDtls.OthChrg) {doc_other} differ from the sum of \
                             the item other charges (OthChrg), {items_total}; NIC's 2264 asks for \
                             them to be equal, although its total formula (2189) counts both"
                        ),
                    )
                    .with_nic_code("2264"),
                );
            }
        }
    }

    if let Some(r) = v.round_off_amount {
        if r.abs() > MAX_ROUND_OFF {
            out.push(Finding::error(
                "/valueDetails/roundOffAmount",
                "total.round_off_range",
                format!("round-off (RndOffAmt) {r} is outside -99.99 to +99.99"),
            ));
        }
    }

    // 2189: TotInvVal = sum of TotItemVal - Discount + OthChrg + RndOffAmt, +/- the tolerance.
    let parts = || {
        sum(items.iter().map(|it| it.total_item_value)).and_then(|t| {
            t.checked_sub(nz(v.discount))?
                .checked_add(nz(v.other_charges))?
                .checked_add(nz(v.round_off_amount))
        })
    };
    if let Some(expected) = (!totals_clean).then(parts).flatten() {
        if differs(v.total_invoice_value, expected, options.total_tolerance) {
            out.push(
                Finding::error(
                    "/valueDetails/totalInvoiceValue",
                    "total.invoice_value",
                    format!(
                        "total invoice value (TotInvVal) {} is not the sum of the total item \
                         values - discount + other charges + round-off = {expected} (tolerance {})",
                        v.total_invoice_value, options.total_tolerance
                    ),
                )
                .with_nic_code("2189"),
            );
        }
    }

    // 2220: the document discount cannot reach the document total.
    if let Some(discount) = v.discount {
        if discount > Decimal::ZERO && discount >= v.total_invoice_value {
            out.push(
                Finding::error(
                    "/valueDetails/discount",
                    "total.discount",
                    format!(
                        "discount (ValDtls.Discount) {discount} is not less than the total invoice \
                         value (TotInvVal) {}",
                        v.total_invoice_value
                    ),
                )
                .with_nic_code("2220"),
            );
        }
    }
}
