//! `tests/vectors/` replayed through the C ABI: the same bytes a C, PHP or Java host hands the
//! exported functions, the same `ofn_buf` coming back, and the same findings and answers as the
//! Rust tests of the core expect. (The C programs of `tests/c/` prove the ABI from C itself; here
//! the hundreds of vector cases run without a JSON parser in C.)

use std::path::{Path, PathBuf};
use std::ptr;

use chrono::DateTime;
use onefinops::buf::{ofn_buf, ofn_buf_free};
use onefinops::pure::{
    ofn_dupirn_check, ofn_einvoice_decide, ofn_error_parse, ofn_ewaybill_apply,
    ofn_ewaybill_recovery, ofn_ewaybill_validity, ofn_nic_code, ofn_validate,
    ofn_validate_ewaybill,
};
use onefinops::status::ofn_status;
use serde_json::{json, Value};

type Entry = unsafe extern "C" fn(*const u8, usize, *mut ofn_buf, *mut ofn_buf) -> ofn_status;
type Entry2 = unsafe extern "C" fn(
    *const u8,
    usize,
    *const u8,
    usize,
    *mut ofn_buf,
    *mut ofn_buf,
) -> ofn_status;

/// Takes a buffer the library wrote, as JSON, and frees it.
fn take(buf: &mut ofn_buf) -> Value {
    assert!(!buf.data.is_null(), "the library wrote no buffer");
    // SAFETY: a buffer written by the library: `len` bytes then a NUL.
    let bytes = unsafe { std::slice::from_raw_parts(buf.data, buf.len) };
    // SAFETY: the NUL the library promises after the bytes.
    assert_eq!(unsafe { *buf.data.add(buf.len) }, 0, "no trailing NUL");
    let v: Value = serde_json::from_slice(bytes).expect("the library writes JSON");
    // SAFETY: the buffer came from the library.
    unsafe { ofn_buf_free(buf) };
    assert!(buf.data.is_null() && buf.len == 0);
    v
}

fn empty() -> ofn_buf {
    ofn_buf {
        data: ptr::null_mut(),
        len: 0,
    }
}

/// Calls a one-input entry point; `Ok(result)` or `Err((status, envelope))`.
fn call1(f: Entry, input: &Value) -> Result<Value, (ofn_status, Value)> {
    let text = input.to_string();
    let (mut out, mut err) = (empty(), empty());
    // SAFETY: valid input bytes and writable buffers.
    let status = unsafe { f(text.as_ptr(), text.len(), &mut out, &mut err) };
    finish(status, &mut out, &mut err)
}

fn call2(f: Entry2, a: &[u8], b: &[u8]) -> Result<Value, (ofn_status, Value)> {
    let (mut out, mut err) = (empty(), empty());
    // SAFETY: valid input bytes and writable buffers.
    let status = unsafe { f(a.as_ptr(), a.len(), b.as_ptr(), b.len(), &mut out, &mut err) };
    finish(status, &mut out, &mut err)
}

fn finish(
    status: ofn_status,
    out: &mut ofn_buf,
    err: &mut ofn_buf,
) -> Result<Value, (ofn_status, Value)> {
    if status == ofn_status::OFN_OK {
        assert!(err.data.is_null(), "err_out written on success");
        Ok(take(out))
    } else {
        assert!(out.data.is_null(), "out written on failure ({status:?})");
        Err((status, take(err)))
    }
}

fn vector_files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn cases_of(file: &Path) -> Vec<Value> {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    match doc {
        Value::Array(list) => list,
        other => other["cases"].as_array().cloned().unwrap_or_default(),
    }
}

fn finding_key(f: &Value) -> Value {
    json!({
        "path": f["path"],
        "code": f["code"],
        "nicCode": f.get("nicCode").cloned().unwrap_or(Value::Null),
        "severity": f["severity"],
    })
}

#[test]
fn validation_vectors_through_the_abi() {
    let mut count = 0;
    let mut failures = Vec::new();
    for file in vector_files("validation") {
        for (i, case) in cases_of(&file).iter().enumerate() {
            let name = format!("{}#{i}", file.file_name().unwrap().to_string_lossy());
            let document = serde_json::to_vec(&case["document"]).unwrap();
            let options = case["options"].to_string();
            let f: Entry2 = match case["kind"].as_str() {
                Some("einvoice") => ofn_validate,
                Some("ewaybill") => ofn_validate_ewaybill,
                other => panic!("{name}: unknown kind {other:?}"),
            };
            let report = call2(f, &document, options.as_bytes())
                .unwrap_or_else(|(s, e)| panic!("{name}: {s:?} {e}"));
            let actual: Vec<Value> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(finding_key)
                .collect();
            let expected: Vec<Value> = case["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(finding_key)
                .collect();
            let errors = expected.iter().any(|f| f["severity"] == "error");
            // Every finding carries nicCode, null or not, across the ABI.
            let shaped = report["findings"].as_array().unwrap().iter().all(|f| {
                f.get("nicCode").is_some() && f["message"].as_str().is_some_and(|m| !m.is_empty())
            });
            if actual != expected || report["valid"] != json!(!errors) || !shaped {
                failures.push(format!(
                    "{name}\n  expected {}\n  actual   {}",
                    Value::Array(expected),
                    Value::Array(actual)
                ));
            }
            count += 1;
        }
    }
    assert!(count >= 240, "only {count} validation cases");
    assert!(
        failures.is_empty(),
        "{} of {count} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// JSON equality where RFC 3339 strings compare as instants and a missing key equals null (as
/// in the core's lifecycle test).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).all(|k| {
            same(
                x.get(k).unwrap_or(&Value::Null),
                y.get(k).unwrap_or(&Value::Null),
            )
        }),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::String(x), Value::String(y)) => {
            x == y
                || matches!(
                    (DateTime::parse_from_rfc3339(x), DateTime::parse_from_rfc3339(y)),
                    (Ok(p), Ok(q)) if p == q
                )
        }
        (Value::Number(x), Value::Number(y)) => x.to_string() == y.to_string(),
        _ => a == b,
    }
}

fn ok(r: Result<Value, (ofn_status, Value)>) -> Value {
    r.unwrap_or_else(|(s, e)| panic!("{s:?}: {e}"))
}

/// Keeps only the members the vector states (refusals carry a message the vectors leave out).
fn like(actual: Value, expected: &Value) -> Value {
    match (actual, expected) {
        (Value::Object(mut a), Value::Object(e)) => {
            a.retain(|k, _| e.contains_key(k));
            Value::Object(a)
        }
        (a, _) => a,
    }
}

fn validity(input: &Value) -> Value {
    let mut q = input.clone();
    let q = q.as_object_mut().unwrap();
    let op = q.remove("op").unwrap();
    let from = q.remove("from").unwrap();
    match op.as_str().unwrap() {
        "predict" => q.insert("generatedAt".into(), from),
        _ => q.insert("extendedAt".into(), from),
    };
    let out = ok(call1(ofn_ewaybill_validity, &Value::Object(q.clone())));
    if out["ok"] == true {
        json!({"days": out["days"], "validUpto": out["validUpto"], "distanceKm": out["distanceKm"]})
    } else {
        let f = &out["findings"][0];
        json!({"error": f["code"], "nicCode": f["nicCode"]})
    }
}

fn dupirn(input: &Value, expected: &Value) -> Value {
    let mut q = json!({"reply": input["reply"]});
    if input["op"] == "adopt" {
        q["request"] = input["request"].clone();
        if let Some(s) = input.get("signedInvoice") {
            q["signedInvoice"] = s.clone();
        }
    }
    let out = ok(call1(ofn_dupirn_check, &q));
    if out["outcome"].is_null() {
        return json!({"error": out["error"]["code"]});
    }
    if input["op"] == "adopt" {
        return match out.get("adopted") {
            Some(a) => json!({ "adopted": a }),
            None => json!({ "conflict": like(out["conflict"].clone(), &expected["conflict"]) }),
        };
    }
    json!({"outcome": out["outcome"]})
}

fn ewb_duplicate(input: &Value) -> Value {
    let mut q = json!({"codes": input["codes"]});
    match input["op"].as_str().unwrap() {
        "generate" => {
            q["documentType"] = input["documentType"].clone();
            q["documentNumber"] = input["documentNumber"].clone();
        }
        _ => q["irn"] = input["irn"].clone(),
    }
    ok(call1(ofn_ewaybill_recovery, &q))
}

fn error_envelope(input: &Value, expected: &Value) -> Value {
    let mut out = ok(call1(ofn_error_parse, input));
    if expected.get("envelope").is_none() {
        out.as_object_mut().unwrap().remove("envelope");
    }
    out
}

fn nic_code(input: &Value) -> Value {
    let code = input["code"].as_str().unwrap();
    let (mut out, mut err) = (empty(), empty());
    // SAFETY: valid input and buffers.
    let s = unsafe { ofn_nic_code(code.as_ptr(), code.len(), &mut out, &mut err) };
    let v = finish(s, &mut out, &mut err).unwrap();
    json!({"class": v["class"]})
}

#[test]
fn lifecycle_vectors_through_the_abi() {
    let mut count = 0;
    let mut failures = Vec::new();
    for file in vector_files("lifecycle") {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let kind = doc["kind"].as_str().unwrap().to_owned();
        for case in doc["cases"].as_array().unwrap() {
            let (name, input, expected) = (&case["name"], &case["input"], &case["expected"]);
            let actual = match kind.as_str() {
                "validity" => validity(input),
                "einvoice" => like(ok(call1(ofn_einvoice_decide, input)), expected),
                "ewaybill" => like(ok(call1(ofn_ewaybill_apply, input)), expected),
                "dupirn" => dupirn(input, expected),
                "ewb_duplicate" => ewb_duplicate(input),
                "error_envelope" => error_envelope(input, expected),
                "nic_code" => nic_code(input),
                other => panic!("unknown kind {other}"),
            };
            count += 1;
            if !same(&actual, expected) {
                failures.push(format!(
                    "{} / {name}\n  expected {expected}\n  actual   {actual}",
                    file.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    assert!(count >= 150, "only {count} lifecycle cases");
    assert!(
        failures.is_empty(),
        "{} of {count} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
