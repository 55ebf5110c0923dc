//! Switchable faults, so every retry and recovery path of a client can be exercised for real.
//!
//! Per request, header `X-Sandbox-Fault` (comma-separated, e.g. `delay:300,503`):
//!
//! | value | effect |
//! |---|---|
//! | `503` | the simulated IRP / EWB system is unreachable: 503 `upstream.unavailable`, nothing committed |
//! | `502` or `502:CODE` | NIC refuses: 502 `upstream.failure` with NIC's `CODE` (default 5001) and its catalogue message, nothing committed |
//! | `delay:MS` | answer MS milliseconds later (any endpoint; at most 30 s) |
//! | `drop-after-commit` | commit (the IRN / e-way bill / cancel exists), store the idempotent answer, then close the connection without answering: the lost response |
//! | `queued` or `queued:SECS` | accept the e-invoice as `queued` (202); the simulated IRP generates it SECS sandbox seconds later (default: the `--queue-delay`), visible through `/status`, GET, and the `einvoice.generated` webhook |
//!
//! Per process (admin endpoint `POST /_sandbox/faults`, off unless `--admin`): the same values
//! with a count, `{"fault": "503", "count": 3}` fails the next three upstream calls. `delay`
//! faults apply to the next N requests of any kind; the others to the next N calls that reach the
//! simulated NIC (e-invoice generate and cancel, e-way bill generate and actions, credential
//! verification). A per-request header wins over the process queue.
//!
//! Time has the same two switches: per request, `X-Sandbox-Clock-Advance: SECS` (e.g. `25h`)
//! moves the sandbox clock once the request's token has been checked, before it is handled
//! ([`crate::pipeline::CLOCK_ADVANCE_HEADER`]); per process, `POST /_sandbox/clock` (admin).

use std::collections::VecDeque;
use std::sync::Mutex;

use onefinops_core::error::{Error, Upstream};
use serde::{Deserialize, Serialize};

/// One fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// 503 upstream.unavailable.
    Unavailable,
    /// 502 upstream.failure with this NIC code.
    Upstream {
        /// NIC's code.
        code: String,
    },
    /// Answer later.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// Commit, then drop the connection.
    DropAfterCommit,
    /// Accept as queued; generate later.
    Queued {
        /// Sandbox seconds until generated (default: configured delay).
        secs: Option<u64>,
    },
}

impl Fault {
    /// Reads one fault (`503`, `502:2150`, `delay:500`, `drop-after-commit`, `queued:30`).
    pub fn parse(text: &str) -> Result<Fault, String> {
        let text = text.trim();
        let (name, arg) = match text.split_once(':') {
            Some((n, a)) => (n.trim(), Some(a.trim())),
            None => (text, None),
        };
        match (name.to_ascii_lowercase().as_str(), arg) {
            ("503", None) | ("unavailable", None) => Ok(Fault::Unavailable),
            ("502", code) | ("upstream", code) => {
                let code = code.unwrap_or("5001");
                if code.is_empty() || code.len() > 20 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(format!("invalid NIC code `{code}`"));
                }
                Ok(Fault::Upstream { code: code.to_owned() })
            }
            ("delay", Some(ms)) => ms
                .parse::<u64>()
                .map(|ms| Fault::Delay { ms: ms.min(30_000) })
                .map_err(|_| format!("invalid delay `{ms}`: milliseconds expected")),
            ("drop-after-commit", None) | ("drop", None) => Ok(Fault::DropAfterCommit),
            ("queued", None) => Ok(Fault::Queued { secs: None }),
            ("queued", Some(s)) => s
                .parse::<u64>()
                .map(|s| Fault::Queued { secs: Some(s) })
                .map_err(|_| format!("invalid queue delay `{s}`: seconds expected")),
            _ => Err(format!(
                "unknown fault `{text}`: expected 503, 502[:CODE], delay:MS, drop-after-commit or queued[:SECS]"
            )),
        }
    }

    /// Reads a comma-separated list.
    pub fn parse_list(text: &str) -> Result<Vec<Fault>, String> {
        text.split(',')
            .filter(|s| !s.trim().is_empty())
            .map(Fault::parse)
            .collect()
    }

    /// Whether this fault acts where NIC is called (rather than on any request).
    pub fn is_upstream(&self) -> bool {
        !matches!(self, Fault::Delay { .. })
    }

    /// The error a failing fault answers with, if it is one.
    pub fn error(&self, what: &str) -> Option<Error> {
        match self {
            Fault::Unavailable => Some(Error::UpstreamUnavailable {
                message: format!(
                    "the {what} could not be reached (sandbox fault 503); retry after backoff"
                ),
                request_id: None,
            }),
            Fault::Upstream { code } => {
                let message = onefinops_core::nic_code::message(code)
                    .unwrap_or("Sandbox-injected NIC error")
                    .to_owned();
                Some(Error::upstream_failure(
                    format!("the {what} refused the request (sandbox fault 502:{code})"),
                    Upstream::new(code.clone(), message),
                ))
            }
            _ => None,
        }
    }
}

/// The faults of one request (from its header), put in the request's extensions.
#[derive(Debug, Clone, Default)]
pub struct RequestFaults(pub Vec<Fault>);

impl RequestFaults {
    /// The header's upstream fault, if any.
    pub fn upstream(&self) -> Option<Fault> {
        self.0.iter().find(|f| f.is_upstream()).cloned()
    }

    /// The delay, if any.
    pub fn delay_ms(&self) -> Option<u64> {
        self.0.iter().find_map(|f| match f {
            Fault::Delay { ms } => Some(*ms),
            _ => None,
        })
    }
}

/// A fault queued for the next `remaining` calls.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueuedFault {
    /// The fault.
    pub fault: Fault,
    /// How many more calls it applies to.
    pub remaining: u32,
}

/// The process-wide fault queue.
#[derive(Debug, Default)]
pub struct Faults {
    queue: Mutex<VecDeque<QueuedFault>>,
}

impl Faults {
    /// Queues `fault` for the next `count` calls.
    pub fn push(&self, fault: Fault, count: u32) {
        if count > 0 {
            self.lock().push_back(QueuedFault {
                fault,
                remaining: count,
            });
        }
    }

    /// Everything queued.
    pub fn list(&self) -> Vec<QueuedFault> {
        self.lock().iter().cloned().collect()
    }

    /// Drops every queued fault.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn take(&self, upstream: bool) -> Option<Fault> {
        let mut q = self.lock();
        let idx = q.iter().position(|f| f.fault.is_upstream() == upstream)?;
        let entry = &mut q[idx];
        let fault = entry.fault.clone();
        entry.remaining -= 1;
        if entry.remaining == 0 {
            q.remove(idx);
        }
        Some(fault)
    }

    /// The fault for a call that reaches NIC: the request's own, else the next queued one.
    pub fn take_upstream(&self, request: &RequestFaults) -> Option<Fault> {
        request.upstream().or_else(|| self.take(true))
    }

    /// The delay for a request: the request's own, else the next queued one.
    pub fn take_delay(&self, request: &RequestFaults) -> Option<u64> {
        request.delay_ms().or_else(|| match self.take(false) {
            Some(Fault::Delay { ms }) => Some(ms),
            _ => None,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<QueuedFault>> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_header_forms() {
        assert_eq!(Fault::parse("503").unwrap(), Fault::Unavailable);
        assert_eq!(
            Fault::parse("502:2150").unwrap(),
            Fault::Upstream {
                code: "2150".into()
            }
        );
        assert_eq!(Fault::parse("delay:500").unwrap(), Fault::Delay { ms: 500 });
        assert_eq!(
            Fault::parse("drop-after-commit").unwrap(),
            Fault::DropAfterCommit
        );
        assert_eq!(
            Fault::parse("queued:30").unwrap(),
            Fault::Queued { secs: Some(30) }
        );
        assert!(Fault::parse("404").is_err());
        assert_eq!(Fault::parse_list("delay:5, 503").unwrap().len(), 2);
    }

    #[test]
    fn queue_counts_down() {
        let f = Faults::default();
        f.push(Fault::Unavailable, 2);
        let none = RequestFaults::default();
        assert_eq!(f.take_upstream(&none), Some(Fault::Unavailable));
        assert_eq!(f.take_upstream(&none), Some(Fault::Unavailable));
        assert_eq!(f.take_upstream(&none), None);
    }
}
