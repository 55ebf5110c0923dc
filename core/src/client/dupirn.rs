//! The local DUPIRN cache (DESIGN.md section 3, "DUPIRN"; seed 003: "OneFinOps applies the same
//! dedup against its own cache before calling NIC — so even if NIC has gone idle on you, you'll
//! see a consistent envelope").
//!
//! Every e-invoice this client sees registered (a create or generate that succeeded, or answered
//! DUPIRN) is remembered by its IRN, up to a bound (oldest out first). A later create or generate
//! of a document with the same IRN is answered from memory, **with the envelope the API gives a
//! duplicate**: the same record with `infoCode: "DUPIRN"` and `message: "2150 : Duplicate IRN"`,
//! status 200. Before answering, the engine runs the core's sameness check
//! ([`crate::einvoice::dupirn::adopt_duplicate`]) against the cached signed invoice: a request
//! that reuses a document number for a different buyer or total fails locally with NIC's 2150
//! refusal instead of adopting someone else's IRN. A cancel through this client forgets the IRN.

use std::collections::{HashMap, VecDeque};

use serde_json::{json, Value};

use crate::einvoice::dupirn::DUPIRN;

/// What is remembered of a registered e-invoice.
#[derive(Debug, Clone, PartialEq)]
pub struct DupirnEntry {
    /// The einvoice object of `POST /v1/einvoices` / `GET /v1/einvoices/{id}`, when seen.
    pub object: Option<Value>,
    /// The NIC-style reply of `POST /v1/einvoices/generate`, when seen.
    pub nic_reply: Option<Value>,
}

impl DupirnEntry {
    /// The signed invoice, from either form.
    pub fn signed_invoice(&self) -> Option<&str> {
        self.object
            .as_ref()
            .and_then(|o| o.get("signedInvoice"))
            .or_else(|| self.nic_reply.as_ref().and_then(|o| o.get("signedInvoice")))
            .and_then(Value::as_str)
    }

    /// The duplicate envelope of the create endpoint, if the object is known.
    pub fn create_reply(&self) -> Option<Value> {
        let mut o = self.object.clone()?;
        o["infoCode"] = json!(DUPIRN);
        o["message"] = json!("2150 : Duplicate IRN");
        Some(o)
    }

    /// The duplicate envelope of the NIC-style generate endpoint (seed 003), from either form.
    pub fn generate_reply(&self) -> Option<Value> {
        let (irn, ack_no, ack_dt) = if let Some(r) = &self.nic_reply {
            (
                r.get("irn")?.clone(),
                r.get("ackNumber")?.clone(),
                r.get("ackDate")?.clone(),
            )
        } else {
            let o = self.object.as_ref()?;
            // The einvoice object writes AckNo as a string; the NIC-style reply as a number.
            let ack_no = match o.get("ackNumber")? {
                Value::String(s) => s
                    .parse::<u64>()
                    .map(|n| json!(n))
                    .unwrap_or_else(|_| json!(s)),
                other => other.clone(),
            };
            (o.get("irn")?.clone(), ack_no, o.get("ackDate")?.clone())
        };
        Some(json!({
            "irn": irn,
            "ackNumber": ack_no,
            "ackDate": ack_dt,
            "status": "ACT",
            "message": "2150 : Duplicate IRN",
            "infoCode": DUPIRN,
        }))
    }
}

/// The bounded cache, by IRN.
#[derive(Debug, Clone, Default)]
pub struct DupirnCache {
    capacity: usize,
    entries: HashMap<String, DupirnEntry>,
    order: VecDeque<String>,
}

impl DupirnCache {
    /// A cache of at most `capacity` IRNs (0: off).
    pub fn new(capacity: usize) -> Self {
        DupirnCache {
            capacity,
            entries: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// The entry for `irn`.
    pub fn get(&self, irn: &str) -> Option<&DupirnEntry> {
        self.entries.get(irn)
    }

    /// How many IRNs are remembered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Remembers a create/get object of a generated e-invoice.
    pub fn put_object(&mut self, irn: &str, object: Value) {
        self.upsert(irn, |e| e.object = Some(object));
    }

    /// Remembers a NIC-style generate reply.
    pub fn put_nic_reply(&mut self, irn: &str, reply: Value) {
        self.upsert(irn, |e| e.nic_reply = Some(reply));
    }

    /// Forgets `irn` (it was cancelled).
    pub fn remove(&mut self, irn: &str) {
        if self.entries.remove(irn).is_some() {
            self.order.retain(|k| k != irn);
        }
    }

    fn upsert(&mut self, irn: &str, f: impl FnOnce(&mut DupirnEntry)) {
        if self.capacity == 0 {
            return;
        }
        if let Some(e) = self.entries.get_mut(irn) {
            f(e);
            return;
        }
        while self.entries.len() >= self.capacity {
            match self.order.pop_front() {
                Some(old) => {
                    self.entries.remove(&old);
                }
                None => break,
            }
        }
        let mut e = DupirnEntry {
            object: None,
            nic_reply: None,
        };
        f(&mut e);
        self.entries.insert(irn.to_owned(), e);
        self.order.push_back(irn.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_oldest_out() {
        let mut c = DupirnCache::new(2);
        c.put_object("a", json!({"irn": "a"}));
        c.put_object("b", json!({"irn": "b"}));
        c.put_object("c", json!({"irn": "c"}));
        assert_eq!(c.len(), 2);
        assert!(c.get("a").is_none() && c.get("c").is_some());
        c.remove("b");
        assert_eq!(c.len(), 1);
        let mut off = DupirnCache::new(0);
        off.put_object("a", json!({}));
        assert!(off.is_empty());
    }

    #[test]
    fn envelopes() {
        let mut c = DupirnCache::new(4);
        c.put_object(
            "i",
            json!({"id": "einv_1", "irn": "i", "ackNumber": "112", "ackDate": "2026-05-04T11:42:18Z", "status": "generated"}),
        );
        let e = c.get("i").unwrap();
        let r = e.create_reply().unwrap();
        assert_eq!(
            (r["infoCode"].as_str(), r["id"].as_str()),
            (Some("DUPIRN"), Some("einv_1"))
        );
        let g = e.generate_reply().unwrap();
        assert_eq!(g["ackNumber"], json!(112));
        assert_eq!(g["status"], "ACT");
    }
}
