//! Documents: validate, prepare, the NIC mapping, the IRN and the GSTIN check, as JSON.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{findings_json, options, to_json, unreadable};
use crate::calendar::{parse_nic_date, FinancialYear};
use crate::einvoice::model::DocumentType;
use crate::einvoice::nic::to_nic as einvoice_to_nic;
use crate::einvoice::parse::{parse_invoice, parse_nic_invoice};
use crate::einvoice::{DocumentKey, Irn};
use crate::error::Error;
use crate::gstin::{self, GstinOptions};
use crate::prepare::prepare_json;
use crate::validate::{validate_ewaybill_json, validate_invoice_json, ValidationOptions};

/// Options of [`check_gstin`].
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct GstinArgs {
    /// Verify the mod-36 check character (nic-rules B.3); default: on, unless `sandbox`.
    check_character: Option<bool>,
    /// NIC sandbox mode: the check character is off (NIC's test GSTINs fail it), as in the
    /// validation options.
    sandbox: bool,
}

/// `{"valid": bool, "findings": [...]}` of an e-invoice in any dialect (canonical, flat, NIC),
/// every layer (schema, rules, arithmetic) with NIC's codes. `options` is
/// [`ValidationOptions`] as JSON (`{"sandbox": true, "now": "...", "aggregateTurnover": ...}`).
pub fn validate(document: &[u8], options_json: &[u8]) -> Result<Value, Error> {
    let opts: ValidationOptions = options(options_json, "options")?;
    let report = validate_invoice_json(document, &opts);
    Ok(json!({"valid": report.valid, "findings": findings_json(&report.findings)}))
}

/// The same for an e-way bill (canonical or NIC GENEWAYBILL).
pub fn validate_ewaybill(document: &[u8], options_json: &[u8]) -> Result<Value, Error> {
    let opts: ValidationOptions = options(options_json, "options")?;
    let report = validate_ewaybill_json(document, &opts);
    Ok(json!({"valid": report.valid, "findings": findings_json(&report.findings)}))
}

/// The document (any dialect) in canonical form with every derived amount filled by
/// progressive rounding (nic-rules B.2), so that it passes NIC's arithmetic exactly.
pub fn prepare(document: &[u8]) -> Result<Value, Error> {
    prepare_json(document).map_err(|f| unreadable("document", f))
}

/// The document (any dialect) as NIC's e-invoice v1.1 JSON.
pub fn to_nic(document: &[u8]) -> Result<Value, Error> {
    let parsed = parse_invoice(document).map_err(|f| unreadable("document", f))?;
    to_json(&einvoice_to_nic(&parsed.invoice))
}

/// A NIC v1.1 document in canonical form.
pub fn from_nic(document: &[u8]) -> Result<Value, Error> {
    let invoice = parse_nic_invoice(document).map_err(|f| unreadable("NIC document", f))?;
    to_json(&invoice)
}

/// `{"irn": "...", "key": {...}}`: the IRN the IRP will assign (nic-rules B.7) and the four
/// parts it hashes (seller GSTIN, financial year, document type, document number).
pub fn irn(document: &[u8]) -> Result<Value, Error> {
    let parsed = parse_invoice(document).map_err(|f| unreadable("document", f))?;
    let key = DocumentKey::of(&parsed.invoice);
    Ok(json!({"irn": key.irn().as_str(), "key": key}))
}

/// `{"irn": "...", "financialYear": "YYYY-YY"}` from the four parts; the year may be given as
/// `YYYY-YY` or as the document date (`YYYY-MM-DD` or `dd/mm/yyyy`).
pub fn irn_from_parts(
    seller_gstin: &str,
    financial_year_or_date: &str,
    document_type: &str,
    document_number: &str,
) -> Result<Value, Error> {
    if seller_gstin.is_empty() {
        return Err(Error::invalid_argument("gstin must not be empty"));
    }
    if document_number.is_empty() {
        return Err(Error::invalid_argument("docNumber must not be empty"));
    }
    let year = financial_year(financial_year_or_date)?;
    let doc_type: DocumentType = serde_json::from_value(Value::String(document_type.to_owned()))
        .map_err(|_| {
            Error::invalid_argument(format!(
                "docType `{document_type}` is not INV, CRN or DBN (upper case, as hashed)"
            ))
        })?;
    let irn = Irn::compute(seller_gstin, year, doc_type, document_number);
    Ok(json!({"irn": irn.as_str(), "financialYear": year.to_string()}))
}

/// A financial year `YYYY-YY`, or the year of a date `YYYY-MM-DD` or `dd/mm/yyyy`.
fn financial_year(text: &str) -> Result<FinancialYear, Error> {
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
    Err(Error::invalid_argument(format!(
        "financialYearOrDate `{text}` is neither a financial year `YYYY-YY` (e.g. 2026-27) nor a \
         date `YYYY-MM-DD` or `dd/mm/yyyy`"
    )))
}

/// `{"kind", "stateCode", "valid", "findings"}` of one GSTIN (nic-rules B.3): its format
/// (normal, government, NRI, OIDAR, UIN, TDS, TCS), state code and check character. `options`:
/// `{"checkCharacter": bool, "sandbox": bool}`.
pub fn check_gstin(gstin_text: &str, options_json: &[u8]) -> Result<Value, Error> {
    let args: GstinArgs = options(options_json, "options")?;
    let opts = GstinOptions {
        check_character: args.check_character.unwrap_or(!args.sandbox),
    };
    let check = gstin::check_gstin(gstin_text, &opts);
    Ok(json!({
        "kind": check.kind,
        "stateCode": check.state_code,
        "valid": check.valid,
        "findings": findings_json(&check.findings),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misuse_names_the_option() {
        let e = validate(b"{}", br#"{"sandBox": true}"#).unwrap_err();
        assert_eq!(e.code(), "invalid_argument");
        assert!(e.message().contains("unknown field `sandBox`"), "{e}");
        assert_eq!(
            validate(b"{}", b"[1]").unwrap_err().message(),
            "options must be an object, not an array"
        );
        let e = validate(b"{}", br#"{"maxItems": "many"}"#).unwrap_err();
        assert!(e.message().starts_with("options.maxItems: "), "{e}");
    }

    #[test]
    fn empty_and_null_options_are_defaults() {
        for o in [&b""[..], b"null", b"  ", b"{}"] {
            let out = validate(b"not json", o).unwrap();
            assert_eq!(out["valid"], false);
            assert_eq!(out["findings"][0]["code"], "parse.invalid_json");
            assert_eq!(out["findings"][0]["nicCode"], Value::Null);
        }
    }

    #[test]
    fn unreadable_documents_are_validation_errors() {
        let e = prepare(b"[]").unwrap_err();
        assert_eq!(e.code(), "validation_error");
        assert_eq!(e.details()[0].code, "parse.not_an_object");
        assert_eq!(e.details()[0].path, "");
        let e = irn(b"{\"documentDetails\": 5}").unwrap_err();
        assert_eq!(e.code(), "validation_error");
    }

    #[test]
    fn irn_from_parts_known_answer() {
        let want = "23f498ee41441ecad30f72ba5b9907506c3df70a17b0e0dff46b76a786400662";
        for year in ["2019-20", "2019-11-20", "20/11/2019", "2020-03-31"] {
            let out = irn_from_parts("29AAFCC9980M1ZR", year, "INV", "2019-20/KA/1").unwrap();
            assert_eq!(out["irn"], want, "{year}");
            assert_eq!(out["financialYear"], "2019-20", "{year}");
        }
        for (year, ty) in [("2019-21", "INV"), ("2019-20", "inv")] {
            let e = irn_from_parts("29AAFCC9980M1ZR", year, ty, "1").unwrap_err();
            assert_eq!(e.code(), "invalid_argument", "{year} {ty}");
        }
    }

    #[test]
    fn gstin_options() {
        let sandbox_gstin = "29AWGPV7107B1Z1";
        assert_eq!(check_gstin(sandbox_gstin, b"").unwrap()["valid"], false);
        let out = check_gstin(sandbox_gstin, br#"{"sandbox": true}"#).unwrap();
        assert_eq!(
            (&out["valid"], &out["stateCode"]),
            (&json!(true), &json!("29"))
        );
        let out = check_gstin(sandbox_gstin, br#"{"checkCharacter": false}"#).unwrap();
        assert_eq!(out["kind"], "normal");
    }
}
