//! WASM adapter of the OneFinOps GST core (DESIGN.md section 6). Pure functions only; the
//! wasm-bindgen exports arrive with the WASM issue.

/// The version of the core this build wraps.
pub fn version() -> &'static str {
    onefinops_core::VERSION
}
