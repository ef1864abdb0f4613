"""harm_common.py — what bench/harm_gen.py and bench/harm_eval.py must agree on.

  units(text)       the paragraphs a generator plants into: blocks separated by a
                    blank line when blank lines are the separator, else lines
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


# Scripts written without spaces between words: kana, Han, Thai, Lao,
# Tibetan, Myanmar, Khmer (as tamis's `auto` shingles decide).
NOSPACE_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x0E00, 0x0EFF),
                  (0x0F00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF))


def nospace(text):
    """True when more than 30 % of the letters are of a script written without word spaces."""
    letters = [ord(c) for c in text[:4000] if c.isalpha()]
    if not letters:
        return False
    ns = sum(1 for o in letters if o >= 0x0E00 and any(a <= o <= b for a, b in NOSPACE_RANGES))
    return ns > 0.3 * len(letters)


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
    """(separator, list of paragraphs) of a text.

    Blocks separated by a blank line when blank lines are the text's paragraph
    separator — they separate at least a third of the line pairs, or the lines
    are short (mean under 90 bytes: hard-wrapped text) — else lines, so that a
    stray blank line in a one-paragraph-a-line article does not make blocks
    (the rule tamis clean uses today)."""
    lines = text.split("\n")
    nb = [ln for ln in lines if ln.strip()]
    gaps = sum(1 for i in range(1, len(lines)) if not lines[i].strip() and lines[i - 1].strip())
    adjacent = max(0, len(nb) - 1 - gaps)
    if "\n\n" in text and (3 * gaps >= adjacent or sum(len(ln.encode()) for ln in nb) < 90 * len(nb)):
        return "\n\n", text.split("\n\n")
    return "\n", lines


def line_key(line):
    return DOUBLE.sub(r"\1", " ".join(line.split()))
