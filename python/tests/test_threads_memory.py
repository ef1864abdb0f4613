"""Threads and memory: the calls release the GIL and give the same results
from several threads (each with its own handles, and sharing one Filter and
one Deduplicator, whose locks make them take turns); and 20,000 calls of
each kind leave neither Python references nor C memory behind (the resident
set grows by less than 1 MiB)."""

import gc
import os
import sys
import threading

import tamis
from conftest import golden

TEXTS = [d["text"] for d in tamis.read(golden("filter-presets", "input.jsonl"))]


def run_threads(n, fn):
    results = [None] * n
    errors = []

    def work(i):
        try:
            results[i] = fn(i)
        except BaseException as e:  # reported below, not lost in the thread
            errors.append(e)
    ts = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors, errors
    return results


def test_threads_give_identical_results():
    shared = tamis.Filter("gopher")

    def job(i):
        own = tamis.Filter()
        return ([tamis.signals(t) for t in TEXTS], tamis.signals_many(TEXTS),
                [tamis.clean(t) for t in TEXTS], [tamis.langid(t) for t in TEXTS],
                [own.check(t) for t in TEXTS], [shared.check(t) for t in TEXTS],
                [tamis.minhash(t) for t in TEXTS])
    want = job(-1)
    assert want[0] == want[1]
    for got in run_threads(4, job):
        assert got == want


def test_shared_deduplicator_from_threads():
    d = tamis.Deduplicator()
    idx = run_threads(4, lambda i: [d.add(t) for t in TEXTS])
    assert sorted(j for part in idx for j in part) == list(range(4 * len(TEXTS)))
    d.finish()
    # every text was added four times: three copies of each are exact dups
    assert d.stats()["exact_removed"] >= 3 * len(set(TEXTS))


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def test_no_leak_in_a_loop(tmp_path):
    text = TEXTS[0][:400]
    bad = b"\xff\xfe"
    f = tamis.Filter()
    data = b'{"id":"a","text":"x"}\n{bad}\n'

    def round_(n):
        for _ in range(n):
            tamis.signals(text)
            tamis.clean(text)
            tamis.langid(text)
            f.check(text)
            tamis.minhash(text, perms=16)
            list(tamis.read(data))
            for fn in (tamis.signals, f.check):
                try:
                    fn(bad)
                except ValueError:
                    pass
            try:
                tamis.Filter("nope")
            except tamis.Error:
                pass
        tamis.signals_many([text] * 50)
        d = tamis.Deduplicator()
        d.add_many([text] * 50)
        d.finish()
        d.decisions()
    refs_before = sys.getrefcount(text)
    round_(2000)  # warm-up: caches, allocator arenas
    gc.collect()
    before = rss_kib()
    round_(20000)
    gc.collect()
    grown = rss_kib() - before
    assert sys.getrefcount(text) == refs_before
    # one leaked object of 64 bytes a round would be 1,250 KiB
    assert grown < 1024, "resident set grew by %d KiB over 20,000 rounds" % grown
