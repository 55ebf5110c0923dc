//! Transport master codes shared by the e-invoice's `EwbDtls` and the e-way bill (nic-rules C.10).

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// How goods move: NIC `TransMode` / `transMode`, codes `"1"`..`"4"`.
///
/// Code 5 ("in transit") exists only in the e-way bill extension payload and is modelled there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportMode {
    /// 1: road. Needs a vehicle number (303, 4011).
    Road,
    /// 2: rail. Needs a transport document number and date (394, 385).
    Rail,
    /// 3: air. Needs a transport document number and date.
    Air,
    /// 4: ship, or ship-cum-road/rail. Needs a transport document number and date.
    Ship,
}

impl TransportMode {
    /// NIC's code for this mode.
    pub fn code(self) -> u8 {
        match self {
            TransportMode::Road => 1,
            TransportMode::Rail => 2,
            TransportMode::Air => 3,
            TransportMode::Ship => 4,
        }
    }

    /// The mode with NIC code `code`, if there is one.
    pub fn from_code(code: u64) -> Option<Self> {
        Some(match code {
            1 => TransportMode::Road,
            2 => TransportMode::Rail,
            3 => TransportMode::Air,
            4 => TransportMode::Ship,
            _ => return None,
        })
    }
}

impl Serialize for TransportMode {
    /// Written as NIC writes it in both schemas: a one-character string.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for TransportMode {
    /// Read from `"1"`..`"4"` or `1`..`4`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = TransportMode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a transport mode: \"1\" road, \"2\" rail, \"3\" air or \"4\" ship")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                TransportMode::from_code(v)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                u64::try_from(v)
                    .ok()
                    .and_then(TransportMode::from_code)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                v.parse::<u64>()
                    .ok()
                    .and_then(TransportMode::from_code)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                // serde_json's arbitrary_precision numbers arrive as a one-entry map.
                match map.next_entry::<String, String>()? {
                    Some((_, n)) => self.visit_str(&n),
                    None => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// The kind of vehicle: NIC `VehType` / `vehicleType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VehicleType {
    /// `R`: regular.
    #[serde(rename = "R")]
    Regular,
    /// `O`: over-dimensional cargo (validity counted at 20 km a day, nic-rules C.2).
    #[serde(rename = "O")]
    OverDimensionalCargo,
}
