//! The client handle: `ofn_client_new` / `ofn_client_call` / `ofn_client_free`, and the
//! transport vtable for hosts that carry the requests themselves.
//!
//! One `ofn_client` may be used from any number of threads at once: its token cache, DUPIRN
//! cache and transport are shared and locked inside; each call runs on the thread that made it.

#![allow(non_camel_case_types)]

use std::ffi::c_void;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::boundary::{bytes, out_ptr, run, text, write_json, Failure};
use crate::buf::ofn_buf;
use crate::status::ofn_status;
use onefinops_core::client::blocking::seed_from_clock;
use onefinops_core::client::transport::{
    HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind, UreqTransport,
};
use onefinops_core::client::{Client, Engine};
use onefinops_core::json_api::client::{
    call_error_json, config_from_json, http_request_json, http_response, operation_from_json,
    response_json, transport_error, OPERATION_NAMES,
};

/// A client of the OneFinOps API: configuration, OAuth tokens, caches and a transport. Opaque.
/// Safe to share between threads.
pub struct ofn_client {
    pub(crate) client: Client,
    transport: Arc<SwitchableTransport>,
}

impl ofn_client {
    /// The engine, for sans-IO calls.
    pub(crate) fn engine(&self) -> &Engine {
        self.client.engine()
    }
}

/// The transport in use, swappable while calls run: each request takes the transport current
/// when it is sent.
struct SwitchableTransport {
    current: RwLock<Arc<dyn Transport>>,
}

impl Transport for SwitchableTransport {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let transport = self
            .current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        transport.send(request)
    }
}

/// A host's HTTP stack, as three members. The library copies the struct; `ctx` is handed back
/// to `send` and `destroy` as is.
///
/// `send` gets the request as JSON (`{"method", "url", "headers": {name: value}, "body"?,
/// "bodyBase64"?, "timeoutMs", "connectTimeoutMs"}`) and must, before it returns, call exactly
/// one of `ofn_exchange_respond` (with the answer, whatever its HTTP status) or
/// `ofn_exchange_fail` (no answer: connection refused, timeout, ...) on `exchange`. `exchange`
/// and the request bytes are valid only during `send`. `send` may be called from several threads
/// at once (the client is shared), so `ctx` must allow that. It must not unwind (no C++
/// exception may leave it).
///
/// `destroy` (may be NULL) is called once, when no call uses the transport any more: after
/// `ofn_client_free`, or after another `ofn_client_set_transport`, once the calls in flight
/// are done.
#[repr(C)]
pub struct ofn_transport {
    /// The host's state, passed back to `send` and `destroy`.
    pub ctx: *mut c_void,
    /// Carries one request (must not be NULL).
    pub send: Option<
        unsafe extern "C" fn(
            ctx: *mut c_void,
            request: *const u8,
            request_len: usize,
            exchange: *mut ofn_exchange,
        ),
    >,
    /// Releases `ctx` (may be NULL).
    pub destroy: Option<unsafe extern "C" fn(ctx: *mut c_void)>,
}

/// One request in flight through an `ofn_transport`: where `send` puts the answer. Opaque.
pub struct ofn_exchange {
    answer: Option<Result<HttpResponse, TransportError>>,
}

/// The host's vtable, as a [`Transport`].
struct HostTransport {
    ctx: *mut c_void,
    send: unsafe extern "C" fn(*mut c_void, *const u8, usize, *mut ofn_exchange),
    destroy: Option<unsafe extern "C" fn(*mut c_void)>,
}

// SAFETY: the host promises (ofn_transport's docs) that `ctx` may be used from any thread, and
// `send` from several at once.
unsafe impl Send for HostTransport {}
// SAFETY: as above.
unsafe impl Sync for HostTransport {}

impl Transport for HostTransport {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let json = http_request_json(request).to_string();
        let mut exchange = ofn_exchange { answer: None };
        // SAFETY: the host's function, with its own ctx, a request valid for the call and an
        // exchange that outlives it.
        unsafe { (self.send)(self.ctx, json.as_ptr(), json.len(), &mut exchange) };
        exchange.answer.unwrap_or_else(|| {
            Err(TransportError::new(
                TransportErrorKind::Other,
                "the host transport returned without ofn_exchange_respond or ofn_exchange_fail",
            ))
        })
    }
}

impl Drop for HostTransport {
    fn drop(&mut self) {
        if let Some(destroy) = self.destroy {
            // SAFETY: called once, when the last user of the transport is gone.
            unsafe { destroy(self.ctx) };
        }
    }
}

/// Creates a client from its configuration (JSON):
///
/// `{"environment": "sandbox" | "production" | "local", "baseUrl"?, "tokenUrl"?, "clients":
/// [{"clientId", "clientSecret", "gstins"?: [...]}], "timeouts"?: {"connectMs", "requestMs"},
/// "retry"?: {"maxRetries", "baseDelayMs", "maxDelayMs", "retryAfterCapMs"}, "poll"?:
/// {"enabled", "initialIntervalMs", "maxIntervalMs", "defaultDeadlineMs"}, "tokenSkewMs"?,
/// "verificationKeys"?: {"jwks"?, "pem"?}, "webhookSecret"?, "webhookToleranceSecs"?,
/// "prevalidate"?, "validation"?: {...}, "dupirnCacheCapacity"?, "userAgent"?}`
///
/// `local` is a local sandbox at `baseUrl` (`http://127.0.0.1:8790`). `ofin_test_*` client ids
/// are refused in production and `ofin_live_*` in a sandbox; plain HTTP only on loopback; TLS is
/// always verified. Requests go through the built-in HTTP stack until
/// `ofn_client_set_transport`. Writes the handle to `*out`; free it with `ofn_client_free`.
///
/// # Safety
///
/// `config` is NULL with length 0 or `config_len` readable bytes; `out` points to a writable
/// `ofn_client *`; `err_out` is NULL or points to a writable `ofn_buf`.
#[no_mangle]
pub unsafe extern "C" fn ofn_client_new(
    config: *const u8,
    config_len: usize,
    out: *mut *mut ofn_client,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(err_out, || {
            out_ptr(out, "out")?;
            let config = text(config, config_len, "config")?;
            let config = config_from_json(config.as_bytes())?;
            let transport = Arc::new(SwitchableTransport {
                current: RwLock::new(Arc::new(UreqTransport::new())),
            });
            let client = Client::with_transport(config, transport.clone(), seed_from_clock())?;
            let handle = Box::new(ofn_client { client, transport });
            out.write(Box::into_raw(handle));
            Ok(())
        })
    }
}

/// Frees a client. NULL is a no-op. Calls still running on other threads must have returned
/// first; sans-IO calls begun on the client keep what they need and may outlive it.
///
/// # Safety
///
/// `client` is NULL or a handle from `ofn_client_new` not yet freed, used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn ofn_client_free(client: *mut ofn_client) {
    if client.is_null() {
        return;
    }
    // A destroy callback of the host transport runs here; a panic inside Drop must not cross.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: the caller's promise: a live handle from ofn_client_new.
        drop(unsafe { Box::from_raw(client) });
    }));
}

/// Replaces the client's transport with the host's `{ctx, send, destroy}` (copied), or with the
/// built-in HTTP stack when `transport` is NULL. Calls already running finish on the transport
/// they have; the old host transport's `destroy` runs when they are done.
///
/// # Safety
///
/// `client` is a live handle; `transport` is NULL or points to an `ofn_transport` whose `send`
/// and `destroy` keep the promises of its docs; `err_out` is NULL or a writable `ofn_buf`.
#[no_mangle]
pub unsafe extern "C" fn ofn_client_set_transport(
    client: *mut ofn_client,
    transport: *const ofn_transport,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(err_out, || {
            let client = client.as_ref().ok_or_else(|| Failure::null("client"))?;
            let next: Arc<dyn Transport> = match transport.as_ref() {
                None => Arc::new(UreqTransport::new()),
                Some(t) => {
                    let send = t.send.ok_or_else(|| Failure::null("transport->send"))?;
                    Arc::new(HostTransport {
                        ctx: t.ctx,
                        send,
                        destroy: t.destroy,
                    })
                }
            };
            let previous = std::mem::replace(
                &mut *client
                    .transport
                    .current
                    .write()
                    .unwrap_or_else(|p| p.into_inner()),
                next,
            );
            drop(previous);
            Ok(())
        })
    }
}

/// Answers the request of an `ofn_transport` `send`: the HTTP status (100-599), the headers as
/// JSON (`{name: value}` or `[[name, value], ...]`; may be empty) and the raw body.
///
/// # Safety
///
/// `exchange` is the one passed to the running `send`; each `(pointer, length)` pair is NULL
/// with length 0 or readable bytes.
#[no_mangle]
pub unsafe extern "C" fn ofn_exchange_respond(
    exchange: *mut ofn_exchange,
    status: u16,
    headers: *const u8,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(std::ptr::null_mut(), || {
            let exchange = exchange.as_mut().ok_or_else(|| Failure::null("exchange"))?;
            let headers = text(headers, headers_len, "headers")?;
            let body = bytes(body, body_len, "body")?;
            exchange.answer = Some(Ok(http_response(status, headers.as_bytes(), body)?));
            Ok(())
        })
    }
}

/// Reports that the request of an `ofn_transport` `send` got no answer. `kind`:
/// `OFN_TRANSPORT_CONNECT` (nothing was sent), `OFN_TRANSPORT_TIMEOUT`,
/// `OFN_TRANSPORT_INTERRUPTED` (sent, answer lost), `OFN_TRANSPORT_TLS`,
/// `OFN_TRANSPORT_INVALID_REQUEST`, `OFN_TRANSPORT_OTHER`. The first three are retried with the
/// same idempotency key.
///
/// # Safety
///
/// As `ofn_exchange_respond`.
#[no_mangle]
pub unsafe extern "C" fn ofn_exchange_fail(
    exchange: *mut ofn_exchange,
    kind: u32,
    message: *const u8,
    message_len: usize,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(std::ptr::null_mut(), || {
            let exchange = exchange.as_mut().ok_or_else(|| Failure::null("exchange"))?;
            let message = text(message, message_len, "message")?;
            exchange.answer = Some(Err(transport_error(kind, message)?));
            Ok(())
        })
    }
}

/// The kinds of `ofn_exchange_fail` and `ofn_call_feed_error`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ofn_transport_error {
    /// The connection could not be opened (refused, unreachable, DNS); nothing was sent.
    OFN_TRANSPORT_CONNECT = 1,
    /// No complete answer in time; the request may have been processed.
    OFN_TRANSPORT_TIMEOUT = 2,
    /// The connection broke after the request was sent; it may have been processed.
    OFN_TRANSPORT_INTERRUPTED = 3,
    /// TLS failed (certificate, handshake); retrying will not help.
    OFN_TRANSPORT_TLS = 4,
    /// The request could not be sent at all (bad URL).
    OFN_TRANSPORT_INVALID_REQUEST = 5,
    /// Anything else.
    OFN_TRANSPORT_OTHER = 6,
}

/// Checks an operation name before anything else, so that a typo has its own status.
pub(crate) fn operation_name(name: &str) -> Result<(), Failure> {
    if OPERATION_NAMES.contains(&name) {
        Ok(())
    } else {
        Err(Failure::new(
            ofn_status::OFN_E_UNKNOWN_OPERATION,
            "invalid_argument",
            format!(
                "unknown operation `{name}`: expected one of {}",
                OPERATION_NAMES.join(", ")
            ),
        ))
    }
}

/// Runs one operation of the /v1 surface to its end (blocking): prevalidation, token,
/// idempotency key, retries with jittered backoff, polling of a queued create, the DUPIRN cache.
///
/// `operation` is a name (`einvoice.create`, `einvoice.get`, `einvoice.cancel`,
/// `ewaybill.generate`, `ewaybill.extend`, `gsp_credentials.create`, ... `jwks`); `request` is a
/// JSON object of its members (`{"document": {...}}`, `{"id": "einv_..."}`, `{"id", "reason",
/// "remarks"}`, ...) plus `"options"?: {"gstin", "timeoutMs", "prevalidate", "idempotencyKey",
/// "headers", "today", "poll"}`. Writes `{"status", "body" | "bodyBase64", "meta": {"attempts",
/// "retries", "idempotencyKey", "requestId", "duplicate", "rateLimit", "warnings", ...}}`.
///
/// Fails with the status of the error (`OFN_E_VALIDATION` before any request for a document
/// that fails validation, `OFN_E_UPSTREAM_FAILURE` with NIC's code, `OFN_E_TIMEOUT`, ...) and
/// writes the envelope, with `meta` beside `error`, to `err_out`. Safe to call from several
/// threads at once on one client.
///
/// # Safety
///
/// `client` is a live handle; each `(pointer, length)` pair is NULL with length 0 or readable
/// bytes; `out` points to a writable `ofn_buf`; `err_out` is NULL or a writable `ofn_buf`.
#[no_mangle]
pub unsafe extern "C" fn ofn_client_call(
    client: *const ofn_client,
    operation: *const u8,
    operation_len: usize,
    request: *const u8,
    request_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(err_out, || {
            let client = client.as_ref().ok_or_else(|| Failure::null("client"))?;
            out_ptr(out, "out")?;
            let name = text(operation, operation_len, "operation")?;
            operation_name(name)?;
            let request = text(request, request_len, "request")?;
            let r = operation_from_json(name, request.as_bytes())?;
            let mut options = r.options;
            if let Some(t) = r.timeout_ms {
                options.deadline_ms = Some(client.client.deadline_in(Duration::from_millis(t)));
            }
            match client.client.call(r.operation, options) {
                Ok(response) => {
                    write_json(out, &response_json(&response));
                    Ok(())
                }
                Err(e) => Err(Failure {
                    status: ofn_status::of(&e.error),
                    envelope: call_error_json(&e.error, &e.meta),
                }),
            }
        })
    }
}
