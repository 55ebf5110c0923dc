//! WASM adapter of the OneFinOps GST core (DESIGN.md section 6): the pure functions of the core
//! for browsers and Node, built with wasm-bindgen.
//!
//! The exports here are the **raw** layer: JSON text in, JSON text out (see [`api`] for why). The
//! public JS API is the thin wrapper shipped beside them in the npm package (`wasm/js/api.js`),
//! which serialises plain JS objects with exactness checks, parses the answers and throws an
//! `Error` with a `code` on misuse. Use the wrapper, not these exports.
//!
//! The adapter converts and forwards; it holds no business rules.

pub mod api;

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

thread_local! {
    /// The message of the last panic, for the wrapper's `internal` error. The core is written
    /// never to panic; this only makes a bug readable instead of a bare `unreachable` trap.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the panic hook when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(message));
    }));
}

/// The message of the last panic, if any (read by the wrapper after a trap).
#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> Option<String> {
    LAST_PANIC.with(|p| p.borrow_mut().take())
}

/// Raw `validate`: an e-invoice (JSON text, any dialect) and options (JSON text).
#[wasm_bindgen(js_name = validate)]
pub fn validate(document: &str, options: &str) -> String {
    api::validate(document, options)
}

/// Raw `validateEwaybill`.
#[wasm_bindgen(js_name = validateEwaybill)]
pub fn validate_ewaybill(document: &str, options: &str) -> String {
    api::validate_ewaybill(document, options)
}

/// Raw `prepare`.
#[wasm_bindgen(js_name = prepare)]
pub fn prepare(document: &str, options: &str) -> String {
    api::prepare(document, options)
}

/// Raw `toNic`.
#[wasm_bindgen(js_name = toNic)]
pub fn to_nic(document: &str, options: &str) -> String {
    api::to_nic_json(document, options)
}

/// Raw `fromNic`.
#[wasm_bindgen(js_name = fromNic)]
pub fn from_nic(document: &str, options: &str) -> String {
    api::from_nic_json(document, options)
}

/// Raw `irn`.
#[wasm_bindgen(js_name = irn)]
pub fn irn(document: &str) -> String {
    api::irn(document)
}

/// Raw `irnFromParts`.
#[wasm_bindgen(js_name = irnFromParts)]
pub fn irn_from_parts(
    gstin: &str,
    financial_year_or_date: &str,
    doc_type: &str,
    doc_number: &str,
) -> String {
    api::irn_from_parts(gstin, financial_year_or_date, doc_type, doc_number)
}

/// Raw `checkGstin`.
#[wasm_bindgen(js_name = checkGstin)]
pub fn check_gstin(gstin: &str, options: &str) -> String {
    api::check_gstin(gstin, options)
}

/// Raw `ewaybillValidity`.
#[wasm_bindgen(js_name = ewaybillValidity)]
pub fn ewaybill_validity(input: &str) -> String {
    api::ewaybill_validity(input)
}

/// The version of the core this build wraps.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    api::version().to_owned()
}
