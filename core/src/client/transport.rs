//! What goes over the wire, and who carries it.
//!
//! The engine speaks in [`HttpRequest`] / [`HttpResponse`] values; a [`Transport`] turns one into
//! the other, or into a [`TransportError`] when there was no answer. Hosts with their own HTTP
//! stack drive the engine directly (or implement [`Transport`]); the default is [`UreqTransport`]
//! (feature `http`): blocking, rustls with the webpki roots, certificates always verified, no
//! redirects followed, and plain HTTP refused unless the host is loopback.
//!
//! `Debug` of a request never shows the bearer token or the token request's form body (it holds
//! the client secret), so requests can be logged as they are.

use std::fmt;
use std::time::Duration;

/// The HTTP methods the /v1 surface uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// DELETE.
    Delete,
}

impl Method {
    /// `GET`, `POST`, `DELETE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// One request to send.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// Headers, in order; names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body (empty for none).
    pub body: Vec<u8>,
    /// The longest this exchange may take, from connecting to the end of the answer.
    pub timeout: Duration,
    /// The longest connecting may take.
    pub connect_timeout: Duration,
}

impl HttpRequest {
    /// A header's value (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Whether this is a request to the OAuth token endpoint (its body holds the client secret).
    pub fn is_token_request(&self) -> bool {
        self.header("content-type") == Some("application/x-www-form-urlencoded")
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = if k.eq_ignore_ascii_case("authorization") {
                    "[redacted]"
                } else {
                    v.as_str()
                };
                (k.as_str(), shown)
            })
            .collect();
        let body = if self.is_token_request() {
            format!("[redacted: {} bytes]", self.body.len())
        } else {
            String::from_utf8_lossy(&self.body).into_owned()
        };
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &body)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// An answer (any status).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with a status, headers and body.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers,
            body: body.into(),
        }
    }

    /// A header's value (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// Why there was no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportErrorKind {
    /// The connection could not be opened (refused, unreachable, DNS). Nothing was sent.
    Connect,
    /// No (complete) answer in time. The request may have been processed.
    Timeout,
    /// The connection broke after the request was sent (reset, closed early, malformed answer):
    /// the request may have been processed, so only an idempotent retry is safe.
    Interrupted,
    /// TLS failed (certificate, handshake). Retrying will not help.
    Tls,
    /// The request could not be sent at all (bad URL, plain HTTP to a remote host).
    InvalidRequest,
    /// Anything else.
    Other,
}

impl TransportErrorKind {
    /// Whether the engine retries it: connection errors and timeouts (with the same
    /// idempotency key, so a request that did get through is replayed, not repeated).
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            TransportErrorKind::Connect
                | TransportErrorKind::Timeout
                | TransportErrorKind::Interrupted
        )
    }
}

/// No answer, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?}: {message}")]
pub struct TransportError {
    /// The kind.
    pub kind: TransportErrorKind,
    /// What the HTTP stack said.
    pub message: String,
}

impl TransportError {
    /// An error of `kind`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
        }
    }
}

/// Carries one request and brings back its answer. Blocking; called from one thread at a time
/// per call, possibly from many threads at once.
pub trait Transport: Send + Sync {
    /// Sends `request` and waits for the whole answer, within `request.timeout`.
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError>;
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        (**self).send(request)
    }
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        (**self).send(request)
    }
}

impl<T: Transport + ?Sized> Transport for &T {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        (**self).send(request)
    }
}

#[cfg(all(feature = "http", not(target_arch = "wasm32")))]
pub use self::ureq_impl::UreqTransport;

#[cfg(all(feature = "http", not(target_arch = "wasm32")))]
mod ureq_impl {
    use super::*;
    use crate::client::config::check_url;

    /// The largest answer read (a bulk result of 5,000 signed invoices is tens of MB).
    const MAX_BODY: u64 = 256 << 20;

    /// The default transport: ureq 3, rustls, webpki roots.
    #[derive(Debug, Clone)]
    pub struct UreqTransport {
        agent: ureq::Agent,
    }

    impl Default for UreqTransport {
        fn default() -> Self {
            UreqTransport::new()
        }
    }

    impl UreqTransport {
        /// A transport with its own connection pool. Statuses are answers, not errors; redirects
        /// are not followed (a redirected POST must not be replayed elsewhere).
        pub fn new() -> Self {
            let config = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .user_agent(format!("onefinops-core/{}", crate::VERSION))
                .build();
            UreqTransport {
                agent: ureq::Agent::new_with_config(config),
            }
        }

        fn run<S: ureq::AsSendBody>(
            &self,
            request: &HttpRequest,
            body: S,
        ) -> Result<HttpResponse, TransportError> {
            let mut builder = ureq::http::Request::builder()
                .method(request.method.as_str())
                .uri(&request.url);
            for (k, v) in &request.headers {
                builder = builder.header(k.as_str(), v.as_str());
            }
            let req = builder.body(body).map_err(|e| {
                TransportError::new(TransportErrorKind::InvalidRequest, e.to_string())
            })?;
            let req = self
                .agent
                .configure_request(req)
                .timeout_global(Some(request.timeout))
                .timeout_connect(Some(request.connect_timeout))
                .build();
            let resp = self.agent.run(req).map_err(map_error)?;
            let status = resp.status().as_u16();
            let headers = resp
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = resp
                .into_body()
                .with_config()
                .limit(MAX_BODY)
                .read_to_vec()
                .map_err(map_error)?;
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        }
    }

    impl Transport for UreqTransport {
        fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
            check_url("URL", &request.url).map_err(|e| {
                TransportError::new(TransportErrorKind::InvalidRequest, e.message())
            })?;
            if request.body.is_empty() && request.method != Method::Post {
                self.run(request, ())
            } else {
                self.run(request, request.body.as_slice())
            }
        }
    }

    fn map_error(e: ureq::Error) -> TransportError {
        use ureq::Error as E;
        let kind = match &e {
            E::Timeout(_) => TransportErrorKind::Timeout,
            E::HostNotFound | E::ConnectionFailed => TransportErrorKind::Connect,
            // A failed handshake (an untrusted certificate, a wrong name) comes back as `Io`:
            // rustls' `complete_io` wraps its error in `InvalidData` and ureq passes it on.
            // Left to the arm below it would be `Interrupted`, and retried.
            E::Io(io) if wraps_rustls_error(io) => TransportErrorKind::Tls,
            E::Io(io) => match io.kind() {
                std::io::ErrorKind::ConnectionRefused
                | std::io::ErrorKind::AddrNotAvailable
                | std::io::ErrorKind::NotConnected => TransportErrorKind::Connect,
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                    TransportErrorKind::Timeout
                }
                _ => TransportErrorKind::Interrupted,
            },
            E::Protocol(_) | E::BodyStalled => TransportErrorKind::Interrupted,
            E::Tls(_) | E::Rustls(_) | E::Pem(_) | E::TlsRequired => TransportErrorKind::Tls,
            E::BadUri(_) | E::Http(_) | E::RequireHttpsOnly(_) => {
                TransportErrorKind::InvalidRequest
            }
            _ => TransportErrorKind::Other,
        };
        TransportError::new(kind, e.to_string())
    }

    /// Whether `io` carries a `rustls::Error`. The type is named through ureq's own
    /// `Error::Rustls(rustls::Error)` constructor: this crate has no rustls dependency of its
    /// own, and this way the check always uses the very rustls that ureq was built with.
    fn wraps_rustls_error(io: &std::io::Error) -> bool {
        fn wraps<T: std::error::Error + 'static>(
            _: fn(T) -> ureq::Error,
            io: &std::io::Error,
        ) -> bool {
            io.get_ref().is_some_and(|inner| inner.is::<T>())
        }
        wraps(ureq::Error::Rustls, io)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_rustls_error_inside_io_is_tls_and_final() {
            let bad_cert =
                rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
            let e = map_error(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                bad_cert,
            )));
            assert_eq!(
                e,
                TransportError::new(
                    TransportErrorKind::Tls,
                    "io: invalid peer certificate: UnknownIssuer"
                )
            );
            assert!(!e.kind.is_retryable());
        }

        #[test]
        fn other_io_errors_keep_their_kind() {
            let e = map_error(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "not TLS",
            )));
            assert_eq!(e.kind, TransportErrorKind::Interrupted);
            let e = map_error(ureq::Error::Io(
                std::io::ErrorKind::ConnectionRefused.into(),
            ));
            assert_eq!(e.kind, TransportErrorKind::Connect);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_token_and_secret() {
        let r = HttpRequest {
            method: Method::Post,
            url: "https://x/token".into(),
            headers: vec![
                (
                    "content-type".into(),
                    "application/x-www-form-urlencoded".into(),
                ),
                ("authorization".into(), "Bearer abc.def.ghi".into()),
            ],
            body: b"client_secret=hunter2".to_vec(),
            timeout: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(1),
        };
        let dbg = format!("{r:?}");
        assert!(
            !dbg.contains("hunter2") && !dbg.contains("abc.def.ghi"),
            "{dbg}"
        );
    }
}
