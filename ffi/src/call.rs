//! The sans-IO engine over the ABI: the host runs the loop with its own HTTP stack and clock,
//! and no callback crosses the boundary.
//!
//! ```c
//! ofn_call *call;
//! ofn_call_begin(client, "einvoice.create", 15, req, req_len, now_ms(), &call, &err);
//! for (;;) {
//!     ofn_buf action;
//!     ofn_call_next(call, now_ms(), &action, &err);
//!     // {"action": "send", "request": {...}} -> do it, then ofn_call_feed_response or
//!     //                                         ofn_call_feed_error
//!     // {"action": "sleep", "untilMs": t}    -> sleep until now_ms() >= t
//!     // {"action": "done"} / {"action": "failed"} -> ofn_call_result, then stop
//!     ofn_buf_free(&action);
//! }
//! ofn_call_free(call);
//! ```
//!
//! `now_ms` is a monotonic clock in milliseconds; any epoch, the same for every call on one
//! client (cached token lifetimes are kept in it).

#![allow(non_camel_case_types)]

use onefinops_core::client::blocking::wall_clock_now;
use onefinops_core::client::engine::{Call, Step};
use onefinops_core::json_api::client::{
    call_error_json, http_response, operation_from_json, response_json, step_json, transport_error,
};

use crate::boundary::{bytes, out_ptr, run, text, write_json, Failure};
use crate::buf::ofn_buf;
use crate::client::{ofn_client, operation_name};
use crate::status::ofn_status;

/// One call of the sans-IO engine. Opaque. Use it from one thread at a time (it may move
/// between threads); it keeps what it needs of its client and may outlive it.
pub struct ofn_call {
    call: Call,
    /// `next` asked the host to send a request whose answer has not been fed back.
    awaiting: bool,
    /// The end, once `next` said `done` or `failed`.
    end: Option<Step>,
}

/// Begins a call of `operation` with `request` (as for `ofn_client_call`) at engine time
/// `now_ms`. Nothing is sent: prevalidation, the choice of OAuth client and the idempotency key
/// happen here, and a document that fails validation makes the first `ofn_call_next` say
/// `failed`. The date rules of prevalidation use `options.today` of the request, or the system
/// clock. Writes the handle to `*out`; free it with `ofn_call_free`.
///
/// # Safety
///
/// `client` is a live handle; each `(pointer, length)` pair is NULL with length 0 or readable
/// bytes; `out` points to a writable `ofn_call *`; `err_out` is NULL or a writable `ofn_buf`.
#[no_mangle]
pub unsafe extern "C" fn ofn_call_begin(
    client: *const ofn_client,
    operation: *const u8,
    operation_len: usize,
    request: *const u8,
    request_len: usize,
    now_ms: u64,
    out: *mut *mut ofn_call,
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
                options.deadline_ms = Some(now_ms.saturating_add(t));
            }
            if options.today.is_none() {
                options.today = Some(wall_clock_now());
            }
            let call = client.engine().begin(r.operation, options);
            out.write(Box::into_raw(Box::new(ofn_call {
                call,
                awaiting: false,
                end: None,
            })));
            Ok(())
        })
    }
}

/// What the host should do next, at engine time `now_ms`: writes `{"action": "send", "request":
/// {"method", "url", "headers", "body"?, "timeoutMs", "connectTimeoutMs"}}`, `{"action":
/// "sleep", "untilMs"}`, `{"action": "done"}` or `{"action": "failed"}` to `action_out`. After
/// `send`, feed the answer back before calling this again (else `OFN_E_CALL_STATE`).
///
/// # Safety
///
/// `call` is a live handle used by no other thread; `action_out` points to a writable
/// `ofn_buf`; `err_out` is NULL or a writable `ofn_buf`.
#[no_mangle]
pub unsafe extern "C" fn ofn_call_next(
    call: *mut ofn_call,
    now_ms: u64,
    action_out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(err_out, || {
            let call = call.as_mut().ok_or_else(|| Failure::null("call"))?;
            out_ptr(action_out, "action_out")?;
            if call.awaiting {
                return Err(Failure::call_state(
                    "the last request's answer was not fed back: call ofn_call_feed_response or ofn_call_feed_error first",
                ));
            }
            if let Some(end) = &call.end {
                write_json(action_out, &step_json(end));
                return Ok(());
            }
            let step = call.call.next(now_ms);
            let action = step_json(&step);
            match step {
                Step::Send(_) => call.awaiting = true,
                Step::Sleep { .. } => {}
                Step::Done(_) | Step::Failed(_) => call.end = Some(step),
            }
            write_json(action_out, &action);
            Ok(())
        })
    }
}

/// Feeds back the answer to the last `send`: the HTTP status (100-599), the headers as JSON
/// (`{name: value}` or `[[name, value], ...]`; may be empty) and the raw body.
///
/// # Safety
///
/// `call` is a live handle used by no other thread; each `(pointer, length)` pair is NULL with
/// length 0 or readable bytes; `err_out` is NULL or a writable `ofn_buf`.
#[no_mangle]
pub unsafe extern "C" fn ofn_call_feed_response(
    call: *mut ofn_call,
    status: u16,
    headers: *const u8,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(err_out, || {
            let call = call.as_mut().ok_or_else(|| Failure::null("call"))?;
            if !call.awaiting {
                return Err(Failure::call_state(
                    "no request is awaiting an answer: ofn_call_next did not say send",
                ));
            }
            let headers = text(headers, headers_len, "headers")?;
            let body = bytes(body, body_len, "body")?;
            let response = http_response(status, headers.as_bytes(), body)?;
            call.awaiting = false;
            call.call.feed_response(response);
            Ok(())
        })
    }
}

/// Feeds back that the last `send` got no answer: `kind` is an `ofn_transport_error`
/// (`OFN_TRANSPORT_CONNECT`, `OFN_TRANSPORT_TIMEOUT`, ...), `message` what the HTTP stack said.
///
/// # Safety
///
/// As `ofn_call_feed_response`.
#[no_mangle]
pub unsafe extern "C" fn ofn_call_feed_error(
    call: *mut ofn_call,
    kind: u32,
    message: *const u8,
    message_len: usize,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(err_out, || {
            let call = call.as_mut().ok_or_else(|| Failure::null("call"))?;
            if !call.awaiting {
                return Err(Failure::call_state(
                    "no request is awaiting an answer: ofn_call_next did not say send",
                ));
            }
            let message = text(message, message_len, "message")?;
            let error = transport_error(kind, message)?;
            call.awaiting = false;
            call.call.feed_transport_error(error);
            Ok(())
        })
    }
}

/// The outcome of a finished call. After `done`: `OFN_OK` and the result (as `ofn_client_call`
/// writes it) in `out`. After `failed`: the error's status and its envelope (with `meta`) in
/// `err_out`. Before either: `OFN_E_CALL_STATE`. May be read more than once.
///
/// # Safety
///
/// `call` is a live handle; `out` points to a writable `ofn_buf`; `err_out` is NULL or a
/// writable `ofn_buf`.
#[no_mangle]
pub unsafe extern "C" fn ofn_call_result(
    call: *const ofn_call,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(err_out, || {
            let call = call.as_ref().ok_or_else(|| Failure::null("call"))?;
            out_ptr(out, "out")?;
            match &call.end {
                Some(Step::Done(response)) => {
                    write_json(out, &response_json(response));
                    Ok(())
                }
                Some(Step::Failed(error)) => Err(Failure {
                    status: ofn_status::of(error),
                    envelope: call_error_json(error, call.call.meta()),
                }),
                _ => Err(Failure::call_state(
                    "the call has not finished: call ofn_call_next until it says done or failed",
                )),
            }
        })
    }
}

/// Frees a call. NULL is a no-op.
///
/// # Safety
///
/// `call` is NULL or a handle from `ofn_call_begin` not yet freed, used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn ofn_call_free(call: *mut ofn_call) {
    if call.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: the caller's promise.
        drop(unsafe { Box::from_raw(call) });
    }));
}
