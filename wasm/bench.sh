#!/usr/bin/env bash
# Times validate() on the 10-line invoice (tests/fixtures/invoice-10-lines.json): natively
# (examples/native_bench.rs, the workspace's release profile), in Node and in headless Chromium
# (tests/bench/bench.mjs, the package in pkg/), and prints the .wasm size. Timings are for
# reading, never asserted. Usage: wasm/bench.sh [iterations per batch, default 2000]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
n="${1:-2000}"

[ -f "$here/pkg/node/index.cjs" ] || "$here/build.sh"
[ -d "$here/tests/node_modules/playwright-core" ] || (cd "$here/tests" && npm ci --no-audit --no-fund)

wasm="$here/pkg/web/onefinops_wasm_bg.wasm"
printf 'onefinops_wasm_bg.wasm: %s bytes raw, %s bytes gzipped (-9)\n\n' \
  "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)"
cargo run -q --release --manifest-path "$root/Cargo.toml" -p onefinops-wasm --example native_bench -- "$n"
echo
node "$here/tests/bench/bench.mjs" "$n"
