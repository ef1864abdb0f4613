#!/bin/sh
# run_bench.sh TAMIS — `tamis run` end to end next to its stages run one by
# one (clean -> filter -> dedup, each reading the previous one's output), on
# the same multilingual corpus (bench/gen_corpus.sh: UDHR in 528 languages
# and, when present, ../shared/data/cc-wet; plus /work/shared/data/news-fr
# articles when present, read in place). Rewrites the "## tamis run" section
# of bench/RESULTS.md with MB/s (input MB / wall seconds), CPU seconds and
# peak RSS (/usr/bin/time), and the commands.
# Environment: BENCH_DIR (build/bench), BENCH_MB (100), BENCH_THREADS (2).
set -eu
tamis=${1:?usage: run_bench.sh TAMIS}
case $tamis in /*) ;; *) tamis=$(pwd)/$tamis ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${BENCH_DIR:-$root/build/bench}
mb=${BENCH_MB:-100}
thr=${BENCH_THREADS:-2}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
base=$dir/corpus-${mb}MB.jsonl
sh "$root/bench/gen_corpus.sh" "$base" "$mb" >/dev/null
in=$dir/run-input.jsonl
news=${TM_SHARED_DATA:-$root/../shared/data}/news-fr/articles.jsonl
# the corpus plus real news (with its wire copies) when present
cat "$base" >"$in"
[ -f "$news" ] && cat "$news" >>"$in"
size=$(wc -c <"$in")
mbs() { awk -v b="$size" -v s="$1" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }

# measure LABEL CMD...: wall, user+sys, peak RSS of one run
measure() {
    label=$1; shift
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/err.txt" ||
        { cat "$dir/err.txt" >&2; exit 1; }
    read -r wall user sys rss <"$dir/time.txt"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    echo "$label|$wall|$cpu|$((rss / 1024))"
}

rm -rf "$dir/run-out" "$dir/stages"
mkdir -p "$dir/stages"
r_run=$(measure run "$tamis" run "$in" -o "$dir/run-out" -j "$thr" -q)
r_clean=$(measure clean "$tamis" clean "$in" -o "$dir/stages/clean.jsonl.zst" -j "$thr" -q)
r_filter=$(measure filter "$tamis" filter "$dir/stages/clean.jsonl.zst" --explain \
    -o "$dir/stages/kept.jsonl.zst" --removed "$dir/stages/removed.jsonl.zst" -j "$thr" -q)
r_dedup=$(measure dedup "$tamis" dedup "$dir/stages/kept.jsonl.zst" -o "$dir/stages/final.jsonl" \
    --removed "$dir/stages/dups.jsonl.zst" --clusters "$dir/stages/clusters.jsonl" -j "$thr" -q)
ledger=$(jq -c .ledger "$dir/run-out/stats.json")

tab=$dir/run-table.md
{
    echo "## tamis run"
    echo
    echo "Input: \`$(basename "$in")\`, $(awk -v b="$size" 'BEGIN { printf "%.1f", b / 1e6 }') MB of"
    echo "multilingual JSONL ($(wc -l <"$in") documents: \`bench/gen_corpus.sh\` ${mb} MB"
    [ -f "$news" ] && echo "plus the news-fr articles, read in place"
    echo "), $thr threads, on $(date -u +%Y-%m-%d) on this 2-core machine (load average at"
    echo "start: $(cut -d' ' -f1-3 /proc/loadavg)). MB/s = input MB / wall seconds."
    echo
    echo "| what | wall s | MB/s | CPU s | peak RSS MiB |"
    echo "|---|---:|---:|---:|---:|"
    tw=0 tc=0 tr=0
    for r in "$r_run" "$r_clean" "$r_filter" "$r_dedup"; do
        IFS='|' read -r l w c m <<EOT
$r
EOT
        echo "| \`tamis $l\` | $w | $(mbs "$w") | $c | $m |"
        if [ "$l" != run ]; then
            tw=$(awk -v a="$tw" -v b="$w" 'BEGIN { print a + b }')
            tc=$(awk -v a="$tc" -v b="$c" 'BEGIN { print a + b }')
            [ "$m" -gt "$tr" ] && tr=$m
        fi
    done
    echo "| sum of the three stages | $tw | $(mbs "$tw") | $tc | $tr (max) |"
    echo
    echo "Ledger of the run: \`$ledger\`."
    echo
    echo "Commands (\`bench/run_bench.sh build/tamis\`):"
    echo
    echo '```sh'
    echo "tamis run INPUT -o OUT -j $thr"
    echo "tamis clean INPUT -o clean.jsonl.zst -j $thr"
    echo "tamis filter clean.jsonl.zst --explain -o kept.jsonl.zst --removed removed.jsonl.zst -j $thr"
    echo "tamis dedup kept.jsonl.zst -o final.jsonl --removed dups.jsonl.zst --clusters clusters.jsonl -j $thr"
    echo '```'
    echo
    echo "\`tamis run\` does the same three passes (plus the read of the raw input"
    echo "inside clean, the split of kept/ into shards and the report's scan of"
    echo "its outputs), so it should cost about the sum of the stages."
} >"$tab"
# replace the section in RESULTS.md
res=$root/bench/RESULTS.md
[ -f "$res" ] || echo "# Benchmark results" >"$res"
awk -v tabfile="$tab" '
    /^## tamis run$/ { skip = 1; while ((getline l < tabfile) > 0) print l; print ""; next }
    skip && /^## / { skip = 0 }
    !skip { print }
' "$res" >"$res.tmp"
grep -q '^## tamis run$' "$res.tmp" || { echo; cat "$tab"; } >>"$res.tmp"
mv "$res.tmp" "$res"
cat "$tab"
