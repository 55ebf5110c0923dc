//! The e-way bill number (`ewbNo`, `ewayBillNo`, `EwbNo`): the twelve-digit handle of every action
//! on a bill after GENEWAYBILL.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

use super::codec::{code_or_name, CodeOrName};

/// An e-way bill number: exactly 12 digits, never starting with 0 (NIC `Number(12)`).
///
/// NIC sends it as a number in GENEWAYBILL replies and as a string in others (UPDATETRANSPORTER,
/// EXTENDVALIDITY replies), and peers send `"ewbNo": "301002999920"` in requests; both are read.
/// It is written as a number, the type NIC's action pages give it (CANEWB `ewbNo: Number(12)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EwbNumber(u64);

const MIN: u64 = 100_000_000_000;
const MAX: u64 = 999_999_999_999;

impl EwbNumber {
    /// The number `n`, if it has exactly 12 digits.
    pub fn new(n: u64) -> Result<Self, EwbNumberError> {
        if (MIN..=MAX).contains(&n) {
            Ok(EwbNumber(n))
        } else {
            Err(EwbNumberError(n.to_string()))
        }
    }

    /// The number as an integer.
    pub fn get(self) -> u64 {
        self.0
    }
}

/// A value that is not an e-way bill number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid e-way bill number `{0}`: expected 12 digits")]
pub struct EwbNumberError(pub String);

impl FromStr for EwbNumber {
    type Err = EwbNumberError;

    /// Exactly 12 ASCII digits, first not 0.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(EwbNumberError(s.to_owned()));
        }
        let n = s.parse().map_err(|_| EwbNumberError(s.to_owned()))?;
        EwbNumber::new(n).map_err(|_| EwbNumberError(s.to_owned()))
    }
}

impl TryFrom<u64> for EwbNumber {
    type Error = EwbNumberError;

    fn try_from(n: u64) -> Result<Self, Self::Error> {
        EwbNumber::new(n)
    }
}

impl From<EwbNumber> for u64 {
    fn from(n: EwbNumber) -> u64 {
        n.0
    }
}

impl fmt::Display for EwbNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for EwbNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for EwbNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = match code_or_name(d)? {
            CodeOrName::Code(n) => n,
            CodeOrName::Name(text) => return Err(serde::de::Error::custom(EwbNumberError(text))),
        };
        EwbNumber::new(n).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_or_digit_string_written_as_number() {
        let a: EwbNumber = serde_json::from_str("301002999920").unwrap();
        let b: EwbNumber = serde_json::from_str("\"301002999920\"").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.get(), 301_002_999_920);
        assert_eq!(serde_json::to_string(&a).unwrap(), "301002999920");
        assert_eq!(a.to_string(), "301002999920");
        assert_eq!("301002999920".parse::<EwbNumber>().unwrap(), a);
    }

    #[test]
    fn refuses_what_is_not_twelve_digits() {
        for bad in [
            "30100299992",
            "3010029999201",
            "\"abc\"",
            "-1",
            "\"\"",
            "0",
            "1.5",
        ] {
            assert!(serde_json::from_str::<EwbNumber>(bad).is_err(), "{bad}");
        }
        for bad in ["030100299992", "30100299992a", " 301002999920"] {
            assert!(bad.parse::<EwbNumber>().is_err(), "{bad}");
        }
        assert!(EwbNumber::new(99_999_999_999).is_err());
        assert!(EwbNumber::new(1_000_000_000_000).is_err());
    }
}
