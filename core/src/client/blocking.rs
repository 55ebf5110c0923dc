//! `Client`: the engine driven over a [`Transport`] with the real clock and real sleeps, one
//! typed method per operation.
//!
//! ```no_run
//! use onefinops_core::client::{Client, Config, Environment, OAuthClient};
//! let config = Config::new(Environment::local("http://127.0.0.1:8080"))
//!     .with_client(OAuthClient::new("ofin_test_quickstart", "sandbox-secret"));
//! let client = Client::new(config).unwrap();
//! let created = client.create_einvoice(std::fs::read("invoice.json").unwrap()).unwrap();
//! println!("{} {:?}", created.id, created.irn);
//! ```
//!
//! A `Client` is `Send + Sync`: share it (an `Arc`) between threads; the token and DUPIRN caches
//! are shared, each call runs on its caller's thread. Every method returns [`Reply`] (the value and
//! the [`CallMeta`]: attempts, idempotency key, rate limit, duplicate flag) or [`CallError`] (the
//! [`Error`] and the same meta).

use std::fmt;
use std::ops::Deref;
use std::sync::RwLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::config::Config;
use super::engine::{Call, CallMeta, CallOptions, Engine, Response, Step};
use super::operation::{
    BulkResult, EInvoiceObject, EInvoiceStatusObject, EwayBillObject, GspCredentialList, Operation,
};
use super::signature::{self, QrPayload, SignatureError, VerificationKeys};
use super::transport::Transport;
use super::webhook::{self, WebhookError, WebhookEvent};
use crate::calendar::{ist, Timestamp};
use crate::credentials::{CreateGspCredential, GspCredential, Portal, RotateGspCredential};
use crate::einvoice::cancel::EInvoiceCancelReason;
use crate::einvoice::dupirn::{parse_generate_outcome, GenerateOutcome};
use crate::einvoice::Irn;
use crate::error::Error;
use crate::ewaybill::{
    CancelEWayBill, EwbByIrn, ExtendValidity, PartBUpdate, RejectEWayBill, UpdateTransporter,
};

/// A successful call's value and what is known about the call.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply<T> {
    /// The value.
    pub value: T,
    /// Attempts, idempotency key, rate limit, duplicate flag, ...
    pub meta: CallMeta,
}

impl<T> Deref for Reply<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// A failed call's error and what is known about the call.
#[derive(Debug, Clone, PartialEq)]
pub struct CallError {
    /// The error, with its stable code.
    pub error: Error,
    /// Attempts, idempotency key, rate limit, ... (boxed: errors travel by value).
    pub meta: Box<CallMeta>,
}

impl Deref for CallError {
    type Target = Error;
    fn deref(&self) -> &Error {
        &self.error
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed: {} [{}]",
            self.meta.operation,
            self.error,
            self.error.code()
        )?;
        if let Some(id) = self.error.request_id().or(self.meta.request_id.as_deref()) {
            write!(f, " (request {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for CallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// The blocking client.
pub struct Client {
    engine: Engine,
    transport: Box<dyn Transport>,
    epoch: Instant,
    keys: RwLock<VerificationKeys>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("engine", &self.engine)
            .finish_non_exhaustive()
    }
}

/// A seed for the engine's jitter and random keys from the system clock, the process id and a
/// stack address, for clients that are not under test (tests pass a fixed seed).
#[cfg(not(target_arch = "wasm32"))]
pub fn seed_from_clock() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    // Mix in the address of a stack value so two clients made in the same nanosecond differ.
    let here = &nanos as *const u128 as usize as u64;
    (nanos as u64) ^ here.rotate_left(32) ^ u64::from(std::process::id())
}

/// Now, in IST, from the system clock.
pub fn wall_clock_now() -> Timestamp {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
    chrono::DateTime::from_timestamp(secs, d.subsec_nanos())
        .unwrap_or_default()
        .with_timezone(&ist())
}

impl Client {
    /// A client over the default transport (ureq, rustls).
    #[cfg(all(feature = "http", not(target_arch = "wasm32")))]
    pub fn new(config: Config) -> Result<Client, Error> {
        Client::with_transport(
            config,
            super::transport::UreqTransport::new(),
            seed_from_clock(),
        )
    }

    /// A client over `transport`, its jitter seeded with `seed`.
    pub fn with_transport(
        config: Config,
        transport: impl Transport + 'static,
        seed: u64,
    ) -> Result<Client, Error> {
        let keys = config.verification_keys.clone();
        Ok(Client {
            engine: Engine::new(config, seed)?,
            transport: Box::new(transport),
            epoch: Instant::now(),
            keys: RwLock::new(keys),
        })
    }

    /// The engine (its configuration and caches).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Engine time now, in ms.
    pub fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// The engine time `after` from now, for [`CallOptions::deadline_ms`].
    pub fn deadline_in(&self, after: Duration) -> u64 {
        self.now_ms()
            .saturating_add(u64::try_from(after.as_millis()).unwrap_or(u64::MAX))
    }

    /// Runs one call to the end.
    pub fn call(&self, op: Operation, mut options: CallOptions) -> Result<Response, CallError> {
        if options.today.is_none() {
            options.today = Some(wall_clock_now());
        }
        let mut call = self.engine.begin(op, options);
        self.drive(&mut call)
    }

    /// Runs a call begun elsewhere (e.g. with custom options) to the end.
    pub fn drive(&self, call: &mut Call) -> Result<Response, CallError> {
        loop {
            match call.next(self.now_ms()) {
                Step::Send(request) => match self.transport.send(&request) {
                    Ok(response) => call.feed_response(response),
                    Err(e) => call.feed_transport_error(e),
                },
                Step::Sleep { until_ms } => {
                    let now = self.now_ms();
                    if until_ms > now {
                        std::thread::sleep(Duration::from_millis(until_ms - now));
                    }
                }
                Step::Done(response) => return Ok(response),
                Step::Failed(error) => {
                    return Err(CallError {
                        error,
                        meta: Box::new(call.meta().clone()),
                    })
                }
            }
        }
    }

    /// Runs a call and reads its answer as `T`.
    pub fn call_as<T: serde::de::DeserializeOwned>(
        &self,
        op: Operation,
        options: CallOptions,
    ) -> Result<Reply<T>, CallError> {
        let r = self.call(op, options)?;
        match r.parse::<T>() {
            Ok(value) => Ok(Reply {
                value,
                meta: r.meta,
            }),
            Err(error) => Err(CallError {
                error,
                meta: Box::new(r.meta),
            }),
        }
    }

    /// Mints a token for the OAuth client acting for `gstin` (or the only client) now, and
    /// caches it for the calls that follow; returns its lifetime in seconds. Calls do this on
    /// their own when needed; this is for warming up, or for checking credentials at start-up.
    pub fn authenticate(&self, gstin: Option<&str>) -> Result<u64, CallError> {
        let meta = CallMeta {
            operation: "oauth.token",
            ..CallMeta::default()
        };
        let fail = |error: Error, meta: &CallMeta| CallError {
            error,
            meta: Box::new(meta.clone()),
        };
        let config = self.engine.config();
        let client = config.client_for(gstin).map_err(|e| fail(e, &meta))?;
        let mut meta = CallMeta {
            client_id: Some(client.client_id.clone()),
            token_requests: 1,
            ..meta
        };
        let now = self.now_ms();
        let response = self
            .transport
            .send(&super::auth::token_request(config, client))
            .map_err(|e| {
                fail(
                    Error::Transport {
                        message: e.message,
                        request_id: None,
                    },
                    &meta,
                )
            })?;
        meta.request_id = response.header("x-request-id").map(str::to_owned);
        if !(200..300).contains(&response.status) {
            let e = Error::from_response(
                response.status,
                response.header("retry-after"),
                &response.body,
            );
            return Err(fail(e, &meta));
        }
        let (token, expires_in) =
            super::auth::parse_token_response(&response.body).map_err(|e| fail(e, &meta))?;
        self.engine
            .cache_token(&client.client_id, token, expires_in, now);
        Ok(expires_in)
    }

    // ----- e-invoices -----

    /// `POST /v1/einvoices` (canonical or flat JSON), following a queued record to the end.
    pub fn create_einvoice(
        &self,
        body: impl Into<Vec<u8>>,
    ) -> Result<Reply<EInvoiceObject>, CallError> {
        self.create_einvoice_with(body, CallOptions::default())
    }

    /// [`Client::create_einvoice`] with options.
    pub fn create_einvoice_with(
        &self,
        body: impl Into<Vec<u8>>,
        options: CallOptions,
    ) -> Result<Reply<EInvoiceObject>, CallError> {
        self.call_as(Operation::CreateEInvoice { body: body.into() }, options)
    }

    /// `POST /v1/einvoices/generate` (the NIC-style reply, read in either shape).
    pub fn generate_einvoice(
        &self,
        body: impl Into<Vec<u8>>,
        gstin: Option<&str>,
    ) -> Result<Reply<GenerateOutcome>, CallError> {
        let r = self.call(
            Operation::GenerateEInvoice {
                body: body.into(),
                gstin: gstin.map(str::to_owned),
            },
            CallOptions::default(),
        )?;
        match parse_generate_outcome(&r.body) {
            Ok(value) => Ok(Reply {
                value,
                meta: r.meta,
            }),
            Err(e) => Err(CallError {
                error: e.into(),
                meta: Box::new(r.meta),
            }),
        }
    }

    /// `GET /v1/einvoices/{id}`.
    pub fn get_einvoice(&self, id: &str) -> Result<Reply<EInvoiceObject>, CallError> {
        self.call_as(
            Operation::GetEInvoice { id: id.into() },
            CallOptions::default(),
        )
    }

    /// `GET /v1/einvoices/{id}/status`.
    pub fn einvoice_status(&self, id: &str) -> Result<Reply<EInvoiceStatusObject>, CallError> {
        self.call_as(
            Operation::EInvoiceStatus { id: id.into() },
            CallOptions::default(),
        )
    }

    /// `GET /v1/einvoices/irn?irn=`.
    pub fn get_einvoice_by_irn(&self, irn: &Irn) -> Result<Reply<EInvoiceObject>, CallError> {
        self.call_as(
            Operation::GetEInvoiceByIrn { irn: irn.clone() },
            CallOptions::default(),
        )
    }

    /// `POST /v1/einvoices/{id}/cancel`.
    pub fn cancel_einvoice(
        &self,
        id: &str,
        reason: EInvoiceCancelReason,
        remarks: &str,
    ) -> Result<Reply<EInvoiceObject>, CallError> {
        self.call_as(
            Operation::CancelEInvoice {
                id: id.into(),
                reason,
                remarks: remarks.into(),
            },
            CallOptions::default(),
        )
    }

    /// `POST /v1/einvoices/bulk`.
    pub fn bulk_einvoices(&self, invoices: Vec<Value>) -> Result<Reply<BulkResult>, CallError> {
        self.call_as(
            Operation::BulkEInvoices { invoices },
            CallOptions::default(),
        )
    }

    /// `POST /v1/einvoices/qrimage`: the PNG, rendered by the API ([`super::qr`] does it locally).
    pub fn qr_image(&self, signed_qr_code: &str) -> Result<Reply<Vec<u8>>, CallError> {
        let r = self.call(
            Operation::QrImage {
                signed_qr_code: signed_qr_code.into(),
                module_size: None,
            },
            CallOptions::default(),
        )?;
        Ok(Reply {
            value: r.body,
            meta: r.meta,
        })
    }

    // ----- e-way bills -----

    /// `POST /v1/ewaybills` (canonical or NIC JSON).
    pub fn generate_ewaybill(
        &self,
        body: impl Into<Vec<u8>>,
        gstin: Option<&str>,
    ) -> Result<Reply<EwayBillObject>, CallError> {
        self.call_as(
            Operation::GenerateEwayBill {
                body: body.into(),
                gstin: gstin.map(str::to_owned),
            },
            CallOptions::default(),
        )
    }

    /// `POST /v1/ewaybills` for an e-invoice. `gstin`: the seller, which chooses the OAuth client
    /// when several are configured.
    pub fn generate_ewaybill_by_irn(
        &self,
        request: EwbByIrn,
        gstin: Option<&str>,
    ) -> Result<Reply<EwayBillObject>, CallError> {
        self.call_as(
            Operation::GenerateEwayBillByIrn {
                request,
                gstin: gstin.map(str::to_owned),
            },
            CallOptions::default(),
        )
    }

    /// `GET /v1/ewaybills/{ewbNo}`.
    pub fn get_ewaybill(&self, ewb_no: u64) -> Result<Reply<EwayBillObject>, CallError> {
        self.call_as(Operation::GetEwayBill { ewb_no }, CallOptions::default())
    }

    /// `POST /v1/ewaybills/{ewbNo}/part-b`.
    pub fn update_part_b(
        &self,
        request: PartBUpdate,
        gstin: Option<&str>,
    ) -> Result<Reply<EwayBillObject>, CallError> {
        let gstin = gstin.map(str::to_owned);
        self.call_as(
            Operation::UpdatePartB { request, gstin },
            CallOptions::default(),
        )
    }

    /// `POST /v1/ewaybills/{ewbNo}/extend`.
    pub fn extend_ewaybill(
        &self,
        request: ExtendValidity,
        gstin: Option<&str>,
    ) -> Result<Reply<EwayBillObject>, CallError> {
        let gstin = gstin.map(str::to_owned);
        self.call_as(
            Operation::ExtendEwayBill { request, gstin },
            CallOptions::default(),
        )
    }

    /// `POST /v1/ewaybills/{ewbNo}/cancel`.
    pub fn cancel_ewaybill(
        &self,
        request: CancelEWayBill,
        gstin: Option<&str>,
    ) -> Result<Reply<EwayBillObject>, CallError> {
        let gstin = gstin.map(str::to_owned);
        self.call_as(
            Operation::CancelEwayBill { request, gstin },
            CallOptions::default(),
        )
    }

    /// `POST /v1/ewaybills/{ewbNo}/reject`.
    pub fn reject_ewaybill(
        &self,
        request: RejectEWayBill,
        gstin: Option<&str>,
    ) -> Result<Reply<EwayBillObject>, CallError> {
        let gstin = gstin.map(str::to_owned);
        self.call_as(
            Operation::RejectEwayBill { request, gstin },
            CallOptions::default(),
        )
    }

    /// `POST /v1/ewaybills/{ewbNo}/transporter`.
    pub fn update_transporter(
        &self,
        request: UpdateTransporter,
        gstin: Option<&str>,
    ) -> Result<Reply<EwayBillObject>, CallError> {
        let gstin = gstin.map(str::to_owned);
        self.call_as(
            Operation::UpdateTransporter { request, gstin },
            CallOptions::default(),
        )
    }

    // ----- GSP credentials -----

    /// `POST /v1/gsp-credentials`.
    pub fn create_gsp_credential(
        &self,
        request: CreateGspCredential,
    ) -> Result<Reply<GspCredential>, CallError> {
        self.call_as(
            Operation::CreateGspCredential(request),
            CallOptions::default(),
        )
    }

    /// `GET /v1/gsp-credentials/{id}`.
    pub fn get_gsp_credential(&self, id: &str) -> Result<Reply<GspCredential>, CallError> {
        self.call_as(
            Operation::GetGspCredential { id: id.into() },
            CallOptions::default(),
        )
    }

    /// `GET /v1/gsp-credentials[?gstin=&portal=]`.
    pub fn list_gsp_credentials(
        &self,
        gstin: Option<&str>,
        portal: Option<Portal>,
    ) -> Result<Reply<GspCredentialList>, CallError> {
        self.call_as(
            Operation::ListGspCredentials {
                gstin: gstin.map(str::to_owned),
                portal,
            },
            CallOptions::default(),
        )
    }

    /// `POST /v1/gsp-credentials/{id}/verify`.
    pub fn verify_gsp_credential(&self, id: &str) -> Result<Reply<GspCredential>, CallError> {
        self.call_as(
            Operation::VerifyGspCredential { id: id.into() },
            CallOptions::default(),
        )
    }

    /// `POST /v1/gsp-credentials/{id}/rotate`.
    pub fn rotate_gsp_credential(
        &self,
        id: &str,
        request: RotateGspCredential,
    ) -> Result<Reply<GspCredential>, CallError> {
        self.call_as(
            Operation::RotateGspCredential {
                id: id.into(),
                request,
            },
            CallOptions::default(),
        )
    }

    /// `DELETE /v1/gsp-credentials/{id}/keys/{keyId}`.
    pub fn revoke_gsp_credential_key(
        &self,
        id: &str,
        key_id: &str,
    ) -> Result<Reply<Value>, CallError> {
        self.call_as(
            Operation::RevokeGspCredentialKey {
                id: id.into(),
                key_id: key_id.into(),
            },
            CallOptions::default(),
        )
    }

    /// `DELETE /v1/gsp-credentials/{id}`.
    pub fn delete_gsp_credential(&self, id: &str) -> Result<Reply<Value>, CallError> {
        self.call_as(
            Operation::DeleteGspCredential { id: id.into() },
            CallOptions::default(),
        )
    }

    // ----- signatures and webhooks -----

    /// Fetches `/.well-known/jwks.json` and adds its keys to the client's verification keys;
    /// returns how many keys the set had.
    pub fn load_jwks(&self) -> Result<usize, CallError> {
        let r = self.call(Operation::FetchJwks, CallOptions::default())?;
        let mut keys = self.keys.write().unwrap_or_else(|p| p.into_inner());
        keys.add_jwks(&r.body).map_err(|e| CallError {
            error: e.into(),
            meta: Box::new(r.meta.clone()),
        })
    }

    /// The verification keys in use.
    pub fn verification_keys(&self) -> VerificationKeys {
        self.keys.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Verifies a `signedInvoice` and returns the signed invoice.
    pub fn verify_signed_invoice(&self, jws: &str) -> Result<Value, SignatureError> {
        signature::verify_signed_invoice(jws, &self.keys.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Verifies a `signedQrCode` and decodes its payload.
    pub fn verify_signed_qr_code(&self, jws: &str) -> Result<QrPayload, SignatureError> {
        signature::verify_signed_qr_code(jws, &self.keys.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Verifies a webhook delivery with the configured secret and tolerance, against the system
    /// clock. A missing secret is a signature mismatch: nothing can be trusted without it.
    pub fn verify_webhook(
        &self,
        signature_header: &str,
        body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        let config = self.engine.config();
        let Some(secret) = &config.webhook_secret else {
            return Err(WebhookError::SignatureMismatch);
        };
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        webhook::verify_event(
            secret,
            signature_header,
            body,
            now,
            config.webhook_tolerance.as_secs(),
        )
    }
}
