//! What every entry point goes through: the panic boundary, the checks of borrowed inputs and
//! the writing of out-parameters.
//!
//! The rule of the ABI: an out-parameter is written only on success, the optional `err_out`
//! only on failure, and nothing escapes as a panic. [`run`] enforces it for every function.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::slice;

use serde_json::{json, Value};

use crate::buf::ofn_buf;
use crate::status::ofn_status;
use onefinops_core::error::Error;

/// Why a call failed: its status and its error envelope.
#[derive(Debug)]
pub struct Failure {
    /// The status returned.
    pub status: ofn_status,
    /// `{"error": {...}}`, written to `err_out`.
    pub envelope: Value,
}

impl Failure {
    /// A failure with its own status and an envelope of `code` and `message`.
    pub fn new(status: ofn_status, code: &str, message: impl Into<String>) -> Failure {
        Failure {
            status,
            envelope: json!({"error": {"code": code, "message": message.into()}}),
        }
    }

    /// A NULL pointer where one is required.
    pub fn null(what: &str) -> Failure {
        Failure::new(
            ofn_status::OFN_E_NULL_POINTER,
            "invalid_argument",
            format!("{what} is NULL"),
        )
    }

    /// A call out of order on a sans-IO handle.
    pub fn call_state(message: impl Into<String>) -> Failure {
        Failure::new(ofn_status::OFN_E_CALL_STATE, "invalid_argument", message)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure {
            status: ofn_status::of(&e),
            envelope: e.to_envelope(),
        }
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// Runs the body of an entry point: a panic becomes `OFN_E_PANIC`, a failure writes `err_out`
/// (when it is not NULL), success writes nothing here (the body wrote its out-parameters last).
///
/// # Safety
///
/// `err_out` is NULL or points to a writable `ofn_buf`.
pub unsafe fn run(err_out: *mut ofn_buf, body: impl FnOnce() -> Result<(), Failure>) -> ofn_status {
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return ofn_status::OFN_OK,
        Ok(Err(f)) => f,
        Err(payload) => Failure::new(
            ofn_status::OFN_E_PANIC,
            "internal",
            format!(
                "the library panicked (a bug; please report it): {}",
                panic_message(payload.as_ref())
            ),
        ),
    };
    if !err_out.is_null() {
        // Writing the envelope allocates, which could itself fail only by aborting; it cannot
        // panic. A second boundary keeps even that promise if serialisation ever could.
        let text = catch_unwind(AssertUnwindSafe(|| failure.envelope.to_string()))
            .unwrap_or_else(|_| r#"{"error":{"code":"internal","message":"unprintable"}}"#.into());
        // SAFETY: the caller passes a writable ofn_buf (checked non-NULL above).
        unsafe { err_out.write(ofn_buf::from_bytes(text.as_bytes())) };
    }
    failure.status
}

/// A borrowed byte input `(ptr, len)`: NULL with length 0 is empty; NULL with a length is an
/// error.
///
/// # Safety
///
/// `ptr` is NULL or points to `len` readable bytes that stay valid for `'a`.
pub unsafe fn bytes<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Failure::null(what))
        };
    }
    // SAFETY: the caller's promise.
    Ok(unsafe { slice::from_raw_parts(ptr, len) })
}

/// A borrowed UTF-8 input: as [`bytes`], then checked to be UTF-8.
///
/// # Safety
///
/// As [`bytes`].
pub unsafe fn text<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a str, Failure> {
    // SAFETY: the caller's promise.
    let b = unsafe { bytes(ptr, len, what)? };
    std::str::from_utf8(b).map_err(|e| {
        Failure::new(
            ofn_status::OFN_E_INVALID_UTF8,
            "invalid_argument",
            format!(
                "{what} is not UTF-8: invalid byte at offset {}",
                e.valid_up_to()
            ),
        )
    })
}

/// Checks that an out-parameter is not NULL (before any work is done).
pub fn out_ptr<T>(ptr: *mut T, what: &str) -> Result<(), Failure> {
    if ptr.is_null() {
        Err(Failure::null(what))
    } else {
        Ok(())
    }
}

/// Writes a JSON result to `out` (checked non-NULL by the caller).
///
/// # Safety
///
/// `out` points to a writable `ofn_buf`.
pub unsafe fn write_json(out: *mut ofn_buf, value: &Value) {
    let text = value.to_string();
    // SAFETY: the caller's promise.
    unsafe { out.write(ofn_buf::from_bytes(text.as_bytes())) };
}
