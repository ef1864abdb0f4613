#!/usr/bin/env python3
"""extract_eval.py - quality of `tamis extract` on Readability's test pages.

For every page directory (source.html.gz, expected.html) the expected text is
the visible text of expected.html (html.parser); the measured text is the
"text" of tamis's output document for that page. Both are cut into \\w+
tokens; the multisets of their 4-gram shingles give tp = sum of min counts,
fp/fn = the excess counts on either side. Precision, recall and F1 are
computed per page and averaged, so every page weighs the same.

usage: extract_eval.py PAGES_DIR TAMIS_JSONL [--baseline visible]
  --baseline visible  score the page's whole visible text instead (a
                      calibration of the measure; the reference figure is 0.739)
Python standard library only.
"""
import collections
import gzip
import html.parser
import json
import os
import re
import sys

WORD = re.compile(r"\w+")
SKIP = {"script", "style", "noscript", "template", "head", "title"}
# tags that separate words; inline ones (a, span, b, i...) do not ("<b>Z</b>imbabwe")
BLOCK = {"address", "article", "aside", "blockquote", "br", "dd", "details", "dialog", "div",
         "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
         "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
         "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "img",
         "caption", "body", "html", "option", "select", "button", "input", "textarea"}


class Visible(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        if tag in BLOCK or tag in SKIP:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in SKIP and self.skip:
            self.skip -= 1
        if tag in BLOCK or tag in SKIP:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(markup):
    p = Visible()
    p.feed(markup)
    p.close()
    return "".join(p.parts)


def shingles(text, n=4):
    toks = WORD.findall(text)
    return collections.Counter(tuple(toks[i:i + n]) for i in range(max(0, len(toks) - n + 1)))


def prf(exp, got):
    e, g = shingles(exp), shingles(got)
    tp = sum(min(c, g[k]) for k, c in e.items())
    fp = sum(g.values()) - tp
    fn = sum(e.values()) - tp
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    pages, out = sys.argv[1], sys.argv[2]
    baseline = "--baseline" in sys.argv
    got = {}
    if not baseline:
        with open(out, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                got[os.path.basename(d["id"]).split(".")[0]] = d["text"]
    rows = []
    for name in sorted(os.listdir(pages)):
        d = os.path.join(pages, name)
        if not os.path.isfile(os.path.join(d, "expected.html")):
            continue
        with open(os.path.join(d, "expected.html"), encoding="utf-8") as f:
            exp = visible_text(f.read())
        if baseline:
            with gzip.open(os.path.join(d, "source.html.gz")) as f:
                txt = visible_text(f.read().decode("utf-8", "replace"))
        else:
            txt = got.get(name, "")
        rows.append((name,) + prf(exp, txt))
    n = len(rows)
    mp = sum(r[1] for r in rows) / n
    mr = sum(r[2] for r in rows) / n
    mf = sum(r[3] for r in rows) / n
    if "--pages" in sys.argv:
        for r in sorted(rows, key=lambda r: r[3]):
            print("%-50s P %.3f R %.3f F1 %.3f" % r)
    print("pages %d  precision %.3f  recall %.3f  F1 %.3f" % (n, mp, mr, mf))


if __name__ == "__main__":
    main()
