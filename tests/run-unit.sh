#!/bin/sh
# Runs every unit-test binary given; prints one summary line in the form CI
# reads ("N passed, N failed") and fails if any binary failed.
pass=0; fail=0
for t in "$@"; do
    if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t" >&2; fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
