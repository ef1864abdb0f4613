"""tamis: clean, score, filter and deduplicate multilingual text from Python.

A binding over libtamis, the C library behind the ``tamis`` command: the
same decisions as the command line, one document or one corpus at a time.
Documents are plain dicts in the layout datatrove and Dolma use (``text``,
``id``, ``metadata``). See docs/PYTHON.md.

Threads: every call that does real work releases the GIL. The module-level
functions (clean, signals, ...) keep one handle per thread, so threads run
in parallel. A ``Filter``, ``Deduplicator`` or reader object has a lock:
threads may share one and then take turns; make one per thread to run in
parallel.
"""

import json
import os
import threading
from collections import namedtuple

from . import _tamis
from ._tamis import (  # noqa: F401  (the exception classes are the API)
    ArgumentError,
    ChangedError,
    CorruptError,
    Error,
    FieldError,
    InternalError,
    JSONError,
    LedgerError,
    NoMemoryError,
    OpenError,
    ReadWriteError,
    TooBigError,
    TruncatedError,
    UnsupportedError,
    WARCError,
)

__version__ = _tamis.version

__all__ = [
    "read", "Reader", "Reject", "write", "clean", "clean_many", "langid", "signals",
    "signals_many", "signal_names", "Filter", "Removal", "Deduplicator", "minhash",
    "minhash_similarity", "run", "Error", "ArgumentError", "OpenError",
]

_FORMATS = {"auto": 0, "jsonl": 1, "text": 2, "lines": 3, "warc": 4, "arc": 5}
_ERR_OPEN = -3

Reject = namedtuple("Reject", "source line error detail raw")
Reject.__doc__ = """A record that could not be read: its input, 1-based line (0 for
WARC), the error's stable name ("json", "truncated"...), the reason, and
the record's bytes as read."""

Removal = namedtuple("Removal", "rule value threshold")
Removal.__doc__ = """Why a filter removes a document: the first failing rule, the
document's value and the rule's threshold (as `tamis filter` writes them)."""


# ---- reading and writing ---------------------------------------------------

class Reader:
    """Iterator over the documents of one or more inputs (see read()).

    ``rejects`` lists the records that could not be read (Reject tuples), in
    input order, as they are met; ``skipped`` counts records skipped by
    design (WARC request and metadata records).
    """

    def __init__(self, source, *, format="auto", text_field=None, id_field=None,
                 max_doc_bytes=0, lines=False, name=None):
        if format not in _FORMATS:
            raise ValueError("format must be one of %s, not %r" % (", ".join(_FORMATS), format))
        opts = dict(format=_FORMATS[format], text_field=text_field, id_field=id_field,
                    max_doc_bytes=max_doc_bytes, lines=lines, name=name)
        if source is None:
            raise TypeError("read() needs a path, a list of paths, bytes or a file object")
        if isinstance(source, (str, os.PathLike)):
            self._r = _tamis.Reader(paths=[os.fspath(source)], **opts)
        elif isinstance(source, (bytes, bytearray, memoryview)):
            self._r = _tamis.Reader(data=bytes(source), **opts)
        elif hasattr(source, "read"):
            self._r = _tamis.Reader(fileobj=source, **opts)
        elif isinstance(source, (list, tuple)):
            paths = []
            for p in source:
                if not isinstance(p, (str, os.PathLike)):
                    raise TypeError("paths must be str or os.PathLike, not %s" % type(p).__name__)
                paths.append(os.fspath(p))
            self._r = _tamis.Reader(paths=paths, **opts)
        else:
            raise TypeError("read() needs a path, a list of paths, bytes or a file object, not %s"
                            % type(source).__name__)
        self.rejects = []

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            rec = self._r.next_record()
            if rec is None:
                raise StopIteration
            err, text, id_, raw, meta, source, line, index, detail, _inv = rec
            if err == 0:
                return _make_doc(text, id_, raw, meta)
            if err == _ERR_OPEN:
                exc = OpenError("cannot open file: %s" % (detail or source))
                exc.code, exc.name, exc.detail = err, "open", detail or source
                raise exc
            self.rejects.append(Reject(source, line, _tamis.error_name(err), detail, raw))

    @property
    def skipped(self):
        return self._r.skipped()

    def close(self):
        self._r.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _make_doc(text, id_, raw, meta):
    if meta is None:  # a JSON record: every member, with the reader's text and id
        doc = json.loads(raw.decode("utf-8", "replace"))
        doc["text"] = text
        doc.setdefault("id", id_)
        return doc
    return {"id": id_, "text": text, "metadata": json.loads(meta)}


def read(source, **reader_opts):
    """Documents of source, one dict each: a path, a list of paths (a
    directory is read recursively), bytes, or a binary file object.

    Formats are detected (JSONL, text, WARC/WET, ARC; gzip and zstd) unless
    format= names one ("jsonl", "text", "lines", "warc", "arc"). Options:
    text_field and id_field (dotted JSON paths), max_doc_bytes, lines (every
    line of a text file is a document), name (stands for the file name of
    bytes and file objects in ids and rejects).

    A JSON record gives all its members, "text" being the text as tamis reads
    it (invalid UTF-8 replaced) and "id" added when absent ("<file>:<line>");
    other inputs give {"id", "text", "metadata"}. Records that cannot be read
    are not raised: they go to the returned reader's ``rejects``. An input
    that cannot be opened raises OpenError.
    """
    return Reader(source, **reader_opts)


def write(docs, path):
    """Writes documents (dicts) as JSONL to path (".gz" and ".zst" compress);
    the file appears only once complete. Returns the number written."""
    def lines():
        for d in docs:
            if not isinstance(d, dict):
                raise TypeError("documents must be dicts, not %s" % type(d).__name__)
            yield json.dumps(d, ensure_ascii=False) + "\n"
    return _tamis.write_lines(os.fspath(path), lines())


# ---- per-thread handles ------------------------------------------------------

_local = threading.local()


def _scorer():
    sc = getattr(_local, "scorer", None)
    if sc is None:
        sc = _local.scorer = _tamis.Scorer()
    return sc


def _cleaner(ops, dry_run):
    cache = getattr(_local, "cleaners", None)
    if cache is None:
        cache = _local.cleaners = {}
    key = (ops, dry_run)
    c = cache.get(key)
    if c is None:
        c = cache[key] = _tamis.Cleaner(ops=ops, dry_run=dry_run)
    return c


def _ops(ops):
    if ops is None or isinstance(ops, str):
        return ops
    return ",".join(ops)


# ---- per-document functions --------------------------------------------------

def clean(text, lang=None, ops=None, dry_run=False):
    """Repairs one text as `tamis clean` does: returns (text, edits), edits a
    list of dicts ({"op", ...}; byte offsets into the cleaned text).

    ops: "all" (default) or a list / comma-separated string of encoding,
    normalize, repeated, reworded, doubled. lang (ISO 639-1) names the
    language; None detects it when needed."""
    t, e = _cleaner(_ops(ops), bool(dry_run)).clean(text, lang)
    return t, json.loads(e)


def clean_many(texts, lang=None, ops=None, dry_run=False):
    """clean() over a list of texts: a list of (text, edits)."""
    out = _cleaner(_ops(ops), bool(dry_run)).clean_many(texts, lang)
    return [(t, json.loads(e)) for t, e in out]


def langid(text):
    """The language of text: {"lang", "score", "reliable", "text_bytes",
    "top": [(code, share), ...]} (up to 3, CLD2's script variants)."""
    return _tamis.langid(text)


_masks = {}


def _mask(names):
    key = names if names is None or isinstance(names, str) else ",".join(names)
    m = _masks.get(key)
    if m is None:
        m = _masks[key] = _tamis.signal_mask(key)
    return m


def signals(text, names=None, lang=None):
    """Quality signals of text as a dict {"family.signal": value}, the values
    `tamis score` writes. names: signal or family names (a list or a
    comma-separated string; None = all). lang: the language whose stop words
    count (None: identified first, as `tamis score` does)."""
    return _scorer().signals(text, _mask(names), lang)


def signals_many(texts, names=None, lang=None):
    """signals() over a list of texts, in one call without the GIL."""
    return _scorer().signals_many(texts, _mask(names), lang)


def signal_names():
    """Every signal name, in id order."""
    return _tamis.signal_names()


def minhash(text, *, perms=128, seed=1, word_n=5, char_n=5, kind="auto"):
    """The MinHash signature of text (perms 32-bit ints), with tamis dedup's
    shingles (NFKC, case folded; word 5-grams, or character 5-grams for
    scripts without spaces when kind is "auto")."""
    return _tamis.minhash(text, perms=perms, seed=seed, word_n=word_n, char_n=char_n, kind=kind)


def minhash_similarity(a, b):
    """Share of equal positions of two signatures: the Jaccard estimate."""
    if len(a) != len(b) or not a:
        raise ValueError("signatures must have the same, non-zero length")
    return sum(x == y for x, y in zip(a, b)) / len(a)


# ---- filter and dedup --------------------------------------------------------

class Filter(_tamis.Filter):
    """The rules of `tamis filter`: Filter(preset="default", rules=None,
    tokenizer=None, langs=None, min_lang_score=None, lang_sample=0, **rules).

    preset: default, gopher, c4 or fineweb. rules: {rule name: threshold}
    overrides (0 disables a rule); keyword rules spell the dot as a double
    underscore (gopher_quality__stop_words=3). check() gives the verdict.
    One checker inside: threads sharing a Filter take turns."""

    def __init__(self, preset="default", rules=None, *, tokenizer=None, langs=None,
                 min_lang_score=None, lang_sample=0, **kw):
        r = dict(rules or {})
        for k, v in kw.items():
            r[k.replace("__", ".")] = v
        if isinstance(langs, (list, tuple)):
            langs = ",".join(langs)
        super().__init__(preset, r, tokenizer, langs,
                         -1.0 if min_lang_score is None else float(min_lang_score), lang_sample)

    def check(self, doc, invalid_utf8=0, full=False):
        """None when doc (a text or a dict with "text") is kept, else
        Removal(rule, value, threshold). full=True: a dict of the whole
        verdict (removed, rule, value, threshold, edited, text, lang...)."""
        r = super().check(doc, invalid_utf8, full)
        return Removal(*r) if r is not None and not full else r

    def keep(self, doc):
        """True when check(doc) is None: filter(f.keep, docs)."""
        return super().check(doc) is None

    __call__ = keep


class Deduplicator(_tamis.Deduplicator):
    """The decisions of `tamis dedup` for documents added one at a time.

    Deduplicator(exact=, near=, paragraphs= (neither set: exact + near),
    threshold=, perms=, seed=, keep="first"|"longest"|"best",
    verify="signature"|"exact"|"aligned", containment=, memory= (bytes for
    the index before it spills to tmp_dir), tmp_dir=, word_n=, char_n=,
    shingles="auto"|"words"|"chars", score_field=).

    add(doc) and add_many(docs), then finish(), then decision(i) or
    decisions(): {"fate", "removed", "reason", "rule", "duplicate_of" (index),
    "duplicate_of_id", "cluster", "similarity", ...}. One thread at a time
    (a lock makes sharing safe)."""

    def __init__(self, **opts):
        super().__init__(**opts)
        self._keep_best = opts.get("keep") == "best"
        self._score_field = opts.get("score_field")

    def _score(self, doc):
        t = doc.get("tamis") if isinstance(doc, dict) else None
        if not self._keep_best or not isinstance(t, dict):
            return None
        fields = [self._score_field] if self._score_field else ["quality", "lang_score"]
        for f in fields:
            v = t
            for part in f.split("."):
                v = v.get(part) if isinstance(v, dict) else None
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                return float(v)
        return None

    def add(self, doc, id=None, score=None):
        """Adds a text or a document dict ("text", "id"; for keep="best" the
        score in its "tamis" object); returns its index."""
        if isinstance(doc, dict):
            if "text" not in doc:
                raise ValueError("the document has no 'text' member")
            if id is None and doc.get("id") is not None:
                id = str(doc["id"])
            if score is None:
                score = self._score(doc)
            return super().add(doc["text"], id, score)
        return super().add(doc, id, score)

    def add_many(self, docs):
        """add() for every document of an iterable; returns how many. Given
        the Reader of read(), each record it rejects takes an index too
        (skip()), as in `tamis dedup`, so indexes are the CLI's."""
        n = 0
        if isinstance(docs, Reader):
            seen = len(docs.rejects)
            for d in docs:
                for _ in range(len(docs.rejects) - seen):
                    self.skip()
                seen = len(docs.rejects)
                self.add(d)
                n += 1
            for _ in range(len(docs.rejects) - seen):
                self.skip()
            return n
        for d in docs:
            self.add(d)
            n += 1
        return n

    def __len__(self):
        return self.count()

    def stats(self):
        """The job's counters (docs, exact_removed, near_removed, clusters,
        pairs, bands, rows...), complete after finish()."""
        return json.loads(self.stats_json())


# ---- a whole run -------------------------------------------------------------

def _flatten(cfg, prefix=""):
    for k, v in cfg.items():
        key = prefix + str(k)
        if isinstance(v, dict):
            yield from _flatten(v, key + ".")
        elif isinstance(v, bool):
            yield key, "true" if v else "false"
        elif isinstance(v, (list, tuple)):
            yield key, ",".join(str(x) for x in v)
        else:
            yield key, str(v)


def run(inputs, output_dir, config=None, *, restart=False, progress=None):
    """`tamis run`: clean, filter and deduplicate inputs into output_dir
    (kept/, removed/, rejected.jsonl, stats.json, report.html). config: a
    dict of configuration keys (nested or dotted: {"dedup": {"threshold":
    0.8}}) or the path of a YAML file (docs/CONFIG.md). progress: called with
    a dict (stage, input, docs, done, total...). Returns the run summary
    (stats.json) with the ledger under "ledger"."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    inputs = [os.fspath(p) for p in inputs]
    yaml = settings = None
    if isinstance(config, (str, os.PathLike)):
        with open(config, encoding="utf-8") as f:
            yaml = f.read()
    elif isinstance(config, dict):
        settings = list(_flatten(config))
    elif config is not None:
        raise TypeError("config must be a dict or a path, not %s" % type(config).__name__)
    ledger = json.loads(_tamis.run(inputs, os.fspath(output_dir), settings, yaml, restart,
                                   progress))
    summary = {}
    path = os.path.join(os.fspath(output_dir), "stats.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            summary = json.load(f)
    summary["ledger"] = ledger
    return summary
