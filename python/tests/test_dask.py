"""tamis.dask.run_plan on a real Dask cluster gives the bytes of one
`tamis run` (docs/TASKS.md, "Dask"; issue 13).

A scheduler and two workers (one thread each, with their nannies) are
started as separate processes on localhost with Debian's python3-distributed
(`dask scheduler` / `dask worker`, run as `python3 -m distributed.cli...` so
that they use this interpreter), on ports the system picks, without
dashboards, and stopped at the end. The input is the example corpus
(scripts/make-example.sh) cut into 4 files, plus the whole corpus again as
a fifth, so that dedup finds clusters across shards. The outputs -- kept/, removed/,
rejected.jsonl, clusters.jsonl, stats.json and report.html with their
timings masked -- are compared byte for byte with a plain `tamis run`:
once as is, once with a launcher that makes the first attempt of one shard
task SIGKILL its tamis process (after it took its shard's lock, before
its commit) and its own worker process (a lost machine): Dask runs the
task again on another worker process (and the tasks whose results the lost
worker held) and the outputs are still the same bytes. Also: a failing task
raises TaskError carrying tamis's stderr. Skipped only when distributed
cannot be imported."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT

import tamis.dask

HERE = os.path.dirname(os.path.abspath(__file__))
# the child processes import what this process imports (build/python first)
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))

# distributed is imported only in child processes (the scheduler, workers
# and tests/dask_driver.py): a Client's threads would stay in this process
_probe = subprocess.run([sys.executable, "-c", "import distributed"], capture_output=True, env=ENV)
if _probe.returncode != 0:
    pytest.skip("distributed not importable (Debian python3-distributed, scripts/deps.sh): %s"
                % _probe.stderr.decode().strip().splitlines()[-1:], allow_module_level=True)


def _start(args, log, env):
    # own process group: the teardown stops the nanny and the worker it runs
    return subprocess.Popen([sys.executable, "-m"] + args, stdout=log, stderr=subprocess.STDOUT,
                            env=env, start_new_session=True)


def _stop(procs):
    for p in procs:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 10
    for p in procs:
        try:
            p.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for p in procs:
        try:  # what is left of the group (a nanny's worker), at once
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if p.poll() is None:
            p.wait(5)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The scheduler file of a scheduler and two single-threaded workers,
    real processes, stopped at the end."""
    d = tmp_path_factory.mktemp("dask")
    sched_file = str(d / "scheduler.json")
    env = ENV
    procs = []
    log = open(d / "cluster.log", "wb")
    try:
        procs.append(_start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                             "--no-dashboard", "--scheduler-file", sched_file], log, env))
        deadline = time.monotonic() + 30
        while not os.path.exists(sched_file) and time.monotonic() < deadline:
            assert procs[0].poll() is None, "the scheduler exited: see %s" % (d / "cluster.log")
            time.sleep(0.1)
        for _ in range(2):
            procs.append(_start(["distributed.cli.dask_worker", "--scheduler-file", sched_file,
                                 "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1",
                                 "--local-directory", str(d)], log, env))
        yield sched_file
    finally:
        _stop(procs)
        log.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, tamis_bin):
    """Five absolute input paths and the plain run's OUTDIR over them."""
    d = tmp_path_factory.mktemp("corpus")
    subprocess.run(["sh", os.path.join(ROOT, "scripts", "make-example.sh"), str(d / "ex")],
                   check=True, capture_output=True)
    with open(d / "ex" / "corpus.jsonl", "rb") as f:
        lines = f.read().splitlines(keepends=True)
    (d / "in").mkdir()
    n = len(lines)
    cuts = [n * i // 4 for i in range(5)]
    paths = []
    for i in range(4):
        p = d / "in" / ("part-%02d.jsonl" % i)
        p.write_bytes(b"".join(lines[cuts[i]:cuts[i + 1]]))
        paths.append(str(p))
    # the whole corpus again: clusters across shards, and a shard that
    # works long enough (tens of ms) to be killed in the middle
    p = d / "in" / "part-04.jsonl"
    p.write_bytes(b"".join(lines))
    paths.append(str(p))
    ref = d / "ref"
    subprocess.run([tamis_bin, "run", *paths, "-j", "2", "-q", "-o", str(ref)], check=True,
                   capture_output=True)
    assert os.path.getsize(ref / "clusters.jsonl") > 0, "the plain run found no clusters"
    return paths, str(ref)


def _drive(sched_file, plan_or_args=None, **kwargs):
    """run_plan(client, plan_or_args, **kwargs) in tests/dask_driver.py."""
    req = {"scheduler_file": sched_file, "call": "run_plan", "plan_or_args": plan_or_args,
           "kwargs": kwargs}
    r = subprocess.run([sys.executable, os.path.join(HERE, "dask_driver.py"), json.dumps(req)],
                       capture_output=True, env=ENV, timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    return json.loads(r.stdout)


def _mask(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".json"):
        def drop(v):
            if isinstance(v, dict):
                return {k: drop(x) for k, x in v.items() if "seconds" not in k}
            if isinstance(v, list):
                return [drop(x) for x in v]
            return v
        return json.dumps(drop(json.loads(data)), sort_keys=True).encode()
    return re.sub(rb'data-f="seconds" ([^>]*)>[^<]*<', rb'data-f="seconds" \1><', data)


def _tree(top):
    out = []
    for base, dirs, files in os.walk(top):
        dirs[:] = sorted(x for x in dirs if x != ".tamis")
        rel = os.path.relpath(base, top)
        out += [os.path.normpath(os.path.join(rel, x)) for x in dirs + files
                if x != ".tamis.lock"]
    return sorted(out)


def _same(ref, out):
    assert _tree(ref) == _tree(out)
    for f in _tree(ref):
        a, b = os.path.join(ref, f), os.path.join(out, f)
        if os.path.isdir(a):
            continue
        if f in ("stats.json", "report.html"):
            assert _mask(a) == _mask(b), "%s differs beyond timings" % f
        else:
            with open(a, "rb") as x, open(b, "rb") as y:
                assert x.read() == y.read(), "%s differs" % f


def test_plan_on_dask_same_bytes(cluster, corpus, tamis_bin, tmp_path):
    paths, ref = corpus
    out = str(tmp_path / "out")
    r = _drive(cluster, [*paths, "-j", "2", "-q", "-o", out], tamis=tamis_bin)
    assert "error" not in r, r["error"]
    stats = r["stats"]
    _same(ref, out)
    with open(os.path.join(out, "stats.json"), encoding="utf-8") as f:
        assert stats == json.load(f)
    assert stats["ledger"]["read"] == (stats["ledger"]["kept"] + stats["ledger"]["removed"]
                                       + stats["ledger"]["rejected"])
    # a committed run: the same plan again does nothing and changes nothing
    plan = tamis.dask.plan([*paths, "-j", "2", "-q", "-o", out], tamis=tamis_bin)
    assert [t["id"] for t in plan["tasks"]] == ["shard-%05d" % i for i in range(5)] + ["dedup", "finish"]


KILLER = r"""#!/bin/sh
# launcher: the first attempt of task $TASK starts tamis and, once tamis
# holds its shard's lock (it is working), freezes it, notes whether the
# shard is committed yet, then SIGKILLs it and its own worker process (its
# parent): a node lost in the middle of the task
log=$1; shift
task=""; out=""; prev=""
for a in "$@"; do
    [ "$prev" = --task ] && task=$a
    [ "$prev" = -o ] && out=$a
    prev=$a
done
echo "$task $PPID" >>"$log"
if [ "$task" = "$TASK" ] && mkdir "$log.first" 2>/dev/null; then
    "$@" &
    pid=$!
    lock=$out/.tamis/shards/${task#shard-}.lock
    while kill -0 $pid 2>/dev/null && [ ! -e "$lock" ]; do :; done
    kill -STOP $pid 2>/dev/null
    [ -e "$out/.tamis/shards/${task#shard-}.done" ] || echo "killed before commit" >>"$log"
    kill -9 $pid $PPID
    sleep 5
    exit 1
fi
exec "$@"
"""


def test_worker_killed_mid_task(cluster, corpus, tamis_bin, tmp_path):
    paths, ref = corpus
    killer = tmp_path / "killer.sh"
    killer.write_text(KILLER)
    log = str(tmp_path / "attempts.log")
    out = str(tmp_path / "out")
    env = dict(os.environ, TASK="shard-00004")
    r = _drive(cluster, [*paths, "-j", "2", "-q", "-o", out], tamis=tamis_bin,
               launcher=["sh", str(killer), log], env=env, retries=2)
    assert "error" not in r, r["error"]
    _same(ref, out)
    assert r["stats"]["ledger"]["read"] > 0
    with open(log) as f:
        lines = f.read().splitlines()
    tries = [ln.split()[1] for ln in lines if ln.startswith("shard-00004 ")]
    assert len(tries) >= 2, lines
    assert "killed before commit" in lines, lines
    first = int(tries[0])
    assert int(tries[-1]) != first, "the retry ran in the killed worker process"
    with pytest.raises(ProcessLookupError):
        os.kill(first, 0)
    # the nanny replaced the killed worker: two workers again, one of them new
    assert len(r["workers_after"]) == 2 and r["workers_after"] != r["workers_before"]


def test_failing_task_raises(cluster, corpus, tamis_bin, tmp_path):
    paths, _ = corpus
    out = str(tmp_path / "out")
    plan = tamis.dask.plan([*paths, "-q", "-o", out], tamis=tamis_bin)
    # an input that vanished after the plan: its shard task fails on the
    # manifest check, and run_plan raises with tamis's own message
    plan["tasks"][0]["argv"][-1] = str(tmp_path / "no-such-file.jsonl")
    e = _drive(cluster, plan, retries=0)["error"]
    assert e["type"] == "TaskError" and e["is_tamis_error"], e
    assert e["task"] == "shard-00000" and e["returncode"] != 0
    assert "tamis run" in e["stderr"] and e["detail"] == e["stderr"].strip()
    assert e["detail"].splitlines()[-1] in e["message"]
    assert not os.path.exists(os.path.join(out, "stats.json"))
    with pytest.raises(tamis.dask.TaskError) as e:
        tamis.dask.plan([str(tmp_path / "missing"), "-o", str(tmp_path / "o2")], tamis=tamis_bin)
    assert e.value.task == "plan" and e.value.stderr


@pytest.mark.parametrize("where", ["scheduler", "local"])
def test_example_dask_run(cluster, corpus, tamis_bin, tmp_path, where):
    """examples/dask_run.py, on the running cluster and on a local cluster of
    its own (LocalCluster, two worker processes): the same bytes."""
    paths, ref = corpus
    out = str(tmp_path / "out")
    opts = (["--scheduler-file", cluster] if where == "scheduler" else ["--workers", "2"])
    env = ENV
    r = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "dask_run.py"), *opts,
                        "--tamis", tamis_bin, "--", *paths, "-j", "2", "-q", "-o", out],
                       capture_output=True, env=env, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    _same(ref, out)
    with open(os.path.join(out, "stats.json"), encoding="utf-8") as f:
        assert json.loads(r.stdout) == json.load(f)["ledger"]
