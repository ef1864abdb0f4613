#!/usr/bin/env python3
"""harm_selftest.py — checks bench/harm_eval.py against a perfect cleaner and deduplicator.

usage: harm_selftest.py CORPUS_DIR

Writes, from the labels alone, what a tool that makes exactly the planted
repairs would output — clean: every planted copy paragraph dropped with a
drop_paragraph edit that names today's tamis paragraph number, every planted
doubled word undoubled with an undouble_word edit at the kept word's output
offset; dedup: every planted copy removed as a duplicate of its original —
then runs the evaluator on them (--clean-out, --dedup-removed) and checks its
counters: no wrong decision and every planted defect found. A second pass
adds one wrong drop, one wrong word edit and one wrong removal and checks
that each is counted. Exit status 0 when all checks pass.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harm_eval import tamis_paragraphs  # noqa: E402


def oracle_clean(rec, lab, spoil_drop=False, spoil_word=False):
    """The output of a cleaner that makes exactly the planted repairs (plus, when
    asked, a wrong drop in a negative or a wrong undouble in a table)."""
    text = rec["text"]
    tb = text.encode()
    lines = text.split("\n")
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln.encode()) + 1
    tp = tamis_paragraphs(lines)
    first = {starts[b]: k for k, (b, e) in enumerate(tp)}
    ops = []  # (byte offset, bytes to remove, edit)
    for d in lab["defects"]:
        if d["type"] == "doubled":
            w = d["word"].encode()
            ops.append((d["offset"] + len(w), len(w) + 1, {"op": "undouble_word", "word": d["word"]}))
        else:
            t = d["text"].encode()
            n = len(t) + (1 if tb[d["offset"] + len(t):d["offset"] + len(t) + 1] == b"\n" else 0)
            n += 1 if tb[d["offset"] + n - 1:d["offset"] + n + 1] == b"\n\n" else 0
            ops.append((d["offset"], n, {"op": "drop_paragraph", "kind": "repeated",
                                         "paragraph": first.get(d["offset"], -1) + 1, "similar_to": 1, "similarity": 1}))
    if spoil_drop and not lab["defects"] and len(tp) > 3:
        b, e = tp[-1]
        off = starts[b] - 1
        ops.append((off, len(tb) - off, {"op": "drop_paragraph", "kind": "reworded", "paragraph": len(tp),
                                         "similar_to": 1, "similarity": 0.7}))
    if spoil_word and lab["kind"] == "table" and b" root root " in tb:
        off = tb.find(b" root root ") + 5
        ops.append((off, 5, {"op": "undouble_word", "word": "root"}))
    out = tb
    for off, n, e in sorted(ops, key=lambda x: -x[0]):
        out = out[:off] + out[off + n:]
    edits = []
    shift = 0
    for off, n, e in sorted(ops, key=lambda x: x[0]):
        if e["op"] == "undouble_word":
            e["offset"] = off - len(e["word"].encode()) - shift
        shift += n
        edits.append(e)
    r = {"id": rec["id"], "text": out.decode("utf-8")}
    if edits:
        r["tamis"] = {"edits": edits}
    return r


def main():
    corpus = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    fails = 0
    with tempfile.TemporaryDirectory(prefix="harm-selftest.") as tmp:
        for spoil in (False, True):
            co, dr, js = (os.path.join(tmp, n) for n in ("clean.out.jsonl", "dedup.rm.jsonl", "c.json"))
            spoiled = {"drop": 0, "word": 0, "removal": 0}
            with open(os.path.join(corpus, "clean.jsonl"), encoding="utf-8") as f, \
                    open(os.path.join(corpus, "clean.labels.jsonl"), encoding="utf-8") as g, \
                    open(co, "w", encoding="utf-8") as o:
                for line, lline in zip(f, g):
                    rec, lab = json.loads(line), json.loads(lline)
                    r = oracle_clean(rec, lab, spoil and not spoiled["drop"], spoil and not spoiled["word"])
                    ed = (r.get("tamis") or {}).get("edits", [])
                    spoiled["drop"] += any(e["op"] == "drop_paragraph" for e in ed) and not lab["defects"]
                    spoiled["word"] += any(e["op"] == "undouble_word" for e in ed) and lab["kind"] == "table"
                    o.write(json.dumps(r, ensure_ascii=False) + "\n")
            with open(os.path.join(corpus, "dedup.labels.jsonl"), encoding="utf-8") as g, \
                    open(dr, "w", encoding="utf-8") as o:
                origs = []
                for lline in g:
                    lab = json.loads(lline)
                    if lab["copy"] != "orig":
                        o.write(json.dumps({"id": lab["id"], "text": "", "tamis": {
                            "removed_by": "dedup.near", "duplicate_of": lab["group"]}}) + "\n")
                    elif not lab["source_dup"]:
                        origs.append(lab["id"])
                if spoil and len(origs) > 1:  # an original removed for an unrelated one
                    o.write(json.dumps({"id": origs[-1], "text": "", "tamis": {
                        "removed_by": "dedup.near", "duplicate_of": origs[0]}}) + "\n")
                    spoiled["removal"] = 1
            subprocess.run([sys.executable, os.path.join(here, "harm_eval.py"), corpus, "--clean-out", co,
                            "--dedup-removed", dr, "--json", js, "--examples", "0"],
                           check=True, stdout=subprocess.DEVNULL)
            with open(js) as f:
                raw = json.load(f)
            tot = {"clean": {}, "dedup": {}}
            for tool in tot:
                for key, c in raw[tool].items():
                    if key.endswith("/all"):
                        for k, v in c.items():
                            tot[tool][k] = tot[tool].get(k, 0) + v
            c, d = tot["clean"], tot["dedup"]
            checks = [
                ("wrong drops", c.get("wrong_drops", 0), spoiled["drop"]),
                ("wrong word edits", c.get("wrong_words", 0), spoiled["word"]),
                ("wrong removals", d.get("wrong", 0), spoiled["removal"]),
                ("misattributed", d.get("misattributed", 0), 0),
                ("copies found", d.get("true", 0), d.get("copies", 0)),
            ]
            for t in ("repeat", "reword", "reword_real", "doubled"):
                checks.append(("%s found" % t, c.get("found_" + t, 0), c.get("planted_" + t, 0)))
            for name, got, want in checks:
                ok = got == want
                fails += not ok
                print("%s %-8s %-18s %d (want %d)" % ("ok  " if ok else "FAIL", "spoiled" if spoil else "oracle",
                                                      name, got, want))
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
