//! Test-only exports (feature `test-exports`, never in a release build): ways to make the
//! library misbehave on purpose, so that the C suite can prove the boundary holds.

use crate::boundary::run;
use crate::buf::ofn_buf;
use crate::status::ofn_status;

/// Panics inside the panic boundary; returns `OFN_E_PANIC` with an `internal` envelope in
/// `err_out`. Only in a library built with the `test-exports` feature.
///
/// # Safety
///
/// `err_out` is NULL or a writable `ofn_buf`.
#[no_mangle]
pub unsafe extern "C" fn ofn_test_panic(err_out: *mut ofn_buf) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(err_out, || -> Result<(), crate::boundary::Failure> {
            panic!("ofn_test_panic was asked to panic")
        })
    }
}
