//! The reader against serde_json's own deserializer and `serde_path_to_error`: the same value, or
//! the same error at the same pointer, on every vector document and on every document one
//! mutation away from the model vectors; and the numbers-as-text mode never disagreeing where it
//! succeeds.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use super::{
    amount_as_text, plain_decimal_from_one, read, read_node, scrambled, Mode, NUMBER_TOKEN,
};
use crate::einvoice::model::EInvoice;
use crate::einvoice::nic::NicEInvoice;
use crate::ewaybill::model::EWayBill;
use crate::ewaybill::nic::NicEWayBill;
use crate::finding::escape_pointer_token;
use crate::json_tree;

/// What serde_json and `serde_path_to_error` make of `doc`: the value written back as JSON, or
/// the error's pointer and message.
fn reference<T: DeserializeOwned + Serialize>(doc: &Value) -> Result<String, (String, String)> {
    match T::deserialize(doc) {
        Ok(t) => Ok(serde_json::to_string(&t).unwrap()),
        Err(plain) => {
            let tracked = serde_path_to_error::deserialize::<_, T>(doc.clone())
                .err()
                .expect("the tracked read fails where the plain one does");
            assert_eq!(tracked.inner().to_string(), plain.to_string());
            let mut pointer = String::new();
            for segment in tracked.path().iter() {
                match segment {
                    serde_path_to_error::Segment::Seq { index } => {
                        pointer.push('/');
                        pointer.push_str(&index.to_string());
                    }
                    // serde_path_to_error also counts the key of serde_json's arbitrary-precision
                    // number map, so a number rust_decimal refuses was reported one level below
                    // itself; the reader reports the number's own pointer.
                    serde_path_to_error::Segment::Map { key }
                        if key == NUMBER_TOKEN
                            && doc.pointer(&pointer).is_some_and(Value::is_number) => {}
                    serde_path_to_error::Segment::Map { key } => {
                        pointer.push('/');
                        pointer.push_str(&escape_pointer_token(key));
                    }
                    _ => {}
                }
            }
            Err((pointer, plain.to_string()))
        }
    }
}

fn ours<T: DeserializeOwned + Serialize>(
    doc: &Value,
    mode: Mode,
) -> Result<String, (String, String)> {
    read::<T>(doc, mode)
        .map(|t| serde_json::to_string(&t).unwrap())
        .map_err(|(pointer, e)| (pointer, e.to_string()))
}

/// The reader over the core's tree parsed from `text` against the reference on serde_json's
/// reading of the same text.
fn agree_text<T: DeserializeOwned + Serialize>(text: &str, fast: bool) {
    let doc: Value = serde_json::from_str(text).unwrap();
    let (node, private_tokens) = json_tree::parse_document(text.as_bytes()).unwrap();
    if private_tokens {
        // serde_json reads these objects as something else; callers read its tree instead.
        return;
    }
    let expected = reference::<T>(&doc);
    let exact = read_node::<T>(&node, Mode::Exact)
        .map(|t| serde_json::to_string(&t).unwrap())
        .map_err(|(p, e)| (p, e.to_string()));
    assert_eq!(exact, expected, "exact, from text: {text}");
    if fast {
        if let Ok(t) = read_node::<T>(&node, Mode::NumbersAsText) {
            assert_eq!(
                Ok(serde_json::to_string(&t).unwrap()),
                expected,
                "fast, from text: {text}"
            );
        }
    }
}

/// The exact mode, and the numbers-as-text mode where `fast` (it is used for the e-invoice types
/// only), against the reference; 1 when the reference refuses the document.
fn agree<T: DeserializeOwned + Serialize>(doc: &Value, fast: bool) -> usize {
    let expected = reference::<T>(doc);
    assert_eq!(ours::<T>(doc, Mode::Exact), expected, "exact: {doc}");
    if !fast {
        return usize::from(expected.is_err());
    }
    if let Ok(fast) = ours::<T>(doc, Mode::NumbersAsText) {
        assert_eq!(Ok(fast), expected, "numbers as text: {doc}");
    }
    usize::from(expected.is_err())
}

/// The direct read of an e-invoice, where it answers, against the reference; whether it answered.
fn agree_direct(node: &json_tree::Node<'_>, doc: &Value) -> bool {
    let Some(invoice) = super::read_einvoice_direct(node) else {
        return false;
    };
    assert_eq!(
        Ok(serde_json::to_string(&invoice).unwrap()),
        reference::<EInvoice>(doc),
        "direct: {doc}"
    );
    true
}

/// [`agree_direct`] on the core's tree of `text` (members in the document's order) and on
/// serde_json's (sorted).
fn agree_direct_both(text: &str, doc: &Value) -> bool {
    let (node, private_tokens) = json_tree::parse_document(text.as_bytes()).unwrap();
    let from_text = !private_tokens && agree_direct(&node, doc);
    agree_direct(&super::node_of(doc), doc) || from_text
}

fn all_types(doc: &Value) -> usize {
    let text = scrambled(doc);
    agree_direct_both(&text, doc);
    agree_text::<EInvoice>(&text, true);
    agree_text::<NicEInvoice>(&text, true);
    agree_text::<EWayBill>(&text, false);
    agree_text::<NicEWayBill>(&text, false);
    agree::<EInvoice>(doc, true)
        + agree::<NicEInvoice>(doc, true)
        + agree::<EWayBill>(doc, false)
        + agree::<NicEWayBill>(doc, false)
}

fn vector_documents() -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut out = Vec::new();
    for dir in ["einvoice", "einvoice-parse", "ewaybill", "validation"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for file in files {
            let value: Value =
                serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
            let cases = match value {
                Value::Array(cases) => cases,
                one => vec![one],
            };
            for case in cases {
                for key in ["document", "input", "canonical", "nic"] {
                    if let Some(doc) = case.get(key) {
                        out.push(doc.clone());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_vector_document_reads_as_serde_json_reads_it() {
    let docs = vector_documents();
    assert!(docs.len() > 300, "{}", docs.len());
    let refused: usize = docs.iter().map(all_types).sum();
    // Each document is of one type; the three others refuse it.
    assert!(refused >= docs.len() * 3, "{refused}");
}

#[test]
fn the_direct_read_takes_the_common_documents() {
    let docs = vector_documents();
    let taken = docs
        .iter()
        .filter(|doc| agree_direct_both(&scrambled(doc), doc))
        .count();
    assert!(taken > 50, "{taken}");
    let v: Value = serde_json::from_str(include_str!(
        "../../../tests/vectors/einvoice/b2b-inter.json"
    ))
    .unwrap();
    let canonical = &v["canonical"];
    assert!(agree_direct_both(&scrambled(canonical), canonical));
    assert!(agree_direct_both(&canonical.to_string(), canonical));
}

/// Records the field names serde's derived code passes to `deserialize_struct`.
struct FieldsOf;

impl<'de> serde::Deserializer<'de> for FieldsOf {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom(format!(
            "{name}:{}",
            fields.join(",")
        )))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

fn serde_fields<T: DeserializeOwned>() -> String {
    T::deserialize(FieldsOf).err().unwrap().to_string()
}

/// serde's `rename_all = "camelCase"` of a field's name.
fn camel_case(field: &str) -> String {
    let mut out = String::new();
    for (i, word) in field.split('_').enumerate() {
        let mut chars = word.chars();
        if let (true, Some(first)) = (i > 0, chars.next()) {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        } else {
            out.push_str(word);
        }
    }
    out
}

#[test]
fn the_direct_read_names_every_field_as_serde_does() {
    use crate::einvoice::model::*;
    let serde_names = [
        serde_fields::<EInvoice>(),
        serde_fields::<DocumentDetails>(),
        serde_fields::<TransactionDetails>(),
        serde_fields::<Seller>(),
        serde_fields::<Buyer>(),
        serde_fields::<Item>(),
        serde_fields::<ValueDetails>(),
        serde_fields::<PaymentDetails>(),
        serde_fields::<ReferenceDetails>(),
        serde_fields::<DocumentPeriod>(),
        serde_fields::<ContractReference>(),
        serde_fields::<AdditionalDocument>(),
    ];
    assert_eq!(serde_names.len(), super::direct::STRUCTS.len());
    for ((name, fields), expected) in super::direct::STRUCTS.iter().zip(&serde_names) {
        let wire: Vec<&str> = fields.iter().map(|(_, wire)| *wire).collect();
        assert_eq!(&format!("{name}:{}", wire.join(",")), expected);
        for (field, wire) in *fields {
            // The one rename of these structs.
            if (*name, *field) != ("DocumentDetails", "document_type") {
                assert_eq!(camel_case(field), *wire, "{name}");
            }
        }
    }
}

#[test]
fn a_number_amount_is_the_pair_of_checks_in_one() {
    for text in [
        "0",
        "-0",
        "4",
        "-4",
        "18",
        "1.5",
        "-1.5",
        "63999.96",
        "5.0",
        "0.5",
        "-0.5",
        "0.0",
        "1.",
        ".5",
        "1e5",
        "1.5e2",
        "01.5",
        "-",
        "",
        "1.5x",
        "1..5",
        "--1.5",
        "1-",
        "123456789012345678",
        "-123456789012345678",
        "1234567890123456789",
        "18446744073709551616",
        "999999999999999.99",
        "999999999999999.9999",
        "1000000000000000.5",
        "1.000000000000000000",
        "12.34567890123456789",
        "99999999999999999999999999999.1",
    ] {
        assert_eq!(super::direct::number_amount(text), pair(text), "{text}");
        assert_eq!(
            super::direct::number_amount(text).map(|d| d.serialize()),
            pair(text).map(|d| d.serialize()),
            "{text}"
        );
    }
}

/// What the reader and `wire::amount` make of a number's text, in two passes.
fn pair(text: &str) -> Option<rust_decimal::Decimal> {
    if amount_as_text(text) {
        crate::wire::amount::plain_decimal(text)
    } else {
        None
    }
}

proptest::proptest! {
    #[test]
    fn a_number_amount_is_the_pair_of_checks_on_any_text(text in "-?[0-9]{0,22}(\\.[0-9]{0,22})?|[-0-9.e+]{0,12}|.{0,8}") {
        let fused = super::direct::number_amount(&text).map(|d| d.serialize());
        proptest::prop_assert_eq!(fused, pair(&text).map(|d| d.serialize()));
    }

    #[test]
    fn the_direct_read_agrees_on_any_number_in_an_amount_or_a_whole_number(
        text in "-?(0|[1-9][0-9]{0,21})(\\.[0-9]{1,21})?([eE][-+]?[0-9]{1,3})?",
    ) {
        let v: Value = serde_json::from_str(include_str!(
            "../../../tests/vectors/einvoice/b2b-inter.json"
        ))
        .unwrap();
        let n: Value = serde_json::from_str(&text).unwrap();
        for pointer in ["/items/0/unitPrice", "/items/0/quantity", "/valueDetails/discount",
            "/seller/pincode", "/buyer/stateCode", "/paymentDetails/creditDays"] {
            let mut doc = v["canonical"].clone();
            // The tree's number text is the one written, which serde_json's may write anew.
            *doc.pointer_mut(pointer).unwrap() = json!("@number@");
            let written = scrambled(&doc).replace("\"@number@\"", &text);
            *doc.pointer_mut(pointer).unwrap() = n.clone();
            agree_direct_both(&written, &doc);
        }
    }
}

/// Every value of `doc` by its pointer.
fn pointers(doc: &Value, at: String, out: &mut Vec<String>) {
    match doc {
        Value::Object(m) => {
            for (k, v) in m {
                pointers(v, format!("{at}/{}", escape_pointer_token(k)), out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn replacements() -> Vec<Value> {
    let numbers = [
        "0",
        "-1",
        "5",
        "5.5",
        "63999.96",
        "0.5",
        "1e5",
        "-2.5e-3",
        "4294967296",
        "18446744073709551616",
        "1234567890123456.5",
        "1e400",
    ];
    let mut out: Vec<Value> = numbers
        .iter()
        .map(|n| serde_json::from_str(n).unwrap())
        .collect();
    out.extend([
        Value::Null,
        json!(true),
        json!("Y"),
        json!("x"),
        json!("2026-11-20"),
        json!("20/11/2026"),
        json!("12.50"),
        json!([]),
        json!(["x"]),
        json!({}),
        json!({"a": 1}),
        json!({"$serde_json::private::Number": "5"}),
    ]);
    out
}

#[test]
fn documents_one_mutation_away_read_as_serde_json_reads_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut bases = Vec::new();
    for file in [
        "einvoice/b2b-inter.json",
        "einvoice/crn.json",
        "ewaybill/generate-outward-road.json",
    ] {
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(root.join(file)).unwrap()).unwrap();
        bases.push(v["canonical"].clone());
        bases.push(v["nic"].clone());
    }
    let values = replacements();
    let mut checked = 0;
    let mut refused = 0;
    for base in &bases {
        let mut at = Vec::new();
        pointers(base, String::new(), &mut at);
        for pointer in &at {
            for value in &values {
                let mut doc = base.clone();
                *doc.pointer_mut(pointer).unwrap() = value.clone();
                refused += all_types(&doc);
                checked += 1;
            }
            // Removed, and an unknown member beside it.
            if let Some((parent, key)) = pointer.rsplit_once('/') {
                let key = key.replace("~1", "/").replace("~0", "~");
                let mut doc = base.clone();
                if let Some(Value::Object(m)) = doc.pointer_mut(parent) {
                    m.remove(&key);
                    m.insert("zzUnknown".into(), json!(1));
                    let with_unknown = doc.clone();
                    if let Some(Value::Object(m)) = doc.pointer_mut(parent) {
                        m.remove("zzUnknown");
                    }
                    refused += all_types(&doc) + all_types(&with_unknown);
                    checked += 2;
                }
            }
        }
    }
    assert!(checked > 5000, "{checked}");
    assert!(refused > checked, "{refused} of {checked}");
}

#[test]
fn errors_carry_the_pointer_of_their_value() {
    let v: Value = serde_json::from_str(include_str!(
        "../../../tests/vectors/einvoice/b2b-inter.json"
    ))
    .unwrap();
    let mut doc = v["canonical"].clone();
    doc["items"][0]["unitPrice"] = json!("abc");
    let (pointer, _) = read::<EInvoice>(&doc, Mode::Exact).err().unwrap();
    assert_eq!(pointer, "/items/0/unitPrice");
    let mut doc = v["canonical"].clone();
    doc["seller"]["zzUnknown"] = json!(1);
    let (pointer, e) = read::<EInvoice>(&doc, Mode::Exact).err().unwrap();
    assert_eq!(pointer, "/seller/zzUnknown");
    assert!(
        e.to_string().starts_with("unknown field `zzUnknown`"),
        "{e}"
    );
    let (pointer, e) = read::<EInvoice>(&json!(5), Mode::Exact).err().unwrap();
    assert_eq!(pointer, "");
    assert_eq!(
        e.to_string(),
        "invalid type: number, expected struct EInvoice"
    );
    // serde_json's private number key is seen.
    let flag = |text: &[u8]| json_tree::parse_document(text).unwrap().1;
    assert!(flag(br#"{"a":[{"$serde_json::private::Number":"5"}]}"#));
    assert!(!flag(br#"{"a":[{"$b":"5"}]}"#));
    // Only as an object's first key does serde_json give the token its meaning.
    assert!(!flag(
        br#"{"a":[{"x":1,"$serde_json::private::Number":"5"}]}"#
    ));
    // A number the model's type refuses is reported at its own pointer.
    let mut doc = v["canonical"].clone();
    doc["items"][0]["assessableAmount"] = serde_json::from_str("1e400").unwrap();
    let (pointer, e) = read::<EInvoice>(&doc, Mode::Exact).err().unwrap();
    assert_eq!(pointer, "/items/0/assessableAmount");
    assert_eq!(
        e.to_string(),
        "Scale exceeds the maximum precision allowed: 400 > 28"
    );
    // A name written twice: serde_json keeps the last, and so does the exact read of the core's
    // tree (the numbers-as-text read refuses it, as a duplicate field).
    let text = scrambled(&v["canonical"]).replacen(
        "\"date\":\"2026-11-20\"",
        "\"date\":\"bad\",\"date\":\"2026-11-20\"",
        1,
    );
    assert!(text.contains("\"date\":\"bad\",\"date\":"), "{text}");
    agree_text::<EInvoice>(&text, true);
    let node = json_tree::parse(text.as_bytes()).unwrap();
    assert!(read_node::<EInvoice>(&node, Mode::Exact).is_ok());
    assert!(read_node::<EInvoice>(&node, Mode::NumbersAsText).is_err());
    // The fast mode tracks nothing.
    assert_eq!(
        read::<EInvoice>(&json!(5), Mode::NumbersAsText)
            .err()
            .unwrap()
            .0,
        ""
    );
}

#[test]
fn plain_decimals_from_one_are_told_apart() {
    for yes in [
        "1.5",
        "-1.5",
        "63999.96",
        "999999999999999.99",
        "1.0",
        "10.000",
    ] {
        assert!(plain_decimal_from_one(yes), "{yes}");
    }
    for no in [
        "0.5",
        "-0.5",
        "1",
        "-1",
        "1.",
        ".5",
        "1e5",
        "1.5e2",
        "1000000000000000.5",
        "01.5",
        "-",
        "",
        "1.5x",
        "1..5",
        "--1.5",
    ] {
        assert!(!plain_decimal_from_one(no), "{no}");
    }
}

#[test]
fn amounts_go_as_text_where_their_decimal_is_the_same() {
    for yes in [
        "1.5",
        "-1.5",
        "63999.96",
        "999999999999999.99",
        "1.0",
        "10.000",
        "0",
        "4",
        "-4",
        "18",
        "123456789012345678",
        "-123456789012345678",
    ] {
        assert!(amount_as_text(yes), "{yes}");
    }
    for no in [
        "-0",
        "1234567890123456789",
        "-1234567890123456789",
        "18446744073709551616",
        "0.5",
        "-0.5",
        "0.0",
        "1.",
        ".5",
        "1e5",
        "1.5e2",
        "1000000000000000.5",
        "01.5",
        "-",
        "",
        "1.5x",
        "1..5",
        "--1.5",
        "--1",
        "1-",
    ] {
        assert!(!amount_as_text(no), "{no}");
    }
    // Every text the reader hands over is one rust_decimal reads to what the number would be.
    for text in [
        "0",
        "4",
        "-4",
        "123456789012345678",
        "1.5",
        "-63999.96",
        "5.0",
    ] {
        let value: Value = serde_json::from_str(text).unwrap();
        let expected = <rust_decimal::Decimal as serde::Deserialize>::deserialize(&value).unwrap();
        let read = crate::wire::amount::plain_decimal(text).unwrap();
        assert_eq!(read.serialize(), expected.serialize(), "{text}");
    }
}
