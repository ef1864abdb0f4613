#!/bin/sh
# extract.sh TAMIS — quality and speed of `tamis extract` (docs/EXTRACT.md).
#
# Quality: every page of ../shared/data/extract/readability-test-pages
# (source.html.gz, Readability.js's expected.html) is extracted with
# `tamis extract` and scored by bench/extract_eval.py (4-gram shingles of
# \w+ tokens, per-page P/R/F1, mean over pages); the whole visible text of
# each page is scored the same way as a calibration.
# Parser: bench/extract_parse.c on the same pages, one thread (libxml2 tree,
# libxml2 SAX, the whole extractor).
# Speed: a WARC of those pages repeated to >= 100 MB, `tamis extract -j 2`
# under /usr/bin/time -v (wall time, CPU time, peak RSS).
# Skips cleanly when the data is absent. Prints the figures; bench/RESULTS.md
# keeps them with this command.
set -eu
tamis=${1:-build/tamis}
cd "$(dirname "$0")/.."
pages=${PAGES:-../shared/data/extract/readability-test-pages}
[ -d "$pages" ] || { echo "extract bench: $pages absent, skipped"; exit 0; }
work=$(mktemp -d "${TMPDIR:-/tmp}/tamis-xbench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/pages"
for d in "$pages"/*/; do
    n=$(basename "$d")
    gzip -dc "$d/source.html.gz" >"$work/pages/$n.html"
done
echo "== quality ($(ls "$work/pages" | wc -l) pages)"
"$tamis" extract -q -j 2 "$work/pages" -o "$work/out.jsonl" --removed "$work/removed.jsonl"
printf 'tamis extract:      '
python3 bench/extract_eval.py "$pages" "$work/out.jsonl"
printf 'all visible text:   '
python3 bench/extract_eval.py "$pages" "$work/out.jsonl" --baseline
printf 'metadata (matches / pages with the field in expected-metadata.json):\n  '
python3 bench/extract_meta.py "$pages" "$work/out.jsonl"
echo "== parser, one thread"
cc -O2 -Iinclude $(pkg-config --cflags libxml-2.0) bench/extract_parse.c build/libtamis.a \
    -Wl,--push-state,--no-as-needed -lcld2_full -Wl,--pop-state -lcld2 -lutf8proc -lxxhash \
    -lzstd -lz -ljansson -lyaml -lxml2 -luchardet -lstdc++ -lpthread -lm -o "$work/parse"
"$work/parse" "$work/pages"/*.html
echo "== speed, -j 2"
python3 - "$work/pages" "$work/big.warc" <<'PY'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
names = sorted(os.listdir(src))
data = [open(os.path.join(src, n), "rb").read() for n in names]
total = i = 0
with open(dst, "wb") as out:
    while total < 100 * 2**20:
        for n, b in zip(names, data):
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + b
            hdr = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:bench:%d>\r\n"
                   "WARC-Target-URI: http://example.org/%s/%d\r\n"
                   "Content-Type: application/http; msgtype=response\r\n"
                   "Content-Length: %d\r\n\r\n" % (i, n, i, len(http))).encode()
            out.write(hdr + http + b"\r\n\r\n")
            total += len(b)
            i += 1
print("WARC: %d records, %.1f MB of HTML" % (i, total / 1e6))
PY
html=$(python3 -c "import os,sys; print(sum(os.path.getsize(os.path.join(sys.argv[1],f)) for f in os.listdir(sys.argv[1])))" "$work/pages")
/usr/bin/time -v "$tamis" extract -q -j 2 "$work/big.warc" -o /dev/null 2>"$work/time.txt"
python3 - "$work/time.txt" "$work/big.warc" <<'PY'
import re, sys, os
t = open(sys.argv[1]).read()
def f(k): return re.search(k + r": ([0-9.:]+)", t).group(1)
wall = f(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\)")
m, s = wall.split(":")[-2:]
wall = int(m) * 60 + float(s)
cpu = float(f("User time \(seconds\)")) + float(f("System time \(seconds\)"))
size = os.path.getsize(sys.argv[2]) / 1e6
print("tamis extract -j 2: %.1f MB in %.2f s wall = %.0f MB/s; CPU %.2f s = %.0f MB/s per core; peak RSS %d MB"
      % (size, wall, size / wall, cpu, size / cpu, int(f("Maximum resident set size \(kbytes\)")) // 1024))
PY
