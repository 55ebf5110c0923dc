//! The C ABI of the OneFinOps GST core. An adapter only: it converts and forwards to
//! `onefinops-core` and holds no business rules (DESIGN.md section 5).

/// The ABI version this library speaks. Bindings refuse a library whose ABI version differs from
/// the one they were built against.
pub const OFN_ABI_VERSION: u32 = 1;

/// Returns the ABI version of this library (see [`OFN_ABI_VERSION`]).
#[no_mangle]
pub extern "C" fn ofn_abi_version() -> u32 {
    OFN_ABI_VERSION
}
