//! JSON in, JSON out: the one facade every language adapter forwards to.
//!
//! The C ABI (`ffi/`) and the WASM build (`wasm/`) carry UTF-8 JSON across their boundary so
//! that no binding has to marshal structs (DESIGN.md sections 5 and 6). Both call the functions
//! here, so a document gives the same findings, the same IRN and the same errors in C, PHP, Java,
//! Node and the browser as in Rust; the adapters only move bytes and map errors to their own
//! conventions (a status code, a thrown `Error`).
//!
//! Conventions of every function:
//! - **Inputs** are JSON bytes. Options may be empty (`b""`) or `null` for every default; an
//!   unknown option is refused, so a typo never silently changes a rule.
//! - **Results** are `serde_json::Value`s. Money keeps its exact decimal text (the workspace
//!   enables serde_json's `arbitrary_precision`), never passing through `f64`.
//! - **Misuse** (an argument of the wrong shape, an unknown option or operation) is
//!   [`Error::InvalidArgument`] naming the argument and the rule.
//! - **A document that cannot be read** (not JSON, wrong types, missing fields) is
//!   [`Error::Validation`] whose `details` are the findings with JSON-pointer paths into the
//!   document as sent. Problems found by *validation* are never errors: `validate` returns them as
//!   data (`{"valid": false, "findings": [...]}`).
//!
//! | module | what |
//! |---|---|
//! | [`documents`] | validate, prepare, NIC mapping, IRN, GSTIN check |
//! | [`lifecycle`] | e-invoice and e-way bill state machines, validity, DUPIRN, NIC codes, API errors |
//! | [`client`] | client configuration, operations by name, the sans-IO steps, signatures, webhooks, QR (feature `client`) |

pub mod documents;
pub mod lifecycle;

#[cfg(feature = "client")]
pub mod client;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::error::Error;
use crate::finding::Finding;
use crate::tree_reader::{self, Mode, Segment};

/// Reads an options object: empty input, or `null`, is every default; unknown fields are misuse.
pub fn options<T: DeserializeOwned + Default>(bytes: &[u8], what: &str) -> Result<T, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::invalid_argument(format!("{what} is not JSON: {e}")))?;
    match value {
        Value::Null => Ok(T::default()),
        Value::Object(_) => from_value(value, what),
        other => Err(Error::invalid_argument(format!(
            "{what} must be an object, not {}",
            kind(&other)
        ))),
    }
}

/// Reads a required JSON object argument (not a document: its problems are misuse).
pub fn object_argument(bytes: &[u8], what: &str) -> Result<Value, Error> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::invalid_argument(format!("{what} is not JSON: {e}")))?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(Error::invalid_argument(format!(
            "{what} must be an object, not {}",
            kind(&value)
        )))
    }
}

/// Deserializes `T`, naming the offending field in the message (`options.maxItems: ...`,
/// `input.items[2].rate: ...`).
pub fn from_value<T: DeserializeOwned>(value: Value, what: &str) -> Result<T, Error> {
    tree_reader::read_at(&value, Mode::Exact).map_err(|(at, e)| {
        let mut path = what.to_owned();
        for segment in at {
            match segment {
                Segment::Key(key) => {
                    path.push('.');
                    path.push_str(&key);
                }
                Segment::Index(i) => path.push_str(&format!("[{i}]")),
            }
        }
        Error::invalid_argument(format!("{path}: {e}"))
    })
}

/// "an object", "a string", ... for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A finding as every adapter gives it: `nicCode` is always present, `null` when NIC has none,
/// so that consumers in dynamic languages can read it without a presence check.
pub fn finding_json(f: &Finding) -> Value {
    json!({
        "path": f.path,
        "code": f.code,
        "nicCode": f.nic_code,
        "message": f.message,
        "severity": f.severity,
    })
}

/// [`finding_json`] of each.
pub fn findings_json(list: &[Finding]) -> Value {
    Value::Array(list.iter().map(finding_json).collect())
}

/// The `validation_error` of a document that cannot be read.
pub fn unreadable(what: &str, findings: Vec<Finding>) -> Error {
    let first = findings
        .first()
        .map(|f| format!(": {} ({})", f.message, f.path))
        .unwrap_or_default();
    Error::validation(format!("the {what} cannot be read{first}"), findings)
}

/// Serializes a result, which cannot fail for the crate's own types.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<Value, Error> {
    serde_json::to_value(value)
        .map_err(|e| Error::internal(format!("the result cannot be written as JSON: {e}")))
}
