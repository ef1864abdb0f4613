#!/bin/sh
# run_tasks.sh — `tamis run` as tasks, driven by a plain shell (docs/TASKS.md):
# plan the run, run its shard tasks JOBS at a time, then dedup, then finish.
# The outputs are the bytes one `tamis run` with the same arguments writes
# (inputs and OUTDIR spelled as absolute paths). Each task is the plan's own
# command line, so the same loop works through ssh or any scheduler that
# runs a command and reports its exit status.
#
# Usage: examples/run_tasks.sh JOBS tamis run INPUT... -o OUTDIR [options]
#   e.g. examples/run_tasks.sh 4 build/tamis run data/ -o out -j 1
# Needs jq. Exit status: the first failing task's.
set -eu
jobs=${1:?usage: run_tasks.sh JOBS tamis run INPUT... -o OUTDIR [options]}
shift
plan=$(mktemp "${TMPDIR:-/tmp}/tamis-plan.XXXXXX")
trap 'rm -f "$plan"' EXIT
"$@" --plan >"$plan"

# one task, from its command line in the plan
task() {
    cmd=$(jq -r --arg id "$1" '.tasks[] | select(.id == $id) | .argv | @sh' "$plan")
    eval "set -- $cmd"
    "$@"
}

# the tasks with no prerequisite (the shards), JOBS at a time
running=0 pids=""
for id in $(jq -r '.tasks[] | select(.after == []) | .id' "$plan"); do
    task "$id" &
    pids="$pids $!"
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        for p in $pids; do wait "$p"; done
        running=0 pids=""
    fi
done
for p in $pids; do wait "$p"; done

# then the others, in the plan's order (each one's prerequisites come first)
for id in $(jq -r '.tasks[] | select(.after != []) | .id' "$plan"); do
    task "$id"
done
