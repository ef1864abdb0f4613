#!/usr/bin/env python3
"""dedup_eval.py — precision, recall and F1 of `tamis dedup` on a dedup_gen.py corpus.

usage: dedup_eval.py CORPUS.jsonl REMOVED.jsonl [--label NAME]

A removed document is a true positive when it and the document it is a
duplicate of ("tamis"."duplicate_of") come from the same original. Recall is
per injected copy (every copy should go; originals come first in the corpus,
so with --keep first the original is the one kept). False positives are
broken down by their true Jaccard similarity to the kept document (word
5-grams of lower-cased \\w+ tokens and punctuation, or character 5-grams for
Chinese, Japanese and Thai), so that removals of documents that were already
near-duplicates in the source data (news agencies reprinting one wire story)
are told apart from real mistakes.
"""
import argparse
import collections
import json
import re

NOSPACE = {"Chinese", "Japanese", "Thai"}


def shingles(text, script):
    t = re.sub(r"\s+", " ", text.lower()).strip()
    if script in NOSPACE:
        return {t[i:i + 5] for i in range(max(1, len(t) - 4))}
    toks = re.findall(r"\w+|[^\w\s]", t)
    if len(toks) < 5:
        return {" ".join(toks)}
    return {" ".join(toks[i:i + 5]) for i in range(len(toks) - 4)}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a or b else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("removed")
    ap.add_argument("--label", default="")
    a = ap.parse_args()
    base = a.corpus[:-6] if a.corpus.endswith(".jsonl") else a.corpus
    labels = {}
    with open(base + ".labels.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            labels[r["id"]] = r
    removed = {}
    with open(a.removed, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            removed[r["id"]] = r["tamis"].get("duplicate_of")
    need = set(removed) | {v for v in removed.values() if v}
    texts = {}
    with open(a.corpus, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["id"] in need:
                texts[r["id"]] = r["text"]

    tp = 0
    fp_bins = collections.Counter()
    fp_script = collections.Counter()
    for did, kept in removed.items():
        if kept and labels[did]["group"] == labels[kept]["group"]:
            tp += 1
            continue
        sc = labels[did]["script"]
        j = jaccard(shingles(texts[did], sc), shingles(texts.get(kept, ""), sc))
        fp_bins["<0.5" if j < 0.5 else "0.5-0.8" if j < 0.8 else ">=0.8"] += 1
        fp_script[sc] += 1

    def pr(sel):
        copies = [d for d, r in labels.items() if r["kind"] != "orig" and sel(r)]
        found = sum(1 for d in copies if d in removed and removed[d] and
                    labels[removed[d]]["group"] == labels[d]["group"])
        return found, len(copies)

    fp = sum(fp_bins.values())
    real_fp = fp_bins["<0.5"] + fp_bins["0.5-0.8"]
    found, total = pr(lambda r: True)
    P = tp / (tp + fp) if tp + fp else 1.0
    Pn = tp / (tp + real_fp) if tp + real_fp else 1.0
    R = found / total if total else 1.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    print("### %s" % (a.label or "run"))
    print()
    print("removed %d: %d true, %d false (true Jaccard to the kept doc: <0.5: %d, 0.5-0.8: %d, "
          ">=0.8 i.e. already near-copies in the source: %d)" %
          (len(removed), tp, fp, fp_bins["<0.5"], fp_bins["0.5-0.8"], fp_bins[">=0.8"]))
    print()
    print("| | precision | precision (excl. source near-copies) | recall | F1 | copies |")
    print("|:--|--:|--:|--:|--:|--:|")
    print("| all | %.4f | %.4f | %.4f | %.4f | %d |" % (P, Pn, R, F, total))
    print()
    print("| kind | recall | copies |")
    print("|:--|--:|--:|")
    for k in ["exact", "edit1", "edit2", "edit4", "edit8", "boiler", "swap", "trunc"]:
        f_, t_ = pr(lambda r, k=k: r["kind"] == k)
        if t_:
            print("| %s | %.4f | %d |" % (k, f_ / t_, t_))
    print()
    print("| script | recall | copies | false positives |")
    print("|:--|--:|--:|--:|")
    for s in ["Latin", "Cyrillic", "Arabic", "Chinese", "Japanese", "Thai"]:
        f_, t_ = pr(lambda r, s=s: r["script"] == s)
        if t_:
            print("| %s | %.4f | %d | %d |" % (s, f_ / t_, t_, fp_script[s]))
    print()


if __name__ == "__main__":
    main()
