#!/bin/sh
# config.sh — docs/CONFIG.md shows what the program says, byte for byte:
#  - the YAML block under "The printed default configuration" is the output
#    of `tamis run --print-config`, so a configuration key added to the
#    option table (src/run/options.c) without its documentation fails;
#  - the option reference between "<!-- options: generated -->" and
#    "<!-- options: end -->" is the output of `tamis run --print-options-md`,
#    made from the same table (flags, commands, types, ranges, defaults).
# Regenerate both with
#   sh tests/docs/config.sh --update
# Usage: TAMIS=build/tamis sh tests/docs/config.sh [--update]
set -eu
TAMIS=${TAMIS:?set TAMIS to the tamis binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
doc=$root/docs/CONFIG.md
tmp=$(mktemp "${TMPDIR:-/tmp}/tamis-docs.XXXXXX")
trap 'rm -f "$tmp" "$tmp.md" "$tmp.new"' EXIT
"$TAMIS" run --print-config >"$tmp"
"$TAMIS" run --print-options-md >"$tmp.md"
# the lines between the ```yaml fence that follows the marker and its end
block() {
    awk '/^The printed default configuration/ { m = 1 } m && /^```yaml$/ { on = 1; next }
         on && /^```$/ { exit } on { print }' "$doc"
}
options() {
    awk '/^<!-- options: end -->$/ { exit } on { print } /^<!-- options: generated -->$/ { on = 1 }' "$doc"
}
if [ "${1:-}" = --update ]; then
    awk -v cfg="$tmp" -v md="$tmp.md" '/^The printed default configuration/ { m = 1 }
        m && !done && /^```yaml$/ { print; while ((getline l < cfg) > 0) print l; skip = 1; next }
        skip && /^```$/ { skip = 0; done = 1 }
        /^<!-- options: generated -->$/ { print; while ((getline l < md) > 0) print l; opt = 1; next }
        opt && /^<!-- options: end -->$/ { opt = 0 }
        !skip && !opt { print }' "$doc" >"$tmp.new"
    mv "$tmp.new" "$doc"
    echo "docs: docs/CONFIG.md updated"
    exit 0
fi
failed=0
if ! block | diff -u - "$tmp" >&2; then
    echo "docs: docs/CONFIG.md's configuration block differs from tamis run --print-config (sh tests/docs/config.sh --update)" >&2
    failed=$((failed + 1))
fi
if ! options | diff -u - "$tmp.md" >&2; then
    echo "docs: docs/CONFIG.md's option reference differs from the option table, tamis run --print-options-md (sh tests/docs/config.sh --update)" >&2
    failed=$((failed + 1))
fi
echo "docs: $((2 - failed)) passed, $failed failed"
[ "$failed" = 0 ]
