//! The adapter itself, as pure functions from JSON text to JSON text, so that it is the same code
//! under wasm-bindgen, in native tests and in the native benchmark.
//!
//! Every function returns one JSON text. A result is a JSON object (`{"valid": ..}`,
//! `{"ok": ..}`, ...) that never has a top-level `error` member; misuse (an argument of the wrong
//! shape, an unknown option) is `{"error": {"code": "invalid_argument", "message": ".."}}`, which
//! the JS wrapper turns into a thrown `Error` with that `code`. Problems with a document are never
//! misuse: they are findings, returned as data.
//!
//! Why text and not serde-wasm-bindgen: the core reads every amount from the decimal text of its
//! JSON number (serde_json's `arbitrary_precision`), and serde-wasm-bindgen would hand it a JS
//! `number` (an `f64`) instead. Text in, text out keeps money exact across the boundary; how
//! amounts leave is the caller's choice ([`Numbers`]).

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use onefinops_core::calendar::{parse_nic_date, FinancialYear, Timestamp};
use onefinops_core::einvoice::model::DocumentType;
use onefinops_core::einvoice::nic::to_nic;
use onefinops_core::einvoice::parse::{parse_invoice, parse_nic_invoice};
use onefinops_core::einvoice::{DocumentKey, Irn};
use onefinops_core::finding::Finding;
use onefinops_core::gstin::{self, GstinOptions};
use onefinops_core::lifecycle::validity::{self, Cargo, ValidityError, ValidityInput};
use onefinops_core::prepare::prepare_json;
use onefinops_core::validate::{validate_ewaybill_json, validate_invoice_json, ValidationOptions};

/// A call the JS wrapper should refuse with a thrown `Error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misuse {
    /// `invalid_argument`, or `internal` for a result that cannot be written.
    pub code: &'static str,
    /// What was wrong with the call.
    pub message: String,
}

fn invalid(message: impl Into<String>) -> Misuse {
    Misuse {
        code: "invalid_argument",
        message: message.into(),
    }
}

/// The JSON text of a result or of a misuse.
fn finish(out: Result<Value, Misuse>) -> String {
    match out {
        Ok(v) => v.to_string(),
        Err(m) => json!({"error": {"code": m.code, "message": m.message}}).to_string(),
    }
}

/// How numbers are written in a returned document (`prepare`, `toNic`, `fromNic`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Numbers {
    /// Every JSON number becomes a string holding its exact decimal text (`"900.00"`). The
    /// default: exact at any size, keeps the scale, and is accepted back by every function (the
    /// API schemas take amounts as numbers or numeric strings).
    #[default]
    String,
    /// JSON numbers, which `JSON.parse` turns into JS numbers: exact up to 15 significant digits
    /// (every amount below 10^13 with two decimals), rounded beyond.
    Number,
    /// The document as one JSON text, numbers written exactly: what to send on the wire.
    Json,
}

/// Options of the functions that return a document.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct OutputOptions {
    numbers: Numbers,
}

/// Options of `checkGstin`.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct GstinArgs {
    /// Verify the mod-36 check character; default: on, unless `sandbox`.
    check_character: Option<bool>,
    /// NIC sandbox mode: the check character is off (as in the validation options).
    sandbox: bool,
}

/// The argument of `ewaybillValidity`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ValidityArgs {
    #[serde(default)]
    generated_at: Option<Timestamp>,
    #[serde(default)]
    distance_km: Option<u32>,
    #[serde(default)]
    pin_to_pin_km: Option<u32>,
    #[serde(default)]
    extended_at: Option<Timestamp>,
    #[serde(default)]
    remaining_km: Option<u32>,
    #[serde(default)]
    cargo: Cargo,
}

/// Reads an options object: absent or `null` is every default; unknown fields are misuse.
fn options<T: DeserializeOwned + Default>(text: &str, what: &str) -> Result<T, Misuse> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| invalid(format!("{what} is not JSON: {e}")))?;
    match value {
        Value::Null => Ok(T::default()),
        Value::Object(_) => from_value(value, what),
        other => Err(invalid(format!(
            "{what} must be an object, not {}",
            kind(&other)
        ))),
    }
}

/// Deserializes `T`, naming the offending field in the message.
fn from_value<T: DeserializeOwned>(value: Value, what: &str) -> Result<T, Misuse> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            invalid(format!("{what}: {}", e.inner()))
        } else {
            invalid(format!("{what}.{path}: {}", e.inner()))
        }
    })
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A finding as the JS API gives it: `nicCode` is always present, `null` when NIC has none.
fn finding(f: Finding) -> Value {
    json!({
        "path": f.path,
        "code": f.code,
        "nicCode": f.nic_code,
        "message": f.message,
        "severity": f.severity,
    })
}

fn findings(list: Vec<Finding>) -> Value {
    Value::Array(list.into_iter().map(finding).collect())
}

/// Writes a returned document in the requested number form.
pub fn emit(document: Value, numbers: Numbers) -> Value {
    match numbers {
        Numbers::Number => document,
        Numbers::String => numbers_to_strings(document),
        Numbers::Json => Value::String(document.to_string()),
    }
}

/// Replaces every JSON number by a string of its exact text (serde_json keeps that text, as the
/// workspace enables `arbitrary_precision`).
fn numbers_to_strings(v: Value) -> Value {
    match v {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Array(a) => Value::Array(a.into_iter().map(numbers_to_strings).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, numbers_to_strings(v)))
                .collect::<Map<_, _>>(),
        ),
        other => other,
    }
}

/// `{"ok": true, "document": .., "findings": []}` or `{"ok": false, "document": null, "findings": [..]}`.
fn document_result(out: Result<Value, Vec<Finding>>, numbers: Numbers) -> Value {
    match out {
        Ok(doc) => json!({"ok": true, "document": emit(doc, numbers), "findings": []}),
        Err(f) => json!({"ok": false, "document": null, "findings": findings(f)}),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Value, Vec<Finding>> {
    serde_json::to_value(value).map_err(|e| {
        vec![Finding::error(
            "",
            "wasm.serialize",
            format!("the result cannot be written as JSON: {e}"),
        )]
    })
}

/// `validate(document, options)`: every finding of every layer, for an e-invoice in any dialect.
pub fn validate(document: &str, options_json: &str) -> String {
    finish((|| {
        let opts: ValidationOptions = options(options_json, "options")?;
        let report = validate_invoice_json(document.as_bytes(), &opts);
        Ok(json!({"valid": report.valid, "findings": findings(report.findings)}))
    })())
}

/// `validateEwaybill(document, options)`: the same for an e-way bill (canonical or NIC).
pub fn validate_ewaybill(document: &str, options_json: &str) -> String {
    finish((|| {
        let opts: ValidationOptions = options(options_json, "options")?;
        let report = validate_ewaybill_json(document.as_bytes(), &opts);
        Ok(json!({"valid": report.valid, "findings": findings(report.findings)}))
    })())
}

/// `prepare(document, options)`: the document in canonical form with every derived amount filled.
pub fn prepare(document: &str, options_json: &str) -> String {
    finish((|| {
        let out: OutputOptions = options(options_json, "options")?;
        Ok(document_result(
            prepare_json(document.as_bytes()),
            out.numbers,
        ))
    })())
}

/// `toNic(document, options)`: the document (any dialect) in NIC's v1.1 JSON.
pub fn to_nic_json(document: &str, options_json: &str) -> String {
    finish((|| {
        let out: OutputOptions = options(options_json, "options")?;
        let nic = parse_invoice(document.as_bytes()).and_then(|p| to_json(&to_nic(&p.invoice)));
        Ok(document_result(nic, out.numbers))
    })())
}

/// `fromNic(nicDocument, options)`: a NIC v1.1 document in canonical form.
pub fn from_nic_json(document: &str, options_json: &str) -> String {
    finish((|| {
        let out: OutputOptions = options(options_json, "options")?;
        let canonical = parse_nic_invoice(document.as_bytes()).and_then(|inv| to_json(&inv));
        Ok(document_result(canonical, out.numbers))
    })())
}

/// `irn(document)`: the IRN the IRP will assign, and the four parts it hashes.
pub fn irn(document: &str) -> String {
    finish(Ok(match parse_invoice(document.as_bytes()) {
        Ok(parsed) => {
            let key = DocumentKey::of(&parsed.invoice);
            json!({"ok": true, "irn": key.irn().as_str(), "key": key, "findings": []})
        }
        Err(f) => json!({"ok": false, "irn": null, "key": null, "findings": findings(f)}),
    }))
}

/// `irnFromParts(gstin, financialYearOrDate, docType, docNumber)`.
pub fn irn_from_parts(
    seller_gstin: &str,
    financial_year_or_date: &str,
    document_type: &str,
    document_number: &str,
) -> String {
    finish((|| {
        if seller_gstin.is_empty() {
            return Err(invalid("gstin must not be empty"));
        }
        if document_number.is_empty() {
            return Err(invalid("docNumber must not be empty"));
        }
        let year = financial_year(financial_year_or_date)?;
        let doc_type: DocumentType =
            serde_json::from_value(Value::String(document_type.to_owned())).map_err(|_| {
                invalid(format!(
                    "docType `{document_type}` is not INV, CRN or DBN (upper case, as hashed)"
                ))
            })?;
        let irn = Irn::compute(seller_gstin, year, doc_type, document_number);
        Ok(json!({"irn": irn.as_str(), "financialYear": year.to_string()}))
    })())
}

/// A financial year `YYYY-YY`, or the year of a date `YYYY-MM-DD` or `dd/mm/yyyy`.
fn financial_year(text: &str) -> Result<FinancialYear, Misuse> {
    if let Ok(year) = text.parse::<FinancialYear>() {
        return Ok(year);
    }
    let iso = text.len() == 10
        && text.as_bytes()[4] == b'-'
        && text.as_bytes()[7] == b'-'
        && text
            .bytes()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if iso {
        if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(FinancialYear::of(date));
        }
    }
    if let Ok(date) = parse_nic_date(text) {
        return Ok(FinancialYear::of(date));
    }
    Err(invalid(format!(
        "financialYearOrDate `{text}` is neither a financial year `YYYY-YY` (e.g. 2026-27) nor a \
         date `YYYY-MM-DD` or `dd/mm/yyyy`"
    )))
}

/// `checkGstin(gstin, options)`: kind, state code, validity and findings (path `""`).
pub fn check_gstin(gstin_text: &str, options_json: &str) -> String {
    finish((|| {
        let args: GstinArgs = options(options_json, "options")?;
        let opts = GstinOptions {
            check_character: args.check_character.unwrap_or(!args.sandbox),
        };
        let check = gstin::check_gstin(gstin_text, &opts);
        Ok(json!({
            "kind": check.kind,
            "stateCode": check.state_code,
            "valid": check.valid,
            "findings": findings(check.findings),
        }))
    })())
}

/// `ewaybillValidity(input)`: `{generatedAt, distanceKm, pinToPinKm?, cargo?}` for a bill's
/// validity from its generation (or first Part-B entry), or `{extendedAt, remainingKm, cargo?}`
/// for an extension.
pub fn ewaybill_validity(input_json: &str) -> String {
    finish((|| {
        let value: Value = serde_json::from_str(input_json)
            .map_err(|e| invalid(format!("input is not JSON: {e}")))?;
        if !value.is_object() {
            return Err(invalid(format!(
                "input must be an object, not {}",
                kind(&value)
            )));
        }
        let args: ValidityArgs = from_value(value, "input")?;
        let (prediction, extension) = match (args.generated_at, args.extended_at) {
            (Some(from), None) => {
                if args.remaining_km.is_some() {
                    return Err(invalid(
                        "input.remainingKm belongs to an extension (extendedAt), not to generatedAt",
                    ));
                }
                let distance_km = args.distance_km.ok_or_else(|| {
                    invalid(
                        "input.distanceKm is required with generatedAt (0 asks NIC to compute it)",
                    )
                })?;
                let out = validity::predict(&ValidityInput {
                    from,
                    distance_km,
                    pin_to_pin_km: args.pin_to_pin_km,
                    cargo: args.cargo,
                });
                (out, false)
            }
            (None, Some(at)) => {
                if args.distance_km.is_some() || args.pin_to_pin_km.is_some() {
                    return Err(invalid(
                        "an extension (extendedAt) takes remainingKm, not distanceKm or pinToPinKm",
                    ));
                }
                let remaining = args
                    .remaining_km
                    .ok_or_else(|| invalid("input.remainingKm is required with extendedAt"))?;
                (
                    validity::predict_extension(&at, remaining, args.cargo),
                    true,
                )
            }
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "give either generatedAt (a new bill) or extendedAt (an extension), not both",
                ))
            }
            (None, None) => {
                return Err(invalid(
                    "input.generatedAt (or extendedAt for an extension) is required",
                ))
            }
        };
        Ok(match prediction {
            Ok(p) => json!({
                "ok": true,
                "distanceKm": p.distance_km,
                "days": p.days,
                "validUpto": p.valid_upto,
                "findings": [],
            }),
            Err(e) => {
                let mut f = Finding::error(validity_field(e, extension), e.code(), e.to_string());
                f.nic_code = e.nic_code().map(str::to_owned);
                json!({
                    "ok": false,
                    "distanceKm": null,
                    "days": null,
                    "validUpto": null,
                    "findings": [finding(f)],
                })
            }
        })
    })())
}

/// The input field a validity error is about.
fn validity_field(e: ValidityError, extension: bool) -> &'static str {
    match e {
        _ if extension => "/remainingKm",
        ValidityError::NeedPinToPinDistance => "/pinToPinKm",
        ValidityError::DistanceOutOfRange(_) => "/distanceKm",
        ValidityError::RemainingDistanceRequired => "/remainingKm",
    }
}

/// The version of the core this build wraps.
pub fn version() -> &'static str {
    onefinops_core::VERSION
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: String) -> Value {
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn misuse_is_an_error_envelope() {
        let out = parse(validate("{}", r#"{"sandBox": true}"#));
        assert_eq!(out["error"]["code"], "invalid_argument");
        assert!(out["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field `sandBox`"));
        let out = parse(validate("{}", "[1]"));
        assert_eq!(out["error"]["code"], "invalid_argument");
        let out = parse(validate("{}", r#"{"maxItems": "many"}"#));
        assert!(out["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("options.maxItems: "));
    }

    #[test]
    fn bad_documents_are_findings() {
        let out = parse(validate("not json", "{}"));
        assert_eq!(out["valid"], false);
        assert_eq!(out["findings"][0]["code"], "parse.invalid_json");
        assert_eq!(out["findings"][0]["nicCode"], Value::Null);
        let out = parse(prepare("[]", "{}"));
        assert_eq!(out["ok"], false);
        assert_eq!(out["findings"][0]["code"], "parse.not_an_object");
    }

    #[test]
    fn number_forms() {
        let v: Value =
            serde_json::from_str(r#"{"a": 154000.00, "b": [1, 0.1], "c": "x"}"#).unwrap();
        assert_eq!(
            emit(v.clone(), Numbers::String),
            json!({"a": "154000.00", "b": ["1", "0.1"], "c": "x"})
        );
        assert_eq!(
            emit(v.clone(), Numbers::Json),
            json!(r#"{"a":154000.00,"b":[1,0.1],"c":"x"}"#)
        );
        assert_eq!(emit(v.clone(), Numbers::Number), v);
    }

    #[test]
    fn irn_from_parts_known_answer() {
        let want = "23f498ee41441ecad30f72ba5b9907506c3df70a17b0e0dff46b76a786400662";
        for year in ["2019-20", "2019-11-20", "20/11/2019", "2020-03-31"] {
            let out = parse(irn_from_parts(
                "29AAFCC9980M1ZR",
                year,
                "INV",
                "2019-20/KA/1",
            ));
            assert_eq!(out["irn"], want, "{year}");
        }
        let out = parse(irn_from_parts("29AAFCC9980M1ZR", "2019-21", "INV", "1"));
        assert_eq!(out["error"]["code"], "invalid_argument");
        let out = parse(irn_from_parts("29AAFCC9980M1ZR", "2019-20", "inv", "1"));
        assert_eq!(out["error"]["code"], "invalid_argument");
    }

    #[test]
    fn validity_errors_are_findings() {
        let out = parse(ewaybill_validity(
            r#"{"generatedAt": "2025-01-01T10:00:00+05:30", "distanceKm": 4001}"#,
        ));
        assert_eq!(out["ok"], false);
        assert_eq!(out["findings"][0]["path"], "/distanceKm");
        assert_eq!(out["findings"][0]["code"], "validity.distance_out_of_range");
        let out = parse(ewaybill_validity(
            r#"{"extendedAt": "2023-07-04T18:13:00+05:30", "remainingKm": 0}"#,
        ));
        assert_eq!(out["findings"][0]["nicCode"], "389");
        let out = parse(ewaybill_validity(r#"{"distanceKm": 10}"#));
        assert_eq!(out["error"]["code"], "invalid_argument");
        let out = parse(ewaybill_validity(
            r#"{"generatedAt": "2022-10-05T12:39:00+05:30", "distanceKm": 10, "cargo": "ship_leg"}"#,
        ));
        assert_eq!(out["days"], 1);
        assert_eq!(out["validUpto"], "2022-10-06T23:59:00+05:30");
    }

    #[test]
    fn gstin_options() {
        let sandbox_gstin = "29AWGPV7107B1Z1";
        assert_eq!(parse(check_gstin(sandbox_gstin, "{}"))["valid"], false);
        assert_eq!(
            parse(check_gstin(sandbox_gstin, r#"{"sandbox": true}"#))["valid"],
            true
        );
        assert_eq!(
            parse(check_gstin(sandbox_gstin, r#"{"checkCharacter": false}"#))["kind"],
            "normal"
        );
    }
}
