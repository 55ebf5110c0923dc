//! The shortcut against the `Decimal` rules: whenever it answers, its answer is theirs.
//!
//! Random documents rarely meet an equality by chance, so the generators build consistent
//! amounts first and then move some by a few paise around the tolerance, where an off-by-one in
//! the shortcut would show.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::{units, Line, Sums};
use crate::einvoice::model::{EInvoice, Item, SupplyType};
use crate::einvoice::parse::parse_invoice_value;
use crate::finding::Finding;
use crate::validate::arithmetic::{document_sums, item_taxes, item_values};
use crate::validate::options::ValidationOptions;
use crate::validate::supply::Regime;

const VECTOR: &str = include_str!("../../../../../tests/vectors/einvoice/b2b-inter.json");

fn invoice() -> EInvoice {
    let vector: serde_json::Value = serde_json::from_str(VECTOR).unwrap();
    parse_invoice_value(vector["canonical"].clone())
        .unwrap()
        .invoice
}

fn d(mantissa: i64, scale: u32) -> Decimal {
    Decimal::new(mantissa, scale)
}

#[test]
fn units_of_edge_values() {
    assert_eq!(units(Decimal::ZERO), Some(0));
    assert_eq!(units(Decimal::from_parts(0, 0, 0, true, 2)), Some(0));
    assert_eq!(units(d(15, 1)), Some(15_000));
    assert_eq!(units(d(-12_345, 4)), Some(-12_345));
    assert_eq!(units(d(1, 5)), None);
    assert_eq!(units(d(10, 5)), None, "scale, not value, decides");
    assert_eq!(units(d(1_000_000_000_000, 0)), Some(10_000_000_000_000_000));
    assert_eq!(units(d(-1_000_000_000_000, 4)), Some(-1_000_000_000_000));
    assert_eq!(units(d(1_000_000_000_001, 0)), None);
    assert_eq!(units(d(-1_000_000_000_001, 2)), None);
    assert_eq!(units(Decimal::MAX), None);
    assert_eq!(units(Decimal::MIN), None);
}

/// The `Decimal` verdict of `item_values` and `item_taxes` on one item.
fn decimal_verdicts(
    item: &Item,
    total_may_exclude_tax: bool,
    sup: SupplyType,
    regime: Regime,
    options: &ValidationOptions,
) -> (bool, bool) {
    let mut values: Vec<Finding> = Vec::new();
    item_values(0, item, total_may_exclude_tax, options, &mut values);
    let mut taxes: Vec<Finding> = Vec::new();
    item_taxes(0, item, sup, regime, options, &mut taxes);
    (values.is_empty(), taxes.is_empty())
}

/// Asserts that the shortcut, where it answers, says what the `Decimal` rules say. Returns
/// whether it answered.
fn check_item(
    item: &Item,
    total_may_exclude_tax: bool,
    sup: SupplyType,
    regime: Regime,
    tolerance: Decimal,
) -> bool {
    let options = ValidationOptions {
        item_tax_tolerance: tolerance,
        ..ValidationOptions::default()
    };
    let (values, taxes) = decimal_verdicts(item, total_may_exclude_tax, sup, regime, &options);
    let Some((line, tol)) = Line::of(item).zip(units(tolerance)) else {
        return false;
    };
    let zero_rated = matches!(
        sup,
        SupplyType::ExportWithoutPayment | SupplyType::SezWithoutPayment
    );
    assert_eq!(
        line.values_clean(total_may_exclude_tax, tol),
        values,
        "item values of {item:?}, tolerance {tolerance}"
    );
    assert_eq!(
        line.taxes_clean(zero_rated, regime == Regime::IntraState, tol),
        taxes,
        "item taxes of {item:?}, {sup:?}, {regime:?}, tolerance {tolerance}"
    );
    true
}

/// A mantissa: mostly ordinary, sometimes at or past the shortcut's 12-digit limit.
fn mantissa() -> impl Strategy<Value = i64> {
    prop_oneof![
        40 => 0i64..100_000_000,
        6 => 0i64..10,
        1 => 999_999_999_990i64..1_000_000_000_010,
        1 => 0i64..i64::MAX / 2,
    ]
}

/// An amount of 0 to 3 decimals (now and then 4 or 5, past the shortcut's scale).
fn amount() -> impl Strategy<Value = Decimal> {
    (
        mantissa(),
        prop_oneof![60 => 0u32..=3, 1 => 4u32..=5],
        any::<bool>(),
    )
        .prop_map(|(m, s, neg)| {
            // Negative amounts now and then: the arithmetic rules still run on them.
            let m = if neg && m % 7 == 0 { -m } else { m };
            d(m, s)
        })
}

/// A small move in paise around where tolerances bite (1.00 and 0.01), or none.
fn nudge() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        10 => Just(Decimal::ZERO),
        6 => prop::sample::select(vec![-101i64, -100, -99, -51, -50, -49, -1, 1, 49, 50, 51, 99, 100, 101])
            .prop_map(|p| d(p, 2)),
        1 => (-100_000i64..100_000, 0u32..=3).prop_map(|(m, s)| d(m, s)),
    ]
}

fn rate() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        6 => prop::sample::select(vec![
            d(0, 0), d(1, 1), d(25, 2), d(5, 1), d(1, 0), d(15, 1), d(3, 0), d(5, 0),
            d(12, 0), d(1800, 2), d(18, 0), d(28, 0), d(40, 0), d(18_000, 3),
        ]),
        1 => amount(),
    ]
}

fn tolerance() -> impl Strategy<Value = Decimal> {
    prop::sample::select(vec![
        d(1, 0),
        d(100, 2),
        d(0, 0),
        d(1, 2),
        d(5, 1),
        d(-1, 0),
        d(1_000_000_000_000, 0),
        d(1, 5),
    ])
}

fn supply() -> impl Strategy<Value = SupplyType> {
    prop::sample::select(vec![
        SupplyType::B2b,
        SupplyType::ExportWithoutPayment,
        SupplyType::SezWithoutPayment,
        SupplyType::ExportWithPayment,
        SupplyType::SezWithPayment,
    ])
}

fn round(x: Decimal, dp: u32) -> Decimal {
    x.round_dp(dp)
}

/// Which of the three GST amounts an item carries.
#[derive(Debug, Clone, Copy)]
enum Gst {
    Igst,
    Halves,
    Both,
    None,
}

/// The inputs of one generated item.
#[derive(Debug, Clone)]
struct ItemInputs {
    quantity: Option<Decimal>,
    unit_price: Decimal,
    gross_nudge: Decimal,
    discount: Option<Decimal>,
    assessable_nudge: Decimal,
    rate: Decimal,
    gst: Gst,
    tax_nudges: [Decimal; 3],
    tax_decimals: u32,
    cess: Option<(Decimal, Decimal)>,
    state_cess: Option<(Decimal, Decimal)>,
    non_advol: [Option<Decimal>; 2],
    other_charges: Option<Decimal>,
    total_nudge: Decimal,
    total_excludes_tax: bool,
}

fn item_inputs() -> impl Strategy<Value = ItemInputs> {
    let gst = prop::sample::select(vec![Gst::Igst, Gst::Halves, Gst::Both, Gst::None]);
    (
        (
            prop::option::weighted(0.8, amount()),
            amount(),
            nudge(),
            prop::option::weighted(0.3, amount()),
            nudge(),
            rate(),
            gst,
        ),
        (
            [nudge(), nudge(), nudge()],
            0u32..=3,
            prop::option::weighted(0.2, (rate(), nudge())),
            prop::option::weighted(0.2, (rate(), nudge())),
            [
                prop::option::weighted(0.2, amount()),
                prop::option::weighted(0.2, amount()),
            ],
            prop::option::weighted(0.3, amount()),
            nudge(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (quantity, unit_price, gross_nudge, discount, assessable_nudge, rate, gst),
                (
                    tax_nudges,
                    tax_decimals,
                    cess,
                    state_cess,
                    non_advol,
                    other_charges,
                    total_nudge,
                    total_excludes_tax,
                ),
            )| ItemInputs {
                quantity,
                unit_price,
                gross_nudge,
                discount,
                assessable_nudge,
                rate,
                gst,
                tax_nudges,
                tax_decimals,
                cess,
                state_cess,
                non_advol,
                other_charges,
                total_nudge,
                total_excludes_tax,
            },
        )
}

/// Builds an item whose amounts follow from the inputs by NIC's formulas, each moved by its
/// nudge. Amounts too large for `Decimal` leave the item as it was (the case is then one more
/// random item).
fn build_item(base: &Item, x: &ItemInputs) -> Item {
    let mut item = base.clone();
    let add = |a: Decimal, b: Decimal| a.checked_add(b).unwrap_or(a);
    item.quantity = x.quantity;
    item.unit_price = x.unit_price;
    let gross = x
        .quantity
        .and_then(|q| q.checked_mul(x.unit_price))
        .unwrap_or(x.unit_price);
    item.total_amount = add(round(gross, 2), x.gross_nudge);
    item.discount = x.discount;
    item.assessable_amount = add(
        item.total_amount
            .checked_sub(x.discount.unwrap_or_default())
            .unwrap_or(item.total_amount),
        x.assessable_nudge,
    );
    item.gst_rate = x.rate;
    let tax = item
        .assessable_amount
        .checked_mul(x.rate)
        .and_then(|p| p.checked_div(Decimal::ONE_HUNDRED))
        .unwrap_or_default();
    let half = round(tax / Decimal::TWO, x.tax_decimals);
    let tax = round(tax, x.tax_decimals);
    let [n0, n1, n2] = x.tax_nudges;
    let (igst, cgst, sgst) = match x.gst {
        Gst::Igst => (Some(add(tax, n0)), None, None),
        Gst::Halves => (None, Some(add(half, n1)), Some(add(half, n2))),
        Gst::Both => (Some(add(half, n0)), Some(add(half, n1)), Some(n2)),
        Gst::None => (None, None, None),
    };
    item.igst_amount = igst;
    item.cgst_amount = cgst;
    item.sgst_amount = sgst;
    let cess_of = |c: Option<(Decimal, Decimal)>| match c {
        Some((rate, nudge)) => {
            let amount = item
                .assessable_amount
                .checked_mul(rate)
                .and_then(|p| p.checked_div(Decimal::ONE_HUNDRED))
                .map(|a| add(round(a, 2), nudge));
            (Some(rate), amount)
        }
        None => (None, None),
    };
    (item.cess_rate, item.cess_amount) = cess_of(x.cess);
    (item.state_cess_rate, item.state_cess_amount) = cess_of(x.state_cess);
    item.cess_non_advol_amount = x.non_advol[0];
    item.state_cess_non_advol_amount = x.non_advol[1];
    item.other_charges = x.other_charges;
    let mut total = item.assessable_amount;
    for part in [
        item.cess_amount,
        item.cess_non_advol_amount,
        item.state_cess_amount,
        item.state_cess_non_advol_amount,
        item.other_charges,
    ]
    .into_iter()
    .flatten()
    {
        total = add(total, part);
    }
    if !x.total_excludes_tax {
        for part in [igst, cgst, sgst].into_iter().flatten() {
            total = add(total, part);
        }
    }
    item.total_item_value = add(total, x.total_nudge);
    item
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn items_agree_with_decimal_rules(
        inputs in item_inputs(),
        total_may_exclude_tax in any::<bool>(),
        sup in supply(),
        intra in any::<bool>(),
        tol in tolerance(),
    ) {
        let base = invoice().items.remove(0);
        let item = build_item(&base, &inputs);
        let regime = if intra { Regime::IntraState } else { Regime::Igst };
        check_item(&item, total_may_exclude_tax, sup, regime, tol);
    }
}

/// The hand-picked cases: tolerance edges in each tax branch, and values at the range's limits.
#[test]
fn items_at_the_edges() {
    let base = invoice().items.remove(0);
    let one = d(1, 0);
    let mut answered = 0;
    let mut check = |item: &Item, sup, regime, tol| {
        answered += usize::from(check_item(item, false, sup, regime, tol));
        answered += usize::from(check_item(item, true, sup, regime, tol));
    };
    // The vector's own line: clean, IGST.
    check(&base, SupplyType::B2b, Regime::Igst, one);
    check(&base, SupplyType::B2b, Regime::IntraState, one);

    // IGST exactly at, just inside and just past the tolerance.
    for igst in [
        d(1_152_099, 2),
        d(1_152_100, 2),
        d(1_151_899, 2),
        d(1_151_898, 2),
        d(1_152_101, 2),
    ] {
        let mut item = base.clone();
        item.igst_amount = Some(igst);
        check(&item, SupplyType::B2b, Regime::Igst, one);
    }
    // Halves: expected 11519.9928, half 5759.9964; odd last digit of the expected tax.
    for (c, s) in [
        (d(576_000, 2), d(576_000, 2)),
        (d(575_999, 2), d(576_000, 2)),
        (d(575_900, 2), d(576_099, 2)),
        (d(575_899, 2), d(576_099, 2)),
        (d(5_760_996, 3), d(5_758_997, 3)),
        (d(5_760_997, 3), d(5_758_996, 3)),
    ] {
        let mut item = base.clone();
        item.igst_amount = None;
        item.cgst_amount = Some(c);
        item.sgst_amount = Some(s);
        item.total_item_value = base.assessable_amount + c + s;
        check(&item, SupplyType::B2b, Regime::IntraState, one);
        check(&item, SupplyType::B2b, Regime::IntraState, Decimal::ZERO);
    }
    // An odd expected tax in units of 10^-10: 0.01 x 0.1 % = 0.00001, half 0.000005.
    let mut item = base.clone();
    item.assessable_amount = d(1, 2);
    item.total_amount = d(1, 2);
    item.discount = None;
    item.quantity = None;
    item.gst_rate = d(1, 1);
    item.igst_amount = None;
    item.cgst_amount = Some(Decimal::ZERO);
    item.sgst_amount = Some(d(1, 2));
    item.total_item_value = d(2, 2);
    for tol in [Decimal::ZERO, d(1, 4), d(5, 4), d(99, 4), d(1, 2), one] {
        check(&item, SupplyType::B2b, Regime::IntraState, tol);
    }
    // Zero-rated without payment and no GST: the rate is not checked.
    let mut item = base.clone();
    item.igst_amount = None;
    item.total_item_value = base.assessable_amount;
    check(&item, SupplyType::ExportWithoutPayment, Regime::Igst, one);
    check(&item, SupplyType::SezWithoutPayment, Regime::Igst, one);
    check(&item, SupplyType::ExportWithPayment, Regime::Igst, one);

    // The largest numbers the shortcut takes: products of 10^24 at scale 8, aligned to scale 4.
    let max = d(1_000_000_000_000, 0);
    let max4 = d(1_000_000_000_000, 4);
    for (q, p, t) in [
        (max, max, max4),
        (max, max4, max4),
        (max4, max4, max),
        (max4, max4, max4),
        (d(-1_000_000_000_000, 0), max, max4),
    ] {
        let mut item = base.clone();
        item.quantity = Some(q);
        item.unit_price = p;
        item.total_amount = t;
        item.assessable_amount = t;
        item.discount = None;
        item.gst_rate = max;
        item.igst_amount = Some(max4);
        item.cess_rate = Some(max4);
        item.cess_amount = Some(max);
        check(&item, SupplyType::B2b, Regime::Igst, max);
        check(&item, SupplyType::B2b, Regime::IntraState, max4);
    }
    // Just past the range: the shortcut steps aside.
    let mut item = base.clone();
    item.unit_price = d(1_000_000_000_001, 0);
    assert!(Line::of(&item).is_none());
    item.unit_price = d(1, 5);
    assert!(Line::of(&item).is_none());
    assert!(answered > 40, "{answered}");
}

/// The document rules' findings on the sums (2182-2187) and the total (2189).
fn decimal_totals_clean(inv: &EInvoice, options: &ValidationOptions) -> bool {
    let mut out = Vec::new();
    document_sums(inv, None, options, &mut out);
    !out.iter().any(|f| {
        f.code.starts_with("total.")
            && !matches!(
                f.code.as_str(),
                "total.other_charges" | "total.round_off_range" | "total.discount"
            )
    })
}

fn check_document(inv: &EInvoice, tolerance: Decimal) -> bool {
    let options = ValidationOptions {
        total_tolerance: tolerance,
        ..ValidationOptions::default()
    };
    let expected = decimal_totals_clean(inv, &options);
    let mut sums = Sums::default();
    for item in &inv.items {
        match Line::of(item) {
            Some(line) => sums.add(&line),
            None => return false,
        }
    }
    match sums.totals_clean(&inv.value_details, tolerance) {
        Some(clean) => {
            assert_eq!(clean, expected, "{:?}", inv.value_details);
            // The shortcut's verdict leaves the other document rules as they were.
            let mut fast = Vec::new();
            document_sums(inv, Some(sums), &options, &mut fast);
            let mut slow = Vec::new();
            document_sums(inv, None, &options, &mut slow);
            assert_eq!(fast, slow);
            true
        }
        None => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn documents_agree_with_decimal_rules(
        lines in prop::collection::vec(item_inputs(), 1..5),
        nudges in [nudge(), nudge(), nudge(), nudge(), nudge(), nudge(), nudge()],
        discount in prop::option::weighted(0.3, amount()),
        other_charges in prop::option::weighted(0.3, amount()),
        round_off in prop::option::weighted(0.3, (-9_999i64..=9_999).prop_map(|m| d(m, 2))),
        tol in tolerance(),
    ) {
        let mut inv = invoice();
        let base = inv.items.remove(0);
        inv.items = lines.iter().map(|x| build_item(&base, x)).collect();
        let total = |pick: fn(&Item) -> Option<Decimal>, nudge: Decimal| {
            inv.items
                .iter()
                .filter_map(pick)
                .try_fold(nudge, |a, b| a.checked_add(b))
        };
        let [n0, n1, n2, n3, n4, n5, n6] = nudges;
        let v = &mut inv.value_details;
        let sums = (
            total(|it| Some(it.assessable_amount), n0),
            total(|it| it.cgst_amount, n1),
            total(|it| it.sgst_amount, n2),
            total(|it| it.igst_amount, n3),
            total(|it| Some(it.cess_amount.unwrap_or_default() + it.cess_non_advol_amount.unwrap_or_default()), n4),
            total(|it| it.state_cess_amount, n5),
            total(|it| Some(it.total_item_value), n6),
        );
        let (Some(a), Some(c), Some(s), Some(i), Some(ce), Some(sc), Some(t)) = sums else {
            return Ok(());
        };
        v.assessable_value = a;
        v.cgst_value = Some(c).filter(|c| !c.is_zero());
        v.sgst_value = Some(s);
        v.igst_value = Some(i).filter(|i| !i.is_zero());
        v.cess_value = Some(ce);
        v.state_cess_value = Some(sc).filter(|s| !s.is_zero());
        v.discount = discount;
        v.other_charges = other_charges;
        v.round_off_amount = round_off;
        let Some(t) = t
            .checked_sub(discount.unwrap_or_default())
            .and_then(|t| t.checked_add(other_charges.unwrap_or_default()))
            .and_then(|t| t.checked_add(round_off.unwrap_or_default()))
        else {
            return Ok(());
        };
        v.total_invoice_value = t;
        check_document(&inv, tol);
    }
}

#[test]
fn the_vector_document_takes_the_shortcut() {
    let inv = invoice();
    assert!(check_document(&inv, Decimal::ONE));
    assert!(check_document(&inv, Decimal::ZERO));
    let mut off = inv.clone();
    off.value_details.total_invoice_value += d(101, 2);
    assert!(check_document(&off, Decimal::ONE));
    off.value_details.total_invoice_value -= d(1, 2);
    assert!(check_document(&off, Decimal::ONE));
    let mut off = inv.clone();
    off.value_details.igst_value = Some(d(1, 2) + off.value_details.igst_value.unwrap());
    assert!(check_document(&off, Decimal::ONE));
}

/// The quick test for negative item amounts sees every field of the table (one it read beyond
/// the table would only cost the table's loop).
#[test]
fn any_negative_covers_the_item_table() {
    use crate::validate::arithmetic::{any_negative, negatives};
    let base = invoice().items.remove(0);
    assert!(!any_negative(&base));
    let minus = d(-1, 2);
    let setters: [fn(&mut Item, Decimal); 19] = [
        |it, v| it.quantity = Some(v),
        |it, v| it.free_quantity = Some(v),
        |it, v| it.unit_price = v,
        |it, v| it.total_amount = v,
        |it, v| it.discount = Some(v),
        |it, v| it.pre_tax_value = Some(v),
        |it, v| it.assessable_amount = v,
        |it, v| it.gst_rate = v,
        |it, v| it.igst_amount = Some(v),
        |it, v| it.cgst_amount = Some(v),
        |it, v| it.sgst_amount = Some(v),
        |it, v| it.cess_rate = Some(v),
        |it, v| it.cess_amount = Some(v),
        |it, v| it.cess_non_advol_amount = Some(v),
        |it, v| it.state_cess_rate = Some(v),
        |it, v| it.state_cess_amount = Some(v),
        |it, v| it.state_cess_non_advol_amount = Some(v),
        |it, v| it.other_charges = Some(v),
        |it, v| it.total_item_value = v,
    ];
    for set in setters {
        for (value, expected) in [
            (minus, true),
            (Decimal::from_parts(0, 0, 0, true, 2), false),
            (Decimal::ZERO, false),
        ] {
            let mut item = base.clone();
            set(&mut item, value);
            assert_eq!(any_negative(&item), expected, "{item:?}");
            let mut out = Vec::new();
            negatives(0, &item, &mut out);
            assert_eq!(out.len(), usize::from(expected), "{item:?}");
        }
    }
}
