#!/bin/sh
# run.sh — the hostile-corpus test: generates tests/hostile/gen.sh's corpus
# in a temporary folder, runs `tamis stats --json` and `tamis cat` over it
# (2 threads, and cat again with 1), and checks that tamis neither crashes
# nor fails (exit 0), that the ledger read = written + rejected holds, that
# every record met its expected fate (rejects counted per reason, content
# counters), that the rejects file has exactly one line per rejected record
# naming its file, line and reason, and that the output does not depend on
# the number of threads. Needs jq.
#
# usage: TAMIS=build/tamis sh tests/hostile/run.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${TAMIS:=build/tamis}"
case $TAMIS in /*) ;; *) TAMIS=$(pwd)/$TAMIS ;; esac
[ -x "$TAMIS" ] || { echo "hostile: $TAMIS is not an executable (run make first)" >&2; exit 1; }
command -v jq >/dev/null || { echo "hostile: jq is required (make deps)" >&2; exit 1; }
export LC_ALL=C

work=$(mktemp -d "${TMPDIR:-/tmp}/tamis-hostile.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
sh "$here/gen.sh" "$work/corpus" || { echo "hostile: generator failed"; exit 1; }

fail=0; checks=0
ok() { checks=$((checks + 1)); }
bad() { checks=$((checks + 1)); fail=$((fail + 1)); echo "hostile: FAIL: $*"; }
# eq WHAT ACTUAL EXPECTED
eq() { if [ "$2" = "$3" ]; then ok; else bad "$1 is $2, expected $3"; fi; }

# Expected fate of every record: "file line reason" for rejects (line as
# the rejects file gives it), and the documents kept per file.
cat >"$work/want-rejects" <<'W'
a-malformed.jsonl 2 json
a-malformed.jsonl 3 json
a-malformed.jsonl 4 json
a-malformed.jsonl 5 json
a-malformed.jsonl 6 json
a-malformed.jsonl 7 json
a-malformed.jsonl 8 json
b-field.jsonl 1 field
b-field.jsonl 2 field
b-field.jsonl 3 field
b-field.jsonl 4 field
b-field.jsonl 5 field
b-field.jsonl 6 field
f-deep.jsonl 2 json
f-deep.jsonl 3 json
g-big.jsonl 1 too_big
h-trunc.jsonl.gz 4 truncated
i-trunc.jsonl.zst 4 truncated
j-corrupt.jsonl.gz 3 corrupt
k-clipped.warc.gz 0 truncated
W
# ids of the documents that must come out of cat, in input order
want_ids="m1 m9 f7 u1 u2 u3 u4 u5 e1 e2 e3 deep1 after-big gz1 gz2 gz3 zst1 zst2 zst3 c1 c2 r1 r2 o-plain.txt"
n_docs=$(echo $want_ids | wc -w)
n_rej=$(wc -l <"$work/want-rejects")

# ---- stats --json ----
"$TAMIS" stats --json -q -j 2 --rejects "$work/stats-rejects.jsonl" "$work/corpus" \
    >"$work/stats.json" 2>"$work/stats.err"
rc=$?
eq "stats exit status" $rc 0
[ $rc -eq 0 ] || sed 's/^/    /' "$work/stats.err"
s() { jq -r "$1" "$work/stats.json" 2>/dev/null; }
eq "stats .read" "$(s .read)" $((n_docs + n_rej))
eq "stats .kept" "$(s .kept)" "$n_docs"
eq "stats .removed" "$(s .removed)" 0
eq "stats .rejected" "$(s .rejected)" "$n_rej"
eq "stats .ledger_ok" "$(s .ledger_ok)" true
for r in json field too_big truncated corrupt; do
    eq "stats .rejected_by.$r" "$(s ".rejected_by.$r // 0")" "$(grep -c " $r\$" "$work/want-rejects")"
done
eq "stats rejected_by reasons" "$(s '.rejected_by | keys | join(",")')" "corrupt,field,json,too_big,truncated"
# \377, \342\202 and \355\240\200 in c-utf8.jsonl (text members only).
eq "stats .invalid_utf8" "$(s .invalid_utf8)" 5
eq "stats .nul_bytes" "$(s .nul_bytes)" 1
# e1 "", e2 spaces/tab/LF, e3 U+00A0 U+3000 (White_Space).
eq "stats .empty_docs" "$(s .empty_docs)" 3

# ---- cat, 2 threads then 1 ----
"$TAMIS" cat -q -j 2 --max-reject-rate 100% -o "$work/out2.jsonl" "$work/corpus" 2>"$work/cat2.err"
rc=$?
eq "cat -j 2 exit status" $rc 0
[ $rc -eq 0 ] || sed 's/^/    /' "$work/cat2.err"
"$TAMIS" cat -q -j 1 --max-reject-rate 100% -o "$work/out1.jsonl" --rejects "$work/rejects1.jsonl" "$work/corpus" \
    2>"$work/cat1.err"
eq "cat -j 1 exit status" $? 0
if cmp -s "$work/out1.jsonl" "$work/out2.jsonl"; then ok; else bad "cat output differs between -j 1 and -j 2"; fi
rej=$work/out2.jsonl.rejects.jsonl
if cmp -s "$work/rejects1.jsonl" "$rej"; then ok; else bad "rejects differ between -j 1 and -j 2"; fi

eq "cat output lines" "$(wc -l <"$work/out2.jsonl" 2>/dev/null)" "$n_docs"
# A text file's generated id is its path (with ":1" or not): keep the name.
got_ids=$(jq -r .id "$work/out2.jsonl" 2>/dev/null | sed 's|.*/||; s|:1$||' | tr '\n' ' ' | sed 's/ $//')
eq "cat output ids" "$got_ids" "$want_ids"
# Output is JSON and valid UTF-8 even where the input was not.
if jq -e . "$work/out2.jsonl" >/dev/null 2>&1; then ok; else bad "cat output is not JSON lines"; fi
if iconv -f UTF-8 -t UTF-8 "$work/out2.jsonl" >/dev/null 2>&1; then ok; else
    bad "cat output is not valid UTF-8"; fi
eq "text of u4 (\\u0000 kept)" "$(jq -c 'select(.id=="u4") | .text' "$work/out2.jsonl")" '"nul \u0000 escaped"'

# Every reject: one line with file, line, reason; the set is the expected
# one. One jq pass over the (112 MB) file gives "file line error ok size".
eq "rejects file lines" "$(wc -l <"$rej" 2>/dev/null)" "$n_rej"
jq -r '"\(.file | sub(".*/"; "")) \(.line) \(.error) \((.file|type)=="string" and (.line|type)=="number" and (.reason|type)=="string" and (.reason|length)>0) \(if .raw then (.raw|length) else (.raw_base64|length) end)"' \
    "$rej" >"$work/got-summary" 2>/dev/null
eq "rejects without file/line/reason" "$(grep -c -v ' true [0-9]*$' "$work/got-summary")" 0
cut -d' ' -f1-3 "$work/got-summary" >"$work/got-rejects"
if cmp -s "$work/want-rejects" "$work/got-rejects"; then ok; else
    bad "rejects (file line error) differ:"; diff "$work/want-rejects" "$work/got-rejects" | sed 's/^/    /'
fi
# The 80 MiB record is kept whole in the rejects file: as "raw", or as
# "raw_base64" (the streaming path for oversize records may not know the
# bytes are UTF-8 when it starts writing).
big=$(($(head -n 1 "$work/corpus/g-big.jsonl" | wc -c) - 1))
got=$(awk '$3 == "too_big" { print $5 }' "$work/got-summary")
if [ "$got" = "$big" ] || [ "$got" = "$(((big + 2) / 3 * 4))" ]; then ok; else
    bad "the rejected 80 MiB record has $got characters, expected $big bytes (or their base64)"; fi
eq "stats rejects = cat rejects" "$(wc -l <"$work/stats-rejects.jsonl" 2>/dev/null)" "$n_rej"

echo "hostile: $((checks - fail)) passed, $fail failed"
[ $fail -eq 0 ]
