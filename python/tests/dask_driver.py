"""The driver side of test_dask.py, run as its own process: a
distributed.Client lives here, not in the pytest process (its event-loop
threads would stay there and disturb the resident-set test that follows).

Usage: dask_driver.py JSON, with "scheduler_file" and "call": "run_plan"
(with "plan_or_args", "kwargs") or "workers". Prints one JSON line:
{"stats": ..., "workers_before": [...], "workers_after": [...]} or
{"error": {"type", "is_tamis_error", "task", "returncode", "stderr",
"detail", "message"}}."""

import json
import sys

import distributed

import tamis
import tamis.dask


def main():
    req = json.loads(sys.argv[1])
    out = {}
    with distributed.Client(scheduler_file=req["scheduler_file"], timeout=30) as client:
        client.wait_for_workers(2, timeout=30)
        out["workers_before"] = sorted(client.scheduler_info()["workers"])
        if req["call"] == "run_plan":
            try:
                out["stats"] = tamis.dask.run_plan(client, req["plan_or_args"], **req["kwargs"])
            except Exception as e:  # noqa: BLE001  (reported to the test)
                out["error"] = {
                    "type": type(e).__name__, "is_tamis_error": isinstance(e, tamis.Error),
                    "task": getattr(e, "task", None), "returncode": getattr(e, "returncode", None),
                    "stderr": getattr(e, "stderr", None), "detail": getattr(e, "detail", None),
                    "message": str(e)}
        client.wait_for_workers(2, timeout=30)
        out["workers_after"] = sorted(client.scheduler_info()["workers"])
        out["address"] = client.scheduler.address
    print(json.dumps(out))


if __name__ == "__main__":
    main()
