#!/bin/sh
# special.sh — outputs that are not regular files, and inputs that cannot be
# read twice, through the CLI.
#
# Outputs: a FIFO per output (-o, --removed, --clusters, --rejects,
# --stats-json) of `tamis cat`, `tamis dedup` and `tamis filter`, each
# drained by a reader started first: afterwards every FIFO is still a FIFO
# and each reader received exactly the bytes the same command writes to a
# regular file (gzip by extension included); the same for the outputs of
# `tamis run` in OUTDIR. As root, the same with a
# character device node 1:3 (the null device) made by mknod in this test's
# own folder — never the system's /dev/null —, which must still be that
# device afterwards, with no temporary or "<node>.rejects.jsonl" left beside
# it; skipped when not root or when mknod fails. /dev/stdout and /dev/fd/3
# redirected to regular files are written through, not replaced.
# Inputs: `tamis dedup <(cat a c)`, a named FIFO fed by a writer process,
# and `-` give the outputs of the same bytes in a regular file, with the
# input's own name in ids and rejects. Every command runs under `timeout`,
# so a regression hangs for seconds, not forever. (A file changed between
# the two passes of dedup is tested in tests/unit/test_special_files.c,
# which can act exactly when pass 2 starts.)
#
# usage: TAMIS=build/tamis sh tests/hostile/special.sh
set -u
: "${TAMIS:=build/tamis}"
case $TAMIS in /*) ;; *) TAMIS=$(pwd)/$TAMIS ;; esac
[ -x "$TAMIS" ] || { echo "special: $TAMIS is not an executable (run make first)" >&2; exit 1; }
command -v jq >/dev/null || { echo "special: jq is required (make deps)" >&2; exit 1; }
export LC_ALL=C
T=30 # seconds any one command may take

work=$(mktemp -d "${TMPDIR:-/tmp}/tamis-special.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work" || exit 1

fail=0; checks=0; skipped=0
ok() { checks=$((checks + 1)); }
bad() { checks=$((checks + 1)); fail=$((fail + 1)); echo "special: FAIL: $*"; }
eq() { if [ "$2" = "$3" ]; then ok; else bad "$1 is '$2', expected '$3'"; fi; }
same() { if cmp -s "$2" "$3"; then ok; else bad "$1: $2 differs from $3"; fi; }
isfifo() { if [ -p "$1" ] && [ ! -L "$1" ]; then ok; else bad "$1 is no longer a FIFO"; fi; }

# ---- a corpus: prose documents, near copies, short ones, a malformed line
awk 'BEGIN {
    split("river mountain garden window letter market silver forest morning winter " \
          "island harbor station bridge castle meadow thunder candle valley orchard " \
          "village traveler kitchen library engine summer lantern painter weather", w, " ")
    s = 7
    for (d = 1; d <= 12; d++) {
        t = ""
        for (i = 1; i <= 60; i++) { s = (s * 1103515245 + 12345) % 2147483648; t = t (i > 1 ? " " : "") w[1 + int(s / 65536) % 30] }
        t = "The " t "."
        printf "{\"id\":\"p%d\",\"text\":\"%s\"}\n", d, t
        if (d % 4 == 0) { sub(/ [a-z]+\.$/, " ending.", t); printf "{\"id\":\"p%d-copy\",\"text\":\"%s\"}\n", d, t }
        if (d % 5 == 0) printf "{\"text\":\"%s\"}\n", t
    }
    print "{\"id\":\"short1\",\"text\":\"tiny\"}"
    print "{\"id\":\"broken\", text}"
}' >a.jsonl
head -n 5 a.jsonl >c.jsonl # p1-p4 and p4's copy: all copies in a+c
eq "corpus lines" "$(wc -l <a.jsonl | tr -d ' ')" 19

# run_to NAME CMD...: runs under timeout, records the exit status in rc.NAME
run_to() { n=$1; shift; timeout $T "$@" 2>"err.$n"; echo $? >"rc.$n"; }
rc_is() { eq "$1 exit status" "$(cat "rc.$1")" "${2:-0}"; [ "$(cat "rc.$1")" = "${2:-0}" ] || sed 's/^/    /' "err.$1"; }

# FIFO readers: reader NAME starts `cat NAME.fifo > NAME.got` in the background.
pids=""
reader() { rm -f "$1.fifo"; mkfifo "$1.fifo"; timeout $T cat "$1.fifo" >"$1.got" & pids="$pids $!"; }
readers_done() {
    for p in $pids; do
        wait "$p" || bad "a FIFO reader exited with status $? (124: nobody opened its FIFO in ${T}s)"
    done
    pids=""
}

# ---- references: the same commands into regular files
"$TAMIS" cat -q -j 2 a.jsonl -o ref.cat --rejects ref.cat.rej
"$TAMIS" dedup -q -j 2 a.jsonl -o ref.k --removed ref.r --clusters ref.cl --rejects ref.rej \
    --stats-json ref.stats
"$TAMIS" filter -q -j 2 a.jsonl -o ref.fk --removed ref.fr --rejects ref.frej
# 3 near copies (one word changed of 61) and 2 exact ones, each its own cluster
eq "reference dedup removed" "$(wc -l <ref.r | tr -d ' ')" 5
eq "reference clusters" "$(wc -l <ref.cl | tr -d ' ')" 5
eq "reference rejects" "$(wc -l <ref.rej | tr -d ' ')" 1
[ -s ref.fr ] && ok || bad "reference filter removed nothing"

# ---- outputs: FIFOs
reader cat; reader catrej
run_to cat "$TAMIS" cat -q -j 2 a.jsonl -o cat.fifo --rejects catrej.fifo
readers_done; rc_is cat
for f in cat catrej; do isfifo $f.fifo; done
same "cat -o FIFO" cat.got ref.cat
same "cat --rejects FIFO" catrej.got ref.cat.rej

reader k; reader r; reader cl; reader rej; reader st
run_to dedup "$TAMIS" dedup -q -j 2 a.jsonl -o k.fifo --removed r.fifo --clusters cl.fifo \
    --rejects rej.fifo --stats-json st.fifo
readers_done; rc_is dedup
for f in k r cl rej st; do isfifo $f.fifo; done
same "dedup -o FIFO" k.got ref.k
same "dedup --removed FIFO" r.got ref.r
same "dedup --clusters FIFO" cl.got ref.cl
same "dedup --rejects FIFO (written once)" rej.got ref.rej
same "dedup --stats-json FIFO" st.got ref.stats

reader fk; reader fr
run_to filter "$TAMIS" filter -q -j 2 a.jsonl -o fk.fifo --removed fr.fifo --rejects ref.frej2
readers_done; rc_is filter
isfifo fk.fifo; isfifo fr.fifo
same "filter -o FIFO" fk.got ref.fk
same "filter --removed FIFO" fr.got ref.fr

# a rejects FIFO with nothing to reject still ends: its reader returns
reader none
run_to none "$TAMIS" cat -q c.jsonl -o none.out --rejects none.fifo
readers_done; rc_is none
eq "empty rejects through a FIFO" "$(wc -c <none.got | tr -d ' ')" 0

# compression by extension, in place
rm -f gz.jsonl.gz; mkfifo gz.jsonl.gz
timeout $T sh -c 'gzip -dc <gz.jsonl.gz >gz.got' & pids="$!"
run_to gz "$TAMIS" dedup -q a.jsonl -o gz.jsonl.gz --rejects gz.rej
readers_done; rc_is gz
isfifo gz.jsonl.gz
same "dedup -o FIFO.gz (gzip)" gz.got ref.k

# tamis run: outputs of OUTDIR that are FIFOs are written, never replaced
# or read back (the summary reads the files they were assembled from)
"$TAMIS" run -q -j 2 a.jsonl -o run.ref >/dev/null 2>&1
mkdir run.out && mkfifo run.out/stats.json run.out/rejected.jsonl run.out/clusters.jsonl
timeout $T cat run.out/stats.json >run.st & pids="$!"
timeout $T cat run.out/rejected.jsonl >run.rej & pids="$pids $!"
timeout $T cat run.out/clusters.jsonl >run.cl & pids="$pids $!"
run_to run "$TAMIS" run -q -j 2 a.jsonl -o run.out
readers_done; rc_is run
for f in stats.json rejected.jsonl clusters.jsonl; do isfifo run.out/$f; done
same "run rejected.jsonl FIFO" run.rej run.ref/rejected.jsonl
same "run clusters.jsonl FIFO" run.cl run.ref/clusters.jsonl
eq "run stats.json FIFO" "$(jq -c .ledger run.st)" "$(jq -c .ledger run.ref/stats.json)"

# names of descriptors: written through, the redirected files stay files
timeout $T "$TAMIS" cat -q a.jsonl -o /dev/stdout --rejects so.rej >so.got
same "cat -o /dev/stdout > file" so.got ref.cat
timeout $T "$TAMIS" dedup -q a.jsonl -o /dev/fd/3 --removed r3.jsonl --rejects r3.rej 3>fd3.got
same "dedup -o /dev/fd/3 3> file" fd3.got ref.k
[ -f so.got ] && [ ! -e /dev/stdout.rejects.jsonl ] && ok || bad "something was written beside /dev/stdout"
# without --rejects: the default rejects path of an output written in place
# is tamis-rejects.jsonl here, never a file beside /dev/stdout
rm -f tamis-rejects.jsonl
timeout $T "$TAMIS" cat -q a.jsonl -o /dev/stdout >so2.got
same "cat -o /dev/stdout, no --rejects" so2.got ref.cat
same "default rejects of /dev/stdout" tamis-rejects.jsonl ref.cat.rej
[ ! -e /dev/stdout.rejects.jsonl ] && ok || bad "a rejects file was written beside /dev/stdout"
rm -f tamis-rejects.jsonl

# ---- outputs: a character device node made here (root only)
if [ "$(id -u)" = 0 ] && mkdir dev && mknod dev/null c 1 3 2>/dev/null; then
    node=dev/null
    kind() { stat -L -c '%F %t:%T' "$1"; }
    want=$(kind $node)
    eq "node made" "$want" "character special file 1:3"
    run_to ncat "$TAMIS" cat -q a.jsonl -o $node
    run_to ndedup "$TAMIS" dedup -q a.jsonl -o $node --removed $node --clusters $node \
        --rejects $node --stats-json $node
    run_to nfilter "$TAMIS" filter -q a.jsonl -o $node --removed $node --rejects $node
    run_to nclean "$TAMIS" clean -q a.jsonl -o $node --stats-json $node
    for n in ncat ndedup nfilter nclean; do rc_is $n; done
    eq "node after cat, dedup, filter, clean" "$(kind $node)" "$want"
    eq "files beside the node" "$(ls -A dev | tr '\n' ' ')" "null "
    # the default rejects path of a device output is not beside it
    rm -f tamis-rejects.jsonl
    run_to ndef "$TAMIS" cat -q a.jsonl -o $node
    rc_is ndef
    eq "files beside the node (default rejects)" "$(ls -A dev | tr '\n' ' ')" "null "
    same "default rejects of a device output" tamis-rejects.jsonl ref.cat.rej
else
    skipped=1
    echo "special: skip: device node (needs root and mknod)"
fi

# ---- inputs that cannot be read twice
# process substitution: the same decisions as the regular file a+c
cat a.jsonl c.jsonl >ac.jsonl
"$TAMIS" dedup -q ac.jsonl -o ref.ac.k --removed ref.ac.r --rejects ref.ac.rej --stats-json ref.ac.st
if command -v bash >/dev/null; then
    timeout $T bash -c "\"$TAMIS\" dedup -q <(cat a.jsonl c.jsonl) -o ps.k --removed ps.r \
        --rejects ps.rej --stats-json ps.st" 2>err.ps
    eq "dedup <(cat a c) exit status" $? 0
    same "dedup <(cat a c) kept" ps.k ref.ac.k
    eq "dedup <(cat a c) removed ids" "$(jq -r .id ps.r | sed 's|^/dev/fd/[0-9]*:|FILE:|' | tr '\n' ' ')" \
        "$(jq -r .id ref.ac.r | sed 's|^ac.jsonl:|FILE:|' | tr '\n' ' ')"
    eq "dedup <(cat a c) removed" "$(wc -l <ps.r | tr -d ' ')" 10
    eq "dedup <(cat a c) ledger" "$(jq -c '[.pass1_read, .pass2_read, .ledger.read, .ledger.kept, .ledger.removed, .ledger.rejected, .ledger.ledger_ok]' ps.st)" \
        "[24,24,24,13,10,1,true]"
    eq "dedup <(cat a c) rejects name" "$(jq -r .file ps.rej | sed 's|[0-9]*$|N|' | sort -u)" "/dev/fd/N"
else
    echo "special: skip: process substitution (needs bash)"
fi

# a named FIFO fed by a writer process
rm -f in.fifo; mkfifo in.fifo
timeout $T sh -c 'cat a.jsonl c.jsonl >in.fifo' & wp=$!
run_to fin "$TAMIS" dedup -q in.fifo -o fin.k --removed fin.r --rejects fin.rej
wait $wp; rc_is fin
isfifo in.fifo
same "dedup FIFO input kept" fin.k ref.ac.k
eq "dedup FIFO input removed ids" "$(jq -r .id fin.r | tr '\n' ' ')" \
    "$(jq -r .id ref.ac.r | sed 's|^ac.jsonl:|in.fifo:|' | tr '\n' ' ')"
eq "dedup FIFO input rejects" "$(jq -r '"\(.file):\(.line)"' fin.rej | tr '\n' ' ')" "in.fifo:19 "

# standard input: ids FILE:LINE say "-", as `tamis cat -` does
mkdir spool
run_to sin sh -c "\"$TAMIS\" dedup -q --tmp-dir spool - -o sin.k --removed sin.r --rejects sin.rej <ac.jsonl"
rc_is sin
same "dedup - kept" sin.k ref.ac.k
eq "dedup - removed ids" "$(jq -r .id sin.r | tr '\n' ' ')" \
    "$(jq -r .id ref.ac.r | sed 's|^ac.jsonl:|-:|' | tr '\n' ' ')"
eq "cat - ids agree" "$("$TAMIS" cat -q - --rejects sin.cat.rej <ac.jsonl | jq -r .id | grep -c '^-:')" 2
eq "no copy left in --tmp-dir" "$(ls -A spool | wc -l | tr -d ' ')" 0

echo "special: $((checks - fail)) passed, $fail failed"
[ $fail -eq 0 ]
