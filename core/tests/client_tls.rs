//! The default transport's TLS promise (issue 6): "TLS verification always on except for
//! plain-HTTP loopback", checked offline against a real TLS server.
//!
//! The server is a rustls `ServerConnection` on an ephemeral 127.0.0.1 port, presenting the
//! test-only self-signed certificate of `tests/fixtures/` (for `127.0.0.1` and `localhost`; see
//! `tests/fixtures/README.md` for the `openssl` commands that made it). The client trusts only
//! the webpki roots and has no switch to trust anything else, so every handshake must fail on the
//! certificate, and:
//!
//! - the call fails with code `transport`, rustls' `UnknownIssuer` in its message;
//! - it is sent once: the engine retries connection errors, timeouts and broken connections, but
//!   a TLS failure is final ("Retrying will not help", `TransportErrorKind::Tls`);
//! - the server sees exactly one connection, whose handshake never completes (the client hangs
//!   up), with not one byte of application data decrypted: the bearer token (or, on the token
//!   request, the client secret) never reached it.
//!
//! A control test first shows that the fixture server is sound: a rustls client that does trust
//! the fixture certificate completes the handshake and its bytes arrive. Without it, a broken
//! server or certificate would make the failure tests pass for the wrong reason.
//!
//! No sleeps: the server runs on a thread, reports each connection on a channel, and stops at a
//! sentinel connection the test opens after the client has returned. TCP accepts in order, so
//! every connection the client made is reported before the sentinel.

#![cfg(feature = "http")]

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::Duration;

use onefinops_core::client::config::{EnvironmentKind, Timeouts};
use onefinops_core::client::{CallMeta, Client, Config, Environment, OAuthClient};
use onefinops_core::credentials::Secret;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{ClientConfig, RootCertStore, ServerConfig, ServerConnection};

const CERT_PEM: &[u8] = include_bytes!("fixtures/tls_test_cert.pem");
const KEY_PEM: &[u8] = include_bytes!("fixtures/tls_test_key.pem");

/// The first byte of the sentinel connection. Not 0x16 (a TLS handshake record) and not a
/// letter (a plain-HTTP request line), so it cannot be mistaken for the client.
const SENTINEL: u8 = 0x00;

/// How long the server waits on a silent connection: a guard so a broken client fails the test
/// instead of hanging it, never a wait the test relies on.
const SERVER_READ_TIMEOUT: Duration = Duration::from_secs(20);

const CLIENT_ID: &str = "ofin_test_tls";
/// The pre-seeded bearer token: distinctive, so any leak would be plain to see.
const TOKEN: &str = "tok-tls-test-MUST-NEVER-BE-SENT";
const SECRET: &str = "secret-tls-test-MUST-NEVER-BE-SENT";

/// The rustls the client uses is built with ring only; the tests name it rather than rely on a
/// process default.
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn fixture_cert() -> CertificateDer<'static> {
    CertificateDer::from_pem_slice(CERT_PEM).expect("fixture certificate is PEM")
}

/// How a connection to the test server went, as the server saw it.
#[derive(Debug, PartialEq)]
enum Seen {
    /// A TLS connection.
    Tls {
        /// Whether the handshake completed.
        handshake_completed: bool,
        /// The application data decrypted (an HTTP request would be here), as text.
        plaintext: String,
        /// How it ended.
        end: End,
    },
    /// A connection that did not start with a TLS record: its bytes as received, as text (a
    /// plain-HTTP request, token and all, would be here).
    NotTls(String),
}

/// How a TLS connection ended.
#[derive(Debug, PartialEq)]
enum End {
    /// The peer closed with `close_notify`.
    CloseNotify,
    /// rustls failed (an alert received, a bad record).
    Tls(rustls::Error),
    /// Any other I/O error.
    Io(io::ErrorKind),
    /// The server hung up after reading an HTTP request head.
    HungUpAfterRequestHead,
}

struct TlsServer {
    addr: SocketAddr,
    seen: mpsc::Receiver<Seen>,
    thread: JoinHandle<()>,
}

impl TlsServer {
    /// Binds 127.0.0.1:0 and serves the fixture certificate, one connection at a time.
    fn start() -> TlsServer {
        let key = PrivateKeyDer::from_pem_slice(KEY_PEM).expect("fixture key is PEM");
        let config = ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .expect("ring supports the default versions")
            .with_no_client_auth()
            .with_single_cert(vec![fixture_cert()], key)
            .expect("fixture certificate and key match");
        let config = Arc::new(config);
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("bound address");
        let (tx, seen) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            for tcp in listener.incoming() {
                let tcp = tcp.expect("accept");
                tcp.set_read_timeout(Some(SERVER_READ_TIMEOUT))
                    .expect("set read timeout");
                let mut first = [0u8; 1];
                let n = tcp.peek(&mut first).expect("peek first byte");
                if n == 1 && first[0] == SENTINEL {
                    return;
                }
                let report = if first[0] == 0x16 {
                    serve_tls(Arc::clone(&config), tcp)
                } else {
                    let mut raw = Vec::new();
                    let _ = (&tcp).read_to_end(&mut raw);
                    Seen::NotTls(String::from_utf8_lossy(&raw).into_owned())
                };
                if tx.send(report).is_err() {
                    return;
                }
            }
        });
        TlsServer { addr, seen, thread }
    }

    fn https_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.addr.port())
    }

    /// Stops the server (after every connection made so far) and returns what it saw, in order.
    fn finish(self) -> Vec<Seen> {
        let mut sentinel = TcpStream::connect(self.addr).expect("connect sentinel");
        sentinel.write_all(&[SENTINEL]).expect("write sentinel");
        self.thread.join().expect("server thread panicked");
        self.seen.try_iter().collect()
    }
}

/// Runs the server side of one TLS connection to its end.
fn serve_tls(config: Arc<ServerConfig>, tcp: TcpStream) -> Seen {
    let conn = ServerConnection::new(config).expect("server connection");
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let mut plaintext = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        match tls.read(&mut buf) {
            Ok(0) => break End::CloseNotify,
            Ok(n) => {
                plaintext.extend_from_slice(&buf[..n]);
                // A client that did not verify would now wait for an answer; hang up at once
                // so such a regression fails fast, with its request (token and all) on show.
                if plaintext.windows(4).any(|w| w == b"\r\n\r\n") {
                    break End::HungUpAfterRequestHead;
                }
            }
            Err(e) => {
                let tls_error = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>());
                break match tls_error {
                    Some(tls_error) => End::Tls(tls_error.clone()),
                    None => End::Io(e.kind()),
                };
            }
        }
    };
    Seen::Tls {
        handshake_completed: !tls.conn.is_handshaking(),
        plaintext: String::from_utf8_lossy(&plaintext).into_owned(),
        end,
    }
}

/// What the server must see when the client verifies its certificate: one connection, refused
/// by the client during the handshake, nothing decrypted.
fn refused_once() -> Vec<Seen> {
    vec![Seen::Tls {
        handshake_completed: false,
        plaintext: String::new(),
        // The client hangs up mid-handshake. rustls queues an `unknown_ca` alert after its
        // TLS 1.3 ChangeCipherSpec, but its one "last-gasp" `write_tls` goes through ureq's
        // socket adapter, which writes one buffer per call: only the 6-byte ChangeCipherSpec
        // leaves, then EOF (seen with strace). A plain rustls client over a `TcpStream` does
        // deliver the alert (`AlertReceived(UnknownCA)` here); either way nothing is decrypted.
        end: End::Io(io::ErrorKind::UnexpectedEof),
    }]
}

/// The client's message for that failure: ureq's wrapping of rustls' verdict on the certificate.
const UNKNOWN_ISSUER: &str = "io: invalid peer certificate: UnknownIssuer";

/// A client of `base_url` / `token_url`, with short timeouts so a regression fails fast rather
/// than hanging, and the default retry policy (3 retries) so a retried TLS failure would show.
fn client(base_url: &str, token_url: &str) -> Client {
    let mut config = Config::new(Environment::custom(
        EnvironmentKind::Sandbox,
        base_url,
        token_url,
    ))
    .with_client(OAuthClient::new(CLIENT_ID, SECRET));
    config.timeouts = Timeouts {
        connect: Duration::from_secs(5),
        request: Duration::from_secs(10),
    };
    assert_eq!(config.retry.max_retries, 3, "the default retry budget");
    Client::new(config).expect("valid configuration")
}

/// The control: the fixture server is a working TLS server for a client that trusts its
/// certificate (by IP address, as the library's client would name it), so the failures below
/// come from verification, not from a broken server.
#[test]
fn fixture_server_completes_a_handshake_with_a_client_that_trusts_it() {
    let server = TlsServer::start();
    let mut roots = RootCertStore::empty();
    roots.add(fixture_cert()).expect("fixture is a usable root");
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::IpAddress(Ipv4Addr::LOCALHOST.into());
    let conn = rustls::ClientConnection::new(Arc::new(config), name).expect("client connection");
    let tcp = TcpStream::connect(server.addr).expect("connect");
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    tls.write_all(b"ping").expect("handshake and write");
    tls.conn.send_close_notify();
    tls.flush().expect("flush close_notify");
    while tls.conn.wants_write() {
        tls.conn
            .write_tls(&mut tls.sock)
            .expect("write close_notify");
    }
    assert_eq!(
        server.finish(),
        vec![Seen::Tls {
            handshake_completed: true,
            plaintext: "ping".into(),
            end: End::CloseNotify,
        }]
    );
}

/// An API call with a cached token: the request carrying `Authorization: Bearer` is never
/// decrypted by the untrusted server, and the TLS failure is not retried.
#[test]
fn api_call_to_an_untrusted_server_fails_tls_once_and_never_sends_the_token() {
    let server = TlsServer::start();
    let base = server.https_url();
    // The token endpoint is never contacted (the token is cached below); it is the TLS server
    // too, so a token request would show up there as a second connection.
    let client = client(&base, &format!("{base}/token"));
    client
        .engine()
        .cache_token(CLIENT_ID, Secret::new(TOKEN), 3600, client.now_ms());

    let err = client
        .get_einvoice("einv_tls_test")
        .expect_err("an untrusted certificate must fail the call");

    // The server's view first: on a regression it shows what leaked.
    assert_eq!(server.finish(), refused_once());
    assert_eq!(err.code(), "transport");
    assert_eq!(
        err.to_string(),
        format!("einvoice.get failed: transport error: {UNKNOWN_ISSUER} [transport]")
    );
    assert_eq!(
        *err.meta,
        CallMeta {
            operation: "einvoice.get",
            client_id: Some(CLIENT_ID.into()),
            attempts: 1,
            token_requests: 0,
            retries: 0,
            ..CallMeta::default()
        }
    );
}

/// No cached token: the first request is the client-credentials request to an untrusted token
/// endpoint; the client secret in its body is never decrypted, and it is not retried either.
#[test]
fn token_request_to_an_untrusted_server_fails_tls_once_and_never_sends_the_secret() {
    let server = TlsServer::start();
    let base = server.https_url();
    let client = client(&base, &format!("{base}/token"));

    let err = client
        .get_einvoice("einv_tls_test")
        .expect_err("an untrusted certificate must fail the call");

    // The server's view first: on a regression it shows what leaked.
    assert_eq!(server.finish(), refused_once());
    assert_eq!(err.code(), "transport");
    assert_eq!(
        err.to_string(),
        format!("einvoice.get failed: transport error: {UNKNOWN_ISSUER} [transport]")
    );
    assert_eq!(
        *err.meta,
        CallMeta {
            operation: "einvoice.get",
            client_id: Some(CLIENT_ID.into()),
            attempts: 0,
            token_requests: 1,
            retries: 0,
            ..CallMeta::default()
        }
    );
}
