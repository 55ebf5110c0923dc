//! The HTTP server: the routes, an accept loop that can drop a connection on purpose, the
//! background worker, and the start / stop API.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::Request;
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::Router;
use hyper_util::rt::TokioIo;
use onefinops_core::error::Error;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};

use crate::app::App;
use crate::config::Config;
use crate::http::{error_response, ok};
use crate::pipeline::{pipeline, ConnControl, MAX_BODY};
use crate::{admin, auth, einvoice, ewaybill, gsp, webhooks};

/// The token endpoint's path (seed 002).
pub const TOKEN_PATH: &str = "/realms/onefinops/protocol/openid-connect/token";

async fn jwks(State(app): State<Arc<App>>) -> Response {
    ok(&app.signer.jwks())
}

async fn health(State(app): State<Arc<App>>) -> Response {
    ok(&serde_json::json!({
        "status": "ok",
        "version": onefinops_core::VERSION,
        "now": app.now().to_rfc3339(),
    }))
}

async fn fallback() -> Response {
    error_response(Error::NotFound {
        message: "no such endpoint".into(),
        request_id: None,
    })
}

async fn method_not_allowed() -> Response {
    error_response(Error::invalid_argument(
        "method not allowed on this endpoint",
    ))
}

/// Every route.
pub fn router(app: Arc<App>) -> Router {
    let mut r = Router::new()
        .route(TOKEN_PATH, post(auth::token))
        .route("/.well-known/jwks.json", get(jwks))
        .route("/healthz", get(health))
        .route("/v1/einvoices", post(einvoice::create))
        .route("/v1/einvoices/generate", post(einvoice::generate_nic))
        .route("/v1/einvoices/bulk", post(einvoice::bulk))
        .route("/v1/einvoices/qrimage", post(einvoice::qrimage))
        .route("/v1/einvoices/irn", get(einvoice::get_by_irn))
        .route("/v1/einvoices/{id}", get(einvoice::get))
        .route("/v1/einvoices/{id}/status", get(einvoice::status))
        .route("/v1/einvoices/{id}/cancel", post(einvoice::cancel))
        .route("/v1/ewaybills", post(ewaybill::create))
        .route("/v1/ewaybills/{ewb_no}", get(ewaybill::get))
        .route("/v1/ewaybills/{ewb_no}/part-b", post(ewaybill::part_b))
        .route("/v1/ewaybills/{ewb_no}/extend", post(ewaybill::extend))
        .route("/v1/ewaybills/{ewb_no}/cancel", post(ewaybill::cancel))
        .route("/v1/ewaybills/{ewb_no}/reject", post(ewaybill::reject))
        .route(
            "/v1/ewaybills/{ewb_no}/transporter",
            post(ewaybill::transporter),
        )
        .route("/v1/gsp-credentials", post(gsp::create).get(gsp::list))
        .route(
            "/v1/gsp-credentials/{id}",
            get(gsp::get).delete(gsp::delete),
        )
        .route("/v1/gsp-credentials/{id}/verify", post(gsp::verify))
        .route("/v1/gsp-credentials/{id}/rotate", post(gsp::rotate))
        .route(
            "/v1/gsp-credentials/{id}/keys/{key_id}",
            delete(gsp::revoke_key),
        )
        .route(
            "/v1/webhook-endpoints",
            post(webhooks::create_endpoint).get(webhooks::list_endpoints),
        )
        .route(
            "/v1/webhook-endpoints/{id}",
            delete(webhooks::delete_endpoint),
        )
        .route("/v1/webhook-deliveries", get(webhooks::list_deliveries))
        .route(
            "/v1/webhook-deliveries/{id}/retry",
            post(webhooks::retry_delivery),
        );
    if app.config.admin {
        r = r
            .route(
                "/_sandbox/clock",
                get(admin::get_clock).post(admin::set_clock),
            )
            .route(
                "/_sandbox/faults",
                get(admin::list_faults)
                    .post(admin::add_fault)
                    .delete(admin::clear_faults),
            )
            .route("/_sandbox/requests", get(admin::requests))
            .route("/_sandbox/clients", post(admin::put_client))
            .route("/_sandbox/clients/{id}/secrets", post(admin::add_secret))
            .route(
                "/_sandbox/clients/{id}/secrets/{secret_id}",
                delete(admin::revoke_secret),
            )
            .route("/_sandbox/run", post(admin::run))
            .route("/_sandbox/strictness", post(admin::set_strictness));
    }
    r.fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(app.clone(), pipeline))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(app)
}

/// A sandbox running inside the caller's tokio runtime.
#[derive(Debug)]
pub struct SandboxHandle {
    addr: SocketAddr,
    app: Arc<App>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl SandboxHandle {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The running state (clock, store, faults) for tests that reach in.
    pub fn app(&self) -> &Arc<App> {
        &self.app
    }

    /// Stops accepting, closes connections, stops the worker, and flushes the journal.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
        self.app.flush().await;
    }
}

/// The entry point.
#[derive(Debug)]
pub struct Sandbox;

impl Sandbox {
    /// Binds, then serves in the current tokio runtime until [`SandboxHandle::shutdown`].
    pub async fn start(config: Config) -> Result<SandboxHandle, String> {
        let listen = config.listen;
        let app = App::new(config)?;
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot read the listening address: {e}"))?;
        let (tx, rx) = watch::channel(false);
        let router = router(app.clone());
        let serve = tokio::spawn(accept_loop(listener, router, rx.clone()));
        let work = tokio::spawn(worker(app.clone(), rx));
        Ok(SandboxHandle {
            addr,
            app,
            shutdown: tx,
            tasks: vec![serve, work],
        })
    }

    /// Starts a sandbox on its own thread with its own runtime (for blocking tests and
    /// examples). Dropping the returned value stops it.
    pub fn spawn(config: Config) -> Result<RunningSandbox, String> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("onefinops-sandbox".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                rt.block_on(async move {
                    match Sandbox::start(config).await {
                        Ok(handle) => {
                            let _ = ready_tx.send(Ok((handle.addr, handle.app.clone())));
                            let _ = stop_rx.await;
                            handle.shutdown().await;
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
            })
            .map_err(|e| format!("cannot start the sandbox thread: {e}"))?;
        let (addr, app) = ready_rx
            .recv()
            .map_err(|_| "the sandbox thread stopped before starting".to_owned())??;
        Ok(RunningSandbox {
            addr,
            app,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }
}

/// A sandbox on its own thread ([`Sandbox::spawn`]).
#[derive(Debug)]
pub struct RunningSandbox {
    addr: SocketAddr,
    app: Arc<App>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningSandbox {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The running state.
    pub fn app(&self) -> &Arc<App> {
        &self.app
    }

    /// Stops it and waits for it.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        self.stop_now();
    }
}

async fn accept_loop(listener: TcpListener, router: Router, mut shutdown: watch::Receiver<bool>) {
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = shutdown.changed() => break,
        };
        let stream = match accepted {
            Ok((s, _)) => s,
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let kill = Arc::new(Notify::new());
        let ctl = ConnControl(kill.clone());
        let router = router.clone();
        let mut stop = shutdown.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ctl.clone());
                let router = router.clone();
                async move {
                    use tower::ServiceExt;
                    router.oneshot(req.map(Body::new)).await
                }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), svc);
            tokio::select! {
                _ = conn => {}
                _ = kill.notified() => {}
                _ = stop.changed() => {}
            }
        });
    }
}

/// Generates queued invoices when due and delivers webhooks, on the sandbox clock.
async fn worker(app: Arc<App>, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = app.wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_millis(200)) => {}
            _ = shutdown.changed() => break,
        }
        einvoice::complete_due(&app);
        webhooks::run_due(&app).await;
    }
}
