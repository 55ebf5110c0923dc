//! The Invoice Reference Number and the key it is computed from.
//!
//! NIC: "IRN is hash of Supplier GSTIN + Fin. Year + Doc Type + Doc Number"; "SHA256 hash of
//! Gstin, DocDtls.No, DocDtls.Typ, financial year of DocDtls.Dt" (nic-rules B.7). Concretely,
//! `lowercase_hex(SHA-256(utf8(gstin + "YYYY-YY" + typ + number)))`, checked against a real
//! production IRN. The IRP is idempotent on the same four parts, which is why they are also the
//! dedup key for DUPIRN (nic-rules B.8).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::model::{DocumentType, EInvoice};
use crate::calendar::FinancialYear;

/// The four parts NIC hashes into the IRN, and on which the IRP deduplicates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentKey {
    /// The supplier's GSTIN (`SellerDtls.Gstin`).
    pub seller_gstin: String,
    /// The financial year of the document date.
    pub financial_year: FinancialYear,
    /// INV, CRN or DBN.
    pub document_type: DocumentType,
    /// The document number exactly as sent (`DocDtls.No`).
    pub document_number: String,
}

impl DocumentKey {
    /// The key of an e-invoice: its seller, the financial year of its date, its type and number.
    pub fn of(invoice: &EInvoice) -> Self {
        let d = &invoice.document_details;
        DocumentKey {
            seller_gstin: invoice.seller.gstin.clone(),
            financial_year: FinancialYear::of(d.date),
            document_type: d.document_type,
            document_number: d.number.clone(),
        }
    }

    /// The IRN the IRP assigns to a document with this key.
    pub fn irn(&self) -> Irn {
        Irn::compute(
            &self.seller_gstin,
            self.financial_year,
            self.document_type,
            &self.document_number,
        )
    }
}

/// An Invoice Reference Number: 64 lower-case hexadecimal characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Irn(String);

impl Irn {
    /// Computes the IRN from its four parts (nic-rules B.7).
    pub fn compute(
        seller_gstin: &str,
        financial_year: FinancialYear,
        document_type: DocumentType,
        document_number: &str,
    ) -> Irn {
        let mut h = Sha256::new();
        h.update(seller_gstin.as_bytes());
        h.update(financial_year.to_string().as_bytes());
        h.update(document_type.code().as_bytes());
        h.update(document_number.as_bytes());
        let digest = h.finalize();
        let mut hex = String::with_capacity(64);
        for byte in digest {
            hex.push(char::from(HEX[usize::from(byte >> 4)]));
            hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        Irn(hex)
    }

    /// The IRN of an e-invoice.
    pub fn of(invoice: &EInvoice) -> Irn {
        DocumentKey::of(invoice).irn()
    }

    /// The 64 hexadecimal characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// A string that is not an IRN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid IRN `{0}`: expected 64 hexadecimal characters")]
pub struct IrnError(pub String);

impl FromStr for Irn {
    type Err = IrnError;

    /// Accepts 64 hexadecimal characters in either case and keeps them lower-case, the case of
    /// every IRN NIC has issued.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Irn(s.to_ascii_lowercase()))
        } else {
            Err(IrnError(s.to_owned()))
        }
    }
}

impl fmt::Display for Irn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Irn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Irn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        // nic-rules B.7: gstzen.in's worked example.
        let irn = Irn::compute(
            "29AAFCC9980M1ZR",
            "2019-20".parse().unwrap(),
            DocumentType::Invoice,
            "2019-20/KA/1",
        );
        assert_eq!(
            irn.as_str(),
            "23f498ee41441ecad30f72ba5b9907506c3df70a17b0e0dff46b76a786400662"
        );
        // nic-rules B.7: a production IRN read from an NIC-signed QR code (DocDt 02/07/2022).
        let irn = Irn::compute(
            "37AAGCK5972Q6ZG",
            "2022-23".parse().unwrap(),
            DocumentType::Invoice,
            "CUP3072207260006",
        );
        assert_eq!(
            irn.as_str(),
            "22c81bc6923892cc5a06527a15a5dc62efce1fef3ed235d4917365cc4ba2369b"
        );
    }

    #[test]
    fn financial_year_boundary_changes_the_irn() {
        use chrono::NaiveDate;
        let key = |date: NaiveDate| DocumentKey {
            seller_gstin: "29AAFCC9980M1ZR".into(),
            financial_year: FinancialYear::of(date),
            document_type: DocumentType::Invoice,
            document_number: "2019-20/KA/1".into(),
        };
        let march = key(NaiveDate::from_ymd_opt(2020, 3, 31).unwrap());
        let april = key(NaiveDate::from_ymd_opt(2020, 4, 1).unwrap());
        assert_eq!(march.financial_year.to_string(), "2019-20");
        assert_eq!(april.financial_year.to_string(), "2020-21");
        // 31 March 2020 still belongs to 2019-20: the gstzen.in known answer.
        assert_eq!(
            march.irn().as_str(),
            "23f498ee41441ecad30f72ba5b9907506c3df70a17b0e0dff46b76a786400662"
        );
        // 1 April 2020 is a new financial year, so the same number is a new IRN.
        assert_ne!(april.irn(), march.irn());
        assert_eq!(
            april.irn(),
            Irn::compute(
                "29AAFCC9980M1ZR",
                FinancialYear::starting(2020),
                DocumentType::Invoice,
                "2019-20/KA/1"
            )
        );
    }

    #[test]
    fn parse_irn() {
        let upper = "23F498EE41441ECAD30F72BA5B9907506C3DF70A17B0E0DFF46B76A786400662";
        assert_eq!(
            upper.parse::<Irn>().unwrap().as_str(),
            "23f498ee41441ecad30f72ba5b9907506c3df70a17b0e0dff46b76a786400662"
        );
        assert!("23f498".parse::<Irn>().is_err());
        assert!(format!("{}g", &upper[..63]).parse::<Irn>().is_err());
    }
}
