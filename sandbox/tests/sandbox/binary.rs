//! The `onefinops-sandbox` binary's configuration: flags and their `ONEFINOPS_SANDBOX_*`
//! variables (port, seed file, clock offset, admin, id seed), and refusals of bad values.

use crate::common::*;

/// A fixed key: a debug build would spend seconds generating one per start.
const KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/test-signing-key.pem"
);

const SEED: &str = r#"{
  "clients": [
    {"clientId": "ofin_test_binary", "secrets": ["binary-secret"], "gstins": ["29AAFCC9980M1ZR"],
     "scope": "read_only"}
  ]
}"#;

#[test]
fn flags_and_environment_configure_the_binary() {
    let dir = std::env::temp_dir().join(format!("onefinops-sandbox-bin-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("seed.json");
    std::fs::write(&seed, SEED).unwrap();

    // The port, the clock offset and the admin switch from the environment, the seed as a flag.
    let p = Proc::start(
        &["--seed", seed.to_str().unwrap(), "--key", KEY],
        &[
            ("ONEFINOPS_SANDBOX_PORT", "0"),
            ("ONEFINOPS_SANDBOX_CLOCK_OFFSET", "25h"),
            ("ONEFINOPS_SANDBOX_ADMIN", "yes"),
        ],
    );
    assert!(p.base.starts_with("http://127.0.0.1:"), "{}", p.base);
    let clock = get(&format!("{}/_sandbox/clock", p.base), &[]);
    assert_eq!(clock.status, 200, "{}", clock.text());
    assert_eq!(clock.json()["offsetSeconds"], 90_000);

    // The seed file replaces the quickstart seed: its client gets tokens, the quickstart one not.
    let t = token_for(&p.base, "ofin_test_binary", "binary-secret");
    assert!(!t.is_empty());
    let form = "grant_type=client_credentials&client_id=ofin_test_quickstart&client_secret=sandbox-secret&scope=gstn-india";
    let refused = post(
        &format!("{}{}", p.base, onefinops_sandbox::TOKEN_PATH),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form,
    );
    assert_eq!(refused.status, 401, "{}", refused.text());
    assert_eq!(refused.json()["error"]["code"], "auth.invalid_token");
    // Its scope came from the seed too: read-only may not create.
    let created = post(
        &format!("{}/v1/einvoices", p.base),
        &[
            ("Authorization", &bearer(&t)),
            ("Content-Type", "application/json"),
        ],
        &flat_invoice("INV-BIN-1"),
    );
    assert_eq!(created.status, 403, "{}", created.text());
    drop(p);

    // A flag wins over its variable.
    let p = Proc::start(
        &[
            "--port",
            "0",
            "--clock-offset",
            "-1d",
            "--admin",
            "--key",
            KEY,
        ],
        &[("ONEFINOPS_SANDBOX_CLOCK_OFFSET", "25h")],
    );
    let clock = get(&format!("{}/_sandbox/clock", p.base), &[]);
    assert_eq!(clock.json()["offsetSeconds"], -86_400);
    drop(p);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_values_are_refused_with_the_flag_named() {
    let (code, err) = run_to_end(&["--port", "0", "--clock-offset", "soon"], &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with(
            "onefinops-sandbox: --clock-offset: `soon` is not a number of seconds (suffix s, m, h or d; at most ten years)\n"
        ),
        "{err}"
    );
    let (code, err) = run_to_end(&[], &[("ONEFINOPS_SANDBOX_PORT", "99999")]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with("onefinops-sandbox: --port: number too large to fit in target type\n"),
        "{err}"
    );
    let (code, err) = run_to_end(&["--seed", "/nonexistent/seed.json"], &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with(
            "onefinops-sandbox: --seed /nonexistent/seed.json: No such file or directory"
        ),
        "{err}"
    );
    let (code, err) = run_to_end(&["--frobnicate"], &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with("onefinops-sandbox: unknown argument `--frobnicate`\n"),
        "{err}"
    );
}
