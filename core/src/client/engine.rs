//! The sans-IO call engine (DESIGN.md section 3, "Call engine").
//!
//! An [`Engine`] holds what outlives one call: the configuration, the token cache, the DUPIRN
//! cache and the RNG. [`Engine::begin`] turns an [`Operation`] into a [`Call`], a small state
//! machine that never touches the network or the clock:
//!
//! ```text
//! let mut call = engine.begin(op, CallOptions::default());
//! loop {
//!     match call.next(now_ms()) {
//!         Step::Send(request) => match http.send(&request) {
//!             Ok(response) => call.feed_response(response),
//!             Err(e) => call.feed_transport_error(e),
//!         },
//!         Step::Sleep { until_ms } => sleep_until(until_ms),
//!         Step::Done(response) => break Ok(response),
//!         Step::Failed(error) => break Err(error),
//!     }
//! }
//! ```
//!
//! `now` is a monotonic clock in milliseconds, with any epoch, the same for every call of one
//! engine (token expiry is kept in it). What a call does, in order:
//!
//! 1. **Locally, in `begin`**: build the request; for documents (e-invoice create / generate, e-way
//!    bill generate, bulk), parse and **prevalidate** with the core validator: a document with an
//!    error finding fails here with `validation_error` and its findings, and never leaves the
//!    process (unless [`CallOptions::prevalidate`] or [`Config::prevalidate`] says not to);
//!    warnings ride along in [`CallMeta::warnings`]. Pick the OAuth client by the document's
//!    seller GSTIN (or [`CallOptions::gstin`]); none covering it is a local `invalid_argument`.
//!    Make the idempotency key ([`super::idempotency`]). Answer a repeat e-invoice from the
//!    **DUPIRN cache** ([`super::dupirn`]) after the sameness check.
//! 2. **Token**: the client's cached token, or a client-credentials request first.
//! 3. **The request**, with `Authorization`, `Idempotency-Key` (the same on every retry), and the
//!    `gstin` header where the operation has one.
//! 4. **The answer**: success; or a retry after backoff ([`super::retry`]); or, on 401, one fresh
//!    token and one more send; or the error, read with [`Error::from_response`].
//! 5. **Polling**: a create answered `queued` / `failed_retriable` is followed through
//!    `GET /v1/einvoices/{id}/status` with growing, jittered waits until it is final (then the
//!    full record is fetched) or the deadline passes (then the call is done with the pending
//!    record and [`CallMeta::pending`] set).
//!
//! The rate-limit headers of the last answer are in [`CallMeta::rate_limit`] on every result.

use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;

use super::auth::{parse_token_response, token_request, TokenCache};
use super::config::{Config, OAuthClient};
use super::dupirn::DupirnCache;
use super::idempotency;
use super::operation::{Operation, RequestPlan};
use super::retry::{self, Disposition, Rng};
use super::transport::{HttpRequest, HttpResponse, Method, TransportError, TransportErrorKind};
use crate::calendar::Timestamp;
use crate::credentials::Secret;
use crate::einvoice::dupirn::{
    adopt_duplicate, decode_signed_invoice_unverified, parse_generate_outcome, SignedPayload,
};
use crate::einvoice::model::EInvoice;
use crate::einvoice::parse::parse_invoice;
use crate::einvoice::{DocumentKey, Irn};
use crate::error::{Error, Upstream};
use crate::ewaybill::model::{EWayBill, SupplyType};
use crate::ewaybill::nic::{from_nic as ewb_from_nic, NicEWayBill};
use crate::finding::{Finding, Severity};
use crate::validate::{
    validate_and_read_invoice_json, validate_ewaybill_json, validate_invoice_json, EWayBillDialect,
};

/// The `X-RateLimit-*` headers of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub limit: Option<u64>,
    /// Requests left in this window.
    pub remaining: Option<u64>,
    /// Seconds until the window resets.
    pub reset_secs: Option<u64>,
}

impl RateLimit {
    fn of(resp: &HttpResponse) -> Option<RateLimit> {
        let num = |n: &str| resp.header(n).and_then(|v| v.parse::<u64>().ok());
        let r = RateLimit {
            limit: num("x-ratelimit-limit"),
            remaining: num("x-ratelimit-remaining"),
            reset_secs: num("x-ratelimit-reset"),
        };
        (r != RateLimit::default()).then_some(r)
    }
}

/// Per-call choices.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// The GSTIN the call acts for, choosing the OAuth client (default: the document's seller,
    /// or the operation's own `gstin`).
    pub gstin: Option<String>,
    /// Give up (or stop polling) at this engine time, in ms.
    pub deadline_ms: Option<u64>,
    /// Prevalidate documents (default: [`Config::prevalidate`]).
    pub prevalidate: Option<bool>,
    /// Use this idempotency key instead of making one.
    pub idempotency_key: Option<String>,
    /// Extra headers (e.g. `X-Sandbox-Fault` against the local sandbox).
    pub headers: Vec<(String, String)>,
    /// The current time for the date rules of prevalidation (future date, reporting window);
    /// they are skipped without it.
    pub today: Option<Timestamp>,
    /// Follow a pending create (default: [`super::config::PollPolicy::enabled`]).
    pub poll: Option<bool>,
}

/// What is known about a call, on success and on failure alike.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CallMeta {
    /// The operation's name.
    pub operation: &'static str,
    /// The OAuth client used.
    pub client_id: Option<String>,
    /// API requests sent (retries and polls included, token requests not).
    pub attempts: u32,
    /// Token requests sent.
    pub token_requests: u32,
    /// Retries made (sends after the first of each request).
    pub retries: u32,
    /// Status polls made.
    pub polls: u32,
    /// The idempotency key sent (the same on every retry).
    pub idempotency_key: Option<String>,
    /// The IRN computed locally from the document, for e-invoice creates.
    pub expected_irn: Option<Irn>,
    /// The rate-limit headers of the last answer.
    pub rate_limit: Option<RateLimit>,
    /// The server's request id of the last answer.
    pub request_id: Option<String>,
    /// The answer was the server's stored answer for the idempotency key.
    pub replayed: bool,
    /// The document was registered before (DUPIRN).
    pub duplicate: bool,
    /// Answered from the local DUPIRN cache, without a request.
    pub from_cache: bool,
    /// The record was still pending when the deadline passed.
    pub pending: bool,
    /// The deadline cut the call short.
    pub deadline_reached: bool,
    /// Warning findings of prevalidation.
    pub warnings: Vec<Finding>,
}

/// A successful answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The HTTP status (200 for an answer from the DUPIRN cache).
    pub status: u16,
    /// The headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// About the call.
    pub meta: CallMeta,
}

impl Response {
    /// The body as JSON.
    pub fn json(&self) -> Result<Value, Error> {
        serde_json::from_slice(&self.body)
            .map_err(|e| Error::internal(format!("the answer is not JSON: {e}")))
    }

    /// The body as `T`.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::internal(format!(
                "the answer of {} is not the expected object: {e}",
                self.meta.operation
            ))
        })
    }
}

/// What the host should do next.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Send this request, then feed back the answer or the transport error.
    Send(HttpRequest),
    /// Call `next` again at (or after) this engine time.
    Sleep {
        /// Engine time, in ms.
        until_ms: u64,
    },
    /// The call succeeded.
    Done(Response),
    /// The call failed; [`Call::meta`] says more.
    Failed(Error),
}

struct SharedState {
    tokens: TokenCache,
    dupirn: DupirnCache,
    rng: Rng,
}

struct Shared {
    config: Config,
    state: Mutex<SharedState>,
}

/// The long-lived part: configuration and caches. Cheap to clone (shared); usable from several
/// threads, each running its own calls.
#[derive(Clone)]
pub struct Engine {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// An engine for a checked configuration, its jitter and random keys from `seed`.
    pub fn new(config: Config, seed: u64) -> Result<Engine, Error> {
        config.validate()?;
        let dupirn = DupirnCache::new(config.dupirn_cache_capacity);
        Ok(Engine {
            shared: Arc::new(Shared {
                config,
                state: Mutex::new(SharedState {
                    tokens: TokenCache::default(),
                    dupirn,
                    rng: Rng::new(seed),
                }),
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// Forgets every cached token (e.g. after rotating a client secret).
    pub fn clear_tokens(&self) {
        self.shared.lock().tokens.clear();
    }

    /// Caches a token obtained outside a call (e.g. [`super::Client::authenticate`]), minted at
    /// engine time `now_ms` and valid `expires_in` seconds.
    pub fn cache_token(&self, client_id: &str, token: Secret, expires_in: u64, now_ms: u64) {
        let skew = u64::try_from(self.shared.config.token_skew.as_millis()).unwrap_or(0);
        self.shared
            .lock()
            .tokens
            .put(client_id, token, expires_in, skew, now_ms);
    }

    /// IRNs in the DUPIRN cache.
    pub fn dupirn_cache_len(&self) -> usize {
        self.shared.lock().dupirn.len()
    }

    /// Starts a call (nothing is sent until [`Call::next`]).
    pub fn begin(&self, op: Operation, options: CallOptions) -> Call {
        let mut call = Call {
            shared: self.shared.clone(),
            name: op.name(),
            needs_token: op.needs_token(),
            kind: Kind::Other,
            plan: RequestPlan {
                method: Method::Get,
                path: String::new(),
                body: Vec::new(),
                gstin_header: None,
            },
            extra_headers: options.headers.clone(),
            client: None,
            invoice: None,
            deadline_ms: options.deadline_ms,
            poll_enabled: options.poll.unwrap_or(self.shared.config.poll.enabled),
            state: State::Ready,
            target: Target::Main,
            tries: 0,
            reauthed: false,
            token_in_use: None,
            sent_at: 0,
            last_now: 0,
            poll: None,
            meta: CallMeta {
                operation: op.name(),
                ..CallMeta::default()
            },
        };
        if let Err(e) = call.prepare(op, &options) {
            call.state = State::Finished(Box::new(Err(e)));
        }
        call
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, SharedState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What kind of answer handling an operation needs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    CreateEInvoice,
    GenerateEInvoice,
    CancelEInvoice,
    ReadEInvoice,
    Other,
}

/// Which request the call is on.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// The operation's own request.
    Main,
    /// `GET /v1/einvoices/{id}/status`.
    PollStatus,
    /// `GET /v1/einvoices/{id}` once the poll saw a final status.
    FetchFinal,
}

#[derive(Debug, Clone)]
struct PollState {
    id: String,
    deadline_ms: u64,
    /// The pending answer to return if the deadline passes.
    pending: Response,
}

#[derive(Debug, Clone)]
enum State {
    Ready,
    /// Wait `delay_ms` from the first `next` after the answer, then go on.
    Backoff {
        delay_ms: u64,
        until_ms: Option<u64>,
    },
    AwaitToken,
    AwaitApi,
    Finished(Box<Result<Response, Error>>),
}

/// One logical call in progress.
pub struct Call {
    shared: Arc<Shared>,
    name: &'static str,
    needs_token: bool,
    kind: Kind,
    plan: RequestPlan,
    extra_headers: Vec<(String, String)>,
    client: Option<OAuthClient>,
    invoice: Option<EInvoice>,
    deadline_ms: Option<u64>,
    poll_enabled: bool,
    state: State,
    target: Target,
    /// Retries used on the current request.
    tries: u32,
    reauthed: bool,
    token_in_use: Option<Secret>,
    sent_at: u64,
    last_now: u64,
    poll: Option<PollState>,
    meta: CallMeta,
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.name)
            .field("state", &self.state)
            .field("target", &self.target)
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

fn prefix_findings(findings: Vec<Finding>, prefix: &str) -> Vec<Finding> {
    findings
        .into_iter()
        .map(|mut f| {
            f.path = format!("{prefix}{}", f.path);
            f
        })
        .collect()
}

fn local_validation_error(findings: Vec<Finding>) -> Error {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    Error::validation(
        format!(
            "prevalidation failed: {errors} error(s) that the IRP / EWB system would refuse; nothing was sent (see details)"
        ),
        findings,
    )
}

fn split_findings(findings: Vec<Finding>) -> (Vec<Finding>, Vec<Finding>) {
    findings
        .into_iter()
        .partition(|f| f.severity == Severity::Error)
}

/// The GSTIN an e-way bill is generated by (the consignor of an outward supply, the consignee of
/// an inward one), and the bill's identity: generator, document type and number.
fn ewaybill_generator(body: &[u8]) -> Option<(String, String)> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let ewb: EWayBill = match v.as_object().map(EWayBillDialect::detect)? {
        EWayBillDialect::Nic => ewb_from_nic(serde_json::from_value::<NicEWayBill>(v).ok()?),
        EWayBillDialect::Canonical => serde_json::from_value(v).ok()?,
    };
    let generator = match ewb.supply_type {
        SupplyType::Outward => ewb.from.gstin,
        SupplyType::Inward => ewb.to.gstin,
    };
    let d = &ewb.document_details;
    let identity = format!("ewb:{generator}|{}|{}", d.document_type.code(), d.number);
    Some((generator, identity))
}

impl Call {
    /// What is known so far.
    pub fn meta(&self) -> &CallMeta {
        &self.meta
    }

    /// Whether the call has finished.
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Finished(_))
    }

    fn config(&self) -> &Config {
        &self.shared.config
    }

    /// Everything `begin` does before the first request (module docs, step 1).
    fn prepare(&mut self, op: Operation, options: &CallOptions) -> Result<(), Error> {
        let config = self.shared.config.clone();
        let prevalidate = options.prevalidate.unwrap_or(config.prevalidate);
        let mut vopts = config.validation_options();
        if options.today.is_some() {
            vopts.now = options.today;
        }
        self.plan = op.plan()?;
        let mut gstin = options
            .gstin
            .clone()
            .or_else(|| op.explicit_gstin().map(str::to_owned));
        let mut identity: Option<String> = None;
        match &op {
            Operation::CreateEInvoice { body } | Operation::GenerateEInvoice { body, .. } => {
                self.kind = if matches!(op, Operation::CreateEInvoice { .. }) {
                    Kind::CreateEInvoice
                } else {
                    Kind::GenerateEInvoice
                };
                // Validation reads the document anyway: keep what it read rather than parse twice.
                let read = if prevalidate {
                    let (report, invoice) = validate_and_read_invoice_json(body, &vopts);
                    let (errors, warnings) = split_findings(report.findings);
                    if !errors.is_empty() {
                        let mut all = errors;
                        all.extend(warnings);
                        return Err(local_validation_error(all));
                    }
                    self.meta.warnings = warnings;
                    invoice
                } else {
                    parse_invoice(body).ok().map(|parsed| parsed.invoice)
                };
                if let Some(invoice) = read {
                    let key = DocumentKey::of(&invoice);
                    let irn = key.irn();
                    gstin = gstin.or(Some(key.seller_gstin.clone()));
                    identity = Some(irn.as_str().to_owned());
                    self.meta.expected_irn = Some(irn);
                    self.invoice = Some(invoice);
                }
            }
            Operation::GenerateEwayBill { body, .. } => {
                if prevalidate {
                    let report = validate_ewaybill_json(body, &vopts);
                    let (errors, warnings) = split_findings(report.findings);
                    if !errors.is_empty() {
                        let mut all = errors;
                        all.extend(warnings);
                        return Err(local_validation_error(all));
                    }
                    self.meta.warnings = warnings;
                }
                match ewaybill_generator(body) {
                    Some((generator, id)) => {
                        gstin = gstin.or(Some(generator));
                        identity = Some(id);
                    }
                    None => identity = Some("ewb:unparsed".into()),
                }
            }
            Operation::BulkEInvoices { invoices } => {
                if prevalidate {
                    let mut errors = Vec::new();
                    let mut warnings = Vec::new();
                    for (i, inv) in invoices.iter().enumerate() {
                        let bytes = serde_json::to_vec(inv).unwrap_or_default();
                        let report = validate_invoice_json(&bytes, &vopts);
                        let (e, w) = split_findings(report.findings);
                        let prefix = format!("/invoices/{i}");
                        errors.extend(prefix_findings(e, &prefix));
                        warnings.extend(prefix_findings(w, &prefix));
                    }
                    if !errors.is_empty() {
                        errors.extend(warnings);
                        return Err(local_validation_error(errors));
                    }
                    self.meta.warnings = warnings;
                }
                // One client for the whole batch: the sellers' GSTINs must share one.
                if gstin.is_none() {
                    let sellers: Vec<String> = invoices
                        .iter()
                        .filter_map(|v| serde_json::to_vec(v).ok())
                        .filter_map(|b| parse_invoice(&b).ok())
                        .map(|p| p.invoice.seller.gstin)
                        .collect();
                    if let Some(first) = sellers.first() {
                        let client = config.client_for(Some(first))?;
                        if let Some(other) = sellers.iter().find(|s| {
                            config
                                .client_for(Some(s))
                                .map(|c| c.client_id != client.client_id)
                                .unwrap_or(true)
                        }) {
                            return Err(Error::invalid_argument(format!(
                                "a bulk call runs under one OAuth client, but sellers {first} and {other} need different ones: split the batch"
                            )));
                        }
                        gstin = Some(first.clone());
                    }
                }
                identity = Some("bulk".into());
            }
            // Cancels and rejects get a fresh key per logical call: the same body may be right
            // later (after the e-way bill on an IRN is cancelled) and must not replay the
            // refusal stored under a derived key.
            Operation::CancelEInvoice { .. } => self.kind = Kind::CancelEInvoice,
            Operation::GetEInvoice { .. } | Operation::GetEInvoiceByIrn { .. } => {
                self.kind = Kind::ReadEInvoice;
            }
            Operation::GenerateEwayBillByIrn { request, .. } => {
                identity = Some(format!("ewb-irn:{}", request.irn));
            }
            _ => {}
        }
        if self.needs_token {
            self.client = Some(config.client_for(gstin.as_deref())?.clone());
            self.meta.client_id = self.client.as_ref().map(|c| c.client_id.clone());
        }
        if op.changes_state() {
            let tag = self.name.replace(['.', '_'], "-");
            let key = match (&options.idempotency_key, identity) {
                (Some(k), _) => k.clone(),
                (None, Some(id)) => idempotency::derived(&tag, &id, &self.plan.body),
                (None, None) => idempotency::random(&tag, &mut self.shared.lock().rng),
            };
            if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(Error::invalid_argument(
                    "an idempotency key is 1 to 255 visible ASCII characters",
                ));
            }
            self.meta.idempotency_key = Some(key);
        }
        if matches!(self.kind, Kind::CreateEInvoice | Kind::GenerateEInvoice) {
            if let Some(done) = self.answer_from_cache()? {
                self.state = State::Finished(Box::new(Ok(done)));
            }
        }
        Ok(())
    }

    /// A repeat of a document this client saw registered: the DUPIRN envelope from memory, after
    /// the sameness check.
    fn answer_from_cache(&mut self) -> Result<Option<Response>, Error> {
        let (Some(irn), Some(invoice)) = (&self.meta.expected_irn, &self.invoice) else {
            return Ok(None);
        };
        let entry = match self.shared.lock().dupirn.get(irn.as_str()) {
            Some(e) => e.clone(),
            None => return Ok(None),
        };
        let reply = match self.kind {
            Kind::CreateEInvoice => entry.create_reply(),
            _ => entry.generate_reply(),
        };
        let Some(reply) = reply else {
            return Ok(None);
        };
        let body = serde_json::to_vec(&reply).map_err(|e| Error::internal(e.to_string()))?;
        same_document(invoice, &body, entry.signed_invoice())?;
        self.meta.from_cache = true;
        self.meta.duplicate = true;
        Ok(Some(Response {
            status: 200,
            headers: Vec::new(),
            body,
            meta: self.meta.clone(),
        }))
    }

    /// The next thing to do at engine time `now_ms`.
    pub fn next(&mut self, now_ms: u64) -> Step {
        self.last_now = now_ms;
        loop {
            match &mut self.state {
                State::Finished(result) => {
                    return match result.as_ref() {
                        Ok(r) => {
                            let mut r = r.clone();
                            r.meta = self.meta.clone();
                            Step::Done(r)
                        }
                        Err(e) => Step::Failed(e.clone()),
                    }
                }
                State::Backoff { delay_ms, until_ms } => {
                    let until = *until_ms.get_or_insert(now_ms.saturating_add(*delay_ms));
                    if now_ms < until {
                        return Step::Sleep { until_ms: until };
                    }
                    self.state = State::Ready;
                }
                State::AwaitToken | State::AwaitApi => {
                    let e = Error::internal(
                        "Call::next was called while an answer was awaited: feed the response or the transport error first",
                    );
                    self.state = State::Finished(Box::new(Err(e.clone())));
                    return Step::Failed(e);
                }
                State::Ready => return self.send(now_ms),
            }
        }
    }

    fn send(&mut self, now_ms: u64) -> Step {
        self.sent_at = now_ms;
        if self.needs_token {
            let client = self.client.clone().expect("a token call has a client");
            let cached = self
                .shared
                .lock()
                .tokens
                .get(&client.client_id, now_ms)
                .map(|t| t.access_token.clone());
            match cached {
                Some(token) => self.token_in_use = Some(token),
                None => {
                    self.meta.token_requests += 1;
                    self.state = State::AwaitToken;
                    let mut request = token_request(self.config(), &client);
                    if let Some(deadline) = self.effective_deadline() {
                        let left = std::time::Duration::from_millis(
                            deadline.saturating_sub(now_ms).max(1),
                        );
                        request.timeout = request.timeout.min(left);
                        request.connect_timeout = request.connect_timeout.min(left);
                    }
                    return Step::Send(request);
                }
            }
        }
        let request = self.api_request(now_ms);
        self.meta.attempts += 1;
        if self.tries > 0 {
            self.meta.retries += 1;
        }
        if self.target == Target::PollStatus {
            self.meta.polls += 1;
        }
        self.state = State::AwaitApi;
        Step::Send(request)
    }

    fn api_request(&self, now_ms: u64) -> HttpRequest {
        let config = self.config();
        let (method, path, body) = match (&self.target, &self.poll) {
            (Target::PollStatus, Some(p)) => (
                Method::Get,
                format!(
                    "/v1/einvoices/{}/status",
                    super::operation::encode_component(&p.id)
                ),
                Vec::new(),
            ),
            (Target::FetchFinal, Some(p)) => (
                Method::Get,
                format!(
                    "/v1/einvoices/{}",
                    super::operation::encode_component(&p.id)
                ),
                Vec::new(),
            ),
            _ => (
                self.plan.method,
                self.plan.path.clone(),
                self.plan.body.clone(),
            ),
        };
        let mut headers: Vec<(String, String)> = vec![
            ("accept".into(), "application/json".into()),
            ("user-agent".into(), config.user_agent.clone()),
        ];
        if let Some(token) = &self.token_in_use {
            headers.push(("authorization".into(), format!("Bearer {}", token.expose())));
        }
        if !body.is_empty() {
            headers.push(("content-type".into(), "application/json".into()));
        }
        if self.target == Target::Main {
            if let Some(key) = &self.meta.idempotency_key {
                headers.push(("idempotency-key".into(), key.clone()));
            }
            if let Some(g) = &self.plan.gstin_header {
                headers.push(("gstin".into(), g.clone()));
            }
        }
        for (k, v) in &self.extra_headers {
            headers.push((k.to_ascii_lowercase(), v.clone()));
        }
        let mut timeout = config.timeouts.request;
        if let Some(deadline) = self.effective_deadline() {
            let left = deadline.saturating_sub(now_ms).max(1);
            timeout = timeout.min(std::time::Duration::from_millis(left));
        }
        HttpRequest {
            method,
            url: format!("{}{}", config.environment.base_url, path),
            headers,
            body,
            timeout,
            connect_timeout: config.timeouts.connect.min(timeout),
        }
    }

    fn effective_deadline(&self) -> Option<u64> {
        match &self.poll {
            Some(p) => Some(p.deadline_ms),
            None => self.deadline_ms,
        }
    }

    fn finish(&mut self, result: Result<Response, Error>) {
        self.state = State::Finished(Box::new(result));
    }

    fn fail(&mut self, e: Error) {
        self.finish(Err(e));
    }

    /// Schedules another send of the current request after `delay` (or the backoff), or ends
    /// the call with `error` when the budget or the deadline is spent.
    fn retry_or_fail(&mut self, error: Error, disposition: Disposition) {
        let policy = self.config().retry;
        if self.tries >= policy.max_retries {
            return self.fail(error);
        }
        let delay = {
            let mut st = self.shared.lock();
            match disposition {
                Disposition::RetryAfter(Some(secs)) => {
                    match retry::retry_after_ms(&policy, secs, &mut st.rng) {
                        Some(d) => d,
                        None => {
                            drop(st);
                            return self.fail(error);
                        }
                    }
                }
                _ => retry::backoff_ms(&policy, self.tries + 1, &mut st.rng),
            }
        };
        if let Some(deadline) = self.effective_deadline() {
            if self.last_now.saturating_add(delay) > deadline {
                self.meta.deadline_reached = true;
                if let Some(p) = &self.poll {
                    // Polling: the record is still pending; say so rather than fail.
                    let pending = p.pending.clone();
                    self.meta.pending = true;
                    return self.finish(Ok(pending));
                }
                return self.fail(error);
            }
        }
        self.tries += 1;
        self.state = State::Backoff {
            delay_ms: delay,
            until_ms: None,
        };
    }

    /// Feeds back the answer to the last [`Step::Send`].
    pub fn feed_response(&mut self, response: HttpResponse) {
        match std::mem::replace(&mut self.state, State::Ready) {
            State::AwaitToken => self.on_token(response),
            State::AwaitApi => self.on_api(response),
            other => {
                self.state = other;
            }
        }
    }

    /// Feeds back why the last [`Step::Send`] got no answer.
    pub fn feed_transport_error(&mut self, error: TransportError) {
        let was = std::mem::replace(&mut self.state, State::Ready);
        if !matches!(was, State::AwaitToken | State::AwaitApi) {
            self.state = was;
            return;
        }
        let e = match error.kind {
            TransportErrorKind::Timeout => Error::Timeout {
                message: format!("no answer in time: {}", error.message),
                request_id: None,
            },
            _ => Error::Transport {
                message: error.message.clone(),
                request_id: None,
            },
        };
        if error.kind.is_retryable() {
            self.retry_or_fail(e, Disposition::Retry);
        } else {
            self.fail(e);
        }
    }

    fn error_of(&self, response: &HttpResponse) -> Error {
        let e = Error::from_response(
            response.status,
            response.header("retry-after"),
            &response.body,
        );
        match (e.request_id().is_none(), response.header("x-request-id")) {
            (true, Some(id)) => e.with_request_id(id),
            _ => e,
        }
    }

    fn on_token(&mut self, response: HttpResponse) {
        if let Some(rl) = RateLimit::of(&response) {
            self.meta.rate_limit = Some(rl);
        }
        if (200..300).contains(&response.status) {
            match parse_token_response(&response.body) {
                Ok((token, expires_in)) => {
                    let client_id = self
                        .client
                        .as_ref()
                        .map(|c| c.client_id.clone())
                        .unwrap_or_default();
                    let skew = u64::try_from(self.config().token_skew.as_millis()).unwrap_or(0);
                    self.shared.lock().tokens.put(
                        &client_id,
                        token,
                        expires_in,
                        skew,
                        self.sent_at,
                    );
                    self.tries = 0;
                    self.state = State::Ready;
                }
                Err(e) => self.fail(e),
            }
            return;
        }
        let e = self.error_of(&response);
        match retry::disposition(response.status, e.retry_after()) {
            // The token endpoint refusing the client's own credentials is final.
            Disposition::Reauth | Disposition::Final => {
                let e = match e {
                    Error::InvalidToken {
                        message,
                        request_id,
                    } => Error::InvalidToken {
                        message: format!(
                            "the token endpoint refused client credentials: {message}"
                        ),
                        request_id,
                    },
                    other => other,
                };
                self.fail(e)
            }
            d => self.retry_or_fail(e, d),
        }
    }

    fn on_api(&mut self, response: HttpResponse) {
        if let Some(rl) = RateLimit::of(&response) {
            self.meta.rate_limit = Some(rl);
        }
        if let Some(id) = response.header("x-request-id") {
            self.meta.request_id = Some(id.to_owned());
        }
        if response.header("idempotent-replayed") == Some("true") {
            self.meta.replayed = true;
        }
        if (200..300).contains(&response.status) {
            self.tries = 0;
            return self.on_success(response);
        }
        let e = self.error_of(&response);
        match retry::disposition(response.status, e.retry_after()) {
            Disposition::Reauth if self.needs_token && !self.reauthed => {
                self.reauthed = true;
                if let (Some(c), Some(t)) = (&self.client, &self.token_in_use) {
                    self.shared.lock().tokens.invalidate(&c.client_id, t);
                }
                self.token_in_use = None;
                self.state = State::Ready;
            }
            Disposition::Reauth | Disposition::Final => self.fail(e),
            d => self.retry_or_fail(e, d),
        }
    }

    fn respond(&self, response: HttpResponse) -> Response {
        Response {
            status: response.status,
            headers: response.headers,
            body: response.body,
            meta: self.meta.clone(),
        }
    }

    fn on_success(&mut self, response: HttpResponse) {
        match (&self.target, &self.kind) {
            (Target::PollStatus, _) => self.on_poll_status(response),
            (Target::FetchFinal, _) => self.on_einvoice_object(response),
            (Target::Main, Kind::CreateEInvoice) => self.on_einvoice_object(response),
            (Target::Main, Kind::GenerateEInvoice) => self.on_generate_reply(response),
            (Target::Main, Kind::ReadEInvoice) => {
                if let Ok(v) = serde_json::from_slice::<Value>(&response.body) {
                    if v.get("status").and_then(Value::as_str) == Some("generated") {
                        if let Some(irn) = v.get("irn").and_then(Value::as_str) {
                            self.shared.lock().dupirn.put_object(irn, v.clone());
                        }
                    }
                }
                let r = self.respond(response);
                self.finish(Ok(r));
            }
            (Target::Main, Kind::CancelEInvoice) => {
                if let Ok(v) = serde_json::from_slice::<Value>(&response.body) {
                    if let Some(irn) = v.get("irn").and_then(Value::as_str) {
                        self.shared.lock().dupirn.remove(irn);
                    }
                }
                let r = self.respond(response);
                self.finish(Ok(r));
            }
            (Target::Main, Kind::Other) => {
                let r = self.respond(response);
                self.finish(Ok(r));
            }
        }
    }

    /// An einvoice object from create (or the final fetch after polling).
    fn on_einvoice_object(&mut self, response: HttpResponse) {
        let v: Value = match serde_json::from_slice(&response.body) {
            Ok(v) => v,
            Err(e) => return self.fail(Error::internal(format!("the answer is not JSON: {e}"))),
        };
        let status = v.get("status").and_then(Value::as_str).unwrap_or("");
        let id = v.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
        match status {
            "queued" | "failed_retriable" => {
                let r = self.respond(response);
                self.start_polling(id, r);
            }
            "failed" => {
                let failure = v.get("failure");
                let code = failure
                    .and_then(|f| f.get("code"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let msg = failure
                    .and_then(|f| f.get("message"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let mut e = Error::upstream_failure(
                    format!("the IRP refused e-invoice {id}: {code} {msg}"),
                    Upstream::new(code, msg),
                );
                if let Some(rid) = &self.meta.request_id {
                    e = e.with_request_id(rid.clone());
                }
                self.fail(e)
            }
            _ => {
                let duplicate = v.get("infoCode").and_then(Value::as_str)
                    == Some(crate::einvoice::dupirn::DUPIRN);
                if duplicate {
                    self.meta.duplicate = true;
                    if let Some(invoice) = &self.invoice {
                        let signed = v.get("signedInvoice").and_then(Value::as_str);
                        if let Err(e) = same_document(invoice, &response.body, signed) {
                            return self.fail(e);
                        }
                    }
                }
                // A replayed answer is the state at the original call, maybe since cancelled:
                // only fresh answers feed the cache.
                if status == "generated" && !self.meta.replayed {
                    if let Some(irn) = v.get("irn").and_then(Value::as_str) {
                        let mut clean = v.clone();
                        if let Some(m) = clean.as_object_mut() {
                            m.remove("infoCode");
                            m.remove("message");
                        }
                        self.shared.lock().dupirn.put_object(irn, clean);
                    }
                }
                let r = self.respond(response);
                self.finish(Ok(r));
            }
        }
    }

    /// The NIC-style reply of `/generate` (or its 202 queued answer).
    fn on_generate_reply(&mut self, response: HttpResponse) {
        let v: Value = match serde_json::from_slice(&response.body) {
            Ok(v) => v,
            Err(e) => return self.fail(Error::internal(format!("the answer is not JSON: {e}"))),
        };
        if matches!(
            v.get("status").and_then(Value::as_str),
            Some("queued" | "failed_retriable")
        ) {
            let id = v.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
            let r = self.respond(response);
            return self.start_polling(id, r);
        }
        match parse_generate_outcome(&response.body) {
            Ok(outcome) => {
                if outcome.duplicate {
                    self.meta.duplicate = true;
                    if let Some(invoice) = &self.invoice {
                        let cached = self
                            .shared
                            .lock()
                            .dupirn
                            .get(outcome.irn.as_str())
                            .and_then(|e| e.signed_invoice().map(str::to_owned));
                        let signed = outcome.signed_invoice.clone().or(cached);
                        if let Err(e) = same_document(invoice, &response.body, signed.as_deref()) {
                            return self.fail(e);
                        }
                    }
                } else if !self.meta.replayed {
                    self.shared
                        .lock()
                        .dupirn
                        .put_nic_reply(outcome.irn.as_str(), v);
                }
                let r = self.respond(response);
                self.finish(Ok(r));
            }
            Err(e) => self.fail(e.into()),
        }
    }

    fn start_polling(&mut self, id: String, pending: Response) {
        if !self.poll_enabled || id.is_empty() {
            self.meta.pending = true;
            return self.finish(Ok(pending));
        }
        let deadline = match (&self.poll, self.deadline_ms) {
            (Some(p), _) => p.deadline_ms,
            (None, Some(d)) => d,
            (None, None) => {
                let d = u64::try_from(self.config().poll.default_deadline.as_millis()).unwrap_or(0);
                self.last_now.saturating_add(d)
            }
        };
        self.poll = Some(PollState {
            id,
            deadline_ms: deadline,
            pending,
        });
        self.target = Target::PollStatus;
        self.schedule_poll();
    }

    fn schedule_poll(&mut self) {
        let n = self.meta.polls + 1;
        let delay = {
            let mut st = self.shared.lock();
            retry::poll_ms(&self.shared.config.poll, n, &mut st.rng)
        };
        let Some(p) = &self.poll else { return };
        if self.last_now.saturating_add(delay) > p.deadline_ms {
            let pending = p.pending.clone();
            self.meta.pending = true;
            self.meta.deadline_reached = true;
            return self.finish(Ok(pending));
        }
        self.state = State::Backoff {
            delay_ms: delay,
            until_ms: None,
        };
    }

    fn on_poll_status(&mut self, response: HttpResponse) {
        let v: Value = match serde_json::from_slice(&response.body) {
            Ok(v) => v,
            Err(e) => return self.fail(Error::internal(format!("the answer is not JSON: {e}"))),
        };
        match v.get("status").and_then(Value::as_str).unwrap_or("") {
            "queued" | "failed_retriable" => self.schedule_poll(),
            "failed" => {
                // Fetch the record: its failure block becomes the error.
                self.target = Target::FetchFinal;
                self.state = State::Ready;
            }
            _ => {
                self.target = Target::FetchFinal;
                self.state = State::Ready;
            }
        }
    }
}

/// The sameness check of a duplicate: the reply must be for this request's IRN and, when the
/// signed invoice is at hand, for its buyer and total ([`adopt_duplicate`]).
fn same_document(
    invoice: &EInvoice,
    reply: &[u8],
    signed_invoice: Option<&str>,
) -> Result<(), Error> {
    let outcome = parse_generate_outcome(reply).map_err(Error::from)?;
    let payload = signed_invoice.and_then(|s| decode_signed_invoice_unverified(s).ok());
    let signed = match &payload {
        Some(p) => SignedPayload::Available(p),
        None => SignedPayload::Unavailable,
    };
    adopt_duplicate(invoice, &outcome, signed)
        .map(|_| ())
        .map_err(Error::from)
}
