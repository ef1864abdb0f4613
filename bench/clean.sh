#!/bin/sh
# clean.sh — throughput of `tamis clean` (all operations) with 1 and 2
# threads. Uses ../shared/data/news-fr/articles.jsonl (20 MB, local-only)
# when present, else a corpus built here from tests/golden/clean-summit.
# Three runs per thread count after a warm-up; prints the best wall time
# and the CPU time (user + sys) of that run: on a shared, loaded machine
# MB per CPU-second is the steadier number.
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
    : >"$tmp/times"
    for r in 1 2 3; do
        /usr/bin/time -f '%e %U %S' -o "$tmp/t" "$TAMIS" clean -q -j $j "$data" -o "$tmp/out.jsonl"
        cat "$tmp/t" >>"$tmp/times"
    done
    sort -n "$tmp/times" | head -1 | awk -v j=$j -v b="$bytes" '{
        cpu = $2 + $3
        printf "clean -j %d: %.1f MB/s wall, %.1f MB per CPU-second (%d bytes in %.2f s, %.2f CPU s)\n",
            j, b / $1 / 1e6, b / cpu / 1e6, b, $1, cpu }'
done
