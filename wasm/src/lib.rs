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

/// The most bytes the input buffer keeps between calls: one huge document must not hold its
/// memory for the page's life.
const INPUT_KEPT: usize = 1 << 20;

thread_local! {
    /// The UTF-8 text of the current call's document arguments, written by the wrapper.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Room for at least `capacity` bytes of input, and where it starts in linear memory.
///
/// Why not `&str` arguments: wasm-bindgen copies a string into the module one UTF-16 unit at a
/// time in a JS loop, 6.8 us for the 3.2 KB of the 10-line invoice in Node 20, a fifth of the
/// whole `validate` call. The wrapper instead writes the text here with `TextEncoder.encodeInto`
/// (0.3 us) and passes its length. The address is valid until the next call into the module.
///
/// 0 when the module's memory cannot grow to `capacity` (a document of hundreds of MB): the
/// wrapper throws then, where `resize` would abort and leave a trapped instance.
#[wasm_bindgen(js_name = inputBuffer)]
pub fn input_buffer(capacity: usize) -> usize {
    INPUT.with(|input| {
        let mut input = input.borrow_mut();
        if input.len() < capacity {
            let more = capacity - input.len();
            if input.try_reserve_exact(more).is_err() {
                return 0;
            }
            input.resize(capacity, 0);
        }
        input.as_mut_ptr() as usize
    })
}

/// The WebAssembly memory, for the wrapper's view of [`input_buffer`].
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Runs `f` on the two arguments the wrapper wrote into the input buffer: the first
/// `first_len` bytes, then the next `second_len`. Lengths beyond the buffer are the raw layer's
/// misuse, answered with an `internal` error envelope.
fn with_input(
    first_len: usize,
    second_len: usize,
    f: impl FnOnce(&[u8], &[u8]) -> String,
) -> String {
    let out = INPUT.with(|cell| {
        let out = {
            let input = cell.borrow();
            first_len
                .checked_add(second_len)
                .and_then(|end| input.get(..end))
                .map(|both| {
                    let (first, rest) = both.split_at(first_len);
                    f(first, rest)
                })
        };
        let mut input = cell.borrow_mut();
        if input.len() > INPUT_KEPT {
            *input = Vec::new();
        }
        out
    });
    out.unwrap_or_else(|| {
        api::error_envelope(&onefinops_core::error::Error::Internal {
            message: format!(
                "the raw call named {first_len} + {second_len} input bytes, beyond the input buffer"
            ),
            request_id: None,
        })
    })
}

/// Raw `validate`: an e-invoice (JSON text, any dialect, `document_len` bytes of the input
/// buffer) and options (JSON text, the next `options_len` bytes).
#[wasm_bindgen(js_name = validate)]
pub fn validate(document_len: usize, options_len: usize) -> String {
    with_input(document_len, options_len, api::validate)
}

/// Raw `validateEwaybill`, its arguments in the input buffer as for [`validate`].
#[wasm_bindgen(js_name = validateEwaybill)]
pub fn validate_ewaybill(document_len: usize, options_len: usize) -> String {
    with_input(document_len, options_len, api::validate_ewaybill)
}

/// Raw `prepare`, its arguments in the input buffer as for [`validate`].
#[wasm_bindgen(js_name = prepare)]
pub fn prepare(document_len: usize, options_len: usize) -> String {
    with_input(document_len, options_len, api::prepare)
}

/// Raw `toNic`, its arguments in the input buffer as for [`validate`].
#[wasm_bindgen(js_name = toNic)]
pub fn to_nic(document_len: usize, options_len: usize) -> String {
    with_input(document_len, options_len, api::to_nic_json)
}

/// Raw `fromNic`, its arguments in the input buffer as for [`validate`].
#[wasm_bindgen(js_name = fromNic)]
pub fn from_nic(document_len: usize, options_len: usize) -> String {
    with_input(document_len, options_len, api::from_nic_json)
}

/// Raw `irn`: the document is the first `document_len` bytes of the input buffer.
#[wasm_bindgen(js_name = irn)]
pub fn irn(document_len: usize) -> String {
    with_input(document_len, 0, |document, _| api::irn(document))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `text` at the start of the input buffer, as the wrapper does.
    fn write_input(text: &[u8]) {
        input_buffer(text.len());
        INPUT.with(|input| input.borrow_mut()[..text.len()].copy_from_slice(text));
    }

    fn parse(text: String) -> serde_json::Value {
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn the_two_arguments_are_split_at_the_first_length() {
        write_input(b"[]{}");
        let out = parse(validate(2, 2));
        assert_eq!(out["valid"], false);
        assert_eq!(out["findings"][0]["code"], "parse.not_an_object");
        assert_eq!(out["findings"][0]["path"], "");
        // The same bytes split elsewhere: the options are now `]{}`, not JSON.
        let out = parse(validate(1, 3));
        assert_eq!(out["error"]["code"], "invalid_argument");
    }

    #[test]
    fn lengths_beyond_the_buffer_are_an_internal_error_not_a_panic() {
        write_input(b"{}");
        let capacity = INPUT.with(|input| input.borrow().len());
        let out = parse(validate(capacity, 1));
        assert_eq!(out["error"]["code"], "internal");
        assert_eq!(
            out["error"]["message"],
            format!("the raw call named {capacity} + 1 input bytes, beyond the input buffer")
        );
        let out = parse(irn(usize::MAX));
        assert_eq!(out["error"]["code"], "internal");
        let out = parse(prepare(usize::MAX, 1));
        assert_eq!(out["error"]["code"], "internal");
    }

    #[test]
    fn a_buffer_the_memory_cannot_hold_is_refused_with_0() {
        write_input(b"{}");
        assert_eq!(input_buffer(usize::MAX), 0);
        assert_eq!(input_buffer(isize::MAX as usize), 0);
        // The buffer is as it was.
        let out = parse(validate(2, 0));
        assert_eq!(out["valid"], false);
        assert_eq!(out["findings"][0]["code"], "parse.missing_field");
    }

    #[test]
    fn a_buffer_past_the_kept_size_is_freed_after_the_call() {
        write_input(b"{}");
        let small = INPUT.with(|input| input.borrow().capacity());
        assert!(small <= INPUT_KEPT);
        validate(2, 0);
        assert_eq!(INPUT.with(|input| input.borrow().capacity()), small);

        input_buffer(INPUT_KEPT + 1);
        INPUT.with(|input| input.borrow_mut()[..2].copy_from_slice(b"{}"));
        let out = parse(validate(2, 0));
        assert_eq!(out["valid"], false);
        assert_eq!(INPUT.with(|input| input.borrow().capacity()), 0);
        // The next call grows it again.
        write_input(b"[]");
        assert_eq!(parse(irn(2))["findings"][0]["code"], "parse.not_an_object");
    }
}
