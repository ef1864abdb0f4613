#!/usr/bin/env python3
"""harm_removed_j5.py — word 5-gram Jaccard of each document `tamis dedup` removed against the one kept for it.

For a corpus without labels (news-fr, read in place): every removal is listed
with its rule and the evaluator's word 5-gram Jaccard (harm_common: the same
tokens and shingles as bench/harm_eval.py's J5), binned, so that two settings
can be compared on what they remove and how similar it is to what stays.

usage: python3 bench/harm_removed_j5.py INPUT.jsonl REMOVED.jsonl [--list N]
"""
import argparse
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harm_common import jaccard, shingles  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input")
    ap.add_argument("removed")
    ap.add_argument("--list", type=int, default=0, help="list the N least similar removals")
    a = ap.parse_args()
    rm = {}
    with open(a.removed, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            rm[r["id"]] = r.get("tamis", {})
    need = set(rm) | {t.get("duplicate_of") for t in rm.values()}
    texts = {}
    with open(a.input, encoding="utf-8") as f:
        for i, line in enumerate(f):
            r = json.loads(line)
            rid = r.get("id") or "%s:%d" % (a.input, i + 1)
            if rid in need:
                texts[rid] = r.get("text", "")
    bins = collections.Counter()
    rules = collections.Counter()
    rows = []
    vocab = {}
    for rid, t in rm.items():
        k = t.get("duplicate_of")
        j5 = jaccard(shingles(texts.get(rid, ""), 5, vocab), shingles(texts.get(k, ""), 5, vocab))
        b = "<0.5" if j5 < 0.5 else "0.5-0.8" if j5 < 0.8 else ">=0.8"
        bins[b] += 1
        rules[t.get("rule", t.get("dup_kind"))] += 1
        rows.append((j5, rid, k, t.get("rule"), len(texts.get(rid, "")), len(texts.get(k, ""))))
    print("removed %d; J5 to the kept document: %s; rules: %s" % (
        len(rm), ", ".join("%s %d" % (b, bins[b]) for b in ("<0.5", "0.5-0.8", ">=0.8")),
        ", ".join("%s %d" % kv for kv in sorted(rules.items()))))
    for j5, rid, k, rule, n, nk in sorted(rows)[:a.list]:
        print("  J5 %.2f %s (%d chars) for %s (%d chars), rule %s" % (j5, rid, n, k, nk, rule))


if __name__ == "__main__":
    main()
