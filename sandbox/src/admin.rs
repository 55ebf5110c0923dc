//! `/_sandbox/*`: switches for tests, served only when the sandbox runs with `--admin` (or
//! `Config::admin`). No token is needed: the sandbox listens on loopback.
//!
//! | call | what |
//! |---|---|
//! | `GET /_sandbox/clock` | `{"now", "offsetSeconds"}` |
//! | `POST /_sandbox/clock` | `{"advanceSeconds": N}` or `{"now": "RFC 3339"}`; then runs what became due |
//! | `GET /_sandbox/faults` | the queued process faults |
//! | `POST /_sandbox/faults` | `{"fault": "503" \| "502:CODE" \| "delay:MS" \| "drop-after-commit" \| "queued[:SECS]", "count": N}` |
//! | `DELETE /_sandbox/faults` | clears them |
//! | `GET /_sandbox/requests?limit=N` | the request log, newest last, secrets redacted |
//! | `POST /_sandbox/clients` | adds or replaces an OAuth client (the seed's client shape) |
//! | `POST /_sandbox/clients/{id}/secrets` | `{"secret"}`: adds a secret (rotation), returns its id |
//! | `DELETE /_sandbox/clients/{id}/secrets/{secretId}` | revokes a secret at once (and its tokens) |
//! | `POST /_sandbox/run` | generates due queued invoices and sends due webhooks now |
//! | `POST /_sandbox/strictness` | `{"strictness": "nic" \| "quickstart"}` |

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::DateTime;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::{sha256_hex, App};
use crate::config::{ClientSeed, Strictness};
use crate::faults::Fault;
use crate::http::{invalid, not_found, ok, parse_json, parse_typed, ApiResult};
use crate::store::{ClientRec, ClientSecret};

fn clock_object(app: &App) -> Value {
    json!({"now": app.now().to_rfc3339(), "offsetSeconds": app.clock.offset_secs()})
}

/// `GET /_sandbox/clock`.
pub async fn get_clock(State(app): State<Arc<App>>) -> Response {
    ok(&clock_object(&app))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClockBody {
    #[serde(default)]
    advance_seconds: Option<i64>,
    #[serde(default)]
    now: Option<String>,
}

/// `POST /_sandbox/clock`.
pub async fn set_clock(State(app): State<Arc<App>>, body: Bytes) -> ApiResult<Response> {
    let req: ClockBody = parse_typed(parse_json(&body)?, "clock change")?;
    match (req.advance_seconds, req.now) {
        (Some(s), None) => app.clock.advance(s),
        (None, Some(t)) => {
            let t = DateTime::parse_from_rfc3339(&t).map_err(|e| invalid(format!("now: {e}")))?;
            app.clock.set(t);
        }
        _ => return Err(invalid("send exactly one of advanceSeconds and now")),
    }
    run_due(&app).await;
    Ok(ok(&clock_object(&app)))
}

async fn run_due(app: &Arc<App>) -> (usize, usize) {
    let before = app.store().queued.len();
    crate::einvoice::complete_due(app);
    let generated = before.saturating_sub(app.store().queued.len());
    let sent = crate::webhooks::run_due(app).await;
    (generated, sent)
}

/// `POST /_sandbox/run`.
pub async fn run(State(app): State<Arc<App>>) -> Response {
    let (generated, sent) = run_due(&app).await;
    ok(&json!({"generated": generated, "webhookAttempts": sent}))
}

/// `GET /_sandbox/faults`.
pub async fn list_faults(State(app): State<Arc<App>>) -> Response {
    ok(&json!({"faults": app.faults.list()}))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FaultBody {
    fault: String,
    #[serde(default = "one")]
    count: u32,
}

fn one() -> u32 {
    1
}

/// `POST /_sandbox/faults`.
pub async fn add_fault(State(app): State<Arc<App>>, body: Bytes) -> ApiResult<Response> {
    let req: FaultBody = parse_typed(parse_json(&body)?, "fault")?;
    let fault = Fault::parse(&req.fault).map_err(invalid)?;
    app.faults.push(fault, req.count);
    Ok(ok(&json!({"faults": app.faults.list()})))
}

/// `DELETE /_sandbox/faults`.
pub async fn clear_faults(State(app): State<Arc<App>>) -> Response {
    app.faults.clear();
    ok(&json!({"faults": []}))
}

/// Query of the request log.
#[derive(Debug, Deserialize)]
pub struct LogQuery {
    limit: Option<usize>,
}

/// `GET /_sandbox/requests`.
pub async fn requests(State(app): State<Arc<App>>, Query(q): Query<LogQuery>) -> Response {
    let log = app.request_log.lock().unwrap_or_else(|e| e.into_inner());
    let limit = q.limit.unwrap_or(100).min(log.len());
    let data: Vec<Value> = log.iter().skip(log.len() - limit).cloned().collect();
    ok(&json!({"object": "list", "data": data}))
}

/// `POST /_sandbox/clients`.
pub async fn put_client(State(app): State<Arc<App>>, body: Bytes) -> ApiResult<Response> {
    let c: ClientSeed = parse_typed(parse_json(&body)?, "client")?;
    if c.secrets.is_empty() {
        return Err(invalid("a client needs at least one secret"));
    }
    if !c.client_id.starts_with(crate::app::TEST_CLIENT_PREFIX) {
        return Err(invalid(format!(
            "sandbox client ids start with {}",
            crate::app::TEST_CLIENT_PREFIX
        )));
    }
    let rec = ClientRec {
        client_id: c.client_id.clone(),
        secrets: c
            .secrets
            .iter()
            .enumerate()
            .map(|(i, s)| ClientSecret {
                id: format!("sec_{}", i + 1),
                sha256: sha256_hex(s.as_bytes()),
                revoked_at: None,
            })
            .collect(),
        gstins: c.gstins,
        scope: c.scope,
        products: c.products,
        rate_limit: c.rate_limit.unwrap_or(app.config.rate_limit),
    };
    app.store()
        .clients
        .insert(rec.client_id.clone(), rec.clone());
    app.persist("client", &rec.client_id, serde_json::to_value(&rec).ok());
    Ok(ok(&client_object(&rec)))
}

fn client_object(c: &ClientRec) -> Value {
    json!({
        "clientId": c.client_id,
        "gstins": c.gstins,
        "scope": c.scope,
        "products": c.products,
        "rateLimit": c.rate_limit,
        "secrets": c.secrets.iter().map(|s| json!({"id": s.id, "active": s.revoked_at.is_none()})).collect::<Vec<_>>(),
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretBody {
    secret: String,
}

/// `POST /_sandbox/clients/{id}/secrets`.
pub async fn add_secret(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    let req: SecretBody = parse_typed(parse_json(&body)?, "secret")?;
    let rec = {
        let mut store = app.store();
        let c = store
            .clients
            .get_mut(&id)
            .ok_or_else(|| not_found(format!("no client {id}")))?;
        let sid = format!("sec_{}", c.secrets.len() + 1);
        c.secrets.push(ClientSecret {
            id: sid,
            sha256: sha256_hex(req.secret.as_bytes()),
            revoked_at: None,
        });
        c.clone()
    };
    app.persist("client", &id, serde_json::to_value(&rec).ok());
    Ok(ok(&client_object(&rec)))
}

/// `DELETE /_sandbox/clients/{id}/secrets/{secretId}`.
pub async fn revoke_secret(
    State(app): State<Arc<App>>,
    Path((id, sid)): Path<(String, String)>,
) -> ApiResult<Response> {
    let now = app.now();
    let rec = {
        let mut store = app.store();
        let c = store
            .clients
            .get_mut(&id)
            .ok_or_else(|| not_found(format!("no client {id}")))?;
        let s = c
            .secrets
            .iter_mut()
            .find(|s| s.id == sid)
            .ok_or_else(|| not_found(format!("no secret {sid} on client {id}")))?;
        s.revoked_at.get_or_insert(now);
        c.clone()
    };
    app.persist("client", &id, serde_json::to_value(&rec).ok());
    Ok(ok(&client_object(&rec)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StrictnessBody {
    strictness: Strictness,
}

/// `POST /_sandbox/strictness`.
pub async fn set_strictness(State(app): State<Arc<App>>, body: Bytes) -> ApiResult<Response> {
    let req: StrictnessBody = parse_typed(parse_json(&body)?, "strictness")?;
    *app.strictness.lock().unwrap_or_else(|e| e.into_inner()) = req.strictness;
    Ok(ok(&json!({"strictness": req.strictness})))
}
