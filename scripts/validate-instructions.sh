#!/usr/bin/env bash
# Instructions per validation of a 10-line invoice, counted by callgrind: repeatable where wall
# times on a shared 2-core VM move by 10-30 % from run to run. Runs the bulk example (distinct
# 5,000-run invoices) under callgrind, counting only inside validate_and_read_invoice_json.
# Usage: scripts/validate-instructions.sh [invoices, default 200] [callgrind output file]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-200}"
out="${2:-target/callgrind.validate.out}"
command -v valgrind >/dev/null || { apt-get update && apt-get install -y valgrind; }
CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build -q --release -p onefinops-core --example bulk_validate
valgrind --tool=callgrind --toggle-collect='onefinops_core::validate::validate_and_read_invoice_json' \
  --callgrind-out-file="$out" target/release/examples/bulk_validate "$n" 2>&1 \
  | awk -v n="$n" '/Collected :/ { printf "%d instructions per validation (%d invoices; profile in '"$out"')\n", $4 / n, n }'
