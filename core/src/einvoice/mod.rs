//! E-invoices (INV, CRN, DBN): the canonical model, the flat quickstart dialect, NIC's v1.1 JSON,
//! the IRN, NIC's replies and cancel requests.

pub mod cancel;
pub mod dupirn;
pub mod flat;
pub mod irn;
pub mod model;
pub mod nic;
pub mod parse;
pub mod response;

pub use irn::{DocumentKey, Irn};
pub use model::EInvoice;
