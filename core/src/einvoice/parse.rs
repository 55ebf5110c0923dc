//! Reading an e-invoice from JSON in any of the three dialects the library speaks: the canonical
//! grouped form, the flat quickstart form, and NIC's own v1.1 JSON.
//!
//! Bad input is never a panic and never a bare "invalid JSON": every problem is a [`Finding`] with
//! the JSON pointer of the offending field **in the document as sent** and a stable code:
//!
//! | code | meaning |
//! |---|---|
//! | `parse.invalid_json` | not JSON at all (the message gives line and column) |
//! | `parse.not_an_object` | JSON, but not an object |
//! | `parse.unknown_field` | a field the dialect does not have |
//! | `parse.missing_field` | a required field is absent |
//! | `parse.duplicate_field` | a field given twice |
//! | `parse.invalid_type` | e.g. a string where an object belongs |
//! | `parse.invalid_value` | e.g. an unknown supply type |
//! | `parse.invalid_date` | a date not in the dialect's format (`YYYY-MM-DD`, NIC `dd/mm/yyyy`) |
//! | `parse.invalid_number` | an amount that is not an exact decimal |
//! | `document.financial_year_mismatch` | flat `financialYear` disagrees with `invoiceDate` |
//!
//! Parsing stops at the first structural error of the model (serde reads one value at a time);
//! the JSON-Schema layer of validation reports every shape problem at once.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::flat;
use super::model::EInvoice;
use super::nic::{from_nic, NicEInvoice};
use crate::finding::{escape_pointer_token, Finding};

/// Which dialect a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// The grouped form of the "Generate an IRN" guide (`documentDetails`, `items`, ...).
    Canonical,
    /// The flat quickstart form (`invoiceNumber`, `lines`, `totals`, ...).
    Flat,
    /// NIC's e-invoice schema v1.1 (`Version`, `TranDtls`, `ItemList`, ...).
    Nic,
}

impl Dialect {
    /// Guesses the dialect of a JSON object from its top-level keys.
    pub fn detect(doc: &serde_json::Map<String, Value>) -> Dialect {
        if doc.contains_key("TranDtls")
            || doc.contains_key("DocDtls")
            || doc.contains_key("Version")
        {
            Dialect::Nic
        } else if flat::is_flat(doc) {
            Dialect::Flat
        } else {
            Dialect::Canonical
        }
    }

    /// Maps a JSON pointer into the canonical document to the same field in this dialect.
    pub fn path_from_canonical(self, canonical_path: &str) -> String {
        match self {
            Dialect::Canonical => canonical_path.to_owned(),
            Dialect::Flat => flat::canonical_path_to_flat(canonical_path),
            Dialect::Nic => crate::validate::paths::einvoice_canonical_to_nic(canonical_path),
        }
    }
}

/// A document read successfully.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedInvoice {
    /// The dialect it was written in.
    pub dialect: Dialect,
    /// The document in canonical form.
    pub invoice: EInvoice,
}

/// Reads an e-invoice from JSON bytes in any dialect.
pub fn parse_invoice(json: &[u8]) -> Result<ParsedInvoice, Vec<Finding>> {
    let value: Value = serde_json::from_slice(json).map_err(|e| vec![json_syntax_finding(&e)])?;
    parse_invoice_value(value)
}

/// Reads an e-invoice from a JSON tree in any dialect.
pub fn parse_invoice_value(value: Value) -> Result<ParsedInvoice, Vec<Finding>> {
    let Value::Object(doc) = value else {
        return Err(vec![Finding::error(
            "",
            "parse.not_an_object",
            format!("an e-invoice is a JSON object, not {}", json_kind(&value)),
        )]);
    };
    match Dialect::detect(&doc) {
        Dialect::Nic => deserialize::<NicEInvoice>(Value::Object(doc))
            .map(|nic| ParsedInvoice {
                dialect: Dialect::Nic,
                invoice: from_nic(nic),
            })
            .map_err(|f| vec![f]),
        Dialect::Canonical => deserialize::<EInvoice>(Value::Object(doc))
            .map(|invoice| ParsedInvoice {
                dialect: Dialect::Canonical,
                invoice,
            })
            .map_err(|f| vec![f]),
        Dialect::Flat => {
            let (canonical, mut findings) = flat::to_canonical_json(&doc);
            match deserialize::<EInvoice>(canonical) {
                Ok(invoice) if findings.is_empty() => Ok(ParsedInvoice {
                    dialect: Dialect::Flat,
                    invoice,
                }),
                Ok(_) => Err(findings),
                Err(f) => {
                    findings.push(flat::restate_missing(&doc, f));
                    Err(findings)
                }
            }
        }
    }
}

/// Reads a NIC v1.1 document (`fromNic`), refusing the other dialects.
pub fn parse_nic_invoice(json: &[u8]) -> Result<EInvoice, Vec<Finding>> {
    let value: Value = serde_json::from_slice(json).map_err(|e| vec![json_syntax_finding(&e)])?;
    deserialize::<NicEInvoice>(value)
        .map(from_nic)
        .map_err(|f| vec![f])
}

/// Deserializes `T`, turning the first error into a finding at its JSON pointer.
///
/// The document is read without path tracking first, which is what almost every document
/// needs; only one that fails is read again through `serde_path_to_error` to say where. Tracking
/// the path on every field costs a third of the read.
pub fn deserialize<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Finding> {
    if let Ok(t) = T::deserialize(&value) {
        return Ok(t);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = pointer_of(e.path());
        serde_error_finding(pointer, &e.into_inner().to_string())
    })
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&escape_pointer_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// Classifies a serde message into one of the stable codes. serde's own wording is stable
/// ("unknown field `x`", "missing field `x`", "invalid type: ..."); the date and number messages
/// come from this crate's `wire` modules and `rust_decimal`.
fn serde_error_finding(pointer: String, message: &str) -> Finding {
    let field = between_backticks(message);
    if message.starts_with("missing field") {
        let field = field.unwrap_or_default();
        let path = format!("{pointer}/{}", escape_pointer_token(&field));
        return Finding::error(
            path,
            "parse.missing_field",
            format!("required field `{field}` is missing"),
        );
    }
    let code = if message.starts_with("unknown field") {
        "parse.unknown_field"
    } else if message.starts_with("duplicate field") {
        "parse.duplicate_field"
    } else if message.starts_with("invalid date") {
        "parse.invalid_date"
    } else if message.contains("Decimal") || message.starts_with("invalid number") {
        "parse.invalid_number"
    } else if message.starts_with("invalid type") {
        "parse.invalid_type"
    } else {
        "parse.invalid_value"
    };
    let shown = if pointer.is_empty() { "/" } else { &pointer };
    Finding::error(pointer.clone(), code, format!("`{shown}`: {message}"))
}

fn between_backticks(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

fn json_syntax_finding(e: &serde_json::Error) -> Finding {
    Finding::error(
        "",
        "parse.invalid_json",
        format!(
            "not valid JSON at line {} column {}: {e}",
            e.line(),
            e.column()
        ),
    )
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
