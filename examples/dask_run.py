#!/usr/bin/python3
"""dask_run.py — `tamis run` on a Dask cluster (docs/TASKS.md, "Dask").

Plans the run (`tamis run ... --plan`), submits its tasks to the cluster
with tamis.dask.run_plan (shard tasks side by side, dedup after them all,
finish after dedup, each retried when it fails or its worker is lost) and
prints the run's ledger. The outputs are the bytes one `tamis run` with the
same arguments writes (inputs and OUTDIR as absolute paths). Every worker
must see the inputs and OUTDIR at the same paths, run the same tamis and
import the tamis package.

Usage:
  dask_run.py [--scheduler ADDR | --scheduler-file FILE] [--workers N]
              [--tamis PATH] [--retries N] -- INPUT... -o OUTDIR [options]
Without --scheduler(-file), it starts a local cluster of N worker processes
(one thread each) for the run. Example:
  PYTHONPATH=build/python examples/dask_run.py --tamis build/tamis -- data/ -o out -j 1
"""
import argparse
import json
import sys

import distributed

import tamis.dask


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scheduler", help="address of a running scheduler (tcp://host:port)")
    ap.add_argument("--scheduler-file", help="the file `dask scheduler --scheduler-file` wrote")
    ap.add_argument("--workers", type=int, default=2, help="local worker processes (default 2)")
    ap.add_argument("--tamis", default="tamis", help="the tamis program (default: on PATH)")
    ap.add_argument("--retries", type=int, default=3, help="tries again per task (default 3)")
    ap.add_argument("args", nargs=argparse.REMAINDER, help="-- then the arguments of tamis run")
    opt = ap.parse_args()
    args = opt.args[1:] if opt.args[:1] == ["--"] else opt.args
    if not args:
        ap.error("give the arguments of tamis run after --")

    cluster = None
    if opt.scheduler or opt.scheduler_file:
        client = distributed.Client(opt.scheduler, scheduler_file=opt.scheduler_file)
    else:
        cluster = distributed.LocalCluster(n_workers=opt.workers, threads_per_worker=1,
                                           processes=True, dashboard_address=None)
        client = distributed.Client(cluster)
    try:
        stats = tamis.dask.run_plan(client, args, tamis=opt.tamis, retries=opt.retries)
    except tamis.dask.TaskError as e:
        print("dask_run: %s" % e, file=sys.stderr)
        return 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    print(json.dumps(stats["ledger"], sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
