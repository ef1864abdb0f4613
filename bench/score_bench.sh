#!/bin/sh
# score_bench.sh — throughput and peak RSS of `tamis score` and
# `tamis filter --preset fineweb` on a multilingual corpus made by repeating
# ../shared/data/cc-wet and news-fr (local-only data: the corpus stays in
# $TMPDIR and is deleted). usage: bench/score_bench.sh TAMIS [REPEAT] [THREADS]
set -eu
TAMIS=${1:?usage: score_bench.sh TAMIS [REPEAT] [THREADS]}
REP=${2:-3}
THREADS=${3:-2}
DATA=${TM_SHARED_DATA:-../shared/data}
WET=$DATA/cc-wet/cc_main_2019_30_wet_docs.jsonl
NEWS=$DATA/news-fr/articles.jsonl
[ -f "$WET" ] || { echo "score_bench: $WET not found, skipping" >&2; exit 0; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
i=0
while [ $i -lt "$REP" ]; do
    cat "$WET" >> "$TMP/corpus.jsonl"
    [ -f "$NEWS" ] && cat "$NEWS" >> "$TMP/corpus.jsonl"
    i=$((i + 1))
done
MB=$(awk -v b="$(wc -c < "$TMP/corpus.jsonl")" 'BEGIN { printf "%.1f", b / 1048576 }')
# The build machine is shared: compare MB per CPU-second (user + sys), which
# load barely moves, rather than wall-clock MB/s; the load is printed too.
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $THREADS threads"
run() {
    name=$1; shift
    /usr/bin/time -v "$@" 2> "$TMP/time" > /dev/null
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
        for (k = 1; k <= n; k++) s = s * 60 + t[k]; print s }' "$TMP/time")
    cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$TMP/time")
    rss=$(awk -F': ' '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$TMP/time")
    awk -v n="$name" -v mb="$MB" -v w="$wall" -v c="$cpu" -v r="$rss" 'BEGIN {
        printf "%-34s %6.1f MB  wall %6.2f s  %6.1f MB/s  cpu %6.2f s (%5.1f MB/cpu-s)  peak RSS %s MB\n",
            n, mb, w, mb / w, c, mb / c, r }'
}
run "score (all signals + language)" "$TAMIS" score -q -j "$THREADS" "$TMP/corpus.jsonl" -o /dev/null
run "score --no-lang" "$TAMIS" score -q -j "$THREADS" --no-lang "$TMP/corpus.jsonl" -o /dev/null
run "filter --preset fineweb" "$TAMIS" filter -q -j "$THREADS" --preset fineweb "$TMP/corpus.jsonl" -o /dev/null
run "filter fineweb, no language" "$TAMIS" filter -q -j "$THREADS" --preset fineweb --lang "" \
    --min-lang-score 0 "$TMP/corpus.jsonl" -o /dev/null
run "cat (I/O baseline)" "$TAMIS" cat -q -j "$THREADS" "$TMP/corpus.jsonl" -o /dev/null
