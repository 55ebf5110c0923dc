//! The OneFinOps local sandbox (DESIGN.md section 7). The HTTP server arrives with the sandbox
//! issue; for now this crate only fixes its place in the workspace.

/// The version of the core the sandbox serves.
pub fn version() -> &'static str {
    onefinops_core::VERSION
}
