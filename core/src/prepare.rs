//! Filling the derived amounts of an e-invoice, so that what an ERP sends passes NIC's arithmetic
//! exactly (nic-rules B.2).
//!
//! An ERP knows, per line, the quantity, the unit price, the discount and the rates (GST, cess,
//! state cess), plus any non-ad-valorem cess and other charges; at document level the discount,
//! the other charges and the round-off. [`prepare`] computes everything else:
//!
//! | field | computed as | NIC rule |
//! |---|---|---|
//! | `totalAmount` (`TotAmt`) | Qty x UnitPrice, rounded to 2 places (no quantity: 1 unit) | 2192 (withdrawn; see below) |
//! | `assessableAmount` (`AssAmt`) | TotAmt - Discount | 2193 |
//! | `cgstAmount`, `sgstAmount` | intra-state: AssAmt x GstRt / 200 each, equal | 2172, 2227, 2234 |
//! | `igstAmount` | inter-state, SEZ with payment, export with payment: AssAmt x GstRt / 100; EXPWOP and SEZWOP: 0 | 2174, 2180, 2235, 2237 |
//! | `cessAmount` | AssAmt x CesRt / 100, when CesRt is given | 2266 |
//! | `stateCessAmount` | AssAmt x StateCesRt / 100, when StateCesRt is given | 2267 |
//! | `totalItemValue` (`TotItemVal`) | AssAmt + CGST + SGST + IGST + cess + cess non-advol + state cess + state cess non-advol + OthChrg | 2194 |
//! | `valueDetails.assessableValue` | sum of AssAmt | 2182 |
//! | `valueDetails.sgstValue`, `cgstValue`, `igstValue` | sums of the line amounts | 2183, 2184, 2185 |
//! | `valueDetails.cessValue` | sum of (cess + cess non-advol) | 2186, 2188 |
//! | `valueDetails.stateCessValue` | sum of (state cess + state cess non-advol) | 2187 |
//! | `valueDetails.totalInvoiceValue` | sum of TotItemVal - Discount + OthChrg + RndOffAmt | 2189 |
//!
//! The supply is intra-state when the seller's state code equals the buyer's place of supply
//! and `igstOnIntra` is not Y; exports and SEZ supplies are always IGST (2237, 2180). A tax that
//! does not apply is left out when the line did not have it, and set to 0 when it did. A cess
//! amount without a cess rate is taken as given, like the non-ad-valorem amounts.
//!
//! # Rounding
//!
//! All arithmetic is exact [`Decimal`] arithmetic, never `f64`; rounding is to 2 places, half away
//! from zero (ROUND_HALF_UP for these non-negative amounts). Each tax (CGST/SGST, IGST, cess, state
//! cess) is rounded **progressively** (nic-rules B.2, as india-compliance does): a line's exact
//! tax plus the residue carried from the lines before it is rounded, and what rounding dropped is
//! carried on to the next line. The line amounts then add up to the exactly rounded tax of the
//! whole document, each line stays within a paisa of its own exact tax, and every sum NIC checks
//! (2182-2188) holds exactly because the totals are the sums of the lines. Three lines of 33.33 at
//! 5 % intra-state have an exact CGST of 0.83325 each: 0.83, 0.84, 0.83 (2.50 = 2.49975 rounded),
//! where rounding each line alone would give 2.49.
//!
//! A recomputed document writes every amount it computed with exactly 2 decimals (`900.00`).
//!
//! # What is kept
//!
//! A document that NIC's arithmetic already accepts comes back unchanged: [`is_consistent`] checks
//! 2193 and 2194 and the sums 2182-2188 exactly; each line tax (IGST, each of CGST and SGST, and
//! cess and state cess where a rate is given) within NIC's +/- 1 rupee of rate x taxable value
//! (not checked for credit and debit notes, as NIC does not); TotInvVal within +/- 1 (2189);
//! CGST = SGST (2227); the tax split (2172, 2174); at most 2 decimals in every derived amount; and
//! TotAmt against Qty x UnitPrice as below. These are the tolerances of the rule layer's defaults
//! ([`crate::validate`]), so "consistent" means "no arithmetic error there". Otherwise **every**
//! derived amount is recomputed from the inputs above, so a stale amount anywhere cannot survive.
//! Either way the result is a fixed point: `prepare(&prepare(x)) == prepare(x)`.
//!
//! TotAmt = Qty x UnitPrice (2192) is "temporarily withdrawn" by NIC, and ERPs commonly send
//! `UnitPrice = round(AssAmt / Qty, 3)` (nic-rules B.2), so TotAmt and Qty x UnitPrice may
//! differ a little. A given TotAmt therefore agrees with the line when it is Qty x UnitPrice
//! rounded to 2 places, or when `round(TotAmt / Qty, 3) == UnitPrice` and it is within the +/- 1
//! tolerance of Qty x UnitPrice; such a TotAmt is kept even when the rest of the document is
//! recomputed. Any other TotAmt, including the 0 of a line that leaves it to prepare, is replaced
//! by Qty x UnitPrice rounded to 2 places.
//!
//! Inputs are never changed. A discount larger than the gross amount therefore gives a negative
//! assessable amount, and a document whose amounts are too large for exact arithmetic (about
//! 10^28, far beyond NIC's ranges) is returned as it was: validation reports both.
//! ValDtls.OthChrg is taken as a document-level input, not as the sum of the lines' OthChrg (the
//! reading of 2264 that peers follow, nic-rules B.2).

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Map, Value};

use crate::einvoice::model::{DocumentType, EInvoice, Item, SupplyType};
use crate::einvoice::parse::{parse_invoice, parse_invoice_value, Dialect};
use crate::finding::Finding;

/// NIC's tolerance on a line's tax against rate x taxable value, in rupees (nic-rules B.2:
/// peer practice, the IRP's own value is unverified). Used only to decide whether a document is
/// already consistent; computed taxes are within a paisa.
pub const ITEM_TAX_TOLERANCE: Decimal = Decimal::ONE;

/// NIC's tolerance on TotInvVal against the sum of the lines (2189), in rupees.
pub const TOTAL_INVOICE_VALUE_TOLERANCE: Decimal = Decimal::ONE;

/// Which taxes a document's lines carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxSplit {
    /// Intra-state: CGST and SGST, equal halves of the GST rate (2172, 2227).
    Intra,
    /// Inter-state, SEZ or export with payment, or `igstOnIntra`: IGST only (2174, 2180, 2237).
    Inter,
    /// Export or SEZ supply without payment of tax (EXPWOP, SEZWOP): IGST 0.
    WithoutPayment,
}

/// The tax split of a document, from its supply type, `igstOnIntra`, the seller's state code
/// and the place of supply.
pub fn tax_split(invoice: &EInvoice) -> TaxSplit {
    let supply = invoice.transaction_details.supply_type;
    match supply {
        SupplyType::ExportWithoutPayment | SupplyType::SezWithoutPayment => {
            TaxSplit::WithoutPayment
        }
        SupplyType::ExportWithPayment | SupplyType::SezWithPayment => TaxSplit::Inter,
        SupplyType::B2b | SupplyType::DeemedExport => {
            let intra = same_state(
                &invoice.seller.state_code,
                &invoice.buyer.place_of_supply_state_code,
            );
            if intra && invoice.transaction_details.igst_on_intra != Some(true) {
                TaxSplit::Intra
            } else {
                TaxSplit::Inter
            }
        }
    }
}

/// State codes are compared as numbers when both are digits (`"7"` and `"07"` are Delhi).
fn same_state(a: &str, b: &str) -> bool {
    match (a.trim().parse::<u32>(), b.trim().parse::<u32>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a.trim() == b.trim(),
    }
}

/// Fills every derived amount of `invoice` (see the module docs); a document whose arithmetic
/// NIC already accepts is returned unchanged.
pub fn prepare(invoice: &EInvoice) -> EInvoice {
    if is_consistent(invoice) {
        return invoice.clone();
    }
    recompute(invoice).unwrap_or_else(|| invoice.clone())
}

/// Reads an e-invoice in any dialect, fills its derived amounts with [`prepare`] and returns it as
/// canonical JSON.
///
/// Derived amounts may be left out: the fields the model requires (`totalAmount`,
/// `assessableAmount` / flat `assessableValue`, `totalItemValue`, `valueDetails` / flat `totals`
/// with its `assessableValue` and `totalInvoiceValue`, and NIC's `TotAmt`, `AssAmt`,
/// `TotItemVal`, `ValDtls`, `AssVal`, `TotInvVal`) are taken as 0 when absent, then computed.
/// Anything else that does not parse is reported as [`crate::einvoice::parse`] reports it.
pub fn prepare_json(json: &[u8]) -> Result<Value, Vec<Finding>> {
    let mut value: Value = match serde_json::from_slice(json) {
        Ok(v) => v,
        // Not JSON: let the parser word the finding.
        Err(_) => return Err(parse_invoice(json).err().unwrap_or_default()),
    };
    if let Value::Object(doc) = &mut value {
        let dialect = Dialect::detect(doc);
        fill_placeholders(dialect, doc);
    }
    let parsed = parse_invoice_value(value)?;
    serde_json::to_value(prepare(&parsed.invoice)).map_err(|e| {
        vec![Finding::error(
            "",
            "prepare.serialize",
            format!("the prepared document cannot be written as JSON: {e}"),
        )]
    })
}

/// Where each dialect keeps the required derived amounts: (lines key, line fields, totals key,
/// totals fields).
fn placeholder_keys(
    dialect: Dialect,
) -> (
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static [&'static str],
) {
    match dialect {
        Dialect::Canonical => (
            "items",
            &["totalAmount", "assessableAmount", "totalItemValue"],
            "valueDetails",
            &["assessableValue", "totalInvoiceValue"],
        ),
        // A flat line without `totalAmount` takes it from `assessableValue` + `discount`.
        Dialect::Flat => (
            "lines",
            &["assessableValue", "totalItemValue"],
            "totals",
            &["assessableValue", "totalInvoiceValue"],
        ),
        Dialect::Nic => (
            "ItemList",
            &["TotAmt", "AssAmt", "TotItemVal"],
            "ValDtls",
            &["AssVal", "TotInvVal"],
        ),
    }
}

fn fill_placeholders(dialect: Dialect, doc: &mut Map<String, Value>) {
    let (lines_key, line_fields, totals_key, totals_fields) = placeholder_keys(dialect);
    if let Some(Value::Array(lines)) = doc.get_mut(lines_key) {
        for line in lines.iter_mut() {
            if let Value::Object(line) = line {
                for field in line_fields {
                    line.entry(*field).or_insert_with(|| Value::from(0));
                }
            }
        }
    }
    let totals = doc
        .entry(totals_key)
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(totals) = totals {
        for field in totals_fields {
            totals.entry(*field).or_insert_with(|| Value::from(0));
        }
    }
}

fn round2(d: Decimal) -> Decimal {
    let r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    if r.is_zero() {
        // -0.004 rounds to a zero that remembers its sign; write it as 0.
        Decimal::ZERO
    } else {
        r
    }
}

/// Writes a computed amount with exactly 2 decimals (`900` as `900.00`); an amount with more is
/// left as it is, since rescaling would round it.
fn money(d: Decimal) -> Decimal {
    let mut m = d;
    if m.scale() < 2 {
        m.rescale(2);
    }
    m
}

fn money_opt(d: Option<Decimal>) -> Option<Decimal> {
    d.map(money)
}

fn decimal_places(d: Decimal) -> u32 {
    d.normalize().scale()
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;
const TWO_HUNDRED: Decimal = Decimal::from_parts(200, 0, 0, false, 0);

/// Progressive rounding of one tax across the lines (nic-rules B.2).
#[derive(Debug, Default)]
struct Carry {
    residue: Decimal,
}

impl Carry {
    /// Rounds `exact` plus the carried residue to 2 places and carries what rounding dropped. A
    /// line without tax takes none of the residue, so no line ever goes below zero.
    fn round(&mut self, exact: Decimal) -> Option<Decimal> {
        if exact.is_zero() {
            return Some(Decimal::ZERO);
        }
        let with_residue = exact.checked_add(self.residue)?;
        let rounded = round2(with_residue);
        self.residue = with_residue.checked_sub(rounded)?;
        Some(rounded)
    }
}

/// A tax that does not apply: absent stays absent, present becomes 0.
fn zeroed(amount: Option<Decimal>) -> Option<Decimal> {
    amount.map(|_| Decimal::ZERO)
}

fn or_zero(amount: Option<Decimal>) -> Decimal {
    amount.unwrap_or(Decimal::ZERO)
}

/// Rate x base / 100, exactly.
fn percent(base: Decimal, rate: Decimal) -> Option<Decimal> {
    base.checked_mul(rate)?.checked_div(HUNDRED)
}

/// Whether a given TotAmt agrees with Qty x UnitPrice (no quantity: 1 unit): non-negative, at
/// most 2 decimals, and either Qty x UnitPrice rounded to 2 places, or an amount whose unit price
/// rounded to 3 places is UnitPrice and which is within the +/- 1 tolerance (2192, withdrawn by
/// NIC; see the module docs).
fn total_amount_agrees(item: &Item) -> Option<bool> {
    let qty = item.quantity.unwrap_or(Decimal::ONE);
    let total = item.total_amount;
    if total.is_sign_negative() || decimal_places(total) > 2 {
        return Some(false);
    }
    let gross = qty.checked_mul(item.unit_price)?;
    if round2(gross) == total {
        return Some(true);
    }
    if qty.is_zero() || total.checked_sub(gross)?.abs() > ITEM_TAX_TOLERANCE {
        return Some(false);
    }
    let unit_price = total
        .checked_div(qty)?
        .round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero);
    Some(unit_price == item.unit_price)
}

fn sum<'a>(
    mut items: impl Iterator<Item = &'a Item>,
    f: impl Fn(&Item) -> Option<Decimal>,
) -> Option<Decimal> {
    items.try_fold(Decimal::ZERO, |acc, item| acc.checked_add(or_zero(f(item))))
}

/// The line's full TotItemVal: taxable value plus every tax and charge (2194).
fn full_item_value(item: &Item) -> Option<Decimal> {
    [
        item.cgst_amount,
        item.sgst_amount,
        item.igst_amount,
        item.cess_amount,
        item.cess_non_advol_amount,
        item.state_cess_amount,
        item.state_cess_non_advol_amount,
        item.other_charges,
    ]
    .into_iter()
    .try_fold(item.assessable_amount, |acc, x| acc.checked_add(or_zero(x)))
}

/// The sums NIC checks at document level.
struct Totals {
    assessable: Decimal,
    cgst: Decimal,
    sgst: Decimal,
    igst: Decimal,
    cess: Decimal,
    state_cess: Decimal,
    item_values: Decimal,
}

impl Totals {
    fn of(items: &[Item]) -> Option<Totals> {
        Some(Totals {
            assessable: sum(items.iter(), |i| Some(i.assessable_amount))?,
            cgst: sum(items.iter(), |i| i.cgst_amount)?,
            sgst: sum(items.iter(), |i| i.sgst_amount)?,
            igst: sum(items.iter(), |i| i.igst_amount)?,
            cess: sum(items.iter(), |i| {
                or_zero(i.cess_amount).checked_add(or_zero(i.cess_non_advol_amount))
            })?,
            state_cess: sum(items.iter(), |i| {
                or_zero(i.state_cess_amount).checked_add(or_zero(i.state_cess_non_advol_amount))
            })?,
            item_values: sum(items.iter(), |i| Some(i.total_item_value))?,
        })
    }
}

/// Sum of TotItemVal - Discount + OthChrg + RndOffAmt (2189).
fn invoice_value(invoice: &EInvoice, item_values: Decimal) -> Option<Decimal> {
    let vd = &invoice.value_details;
    item_values
        .checked_sub(or_zero(vd.discount))?
        .checked_add(or_zero(vd.other_charges))?
        .checked_add(or_zero(vd.round_off_amount))
}

/// Whether NIC's arithmetic already accepts the document, with NIC's tolerances: the test
/// [`prepare`] uses to leave a document alone (module docs, "What is kept").
pub fn is_consistent(invoice: &EInvoice) -> bool {
    consistency(invoice).unwrap_or(false)
}

fn consistency(invoice: &EInvoice) -> Option<bool> {
    let split = tax_split(invoice);
    // NIC does not check CRN/DBN line tax against the rate (nic-rules B.2).
    let note = invoice.document_details.document_type != DocumentType::Invoice;
    // Reverse charge and EXPWP: TotItemVal may include or exclude the tax (nic-rules B.2).
    let may_exclude_tax = invoice.transaction_details.reverse_charge == Some(true)
        || invoice.transaction_details.supply_type == SupplyType::ExportWithPayment;
    let within = |given: Decimal, exact: Decimal, tolerance: Decimal| -> Option<bool> {
        Some(given.checked_sub(exact)?.abs() <= tolerance)
    };

    for item in &invoice.items {
        let derived = [
            Some(item.total_amount),
            Some(item.assessable_amount),
            item.cgst_amount,
            item.sgst_amount,
            item.igst_amount,
            item.cess_amount,
            item.state_cess_amount,
            Some(item.total_item_value),
        ];
        if derived.into_iter().flatten().any(|d| decimal_places(d) > 2) {
            return Some(false);
        }
        if !total_amount_agrees(item)? {
            return Some(false);
        }
        // 2193
        if item.assessable_amount != item.total_amount.checked_sub(or_zero(item.discount))? {
            return Some(false);
        }
        let (cgst, sgst, igst) = (
            or_zero(item.cgst_amount),
            or_zero(item.sgst_amount),
            or_zero(item.igst_amount),
        );
        let split_ok = match split {
            TaxSplit::Intra => igst.is_zero() && cgst == sgst,
            TaxSplit::Inter => cgst.is_zero() && sgst.is_zero(),
            TaxSplit::WithoutPayment => cgst.is_zero() && sgst.is_zero() && igst.is_zero(),
        };
        if !split_ok {
            return Some(false);
        }
        let base = item.assessable_amount;
        if !note {
            let gst = percent(base, item.gst_rate)?;
            let gst_ok = match split {
                TaxSplit::Intra => {
                    let half = gst.checked_div(Decimal::TWO)?;
                    within(cgst, half, ITEM_TAX_TOLERANCE)?
                        && within(sgst, half, ITEM_TAX_TOLERANCE)?
                }
                TaxSplit::Inter => within(igst, gst, ITEM_TAX_TOLERANCE)?,
                // "EXPWOP and SEZWOP: the passed IGST is not validated if it is 0."
                TaxSplit::WithoutPayment => true,
            };
            if !gst_ok {
                return Some(false);
            }
            let cesses = [
                (item.cess_rate, item.cess_amount),
                (item.state_cess_rate, item.state_cess_amount),
            ];
            for (rate, amount) in cesses {
                if let Some(rate) = rate {
                    if !within(or_zero(amount), percent(base, rate)?, ITEM_TAX_TOLERANCE)? {
                        return Some(false);
                    }
                }
            }
        }
        // 2194
        let full = full_item_value(item)?;
        let without_tax = base.checked_add(or_zero(item.other_charges))?;
        if item.total_item_value != full
            && !(may_exclude_tax && item.total_item_value == without_tax)
        {
            return Some(false);
        }
    }

    let totals = Totals::of(&invoice.items)?;
    let vd = &invoice.value_details;
    let sums_ok = vd.assessable_value == totals.assessable // 2182
        && or_zero(vd.sgst_value) == totals.sgst // 2183
        && or_zero(vd.cgst_value) == totals.cgst // 2184
        && or_zero(vd.igst_value) == totals.igst // 2185
        && or_zero(vd.cess_value) == totals.cess // 2186, 2188
        && or_zero(vd.state_cess_value) == totals.state_cess; // 2187
    let derived = [
        Some(vd.assessable_value),
        vd.cgst_value,
        vd.sgst_value,
        vd.igst_value,
        vd.cess_value,
        vd.state_cess_value,
        Some(vd.total_invoice_value),
    ];
    if !sums_ok || derived.into_iter().flatten().any(|d| decimal_places(d) > 2) {
        return Some(false);
    }
    // 2189
    within(
        vd.total_invoice_value,
        invoice_value(invoice, totals.item_values)?,
        TOTAL_INVOICE_VALUE_TOLERANCE,
    )
}

/// Recomputes every derived amount from the inputs. `None` when an amount overflows.
fn recompute(invoice: &EInvoice) -> Option<EInvoice> {
    let split = tax_split(invoice);
    let mut out = invoice.clone();
    let mut half_gst = Carry::default();
    let mut igst = Carry::default();
    let mut cess = Carry::default();
    let mut state_cess = Carry::default();

    for item in &mut out.items {
        if !total_amount_agrees(item)? {
            let qty = item.quantity.unwrap_or(Decimal::ONE);
            item.total_amount = round2(qty.checked_mul(item.unit_price)?);
        }
        item.assessable_amount = item.total_amount.checked_sub(or_zero(item.discount))?;
        let base = item.assessable_amount;
        let gst = base.checked_mul(item.gst_rate)?;
        match split {
            TaxSplit::Intra => {
                let half = half_gst.round(gst.checked_div(TWO_HUNDRED)?)?;
                item.cgst_amount = Some(half);
                item.sgst_amount = Some(half);
                item.igst_amount = zeroed(item.igst_amount);
            }
            TaxSplit::Inter => {
                item.igst_amount = Some(igst.round(gst.checked_div(HUNDRED)?)?);
                item.cgst_amount = zeroed(item.cgst_amount);
                item.sgst_amount = zeroed(item.sgst_amount);
            }
            TaxSplit::WithoutPayment => {
                item.igst_amount = Some(Decimal::ZERO);
                item.cgst_amount = zeroed(item.cgst_amount);
                item.sgst_amount = zeroed(item.sgst_amount);
            }
        }
        // Without a rate, a cess amount is an input (as the non-ad-valorem amounts are).
        if let Some(rate) = item.cess_rate {
            item.cess_amount = Some(cess.round(percent(base, rate)?)?);
        }
        if let Some(rate) = item.state_cess_rate {
            item.state_cess_amount = Some(state_cess.round(percent(base, rate)?)?);
        }
        item.total_item_value = full_item_value(item)?;

        item.total_amount = money(item.total_amount);
        item.assessable_amount = money(item.assessable_amount);
        item.igst_amount = money_opt(item.igst_amount);
        item.cgst_amount = money_opt(item.cgst_amount);
        item.sgst_amount = money_opt(item.sgst_amount);
        if item.cess_rate.is_some() {
            item.cess_amount = money_opt(item.cess_amount);
        }
        if item.state_cess_rate.is_some() {
            item.state_cess_amount = money_opt(item.state_cess_amount);
        }
        item.total_item_value = money(item.total_item_value);
    }

    let totals = Totals::of(&out.items)?;
    let any = |f: fn(&Item) -> bool| out.items.iter().any(f);
    let has_cgst = any(|i| i.cgst_amount.is_some());
    let has_sgst = any(|i| i.sgst_amount.is_some());
    let has_igst = any(|i| i.igst_amount.is_some());
    let has_cess = any(|i| i.cess_amount.is_some() || i.cess_non_advol_amount.is_some());
    let has_state_cess =
        any(|i| i.state_cess_amount.is_some() || i.state_cess_non_advol_amount.is_some());
    let total_invoice_value = invoice_value(&out, totals.item_values)?;

    let vd = &mut out.value_details;
    let set = |field: &mut Option<Decimal>, present: bool, value: Decimal| {
        if present || field.is_some() {
            *field = Some(money(value));
        }
    };
    vd.assessable_value = money(totals.assessable);
    set(&mut vd.cgst_value, has_cgst, totals.cgst);
    set(&mut vd.sgst_value, has_sgst, totals.sgst);
    set(&mut vd.igst_value, has_igst, totals.igst);
    set(&mut vd.cess_value, has_cess, totals.cess);
    set(&mut vd.state_cess_value, has_state_cess, totals.state_cess);
    vd.total_invoice_value = money(total_invoice_value);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn progressive_rounding_carries_the_residue() {
        let mut carry = Carry::default();
        let lines: Vec<Decimal> = (0..3).map(|_| carry.round(d("0.83325")).unwrap()).collect();
        assert_eq!(lines, [d("0.83"), d("0.84"), d("0.83")]);
        assert_eq!(carry.residue, d("-0.00025"));
    }

    #[test]
    fn a_line_without_tax_takes_no_residue() {
        let mut carry = Carry::default();
        assert_eq!(carry.round(d("0.125")), Some(d("0.13")));
        assert_eq!(carry.residue, d("-0.005"));
        assert_eq!(carry.round(Decimal::ZERO), Some(Decimal::ZERO));
        assert_eq!(carry.round(d("0.001")), Some(Decimal::ZERO));
        assert!(!carry.round(d("0.001")).unwrap().is_sign_negative());
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round2(d("2.125")), d("2.13"));
        assert_eq!(round2(d("2.135")), d("2.14"));
        assert_eq!(round2(d("2.1249")), d("2.12"));
        assert!(!round2(d("-0.004")).is_sign_negative());
    }

    #[test]
    fn state_codes_compare_as_numbers() {
        assert!(same_state("7", "07"));
        assert!(same_state("29", "29"));
        assert!(!same_state("29", "27"));
        assert!(!same_state("X", "29"));
    }
}
