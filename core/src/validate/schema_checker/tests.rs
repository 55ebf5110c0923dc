//! The checker against jsonschema, the reference: identical findings on every vector document
//! under every embedded schema, and on mutated documents.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::finding::Finding;
use crate::validate::schema::{check_with, SchemaEngine, SchemaId};

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn json_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(vectors().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Every document of the vectors, named: validation cases, e-invoice and e-way bill forms, and
/// the parse vectors' inputs (JSON text parsed where it parses).
fn documents() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for file in json_files("validation") {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let list = match read(&file) {
            Value::Array(list) => list,
            other => other["cases"].as_array().cloned().unwrap_or_default(),
        };
        for (i, case) in list.into_iter().enumerate() {
            out.push((format!("validation/{name}#{i}"), case["document"].clone()));
        }
    }
    for dir in ["einvoice", "ewaybill"] {
        for file in json_files(dir) {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let v = read(&file);
            for form in ["input", "canonical", "nic"] {
                if let Some(doc) = v.get(form) {
                    out.push((format!("{dir}/{name} {form}"), doc.clone()));
                }
            }
        }
    }
    for file in json_files("einvoice-parse") {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let list = read(&file).as_array().cloned().unwrap_or_default();
        for (i, case) in list.into_iter().enumerate() {
            let input = &case["input"];
            if let Some(text) = input.as_str() {
                if let Ok(doc) = serde_json::from_str::<Value>(text) {
                    out.push((format!("einvoice-parse/{name}#{i} parsed"), doc));
                }
            }
            out.push((format!("einvoice-parse/{name}#{i}"), input.clone()));
        }
    }
    out
}

/// Whether `f` is a range finding that only jsonschema's `f64` comparison misses: the checker
/// compares exact decimals, and a number that rounds to its limit as an `f64` (`-1e-400` to
/// `0`) is out of range for it only. The only difference allowed between the engines.
fn exact_only(doc: &Value, f: &Finding) -> bool {
    let limit = match f.code.as_str() {
        "schema.minimum" => f.message.rsplit_once("; the minimum is "),
        "schema.maximum" => f.message.rsplit_once("; the maximum is "),
        _ => None,
    };
    let (Some((_, limit)), Some(Value::Number(n))) = (limit, doc.pointer(&f.path)) else {
        return false;
    };
    let limit = limit.split(": ").next().unwrap_or(limit);
    limit.parse::<f64>().ok() == n.as_f64()
}

/// The schemas on which the engines disagree for `doc`, with what only one of them found.
fn disagreements(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for id in SchemaId::ALL {
        let reference = check_with(SchemaEngine::JsonSchema, id, doc);
        let mut ours = check_with(SchemaEngine::Checker, id, doc);
        // The same document as the core's tree, members in an order serde_json never gives.
        let text = crate::tree_reader::scrambled(doc);
        let tree = crate::json_tree::parse(text.as_bytes()).unwrap();
        let on_tree = match super::check(id, &tree) {
            Ok(v) => crate::validate::schema::findings_of_violations(
                &v,
                crate::validate::schema::schema_json(id),
                id.nic_code(),
            ),
            Err(super::DuplicateKeys) => panic!("no duplicates here"),
        };
        if on_tree != ours {
            out.push(format!(
                "{id:?}: the tree and serde_json's disagree: {on_tree:?} / {ours:?}"
            ));
        }
        ours.retain(|f| reference.contains(f) || !exact_only(doc, f));
        if reference != ours {
            let only = |a: &[Finding], b: &[Finding]| -> Vec<String> {
                a.iter()
                    .filter(|f| !b.contains(f))
                    .map(|f| format!("{} {} {}", f.path, f.code, f.message))
                    .collect()
            };
            out.push(format!(
                "{id:?}: only jsonschema: {:?}; only checker: {:?}",
                only(&reference, &ours),
                only(&ours, &reference)
            ));
        }
    }
    out
}

#[test]
fn both_engines_agree_on_every_vector_document() {
    let docs = documents();
    assert!(docs.len() > 246, "{}", docs.len());
    let mut failures = Vec::new();
    let mut with_findings = 0;
    for (name, doc) in &docs {
        let problems = disagreements(doc);
        if !problems.is_empty() {
            failures.push(format!("{name}\n{}", problems.join("\n")));
        }
        with_findings += SchemaId::ALL
            .iter()
            .filter(|&&id| !check_with(SchemaEngine::JsonSchema, id, doc).is_empty())
            .count();
    }
    assert!(with_findings > 0);
    assert!(
        failures.is_empty(),
        "{} of {} documents disagree:\n{}",
        failures.len(),
        docs.len(),
        failures.join("\n\n")
    );
}

/// Where the validity-only pass says yes and the reporting pass faults the document: the one
/// thing the pass must never do (its "no" only costs time).
fn unsound_acceptances(doc: &Value) -> Vec<String> {
    let text = crate::tree_reader::scrambled(doc);
    let tree = crate::json_tree::parse(text.as_bytes()).unwrap();
    let mut out = Vec::new();
    for id in SchemaId::ALL {
        let root = super::root(id);
        if root.accepts(doc) && !matches!(super::report(root, doc), Ok(v) if v.is_empty()) {
            out.push(format!(
                "{id:?}: accepted, yet the reporting pass faults it"
            ));
        }
        if root.accepts(&tree) && !matches!(super::report(root, &tree), Ok(v) if v.is_empty()) {
            out.push(format!(
                "{id:?}: tree accepted, yet the reporting pass faults it"
            ));
        }
    }
    out
}

#[test]
fn the_validity_pass_never_accepts_a_faulted_vector_document() {
    let failures: Vec<String> = documents()
        .iter()
        .flat_map(|(name, doc)| {
            unsound_acceptances(doc)
                .into_iter()
                .map(move |p| format!("{name}: {p}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The pass is taken, not only sound: every document the reporting pass finds valid under a
/// schema is accepted by the validity-only pass, so valid documents never pay for the
/// reporting pass. (None of the vectors' valid documents writes an amount with an exponent or
/// near a maximum, the cases the pass may leave to the reporting pass.)
#[test]
fn the_validity_pass_accepts_every_valid_vector_document() {
    let mut valid = 0;
    let mut missed = Vec::new();
    for (name, doc) in documents() {
        for id in SchemaId::ALL {
            let root = super::root(id);
            if matches!(super::report(root, &doc), Ok(v) if v.is_empty()) {
                valid += 1;
                if !root.accepts(&doc) {
                    missed.push(format!("{name} under {id:?}"));
                }
            }
        }
    }
    assert!(valid > 100, "{valid}");
    assert!(missed.is_empty(), "{}", missed.join("\n"));
}

/// The valid documents the mutations start from.
fn bases() -> Vec<Value> {
    let mut out = Vec::new();
    for dir in ["einvoice", "ewaybill"] {
        for file in json_files(dir) {
            let v = read(&file);
            for form in ["input", "canonical", "nic"] {
                if let Some(doc) = v.get(form) {
                    out.push(doc.clone());
                }
            }
        }
    }
    out
}

/// Every pointer in `v`, the root included.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                pointers(
                    child,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn num(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// A replacement value: other types, boundary and odd numbers, numeric strings, long and odd
/// strings.
fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        Just(json!([])),
        Just(json!({})),
        Just(json!([1, "a"])),
        prop::sample::select(vec![
            "0",
            "-0",
            "1",
            "-1",
            "1.0",
            "1e2",
            "1E-2",
            "0.001",
            "-0.01",
            "99.99",
            "99.991",
            "100",
            "4000",
            "4001",
            "999999999999.99",
            "1000000000000",
            "12345678901234567890",
            "1.5e400",
            "-1e-400",
            "0.30000000000000004",
            "9007199254740993",
            "2.50",
            "1000.0000000000000001",
            "-99.99",
            "-100"
        ])
        .prop_map(num),
        prop::sample::select(vec![
            "",
            "0",
            "00",
            "07",
            "1",
            "8",
            "URP",
            "B2B",
            "b2b",
            "INV",
            "crn",
            "Y",
            "N",
            "O",
            "R",
            "29AAFCC9980M1ZR",
            "29aafcc9980m1zr",
            "2026-02-30",
            "2026-02-28",
            "2024-02-29",
            "22/11/2026",
            "2030-01-01",
            "12.345",
            "-12.5",
            "1e2",
            "99.991",
            "560058",
            "0560058",
            "a\"b",
            "a\\b",
            "ü",
            "KA01AB1234",
            "ACM/26-27/0006",
            "x@y.in",
            "abc",
            "GST",
            "01/01/2020"
        ])
        .prop_map(|s| Value::String(s.to_owned())),
        (
            1usize..1200,
            prop::sample::select(vec!['a', '9', ' ', 'ü', '/'])
        )
            .prop_map(|(n, c)| Value::String(std::iter::repeat_n(c, n).collect())),
        "[ -~]{0,20}".prop_map(Value::String),
        any::<i64>().prop_map(|n| json!(n)),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Drop(prop::sample::Index),
    Replace(prop::sample::Index, Value),
    AddField(prop::sample::Index, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Mutation::Drop),
        (any::<prop::sample::Index>(), replacement()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        (any::<prop::sample::Index>(), "[a-zA-Z]{1,8}").prop_map(|(i, k)| Mutation::AddField(i, k)),
    ]
}

fn apply(doc: &mut Value, m: &Mutation) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    match m {
        Mutation::Drop(i) => {
            let target = i.get(&all).clone();
            let Some((parent, last)) = target.rsplit_once('/') else {
                return;
            };
            let last = last.replace("~1", "/").replace("~0", "~");
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&last);
                }
                Some(Value::Array(list)) => {
                    if let Ok(i) = last.parse::<usize>() {
                        if i < list.len() {
                            list.remove(i);
                        }
                    }
                }
                _ => {}
            }
        }
        Mutation::Replace(i, v) => {
            let target: &String = i.get(&all);
            if let Some(slot) = doc.pointer_mut(target) {
                *slot = v.clone();
            }
        }
        Mutation::AddField(i, key) => {
            let objects: Vec<&String> = all
                .iter()
                .filter(|p| doc.pointer(p).is_some_and(Value::is_object))
                .collect();
            if objects.is_empty() {
                return;
            }
            let target = i.get(&objects).to_string();
            if let Some(Value::Object(map)) = doc.pointer_mut(&target) {
                map.insert(key.clone(), json!(1));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn both_engines_agree_on_mutated_documents(
        base in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let bases = bases();
        let mut doc = base.get(&bases).clone();
        for m in &mutations {
            apply(&mut doc, m);
        }
        let mut problems = disagreements(&doc);
        problems.extend(unsound_acceptances(&doc));
        prop_assert!(problems.is_empty(), "{}\n{}", doc, problems.join("\n"));
    }
}

/// The build embeds the schemas without their layout (`core/build.rs`): each embedded schema is
/// one of the files under `schemas/`, value for value, and every file is embedded once.
#[test]
fn the_embedded_schemas_are_the_files_in_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let mut files: Vec<(PathBuf, Value)> = Vec::new();
    for dir in ["api", "nic"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.to_string_lossy().ends_with(".schema.json") {
                let value = read(&path);
                files.push((path, value));
            }
        }
    }
    assert_eq!(files.len(), SchemaId::ALL.len());
    for id in SchemaId::ALL {
        let embedded = crate::validate::schema::schema_json(id);
        let at = files
            .iter()
            .position(|(_, v)| v == embedded)
            .unwrap_or_else(|| panic!("{id:?} is none of the files"));
        files.remove(at);
    }
    assert!(files.is_empty(), "{files:?}");
}
