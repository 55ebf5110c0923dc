//! Lifecycle rules as code: which action is allowed when, and why not (nic-rules B.9, C.2-C.9).
//!
//! - [`einvoice`]: the e-invoice record (queued, generated, failed_retriable, failed, cancelled)
//!   and its guards: the 24-hour cancel window (2270), no cancel under a live e-way bill (2230),
//!   no new IRN for a cancelled document number, poll only while pending.
//! - [`ewaybill`]: the e-way bill (part_a_only, active, extended, cancelled, rejected, expired) and
//!   its guards: Part-B (311, 635, 636), transporter update (281, 338, 339), extension (379-390,
//!   637, 700, 821), cancel (312, 315), reject (341-348).
//! - [`validity`]: the validity predictor (200 km / 20 km a day, ending 23:59:00 IST).
//! - [`ewb_duplicate`]: what to do when NIC says an e-way bill already exists (604, 4002).
//!
//! Everything here is a pure function of a record, an action and `now`. A guard never reads the
//! clock and never guesses who is acting: the caller says. A refusal is a value, typed per
//! machine, carrying our stable code, the code NIC would answer for the same attempt (so a
//! refusal predicted offline and one received from NIC read the same), and a message that says
//! what to do instead.
//!
//! Time windows are half-open: "within 24 hours of X" allows every instant before X + 24 h and
//! refuses X + 24 h itself, so at X + 23:59:59 a cancel goes through and at X + 24:00:00 it does
//! not. The e-way bill extension window is the exception, closed at both ends as NIC words it
//! ("8 hour before or after"): validUpto - 8 h and validUpto + 8 h are both inside.

pub mod einvoice;
pub mod ewaybill;
pub mod ewb_duplicate;
pub mod validity;

use crate::error::{Error, Upstream};
use crate::finding::Finding;
use crate::nic_code;

/// What every refusal of a lifecycle guard offers, whichever machine it comes from.
pub trait Refusal: std::error::Error {
    /// Our stable code for the refusal, e.g. `einvoice.cancel_window_closed`.
    fn code(&self) -> &'static str;

    /// The code NIC answers for the same attempt, when NIC has one (e.g. `"2270"`).
    fn nic_code(&self) -> Option<&'static str>;

    /// The refusal as a finding on the whole document (path `""`), for a `details[]` list.
    fn to_finding(&self) -> Finding {
        let finding = Finding::error("", self.code(), self.to_string());
        match self.nic_code() {
            Some(nic) => finding.with_nic_code(nic),
            None => finding,
        }
    }

    /// The refusal as the API error NIC's answer would have become: `upstream.failure` with NIC's
    /// code and message when NIC has a code for it, `invalid_argument` otherwise (asking for
    /// something the record's state rules out, such as polling a generated invoice).
    fn to_error(&self) -> Error {
        refusal_error(self)
    }

    /// `{"code", "nicCode", "message"}`, the refusal as JSON (vectors, FFI, WASM).
    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "code": self.code(),
            "nicCode": self.nic_code(),
            "message": self.to_string(),
        })
    }
}

/// The default [`Refusal::to_error`], callable from an override that changes one variant.
pub fn refusal_error<R: Refusal + ?Sized>(refusal: &R) -> Error {
    let message = refusal.to_string();
    match refusal.nic_code() {
        Some(nic) => {
            let nic_message = nic_code::message(nic).map_or_else(|| message.clone(), str::to_owned);
            Error::upstream_failure(message, Upstream::new(nic, nic_message))
        }
        None => Error::invalid_argument(message),
    }
}
