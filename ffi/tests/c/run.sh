#!/usr/bin/env bash
# The C ABI suite of libonefinops: builds the library (with the test-only exports) and the local
# sandbox, compiles every C test program against the committed header include/onefinops.h, links
# pure.c a second time against the static library, starts the sandbox on a free port, and runs
# every program under valgrind (memcheck, leaks of every kind are errors). Fails on the first
# program that fails. Works from any directory:
#
#   bash ffi/tests/c/run.sh
#
# Needs Rust (cargo), gcc and valgrind; as root with apt-get, a missing valgrind is installed.
# Environment: CARGO_TARGET_DIR (default <repo>/target); OFN_C_TESTS="pure errors" to run only
# some programs (default: all).

set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in
/*) ;;
*) target="$root/$target" ;; # cargo runs from $root below: a relative dir is relative to it
esac
libdir="$target/debug"
build="$target/c-abi-tests"
start_time=$(date +%s)

say() { printf '%s\n' "$*"; }
die() {
    printf 'C ABI suite: FAILED: %s\n' "$*" >&2
    exit 1
}

# ---- tools ----------------------------------------------------------------------------------

command -v cargo >/dev/null || die "cargo not found (install Rust)"
command -v gcc >/dev/null || die "gcc not found"
if ! command -v valgrind >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "== installing valgrind (apt-get)"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
    fi
    command -v valgrind >/dev/null || die "valgrind not found (apt-get install valgrind)"
fi

# ---- build ----------------------------------------------------------------------------------

say "== cargo build (library with test exports, sandbox)"
(
    cd "$root"
    cargo build -p onefinops-ffi --features test-exports
    cargo build -p onefinops-sandbox --bin onefinops-sandbox
)
[ -f "$libdir/libonefinops.so" ] || die "$libdir/libonefinops.so was not built"
[ -f "$libdir/libonefinops.a" ] || die "$libdir/libonefinops.a was not built"
[ -x "$libdir/onefinops-sandbox" ] || die "$libdir/onefinops-sandbox was not built"

say "== compiling the C programs ($build)"
mkdir -p "$build"
cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -g -DOFN_TEST_EXPORTS -I"$root/include" -I"$here")
shared=(-L"$libdir" -lonefinops -Wl,-rpath,"$libdir" -lpthread -ldl -lm)
common=("$here/ofn_test.c" "$here/json_mini.c")
net=("$here/http_loop.c")

gcc "${cflags[@]}" "$here/pure.c" "${common[@]}" -o "$build/pure" "${shared[@]}"
gcc "${cflags[@]}" "$here/errors.c" "${common[@]}" -o "$build/errors" "${shared[@]}"
gcc "${cflags[@]}" "$here/sansio.c" "${common[@]}" "${net[@]}" -o "$build/sansio" "${shared[@]}"
gcc "${cflags[@]}" "$here/client.c" "${common[@]}" "${net[@]}" -o "$build/client" "${shared[@]}"
# The static library: a Rust staticlib brings std, which needs pthread, dl, m (and rt on old
# glibc). The archive is named by path so that the linker cannot pick the .so instead.
gcc "${cflags[@]}" "$here/pure.c" "${common[@]}" -o "$build/pure-static" \
    "$libdir/libonefinops.a" -lpthread -ldl -lm -lrt
# (No `grep -q` in these pipes: with pipefail, a producer killed by SIGPIPE would fail them.)
if ldd "$build/pure-static" | grep libonefinops >/dev/null; then
    die "pure-static is linked against libonefinops.so, not libonefinops.a"
fi
nm "$build/pure-static" | grep ' T ofn_validate$' >/dev/null ||
    die "pure-static does not define ofn_validate"

# ---- the sandbox ----------------------------------------------------------------------------

sandbox_pid=""
cleanup() {
    if [ -n "$sandbox_pid" ] && kill -0 "$sandbox_pid" 2>/dev/null; then
        kill "$sandbox_pid" 2>/dev/null || true
        wait "$sandbox_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "== starting onefinops-sandbox --port 0"
# The rate limit is raised so that the 8 threads of client.c never wait on a 429.
"$libdir/onefinops-sandbox" --port 0 --rate-limit 1000 >"$build/sandbox.out" 2>"$build/sandbox.err" &
sandbox_pid=$!
sandbox_url=""
for _ in $(seq 1 600); do # up to 60 s: a debug build generates its RSA key at start
    if ! kill -0 "$sandbox_pid" 2>/dev/null; then
        cat "$build/sandbox.err" >&2
        die "the sandbox exited before listening"
    fi
    # Its first line on stdout, once listening: "listening on http://127.0.0.1:PORT".
    sandbox_url="$(sed -n 's|^listening on \(http://[0-9.]*:[0-9]*\)$|\1|p' "$build/sandbox.out")"
    sandbox_url="${sandbox_url%%$'\n'*}"
    [ -n "$sandbox_url" ] && break
    sleep 0.1
done
[ -n "$sandbox_url" ] || die "the sandbox did not say where it listens within 60 s"
say "   $sandbox_url (pid $sandbox_pid)"

export OFN_SANDBOX_URL="$sandbox_url"
export OFN_REPO_ROOT="$root"
# Panics (ofn_test_panic) print their message without a backtrace, whatever the caller's shell has.
export RUST_BACKTRACE=0

# ---- run ------------------------------------------------------------------------------------

valgrind_cmd=(valgrind --error-exitcode=99 --leak-check=full
    --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible
    --track-origins=yes -q
    --num-callers=500 --suppressions="$here/valgrind.supp")

programs=(${OFN_C_TESTS:-pure pure-static errors sansio client})
for p in "${programs[@]}"; do
    [ -x "$build/$p" ] || die "no program $p"
    say "== $p (under valgrind)"
    t0=$(date +%s)
    set +e
    "${valgrind_cmd[@]}" "$build/$p"
    rc=$?
    set -e
    t1=$(date +%s)
    if [ "$rc" -ne 0 ]; then
        if [ "$rc" -eq 99 ]; then
            why="valgrind reported errors or leaks (see above)"
        else
            why="exit status $rc"
        fi
        if [ "$p" = sansio ] || [ "$p" = client ]; then
            say "-- sandbox stderr (last lines):" >&2
            tail -n 20 "$build/sandbox.err" >&2 || true
        fi
        die "$p: $why"
    fi
    say "   $p passed in $((t1 - t0)) s"
done

say "   total $(($(date +%s) - start_time)) s"
say "C ABI suite: all passed under valgrind"
