//! # onefinops-sandbox
//!
//! A local, stateful server of the OneFinOps `/v1` surface and its token endpoint: the
//! stripe-mock of the GST API (DESIGN.md section 7). Real HTTP on loopback, NIC's behaviour
//! (IRN as NIC computes it, DUPIRN, RS256-signed invoices and QR codes with the key served at
//! `/.well-known/jwks.json`, the 24-hour cancel window, e-way bill validity), idempotency, rate
//! limits, webhooks, and switches for faults and time, so every retry and window rule of a client
//! can be tested for real. The contract is `schemas/openapi.yaml`.
//!
//! ```no_run
//! use onefinops_sandbox::{Config, Sandbox};
//! let sandbox = Sandbox::spawn(Config::default()).unwrap();
//! println!("{}", sandbox.base_url()); // http://127.0.0.1:PORT
//! ```
//!
//! Every rule comes from `onefinops-core` with the sandbox clock passed in as `now`; the sandbox
//! adds only what a server has: state, HTTP, signatures, time and faults.

#![forbid(unsafe_code)]

pub mod admin;
pub mod app;
pub mod auth;
pub mod clock;
pub mod config;
pub mod einvoice;
pub mod ewaybill;
pub mod faults;
pub mod gsp;
pub mod http;
pub mod idempotency;
pub mod ids;
pub mod jws;
pub mod persist;
pub mod pipeline;
pub mod qr;
pub mod ratelimit;
pub mod server;
pub mod store;
pub mod webhooks;

pub use config::{ClientSeed, Config, GspCredentialSeed, Scope, Seed, Strictness};
pub use server::{RunningSandbox, Sandbox, SandboxHandle, TOKEN_PATH};

/// The version of the core the sandbox serves.
pub fn version() -> &'static str {
    onefinops_core::VERSION
}
