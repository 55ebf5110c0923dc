//! The error model: one enum, one stable code per variant, the API's error envelope both ways.
//!
//! The codes are the API's (DESIGN.md section 3, seed 003 "Failure paths") and are versioned with
//! the public surface, so callers branch on [`Error::code`], never on a message. NIC's own code,
//! when NIC is the one refusing, travels beside ours in `upstream`, so a new NIC code never needs a
//! new variant here.
//!
//! # The envelope
//!
//! Every non-2xx answer of the /v1 surface carries this body (the sandbox writes it with
//! [`Error::to_envelope`], clients read it with [`Error::from_response`]):
//!
//! ```json
//! {
//!   "error": {
//!     "code": "validation_error",
//!     "message": "Body shape or arithmetic failed validation",
//!     "requestId": "req_01HRXY8N0E5PC6V0Z6P8Q1ABCD",
//!     "details": [
//!       {"path": "/valueDetails/totalInvoiceValue", "code": "arithmetic.total_invoice_value",
//!        "nicCode": "2189", "message": "...", "severity": "error"}
//!     ],
//!     "upstream": {"code": "2150", "message": "Duplicate IRN"},
//!     "retryAfter": 30
//!   }
//! }
//! ```
//!
//! - `code` and `message` are always present; `requestId` when the server assigned one.
//! - `details` only on `validation_error`: the findings, `{path, code, nicCode, message, severity}`.
//! - `upstream` only on `upstream.failure`: NIC's (or the GSP's) code and message, verbatim.
//! - `retryAfter` (seconds) only on `rate_limited`; it mirrors the `Retry-After` header, and the
//!   header wins when both are present.
//!
//! | code | HTTP | retry helps |
//! |---|---|---|
//! | `validation_error` | 422 | no |
//! | `auth.invalid_token` | 401 | no: mint a new token (see [`Error::needs_reauth`]) |
//! | `auth.entitlement_missing` | 403 | no |
//! | `irp_credentials.not_configured` | 400 | no |
//! | `idempotency.conflict` | 409 in progress / 400 payload differs | only while in progress |
//! | `not_found` | 404 | no |
//! | `rate_limited` | 429 | yes, after `Retry-After` |
//! | `upstream.failure` | 502 | only if NIC's code is retryable (2146, 2147, 5001, GSP down) |
//! | `upstream.unavailable` | 503 | yes |
//! | `timeout` | 504 | yes |
//! | `invalid_argument` | 400 | no |
//! | `internal` | 500 | no |
//! | `transport` | none (no answer) | yes |
//!
//! A body that is not an envelope (a proxy's HTML page, an empty 503) is read by its status alone:
//! 401, 403, 404, 409, 422 and 429 as above, other 4xx as `invalid_argument`, a bare 502 or 503
//! as `upstream.unavailable` (a gateway failing says nothing about NIC's verdict, so it is worth
//! a retry), 504 and 408 as `timeout`, anything else as `internal`. An envelope whose `code` this
//! version does not know is read the same way, keeping its message.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::finding::{Finding, Severity};
use crate::nic_code::{self, NicCodeClass};

/// NIC's (or the GSP's) refusal, passed through verbatim in `upstream`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Upstream {
    /// NIC's code, e.g. `"2150"` or `"GSPERR300"`.
    pub code: String,
    /// NIC's message.
    pub message: String,
}

impl Upstream {
    /// An upstream block.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Upstream {
            code: code.into(),
            message: message.into(),
        }
    }

    /// What a client should do about NIC's code.
    pub fn class(&self) -> NicCodeClass {
        nic_code::classify(&self.code)
    }
}

/// Every error of the crate and of the API, one variant per stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// `validation_error` (422): the body's shape or arithmetic failed; `details` says where.
    #[error("validation failed: {message}")]
    Validation {
        /// What failed, for a person.
        message: String,
        /// Every finding, in the order found.
        details: Vec<Finding>,
        /// The server's request id, when known.
        request_id: Option<String>,
    },
    /// `auth.invalid_token` (401): the token is missing, malformed or expired; mint a new one.
    #[error("invalid token: {message}")]
    InvalidToken {
        /// What failed.
        message: String,
        /// The server's request id, when known.
        request_id: Option<String>,
    },
    /// `auth.entitlement_missing` (403): the plan does not include this product.
    #[error("entitlement missing: {message}")]
    EntitlementMissing {
        /// What failed.
        message: String,
        /// The server's request id, when known.
        request_id: Option<String>,
    },
    /// `irp_credentials.not_configured` (400): no IRP credential is stored for the seller GSTIN.
    #[error("IRP credentials not configured: {message}")]
    IrpCredentialsNotConfigured {
        /// What failed.
        message: String,
        /// The server's request id, when known.
        request_id: Option<String>,
    },
    /// `idempotency.conflict`: the idempotency key is in use by a request still in progress (409,
    /// retry later), or was used before with a different payload (400, never retry).
    #[error("idempotency conflict: {message}")]
    IdempotencyConflict {
        /// What failed.
        message: String,
        /// True for 409: the first request with this key is still running.
        in_progress: bool,
        /// The server's request id, when known.
        request_id: Option<String>,
    },
    /// `not_found` (404).
    #[error("not found: {message}")]
    NotFound {
        /// What was not found.
        message: String,
        /// The server's request id, when known.
        request_id: Option<String>,
    },
    /// `rate_limited` (429): wait `retry_after` seconds (the `Retry-After` header) and retry.
    #[error("rate limited: {message}")]
    RateLimited {
        /// What failed.
        message: String,
        /// Seconds to wait, from `Retry-After`, when given.
        retry_after: Option<u64>,
        /// The server's request id, when known.
        request_id: Option<String>,
    },
    /// `upstream.failure` (502): NIC refused for a domain reason; `upstream` has its code.
    #[error("upstream failure: {message}")]
    UpstreamFailure {
        /// What failed, in our words.
        message: String,
        /// NIC's code and message, when NIC gave them.
        upstream: Option<Upstream>,
        /// The server's request id, when known.
        request_id: Option<String>,
    },
    /// `upstream.unavailable` (503): NIC or the GSP could not be reached; retry after backoff.
    #[error("upstream unavailable: {message}")]
    UpstreamUnavailable {
        /// What failed.
        message: String,
        /// The server's request id, when known.
        request_id: Option<String>,
    },
    /// `transport`: no HTTP answer at all (connection refused, reset, TLS). Raised on the client.
    #[error("transport error: {message}")]
    Transport {
        /// What failed.
        message: String,
        /// The server's request id, when known (normally not: there was no answer).
        request_id: Option<String>,
    },
    /// `timeout` (504 when the server says so): no answer in time.
    #[error("timeout: {message}")]
    Timeout {
        /// What timed out.
        message: String,
        /// The server's request id, when known.
        request_id: Option<String>,
    },
    /// `invalid_argument` (400): the caller passed something unusable (not a document rule).
    #[error("invalid argument: {message}")]
    InvalidArgument {
        /// What is wrong.
        message: String,
        /// The server's request id, when known.
        request_id: Option<String>,
    },
    /// `internal` (500): a bug, ours or the server's.
    #[error("internal error: {message}")]
    Internal {
        /// What failed.
        message: String,
        /// The server's request id, when known.
        request_id: Option<String>,
    },
}

/// Every stable code, in the order of the table in the module docs.
pub const CODES: &[&str] = &[
    "validation_error",
    "auth.invalid_token",
    "auth.entitlement_missing",
    "irp_credentials.not_configured",
    "idempotency.conflict",
    "not_found",
    "rate_limited",
    "upstream.failure",
    "upstream.unavailable",
    "timeout",
    "invalid_argument",
    "internal",
    "transport",
];

impl Error {
    /// The stable API code (`"validation_error"`, `"auth.invalid_token"`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "validation_error",
            Error::InvalidToken { .. } => "auth.invalid_token",
            Error::EntitlementMissing { .. } => "auth.entitlement_missing",
            Error::IrpCredentialsNotConfigured { .. } => "irp_credentials.not_configured",
            Error::IdempotencyConflict { .. } => "idempotency.conflict",
            Error::NotFound { .. } => "not_found",
            Error::RateLimited { .. } => "rate_limited",
            Error::UpstreamFailure { .. } => "upstream.failure",
            Error::UpstreamUnavailable { .. } => "upstream.unavailable",
            Error::Transport { .. } => "transport",
            Error::Timeout { .. } => "timeout",
            Error::InvalidArgument { .. } => "invalid_argument",
            Error::Internal { .. } => "internal",
        }
    }

    /// The message, for a person.
    pub fn message(&self) -> &str {
        match self {
            Error::Validation { message, .. }
            | Error::InvalidToken { message, .. }
            | Error::EntitlementMissing { message, .. }
            | Error::IrpCredentialsNotConfigured { message, .. }
            | Error::IdempotencyConflict { message, .. }
            | Error::NotFound { message, .. }
            | Error::RateLimited { message, .. }
            | Error::UpstreamFailure { message, .. }
            | Error::UpstreamUnavailable { message, .. }
            | Error::Transport { message, .. }
            | Error::Timeout { message, .. }
            | Error::InvalidArgument { message, .. }
            | Error::Internal { message, .. } => message,
        }
    }

    /// The server's request id, when known: quote it to support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id_slot().as_deref()
    }

    fn request_id_slot(&self) -> &Option<String> {
        match self {
            Error::Validation { request_id, .. }
            | Error::InvalidToken { request_id, .. }
            | Error::EntitlementMissing { request_id, .. }
            | Error::IrpCredentialsNotConfigured { request_id, .. }
            | Error::IdempotencyConflict { request_id, .. }
            | Error::NotFound { request_id, .. }
            | Error::RateLimited { request_id, .. }
            | Error::UpstreamFailure { request_id, .. }
            | Error::UpstreamUnavailable { request_id, .. }
            | Error::Transport { request_id, .. }
            | Error::Timeout { request_id, .. }
            | Error::InvalidArgument { request_id, .. }
            | Error::Internal { request_id, .. } => request_id,
        }
    }

    fn request_id_slot_mut(&mut self) -> &mut Option<String> {
        match self {
            Error::Validation { request_id, .. }
            | Error::InvalidToken { request_id, .. }
            | Error::EntitlementMissing { request_id, .. }
            | Error::IrpCredentialsNotConfigured { request_id, .. }
            | Error::IdempotencyConflict { request_id, .. }
            | Error::NotFound { request_id, .. }
            | Error::RateLimited { request_id, .. }
            | Error::UpstreamFailure { request_id, .. }
            | Error::UpstreamUnavailable { request_id, .. }
            | Error::Transport { request_id, .. }
            | Error::Timeout { request_id, .. }
            | Error::InvalidArgument { request_id, .. }
            | Error::Internal { request_id, .. } => request_id,
        }
    }

    /// Sets the request id (e.g. from an `X-Request-Id` header when the body had none).
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        *self.request_id_slot_mut() = Some(request_id.into());
        self
    }

    /// Whether sending the same request again (same idempotency key) can succeed.
    ///
    /// Yes for rate limits, unavailability, timeouts, transport failures and an idempotency key
    /// still in progress; for `upstream.failure` only when NIC's code is itself retryable (2146,
    /// 2147, 5001, GSP down). Never for validation, auth, entitlement, credentials, not-found,
    /// invalid arguments, or internal errors (a 500 is a bug; repeating it is load, not recovery).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. }
            | Error::UpstreamUnavailable { .. }
            | Error::Transport { .. }
            | Error::Timeout { .. } => true,
            Error::IdempotencyConflict { in_progress, .. } => *in_progress,
            Error::UpstreamFailure { upstream, .. } => upstream
                .as_ref()
                .is_some_and(|u| u.class() == NicCodeClass::Retryable),
            Error::Validation { .. }
            | Error::InvalidToken { .. }
            | Error::EntitlementMissing { .. }
            | Error::IrpCredentialsNotConfigured { .. }
            | Error::NotFound { .. }
            | Error::InvalidArgument { .. }
            | Error::Internal { .. } => false,
        }
    }

    /// Whether a fresh token may help: `auth.invalid_token`. The call engine refreshes once.
    pub fn needs_reauth(&self) -> bool {
        matches!(self, Error::InvalidToken { .. })
    }

    /// The HTTP status the API answers with; `None` for `transport`, which has no answer.
    pub fn http_status(&self) -> Option<u16> {
        Some(match self {
            Error::Validation { .. } => 422,
            Error::InvalidToken { .. } => 401,
            Error::EntitlementMissing { .. } => 403,
            Error::IrpCredentialsNotConfigured { .. } => 400,
            Error::IdempotencyConflict { in_progress, .. } => {
                if *in_progress {
                    409
                } else {
                    400
                }
            }
            Error::NotFound { .. } => 404,
            Error::RateLimited { .. } => 429,
            Error::UpstreamFailure { .. } => 502,
            Error::UpstreamUnavailable { .. } => 503,
            Error::Timeout { .. } => 504,
            Error::InvalidArgument { .. } => 400,
            Error::Internal { .. } => 500,
            Error::Transport { .. } => return None,
        })
    }

    /// Seconds to wait before retrying, when the server said (`rate_limited`).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The value of the `Retry-After` header to send with this error, if any.
    pub fn retry_after_header(&self) -> Option<String> {
        self.retry_after().map(|s| s.to_string())
    }

    /// The findings of a `validation_error`, empty otherwise.
    pub fn details(&self) -> &[Finding] {
        match self {
            Error::Validation { details, .. } => details,
            _ => &[],
        }
    }

    /// NIC's code and message on an `upstream.failure`.
    pub fn upstream(&self) -> Option<&Upstream> {
        match self {
            Error::UpstreamFailure { upstream, .. } => upstream.as_ref(),
            _ => None,
        }
    }

    /// Builds the variant for a stable `code`, with `message`; `None` for an unknown code.
    /// Variant-specific parts (details, upstream, retry-after) start empty.
    pub fn from_code(code: &str, message: impl Into<String>) -> Option<Error> {
        let message = message.into();
        let request_id = None;
        Some(match code {
            "validation_error" => Error::Validation {
                message,
                details: Vec::new(),
                request_id,
            },
            "auth.invalid_token" => Error::InvalidToken {
                message,
                request_id,
            },
            "auth.entitlement_missing" => Error::EntitlementMissing {
                message,
                request_id,
            },
            "irp_credentials.not_configured" => Error::IrpCredentialsNotConfigured {
                message,
                request_id,
            },
            "idempotency.conflict" => Error::IdempotencyConflict {
                message,
                in_progress: false,
                request_id,
            },
            "not_found" => Error::NotFound {
                message,
                request_id,
            },
            "rate_limited" => Error::RateLimited {
                message,
                retry_after: None,
                request_id,
            },
            "upstream.failure" => Error::UpstreamFailure {
                message,
                upstream: None,
                request_id,
            },
            "upstream.unavailable" => Error::UpstreamUnavailable {
                message,
                request_id,
            },
            "transport" => Error::Transport {
                message,
                request_id,
            },
            "timeout" => Error::Timeout {
                message,
                request_id,
            },
            "invalid_argument" => Error::InvalidArgument {
                message,
                request_id,
            },
            "internal" => Error::Internal {
                message,
                request_id,
            },
            _ => return None,
        })
    }

    /// A `validation_error` carrying `details`.
    pub fn validation(message: impl Into<String>, details: Vec<Finding>) -> Error {
        Error::Validation {
            message: message.into(),
            details,
            request_id: None,
        }
    }

    /// An `upstream.failure` carrying NIC's code and message.
    pub fn upstream_failure(message: impl Into<String>, upstream: Upstream) -> Error {
        Error::UpstreamFailure {
            message: message.into(),
            upstream: Some(upstream),
            request_id: None,
        }
    }

    /// An `invalid_argument`.
    pub fn invalid_argument(message: impl Into<String>) -> Error {
        Error::InvalidArgument {
            message: message.into(),
            request_id: None,
        }
    }

    /// An `internal` error.
    pub fn internal(message: impl Into<String>) -> Error {
        Error::Internal {
            message: message.into(),
            request_id: None,
        }
    }

    /// Reads an API error answer: its HTTP `status`, its `Retry-After` header value (if any) and
    /// its body. Never fails: a body that is not an envelope is read by its status alone, and an
    /// unknown code falls back to the status too, keeping the server's message.
    ///
    /// `Retry-After` is read as delta-seconds, the only form the API sends; an HTTP-date (which
    /// would need the clock) or garbage is ignored in favour of the body's `retryAfter`.
    pub fn from_response(status: u16, retry_after: Option<&str>, body: &[u8]) -> Error {
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        let obj = parsed.as_ref().and_then(envelope_object);
        let text = |name: &str| {
            obj.and_then(|o| o.get(name))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let code = text("code");
        let message = text("message")
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| default_message(code.as_deref(), status));
        let mut error = code
            .as_deref()
            .and_then(|c| Error::from_code(c, message.clone()))
            .unwrap_or_else(|| from_status(status, message));
        if let Some(id) = text("requestId") {
            error = error.with_request_id(id);
        }
        let header_seconds = retry_after.and_then(|h| h.trim().parse::<u64>().ok());
        match &mut error {
            Error::Validation { details, .. } => {
                if let Some(Value::Array(list)) = obj.and_then(|o| o.get("details")) {
                    *details = list.iter().map(read_finding).collect();
                }
            }
            Error::UpstreamFailure { upstream, .. } => {
                *upstream = obj.and_then(|o| o.get("upstream")).and_then(read_upstream);
            }
            Error::RateLimited { retry_after, .. } => {
                *retry_after = header_seconds.or_else(|| {
                    obj.and_then(|o| o.get("retryAfter"))
                        .and_then(|v| code_text(v).parse().ok())
                });
            }
            Error::IdempotencyConflict { in_progress, .. } => *in_progress = status == 409,
            _ => {}
        }
        error
    }

    /// The error envelope of this error (see the module docs).
    pub fn to_envelope(&self) -> Value {
        let mut body = Map::new();
        body.insert("code".into(), json!(self.code()));
        body.insert("message".into(), json!(self.message()));
        if let Some(id) = self.request_id() {
            body.insert("requestId".into(), json!(id));
        }
        match self {
            Error::Validation { details, .. } => {
                body.insert(
                    "details".into(),
                    serde_json::to_value(details).expect("findings serialise"),
                );
            }
            Error::UpstreamFailure {
                upstream: Some(u), ..
            } => {
                body.insert(
                    "upstream".into(),
                    json!({"code": u.code, "message": u.message}),
                );
            }
            Error::RateLimited {
                retry_after: Some(s),
                ..
            } => {
                body.insert("retryAfter".into(), json!(s));
            }
            _ => {}
        }
        json!({ "error": body })
    }

    /// The envelope as JSON text.
    pub fn envelope_json(&self) -> String {
        self.to_envelope().to_string()
    }
}

/// The object holding `code`: `{"error": {...}}`, or a bare `{code, message}` from a lenient
/// server.
fn envelope_object(root: &Value) -> Option<&Map<String, Value>> {
    let obj = root.as_object()?;
    match obj.get("error") {
        Some(Value::Object(inner)) => Some(inner),
        _ if obj.get("code").is_some_and(Value::is_string) => Some(obj),
        _ => None,
    }
}

/// The variant an HTTP status means when the body does not say.
fn from_status(status: u16, message: String) -> Error {
    let request_id = None;
    match status {
        401 => Error::InvalidToken {
            message,
            request_id,
        },
        403 => Error::EntitlementMissing {
            message,
            request_id,
        },
        404 => Error::NotFound {
            message,
            request_id,
        },
        409 => Error::IdempotencyConflict {
            message,
            in_progress: true,
            request_id,
        },
        422 => Error::Validation {
            message,
            details: Vec::new(),
            request_id,
        },
        429 => Error::RateLimited {
            message,
            retry_after: None,
            request_id,
        },
        // A bare 502/503 comes from a gateway, not from NIC's verdict: nothing was decided.
        502 | 503 => Error::UpstreamUnavailable {
            message,
            request_id,
        },
        504 | 408 => Error::Timeout {
            message,
            request_id,
        },
        400..=499 => Error::InvalidArgument {
            message,
            request_id,
        },
        _ => Error::Internal {
            message,
            request_id,
        },
    }
}

fn default_message(code: Option<&str>, status: u16) -> String {
    let text = match code {
        Some("validation_error") => "The request failed validation",
        Some("auth.invalid_token") => "Token missing, malformed, or expired",
        Some("auth.entitlement_missing") => "The plan does not include this product",
        Some("irp_credentials.not_configured") => "No IRP credential found for the seller GSTIN",
        Some("idempotency.conflict") => "The idempotency key conflicts with an earlier request",
        Some("not_found") => "Not found",
        Some("rate_limited") => "Too many requests",
        Some("upstream.failure") => "NIC refused the request",
        Some("upstream.unavailable") => "NIC is unreachable",
        Some("timeout") => "The request timed out",
        _ => return format!("HTTP {status}"),
    };
    text.to_owned()
}

/// A finding as the envelope carries it, read leniently: a server-side finding with a field we
/// do not know must not make the whole error unreadable.
fn read_finding(v: &Value) -> Finding {
    let text = |name: &str| v.get(name).map(code_text).unwrap_or_default();
    let severity = match v.get("severity").and_then(Value::as_str) {
        Some("warning") => Severity::Warning,
        _ => Severity::Error,
    };
    Finding {
        path: text("path"),
        code: text("code"),
        nic_code: v.get("nicCode").filter(|c| !c.is_null()).map(code_text),
        message: text("message"),
        severity,
    }
}

fn read_upstream(v: &Value) -> Option<Upstream> {
    let code = v.get("code").filter(|c| !c.is_null()).map(code_text)?;
    let message = v.get("message").and_then(Value::as_str).unwrap_or_default();
    Some(Upstream::new(code, message))
}

/// Codes arrive as strings or numbers.
fn code_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for code in CODES {
            let e = Error::from_code(code, "m").unwrap();
            assert_eq!(e.code(), *code);
        }
        assert!(Error::from_code("nope", "m").is_none());
    }

    #[test]
    fn garbage_bodies_fall_back_to_status() {
        let e = Error::from_response(503, None, b"<html>Service Unavailable</html>");
        assert_eq!(e.code(), "upstream.unavailable");
        assert_eq!(e.message(), "HTTP 503");
        assert!(e.is_retryable());
        let e = Error::from_response(418, None, b"");
        assert_eq!(e.code(), "invalid_argument");
        let e = Error::from_response(
            500,
            None,
            br#"{"error":{"code":"brand_new","message":"x"}}"#,
        );
        assert_eq!((e.code(), e.message()), ("internal", "x"));
    }

    #[test]
    fn idempotency_conflict_status_decides_retry() {
        let body = br#"{"error":{"code":"idempotency.conflict","message":"in use"}}"#;
        let busy = Error::from_response(409, None, body);
        assert!(busy.is_retryable());
        assert_eq!(busy.http_status(), Some(409));
        let differs = Error::from_response(400, None, body);
        assert!(!differs.is_retryable());
        assert_eq!(differs.http_status(), Some(400));
    }
}
