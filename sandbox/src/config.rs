//! What a sandbox starts with: where it listens, its clock, its switches, and its seed data (the
//! OAuth clients and GSP credentials that exist before the first request).
//!
//! The seed is JSON (`--seed FILE`):
//!
//! ```json
//! {
//!   "clients": [
//!     {"clientId": "ofin_test_acme", "secrets": ["s1", "s2"], "gstins": ["29ABCDE1234F1Z5"],
//!      "scope": "full", "products": ["einvoice", "ewaybill"], "rateLimit": 10}
//!   ],
//!   "gspCredentials": [
//!     {"gstin": "29ABCDE1234F1Z5", "portal": "irp", "username": "acme_api", "password": "x"}
//!   ]
//! }
//! ```
//!
//! Without a seed file the [`Seed::quickstart`] seed is used, so the README's quickstart works
//! with no configuration: client `ofin_test_quickstart` / secret `sandbox-secret`, bound to the
//! GSTINs of seeds 002 and 003 and to NIC's sandbox test GSTINs (nic-rules B.3), each with an IRP
//! and an EWB credential.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Which calls a client's tokens may make (seed 001: "read-only, IRN-only, full").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// GET requests only.
    ReadOnly,
    /// Reads, plus every e-invoice call (generate, cancel, bulk, QR image). No e-way bill or
    /// credential writes.
    IrnOnly,
    /// Everything.
    #[default]
    Full,
}

impl Scope {
    /// The scope's name as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ReadOnly => "read_only",
            Scope::IrnOnly => "irn_only",
            Scope::Full => "full",
        }
    }
}

/// A product a client's plan may include. Calling a product the plan lacks is 403
/// `auth.entitlement_missing` (seed 003 failure table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Product {
    /// `/v1/einvoices*`.
    Einvoice,
    /// `/v1/ewaybills*`.
    Ewaybill,
}

fn all_products() -> Vec<Product> {
    vec![Product::Einvoice, Product::Ewaybill]
}

/// An OAuth client that exists from the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientSeed {
    /// `ofin_test_*`.
    pub client_id: String,
    /// Active secrets: more than one during a rotation (seed 001, dual-key).
    pub secrets: Vec<String>,
    /// The GSTINs the client acts for; `"*"` for any.
    pub gstins: Vec<String>,
    /// What its tokens may do.
    #[serde(default)]
    pub scope: Scope,
    /// What its plan includes (default: everything).
    #[serde(default = "all_products")]
    pub products: Vec<Product>,
    /// Requests per second (default: the sandbox's `rateLimit`, 10 as on the developer plan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<u32>,
}

/// A GSP (portal) credential that exists from the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GspCredentialSeed {
    /// The GSTIN.
    pub gstin: String,
    /// `irp` or `ewb`.
    pub portal: onefinops_core::credentials::Portal,
    /// Portal user name.
    pub username: String,
    /// Portal password (kept in memory only, never returned or logged).
    pub password: String,
}

/// The data a sandbox starts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Seed {
    /// OAuth clients.
    #[serde(default)]
    pub clients: Vec<ClientSeed>,
    /// GSP credentials (an IRP credential per seller GSTIN is what IRN generation needs).
    #[serde(default)]
    pub gsp_credentials: Vec<GspCredentialSeed>,
}

/// The quickstart client's id.
pub const QUICKSTART_CLIENT_ID: &str = "ofin_test_quickstart";
/// The quickstart client's secret.
pub const QUICKSTART_CLIENT_SECRET: &str = "sandbox-secret";

/// GSTINs the default seed binds and gives credentials: seed 002's seller, seed 003's, and NIC's
/// sandbox test GSTINs (nic-rules B.3), which fail the check character on purpose.
pub const QUICKSTART_GSTINS: &[&str] = &[
    "29ABCDE1234F1Z5",
    "36AMBPG7773M002",
    "02AMBPG7773M002",
    "29AWGPV7107B1Z1",
    "37ARZPT4384Q1MT",
    "24AAFCD5862R005",
    "29AKLPM8755F1Z2",
    "02EHFPS5910D2Z0",
    "27FGHIJ5678K1Z2",
];

impl Seed {
    /// The default seed: one full-scope client for the quickstart GSTINs, each with IRP and EWB
    /// credentials.
    pub fn quickstart() -> Seed {
        let gstins: Vec<String> = QUICKSTART_GSTINS.iter().map(|g| g.to_string()).collect();
        let mut creds = Vec::new();
        for g in &gstins {
            for portal in [
                onefinops_core::credentials::Portal::Irp,
                onefinops_core::credentials::Portal::Ewb,
            ] {
                creds.push(GspCredentialSeed {
                    gstin: g.clone(),
                    portal,
                    username: format!("sandbox_{}", g.to_ascii_lowercase()),
                    password: "sandbox-portal-password".into(),
                });
            }
        }
        Seed {
            clients: vec![ClientSeed {
                client_id: QUICKSTART_CLIENT_ID.into(),
                secrets: vec![QUICKSTART_CLIENT_SECRET.into()],
                gstins,
                scope: Scope::Full,
                products: all_products(),
                rate_limit: None,
            }],
            gsp_credentials: creds,
        }
    }

    /// Reads a seed file.
    pub fn from_json(text: &str) -> Result<Seed, String> {
        serde_json::from_str(text).map_err(|e| format!("invalid seed file: {e}"))
    }
}

/// How strictly the sandbox applies NIC's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Strictness {
    /// Every error finding of the core validator is a 422 (what the IRP would refuse).
    Nic,
    /// As `nic`, except that the place-of-supply tax-split rules (2172 IGST on an intra-state
    /// supply, 2174 CGST/SGST on an inter-state supply) are reported as warnings (header
    /// `X-Sandbox-Warnings`, request log) instead of refusing. This is the default because the
    /// product's own quickstart (seed 002) charges IGST with place of supply = seller state, and a
    /// user copying it must get an IRN. `X-Sandbox-Validation: nic` on a request, or `--strict`,
    /// asks for NIC's verdict.
    #[default]
    Quickstart,
}

/// Everything a sandbox needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen. Port 0 picks a free port, reported by the handle (and printed by the
    /// binary as `listening on http://ADDR`).
    pub listen: SocketAddr,
    /// The seed data.
    pub seed: Seed,
    /// Sandbox clock = real time + this offset (seconds; may be negative). Advanceable at run time
    /// through the admin endpoints or the handle.
    pub clock_offset_secs: i64,
    /// Whether `/_sandbox/*` (faults, clock, clients, request log) is served. Off by default.
    pub admin: bool,
    /// Default requests per second per client.
    pub rate_limit: u32,
    /// An RSA private key (PKCS#8 or PKCS#1 PEM) to sign with; `None` generates a 2048-bit key at
    /// start.
    pub signing_key_pem: Option<String>,
    /// Persist state to this file (atomically, journaled); `None` keeps state in memory only.
    pub state_file: Option<PathBuf>,
    /// Seed of the id generator: the same seed, clock and sequence of calls give the same ids.
    pub id_seed: u64,
    /// Write one JSON line per request to stderr.
    pub log_requests: bool,
    /// How strictly NIC's rules are applied.
    pub strictness: Strictness,
    /// How long a `queued` record waits before it is generated, in sandbox seconds.
    pub queue_delay_secs: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: Seed::quickstart(),
            clock_offset_secs: 0,
            admin: false,
            rate_limit: 10,
            signing_key_pem: None,
            state_file: None,
            id_seed: 0x0f1_f0b5,
            log_requests: false,
            strictness: Strictness::Quickstart,
            queue_delay_secs: 30,
        }
    }
}
