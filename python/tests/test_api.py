"""Every function of the binding on small inputs with known results, and the
errors: tamis.Error subclasses with the library's code and detail, and clear
TypeError/ValueError for bad input (None, non-str, invalid UTF-8)."""

import gzip
import io
import json

import pytest

import tamis

COUNCIL = ("The council approved the new budget on Monday after a long debate about schools, "
           "roads and the library that opens next spring in the old market hall.")


def test_langid():
    r = tamis.langid("Le conseil municipal a approuvé le budget lundi après un long débat "
                     "sur les écoles et les routes.")
    assert r["lang"] == "fr" and r["reliable"] is True
    assert 0.9 <= r["score"] <= 1
    assert r["top"][0][0] == "fr" and len(r["top"]) <= 3
    assert tamis.langid("")["lang"] == "und"


def test_clean_edits_and_ops():
    text, edits = tamis.clean("the the cat sat on the mat\u00c3\u00a9", lang="en")
    assert text == "the cat sat on the mat\u00e9"
    assert [e["op"] for e in edits] == ["fix_encoding", "undouble_word"]
    # only the encoding repair: the doubled word stays
    text, edits = tamis.clean("the the cat\u00c3\u00a9", lang="en", ops=["encoding"])
    assert text == "the the cat\u00e9" and [e["op"] for e in edits] == ["fix_encoding"]
    text, edits = tamis.clean("the the cat sat on the mat", lang="en", dry_run=True)
    assert text == "the the cat sat on the mat" and edits[0]["op"] == "undouble_word"
    assert tamis.clean("nothing to do here.") == ("nothing to do here.", [])
    with pytest.raises(tamis.ArgumentError) as e:
        tamis.clean("x", ops="encoding,bogus")
    assert e.value.code == -4
    texts = ["the the cat sat on the mat", "c", "the cat\u00c3\u00a9"]
    assert tamis.clean_many(texts, lang="en") == [tamis.clean(t, "en") for t in texts]
    assert tamis.clean_many(texts, lang="en")[0][0] == "the cat sat on the mat"


def test_signals():
    s = tamis.signals(COUNCIL)
    assert set(s) == set(tamis.signal_names())
    assert s["gopher_quality.n_words"] == 29
    assert s["c4.lorem_ipsum"] == 0
    only = tamis.signals(COUNCIL, names=["gopher_quality"])
    assert set(only) == {n for n in tamis.signal_names() if n.startswith("gopher_quality.")}
    assert only == {k: s[k] for k in only}
    assert tamis.signals(COUNCIL, names="tamis.doubled_word_ratio") == {
        "tamis.doubled_word_ratio": 0.0}
    many = tamis.signals_many([COUNCIL, "Lorem ipsum dolor sit amet, consectetur adipiscing elit. More text."], names="c4")
    assert many[0] == tamis.signals(COUNCIL, names="c4")
    assert many[1]["c4.lorem_ipsum"] == 1
    with pytest.raises(tamis.ArgumentError) as e:
        tamis.signals("x", names="gopher_quality.nope")
    assert e.value.code == -4 and "gopher_quality.nope" in e.value.detail


def test_filter():
    f = tamis.Filter()
    r = f.check("Short page.")
    assert isinstance(r, tamis.Removal) and r.rule and r.value != r.threshold
    assert f.keep("Short page.") is False and f("Short page.") is False
    assert f.check({"id": "x", "text": "Short page."}) == r
    full = f.check("Short page.", full=True)
    assert full["removed"] is True and full["rule"] == r.rule
    # a rule switched off: the next rule decides
    g = tamis.Filter("default", {r.rule: 0})
    assert g.check("Short page.").rule != r.rule
    names = [n for n, _, _ in tamis.Filter("gopher").rules()]
    assert "gopher_quality.stop_words" in names
    h = tamis.Filter("gopher", gopher_quality__stop_words=5)
    assert dict((n, t) for n, _, t in h.rules())["gopher_quality.stop_words"] == 5
    with pytest.raises(tamis.ArgumentError) as e:
        tamis.Filter("nope")
    assert e.value.code == -4 and e.value.name == "arg" and "nope" in e.value.detail
    with pytest.raises(tamis.Error) as e:
        tamis.Filter(rules={"gopher_quality.x": 1})
    assert "gopher_quality.x" in e.value.detail
    with pytest.raises(ValueError):
        tamis.Filter(rules={"gopher_quality.stop_words": -1})


def test_dedup_streaming():
    d = tamis.Deduplicator()
    assert d.add({"id": "a", "text": COUNCIL}) == 0
    assert d.add({"id": "b", "text": COUNCIL.upper()}) == 1
    assert d.add(COUNCIL + " today.", id="c") == 2
    assert d.add("Rain is expected in the north of the country for the whole week.") == 3
    assert d.skip() == 4
    with pytest.raises(RuntimeError):
        d.decision(0)
    d.finish()
    with pytest.raises(RuntimeError):
        d.add("late")
    dec = d.decisions()
    assert len(dec) == len(d) == 5
    assert dec[0]["fate"] == "kept" and dec[0]["cluster"] == 0 and dec[0]["similarity"] == 1
    assert dec[1]["fate"] == "exact" and dec[1]["duplicate_of"] == 0
    assert dec[1]["duplicate_of_id"] == "a" and dec[1]["reason"] == "dedup.exact"
    assert dec[2]["fate"] == "near" and dec[2]["duplicate_of_id"] == "a"
    assert 0.8 <= dec[2]["similarity"] < 1
    assert dec[3]["fate"] == "kept" and dec[3]["cluster"] is None
    assert dec[4]["fate"] == "skipped"
    assert d.decision(2) == dec[2]
    with pytest.raises(IndexError):
        d.decision(5)
    st = d.stats()
    assert st["docs"] == 4 and st["exact_removed"] == 1 and st["near_removed"] == 1
    with pytest.raises(ValueError):
        tamis.Deduplicator(keep="biggest")


def test_dedup_counts_rejects_as_the_cli(cli, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id":"a","text":"%s"}\n{broken\n{"id":"b","text":"%s"}\n{bad\n'
                    % (COUNCIL.encode(), COUNCIL.encode()))
    cli("dedup", "-q", "--max-reject-rate", "1", str(src), "-o", "kept.jsonl", "--removed",
        "removed.jsonl")
    with open(tmp_path / "removed.jsonl") as f:
        [rem] = [json.loads(line) for line in f]
    d = tamis.Deduplicator()
    assert d.add_many(tamis.read(src)) == 2
    d.finish()
    assert len(d) == 4 and d.decision(1)["fate"] == "skipped" and d.decision(3)["fate"] == "skipped"
    assert d.decision(2)["duplicate_of"] == rem["tamis"]["duplicate_of_index"] == 0


def test_dedup_keep_best_reads_the_score():
    d = tamis.Deduplicator(keep="best")
    d.add_many([{"id": "low", "text": COUNCIL, "tamis": {"quality": 0.2}},
                {"id": "high", "text": COUNCIL, "tamis": {"quality": 0.9}}])
    d.finish()
    assert d.decision(0)["duplicate_of_id"] == "high" and not d.decision(1)["removed"]


def test_minhash():
    a = tamis.minhash(COUNCIL)
    assert len(a) == 128 and all(0 <= x < 2**32 for x in a)
    assert tamis.minhash(COUNCIL.upper()) == a  # case folded
    b = tamis.minhash(COUNCIL + " And something else was said.")
    assert 0.5 < tamis.minhash_similarity(a, b) < 1
    assert len(tamis.minhash("x", perms=16, seed=7)) == 16
    assert tamis.minhash(COUNCIL, seed=2) != a
    with pytest.raises(ValueError):
        tamis.minhash("x", kind="letters")


CORPUS = (b'{"id":"a","text":"first","meta":{"k":1}}\n'
          b'{"id":"b","text": broken}\n'
          b'{"text":"no id"}\n')


def test_read_sources(tmp_path):
    r = tamis.read(CORPUS, name="mem")
    docs = list(r)
    assert docs == [{"id": "a", "text": "first", "meta": {"k": 1}},
                    {"text": "no id", "id": "mem:3"}]
    assert len(r.rejects) == 1
    rej = r.rejects[0]
    assert (rej.source, rej.line, rej.error) == ("mem", 2, "json") and rej.detail
    assert rej.raw == b'{"id":"b","text": broken}'
    p = tmp_path / "c.jsonl.gz"
    p.write_bytes(gzip.compress(CORPUS))
    assert [d["text"] for d in tamis.read(p)] == ["first", "no id"]
    assert [d["text"] for d in tamis.read([str(p), str(p)])] == ["first", "no id"] * 2
    assert [d["text"] for d in tamis.read(io.BytesIO(CORPUS))] == ["first", "no id"]
    # plain text: one document with metadata
    t = tmp_path / "page.txt"
    t.write_text("Hello there.\nSecond line.\n")
    [doc] = list(tamis.read(t))
    assert doc["text"] == "Hello there.\nSecond line.\n" and isinstance(doc["metadata"], dict)
    assert [d["text"] for d in tamis.read(t, lines=True)] == ["Hello there.", "Second line."]
    nested = b'{"doc":{"body":"deep"},"key":"k1"}\n'
    [doc] = list(tamis.read(nested, text_field="doc.body", id_field="key"))
    assert doc["text"] == "deep" and doc["id"] == "k1"


def test_read_errors(tmp_path):
    with pytest.raises(tamis.OpenError) as e:
        list(tamis.read(tmp_path / "missing.jsonl"))
    assert e.value.code == -3 and isinstance(e.value, OSError)
    with pytest.raises(TypeError):
        tamis.read(None)
    with pytest.raises(TypeError):
        tamis.read(42)
    with pytest.raises(ValueError):
        tamis.read(CORPUS, format="xml")

    class Broken(io.RawIOBase):
        def read(self, n=-1):
            raise KeyError("boom")
    with pytest.raises(KeyError):
        list(tamis.read(Broken()))
    r = tamis.read(b'{"text":"' + b"x" * 100 + b'"}\n', max_doc_bytes=20)
    assert list(r) == [] and r.rejects[0].error == "too_big"


def test_write_roundtrip(tmp_path):
    docs = [{"id": "1", "text": "été", "metadata": {"a": [1, 2]}}, {"id": "2", "text": "b"}]
    for name in ("out.jsonl", "out.jsonl.gz", "out.jsonl.zst"):
        assert tamis.write(docs, tmp_path / name) == 2
        assert list(tamis.read(tmp_path / name)) == docs
    with pytest.raises(TypeError):
        tamis.write(["not a dict"], tmp_path / "bad.jsonl")
    assert not (tmp_path / "bad.jsonl").exists()  # nothing half-written
    with pytest.raises(tamis.Error) as e:
        tamis.write(docs, tmp_path / "no" / "such" / "dir.jsonl")
    assert "dir.jsonl" in e.value.detail


@pytest.mark.parametrize("fn", [tamis.langid, tamis.signals, tamis.clean, tamis.minhash,
                                tamis.Filter().check, tamis.Deduplicator().add])
def test_bad_input(fn):
    with pytest.raises(TypeError, match="str"):
        fn(None)
    with pytest.raises(TypeError):
        fn(12)
    with pytest.raises(ValueError, match="UTF-8"):
        fn(b"caf\xe9 au lait")
    with pytest.raises(ValueError):
        fn("lone surrogate \ud800")
    fn(b"valid bytes \xc3\xa9")  # UTF-8 bytes are accepted


def test_bad_batches():
    with pytest.raises(TypeError):
        tamis.signals_many("one text")
    with pytest.raises(TypeError):
        tamis.signals_many(["ok", None])
    with pytest.raises(ValueError):
        tamis.clean_many(["ok", b"\xff"])
    assert tamis.signals_many([]) == [] and tamis.clean_many([]) == []


def test_error_classes():
    assert issubclass(tamis.ArgumentError, tamis.Error) and issubclass(tamis.ArgumentError,
                                                                       ValueError)
    assert issubclass(tamis.OpenError, OSError) and issubclass(tamis.NoMemoryError, MemoryError)
    assert tamis.__version__.count(".") == 2


def test_run(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(CORPUS + json.dumps({"id": "c", "text": COUNCIL}).encode() + b"\n")
    seen = []
    st = tamis.run([src], tmp_path / "out", config={"threads": 1, "dedup": {"threshold": 0.85}},
                   progress=seen.append)
    led = st["ledger"]
    assert led["read"] == 4 and led["rejected"] == 1
    assert led["read"] == led["kept"] + led["removed"] + led["rejected"]
    assert (tmp_path / "out" / "stats.json").exists() and seen and "stage" in seen[0]
    assert st["config"]["dedup"]["threshold"] == 0.85
    with pytest.raises(tamis.ArgumentError) as e:
        tamis.run([src], tmp_path / "out2", config={"dedup": {"treshold": 0.8}})
    assert "dedup.threshold" in e.value.detail
    yml = tmp_path / "run.yaml"
    yml.write_text("threads: 1\ndedup:\n  threshold: 0.9\n")
    st = tamis.run(src, tmp_path / "out3", config=yml)
    assert st["config"]["dedup"]["threshold"] == 0.9 and st["ledger"]["read"] == 4
    yml.write_text("dedup:\n  threshold: [\n")
    with pytest.raises(tamis.ArgumentError) as e:
        tamis.run(src, tmp_path / "out4", config=yml)
    assert "line" in e.value.detail
