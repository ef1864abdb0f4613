"""Fixtures of the binding's tests: where the tamis program and the golden
inputs are (the repository's tests/golden), and a helper that runs the CLI.
Run by `make python-test`, which builds the module into build/python and
puts it first on PYTHONPATH."""

import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN = os.path.join(ROOT, "tests", "golden")


@pytest.fixture(scope="session")
def tamis_bin():
    path = os.path.abspath(os.environ.get("TAMIS") or os.path.join(ROOT, "build", "tamis"))
    assert os.access(path, os.X_OK), "build the tamis program first (make)"
    return path


@pytest.fixture
def cli(tamis_bin, tmp_path):
    """cli(args...) runs tamis in tmp_path, checks it succeeded, returns stdout."""
    def run(*args):
        r = subprocess.run([tamis_bin, *args], cwd=tmp_path, capture_output=True, check=True)
        return r.stdout.decode()
    return run


def golden(*parts):
    return os.path.join(GOLDEN, *parts)


def cli_num(v):
    """A float as the CLI's JSON writes it (six decimals), parsed back."""
    if v == int(v) and abs(v) < 2**53:
        return float(int(v))
    return float("%.6g" % v) if abs(v) < 1e-4 else float("%.6f" % v)
