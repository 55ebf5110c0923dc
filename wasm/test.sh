#!/usr/bin/env bash
# Builds the WASM package (build.sh) and runs its two suites: Node's test runner against the
# nodejs build (the conformance vectors and the JS API), then the demo form in Debian's headless
# Chromium driven by playwright-core. Works on a fresh machine: it installs Node and npm, the
# test dependencies (npm ci, versions pinned by tests/package-lock.json) and chromium (apt-get)
# when they are missing. The screenshot lands in tests/artifacts/wasm/ at the repository root.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

say() { printf '\n== %s\n' "$*"; }

apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: $* is missing and cannot be installed here (needs root and apt-get)" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

say "wasm: build"
"$here/build.sh"

say "wasm: test dependencies"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || apt_install chromium
(cd "$here/tests" && npm ci --no-audit --no-fund)

say "wasm: Node tests (pkg/node)"
(cd "$here/tests" && node --test node/vectors.test.mjs node/api.test.mjs)

say "wasm: browser test (headless Chromium)"
(cd "$here/tests" && node --test browser/demo.test.mjs)
