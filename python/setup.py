"""Builds and installs the tamis Python package with Debian's setuptools
(python3-setuptools; no other build dependency), linking the extension
statically against the library the CLI uses, build/libtamis.a (run `make`
first; TAMIS_BUILD=dir names another build directory). docs/PYTHON.md:

    /usr/bin/python3 -m venv --system-site-packages .venv
    .venv/bin/pip install --no-build-isolation ./python
"""
import glob
import os

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.environ.get("TAMIS_BUILD", os.path.join(ROOT, "build"))
STATIC = os.path.join(BUILD, "libtamis.a")
if not os.path.exists(STATIC):
    raise SystemExit("setup.py: %s is missing: run `make` in %s first" % (STATIC, ROOT))

# The link line of the Makefile's LIBS: CLD2's full tables must stay linked
# although no symbol names them (Debian links with --as-needed).
LIBS = ["-Wl,--push-state,--no-as-needed", "-lcld2_full", "-Wl,--pop-state", "-lcld2",
        "-lutf8proc", "-lxxhash", "-lzstd", "-lz", "-ljansson", "-lyaml", "-lxml2", "-luchardet",
        "-lstdc++", "-lpthread", "-lm"]

ext = Extension(
    "tamis._tamis",
    sources=sorted(os.path.relpath(p, HERE) for p in glob.glob(os.path.join(HERE, "src", "*.c"))),
    include_dirs=[os.path.join(ROOT, "include"), os.path.join(HERE, "src")],
    define_macros=[("_GNU_SOURCE", None)],
    extra_compile_args=["-std=c11", "-fvisibility=hidden"],
    extra_link_args=[STATIC, "-Wl,--exclude-libs,ALL"] + LIBS,
)

setup(
    name="tamis",
    version="0.1.0",
    description="Clean, score, filter and deduplicate multilingual text (libtamis binding)",
    packages=["tamis"],
    package_data={"tamis": ["__init__.pyi", "py.typed"]},
    ext_modules=[ext],
    python_requires=">=3.9",
)
