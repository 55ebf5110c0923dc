//! OAuth client credentials (seed 002 step 1) and bearer-token checks.
//!
//! `POST /realms/onefinops/protocol/openid-connect/token`, form-encoded: `grant_type=
//! client_credentials`, `client_id`, `client_secret` (or HTTP Basic), `scope=gstn-india`
//! (optional; any other scope is refused). Answer: `{"access_token", "expires_in": 900,
//! "token_type": "Bearer", "scope": "gstn-india"}`.
//!
//! Tokens are HS256 JWTs naming the client and the secret that minted them (`sid`), valid 900 s on
//! the sandbox clock. A token is refused (401 `auth.invalid_token`) when it is malformed, its
//! signature is wrong, it has expired, its client is gone, or the secret that minted it has been
//! revoked: revoking the old secret of a rotation takes effect at once, for new tokens and for the
//! tokens it minted. Errors use the API's envelope, not OAuth's `{"error": "invalid_client"}`,
//! so one error reader serves every endpoint.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::json;
use std::sync::Arc;

use crate::app::{sha256_hex, App};
use crate::http::{header_str, invalid, ok, unauthorized, ApiResult, AuthState, Principal};
use crate::jws;

/// Token lifetime in seconds (seed 002: "Tokens are valid for 15 minutes").
pub const TOKEN_TTL_SECS: i64 = 900;

/// The only scope (seed 002).
pub const SCOPE: &str = "gstn-india";

/// Decodes `application/x-www-form-urlencoded` text.
pub fn parse_form(body: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn ct_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The token endpoint.
pub async fn token(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let form = parse_form(&body);
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    match field("grant_type").as_deref() {
        Some("client_credentials") => {}
        Some(other) => {
            return Err(invalid(format!(
                "unsupported grant_type `{other}`: only client_credentials is supported"
            )))
        }
        None => return Err(invalid("grant_type is required (client_credentials)")),
    }
    if let Some(scope) = field("scope") {
        if scope.split_whitespace().any(|s| s != SCOPE) {
            return Err(invalid(format!(
                "unknown scope `{scope}`: the only scope is {SCOPE}"
            )));
        }
    }
    let (mut client_id, mut secret) = (field("client_id"), field("client_secret"));
    if let Some(basic) =
        header_str(&headers, "authorization").and_then(|h| h.strip_prefix("Basic "))
    {
        if let Ok(decoded) = STANDARD.decode(basic.trim()) {
            let text = String::from_utf8_lossy(&decoded).into_owned();
            if let Some((id, s)) = text.split_once(':') {
                client_id = client_id.or(Some(percent_decode(id)));
                secret = secret.or(Some(percent_decode(s)));
            }
        }
    }
    let (Some(client_id), Some(secret)) = (client_id, secret) else {
        return Err(unauthorized("client_id and client_secret are required"));
    };
    let digest = sha256_hex(secret.as_bytes());
    let sid = {
        let store = app.store();
        let client = store.clients.get(&client_id);
        client.and_then(|c| {
            c.secrets
                .iter()
                .find(|s| s.revoked_at.is_none() && ct_eq(&s.sha256, &digest))
                .map(|s| s.id.clone())
        })
    };
    let Some(sid) = sid else {
        return Err(unauthorized("invalid client credentials"));
    };
    let now = app.now().timestamp();
    let claims = json!({
        "iss": "onefinops-sandbox",
        "sub": client_id,
        "sid": sid,
        "scope": SCOPE,
        "iat": now,
        "exp": now + TOKEN_TTL_SECS,
        "jti": app.new_id("tok"),
    });
    let token = jws::hs256(&app.token_key, &claims);
    let mut body = crate::http::Obj::new();
    body.set("access_token", token)
        .set("expires_in", TOKEN_TTL_SECS)
        .set("token_type", "Bearer")
        .set("scope", SCOPE);
    Ok(ok(&body))
}

/// Reads the `Authorization` header of a request.
pub fn authenticate(app: &App, headers: &HeaderMap) -> AuthState {
    let Some(value) = header_str(headers, "authorization") else {
        return AuthState::Missing;
    };
    let Some(token) = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
    else {
        return AuthState::Invalid("the Authorization header is not `Bearer <token>`".into());
    };
    let Some(claims) = jws::hs256_verify(&app.token_key, token) else {
        return AuthState::Invalid("the token is malformed or not issued by this sandbox".into());
    };
    let exp = claims.get("exp").and_then(|v| v.as_i64()).unwrap_or(0);
    if app.now().timestamp() >= exp {
        return AuthState::Invalid("the token has expired: mint a new one".into());
    }
    let client_id = claims
        .get("sub")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let sid = claims
        .get("sid")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let store = app.store();
    let Some(client) = store.clients.get(client_id) else {
        return AuthState::Invalid("the token's client no longer exists".into());
    };
    if !client
        .secrets
        .iter()
        .any(|s| s.id == sid && s.revoked_at.is_none())
    {
        return AuthState::Invalid("the secret that minted this token has been revoked".into());
    }
    AuthState::Valid(Principal {
        client_id: client.client_id.clone(),
        gstins: client.gstins.clone(),
        scope: client.scope,
        products: client.products.clone(),
        rate_limit: client.rate_limit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding() {
        let f = parse_form(
            b"grant_type=client_credentials&client_id=ofin_test_a%2Bb&client_secret=x+y%21",
        );
        assert_eq!(f[1].1, "ofin_test_a+b");
        assert_eq!(f[2].1, "x y!");
        assert_eq!(parse_form(b"a=%zz&b=%4")[0].1, "%zz");
    }
}
