#!/bin/sh
# smoke.sh DIR SECONDS — runs each fuzzer in DIR on a scratch copy of its
# seed corpus fuzz/corpus/<name> (fuzz_jsonl -> jsonl), inputs up to 64 KiB,
# for a fixed number of runs from a fixed seed, SECONDS at most. Fails at the
# first crash, leak, timeout or sanitizer report, leaving the reproducer in
# DIR/crashes/. Exits 0 with a message when the fuzzers were not built.
#
# Why a fixed seed and run count: this runs in `make test`, so it must give
# the same verdict on every machine and every CI run of one commit (a CI that
# fails at random on an old bug is noise). The run counts take about 15 s per
# target on the 2-core development machine. Exploring is `make fuzz` plus a
# long run by hand (fuzz/README.md), or FUZZ_SEED=0 (libFuzzer picks a seed)
# and FUZZ_RUNS=-1 (no run limit) here.
set -u
dir=${1:?usage: smoke.sh DIR SECONDS}
secs=${2:-20}
cd "$(dirname "$0")/.."
set -- "$dir"/fuzz_*
if [ ! -x "$1" ]; then
    echo "fuzz-smoke: no fuzzers in $dir (skipped: clang/libFuzzer unavailable?)"
    exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/tamis-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$dir/crashes"
fail=0
for t in "$@"; do
    [ -x "$t" ] || continue
    name=$(basename "$t"); seeds=fuzz/corpus/${name#fuzz_}
    mkdir -p "$work/$name"
    [ -d "$seeds" ] && cp "$seeds"/* "$work/$name/" 2>/dev/null
    case $name in
        fuzz_warc) runs=1500 ;; # ~100 inputs/s: each is read four ways
        fuzz_clean | fuzz_signals) runs=10000 ;; # ~400-600 inputs/s: each is run three times
        *) runs=25000 ;;
    esac
    runs=${FUZZ_RUNS:-$runs}
    # -fork=0, one job: the machine is shared. Leak checking stays on.
    if "$t" -seed="${FUZZ_SEED:-1}" -runs="$runs" \
            -max_len=65536 -max_total_time="$secs" -timeout=10 -rss_limit_mb=2560 \
            -print_final_stats=1 -artifact_prefix="$dir/crashes/$name-" \
            "$work/$name" >"$work/$name.log" 2>&1; then
        echo "fuzz-smoke: $name ok: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$name.log" | grep -o '[0-9]*$') runs (seed ${FUZZ_SEED:-1}, at most ${secs}s), $(ls "$work/$name" | wc -l) corpus files"
    else
        fail=$((fail + 1))
        echo "fuzz-smoke: $name FAILED; reproducer in $dir/crashes/ (log tail:)"
        grep -v '^#' "$work/$name.log" | tail -40 | sed 's/^/    /'
    fi
done
[ $fail -eq 0 ] || { echo "fuzz-smoke: $fail target(s) failed"; exit 1; }
echo "fuzz-smoke: all targets passed"
