//! `onefinops-sandbox`: the local OneFinOps API.
//!
//! ```text
//! onefinops-sandbox [--host 127.0.0.1] [--port 8790] [--seed FILE] [--clock-offset SECS]
//!                   [--admin] [--state FILE] [--key PEM] [--rate-limit N] [--id-seed N]
//!                   [--strict] [--queue-delay SECS] [--log]
//! ```
//!
//! Every flag has an environment variable: `ONEFINOPS_SANDBOX_HOST`, `_PORT`, `_SEED`,
//! `_CLOCK_OFFSET`, `_ADMIN` (1/true), `_STATE`, `_KEY`, `_RATE_LIMIT`, `_ID_SEED`, `_STRICT`,
//! `_QUEUE_DELAY`, `_LOG`. A flag wins over its variable. `--port 0` takes a free port. Once
//! listening, the first line on stdout is `listening on http://HOST:PORT`.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use onefinops_sandbox::{Config, Sandbox, Seed, Strictness};

const USAGE: &str =
    "usage: onefinops-sandbox [--host ADDR] [--port N] [--seed FILE] [--clock-offset SECS]
                         [--admin] [--state FILE] [--key PEM_FILE] [--rate-limit N] [--id-seed N]
                         [--strict] [--queue-delay SECS] [--log]

  --host ADDR          address to listen on (default 127.0.0.1)
  --port N             port (default 8790; 0 picks a free one)
  --seed FILE          seed data: OAuth clients and GSP credentials (default: the quickstart
                       client ofin_test_quickstart / sandbox-secret)
  --clock-offset SECS  start the sandbox clock SECS seconds from real time (may be negative;
                       suffixes m, h, d allowed: 25h)
  --admin              serve /_sandbox/* (clock, faults, clients, request log)
  --state FILE         keep state in FILE (snapshot + FILE.journal) across restarts
  --key PEM_FILE       RSA private key to sign invoices with (default: a new 2048-bit key)
  --rate-limit N       requests per second per client (default 10)
  --id-seed N          seed of the id generator
  --strict             apply NIC's tax-split rules (2172/2174) to the quickstart body too
  --queue-delay SECS   sandbox seconds before a queued invoice is generated (default 30)
  --log                one JSON line per request on stderr (secrets redacted)

Every flag also reads ONEFINOPS_SANDBOX_<FLAG> from the environment (e.g. ONEFINOPS_SANDBOX_PORT).";

fn truthy(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")
}

fn config_from(args: Vec<String>) -> Result<Config, String> {
    let env = |name: &str| std::env::var(format!("ONEFINOPS_SANDBOX_{name}")).ok();
    let mut opts: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for (flag, var) in [
        ("host", "HOST"),
        ("port", "PORT"),
        ("seed", "SEED"),
        ("clock-offset", "CLOCK_OFFSET"),
        ("state", "STATE"),
        ("key", "KEY"),
        ("rate-limit", "RATE_LIMIT"),
        ("id-seed", "ID_SEED"),
        ("queue-delay", "QUEUE_DELAY"),
    ] {
        if let Some(v) = env(var) {
            opts.insert(flag, v);
        }
    }
    let mut admin = env("ADMIN").is_some_and(|v| truthy(&v));
    let mut strict = env("STRICT").is_some_and(|v| truthy(&v));
    let mut log = env("LOG").is_some_and(|v| truthy(&v));
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        match name.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "--admin" => admin = true,
            "--strict" => strict = true,
            "--log" => log = true,
            "--host" | "--port" | "--seed" | "--clock-offset" | "--state" | "--key"
            | "--rate-limit" | "--id-seed" | "--queue-delay" => {
                let value = match inline {
                    Some(v) => v,
                    None => it.next().ok_or_else(|| format!("{name} needs a value"))?,
                };
                let key: &'static str = match name.as_str() {
                    "--host" => "host",
                    "--port" => "port",
                    "--seed" => "seed",
                    "--clock-offset" => "clock-offset",
                    "--state" => "state",
                    "--key" => "key",
                    "--rate-limit" => "rate-limit",
                    "--id-seed" => "id-seed",
                    _ => "queue-delay",
                };
                opts.insert(key, value);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let mut config = Config::default();
    let host: IpAddr = opts
        .get("host")
        .map(String::as_str)
        .unwrap_or("127.0.0.1")
        .parse()
        .map_err(|e| format!("--host: {e}"))?;
    let port: u16 = opts
        .get("port")
        .map(String::as_str)
        .unwrap_or("8790")
        .parse()
        .map_err(|e| format!("--port: {e}"))?;
    config.listen = SocketAddr::new(host, port);
    if let Some(path) = opts.get("seed") {
        let text = std::fs::read_to_string(path).map_err(|e| format!("--seed {path}: {e}"))?;
        config.seed = Seed::from_json(&text)?;
    }
    if let Some(v) = opts.get("clock-offset") {
        config.clock_offset_secs = onefinops_sandbox::clock::parse_seconds(v)
            .map_err(|e| format!("--clock-offset: {e}"))?;
    }
    if let Some(path) = opts.get("state") {
        config.state_file = Some(PathBuf::from(path));
    }
    if let Some(path) = opts.get("key") {
        config.signing_key_pem =
            Some(std::fs::read_to_string(path).map_err(|e| format!("--key {path}: {e}"))?);
    }
    if let Some(v) = opts.get("rate-limit") {
        config.rate_limit = v.parse().map_err(|e| format!("--rate-limit: {e}"))?;
    }
    if let Some(v) = opts.get("id-seed") {
        config.id_seed = v.parse().map_err(|e| format!("--id-seed: {e}"))?;
    }
    if let Some(v) = opts.get("queue-delay") {
        config.queue_delay_secs = onefinops_sandbox::clock::parse_seconds(v)
            .map_err(|e| format!("--queue-delay: {e}"))?
            .max(0) as u64;
    }
    config.admin = admin;
    config.log_requests = log;
    if strict {
        config.strictness = Strictness::Nic;
    }
    Ok(config)
}

/// Ctrl-C, or SIGTERM where there is one: both stop the sandbox cleanly (journal flushed).
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn main() -> ExitCode {
    let config = match config_from(std::env::args().skip(1).collect()) {
        Ok(c) => c,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("onefinops-sandbox: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("onefinops-sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    rt.block_on(async move {
        let handle = match Sandbox::start(config).await {
            Ok(h) => h,
            Err(e) => {
                eprintln!("onefinops-sandbox: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!("listening on {}", handle.base_url());
        use std::io::Write;
        let _ = std::io::stdout().flush();
        wait_for_stop().await;
        handle.shutdown().await;
        ExitCode::SUCCESS
    })
}
