#!/bin/sh
# extract.sh — hostile pages through `tamis extract`: 100,000 nested
# elements, a 50 MB page, unclosed tags all the way down, NUL bytes, binary
# junk, a <meta> naming a charset that does not exist, an empty file, a WARC
# whose record is clipped, an HTML file cut inside a gzip member, an ARC
# record whose length runs far past its file, and an ARC header line of
# 70,000 bytes followed by a good record. Checks
# that tamis exits 0, that the ledger read = kept + removed + rejected
# holds, and each input's fate: kept (with the expected text or flag),
# removed with its reason, or rejected with its error. Needs jq.
#
# usage: TAMIS=build/tamis sh tests/hostile/extract.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${TAMIS:=build/tamis}"
case $TAMIS in /*) ;; *) TAMIS=$(pwd)/$TAMIS ;; esac
[ -x "$TAMIS" ] || { echo "hostile-extract: $TAMIS is not an executable" >&2; exit 1; }
export LC_ALL=C
work=$(mktemp -d "${TMPDIR:-/tmp}/tamis-hx.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
c=$work/in
mkdir -p "$c"

fail=0; checks=0
ok() { checks=$((checks + 1)); }
bad() { checks=$((checks + 1)); fail=$((fail + 1)); echo "hostile-extract: FAIL: $*"; }
eq() { if [ "$2" = "$3" ]; then ok; else bad "$1 is '$2', expected '$3'"; fi; }

# a: 100,000 nested <div>, then a paragraph
{ printf '<html><body>'; yes '<div>' | head -n 100000 | tr -d '\n'; printf 'deep'
  yes '</div>' | head -n 100000 | tr -d '\n'
  printf '<p>After the nesting, a paragraph, with commas.</p></body></html>'; } >"$c/a-deep.html"
# b: a 50 MB page of paragraphs
{ printf '<html><body>'; yes '<p>Some paragraph text, with commas, and words.</p>' |
  head -c 50000000; printf '</body></html>'; } >"$c/b-huge.html"
# c: unclosed tags all the way down
yes '<div><p>x <b>y ' | head -n 50000 | tr -d '\n' >"$c/c-unclosed.html"
# d: NUL bytes inside the text
printf '<p>one\000two, a paragraph with enough words in it.</p>' >"$c/d-nul.html"
# e: binary junk (deterministic)
awk 'BEGIN { srand(7); for (i = 0; i < 200000; i++) printf "%c", int(rand() * 256) }' \
    >"$c/e-junk.html"
# f: a charset that does not exist
printf '<html><head><meta charset="x-no-such-charset"></head><body><p>Caf\303\251 cr\303\250me, a sentence long enough to keep.</p></body></html>' >"$c/f-badcs.html"
# g: empty
: >"$c/g-empty.html"
# h: a clipped WARC record
cp "$here/../data/clipped.warc.gz" "$c/h-clipped.warc.gz"
# i: an HTML file cut inside its gzip member
printf '<html><body><p>A paragraph that will be cut, with commas, here and there.</p></body></html>' |
    gzip -c | head -c 40 >"$c/i-cut.html.gz"
# j: an ARC record that says it is nearly 1 EB long
arc_vb='filedesc://x.arc 0.0.0.0 19961104142103 text/plain 0\n\n'
printf "${arc_vb}http://e.x/big 192.0.2.7 19961104142103 text/html 999999999999999999\nHTTP/1.0 200 OK\r\n\r\n<p>tiny</p>\n" \
    >"$c/j-huge.arc"
# k: an ARC header line of 70,000 bytes, then a good record
{ printf "$arc_vb"; head -c 70000 /dev/zero | tr '\0' a
  printf '\nhttp://e.x/ok 192.0.2.7 19961104142103 text/html 65\nHTTP/1.0 200 OK\r\n\r\n<p>A good page after the junk, with words.</p>\n'; } | gzip -c >"$c/k-long.arc.gz"

out=$work/out.jsonl rem=$work/removed.jsonl rej=$work/rejects.jsonl
# hostile on purpose: four of the eleven inputs are rejects, past the default rate
"$TAMIS" extract -q -j 2 "$c" -o "$out" --removed "$rem" --rejects "$rej" \
    --max-reject-rate 100% --stats-json "$work/stats.json" 2>"$work/err"
eq "exit status" "$?" 0
eq "ledger" "$(jq -r '.stats | "\(.read) \(.kept + .removed + .rejected) \(.ledger_ok)"' "$work/stats.json")" \
    "$(jq -r '.stats | "\(.read) \(.read) true"' "$work/stats.json")"
text() { jq -r --arg f "$c/$1" 'select(.id == $f) | .text' "$out"; }
meta() { jq -r --arg f "$c/$1" 'select(.id == $f) | .metadata.'"$2"' // empty' "$out"; }
eq "a-deep text" "$(text a-deep.html)" "After the nesting, a paragraph, with commas."
eq "a-deep truncated" "$(meta a-deep.html extract_truncated)" true
eq "b-huge truncated" "$(meta b-huge.html extract_truncated)" true
eq "b-huge starts" "$(text b-huge.html | head -n 1)" "Some paragraph text, with commas, and words."
# recorded text is capped at 8 MiB; breaks add at most 2 bytes per event (1.6 M)
eq "b-huge text cap" "$(text b-huge.html | wc -c | awk '{ print ($1 > 4000000 && $1 <= 8388608 + 3200000) }')" 1
eq "c-unclosed truncated" "$(meta c-unclosed.html extract_truncated)" true
eq "d-nul text" "$(text d-nul.html)" "one two, a paragraph with enough words in it."
eq "e-junk removed" "$(jq -r --arg f "$c/e-junk.html" 'select(.id == $f) | .tamis.removed_by' "$rem")" extract.binary
eq "f-badcs text" "$(text f-badcs.html)" "Café crème, a sentence long enough to keep."
eq "f-badcs charset" "$(meta f-badcs.html charset) $(meta f-badcs.html charset_declared)" "utf-8 x-no-such-charset"
eq "g-empty" "$(jq -r --arg f "$c/g-empty.html" 'select(.id == $f)' "$out" "$rem" | wc -c)" 0
eq "k-long text" "$(jq -r 'select(.metadata.url == "http://e.x/ok") | .text' "$out")" \
    "A good page after the junk, with words."
eq "rejects" "$(jq -r '"\(.file | sub(".*/"; "")) \(.error)"' "$rej" | sort | tr '\n' ' ')" \
    "h-clipped.warc.gz truncated i-cut.html.gz truncated j-huge.arc truncated k-long.arc.gz warc "
echo "hostile-extract: $((checks - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
