//! When NIC says an e-way bill already exists: fetch it and adopt it (nic-rules C.1, C.12, E.2).
//!
//! The e-way bill equivalents of DUPIRN are two refusals that mean "it is already done":
//! - **604** on GENEWAYBILL: "E-way bill(s) are already generated for the same document number".
//!   One document (GSTIN + docType + docNo) has at most one bill, so the existing bill is fetched
//!   with `GetEwayBillGeneratedByConsigner?docType=&docNo=`;
//! - **4002** on EWB-by-IRN: "EwayBill is already generated for this IRN", fetched with
//!   `ewaybill/irn/{irn}`.
//!
//! The usual cause is a first call that timed out after NIC had generated the bill. Generating
//! again can never succeed, so the outcome is typed as the fetch to make, not as an error.

use serde::{Deserialize, Serialize};

use crate::einvoice::irn::Irn;
use crate::ewaybill::DocumentType;

/// The code NIC answers on GENEWAYBILL for a document that already has a bill.
pub const DUPLICATE_DOCUMENT: &str = "604";

/// The code the IRP answers on EWB-by-IRN for an IRN that already has a bill.
pub const DUPLICATE_FOR_IRN: &str = "4002";

/// The fetch that recovers the existing bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "fetch",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum FetchAndAdopt {
    /// 604: fetch the bill generated for this document
    /// (`GetEwayBillGeneratedByConsigner?docType=&docNo=`).
    ByDocument {
        /// The document's type.
        document_type: DocumentType,
        /// The document's number.
        document_number: String,
    },
    /// 4002: fetch the bill generated on this IRN (`ewaybill/irn/{irn}`).
    ByIrn {
        /// The IRN.
        irn: Irn,
    },
}

impl FetchAndAdopt {
    /// The NIC code this recovers from.
    pub fn nic_code(&self) -> &'static str {
        match self {
            FetchAndAdopt::ByDocument { .. } => DUPLICATE_DOCUMENT,
            FetchAndAdopt::ByIrn { .. } => DUPLICATE_FOR_IRN,
        }
    }
}

fn has_code<S: AsRef<str>>(codes: &[S], code: &str) -> bool {
    codes.iter().any(|c| c.as_ref().trim() == code)
}

/// What to do after GENEWAYBILL for a document failed with `codes` (NIC may send several,
/// comma-separated): fetch and adopt when one is 604, `None` otherwise.
pub fn after_generate<S: AsRef<str>>(
    codes: &[S],
    document_type: DocumentType,
    document_number: &str,
) -> Option<FetchAndAdopt> {
    has_code(codes, DUPLICATE_DOCUMENT).then(|| FetchAndAdopt::ByDocument {
        document_type,
        document_number: document_number.to_owned(),
    })
}

/// What to do after EWB-by-IRN for `irn` failed with `codes`: fetch and adopt when one is 4002,
/// `None` otherwise.
pub fn after_generate_by_irn<S: AsRef<str>>(codes: &[S], irn: &Irn) -> Option<FetchAndAdopt> {
    has_code(codes, DUPLICATE_FOR_IRN).then(|| FetchAndAdopt::ByIrn { irn: irn.clone() })
}
