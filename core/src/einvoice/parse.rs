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
use crate::json_tree::{self, Node};
use crate::tree_reader::{self, Mode};

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
        Dialect::detect_by(|key| doc.contains_key(key))
    }

    /// [`Dialect::detect`] of an object of the core's own tree.
    pub(crate) fn detect_node(doc: &Node<'_>) -> Dialect {
        Dialect::detect_by(|key| doc.get(key).is_some())
    }

    /// The dialect of an object that has the top-level keys `has` says it has.
    fn detect_by(has: impl Fn(&str) -> bool) -> Dialect {
        if has("TranDtls") || has("DocDtls") || has("Version") {
            Dialect::Nic
        } else if flat::is_flat_by(has) {
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
    match document_tree(json)? {
        Document::Tree(node) => parse_invoice_node(&node),
        Document::Value(value) => parse_invoice_value(value),
    }
}

/// A document read into the core's own tree, or into serde_json's where only that says what
/// the document means (see [`document_tree`]).
pub(crate) enum Document<'a> {
    /// The common case.
    Tree(Node<'a>),
    /// A document with serde_json's private keys, or one the core's parser refused but serde_json
    /// did not (the two accept the same documents, so only a bug would make one).
    Value(Value),
}

/// Reads JSON bytes into the core's tree (a fraction of the cost of serde_json's, which
/// allocates every string and number); a syntax error is worded by serde_json, as it always was.
pub(crate) fn document_tree(json: &[u8]) -> Result<Document<'_>, Vec<Finding>> {
    match json_tree::parse_document(json) {
        Ok((node, false)) => Ok(Document::Tree(node)),
        _ => serde_json::from_slice(json)
            .map(Document::Value)
            .map_err(|e| vec![json_syntax_finding(&e)]),
    }
}

/// [`parse_invoice_value`] of the core's own tree (with no private tokens: [`document_tree`]).
pub(crate) fn parse_invoice_node(node: &Node<'_>) -> Result<ParsedInvoice, Vec<Finding>> {
    match (node, Dialect::detect_node(node)) {
        (Node::Object(_), Dialect::Nic) => read_node_fast::<NicEInvoice>(node)
            .map(|nic| ParsedInvoice {
                dialect: Dialect::Nic,
                invoice: from_nic(nic),
            })
            .map_err(|f| vec![f]),
        (Node::Object(_), Dialect::Canonical) => read_einvoice_node(node)
            .map(|invoice| ParsedInvoice {
                dialect: Dialect::Canonical,
                invoice,
            })
            .map_err(|f| vec![f]),
        // The flat dialect is rewritten on serde_json's tree; anything not an object is refused
        // there with its kind named.
        _ => parse_invoice_value(node.to_value()),
    }
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
        Dialect::Nic => read_tree::<NicEInvoice>(Value::Object(doc))
            .map(|nic| ParsedInvoice {
                dialect: Dialect::Nic,
                invoice: from_nic(nic),
            })
            .map_err(|f| vec![f]),
        Dialect::Canonical => read_tree::<EInvoice>(Value::Object(doc))
            .map(|invoice| ParsedInvoice {
                dialect: Dialect::Canonical,
                invoice,
            })
            .map_err(|f| vec![f]),
        Dialect::Flat => {
            let (canonical, mut findings) = flat::to_canonical_json(&doc);
            match read_tree::<EInvoice>(canonical) {
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
    let read = match document_tree(json)? {
        Document::Tree(node) => read_node_fast::<NicEInvoice>(&node),
        Document::Value(value) => read_tree::<NicEInvoice>(value),
    };
    read.map(from_nic).map_err(|f| vec![f])
}

/// Deserializes `T`, turning the first error into a finding at its JSON pointer (through
/// the core's tree reader (`tree_reader`) in its exact mode: serde_json's own behaviour, with the location).
pub fn deserialize<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Finding> {
    tree_reader::read(&value, Mode::Exact)
        .map_err(|(pointer, e)| serde_error_finding(pointer, &e.to_string()))
}

/// [`deserialize`] for the e-invoice model, reading amounts straight from their text first.
///
/// serde_json hands a number of a tree to `Decimal` through `f64` whenever the text survives the
/// round trip (a float parse and two float formattings per amount, a third of reading the
/// model); [`Mode::NumbersAsText`] hands it the text, as serde_json does when it reads bytes. The
/// result is the same wherever that read succeeds; a document it refuses is read again exactly,
/// so that every failure is reported as it always was. Only for the e-invoice types, whose
/// number visitors the tests check that mode against.
fn read_tree<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Finding> {
    read_node_fast(&tree_reader::node_of(&value))
}

/// [`read_tree`] of the core's own tree.
fn read_node_fast<T: serde::de::DeserializeOwned>(node: &Node<'_>) -> Result<T, Finding> {
    if let Ok(t) = tree_reader::read_node(node, Mode::NumbersAsText) {
        return Ok(t);
    }
    tree_reader::read_node(node, Mode::Exact)
        .map_err(|(pointer, e)| serde_error_finding(pointer, &e.to_string()))
}

/// [`read_node_fast`] of the canonical e-invoice, tried first without serde
/// ([`tree_reader::read_einvoice_direct`], which declines what it does not read as serde would).
fn read_einvoice_node(node: &Node<'_>) -> Result<EInvoice, Finding> {
    match tree_reader::read_einvoice_direct(node) {
        Some(invoice) => Ok(invoice),
        None => read_node_fast(node),
    }
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

/// `parse.invalid_json`: where the text stops being JSON, and why.
pub(crate) fn json_syntax_finding(e: &serde_json::Error) -> Finding {
    let (line, column) = (e.line(), e.column());
    // serde_json's own text ends with the same position; said once, up front.
    let text = e.to_string();
    let why = text
        .strip_suffix(&format!(" at line {line} column {column}"))
        .unwrap_or(&text);
    Finding::error(
        "",
        "parse.invalid_json",
        format!("not valid JSON at line {line} column {column}: {why}"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;

    const VECTOR: &str = include_str!("../../../tests/vectors/einvoice/b2b-inter.json");

    /// Wherever the fast read succeeds it must give what serde_json's `&Value` gives; where it
    /// fails, `read_tree` reads again the old way, so a failure is allowed.
    /// Compared as written back, so that a decimal's scale and sign (`5.0`, `-0`) count too.
    fn agrees<T: DeserializeOwned + Serialize>(doc: &Value) {
        if let Ok(fast) = tree_reader::read::<T>(doc, Mode::NumbersAsText) {
            let slow = T::deserialize(doc).map(|t| serde_json::to_string(&t).unwrap());
            assert_eq!(
                Some(serde_json::to_string(&fast).unwrap()),
                slow.ok(),
                "{doc}"
            );
        }
    }

    fn vector(dialect: &str) -> Value {
        let v: Value = serde_json::from_str(VECTOR).unwrap();
        v[dialect].clone()
    }

    #[test]
    fn a_syntax_error_names_its_position_once() {
        let message = |text: &[u8]| match parse_invoice(text) {
            Err(findings) => (findings[0].code.clone(), findings[0].message.clone()),
            Ok(_) => panic!("{} parsed", String::from_utf8_lossy(text)),
        };
        assert_eq!(
            message(b"{\"buyer\": tru}"),
            (
                "parse.invalid_json".to_owned(),
                "not valid JSON at line 1 column 14: expected ident".to_owned()
            )
        );
        assert_eq!(
            message(b"{\"tradeName\": \"Globex \\udc00\"}").1,
            "not valid JSON at line 1 column 28: lone leading surrogate in hex escape"
        );
        assert_eq!(
            message(b"").1,
            "not valid JSON at line 1 column 0: EOF while parsing a value"
        );
    }

    #[test]
    fn the_tree_read_agrees_with_serde_json_on_every_number_form() {
        let numbers = [
            "4",
            "0",
            "-0",
            "-5",
            "5.0",
            "-5.0",
            "5.50",
            "63999.96",
            "0.5",
            "0.0000001",
            "1e5",
            "1E5",
            "1.5e2",
            "-1.5e-3",
            "4294967295",
            "4294967296",
            "999999999",
            "1000000000",
            "123456789012345.5",
            "1234567890123456.5",
            "99999999999999999999999999999.1",
            "1e400",
            "0.00000000000000000000000000001",
            "18446744073709551616",
            "340282366920938463463374607431768211456",
            "560058.0",
            "29.0",
            "7",
            "1.000000000001",
        ];
        for text in numbers {
            let n: Value = serde_json::from_str(text).unwrap();
            let mut canonical = vector("canonical");
            canonical["items"][0]["unitPrice"] = n.clone();
            canonical["items"][0]["quantity"] = n.clone();
            canonical["valueDetails"]["discount"] = n.clone();
            agrees::<EInvoice>(&canonical);
            for (block, field) in [("seller", "pincode"), ("seller", "stateCode")] {
                let mut doc = vector("canonical");
                doc[block][field] = n.clone();
                agrees::<EInvoice>(&doc);
            }
            let mut doc = vector("canonical");
            doc["transactionDetails"]["reverseCharge"] = n.clone();
            agrees::<EInvoice>(&doc);
            let mut nic = vector("nic");
            nic["ItemList"][0]["UnitPrice"] = n.clone();
            nic["ValDtls"]["TotInvVal"] = n.clone();
            nic["SellerDtls"]["Pin"] = n.clone();
            nic["SellerDtls"]["Stcd"] = n;
            agrees::<NicEInvoice>(&nic);
        }
    }

    // Every vector document: tree_reader::tests::every_vector_document_reads_as_serde_json_reads_it.

    #[test]
    fn structural_surprises_fail_or_agree() {
        let mut doc = vector("canonical");
        doc["seller"]["pincode"] = serde_json::json!({"a": "560058"});
        agrees::<EInvoice>(&doc);
        doc["seller"]["pincode"] = serde_json::json!({"a": "560058", "b": "1"});
        agrees::<EInvoice>(&doc);
        doc["seller"]["pincode"] = serde_json::json!(["560058"]);
        agrees::<EInvoice>(&doc);
        let mut doc = vector("canonical");
        doc["documentDetails"] = serde_json::json!(["INV", "A/1", "2026-11-20"]);
        agrees::<EInvoice>(&doc);
        let mut doc = vector("canonical");
        doc["items"][0]["unitPrice"] = Value::Null;
        agrees::<EInvoice>(&doc);
        doc["items"][0]["unitPrice"] = Value::from("15999.99");
        agrees::<EInvoice>(&doc);
    }
}
