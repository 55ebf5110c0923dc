//! Benchmarks of the offline validation path (issue 3 targets, on the 2-core reference machine):
//! parse + schema of a 10-line invoice, the full `validate_invoice_json` (parse + schema + rules +
//! arithmetic, target <= 20 us median), `prepare` of a 10-line invoice (target <= 10 us), and a
//! bulk run of 5,000 such invoices on one core (target <= 100 ms).
//!
//! Run: `cargo bench -p onefinops-core --bench validate`. Medians are in
//! `target/criterion/<group>/<bench>/new/estimates.json` (`median.point_estimate`, in ns).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use onefinops_core::einvoice::parse::{parse_invoice_value, Dialect};
use onefinops_core::prepare::prepare;
use onefinops_core::validate::schema::{
    compile_all, schema_findings, schema_findings_with, SchemaEngine,
};
use onefinops_core::validate::{validate_invoice_json, ValidationOptions};
use serde_json::Value;

#[path = "support/fixture.rs"]
mod fixture;

/// Parse the bytes, check the shape in the dialect they were sent in, read the model: the first
/// half of validation, and all of it before the rule layer.
fn parse_and_schema(bytes: &[u8]) -> usize {
    let value: Value = serde_json::from_slice(bytes).expect("fixture is JSON");
    let dialect = match &value {
        Value::Object(doc) => Dialect::detect(doc),
        _ => Dialect::Canonical,
    };
    let shape = schema_findings(dialect, &value);
    let parsed = parse_invoice_value(value).expect("fixture parses");
    shape.len() + parsed.invoice.items.len()
}

fn benches(c: &mut Criterion) {
    compile_all();
    let options = ValidationOptions::default();
    let canonical = fixture::ten_line_invoice_bytes(1);
    let nic = serde_json::to_vec(&fixture::ten_line_invoice_nic(1)).unwrap();
    assert_eq!(parse_and_schema(&canonical), 10, "the fixture is valid");
    assert_eq!(parse_and_schema(&nic), 10, "the NIC fixture is valid");
    let report = validate_invoice_json(&canonical, &options);
    assert!(report.valid, "{:?}", report.findings);

    let mut group = c.benchmark_group("invoice_10_lines");
    // Where the time goes: the JSON text to a tree, the tree against the schema, the tree to the
    // model.
    let tree: Value = serde_json::from_slice(&canonical).unwrap();
    group.bench_function("step_json_to_tree", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&canonical)).unwrap())
    });
    // The shape step on our checker (the engine of every validation) and on the jsonschema
    // reference it is held to: both give the same findings, so only the time differs.
    let nic_tree: Value = serde_json::from_slice(&nic).unwrap();
    for (dialect, doc) in [(Dialect::Canonical, &tree), (Dialect::Nic, &nic_tree)] {
        assert_eq!(
            schema_findings(dialect, doc),
            schema_findings_with(SchemaEngine::JsonSchema, dialect, doc),
        );
    }
    group.bench_function("step_schema", |b| {
        b.iter(|| schema_findings(Dialect::Canonical, black_box(&tree)))
    });
    group.bench_function("step_schema_jsonschema", |b| {
        b.iter(|| {
            schema_findings_with(
                SchemaEngine::JsonSchema,
                Dialect::Canonical,
                black_box(&tree),
            )
        })
    });
    group.bench_function("step_schema_nic", |b| {
        b.iter(|| schema_findings(Dialect::Nic, black_box(&nic_tree)))
    });
    group.bench_function("step_schema_nic_jsonschema", |b| {
        b.iter(|| {
            schema_findings_with(SchemaEngine::JsonSchema, Dialect::Nic, black_box(&nic_tree))
        })
    });
    group.bench_function("step_tree_to_model", |b| {
        b.iter_batched(
            || tree.clone(),
            |t| parse_invoice_value(t).unwrap(),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("parse_schema_canonical", |b| {
        b.iter(|| parse_and_schema(black_box(&canonical)))
    });
    group.bench_function("parse_schema_nic", |b| {
        b.iter(|| parse_and_schema(black_box(&nic)))
    });
    group.bench_function("validate_invoice_json", |b| {
        b.iter(|| validate_invoice_json(black_box(&canonical), &options))
    });

    // prepare: a document with every derived amount to compute, and one already consistent.
    let consistent = parse_invoice_value(fixture::ten_line_invoice(1))
        .unwrap()
        .invoice;
    let mut blank = consistent.clone();
    for item in &mut blank.items {
        item.total_amount = Default::default();
        item.assessable_amount = Default::default();
        item.igst_amount = None;
        item.total_item_value = Default::default();
    }
    blank.value_details.assessable_value = Default::default();
    blank.value_details.igst_value = None;
    blank.value_details.total_invoice_value = Default::default();
    assert_eq!(prepare(&blank), consistent);
    group.bench_function("prepare_fill", |b| b.iter(|| prepare(black_box(&blank))));
    group.bench_function("prepare_consistent", |b| {
        b.iter(|| prepare(black_box(&consistent)))
    });
    group.finish();

    // Bulk: 5,000 distinct invoices, one core.
    let bulk: Vec<Vec<u8>> = (0..5_000).map(fixture::ten_line_invoice_bytes).collect();
    let mut group = c.benchmark_group("bulk_5000");
    group.sample_size(10);
    group.throughput(Throughput::Elements(bulk.len() as u64));
    group.bench_function("parse_schema", |b| {
        b.iter(|| bulk.iter().map(|doc| parse_and_schema(doc)).sum::<usize>())
    });
    group.bench_function("validate_invoice_json", |b| {
        b.iter(|| {
            bulk.iter()
                .filter(|doc| validate_invoice_json(doc, &options).valid)
                .count()
        })
    });
    group.finish();
}

criterion_group!(validate, benches);
criterion_main!(validate);
