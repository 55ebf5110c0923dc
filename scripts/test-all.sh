#!/usr/bin/env bash
# Runs every test of the project. It installs what it needs by itself, so it works on a fresh
# machine: CI (.ci/run) calls exactly this script, as the README says.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "toolchain"
if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install Rust with rustup first" >&2
  exit 1
fi
rustup component add rustfmt clippy
command -v python3 >/dev/null 2>&1 || { apt-get update && apt-get install -y python3; }

step "format"
cargo fmt --all -- --check

step "lint"
cargo clippy --workspace --all-targets -- -D warnings

step "vectors are in sync with their generators"
for generator in tests/vectors/*/make_vectors.py; do
  python3 "$generator" --check
done

step "tests"
cargo test --workspace

step "C ABI: the C programs under valgrind (against the committed header and a local sandbox)"
bash ffi/tests/c/run.sh

step "wasm: Node and headless Chromium suites"
bash wasm/test.sh

step "main job"
cargo run -q --example quickstart >/dev/null
echo "quickstart ran"
