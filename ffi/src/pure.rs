//! The pure functions: documents, lifecycle questions, signatures, webhooks, the QR image. No
//! network, no handle; safe to call from any thread at any time.
//!
//! Each takes borrowed UTF-8 JSON `(ptr, len)` and writes one JSON result to `out`, or returns a
//! status and writes the error envelope to `err_out` (which may be NULL). Findings about a
//! document are results, not failures: `ofn_validate` returns `OFN_OK` with `"valid": false`.

use serde_json::Value;

use crate::boundary::{out_ptr, run, text, write_json, Failure};
use crate::buf::ofn_buf;
use crate::status::ofn_status;
use onefinops_core::error::Error;
use onefinops_core::json_api::client::{self as client_json, VerifyFailure};
use onefinops_core::json_api::{documents, lifecycle};

/// The shape shared by the one-input functions.
unsafe fn one_input(
    input: *const u8,
    input_len: usize,
    what: &str,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
    f: impl FnOnce(&[u8]) -> Result<Value, Error>,
) -> ofn_status {
    // SAFETY (for the whole body): the caller's promise, as documented on each entry point.
    unsafe {
        run(err_out, || {
            out_ptr(out, "out")?;
            let input = text(input, input_len, what)?;
            let result = f(input.as_bytes())?;
            write_json(out, &result);
            Ok(())
        })
    }
}

/// The same, for functions whose failures are verification failures.
unsafe fn verify_input(
    input: *const u8,
    input_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
    f: impl FnOnce(&[u8]) -> Result<Value, VerifyFailure>,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(err_out, || {
            out_ptr(out, "out")?;
            let input = text(input, input_len, "input")?;
            match f(input.as_bytes()) {
                Ok(v) => {
                    write_json(out, &v);
                    Ok(())
                }
                Err(failure) => Err(Failure {
                    status: match &failure {
                        VerifyFailure::Argument(e) => ofn_status::of(e),
                        VerifyFailure::Signature(_) => ofn_status::OFN_E_SIGNATURE_INVALID,
                        VerifyFailure::Webhook(_) => ofn_status::OFN_E_WEBHOOK_INVALID,
                    },
                    envelope: failure.to_envelope(),
                }),
            }
        })
    }
}

/// Validates an e-invoice (canonical, flat quickstart or NIC v1.1 JSON) with every layer:
/// NIC's schema, NIC's business rules (GSTINs, states, PINs, tax split, SEZ/export, references,
/// dates) and the arithmetic with NIC's tolerances (nic-rules part B).
///
/// `options` (may be empty): `{"sandbox": bool, "now": "RFC 3339", "aggregateTurnover": "...",
/// "maxItems": n, ...}`. Writes `{"valid": bool, "findings": [{"path", "code", "nicCode",
/// "message", "severity"}]}` to `out`; a document that is not even JSON is `"valid": false` with a
/// `parse.invalid_json` finding, not a failure.
///
/// Fails with `OFN_E_NULL_POINTER`, `OFN_E_INVALID_UTF8` or `OFN_E_INVALID_ARGUMENT` (options).
///
/// # Safety
///
/// Each `(pointer, length)` pair is NULL with length 0 or `length` readable bytes; `out` points
/// to a writable `ofn_buf`; `err_out` is NULL or points to a writable `ofn_buf`.
#[no_mangle]
pub unsafe extern "C" fn ofn_validate(
    document: *const u8,
    document_len: usize,
    options: *const u8,
    options_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(err_out, || {
            out_ptr(out, "out")?;
            let document = text(document, document_len, "document")?;
            let options = text(options, options_len, "options")?;
            let result = documents::validate(document.as_bytes(), options.as_bytes())?;
            write_json(out, &result);
            Ok(())
        })
    }
}

/// Validates an e-way bill (canonical or NIC GENEWAYBILL JSON): distance, mode-specific fields,
/// vehicle number, parties (nic-rules part C). Same options, result and failures as
/// `ofn_validate`.
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_validate_ewaybill(
    document: *const u8,
    document_len: usize,
    options: *const u8,
    options_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(err_out, || {
            out_ptr(out, "out")?;
            let document = text(document, document_len, "document")?;
            let options = text(options, options_len, "options")?;
            let result = documents::validate_ewaybill(document.as_bytes(), options.as_bytes())?;
            write_json(out, &result);
            Ok(())
        })
    }
}

/// Fills every derived amount of an e-invoice (any dialect) by progressive rounding, so that it
/// passes NIC's arithmetic exactly (nic-rules B.2), and writes the canonical document. A document
/// that cannot be read fails with `OFN_E_VALIDATION` and its findings in `details[]`.
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_prepare(
    document: *const u8,
    document_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        one_input(
            document,
            document_len,
            "document",
            out,
            err_out,
            documents::prepare,
        )
    }
}

/// Writes an e-invoice (any dialect) as NIC's v1.1 JSON (`Version`, `TranDtls`, `DocDtls`,
/// ...), amounts exact. A document that cannot be read fails with `OFN_E_VALIDATION`.
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_to_nic(
    document: *const u8,
    document_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        one_input(
            document,
            document_len,
            "document",
            out,
            err_out,
            documents::to_nic,
        )
    }
}

/// Reads a NIC v1.1 e-invoice and writes it in canonical form (lossless both ways). A document
/// that cannot be read fails with `OFN_E_VALIDATION`.
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_from_nic(
    nic_document: *const u8,
    nic_document_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        one_input(
            nic_document,
            nic_document_len,
            "nic_document",
            out,
            err_out,
            documents::from_nic,
        )
    }
}

/// The IRN the IRP will assign to an e-invoice (nic-rules B.7: SHA-256 of seller GSTIN,
/// financial year, document type and number): writes `{"irn", "key": {"sellerGstin",
/// "financialYear", "documentType", "documentNumber"}}`. Compare it with the IRN that comes back
/// to catch a silent DUPIRN. A document that cannot be read fails with `OFN_E_VALIDATION`.
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_irn(
    document: *const u8,
    document_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        one_input(
            document,
            document_len,
            "document",
            out,
            err_out,
            documents::irn,
        )
    }
}

/// Checks one GSTIN (nic-rules B.3): writes `{"kind", "stateCode", "valid", "findings"}`.
/// `gstin` is the bare text (not JSON). `options` (may be empty): `{"checkCharacter": bool,
/// "sandbox": bool}`; the mod-36 check character is verified unless `sandbox` (NIC's test GSTINs
/// fail it) or `checkCharacter: false`.
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_gstin_check(
    gstin: *const u8,
    gstin_len: usize,
    options: *const u8,
    options_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(err_out, || {
            out_ptr(out, "out")?;
            let gstin = text(gstin, gstin_len, "gstin")?;
            let options = text(options, options_len, "options")?;
            let result = documents::check_gstin(gstin, options.as_bytes())?;
            write_json(out, &result);
            Ok(())
        })
    }
}

/// Predicts an e-way bill's validity (nic-rules C.1): input `{"generatedAt": "RFC 3339",
/// "distanceKm": n, "pinToPinKm"?: n, "cargo"?: "normal" | "over_dimensional" | "ship_leg"}`, or
/// `{"extendedAt", "remainingKm", "cargo"?}` for an extension. Writes `{"ok": true, "distanceKm",
/// "days", "validUpto", "findings": []}`, or `"ok": false` with the finding (and NIC's code) when
/// NIC would refuse the distance.
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_ewaybill_validity(
    input: *const u8,
    input_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        one_input(
            input,
            input_len,
            "input",
            out,
            err_out,
            lifecycle::ewaybill_validity,
        )
    }
}

/// May this e-invoice action happen now (nic-rules B.8-B.10)? Input `{"record"?: {"status",
/// "ackDate"?, "cancelledAt"?, "eWayBill"?}, "action": "generate" | "poll" | "cancel", "now"}`.
/// Writes `{"allowed": true, "decision", "record"?}` or `{"allowed": false, "code", "nicCode",
/// "message"}` (2270 after 24 hours, 2230 with an active e-way bill, ...).
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_einvoice_decide(
    input: *const u8,
    input_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        one_input(
            input,
            input_len,
            "input",
            out,
            err_out,
            lifecycle::einvoice_decide,
        )
    }
}

/// Applies an action to an e-way bill (nic-rules C.2-C.9): input `{"record", "action": {"action":
/// "part_b" | "extend" | "cancel" | "reject" | "transporter", ...}, "now"}`. Writes
/// `{"allowed": true, "record"}` (the bill after it) or the refusal with NIC's code (311, 382,
/// 390, 821, 315, 346, ...).
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_ewaybill_apply(
    input: *const u8,
    input_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        one_input(
            input,
            input_len,
            "input",
            out,
            err_out,
            lifecycle::ewaybill_apply,
        )
    }
}

/// Reads a generate reply (either shape: OneFinOps `infoCode: "DUPIRN"`, or NIC's 2150 with
/// `InfoDtls`) and, given the invoice sent (`request`), says whether a duplicate is the same
/// invoice (`adopted`) or a different one under the same number (`conflict`: never adopt that).
/// Input `{"reply", "request"?, "signedInvoice"?}` (nic-rules B.8).
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_dupirn_check(
    input: *const u8,
    input_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        one_input(
            input,
            input_len,
            "input",
            out,
            err_out,
            lifecycle::dupirn_check,
        )
    }
}

/// After an e-way bill generate failed with NIC's codes: does the bill exist already (604,
/// 4002: nic-rules C.9) and which fetch recovers it? Input `{"codes": [...], "documentType" +
/// "documentNumber" | "irn"}`; writes `{"fetch": {...} | null}`.
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_ewaybill_recovery(
    input: *const u8,
    input_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        one_input(
            input,
            input_len,
            "input",
            out,
            err_out,
            lifecycle::ewaybill_recovery,
        )
    }
}

/// What a NIC error code means: writes `{"code", "class", "message"}`, the class being what a
/// program should do (`user-fix`, `retryable`, `re-auth`, `idempotent-recover`). `code` is the
/// bare text (`2150`), not JSON.
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_nic_code(
    code: *const u8,
    code_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(err_out, || {
            out_ptr(out, "out")?;
            let code = text(code, code_len, "code")?;
            write_json(out, &lifecycle::nic_code(code.trim()));
            Ok(())
        })
    }
}

/// What an API error answer means, for hosts that make their own requests: input `{"status",
/// "retryAfter"?, "body"}`; writes `{"code", "message", "httpStatus", "retryable",
/// "needsReauth", "retryAfter", "requestId", "details", "upstream", "upstreamClass",
/// "envelope"}`.
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_error_parse(
    input: *const u8,
    input_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        one_input(
            input,
            input_len,
            "input",
            out,
            err_out,
            lifecycle::error_from_response,
        )
    }
}

/// Verifies a signed invoice or signed QR code (RS256 JWS, payload in the `data` claim:
/// nic-rules B.10) against the given keys. Input `{"jws", "keys": {"jwks"?: {...}, "pem"?: {kid:
/// PEM}}, "kind"?: "invoice" | "qr" | "any"}`; writes `{"kid", "header", "data", "qr"?}`. A JWS
/// that does not verify fails with `OFN_E_SIGNATURE_INVALID` (the envelope's `reason` says why).
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_verify_signed(
    input: *const u8,
    input_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe { verify_input(input, input_len, out, err_out, client_json::verify_signed) }
}

/// Verifies a webhook delivery: input `{"secret", "header" (the OneFinOps-Signature value),
/// "body" (the raw body as received), "now" (unix seconds), "toleranceSecs"?: 300}`; writes the
/// event. HMAC-SHA256 compared in constant time; a wrong signature, a stale timestamp or a
/// malformed header fails with `OFN_E_WEBHOOK_INVALID`.
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_webhook_verify(
    input: *const u8,
    input_len: usize,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe { verify_input(input, input_len, out, err_out, client_json::webhook_verify) }
}

/// Renders a signed QR code (the `signedQrCode` JWS text, not JSON) as a PNG, `module_px`
/// pixels per module (1-32; 4 prints well), and writes the PNG bytes to `out`. Rendered locally:
/// no network.
///
/// # Safety
///
/// As `ofn_validate`.
#[no_mangle]
pub unsafe extern "C" fn ofn_qr_png(
    signed_qr_code: *const u8,
    signed_qr_code_len: usize,
    module_px: u32,
    out: *mut ofn_buf,
    err_out: *mut ofn_buf,
) -> ofn_status {
    // SAFETY: the caller's promise.
    unsafe {
        run(err_out, || {
            out_ptr(out, "out")?;
            let jws = text(signed_qr_code, signed_qr_code_len, "signed_qr_code")?;
            let png = client_json::qr_png(jws, module_px)?;
            out.write(ofn_buf::from_bytes(&png));
            Ok(())
        })
    }
}
