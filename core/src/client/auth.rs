//! OAuth client credentials (seed 002 step 1) and the token cache.
//!
//! A token is requested with `grant_type=client_credentials`, the client's id and secret and
//! `scope=gstn-india`, form-encoded, and cached **per OAuth client** until `expires_in` minus a
//! skew (default 60 s of a 900 s token), so calls share it ("Cache them — don't request a new
//! one per call"). The engine drops a cached token when the API answers 401 with it and mints a
//! new one, once per call. Tokens are [`Secret`]s: never printed by `Debug`, never logged.

use std::collections::HashMap;

use serde_json::Value;

use super::config::{Config, OAuthClient, SCOPE};
use super::transport::{HttpRequest, Method};
use crate::credentials::Secret;
use crate::error::Error;

/// A cached access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedToken {
    /// The bearer token.
    pub access_token: Secret,
    /// When to stop using it (engine milliseconds): expiry minus the skew.
    pub use_until_ms: u64,
}

/// Tokens by client id.
#[derive(Debug, Default, Clone)]
pub struct TokenCache {
    tokens: HashMap<String, CachedToken>,
}

impl TokenCache {
    /// The client's token if it is still good at `now_ms`.
    pub fn get(&self, client_id: &str, now_ms: u64) -> Option<&CachedToken> {
        self.tokens
            .get(client_id)
            .filter(|t| now_ms < t.use_until_ms)
    }

    /// Caches a token minted at `now_ms`, valid `expires_in` seconds, used until `skew_ms` before
    /// that (but at least half its life, for a server that issues very short tokens).
    pub fn put(
        &mut self,
        client_id: &str,
        access_token: Secret,
        expires_in: u64,
        skew_ms: u64,
        now_ms: u64,
    ) {
        let life = expires_in.saturating_mul(1000);
        let usable = life.saturating_sub(skew_ms).max(life / 2);
        self.tokens.insert(
            client_id.to_owned(),
            CachedToken {
                access_token,
                use_until_ms: now_ms.saturating_add(usable),
            },
        );
    }

    /// Forgets the client's token if it is still `token` (another call may have refreshed it).
    pub fn invalidate(&mut self, client_id: &str, token: &Secret) {
        if self
            .tokens
            .get(client_id)
            .is_some_and(|t| t.access_token == *token)
        {
            self.tokens.remove(client_id);
        }
    }

    /// Forgets every token.
    pub fn clear(&mut self) {
        self.tokens.clear();
    }
}

/// Percent-encodes a form value (everything but the unreserved characters).
pub fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The token request for `client`.
pub fn token_request(config: &Config, client: &OAuthClient) -> HttpRequest {
    let body = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}&scope={}",
        form_encode(&client.client_id),
        form_encode(client.client_secret.expose()),
        form_encode(SCOPE)
    );
    HttpRequest {
        method: Method::Post,
        url: config.environment.token_url.clone(),
        headers: vec![
            (
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ),
            ("accept".into(), "application/json".into()),
            ("user-agent".into(), config.user_agent.clone()),
        ],
        body: body.into_bytes(),
        timeout: config.timeouts.request,
        connect_timeout: config.timeouts.connect,
    }
}

/// Reads a token answer: `{"access_token", "expires_in", "token_type": "Bearer"}`.
pub fn parse_token_response(body: &[u8]) -> Result<(Secret, u64), Error> {
    let v: Value = serde_json::from_slice(body).map_err(|_| {
        Error::internal("the token endpoint answered with something that is not JSON")
    })?;
    let token = v
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::internal("the token endpoint's answer has no access_token"))?;
    if let Some(kind) = v.get("token_type").and_then(Value::as_str) {
        if !kind.eq_ignore_ascii_case("bearer") {
            return Err(Error::internal(format!(
                "the token endpoint issued a `{kind}` token; only Bearer is supported"
            )));
        }
    }
    let expires_in = match v.get("expires_in") {
        Some(Value::Number(n)) => n.to_string().parse::<f64>().ok().map(|f| f.max(0.0) as u64),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
    // The seed documents 900 s; a server that omits it gets that.
    .unwrap_or(900);
    Ok((Secret::new(token), expires_in))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_respects_skew_and_invalidation() {
        let mut c = TokenCache::default();
        c.put("a", Secret::new("t1"), 900, 60_000, 1_000);
        assert!(c.get("a", 1_000 + 839_999).is_some());
        assert!(c.get("a", 1_000 + 840_000).is_none());
        c.invalidate("a", &Secret::new("other"));
        assert!(c.get("a", 2_000).is_some());
        c.invalidate("a", &Secret::new("t1"));
        assert!(c.get("a", 2_000).is_none());
        // A 60 s token with a 60 s skew is still used for half its life.
        c.put("b", Secret::new("t"), 60, 60_000, 0);
        assert!(c.get("b", 29_999).is_some());
    }

    #[test]
    fn form_encoding() {
        assert_eq!(form_encode("a b&c=d+é"), "a%20b%26c%3Dd%2B%C3%A9");
        assert_eq!(form_encode("ofin_test_x-1.~"), "ofin_test_x-1.~");
    }

    #[test]
    fn token_answer() {
        let (t, e) = parse_token_response(
            br#"{"access_token":"eyJ.x.y","expires_in":900,"token_type":"Bearer","scope":"gstn-india"}"#,
        )
        .unwrap();
        assert_eq!((t.expose(), e), ("eyJ.x.y", 900));
        assert!(parse_token_response(br#"{"expires_in":900}"#).is_err());
    }
}
