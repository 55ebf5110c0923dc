//! Embeds the schemas and masters without their layout: each JSON file of `schemas/` the core
//! includes is copied to `OUT_DIR` with the whitespace between tokens dropped. The files stay
//! readable in the repository, and the library (the WASM module above all, whose download issue 8
//! caps at 400 KB gzipped) carries only their content. Strings are copied byte for byte, so every
//! name, pattern and message is what the file says.

use std::path::Path;

/// The files the core embeds, relative to `schemas/`.
const EMBEDDED: [&str; 15] = [
    "api/einvoice.schema.json",
    "api/einvoice-flat.schema.json",
    "nic/einvoice-v1.1.schema.json",
    "nic/ewaybill-generate.schema.json",
    "nic/ewaybill-part-b.schema.json",
    "nic/ewaybill-extend.schema.json",
    "nic/ewaybill-cancel.schema.json",
    "nic/ewaybill-reject.schema.json",
    "nic/ewaybill-transporter.schema.json",
    "masters/einvoice-errors.json",
    "masters/ewaybill-errors.json",
    "masters/states.json",
    "masters/pin-prefixes.json",
    "masters/uqc.json",
    "masters/gst-rates.json",
];

/// `json` without the whitespace JSON allows between tokens.
fn without_layout(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
            in_string = c == '"';
        }
    }
    out
}

fn main() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in EMBEDDED {
        let source = schemas.join(name);
        println!("cargo:rerun-if-changed={}", source.display());
        let text = std::fs::read_to_string(&source)
            .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        let target = Path::new(&out).join(name);
        std::fs::create_dir_all(target.parent().expect("a file has a folder"))
            .expect("OUT_DIR is writable");
        std::fs::write(&target, without_layout(&text)).expect("OUT_DIR is writable");
    }
}
