//! `libonefinops`: the C ABI of the OneFinOps GST core (DESIGN.md section 5).
//!
//! An adapter only: it checks pointers, converts `(pointer, length)` UTF-8 JSON and forwards to
//! `onefinops-core` (through its JSON facade, [`onefinops_core::json_api`], which the WASM build
//! shares), and holds no business rules. The header `include/onefinops.h` is generated from this
//! crate by cbindgen (`ffi/cbindgen.toml`) and committed; `tests/header.rs` fails when it drifts.
//!
//! The discipline of every entry point (after rustls-ffi):
//! - a fallible function returns [`ofn_status`] (`OFN_OK` = 0; other numbers fixed and grouped,
//!   never reused) and writes its out-parameters only on success;
//! - an optional `ofn_buf *err_out` receives the JSON error envelope on failure, and only then;
//! - inputs are borrowed; outputs are [`ofn_buf`]s owned by the library and freed only by
//!   [`ofn_buf_free`]; handles are freed by their own `_free`, and freeing NULL is a no-op;
//! - every pointer is checked for NULL; text is checked to be UTF-8;
//! - every function runs inside a panic boundary: a panic is `OFN_E_PANIC`, never an unwind into
//!   the host (a JVM, PHP or .NET process);
//! - [`ofn_abi_version`] lets a binding refuse a library it was not built for.
//!
//! Modules: [`status`], [`buf`], [`boundary`] (the boundary itself), [`pure`] (documents,
//! lifecycle, signatures), [`client`] (the blocking client and the transport vtable), [`call`]
//! (the sans-IO engine).

#![allow(clippy::missing_safety_doc)] // every `# Safety` section is written; clippy counts re-exports
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod boundary;
pub mod buf;
pub mod call;
pub mod client;
pub mod pure;
pub mod status;
#[cfg(feature = "test-exports")]
pub mod testing;

use std::ffi::c_char;

pub use buf::{ofn_buf, ofn_buf_free};
pub use status::{ofn_status, ofn_status_name};

/// The ABI version this library speaks. Bindings refuse a library whose ABI version differs from
/// the one they were built against. Raised on any incompatible change of a signature, a struct
/// or a status number.
pub const OFN_ABI_VERSION: u32 = 1;

/// Returns the ABI version of this library (`OFN_ABI_VERSION` of the header it was built with).
#[no_mangle]
pub extern "C" fn ofn_abi_version() -> u32 {
    OFN_ABI_VERSION
}

/// The version of the library (`"0.1.0"`): a static NUL-terminated string, never freed.
#[no_mangle]
pub extern "C" fn ofn_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
