//! `/v1/gsp-credentials`: the IRP and EWB portal logins that calls run under (seed 000, 001).
//!
//! - `POST /v1/gsp-credentials` `{"gstin", "portal": "irp"|"ewb", "username", "password"}`: onboard.
//! - `GET /v1/gsp-credentials[?gstin=&portal=]`, `GET /v1/gsp-credentials/{id}`.
//! - `POST /v1/gsp-credentials/{id}/verify`: checks the newest password with the (simulated)
//!   portal. The sandbox portal refuses exactly one password, `wrong-password` (502
//!   `upstream.failure`, NIC 1019 "Incorrect password", status `failed`); faults apply.
//! - `POST /v1/gsp-credentials/{id}/rotate` `{"password", "username"?}`: dual-key rotation. The new
//!   password is added as a key; the old one keeps working until it is revoked with
//!   `DELETE /v1/gsp-credentials/{id}/keys/{keyId}`.
//! - `DELETE /v1/gsp-credentials/{id}`.
//!
//! Passwords go one way: only a SHA-256 of each is kept, no response carries one, and the request
//! log redacts them. A credential whose keys are all revoked, or whose last verification failed,
//! does not count for `irp_credentials.not_configured`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use onefinops_core::credentials::{
    CreateGspCredential, CredentialStatus, Portal, RotateGspCredential,
};
use onefinops_core::error::{Error, Upstream};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::{sha256_hex, App};
use crate::einvoice::iso;
use crate::faults::RequestFaults;
use crate::http::{
    invalid, json, not_found, ok, parse_json, parse_typed, Access, ApiError, ApiResult, Principal,
};
use crate::store::{GspCredRec, GspKey};

/// The one password the sandbox portal refuses.
pub const WRONG_PASSWORD: &str = "wrong-password";

/// The credential object (never a password).
pub fn credential_object(c: &GspCredRec) -> Value {
    json!({
        "id": c.id,
        "object": "gsp_credential",
        "gstin": c.gstin,
        "portal": c.portal,
        "username": c.username,
        "status": c.status,
        "createdAt": iso(&c.created_at),
        "lastVerifiedAt": c.last_verified_at.map(|t| iso(&t)),
        "rotatedAt": c.rotated_at.map(|t| iso(&t)),
        "keys": c.keys.iter().map(|k| json!({
            "id": k.id,
            "createdAt": iso(&k.created_at),
            "revokedAt": k.revoked_at.map(|t| iso(&t)),
            "active": k.revoked_at.is_none(),
        })).collect::<Vec<_>>(),
    })
}

fn save(app: &App, c: &GspCredRec) {
    app.persist("gspCredential", &c.id, serde_json::to_value(c).ok());
}

fn find(app: &App, principal: &Principal, id: &str) -> ApiResult<GspCredRec> {
    let c = app
        .store()
        .gsp_credentials
        .get(id)
        .cloned()
        .ok_or_else(|| not_found(format!("no GSP credential {id}")))?;
    principal.require_gstin(&c.gstin)?;
    Ok(c)
}

/// `POST /v1/gsp-credentials`.
pub async fn create(
    State(app): State<Arc<App>>,
    principal: Principal,
    body: Bytes,
) -> ApiResult<Response> {
    principal.require(None, Access::Write)?;
    let req: CreateGspCredential = parse_typed(parse_json(&body)?, "GSP credential")?;
    principal.require_gstin(&req.gstin)?;
    if req.username.trim().is_empty() || req.password.expose().is_empty() {
        return Err(invalid("username and password must not be empty"));
    }
    let now = app.now();
    let c = {
        let mut store = app.store();
        if let Some(existing) = store
            .gsp_credentials
            .values()
            .find(|c| c.gstin == req.gstin && c.portal == req.portal)
        {
            return Err(invalid(format!(
                "GSTIN {} already has a {} credential ({}): rotate it instead",
                req.gstin,
                portal_name(req.portal),
                existing.id
            )));
        }
        let c = GspCredRec {
            id: app.new_id("gspc"),
            gstin: req.gstin.clone(),
            portal: req.portal,
            username: req.username.clone(),
            status: CredentialStatus::Unverified,
            created_at: now,
            last_verified_at: None,
            rotated_at: None,
            keys: vec![GspKey {
                id: app.new_id("key"),
                password_sha256: sha256_hex(req.password.expose().as_bytes()),
                created_at: now,
                revoked_at: None,
            }],
        };
        store.gsp_credentials.insert(c.id.clone(), c.clone());
        c
    };
    save(&app, &c);
    Ok(json(StatusCode::CREATED, &credential_object(&c)))
}

fn portal_name(p: Portal) -> &'static str {
    match p {
        Portal::Irp => "IRP",
        Portal::Ewb => "EWB",
    }
}

/// Query of the list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    gstin: Option<String>,
    portal: Option<Portal>,
}

/// `GET /v1/gsp-credentials`.
pub async fn list(
    State(app): State<Arc<App>>,
    principal: Principal,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let data: Vec<Value> = app
        .store()
        .gsp_credentials
        .values()
        .filter(|c| principal.acts_for(&c.gstin))
        .filter(|c| q.gstin.as_ref().is_none_or(|g| *g == c.gstin))
        .filter(|c| q.portal.is_none_or(|p| p == c.portal))
        .map(credential_object)
        .collect();
    Ok(ok(&json!({"object": "list", "data": data})))
}

/// `GET /v1/gsp-credentials/{id}`.
pub async fn get(
    State(app): State<Arc<App>>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    Ok(ok(&credential_object(&find(&app, &principal, &id)?)))
}

/// `POST /v1/gsp-credentials/{id}/verify`.
pub async fn verify(
    State(app): State<Arc<App>>,
    principal: Principal,
    Extension(faults): Extension<RequestFaults>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    principal.require(None, Access::Write)?;
    let c = find(&app, &principal, &id)?;
    if let Some(e) = app
        .faults
        .take_upstream(&faults)
        .and_then(|f| f.error(&format!("{} portal", portal_name(c.portal))))
    {
        return Err(ApiError(e));
    }
    let Some(newest) = c.keys.iter().rev().find(|k| k.revoked_at.is_none()) else {
        return Err(invalid(
            "every key of this credential is revoked: rotate it first",
        ));
    };
    let refused = newest.password_sha256 == sha256_hex(WRONG_PASSWORD.as_bytes());
    let now = app.now();
    let updated = {
        let mut store = app.store();
        let Some(rec) = store.gsp_credentials.get_mut(&id) else {
            return Err(not_found(format!("no GSP credential {id}")));
        };
        if refused {
            rec.status = CredentialStatus::Failed;
        } else {
            rec.status = CredentialStatus::Verified;
            rec.last_verified_at = Some(now);
        }
        rec.clone()
    };
    save(&app, &updated);
    if refused {
        return Err(ApiError(Error::upstream_failure(
            format!(
                "the {} portal refused the credential's password",
                portal_name(c.portal)
            ),
            Upstream::new("1019", "Incorrect password"),
        )));
    }
    Ok(ok(&credential_object(&updated)))
}

/// `POST /v1/gsp-credentials/{id}/rotate`.
pub async fn rotate(
    State(app): State<Arc<App>>,
    principal: Principal,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    principal.require(None, Access::Write)?;
    find(&app, &principal, &id)?;
    let req: RotateGspCredential = parse_typed(parse_json(&body)?, "rotation")?;
    if req.password.expose().is_empty() {
        return Err(invalid("password must not be empty"));
    }
    let now = app.now();
    let updated = {
        let mut store = app.store();
        let Some(rec) = store.gsp_credentials.get_mut(&id) else {
            return Err(not_found(format!("no GSP credential {id}")));
        };
        rec.keys.push(GspKey {
            id: app.new_id("key"),
            password_sha256: sha256_hex(req.password.expose().as_bytes()),
            created_at: now,
            revoked_at: None,
        });
        if let Some(u) = req.username.filter(|u| !u.trim().is_empty()) {
            rec.username = u;
        }
        rec.rotated_at = Some(now);
        rec.status = CredentialStatus::Unverified;
        rec.clone()
    };
    save(&app, &updated);
    Ok(ok(&credential_object(&updated)))
}

/// `DELETE /v1/gsp-credentials/{id}/keys/{keyId}`: revokes one key at once.
pub async fn revoke_key(
    State(app): State<Arc<App>>,
    principal: Principal,
    Path((id, key_id)): Path<(String, String)>,
) -> ApiResult<Response> {
    principal.require(None, Access::Write)?;
    find(&app, &principal, &id)?;
    let now = app.now();
    let updated = {
        let mut store = app.store();
        let Some(rec) = store.gsp_credentials.get_mut(&id) else {
            return Err(not_found(format!("no GSP credential {id}")));
        };
        let Some(key) = rec.keys.iter_mut().find(|k| k.id == key_id) else {
            return Err(not_found(format!("no key {key_id} on credential {id}")));
        };
        key.revoked_at.get_or_insert(now);
        if rec.keys.iter().all(|k| k.revoked_at.is_some()) {
            rec.status = CredentialStatus::Revoked;
        }
        rec.clone()
    };
    save(&app, &updated);
    Ok(ok(&credential_object(&updated)))
}

/// `DELETE /v1/gsp-credentials/{id}`.
pub async fn delete(
    State(app): State<Arc<App>>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    principal.require(None, Access::Write)?;
    find(&app, &principal, &id)?;
    app.store().gsp_credentials.remove(&id);
    app.persist("gspCredential", &id, None);
    Ok(ok(
        &json!({"id": id, "object": "gsp_credential", "deleted": true}),
    ))
}
