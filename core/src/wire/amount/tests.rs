//! The amount shortcut against rust_decimal: the same `Decimal` (value, scale and sign, compared
//! as its 16-byte representation) from `plain_decimal` wherever it answers, and the same result
//! or error from `deserialize` as from `Decimal::deserialize` on serde_json's deserializers.

use std::str::FromStr;

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

use super::{deserialize, option, plain_decimal};
use crate::json_tree;
use crate::tree_reader::{read_node, Mode};

/// `plain_decimal(text)` is rust_decimal's parse of `text` wherever it answers.
fn agrees_with_from_str(text: &str) -> bool {
    let fast = plain_decimal(text);
    if let Some(fast) = fast {
        let slow = Decimal::from_str(text)
            .unwrap_or_else(|e| panic!("rust_decimal refuses {text:?} ({e}), we read {fast}"));
        assert_eq!(
            fast.serialize(),
            slow.serialize(),
            "{text:?}: {fast} vs {slow}"
        );
        assert_eq!(fast.scale(), slow.scale(), "{text:?}");
    }
    fast.is_some()
}

#[test]
fn plain_decimals_are_read_as_rust_decimal_reads_them() {
    let answered = [
        "0",
        "7",
        "-7",
        "0.0",
        "0.00",
        "1002.00",
        "-5.0",
        "5.50",
        "63999.96",
        "-63999.96",
        "0.5",
        "-0.5",
        "0.0000001",
        "007.5",
        "000",
        "1234567890123456789",
        "-1234567890123456789",
        "9999999999999999999",
        "999999999.9999999999",
        "0.000000000000000001",
        "-0.000000000000000001",
        "18446744073.70955161",
        "4294967295",
        "4294967296",
        "4294967296.5",
        "123456789012345.5",
        "1.000000000001",
    ];
    for text in answered {
        assert!(agrees_with_from_str(text), "declined {text:?}");
    }
    let declined = [
        "",
        "-",
        ".",
        "-.",
        "5.",
        ".5",
        "-.5",
        "+5",
        "--5",
        "5..0",
        "5.0.0",
        "1e5",
        "1E5",
        "1.5e2",
        "-1.5e-3",
        "1_000",
        " 5",
        "5 ",
        "5,0",
        "-0",
        "-0.0",
        "-00.000",
        "12345678901234567890",
        "0.0000000000000000001",
        "18446744073709551616",
        "1.2345678901234567890",
        "0.00000000000000000000000000001",
        "99999999999999999999999999999.1",
        "٣",
        "5\u{0}",
    ];
    for text in declined {
        assert!(!agrees_with_from_str(text), "answered {text:?}");
    }
}

proptest! {
    #[test]
    fn plain_decimals_of_up_to_19_digits_match_rust_decimal(
        text in "-?[0-9]{1,12}(\\.[0-9]{1,12})?",
    ) {
        let digits = text.bytes().filter(u8::is_ascii_digit).count();
        let negative_zero = text.starts_with('-') && text.bytes().all(|b| !matches!(b, b'1'..=b'9'));
        let answered = agrees_with_from_str(&text);
        prop_assert_eq!(answered, digits <= 19 && !negative_zero, "{}", text);
    }

    #[test]
    fn any_text_is_read_as_rust_decimal_reads_it_or_declined(
        text in "[-+0-9.eE_ ]{0,30}",
    ) {
        agrees_with_from_str(&text);
        let json = Value::from(text.as_str());
        prop_assert_eq!(outcome(deserialize(&json)), outcome(<Decimal as Deserialize>::deserialize(&json)));
    }

    #[test]
    fn any_json_number_is_read_as_rust_decimal_reads_it(
        text in "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,32})?([eE][-+]?[0-9]{1,3})?",
    ) {
        same_everywhere(&text);
    }
}

/// A read's outcome, comparable: the `Decimal`'s bytes or the error's message.
fn outcome<E: std::fmt::Display>(r: Result<Decimal, E>) -> Result<[u8; 16], String> {
    r.map(|d| d.serialize()).map_err(|e| e.to_string())
}

fn outcome_option<E: std::fmt::Display>(
    r: Result<Option<Decimal>, E>,
) -> Result<Option<[u8; 16]>, String> {
    r.map(|d| d.map(|d| d.serialize()))
        .map_err(|e| e.to_string())
}

/// The JSON `text` read as an amount (and as an optional one) by serde_json from its tree, by
/// serde_json from the text, and by the core's tree reader in both modes: what
/// `Decimal::deserialize` gives on serde_json's tree, every time (the numbers-as-text mode only
/// where it succeeds).
fn same_everywhere(text: &str) {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) => return,
    };
    let expected = outcome(<Decimal as Deserialize>::deserialize(&value));
    assert_eq!(outcome(deserialize(&value)), expected, "tree: {text}");
    let mut from_text = serde_json::Deserializer::from_str(text);
    assert_eq!(
        outcome(deserialize(&mut from_text)),
        outcome(<Decimal as Deserialize>::deserialize(
            &mut serde_json::Deserializer::from_str(text)
        )),
        "text: {text}"
    );
    let expected_option = outcome_option(Option::<Decimal>::deserialize(&value));
    assert_eq!(
        outcome_option(option::deserialize(&value)),
        expected_option,
        "option: {text}"
    );

    #[derive(Deserialize)]
    struct One {
        #[serde(deserialize_with = "deserialize")]
        a: Decimal,
        #[serde(default, deserialize_with = "option::deserialize")]
        b: Option<Decimal>,
    }
    let doc = format!("{{\"a\":{text},\"b\":{text}}}");
    let (node, private_tokens) = json_tree::parse_document(doc.as_bytes()).unwrap();
    if private_tokens {
        // serde_json reads these objects as something else; the reader is never given them.
        return;
    }
    let both = |r: Result<One, (String, serde_json::Error)>| {
        r.map(|o| (o.a.serialize(), o.b.map(|b| b.serialize())))
            .map_err(|(_, e)| e.to_string())
    };
    let reference = serde_json::from_str::<Value>(&doc).ok().and_then(|v| {
        let a = <Decimal as Deserialize>::deserialize(&v["a"]).ok()?;
        let b = Option::<Decimal>::deserialize(&v["b"]).ok()?;
        Some((a.serialize(), b.map(|b| b.serialize())))
    });
    let exact = both(read_node::<One>(&node, Mode::Exact));
    assert_eq!(exact.clone().ok(), reference, "exact: {text}");
    assert_eq!(exact.is_ok(), expected.is_ok(), "exact: {text}");
    if let Ok(fast) = both(read_node::<One>(&node, Mode::NumbersAsText)) {
        assert_eq!(Some(fast), reference, "numbers as text: {text}");
    }
}

#[test]
fn every_json_value_is_read_as_rust_decimal_reads_it() {
    let texts = [
        "4",
        "0",
        "-0",
        "-5",
        "5.0",
        "-5.0",
        "5.50",
        "1002.00",
        "63999.96",
        "-63999.96",
        "0.5",
        "-0.5",
        "0.10",
        "0.0000001",
        "1e5",
        "1E5",
        "1.5e2",
        "-1.5e-3",
        "4294967295",
        "4294967296",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "18446744073709551616",
        "123456789012345.5",
        "1234567890123456.5",
        "999999999999999.99",
        "1000000000000000.5",
        "99999999999999999999999999999.1",
        "79228162514264337593543950335",
        "79228162514264337593543950336",
        "1e400",
        "0.00000000000000000000000000001",
        "1.00000000000000000000000000005",
        "1.0000000000000000000000000000000000001",
        "340282366920938463463374607431768211456",
        "560058.0",
        "29.0",
        "1.000000000001",
        "null",
        "true",
        "\"5.0\"",
        "\"1e5\"",
        "\"-0\"",
        "\"x\"",
        "\"\"",
        "[]",
        "[1]",
        "{}",
        "{\"a\":1}",
        "{\"$serde_json::private::Number\":\"5.0\"}",
        "{\"$serde_json::private::Number\":\"x\"}",
        "{\"$serde_json::private::Number\":5}",
    ];
    for text in texts {
        same_everywhere(text);
    }
}
