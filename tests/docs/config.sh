#!/bin/sh
# config.sh — docs/CONFIG.md shows the configuration that `tamis run
# --print-config` prints, key for key: the YAML block under "The printed
# default configuration" must be the program's output, byte for byte, so a
# key added to the option table (src/run/config.c) without its
# documentation fails here. Regenerate the block with
#   sh tests/docs/config.sh --update
# Usage: TAMIS=build/tamis sh tests/docs/config.sh [--update]
set -eu
TAMIS=${TAMIS:?set TAMIS to the tamis binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
doc=$root/docs/CONFIG.md
tmp=$(mktemp "${TMPDIR:-/tmp}/tamis-docs.XXXXXX")
trap 'rm -f "$tmp" "$tmp.new"' EXIT
"$TAMIS" run --print-config >"$tmp"
# the lines between the ```yaml fence that follows the marker and its end
block() {
    awk '/^The printed default configuration/ { m = 1 } m && /^```yaml$/ { on = 1; next }
         on && /^```$/ { exit } on { print }' "$doc"
}
if [ "${1:-}" = --update ]; then
    awk -v cfg="$tmp" '/^The printed default configuration/ { m = 1 }
        m && !done && /^```yaml$/ { print; while ((getline l < cfg) > 0) print l; skip = 1; next }
        skip && /^```$/ { skip = 0; done = 1 } !skip { print }' "$doc" >"$tmp.new"
    mv "$tmp.new" "$doc"
    echo "docs: docs/CONFIG.md updated"
    exit 0
fi
if block | diff -u - "$tmp" >&2; then
    echo "docs: 1 passed, 0 failed"
else
    echo "docs: docs/CONFIG.md's configuration block differs from tamis run --print-config (sh tests/docs/config.sh --update)" >&2
    echo "docs: 0 passed, 1 failed"
    exit 1
fi
