#!/bin/sh
# slurm.sh — examples/slurm/submit.sh runs `tamis run` as Slurm jobs and the
# outputs are the bytes of one `tamis run` over the same inputs (absolute
# paths): kept/, removed/, rejected.jsonl, clusters.jsonl byte for byte,
# stats.json and report.html with their timings masked (as tests/run/tasks.sh).
# The test starts its own single-node cluster on localhost as root (Debian
# slurm-wlm and munge, scripts/deps.sh): munged as the munge user on its own
# socket and key, then slurmctld and slurmd on ports of their own, every
# state, spool, pid and log file under a temporary folder; all stopped by
# their pid files on exit, even on failure. 6 shards with --max-array 4 make
# an array of 3 tasks of 2 shards each; then dedup and finish (afterok). A
# second submission of the finished plan only says the run is finished.
#
# Skipped (exit 0, "slurm: skipped (reason)") where the daemons cannot
# start: not root, the packages missing, or sinfo silent for 30 seconds.
# Usage: TAMIS=build/tamis sh tests/run/slurm.sh
set -eu
TAMIS=${TAMIS:?set TAMIS to the tamis binary}
case $TAMIS in /*) ;; *) TAMIS=$PWD/$TAMIS ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
skip() { echo "slurm: skipped ($*)"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root to start slurmctld, slurmd and munged"
for c in slurmctld slurmd sbatch sinfo squeue munged jq; do
    command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] ||
        skip "$c not installed (slurm-wlm, munge and jq: scripts/deps.sh)"
done
id munge >/dev/null 2>&1 || skip "no munge user (package munge)"

work=$(mktemp -d "${TMPDIR:-/tmp}/tamis-slurm.XXXXXX")
chmod 755 "$work" # munged, as the munge user, must reach its folder
stop() {
    for p in slurmd slurmctld; do
        [ -s "$work/$p.pid" ] && kill "$(cat "$work/$p.pid")" 2>/dev/null || true
    done
    for p in slurmd slurmctld; do # they exit within a second; then the rest
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            [ -s "$work/$p.pid" ] && kill -0 "$(cat "$work/$p.pid")" 2>/dev/null || break
            sleep 0.2
        done
        [ -s "$work/$p.pid" ] && kill -9 "$(cat "$work/$p.pid")" 2>/dev/null || true
    done
    [ -s "$work/munge/munged.pid" ] && kill "$(cat "$work/munge/munged.pid")" 2>/dev/null || true
    rm -rf "$work"
}
trap stop EXIT
trap 'exit 1' INT TERM HUP
passed=0
fail() {
    echo "slurm: FAIL: $*" >&2
    for f in "$work"/log*/*.out "$work"/slurmctld.log "$work"/slurmd.log; do
        [ -f "$f" ] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }
    done
    echo "slurm: $passed passed, 1 failed"
    exit 1
}
ok() { passed=$((passed + 1)); }
PATH=$PATH:/usr/sbin

# -- munge: a key of its own (1,024 random bytes, mode 400, owned by munge)
mkdir -p "$work/munge" "$work/state" "$work/spool" "$work/log"
head -c 1024 /dev/urandom >"$work/munge/munge.key"
chown -R munge:munge "$work/munge"
chmod 711 "$work/munge" # munged wants it searchable by all, not writable
chmod 400 "$work/munge/munge.key"
su -s /bin/sh munge -c "munged --socket=$work/munge/munge.socket --key-file=$work/munge/munge.key \
    --pid-file=$work/munge/munged.pid --log-file=$work/munge/munged.log \
    --seed-file=$work/munge/munged.seed" >"$work/munged.out" 2>&1 ||
    skip "munged does not start: $(head -c 300 "$work/munged.out")"

# -- slurm.conf: one node (this host), one partition, ports of our own
host=$(hostname -s)
mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)
port=$((20000 + $$ % 20000))
cat >"$work/slurm.conf" <<EOF
ClusterName=tamistest
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
MaxArraySize=4
NodeName=$host CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=tamis Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$work/slurm.conf"
unset SLURM_JOB_ID SBATCH_PARTITION SBATCH_ACCOUNT 2>/dev/null || true
slurmctld -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 ||
    skip "slurmctld does not start: $(head -c 300 "$work/slurmctld.out")"
slurmd -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 ||
    skip "slurmd does not start: $(head -c 300 "$work/slurmd.out")"
up=""
for _ in $(seq 60); do
    if sinfo -h -o '%t' 2>/dev/null | grep -q '^idle'; then up=1; break; fi
    sleep 0.5
done
[ -n "$up" ] || skip "sinfo did not show an idle node within 30 seconds: $(sinfo 2>&1 | tail -n 2 | tr '\n' ' ')"

# -- inputs: the example corpus in 5 files, one repeated (clusters across shards)
sh "$root/scripts/make-example.sh" "$work/example" >/dev/null 2>&1 ||
    fail "cannot build the example corpus (run scripts/deps.sh)"
mkdir "$work/in"
split -n l/5 -d --additional-suffix=.jsonl "$work/example/corpus.jsonl" "$work/in/part-"
echo '{"id": "broken", "text": ' >>"$work/in/part-01.jsonl"
zstd -q --rm "$work/in/part-02.jsonl"
cp "$work/in/part-03.jsonl" "$work/in/part-05.jsonl"
"$TAMIS" run "$work/in" -j 1 -q -o "$work/ref" || fail "reference run failed"
[ -s "$work/ref/clusters.jsonl" ] || fail "the reference run found no clusters"

mask() {
    case $1 in
    *.json) jq -S 'walk(if type == "object" then with_entries(select(.key | test("seconds") | not)) else . end)' "$1" ;;
    *.html) sed 's/data-f="seconds" \([^>]*\)>[^<]*</data-f="seconds" \1></g' "$1" ;;
    esac
}
same() { # same OUTDIR: the reference's bytes, timings masked
    for f in rejected.jsonl clusters.jsonl; do
        cmp -s "$work/ref/$f" "$1/$f" || fail "$f differs"
    done
    (cd "$work/ref" && find . -path ./.tamis -prune -o -print | sort) >"$work/ta"
    (cd "$1" && find . -path ./.tamis -prune -o -print | sort) >"$work/tb"
    cmp -s "$work/ta" "$work/tb" || { diff "$work/ta" "$work/tb" >&2; fail "output trees differ"; }
    for f in $(cd "$work/ref" && ls kept/* removed/*); do
        cmp -s "$work/ref/$f" "$1/$f" || fail "$f differs"
    done
    for f in stats.json report.html; do
        mask "$work/ref/$f" >"$work/ma" && mask "$1/$f" >"$work/mb"
        cmp -s "$work/ma" "$work/mb" || { diff "$work/ma" "$work/mb" | head >&2; fail "$f differs beyond timings"; }
    done
    ok
}
# waits until none of the jobs in file $1 is queued; 90 seconds at most
wait_jobs() {
    ids=$(awk '{ print $2 }' "$1" | paste -sd, -)
    for _ in $(seq 450); do
        [ -n "$(squeue -h -j "$ids" 2>/dev/null)" ] || return 0
        sleep 0.2
    done
    fail "jobs $ids still queued after 90 seconds: $(squeue 2>&1 | tr '\n' ' ')"
}

# -- the plan as jobs: 6 shards, at most 4 array tasks -> 3 of 2 shards
"$TAMIS" run "$work/in" -j 1 -q --plan -o "$work/out" >"$work/plan.json" || fail "plan failed"
sh "$root/examples/slurm/submit.sh" --max-array 4 --log-dir "$work/log" "$work/plan.json" \
    >"$work/jobs" 2>"$work/err" || fail "submit.sh: $(cat "$work/err")"
[ "$(awk '{ print $1 }' "$work/jobs" | tr '\n' ' ')" = "shards dedup finish " ] ||
    fail "submit.sh printed: $(cat "$work/jobs")"
wait_jobs "$work/jobs"
[ -f "$work/out/.tamis/run.done" ] || fail "the run is not finished after the jobs"
same "$work/out"
# one log per array task, each with its 2 shards in order, then dedup, finish
a=$(awk '$1 == "shards" { print $2 }' "$work/jobs")
for i in 0 1 2; do
    f="$work/log/tamis-tamis-shards-${a}_$i.out"
    [ -f "$f" ] || fail "no log $f: $(ls "$work/log")"
    got=$(sed -n 's/^tamis: \(shard-[0-9]*\) on .*/\1/p' "$f" | tr '\n' ' ')
    [ "$got" = "shard-0000$((2 * i)) shard-0000$((2 * i + 1)) " ] || fail "array task $i ran: $got"
done
[ "$(ls "$work/log" | wc -l)" = 5 ] || fail "logs: $(ls "$work/log" | tr '\n' ' ')"
ok

# -- the same run again, from the tamis command line (the -- form): it plans
# the same plan, every task is a no-op and the outputs stay
sh "$root/examples/slurm/submit.sh" --max-array 4 --log-dir "$work/log2" -- \
    "$TAMIS" run "$work/in" -j 1 -q -o "$work/out" >"$work/jobs2" 2>"$work/err" ||
    fail "submit.sh -- again: $(cat "$work/err")"
wait_jobs "$work/jobs2"
same "$work/out"
[ "$(ls "$work/log2" | wc -l)" = 5 ] || fail "second submission's logs: $(ls "$work/log2" | tr '\n' ' ')"

# -- a shard task that fails (its input gone after the plan): the array job
# fails, dedup and finish are cancelled, never run
mkdir "$work/in3" && cp "$work/in/part-00.jsonl" "$work/in/part-04.jsonl" "$work/in3/"
"$TAMIS" run "$work/in3" -j 1 -q --plan -o "$work/out3" >"$work/plan3.json" || fail "plan 3 failed"
rm "$work/in3/part-04.jsonl"
sh "$root/examples/slurm/submit.sh" --log-dir "$work/log3" "$work/plan3.json" >"$work/jobs3" 2>"$work/err" ||
    fail "submit.sh 3: $(cat "$work/err")"
wait_jobs "$work/jobs3"
[ ! -e "$work/out3/.tamis/dedup.done" ] && [ ! -e "$work/out3/.tamis/run.done" ] ||
    fail "dedup or finish ran after a failed shard"
! ls "$work"/log3/tamis-tamis-dedup-*.out >/dev/null 2>&1 || fail "the dedup job ran after a failed shard"
grep -q "tamis: shard-00001 failed (exit [1-9]" "$work"/log3/tamis-tamis-shards-*.out ||
    fail "the array task did not report its failed shard"
ok

echo "slurm: $passed passed, 0 failed"
