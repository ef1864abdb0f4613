#!/bin/sh
# run.sh — golden tests of the tamis command line.
#
# Every folder tests/golden/<case>/ that holds a file `cmd` is a case: `cmd`
# is one shell line run by /bin/sh inside a scratch copy of the folder with
# $TAMIS set to the absolute path of the binary. Its standard output is
# compared with `expected`, its exit status with `expected.rc` (0 when
# absent), its standard error with `expected.stderr` when that file exists,
# and every other `expected.<name>` with the file <name> the command left in
# the scratch folder. See README.md in this folder.
#
# usage: TAMIS=build/tamis sh tests/golden/run.sh [--update] [CASE...]
#   --update  rewrites the expected files from what the commands produce
#             (expected, expected.rc, and the expected.* files that exist)
set -u
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
here=$(cd "$(dirname "$0")" && pwd)
: "${TAMIS:=build/tamis}"
case $TAMIS in /*) ;; *) TAMIS=$(pwd)/$TAMIS ;; esac
if [ ! -x "$TAMIS" ]; then
    echo "golden: $TAMIS is not an executable (run make first)" >&2
    exit 1
fi
export TAMIS
# The same environment for everyone: byte-wise sorting, UTC, no colour, no
# progress line (stderr is not a terminal anyway).
export LC_ALL=C TZ=UTC NO_COLOR=1

work=$(mktemp -d "${TMPDIR:-/tmp}/tamis-golden.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

if [ $# -gt 0 ]; then cases=$*; else
    cases=$(cd "$here" && for d in */; do [ -f "$d/cmd" ] && printf '%s\n' "${d%/}"; done | sort)
fi

pass=0; fail=0; failed=""
# compare EXPECTED ACTUAL LABEL: 0 when identical, else prints a diff.
compare() {
    if [ ! -e "$2" ]; then
        echo "  $3: not produced"
        return 1
    fi
    cmp -s "$1" "$2" && return 0
    echo "  $3 differs (--- expected, +++ actual):"
    diff -u "$1" "$2" | sed -n '3,42p' | sed 's/^/    /'
    return 1
}

for c in $cases; do
    src=$here/$c
    if [ ! -f "$src/cmd" ]; then echo "golden: no case $c" >&2; fail=$((fail + 1)); continue; fi
    dir=$work/$c
    rm -rf "$dir"; mkdir -p "$dir"
    # Inputs only: the command must not see the expected files.
    (cd "$src" && for f in * .[!.]*; do
        case $f in expected|expected.*|cmd|'*'|'.[!.]*') ;; *) cp -R "$f" "$dir/" ;; esac
    done)
    (cd "$dir" && sh -c "$(cat "$src/cmd")") >"$work/$c.out" 2>"$work/$c.err"
    rc=$?
    # Paths of the scratch folder and the binary are not stable: name them.
    for s in out err; do
        sed -e "s|$dir|.|g" -e "s|$TAMIS|tamis|g" "$work/$c.$s" >"$work/$c.$s.n"
    done

    if [ $update -eq 1 ]; then
        cp "$work/$c.out.n" "$src/expected"
        if [ $rc -ne 0 ]; then echo $rc >"$src/expected.rc"; else rm -f "$src/expected.rc"; fi
        [ -f "$src/expected.stderr" ] && cp "$work/$c.err.n" "$src/expected.stderr"
        for e in "$src"/expected.*; do
            n=${e##*/expected.}
            case $n in rc|stderr|'*') continue ;; esac
            if [ -e "$dir/$n" ]; then cp "$dir/$n" "$e"; else echo "golden: $c: $n not produced, expected.$n kept" >&2; fi
        done
        echo "updated: $c (rc $rc)"
        pass=$((pass + 1))
        continue
    fi

    ok=1
    exec 3>&1 >"$work/$c.report"
    want_rc=0
    [ -f "$src/expected.rc" ] && want_rc=$(cat "$src/expected.rc")
    if [ "$rc" -ne "$want_rc" ]; then
        echo "  exit status $rc, expected $want_rc"
        ok=0
    fi
    if [ -f "$src/expected" ]; then
        compare "$src/expected" "$work/$c.out.n" stdout || ok=0
    else
        echo "  no expected file (run make golden-update)"; ok=0
    fi
    if [ -f "$src/expected.stderr" ]; then
        compare "$src/expected.stderr" "$work/$c.err.n" stderr || ok=0
    fi
    for e in "$src"/expected.*; do
        n=${e##*/expected.}
        case $n in rc|stderr|'*') continue ;; esac
        compare "$e" "$dir/$n" "$n" || ok=0
    done
    exec 1>&3 3>&-
    if [ $ok -eq 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); failed="$failed $c"
        echo "FAILED: $c: $(cat "$src/cmd")"
        cat "$work/$c.report"
        if [ -s "$work/$c.err.n" ] && [ ! -f "$src/expected.stderr" ]; then
            echo "  stderr:"; sed -n '1,10p' "$work/$c.err.n" | sed 's/^/    /'
        fi
    fi
done

echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ] || { echo "golden: failed:$failed (make golden-update if the change is intended)"; exit 1; }
