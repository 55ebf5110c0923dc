//! `ofn_status`: what every fallible function returns.
//!
//! The numbers are part of the ABI: fixed, grouped by kind in blocks of a hundred, never reused
//! or renumbered. A binding may switch on the block (`status / 100`) to pick an exception class.

#![allow(non_camel_case_types)]

use std::ffi::c_char;

use onefinops_core::error::Error;

/// The outcome of a call. `OFN_OK` (0) is success; every other value names what went wrong, and
/// the optional `err_out` buffer of the call then holds the JSON error envelope
/// (`{"error": {"code", "message", ...}}`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ofn_status {
    /// Success: the out-parameters are written.
    OFN_OK = 0,

    /// 1xx, the call itself. A pointer that must not be NULL is NULL (or NULL with a length
    /// other than 0).
    OFN_E_NULL_POINTER = 100,
    /// A text argument is not UTF-8; the envelope names the argument and the byte offset.
    OFN_E_INVALID_UTF8 = 101,
    /// An argument (options, config, request) is not JSON, is of the wrong shape, or has an
    /// unknown member; or a number is out of range. The envelope's code is `invalid_argument`.
    OFN_E_INVALID_ARGUMENT = 103,
    /// The operation name of `ofn_client_call` / `ofn_call_begin` is not one the library knows.
    OFN_E_UNKNOWN_OPERATION = 104,
    /// A sans-IO function was called out of order (a response fed when none was asked for, a
    /// result read before the call finished).
    OFN_E_CALL_STATE = 105,

    /// 2xx, the document. It cannot be read, or (client calls) it failed validation: the
    /// envelope's `details[]` holds every finding, with its path and NIC code.
    OFN_E_VALIDATION = 200,

    /// 3xx, authentication. The token is missing, malformed or expired
    /// (`auth.invalid_token`), even after one refresh.
    OFN_E_AUTH_INVALID_TOKEN = 300,
    /// The client's plan lacks the product, or its token may not act for this GSTIN or
    /// operation (`auth.entitlement_missing`).
    OFN_E_AUTH_ENTITLEMENT_MISSING = 301,
    /// The seller GSTIN has no IRP / EWB portal credential on file
    /// (`irp_credentials.not_configured`).
    OFN_E_IRP_CREDENTIALS_NOT_CONFIGURED = 302,

    /// 4xx, the API and NIC. The idempotency key was used with a different body
    /// (`idempotency.conflict`).
    OFN_E_IDEMPOTENCY_CONFLICT = 400,
    /// No such record (`not_found`).
    OFN_E_NOT_FOUND = 401,
    /// Too many requests, and the wait asked for is beyond the retry policy (`rate_limited`;
    /// `retryAfter` in the envelope).
    OFN_E_RATE_LIMITED = 402,
    /// NIC refused the request (`upstream.failure`; NIC's code and message in `upstream`).
    OFN_E_UPSTREAM_FAILURE = 403,
    /// NIC or the GSP is unavailable and the retries are spent (`upstream.unavailable`).
    OFN_E_UPSTREAM_UNAVAILABLE = 404,

    /// 5xx, the network. No answer: connection refused, reset, TLS (`transport`).
    OFN_E_TRANSPORT = 500,
    /// No answer in time, retries spent or deadline reached (`timeout`).
    OFN_E_TIMEOUT = 501,

    /// 6xx, verification. A signed invoice or QR code does not verify against the keys
    /// (`reason` in the envelope: `signature.bad_signature`, `signature.unknown_kid`, ...).
    OFN_E_SIGNATURE_INVALID = 600,
    /// A webhook delivery does not verify: wrong signature, stale timestamp, malformed header
    /// (`reason`: `webhook.signature_mismatch`, `webhook.timestamp`, ...).
    OFN_E_WEBHOOK_INVALID = 601,

    /// 9xx, the library. A bug or an impossible state (`internal`).
    OFN_E_INTERNAL = 900,
    /// The library panicked. The call did nothing it reports; the host process is unharmed.
    /// Free the handle the call was made on: its state is not to be trusted.
    OFN_E_PANIC = 901,
}

use ofn_status::*;

/// Every status, in numeric order (for the name table and its tests).
pub const ALL: &[ofn_status] = &[
    OFN_OK,
    OFN_E_NULL_POINTER,
    OFN_E_INVALID_UTF8,
    OFN_E_INVALID_ARGUMENT,
    OFN_E_UNKNOWN_OPERATION,
    OFN_E_CALL_STATE,
    OFN_E_VALIDATION,
    OFN_E_AUTH_INVALID_TOKEN,
    OFN_E_AUTH_ENTITLEMENT_MISSING,
    OFN_E_IRP_CREDENTIALS_NOT_CONFIGURED,
    OFN_E_IDEMPOTENCY_CONFLICT,
    OFN_E_NOT_FOUND,
    OFN_E_RATE_LIMITED,
    OFN_E_UPSTREAM_FAILURE,
    OFN_E_UPSTREAM_UNAVAILABLE,
    OFN_E_TRANSPORT,
    OFN_E_TIMEOUT,
    OFN_E_SIGNATURE_INVALID,
    OFN_E_WEBHOOK_INVALID,
    OFN_E_INTERNAL,
    OFN_E_PANIC,
];

impl ofn_status {
    /// The status of a core error: one per stable error code.
    pub fn of(e: &Error) -> ofn_status {
        match e {
            Error::Validation { .. } => OFN_E_VALIDATION,
            Error::InvalidToken { .. } => OFN_E_AUTH_INVALID_TOKEN,
            Error::EntitlementMissing { .. } => OFN_E_AUTH_ENTITLEMENT_MISSING,
            Error::IrpCredentialsNotConfigured { .. } => OFN_E_IRP_CREDENTIALS_NOT_CONFIGURED,
            Error::IdempotencyConflict { .. } => OFN_E_IDEMPOTENCY_CONFLICT,
            Error::NotFound { .. } => OFN_E_NOT_FOUND,
            Error::RateLimited { .. } => OFN_E_RATE_LIMITED,
            Error::UpstreamFailure { .. } => OFN_E_UPSTREAM_FAILURE,
            Error::UpstreamUnavailable { .. } => OFN_E_UPSTREAM_UNAVAILABLE,
            Error::Transport { .. } => OFN_E_TRANSPORT,
            Error::Timeout { .. } => OFN_E_TIMEOUT,
            Error::InvalidArgument { .. } => OFN_E_INVALID_ARGUMENT,
            Error::Internal { .. } => OFN_E_INTERNAL,
        }
    }

    /// The name, NUL-terminated (`"OFN_E_VALIDATION\0"`).
    pub fn name_with_nul(self) -> &'static str {
        match self {
            OFN_OK => "OFN_OK\0",
            OFN_E_NULL_POINTER => "OFN_E_NULL_POINTER\0",
            OFN_E_INVALID_UTF8 => "OFN_E_INVALID_UTF8\0",
            OFN_E_INVALID_ARGUMENT => "OFN_E_INVALID_ARGUMENT\0",
            OFN_E_UNKNOWN_OPERATION => "OFN_E_UNKNOWN_OPERATION\0",
            OFN_E_CALL_STATE => "OFN_E_CALL_STATE\0",
            OFN_E_VALIDATION => "OFN_E_VALIDATION\0",
            OFN_E_AUTH_INVALID_TOKEN => "OFN_E_AUTH_INVALID_TOKEN\0",
            OFN_E_AUTH_ENTITLEMENT_MISSING => "OFN_E_AUTH_ENTITLEMENT_MISSING\0",
            OFN_E_IRP_CREDENTIALS_NOT_CONFIGURED => "OFN_E_IRP_CREDENTIALS_NOT_CONFIGURED\0",
            OFN_E_IDEMPOTENCY_CONFLICT => "OFN_E_IDEMPOTENCY_CONFLICT\0",
            OFN_E_NOT_FOUND => "OFN_E_NOT_FOUND\0",
            OFN_E_RATE_LIMITED => "OFN_E_RATE_LIMITED\0",
            OFN_E_UPSTREAM_FAILURE => "OFN_E_UPSTREAM_FAILURE\0",
            OFN_E_UPSTREAM_UNAVAILABLE => "OFN_E_UPSTREAM_UNAVAILABLE\0",
            OFN_E_TRANSPORT => "OFN_E_TRANSPORT\0",
            OFN_E_TIMEOUT => "OFN_E_TIMEOUT\0",
            OFN_E_SIGNATURE_INVALID => "OFN_E_SIGNATURE_INVALID\0",
            OFN_E_WEBHOOK_INVALID => "OFN_E_WEBHOOK_INVALID\0",
            OFN_E_INTERNAL => "OFN_E_INTERNAL\0",
            OFN_E_PANIC => "OFN_E_PANIC\0",
        }
    }

    /// The status with this number, if there is one.
    pub fn from_u32(n: u32) -> Option<ofn_status> {
        ALL.iter().copied().find(|s| *s as u32 == n)
    }
}

/// The name of a status (`"OFN_E_VALIDATION"`), a static NUL-terminated string that is never
/// freed; `"OFN_UNKNOWN_STATUS"` for a number that is not a status.
#[no_mangle]
pub extern "C" fn ofn_status_name(status: u32) -> *const c_char {
    // Nothing here can panic: a lookup in a static table.
    let name = match ofn_status::from_u32(status) {
        Some(s) => s.name_with_nul(),
        None => "OFN_UNKNOWN_STATUS\0",
    };
    name.as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_fixed_and_names_match() {
        let numbers: Vec<u32> = ALL.iter().map(|s| *s as u32).collect();
        assert_eq!(
            numbers,
            [
                0, 100, 101, 103, 104, 105, 200, 300, 301, 302, 400, 401, 402, 403, 404, 500, 501,
                600, 601, 900, 901
            ]
        );
        for s in ALL {
            let name = s.name_with_nul();
            assert!(name.ends_with('\0') && name.starts_with("OFN_"));
            assert_eq!(format!("{s:?}\0"), name);
        }
        assert_eq!(ofn_status::from_u32(102), None);
    }

    #[test]
    fn every_error_code_has_its_own_status() {
        let mut seen = std::collections::BTreeSet::new();
        for code in onefinops_core::error::CODES {
            let e = Error::from_code(code, "m").expect("a known code");
            assert!(seen.insert(ofn_status::of(&e) as u32), "{code}");
        }
    }
}
