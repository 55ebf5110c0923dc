//! The committed header `include/onefinops.h` is exactly what the pinned cbindgen generates from
//! this crate. A change to an exported item without regenerating the header fails here; run
//! `OFN_BLESS=1 cargo test -p onefinops-ffi --test header` to rewrite it, and commit it.

use std::path::PathBuf;

#[test]
fn header_is_in_sync_with_the_crate() {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("ffi/cbindgen.toml parses");
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("the header is UTF-8");
    let path = crate_dir.join("../include/onefinops.h");
    if std::env::var_os("OFN_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("include/onefinops.h is writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || committed.lines().count().min(generated.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "include/onefinops.h differs from what cbindgen generates (first difference at line \
             {line}); run `OFN_BLESS=1 cargo test -p onefinops-ffi --test header` and commit it"
        );
    }
}
