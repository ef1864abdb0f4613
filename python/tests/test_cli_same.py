"""The binding decides as the tamis program does: on the golden inputs of
tests/golden, the CLI is run from the test (build/tamis) and its outputs are
compared with what the Python API gives for the same documents: filter
verdicts per preset (the golden filter input, and real web pages), dedup decisions, signals and language of `tamis score`,
and the text and edits of `tamis clean`."""

import json

import pytest

import tamis
from conftest import ROOT, cli_num, golden


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.mark.parametrize("preset", ["default", "gopher", "c4", "fineweb"])
def test_filter_presets_as_cli(cli, tmp_path, preset):
    src = golden("filter-presets", "input.jsonl")
    cli("filter", "-q", "-j", "2", "--preset", preset, src, "-o", "kept.jsonl",
        "--removed", "removed.jsonl")
    removed = {d["id"]: d["tamis"] for d in jsonl(tmp_path / "removed.jsonl")}
    kept = jsonl(tmp_path / "kept.jsonl")
    f = tamis.Filter(preset)
    py_removed, py_kept = {}, []
    for doc in tamis.read(src):
        v = f.check(doc, full=True)
        if v["removed"]:
            py_removed[doc["id"]] = v
        else:
            py_kept.append((doc["id"], v["text"]))
    assert removed  # the golden input has removals under every preset
    assert set(py_removed) == set(removed)
    for i, t in removed.items():
        v = py_removed[i]
        assert v["rule"] == t["removed_by"]
        assert cli_num(v["value"]) == t["value"] and cli_num(v["threshold"]) == t["threshold"]
    # the kept documents, in order, with the text the C4 rules left
    assert py_kept == [(d["id"], d["text"]) for d in kept]


@pytest.mark.parametrize("preset,kw,flags", [
    ("gopher", {}, []),
    ("c4", {}, []),
    ("fineweb", {}, []),
    # as bench/python_filters.py runs it against datatrove's chain: no language rule
    ("fineweb", {"langs": "", "min_lang_score": 0}, ["--lang", "", "--min-lang-score", "0"]),
], ids=["gopher", "c4", "fineweb", "fineweb-nolang"])
def test_filter_on_web_text_as_cli(cli, tmp_path, preset, kw, flags):
    """Real web pages (score-ccwet's input, 30 Common Crawl documents in several
    languages): Filter(preset).check on each text removes the documents `tamis
    filter --preset` removes, by the same first rule, value and threshold."""
    src = golden("score-ccwet", "input.jsonl")
    cli("filter", "-q", "-j", "2", "--preset", preset, *flags, src, "-o", "kept.jsonl",
        "--removed", "removed.jsonl")
    removed = {d["id"]: d["tamis"] for d in jsonl(tmp_path / "removed.jsonl")}
    f = tamis.Filter(preset, **kw)
    docs = jsonl(src)
    py = {d["id"]: f.check(d["text"]) for d in docs}
    py_removed = {i: r for i, r in py.items() if r is not None}
    # both outcomes occur, so the comparison can fail either way
    assert 0 < len(removed) < len(docs)
    assert set(py_removed) == set(removed)
    for i, t in removed.items():
        r = py_removed[i]
        assert r.rule == t["removed_by"]
        assert cli_num(r.value) == t["value"] and cli_num(r.threshold) == t["threshold"]
    assert [d["id"] for d in jsonl(tmp_path / "kept.jsonl")] == [
        d["id"] for d in docs if py[d["id"]] is None]


def test_dedup_near_as_cli(cli, tmp_path):
    src = golden("dedup-near", "input.jsonl")
    cli("dedup", "-q", "-j", "2", src, "-o", "kept.jsonl", "--removed", "removed.jsonl",
        "--clusters", "clusters.jsonl")
    removed = {d["id"]: d["tamis"] for d in jsonl(tmp_path / "removed.jsonl")}
    kept_ids = [d["id"] for d in jsonl(tmp_path / "kept.jsonl")]
    docs = list(tamis.read(src))
    d = tamis.Deduplicator()
    d.add_many(docs)
    d.finish()
    dec = d.decisions()
    assert len(removed) >= 4
    assert [doc["id"] for doc, c in zip(docs, dec) if not c["removed"]] == kept_ids
    for doc, c in zip(docs, dec):
        if not c["removed"]:
            continue
        t = removed[doc["id"]]
        assert (c["reason"], c["rule"]) == (t["removed_by"], t["rule"])
        assert c["duplicate_of_id"] == t["duplicate_of"]
        assert c["duplicate_of"] == t["duplicate_of_index"]
        assert c["cluster"] == t["cluster"]
        assert cli_num(c["similarity"]) == t["similarity"]
        assert cli_num(c["containment"]) == t["containment"]
        assert (c["shingles"], c["kept_shingles"]) == (t["shingles"], t["kept_shingles"])
    clusters = jsonl(tmp_path / "clusters.jsonl")
    assert d.stats()["clusters"] == len(clusters)


def test_score_as_cli(cli, tmp_path):
    src = golden("score-ccwet", "input.jsonl")
    out = [json.loads(line) for line in cli("score", "-q", "-j", "2", src).splitlines()]
    docs = list(tamis.read(src))
    assert len(out) == len(docs) > 5
    many = tamis.signals_many(docs)
    for doc, o in zip(docs, out):
        t = o["tamis"]
        lang = tamis.langid(doc)
        assert lang["lang"] == t["lang"] and cli_num(lang["score"]) == t["lang_score"]
        assert lang["reliable"] == t["lang_reliable"]
        s = tamis.signals(doc)
        assert s == many[docs.index(doc)]
        assert {k: cli_num(v) for k, v in s.items()} == t["signals"]


def test_clean_as_cli(cli, tmp_path):
    src = golden("clean-summit", "summit-fr.txt")
    cli("clean", "-q", "-j", "2", src, "-o", "out.jsonl")
    [o] = jsonl(tmp_path / "out.jsonl")
    [doc] = list(tamis.read(src))
    text, edits = tamis.clean(doc)
    assert text == o["text"]
    assert edits == o["tamis"]["edits"]


def test_example_script_as_cli(cli, tmp_path):
    """examples/filter_dedup.py keeps the documents that `tamis filter` then
    `tamis dedup` keep."""
    import os
    import subprocess
    import sys
    src = golden("dedup-near", "input.jsonl")
    cli("filter", "-q", "--preset", "default", src, "-o", "f.jsonl")
    cli("dedup", "-q", "--threshold", "0.8", "f.jsonl", "-o", "cli.jsonl")
    script = os.path.join(ROOT, "examples", "filter_dedup.py")
    r = subprocess.run([sys.executable, script, src, str(tmp_path / "py.jsonl")],
                       capture_output=True, check=True)
    assert b"unique 5" in r.stderr
    want = [d["id"] for d in jsonl(tmp_path / "cli.jsonl")]
    assert len(want) == 5 and [d["id"] for d in jsonl(tmp_path / "py.jsonl")] == want


def test_dedup_spills_with_the_same_decisions(tmp_path):
    """A small memory= makes the index spill sorted runs to tmp_dir (bounded
    memory, as `tamis dedup --memory`), with the same decisions."""
    docs = list(tamis.read(golden("dedup-near", "input.jsonl"))) * 20
    results = []
    for mem in (0, 1 << 16):
        d = tamis.Deduplicator(memory=mem, tmp_dir=str(tmp_path))
        d.add_many(docs)
        d.finish()
        results.append((d.decisions(), d.stats()["spill_runs"]))
    (free, runs0), (small, runs1) = results
    assert runs0 == 0 and runs1 > 0
    assert free == small and sum(c["removed"] for c in free) > len(docs) // 2
