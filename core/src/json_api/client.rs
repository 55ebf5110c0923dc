//! The client as JSON: a configuration, an operation by name with its request, the steps of the
//! sans-IO engine, results and errors; and the offline checks of what the API hands back
//! (signatures, webhooks, the QR image). What the C ABI's `ofn_client_*` and `ofn_call_*`
//! functions carry.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{findings_json, from_value, object_argument, to_json};
use crate::calendar::Timestamp;
use crate::client::config::{Config, Environment, EnvironmentKind, OAuthClient};
use crate::client::engine::{CallMeta, CallOptions, Response, Step};
use crate::client::operation::Operation;
use crate::client::qr;
use crate::client::signature::{self, SignatureError, VerificationKeys};
use crate::client::transport::{HttpRequest, HttpResponse, TransportError, TransportErrorKind};
use crate::client::webhook::{self, WebhookError};
use crate::credentials::{CreateGspCredential, Portal, RotateGspCredential, Secret};
use crate::einvoice::cancel::EInvoiceCancelReason;
use crate::einvoice::Irn;
use crate::error::Error;
use crate::ewaybill::{
    CancelEWayBill, EwbByIrn, ExtendValidity, PartBUpdate, RejectEWayBill, UpdateTransporter,
};
use crate::validate::ValidationOptions;

// ---------------------------------------------------------------------------------------------
// configuration

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClientJson {
    client_id: String,
    client_secret: String,
    #[serde(default)]
    gstins: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
struct TimeoutsJson {
    connect_ms: Option<u64>,
    request_ms: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
struct RetryJson {
    max_retries: Option<u32>,
    base_delay_ms: Option<u64>,
    max_delay_ms: Option<u64>,
    retry_after_cap_ms: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
struct PollJson {
    enabled: Option<bool>,
    initial_interval_ms: Option<u64>,
    max_interval_ms: Option<u64>,
    default_deadline_ms: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
struct KeysJson {
    jwks: Option<Value>,
    pem: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConfigJson {
    /// `sandbox` (hosted), `production`, or `local` (a local sandbox at `baseUrl`).
    #[serde(default)]
    environment: Option<String>,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    token_url: Option<String>,
    clients: Vec<ClientJson>,
    #[serde(default)]
    timeouts: TimeoutsJson,
    #[serde(default)]
    retry: RetryJson,
    #[serde(default)]
    poll: PollJson,
    #[serde(default)]
    token_skew_ms: Option<u64>,
    #[serde(default)]
    verification_keys: KeysJson,
    #[serde(default)]
    webhook_secret: Option<String>,
    #[serde(default)]
    webhook_tolerance_secs: Option<u64>,
    #[serde(default)]
    prevalidate: Option<bool>,
    #[serde(default)]
    validation: Option<ValidationOptions>,
    #[serde(default)]
    dupirn_cache_capacity: Option<usize>,
    #[serde(default)]
    user_agent: Option<String>,
}

fn ms(v: u64) -> Duration {
    Duration::from_millis(v)
}

/// A client [`Config`] from JSON:
///
/// ```json
/// {"environment": "local", "baseUrl": "http://127.0.0.1:8790",
///  "clients": [{"clientId": "ofin_test_quickstart", "clientSecret": "...", "gstins": ["29AAFCC9980M1ZR"]}],
///  "timeouts": {"connectMs": 10000, "requestMs": 30000},
///  "retry": {"maxRetries": 3, "baseDelayMs": 500, "maxDelayMs": 20000, "retryAfterCapMs": 60000},
///  "poll": {"enabled": true, "initialIntervalMs": 1000, "maxIntervalMs": 15000, "defaultDeadlineMs": 120000},
///  "tokenSkewMs": 60000, "verificationKeys": {"jwks": {...}, "pem": {"kid": "-----BEGIN PUBLIC KEY-----..."}},
///  "webhookSecret": "whsec_...", "webhookToleranceSecs": 300, "prevalidate": true,
///  "validation": {...}, "dupirnCacheCapacity": 1024, "userAgent": "my-erp/1.0"}
/// ```
///
/// `environment` is `sandbox` (the hosted sandbox, the default), `production`, or `local` (a
/// local sandbox at `baseUrl`, token endpoint on the same host); `baseUrl` and `tokenUrl` with
/// `sandbox` or `production` point that kind of environment elsewhere (a proxy). A client without
/// `gstins` acts for any GSTIN. Every field but `clients` may be left out; unknown fields are
/// refused. The result is checked ([`Config::validate`]): `ofin_test_*` ids never reach
/// production, plain HTTP only on loopback.
pub fn config_from_json(bytes: &[u8]) -> Result<Config, Error> {
    let c: ConfigJson = from_value(object_argument(bytes, "config")?, "config")?;
    let kind_name = c.environment.as_deref().unwrap_or("sandbox");
    let environment = match (kind_name, &c.base_url) {
        ("local", Some(base)) => {
            let mut env = Environment::local(base);
            if let Some(t) = &c.token_url {
                env.token_url = t.clone();
            }
            env
        }
        ("local", None) => return Err(Error::invalid_argument(
            "config.baseUrl is required with environment \"local\" (e.g. http://127.0.0.1:8790)",
        )),
        ("sandbox" | "production", _) => {
            let kind = if kind_name == "sandbox" {
                EnvironmentKind::Sandbox
            } else {
                EnvironmentKind::Production
            };
            let mut env = match kind {
                EnvironmentKind::Sandbox => Environment::sandbox(),
                EnvironmentKind::Production => Environment::production(),
            };
            if let Some(b) = &c.base_url {
                env.base_url = b.trim_end_matches('/').to_owned();
            }
            if let Some(t) = &c.token_url {
                env.token_url = t.clone();
            }
            env
        }
        (other, _) => {
            return Err(Error::invalid_argument(format!(
                "config.environment `{other}` is not sandbox, production or local"
            )))
        }
    };
    let mut config = Config::new(environment);
    for client in c.clients {
        let mut oauth = OAuthClient::new(client.client_id, client.client_secret);
        if let Some(g) = client.gstins {
            oauth = oauth.for_gstins(g);
        }
        config = config.with_client(oauth);
    }
    if let Some(v) = c.timeouts.connect_ms {
        config.timeouts.connect = ms(v);
    }
    if let Some(v) = c.timeouts.request_ms {
        config.timeouts.request = ms(v);
    }
    if let Some(v) = c.retry.max_retries {
        config.retry.max_retries = v;
    }
    if let Some(v) = c.retry.base_delay_ms {
        config.retry.base_delay = ms(v);
    }
    if let Some(v) = c.retry.max_delay_ms {
        config.retry.max_delay = ms(v);
    }
    if let Some(v) = c.retry.retry_after_cap_ms {
        config.retry.retry_after_cap = ms(v);
    }
    if let Some(v) = c.poll.enabled {
        config.poll.enabled = v;
    }
    if let Some(v) = c.poll.initial_interval_ms {
        config.poll.initial_interval = ms(v);
    }
    if let Some(v) = c.poll.max_interval_ms {
        config.poll.max_interval = ms(v);
    }
    if let Some(v) = c.poll.default_deadline_ms {
        config.poll.default_deadline = ms(v);
    }
    if let Some(v) = c.token_skew_ms {
        config.token_skew = ms(v);
    }
    config.verification_keys = keys_from_json(c.verification_keys, "config.verificationKeys")?;
    config.webhook_secret = c.webhook_secret.map(Secret::new);
    if let Some(v) = c.webhook_tolerance_secs {
        config.webhook_tolerance = Duration::from_secs(v);
    }
    if let Some(v) = c.prevalidate {
        config.prevalidate = v;
    }
    if let Some(v) = c.validation {
        config.validation = v;
    }
    if let Some(v) = c.dupirn_cache_capacity {
        config.dupirn_cache_capacity = v;
    }
    if let Some(v) = c.user_agent {
        config.user_agent = v;
    }
    config.validate()?;
    Ok(config)
}

fn keys_from_json(k: KeysJson, what: &str) -> Result<VerificationKeys, Error> {
    let mut keys = VerificationKeys::new();
    if let Some(jwks) = k.jwks {
        let text = match jwks {
            Value::String(s) => s,
            other => other.to_string(),
        };
        keys.add_jwks(text.as_bytes())
            .map_err(|e| Error::invalid_argument(format!("{what}.jwks: {e}")))?;
    }
    for (kid, pem) in k.pem {
        keys.insert_pem(kid.clone(), &pem)
            .map_err(|e| Error::invalid_argument(format!("{what}.pem.{kid}: {e}")))?;
    }
    Ok(keys)
}

// ---------------------------------------------------------------------------------------------
// operations

/// Per-call options as JSON (`request.options`).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
struct OptionsJson {
    gstin: Option<String>,
    /// Give up (or stop polling) this long after the call begins.
    timeout_ms: Option<u64>,
    prevalidate: Option<bool>,
    idempotency_key: Option<String>,
    headers: BTreeMap<String, String>,
    /// Now, for the date rules of prevalidation (default: the caller's clock, see [`operation_from_json`]).
    today: Option<Timestamp>,
    poll: Option<bool>,
}

/// An operation and its call options, read from JSON by [`operation_from_json`].
#[derive(Debug)]
pub struct OperationRequest {
    /// The operation.
    pub operation: Operation,
    /// Its options (`deadline_ms` not set: see `timeout_ms`).
    pub options: CallOptions,
    /// `options.timeoutMs`: the deadline, relative to the call's start.
    pub timeout_ms: Option<u64>,
}

/// The names [`operation_from_json`] knows, in the order of the /v1 surface.
pub const OPERATION_NAMES: &[&str] = &[
    "einvoice.create",
    "einvoice.generate",
    "einvoice.get",
    "einvoice.status",
    "einvoice.get_by_irn",
    "einvoice.cancel",
    "einvoice.bulk",
    "einvoice.qrimage",
    "ewaybill.generate",
    "ewaybill.generate_by_irn",
    "ewaybill.get",
    "ewaybill.part_b",
    "ewaybill.extend",
    "ewaybill.cancel",
    "ewaybill.reject",
    "ewaybill.transporter",
    "gsp_credentials.create",
    "gsp_credentials.get",
    "gsp_credentials.list",
    "gsp_credentials.verify",
    "gsp_credentials.rotate",
    "gsp_credentials.revoke_key",
    "gsp_credentials.delete",
    "jwks",
];

/// Reads an operation by its name (`einvoice.create`, ... see [`OPERATION_NAMES`]) and its request
/// object. The members a request may hold:
///
/// | operation | members |
/// |---|---|
/// | `einvoice.create` | `document` (canonical or flat) |
/// | `einvoice.generate`, `ewaybill.generate` | `document`, `gstin`? |
/// | `einvoice.get`, `einvoice.status`, `gsp_credentials.get` / `verify` / `delete` | `id` |
/// | `einvoice.get_by_irn` | `irn` |
/// | `einvoice.cancel` | `id`, `reason` (`duplicate`, `data_entry_mistake`, `order_cancelled`, `others`), `remarks` |
/// | `einvoice.bulk` | `invoices` |
/// | `einvoice.qrimage` | `signedQrCode`, `moduleSize`? |
/// | `ewaybill.get` | `ewbNo` |
/// | `ewaybill.generate_by_irn` / `part_b` / `extend` / `cancel` / `reject` / `transporter` | `request` (the API body), `gstin`? |
/// | `gsp_credentials.create` | `request` |
/// | `gsp_credentials.list` | `gstin`?, `portal`? |
/// | `gsp_credentials.rotate` | `id`, `request` |
/// | `gsp_credentials.revoke_key` | `id`, `keyId` |
/// | `jwks` | nothing |
///
/// Every request may add `options`: `{gstin, timeoutMs, prevalidate, idempotencyKey, headers,
/// today, poll}`. An unknown name or member is `invalid_argument`.
pub fn operation_from_json(name: &str, request: &[u8]) -> Result<OperationRequest, Error> {
    if !OPERATION_NAMES.contains(&name) {
        return Err(Error::invalid_argument(format!(
            "unknown operation `{name}`: expected one of {}",
            OPERATION_NAMES.join(", ")
        )));
    }
    let mut fields = match object_argument(request, "request")? {
        Value::Object(m) => m,
        _ => unreachable!("object_argument returns objects"),
    };
    let options: OptionsJson = match fields.remove("options") {
        None | Some(Value::Null) => OptionsJson::default(),
        Some(v) => from_value(v, "request.options")?,
    };
    let mut r = Members {
        name,
        fields: &mut fields,
    };
    let operation = match name {
        "einvoice.create" => Operation::CreateEInvoice {
            body: r.document()?,
        },
        "einvoice.generate" => Operation::GenerateEInvoice {
            body: r.document()?,
            gstin: r.optional("gstin")?,
        },
        "einvoice.get" => Operation::GetEInvoice {
            id: r.required("id")?,
        },
        "einvoice.status" => Operation::EInvoiceStatus {
            id: r.required("id")?,
        },
        "einvoice.get_by_irn" => Operation::GetEInvoiceByIrn {
            irn: r.required::<Irn>("irn")?,
        },
        "einvoice.cancel" => Operation::CancelEInvoice {
            id: r.required("id")?,
            reason: r.required::<EInvoiceCancelReason>("reason")?,
            remarks: r.optional("remarks")?.unwrap_or_default(),
        },
        "einvoice.bulk" => Operation::BulkEInvoices {
            invoices: r.required("invoices")?,
        },
        "einvoice.qrimage" => Operation::QrImage {
            signed_qr_code: r.required("signedQrCode")?,
            module_size: r.optional("moduleSize")?,
        },
        "ewaybill.generate" => Operation::GenerateEwayBill {
            body: r.document()?,
            gstin: r.optional("gstin")?,
        },
        "ewaybill.generate_by_irn" => Operation::GenerateEwayBillByIrn {
            request: r.required::<EwbByIrn>("request")?,
            gstin: r.optional("gstin")?,
        },
        "ewaybill.get" => Operation::GetEwayBill {
            ewb_no: r.required("ewbNo")?,
        },
        "ewaybill.part_b" => Operation::UpdatePartB {
            request: r.required::<PartBUpdate>("request")?,
            gstin: r.optional("gstin")?,
        },
        "ewaybill.extend" => Operation::ExtendEwayBill {
            request: r.required::<ExtendValidity>("request")?,
            gstin: r.optional("gstin")?,
        },
        "ewaybill.cancel" => Operation::CancelEwayBill {
            request: r.required::<CancelEWayBill>("request")?,
            gstin: r.optional("gstin")?,
        },
        "ewaybill.reject" => Operation::RejectEwayBill {
            request: r.required::<RejectEWayBill>("request")?,
            gstin: r.optional("gstin")?,
        },
        "ewaybill.transporter" => Operation::UpdateTransporter {
            request: r.required::<UpdateTransporter>("request")?,
            gstin: r.optional("gstin")?,
        },
        "gsp_credentials.create" => {
            Operation::CreateGspCredential(r.required::<CreateGspCredential>("request")?)
        }
        "gsp_credentials.get" => Operation::GetGspCredential {
            id: r.required("id")?,
        },
        "gsp_credentials.list" => Operation::ListGspCredentials {
            gstin: r.optional("gstin")?,
            portal: r.optional::<Portal>("portal")?,
        },
        "gsp_credentials.verify" => Operation::VerifyGspCredential {
            id: r.required("id")?,
        },
        "gsp_credentials.rotate" => Operation::RotateGspCredential {
            id: r.required("id")?,
            request: r.required::<RotateGspCredential>("request")?,
        },
        "gsp_credentials.revoke_key" => Operation::RevokeGspCredentialKey {
            id: r.required("id")?,
            key_id: r.required("keyId")?,
        },
        "gsp_credentials.delete" => Operation::DeleteGspCredential {
            id: r.required("id")?,
        },
        "jwks" => Operation::FetchJwks,
        _ => unreachable!("checked against OPERATION_NAMES"),
    };
    r.finish()?;
    Ok(OperationRequest {
        operation,
        options: CallOptions {
            gstin: options.gstin,
            deadline_ms: None,
            prevalidate: options.prevalidate,
            idempotency_key: options.idempotency_key,
            headers: options.headers.into_iter().collect(),
            today: options.today,
            poll: options.poll,
        },
        timeout_ms: options.timeout_ms,
    })
}

/// The members of one request, taken one by one so that leftovers can be refused.
struct Members<'a> {
    name: &'a str,
    fields: &'a mut Map<String, Value>,
}

impl Members<'_> {
    fn optional<T: serde::de::DeserializeOwned>(&mut self, key: &str) -> Result<Option<T>, Error> {
        match self.fields.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => from_value(v, &format!("request.{key}")).map(Some),
        }
    }

    fn required<T: serde::de::DeserializeOwned>(&mut self, key: &str) -> Result<T, Error> {
        self.optional(key)?
            .ok_or_else(|| Error::invalid_argument(format!("{} needs request.{key}", self.name)))
    }

    /// The `document` member, as the bytes to send (numbers keep their exact text).
    fn document(&mut self) -> Result<Vec<u8>, Error> {
        match self.fields.remove("document") {
            Some(v @ Value::Object(_)) => Ok(v.to_string().into_bytes()),
            // A document already serialised by the caller: sent exactly as given.
            Some(Value::String(text)) => Ok(text.into_bytes()),
            Some(other) => Err(Error::invalid_argument(format!(
                "request.document must be an object (or its JSON text), not {}",
                super::kind(&other)
            ))),
            None => Err(Error::invalid_argument(format!(
                "{} needs request.document",
                self.name
            ))),
        }
    }

    fn finish(self) -> Result<(), Error> {
        match self.fields.keys().next() {
            None => Ok(()),
            Some(k) => Err(Error::invalid_argument(format!(
                "request.{k} is not a member of a {} request",
                self.name
            ))),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// results

/// What is known about a call, as JSON.
pub fn meta_json(m: &CallMeta) -> Value {
    json!({
        "operation": m.operation,
        "clientId": m.client_id,
        "attempts": m.attempts,
        "tokenRequests": m.token_requests,
        "retries": m.retries,
        "polls": m.polls,
        "idempotencyKey": m.idempotency_key,
        "expectedIrn": m.expected_irn.as_ref().map(Irn::as_str),
        "rateLimit": m.rate_limit.map(|r| json!({
            "limit": r.limit, "remaining": r.remaining, "resetSecs": r.reset_secs,
        })),
        "requestId": m.request_id,
        "replayed": m.replayed,
        "duplicate": m.duplicate,
        "fromCache": m.from_cache,
        "pending": m.pending,
        "deadlineReached": m.deadline_reached,
        "warnings": findings_json(&m.warnings),
    })
}

fn is_json(headers: &[(String, String)], body: &[u8]) -> bool {
    let ct = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.to_ascii_lowercase());
    match ct {
        Some(ct) => ct.contains("json"),
        None => body.first().is_some_and(|b| matches!(b, b'{' | b'[')),
    }
}

/// A successful call: `{"status", "body" | "bodyBase64" + "contentType", "meta"}`. A JSON answer
/// is in `body` (numbers exact); anything else (the QR PNG) is base64 in `bodyBase64`.
pub fn response_json(r: &Response) -> Value {
    let mut out = json!({"status": r.status, "meta": meta_json(&r.meta)});
    let parsed = is_json(&r.headers, &r.body)
        .then(|| serde_json::from_slice::<Value>(&r.body).ok())
        .flatten();
    match parsed {
        Some(v) => out["body"] = v,
        None => {
            out["bodyBase64"] = json!(base64::engine::general_purpose::STANDARD.encode(&r.body));
            out["contentType"] = json!(r
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.as_str()));
        }
    }
    out
}

/// A failed call: the error envelope, with `meta` beside `error`.
pub fn call_error_json(e: &Error, meta: &CallMeta) -> Value {
    let mut env = e.to_envelope();
    if e.request_id().is_none() {
        if let Some(id) = &meta.request_id {
            env["error"]["requestId"] = json!(id);
        }
    }
    env["meta"] = meta_json(meta);
    env
}

/// A request to send, as JSON: `{"method", "url", "headers": {name: value}, "body" | "bodyBase64",
/// "timeoutMs", "connectTimeoutMs"}`. Header names are lower case; `body` is the text when it
/// is UTF-8 (always, for the engine's JSON and form bodies), absent when empty.
pub fn http_request_json(r: &HttpRequest) -> Value {
    let headers: Map<String, Value> = r
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let mut out = json!({
        "method": r.method.as_str(),
        "url": r.url,
        "headers": headers,
        "timeoutMs": u64::try_from(r.timeout.as_millis()).unwrap_or(u64::MAX),
        "connectTimeoutMs": u64::try_from(r.connect_timeout.as_millis()).unwrap_or(u64::MAX),
    });
    if !r.body.is_empty() {
        match std::str::from_utf8(&r.body) {
            Ok(text) => out["body"] = json!(text),
            Err(_) => {
                out["bodyBase64"] = json!(base64::engine::general_purpose::STANDARD.encode(&r.body))
            }
        }
    }
    out
}

/// A step of the engine as JSON: `{"action": "send", "request": {...}}`, `{"action": "sleep",
/// "untilMs"}`, `{"action": "done"}` or `{"action": "failed"}` (the result, or the error, is read
/// separately).
pub fn step_json(step: &Step) -> Value {
    match step {
        Step::Send(r) => json!({"action": "send", "request": http_request_json(r)}),
        Step::Sleep { until_ms } => json!({"action": "sleep", "untilMs": until_ms}),
        Step::Done(_) => json!({"action": "done"}),
        Step::Failed(_) => json!({"action": "failed"}),
    }
}

/// Response headers from JSON: an object `{name: value}` or a list of `[name, value]` pairs
/// (which keeps repeated names); empty input is no headers.
pub fn headers_from_json(bytes: &[u8]) -> Result<Vec<(String, String)>, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::invalid_argument(format!("headers are not JSON: {e}")))?;
    let bad = || {
        Error::invalid_argument(
            "headers must be an object of strings or a list of [name, value] string pairs",
        )
    };
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Object(m) => m
            .into_iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k, s)),
                _ => Err(bad()),
            })
            .collect(),
        Value::Array(list) => list
            .into_iter()
            .map(|pair| match pair {
                Value::Array(p) => match p.as_slice() {
                    [Value::String(k), Value::String(v)] => Ok((k.clone(), v.clone())),
                    _ => Err(bad()),
                },
                _ => Err(bad()),
            })
            .collect(),
        _ => Err(bad()),
    }
}

/// An answer fed back by the host.
pub fn http_response(status: u16, headers: &[u8], body: &[u8]) -> Result<HttpResponse, Error> {
    if !(100..=599).contains(&status) {
        return Err(Error::invalid_argument(format!(
            "HTTP status {status} is not between 100 and 599"
        )));
    }
    Ok(HttpResponse::new(status, headers_from_json(headers)?, body))
}

/// The transport error kinds by their C ABI number (`OFN_TRANSPORT_*`).
pub fn transport_error(kind: u32, message: &str) -> Result<TransportError, Error> {
    let kind = match kind {
        1 => TransportErrorKind::Connect,
        2 => TransportErrorKind::Timeout,
        3 => TransportErrorKind::Interrupted,
        4 => TransportErrorKind::Tls,
        5 => TransportErrorKind::InvalidRequest,
        6 => TransportErrorKind::Other,
        other => {
            return Err(Error::invalid_argument(format!(
                "transport error kind {other} is not one of 1 (connect) .. 6 (other)"
            )))
        }
    };
    Ok(TransportError::new(kind, message))
}

// ---------------------------------------------------------------------------------------------
// signatures, webhooks, QR

/// Why a signature or webhook check failed, or why it could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyFailure {
    /// The arguments are wrong (`invalid_argument`).
    #[error(transparent)]
    Argument(#[from] Error),
    /// The JWS cannot be trusted.
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// The delivery cannot be trusted.
    #[error(transparent)]
    Webhook(#[from] WebhookError),
}

impl VerifyFailure {
    /// The error envelope: `invalid_argument` whose message names the reason, plus `reason`
    /// (`signature.bad_signature`, `webhook.timestamp`, ...).
    pub fn to_envelope(&self) -> Value {
        match self {
            VerifyFailure::Argument(e) => e.to_envelope(),
            VerifyFailure::Signature(s) => {
                let mut env = Error::from(s.clone()).to_envelope();
                env["error"]["reason"] = json!(s.code());
                env
            }
            VerifyFailure::Webhook(w) => {
                let mut env = Error::invalid_argument(format!("{w} ({})", w.code())).to_envelope();
                env["error"]["reason"] = json!(w.code());
                env
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct VerifyArgs {
    jws: String,
    keys: KeysJson,
    /// `invoice` (signedInvoice), `qr` (signedQrCode) or `any` (default).
    #[serde(default)]
    kind: Option<String>,
}

/// `{"jws", "keys": {"jwks"?, "pem"?: {kid: PEM}}, "kind"?: "invoice" | "qr" | "any"}` ->
/// `{"kid", "header", "data"}` (plus `"qr"`, the decoded QR payload, for kind `qr`): an RS256 JWS
/// of NIC's (signedInvoice, signedQrCode) verified against the keys (nic-rules B.10).
pub fn verify_signed(input: &[u8]) -> Result<Value, VerifyFailure> {
    let args: VerifyArgs = from_value(object_argument(input, "input")?, "input")?;
    let keys = keys_from_json(args.keys, "input.keys")?;
    let verified = signature::verify_jws(&args.jws, &keys)?;
    let data = verified.data()?;
    let mut out = json!({"kid": verified.kid, "header": verified.header, "data": data});
    match args.kind.as_deref().unwrap_or("any") {
        "any" | "invoice" => {}
        "qr" => out["qr"] = to_json(&signature::qr_payload(data)?)?,
        other => {
            return Err(Error::invalid_argument(format!(
                "input.kind `{other}` is not invoice, qr or any"
            ))
            .into())
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WebhookArgs {
    secret: String,
    header: String,
    /// The raw body, as received (text).
    body: String,
    /// Now, in unix seconds.
    now: i64,
    #[serde(default)]
    tolerance_secs: Option<u64>,
}

/// `{"secret", "header", "body", "now", "toleranceSecs"?}` -> the event: a webhook delivery
/// whose `OneFinOps-Signature` header (`t=..,v1=..`, HMAC-SHA256, compared in constant time)
/// matches the raw body, with its timestamp within the tolerance (default 300 s) of `now`.
pub fn webhook_verify(input: &[u8]) -> Result<Value, VerifyFailure> {
    let a: WebhookArgs = from_value(object_argument(input, "input")?, "input")?;
    let secret = Secret::new(a.secret);
    webhook::verify(
        &secret,
        &a.header,
        a.body.as_bytes(),
        a.now,
        a.tolerance_secs.unwrap_or(300),
    )?;
    let event: Value =
        serde_json::from_str(&a.body).map_err(|e| WebhookError::BadPayload(e.to_string()))?;
    if !event.is_object() {
        return Err(WebhookError::BadPayload("not a JSON object".into()).into());
    }
    Ok(event)
}

/// The PNG of a signed QR code (`signedQrCode`), `module_px` pixels per module (1-32).
pub fn qr_png(signed_qr_code: &str, module_px: u32) -> Result<Vec<u8>, Error> {
    if !(1..=32).contains(&module_px) {
        return Err(Error::invalid_argument(format!(
            "module size {module_px} is not between 1 and 32 pixels"
        )));
    }
    qr::png_from_signed_qr(signed_qr_code, module_px)
        .map_err(|e| Error::invalid_argument(format!("signedQrCode: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_round() {
        let c = config_from_json(
            br#"{"environment": "local", "baseUrl": "http://127.0.0.1:9/",
                 "clients": [{"clientId": "ofin_test_a", "clientSecret": "s", "gstins": ["29AAFCC9980M1ZR"]}],
                 "retry": {"maxRetries": 1}, "timeouts": {"requestMs": 1500}}"#,
        )
        .unwrap();
        assert_eq!(c.environment.base_url, "http://127.0.0.1:9");
        assert_eq!(
            c.environment.token_url,
            "http://127.0.0.1:9/realms/onefinops/protocol/openid-connect/token"
        );
        assert_eq!(c.retry.max_retries, 1);
        assert_eq!(c.timeouts.request, Duration::from_millis(1500));
        assert_eq!(c.clients[0].gstins, vec!["29AAFCC9980M1ZR".to_owned()]);
        let e = config_from_json(
            br#"{"environment": "production", "clients": [{"clientId": "ofin_test_a", "clientSecret": "s"}]}"#,
        )
        .unwrap_err();
        assert!(
            e.message().contains("must not be sent to production"),
            "{e}"
        );
        let e = config_from_json(br#"{"clients": [], "retires": {}}"#).unwrap_err();
        assert!(e.message().contains("unknown field `retires`"), "{e}");
        let e = config_from_json(br#"{"environment": "local", "clients": []}"#).unwrap_err();
        assert!(e.message().contains("config.baseUrl"), "{e}");
    }

    #[test]
    fn operations_by_name() {
        let r = operation_from_json(
            "einvoice.cancel",
            br#"{"id": "einv_1", "reason": "data_entry_mistake", "remarks": "typo",
                 "options": {"timeoutMs": 5000, "headers": {"X-Sandbox-Fault": "503"}}}"#,
        )
        .unwrap();
        assert_eq!(r.operation.name(), "einvoice.cancel");
        assert_eq!(r.timeout_ms, Some(5000));
        assert_eq!(
            r.options.headers,
            vec![("X-Sandbox-Fault".to_owned(), "503".to_owned())]
        );
        let e = operation_from_json("einvoice.explode", b"{}").unwrap_err();
        assert!(e
            .message()
            .starts_with("unknown operation `einvoice.explode`"));
        let e = operation_from_json("einvoice.get", br#"{"id": "einv_1", "idd": 2}"#).unwrap_err();
        assert_eq!(
            e.message(),
            "request.idd is not a member of a einvoice.get request"
        );
        let e = operation_from_json("einvoice.get", b"{}").unwrap_err();
        assert_eq!(e.message(), "einvoice.get needs request.id");
        let e = operation_from_json("einvoice.cancel", br#"{"id": "x", "reason": "bored"}"#)
            .unwrap_err();
        assert!(e.message().starts_with("request.reason"), "{e}");
        let r =
            operation_from_json("einvoice.create", br#"{"document": {"a": 154000.00}}"#).unwrap();
        match r.operation {
            Operation::CreateEInvoice { body } => assert_eq!(body, br#"{"a":154000.00}"#),
            other => panic!("{other:?}"),
        }
        for name in OPERATION_NAMES {
            let e = operation_from_json(name, b"[]").unwrap_err();
            assert_eq!(e.message(), "request must be an object, not an array");
        }
    }

    #[test]
    fn headers_both_forms() {
        assert_eq!(
            headers_from_json(br#"{"X-Request-Id": "r1"}"#).unwrap(),
            vec![("X-Request-Id".to_owned(), "r1".to_owned())]
        );
        assert_eq!(
            headers_from_json(br#"[["a", "1"], ["a", "2"]]"#)
                .unwrap()
                .len(),
            2
        );
        assert!(headers_from_json(br#"{"a": 1}"#).is_err());
        assert!(headers_from_json(b"").unwrap().is_empty());
        assert!(http_response(42, b"", b"").is_err());
        assert!(transport_error(7, "").is_err());
        assert_eq!(
            transport_error(2, "x").unwrap().kind,
            TransportErrorKind::Timeout
        );
    }

    #[test]
    fn webhook_round_trip() {
        let body = r#"{"id":"evt_1","type":"einvoice.generated"}"#;
        let header = webhook::sign(&Secret::new("whsec_t"), 1_000, body.as_bytes());
        let input = json!({"secret": "whsec_t", "header": header, "body": body, "now": 1_100});
        let out = webhook_verify(input.to_string().as_bytes()).unwrap();
        assert_eq!(out["id"], "evt_1");
        let late = json!({"secret": "whsec_t", "header": header, "body": body, "now": 1_301});
        let e = webhook_verify(late.to_string().as_bytes()).unwrap_err();
        assert_eq!(e.to_envelope()["error"]["reason"], "webhook.timestamp");
        let forged = json!({"secret": "other", "header": header, "body": body, "now": 1_000});
        let e = webhook_verify(forged.to_string().as_bytes()).unwrap_err();
        assert_eq!(
            e.to_envelope()["error"]["reason"],
            "webhook.signature_mismatch"
        );
    }

    #[test]
    fn qr_png_checks_its_arguments() {
        assert_eq!(qr_png("a.b.c", 0).unwrap_err().code(), "invalid_argument");
        assert!(qr_png("not a jws", 4)
            .unwrap_err()
            .message()
            .contains("signedQrCode"));
        let png = qr_png("aGVhZA.cGF5bG9hZA.c2ln", 2).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }
}
