//! Wire encodings used only by the e-way bill modules: numeric code lists, HSN codes that NIC
//! writes as numbers, the distance NIC writes as a string, the EWB system's timestamps, and the
//! NIC field macro. Kept private to `ewaybill` so the shared `crate::wire` stays small.

use serde::{de, Deserializer, Serializer};
use std::fmt;

/// Declares a NIC master-code list whose codes are numbers in both the API and NIC's JSON
/// (`subSupplyType: 1`, `transactionType: 1`): `Variant = code, "api_name", "NIC's wording"`.
///
/// Unlike `crate::reason_codes!`, which writes the API name, these write the number, because the
/// number is what every EWB document, printout and NIC reply carries. Input may be the number,
/// the number as a string (NIC's own GET replies pad it: `"1  "`) or the API name.
macro_rules! numeric_codes {
    (
        $(#[$meta:meta])*
        $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $api:literal, $label:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every code, in NIC's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// NIC's numeric code.
            pub fn code(self) -> u8 {
                match self { $($name::$variant => $code,)+ }
            }

            /// The value with NIC code `code`.
            pub fn from_code(code: u64) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The API's name for the value (accepted on input, never written).
            pub fn api_name(self) -> &'static str {
                match self { $($name::$variant => $api,)+ }
            }

            /// The value with API name `name`.
            pub fn from_api_name(name: &str) -> Option<Self> {
                match name { $($api => Some($name::$variant),)+ _ => None }
            }

            /// NIC's wording.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u8(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use $crate::ewaybill::codec::CodeOrName;
                let found = match $crate::ewaybill::codec::code_or_name(d)? {
                    CodeOrName::Code(c) => $name::from_code(c),
                    CodeOrName::Name(ref n) => $name::from_api_name(n),
                };
                found.ok_or_else(|| {
                    let expected: Vec<String> = $name::ALL
                        .iter()
                        .map(|v| format!("{} ({})", v.code(), v.api_name()))
                        .collect();
                    serde::de::Error::custom(format!(
                        concat!("unknown ", $what, ": expected one of {}"),
                        expected.join(", ")
                    ))
                })
            }
        }
    };
}

/// A code as sent: a number (or a string of digits), or a name.
pub(crate) enum CodeOrName {
    Code(u64),
    Name(String),
}

struct CodeOrNameVisitor;

impl<'de> de::Visitor<'de> for CodeOrNameVisitor {
    type Value = CodeOrName;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a code, as a number or a string, or its name")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<CodeOrName, E> {
        Ok(CodeOrName::Code(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<CodeOrName, E> {
        u64::try_from(v)
            .map(CodeOrName::Code)
            .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<CodeOrName, E> {
        let t = v.trim();
        if !t.is_empty() && t.len() <= 19 && t.bytes().all(|b| b.is_ascii_digit()) {
            t.parse()
                .map(CodeOrName::Code)
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        } else {
            Ok(CodeOrName::Name(t.to_owned()))
        }
    }

    // serde_json's arbitrary_precision numbers arrive as a one-entry map.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<CodeOrName, A::Error> {
        match map.next_entry::<String, String>()? {
            Some((_, n)) => self.visit_str(&n),
            None => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

/// Reads a code in any of the forms users and NIC send.
pub(crate) fn code_or_name<'de, D: Deserializer<'de>>(d: D) -> Result<CodeOrName, D::Error> {
    d.deserialize_any(CodeOrNameVisitor)
}

/// Text that NIC may send as a number: HSN codes (`hsnCode: 61149090`).
struct TextVisitor;

impl<'de> de::Visitor<'de> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a code, as a string or a number")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        match map.next_entry::<String, String>()? {
            Some((_, n)) => Ok(n),
            None => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

/// An HSN code in the API: read from a string or a number, written as a string (HSN codes are
/// codes, and a leading zero, as in `0402`, is significant).
pub(crate) mod hsn_text {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        d.deserialize_any(TextVisitor)
    }

    pub(crate) fn serialize<S: Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v)
    }

    pub(crate) mod option {
        use super::*;

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<String>, D::Error> {
            struct Opt;
            impl<'de> de::Visitor<'de> for Opt {
                type Value = Option<String>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a code or null")
                }
                fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }
                fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }
                fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                    d.deserialize_any(TextVisitor).map(Some)
                }
            }
            d.deserialize_option(Opt)
        }

        pub(crate) fn serialize<S: Serializer>(
            v: &Option<String>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match v {
                Some(t) => s.serialize_str(t),
                None => s.serialize_none(),
            }
        }
    }
}

/// An HSN code in NIC's EWB JSON: NIC's samples and its GET replies carry `hsnCode` as a number,
/// so a code of digits is written as a number. A code with a leading zero (`0402`) or anything
/// but digits is written as the string it is, since a number would lose or refuse it.
pub(crate) mod hsn_nic {
    use super::*;

    fn as_number(v: &str) -> Option<u64> {
        let b = v.as_bytes();
        if b.is_empty() || b.len() > 19 || b[0] == b'0' || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        v.parse().ok()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        super::hsn_text::deserialize(d)
    }

    pub(crate) fn serialize<S: Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
        match as_number(v) {
            Some(n) => s.serialize_u64(n),
            None => s.serialize_str(v),
        }
    }

    pub(crate) mod option {
        use super::*;

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<String>, D::Error> {
            super::super::hsn_text::option::deserialize(d)
        }

        pub(crate) fn serialize<S: Serializer>(
            v: &Option<String>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match v {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }
    }
}

/// `transDistance`: read from a number or a string of digits, written as a string, the form of
/// NIC's own GENEWAYBILL sample (`"transDistance": "100"`).
pub(crate) mod distance_text {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        crate::wire::unsigned::deserialize(d)
    }

    pub(crate) fn serialize<S: Serializer>(v: &u32, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }
}

/// Optional NIC dates (`transDocDate`) where NIC's own payloads send `""` for "none": `""` and
/// `null` read as absent. Written as `dd/mm/yyyy`; `None` must be skipped by the caller.
pub(crate) mod nic_date_opt {
    use super::*;
    use crate::calendar::{format_nic_date, parse_nic_date};
    use chrono::NaiveDate;
    use serde::Deserialize;
    use std::borrow::Cow;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<Cow<'de, str>>::deserialize(d)? {
            Some(t) if !t.trim().is_empty() => {
                parse_nic_date(&t).map(Some).map_err(de::Error::custom)
            }
            _ => Ok(None),
        }
    }

    pub(crate) fn serialize<S: Serializer>(v: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(&format_nic_date(*d)),
            None => s.serialize_none(),
        }
    }
}

/// Declares a serde `with` module for timestamps in one of NIC's formats, plus `option`, where
/// `null` and `""` (NIC's "no validity yet" on a Part-A slip) read as absent.
macro_rules! timestamp_codec {
    ($(#[$m:meta])* $module:ident, $parse:path, $format:path) => {
        $(#[$m])*
        pub(crate) mod $module {
            use crate::calendar::Timestamp;
            use serde::{de, Deserialize, Deserializer, Serializer};
            use std::borrow::Cow;

            pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
                let t = Cow::<'de, str>::deserialize(d)?;
                $parse(&t).map_err(de::Error::custom)
            }

            pub(crate) fn serialize<S: Serializer>(v: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&$format(v))
            }

            pub(crate) mod option {
                use super::*;

                pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
                    d: D,
                ) -> Result<Option<Timestamp>, D::Error> {
                    match Option::<Cow<'de, str>>::deserialize(d)? {
                        Some(t) if !t.trim().is_empty() => {
                            $parse(&t).map(Some).map_err(de::Error::custom)
                        }
                        _ => Ok(None),
                    }
                }

                pub(crate) fn serialize<S: Serializer>(
                    v: &Option<Timestamp>,
                    s: S,
                ) -> Result<S::Ok, S::Error> {
                    match v {
                        Some(t) => super::serialize(t, s),
                        None => s.serialize_none(),
                    }
                }
            }
        }
    };
}

timestamp_codec!(
    /// EWB API timestamps, `dd/MM/yyyy hh:mm:ss AM/PM` IST (also the 24-hour form NIC sometimes
    /// sends with a trailing space).
    ewb_timestamp,
    crate::calendar::parse_ewaybill_timestamp,
    crate::calendar::format_ewaybill_timestamp
);

timestamp_codec!(
    /// e-invoice API timestamps, `yyyy-MM-dd HH:mm:ss` IST (`EwbDt`, `EwbValidTill`).
    einvoice_timestamp,
    crate::calendar::parse_einvoice_timestamp,
    crate::calendar::format_einvoice_timestamp
);

/// A reason enum (declared with `crate::reason_codes!`) whose NIC form is its numeric code.
pub(crate) trait NicCoded {
    fn nic_code(&self) -> u8;
}

/// Reasons in NIC's payloads: written as the number (`reasonCode: 1`, `cancelRsnCode: 2`), read
/// from the number, the number as a string, or the API name.
pub(crate) mod nic_reason {
    use super::*;
    use serde::Deserialize;

    pub(crate) fn deserialize<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        T::deserialize(d)
    }

    pub(crate) fn serialize<S: Serializer, T: NicCoded>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(v.nic_code())
    }
}
