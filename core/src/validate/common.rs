//! Small checks shared by the e-invoice and e-way bill rules: decimal sums that cannot overflow,
//! state-code comparison, GSTIN findings placed at a field, HSN codes, document numbers, PINs.

use rust_decimal::Decimal;

use super::options::ValidationOptions;
use crate::finding::{Finding, Severity};
use crate::gstin::{verdict, GstinVerdict};
use crate::masters::{self, normalize_state_code, PinCheck};

/// An optional amount, absent read as zero (NIC reads an absent amount as 0).
pub(super) fn nz(x: Option<Decimal>) -> Decimal {
    x.unwrap_or(Decimal::ZERO)
}

/// The exact sum, or `None` if it would overflow `Decimal` (a value no schema allows; the
/// arithmetic rule that needed it is then skipped rather than panicking).
pub(super) fn sum<I: IntoIterator<Item = Decimal>>(values: I) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}

/// `|a - b| > tolerance`; a difference too large to represent is certainly larger.
pub(super) fn differs(a: Decimal, b: Decimal, tolerance: Decimal) -> bool {
    match a.checked_sub(b) {
        Some(d) => d.abs() > tolerance,
        None => true,
    }
}

/// `amount x rate / 100`, or `None` on overflow. Dividing by 100 is moving the decimal point,
/// which is exact and much cheaper than a decimal division while the scale has room.
pub(super) fn percent_of(amount: Decimal, rate: Decimal) -> Option<Decimal> {
    let mut product = amount.checked_mul(rate)?;
    let scale = product.scale() + 2;
    if scale <= 28 {
        product.set_scale(scale).ok()?;
        Some(product)
    } else {
        product.checked_div(Decimal::ONE_HUNDRED)
    }
}

/// Whether two state codes are the same state (`"7"` and `"07"` are).
pub(super) fn same_state(a: &str, b: &str) -> bool {
    normalize_state_code(a) == normalize_state_code(b)
}

/// Checks a GSTIN field and places its findings at `path`, naming the field in the message.
pub(super) fn gstin_at<'a>(
    path: &str,
    field: &str,
    gstin: &'a str,
    options: &ValidationOptions,
    out: &mut Vec<Finding>,
) -> GstinVerdict<'a> {
    let check = verdict(gstin, &options.gstin_options());
    for f in &check.findings {
        out.push(Finding {
            path: path.to_owned(),
            message: format!("{field}: {}", f.message),
            ..f.clone()
        });
    }
    check
}

/// What a state-code field may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StateUse {
    /// A party in India on an e-invoice (the supplier): any state or territory, not 96.
    InvoiceInIndia,
    /// Any e-invoice state code, 96 "Other Countries" included.
    InvoiceAny,
    /// Any e-way bill state code (99 included).
    WayBill,
}

/// Reports a state code the master does not have for this use. Returns whether it is known.
pub(super) fn state_known(
    path: &str,
    field: &str,
    code: &str,
    usage: StateUse,
    nic_code: Option<&str>,
    out: &mut Vec<Finding>,
) -> bool {
    let ok = masters::state(code).is_some_and(|s| match usage {
        StateUse::InvoiceInIndia => s.einvoice && s.kind != masters::StateKind::OutsideIndia,
        StateUse::InvoiceAny => s.einvoice,
        StateUse::WayBill => s.ewaybill,
    });
    if !ok {
        let what = match usage {
            StateUse::InvoiceInIndia => "a state or territory of India in NIC's state master",
            StateUse::InvoiceAny => "in NIC's e-invoice state master (01-38, 96, 97)",
            StateUse::WayBill => "in the e-way bill state master",
        };
        let mut f = Finding::error(
            path,
            "state.unknown",
            format!("{field} `{code}` is not {what}"),
        );
        if let Some(n) = nic_code {
            f = f.with_nic_code(n);
        }
        out.push(f);
    }
    ok
}

/// Checks a PIN code's form and whether it may belong to the state (2178, nic-rules B.4). The
/// state is assumed known (callers skip this when the state-code rule failed).
pub(super) fn pin_in_state(
    path: &str,
    field: &str,
    pin: u32,
    state_code: &str,
    nic_code: Option<&str>,
    options: &ValidationOptions,
    out: &mut Vec<Finding>,
) {
    if !(100_000..=999_999).contains(&pin) {
        out.push(Finding::error(
            path,
            "pin.format",
            format!("{field} `{pin}` is not a 6-digit PIN code (100000-999999)"),
        ));
        return;
    }
    if masters::pin_may_belong(pin, state_code) == PinCheck::DoesNotBelong {
        let name = masters::state(state_code).map_or("", |s| s.name.as_str());
        let mut f = Finding {
            path: path.to_owned(),
            code: "pin.state_mismatch".to_owned(),
            nic_code: None,
            message: format!(
                "{field} `{pin}` does not belong to state {state_code} ({name}): its first three \
                 digits are in none of the state's PIN ranges (NIC master, nic-rules B.4)"
            ),
            severity: options.pin_state_mismatch,
        };
        if let Some(n) = nic_code {
            f = f.with_nic_code(n);
        }
        out.push(f);
    }
}

/// Whether an HSN/SAC code has NIC's form: 4, 6 or 8 digits, not all zeros (nic-rules A.2, B.5).
pub(super) fn hsn_well_formed(hsn: &str) -> bool {
    matches!(hsn.len(), 4 | 6 | 8)
        && hsn.bytes().all(|b| b.is_ascii_digit())
        && hsn.bytes().any(|b| b != b'0')
}

/// A SAC (services) code: chapter 99. Goods HSN chapters end at 98.
pub(super) fn is_service_hsn(hsn: &str) -> bool {
    hsn.starts_with("99")
}

/// Checks an HSN code's form and, when the supplier's turnover is known, the 6-digit rule.
/// Returns whether the form is right. `at` gives the path and the field's name, built only when
/// there is something to report.
pub(super) fn hsn_rules(
    hsn: &str,
    at: impl FnOnce() -> (String, String),
    format_nic: Option<&str>,
    turnover_nic: Option<&str>,
    options: &ValidationOptions,
    out: &mut Vec<Finding>,
) -> bool {
    if !hsn_well_formed(hsn) {
        let (path, field) = at();
        let mut f = Finding::error(
            path,
            "hsn.format",
            format!("{field} `{hsn}` is not an HSN/SAC code of 4, 6 or 8 digits (not all zeros)"),
        );
        if let Some(n) = format_nic {
            f = f.with_nic_code(n);
        }
        out.push(f);
        return false;
    }
    if let Some(turnover) = options.aggregate_turnover {
        if turnover >= options.hsn_six_digit_turnover && hsn.len() < 6 {
            let (path, field) = at();
            let mut f = Finding::error(
                path,
                "hsn.length_for_turnover",
                format!(
                    "{field} `{hsn}` has 4 digits, but at an aggregate turnover of {turnover} \
                     (from {} rupees) at least 6 digits are required (Notification 78/2020-CT, \
                     nic-rules B.5)",
                    options.hsn_six_digit_turnover
                ),
            );
            if let Some(n) = turnover_nic {
                f = f.with_nic_code(n);
            }
            out.push(f);
        }
    }
    true
}

/// Reports an amount below zero: NIC's schema minimum is 0 for every amount but the round-off
/// (nic-rules B.2, "no negative lines"). `at` gives the path and the field's name, built only when
/// there is something to report.
pub(super) fn not_negative(
    value: Option<Decimal>,
    at: impl FnOnce() -> (String, String),
    out: &mut Vec<Finding>,
) {
    if let Some(v) = value {
        if v.is_sign_negative() && !v.is_zero() {
            let (path, field) = at();
            out.push(Finding::error(
                path,
                "amount.negative",
                format!("{field} is {v}; NIC accepts no negative amounts (schema minimum 0)"),
            ));
        }
    }
}

/// A finding with the severity from the options.
pub(super) fn with_severity(mut f: Finding, severity: Severity) -> Finding {
    f.severity = severity;
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsn_forms() {
        for ok in ["8482", "998314", "84821010"] {
            assert!(hsn_well_formed(ok), "{ok}");
        }
        for bad in [
            "",
            "848",
            "84821",
            "8482101",
            "848210100",
            "0000",
            "84a2",
            "000000",
        ] {
            assert!(!hsn_well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn overflow_is_not_a_panic() {
        assert_eq!(sum([Decimal::MAX, Decimal::MAX]), None);
        assert!(differs(Decimal::MAX, Decimal::MIN, Decimal::ONE));
        assert_eq!(percent_of(Decimal::MAX, Decimal::MAX), None);
        assert_eq!(
            percent_of(Decimal::new(2500000, 2), Decimal::new(18, 0)),
            Some(Decimal::new(450000, 2))
        );
        assert_eq!(
            percent_of(Decimal::new(-1, 28), Decimal::ONE),
            Some(Decimal::ZERO)
        );
    }
}
