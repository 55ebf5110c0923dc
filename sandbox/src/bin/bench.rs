//! A bounded load run: IRN generations per second over loopback HTTP, with latency percentiles.
//!
//! ```text
//! cargo run --release -p onefinops-sandbox --bin onefinops-sandbox-bench -- \
//!     [--requests 5000] [--concurrency 16] [--max-seconds 60] [--url http://127.0.0.1:PORT]
//! ```
//!
//! Without `--url` it starts a sandbox in this process on 127.0.0.1 (port 0, a generated key, no
//! rate limit worth the name) and loads it; with `--url` it loads a running sandbox (start it with
//! `--rate-limit 100000`). Each request is a `POST /v1/einvoices` of a distinct flat invoice over
//! keep-alive connections (one per concurrent worker), so every request is a fresh IRN: validation,
//! IRN, two RS256 signatures. The run stops after `--requests` requests or `--max-seconds`,
//! whichever comes first, and only ever talks to the address it was given (loopback by default).

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use onefinops_sandbox::{Config, Sandbox, Seed};

struct Args {
    micro: bool,
    requests: usize,
    concurrency: usize,
    max_seconds: u64,
    url: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        micro: false,
        requests: 5000,
        concurrency: 16,
        max_seconds: 60,
        url: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--requests" => {
                a.requests = value()?.parse().map_err(|e| format!("--requests: {e}"))?
            }
            "--concurrency" => {
                a.concurrency = value()?
                    .parse()
                    .map_err(|e| format!("--concurrency: {e}"))?
            }
            "--max-seconds" => {
                a.max_seconds = value()?
                    .parse()
                    .map_err(|e| format!("--max-seconds: {e}"))?
            }
            "--url" => a.url = Some(value()?),
            "--micro" => a.micro = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    a.concurrency = a.concurrency.clamp(1, 256);
    a.requests = a.requests.clamp(1, 1_000_000);
    a.max_seconds = a.max_seconds.clamp(1, 600);
    Ok(a)
}

fn invoice(n: usize) -> String {
    format!(
        r#"{{"supplyType":"B2B","documentType":"INV","invoiceNumber":"LD-{n}","invoiceDate":"2026-05-04",
"financialYear":"2026-27","reverseCharge":false,"placeOfSupplyStateCode":"27",
"seller":{{"gstin":"29ABCDE1234F1Z5","legalName":"Acme Pvt Ltd","address1":"12 Industrial Area","location":"Bengaluru","pinCode":"560001","stateCode":"29"}},
"buyer":{{"gstin":"27FGHIJ5678K1Z2","legalName":"Globex Pvt Ltd","address1":"8 MG Road","location":"Mumbai","pinCode":"400001","stateCode":"27"}},
"lines":[{{"lineNumber":1,"productDescription":"Consulting services","isService":true,"hsnCode":"998314","unitPrice":10000,"assessableValue":10000,"gstRate":18,"igstAmount":1800,"totalItemValue":11800}}],
"totals":{{"assessableValue":10000,"totalIgstValue":1800,"totalInvoiceValue":11800}}}}"#
    )
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(authority: &str) -> Result<Sender, String> {
    let stream = tokio::net::TcpStream::connect(authority)
        .await
        .map_err(|e| format!("connect {authority}: {e}"))?;
    stream.set_nodelay(true).ok();
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

async fn send(
    sender: &mut Sender,
    authority: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: String,
) -> Result<(u16, Bytes), String> {
    sender.ready().await.map_err(|e| e.to_string())?;
    let mut req = hyper::Request::post(path).header(hyper::header::HOST, authority);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    let resp = sender.send_request(req).await.map_err(|e| e.to_string())?;
    let status = resp.status().as_u16();
    let body = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, body))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

/// Where one IRN's time goes, without HTTP: validation, parsing, signing.
fn micro() {
    let n = 500;
    let body = invoice(1);
    let opts = onefinops_core::validate::ValidationOptions {
        sandbox: true,
        ..Default::default()
    };
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(onefinops_core::validate::validate_invoice_json(
            body.as_bytes(),
            &opts,
        ));
    }
    let validate = t.elapsed() / n;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(onefinops_core::einvoice::parse::parse_invoice(body.as_bytes()).ok());
    }
    let parse = t.elapsed() / n;
    let signer = onefinops_sandbox::jws::Signer::generate().expect("a key");
    let payload: serde_json::Value = serde_json::from_str(&body).expect("json");
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(signer.sign_data(&payload));
    }
    let sign = t.elapsed() / n;
    let app = onefinops_sandbox::app::App::new(Config::default()).expect("an app");
    let principal = onefinops_sandbox::http::Principal {
        client_id: "bench".into(),
        gstins: vec!["*".into()],
        scope: onefinops_sandbox::Scope::Full,
        products: vec![onefinops_sandbox::config::Product::Einvoice],
        rate_limit: u32::MAX,
    };
    let t = Instant::now();
    for i in 0..n {
        let body = invoice(10_000 + i as usize);
        let p = onefinops_sandbox::einvoice::prepare(
            &app,
            &principal,
            body.as_bytes(),
            onefinops_sandbox::Strictness::Nic,
            None,
        )
        .expect("valid");
        std::hint::black_box(
            onefinops_sandbox::einvoice::generate(&app, &p, None).expect("generated"),
        );
    }
    let whole = t.elapsed() / n;
    println!(
        "one IRN end to end without HTTP (checks, IRN, two signatures, store): {:.3} ms",
        whole.as_secs_f64() * 1000.0
    );
    println!(
        "per IRN, one thread: validate {:.3} ms, parse {:.3} ms, one RS256 signature {:.3} ms (two per IRN)",
        validate.as_secs_f64() * 1000.0,
        parse.as_secs_f64() * 1000.0,
        sign.as_secs_f64() * 1000.0
    );
}

fn main() -> std::process::ExitCode {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("onefinops-sandbox-bench: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    if a.micro {
        micro();
        return std::process::ExitCode::SUCCESS;
    }
    let (base, _server) = match &a.url {
        Some(u) => (u.trim_end_matches('/').to_owned(), None),
        None => {
            let mut seed = Seed::quickstart();
            seed.clients[0].rate_limit = Some(1_000_000);
            let cfg = Config {
                seed,
                ..Config::default()
            };
            let sb = match Sandbox::spawn(cfg) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("onefinops-sandbox-bench: {e}");
                    return std::process::ExitCode::FAILURE;
                }
            };
            (sb.base_url(), Some(sb))
        }
    };
    let Some(authority) = base.strip_prefix("http://").map(str::to_owned) else {
        eprintln!("onefinops-sandbox-bench: --url must be http://HOST:PORT");
        return std::process::ExitCode::from(2);
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let result: Result<(), String> = rt.block_on(async {
        let mut s = connect(&authority).await?;
        let (status, body) = send(
            &mut s,
            &authority,
            onefinops_sandbox::TOKEN_PATH,
            &[("content-type", "application/x-www-form-urlencoded")],
            "grant_type=client_credentials&client_id=ofin_test_quickstart&client_secret=sandbox-secret&scope=gstn-india".into(),
        )
        .await?;
        if status != 200 {
            return Err(format!("token: HTTP {status}: {}", String::from_utf8_lossy(&body)));
        }
        let token: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        let auth = format!("Bearer {}", token["access_token"].as_str().unwrap_or_default());
        // A unique prefix per run, so a second run against the same sandbox makes fresh IRNs.
        let run = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| (d.as_secs() % 100_000) as usize)
            .unwrap_or(0);
        let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let deadline = Instant::now() + Duration::from_secs(a.max_seconds);
        let started = Instant::now();
        let mut workers = tokio::task::JoinSet::new();
        for _ in 0..a.concurrency {
            let (authority, auth, next) = (authority.clone(), auth.clone(), next.clone());
            let total = a.requests;
            workers.spawn(async move {
                let mut lat = Vec::new();
                let mut errors = 0usize;
                let mut s = match connect(&authority).await {
                    Ok(s) => s,
                    Err(_) => return (lat, 1),
                };
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= total || Instant::now() >= deadline {
                        break;
                    }
                    let body = invoice(run * 1_000_000 + i);
                    let t0 = Instant::now();
                    let r = send(
                        &mut s,
                        &authority,
                        "/v1/einvoices",
                        &[("authorization", &auth), ("content-type", "application/json")],
                        body,
                    )
                    .await;
                    let took = t0.elapsed();
                    match r {
                        Ok((201, _)) => lat.push(took),
                        Ok(_) => errors += 1,
                        Err(_) => {
                            errors += 1;
                            match connect(&authority).await {
                                Ok(c) => s = c,
                                Err(_) => break,
                            }
                        }
                    }
                }
                (lat, errors)
            });
        }
        let mut lat = Vec::new();
        let mut errors = 0;
        while let Some(r) = workers.join_next().await {
            let (l, e) = r.map_err(|e| e.to_string())?;
            lat.extend(l);
            errors += e;
        }
        let elapsed = started.elapsed();
        lat.sort_unstable();
        let ok = lat.len();
        println!(
            "{ok} IRNs generated ({errors} errors) in {:.2} s with {} connections: {:.0} IRN/s; latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            elapsed.as_secs_f64(),
            a.concurrency,
            ok as f64 / elapsed.as_secs_f64(),
            percentile(&lat, 0.50).as_secs_f64() * 1000.0,
            percentile(&lat, 0.90).as_secs_f64() * 1000.0,
            percentile(&lat, 0.99).as_secs_f64() * 1000.0,
            lat.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
        );
        Ok(())
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("onefinops-sandbox-bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
