#!/usr/bin/env python3
"""harm_eval.py — wrong edits, wrong removals and recall of tamis on the harm corpus.

usage: harm_eval.py CORPUS_DIR [--tamis build/tamis] [--only clean|dedup]
                    [--clean-args "..."] [--dedup-args "..."] [--split all|tune|report|both]
                    [--examples N] [--work DIR] [--clean-out F] [--dedup-removed F] [--json F]

Runs `tamis clean` on CORPUS_DIR/clean.jsonl and `tamis dedup` on
CORPUS_DIR/dedup.jsonl (default options unless arguments are passed through;
--clean-out / --dedup-removed judge existing outputs instead) and prints
Markdown tables per text kind and split, then up to N examples of every kind
of wrong decision. The corpus and its labels are described in its FORMAT.md
(bench/harm_format.md).

clean — a paragraph drop is judged by the lines it took away, not by tamis's
paragraph numbers (which change with its paragraph rules): the multiset of
non-blank input lines minus the output's (lines compared by
harm_common.line_key, so an undoubled word does not count as a change) is
what was lost. A planted repeat is found when all its lines are in it; lost
lines that belong to no planted copy are content lost: a wrong drop. Wrong
drops of a document = its drop_paragraph edits minus the planted copies found
(at least 1 when content was lost). An undouble_word edit is right when the
output around its offset reads `before word after` of a planted doubled
word; any other is a wrong word edit. fix_encoding edits are counted too
(none is planted).

dedup — a removed planted copy is a true positive (misattributed when its
duplicate_of is in another source cluster); a removed original is a
source-duplicate removal when its duplicate_of is in its own source cluster
and another original (labelled source_dup), a wrong removal otherwise —
except an original removed for one of its own copies that holds all its text
(not a truncation). Precision = true / (true + wrong). The true similarity of
every removed document to the one it was removed for is the word 5-gram
Jaccard computed here (harm_common.shingles); those under 0.5 are counted.
"""
import argparse
import collections
import difflib
import json
import os
import shlex
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harm_common import jaccard, line_key, shingles  # noqa: E402

KINDS = ["man", "readme", "pkgdesc", "code", "table", "udhr", "news"]
TECH = {"man", "readme", "code"}
COPY_KINDS = ["exact", "edit1", "edit2", "edit4", "edit8", "boiler", "swap", "trunc"]
# The copy kinds inside issue 9's recall goal ("copies with up to 4 % word
# edits, added boilerplate, swapped paragraphs and truncation to 75 %"):
# edit8 (8 % of the words edited) is outside it. Recall over these is
# reported next to the overall recall; what counts as a wrong removal is the
# same for both.
GOAL_KINDS = [k for k in COPY_KINDS if k != "edit8"]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def run(cmd):
    print("$ " + " ".join(shlex.quote(c) for c in cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)


def short(s, n=220):
    s = " ".join(s.split())
    return s if len(s) <= n else s[:n] + " …"


# ---- clean ----------------------------------------------------------------

def tamis_paragraphs(lines):
    """Line ranges [b, e) of the paragraphs tamis clean uses today (src/clean/paragraphs.c).

    Used only to name the paragraph a drop edit refers to; when tamis's rule
    changes and a range does not match the lines the output lost, the
    evaluator falls back to counting runs of lost lines."""
    nb = [ln for ln in lines if ln.strip()]
    gaps = sum(1 for i in range(1, len(lines)) if not lines[i].strip() and lines[i - 1].strip())
    adjacent = max(0, len(nb) - 1 - gaps)
    block = gaps > 0 and (3 * gaps >= adjacent or sum(len(ln.encode()) for ln in nb) < 90 * len(nb))
    if not block:
        return [(i, i + 1) for i, ln in enumerate(lines) if ln.strip()]
    out, beg = [], None
    for i, ln in enumerate(lines + [""]):
        if ln.strip() and beg is None:
            beg = i
        elif not ln.strip() and beg is not None:
            out.append((beg, i))
            beg = None
    return out


def keys_of(text):
    return collections.Counter(line_key(ln) for ln in text.split("\n") if ln.strip())


def judge_clean(inp, out, lab, ex):
    """Counters of one document; appends wrong decisions to ex."""
    c = collections.Counter()
    edits = (out.get("tamis") or {}).get("edits") or []
    drops = [e for e in edits if e.get("op") == "drop_paragraph"]
    c["drops"] = len(drops)
    c["more"] = sum(e.get("count", 0) for e in edits if e.get("op") == "more")
    c["fix_encoding"] = sum(e.get("count", 1) for e in edits if e.get("op") == "fix_encoding")
    paras = [d for d in lab["defects"] if d["type"] != "doubled"]
    pre = lab.get("source_defects") or []
    pre_paras = [d for d in pre if d["type"] != "doubled"]
    found = set()
    if drops:
        lines = inp["text"].split("\n")
        kin = [line_key(ln) for ln in lines]
        kout = [line_key(ln) for ln in out["text"].split("\n") if ln.strip()]
        lost = collections.Counter(k for k, ln in zip(kin, lines) if ln.strip())
        lost.subtract(kout)
        lost = +lost
        lost0 = collections.Counter(lost)
        for i, d in enumerate(paras):  # found: every line of the planted copy is gone
            need = keys_of(d["text"])
            if all(lost[k] >= v for k, v in need.items()):
                found.add(i)
                lost.subtract(need)
        lost = +lost
        for d in pre_paras:  # a repeat the source already had
            need = keys_of(d["text"])
            if all(lost[k] >= v for k, v in need.items()):
                c["source_repeat_dropped"] += 1
                lost.subtract(need)
        # Which input lines went, in order (difflib on line keys), and which of
        # them no planted or source copy explains.
        nz = [i for i, ln in enumerate(lines) if ln.strip()]
        sm = difflib.SequenceMatcher(None, [kin[i] for i in nz], kout, autojunk=False)
        gone = [nz[i] for tag, i1, i2, _, _ in sm.get_opcodes() if tag in ("delete", "replace")
                for i in range(i1, i2)]
        budget = collections.Counter()
        for d in paras + pre_paras:
            budget.update(keys_of(d["text"]))
        bad = set()
        for i in gone:
            if budget[kin[i]] > 0:
                budget[kin[i]] -= 1
            else:
                bad.add(i)
        c["lost_lines"] = len(bad)
        tp = tamis_paragraphs(lines)
        mapped, total = [], collections.Counter()
        for e in drops:
            p = e.get("paragraph", 0) - 1
            if not 0 <= p < len(tp):
                mapped = None
                break
            mapped.append((e, p))
            total.update(kin[i] for i in range(*tp[p]) if lines[i].strip())
        if mapped is not None and +total != lost0:
            mapped = None
        c["unmapped"] += mapped is None
        copies = [keys_of(d["text"]) for d in paras + pre_paras]
        if mapped is not None:  # tamis's paragraphs as today: judge each drop
            for e, p in mapped:
                need = collections.Counter(kin[i] for i in range(*tp[p]) if lines[i].strip())
                if not any(all(cp[k] >= v for k, v in need.items()) for cp in copies):
                    c["wrong_drops"] += 1
                    s_ = e.get("similar_to", 0) - 1
                    sim = "\n".join(lines[slice(*tp[s_])]) if 0 <= s_ < len(tp) else "?"
                    ex["wrong_drop"].append((lab, "%s (similarity %s): dropped ¶%d «%s» as a copy of ¶%d «%s»" % (
                        e.get("kind"), e.get("similarity"), p + 1, short("\n".join(lines[slice(*tp[p])])),
                        s_ + 1, short(sim))))
        else:  # other paragraph rules: runs of unexplained lost lines
            runs = 0
            prev = None
            for i in sorted(bad):
                if prev is None or any(lines[k].strip() for k in range(prev + 1, i)):
                    runs += 1
                    ex["wrong_drop"].append((lab, "lost lines from line %d: «%s» (edits: %s)" % (
                        i + 1, short(" / ".join(lines[k] for k in sorted(bad) if k >= i)[:400]),
                        ", ".join("%s ¶%s~¶%s %s" % (e.get("kind"), e.get("paragraph"), e.get("similar_to"),
                                                     e.get("similarity")) for e in drops[:4]))))
                prev = i
            c["wrong_drops"] += runs
    for i, d in enumerate(paras):
        t = "reword_hi" if d["type"] == "reword" and d["jaccard"] >= 0.9 else None
        for key in [d["type"]] + ([t] if t else []):
            c["planted_" + key] += 1
            c["found_" + key] += i in found
    ob = out["text"].encode()
    dbl = [d for d in lab["defects"] if d["type"] == "doubled"]
    hit = set()
    pre_dbl = [d for d in pre if d["type"] == "doubled"]

    def matches(off, word, dbl=dbl, kept=False):
        """Index of the doubled word the edit at off is about: the output reads
        `before word after` (repaired) or `before word word after` (kept)."""
        for i, d in enumerate(dbl):
            b, w, a = d["before"].encode(), d["word"].encode(), d["after"].encode()
            rest = w + b" " + w + a if kept else w + a
            if word == d["word"] and ob[off - len(b):off] == b and ob[off:off + len(rest)] == rest:
                return i
        return None

    for e in edits:
        if e.get("op") not in ("undouble_word", "doubled_word"):
            continue
        off, w = e.get("offset", -1), e.get("word", "")
        if e["op"] == "doubled_word":
            c["reported"] += matches(off, w, kept=True) is not None
            continue
        i = matches(off, w)
        c["undouble"] += 1
        if i is None and matches(off, w, pre_dbl) is not None:
            c["source_doubled_fixed"] += 1
        elif i is None:
            c["wrong_words"] += 1
            ex["wrong_word"].append((lab, "undouble «%s» at %d: …%s…" % (
                w, off, short(ob[max(0, off - 60):off + 60].decode("utf-8", "replace"), 160))))
        else:
            hit.add(i)
    c["planted_doubled"] = len(dbl)
    c["found_doubled"] = len(hit)
    c["docs"] = 1
    c["negative"] = not lab["defects"]
    c["docs_wrong"] = bool(c["wrong_drops"] or c["wrong_words"])
    return c


def rate(f, n):
    return "%.3f (%d/%d)" % (f / n, f, n) if n else "–"


def clean_tables(stats, splits):
    rows = []
    for sp in splits:
        rows.append("")
        rows.append("**clean, split %s**" % sp)
        rows.append("")
        rows.append("| kind | docs | negatives | wrong drops | per 1,000 docs | docs with a wrong edit | wrong word edits "
                    "| per 1,000 docs | fix_encoding | recall repeat | recall reword | reword J≥0.9 "
                    "| reword_real | recall doubled | doubled only reported | source defects repaired |")
        rows.append("|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        groups = [(k, [k]) for k in KINDS] + [("technical (man, readme, code)", sorted(TECH)), ("all", KINDS)]
        for name, ks in groups:
            c = collections.Counter()
            for k in ks:
                c.update(stats[(k, sp)])
            if not c["docs"]:
                continue
            n = c["docs"]
            rows.append("| %s | %d | %d | %d | %.1f | %d | %d | %.1f | %d | %s | %s | %s | %s | %s | %d | %d |" % (
                name, n, c["negative"], c["wrong_drops"], 1000.0 * c["wrong_drops"] / n, c["docs_wrong"],
                c["wrong_words"], 1000.0 * c["wrong_words"] / n, c["fix_encoding"],
                rate(c["found_repeat"], c["planted_repeat"]), rate(c["found_reword"], c["planted_reword"]),
                rate(c["found_reword_hi"], c["planted_reword_hi"]),
                rate(c["found_reword_real"], c["planted_reword_real"]),
                rate(c["found_doubled"], c["planted_doubled"]), c["reported"],
                c["source_repeat_dropped"] + c["source_doubled_fixed"]))
        rows.append("")
        rows.append("(%d documents with drops judged by runs of lost lines: their drop edits did not name "
                    "today's paragraphs)" % sum(stats[(k, sp)]["unmapped"] for k in KINDS))
    return rows


def eval_clean(a, work):
    src = os.path.join(a.corpus, "clean.jsonl")
    out = a.clean_out
    if not out:
        out = os.path.join(work, "clean.out.jsonl")
        run([a.tamis, "clean", "-q", "-j", str(a.jobs), src, "-o", out] + shlex.split(a.clean_args))
    labels = read_jsonl(os.path.join(a.corpus, "clean.labels.jsonl"))
    stats = collections.defaultdict(collections.Counter)
    ex = collections.defaultdict(list)
    outs = read_jsonl(out)
    for inp, lab in zip(read_jsonl(src), labels):
        o = next(outs)
        if lab["id"] != inp["id"]:
            sys.exit("harm_eval: clean.labels.jsonl does not match clean.jsonl at %s / %s "
                     "(corpus regenerated meanwhile?)" % (inp["id"], lab["id"]))
        if o["id"] != inp["id"]:
            sys.exit("harm_eval: clean output out of order at %s / %s" % (inp["id"], o["id"]))
        c = judge_clean(inp, o, lab, ex)
        for sp in ("all", lab["split"]):
            stats[(lab["kind"], sp)].update(c)
    return stats, ex


# ---- dedup ----------------------------------------------------------------

def eval_dedup(a, work):
    src = os.path.join(a.corpus, "dedup.jsonl")
    rm = a.dedup_removed
    if not rm:
        rm = os.path.join(work, "dedup.rm.jsonl")
        run([a.tamis, "dedup", "-q", "-j", str(a.jobs), src, "-o", os.path.join(work, "dedup.kept.jsonl"),
             "--removed", rm] + shlex.split(a.dedup_args))
    labels = {r["id"]: r for r in read_jsonl(os.path.join(a.corpus, "dedup.labels.jsonl"))}
    removed = {r["id"]: r.get("tamis") or {} for r in read_jsonl(rm)}
    unknown = [d for d in removed if d not in labels]
    if unknown:
        sys.exit("harm_eval: %d removed ids are not in dedup.labels.jsonl, e.g. %s (corpus regenerated "
                 "meanwhile?)" % (len(unknown), unknown[0]))
    need = set(removed) | {t.get("duplicate_of") for t in removed.values()}
    texts = {r["id"]: r["text"] for r in read_jsonl(src) if r["id"] in need}
    stats = collections.defaultdict(collections.Counter)
    ex = collections.defaultdict(list)
    for did, lab in labels.items():
        for sp in ("all", lab["split"]):
            c = stats[(lab["kind"], sp)]
            c["docs"] += 1
            if lab["copy"] != "orig":
                c["copies"] += 1
                c["copies_" + lab["copy"]] += 1
    vocab = {}
    for did, t in removed.items():
        lab = labels[did]
        k = t.get("duplicate_of")
        kl = labels.get(k)
        j5 = jaccard(shingles(texts.get(did, ""), 5, vocab), shingles(texts.get(k, ""), 5, vocab)) if kl else 0.0
        c = collections.Counter(removed=1)
        what = None
        if lab["copy"] != "orig":
            c["true"] = 1
            c["found_" + lab["copy"]] = 1
            if not kl or kl["cluster"] != lab["cluster"]:
                c["misattributed"] = 1
                what = "misattributed"
        elif kl and kl["group"] == did:
            if kl["copy"] == "trunc":
                c["wrong"] = 1
                what = "wrong"
            else:
                c["orig_for_copy"] = 1
        elif kl and kl["cluster"] == lab["cluster"]:
            c["source_dup"] = 1
        else:
            c["wrong"] = 1
            what = "wrong"
        if j5 < 0.5:
            c["low_j"] = 1
            c["low_j_larger"] = len(texts.get(did, "")) > len(texts.get(k, ""))
            ex["low_j"].append((lab, "%s (rule %s, tamis similarity %s, J5 %.2f, %d vs %d chars) for %s [%s]" % (
                did, t.get("dup_kind"), t.get("similarity"), j5, len(texts.get(did, "")), len(texts.get(k, "")),
                k, kl and kl["source"])))
        if what:
            ex[what].append((lab, "removed as %s of %s [%s %s] (tamis similarity %s, J5 %.2f, %d vs %d chars): "
                             "«%s» / kept «%s»" % (
                                 t.get("dup_kind"), k, kl and kl["kind"], kl and kl["source"], t.get("similarity"),
                                 j5, len(texts.get(did, "")), len(texts.get(k, "")),
                                 short(texts.get(did, ""), 160), short(texts.get(k, ""), 160))))
        for sp in ("all", lab["split"]):
            stats[(lab["kind"], sp)].update(c)
    return stats, ex


def dedup_tables(stats, splits):
    rows = []
    for sp in splits:
        rows.append("")
        rows.append("**dedup, split %s**" % sp)
        rows.append("")
        rows.append("| kind | docs | planted copies | removed | wrong removals | source dups removed | precision "
                    "| recall (all copies) | recall in goal (no edit8) | misattributed | removed with J5 < 0.5 "
                    "| of which the larger |")
        rows.append("|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        tot = collections.Counter()
        for k in KINDS + ["all"]:
            c = tot if k == "all" else stats[(k, sp)]
            if k != "all":
                tot.update(c)
            if not c["docs"]:
                continue
            p = c["true"] / (c["true"] + c["wrong"]) if c["true"] + c["wrong"] else 1.0
            r = c["true"] / c["copies"] if c["copies"] else 1.0
            g_n = sum(c["copies_" + ck] for ck in GOAL_KINDS)
            g = sum(c["found_" + ck] for ck in GOAL_KINDS) / g_n if g_n else 1.0
            rows.append("| %s | %d | %d | %d | %d | %d | %.4f | %.4f | %.4f | %d | %d | %d |" % (
                k, c["docs"], c["copies"], c["removed"], c["wrong"], c["source_dup"], p, r, g,
                c["misattributed"], c["low_j"], c["low_j_larger"]))
        rows.append("")
        rows.append("| copy kind (split %s) | recall | copies |" % sp)
        rows.append("|:--|--:|--:|")
        for ck in COPY_KINDS:
            if tot["copies_" + ck]:
                rows.append("| %s | %.4f | %d |" % (ck, tot["found_" + ck] / tot["copies_" + ck], tot["copies_" + ck]))
        g_n = sum(tot["copies_" + ck] for ck in GOAL_KINDS)
        if g_n:
            g_f = sum(tot["found_" + ck] for ck in GOAL_KINDS)
            rows.append("| **in goal** (all but edit8) | %.4f | %d |" % (g_f / g_n, g_n))
        if tot["copies"]:
            rows.append("| all copies | %.4f | %d |" % (tot["true"] / tot["copies"], tot["copies"]))
    return rows


def examples(ex, n, split):
    rows = []
    for what, lst in sorted(ex.items()):
        lst = [x for x in lst if split == "all" or x[0]["split"] == split]
        if not lst:
            continue
        rows.append("")
        rows.append("#### %s, split %s: %d (up to %d shown per text kind)" % (what, split, len(lst), n))
        by = collections.defaultdict(list)
        for lab, msg in lst:
            by[lab["kind"]].append((lab, msg))
        for k in KINDS:
            for lab, msg in by[k][:n]:
                rows.append("- `%s` %s [%s] %s" % (lab["id"], k, lab["source"], msg))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", help="directory written by bench/harm_gen.py")
    ap.add_argument("--tamis", default="build/tamis")
    ap.add_argument("--only", choices=["clean", "dedup"])
    ap.add_argument("--clean-args", default="")
    ap.add_argument("--dedup-args", default="")
    ap.add_argument("--clean-out", help="judge this tamis clean output instead of running it")
    ap.add_argument("--dedup-removed", help="judge this tamis dedup --removed file instead of running it")
    ap.add_argument("--split", default="all", choices=["all", "tune", "report", "both"])
    ap.add_argument("--examples", type=int, default=5, help="wrong decisions shown per kind of decision and text kind")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", help="where tamis outputs go (default: a temporary directory)")
    ap.add_argument("--json", help="also write the raw counters, per tool, kind and split, to this file")
    a = ap.parse_args()
    splits = ["tune", "report"] if a.split == "both" else [a.split]
    tmp = None
    work = a.work
    if not work:
        tmp = tempfile.TemporaryDirectory(prefix="harm-eval.")
        work = tmp.name
    os.makedirs(work, exist_ok=True)
    rows = []
    raw = {}
    if a.only != "dedup":
        st, ex = eval_clean(a, work)
        raw["clean"] = {"%s/%s" % k: dict(v) for k, v in sorted(st.items())}
        rows += ["### tamis clean %s" % (a.clean_args or "(defaults)")] + clean_tables(st, splits)
        for sp in splits:
            rows += examples(ex, a.examples, sp)
        rows.append("")
    if a.only != "clean":
        st, ex = eval_dedup(a, work)
        raw["dedup"] = {"%s/%s" % k: dict(v) for k, v in sorted(st.items())}
        rows += ["### tamis dedup %s" % (a.dedup_args or "(defaults)")] + dedup_tables(st, splits)
        for sp in splits:
            rows += examples(ex, a.examples, sp)
        rows.append("")
    print("\n".join(rows))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(raw, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
