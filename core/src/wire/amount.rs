//! Amounts ([`Decimal`]) read as `Decimal`'s own `Deserialize` reads them, with one shortcut for
//! the core's tree reader: when it holds a plain decimal's text (`63999.96`), the `Decimal` is
//! built from its digits, not through rust_decimal's serde path (serde_json's one-entry number
//! map, then `Decimal::from_str`), which was most of the cost of reading an amount.
//!
//! The shortcut is asked for by name: [`deserialize`] calls `deserialize_newtype_struct` with
//! [`AMOUNT_TOKEN`]. Every other deserializer (serde_json's, `serde_path_to_error`'s, the tree
//! reader in its exact mode) answers with `visit_newtype_struct(self)`, and the amount is then
//! read by `Decimal::deserialize` on that same deserializer, so nothing changes for them. Only the
//! tree reader's numbers-as-text mode answers with the number's text instead, and only for the
//! plain decimals it already handed to rust_decimal as text; a failure there is never reported
//! (the document is read again exactly), so only the values must agree, and they do:
//! [`plain_decimal`] builds the `Decimal` `Decimal::from_str` would, or declines.
//!
//! Writing is unchanged (the fields keep `Decimal`'s `Serialize`), so these are
//! `deserialize_with` functions, not `with` modules.

use std::fmt;

use rust_decimal::Decimal;
use serde::de::value::U64Deserializer;
use serde::de::value::{F64Deserializer, I64Deserializer, MapAccessDeserializer, StrDeserializer};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// The newtype name by which [`deserialize`] asks the tree reader for a number's text.
pub(crate) const AMOUNT_TOKEN: &str = "$onefinops::Amount";

/// Reads an amount exactly as `Decimal::deserialize` does (see the module documentation).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_newtype_struct(AMOUNT_TOKEN, AmountVisitor)
}

/// The same for optional amounts: `Option<Decimal>`'s own reading, each present value read by
/// [`deserialize`].
pub mod option {
    use super::*;

    /// Reads an optional amount exactly as `Option::<Decimal>::deserialize` does.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        Option::<Amount>::deserialize(d).map(|a| a.map(|Amount(v)| v))
    }
}

/// A [`Decimal`] read by [`deserialize`]; serde's own `Option` visitor wraps it, so that `null`,
/// absence and every error stay `Option<Decimal>`'s.
struct Amount(Decimal);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize(d).map(Amount)
    }
}

/// rust_decimal's visitor, in effect: `visit_newtype_struct` hands the deserializer to
/// `Decimal::deserialize`, and every method rust_decimal's (private) visitor implements is passed
/// to `Decimal::deserialize` through serde's value deserializers, so that a deserializer which
/// answers `deserialize_newtype_struct` with `deserialize_any` still gets rust_decimal's results
/// and errors. The methods left out fail as rust_decimal's do, with the same `expecting`.
struct AmountVisitor;

impl<'de> Visitor<'de> for AmountVisitor {
    type Value = Decimal;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        // rust_decimal's wording, so that an error reads the same whichever visitor raised it.
        formatter.write_str("a Decimal type representing a fixed-point number")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Decimal, D::Error> {
        <Decimal as Deserialize>::deserialize(d)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        match plain_decimal(v) {
            Some(d) => Ok(d),
            None => <Decimal as Deserialize>::deserialize(StrDeserializer::<E>::new(v)),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        <Decimal as Deserialize>::deserialize(I64Deserializer::<E>::new(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        <Decimal as Deserialize>::deserialize(U64Deserializer::<E>::new(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        <Decimal as Deserialize>::deserialize(F64Deserializer::<E>::new(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Decimal, A::Error> {
        <Decimal as Deserialize>::deserialize(MapAccessDeserializer::new(map))
    }
}

/// The `Decimal` that `Decimal::from_str(text)` gives, built from the digits, when `text` is a
/// plain decimal (`-?[0-9]+(\.[0-9]+)?`) of at most 19 digits, so that the mantissa fits a `u64`
/// and needs no rounding; `None` for everything else (exponents, signs other than a leading
/// `-`, underscores, more digits, a negative zero), which rust_decimal parses itself. The scale
/// is the number of digits after the point, as rust_decimal keeps it (`1002.00` has scale 2).
pub(crate) fn plain_decimal(text: &str) -> Option<Decimal> {
    let (negative, digits) = split_sign(text.as_bytes());
    let (mantissa, whole) = leading_digits(digits, 0);
    if whole == 0 {
        return None;
    }
    let (mantissa, scale) = match digits.get(whole) {
        None => (mantissa, 0),
        Some(b'.') => {
            let (mantissa, scale) = leading_digits(&digits[whole + 1..], mantissa);
            // `5.` is rust_decimal's to read.
            if scale == 0 || whole + 1 + scale != digits.len() {
                return None;
            }
            (mantissa, scale)
        }
        Some(_) => return None,
    };
    if whole + scale > 19 || (negative && mantissa == 0) {
        return None;
    }
    Some(decimal_of(negative, mantissa, scale))
}

/// A leading `-`, and the bytes after it.
#[inline]
pub(crate) fn split_sign(bytes: &[u8]) -> (bool, &[u8]) {
    match bytes {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, bytes),
    }
}

/// The ASCII digits that lead `bytes`, appended to `mantissa`, and how many there are.
/// Wrapping, because a text too long to keep may overflow before its digit count refuses it;
/// nothing kept (19 digits at most, below 10^19) wraps.
#[inline]
pub(crate) fn leading_digits(bytes: &[u8], mut mantissa: u64) -> (u64, usize) {
    let mut count = 0;
    while let Some(&byte) = bytes.get(count) {
        let d = byte.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
        count += 1;
    }
    (mantissa, count)
}

/// The `Decimal` of a mantissa below 10^19 (it fits the low 64 bits) and a scale.
#[inline]
pub(crate) fn decimal_of(negative: bool, mantissa: u64, scale: usize) -> Decimal {
    Decimal::from_parts(
        mantissa as u32,
        (mantissa >> 32) as u32,
        0,
        negative,
        scale as u32,
    )
}

#[cfg(test)]
mod tests;
