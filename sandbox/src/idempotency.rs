//! `Idempotency-Key` on every state-changing call (seed 001, 004).
//!
//! - Keys are per client and last 24 hours on the sandbox clock.
//! - Same key, same method, path and body: the original answer is replayed byte for byte (status,
//!   content type, body), with `Idempotent-Replayed: true`.
//! - Same key, different method, path or body: 400 `idempotency.conflict`.
//! - While the first request with a key is still running, a second one with the same key **waits**
//!   for it (up to 10 s) and then replays its answer; if it is still running after that, 409
//!   `idempotency.conflict` (retryable). The two never both execute.
//! - Answers a retry could change are not stored, so a retry with the same key executes again:
//!   429, 401, 403, 409, and every error the core calls retryable (503 `upstream.unavailable`,
//!   502 with a retryable NIC code, 504). Everything else is stored: successes, 202 `queued`,
//!   validation errors and NIC's refusals.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::TimeDelta;
use onefinops_core::error::Error;
use tokio::sync::watch;

use crate::app::{sha256_hex, App};
use crate::store::IdemRecord;

/// How long an answer is replayed.
pub const REPLAY_WINDOW: TimeDelta = TimeDelta::hours(24);

/// How long a second request waits for the first one with its key.
pub const WAIT: Duration = Duration::from_secs(10);

/// Keys being executed right now.
#[derive(Debug, Default)]
pub struct InFlight {
    map: Arc<Mutex<HashMap<String, watch::Receiver<bool>>>>,
}

/// Ownership of a key while its request executes; dropping it releases the key and wakes the
/// requests waiting for it (also when the request's future is dropped mid-way).
#[derive(Debug)]
pub struct KeyGuard {
    key: String,
    map: Arc<Mutex<HashMap<String, watch::Receiver<bool>>>>,
    tx: watch::Sender<bool>,
}

impl Drop for KeyGuard {
    fn drop(&mut self) {
        self.map
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.key);
        let _ = self.tx.send(true);
    }
}

/// What to do with a request that carries a key.
#[derive(Debug)]
pub enum Begin {
    /// Answer with the stored response.
    Replay(IdemRecord),
    /// Execute it; store the answer under the guard's key.
    Execute(KeyGuard),
}

/// The stored-record key of a client's idempotency key.
pub fn scoped_key(client_id: &str, key: &str) -> String {
    format!("{client_id}\n{key}")
}

/// The fingerprint of a request: method, path and body.
pub fn fingerprint(method: &str, path: &str, body: &[u8]) -> String {
    let mut buf = Vec::with_capacity(method.len() + path.len() + body.len() + 2);
    buf.extend_from_slice(method.as_bytes());
    buf.push(b' ');
    buf.extend_from_slice(path.as_bytes());
    buf.push(b'\n');
    buf.extend_from_slice(body);
    sha256_hex(&buf)
}

/// Decides what to do with a request carrying `key`, waiting for a concurrent request with the
/// same key if there is one.
pub async fn begin(app: &App, key: &str, fp: &str) -> Result<Begin, Error> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let mut rx = {
            let mut map = app.in_flight.map.lock().unwrap_or_else(|e| e.into_inner());
            // The store is checked under the in-flight lock: a request that finishes stores its
            // answer before it releases its key, so one of the two is always seen.
            if let Some(stored) = stored(app, key) {
                return if stored.fingerprint == fp {
                    Ok(Begin::Replay(stored))
                } else {
                    Err(conflict(false))
                };
            }
            match map.get(key) {
                Some(rx) => rx.clone(),
                None => {
                    let (tx, rx) = watch::channel(false);
                    map.insert(key.to_owned(), rx);
                    return Ok(Begin::Execute(KeyGuard {
                        key: key.to_owned(),
                        map: app.in_flight.map.clone(),
                        tx,
                    }));
                }
            }
        };
        match tokio::time::timeout_at(deadline, rx.changed()).await {
            Ok(_) => continue,
            Err(_) => return Err(conflict(true)),
        }
    }
}

fn stored(app: &App, key: &str) -> Option<IdemRecord> {
    let now = app.now();
    let mut store = app.store();
    match store.idempotency.get(key) {
        Some(r) if now < r.created_at + REPLAY_WINDOW => Some(r.clone()),
        Some(_) => {
            store.idempotency.remove(key);
            None
        }
        None => None,
    }
}

fn conflict(in_progress: bool) -> Error {
    let message = if in_progress {
        "a request with this Idempotency-Key is still being processed; retry shortly"
    } else {
        "this Idempotency-Key was already used with a different request (method, path or body); use a new key for a new request"
    };
    Error::IdempotencyConflict {
        message: message.into(),
        in_progress,
        request_id: None,
    }
}

/// Whether an answer is stored for replay (see the module docs).
pub fn storable(status: u16, body: &[u8]) -> bool {
    if status < 400 {
        return true;
    }
    if matches!(status, 401 | 403 | 409 | 429) {
        return false;
    }
    !Error::from_response(status, None, body).is_retryable()
}

/// Stores an answer under `key` (the guard is released by its drop, after this).
pub fn store(app: &App, key: &str, fp: &str, status: u16, content_type: &str, body: &[u8]) {
    let record = IdemRecord {
        fingerprint: fp.to_owned(),
        status,
        content_type: content_type.to_owned(),
        body: body.to_vec(),
        created_at: app.now(),
    };
    let value = serde_json::to_value(&record).ok();
    app.store().idempotency.insert(key.to_owned(), record);
    app.persist("idempotency", key, value);
}
