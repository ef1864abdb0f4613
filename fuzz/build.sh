#!/bin/sh
# build.sh OUTDIR — builds every fuzz/fuzz_*.c as a libFuzzer binary.
#
# The library sources are compiled again with clang and
# -fsanitize=fuzzer-no-link,address,undefined (so libFuzzer sees their
# coverage and ASan/UBSan check them), archived into OUTDIR/libtamis-fuzz.a,
# and each target is linked with -fsanitize=fuzzer,address,undefined.
# Objects are rebuilt only when their source or any header is newer. When
# clang or its libFuzzer runtime (Debian: libclang-rt-14-dev) is missing the
# script says so and exits 0: fuzzing is skipped, not failed.
set -eu
out=${1:?usage: build.sh OUTDIR}
cd "$(dirname "$0")/.."
CLANG=${CLANG:-clang}
CLANGXX=${CLANGXX:-clang++}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
FLAGS="-O1 -g -Iinclude -Isrc -I/usr/include/libxml2 -D_GNU_SOURCE -DTM_STATIC_BUILD -DTM_UNSTABLE_API -Wall -Wextra -Wno-unused-parameter"
# make passes its LIBS; this default is for running the script by hand.
LIBS=${LIBS:-"-lcld2_full -lcld2 -lutf8proc -lxxhash -lzstd -lz -ljansson -lyaml -lxml2 -luchardet -lstdc++ -lpthread -lm"}

skip() { echo "fuzz: $1; skipping the fuzzers (install clang and libclang-rt-14-dev: make deps)" >&2; exit 0; }
command -v "$CLANG" >/dev/null 2>&1 || skip "$CLANG not found"
command -v "$CLANGXX" >/dev/null 2>&1 || skip "$CLANGXX not found"
mkdir -p "$out/obj"
probe=$out/obj/probe
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe.c"
"$CLANG" -fsanitize=fuzzer,address,undefined "$probe.c" -o "$probe" 2>/dev/null ||
    skip "$CLANG cannot link -fsanitize=fuzzer (libFuzzer runtime missing)"
rm -f "$probe" "$probe.c"

# Newest header: any change to one rebuilds everything (cheap enough).
hdr_newest=$(ls -t include/*.h $(find src -name '*.h') | head -1)
needs() { [ ! -f "$2" ] || [ "$1" -nt "$2" ] || [ "$hdr_newest" -nt "$2" ]; }

jobs=""
objs=""
for s in $(find src -name '*.c' -o -name '*.cc' | sort); do
    o=$out/obj/$(echo "$s" | tr / _).o
    objs="$objs $o"
    needs "$s" "$o" || continue
    case $s in
        *.cc) set -- "$CLANGXX" -std=c++11 ;;
        *) set -- "$CLANG" -std=c11 ;;
    esac
    echo "  CC   $s" >&2
    "$@" $FLAGS $SAN -fsanitize=fuzzer-no-link -c "$s" -o "$o" &
    jobs="$jobs $!"
    # Two at a time: the machine is shared.
    if [ "$(echo $jobs | wc -w)" -ge 2 ]; then
        for j in $jobs; do wait "$j" || { echo "fuzz: compiling failed" >&2; exit 1; }; done
        jobs=""
    fi
done
for j in $jobs; do wait "$j" || { echo "fuzz: compiling failed" >&2; exit 1; }; done

lib=$out/libtamis-fuzz.a
rm -f "$lib"
ar rcs "$lib" $objs

n=0
for f in fuzz/fuzz_*.c; do
    [ -f "$f" ] || continue
    t=$out/$(basename "$f" .c)
    if needs "$f" "$t" || [ "$lib" -nt "$t" ]; then
        echo "  LINK $t" >&2
        "$CLANG" -std=c11 $FLAGS $SAN -fsanitize=fuzzer "$f" "$lib" $LIBS -o "$t"
    fi
    n=$((n + 1))
done
echo "fuzz: $n targets in $out"
