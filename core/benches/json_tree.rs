//! The JSON text of a 10-line e-invoice (about 6 KB) to a tree: [`json_tree::parse`], the
//! borrowed tree of the validation path, against `serde_json::from_slice::<Value>`, the tree it
//! replaces (arbitrary-precision numbers, B-tree maps). Both are checked to agree first.
//!
//! Run: `cargo bench -p onefinops-core --bench json_tree`. Medians are in
//! `target/criterion/json_tree_10_lines/<bench>/new/estimates.json` (`median.point_estimate`,
//! in ns).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use onefinops_core::json_tree;
use serde_json::Value;

#[path = "support/fixture.rs"]
mod fixture;

fn benches(c: &mut Criterion) {
    let canonical = fixture::ten_line_invoice_bytes(1);
    let pretty = serde_json::to_vec_pretty(&fixture::ten_line_invoice(1)).unwrap();
    for doc in [&canonical, &pretty] {
        let value: Value = serde_json::from_slice(doc).unwrap();
        let tree = json_tree::parse(doc).unwrap();
        assert_eq!(
            tree.to_value(),
            value,
            "the two parsers agree on the fixture"
        );
        assert_eq!(tree.to_value().to_string(), value.to_string());
    }

    let mut group = c.benchmark_group("json_tree_10_lines");
    group.throughput(Throughput::Bytes(canonical.len() as u64));
    group.bench_function("json_tree_parse", |b| {
        b.iter(|| json_tree::parse(black_box(&canonical)).unwrap())
    });
    group.bench_function("serde_json_from_slice", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&canonical)).unwrap())
    });
    // The same document as a person would write it: whitespace between every token.
    group.throughput(Throughput::Bytes(pretty.len() as u64));
    group.bench_function("json_tree_parse_pretty", |b| {
        b.iter(|| json_tree::parse(black_box(&pretty)).unwrap())
    });
    group.bench_function("serde_json_from_slice_pretty", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&pretty)).unwrap())
    });
    group.finish();
}

criterion_group!(json_tree_benches, benches);
criterion_main!(json_tree_benches);
