"""tamis.dask: a `tamis run` plan (docs/TASKS.md) run on a Dask cluster.

`run_plan(client, plan_or_args)` gets the plan of a run (from `tamis run
... --plan`, or a plan dict already made), submits each of its tasks to a
`distributed.Client` as a function that runs the task's own command line
(its "argv") with subprocess on a worker, each task depending on the
futures of the tasks in its "after", waits, and returns the run's
stats.json as a dict. Dask only schedules: the work and its outputs are
tamis's, in OUTDIR on storage every worker sees, so the outputs are the
bytes one `tamis run` writes, whatever the workers and their order.

Tasks are idempotent (a committed task does nothing), so a task that
raises, or whose worker dies, is simply run again (`retries`, and Dask's
own rescheduling of the tasks of a lost worker). The tamis process of a
task dies with the worker process that started it (Linux: PR_SET_PDEATHSIG),
so that it does not hold its shard's lock after its worker is gone; a task
that still finds its shard locked waits for the lock (`lock_wait`).

Workers need this package importable (the function they run is
`tamis.dask.run_task`) and the tamis program at the plan's path; the
driver needs `distributed` (Debian: python3-distributed). This module
imports `distributed` only when run_plan is called.
"""

import json
import os
import subprocess
import sys
import time
import uuid

from ._tamis import Error

__all__ = ["plan", "run_plan", "run_task", "TaskError"]

# exit status and message of a task that finds another process on its lock
_LOCKED_EXIT = 2
_LOCKED_MSG = b"another tamis run is working"


class TaskError(Error):
    """A task of the plan failed: .task (its id), .returncode (the exit
    status of its tamis process), .stderr (what it printed), .argv (its
    command line). As every tamis.Error: .name ("task") and .detail (the
    stderr, stripped); .code is the exit status."""

    def __init__(self, task, returncode, stderr, argv=()):
        self.task = task
        self.returncode = returncode
        self.stderr = stderr
        self.argv = list(argv)
        self.code = returncode
        self.name = "task"
        self.detail = (stderr or "").strip()
        lines = self.detail.splitlines()
        super().__init__("tamis task %s failed (exit status %s)%s" % (
            task, returncode, ": " + "\n".join(lines[-5:]) if lines else ""))

    def __reduce__(self):
        # the exception travels from the worker to the driver by pickle
        return (TaskError, (self.task, self.returncode, self.stderr, self.argv))


def _pdeathsig():
    """In the child, before exec: die with SIGKILL when the parent (the
    worker's thread that waits for it) dies, so that a killed worker leaves
    no tamis process holding a lock. Linux only; elsewhere nothing."""
    try:
        import ctypes
        import signal
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001  (best effort: never fail the exec)
        pass


def run_task(argv, task="", *, after=(), launcher=None, lock_wait=60.0, env=None,
             result_file=None):
    """Runs one task of a plan: its command line `argv` (a list), preceded
    by `launcher` (a list, e.g. ["nice"]) if given. This is the function
    the workers run; `after` receives the results of the prerequisites (so
    that Dask orders the tasks) and is not used. A task that finds its lock
    held (another process still on that shard) tries again until
    `lock_wait` seconds have passed. Returns {"task", "returncode",
    "stdout", "stderr", "seconds", "result"}: "result" is the JSON of
    `result_file` (read on the worker) when given. Raises TaskError when
    the task fails."""
    del after
    cmd = list(launcher or []) + [os.fspath(a) for a in argv]
    t0 = time.monotonic()
    pause = 0.1
    while True:
        p = subprocess.run(cmd, capture_output=True, env=env,
                           preexec_fn=_pdeathsig if sys.platform.startswith("linux") else None)
        if (p.returncode == _LOCKED_EXIT and _LOCKED_MSG in p.stderr
                and time.monotonic() - t0 + pause <= lock_wait):
            time.sleep(pause)
            pause = min(pause * 2, 2.0)
            continue
        break
    stderr = p.stderr.decode("utf-8", "replace")
    if p.returncode != 0:
        raise TaskError(task, p.returncode, stderr, cmd)
    out = {"task": task, "returncode": 0, "stdout": p.stdout.decode("utf-8", "replace"),
           "stderr": stderr, "seconds": time.monotonic() - t0, "result": None}
    if result_file:
        with open(result_file, encoding="utf-8") as f:
            out["result"] = json.load(f)
    return out


def plan(args, tamis="tamis", *, cwd=None, env=None):
    """The plan of `tamis run ARGS --plan` as a dict: args is the list of
    arguments after `run` (inputs, -o OUTDIR, options). Relative paths are
    taken from cwd; the plan spells them absolute. Raises TaskError when
    tamis refuses (an OUTDIR that holds another run, a bad option...)."""
    cmd = [os.fspath(tamis), "run"] + [os.fspath(a) for a in args] + ["--plan"]
    p = subprocess.run(cmd, capture_output=True, cwd=cwd, env=env)
    if p.returncode != 0:
        raise TaskError("plan", p.returncode, p.stderr.decode("utf-8", "replace"), cmd)
    return json.loads(p.stdout)


def run_plan(client, plan_or_args, *, tamis="tamis", retries=3, launcher=None,
             lock_wait=60.0, env=None, cwd=None, resources=None):
    """Runs a `tamis run` plan on a Dask cluster and returns the run's
    stats.json as a dict.

    client: a distributed.Client. plan_or_args: a plan dict (the JSON of
    `tamis run ... --plan`), or the list of arguments of `tamis run` (as
    for plan(); `tamis` names the program, cwd where relative paths start).
    Each task is submitted with pure=False and `retries` (a task is
    idempotent: running it again is safe), after the futures of its
    "after" tasks. launcher, lock_wait, env: as run_task. resources: Dask
    worker resources every task asks for (e.g. {"tamis": 1}).

    On the first failing task, the tasks not yet finished are cancelled
    and TaskError is raised with that task's stderr (or, when Dask itself
    gave up on a task, e.g. its workers kept dying, that exception)."""
    import distributed

    if not isinstance(plan_or_args, dict):
        plan_or_args = plan(plan_or_args, tamis, cwd=cwd, env=env)
    tasks = plan_or_args["tasks"]
    outdir = plan_or_args["outdir"]
    run_id = uuid.uuid4().hex[:12]
    last = tasks[-1]["id"]  # "finish": every task is before it
    futures = {}
    for t in tasks:
        missing = [a for a in t["after"] if a not in futures]
        if missing:
            raise ValueError("plan: task %s is after %s, which does not come before it"
                             % (t["id"], ", ".join(missing)))
        futures[t["id"]] = client.submit(
            run_task, t["argv"], t["id"], after=[futures[a] for a in t["after"]],
            launcher=launcher, lock_wait=lock_wait, env=env,
            result_file=os.path.join(outdir, "stats.json") if t["id"] == last else None,
            key="tamis-%s-%s" % (t["id"], run_id), pure=False, retries=retries,
            resources=resources)
    try:
        for f in distributed.as_completed(list(futures.values())):
            if f.status == "error":
                raise f.exception()
            if f.status == "cancelled":
                raise Error("tamis task %s was cancelled" % f.key)
        return futures[last].result()["result"]
    finally:
        client.cancel([f for f in futures.values() if not f.done()])
