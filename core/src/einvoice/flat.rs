//! The flat "quickstart" dialect of the API (seed 002) and its normalisation into the canonical
//! grouped form.
//!
//! The flat dialect is the canonical document with fewer levels and friendlier names:
//! `invoiceNumber` for `documentDetails.number`, `lines[]` for `items[]`, `lineNumber` for
//! `serialNumber`, `assessableValue` for `assessableAmount`, `pinCode` for `pincode`,
//! `placeOfSupplyStateCode` at the top rather than on the buyer, `totals{}` for `valueDetails`,
//! booleans for NIC's Y/N flags (both accepted). Because it is a pure renaming, normalisation is
//! done on the JSON tree ([`to_canonical_json`]) and then read by the canonical model, and every
//! canonical path has a flat path ([`canonical_path_to_flat`]), so findings can name the field the
//! user actually sent.
//!
//! Two things are not renames:
//! - `financialYear` is redundant with `invoiceDate` (the IRN's financial year is the date's, nic-rules
//!   B.7); it is optional and, when sent, must agree with the date.
//! - `totalAmount` (NIC `TotAmt`, required) may be left out of a line; it is then taken as
//!   `assessableValue + discount`, the one value for which NIC's rule 2193
//!   (`AssAmt = TotAmt - Discount`) holds.

use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::str::FromStr;

use crate::finding::{escape_pointer_token, Finding};

/// Top-level flat keys that move into `transactionDetails`.
const TRANSACTION_KEYS: &[&str] = &["supplyType", "reverseCharge", "ecomGstin", "igstOnIntra"];

/// Flat `documentType` / `invoiceNumber` / `invoiceDate` and their canonical names.
const DOCUMENT_KEYS: &[(&str, &str)] = &[
    ("documentType", "type"),
    ("invoiceNumber", "number"),
    ("invoiceDate", "date"),
];

/// Flat `totals{}` keys and their canonical `valueDetails` names.
const TOTALS_KEYS: &[(&str, &str)] = &[
    ("assessableValue", "assessableValue"),
    ("totalCgstValue", "cgstValue"),
    ("totalSgstValue", "sgstValue"),
    ("totalIgstValue", "igstValue"),
    ("totalCessValue", "cessValue"),
    ("totalStateCessValue", "stateCessValue"),
    ("totalDiscount", "discount"),
    ("totalOtherCharges", "otherCharges"),
    ("roundOffAmount", "roundOffAmount"),
    ("totalInvoiceValue", "totalInvoiceValue"),
    (
        "totalInvoiceValueForeignCurrency",
        "totalInvoiceValueForeignCurrency",
    ),
];

/// Flat line keys renamed in the canonical item.
const LINE_KEYS: &[(&str, &str)] = &[
    ("lineNumber", "serialNumber"),
    ("assessableValue", "assessableAmount"),
];

/// Party blocks whose `pinCode` is the canonical `pincode`.
const PARTY_BLOCKS: &[&str] = &["seller", "buyer", "dispatchFrom", "shipTo"];

/// Blocks that have the same shape in both dialects.
const SHARED_BLOCKS: &[&str] = &[
    "paymentDetails",
    "referenceDetails",
    "additionalDocuments",
    "exportDetails",
    "eWayBillDetails",
];

/// Whether a JSON document looks like the flat dialect rather than the grouped one.
pub fn is_flat(doc: &Map<String, Value>) -> bool {
    is_flat_by(|key| doc.contains_key(key))
}

/// [`is_flat`] of an object that has the top-level keys `has` says it has.
pub(crate) fn is_flat_by(has: impl Fn(&str) -> bool) -> bool {
    has("invoiceNumber") || has("lines") || has("totals")
}

/// Rewrites a flat document into the canonical grouped JSON.
///
/// Keys it does not know are carried over unchanged, so that the canonical model reports them as
/// unknown fields (at a path [`canonical_path_to_flat`] maps back). Canonical names sent in a
/// flat document (`pincode` for `pinCode`, `items` beside `lines`) are reported here, since they
/// would otherwise be silently accepted or collide.
pub fn to_canonical_json(flat: &Map<String, Value>) -> (Value, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut out = Map::new();
    let mut document = Map::new();
    let mut transaction = Map::new();

    for (key, value) in flat {
        let key = key.as_str();
        if let Some((_, canonical)) = DOCUMENT_KEYS.iter().find(|(k, _)| *k == key) {
            document.insert((*canonical).to_owned(), value.clone());
        } else if TRANSACTION_KEYS.contains(&key) {
            transaction.insert(key.to_owned(), value.clone());
        } else if key == "financialYear" || key == "placeOfSupplyStateCode" {
            // Checked or moved below.
        } else if PARTY_BLOCKS.contains(&key) {
            out.insert(
                key.to_owned(),
                rename_keys(
                    value,
                    &[("pinCode", "pincode")],
                    &format!("/{key}"),
                    &mut findings,
                ),
            );
        } else if key == "lines" {
            out.insert("items".to_owned(), lines_to_items(value, &mut findings));
        } else if key == "totals" {
            out.insert(
                "valueDetails".to_owned(),
                rename_keys(value, TOTALS_KEYS, "/totals", &mut findings),
            );
        } else if SHARED_BLOCKS.contains(&key) {
            out.insert(key.to_owned(), value.clone());
        } else if matches!(
            key,
            "documentDetails" | "transactionDetails" | "items" | "valueDetails"
        ) {
            findings.push(unknown_field(&format!("/{key}"), key));
        } else {
            out.insert(key.to_owned(), value.clone());
        }
    }

    if let Some(pos) = flat.get("placeOfSupplyStateCode") {
        if let Some(Value::Object(buyer)) = out.get_mut("buyer") {
            buyer.insert("placeOfSupplyStateCode".to_owned(), pos.clone());
        }
    }
    if !document.is_empty() {
        out.insert("documentDetails".to_owned(), Value::Object(document));
    }
    if !transaction.is_empty() {
        out.insert("transactionDetails".to_owned(), Value::Object(transaction));
    }
    findings.extend(check_financial_year(flat));
    (Value::Object(out), findings)
}

/// `financialYear`, when sent, must be the financial year of `invoiceDate`.
fn check_financial_year(flat: &Map<String, Value>) -> Option<Finding> {
    let fy = flat.get("financialYear")?;
    let Some(fy_text) = fy.as_str() else {
        return Some(Finding::error(
            "/financialYear",
            "parse.invalid_type",
            "`financialYear` must be a string such as \"2026-27\"",
        ));
    };
    let fy = match fy_text.parse::<crate::calendar::FinancialYear>() {
        Ok(fy) => fy,
        Err(e) => {
            return Some(Finding::error(
                "/financialYear",
                "parse.invalid_value",
                e.to_string(),
            ))
        }
    };
    let date = flat
        .get("invoiceDate")
        .and_then(Value::as_str)
        .and_then(|d| crate::calendar::parse_api_date(d).ok())?;
    let actual = crate::calendar::FinancialYear::of(date);
    (actual != fy).then(|| {
        Finding::error(
            "/financialYear",
            "document.financial_year_mismatch",
            format!(
                "`financialYear` is {fy} but `invoiceDate` {date} falls in {actual}: the IRN is \
                 computed from the financial year of the document date (April to March)"
            ),
        )
    })
}

fn lines_to_items(lines: &Value, findings: &mut Vec<Finding>) -> Value {
    let Value::Array(lines) = lines else {
        return lines.clone();
    };
    let items = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let path = format!("/lines/{i}");
            let mut item = rename_keys(line, LINE_KEYS, &path, findings);
            if let Value::Object(item) = &mut item {
                if let Some(Value::Number(n)) = item.get("serialNumber") {
                    // `lineNumber: 1` is the flat form of NIC's string `SlNo: "1"`.
                    let text = n.to_string();
                    item.insert("serialNumber".to_owned(), Value::String(text));
                }
                if !item.contains_key("totalAmount") {
                    if let Some(total) = derived_total_amount(item) {
                        item.insert("totalAmount".to_owned(), total);
                    }
                }
            }
            item
        })
        .collect();
    Value::Array(items)
}

/// `assessableValue + discount`, when both read as exact decimals.
fn derived_total_amount(item: &Map<String, Value>) -> Option<Value> {
    let assessable = decimal_of(item.get("assessableAmount")?)?;
    let discount = match item.get("discount") {
        None | Some(Value::Null) => Decimal::ZERO,
        Some(v) => decimal_of(v)?,
    };
    let total = assessable.checked_add(discount)?;
    serde_json::to_value(total).ok()
}

fn decimal_of(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => Decimal::from_str_exact(&n.to_string()).ok(),
        Value::String(s) => Decimal::from_str(s).ok(),
        _ => None,
    }
}

/// Renames the keys of one object; reports a canonical name sent where the flat one belongs.
fn rename_keys(
    value: &Value,
    renames: &[(&str, &str)],
    path: &str,
    findings: &mut Vec<Finding>,
) -> Value {
    let Value::Object(obj) = value else {
        return value.clone();
    };
    let mut out = Map::new();
    for (key, v) in obj {
        if let Some((_, to)) = renames.iter().find(|(from, _)| from == key) {
            out.insert((*to).to_owned(), v.clone());
        } else if renames.iter().any(|(from, to)| to == key && from != to) {
            findings.push(unknown_field(
                &format!("{path}/{}", escape_pointer_token(key)),
                key,
            ));
        } else {
            out.insert(key.clone(), v.clone());
        }
    }
    Value::Object(out)
}

fn unknown_field(path: &str, key: &str) -> Finding {
    Finding::error(
        path,
        "parse.unknown_field",
        format!("unknown field `{key}` in the flat dialect"),
    )
}

/// Restates a "missing field" finding of the canonical model in the flat user's terms.
///
/// A flat line may leave `totalAmount` out, since it is derived from `assessableValue`; so when the
/// model misses `totalAmount` on such a line, what is really missing is `assessableValue`.
pub fn restate_missing(flat: &Map<String, Value>, mut finding: Finding) -> Finding {
    finding.path = canonical_path_to_flat(&finding.path);
    if finding.code != "parse.missing_field" {
        return finding;
    }
    let parts: Vec<&str> = finding.path.split('/').collect();
    if let ["", "lines", index, "totalAmount"] = parts.as_slice() {
        let line = index
            .parse::<usize>()
            .ok()
            .and_then(|i| flat.get("lines")?.as_array()?.get(i)?.as_object());
        if line.is_some_and(|l| !l.contains_key("totalAmount")) {
            finding.path = format!("/lines/{index}/assessableValue");
            finding.message = "required field `assessableValue` is missing".to_owned();
        }
    }
    finding
}

/// Maps a JSON pointer into the canonical document to the field of the flat document it came
/// from, so a finding names what the user sent.
pub fn canonical_path_to_flat(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    let rest = |from: usize| -> String {
        parts[from..]
            .iter()
            .map(|p| format!("/{p}"))
            .collect::<String>()
    };
    match parts.as_slice() {
        [] => path.to_owned(),
        ["documentDetails"] => String::new(),
        ["documentDetails", field, ..] => match DOCUMENT_KEYS.iter().find(|(_, c)| c == field) {
            Some((flat, _)) => format!("/{flat}{}", rest(2)),
            None => path.to_owned(),
        },
        ["transactionDetails"] => String::new(),
        ["transactionDetails", field, ..] => format!("/{field}{}", rest(2)),
        [party, "placeOfSupplyStateCode", ..] if *party == "buyer" => {
            format!("/placeOfSupplyStateCode{}", rest(2))
        }
        [party, "pincode", ..] if PARTY_BLOCKS.contains(party) => {
            format!("/{party}/pinCode{}", rest(2))
        }
        ["items", rest_parts @ ..] => {
            let mut out = String::from("/lines");
            for (i, p) in rest_parts.iter().enumerate() {
                let renamed = if i == 1 {
                    LINE_KEYS
                        .iter()
                        .find(|(_, c)| c == p)
                        .map(|(f, _)| *f)
                        .unwrap_or(p)
                } else {
                    p
                };
                out.push('/');
                out.push_str(renamed);
            }
            out
        }
        ["valueDetails", field, ..] => match TOTALS_KEYS.iter().find(|(_, c)| c == field) {
            Some((flat, _)) => format!("/totals/{flat}{}", rest(2)),
            None => format!("/totals/{field}{}", rest(2)),
        },
        ["valueDetails"] => "/totals".to_owned(),
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_back_to_the_flat_fields() {
        for (canonical, flat) in [
            ("/documentDetails/number", "/invoiceNumber"),
            ("/documentDetails/date", "/invoiceDate"),
            ("/documentDetails/type", "/documentType"),
            ("/transactionDetails/supplyType", "/supplyType"),
            ("/buyer/placeOfSupplyStateCode", "/placeOfSupplyStateCode"),
            ("/seller/pincode", "/seller/pinCode"),
            ("/seller/gstin", "/seller/gstin"),
            ("/items/3/serialNumber", "/lines/3/lineNumber"),
            ("/items/0/assessableAmount", "/lines/0/assessableValue"),
            ("/items/0/igstAmount", "/lines/0/igstAmount"),
            ("/items/0/batch/name", "/lines/0/batch/name"),
            ("/valueDetails/igstValue", "/totals/totalIgstValue"),
            ("/valueDetails/assessableValue", "/totals/assessableValue"),
            ("/exportDetails/portCode", "/exportDetails/portCode"),
            ("", ""),
        ] {
            assert_eq!(canonical_path_to_flat(canonical), flat, "{canonical}");
        }
    }
}
