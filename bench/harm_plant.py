"""harm_plant.py — planted clean defects of bench/harm_gen.py, each labelled exactly.

A document of a prose kind (man, readme, pkgdesc, udhr, news) is chosen with
probability `share`; its paragraphs (harm_common.units: blank-line blocks,
else lines) that are prose — at least 12 words (30 characters in text without
word spaces), mostly letters, a sentence end, not an option, list item or
code line — can receive 1 to 3 defects:

  repeat       a copy of a prose paragraph inserted later
  reword       a later copy reworded as machine rewording does: the clause
               after a comma moved to the front, one or two words dropped,
               two neighbouring words swapped (no synonyms), then re-wrapped
               to the paragraph's width and indentation
  reword_real  UDHR only: the same paragraph of another translation into the
               same language (same ISO 639-3 code: dialect, orthography or
               spelling reform), inserted after it — a real rewording
  doubled      a word of a prose sentence written twice ("the the")

Defects the source already had in its prose paragraphs (a near-exact
repeat, a doubled word) are labelled source_defects, so that repairing them is
counted apart. Tables and code are never planted (they are pure negatives), and a doubled
word never goes into a paragraph that a repeat copies or into a copy.
Positions are recorded as the 0-based paragraph index in the final text and
byte offsets (UTF-8) into it, with the words around a doubled word, so an
evaluator can match an edit to the defect even after earlier paragraphs were
dropped.
"""
import re

from harm_common import jaccard, nospace, units, wordset
from harm_sources import tidy

PROSE_KINDS = {"man", "readme", "pkgdesc", "udhr", "news"}
NOT_PROSE_START = re.compile(r"^\s*([-•*+#|>/@\\$%{}<\[(]|\d+[.)]\s|[A-Z_]{2,}\s*[:=])")


def prose(u):
    t = u.strip()
    if not t or NOT_PROSE_START.match(t):
        return False
    if nospace(t):
        return sum(1 for c in t if c.isalpha()) >= 30
    words = [w for w in t.split() if any(c.isalpha() for c in w)]
    nonspace = [c for c in t if not c.isspace()]
    letters = sum(1 for c in nonspace if c.isalpha())
    code = sum(1 for c in nonspace if c in "{}();=<>_/\\[]|*$#@")
    return (len(words) >= 12 and letters >= 0.8 * len(nonspace) and code < 0.02 * len(nonspace)
            and re.search(r"[.!?։।။።]", t) is not None)


def wrap_like(orig, words):
    """The words laid out as orig is: one line, or greedy wrap at its width and indentation."""
    lines = orig.split("\n")
    if len(lines) == 1:
        ind = re.match(r"\s*", lines[0]).group(0)
        return ind + " ".join(words)
    ind1 = re.match(r"\s*", lines[0]).group(0)
    ind2 = re.match(r"\s*", lines[1]).group(0)
    width = max(40, max(len(ln) for ln in lines))
    out, cur = [], ind1
    for w in words:
        if cur.strip() and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = ind2 + w
        else:
            cur = cur + (" " if cur.strip() else "") + w
    out.append(cur)
    return "\n".join(out)


def reword_nospace(u, rnd):
    """Characters dropped or swapped, re-cut to the original's line length."""
    lines = u.split("\n")
    chars = list("".join(ln.strip() for ln in lines))
    done = []
    for op in rnd.sample(["drop", "drop", "swap"], rnd.randint(1, 3)):
        if len(chars) < 6:
            break
        k = rnd.randrange(1, len(chars) - 2)
        if not chars[k].isalpha() or not chars[k + 1].isalpha():
            continue
        if op == "drop":
            del chars[k]
        else:
            chars[k], chars[k + 1] = chars[k + 1], chars[k]
        done.append(op)
    if not done and chars:
        del chars[len(chars) // 2]
        done.append("drop")
    ind1 = re.match(r"\s*", lines[0]).group(0)
    if len(lines) == 1:
        return ind1 + "".join(chars), done
    ind2 = re.match(r"\s*", lines[1]).group(0)
    width = max(len(ln.strip()) for ln in lines)
    rows = ["".join(chars[i:i + width]) for i in range(0, len(chars), width)]
    return "\n".join([ind1 + rows[0]] + [ind2 + r for r in rows[1:]]), done


def reword(u, rnd):
    if nospace(u):
        return reword_nospace(u, rnd)
    words = " ".join(ln.strip() for ln in u.split("\n")).split()
    ops = rnd.sample(["move", "drop", "drop", "swap"], rnd.randint(1, 3))
    done = []
    for op in ops:
        if op == "move":
            end = next((k for k, w in enumerate(words) if w.endswith(".")), len(words) - 1)
            commas = [k for k in range(2, end - 3) if words[k].endswith(",")]
            if not commas:
                continue
            c = rnd.choice(commas)
            a, b = words[:c + 1], words[c + 1:end + 1]
            a[-1] = a[-1][:-1] + (b[-1][-1] if b[-1][-1] in ".!?" else ".")
            b[-1] = b[-1].rstrip(".!?") + ","
            b[0] = b[0][:1].upper() + b[0][1:]
            if not (a[0].isupper() and len(a[0]) > 1):
                a[0] = a[0][:1].lower() + a[0][1:]
            words = b + a + words[end + 1:]
        elif op == "drop" and len(words) > 12:
            k = rnd.randrange(1, len(words) - 1)
            if not re.search(r"[.!?:,;]$", words[k]):
                del words[k]
            else:
                continue
        elif op == "swap" and len(words) > 6:
            k = rnd.randrange(1, len(words) - 2)
            if re.search(r"[.!?:,;]$", words[k]):
                continue
            words[k], words[k + 1] = words[k + 1], words[k]
        else:
            continue
        done.append(op)
    if not done and len(words) > 2:
        del words[rnd.randrange(1, len(words) - 1)]
        done.append("drop")
    return wrap_like(u, words), done


def udhr_siblings(trans):
    """{doc id: [(code, articles)]} of other translations with the same ISO 639-3 code."""
    by_iso = {}
    for code, iso, lang, title, arts in trans:
        if iso and iso != "und":
            by_iso.setdefault(iso, []).append((code, title, arts))
    out = {}
    for group in by_iso.values():
        for code, title, arts in group:
            sib = [(c, t, a) for c, t, a in group if c != code]
            if sib:
                out["udhr-" + code] = (title, arts, sib)
    return out


def doubled_in(u, rnd):
    """(new paragraph, char offset of the first occurrence, word) or None."""
    lines = u.split("\n")
    cand = []
    pos = 0
    for ln in lines:
        for m in re.finditer(r"(?<= )([^\W\d_]{2,})(?= [^\W\d_])", ln):
            w = m.group(1)
            if w.islower() and len(w) <= 12:
                cand.append((pos + m.start(), w))
        pos += len(ln) + 1
    cand = [(o, w) for o, w in cand if not re.match(r"\b%s\b" % re.escape(w), u[o + len(w) + 1:o + 2 * len(w) + 2])
            and not u[:o].rstrip().endswith(w)]
    if not cand:
        return None
    o, w = rnd.choice(cand)
    return u[:o + len(w)] + " " + w + u[o + len(w):], o, w


def where(cur, obj):
    """Index of this very paragraph (list.index compares by value: two copies
    of one paragraph are equal)."""
    return next(k for k, c in enumerate(cur) if c is obj)


DOUBLED = re.compile(r"(?<![^\W\d_])([^\W\d_]{2,})[ \t]+\1(?![^\W\d_])")


def source_defects(cur, sep, text, start):
    """Defects the source already had, in its prose paragraphs: a paragraph whose
    word set has Jaccard >= 0.9 with an earlier prose paragraph (at most 200
    back), and a word written twice. They are labelled so that repairing them
    is counted apart, neither wrong nor planted."""
    out = []
    orig = [c for c in cur if c["prose"] and c["tag"] != "copy"]
    sets = [wordset(c["text"]) for c in orig]
    for j in range(1, len(orig)):
        for i in range(max(0, j - 200), j):
            if len(sets[j]) >= 4 and jaccard(sets[i], sets[j]) >= 0.9:
                out.append({"type": "repeat", "para": where(cur, orig[j]), "of_para": where(cur, orig[i]),
                            "offset": len(text[:start[id(orig[j])]].encode()), "text": orig[j]["text"],
                            "jaccard": round(jaccard(sets[i], sets[j]), 3)})
                break
    for c in orig:
        if c["tag"] == "doubled" or nospace(c["text"]):
            continue
        for m in DOUBLED.finditer(c["text"]):
            w = m.group(1)
            o = start[id(c)] + m.start()
            ls = text.rfind("\n", 0, o) + 1
            le = text.find("\n", o)
            le = len(text) if le < 0 else le
            out.append({"type": "doubled", "para": where(cur, c), "offset": len(text[:o].encode()), "word": w,
                        "before": text[max(ls, o - 24):o], "after": text[o + m.end() - m.start():
                                                                        min(le, o + m.end() - m.start() + 24)]})
    return out


def plant_doc(d, sib, rnd, plant=True):
    sep, us = units(d["text"])
    cur = [{"text": u, "prose": prose(u), "tag": None} for u in us]
    idx = [k for k, c in enumerate(cur) if c["prose"]]
    if not idx:
        return d["text"], [], []
    if not plant:
        start, pos = {}, 0
        for c in cur:
            start[id(c)] = pos
            pos += len(c["text"]) + len(sep)
        return d["text"], [], source_defects(cur, sep, d["text"], start)
    types = ["repeat", "reword", "doubled"] + (["reword_real", "reword_real"] if sib else [])
    if nospace(d["text"]):
        types.remove("doubled")
    plan = [rnd.choice(types) for _ in range(rnd.choice([1, 1, 1, 2, 2, 3]))]
    planted = []
    for t in plan:
        if t in ("repeat", "reword"):
            orig = cur[rnd.choice(idx)]
            if orig["tag"] == "copy":
                continue
            pos = cur.index(orig)  # by value (the first equal paragraph): kept so corpus texts stay as in v2
            at = min(len(cur), pos + 1 + int(rnd.expovariate(1 / 4.0)))
            if t == "repeat":
                text, ops = orig["text"], []
            else:
                text, ops = reword(orig["text"], rnd)
            obj = {"text": text, "prose": True, "tag": "copy"}
            orig["tag"] = orig["tag"] or "orig"
            cur.insert(at, obj)
            planted.append({"type": t, "obj": obj, "of": orig, "ops": ops})
        elif t == "reword_real":
            title, arts, sibs = sib
            code, stitle, sarts = rnd.choice(sibs)
            pairs = [(k, m) for k in range(min(len(arts), len(sarts))) for m in range(min(len(arts[k]), len(sarts[k])))]
            rnd.shuffle(pairs)
            for k, m in pairs[:40]:
                flat = (1 if title else 0) + sum(len(a) for a in arts[:k]) + m
                if flat >= len(us):
                    continue
                mine = next((c for c in cur if c["text"] == us[flat]), None)
                other = tidy(" ".join(sarts[k][m].split()))
                if mine is None or mine["tag"] == "copy" or not prose(other) or other == mine["text"]:
                    continue
                obj = {"text": other, "prose": True, "tag": "copy"}
                mine["tag"] = mine["tag"] or "orig"
                cur.insert(cur.index(mine) + 1 + int(rnd.expovariate(1 / 1.5)), obj)
                planted.append({"type": t, "obj": obj, "of": mine, "ops": ["udhr-" + code]})
                break
        else:
            free = [c for c in cur if c["prose"] and c["tag"] is None]
            if not free:
                continue
            c = rnd.choice(free)
            r = doubled_in(c["text"], rnd)
            if not r:
                continue
            c["text"], o, w = r
            c["tag"] = "doubled"
            planted.append({"type": t, "obj": c, "off": o, "word": w})
    text = sep.join(c["text"] for c in cur)
    start, pos = {}, 0
    for c in cur:
        start[id(c)] = pos
        pos += len(c["text"]) + len(sep)
    defects = []
    for p in planted:
        obj = p["obj"]
        para = where(cur, obj)
        if p["type"] == "doubled":
            o = start[id(obj)] + p["off"]
            ls = text.rfind("\n", 0, o) + 1
            le = text.find("\n", o)
            le = len(text) if le < 0 else le
            w = p["word"]
            e2 = o + 2 * len(w) + 1
            defects.append({"type": "doubled", "para": para, "offset": len(text[:o].encode()), "word": w,
                            "before": text[max(ls, o - 24):o], "after": text[e2:min(le, e2 + 24)]})
        else:
            defects.append({"type": p["type"], "para": para, "of_para": where(cur, p["of"]),
                            "offset": len(text[:start[id(obj)]].encode()), "text": obj["text"],
                            "jaccard": round(jaccard(wordset(obj["text"]), wordset(p["of"]["text"])), 3),
                            "ops": p["ops"]})
    defects.sort(key=lambda x: x["offset"])
    return text, defects, source_defects(cur, sep, text, start)


def plant_clean(docs, trans, rnd, share):
    sibs = udhr_siblings(trans)
    out = []
    for d in docs:
        text, defects, pre = d["text"], [], []
        if d["kind"] in PROSE_KINDS:
            text, defects, pre = plant_doc(d, sibs.get(d["id"]), rnd, rnd.random() < share)
        out.append({"id": d["id"], "text": text, "kind": d["kind"], "split": d["split"],
                    "source": d["source"], "lang": d["lang"], "defects": defects, "source_defects": pre})
    return out
