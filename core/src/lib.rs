//! # onefinops-core
//!
//! The client core of the OneFinOps GST API: the canonical e-invoice and e-way bill model, the
//! mapping to and from NIC's JSON, the IRN, and (as the project grows) offline validation,
//! lifecycle rules and the sans-IO call engine.
//!
//! The crate is pure: it performs no I/O, never reads the clock and owns no randomness. Time,
//! randomness and bytes from the network come in as arguments, which is what makes it testable
//! and embeddable in a C host, a browser or a server alike (DESIGN.md section 3).
//!
//! Money is [`rust_decimal::Decimal`] from end to end. JSON numbers are parsed from their decimal
//! text (serde_json's `arbitrary_precision`), never through `f64`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod calendar;
pub mod client;
pub mod credentials;
pub mod einvoice;
pub mod error;
pub mod ewaybill;
pub mod finding;
pub mod gstin;
pub mod json_api;
pub mod json_tree;
pub mod lifecycle;
pub mod masters;
pub mod nic_code;
pub mod prepare;
pub mod reason;
pub mod transport;
mod tree_reader;
pub mod validate;
pub mod wire;

pub use rust_decimal::Decimal;

/// The version of this crate, as reported by every adapter (`ofn_version`, `version()` in WASM).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
