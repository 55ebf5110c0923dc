//! HTTP plumbing shared by the handlers: the error envelope as a response, JSON responses, the
//! request id, the authenticated principal, and per-request fault settings.

use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use onefinops_core::error::Error;
use serde::Serialize;
use serde_json::Value;

use crate::config::{Product, Scope};

tokio::task_local! {
    /// The id of the request being served (echoed `X-Request-Id` or issued `req_...`).
    pub static REQUEST_ID: String;
}

/// The current request id, if inside a request.
pub fn request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// An API error: the core's [`Error`], answered with its status and envelope.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

/// Result of a handler.
pub type ApiResult<T = Response> = Result<T, ApiError>;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        error_response(self.0)
    }
}

/// The response for an error: status, envelope body (with the request id), `Retry-After` for
/// rate limits.
pub fn error_response(mut e: Error) -> Response {
    if e.request_id().is_none() {
        if let Some(id) = request_id() {
            e = e.with_request_id(id);
        }
    }
    let status = StatusCode::from_u16(e.http_status().unwrap_or(500))
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = (status, json_body(&e.to_envelope())).into_response();
    if let Some(retry) = e.retry_after_header() {
        if let Ok(v) = HeaderValue::from_str(&retry) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    resp
}

/// A JSON body with its content type.
pub fn json_body<T: Serialize + ?Sized>(v: &T) -> ([(header::HeaderName, HeaderValue); 1], String) {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        serde_json::to_string(v).unwrap_or_else(|_| "{}".into()),
    )
}

/// A JSON response.
pub fn json<T: Serialize + ?Sized>(status: StatusCode, v: &T) -> Response {
    (status, json_body(v)).into_response()
}

/// `200 OK` with JSON.
pub fn ok<T: Serialize + ?Sized>(v: &T) -> Response {
    json(StatusCode::OK, v)
}

/// A JSON object written with its keys in insertion order (serde_json's own map sorts them), so
/// objects read as the documentation shows them: `id` and `object` first.
#[derive(Debug, Clone, Default)]
pub struct Obj(Vec<(&'static str, Value)>);

impl Obj {
    /// An empty object.
    pub fn new() -> Self {
        Obj(Vec::new())
    }

    /// Sets `key` (replacing an earlier value, keeping its place).
    pub fn set(&mut self, key: &'static str, value: impl Serialize) -> &mut Self {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
        self
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// As a plain JSON value (keys sorted from then on).
    pub fn to_value(&self) -> Value {
        Value::Object(
            self.0
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }
}

impl Serialize for Obj {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// `invalid_argument` (400).
pub fn invalid(message: impl Into<String>) -> ApiError {
    ApiError(Error::invalid_argument(message))
}

/// `not_found` (404).
pub fn not_found(message: impl Into<String>) -> ApiError {
    ApiError(Error::NotFound {
        message: message.into(),
        request_id: None,
    })
}

/// `auth.entitlement_missing` (403).
pub fn forbidden(message: impl Into<String>) -> ApiError {
    ApiError(Error::EntitlementMissing {
        message: message.into(),
        request_id: None,
    })
}

/// `auth.invalid_token` (401).
pub fn unauthorized(message: impl Into<String>) -> ApiError {
    ApiError(Error::InvalidToken {
        message: message.into(),
        request_id: None,
    })
}

/// Parses a JSON body; a body that is not JSON is a 422 with one `parse.invalid_json` detail.
pub fn parse_json(body: &[u8]) -> ApiResult<Value> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError(Error::validation(
            "the request body is not valid JSON",
            vec![onefinops_core::finding::Finding::error(
                "",
                "parse.invalid_json",
                format!(
                    "not valid JSON at line {} column {}: {e}",
                    e.line(),
                    e.column()
                ),
            )],
        ))
    })
}

/// Reads a typed body through the core's deserializer, so a wrong field is a 422 whose detail
/// names the field.
pub fn parse_typed<T: serde::de::DeserializeOwned>(value: Value, what: &str) -> ApiResult<T> {
    onefinops_core::einvoice::parse::deserialize::<T>(value)
        .map_err(|f| ApiError(Error::validation(format!("invalid {what}"), vec![f])))
}

/// Who is calling: the OAuth client behind the bearer token.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The client id.
    pub client_id: String,
    /// The GSTINs it acts for (`*`: any).
    pub gstins: Vec<String>,
    /// What its tokens may do.
    pub scope: Scope,
    /// What its plan includes.
    pub products: Vec<Product>,
    /// Requests per second.
    pub rate_limit: u32,
}

/// What a call needs beyond a valid token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// A read.
    Read,
    /// An e-invoice write (generate, cancel, bulk, QR image).
    IrnWrite,
    /// Any other write (e-way bills, credentials, webhooks).
    Write,
}

impl Principal {
    /// Whether the client acts for `gstin`.
    pub fn acts_for(&self, gstin: &str) -> bool {
        self.gstins.iter().any(|g| g == "*" || g == gstin)
    }

    /// 403 unless the client acts for `gstin` (seed 001: "a credential for GSTIN A cannot
    /// generate IRN against GSTIN B").
    pub fn require_gstin(&self, gstin: &str) -> ApiResult<()> {
        if self.acts_for(gstin) {
            Ok(())
        } else {
            Err(forbidden(format!(
                "client {} is not authorised for GSTIN {gstin}",
                self.client_id
            )))
        }
    }

    /// 403 unless the plan includes `product` and the scope allows `access`.
    pub fn require(&self, product: Option<Product>, access: Access) -> ApiResult<()> {
        if let Some(p) = product {
            if !self.products.contains(&p) {
                let name = match p {
                    Product::Einvoice => "e-invoicing",
                    Product::Ewaybill => "e-way bills",
                };
                return Err(forbidden(format!(
                    "the plan of client {} does not include {name}",
                    self.client_id
                )));
            }
        }
        let allowed = match (self.scope, access) {
            (_, Access::Read) => true,
            (Scope::ReadOnly, _) => false,
            (Scope::IrnOnly, Access::IrnWrite) => true,
            (Scope::IrnOnly, Access::Write) => false,
            (Scope::Full, _) => true,
        };
        if allowed {
            Ok(())
        } else {
            Err(forbidden(format!(
                "client {} has scope {}, which does not allow this call",
                self.client_id,
                self.scope.as_str()
            )))
        }
    }
}

/// How the request authenticated, set by the request pipeline.
#[derive(Debug, Clone)]
pub enum AuthState {
    /// No `Authorization` header.
    Missing,
    /// A valid token.
    Valid(Principal),
    /// A token that is malformed, expired, or whose secret was revoked.
    Invalid(String),
}

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<AuthState>() {
            Some(AuthState::Valid(p)) => Ok(p.clone()),
            Some(AuthState::Invalid(why)) => Err(unauthorized(why.clone())),
            _ => Err(unauthorized(
                "the Authorization header is missing: send `Authorization: Bearer <token>`",
            )),
        }
    }
}

/// A header's value as text, if present and visible ASCII.
pub fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Marks a response whose connection must be dropped once the response is stored (the
/// lost-response fault).
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// Marks a response with warnings to surface in `X-Sandbox-Warnings`.
#[derive(Debug, Clone)]
pub struct Warnings(pub String);

/// A binary response.
pub fn bytes(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}
