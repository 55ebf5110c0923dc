//! Whole numbers that users send either as JSON numbers or as strings of digits: PIN codes (NIC
//! `Pin` is a number, the flat dialect's `pinCode` a string), distances (`transDistance` comes as
//! `"100"` or `100`), credit days. Both forms are read; numbers are written. Range checks (PIN
//! 100000..=999999, distance 0..=4000) are validation rules, not parse errors, so that a bad value
//! is reported with its NIC code rather than as a type error.

use serde::{de, Deserializer, Serializer};
use std::fmt;

struct WholeVisitor;

impl<'de> de::Visitor<'de> for WholeVisitor {
    type Value = u32;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number, as a JSON number or a string of digits")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u32, E> {
        u32::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u32, E> {
        u32::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u32, E> {
        if v.is_empty() || v.len() > 9 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(E::invalid_value(de::Unexpected::Str(v), &self));
        }
        v.parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }

    // serde_json with `arbitrary_precision` hands numbers over as a one-entry map.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<u32, A::Error> {
        let text: Option<(String, String)> = map.next_entry()?;
        match text {
            Some((_, n)) => self.visit_str(&n),
            None => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

/// Reads a whole number from a JSON number or a string of digits.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    d.deserialize_any(WholeVisitor)
}

/// Writes a whole number as a JSON number.
pub fn serialize<S: Serializer>(v: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u32(*v)
}

/// The same encoding for optional numbers.
pub mod option {
    use super::*;

    /// Reads an optional whole number (`null` is absent).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        struct Opt;
        impl<'de> de::Visitor<'de> for Opt {
            type Value = Option<u32>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                super::deserialize(d).map(Some)
            }
        }
        d.deserialize_option(Opt)
    }

    /// Writes an optional whole number; `None` must be skipped by the caller.
    pub fn serialize<S: Serializer>(v: &Option<u32>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(p) => s.serialize_u32(*p),
            None => s.serialize_none(),
        }
    }
}
