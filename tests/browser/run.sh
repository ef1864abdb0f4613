#!/bin/sh
# Browser test of the HTML report (issue 6): renders the fixture summary and
# examples with tm_report_html (mkreport.c), opens the page in headless
# Chromium (check.js, DevTools protocol over a pipe, no npm package), fails on
# any network request or console error, saves a screenshot under
# $BUILD/browser/, and checks every number shown against the summary. Two
# self-checks keep it honest: a canary page that makes a request and logs an
# error must be caught, and a page with one number altered must fail.
# Skips (exit 0) when Chromium or Node is absent. Run by `make browser-test`.
set -eu
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then echo "browser test: skipped: chromium not installed"; exit 0; fi
if ! command -v node >/dev/null 2>&1; then echo "browser test: skipped: node not installed"; exit 0; fi
BUILD=${BUILD:-build}
LIBS=${LIBS:-"-Wl,--push-state,--no-as-needed -lcld2_full -Wl,--pop-state -lcld2 -lutf8proc -lxxhash -lzstd -lz -ljansson -lstdc++ -lpthread -lm"}
src=tests/browser
out=$BUILD/browser
mkdir -p "$out"

# shellcheck disable=SC2086 # LIBS is a list of flags
${CC:-cc} -std=c11 -O1 -g -Iinclude -o "$out/mkreport" "$src/mkreport.c" "$BUILD/libtamis.a" $LIBS
"$out/mkreport" "$src/summary.json" "$src/examples.jsonl" "$out/report.html"

node "$src/check.js" --canary "$CHROMIUM" "$src/canary.html"
node "$src/check.js" "$CHROMIUM" "$out/report.html" "$src/summary.json" "$src/examples.jsonl" \
    "$out/report.png"

# One shown number altered (48,213 -> 148,213): the check must fail on it.
sed -E 's#(data-k="/ledger/read">)#\11#' "$out/report.html" > "$out/altered.html"
if node "$src/check.js" "$CHROMIUM" "$out/altered.html" "$src/summary.json" \
    "$src/examples.jsonl" "$out/altered.png" > "$out/altered.log" 2>&1; then
    echo "browser test: FAILED: a page with an altered number passed the check" >&2
    exit 1
fi
grep -q '/ledger/read' "$out/altered.log" || {
    echo "browser test: FAILED: the altered number was not the reported failure" >&2
    cat "$out/altered.log" >&2
    exit 1
}

# The report of a real `tamis run` on the example corpus, checked against the
# stats.json it was made from.
if [ -x "$BUILD/tamis" ] && sh scripts/make-example.sh "$out/example" >/dev/null 2>&1; then
    rm -rf "$out/run"
    "$BUILD/tamis" run "$out/example/corpus.jsonl" -o "$out/run" -q
    node "$src/check.js" "$CHROMIUM" "$out/run/report.html" "$out/run/stats.json" \
        "$out/run/.tamis/report-examples.jsonl" "$out/run-report.png"
    echo "browser test: tamis run report matches its stats.json"
fi
echo "browser test: passed (altered page rejected)"
