//! Webhooks (seed 001, 004): register an endpoint, receive signed events, at least once, retried on
//! the seed's schedule, with a dead-letter list.
//!
//! # Delivery
//!
//! Each event is POSTed as JSON `{"id": "evt_...", "object": "event", "type": "einvoice.generated",
//! "createdAt": "...", "data": {"object": {...}}}` with headers:
//!
//! - `OneFinOps-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`;
//! - `OneFinOps-Event-Id`, `OneFinOps-Event-Type`, `OneFinOps-Delivery-Id`.
//!
//! To verify: take `t` and `v1` from the header, compute HMAC-SHA256 with the endpoint's secret
//! over the bytes `t`, `.`, raw body, compare in constant time, and refuse a `t` too far from your
//! clock (5 minutes is usual). `t` is the sandbox clock.
//!
//! A 2xx answer delivers the event. Anything else (another status, no connection, no answer in
//! 10 s) schedules a retry 1 min, 5 min, 30 min, 1 h and 6 h after the previous attempt, on the
//! sandbox clock; after the sixth failed attempt the delivery moves to the dead-letter list
//! (`GET /v1/webhook-deliveries?status=dead_letter`), from which `POST
//! /v1/webhook-deliveries/{id}/retry` sends it again.
//!
//! Event types: `einvoice.generated`, `einvoice.failed`, `einvoice.cancelled`,
//! `ewaybill.generated`, `ewaybill.part_b_updated`, `ewaybill.extended`, `ewaybill.cancelled`,
//! `ewaybill.rejected`, `ewaybill.transporter_updated`. An endpoint subscribes to a list of types,
//! `einvoice.*` / `ewaybill.*`, or `*`; it receives the events of the GSTINs its client is bound
//! to.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::TimeDelta;
use hmac::{Hmac, Mac};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::Sha256;

use crate::app::{sha256_hex, App};
use crate::einvoice::iso;
use crate::http::{invalid, json, not_found, ok, parse_json, Access, ApiResult, Principal};
use crate::store::{Attempt, Delivery, DeliveryStatus, WebhookEndpoint};

/// Seconds to wait before each retry (seed 004: 1m, 5m, 30m, 1h, 6h).
pub const RETRY_SCHEDULE_SECS: [i64; 5] = [60, 300, 1800, 3600, 21_600];

/// Every event type.
pub const EVENT_TYPES: &[&str] = &[
    "einvoice.generated",
    "einvoice.failed",
    "einvoice.cancelled",
    "ewaybill.generated",
    "ewaybill.part_b_updated",
    "ewaybill.extended",
    "ewaybill.cancelled",
    "ewaybill.rejected",
    "ewaybill.transporter_updated",
];

/// The `OneFinOps-Signature` value for `body` sent at `t`.
pub fn signature_header(secret: &str, t: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={t},v1={hex}")
}

fn subscribed(endpoint: &WebhookEndpoint, event_type: &str) -> bool {
    endpoint.events.iter().any(|e| {
        e == "*"
            || e == event_type
            || e.strip_suffix(".*")
                .is_some_and(|prefix| event_type.split('.').next() == Some(prefix))
    })
}

/// Queues `event_type` about a document of `gstin` for every endpoint that wants it.
pub fn emit(app: &App, event_type: &str, gstin: &str, object: Value) {
    let now = app.now();
    let mut queued = Vec::new();
    {
        let mut store = app.store();
        let targets: Vec<String> = store
            .webhooks
            .values()
            .filter(|w| subscribed(w, event_type))
            .filter(|w| {
                store
                    .clients
                    .get(&w.client_id)
                    .is_some_and(|c| c.gstins.iter().any(|g| g == "*" || g == gstin))
            })
            .map(|w| w.id.clone())
            .collect();
        if targets.is_empty() {
            return;
        }
        let event = json!({
            "id": app.new_id("evt"),
            "object": "event",
            "type": event_type,
            "createdAt": iso(&now),
            "data": {"object": object},
        });
        for endpoint_id in targets {
            let d = Delivery {
                id: app.new_id("whd"),
                endpoint_id,
                event: event.clone(),
                status: DeliveryStatus::Pending,
                next_attempt_at: Some(now),
                attempts: Vec::new(),
            };
            store.deliveries.insert(d.id.clone(), d.clone());
            queued.push(d);
        }
    }
    for d in queued {
        app.persist("delivery", &d.id, serde_json::to_value(&d).ok());
    }
    app.wake.notify_one();
}

/// POSTs `body` to an `http://` URL; the status, or why there is none.
async fn post(url: &str, headers: &[(&str, String)], body: Vec<u8>) -> Result<u16, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| "only http:// endpoints are supported by the sandbox".to_owned())?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let stream = tokio::net::TcpStream::connect(authority)
        .await
        .map_err(|e| format!("connect {authority}: {e}"))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let mut req = hyper::Request::post(path)
        .header(hyper::header::HOST, authority)
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .header(hyper::header::USER_AGENT, "OneFinOps-Sandbox-Webhooks/1");
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let req = req
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    let resp = sender.send_request(req).await.map_err(|e| e.to_string())?;
    let status = resp.status().as_u16();
    let _ = resp.into_body().collect().await;
    Ok(status)
}

/// Attempts every delivery that is due on the sandbox clock. Returns how many were attempted.
pub async fn run_due(app: &Arc<App>) -> usize {
    let _one_at_a_time = app.delivery_lock.lock().await;
    let now = app.now();
    let due: Vec<(Delivery, WebhookEndpoint)> = {
        let store = app.store();
        store
            .deliveries
            .values()
            .filter(|d| {
                d.status == DeliveryStatus::Pending && d.next_attempt_at.is_some_and(|t| t <= now)
            })
            .filter_map(|d| {
                store
                    .webhooks
                    .get(&d.endpoint_id)
                    .map(|w| (d.clone(), w.clone()))
            })
            .collect()
    };
    let count = due.len();
    let mut tasks = tokio::task::JoinSet::new();
    for (d, w) in due {
        let app = app.clone();
        tasks.spawn(async move {
            let body = d.event.to_string().into_bytes();
            let t = app.now().timestamp();
            let headers = [
                ("onefinops-signature", signature_header(&w.secret, t, &body)),
                (
                    "onefinops-event-id",
                    d.event["id"].as_str().unwrap_or_default().to_owned(),
                ),
                (
                    "onefinops-event-type",
                    d.event["type"].as_str().unwrap_or_default().to_owned(),
                ),
                ("onefinops-delivery-id", d.id.clone()),
            ];
            let result =
                tokio::time::timeout(Duration::from_secs(10), post(&w.url, &headers, body))
                    .await
                    .unwrap_or_else(|_| Err("no answer within 10 s".into()));
            record_attempt(&app, &d.id, result);
        });
    }
    while tasks.join_next().await.is_some() {}
    count
}

fn record_attempt(app: &App, id: &str, result: Result<u16, String>) {
    let now = app.now();
    let updated = {
        let mut store = app.store();
        let Some(d) = store.deliveries.get_mut(id) else {
            return;
        };
        let (status, error) = match &result {
            Ok(s) => (Some(*s), None),
            Err(e) => (None, Some(e.clone())),
        };
        d.attempts.push(Attempt {
            at: now,
            status,
            error,
        });
        if matches!(result, Ok(s) if (200..300).contains(&s)) {
            d.status = DeliveryStatus::Delivered;
            d.next_attempt_at = None;
        } else {
            let failures = d
                .attempts
                .iter()
                .rev()
                .take_while(|a| !a.status.is_some_and(|s| (200..300).contains(&s)))
                .count();
            match RETRY_SCHEDULE_SECS.get(failures.saturating_sub(1)) {
                Some(secs) if failures <= RETRY_SCHEDULE_SECS.len() => {
                    d.next_attempt_at = Some(now + TimeDelta::seconds(*secs));
                }
                _ => {
                    d.status = DeliveryStatus::DeadLetter;
                    d.next_attempt_at = None;
                }
            }
        }
        d.clone()
    };
    app.persist("delivery", id, serde_json::to_value(&updated).ok());
}

/// The endpoint object (the secret only when `with_secret`).
fn endpoint_object(w: &WebhookEndpoint, with_secret: bool) -> Value {
    let mut v = json!({
        "id": w.id,
        "object": "webhook_endpoint",
        "url": w.url,
        "events": w.events,
        "createdAt": iso(&w.created_at),
    });
    if with_secret {
        v["secret"] = json!(w.secret);
    }
    v
}

/// Body of `POST /v1/webhook-endpoints`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CreateEndpoint {
    url: String,
    #[serde(default)]
    events: Option<Vec<String>>,
    #[serde(default)]
    secret: Option<String>,
}

/// `POST /v1/webhook-endpoints`: `{"url", "events"?, "secret"?}`; the secret (given or
/// generated, `whsec_...`) is returned by this call only.
pub async fn create_endpoint(
    State(app): State<Arc<App>>,
    principal: Principal,
    body: Bytes,
) -> ApiResult<Response> {
    principal.require(None, Access::IrnWrite)?;
    let req: CreateEndpoint = crate::http::parse_typed(parse_json(&body)?, "webhook endpoint")?;
    if !req.url.starts_with("http://") && !req.url.starts_with("https://") {
        return Err(invalid("url must be an http:// URL"));
    }
    let events = req.events.unwrap_or_else(|| vec!["*".into()]);
    for e in &events {
        let known =
            e == "*" || e == "einvoice.*" || e == "ewaybill.*" || EVENT_TYPES.contains(&e.as_str());
        if !known {
            return Err(invalid(format!("unknown event type `{e}`")));
        }
    }
    let id = app.new_id("we");
    let secret = req.secret.filter(|s| !s.is_empty()).unwrap_or_else(|| {
        let seed = format!("{}{id}", sha256_hex(&app.token_key));
        format!("whsec_{}", &sha256_hex(seed.as_bytes())[..40])
    });
    let w = WebhookEndpoint {
        id: id.clone(),
        client_id: principal.client_id.clone(),
        url: req.url,
        secret,
        events,
        created_at: app.now(),
    };
    app.store().webhooks.insert(id.clone(), w.clone());
    app.persist("webhook", &id, serde_json::to_value(&w).ok());
    Ok(json(StatusCode::CREATED, &endpoint_object(&w, true)))
}

/// `GET /v1/webhook-endpoints`.
pub async fn list_endpoints(
    State(app): State<Arc<App>>,
    principal: Principal,
) -> ApiResult<Response> {
    let data: Vec<Value> = app
        .store()
        .webhooks
        .values()
        .filter(|w| w.client_id == principal.client_id)
        .map(|w| endpoint_object(w, false))
        .collect();
    Ok(ok(&json!({"object": "list", "data": data})))
}

/// `DELETE /v1/webhook-endpoints/{id}`.
pub async fn delete_endpoint(
    State(app): State<Arc<App>>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    principal.require(None, Access::IrnWrite)?;
    let mut store = app.store();
    match store.webhooks.get(&id) {
        Some(w) if w.client_id == principal.client_id => {
            store.webhooks.remove(&id);
        }
        _ => return Err(not_found(format!("no webhook endpoint {id}"))),
    }
    drop(store);
    app.persist("webhook", &id, None);
    Ok(ok(
        &json!({"id": id, "object": "webhook_endpoint", "deleted": true}),
    ))
}

/// Query of `GET /v1/webhook-deliveries`.
#[derive(Debug, Deserialize)]
pub struct DeliveryQuery {
    status: Option<String>,
}

fn delivery_object(d: &Delivery) -> Value {
    json!({
        "id": d.id,
        "object": "webhook_delivery",
        "endpointId": d.endpoint_id,
        "status": d.status,
        "eventId": d.event["id"],
        "eventType": d.event["type"],
        "nextAttemptAt": d.next_attempt_at.map(|t| iso(&t)),
        "attempts": d.attempts.iter().map(|a| json!({
            "at": iso(&a.at), "status": a.status, "error": a.error,
        })).collect::<Vec<_>>(),
        "event": d.event,
    })
}

/// `GET /v1/webhook-deliveries?status=pending|delivered|dead_letter`: the caller's deliveries
/// (the dead-letter list with `status=dead_letter`).
pub async fn list_deliveries(
    State(app): State<Arc<App>>,
    principal: Principal,
    Query(q): Query<DeliveryQuery>,
) -> ApiResult<Response> {
    let wanted = match q.status.as_deref() {
        None => None,
        Some("pending") => Some(DeliveryStatus::Pending),
        Some("delivered") => Some(DeliveryStatus::Delivered),
        Some("dead_letter") => Some(DeliveryStatus::DeadLetter),
        Some(other) => return Err(invalid(format!("unknown status `{other}`"))),
    };
    let store = app.store();
    let data: Vec<Value> = store
        .deliveries
        .values()
        .filter(|d| wanted.is_none_or(|s| d.status == s))
        .filter(|d| {
            store
                .webhooks
                .get(&d.endpoint_id)
                .is_some_and(|w| w.client_id == principal.client_id)
        })
        .map(delivery_object)
        .collect();
    Ok(ok(&json!({"object": "list", "data": data})))
}

/// `POST /v1/webhook-deliveries/{id}/retry`: sends a delivery again now (from the dead-letter
/// list, or ahead of its schedule).
pub async fn retry_delivery(
    State(app): State<Arc<App>>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    principal.require(None, Access::IrnWrite)?;
    let now = app.now();
    let d = {
        let mut store = app.store();
        let owner = store
            .deliveries
            .get(&id)
            .and_then(|d| store.webhooks.get(&d.endpoint_id))
            .map(|w| w.client_id.clone());
        if owner.as_deref() != Some(principal.client_id.as_str()) {
            return Err(not_found(format!("no webhook delivery {id}")));
        }
        let d = store.deliveries.get_mut(&id).expect("checked above");
        d.status = DeliveryStatus::Pending;
        d.next_attempt_at = Some(now);
        d.attempts.clear();
        d.clone()
    };
    app.persist("delivery", &id, serde_json::to_value(&d).ok());
    app.wake.notify_one();
    Ok(ok(&delivery_object(&d)))
}
