#!/bin/sh
# clean.sh — throughput of `tamis clean` (all operations) with 1 and 2
# threads. Uses ../shared/data/news-fr/articles.jsonl (20 MB, local-only)
# when present, else a corpus built here from tests/golden/clean-summit.
# usage: sh bench/clean.sh build/tamis
set -eu
TAMIS=${1:-build/tamis}
data=../shared/data/news-fr/articles.jsonl
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tamis-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
if [ ! -r "$data" ]; then
    # 6,000 copies of the sample as JSONL documents (about 20 MB).
    "$TAMIS" cat -q --format text tests/golden/clean-summit/summit-fr.txt >"$tmp/one.jsonl"
    i=0; while [ $i -lt 6000 ]; do cat "$tmp/one.jsonl"; i=$((i + 1)); done >"$tmp/in.jsonl"
    data=$tmp/in.jsonl
fi
bytes=$(wc -c <"$data")
for j in 1 2; do
    "$TAMIS" clean -q -j $j "$data" -o "$tmp/out.jsonl" # warm the page cache
    t0=$(date +%s.%N)
    "$TAMIS" clean -q -j $j "$data" -o "$tmp/out.jsonl"
    t1=$(date +%s.%N)
    echo "$j $t0 $t1 $bytes" | awk '{ printf "clean -j %d: %.1f MB/s (%d bytes in %.2f s)\n", $1, $4 / ($3 - $2) / 1e6, $4, $3 - $2 }'
done
