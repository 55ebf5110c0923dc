//! Shared helpers: start a sandbox on a loopback port, and talk to it with a real HTTP client
//! (ureq), the way a user's code would.

use std::collections::BTreeMap;
use std::time::Duration;

use onefinops_sandbox::{ClientSeed, Config, RunningSandbox, Sandbox, Scope, Seed};
use serde_json::Value;

/// A throwaway RSA key for tests only (generating one in a debug build takes seconds). The binary
/// never uses it: without `--key` it generates its own.
pub const TEST_KEY: &str = include_str!("../fixtures/test-signing-key.pem");

/// The flat quickstart body of seed 002, byte for byte as its curl command sends it.
pub const QUICKSTART_BODY: &str = r#"{
"supplyType": "B2B",
"documentType": "INV",
"invoiceNumber": "INV-2026-00001",
"invoiceDate": "2026-05-04",
"financialYear": "2026-27",
"reverseCharge": false,
"placeOfSupplyStateCode": "29",
"seller": {
"gstin": "29ABCDE1234F1Z5",
"legalName": "Acme Pvt Ltd",
"address1": "12 Industrial Area",
"location": "Bengaluru",
"pinCode": "560001",
"stateCode": "29"
},
"buyer": {
"gstin": "27FGHIJ5678K1Z2",
"legalName": "Globex Pvt Ltd",
"address1": "8 MG Road",
"location": "Mumbai",
"pinCode": "400001",
"stateCode": "27"
},
"lines": [{
"lineNumber": 1,
"productDescription": "Consulting services",
"isService": true,
"hsnCode": "998314",
"unitPrice": 10000,
"assessableValue": 10000,
"gstRate": 18,
"igstAmount": 1800,
"totalItemValue": 11800
}],
"totals": {
"assessableValue": 10000,
"totalIgstValue": 1800,
"totalInvoiceValue": 11800
}
}"#;

/// The quickstart body with another invoice number and place of supply 27 (inter-state, so
/// IGST is right under NIC's rules too).
pub fn flat_invoice(number: &str) -> String {
    let mut v: Value = serde_json::from_str(QUICKSTART_BODY).unwrap();
    v["invoiceNumber"] = Value::from(number);
    v["placeOfSupplyStateCode"] = Value::from("27");
    v.to_string()
}

/// A grouped ("Generate an IRN") body for NIC's sandbox GSTIN 36AMBPG7773M002 selling to
/// 29AWGPV7107B1Z1, inter-state, one service line.
pub fn grouped_invoice(number: &str) -> String {
    serde_json::json!({
        "documentDetails": {"type": "INV", "number": number, "date": "2026-11-20"},
        "transactionDetails": {"taxScheme": "GST", "supplyType": "B2B", "reverseCharge": "N"},
        "seller": {"gstin": "36AMBPG7773M002", "legalName": "Telangana Traders", "address1": "1 Banjara Hills",
                   "location": "Hyderabad", "pincode": 500001, "stateCode": "36"},
        "buyer": {"gstin": "29AWGPV7107B1Z1", "legalName": "Karnataka Buyers", "placeOfSupplyStateCode": "29",
                  "address1": "8 MG Road", "location": "Bengaluru", "pincode": 560001, "stateCode": "29"},
        "items": [{"serialNumber": "1", "productDescription": "Consulting services", "isService": "Y",
                   "hsnCode": "998314", "quantity": 1, "unit": "NOS", "unitPrice": 10000, "totalAmount": 10000,
                   "assessableAmount": 10000, "gstRate": 18, "igstAmount": 1800, "totalItemValue": 11800}],
        "valueDetails": {"assessableValue": 10000, "igstValue": 1800, "totalInvoiceValue": 11800}
    })
    .to_string()
}

/// A grouped body with goods (an e-way bill can be issued on it).
pub fn goods_invoice(number: &str) -> String {
    let mut v: Value = serde_json::from_str(&grouped_invoice(number)).unwrap();
    v["items"][0]["isService"] = Value::from("N");
    v["items"][0]["hsnCode"] = Value::from("84713010");
    v["items"][0]["productDescription"] = Value::from("Laptop computers");
    v.to_string()
}

/// A config for tests: the test key, admin on, a high rate limit, plus extra clients.
pub fn config(extra_clients: Vec<ClientSeed>) -> Config {
    let mut seed = Seed::quickstart();
    seed.clients[0].rate_limit = Some(10_000);
    seed.clients.extend(extra_clients);
    Config {
        seed,
        admin: true,
        signing_key_pem: Some(TEST_KEY.to_owned()),
        ..Config::default()
    }
}

/// Starts a sandbox with [`config`].
pub fn start() -> RunningSandbox {
    start_with(config(Vec::new()))
}

/// Starts a sandbox with `config`.
pub fn start_with(config: Config) -> RunningSandbox {
    Sandbox::spawn(config).expect("sandbox starts")
}

/// A client seed.
pub fn client(id: &str, gstins: &[&str], scope: Scope) -> ClientSeed {
    ClientSeed {
        client_id: id.into(),
        secrets: vec![format!("{id}-secret")],
        gstins: gstins.iter().map(|g| g.to_string()).collect(),
        scope,
        products: vec![
            onefinops_sandbox::config::Product::Einvoice,
            onefinops_sandbox::config::Product::Ewaybill,
        ],
        rate_limit: Some(10_000),
    }
}

/// An HTTP answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The error envelope's code.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// A ureq agent that reports 4xx/5xx as answers, not errors.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn collect(
    resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<Answer, ureq::Error> {
    let mut resp = resp?;
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                v.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let body = resp
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()?;
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// POST `body` with `headers`.
pub fn try_post(url: &str, headers: &[(&str, &str)], body: &str) -> Result<Answer, ureq::Error> {
    let mut req = agent().post(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    collect(req.send(body))
}

/// POST, panicking on a transport error.
pub fn post(url: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    try_post(url, headers, body).expect("an HTTP answer")
}

/// GET with `headers`.
pub fn get(url: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = agent().get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    collect(req.call()).expect("an HTTP answer")
}

/// DELETE with `headers`.
pub fn delete(url: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = agent().delete(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    collect(req.call()).expect("an HTTP answer")
}

/// Mints a token with the form body of seed 002's curl command.
pub fn token_for(base: &str, client_id: &str, secret: &str) -> String {
    let form = format!(
        "grant_type=client_credentials&client_id={client_id}&client_secret={secret}&scope=gstn-india"
    );
    let a = post(
        &format!("{base}{}", onefinops_sandbox::TOKEN_PATH),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &form,
    );
    assert_eq!(a.status, 200, "{}", a.text());
    a.json()["access_token"].as_str().unwrap().to_owned()
}

/// The quickstart client's token.
pub fn token(base: &str) -> String {
    token_for(base, "ofin_test_quickstart", "sandbox-secret")
}

/// `Authorization: Bearer ...`.
pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// Moves the sandbox clock.
pub fn advance(base: &str, secs: i64) {
    let a = post(
        &format!("{base}/_sandbox/clock"),
        &[("Content-Type", "application/json")],
        &format!(r#"{{"advanceSeconds": {secs}}}"#),
    );
    assert_eq!(a.status, 200, "{}", a.text());
}

/// Creates a flat e-invoice with the quickstart client and returns the einvoice object.
pub fn create(base: &str, token: &str, body: &str) -> Answer {
    let auth = bearer(token);
    post(
        &format!("{base}/v1/einvoices"),
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        body,
    )
}

/// Whether `s` is a compact JWS (three base64url parts).
pub fn is_jws(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// The `onefinops-sandbox` binary as a child process, killed when dropped (also when a test fails
/// half-way). It inherits no `ONEFINOPS_SANDBOX_*` variable of the test's environment: only
/// `envs`.
pub struct Proc {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`, from its first line on stdout.
    pub base: String,
}

impl Proc {
    /// Starts the binary with `args` and `envs` and waits for its `listening on URL` line.
    pub fn start(args: &[&str], envs: &[(&str, &str)]) -> Proc {
        use std::io::BufRead;
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_onefinops-sandbox"));
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("ONEFINOPS_SANDBOX_") {
                cmd.env_remove(name);
            }
        }
        let mut child = cmd
            .args(args)
            .envs(envs.iter().copied())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the sandbox binary starts");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line `{line}`"))
            .to_owned();
        Proc { child, base }
    }

    /// SIGKILL: no shutdown, no flush, no snapshot.
    pub fn crash(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the binary to its end with `args` and `envs` (for flags it refuses): exit code, stderr.
pub fn run_to_end(args: &[&str], envs: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_onefinops-sandbox"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("ONEFINOPS_SANDBOX_") {
            cmd.env_remove(name);
        }
    }
    let out = cmd
        .args(args)
        .envs(envs.iter().copied())
        .output()
        .expect("the sandbox binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
