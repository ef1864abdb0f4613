#!/bin/sh
# submit.sh — `tamis run` as Slurm jobs (docs/TASKS.md, "Slurm"): the plan's
# shard tasks as ONE job array, then each later task (dedup, finish) as one
# job that starts only when its prerequisites succeeded (afterok). Slurm
# refuses array indices at or above the site's MaxArraySize (1001 unless the
# site changed it), so when there are more shards than --max-array the
# shards are batched: array task A runs shards A*PER .. A*PER+PER-1 one
# after the other. Each job runs the plan's own command lines, so the jobs
# need only the shared storage that the tasks need (inputs and OUTDIR at the
# same paths on every node); the plan file itself is read here, on the
# submitting host, and embedded in the job scripts (no jq on the nodes).
# Tasks are idempotent: submitting the same plan again resumes a run that
# failed or was cancelled (committed tasks do nothing).
#
# Usage:
#   examples/slurm/submit.sh [options] PLAN.json
#   examples/slurm/submit.sh [options] -- tamis run INPUT... -o OUTDIR [tamis options]
# Options:
#   --max-array N   at most N array tasks (indices 0..N-1); default 1000
#   --throttle K    at most K array tasks running at once (--array=...%K)
#   --log-dir DIR   job logs in DIR/tamis-JOBNAME-JOBID[_INDEX].out, DIR made
#                   here, on shared storage (default:
#                   sbatch's default, slurm-JOBID_INDEX.out where submitted)
#   --sbatch ARG    one more sbatch option for every job (repeatable), e.g.
#                   --sbatch --partition=batch --sbatch --time=2:00:00
# (sbatch's own environment variables, SBATCH_PARTITION, SBATCH_ACCOUNT...,
# apply as well.) Prints one line per job, "ID JOBID" (ID: "shards" for the
# array, else the task id), the last one the final task's: wait for it, or
# for OUTDIR/.tamis/run.done. Needs jq and sbatch on this host.
set -eu
usage="usage: submit.sh [--max-array N] [--throttle K] [--log-dir DIR] [--sbatch ARG]... (PLAN.json | -- tamis run ARGS...)"
die() { echo "submit.sh: $*" >&2; exit 2; }
max=1000 throttle="" logdir="" extra=""
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; } # quoted for eval
while [ $# -gt 0 ]; do
    case $1 in
    --max-array) max=${2:?$usage}; shift 2 ;;
    --throttle) throttle=${2:?$usage}; shift 2 ;;
    --log-dir) logdir=${2:?$usage}; shift 2 ;;
    --sbatch) extra="$extra $(q "${2:?$usage}")"; shift 2 ;;
    --) shift; break ;;
    -*) die "unknown option $1; $usage" ;;
    *) break ;;
    esac
done
[ $# -gt 0 ] || die "$usage"
case $max in '' | *[!0-9]*) die "--max-array wants a number" ;; esac
[ "$max" -ge 1 ] || die "--max-array wants at least 1"
command -v jq >/dev/null || die "needs jq"
[ -z "$logdir" ] || mkdir -p "$logdir" || die "cannot make $logdir"
command -v sbatch >/dev/null || die "needs sbatch (Slurm) on this host"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tamis-slurm.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if [ $# -eq 1 ] && [ -f "$1" ]; then
    plan=$1
else
    plan=$tmp/plan.json
    "$@" --plan >"$plan" || die "planning failed: $*"
fi

# The shard tasks (no prerequisite) must be shard-00000..shard-N-1 in this
# order, and their command lines the same but for the task id: then one
# array script, given the index, rebuilds any of them.
jq -r '.tasks[] | select(.after == []) | .id' "$plan" >"$tmp/ids"
n=$(wc -l <"$tmp/ids")
[ "$n" -ge 1 ] || die "the plan has no shard task"
awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "shard-%05d\n", i }' >"$tmp/want"
cmp -s "$tmp/ids" "$tmp/want" || die "the plan's first tasks are not shard-00000..shard-$(printf %05d $((n - 1))) in order"
jq -e '[.tasks[] | select(.after == [])] as $s
       | ($s[0] | .id as $i | .argv | map(if . == $i then null else . end)) as $t
       | all($s[]; (.id as $i | .argv | map(if . == $i then null else . end)) == $t)' \
    "$plan" >/dev/null || die "the shard tasks' command lines differ beyond their ids"
# shard-00000's command line with its id replaced by "$id", quoted for sh
cmd=$(jq -r '.tasks[0] | .id as $i | .argv | map(if . == $i then "\"$id\"" else @sh end) | join(" ")' "$plan")

per=$(((n + max - 1) / max))  # shards per array task
size=$(((n + per - 1) / per)) # array tasks
array="0-$((size - 1))"
[ -z "$throttle" ] || array="$array%$throttle"
logopt() { [ -z "$logdir" ] || q "--output=$logdir/tamis-%x-%A_%a.out"; }

# The array task: its shards in order; one that fails does not stop the
# others (their work is kept), but fails the array task, so that no later
# task starts (afterok) and the run can be submitted again.
{
    echo "#!/bin/sh"
    echo "# tamis: $n shard tasks, $per per array task (examples/slurm/submit.sh)"
    echo "n=$n per=$per"
    cat <<'EOF'
i=$((SLURM_ARRAY_TASK_ID * per))
end=$((i + per)); [ "$end" -le "$n" ] || end=$n
rc=0
while [ "$i" -lt "$end" ]; do
    id=$(printf 'shard-%05d' "$i")
    echo "tamis: $id on $(hostname)"
EOF
    printf '    %s || { echo "tamis: $id failed (exit $?)" >&2; rc=1; }\n' "$cmd"
    cat <<'EOF'
    i=$((i + 1))
done
exit $rc
EOF
} >"$tmp/shards.sh"
out=$(eval "sbatch --parsable --job-name=tamis-shards --array=$(q "$array") $(logopt) $extra" <"$tmp/shards.sh") ||
    die "sbatch of the shard array failed"
jobid=${out%%;*}
echo "shards $jobid"
sed "s/\$/ $jobid/" "$tmp/ids" >"$tmp/jobs" # "TASK JOBID", one task a line

# The later tasks in the plan's order (a task's prerequisites come before
# it): one job each, afterok on the jobs of its prerequisites. A job whose
# prerequisite failed is cancelled, not left pending (--kill-on-invalid-dep).
logopt() { [ -z "$logdir" ] || q "--output=$logdir/tamis-%x-%j.out"; }
jq -r '.tasks[] | select(.after != []) | .id' "$plan" >"$tmp/later"
while read -r id; do
    # the distinct jobs of its prerequisites, in one pass (a dedup task has
    # every shard as a prerequisite: tens of thousands of them)
    jq -r --arg id "$id" '.tasks[] | select(.id == $id) | .after[]' "$plan" >"$tmp/after"
    deps=$(awk 'NR == FNR { job[$1] = $2; next }
                !($1 in job) { print "?" $1; exit }
                !(job[$1] in seen) { seen[job[$1]] = 1; printf "%s%s", (n++ ? ":" : ""), job[$1] }' \
        "$tmp/jobs" "$tmp/after")
    case $deps in "" | *"?"*) die "task $id: a prerequisite has no job: ${deps#*\?}" ;; esac
    {
        echo "#!/bin/sh"
        echo "# tamis task $id (examples/slurm/submit.sh)"
        echo "echo \"tamis: $id on \$(hostname)\""
        printf 'exec %s\n' "$(jq -r --arg id "$id" '.tasks[] | select(.id == $id) | .argv | @sh' "$plan")"
    } >"$tmp/task.sh"
    out=$(eval "sbatch --parsable $(q "--job-name=tamis-$id") $(q "--dependency=afterok:$deps") --kill-on-invalid-dep=yes $(logopt) $extra" <"$tmp/task.sh") ||
        die "sbatch of task $id failed"
    jobid=${out%%;*}
    echo "$id $jobid"
    echo "$id $jobid" >>"$tmp/jobs"
done <"$tmp/later"
