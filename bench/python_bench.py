"""python_bench.py — what the Python binding costs over the C library.

1. Per-call overhead on short texts: microseconds per document for one call
   per text (tamis.signals, tamis.clean, tamis.langid, Filter.check) and for
   the batch calls (signals_many, clean_many) on the same texts.
2. Throughput on a corpus, one thread: tamis.read + signals_many and
   tamis.read + clean_many against `tamis score -j 1` and `tamis clean -j 1`
   on the same file, as input MB per CPU second (user + sys: the machine is
   shared, so CPU time is steadier than wall time), and the share of the
   CLI's rate the binding reaches.

usage: PYTHONPATH=build/python /usr/bin/python3 bench/python_bench.py \
           [CORPUS.jsonl] [TAMIS] [REPEAT]
CORPUS defaults to ../shared/data/cc-wet/cc_main_2019_30_wet_docs.jsonl (read in
place, never copied); the script skips (exit 0) when it is absent. REPEAT
(default 3) concatenates the corpus that many times in a temporary file.
"""
import os
import resource
import subprocess
import sys
import tempfile
import time

import tamis

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, "..", "shared", "data", "cc-wet", "cc_main_2019_30_wet_docs.jsonl")
TAMIS = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "build", "tamis")
REPEAT = int(sys.argv[3]) if len(sys.argv) > 3 else 3

SHORT = ["Short text number %d, with a few words." % i for i in range(2000)]


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def per_doc_us(fn, n):
    fn()  # warm: handles, caches
    t = cpu()
    fn()
    return (cpu() - t) / n * 1e6


def overhead():
    f = tamis.Filter()
    rows = [
        ("signals (lang given)", lambda: [tamis.signals(t, lang="en") for t in SHORT],
         lambda: tamis.signals_many(SHORT, lang="en")),
        ("signals (lang identified)", lambda: [tamis.signals(t) for t in SHORT],
         lambda: tamis.signals_many(SHORT)),
        ("clean", lambda: [tamis.clean(t, lang="en") for t in SHORT],
         lambda: tamis.clean_many(SHORT, lang="en")),
        ("langid", lambda: [tamis.langid(t) for t in SHORT], None),
        ("Filter.check", lambda: [f.check(t) for t in SHORT], None),
    ]
    print("| call (%d texts of ~40 bytes) | µs/doc, one call each | µs/doc, batch |" % len(SHORT))
    print("|---|---|---|")
    for name, single, batch in rows:
        s = per_doc_us(single, len(SHORT))
        b = "%.1f" % per_doc_us(batch, len(SHORT)) if batch else "–"
        print("| %s | %.1f | %s |" % (name, s, b))


def cli_cpu(args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def throughput(path):
    mb = os.path.getsize(path) / 1e6

    def py_signals():
        docs = list(tamis.read(path))
        tamis.signals_many(docs)

    def py_clean():
        docs = list(tamis.read(path))
        tamis.clean_many(docs)

    rows = [("signals", py_signals, [TAMIS, "score", "-q", "-j", "1", path, "-o", "/dev/null"]),
            ("clean", py_clean, [TAMIS, "clean", "-q", "-j", "1", path, "-o", "/dev/null"])]
    print("\n| %.1f MB, one thread | binding MB/CPU-s | CLI MB/CPU-s | share |" % mb)
    print("|---|---|---|---|")
    for name, fn, args in rows:
        best_py = best_cli = None
        for _ in range(2):  # the best of two: the machine is shared
            t = cpu()
            fn()
            p = cpu() - t
            c = cli_cpu(args)
            best_py = p if best_py is None else min(best_py, p)
            best_cli = c if best_cli is None else min(best_cli, c)
        print("| %s | %.2f | %.2f | %.0f %% |" % (name, mb / best_py, mb / best_cli,
                                                  100 * best_cli / best_py))


def main():
    if not os.path.exists(CORPUS):
        print("python_bench: %s not found, skipping" % CORPUS, file=sys.stderr)
        return 0
    print("load average: %s, tamis %s" % (" ".join(open("/proc/loadavg").read().split()[:3]),
                                         tamis.__version__))
    overhead()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "corpus.jsonl")
        with open(CORPUS, "rb") as src:
            data = src.read()
        with open(path, "wb") as out:
            for _ in range(REPEAT):
                out.write(data)
        throughput(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
