"""harm_common.py — what bench/harm_gen.py and bench/harm_eval.py must agree on.

  units(text)       the paragraphs a generator plants into: blocks separated by a
                    blank line when the text has any, else lines
  wordset(text)     the words of a paragraph as tamis clean compares them
                    (lowercased runs of letters, marks and digits; character
                    bigrams in text without word spaces), for the recorded
                    word-set Jaccard of a planted reworded repeat
  shingles(text)    word 5-grams (lower-cased \\w+ tokens and punctuation, as in
                    bench/dedup_eval.py) or character 5-grams for text without
                    word spaces (Chinese, Japanese, Thai, Tibetan...), as a set
                    of ints: the "true" similarity the dedup labels and the
                    evaluator's low-similarity count use
  line_key(line)    a line reduced so that a line and its repaired form compare
                    equal: spaces collapsed and runs of one repeated word cut
                    to one word (how the evaluator finds the lines a drop lost)
"""
import re

WORD = re.compile(r"[^\W_]+")
TOK = re.compile(r"\w+|[^\w\s]")
DOUBLE = re.compile(r"(?<!\w)(\w+)(?:[ \t]+\1)+(?!\w)", re.I)


def nospace(text):
    """True for text written without word spaces (few spaces among many letters)."""
    t = " ".join(text[:4000].split())  # indentation and line ends are not word spaces
    letters = sum(1 for c in t if c.isalpha())
    spaces = t.count(" ")
    return letters > 20 and spaces < letters / 30


def wordset(text):
    if nospace(text):
        t = "".join(c for c in text.lower() if c.isalnum())
        return {t[i:i + 2] for i in range(max(0, len(t) - 1))}
    return set(WORD.findall(text.lower()))


def jaccard(a, b):
    return len(a & b) / len(a | b) if a or b else 0.0


def tokens(text):
    t = re.sub(r"\s+", " ", text.lower()).strip()
    return list(t) if nospace(text) else TOK.findall(t)


def shingles(text, n=5, vocab=None):
    """Set of ints; equal n-grams give equal ints within one process (vocab maps tokens)."""
    vocab = {} if vocab is None else vocab
    ids = [vocab.setdefault(t, len(vocab)) for t in tokens(text)]
    if len(ids) < n:
        return {hash(tuple(ids))}
    return {hash(g) for g in zip(*(ids[i:] for i in range(n)))}


def units(text):
    """(separator, list of paragraphs) of a text."""
    if "\n\n" in text:
        return "\n\n", text.split("\n\n")
    return "\n", text.split("\n")


def line_key(line):
    return DOUBLE.sub(r"\1", " ".join(line.split()))
