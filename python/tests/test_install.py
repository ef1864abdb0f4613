"""The package installs with Debian's pip and setuptools and no registry
(pip install --no-build-isolation --target DIR ./python, as docs/PYTHON.md
says) and the installed copy works from a fresh interpreter; and it serves
pandas users (df["text"].map(tamis.signals))."""

import os
import subprocess
import sys

import pytest

import tamis
from conftest import ROOT


def test_pip_install_target(tmp_path):
    target = tmp_path / "site"
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-build-isolation",
                        "--target", str(target), os.path.join(ROOT, "python")],
                       capture_output=True, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    env["PYTHONPATH"] = str(target)
    out = subprocess.run([sys.executable, "-c", "import tamis; print(tamis.__file__); "
                          "print(tamis.langid('Le conseil a approuvé le budget lundi.')['lang'])"],
                         capture_output=True, env=env, cwd=tmp_path, check=True)
    path, lang = out.stdout.decode().split()
    assert path.startswith(str(target)) and lang == "fr"
    assert (target / "tamis" / "__init__.pyi").exists()


def test_pandas_map():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"text": ["The council approved the new budget on Monday.",
                                "Le conseil a approuvé le budget lundi."]})
    langs = df["text"].map(lambda t: tamis.langid(t)["lang"])
    assert list(langs) == ["en", "fr"]
    sig = df["text"].map(tamis.signals)
    assert sig[0] == tamis.signals(df["text"][0])
    words = pd.DataFrame(tamis.signals_many(list(df["text"]), names="gopher_quality"))
    assert list(words["gopher_quality.n_words"]) == [s["gopher_quality.n_words"] for s in sig]
