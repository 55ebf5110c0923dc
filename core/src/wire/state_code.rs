//! NIC state codes (`Stcd`, `Pos`) as two-character strings (`"29"`, `"07"`, `"96"`).
//!
//! The e-invoice schema writes them as strings; the e-way bill API as numbers
//! (`fromStateCode: 29`). Both are read. A number is written back with two digits, so `7`
//! becomes `"07"`, the form of NIC's state master and of GSTIN prefixes.

use serde::{de, Deserializer};
use std::fmt;

struct StateVisitor;

impl<'de> de::Visitor<'de> for StateVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a state code: one or two digits, as a string or a number")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        if v > 99 {
            return Err(E::invalid_value(de::Unexpected::Unsigned(v), &self));
        }
        Ok(format!("{v:02}"))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        match u64::try_from(v) {
            Ok(u) => self.visit_u64(u),
            Err(_) => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        let text: Option<(String, String)> = map.next_entry()?;
        match text.map(|(_, n)| n.parse::<u64>()) {
            Some(Ok(n)) => self.visit_u64(n),
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

/// Reads a state code from a string (kept as sent, so validation can report it) or a number.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(StateVisitor)
}

/// Writes a state code as a string, the e-invoice schema's form.
pub fn serialize<S: serde::Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v)
}

/// Reads a state code and writes it as a JSON number, the e-way bill API's form.
pub mod numeric {
    use super::*;
    use serde::Serializer;

    /// Reads a state code from a string or a number.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        super::deserialize(d)
    }

    /// Writes a state code as a number when it is all digits, else as the string it is (so a bad
    /// code survives the round trip and reaches validation).
    pub fn serialize<S: Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
        match v.parse::<u32>() {
            Ok(n) if !v.is_empty() && v.len() <= 2 => s.serialize_u32(n),
            _ => s.serialize_str(v),
        }
    }
}
