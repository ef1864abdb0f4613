#!/bin/sh
# tsan.sh — every threaded command of the CLI under ThreadSanitizer (make
# tsan builds TAMIS with -fsanitize=thread): cat, score, filter, clean, dedup
# (exact and near, in memory and spilled) and run, each at -j 4 over the
# example corpus with a few planted copies and a broken line, and each
# output compared with the same command at -j 1 (byte-identical, whatever
# the threads). A data race makes TSan exit non-zero (halt_on_error=1).
# Usage: TAMIS=build-tsan/tamis sh tests/run/tsan.sh
set -eu
TAMIS=${TAMIS:?set TAMIS to the tamis binary}
case $TAMIS in /*) ;; *) TAMIS=$PWD/$TAMIS ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tamis-tsan.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0
fail() { echo "tsan: FAIL: $*" >&2; echo "tsan: $pass passed, 1 failed"; exit 1; }

sh "$root/scripts/make-example.sh" "$work/example" >/dev/null 2>&1 ||
    fail "cannot build the example corpus (run scripts/deps.sh)"
in=$work/in.jsonl
cp "$work/example/corpus.jsonl" "$in"
echo '{"id": "broken", "text": ' >>"$in"

# one command at -j 1 and -j 4; every file it writes must be the same
check() {
    name=$1
    shift
    for j in 1 4; do
        mkdir -p "$work/$name-$j"
        (cd "$work/$name-$j" && "$TAMIS" "$@" -j "$j" -q) >"$work/$name-$j.log" 2>&1 ||
            { cat "$work/$name-$j.log" >&2; fail "$name -j $j"; }
    done
    # run's stats.json and report.html carry timings: compare the corpus files
    diff -r -x stats.json -x report.html -x '*.done' -x '*.log' "$work/$name-1" "$work/$name-4" >/dev/null ||
        fail "$name: -j 1 and -j 4 differ"
    pass=$((pass + 1))
}
check cat cat "$in" -o out.jsonl --rejects rej.jsonl
check score score "$in" -o out.jsonl --rejects rej.jsonl
check filter filter "$in" -o out.jsonl --removed rm.jsonl --rejects rej.jsonl
check clean clean "$in" -o out.jsonl --rejects rej.jsonl
check dedup dedup "$in" -o out.jsonl --removed rm.jsonl --clusters cl.jsonl --rejects rej.jsonl
check dedup-spill dedup "$in" -o out.jsonl --removed rm.jsonl --rejects rej.jsonl --memory 1M
check run run "$in" -o out
echo "tsan: $pass passed, 0 failed"
