"""python_filters.py — the datatrove-compatible filters through the Python binding,
side by side with datatrove's own decisions and with the `tamis filter` command.

For each corpus of ../shared/data/reference-decisions (cc-wet, the English articles of
news-fr; see its README) and for the presets gopher, c4 and fineweb (FineWeb's chain as
datatrove composes it, run without a language rule as the reference runs were; the
pairing is bench/agreement_ref.py's), it runs `tamis.Filter(preset).check(text)` on every
document from Python and reports:
  * agreement with the keep/remove decision datatrove 0.10 recorded, "same rule" (both
    remove with the same first rule, or both keep), and every disagreement counted by
    the rule tamis used against the filter/reason datatrove used;
  * that the binding's decisions (removed set and first rule) are those of
    `tamis filter --preset P` on the same documents: asserted, the script fails otherwise;
  * throughput in MB of text per second, wall and CPU, one thread: Filter.check over the
    texts in memory, and `tamis filter -j 1` on the same texts as JSONL (its time includes
    reading and writing JSONL and the process start). Best of REPEAT runs (default 3).
datatrove itself is not installable here (not a Debian package); its speed is the figure
quoted in issue 12 (printed at the end, not measured).

usage: PYTHONPATH=build/python /usr/bin/python3 bench/python_filters.py [DATA_DIR] [TAMIS] [REPEAT]
DATA_DIR defaults to ../shared/data; the script skips (exit 0) when it or its
reference-decisions folder is absent. news-fr is local-only: its English texts go to a
temporary file deleted on exit, and only figures are printed.
"""
import collections
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import tamis

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from agreement_ref import reference_corpora, reference_removed, tamis_rule  # noqa: E402

ROOT = os.path.dirname(HERE)
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data")
TAMIS = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "build", "tamis")
REPEAT = int(sys.argv[3]) if len(sys.argv) > 3 else 3

# preset -> (Filter keyword arguments, the same as `tamis filter` flags)
PRESETS = [
    ("gopher", {}, []),
    ("c4", {}, []),
    # the reference chain has no LanguageFilter: no language rule, as agreement_ref.py runs it
    ("fineweb", {"langs": "", "min_lang_score": 0}, ["--lang", "", "--min-lang-score", "0"]),
]
DT_MBS = 2.5  # datatrove's FineWeb chain in Python on this machine, as issue 12 states it
DATATROVE = {"gopher": "GopherRepetition + GopherQuality", "c4": "C4QualityFilter()",
             "fineweb": "FineWeb chain (no language filter)"}


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def py_run(f, texts):
    """{index: Removal} and (wall, cpu) seconds of Filter.check over texts, one thread."""
    w, c = time.perf_counter(), time.process_time()
    out = {}
    check = f.check
    for i, t in enumerate(texts):
        r = check(t)
        if r is not None:
            out[i] = r
    return out, (time.perf_counter() - w, time.process_time() - c)


def cli_run(corpus, preset, flags, tmp):
    """{id: removed_by} and (wall, cpu) seconds of `tamis filter -j 1`."""
    rem = os.path.join(tmp, "removed.jsonl")
    args = [TAMIS, "filter", "-q", "-j", "1", "--preset", preset, corpus,
            "-o", os.path.join(tmp, "kept.jsonl"), "--removed", rem] + flags
    w, c = time.perf_counter(), children_cpu()
    subprocess.run(args, check=True)
    t = (time.perf_counter() - w, children_cpu() - c)
    out = {}
    with open(rem, encoding="utf-8") as f:
        for line in f:
            x = json.loads(line)
            out[x["id"]] = x["tamis"]["removed_by"]
    return out, t


def best(runs):
    """the run with the least CPU time, and its (wall, cpu)."""
    return min(runs, key=lambda r: r[1][1])


def main():
    ref = os.path.join(DATA, "reference-decisions")
    if not os.path.isdir(ref):
        print("no %s: skipped" % ref)
        return
    tmp = tempfile.TemporaryDirectory()
    rows, breakdown = [], []
    for name, corpus in reference_corpora(DATA, tmp.name):
        docs = [json.loads(line) for line in open(corpus, encoding="utf-8")]
        ids = [d["id"] for d in docs]
        texts = [d["text"] for d in docs]
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        want = reference_removed(os.path.join(ref, name))
        for preset, kw, flags in PRESETS:
            f = tamis.Filter(preset, **kw)
            py_runs = [py_run(f, texts) for _ in range(REPEAT)]
            assert all(r[0] == py_runs[0][0] for r in py_runs)
            py, py_t = best(py_runs)
            ours = {ids[i]: r.rule for i, r in py.items()}
            cli, cli_t = best([cli_run(corpus, preset, flags, tmp.name) for _ in range(REPEAT)])
            # the binding decides as the command does: same documents, same first rule
            assert ours == cli, "%s %s: tamis.Filter differs from tamis filter" % (name, preset)
            dt = want[preset]
            n = len(ids)
            agree = sum((i in dt) == (i in ours) for i in ids)
            same = sum((i in dt) == (i in ours) and (i not in ours or tamis_rule(dt[i]) == ours[i])
                       for i in ids)
            diff = collections.Counter(
                (ours.get(i, "kept"), dt.get(i, "kept")) for i in ids
                if (i in dt) != (i in ours) or (i in ours and tamis_rule(dt[i]) != ours[i]))
            breakdown.append((name, preset, diff))
            rows.append((name, n, mb, preset, len(dt), len(ours), agree / n, same / n,
                         n - agree, py_t, cli_t))
    tmp.cleanup()
    if not rows:
        print("no corpus of %s found: skipped" % ref)
        return
    print("| corpus (docs, MB of text) | preset (datatrove) | removed: datatrove / tamis | "
          "agreement | same rule | Filter.check = CLI | Filter.check MB/s wall / CPU | "
          "`tamis filter -j 1` MB/s wall / CPU |")
    print("|---|---|---|---|---|---|---|---|")
    for name, n, mb, preset, nd, nt, ag, sr, nbad, py_t, cli_t in rows:
        print("| %s (%d, %.2f) | %s (%s) | %d / %d | %.1f %% (%d differ) | %.1f %% | yes | "
              "%.1f / %.1f | %.1f / %.1f |" % (
                  name, n, mb, preset, DATATROVE[preset], nd, nt, 100 * ag, nbad, 100 * sr,
                  mb / py_t[0], mb / py_t[1], mb / cli_t[0], mb / cli_t[1]))
    print()
    print("Differences (tamis rule vs datatrove filter/reason: documents):")
    for name, preset, diff in breakdown:
        if not diff:
            print("  %s %s: none" % (name, preset))
        for (t, d), k in diff.most_common():
            print("  %s %s: tamis %s vs datatrove %s: %d" % (name, preset, t, d, k))
    print()
    print("datatrove's FineWeb chain from Python: %.1f MB/s on this machine, as quoted in "
          "issue 12 (not measured here: datatrove is not installable without PyPI; "
          "../shared/docs/reference-systems.md has no official datatrove throughput)." % DT_MBS)
    for name, n, mb, preset, nd, nt, ag, sr, nbad, py_t, cli_t in rows:
        if preset == "fineweb":
            print("tamis.Filter('fineweb') on %s: %.1f MB/s wall, %.1fx that figure" % (
                name, mb / py_t[0], mb / py_t[0] / DT_MBS))


if __name__ == "__main__":
    main()
