//! The shared state of a running sandbox: configuration, clock, ids, signing key, the store, and
//! the machinery around requests (rate limits, idempotency, faults, request log, webhooks).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use onefinops_core::calendar::Timestamp;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::sync::Notify;

use crate::clock::Clock;
use crate::config::{Config, Strictness};
use crate::faults::Faults;
use crate::idempotency::InFlight;
use crate::ids::Ids;
use crate::jws::Signer;
use crate::persist::Journal;
use crate::ratelimit::RateLimiter;
use crate::store::{ClientRec, ClientSecret, GspCredRec, GspKey, Store};

/// Every sandbox OAuth client id starts with this (seed 000: sandbox `ofin_test_*`, production
/// `ofin_live_*`).
pub const TEST_CLIENT_PREFIX: &str = "ofin_test_";

/// The most entries the in-memory request log keeps.
pub const REQUEST_LOG_CAPACITY: usize = 1000;

/// A running sandbox's state.
pub struct App {
    /// How it was started.
    pub config: Config,
    /// The sandbox clock.
    pub clock: Clock,
    /// Id generator.
    pub ids: Ids,
    /// The RS256 key for signed invoices and QR codes.
    pub signer: Signer,
    /// The HMAC key of access tokens.
    pub token_key: [u8; 32],
    /// Every record.
    store: Mutex<Store>,
    /// Per-client request counters.
    pub rate: RateLimiter,
    /// Idempotency keys being executed right now.
    pub in_flight: InFlight,
    /// Faults queued through the admin endpoint.
    pub faults: Faults,
    /// The last requests, secrets redacted.
    pub request_log: Mutex<VecDeque<Value>>,
    /// Wakes the background worker (webhooks, queued invoices).
    pub wake: Notify,
    /// The journal, when state is persisted.
    pub journal: Option<Journal>,
    /// Validation strictness (changeable at run time by the admin endpoint).
    pub strictness: Mutex<Strictness>,
    /// One webhook run at a time.
    pub delivery_lock: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").finish_non_exhaustive()
    }
}

/// Hex SHA-256 of `text`.
pub fn sha256_hex(text: &[u8]) -> String {
    Sha256::digest(text)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl App {
    /// Builds the state from a configuration (generating a key if none is given) and loads the
    /// persisted state, if any.
    pub fn new(config: Config) -> Result<Arc<App>, String> {
        let signer = match &config.signing_key_pem {
            Some(pem) => Signer::from_pem(pem)?,
            None => Signer::generate()?,
        };
        let clock = Clock::new(config.clock_offset_secs);
        let ids = Ids::new(config.id_seed);
        let mut token_key = [0u8; 32];
        // The token key only has to be unknown to clients; derive it from the signing key's id
        // and the seed so tokens survive a restart with the same key file.
        let digest = Sha256::digest(format!("{}:{}", signer.kid(), config.id_seed).as_bytes());
        token_key.copy_from_slice(&digest);
        let (journal, loaded) = match &config.state_file {
            Some(path) => {
                let (j, s) = Journal::open(path)?;
                (Some(j), s)
            }
            None => (None, None),
        };
        if let Some(c) = config
            .seed
            .clients
            .iter()
            .find(|c| !c.client_id.starts_with(TEST_CLIENT_PREFIX))
        {
            return Err(format!(
                "client id `{}`: sandbox client ids start with `{TEST_CLIENT_PREFIX}` (production ones, ofin_live_*, never work here)",
                c.client_id
            ));
        }
        let now = clock.now();
        let mut store = loaded.unwrap_or_default();
        seed_store(&mut store, &config, &ids, &now);
        if let Some(j) = &journal {
            j.compact(&store, ids.counters())?;
        }
        if let Some(counters) = journal.as_ref().and_then(|j| j.loaded_counters()) {
            ids.resume(counters.0, counters.1, counters.2);
        }
        let strictness = Mutex::new(config.strictness);
        Ok(Arc::new(App {
            clock,
            ids,
            signer,
            token_key,
            store: Mutex::new(store),
            rate: RateLimiter::default(),
            in_flight: InFlight::default(),
            faults: Faults::default(),
            request_log: Mutex::new(VecDeque::new()),
            wake: Notify::new(),
            journal,
            strictness,
            delivery_lock: tokio::sync::Mutex::new(()),
            config,
        }))
    }

    /// The store, locked. Keep the guard short: never hold it across an `.await`.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Now, on the sandbox clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// A new object id with `prefix`.
    pub fn new_id(&self, prefix: &str) -> String {
        self.ids.object_id(prefix, &self.now())
    }

    /// Records a change for the journal (no-op without persistence). `kind` names the map,
    /// `key` the record; `value` `None` deletes.
    pub fn persist(&self, kind: &str, key: &str, value: Option<Value>) {
        if let Some(j) = &self.journal {
            j.append(kind, key, value, self.ids.counters());
        }
    }

    /// Waits until everything recorded so far is on disk (no-op without persistence).
    pub async fn flush(&self) {
        if let Some(j) = &self.journal {
            j.flush().await;
        }
    }

    /// Current validation strictness.
    pub fn strictness(&self) -> Strictness {
        *self.strictness.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Puts the seed's clients and credentials into the store (those not already there).
fn seed_store(store: &mut Store, config: &Config, ids: &Ids, now: &Timestamp) {
    for c in &config.seed.clients {
        if store.clients.contains_key(&c.client_id) {
            continue;
        }
        let secrets = c
            .secrets
            .iter()
            .enumerate()
            .map(|(i, s)| ClientSecret {
                id: format!("sec_{}", i + 1),
                sha256: sha256_hex(s.as_bytes()),
                revoked_at: None,
            })
            .collect();
        store.clients.insert(
            c.client_id.clone(),
            ClientRec {
                client_id: c.client_id.clone(),
                secrets,
                gstins: c.gstins.clone(),
                scope: c.scope,
                products: c.products.clone(),
                rate_limit: c.rate_limit.unwrap_or(config.rate_limit),
            },
        );
    }
    for g in &config.seed.gsp_credentials {
        let exists = store
            .gsp_credentials
            .values()
            .any(|c| c.gstin == g.gstin && c.portal == g.portal);
        if exists {
            continue;
        }
        let id = ids.object_id("gspc", now);
        store.gsp_credentials.insert(
            id.clone(),
            GspCredRec {
                id: id.clone(),
                gstin: g.gstin.clone(),
                portal: g.portal,
                username: g.username.clone(),
                status: onefinops_core::credentials::CredentialStatus::Verified,
                created_at: *now,
                last_verified_at: Some(*now),
                rotated_at: None,
                keys: vec![GspKey {
                    id: ids.object_id("key", now),
                    password_sha256: sha256_hex(g.password.as_bytes()),
                    created_at: *now,
                    revoked_at: None,
                }],
            },
        );
    }
}
