#!/bin/sh
# check-calls.sh DIR... — fails when the object files of a directory call
# each other in a cycle (file A calls a function of file B, which calls back
# one of A, directly or through others). Calls are read from the symbols the
# objects define and leave undefined (nm); tsort finds the cycles. Used by
# `make check-calls` on src/signals, whose calls go one way: driver ->
# families -> shared helpers (docs/ARCHITECTURE.md).
status=0
for dir in "$@"; do
    edges=$(for o in "$dir"/*.o; do
        f=$(basename "$o" .o)
        nm "$o" | awk -v f="$f" '$2 ~ /^[TDRB]$/ { print "D", f, $3 } $1 == "U" { print "U", f, $2 }'
    done | awk '$1 == "D" { def[$3] = $2; next }
                { use[++n] = $2 " " $3 }
                END { for (i = 1; i <= n; i++) { split(use[i], a, " ")
                          if ((a[2] in def) && def[a[2]] != a[1]) print a[1], def[a[2]] } }' | sort -u)
    if [ -z "$edges" ]; then
        echo "check-calls: $dir: no object files" >&2
        status=1
        continue
    fi
    if ! out=$(echo "$edges" | tsort 2>&1 >/dev/null) || [ -n "$out" ]; then
        echo "check-calls: $dir: files call each other in a cycle:" >&2
        echo "$out" >&2
        status=1
    else
        echo "check-calls: $dir: $(echo "$edges" | wc -l) calls between files, no cycle"
    fi
done
exit $status
