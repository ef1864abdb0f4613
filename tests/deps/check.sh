#!/bin/sh
# tests/deps/check.sh — `make check-deps` must pass on the tree and must fail
# on each kind of violation: a lower layer including a higher one's header,
# the CLI or the Python binding including a private header, an object
# calling a higher layer or a file-system function from a memory stage, two
# files calling each other, and an internal symbol under the public prefix
# tm_. Violations are made in a copy of the tree; the tree itself is not
# touched.
set -eu
BUILD=${BUILD:-build}
CC=${CC:-cc}
CHECK="python3 scripts/check-deps.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

$CHECK --root . --objects "$BUILD" || { echo "check-deps: FAIL on the tree itself"; exit 1; }

copy_tree() {
    rm -rf "$tmp/t"
    mkdir -p "$tmp/t/docs"
    cp -R src cli include "$tmp/t/"
    cp docs/ARCHITECTURE.md "$tmp/t/docs/"
}

# expect NAME WANT CMD...: CMD must exit 1 and print WANT.
expect() {
    name=$1 want=$2
    shift 2
    if "$@" >"$tmp/out" 2>&1; then
        echo "FAIL $name: check-deps passed on a violation"
        fail=1
    elif ! grep -qF -- "$want" "$tmp/out"; then
        echo "FAIL $name: expected '$want' in:"
        cat "$tmp/out"
        fail=1
    else
        echo "ok   $name"
    fi
}

copy_tree
printf '#include "run/run_int.h"\n' >>"$tmp/t/src/text/utf8.c"
expect "text includes run" 'src/text/utf8.c: includes "run/run_int.h": src/text/ may not depend on src/run/' \
    $CHECK --root "$tmp/t"

copy_tree
printf '#include "engine/pipeline.h"\n' >>"$tmp/t/src/signals/filter.c"
expect "signals includes engine" 'src/signals/filter.c: includes "engine/pipeline.h": src/signals/ may not depend on src/engine/' $CHECK --root "$tmp/t"

copy_tree
printf '#include "util/buf.h"\n' >>"$tmp/t/cli/main.c"
expect "cli includes a private header" 'cli/main.c: includes "util/buf.h": the CLI uses only tamis.h' \
    $CHECK --root "$tmp/t"

copy_tree
mkdir -p "$tmp/t/python/src"
printf '#include "tamis.h"\n#include "io/io.h"\n' >"$tmp/t/python/src/zz.c"
expect "the binding includes a private header" 'python/src/zz.c: includes "io/io.h": the binding uses only tamis.h' \
    $CHECK --root "$tmp/t"

copy_tree
mkdir -p "$tmp/t/src/zz"
expect "module missing from the table" 'module src/zz/ is not in the table' sh -c \
    "touch '$tmp/t/src/zz/a.c' && $CHECK --root '$tmp/t'"

# Objects: a copy of the build's, plus made-up ones (with their sources:
# the check skips objects whose source has gone).
copy_tree
mkdir -p "$tmp/o"
cp -R "$BUILD/src" "$tmp/o/"
cat >"$tmp/t/src/text/zz_up.c" <<'C'
#include "tamis.h"
#include <stdio.h>
int zz_up(void);
int zz_up(void) { FILE *f = fopen("x", "r"); return f ? 1 : tm_job_run(NULL, NULL, NULL); }
C
$CC -Iinclude -c "$tmp/t/src/text/zz_up.c" -o "$tmp/o/src/text/zz_up.o"
expect "text calls run" 'src/text/zz_up: calls tm_job_run of src/run/run: src/text/ may not depend on src/run/' \
    $CHECK --root "$tmp/t" --objects "$tmp/o"
expect "text opens a file" 'src/text/zz_up: calls fopen(): src/text/ works on memory' \
    $CHECK --root "$tmp/t" --objects "$tmp/o"
rm "$tmp/o/src/text/zz_up.o" "$tmp/t/src/text/zz_up.c"

printf 'int zz_b(void);\nint zz_a(void);\nint zz_a(void) { return zz_b() + 1; }\n' >"$tmp/t/src/util/zz_a.c"
printf 'int zz_a(void);\nint zz_b(void);\nint zz_b(void) { static int n; return n++ ? 0 : zz_a(); }\n' >"$tmp/t/src/util/zz_b.c"
$CC -c "$tmp/t/src/util/zz_a.c" -o "$tmp/o/src/util/zz_a.o"
$CC -c "$tmp/t/src/util/zz_b.c" -o "$tmp/o/src/util/zz_b.o"
expect "two files call each other" 'call cycle between files: src/util/zz_a -> src/util/zz_b -> src/util/zz_a' \
    $CHECK --root "$tmp/t" --objects "$tmp/o"

printf 'int tm_zz_internal(void);\nint tm_zz_internal(void) { return 1; }\n' >"$tmp/t/src/util/zz_name.c"
$CC -c "$tmp/t/src/util/zz_name.c" -o "$tmp/o/src/util/zz_name.o"
expect "an internal symbol with the public prefix" 'src/util/zz_name: defines tm_zz_internal: tm_ names the public API' \
    $CHECK --root "$tmp/t" --objects "$tmp/o"

[ $fail = 0 ] && echo "check-deps: all violation tests passed"
exit $fail
