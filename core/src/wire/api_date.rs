//! API dates, `YYYY-MM-DD`, as [`chrono::NaiveDate`].

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serializer};
use std::borrow::Cow;

use crate::calendar::parse_api_date;

/// Reads a `YYYY-MM-DD` date.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let s = Cow::<'de, str>::deserialize(d)?;
    parse_api_date(&s).map_err(serde::de::Error::custom)
}

/// Writes a `YYYY-MM-DD` date.
pub fn serialize<S: Serializer>(v: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&v.format("%Y-%m-%d"))
}

/// The same encoding for optional dates.
pub mod option {
    use super::*;

    /// Reads an optional `YYYY-MM-DD` date (`null` is absent).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        let s = Option::<Cow<'de, str>>::deserialize(d)?;
        s.map(|s| parse_api_date(&s).map_err(serde::de::Error::custom))
            .transpose()
    }

    /// Writes an optional date; `None` must be skipped by the caller.
    pub fn serialize<S: Serializer>(v: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => super::serialize(d, s),
            None => s.serialize_none(),
        }
    }
}
