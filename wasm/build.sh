#!/usr/bin/env bash
# Builds the npm package of the WASM core into wasm/pkg/ (built, never committed):
#
#   pkg/package.json, README.md, index.d.ts      the package, publishable as is (npm publish pkg)
#   pkg/node/  index.cjs, index.mjs, onefinops_wasm{.js,_bg.wasm}   wasm-bindgen --target nodejs
#   pkg/web/   index.js, onefinops_wasm{.js,_bg.wasm}               wasm-bindgen --target web
#
# It installs what it needs: the wasm32 target (rustup) and wasm-bindgen-cli at exactly the
# version wasm/Cargo.toml pins (cargo install); with OFN_WASM_OPT=1, also wasm-opt from Debian's
# binaryen (see below for why it is off by default).
#
# Environment: OFN_WASM_OPT_LEVEL (default s) is rustc's opt-level; CARGO_TARGET_DIR defaults to
# target/wasm so that a wasm build never waits on, nor invalidates, the workspace's target/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
pkg="$here/pkg"
# rustc's opt-level for the wasm build. "s" is the smallest that keeps validation within 3x of
# native. Now (wasm/SIZE.md): "s" 397,053 B gzipped, Node 2.1x native on JSON text, Chromium
# 2.2x; opt-level 2 is faster (raw validate 24 us against 29.5) but ~441 KB gzipped, over the
# 400 KB target, and no inlining threshold found a point between. With jsonschema still in the
# module, measured on the 10-line invoice:
# "s" 1,144,100 B gzipped, Node 2.4x, Chromium 1.6x; "z" 1,014,400 B, Node 3.7x, Chromium 2.5x;
# "2"/"3" 1.41-1.46 MB, 1.7x.
level="${OFN_WASM_OPT_LEVEL:-s}"

say() { printf '== %s\n' "$*"; }

# The exact wasm-bindgen version, from the `wasm-bindgen = "=x.y.z"` line of wasm/Cargo.toml.
wb_version="$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' "$here/Cargo.toml")"
if [ -z "$wb_version" ]; then
  echo "build.sh: wasm/Cargo.toml must pin wasm-bindgen with =x.y.z" >&2
  exit 1
fi

say "toolchain: wasm32 target, wasm-bindgen-cli $wb_version"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wb_version" ]; then
  # --locked first (the CLI's own lockfile); a registry that lacks one of its locked versions
  # gets the newest compatible ones instead.
  cargo install --locked wasm-bindgen-cli --version "$wb_version" \
    || cargo install --force wasm-bindgen-cli --version "$wb_version"
fi

# wasm-opt is opt-in (OFN_WASM_OPT=1). Measured on this crate with Debian's binaryen 108: on the
# opt-level z module, -Oz takes it from 3.26 MB to 3.00 MB raw but from 940 KB to 993 KB
# gzipped, -O1 to 932 KB (1 %); on the opt-level s module, -O2 makes validation 9 % faster and
# the download 6 % larger; re-measured on the s module (wasm-release profile), -Oz gives 3.74 MB
# raw but 1,204,840 B gzipped (+5 %), -Os 1,204,721 B. And run after wasm-bindgen (where
# binaryen recommends it), it retypes wasm-bindgen's externref table, which then fails to
# instantiate. So when asked for, it runs on rustc's output, before wasm-bindgen.
use_wasm_opt="${OFN_WASM_OPT:-0}"
if [ "$use_wasm_opt" = 1 ] && ! command -v wasm-opt >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing binaryen (wasm-opt)"
    { apt-get install -y -qq binaryen >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq binaryen >/dev/null 2>&1; }; } \
      || echo "binaryen could not be installed; building without wasm-opt"
  fi
fi
command -v wasm-opt >/dev/null 2>&1 || use_wasm_opt=0

say "cargo build (profile wasm-release, wasm32, opt-level $level, fat LTO)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/wasm}"
# The profile is [profile.wasm-release] of the root Cargo.toml (fat LTO, one codegen unit, abort
# on panic, no debug info); only its opt-level is overridden here. Names and the producers
# section are dropped by wasm-bindgen below (rustc's strip = "symbols" would also take the name
# section twiggy reads on the pre-bindgen module).
CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL="$level" \
  cargo build --manifest-path "$root/Cargo.toml" -p onefinops-wasm --profile wasm-release \
    --target wasm32-unknown-unknown
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/onefinops_wasm.wasm"

if [ "$use_wasm_opt" = 1 ]; then
  opt_level="${OFN_WASM_OPT_PASSES:-O1}"
  say "wasm-opt -$opt_level ($(wasm-opt --version))"
  # The features rustc enables for wasm32-unknown-unknown (and simd128, which a dependency
  # enables per function); wasm-opt must accept them.
  wasm-opt "-$opt_level" --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    --enable-simd "$wasm" -o "$CARGO_TARGET_DIR/onefinops_wasm.opt.wasm"
  wasm="$CARGO_TARGET_DIR/onefinops_wasm.opt.wasm"
fi

say "wasm-bindgen: nodejs and web"
rm -rf "$pkg"
mkdir -p "$pkg/node" "$pkg/web"
for target in nodejs web; do
  dir=node
  [ "$target" = web ] && dir=web
  wasm-bindgen --target "$target" --out-dir "$pkg/$dir" --out-name onefinops_wasm \
    --remove-name-section --remove-producers-section "$wasm"
done

say "package"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)"
splice() { # template, output: the template with api.js in place of its /* @API@ */ line
  awk -v api="$here/js/api.js" '
    /\/\* @API@ \*\// { while ((getline line < api) > 0) print line; next }
    { print }' "$1" >"$2"
}
splice "$here/js/wrap-node.cjs" "$pkg/node/index.cjs"
cp "$here/js/wrap-node.mjs" "$pkg/node/index.mjs"
splice "$here/js/wrap-web.js" "$pkg/web/index.js"
printf '{ "type": "commonjs" }\n' >"$pkg/node/package.json"
printf '{ "type": "module" }\n' >"$pkg/web/package.json"
cp "$here/npm/index.d.ts" "$here/npm/README.md" "$pkg/"
cp "$root/LICENSE" "$pkg/" 2>/dev/null || true
sed "s/@VERSION@/$version/" "$here/npm/package.json" >"$pkg/package.json"
# wasm-bindgen's own .gitignore would keep the files out of `npm publish`.
rm -f "$pkg/node/.gitignore" "$pkg/web/.gitignore"

raw_size=$(wc -c <"$pkg/web/onefinops_wasm_bg.wasm")
gz_size=$(gzip -9c "$pkg/web/onefinops_wasm_bg.wasm" | wc -c)
say "onefinops_wasm_bg.wasm: $raw_size bytes raw, $gz_size bytes gzipped (-9)"
