//! NIC error codes, sorted by what a client should do about them (nic-rules B.8, B.11, C.11, E.5).
//!
//! Every code NIC (or a GSP in front of it) answers falls in one of four classes:
//! - **retryable**: NIC or the GSP is briefly unable to serve (2146 "unable to create IRN", 2147
//!   "unable to sign", 5001 application error, the GSP-down codes `GSPERR300` / `GSPGSTDOWN`). The
//!   same request, with the same idempotency key, may succeed later;
//! - **re-auth**: the NIC session token is invalid or expired (1005, EWB 238 and 106). Log in
//!   again, then retry once;
//! - **idempotent-recover**: what was asked for already exists or already happened (2150 DUPIRN,
//!   EWB 604 and 4002 "already generated", 9999 "invoice not active", i.e. already cancelled, EWB
//!   312 "not yours or cancelled"). Fetch the existing record, check it, adopt it;
//! - **user-fix**: everything else. The data or the set-up is wrong; a retry cannot help.
//!
//! The codes, their messages and their classes are master data, not Rust literals:
//! `schemas/masters/einvoice-errors.json` and `schemas/masters/ewaybill-errors.json`, compiled
//! in and parsed once per process on first use. A code in neither catalogue is user-fix. The
//! catalogues are checked by this module's tests (they parse; the classes above hold), so a broken
//! file fails the tests rather than a user's call; should one still fail to parse at run time, its
//! lookups come back empty instead of panicking.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const EINVOICE_ERRORS_JSON: &str =
    include_str!(concat!(env!("OUT_DIR"), "/masters/einvoice-errors.json"));
const EWAYBILL_ERRORS_JSON: &str =
    include_str!(concat!(env!("OUT_DIR"), "/masters/ewaybill-errors.json"));

/// What a client should do about a NIC code. Written as the catalogues write it (`"user-fix"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NicCodeClass {
    /// Try the same request again later, with the same idempotency key.
    #[serde(rename = "retryable")]
    Retryable,
    /// Log in to NIC again, then retry once.
    #[serde(rename = "re-auth")]
    Reauth,
    /// The result may already exist: fetch it, check it matches, adopt it.
    #[serde(rename = "idempotent-recover")]
    IdempotentRecover,
    /// The request itself is wrong: fix the data or the set-up.
    #[serde(rename = "user-fix")]
    UserFix,
}

impl NicCodeClass {
    /// The class's name as the catalogues and the JSON write it.
    pub fn as_str(self) -> &'static str {
        match self {
            NicCodeClass::Retryable => "retryable",
            NicCodeClass::Reauth => "re-auth",
            NicCodeClass::IdempotentRecover => "idempotent-recover",
            NicCodeClass::UserFix => "user-fix",
        }
    }
}

/// Which NIC system a code comes from, i.e. which catalogue lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NicSystem {
    /// The e-invoice IRP, with its EWB-by-IRN API (4000 series) and the GSP codes in front of it.
    EInvoice,
    /// The e-way bill system.
    EwayBill,
}

/// One catalogued NIC code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NicCode {
    /// The code as NIC writes it (`"2150"`, `"GSPERR300"`).
    pub code: String,
    /// NIC's message, abridged.
    pub message: String,
    /// What to do about it.
    pub class: NicCodeClass,
    /// The action it comes from (`generate`, `cancel`, `extend`, ...), when the catalogue says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// The catalogue's advice, when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Seconds to wait before a retry, when NIC prescribes it (118 "try after 5 minutes").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
    /// Whether the code or its message is unconfirmed.
    #[serde(default)]
    pub unverified: bool,
}

#[derive(Deserialize)]
struct Catalogue {
    errors: Vec<NicCode>,
}

fn load(json: &str) -> Vec<NicCode> {
    serde_json::from_str::<Catalogue>(json)
        .map(|c| c.errors)
        .unwrap_or_default()
}

/// Every code of one system's catalogue, in the catalogue's order.
pub fn catalogue(system: NicSystem) -> &'static [NicCode] {
    static EINVOICE: OnceLock<Vec<NicCode>> = OnceLock::new();
    static EWAYBILL: OnceLock<Vec<NicCode>> = OnceLock::new();
    match system {
        NicSystem::EInvoice => EINVOICE.get_or_init(|| load(EINVOICE_ERRORS_JSON)),
        NicSystem::EwayBill => EWAYBILL.get_or_init(|| load(EWAYBILL_ERRORS_JSON)),
    }
}

/// NIC writes codes as strings or numbers, with stray spaces, and GSPs in either case.
fn normalise(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// The entry for `code` in `system`'s catalogue.
pub fn lookup_in(system: NicSystem, code: &str) -> Option<&'static NicCode> {
    let code = normalise(code);
    catalogue(system).iter().find(|e| e.code == code)
}

/// The entry for `code` in either catalogue. E-invoice codes have four digits and e-way bill codes
/// three, so they rarely meet; where a code is in both (4043), the e-invoice entry is answered.
/// Use [`lookup_in`] when the system is known.
pub fn lookup(code: &str) -> Option<&'static NicCode> {
    lookup_in(NicSystem::EInvoice, code).or_else(|| lookup_in(NicSystem::EwayBill, code))
}

/// What a client should do about `code`: the catalogue's class, or user-fix for an unknown code.
pub fn classify(code: &str) -> NicCodeClass {
    lookup(code).map_or(NicCodeClass::UserFix, |e| e.class)
}

/// NIC's message for `code`, abridged, if the code is catalogued.
pub fn message(code: &str) -> Option<&'static str> {
    lookup(code).map(|e| e.message.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_parse_without_duplicates() {
        for system in [NicSystem::EInvoice, NicSystem::EwayBill] {
            let all = catalogue(system);
            assert!(all.len() > 50, "{system:?} has {} codes", all.len());
            for (i, a) in all.iter().enumerate() {
                assert_eq!(a.code, normalise(&a.code), "{system:?} {}", a.code);
                assert!(
                    all[i + 1..].iter().all(|b| b.code != a.code),
                    "{system:?} lists {} twice",
                    a.code
                );
            }
        }
    }

    #[test]
    fn codes_are_normalised() {
        assert_eq!(classify(" 2150 "), NicCodeClass::IdempotentRecover);
        assert_eq!(classify("gsperr300"), NicCodeClass::Retryable);
        assert_eq!(classify("not-a-code"), NicCodeClass::UserFix);
        assert!(message("2270").is_some());
    }
}
