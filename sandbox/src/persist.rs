//! Optional persistence (`--state FILE`): a snapshot plus a journal, so a restarted sandbox keeps
//! its IRNs, e-way bills, credentials, webhooks and idempotent answers.
//!
//! - `FILE` is a snapshot of the whole store. It is only ever replaced atomically: written to
//!   `FILE.tmp`, fsynced, renamed over `FILE`, and the directory fsynced. This happens at start,
//!   after the journal has been replayed.
//! - `FILE.journal` gets one JSON line per change (`{"k": kind, "key": ..., "v": record or null,
//!   "c": [id counters]}`). A writer thread appends lines in batches and fsyncs each batch; every
//!   state-changing request waits until its lines are durable before it is answered. So a crash
//!   loses nothing that was acknowledged: at worst a torn last line of an unacknowledged request,
//!   which the loader ignores.

use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

use serde_json::{json, Value};
use tokio::sync::watch;

use crate::store::Store;

#[derive(Debug, Default)]
struct Pending {
    lines: Vec<String>,
    /// Sequence number of the last line appended.
    appended: u64,
    stop: bool,
}

/// The journal and its writer thread.
#[derive(Debug)]
pub struct Journal {
    snapshot: PathBuf,
    journal: PathBuf,
    pending: Arc<(Mutex<Pending>, Condvar)>,
    durable: watch::Receiver<u64>,
    counters: Option<(u64, u64, u64)>,
}

fn io_err(what: &str, path: &Path, e: std::io::Error) -> String {
    format!("{what} {}: {e}", path.display())
}

/// Applies one journal line to a store.
fn apply(store: &mut Store, kind: &str, key: &str, v: Value) -> Result<(), serde_json::Error> {
    fn put<T: serde::de::DeserializeOwned>(
        map: &mut impl MapLike<T>,
        key: &str,
        v: Value,
    ) -> Result<(), serde_json::Error> {
        if v.is_null() {
            map.del(key);
        } else {
            map.put(key, serde_json::from_value(v)?);
        }
        Ok(())
    }
    match kind {
        "einvoice" => put(&mut store.einvoices, key, v),
        "byIrn" => put(&mut store.by_irn, key, v),
        "ewaybill" => {
            let n: u64 = key.parse().unwrap_or_default();
            if v.is_null() {
                store.ewaybills.remove(&n);
            } else {
                store.ewaybills.insert(n, serde_json::from_value(v)?);
            }
            Ok(())
        }
        "ewbByIrn" => put(&mut store.ewb_by_irn, key, v),
        "ewbByDocument" => put(&mut store.ewb_by_document, key, v),
        "gspCredential" => put(&mut store.gsp_credentials, key, v),
        "client" => put(&mut store.clients, key, v),
        "webhook" => put(&mut store.webhooks, key, v),
        "delivery" => put(&mut store.deliveries, key, v),
        "idempotency" => put(&mut store.idempotency, key, v),
        _ => Ok(()),
    }
}

trait MapLike<T> {
    fn put(&mut self, key: &str, v: T);
    fn del(&mut self, key: &str);
}

impl<T> MapLike<T> for std::collections::HashMap<String, T> {
    fn put(&mut self, key: &str, v: T) {
        self.insert(key.to_owned(), v);
    }
    fn del(&mut self, key: &str) {
        self.remove(key);
    }
}

impl<T> MapLike<T> for std::collections::BTreeMap<String, T> {
    fn put(&mut self, key: &str, v: T) {
        self.insert(key.to_owned(), v);
    }
    fn del(&mut self, key: &str) {
        self.remove(key);
    }
}

impl Journal {
    /// Opens (or creates) the state at `path`: reads the snapshot, replays the journal, and starts
    /// the writer. Returns the loaded store, if there was one.
    pub fn open(path: &Path) -> Result<(Journal, Option<Store>), String> {
        let journal = PathBuf::from(format!("{}.journal", path.display()));
        let mut counters: Option<(u64, u64, u64)> = None;
        let mut bump = |c: &Value| {
            if let Some([a, b, d]) = c.as_array().map(|a| a.as_slice()) {
                let (a, b, d) = (
                    a.as_u64().unwrap_or(0),
                    b.as_u64().unwrap_or(0),
                    d.as_u64().unwrap_or(0),
                );
                let old = counters.unwrap_or((0, 0, 0));
                counters = Some((old.0.max(a), old.1.max(b), old.2.max(d)));
            }
        };
        let mut store: Option<Store> = None;
        if path.exists() {
            let text = fs::read_to_string(path).map_err(|e| io_err("cannot read", path, e))?;
            let snap: Value = serde_json::from_str(&text)
                .map_err(|e| format!("state file {} is not valid: {e}", path.display()))?;
            bump(&snap["counters"]);
            store = Some(
                serde_json::from_value(snap["store"].clone())
                    .map_err(|e| format!("state file {} is not valid: {e}", path.display()))?,
            );
        }
        if journal.exists() {
            let s = store.get_or_insert_with(Store::default);
            let f = File::open(&journal).map_err(|e| io_err("cannot read", &journal, e))?;
            for line in BufReader::new(f).lines() {
                let Ok(line) = line else { break };
                // A torn last line belongs to a request that was never answered: skip it.
                let Ok(entry) = serde_json::from_str::<Value>(&line) else {
                    continue;
                };
                bump(&entry["c"]);
                let kind = entry["k"].as_str().unwrap_or_default();
                let key = entry["key"].as_str().unwrap_or_default();
                apply(s, kind, key, entry["v"].clone())
                    .map_err(|e| format!("journal {} has a bad entry: {e}", journal.display()))?;
            }
        }
        if let Some(s) = &mut store {
            s.queued = s
                .einvoices
                .values()
                .filter(|r| {
                    r.status() == onefinops_core::lifecycle::einvoice::EInvoiceStatus::Queued
                })
                .map(|r| r.id.clone())
                .collect();
        }
        let pending = Arc::new((Mutex::new(Pending::default()), Condvar::new()));
        let (tx, rx) = watch::channel(0u64);
        let writer_pending = pending.clone();
        let writer_path = journal.clone();
        std::thread::Builder::new()
            .name("sandbox-journal".into())
            .spawn(move || writer(writer_path, writer_pending, tx))
            .map_err(|e| format!("cannot start the journal writer: {e}"))?;
        Ok((
            Journal {
                snapshot: path.to_owned(),
                journal,
                pending,
                durable: rx,
                counters,
            },
            store,
        ))
    }

    /// The id counters found in the state, if any.
    pub fn loaded_counters(&self) -> Option<(u64, u64, u64)> {
        self.counters
    }

    /// Writes a snapshot atomically and empties the journal (called at start, before serving).
    pub fn compact(&self, store: &Store, counters: (u64, u64, u64)) -> Result<(), String> {
        let counters = match self.counters {
            Some(c) => (
                c.0.max(counters.0),
                c.1.max(counters.1),
                c.2.max(counters.2),
            ),
            None => counters,
        };
        let snap = json!({"store": store, "counters": [counters.0, counters.1, counters.2]});
        let tmp = PathBuf::from(format!("{}.tmp", self.snapshot.display()));
        {
            let mut f = File::create(&tmp).map_err(|e| io_err("cannot write", &tmp, e))?;
            f.write_all(snap.to_string().as_bytes())
                .and_then(|_| f.sync_all())
                .map_err(|e| io_err("cannot write", &tmp, e))?;
        }
        fs::rename(&tmp, &self.snapshot)
            .map_err(|e| io_err("cannot replace", &self.snapshot, e))?;
        if let Some(dir) = self.snapshot.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        let (lock, _) = &*self.pending;
        let _guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        File::create(&self.journal)
            .and_then(|f| f.sync_all())
            .map_err(|e| io_err("cannot truncate", &self.journal, e))?;
        Ok(())
    }

    /// Queues one change.
    pub fn append(&self, kind: &str, key: &str, value: Option<Value>, counters: (u64, u64, u64)) {
        let line = json!({
            "k": kind,
            "key": key,
            "v": value.unwrap_or(Value::Null),
            "c": [counters.0, counters.1, counters.2],
        })
        .to_string();
        let (lock, cv) = &*self.pending;
        let mut p = lock.lock().unwrap_or_else(|e| e.into_inner());
        p.lines.push(line);
        p.appended += 1;
        cv.notify_one();
    }

    /// Waits until every change queued so far is on disk.
    pub async fn flush(&self) {
        let target = {
            let (lock, _) = &*self.pending;
            lock.lock().unwrap_or_else(|e| e.into_inner()).appended
        };
        let mut rx = self.durable.clone();
        while *rx.borrow_and_update() < target {
            if rx.changed().await.is_err() {
                return;
            }
        }
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        let (lock, cv) = &*self.pending;
        lock.lock().unwrap_or_else(|e| e.into_inner()).stop = true;
        cv.notify_one();
    }
}

fn writer(path: PathBuf, pending: Arc<(Mutex<Pending>, Condvar)>, durable: watch::Sender<u64>) {
    let (lock, cv) = &*pending;
    loop {
        let (lines, upto, stop) = {
            let mut p = lock.lock().unwrap_or_else(|e| e.into_inner());
            while p.lines.is_empty() && !p.stop {
                p = cv.wait(p).unwrap_or_else(|e| e.into_inner());
            }
            (std::mem::take(&mut p.lines), p.appended, p.stop)
        };
        if !lines.is_empty() {
            let mut buf = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
            for l in &lines {
                buf.push_str(l);
                buf.push('\n');
            }
            let written = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .and_then(|mut f| {
                    f.write_all(buf.as_bytes())?;
                    f.sync_data()
                });
            if let Err(e) = written {
                eprintln!(
                    "onefinops-sandbox: cannot write the journal {}: {e}",
                    path.display()
                );
            }
            let _ = durable.send(upto);
        }
        if stop {
            return;
        }
    }
}
