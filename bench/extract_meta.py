#!/usr/bin/env python3
"""extract_meta.py - metadata of `tamis extract` against Readability's.

For every page directory with expected-metadata.json: title (exact, after
collapsing whitespace and case), byline against our author (one contains the
other), siteName against site_name (exact), publishedTime against date (same
first 10 characters, the day), lang against html_lang (exact, case-folded).
Prints matches / pages that have the field.

usage: extract_meta.py PAGES_DIR TAMIS_JSONL [--misses]
Python standard library only.
"""
import json
import os
import sys


def norm(x):
    return " ".join((x or "").split()).lower()


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    pages, out = sys.argv[1], sys.argv[2]
    got = {}
    with open(out, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            got[os.path.basename(d["id"]).rsplit(".", 1)[0]] = d.get("metadata", {})
    checks = {
        "title": ("title", lambda e, g: norm(e) == norm(g)),
        "byline": ("author", lambda e, g: bool(norm(g)) and (norm(g) in norm(e) or norm(e) in norm(g))),
        "siteName": ("site_name", lambda e, g: norm(e) == norm(g)),
        "publishedTime": ("date", lambda e, g: bool(g) and norm(e)[:10] == norm(g)[:10]),
        "lang": ("html_lang", lambda e, g: norm(e) == norm(g)),
    }
    hit = {k: 0 for k in checks}
    have = {k: 0 for k in checks}
    misses = []
    for name in sorted(os.listdir(pages)):
        p = os.path.join(pages, name, "expected-metadata.json")
        if not os.path.isfile(p):
            continue
        with open(p, encoding="utf-8") as f:
            m = json.load(f)
        g = got.get(name, {})
        for k, (ours, ok) in checks.items():
            if not m.get(k):
                continue
            have[k] += 1
            if ok(m[k], g.get(ours)):
                hit[k] += 1
            else:
                misses.append((name, k, m[k], g.get(ours)))
    print("  ".join("%s %d/%d" % (k, hit[k], have[k]) for k in checks))
    if "--misses" in sys.argv:
        for x in misses:
            print("%s %s: expected %r, got %r" % x)


if __name__ == "__main__":
    main()
