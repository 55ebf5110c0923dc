//! A shortcut for the arithmetic rules on ordinary documents: when every number a rule reads has
//! at most [`SCALE`] decimals and at most 12 digits, the rule is decided in integers of 1/10,000
//! instead of `rust_decimal` operations, which cost ten times as much.
//!
//! The shortcut only ever answers "this rule reports nothing"; anything else (a finding, or a
//! number outside its range) goes to the rule's `Decimal` code, which builds the messages. So it
//! must agree with that code exactly, which holds because within the range every `Decimal`
//! operation the rules make is exact:
//! - a mantissa is at most 10^12 and a scale at most 4, so a product of two has a mantissa of at
//!   most 10^24 and a scale of at most 8; aligned to another operand's scale (at most 4 more
//!   digits) it stays below 10^28 < 2^96, the mantissa `Decimal` holds without rounding;
//! - a sum of item values is below 10^16 per item, so no document of a size that fits in memory
//!   reaches 2^96 either;
//! - `percent_of` moves the decimal point (exact), and halving a decimal adds one digit (exact);
//! - comparisons of decimals are by value, as are those of integers at one scale.
//!
//! In integers nothing overflows: inputs are below 10^16 in units of 1/10,000, products below
//! 10^32, and the largest scaled term (`2 x amount x 10^6`) below 10^23; `i128` holds 1.7 x 10^38.
//! The tests hold the shortcut to the `Decimal` code on random and edge values.

use rust_decimal::Decimal;

use crate::einvoice::model::{Item, ValueDetails};

/// The most decimals a number may have for the shortcut.
const SCALE: u32 = 4;

/// The largest mantissa the shortcut takes (see the module's bounds).
const LIMIT: u128 = 1_000_000_000_000;

const POW10: [i64; SCALE as usize + 1] = [1, 10, 100, 1_000, 10_000];

/// `d` in units of 1/10,000, if it has at most 4 decimals and at most 12 digits.
pub(super) fn units(d: Decimal) -> Option<i64> {
    let scale = d.scale();
    if scale > SCALE {
        return None;
    }
    let m = d.mantissa();
    if m.unsigned_abs() > LIMIT {
        return None;
    }
    // Cannot truncate or overflow: |m| <= 10^12 and the factor is at most 10^4.
    Some(m as i64 * POW10[(SCALE - scale) as usize])
}

/// [`units`] of an optional amount, absent read as zero (as `nz` does).
fn units_or_zero(d: Option<Decimal>) -> Option<i64> {
    match d {
        Some(d) => units(d),
        None => Some(0),
    }
}

/// [`units`] of an optional value whose absence the rules tell from zero.
fn units_opt(d: Option<Decimal>) -> Option<Option<i64>> {
    match d {
        Some(d) => units(d).map(Some),
        None => Some(None),
    }
}

/// A value in units of 1/10,000 brought to units of 10^-10, the scale of `amount x rate / 100`
/// when amount and rate are in units of 1/10,000.
fn at_percent_scale(x: i64) -> i128 {
    i128::from(x) * 1_000_000
}

/// One item's numbers, in units of 1/10,000; absent amounts are zero, as the rules read them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line {
    total_amount: i64,
    discount: i64,
    assessable: i64,
    quantity: Option<i64>,
    unit_price: i64,
    gst_rate: i64,
    igst: i64,
    cgst: i64,
    sgst: i64,
    cess_rate: Option<i64>,
    cess: i64,
    cess_non_advol: i64,
    state_cess_rate: Option<i64>,
    state_cess: i64,
    state_cess_non_advol: i64,
    other_charges: i64,
    total_item_value: i64,
}

impl Line {
    /// The item's numbers, if every one the arithmetic rules read is in the shortcut's range.
    pub(super) fn of(item: &Item) -> Option<Line> {
        Some(Line {
            total_amount: units(item.total_amount)?,
            discount: units_or_zero(item.discount)?,
            assessable: units(item.assessable_amount)?,
            quantity: units_opt(item.quantity)?,
            unit_price: units(item.unit_price)?,
            gst_rate: units(item.gst_rate)?,
            igst: units_or_zero(item.igst_amount)?,
            cgst: units_or_zero(item.cgst_amount)?,
            sgst: units_or_zero(item.sgst_amount)?,
            cess_rate: units_opt(item.cess_rate)?,
            cess: units_or_zero(item.cess_amount)?,
            cess_non_advol: units_or_zero(item.cess_non_advol_amount)?,
            state_cess_rate: units_opt(item.state_cess_rate)?,
            state_cess: units_or_zero(item.state_cess_amount)?,
            state_cess_non_advol: units_or_zero(item.state_cess_non_advol_amount)?,
            other_charges: units_or_zero(item.other_charges)?,
            total_item_value: units(item.total_item_value)?,
        })
    }

    /// Whether `item_values` reports nothing: 2193 exact, 2192 within `tolerance`, 2194 exact.
    pub(super) fn values_clean(&self, total_may_exclude_tax: bool, tolerance: i64) -> bool {
        if self.assessable + self.discount != self.total_amount {
            return false;
        }
        if let Some(quantity) = self.quantity {
            // Quantity x price is in units of 10^-8: bring the rest there.
            let gross = i128::from(quantity) * i128::from(self.unit_price);
            let difference = i128::from(self.total_amount) * 10_000 - gross;
            if difference.abs() > i128::from(tolerance) * 10_000 {
                return false;
            }
        }
        let rest = self.assessable
            + self.cess
            + self.cess_non_advol
            + self.state_cess
            + self.state_cess_non_advol
            + self.other_charges;
        let with_tax = rest + self.igst + self.cgst + self.sgst;
        self.total_item_value == with_tax
            || (total_may_exclude_tax && self.total_item_value == rest)
    }

    /// Whether `item_taxes` reports nothing. `zero_rated_without_payment` and `intra_state` are
    /// the supply type and regime as `item_taxes` reads them.
    pub(super) fn taxes_clean(
        &self,
        zero_rated_without_payment: bool,
        intra_state: bool,
        tolerance: i64,
    ) -> bool {
        let tolerance = at_percent_scale(tolerance);
        let (igst, cgst, sgst) = (self.igst, self.cgst, self.sgst);
        let no_gst = igst == 0 && cgst == 0 && sgst == 0;
        if !(zero_rated_without_payment && no_gst) {
            let expected = self.percent(self.gst_rate);
            let differs = |x: i64| (at_percent_scale(x) - expected).abs() > tolerance;
            let split_halves = match (igst != 0, cgst != 0 || sgst != 0) {
                (true, false) => false,
                (false, true) => true,
                (true, true) => {
                    if differs(igst + cgst + sgst) {
                        return false;
                    }
                    return self.cess_clean(tolerance);
                }
                (false, false) => intra_state,
            };
            if split_halves {
                // |x - expected / 2| > tolerance, doubled to stay in integers.
                let differs_from_half =
                    |x: i64| (2 * at_percent_scale(x) - expected).abs() > 2 * tolerance;
                if differs_from_half(cgst) || differs_from_half(sgst) {
                    return false;
                }
            } else if differs(igst) {
                return false;
            }
        }
        self.cess_clean(tolerance)
    }

    /// Whether `cess_taxes` reports nothing; `tolerance` is in units of 10^-10.
    fn cess_clean(&self, tolerance: i128) -> bool {
        [
            (self.cess_rate, self.cess),
            (self.state_cess_rate, self.state_cess),
        ]
        .into_iter()
        .all(|(rate, amount)| match rate {
            Some(rate) => (at_percent_scale(amount) - self.percent(rate)).abs() <= tolerance,
            None => true,
        })
    }

    /// `assessable x rate / 100` in units of 10^-10.
    fn percent(&self, rate: i64) -> i128 {
        i128::from(self.assessable) * i128::from(rate)
    }
}

/// The item sums the document totals are checked against, in units of 1/10,000.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Sums {
    assessable: i128,
    cgst: i128,
    sgst: i128,
    igst: i128,
    cess: i128,
    state_cess: i128,
    total_item_value: i128,
}

impl Sums {
    /// Adds one item's amounts.
    pub(super) fn add(&mut self, line: &Line) {
        self.assessable += i128::from(line.assessable);
        self.cgst += i128::from(line.cgst);
        self.sgst += i128::from(line.sgst);
        self.igst += i128::from(line.igst);
        self.cess += i128::from(line.cess) + i128::from(line.cess_non_advol);
        self.state_cess += i128::from(line.state_cess) + i128::from(line.state_cess_non_advol);
        self.total_item_value += i128::from(line.total_item_value);
    }

    /// Whether the document's totals are the exact item sums (2182-2187) and its invoice value is
    /// within `tolerance` of the sum of line totals - discount + other charges + round-off (2189).
    /// `None` when a total is outside the shortcut's range.
    pub(super) fn totals_clean(&self, v: &ValueDetails, tolerance: Decimal) -> Option<bool> {
        let sums_equal = i128::from(units(v.assessable_value)?) == self.assessable
            && i128::from(units_or_zero(v.cgst_value)?) == self.cgst
            && i128::from(units_or_zero(v.sgst_value)?) == self.sgst
            && i128::from(units_or_zero(v.igst_value)?) == self.igst
            && i128::from(units_or_zero(v.cess_value)?) == self.cess
            && i128::from(units_or_zero(v.state_cess_value)?) == self.state_cess;
        if !sums_equal {
            return Some(false);
        }
        let expected = self.total_item_value - i128::from(units_or_zero(v.discount)?)
            + i128::from(units_or_zero(v.other_charges)?)
            + i128::from(units_or_zero(v.round_off_amount)?);
        let difference = i128::from(units(v.total_invoice_value)?) - expected;
        Some(difference.abs() <= i128::from(units(tolerance)?))
    }
}

#[cfg(test)]
mod tests;
