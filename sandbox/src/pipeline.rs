//! What happens to every request around its handler, in this order:
//!
//! 1. request id: `X-Request-Id` echoed (visible ASCII, up to 200 characters) or `req_...` issued;
//!    sent back on every response and written into every error envelope;
//! 2. faults: `X-Sandbox-Fault` parsed (400 if unreadable);
//! 3. authentication: the bearer token read (the handler decides whether it needs one);
//! 4. rate limit: counted per client, `X-RateLimit-*` on every response, 429 past the limit;
//!    then `X-Sandbox-Clock-Advance` moves the clock ([`CLOCK_ADVANCE_HEADER`]) and a delay
//!    fault is applied;
//! 5. idempotency: for POST / PUT / PATCH / DELETE with `Idempotency-Key` and a valid token
//!    ([`crate::idempotency`]);
//! 6. the handler;
//! 7. the request log (secrets redacted), then, for the lost-response fault, the connection is
//!    closed instead of answering.

use std::sync::Arc;
use std::time::Instant;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use onefinops_core::error::Error;
use serde_json::{json, Map, Value};
use tokio::sync::Notify;

use crate::app::{App, REQUEST_LOG_CAPACITY};
use crate::auth::{authenticate, parse_form};
use crate::faults::{Fault, RequestFaults};
use crate::http::{error_response, header_str, AuthState, DropConnection, Warnings, REQUEST_ID};
use crate::idempotency::{self, Begin};

/// The largest request body accepted (a bulk call of 5,000 invoices fits).
pub const MAX_BODY: usize = 64 << 20;

/// `X-Sandbox-Clock-Advance: SECS` (suffix `s`, `m`, `h` or `d` allowed, e.g. `25h`; negative
/// moves back): moves the sandbox clock, for the whole process, by that much once the request's
/// token has been checked and before it is handled. The per-request form of `POST
/// /_sandbox/clock`, and like `X-Sandbox-Fault` it needs no `--admin`.
pub const CLOCK_ADVANCE_HEADER: &str = "x-sandbox-clock-advance";

/// Per-connection control, inserted by the server into every request of a connection.
#[derive(Debug, Clone)]
pub struct ConnControl(pub Arc<Notify>);

fn is_state_change(m: &Method) -> bool {
    matches!(
        *m,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

fn clean_request_id(h: Option<&str>) -> Option<String> {
    let h = h?;
    (h.len() <= 200 && h.bytes().all(|b| b.is_ascii_graphic())).then(|| h.to_owned())
}

/// The middleware.
pub async fn pipeline(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let rid = clean_request_id(header_str(req.headers(), "x-request-id"))
        .unwrap_or_else(|| app.new_id("req"));
    REQUEST_ID
        .scope(rid.clone(), handle(app, req, next, rid))
        .await
}

async fn handle(app: Arc<App>, req: Request, next: Next, rid: String) -> Response {
    let started = Instant::now();
    let (mut parts, body) = req.into_parts();
    let conn = parts.extensions.get::<ConnControl>().cloned();
    let method = parts.method.clone();
    let path = parts.uri.path().to_owned();
    let idem_key = header_str(&parts.headers, "idempotency-key").map(str::to_owned);

    let faults = match header_str(&parts.headers, "x-sandbox-fault").map(Fault::parse_list) {
        Some(Err(e)) => Err(e),
        Some(Ok(f)) => Ok(RequestFaults(f)),
        None => Ok(RequestFaults::default()),
    };
    let auth = authenticate(&app, &parts.headers);
    let (bucket, limit) = match &auth {
        AuthState::Valid(p) => (p.client_id.clone(), p.rate_limit),
        _ => (
            "anonymous".to_owned(),
            app.config.rate_limit.saturating_mul(10),
        ),
    };
    let rate = app.rate.check(&bucket, limit);
    let mut replayed = false;
    let mut body_bytes = axum::body::Bytes::new();

    let mut resp = 'resp: {
        let faults = match faults {
            Ok(f) => f,
            Err(e) => {
                break 'resp error_response(Error::invalid_argument(format!(
                    "X-Sandbox-Fault: {e}"
                )))
            }
        };
        if !rate.allowed {
            break 'resp error_response(Error::RateLimited {
                message: format!(
                    "rate limit of {} requests per second exceeded; retry after {} s",
                    rate.limit, rate.reset_secs
                ),
                retry_after: Some(rate.reset_secs),
                request_id: None,
            });
        }
        // Time, per request: the token was read above, at the old time, so a test can make the
        // next call land past a window (24 h cancel, 72 h reject, idempotency replay) with the
        // token it holds.
        if let Some(v) = header_str(&parts.headers, CLOCK_ADVANCE_HEADER) {
            match crate::clock::parse_seconds(v) {
                Ok(secs) => {
                    app.clock.advance(secs);
                    app.wake.notify_one();
                }
                Err(e) => {
                    break 'resp error_response(Error::invalid_argument(format!(
                        "X-Sandbox-Clock-Advance: {e}"
                    )))
                }
            }
        }
        if let Some(ms) = app.faults.take_delay(&faults) {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
        body_bytes = match to_bytes(body, MAX_BODY).await {
            Ok(b) => b,
            Err(_) => {
                break 'resp error_response(Error::invalid_argument(format!(
                    "the request body is unreadable or larger than {MAX_BODY} bytes"
                )))
            }
        };
        parts.extensions.insert(faults);
        let principal = match &auth {
            AuthState::Valid(p) => Some(p.clone()),
            _ => None,
        };
        parts.extensions.insert(auth);

        let idem = match (&idem_key, principal) {
            (Some(key), Some(p)) if is_state_change(&method) => {
                if key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
                    break 'resp error_response(Error::invalid_argument(
                        "Idempotency-Key must be 1 to 255 visible ASCII characters",
                    ));
                }
                let scoped = idempotency::scoped_key(&p.client_id, key);
                let fp = idempotency::fingerprint(method.as_str(), &path, &body_bytes);
                match idempotency::begin(&app, &scoped, &fp).await {
                    Ok(Begin::Replay(rec)) => {
                        replayed = true;
                        break 'resp replay_response(rec);
                    }
                    Ok(Begin::Execute(guard)) => Some((guard, scoped, fp)),
                    Err(e) => break 'resp error_response(e),
                }
            }
            _ => None,
        };

        let req = Request::from_parts(parts, Body::from(body_bytes.clone()));
        let resp = next.run(req).await;
        if is_state_change(&method) {
            // With --state, nothing is acknowledged before it is on disk.
            app.flush().await;
        }
        match idem {
            None => resp,
            Some((guard, scoped, fp)) => {
                let (rparts, rbody) = resp.into_parts();
                let bytes = to_bytes(rbody, usize::MAX).await.unwrap_or_default();
                let status = rparts.status.as_u16();
                if idempotency::storable(status, &bytes) {
                    let ct = rparts
                        .headers
                        .get(header::CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("application/json")
                        .to_owned();
                    idempotency::store(&app, &scoped, &fp, status, &ct, &bytes);
                    app.flush().await;
                }
                drop(guard);
                Response::from_parts(rparts, Body::from(bytes))
            }
        }
    };

    let h = resp.headers_mut();
    set(h, "x-request-id", &rid);
    set(h, "x-ratelimit-limit", &rate.limit.to_string());
    set(h, "x-ratelimit-remaining", &rate.remaining.to_string());
    set(h, "x-ratelimit-reset", &rate.reset_secs.to_string());
    if replayed {
        set(h, "idempotent-replayed", "true");
    }
    if let Some(w) = resp.extensions().get::<Warnings>().cloned() {
        set(resp.headers_mut(), "x-sandbox-warnings", &w.0);
    }
    let drop_conn = resp.extensions().get::<DropConnection>().is_some();
    log_request(
        &app,
        LogEntry {
            rid: &rid,
            method: method.as_str(),
            path: &path,
            status: resp.status().as_u16(),
            started,
            client: if bucket == "anonymous" {
                None
            } else {
                Some(&bucket)
            },
            idem_key: idem_key.as_deref(),
            replayed,
            dropped: drop_conn,
            body: &body_bytes,
        },
    );
    if drop_conn {
        if let Some(ConnControl(kill)) = conn {
            kill.notify_one();
            // The server drops this connection (and this future with it) without answering.
            std::future::pending::<()>().await;
        }
    }
    resp
}

fn set(h: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        h.insert(HeaderName::from_static(name), v);
    }
}

fn replay_response(rec: crate::store::IdemRecord) -> Response {
    let mut resp = Response::new(Body::from(rec.body));
    *resp.status_mut() =
        axum::http::StatusCode::from_u16(rec.status).unwrap_or(axum::http::StatusCode::OK);
    if let Ok(v) = HeaderValue::from_str(&rec.content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp
}

struct LogEntry<'a> {
    rid: &'a str,
    method: &'a str,
    path: &'a str,
    status: u16,
    started: Instant,
    client: Option<&'a str>,
    idem_key: Option<&'a str>,
    replayed: bool,
    dropped: bool,
    body: &'a [u8],
}

/// JSON keys whose values never reach the log.
const SECRET_KEYS: &[&str] = &[
    "password",
    "client_secret",
    "clientsecret",
    "secret",
    "access_token",
    "accesstoken",
    "authorization",
];

/// Redacts secrets in a JSON tree.
pub fn redact(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if SECRET_KEYS.contains(&k.to_ascii_lowercase().as_str()) {
                    *val = json!("[redacted]");
                } else {
                    redact(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// How a request body appears in the log: JSON with secrets redacted, a form with secrets
/// redacted, or its size.
pub fn loggable_body(body: &[u8]) -> Value {
    const MAX_LOGGED: usize = 16 * 1024;
    if body.is_empty() {
        return Value::Null;
    }
    if body.len() > MAX_LOGGED {
        return json!(format!("<{} bytes>", body.len()));
    }
    if let Ok(mut v) = serde_json::from_slice::<Value>(body) {
        redact(&mut v);
        return v;
    }
    let form = parse_form(body);
    if !form.is_empty()
        && form.iter().all(|(k, _)| !k.is_empty())
        && std::str::from_utf8(body).is_ok()
    {
        let mut map = Map::new();
        for (k, v) in form {
            let v = if SECRET_KEYS.contains(&k.to_ascii_lowercase().as_str()) {
                "[redacted]".to_owned()
            } else {
                v
            };
            map.insert(k, json!(v));
        }
        return Value::Object(map);
    }
    json!(format!("<{} bytes>", body.len()))
}

fn log_request(app: &App, e: LogEntry<'_>) {
    let entry = json!({
        "at": app.now().to_rfc3339(),
        "requestId": e.rid,
        "method": e.method,
        "path": e.path,
        "status": e.status,
        "latencyMs": e.started.elapsed().as_secs_f64() * 1000.0,
        "clientId": e.client,
        "idempotencyKey": e.idem_key,
        "replayed": e.replayed,
        "connectionDropped": e.dropped,
        "body": loggable_body(e.body),
    });
    if app.config.log_requests {
        eprintln!("{entry}");
    }
    let mut log = app.request_log.lock().unwrap_or_else(|p| p.into_inner());
    if log.len() >= REQUEST_LOG_CAPACITY {
        log.pop_front();
    }
    log.push_back(entry);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        let v = loggable_body(br#"{"gstin":"x","password":"hunter2","nested":{"secret":"s"}}"#);
        let text = v.to_string();
        assert!(
            !text.contains("hunter2") && !text.contains("\"s\""),
            "{text}"
        );
        let f = loggable_body(b"grant_type=client_credentials&client_id=a&client_secret=topsecret");
        assert!(!f.to_string().contains("topsecret"));
        assert_eq!(f["client_id"], "a");
    }
}
