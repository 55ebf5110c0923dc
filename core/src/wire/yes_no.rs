//! NIC's `Y` / `N` flags (RegRev, IsServc, IgstOnIntra, RefClm) as `bool`.
//!
//! Accepted on input: `"Y"`, `"N"` (any case) and JSON booleans, since the API's flat dialect uses
//! booleans where NIC uses Y/N. Written as `"Y"` / `"N"`.

use serde::{de, Deserializer, Serializer};
use std::fmt;

struct FlagVisitor;

impl de::Visitor<'_> for FlagVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"Y\", \"N\", true or false")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v {
            "Y" | "y" => Ok(true),
            "N" | "n" => Ok(false),
            other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
        }
    }
}

/// Reads a flag.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(FlagVisitor)
}

/// Writes a flag as `"Y"` or `"N"`.
pub fn serialize<S: Serializer>(v: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(if *v { "Y" } else { "N" })
}

/// The same encoding for optional flags.
pub mod option {
    use super::*;

    /// Reads an optional flag (`null` is absent).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        struct Opt;
        impl<'de> de::Visitor<'de> for Opt {
            type Value = Option<bool>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"Y\", \"N\", true, false or null")
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

    /// Writes an optional flag; `None` must be skipped by the caller (`skip_serializing_if`).
    pub fn serialize<S: Serializer>(v: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => super::serialize(b, s),
            None => s.serialize_none(),
        }
    }
}
