#!/bin/sh
# identical.sh BEFORE AFTER CORPUS.jsonl [WARC] — runs every command of two
# tamis binaries on the same input and compares their outputs byte for
# byte: the check that a refactoring changed no decision and no byte.
#
# Commands: cat, stats, clean, score, filter (every preset), dedup (the
# defaults and three other option sets), extract (on WARC, when given) and
# run (kept, removed, rejected, clusters byte for byte; stats.json and
# report.html with their timings masked: "seconds" members and the cells
# the report marks data-f="seconds"); removed and clusters files and the
# --stats-json counters (timings masked) too.
# Prints one line per comparison and a
# summary; exit status 1 on any difference. Outputs go to $TMPDIR.
set -eu
before=${1:?usage: identical.sh BEFORE AFTER CORPUS.jsonl [WARC]}
after=${2:?usage: identical.sh BEFORE AFTER CORPUS.jsonl [WARC]}
corpus=${3:?usage: identical.sh BEFORE AFTER CORPUS.jsonl [WARC]}
warc=${4:-}
# absolute paths: each command runs inside its output folder
before=$(realpath "$before") after=$(realpath "$after") corpus=$(realpath "$corpus")
[ -n "$warc" ] && warc=$(realpath "$warc")
work=$(mktemp -d "${TMPDIR:-/tmp}/tamis-identical.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
same=0 diff=0

mask() { # stats.json / report.html without timings
    case $1 in
    *.json) jq -S 'walk(if type == "object" then with_entries(select(.key | test("seconds") | not)) else . end)' "$1" ;;
    *.html) sed 's/data-f="seconds" \([^>]*\)>[^<]*</data-f="seconds" \1></g' "$1" ;;
    esac
}

compare() { # NAME FILE-BEFORE FILE-AFTER
    if cmp -s "$2" "$3"; then
        same=$((same + 1))
        printf 'same  %-40s %12s bytes\n' "$1" "$(wc -c <"$2" | tr -d ' ')"
    else
        diff=$((diff + 1))
        printf 'DIFF  %-40s\n' "$1"
    fi
}

# one NAME ARGS...: the command with -o OUT, run by both binaries
one() {
    name=$1
    shift
    for side in before after; do
        bin=$before
        [ $side = after ] && bin=$after
        mkdir -p "$work/$side"
        (cd "$work/$side" && "$bin" "$@" -o "$work/$side/$name.jsonl" >"$work/$side/$name.out" 2>"$work/$side/$name.err") || true
    done
    for side in before after; do
        [ -e "$work/$side/counts.json" ] && mask "$work/$side/counts.json" >"$work/$side/counts.masked"
        rm -f "$work/$side/counts.json"
    done
    for f in "$name.jsonl" "$name.out" removed.jsonl clusters.jsonl counts.masked; do
        [ -e "$work/before/$f" ] || [ -e "$work/after/$f" ] || continue
        compare "$name: $f" "$work/before/$f" "$work/after/$f"
        rm -f "$work/before/$f" "$work/after/$f"
    done
}

one cat cat "$corpus"
one stats stats "$corpus" --json
one clean clean --stats-json counts.json "$corpus"
one score score "$corpus"
for p in default gopher c4 fineweb; do
    one "filter-$p" filter --preset "$p" --removed removed.jsonl --stats-json counts.json "$corpus"
done
one filter-explain filter --explain "$corpus"
d="--removed removed.jsonl --clusters clusters.jsonl --stats-json counts.json"
one dedup dedup $d "$corpus"
one dedup-word5 dedup $d --shingle word:5 --threshold 0.8 --containment 0 "$corpus"
one dedup-paragraphs dedup $d --paragraphs "$corpus"
one dedup-spill dedup $d --memory 16M "$corpus"
[ -n "$warc" ] && one extract extract "$warc"

for side in before after; do
    bin=$before
    [ $side = after ] && bin=$after
    "$bin" run "$corpus" -o "$work/$side/run" >/dev/null 2>&1 || true
done
for f in $(cd "$work/before/run" && find kept removed -type f | sort) rejected.jsonl clusters.jsonl; do
    compare "run/$f" "$work/before/run/$f" "$work/after/run/$f"
done
for f in stats.json report.html; do
    mask "$work/before/run/$f" >"$work/before/run/$f.masked"
    mask "$work/after/run/$f" >"$work/after/run/$f.masked"
    compare "run/$f (timings masked)" "$work/before/run/$f.masked" "$work/after/run/$f.masked"
done
echo "identical: $same same, $diff different"
[ $diff = 0 ]
