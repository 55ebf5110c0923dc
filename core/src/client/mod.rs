//! The client of the OneFinOps /v1 surface (DESIGN.md section 3, "Call engine", "Transport",
//! "Signatures"): every operation as a typed call, driven by a sans-IO engine that a host can run
//! over any HTTP stack, plus a blocking [`Client`] over a [`Transport`] (ureq by default).
//!
//! One module, one concept:
//!
//! | module | what |
//! |---|---|
//! | [`config`] | environments, OAuth clients bound to GSTINs, timeouts, retry and poll policies, keys, webhook secret |
//! | [`operation`] | every /v1 operation as a typed value, and the typed objects it answers with |
//! | [`engine`] | the sans-IO state machine: `begin` -> `next(now)` -> Send / Sleep / Done / Failed |
//! | [`auth`] | the OAuth token cache (per client, refreshed shortly before `expires_in`) |
//! | [`idempotency`] | the `Idempotency-Key` of a logical call (derived from the document for creates) |
//! | [`retry`] | what is retried, backoff with jitter from a seedable RNG, `Retry-After` |
//! | [`dupirn`] | the bounded local DUPIRN cache |
//! | [`transport`] | the `Transport` trait, and the ureq implementation (feature `http`) |
//! | [`blocking`] | `Client`: the engine over a transport, with a real clock and real sleeps |
//! | [`signature`] | RS256 verification of signedInvoice / signedQrCode (key map or JWKS), QR payload |
//! | [`webhook`] | `OneFinOps-Signature` verification: HMAC-SHA256, constant time, timestamp tolerance |
//! | [`qr`] | the printable QR PNG of a signedQrCode, rendered locally |
//!
//! The whole module is behind the `client` feature (on by default through `http`); the ureq
//! transport is behind `http` and never built for wasm32. Time and randomness still come in from
//! outside: the engine takes `now` (monotonic milliseconds) and an RNG seed; only the blocking
//! client reads the real clock.

#![cfg(feature = "client")]

pub mod auth;
pub mod blocking;
pub mod config;
pub mod dupirn;
pub mod engine;
pub mod idempotency;
pub mod operation;
pub mod qr;
pub mod retry;
pub mod signature;
pub mod transport;
pub mod webhook;

pub use blocking::{CallError, Client, Reply};
pub use config::{Config, Environment, OAuthClient};
pub use engine::{Call, CallMeta, CallOptions, Engine, Response, Step};
pub use operation::Operation;
pub use transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};
