//! Every JSON entry point on documents one to four mutations away from the vectors: whatever a
//! caller sends, the answer is a result or an error, never a panic (the C ABI and the WASM module
//! would turn one into an `internal` error, and a lost call).
//!
//! The mutations are structural (a member removed, a value swapped for another type, an extreme
//! number, a long or non-ASCII string, deep nesting, a subtree copied elsewhere) and seeded, so a
//! failure names the seed that reproduces it. `OFN_ROBUSTNESS_CASES` sets how many documents
//! each seed document yields (default 20; an exploratory run used 3000, in release).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use serde_json::{Map, Value};

use onefinops_core::json_api::{documents, lifecycle};

/// A small deterministic generator (xorshift64*): no dependency, and the seed says it all.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The documents, inputs and options of every vector file: the values under these names.
fn seeds() -> Vec<Value> {
    const NAMES: [&str; 6] = ["document", "input", "canonical", "nic", "flat", "options"];
    fn collect(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if NAMES.contains(&k.as_str()) && x.is_object() {
                        out.push(x.clone());
                    }
                    collect(x, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
            _ => {}
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        collect(&v, &mut out);
    }
    out
}

/// Numbers at and past every limit the core reads with: `Decimal`'s 28 digits and its scale,
/// `u32`/`u64`, `f64`'s range, negative zero, exponents.
const NUMBERS: [&str; 16] = [
    "0",
    "-0",
    "-0.0",
    "-1",
    "0.005",
    "1e400",
    "-1e400",
    "1e-400",
    "4294967296",
    "18446744073709551616",
    "79228162514264337593543950336",
    "7922816251426433759354395033.5",
    "0.0000000000000000000000000001",
    "0.00000000000000000000000000001",
    "12345678901234567890.123456789",
    "1E2",
];

fn number(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// A value to put somewhere in place of another.
fn replacement(rng: &mut Rng, doc: &Value) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::String(String::new()),
        3 => Value::String("x".repeat(1 + rng.below(3000))),
        4 => Value::String("२९AAFCC9980M1ZR🙂\u{0}\u{202e}".to_owned()),
        5 => Value::String(NUMBERS[rng.below(NUMBERS.len())].to_owned()),
        6 | 7 => number(NUMBERS[rng.below(NUMBERS.len())]),
        8 => Value::Object(Map::new()),
        9 => Value::Array(vec![]),
        10 => {
            let mut v = Value::Null;
            for _ in 0..(1 + rng.below(300)) {
                v = Value::Array(vec![v]);
            }
            v
        }
        _ => pick(rng, doc).clone(),
    }
}

/// A random node of `doc` (the root included).
fn pick<'a>(rng: &mut Rng, doc: &'a Value) -> &'a Value {
    let mut at = doc;
    loop {
        let children: Vec<&Value> = match at {
            Value::Object(m) => m.values().collect(),
            Value::Array(a) => a.iter().collect(),
            _ => return at,
        };
        if children.is_empty() || rng.below(4) == 0 {
            return at;
        }
        at = children[rng.below(children.len())];
    }
}

/// Applies one mutation somewhere in `doc`.
fn mutate(rng: &mut Rng, doc: &mut Value) {
    let donor = doc.clone();
    let mut at = doc;
    loop {
        let descend = rng.below(3) != 0;
        let next = match at {
            // The key is needed past this borrow of `at`, so it is cloned (the index written).
            Value::Object(m) if !m.is_empty() && descend => {
                let i = rng.below(m.len());
                m.keys().nth(i).unwrap().clone()
            }
            Value::Array(a) if !a.is_empty() && descend => rng.below(a.len()).to_string(),
            _ => break,
        };
        // Decide here whether to change this child rather than go into it.
        if rng.below(3) == 0 {
            match at {
                Value::Object(m) => match rng.below(3) {
                    0 => {
                        m.remove(&next);
                    }
                    1 => {
                        let v = replacement(rng, &donor);
                        m.insert(next, v);
                    }
                    _ => {
                        let v = replacement(rng, &donor);
                        m.insert(format!("{next}X"), v);
                    }
                },
                Value::Array(a) => {
                    let i: usize = next.parse().unwrap();
                    match rng.below(3) {
                        0 => {
                            a.remove(i);
                        }
                        1 => a[i] = replacement(rng, &donor),
                        _ => {
                            let copy = a[i].clone();
                            for _ in 0..rng.below(40) {
                                a.push(copy.clone());
                            }
                        }
                    }
                }
                _ => unreachable!(),
            }
            return;
        }
        at = match at {
            Value::Object(m) => m.get_mut(&next).unwrap(),
            Value::Array(a) => &mut a[next.parse::<usize>().unwrap()],
            _ => unreachable!(),
        };
    }
    *at = replacement(rng, &donor);
}

/// The options documents take, some of them odd.
fn options(rng: &mut Rng) -> Vec<u8> {
    let all = [
        r#"{}"#,
        r#"{"now": "2026-11-20T10:00:00Z"}"#,
        r#"{"now": "9999-12-31T23:59:59Z", "maxItems": 0}"#,
        r#"{"now": "1970-01-01T00:00:00Z", "reportingWindowDays": 4294967295}"#,
        r#"{"aggregateTurnover": "1e400", "gstRates": []}"#,
        r#"{"sandbox": true}"#,
        r#"{"sandbox": "yes"}"#,
        r#"[]"#,
    ];
    all[rng.below(all.len())].as_bytes().to_vec()
}

/// Runs `bytes` through every entry point that reads a JSON document or input.
fn every_entry_point(bytes: &[u8], opts: &[u8]) {
    let _ = documents::validate(bytes, opts);
    let _ = documents::validate_ewaybill(bytes, opts);
    let _ = documents::prepare(bytes);
    let _ = documents::to_nic(bytes);
    let _ = documents::from_nic(bytes);
    let _ = documents::irn(bytes);
    let _ = lifecycle::einvoice_decide(bytes);
    let _ = lifecycle::ewaybill_apply(bytes);
    let _ = lifecycle::ewaybill_validity(bytes);
    let _ = lifecycle::dupirn_check(bytes);
    let _ = lifecycle::ewaybill_recovery(bytes);
    let _ = lifecycle::error_from_response(bytes);
    let _ = documents::check_gstin(&String::from_utf8_lossy(bytes), opts);
}

#[test]
fn mutated_documents_never_panic_any_entry_point() {
    let cases: usize = std::env::var("OFN_ROBUSTNESS_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let seeds = seeds();
    assert!(seeds.len() > 300, "{} seed documents", seeds.len());
    let mut failures = Vec::new();
    for (index, seed) in seeds.iter().enumerate() {
        for case in 0..cases {
            let key = (index as u64) << 32 | case as u64;
            let mut rng = Rng(key.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
            let mut doc = seed.clone();
            for _ in 0..(1 + rng.below(4)) {
                mutate(&mut rng, &mut doc);
            }
            let bytes = serde_json::to_vec(&doc).unwrap();
            let opts = options(&mut rng);
            let outcome = catch_unwind(AssertUnwindSafe(|| every_entry_point(&bytes, &opts)));
            if outcome.is_err() {
                failures.push(format!(
                    "seed {index} case {case}: {}",
                    String::from_utf8_lossy(&bytes)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} panics; the first:\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n")
    );
}
