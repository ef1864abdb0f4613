#!/bin/sh
# gen.sh OUTDIR — writes the hostile corpus into OUTDIR (about 80 MB; made
# at test time, never committed). Every file holds input a crawler really
# meets, each case on its own line so that the expected outcome of every
# record is known; tests/hostile/run.sh lists those outcomes.
#
#   a-malformed.jsonl   JSON syntax errors between two good lines
#   b-field.jsonl       text field missing or not a string
#   c-utf8.jsonl        invalid UTF-8 (in and out of the text), \u0000
#   d-empty.jsonl       empty and whitespace-only documents
#   e-empty-file.jsonl  a file of zero bytes
#   f-deep.jsonl        nesting 100 (fine), 600 and 100000 levels deep
#   g-big.jsonl         one 80 MiB line (over the 64 MiB default cap)
#   h-trunc.jsonl.gz    a complete gzip member, then a cut one
#   i-trunc.jsonl.zst   a complete zstd frame, then a cut one
#   j-corrupt.jsonl.gz  a complete gzip member, then garbage deflate data
#   k-clipped.warc.gz   a real WARC record whose file was cut (cc-warc)
#   m-crlf.jsonl        CRLF line ends
#   o-plain.txt         a plain text file (one document)
# Only sh, printf, head, tr, gzip and zstd are used; output is deterministic.
set -eu
out=${1:?usage: gen.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
cd "$out"

{
    printf '%s\n' '{"id":"m1","text":"first good line"}'
    printf '%s\n' '{"text":"unterminated'
    printf '%s\n' '{"text":"x",}'
    printf '%s\n' '{"text" "x"}'
    printf '%s\n' '[1,2,3]'
    printf '%s\n' '{"text":"x"} trailing'
    printf '%s\n' "{'text':'single quotes'}"
    printf '{"text":"raw NUL \000 inside"}\n'
    printf '%s\n' '{"id":"m9","text":"last good line"}'
} >a-malformed.jsonl

{
    printf '%s\n' '{"id":"f1","text":12}'
    printf '%s\n' '{"id":"f2","text":null}'
    printf '%s\n' '{"id":"f3","text":["a"]}'
    printf '%s\n' '{"id":"f4","text":{"t":"x"}}'
    printf '%s\n' '{"id":"f5","body":"no text"}'
    printf '%s\n' '{"id":"f6","text":true}'
    printf '%s\n' '{"id":"f7","text":"ok"}'
} >b-field.jsonl

# Invalid sequences, counted as Unicode's maximal subparts: \377 (1),
# \342\202 (1), \355\240\200 (3: a surrogate is never valid) = 5.
{
    printf '{"id":"u1","text":"a\377b"}\n'
    printf '{"id":"u2","text":"\342\202x"}\n'
    printf '{"id":"u3","text":"\355\240\200"}\n'
    printf '%s\n' '{"id":"u4","text":"nul \u0000 escaped"}'
    printf '{"id":"u5","note\377":"bad byte outside the text","text":"fine"}\n'
} >c-utf8.jsonl

{
    printf '%s\n' '{"id":"e1","text":""}'
    printf '%s\n' '{"id":"e2","text":"   \n\t "}'
    printf '%s\n' '{"id":"e3","text":"\u00a0\u3000"}'
} >d-empty.jsonl

: >e-empty-file.jsonl

# rep N STR: STR repeated N times, without a pipeline per repetition.
rep() { i=0; s=$2; r=""; n=$1; while [ "$n" -gt 0 ]; do
    [ $((n % 2)) -eq 1 ] && r=$r$s; s=$s$s; n=$((n / 2)); done; printf '%s' "$r"; }
{
    printf '{"id":"deep1","a":%s%s,"text":"ok"}\n' "$(rep 100 '[')" "$(rep 100 ']')"
    printf '{"id":"deep2","a":%s1%s,"text":"x"}\n' "$(rep 600 '{"a":')" "$(rep 600 '}')"
    printf '{"id":"deep3","a":%s%s,"text":"x"}\n' "$(rep 100000 '[')" "$(rep 100000 ']')"
} >f-deep.jsonl

{
    printf '{"id":"big","text":"'
    head -c 83886080 /dev/zero | tr '\000' a
    printf '"}\n'
    printf '%s\n' '{"id":"after-big","text":"still read"}'
} >g-big.jsonl

# A cut member/frame: one 48 KB line of numbers (poorly compressible) cut
# at half its compressed size, so that part of it decodes but not its end.
long=$(printf '{"id":"cut","text":"%s"}' "$(seq 100000 108000 | tr '\n' ' ')")
good3() { for i in 1 2 3; do printf '{"id":"%s%d","text":"line %d"}\n' "$1" "$i" "$i"; done; }
good3 gz | gzip -n -c >h-trunc.jsonl.gz
printf '%s\n' "$long" | gzip -n -c >part.gz
head -c $(($(wc -c <part.gz) / 2)) part.gz >>h-trunc.jsonl.gz
good3 zst | zstd -q -c >i-trunc.jsonl.zst
printf '%s\n' "$long" | zstd -q -c >part.zst
head -c $(($(wc -c <part.zst) / 2)) part.zst >>i-trunc.jsonl.zst
rm -f part.gz part.zst

# Garbage deflate data after a valid gzip header: 0xff starts a block of
# the reserved type 3, which every inflater rejects at once.
{
    printf '%s\n' '{"id":"c1","text":"before corruption"}' '{"id":"c2","text":"still before"}' |
        gzip -n -c
    printf '\037\213\010\000\000\000\000\000\000\003'
    head -c 64 /dev/zero | tr '\000' '\377'
} >j-corrupt.jsonl.gz

# A real response record clipped after 75,657 of its 88,275 bytes.
cat "$here/../data/clipped.warc.gz" >k-clipped.warc.gz

printf '{"id":"r1","text":"crlf one"}\r\n{"id":"r2","text":"crlf two"}\r\n' >m-crlf.jsonl

printf 'A plain text file is one document.\nIt has two lines.\n' >o-plain.txt
