//! The adapter itself, as pure functions from JSON text to JSON text, so that it is the same code
//! under wasm-bindgen, in native tests and in the native benchmark. The work is done by
//! [`onefinops_core::json_api`], which the C ABI shares; this module only shapes the answers the
//! JS wrapper expects.
//!
//! Every function returns one JSON text. A result is a JSON object (`{"valid": ..}`,
//! `{"ok": ..}`, ...) that never has a top-level `error` member; misuse (an argument of the wrong
//! shape, an unknown option) is `{"error": {"code": "invalid_argument", "message": ".."}}`, which
//! the JS wrapper turns into a thrown `Error` with that `code`. Problems with a document are never
//! misuse: they are findings, returned as data (`{"ok": false, "findings": [..]}`).
//!
//! Why text and not serde-wasm-bindgen: the core reads every amount from the decimal text of its
//! JSON number (serde_json's `arbitrary_precision`), and serde-wasm-bindgen would hand it a JS
//! `number` (an `f64`) instead. Text in, text out keeps money exact across the boundary; how
//! amounts leave is the caller's choice ([`Numbers`]).

use serde::Deserialize;
use serde_json::{json, Map, Value};

use onefinops_core::error::Error;
use onefinops_core::json_api::{self, documents, findings_json, lifecycle};

/// The JSON text of a result, or of the error envelope of a misuse.
fn finish(out: Result<Value, Error>) -> String {
    match out {
        Ok(v) => v.to_string(),
        Err(e) => error_envelope(&e),
    }
}

/// The JSON text of a misuse: `{"error": {"code": .., "message": ..}}`.
pub fn error_envelope(e: &Error) -> String {
    json!({"error": {"code": e.code(), "message": e.message()}}).to_string()
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

/// A document function's answer: `{"ok": true, "document": .., "findings": []}`, or
/// `{"ok": false, "document": null, "findings": [..]}` for a document that cannot be read.
fn document_result(out: Result<Value, Error>, options_json: &[u8]) -> Result<Value, Error> {
    let opts: OutputOptions = json_api::options(options_json, "options")?;
    match out {
        Ok(doc) => Ok(json!({"ok": true, "document": emit(doc, opts.numbers), "findings": []})),
        Err(Error::Validation { details, .. }) => {
            Ok(json!({"ok": false, "document": null, "findings": findings_json(&details)}))
        }
        Err(e) => Err(e),
    }
}

/// `validate(document, options)`: every finding of every layer, for an e-invoice in any dialect.
pub fn validate(document: &[u8], options_json: &[u8]) -> String {
    finish(documents::validate(document, options_json))
}

/// `validateEwaybill(document, options)`: the same for an e-way bill (canonical or NIC).
pub fn validate_ewaybill(document: &[u8], options_json: &[u8]) -> String {
    finish(documents::validate_ewaybill(document, options_json))
}

/// `prepare(document, options)`: the document in canonical form with every derived amount filled.
pub fn prepare(document: &[u8], options_json: &[u8]) -> String {
    finish(document_result(documents::prepare(document), options_json))
}

/// `toNic(document, options)`: the document (any dialect) in NIC's v1.1 JSON.
pub fn to_nic_json(document: &[u8], options_json: &[u8]) -> String {
    finish(document_result(documents::to_nic(document), options_json))
}

/// `fromNic(nicDocument, options)`: a NIC v1.1 document in canonical form.
pub fn from_nic_json(document: &[u8], options_json: &[u8]) -> String {
    finish(document_result(documents::from_nic(document), options_json))
}

/// `irn(document)`: the IRN the IRP will assign, and the four parts it hashes.
pub fn irn(document: &[u8]) -> String {
    finish(match documents::irn(document) {
        Ok(mut v) => {
            v["ok"] = json!(true);
            v["findings"] = json!([]);
            Ok(v)
        }
        Err(Error::Validation { details, .. }) => {
            Ok(json!({"ok": false, "irn": null, "key": null, "findings": findings_json(&details)}))
        }
        Err(e) => Err(e),
    })
}

/// `irnFromParts(gstin, financialYearOrDate, docType, docNumber)`.
pub fn irn_from_parts(
    seller_gstin: &str,
    financial_year_or_date: &str,
    document_type: &str,
    document_number: &str,
) -> String {
    finish(documents::irn_from_parts(
        seller_gstin,
        financial_year_or_date,
        document_type,
        document_number,
    ))
}

/// `checkGstin(gstin, options)`: kind, state code, validity and findings (path `""`).
pub fn check_gstin(gstin_text: &str, options_json: &str) -> String {
    finish(documents::check_gstin(gstin_text, options_json.as_bytes()))
}

/// `ewaybillValidity(input)`: `{generatedAt, distanceKm, pinToPinKm?, cargo?}` for a bill's
/// validity from its generation (or first Part-B entry), or `{extendedAt, remainingKm, cargo?}`
/// for an extension.
pub fn ewaybill_validity(input_json: &str) -> String {
    finish(lifecycle::ewaybill_validity(input_json.as_bytes()))
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
        let out = parse(validate(b"{}", br#"{"sandBox": true}"#));
        assert_eq!(out["error"]["code"], "invalid_argument");
        assert!(out["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field `sandBox`"));
        let out = parse(prepare(b"{}", br#"{"numbers": "roman"}"#));
        assert_eq!(out["error"]["code"], "invalid_argument");
        let out = parse(ewaybill_validity(r#"{"distanceKm": 10}"#));
        assert_eq!(out["error"]["code"], "invalid_argument");
    }

    #[test]
    fn bad_documents_are_findings() {
        let out = parse(validate(b"not json", b"{}"));
        assert_eq!(out["valid"], false);
        assert_eq!(out["findings"][0]["code"], "parse.invalid_json");
        assert_eq!(out["findings"][0]["nicCode"], Value::Null);
        let out = parse(prepare(b"[]", b"{}"));
        assert_eq!(out["ok"], false);
        assert_eq!(out["findings"][0]["code"], "parse.not_an_object");
        let out = parse(irn(b"[]"));
        assert_eq!((&out["ok"], &out["irn"]), (&json!(false), &Value::Null));
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
}
