#!/usr/bin/env python3
"""agreement_ref.py — independent reference of the Gopher / C4 / FineWeb keep-remove
decisions, written from ../shared/docs/quality-signals.md (standard library only),
compared with `tamis filter` on the same corpus.

The reference tokenizer is Python's text.split() (the spec's stand-in for spaCy), so
disagreements measure tokenizer differences plus any logic bug; see bench/RESULTS.md.

usage: agreement_ref.py TAMIS CORPUS.jsonl [PRESET...]   (presets: gopher c4 fineweb-nolang)

With --decisions it compares `tamis filter` with the decisions datatrove 0.10 itself made
(../shared/data/reference-decisions, see its README) instead of this file's rules:

usage: agreement_ref.py --decisions TAMIS [DATA_DIR] [-v] [--tokenizer T]
       (DATA_DIR: ../shared/data; --tokenizer is passed to tamis filter: `tamis` measures
       the presets with the tamis tokenizer, as they were before they counted NLTK's words)

  preset gopher  <-> removed by GopherRepetitionFilter or GopherQualityFilter
  preset c4      <-> removed by C4QualityFilter() (default arguments)
  preset fineweb <-> not in kept_chain.ids (FineWeb's chain; run with --lang '' since the
                     reference runs have no language filter)
-v lists every disagreeing document with the reference reason and tamis's rule.
"""
import json, re, subprocess, sys, tempfile, os, collections

PUNCT = set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~') | set(
    "\u00ab\u00b4\u00bb\u2013\u2014\u2019\u201c\u201d\u201e\u2026\u2236\u2501\u25ba\u3001\u3002"
    "\u3008\u3009\u300a\u300b\u300c\u300d\u3010\u3011\uff01\uff05\uff08\uff09\uff0c\uff0e\uff11"
    "\uff1a\uff1b\uff1f\uff5e") | {chr(c) for c in list(range(0, 9)) + list(range(11, 32)) + list(range(0x7f, 0xa0))}
TERM = set("!.?\u0589\u061d\u061e\u061f\u06d4\u0700\u0701\u0702\u07f9\u0837\u0839\u083d\u083e\u0964\u0965"
           "\u104a\u104b\u1362\u1367\u1368\u166e\u1735\u1736\u17d4\u17d5\u17d6\u17d9\u17da\u1803\u1809"
           "\u1944\u1945\u203c\u203d\u2047\u2048\u2049\u2e2e\u2e3c\u3002\ua4ff\ua60e\ua60f\ua6f3\ua6f7"
           "\ufe52\ufe56\ufe57\uff01\uff0e\uff1f\uff61")  # the BMP part that occurs in web text
PUNCT_SET = PUNCT | TERM
STOP = {"the", "be", "to", "of", "and", "that", "have", "with"}


def find_dups(xs):
    seen, n, c = set(), 0, 0
    for x in xs:
        if x in seen:
            n += 1; c += len(x)
        else:
            seen.add(x)
    return n, c


def gopher_rep(text, words):
    L = len(text)
    if L == 0:
        return "tamis.empty"
    paras = re.split(r"\n{2,}", text.strip())
    d, c = find_dups(paras)
    if d / len(paras) > 0.3: return "gopher_repetition.dup_para_frac"
    if c / L > 0.2: return "gopher_repetition.dup_para_char_frac"
    lines = re.split("\n+", text)
    d, c = find_dups(lines)
    if d / len(lines) > 0.3: return "gopher_repetition.dup_line_frac"
    if c / L > 0.2: return "gopher_repetition.dup_line_char_frac"
    for n, t in ((2, 0.2), (3, 0.18), (4, 0.16)):
        grams = [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]
        if grams:
            g, cnt = collections.Counter(grams).most_common(1)[0]
            if len(g) * cnt / L > t: return "gopher_repetition.top_%dgram_char_frac" % n
    for n, t in zip(range(5, 11), (0.15, 0.14, 0.13, 0.12, 0.11, 0.10)):
        seen, i, rep = set(), 0, 0
        while i < len(words) - n + 1:
            k = "".join(words[i:i + n])
            if k in seen:
                rep += len(k); i += n
            else:
                seen.add(k); i += 1
        if rep / L > t: return "gopher_repetition.dup_%dgram_char_frac" % n
    return None


def gopher_q(text, words):
    ns = [w for w in words if any(ch not in PUNCT_SET for ch in w)]
    if len(ns) < 50: return "gopher_quality.min_non_symbol_words"
    if len(ns) > 100000: return "gopher_quality.max_non_symbol_words"
    m = sum(len(w) for w in ns) / len(ns)
    if m < 3: return "gopher_quality.min_mean_word_length"
    if m > 10: return "gopher_quality.max_mean_word_length"
    if text.count("#") / len(words) > 0.1: return "gopher_quality.hash_ratio"
    if (text.count("...") + text.count("\u2026")) / len(words) > 0.1: return "gopher_quality.ellipsis_ratio"
    lines = text.splitlines()
    if sum(l.lstrip().startswith(("\u2022", "-")) for l in lines) / len(lines) > 0.9:
        return "gopher_quality.bullet_line_frac"
    if sum(l.rstrip().endswith(("...", "\u2026")) for l in lines) / len(lines) > 0.3:
        return "gopher_quality.ellipsis_line_frac"
    if sum(any(c.isalpha() for c in w) for w in words) / len(words) < 0.8:
        return "gopher_quality.alpha_word_frac"
    if len(STOP & set(words)) < 2: return "gopher_quality.stop_words"
    return None


CIT = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")


def sentences(line):
    """The same heuristic as tamis (spaCy's sentencizer is not in the standard library)."""
    count, content, i = 0, False, 0
    while i < len(line):
        if line[i] in TERM:
            j = i
            while j < len(line) and line[j] in TERM: j += 1
            if content and (j == len(line) or line[j].isspace()):
                count += 1; content = False
            i = j
            continue
        if not line[i].isspace(): content = True
        i += 1
    return count + content


def c4(text, terminal=True):
    kept, nsent = [], 0
    for line in text.splitlines():
        line = line.strip()
        words = line.split()
        if any(len(w) > 1000 for w in words): continue
        line = CIT.sub("", line)
        if terminal and (not line.endswith((".", "?", "!", '"', "'")) or line.endswith("...")): continue
        if len(words) < 3: continue
        low = line.lower()
        if "lorem ipsum" in low: return "c4.lorem_ipsum", None
        if "javascript" in low: continue
        if "{" in line: return "c4.curly_bracket", None
        if any(p in low for p in POLICY): continue
        nsent += sentences(line)
        kept.append(line)
    if nsent < 5: return "c4.n_sentences", None
    return None, "\n".join(kept).strip()


def fineweb(text, words):
    lines = [l for l in text.split("\n") if l.strip()]
    if not lines: return "fineweb.empty"
    if sum(l[-1] in TERM for l in lines) / len(lines) < 0.12: return "fineweb.line_punct_ratio"
    if sum(len(l) <= 30 for l in lines) / len(lines) > 0.67: return "fineweb.short_line_ratio"
    if find_dups(lines)[1] / len(text.replace("\n", "")) > 0.01: return "fineweb.char_dup_ratio"
    if text.count("\n") / max(1, len(words)) > 0.3: return "fineweb.list_ratio"
    return None


def reference(preset, text):
    if not text.strip(): return "tamis.empty"
    w = text.split()
    if preset == "gopher":
        return gopher_rep(text, w) or gopher_q(text, w)
    if preset == "c4":
        return c4(text)[0]
    r = gopher_rep(text, w) or gopher_q(text, w)
    if r: return r
    r, t2 = c4(text, terminal=False)
    return r or fineweb(t2, t2.split())


def family(rule):
    return rule.split(".")[0] if rule else "kept"


def run_tamis(tamis, corpus, preset, extra=()):
    """{id: removed_by} of `tamis filter --preset preset` on corpus."""
    with tempfile.TemporaryDirectory() as d:
        args = [tamis, "filter", "-q", corpus, "-o", os.path.join(d, "k"), "--removed",
                os.path.join(d, "r"), "--preset", preset, "-j", "2"] + list(extra)
        subprocess.run(args, check=True)
        ours = {}
        for l in open(os.path.join(d, "r"), encoding="utf-8"):
            x = json.loads(l); ours[x.get("id")] = x["tamis"]["removed_by"]
        return ours


def read_ids(path):
    """{id: reason} of a reference .ids / .tsv file (reason: the rest of the line)."""
    out = {}
    for l in open(path, encoding="utf-8"):
        f = l.rstrip("\n").split("\t")
        if f[0]: out[f[0]] = "/".join(f[1:])
    return out


DT_REASON = {
    "gopher_short_doc": "gopher_quality.min_non_symbol_words",
    "gopher_long_doc": "gopher_quality.max_non_symbol_words",
    "gopher_below_avg_threshold": "gopher_quality.min_mean_word_length",
    "gopher_above_avg_threshold": "gopher_quality.max_mean_word_length",
    "gopher_too_many_hashes": "gopher_quality.hash_ratio",
    "gopher_too_many_ellipsis": "gopher_quality.ellipsis_ratio",
    "gopher_too_many_bullets": "gopher_quality.bullet_line_frac",
    "gopher_too_many_end_ellipsis": "gopher_quality.ellipsis_line_frac",
    "gopher_below_alpha_threshold": "gopher_quality.alpha_word_frac",
    "gopher_enough_stop_words": "gopher_quality.stop_words",
    "too_few_sentences": "c4.n_sentences",
}


def tamis_rule(reason):
    """tamis's rule name for a datatrove reason ("gopher_rep/top_2_gram" or "top_2_gram")."""
    r = reason.split("/")[-1]
    if r in DT_REASON: return DT_REASON[r]
    m = re.match(r"top_(\d+)_gram$", r)
    if m: return "gopher_repetition.top_%sgram_char_frac" % m.group(1)
    m = re.match(r"duplicated_(\d+)_n_grams$", r)
    if m: return "gopher_repetition.dup_%sgram_char_frac" % m.group(1)
    if r.startswith(("dup_para", "dup_line")): return "gopher_repetition." + r
    if r in ("curly_bracket", "lorem_ipsum"): return "c4." + r
    return "fineweb." + r


def reference_corpora(data, tmpdir):
    """[(name, path)]: the corpora of the reference runs, written as {"id", "text"} JSONL
    under tmpdir with the ids the reference README defines (empty texts left out)."""
    sets = []
    cc = os.path.join(data, "cc-wet", "cc_main_2019_30_wet_docs.jsonl")
    nf = os.path.join(data, "news-fr", "articles.jsonl")
    if os.path.exists(cc):
        p = os.path.join(tmpdir, "cc.jsonl")
        with open(p, "w", encoding="utf-8") as o:
            for l in open(cc, encoding="utf-8"):
                x = json.loads(l)
                if x.get("text"): o.write(json.dumps({"id": x["id"], "text": x["text"]}) + "\n")
        sets.append(("cc-wet", p))
    if os.path.exists(nf):
        # news-fr is local-only: its English articles are written to a temporary file
        # that is deleted on exit; ids as the reference README defines them
        p = os.path.join(tmpdir, "nf.jsonl")
        with open(p, "w", encoding="utf-8") as o:
            for i, l in enumerate(open(nf, encoding="utf-8"), 1):
                x = json.loads(l)
                if x.get("lang") == "en" and x.get("text"):
                    o.write(json.dumps({"id": "line%d" % i, "text": x["text"]}) + "\n")
        sets.append(("news-fr-en", p))
    return sets


def reference_removed(rd):
    """{preset: {id: "datatrove_filter/reason"}}: what datatrove removed, for the preset
    each tamis preset is compared with (see the usage above)."""
    def each(name):
        return {i: name + "/" + r for i, r in
                read_ids(os.path.join(rd, "removed_each_%s.ids" % name)).items()}
    return {
        "gopher": dict(each("gopher_qual"), **each("gopher_rep")),
        "c4": each("c4_default"),
        "fineweb": read_ids(os.path.join(rd, "chain_first_rule.tsv")),
    }


def decisions(tamis, data, verbose, tok_args):
    ref = os.path.join(data, "reference-decisions")
    if not os.path.isdir(ref):
        print("no %s: skipped" % ref); return
    tmp = tempfile.TemporaryDirectory()
    sets = reference_corpora(data, tmp.name)
    for name, corpus in sets:
        rd = os.path.join(ref, name)
        ids = [json.loads(l)["id"] for l in open(corpus, encoding="utf-8")]
        want = reference_removed(rd)
        for preset in ("gopher", "c4", "fineweb"):
            extra = ["--lang", "", "--min-lang-score", "0"] if preset == "fineweb" else []
            extra += tok_args
            ours = run_tamis(tamis, corpus, preset, extra)
            bad = [(i, want[preset].get(i), ours.get(i)) for i in ids
                   if (i in want[preset]) != (i in ours)]
            n = len(ids)
            same = sum(1 for i in ids if (i in want[preset]) == (i in ours) and
                       (i not in ours or tamis_rule(want[preset][i]) == ours[i]))
            print("%-10s %-8s docs %4d  agreement %5.1f%%  same rule %5.1f%%  (%d differ: %d "
                  "removed only by datatrove, %d only by tamis)" % (
                      name, preset, n, 100 * (n - len(bad)) / n, 100 * same / n, len(bad),
                      sum(1 for b in bad if b[1]), sum(1 for b in bad if b[2])))
            if verbose:
                for i, r, m in bad:
                    print("    %s  datatrove %-40s tamis %s" % (i, r or "kept", m or "kept"))
    tmp.cleanup()


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--decisions":
        args, tok_args = sys.argv[2:], []
        if "--tokenizer" in args:
            k = args.index("--tokenizer")
            tok_args = args[k:k + 2]
            del args[k:k + 2]
        rest = [a for a in args if a != "-v"]
        here = os.path.dirname(os.path.abspath(__file__))
        data = rest[1] if len(rest) > 1 else os.path.join(here, "..", "..", "shared", "data")
        decisions(rest[0], data, "-v" in args, tok_args)
        return
    tamis, corpus = sys.argv[1], sys.argv[2]
    presets = sys.argv[3:] or ["gopher", "c4", "fineweb-nolang"]
    docs = [json.loads(l) for l in open(corpus, encoding="utf-8")]
    for preset in presets:
        with tempfile.TemporaryDirectory() as d:
            args = [tamis, "filter", "-q", corpus, "-o", os.path.join(d, "k"), "--removed",
                    os.path.join(d, "r"), "--preset", preset.replace("-nolang", ""), "-j", "2"]
            if preset.endswith("-nolang"): args += ["--lang", "", "--min-lang-score", "0"]
            subprocess.run(args, check=True)
            ours = {}
            for l in open(os.path.join(d, "r"), encoding="utf-8"):
                x = json.loads(l); ours[x.get("id")] = x["tamis"]["removed_by"]
        agree, same_rule, classes = 0, 0, collections.Counter()
        for doc in docs:
            ref = reference(preset, doc.get("text", ""))
            mine = ours.get(doc.get("id"))
            if (ref is None) == (mine is None):
                agree += 1; same_rule += ref == mine
            else:
                classes[(family(ref), family(mine))] += 1
        n = len(docs)
        print("%-15s docs %5d  decision agreement %.1f%%  same first rule %.1f%%" %
              (preset, n, 100 * agree / n, 100 * same_rule / n))
        for (r, m), k in classes.most_common(8):
            print("    reference %-18s tamis %-18s %d" % (r, m, k))


if __name__ == "__main__":
    main()
