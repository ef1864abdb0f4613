#!/bin/sh
# run.sh TAMIS — reading-throughput benchmark; rewrites the section
# "## Reading throughput" of bench/RESULTS.md (other sections are kept).
#
# On the same corpus (bench/gen_corpus.sh, 200 MB of real multilingual
# JSONL, plain / gzip / zstd) it times `tamis cat` and `tamis stats` with 2
# threads next to the floor of each format (`cat | wc -l`, `zcat | wc -l`,
# `zstdcat | wc -l`) and `jq -c .text`. Throughput is uncompressed MB (1e6
# bytes) per second of wall time, the mean of hyperfine runs (one warm-up);
# peak RSS comes from one extra run under /usr/bin/time. Without hyperfine,
# /usr/bin/time alone is used (one run).
#
# Environment: BENCH_DIR (build/bench), BENCH_MB (200), BENCH_RUNS (3),
# BENCH_THREADS (2), BENCH_JQ=0 skips jq (slow: about 20 s on 200 MB).
set -eu
tamis=${1:?usage: run.sh TAMIS}
root=$(cd "$(dirname "$0")/.." && pwd)
case $tamis in /*) ;; *) tamis=$(pwd)/$tamis ;; esac
dir=${BENCH_DIR:-$root/build/bench}
mb=${BENCH_MB:-200}
runs=${BENCH_RUNS:-3}
thr=${BENCH_THREADS:-2}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
f=$dir/corpus-${mb}MB.jsonl
sh "$root/bench/gen_corpus.sh" "$f" "$mb"
size=$(wc -c <"$f")
docs=$(wc -l <"$f")
export LC_ALL=C

tab=$dir/table.md
: >"$tab"
# bench LABEL INPUT_FOR_DISPLAY RUNS COMMAND
bench() {
    label=$1; shown=$2; n=$3; cmd=$4
    echo "bench: $label" >&2
    if command -v hyperfine >/dev/null 2>&1; then
        warm=1; [ "$n" -le 1 ] && warm=0
        hyperfine --style none --warmup $warm --runs "$n" --export-json "$dir/h.json" \
            "$cmd" >/dev/null 2>&1
        t=$(jq '.results[0].mean' "$dir/h.json")
    else
        t=""
    fi
    /usr/bin/time -f '%e %M' -o "$dir/time.txt" sh -c "$cmd" >/dev/null
    [ -n "$t" ] || t=$(cut -d' ' -f1 "$dir/time.txt")
    rss=$(cut -d' ' -f2 "$dir/time.txt")
    mbs=$(awk -v s="$size" -v t="$t" 'BEGIN { printf "%.0f", s / 1e6 / t }')
    secs=$(awk -v t="$t" 'BEGIN { printf "%.2f", t }')
    rssmb=$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')
    # A pipe inside a Markdown table cell must be escaped, even in code.
    shown=$(printf '%s' "$shown" | sed 's/|/\\|/g')
    printf '| %s | `%s` | %s | %s | %s |\n' "$label" "$shown" "$secs" "$mbs" "$rssmb" >>"$tab"
    echo "$label $t" >>"$dir/times.txt"
}
: >"$dir/times.txt"
F=corpus.jsonl
cd "$dir"
ln -sf "$(basename "$f")" $F
ln -sf "$(basename "$f").gz" $F.gz
ln -sf "$(basename "$f").zst" $F.zst
T="$tamis"
bench "floor, plain" "cat $F | wc -l" "$runs" "sh -c 'cat $F | wc -l'"
bench "tamis cat, plain" "tamis cat -q -j $thr $F > /dev/null" "$runs" "sh -c '$T cat -q -j $thr $F > /dev/null'"
bench "tamis stats, plain" "tamis stats -q -j $thr --json $F" "$runs" "sh -c '$T stats -q -j $thr --json $F > /dev/null'"
bench "floor, gzip" "zcat $F.gz | wc -l" "$runs" "sh -c 'zcat $F.gz | wc -l'"
bench "tamis cat, gzip" "tamis cat -q -j $thr $F.gz > /dev/null" "$runs" "sh -c '$T cat -q -j $thr $F.gz > /dev/null'"
bench "tamis stats, gzip" "tamis stats -q -j $thr --json $F.gz" "$runs" "sh -c '$T stats -q -j $thr --json $F.gz > /dev/null'"
bench "floor, zstd" "zstdcat $F.zst | wc -l" "$runs" "sh -c 'zstdcat $F.zst | wc -l'"
bench "tamis cat, zstd" "tamis cat -q -j $thr $F.zst > /dev/null" "$runs" "sh -c '$T cat -q -j $thr $F.zst > /dev/null'"
bench "tamis stats, zstd" "tamis stats -q -j $thr --json $F.zst" "$runs" "sh -c '$T stats -q -j $thr --json $F.zst > /dev/null'"
if [ "${BENCH_JQ:-1}" != 0 ] && command -v jq >/dev/null; then
    bench "jq, plain" "jq -c .text $F > /dev/null" 1 "sh -c 'jq -c .text $F > /dev/null'"
fi
rm -f tamis-rejects.jsonl

ratio=$(awk '/^tamis cat, zstd /{a=$NF} /^floor, zstd /{b=$NF} END { printf "%.2f", a / b }' "$dir/times.txt")
cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
rev=$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo "uncommitted")
sec=$dir/section.md
{
    echo "## Reading throughput"
    echo
    echo "Measured by \`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%d), $("$tamis" --version 2>/dev/null | head -1 || echo 'tamis ?') ($rev),"
    echo "$cpu, $(nproc) cores (shared with other jobs: expect noise)."
    echo "Corpus: \`bench/gen_corpus.sh\`, $docs documents, $size bytes of real multilingual JSONL"
    echo "(UDHR paragraphs in 500+ languages and Common Crawl WET documents);"
    echo "gzip -6: $(wc -c <$F.gz) bytes, zstd -3: $(wc -c <$F.zst) bytes. $thr worker threads;"
    echo "MB/s = uncompressed 10^6 bytes per second, mean of $runs runs after a warm-up"
    echo "(jq: one run); peak RSS from one run under /usr/bin/time. The \`floor\` rows only"
    echo "decompress and count lines: no reader can beat them."
    echo
    echo "| what | command | seconds | MB/s | peak RSS (MB) |"
    echo "|---|---|---:|---:|---:|"
    cat "$tab"
    echo
    echo "tamis cat on zstd takes ${ratio}x the time of \`zstdcat | wc -l\` (goal: at most 2x)."
} >"$sec"

res=$root/bench/RESULTS.md
[ -f "$res" ] || printf '# Benchmark results\n\n' >"$res"
# Replace the section (heading to the next "## " heading) or append it.
awk -v secfile="$sec" '
    function dump() { while ((getline l < secfile) > 0) print l; close(secfile); done = 1 }
    /^## Reading throughput/ { dump(); skip = 1; next }
    skip && /^## / { skip = 0; print "" }
    !skip { print }
    END { if (!done) { print ""; dump() } }
' "$res" >"$res.tmp" && mv "$res.tmp" "$res"
cat "$sec"
