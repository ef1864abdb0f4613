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

Attribution: when an original is itself removed as a near-copy of an earlier
document K of another group (a source near-copy), its copies are removed as
duplicates of K too. The strict columns count those copies as misses and
false positives; the "via original" columns count a copy as found when its
original was removed with the same duplicate_of (the copy is in its
original's cluster), so each such decision is judged once, on the original.
FP bins are also given by the Jaccard of word 3-grams (character 3-grams
for Chinese, Japanese, Thai), the shingles tamis uses by default.
"""
import argparse
import collections
import json
import re

NOSPACE = {"Chinese", "Japanese", "Thai"}


def shingles(text, script, n=5):
    t = re.sub(r"\s+", " ", text.lower()).strip()
    if script in NOSPACE:
        return {t[i:i + n] for i in range(max(1, len(t) - n + 1))}
    toks = re.findall(r"\w+|[^\w\s]", t)
    if len(toks) < n:
        return {" ".join(toks)}
    return {" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1)}


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

    def via_orig(did, kept):
        g = labels[did]["group"]
        return g != did and removed.get(g) == kept

    tp = tpv = 0
    fp_bins = collections.Counter()
    fpv_bins = collections.Counter()
    fpv3_bins = collections.Counter()
    fp_script = collections.Counter()
    fpv_script = collections.Counter()
    bins = lambda j: "<0.5" if j < 0.5 else "0.5-0.8" if j < 0.8 else ">=0.8"
    for did, kept in removed.items():
        if kept and labels[did]["group"] == labels[kept]["group"]:
            tp += 1
            tpv += 1
            continue
        sc = labels[did]["script"]
        j = jaccard(shingles(texts[did], sc), shingles(texts.get(kept, ""), sc))
        fp_bins[bins(j)] += 1
        fp_script[sc] += 1
        if kept and via_orig(did, kept):
            tpv += 1
            continue
        fpv_bins[bins(j)] += 1
        fpv_script[sc] += 1
        fpv3_bins[bins(jaccard(shingles(texts[did], sc, 3), shingles(texts.get(kept, ""), sc, 3)))] += 1

    def pr(sel, via=False):
        copies = [d for d, r in labels.items() if r["kind"] != "orig" and sel(r)]
        found = sum(1 for d in copies if d in removed and removed[d] and
                    (labels[removed[d]]["group"] == labels[d]["group"] or
                     (via and via_orig(d, removed[d]))))
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
    fpv = sum(fpv_bins.values())
    real_fpv = fpv_bins["<0.5"] + fpv_bins["0.5-0.8"]
    foundv, _ = pr(lambda r: True, True)
    Pv = tpv / (tpv + fpv) if tpv + fpv else 1.0
    Pnv = tpv / (tpv + real_fpv) if tpv + real_fpv else 1.0
    Rv = foundv / total if total else 1.0
    Fv = 2 * Pv * Rv / (Pv + Rv) if Pv + Rv else 0.0
    print("| all, via original | %.4f | %.4f | %.4f | %.4f | %d |" % (Pv, Pnv, Rv, Fv, total))
    print()
    print("via original: %d false (word 5-gram Jaccard <0.5: %d, 0.5-0.8: %d, >=0.8: %d; "
          "word/char 3-gram Jaccard <0.5: %d, 0.5-0.8: %d, >=0.8: %d)" %
          (fpv, fpv_bins["<0.5"], fpv_bins["0.5-0.8"], fpv_bins[">=0.8"],
           fpv3_bins["<0.5"], fpv3_bins["0.5-0.8"], fpv3_bins[">=0.8"]))
    print()
    print("| kind | recall | recall via original | copies |")
    print("|:--|--:|--:|--:|")
    for k in ["exact", "edit1", "edit2", "edit4", "edit8", "boiler", "swap", "trunc"]:
        f_, t_ = pr(lambda r, k=k: r["kind"] == k)
        fv_, _ = pr(lambda r, k=k: r["kind"] == k, True)
        if t_:
            print("| %s | %.4f | %.4f | %d |" % (k, f_ / t_, fv_ / t_, t_))
    print()
    print("| script | recall | recall via original | copies | false positives | via original |")
    print("|:--|--:|--:|--:|--:|--:|")
    for s in ["Latin", "Cyrillic", "Arabic", "Chinese", "Japanese", "Thai"]:
        f_, t_ = pr(lambda r, s=s: r["script"] == s)
        fv_, _ = pr(lambda r, s=s: r["script"] == s, True)
        if t_:
            print("| %s | %.4f | %.4f | %d | %d | %d |" %
                  (s, f_ / t_, fv_ / t_, t_, fp_script[s], fpv_script[s]))
    print()


if __name__ == "__main__":
    main()
