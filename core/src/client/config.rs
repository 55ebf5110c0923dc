//! The client's configuration: where to call, as whom, how patiently.
//!
//! - **Environment**: sandbox, production, or a custom base URL and token URL (the local sandbox
//!   is a custom one of kind sandbox, [`Environment::local`]). Every URL is `https://`, except a
//!   plain `http://` URL on a loopback host (127.0.0.0/8, `localhost`, `[::1]`), which is what the
//!   local sandbox serves. TLS is always verified; there is no switch to turn that off.
//! - **OAuth clients**: several, each bound to the GSTINs it acts for (seed 001: "each GSTIN gets
//!   its own OAuth client credentials"), `*` for any. A call picks its client by the document's
//!   seller GSTIN or an explicit GSTIN ([`Config::client_for`]). Client ids `ofin_test_*` never
//!   reach a production environment and `ofin_live_*` never reach a sandbox: the configuration
//!   is refused before the first request.
//! - **Timeouts, retries, polling**: [`Timeouts`], [`RetryPolicy`], [`PollPolicy`].
//! - **NIC verification keys** ([`VerificationKeys`]) and the **webhook secret**.
//!
//! Secrets are [`Secret`]s: `Debug` prints `[redacted]`, so a configuration can be logged.

use std::time::Duration;

use crate::credentials::Secret;
use crate::error::Error;
use crate::validate::ValidationOptions;

use super::signature::VerificationKeys;

/// The sandbox API (seed 000).
pub const SANDBOX_BASE_URL: &str = "https://api-sandbox.in.onefinops.com";
/// The production API (seed 000).
pub const PRODUCTION_BASE_URL: &str = "https://api.in.onefinops.com";
/// The token endpoint's path (seed 002).
pub const TOKEN_PATH: &str = "/realms/onefinops/protocol/openid-connect/token";
/// The token endpoint of both hosted environments (seed 002).
pub const TOKEN_URL: &str =
    "https://login.onefinops.com/realms/onefinops/protocol/openid-connect/token";
/// The only OAuth scope (seed 002).
pub const SCOPE: &str = "gstn-india";
/// Client ids of sandbox clients start with this (seed 000).
pub const TEST_CLIENT_PREFIX: &str = "ofin_test_";
/// Client ids of production clients start with this (seed 000).
pub const LIVE_CLIENT_PREFIX: &str = "ofin_live_";

/// Which kind of environment a set of URLs is: decides which client ids may be sent there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnvironmentKind {
    /// Test data, NIC's sandboxes; `ofin_test_*` clients only.
    Sandbox,
    /// Live NIC; `ofin_live_*` clients only.
    Production,
}

/// Where the API and its token endpoint are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// Sandbox or production.
    pub kind: EnvironmentKind,
    /// The API's base URL, without a trailing slash (`https://api.in.onefinops.com`).
    pub base_url: String,
    /// The OAuth token endpoint.
    pub token_url: String,
}

impl Environment {
    /// The hosted sandbox.
    pub fn sandbox() -> Self {
        Environment::custom(EnvironmentKind::Sandbox, SANDBOX_BASE_URL, TOKEN_URL)
    }

    /// Production.
    pub fn production() -> Self {
        Environment::custom(EnvironmentKind::Production, PRODUCTION_BASE_URL, TOKEN_URL)
    }

    /// A local sandbox at `base_url` (e.g. `http://127.0.0.1:8080`), whose token endpoint is on
    /// the same host, as `onefinops-sandbox` serves it.
    pub fn local(base_url: &str) -> Self {
        let base = base_url.trim_end_matches('/');
        Environment::custom(
            EnvironmentKind::Sandbox,
            base,
            &format!("{base}{TOKEN_PATH}"),
        )
    }

    /// Any base URL and token URL, of the given kind.
    pub fn custom(kind: EnvironmentKind, base_url: &str, token_url: &str) -> Self {
        Environment {
            kind,
            base_url: base_url.trim_end_matches('/').to_owned(),
            token_url: token_url.to_owned(),
        }
    }
}

/// An OAuth client (client-credentials grant) and the GSTINs it acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthClient {
    /// `ofin_test_*` or `ofin_live_*`.
    pub client_id: String,
    /// The client secret; redacted in `Debug`.
    pub client_secret: Secret,
    /// The GSTINs this client's tokens act for; `"*"` for any.
    pub gstins: Vec<String>,
}

impl OAuthClient {
    /// A client that acts for any GSTIN (until [`OAuthClient::for_gstins`] narrows it).
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        OAuthClient {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            gstins: vec!["*".into()],
        }
    }

    /// Binds the client to these GSTINs only.
    pub fn for_gstins<I, S>(mut self, gstins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.gstins = gstins.into_iter().map(Into::into).collect();
        self
    }

    /// Whether it names `gstin` itself (not through `*`).
    pub fn names(&self, gstin: &str) -> bool {
        self.gstins.iter().any(|g| g.eq_ignore_ascii_case(gstin))
    }

    /// Whether it acts for any GSTIN.
    pub fn is_wildcard(&self) -> bool {
        self.gstins.iter().any(|g| g == "*")
    }
}

/// Time limits of one HTTP exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// To open the connection (default 10 s).
    pub connect: Duration,
    /// For one request, from sending to the end of the answer (default 30 s; a generate is an
    /// IRP round trip).
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(30),
        }
    }
}

/// When and how patiently to retry (see [`super::retry`] for what is retried).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries of one request after its first attempt (default 3: at most 4 attempts).
    pub max_retries: u32,
    /// The backoff before the first retry (default 500 ms); doubled for each further retry.
    pub base_delay: Duration,
    /// The longest backoff (default 20 s).
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured (default 60 s). A 429 asking for longer is returned
    /// to the caller at once rather than waited out.
    pub retry_after_cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            retry_after_cap: Duration::from_secs(60),
        }
    }
}

/// How a create answered `queued` / `failed_retriable` is followed through the status endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPolicy {
    /// Follow pending creates at all (default yes).
    pub enabled: bool,
    /// The first wait (default 1 s); doubled each time up to `max_interval`, with jitter.
    pub initial_interval: Duration,
    /// The longest wait between polls (default 15 s).
    pub max_interval: Duration,
    /// How long to follow a pending create when the call gives no deadline (default 120 s).
    /// Past it the call is done with the record still pending ([`super::CallMeta::pending`]).
    pub default_deadline: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            enabled: true,
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
            default_deadline: Duration::from_secs(120),
        }
    }
}

/// Everything the client needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to call.
    pub environment: Environment,
    /// The OAuth clients, each bound to its GSTINs.
    pub clients: Vec<OAuthClient>,
    /// HTTP time limits.
    pub timeouts: Timeouts,
    /// Retries.
    pub retry: RetryPolicy,
    /// Polling of pending creates.
    pub poll: PollPolicy,
    /// A cached token is used until `expires_in` minus this (default 60 s).
    pub token_skew: Duration,
    /// NIC's signature verification keys, by `kid` (or from a JWKS).
    pub verification_keys: VerificationKeys,
    /// The webhook endpoint's secret (`whsec_...`), if webhooks are received.
    pub webhook_secret: Option<Secret>,
    /// How far a webhook's timestamp may be from now (default 5 min).
    pub webhook_tolerance: Duration,
    /// Validate documents locally before building a request (default yes). A document with an
    /// error finding then fails locally with `validation_error` and never leaves the process.
    pub prevalidate: bool,
    /// The options of that validation. `sandbox` (GSTIN check character off) is forced on for a
    /// sandbox environment, whose test GSTINs fail the check.
    pub validation: ValidationOptions,
    /// Entries of the local DUPIRN cache (default 1024; 0 turns it off).
    pub dupirn_cache_capacity: usize,
    /// The `User-Agent` sent.
    pub user_agent: String,
}

impl Config {
    /// A configuration for `environment` with every default and no client yet.
    pub fn new(environment: Environment) -> Self {
        Config {
            environment,
            clients: Vec::new(),
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            poll: PollPolicy::default(),
            token_skew: Duration::from_secs(60),
            verification_keys: VerificationKeys::default(),
            webhook_secret: None,
            webhook_tolerance: Duration::from_secs(300),
            prevalidate: true,
            validation: ValidationOptions::default(),
            dupirn_cache_capacity: 1024,
            user_agent: format!("onefinops-core/{} (rust)", crate::VERSION),
        }
    }

    /// Adds an OAuth client.
    pub fn with_client(mut self, client: OAuthClient) -> Self {
        self.clients.push(client);
        self
    }

    /// Checks the configuration: at least one client, unique ids, each id allowed in the
    /// environment, and every URL `https://` or loopback `http://`.
    pub fn validate(&self) -> Result<(), Error> {
        check_url("base URL", &self.environment.base_url)?;
        check_url("token URL", &self.environment.token_url)?;
        check_kind(&self.environment)?;
        if self.clients.is_empty() {
            return Err(Error::invalid_argument(
                "no OAuth client configured: add one with Config::with_client",
            ));
        }
        for (i, c) in self.clients.iter().enumerate() {
            if c.client_id.trim().is_empty() {
                return Err(Error::invalid_argument(
                    "an OAuth client has an empty client id",
                ));
            }
            if self.clients[..i].iter().any(|o| o.client_id == c.client_id) {
                return Err(Error::invalid_argument(format!(
                    "OAuth client {} is configured twice",
                    c.client_id
                )));
            }
            if c.gstins.is_empty() {
                return Err(Error::invalid_argument(format!(
                    "OAuth client {} is bound to no GSTIN (use \"*\" for any)",
                    c.client_id
                )));
            }
            match self.environment.kind {
                EnvironmentKind::Production if c.client_id.starts_with(TEST_CLIENT_PREFIX) => {
                    return Err(Error::invalid_argument(format!(
                        "client {} is a sandbox client ({TEST_CLIENT_PREFIX}*): it must not be sent to production",
                        c.client_id
                    )))
                }
                EnvironmentKind::Sandbox if c.client_id.starts_with(LIVE_CLIENT_PREFIX) => {
                    return Err(Error::invalid_argument(format!(
                        "client {} is a production client ({LIVE_CLIENT_PREFIX}*): it must not be sent to a sandbox",
                        c.client_id
                    )))
                }
                _ => {}
            }
        }
        if self.retry.max_delay < self.retry.base_delay {
            return Err(Error::invalid_argument(
                "retry.max_delay is shorter than retry.base_delay",
            ));
        }
        Ok(())
    }

    /// The client for a call acting for `gstin` (a client naming it wins over a `*` client); for
    /// a call with no GSTIN, the only client, or the only `*` client. A clear local error when no
    /// client covers the GSTIN, or when a call without one could be made by several.
    pub fn client_for(&self, gstin: Option<&str>) -> Result<&OAuthClient, Error> {
        match gstin {
            Some(g) => self
                .clients
                .iter()
                .find(|c| c.names(g))
                .or_else(|| self.clients.iter().find(|c| c.is_wildcard()))
                .ok_or_else(|| {
                    let ids: Vec<&str> = self.clients.iter().map(|c| c.client_id.as_str()).collect();
                    Error::invalid_argument(format!(
                        "no configured OAuth client acts for GSTIN {g} (clients: {}); add one bound to it",
                        ids.join(", ")
                    ))
                }),
            None => {
                if self.clients.len() == 1 {
                    return Ok(&self.clients[0]);
                }
                let wild: Vec<&OAuthClient> =
                    self.clients.iter().filter(|c| c.is_wildcard()).collect();
                match wild.as_slice() {
                    [only] => Ok(only),
                    _ => Err(Error::invalid_argument(
                        "several OAuth clients are configured and this call names no GSTIN: pass the GSTIN it acts for (CallOptions::gstin)",
                    )),
                }
            }
        }
    }

    /// The validation options used for prevalidation (sandbox mode forced in a sandbox).
    pub fn validation_options(&self) -> ValidationOptions {
        let mut o = self.validation.clone();
        if self.environment.kind == EnvironmentKind::Sandbox {
            o.sandbox = true;
        }
        o
    }
}

/// The scheme and host of an absolute URL (`[::1]` kept with its brackets stripped).
pub(crate) fn scheme_and_host(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    Some((scheme, host))
}

/// Whether `host` is a loopback host.
pub(crate) fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host == "::1" {
        return true;
    }
    match host.parse::<std::net::Ipv4Addr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => false,
    }
}

/// A custom environment that names a hosted API must say what that host is: the production host
/// declared as a sandbox would carry `ofin_test_*` clients to production (and the sandbox host
/// declared as production `ofin_live_*` clients to the sandbox), past the client-id check.
fn check_kind(env: &Environment) -> Result<(), Error> {
    let host = |url: &str| scheme_and_host(url).map(|(_, h)| h.to_ascii_lowercase());
    let base = host(&env.base_url);
    let known = |url: &str| host(url).is_some() && base == host(url);
    let actual = if known(PRODUCTION_BASE_URL) {
        EnvironmentKind::Production
    } else if known(SANDBOX_BASE_URL) {
        EnvironmentKind::Sandbox
    } else {
        return Ok(());
    };
    if actual != env.kind {
        return Err(Error::invalid_argument(format!(
            "the base URL `{}` is the hosted {} API, but the environment is declared {:?}: use Environment::{}()",
            env.base_url,
            if actual == EnvironmentKind::Production { "production" } else { "sandbox" },
            env.kind,
            if actual == EnvironmentKind::Production { "production" } else { "sandbox" },
        )));
    }
    Ok(())
}

/// `https://`, or `http://` to a loopback host.
pub(crate) fn check_url(what: &str, url: &str) -> Result<(), Error> {
    let Some((scheme, host)) = scheme_and_host(url) else {
        return Err(Error::invalid_argument(format!(
            "the {what} `{url}` is not an absolute URL"
        )));
    };
    if host.is_empty() {
        return Err(Error::invalid_argument(format!(
            "the {what} `{url}` has no host"
        )));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" if is_loopback(host) => Ok(()),
        "http" => Err(Error::invalid_argument(format!(
            "the {what} `{url}` is plain HTTP to a non-loopback host: only https:// is allowed (TLS is always verified)"
        ))),
        other => Err(Error::invalid_argument(format!(
            "the {what} `{url}` has scheme `{other}`: only https:// (or http:// on loopback) is allowed"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_and_live_clients_stay_in_their_environment() {
        let c = Config::new(Environment::production())
            .with_client(OAuthClient::new("ofin_test_x", "s"));
        assert!(c.validate().unwrap_err().message().contains("production"));
        let c =
            Config::new(Environment::sandbox()).with_client(OAuthClient::new("ofin_live_x", "s"));
        assert!(c.validate().unwrap_err().message().contains("sandbox"));
        let c = Config::new(Environment::local("http://127.0.0.1:9/"))
            .with_client(OAuthClient::new("ofin_live_x", "s"));
        assert!(c.validate().is_err(), "a local sandbox is a sandbox");
        let c = Config::new(Environment::production())
            .with_client(OAuthClient::new("ofin_live_x", "s"));
        assert!(c.validate().is_ok());
        // A custom environment cannot relabel a hosted one to slip a client id past the check.
        let c = Config::new(Environment::custom(
            EnvironmentKind::Sandbox,
            "https://API.in.onefinops.com/",
            TOKEN_URL,
        ))
        .with_client(OAuthClient::new("ofin_test_x", "s"));
        let e = c.validate().unwrap_err();
        assert_eq!(e.code(), "invalid_argument");
        assert!(
            e.message().contains("hosted production API"),
            "{}",
            e.message()
        );
        let c = Config::new(Environment::custom(
            EnvironmentKind::Production,
            SANDBOX_BASE_URL,
            TOKEN_URL,
        ))
        .with_client(OAuthClient::new("ofin_live_x", "s"));
        assert!(c
            .validate()
            .unwrap_err()
            .message()
            .contains("hosted sandbox API"));
        // Other hosts keep the kind they are given.
        let c = Config::new(Environment::custom(
            EnvironmentKind::Sandbox,
            "https://gst-proxy.example.in",
            "https://gst-proxy.example.in/token",
        ))
        .with_client(OAuthClient::new("ofin_test_x", "s"));
        assert!(c.validate().is_ok());
    }

    #[test]
    fn plain_http_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:5",
            "https://x.in",
        ] {
            assert!(check_url("u", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1",
            "http://example.com",
            "ftp://127.0.0.1",
            "nope",
            "http://127.0.0.1.evil.com",
        ] {
            assert!(check_url("u", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let mut c = Config::new(Environment::sandbox())
            .with_client(OAuthClient::new("ofin_test_x", "very-secret-value"));
        c.webhook_secret = Some(Secret::new("whsec_also_secret"));
        let dbg = format!("{c:?}");
        assert!(
            !dbg.contains("very-secret-value") && !dbg.contains("whsec_also_secret"),
            "{dbg}"
        );
    }

    #[test]
    fn client_selection_by_gstin() {
        let c = Config::new(Environment::sandbox())
            .with_client(OAuthClient::new("ofin_test_a", "s").for_gstins(["29AAAAA0000A1Z5"]))
            .with_client(OAuthClient::new("ofin_test_b", "s").for_gstins(["27BBBBB0000B1Z5"]));
        assert_eq!(
            c.client_for(Some("27BBBBB0000B1Z5")).unwrap().client_id,
            "ofin_test_b"
        );
        let e = c.client_for(Some("07CCCCC0000C1Z5")).unwrap_err();
        assert_eq!(e.code(), "invalid_argument");
        assert!(e.message().contains("07CCCCC0000C1Z5"));
        assert!(c.client_for(None).is_err());
        let c = c.with_client(OAuthClient::new("ofin_test_any", "s"));
        assert_eq!(
            c.client_for(Some("07CCCCC0000C1Z5")).unwrap().client_id,
            "ofin_test_any"
        );
        assert_eq!(c.client_for(None).unwrap().client_id, "ofin_test_any");
    }
}
