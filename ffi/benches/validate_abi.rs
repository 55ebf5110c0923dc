//! The cost of the C ABI over the Rust function it wraps, for a 10-line invoice (issue 7 target:
//! `ofn_validate` at most 10 % slower than `validate_invoice_json`). Both paths do the same
//! validation; the ABI adds the UTF-8 check of its inputs, the options parse, the JSON of the
//! report and the `ofn_buf` allocation and free.
//!
//! Run: `cargo bench -p onefinops-ffi --bench validate_abi`.

use std::hint::black_box;
use std::ptr;

use criterion::{criterion_group, criterion_main, Criterion};
use onefinops::buf::{ofn_buf, ofn_buf_free};
use onefinops::pure::ofn_validate;
use onefinops::status::ofn_status;
use onefinops_core::validate::{validate_invoice_json, ValidationOptions};

const INVOICE: &str = include_str!("../../wasm/tests/fixtures/invoice-10-lines.json");
const OPTIONS: &str = r#"{"sandbox": true}"#;

fn abi(document: &[u8], options: &[u8]) -> usize {
    let mut out = ofn_buf {
        data: ptr::null_mut(),
        len: 0,
    };
    // SAFETY: valid inputs and a writable buffer; err_out may be NULL.
    let status = unsafe {
        ofn_validate(
            document.as_ptr(),
            document.len(),
            options.as_ptr(),
            options.len(),
            &mut out,
            ptr::null_mut(),
        )
    };
    assert_eq!(status, ofn_status::OFN_OK);
    let len = out.len;
    // SAFETY: written by the library.
    unsafe { ofn_buf_free(&mut out) };
    len
}

fn benches(c: &mut Criterion) {
    let options: ValidationOptions = serde_json::from_str(OPTIONS).unwrap();
    let report = validate_invoice_json(INVOICE.as_bytes(), &options);
    assert!(report.valid, "the fixture validates: {:?}", report.findings);
    assert!(abi(INVOICE.as_bytes(), OPTIONS.as_bytes()) > 0);

    let mut group = c.benchmark_group("validate_10_lines");
    group.bench_function("rust_validate_invoice_json", |b| {
        b.iter(|| validate_invoice_json(black_box(INVOICE.as_bytes()), black_box(&options)))
    });
    group.bench_function("c_abi_ofn_validate", |b| {
        b.iter(|| abi(black_box(INVOICE.as_bytes()), black_box(OPTIONS.as_bytes())))
    });
    group.finish();
}

criterion_group!(benches_group, benches);
criterion_main!(benches_group);
