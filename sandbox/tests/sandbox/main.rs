//! Integration tests of the sandbox over real loopback HTTP, with a real HTTP client (ureq), as
//! a user's code talks to it. One binary, one module per area.

mod common;

mod auth;
mod binary;
mod einvoices;
mod ewaybills;
mod faults;
mod gsp;
mod idempotency;
mod openapi;
mod persistence;
mod quickstart;
mod signatures;
mod webhooks;
